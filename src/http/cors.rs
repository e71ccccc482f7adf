//! CORS for frontends on other origins: reads from any origin without credentials by
//! default, or only from the configured origins (`cors_origins`); preflights answered
//! here. A request without `Origin` (not from a browser page) passes with one header
//! lookup. Written here rather than taken from `actix-cors`: the policy is a few lines,
//! and a request without `Origin` should cost no more than that lookup.

use std::rc::Rc;

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{
    ACCESS_CONTROL_ALLOW_HEADERS, ACCESS_CONTROL_ALLOW_METHODS, ACCESS_CONTROL_ALLOW_ORIGIN,
    ACCESS_CONTROL_EXPOSE_HEADERS, ACCESS_CONTROL_MAX_AGE, ACCESS_CONTROL_REQUEST_METHOD, HOST,
    HeaderValue, ORIGIN, VARY,
};
use actix_web::http::{Method, StatusCode};
use actix_web::middleware::Next;
use actix_web::{Error, HttpRequest, HttpResponse};

/// Which origins may call the API from a browser.
#[derive(Debug, Clone, Default)]
pub(crate) struct Policy {
    /// Empty: any origin.
    origins: Vec<String>,
}

/// Methods a cross-origin page may use.
const METHODS: &str = "GET, HEAD, POST, OPTIONS";
/// Headers a cross-origin page may send: the body's type and the editor's token.
const HEADERS: &str = "content-type, authorization";
/// Headers a cross-origin page may read, beyond the simple ones.
const EXPOSE: &str = "etag, x-request-id";
/// How long a browser may keep a preflight's answer, in seconds (a day).
const MAX_AGE: &str = "86400";

impl Policy {
    /// The policy for the configured origins (empty: any).
    pub(crate) fn new(origins: &[String]) -> Self {
        Policy {
            origins: origins.to_vec(),
        }
    }

    /// Whether a page of `origin` may read the answers. A page served by this server
    /// itself (its origin names the `Host` it called) always may.
    pub(crate) fn allows(&self, origin: &str, host: Option<&str>) -> bool {
        self.origins.is_empty()
            || self.origins.iter().any(|o| o.eq_ignore_ascii_case(origin))
            || host.is_some_and(|host| {
                origin
                    .split_once("://")
                    .is_some_and(|(_, rest)| rest.eq_ignore_ascii_case(host))
            })
    }

    /// Whether a request from a page of another origin may go on (the websocket).
    pub(crate) fn allows_request(&self, req: &HttpRequest) -> bool {
        let Some(origin) = req.headers().get(ORIGIN) else {
            return true;
        };
        let host = req.headers().get(HOST).and_then(|h| h.to_str().ok());
        origin
            .to_str()
            .is_ok_and(|origin| self.allows(origin, host))
    }

    /// The `Access-Control-Allow-Origin` for an allowed origin.
    fn allow_origin(&self, origin: &HeaderValue) -> HeaderValue {
        if self.origins.is_empty() {
            HeaderValue::from_static("*")
        } else {
            origin.clone()
        }
    }
}

/// The middleware: answers preflights, and marks answers to allowed origins readable.
pub(crate) async fn middleware(
    policy: Rc<Policy>,
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody + 'static>>, Error> {
    let Some(origin) = req.headers().get(ORIGIN).cloned() else {
        return Ok(next.call(req).await?.map_into_left_body());
    };
    let host = req.headers().get(HOST).and_then(|h| h.to_str().ok());
    let allowed = origin.to_str().is_ok_and(|text| policy.allows(text, host));
    let preflight = req.method() == Method::OPTIONS
        && req.headers().contains_key(ACCESS_CONTROL_REQUEST_METHOD);
    if preflight {
        let response = if allowed {
            let mut builder = HttpResponse::NoContent();
            builder
                .insert_header((ACCESS_CONTROL_ALLOW_ORIGIN, policy.allow_origin(&origin)))
                .insert_header((ACCESS_CONTROL_ALLOW_METHODS, METHODS))
                .insert_header((ACCESS_CONTROL_ALLOW_HEADERS, HEADERS))
                .insert_header((ACCESS_CONTROL_MAX_AGE, MAX_AGE));
            if !policy.origins.is_empty() {
                builder.insert_header((VARY, "Origin"));
            }
            builder.finish()
        } else {
            HttpResponse::build(StatusCode::FORBIDDEN)
                .insert_header((VARY, "Origin"))
                .json(serde_json::json!({ "errors": [{
                    "message": "this origin may not call the API (`cors_origins`)",
                    "extensions": { "code": crate::api::code::FORBIDDEN },
                }] }))
        };
        return Ok(req.into_response(response).map_into_right_body());
    }
    let mut response = next.call(req).await?;
    let headers = response.headers_mut();
    if allowed {
        headers.insert(ACCESS_CONTROL_ALLOW_ORIGIN, policy.allow_origin(&origin));
        headers.insert(
            ACCESS_CONTROL_EXPOSE_HEADERS,
            HeaderValue::from_static(EXPOSE),
        );
    }
    if !policy.origins.is_empty() {
        headers.append(VARY, HeaderValue::from_static("Origin"));
    }
    Ok(response.map_into_left_body())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn any_origin_by_default_and_only_the_listed_ones_otherwise() {
        let open = Policy::default();
        assert!(open.allows("http://localhost:5173", None));
        let listed = Policy::new(&["https://app.example.org".to_string()]);
        assert!(listed.allows("https://app.example.org", None));
        assert!(listed.allows("HTTPS://APP.EXAMPLE.ORG", None));
        assert!(!listed.allows("https://evil.example.org", None));
        assert!(!listed.allows("https://app.example.org.evil", None));
    }

    #[test]
    fn the_servers_own_pages_are_always_allowed() {
        let listed = Policy::new(&["https://app.example.org".to_string()]);
        assert!(listed.allows("http://127.0.0.1:8080", Some("127.0.0.1:8080")));
        assert!(!listed.allows("http://127.0.0.1:9999", Some("127.0.0.1:8080")));
    }
}
