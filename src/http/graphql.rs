//! GraphQL over HTTP: `POST /graphql` with a JSON body (one request or a
//! batch) and `GET /graphql` with the query in the URL. Transport errors
//! answer in the GraphQL shape with a code, never a panic.

use std::panic::AssertUnwindSafe;

use actix_web::http::StatusCode;
use actix_web::http::header::{CONTENT_LENGTH, CONTENT_TYPE};
use actix_web::{HttpRequest, HttpResponse, web};
use async_graphql::{BatchRequest, BatchResponse};
use futures_util::{FutureExt, StreamExt};

use crate::api::{code, internal};
use crate::app::App;

/// The largest request body accepted (1 MiB); past it, HTTP 413 with `DOCUMENT_TOO_LARGE`.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

fn error(status: StatusCode, code: &str, message: &str) -> HttpResponse {
    HttpResponse::build(status).json(serde_json::json!({
        "errors": [{ "message": message, "extensions": { "code": code } }]
    }))
}

fn too_large() -> HttpResponse {
    let message = format!("the request body is larger than {MAX_BODY_BYTES} bytes");
    error(
        StatusCode::PAYLOAD_TOO_LARGE,
        code::DOCUMENT_TOO_LARGE,
        &message,
    )
}

/// Reads the body, refusing it as soon as it is known to be too large.
async fn read_body(
    req: &HttpRequest,
    mut payload: web::Payload,
) -> Result<web::BytesMut, HttpResponse> {
    let declared = req
        .headers()
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > MAX_BODY_BYTES) {
        return Err(too_large());
    }
    let mut body = web::BytesMut::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|e| {
            error(
                StatusCode::BAD_REQUEST,
                code::BAD_USER_INPUT,
                &format!("the request body could not be read: {e}"),
            )
        })?;
        if body.len() + chunk.len() > MAX_BODY_BYTES {
            return Err(too_large());
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// `POST /graphql`: a JSON body with `query`, `variables`, `operationName`, or an array of them.
pub async fn post(req: HttpRequest, payload: web::Payload, app: web::Data<App>) -> HttpResponse {
    let content_type = req
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    if !content_type.starts_with("application/json")
        && !content_type.starts_with("application/graphql-response+json")
    {
        return error(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            code::BAD_USER_INPUT,
            "send the request as JSON with `Content-Type: application/json`",
        );
    }
    let body = match read_body(&req, payload).await {
        Ok(body) => body,
        Err(response) => return response,
    };
    let batch: BatchRequest = match serde_json::from_slice(&body) {
        Ok(batch) => batch,
        Err(e) => {
            return error(
                StatusCode::BAD_REQUEST,
                code::BAD_USER_INPUT,
                &format!("the body is not a GraphQL request: {e}"),
            );
        }
    };
    execute(&app, batch).await
}

/// `GET /graphql?query=…&variables=…&operationName=…`.
pub async fn get(req: HttpRequest, app: web::Data<App>) -> HttpResponse {
    match async_graphql::http::parse_query_string(req.query_string()) {
        Ok(request) => execute(&app, BatchRequest::Single(request)).await,
        Err(e) => error(
            StatusCode::BAD_REQUEST,
            code::BAD_USER_INPUT,
            &format!("the query string is not a GraphQL request: {e}"),
        ),
    }
}

async fn execute(app: &App, batch: BatchRequest) -> HttpResponse {
    let run = AssertUnwindSafe(app.schema.execute_batch(batch)).catch_unwind();
    let response: BatchResponse = match run.await {
        Ok(response) => response,
        Err(_) => {
            let e = internal("a resolver panicked");
            let body = serde_json::json!({ "errors": [{ "message": e.message, "extensions": e.extensions }] });
            return HttpResponse::InternalServerError().json(body);
        }
    };
    HttpResponse::Ok().json(response)
}
