//! Caching a `GET /graphql` answer: its `ETag`, from the graph version, the request and
//! the day an answer for "now" is computed for, and its `Cache-Control`.

use actix_web::HttpRequest;
use actix_web::http::header::IF_NONE_MATCH;
use sha2::{Digest, Sha256};

/// A GET request's parts that make its answer, beside the graph's version.
pub(super) struct Key<'a> {
    /// The graph version the answer would read.
    pub version: u64,
    /// The document, as sent.
    pub query: &'a str,
    /// The variables' JSON text, as sent.
    pub variables: Option<&'a str>,
    /// The operation to run.
    pub operation_name: Option<&'a str>,
}

/// The `ETag` of an answer: the same request to the same version on the same day answers
/// the same data. Weak, since compression may send the same answer as other bytes.
pub(super) fn etag(key: &Key<'_>) -> String {
    let mut hash = Sha256::new();
    // Each part is length-prefixed, so no two requests hash the same bytes.
    for part in [
        key.query.as_bytes(),
        key.variables.unwrap_or_default().as_bytes(),
        key.operation_name.unwrap_or_default().as_bytes(),
    ] {
        hash.update((part.len() as u64).to_le_bytes());
        hash.update(part);
    }
    // An answer without `asOf` is the answer for today: it may differ tomorrow.
    hash.update(super::answers::today().to_le_bytes());
    let digest = hash.finalize();
    let hex: String = digest[..12].iter().map(|b| format!("{b:02x}")).collect();
    format!("W/\"v{}-{hex}\"", key.version)
}

/// Whether `If-None-Match` names `etag` (or is `*`): the client's copy is current.
pub(super) fn not_modified(req: &HttpRequest, etag: &str) -> bool {
    req.headers()
        .get_all(IF_NONE_MATCH)
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|tag| tag.trim().trim_start_matches("W/"))
        .any(|tag| tag == "*" || tag == etag.trim_start_matches("W/"))
}

/// The `Cache-Control` of a GET answer: `no-cache` (ask again, the ETag makes it cheap)
/// unless a `max-age` is configured (`http_cache_max_age`).
pub(super) fn cache_control(max_age: usize) -> String {
    match max_age {
        0 => "no-cache".to_string(),
        seconds => format!("public, max-age={seconds}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;

    fn key<'a>(version: u64, query: &'a str, variables: Option<&'a str>) -> Key<'a> {
        Key {
            version,
            query,
            variables,
            operation_name: None,
        }
    }

    #[test]
    fn the_tag_changes_with_the_version_the_query_and_the_variables() {
        let base = etag(&key(1, "{ a }", None));
        assert_eq!(base, etag(&key(1, "{ a }", None)));
        assert_ne!(base, etag(&key(2, "{ a }", None)));
        assert_ne!(base, etag(&key(1, "{ b }", None)));
        assert_ne!(base, etag(&key(1, "{ a }", Some("{}"))));
        // Parts cannot slide into each other.
        assert_ne!(
            etag(&key(1, "ab", Some("c"))),
            etag(&key(1, "a", Some("bc")))
        );
        assert!(base.starts_with("W/\"v1-") && base.ends_with('"'), "{base}");
    }

    #[test]
    fn if_none_match_lists_and_weak_tags_match() {
        let tag = "W/\"v1-abc\"";
        let req = |v: &str| {
            TestRequest::default()
                .insert_header((IF_NONE_MATCH, v))
                .to_http_request()
        };
        assert!(not_modified(&req("\"v1-abc\""), tag));
        assert!(not_modified(&req("\"x\", W/\"v1-abc\""), tag));
        assert!(not_modified(&req("*"), tag));
        assert!(!not_modified(&req("\"v2-abc\""), tag));
        assert!(!not_modified(
            &TestRequest::default().to_http_request(),
            tag
        ));
    }

    #[test]
    fn no_cache_unless_a_max_age_is_configured() {
        assert_eq!(cache_control(0), "no-cache");
        assert_eq!(cache_control(60), "public, max-age=60");
    }
}
