//! GraphQL over HTTP: `POST /graphql` with a JSON body (one request or a
//! batch) and `GET /graphql` with the query in the URL. Transport errors
//! answer in the GraphQL shape with a code, never a panic.

use std::panic::AssertUnwindSafe;

use actix_web::http::StatusCode;
use actix_web::http::header::{AUTHORIZATION, CONTENT_LENGTH, CONTENT_TYPE};
use actix_web::{HttpRequest, HttpResponse, web};
use async_graphql::{BatchRequest, BatchResponse};
use futures_util::{FutureExt, StreamExt};

use super::Served;
use crate::api::{Credentials, code, internal};

fn error(status: StatusCode, code: &str, message: &str) -> HttpResponse {
    HttpResponse::build(status).json(serde_json::json!({
        "errors": [{ "message": message, "extensions": { "code": code } }]
    }))
}

fn too_large(max: usize) -> HttpResponse {
    let message = format!("the request body is larger than {max} bytes (`max_body_bytes`)");
    error(
        StatusCode::PAYLOAD_TOO_LARGE,
        code::DOCUMENT_TOO_LARGE,
        &message,
    )
}

/// Reads the body, refusing it as soon as it is known to be larger than `max` bytes.
async fn read_body(
    req: &HttpRequest,
    mut payload: web::Payload,
    max: usize,
) -> Result<web::BytesMut, HttpResponse> {
    let declared = req
        .headers()
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > max) {
        return Err(too_large(max));
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
        if body.len() + chunk.len() > max {
            return Err(too_large(max));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// `POST /graphql`: a JSON body with `query`, `variables`, `operationName`, or an array of them.
pub(super) async fn post(
    req: HttpRequest,
    payload: web::Payload,
    served: web::Data<Served>,
) -> HttpResponse {
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
    let body = match read_body(&req, payload, served.app.config().max_body_bytes).await {
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
    execute(&served, batch, credentials(&req)).await
}

/// `GET /graphql?query=…&variables=…&operationName=…`. Reads only: a mutation over GET
/// is refused with 405, so that a link or a prefetch never writes.
pub(super) async fn get(req: HttpRequest, served: web::Data<Served>) -> HttpResponse {
    match async_graphql::http::parse_query_string(req.query_string()) {
        Ok(request) if is_mutation(&request) => {
            let mut response = error(
                StatusCode::METHOD_NOT_ALLOWED,
                code::BAD_USER_INPUT,
                "a mutation must be sent with POST",
            );
            response.headers_mut().insert(
                actix_web::http::header::ALLOW,
                actix_web::http::header::HeaderValue::from_static("POST"),
            );
            response
        }
        Ok(request) => execute(&served, BatchRequest::Single(request), credentials(&req)).await,
        Err(e) => error(
            StatusCode::BAD_REQUEST,
            code::BAD_USER_INPUT,
            &format!("the query string is not a GraphQL request: {e}"),
        ),
    }
}

/// The bearer token of the `Authorization` header, if it has one.
fn credentials(req: &HttpRequest) -> Credentials {
    let token = req
        .headers()
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(super::bearer);
    Credentials(token)
}

/// True when the operation a request would run is a mutation.
fn is_mutation(request: &async_graphql::Request) -> bool {
    use async_graphql::parser::types::{DocumentOperations, OperationType};
    let Ok(doc) = async_graphql::parser::parse_query(&request.query) else {
        return false;
    };
    let ty = match (&doc.operations, request.operation_name.as_deref()) {
        (DocumentOperations::Single(op), _) => Some(op.node.ty),
        (DocumentOperations::Multiple(ops), Some(name)) => ops.get(name).map(|op| op.node.ty),
        (DocumentOperations::Multiple(ops), None) => ops
            .values()
            .next()
            .filter(|_| ops.len() == 1)
            .map(|op| op.node.ty),
    };
    ty == Some(OperationType::Mutation)
}

async fn execute(served: &Served, batch: BatchRequest, credentials: Credentials) -> HttpResponse {
    let batch = crate::api::snapshot::attach(batch, credentials);
    let run = AssertUnwindSafe(served.schema.execute_batch(batch)).catch_unwind();
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
