//! GraphQL over HTTP to the letter of the specification, on the real server: media types
//! both ways and their statuses, request errors without `data`, error codes, GET with its
//! ETag, 304 and HEAD, and CORS for pages of other origins (the websocket too).

use std::sync::OnceLock;

use serde_json::{Value, json};
use tungstenite::client::IntoClientRequest;

use crate::helpers::{self, TestServer, server};

const GRAPHQL_RESPONSE: &str = "application/graphql-response+json";

/// An answer: status, the headers asked about, and the body as JSON (or text).
struct Answer {
    status: u16,
    response_headers: Vec<(String, String)>,
    body: Value,
    text: String,
}

impl Answer {
    fn header(&self, name: &str) -> Option<&str> {
        self.response_headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    fn code(&self) -> &str {
        self.body["errors"][0]["extensions"]["code"]
            .as_str()
            .unwrap_or("<none>")
    }
}

fn send(request: ureq::Request, body: Option<&str>) -> Answer {
    let result = match body {
        Some(body) => request.send_string(body),
        None => request.call(),
    };
    let response = helpers::answered(result);
    let status = response.status();
    let response_headers = response
        .headers_names()
        .into_iter()
        .filter_map(|name| {
            let value = response.all(&name).join(", ");
            Some((name, value)).filter(|(_, v)| !v.is_empty())
        })
        .collect();
    let text = response.into_string().unwrap_or_default();
    Answer {
        status,
        response_headers,
        body: serde_json::from_str(&text).unwrap_or(Value::Null),
        text,
    }
}

fn post(s: &TestServer, accept: Option<&str>, content_type: &str, body: &str) -> Answer {
    let mut request =
        crate::helpers::post(&format!("{}/graphql", s.base)).set("Content-Type", content_type);
    if let Some(accept) = accept {
        request = request.set("Accept", accept);
    }
    send(request, Some(body))
}

fn post_query(s: &TestServer, accept: Option<&str>, query: &str, variables: Value) -> Answer {
    let body = json!({ "query": query, "variables": variables }).to_string();
    post(s, accept, "application/json", &body)
}

/// `/graphql?…` with the parameters encoded.
fn get_url(s: &TestServer, params: &[(&str, &str)]) -> String {
    let query: Vec<String> = params
        .iter()
        .map(|(k, v)| format!("{k}={}", helpers::encode(v)))
        .collect();
    format!("{}/graphql?{}", s.base, query.join("&"))
}

fn get(url: &str, headers: &[(&str, &str)]) -> Answer {
    let mut request = crate::helpers::get(url);
    for (name, value) in headers {
        request = request.set(name, value);
    }
    send(request, None)
}

#[test]
fn a_post_must_be_json_else_415_with_a_coded_body() {
    let s = server();
    for content_type in [
        "text/plain",
        "application/x-www-form-urlencoded",
        "application/graphql",
    ] {
        let a = post(s, None, content_type, r#"{"query":"{ __typename }"}"#);
        assert_eq!(a.status, 415, "{content_type}: {}", a.text);
        assert_eq!(a.code(), "BAD_REQUEST", "{}", a.text);
        assert!(a.body.get("data").is_none());
    }
    let ok = post(
        s,
        None,
        "application/json; charset=utf-8",
        r#"{"query":"{ __typename }"}"#,
    );
    assert_eq!(ok.status, 200, "{}", ok.text);
}

#[test]
fn accept_chooses_the_answer_and_neither_is_406() {
    let s = server();
    let q = "{ country(code: \"JP\") { name } }";
    for (accept, content_type) in [
        (None, "application/json"),
        (Some("*/*"), "application/json"),
        (Some("application/json"), "application/json"),
        (Some(GRAPHQL_RESPONSE), GRAPHQL_RESPONSE),
        (
            Some("application/graphql-response+json, application/json;q=0.9"),
            GRAPHQL_RESPONSE,
        ),
    ] {
        let a = post_query(s, accept, q, json!({}));
        assert_eq!(a.status, 200, "{accept:?}: {}", a.text);
        assert!(
            a.header("content-type")
                .is_some_and(|t| t.starts_with(content_type)),
            "{accept:?}: {:?}",
            a.header("content-type")
        );
        assert_eq!(a.body["data"]["country"]["name"], "Japan");
    }
    let a = post_query(s, Some("text/html"), q, json!({}));
    assert_eq!(a.status, 406, "{}", a.text);
    assert_eq!(a.code(), "BAD_REQUEST");
    let a = get(
        &get_url(s, &[("query", "{ __typename }")]),
        &[("Accept", "application/xml")],
    );
    assert_eq!(a.status, 406, "{}", a.text);
}

#[test]
fn request_errors_are_400_without_data_for_the_graphql_response_type() {
    let s = server();
    let cases = [
        ("{ commitments { ", json!({}), "GRAPHQL_PARSE_FAILED"),
        ("{ noSuchField }", json!({}), "GRAPHQL_VALIDATION_FAILED"),
        (
            "{ country { name } }",
            json!({}),
            "GRAPHQL_VALIDATION_FAILED",
        ),
        (
            "query($code: String!) { country(code: $code) { name } }",
            json!({ "code": 5 }),
            "BAD_USER_INPUT",
        ),
        (
            "query($code: String!) { country(code: $code) { name } }",
            json!({}),
            "BAD_USER_INPUT",
        ),
        (
            "query($d: Date) { tariffMeasures(asOf: $d) { totalCount } }",
            json!({ "d": "2025-02-30" }),
            "BAD_USER_INPUT",
        ),
        (
            "query($min: Decimal!) { commitments(filter: { amount: { gte: $min } }) { totalCount } }",
            json!({ "min": 5.5 }),
            "BAD_USER_INPUT",
        ),
        (
            "query A { __typename } query B { __typename }",
            json!({}),
            "GRAPHQL_VALIDATION_FAILED",
        ),
    ];
    for (query, variables, code) in cases {
        let strict = post_query(s, Some(GRAPHQL_RESPONSE), query, variables.clone());
        assert_eq!(strict.status, 400, "{query}: {}", strict.text);
        assert!(
            strict.body.get("data").is_none(),
            "{query}: {}",
            strict.text
        );
        assert_eq!(strict.code(), code, "{query}: {}", strict.text);
        assert!(
            strict
                .header("content-type")
                .is_some_and(|t| t.starts_with(GRAPHQL_RESPONSE))
        );
        // Legacy clients get the same errors with a 200.
        let legacy = post_query(s, Some("application/json"), query, variables);
        assert_eq!(legacy.status, 200, "{query}: {}", legacy.text);
        assert!(
            legacy.body.get("data").is_none(),
            "{query}: {}",
            legacy.text
        );
        assert_eq!(legacy.code(), code, "{query}: {}", legacy.text);
    }
}

#[test]
fn an_execution_error_is_200_with_data_for_both_types() {
    let s = server();
    for accept in [GRAPHQL_RESPONSE, "application/json"] {
        let a = post_query(
            s,
            Some(accept),
            "{ statements(first: -1) { totalCount } }",
            json!({}),
        );
        assert_eq!(a.status, 200, "{}", a.text);
        assert!(a.body.get("data").is_some(), "{}", a.text);
        assert_eq!(a.code(), "BAD_USER_INPUT", "{}", a.text);
    }
}

#[test]
fn a_syntax_error_is_one_sentence_with_its_location_and_each_error_comes_once() {
    let s = server();
    let a = post_query(s, None, "{ country(code: \"JP\" { name } }", json!({}));
    let errors = a.body["errors"].as_array().cloned().unwrap_or_default();
    assert_eq!(errors.len(), 1, "{}", a.text);
    let message = errors[0]["message"].as_str().unwrap_or_default();
    assert!(!message.contains('\n'), "{message}");
    assert!(
        message.starts_with("Syntax error at line 1, column 22"),
        "{message}"
    );
    assert_eq!(errors[0]["locations"], json!([{ "line": 1, "column": 22 }]));
    let a = get(&get_url(s, &[("query", "mutation { x }")]), &[]);
    assert_eq!(
        a.body["errors"].as_array().map(Vec::len),
        Some(1),
        "{}",
        a.text
    );
}

#[test]
fn get_reads_operation_name_refuses_mutations_and_needs_a_query() {
    let s = server();
    let doc = "query A { a: __typename } query B { b: __typename }";
    let a = get(&get_url(s, &[("query", doc), ("operationName", "B")]), &[]);
    assert_eq!(a.status, 200, "{}", a.text);
    assert_eq!(a.body["data"], json!({ "b": "QueryRoot" }));

    let a = get(
        &get_url(
            s,
            &[
                ("query", "query Q { __typename } mutation M { __typename }"),
                ("operationName", "M"),
            ],
        ),
        &[],
    );
    assert_eq!(a.status, 405, "{}", a.text);
    assert_eq!(a.header("allow"), Some("POST"));
    assert_eq!(a.code(), "BAD_REQUEST");
    assert_eq!(a.body["errors"].as_array().map(Vec::len), Some(1));

    for url in [
        format!("{}/graphql", s.base),
        get_url(s, &[("query", "")]),
        get_url(s, &[("variables", "{}")]),
    ] {
        let a = get(&url, &[]);
        assert_eq!(a.status, 400, "{url}: {}", a.text);
        assert_eq!(a.code(), "BAD_REQUEST");
    }
    let a = get(
        &get_url(
            s,
            &[("query", "{ __typename }"), ("variables", "[not json")],
        ),
        &[],
    );
    assert_eq!(a.status, 400, "{}", a.text);
    // A post without a query is the same.
    let a = post(s, None, "application/json", r#"{"variables":{}}"#);
    assert_eq!(a.status, 400, "{}", a.text);
}

#[test]
fn get_answers_carry_no_cache_and_an_etag_that_a_repeat_matches_with_304() {
    let s = server();
    let url = get_url(s, &[("query", "{ country(code: \"KR\") { name } }")]);
    let first = get(&url, &[]);
    assert_eq!(first.status, 200, "{}", first.text);
    assert_eq!(first.header("cache-control"), Some("no-cache"));
    let Some(etag) = first.header("etag").map(str::to_string) else {
        panic!("no ETag: {:?}", first.response_headers)
    };
    let again = get(&url, &[("If-None-Match", &etag)]);
    assert_eq!(again.status, 304);
    assert!(again.text.is_empty());
    assert_eq!(again.header("etag"), Some(etag.as_str()));
    let stale = get(&url, &[("If-None-Match", "W/\"v0-0000\"")]);
    assert_eq!(stale.status, 200);
    assert_eq!(stale.body["data"]["country"]["name"], "South Korea");

    // Another request, other variables, another date or another operation: another tag.
    let tags: Vec<String> = [
        vec![("query", "{ country(code: \"JP\") { name } }")],
        vec![
            ("query", "query($c: String!) { country(code: $c) { name } }"),
            ("variables", "{\"c\":\"KR\"}"),
        ],
        vec![
            ("query", "query($c: String!) { country(code: $c) { name } }"),
            ("variables", "{\"c\":\"JP\"}"),
        ],
        vec![(
            "query",
            "{ tariffMeasure(id: \"tariff:us-jp-autos-2025\") { rate(asOf: \"2025-07-01\") { value { display } } } }",
        )],
        vec![(
            "query",
            "{ tariffMeasure(id: \"tariff:us-jp-autos-2025\") { rate(asOf: \"2025-09-01\") { value { display } } } }",
        )],
    ]
    .iter()
    .map(|params| {
        let a = get(&get_url(s, params), &[]);
        assert_eq!(a.status, 200, "{}", a.text);
        a.header("etag").unwrap_or_default().to_string()
    })
    .collect();
    for (i, tag) in tags.iter().enumerate() {
        assert_ne!(tag, &etag);
        assert!(!tags[..i].contains(tag), "{tags:?}");
    }
}

#[test]
fn a_max_age_is_sent_only_when_configured() {
    let mut config = pledgegraph::app::Config::default();
    config.seed = helpers::seed_dir();
    config.http_cache_max_age = 60;
    let s =
        helpers::spawn_app(pledgegraph::app::App::load(config).unwrap_or_else(|e| panic!("{e}")));
    let a = get(&get_url(&s, &[("query", "{ __typename }")]), &[]);
    assert_eq!(a.header("cache-control"), Some("public, max-age=60"));
}

#[test]
fn head_is_answered_like_get_without_a_body() {
    let s = server();
    let url = get_url(s, &[("query", "{ __typename }")]);
    let full = get(&url, &[]);
    let head = send(ureq::head(&url), None);
    assert_eq!(head.status, 200);
    assert!(head.text.is_empty(), "{}", head.text);
    assert_eq!(head.header("etag"), full.header("etag"));
    assert_eq!(head.header("content-type"), full.header("content-type"));
}

#[test]
fn other_methods_are_405_with_the_allowed_ones() {
    let s = server();
    let a = send(
        crate::helpers::request("PUT", &format!("{}/graphql", s.base)),
        Some("{}"),
    );
    assert_eq!(a.status, 405, "{}", a.text);
    assert_eq!(a.header("allow"), Some("GET, HEAD, POST, OPTIONS"));
    assert_eq!(a.code(), "BAD_REQUEST");
}

fn preflight(s: &TestServer, origin: &str) -> Answer {
    send(
        crate::helpers::request("OPTIONS", &format!("{}/graphql", s.base))
            .set("Origin", origin)
            .set("Access-Control-Request-Method", "POST")
            .set(
                "Access-Control-Request-Headers",
                "content-type, authorization",
            ),
        None,
    )
}

#[test]
fn any_origin_may_read_without_credentials_by_default() {
    let s = server();
    let origin = "http://localhost:5173";
    let pre = preflight(s, origin);
    assert_eq!(pre.status, 204, "{}", pre.text);
    assert_eq!(pre.header("access-control-allow-origin"), Some("*"));
    let methods = pre
        .header("access-control-allow-methods")
        .unwrap_or_default();
    assert!(
        methods.contains("POST") && methods.contains("GET"),
        "{methods}"
    );
    let headers = pre
        .header("access-control-allow-headers")
        .unwrap_or_default()
        .to_ascii_lowercase();
    assert!(headers.contains("content-type") && headers.contains("authorization"));
    assert!(pre.header("access-control-max-age").is_some());
    assert!(pre.header("access-control-allow-credentials").is_none());

    let a = send(
        crate::helpers::post(&format!("{}/graphql", s.base))
            .set("Origin", origin)
            .set("Content-Type", "application/json"),
        Some(r#"{"query":"{ country(code: \"JP\") { name } }"}"#),
    );
    assert_eq!(a.status, 200);
    assert_eq!(a.header("access-control-allow-origin"), Some("*"));
    assert_eq!(a.body["data"]["country"]["name"], "Japan");
    let a = get(
        &get_url(s, &[("query", "{ __typename }")]),
        &[("Origin", origin)],
    );
    assert_eq!(a.header("access-control-allow-origin"), Some("*"));
    assert!(
        a.header("access-control-expose-headers")
            .is_some_and(|h| h.contains("etag"))
    );
    // A request from no page at all gets no CORS headers.
    let a = get(&get_url(s, &[("query", "{ __typename }")]), &[]);
    assert!(a.header("access-control-allow-origin").is_none());
}

/// A server that lets only one origin's pages in.
fn listed() -> &'static TestServer {
    static SERVER: OnceLock<TestServer> = OnceLock::new();
    SERVER.get_or_init(|| {
        let mut config = pledgegraph::app::Config::default();
        config.seed = helpers::seed_dir();
        config.cors_origins = vec!["https://app.example.org".to_string()];
        helpers::spawn_app(pledgegraph::app::App::load(config).unwrap_or_else(|e| panic!("{e}")))
    })
}

#[test]
fn only_the_configured_origins_may_call_when_a_list_is_set() {
    let s = listed();
    let pre = preflight(s, "https://app.example.org");
    assert_eq!(pre.status, 204, "{}", pre.text);
    assert_eq!(
        pre.header("access-control-allow-origin"),
        Some("https://app.example.org")
    );
    assert!(pre.header("vary").is_some_and(|v| v.contains("Origin")));

    let refused = preflight(s, "https://evil.example.org");
    assert_eq!(refused.status, 403, "{}", refused.text);
    assert!(refused.header("access-control-allow-origin").is_none());
    assert_eq!(refused.code(), "FORBIDDEN");

    // A simple request from another origin is answered, but not marked readable: the
    // browser keeps it from the page.
    let a = get(
        &get_url(s, &[("query", "{ __typename }")]),
        &[("Origin", "https://evil.example.org")],
    );
    assert!(a.header("access-control-allow-origin").is_none());
    let a = get(
        &get_url(s, &[("query", "{ __typename }")]),
        &[("Origin", "https://app.example.org")],
    );
    assert_eq!(
        a.header("access-control-allow-origin"),
        Some("https://app.example.org")
    );
}

fn open_socket(s: &TestServer, origin: Option<&str>) -> Result<(), u16> {
    let url = format!("{}/graphql/ws", s.base.replacen("http://", "ws://", 1));
    let mut request = url.into_client_request().unwrap_or_else(|e| panic!("{e}"));
    let headers = request.headers_mut();
    headers.insert(
        "Sec-WebSocket-Protocol",
        tungstenite::http::HeaderValue::from_static("graphql-transport-ws"),
    );
    if let Some(origin) = origin {
        let value =
            tungstenite::http::HeaderValue::from_str(origin).unwrap_or_else(|e| panic!("{e}"));
        headers.insert("Origin", value);
    }
    match tungstenite::connect(request) {
        Ok((mut socket, _)) => {
            let _ = socket.close(None);
            Ok(())
        }
        Err(tungstenite::Error::Http(response)) => Err(response.status().as_u16()),
        Err(e) => panic!("{e}"),
    }
}

#[test]
fn the_websocket_checks_origin_against_the_same_list() {
    let s = listed();
    assert_eq!(open_socket(s, Some("https://evil.example.org")), Err(403));
    assert_eq!(open_socket(s, Some("https://app.example.org")), Ok(()));
    assert_eq!(open_socket(s, None), Ok(()));
    // The server's own pages (the playground) may always open it.
    let own = s.base.clone();
    assert_eq!(open_socket(s, Some(&own)), Ok(()));
    // With no list, any origin may.
    assert_eq!(
        open_socket(server(), Some("https://evil.example.org")),
        Ok(())
    );
}
