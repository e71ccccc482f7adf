//! What a GraphQL request over HTTP sends and accepts: the body's media type
//! (`application/json`) and the answer's, from `Accept` (the GraphQL over HTTP
//! specification's `application/graphql-response+json`, or legacy `application/json`).

use actix_web::HttpRequest;
use actix_web::http::header::{ACCEPT, CONTENT_TYPE};

/// The media type of a GraphQL answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Answer {
    /// `application/graphql-response+json`: a request that fails before execution answers
    /// with a 4xx status.
    GraphqlResponse,
    /// `application/json`, as legacy clients expect: every GraphQL answer is a 200.
    Json,
}

/// The `GraphQL-Response` media type.
pub(super) const GRAPHQL_RESPONSE: &str = "application/graphql-response+json";

impl Answer {
    /// The `Content-Type` of an answer.
    pub(super) fn content_type(self) -> &'static str {
        match self {
            Answer::GraphqlResponse => "application/graphql-response+json; charset=utf-8",
            Answer::Json => "application/json",
        }
    }
}

/// The answer the client accepts, preferring the GraphQL-Response type at an equal
/// weight; no `Accept` (or `*/*`) is legacy JSON. `None`: it accepts neither.
pub(super) fn answer(req: &HttpRequest) -> Option<Answer> {
    let mut values = req.headers().get_all(ACCEPT).peekable();
    if values.peek().is_none() {
        return Some(Answer::Json);
    }
    // (weight, answer); the first best wins.
    let mut best: Option<(u16, Answer)> = None;
    for value in values {
        let Ok(text) = value.to_str() else { continue };
        for range in text.split(',') {
            let mut parts = range.split(';');
            let media = parts.next().unwrap_or_default().trim();
            let weight = parts
                .filter_map(|p| p.trim().strip_prefix("q="))
                .find_map(quality)
                .unwrap_or(1000);
            let candidate = if media.eq_ignore_ascii_case(GRAPHQL_RESPONSE) {
                Answer::GraphqlResponse
            } else if media.eq_ignore_ascii_case("application/json")
                || media.eq_ignore_ascii_case("application/*")
                || media == "*/*"
            {
                Answer::Json
            } else {
                continue;
            };
            if weight == 0 {
                continue;
            }
            let better = match best {
                None => true,
                Some((w, a)) => {
                    weight > w
                        || (weight == w
                            && a == Answer::Json
                            && candidate == Answer::GraphqlResponse)
                }
            };
            if better {
                best = Some((weight, candidate));
            }
        }
    }
    best.map(|(_, answer)| answer)
}

/// A `q` value in thousandths (`0.9` is 900); `None` when it is not one.
fn quality(text: &str) -> Option<u16> {
    let text = text.trim();
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    if fraction.len() > 3 || !fraction.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let whole: u16 = match whole {
        "0" => 0,
        "1" => 1,
        _ => return None,
    };
    let fraction: u16 = format!("{fraction:0<3}").parse().ok()?;
    let q = whole * 1000 + fraction;
    (q <= 1000).then_some(q)
}

/// Whether the body is declared as JSON (`application/json`, any parameters).
pub(super) fn json_body(req: &HttpRequest) -> bool {
    req.headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|media| media.trim().eq_ignore_ascii_case("application/json"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;

    fn accept(value: &str) -> Option<Answer> {
        answer(
            &TestRequest::default()
                .insert_header((ACCEPT, value))
                .to_http_request(),
        )
    }

    #[test]
    fn no_accept_and_wildcards_are_legacy_json() {
        assert_eq!(
            answer(&TestRequest::default().to_http_request()),
            Some(Answer::Json)
        );
        assert_eq!(accept("*/*"), Some(Answer::Json));
        assert_eq!(accept("application/*"), Some(Answer::Json));
        assert_eq!(
            accept("application/json; charset=utf-8"),
            Some(Answer::Json)
        );
    }

    #[test]
    fn the_graphql_response_type_wins_ties_and_weights_count() {
        assert_eq!(
            accept("application/graphql-response+json"),
            Some(Answer::GraphqlResponse)
        );
        assert_eq!(
            accept("application/json, application/graphql-response+json"),
            Some(Answer::GraphqlResponse)
        );
        assert_eq!(
            accept("application/graphql-response+json;q=0.5, application/json"),
            Some(Answer::Json)
        );
        assert_eq!(
            accept("application/graphql-response+json, application/json;q=0.9"),
            Some(Answer::GraphqlResponse)
        );
    }

    #[test]
    fn neither_is_none() {
        assert_eq!(accept("text/html"), None);
        assert_eq!(accept("application/json;q=0"), None);
        assert_eq!(accept("application/xml, text/*"), None);
    }

    #[test]
    fn a_json_body_is_application_json_only() {
        let with = |v: &str| {
            json_body(
                &TestRequest::default()
                    .insert_header((CONTENT_TYPE, v))
                    .to_http_request(),
            )
        };
        assert!(with("application/json"));
        assert!(with("Application/JSON; charset=utf-8"));
        assert!(!with("text/plain"));
        assert!(!with("application/x-www-form-urlencoded"));
        assert!(!with("application/jsonp"));
        assert!(!json_body(&TestRequest::default().to_http_request()));
    }
}
