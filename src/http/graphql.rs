//! GraphQL over HTTP: `POST /graphql` with a JSON body (one request or a
//! batch) and `GET /graphql` with the query in the URL. Transport errors
//! answer in the GraphQL shape with a code, never a panic.

use std::panic::AssertUnwindSafe;

use actix_web::http::StatusCode;
use actix_web::http::header::CONTENT_TYPE;
use actix_web::{HttpRequest, HttpResponse, web};
use async_graphql::{BatchRequest, BatchResponse};
use futures_util::FutureExt;

use crate::api::{code, internal};
use crate::app::App;

/// The largest request body accepted (1 MiB); past it, 413 `DOCUMENT_TOO_LARGE`.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

fn error(status: StatusCode, code: &str, message: &str) -> HttpResponse {
    HttpResponse::build(status).json(serde_json::json!({
        "errors": [{ "message": message, "extensions": { "code": code } }]
    }))
}

/// `POST /graphql`: a JSON body with `query`, `variables`, `operationName`, or an array of them.
pub async fn post(req: HttpRequest, body: web::Bytes, app: web::Data<App>) -> HttpResponse {
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
