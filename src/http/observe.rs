//! Every request is observed once, around everything else: it gets an id (in the
//! `x-request-id` response header, in every log event of its work and in any
//! `INTERNAL_SERVER_ERROR` it answers), it is counted in the metrics, and it leaves one
//! log line with its id, method, path, GraphQL operation, status and duration.
//!
//! An incoming `x-request-id` is not adopted: a client could choose ids that collide with
//! other requests' and make the log say what it likes; the id is the server's own.

use std::sync::Arc;
use std::time::Instant;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{Error, HttpMessage, HttpRequest};

use super::metrics::Metrics;
use crate::api::RequestId;

/// The response header that carries the request's id.
pub(crate) const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// What the GraphQL handler says about a request it read, for the log and the metrics.
#[derive(Debug, Clone, Default)]
pub(crate) struct Observed {
    /// The operation's name (a GraphQL name; anything else is not kept).
    pub operation: Option<String>,
    /// `None` when answered without errors, else the code of the first error.
    pub outcome: Option<String>,
}

impl Observed {
    /// Notes what a handler learnt about the request.
    pub(crate) fn note(req: &HttpRequest, operation: Option<&str>, outcome: Option<String>) {
        let operation = operation.map(|name| match is_name(name) {
            true => name.to_string(),
            false => "(invalid)".to_string(),
        });
        req.extensions_mut().insert(Observed { operation, outcome });
    }
}

/// Whether `text` is a GraphQL name of a reasonable length, safe in a log line and a label.
fn is_name(text: &str) -> bool {
    let mut chars = text.chars();
    text.len() <= 128
        && chars
            .next()
            .is_some_and(|c| c == '_' || c.is_ascii_alphabetic())
        && chars.all(|c| c == '_' || c.is_ascii_alphanumeric())
}

/// The middleware: outermost, so that it sees every answer and times all of the work.
pub(crate) async fn middleware(
    metrics: Arc<Metrics>,
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody + 'static>, Error> {
    let id = RequestId::next();
    let start = Instant::now();
    let in_flight = metrics.begin();
    let method = req.method().clone();
    let result = id.scope(next.call(req)).await;
    drop(in_flight);
    let micros = u64::try_from(start.elapsed().as_micros()).unwrap_or(u64::MAX);
    let mut response = match result {
        Ok(response) => response,
        Err(e) => {
            // Only a middleware fails this way (the handlers answer every error); the
            // framework makes the answer, without the request at hand here.
            let status = e.as_response_error().status_code().as_u16();
            tracing::info!(
                request_id = %id,
                method = %method,
                status,
                duration_us = micros,
                "request"
            );
            return Err(e);
        }
    };
    if let Ok(value) = HeaderValue::from_bytes(&id.digits()) {
        response.headers_mut().insert(REQUEST_ID, value);
    }
    let status = response.status().as_u16();
    let request = response.request();
    let observed = request.extensions_mut().remove::<Observed>();
    let operation = observed.as_ref().and_then(|o| o.operation.as_deref());
    match &observed {
        Some(o) => metrics.request(operation, o.outcome.as_deref(), micros),
        None if request.path() == "/graphql" => {
            metrics.refused(status);
            if status == 413 {
                metrics.rejected(crate::api::code::DOCUMENT_TOO_LARGE);
            }
        }
        None => {}
    }
    tracing::info!(
        request_id = %id,
        method = %method,
        path = %request.path(),
        operation = operation.unwrap_or(""),
        status,
        duration_us = micros,
        "request"
    );
    Ok(response)
}

#[cfg(test)]
mod tests {
    #[test]
    fn only_graphql_names_are_kept() {
        assert!(super::is_name("CountryPledges"));
        assert!(super::is_name("_q1"));
        assert!(!super::is_name("1q"));
        assert!(!super::is_name("a b"));
        assert!(!super::is_name("a\nb"));
        assert!(!super::is_name(""));
        assert!(!super::is_name(&"a".repeat(200)));
    }
}
