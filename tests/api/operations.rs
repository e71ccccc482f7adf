//! Operations over HTTP on the real server: an internal error's request id is the one in
//! its `x-request-id` header and in its log line, and the server goes on serving; the JSON
//! log; `/metrics` moving with requests; `/readyz` before and after the graph is loaded;
//! the graceful stop on SIGTERM and SIGINT; the introspection and suggestion switches;
//! and how many nodes a neighbourhood's limit left out.

use std::io::{Read, Write};
use std::net::TcpStream;

use serde_json::{Value, json};

use crate::helpers;

use helpers::{PATIENCE, ServeProcess, poll};

/// One HTTP/1.1 request on a new connection, closed after it: the raw answer, or `None`
/// when no connection could be made or nothing came back.
fn raw(addr: &str, request: &str) -> Option<String> {
    let mut stream = TcpStream::connect(addr).ok()?;
    stream.set_read_timeout(Some(PATIENCE)).ok()?;
    stream.write_all(request.as_bytes()).ok()?;
    let mut answer = String::new();
    stream.read_to_string(&mut answer).ok()?;
    (!answer.is_empty()).then_some(answer)
}

fn raw_get(addr: &str, path: &str) -> Option<String> {
    raw(
        addr,
        &format!("GET {path} HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n"),
    )
}

/// A POST with the header and value; status, `x-request-id` and JSON body.
fn post(base: &str, body: &Value) -> (u16, Option<String>, Value) {
    let result = crate::helpers::post(&format!("{base}/graphql"))
        .set("Content-Type", "application/json")
        .send_json(body.clone());
    let response = helpers::answered(result);
    let status = response.status();
    let id = response.header("x-request-id").map(str::to_string);
    let text = response.into_string().unwrap_or_default();
    (
        status,
        id,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

const CREATE: &str = r#"mutation($file: String, $text: String) {
  createEntity(input: { source: { id: "source:ops-notes", name: "Ops notes", description: "Made up for a test.",
      sources: [{ source: "source:trade-talks-2025-07", line: 3 }],
      kind: DOCUMENT, title: "Ops notes", file: $file, text: $text } }, reason: "a test") { version }
}"#;

/// A real internal error: a new document whose name is taken, in the sources directory,
/// by a directory the server cannot read as a file. The client gets a generic message
/// with the request's id, which is its `x-request-id` and its log line's id (one JSON
/// object per line); the details are in the log only; the server goes on serving.
#[test]
fn an_internal_error_carries_the_request_id_of_its_header_and_log_line() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let made = pledgegraph::app::new_token("Ana").unwrap_or_else(|e| panic!("{e}"));
    let tokens = dir.path().join("tokens.toml");
    std::fs::write(&tokens, &made.entry).unwrap_or_else(|e| panic!("{e}"));
    let data = dir.path().join("data");
    std::fs::create_dir_all(data.join("sources/ops-notes.txt")).unwrap_or_else(|e| panic!("{e}"));
    let (data_arg, tokens_arg) = (data.display().to_string(), tokens.display().to_string());
    let server = ServeProcess::start_until(
        &[
            "--data-dir",
            &data_arg,
            "--tokens-file",
            &tokens_arg,
            "--log-format",
            "json",
        ],
        &[],
        "listening on http://",
    );
    let base = server.http().base;
    let body = json!({
        "query": CREATE,
        "variables": { "file": "ops-notes.txt", "text": "Made-up notes\n" },
        "operationName": null,
    });
    let result = crate::helpers::post(&format!("{base}/graphql"))
        .set("Content-Type", "application/json")
        .set("Authorization", &format!("Bearer {}", made.token))
        .send_json(body);
    let response = helpers::answered(result);
    let header = response
        .header("x-request-id")
        .map(str::to_string)
        .unwrap_or_else(|| panic!("no x-request-id"));
    let answer: Value = response.into_json().unwrap_or_else(|e| panic!("{e}"));
    let error = &answer["errors"][0];
    assert_eq!(
        error["extensions"]["code"], "INTERNAL_SERVER_ERROR",
        "{answer}"
    );
    assert_eq!(
        error["extensions"]["requestId"],
        header.as_str(),
        "{answer}"
    );
    let message = error["message"].as_str().unwrap_or_default();
    assert_eq!(message, format!("internal server error (request {header})"));

    // The request's line, and the details, under the same id; every line is JSON.
    let (line, detail) = poll("the request's log line", || {
        let log = server.log();
        let lines: Vec<Value> = log
            .lines()
            .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON: {l}: {e}")))
            .collect();
        let mine = |l: &&Value| l["request_id"] == header.as_str();
        let line = lines
            .iter()
            .filter(mine)
            .find(|l| l["message"] == "request")?;
        let detail = lines.iter().filter(mine).find(|l| l["level"] == "ERROR")?;
        Some((line.clone(), detail.clone()))
    });
    assert_eq!(line["method"], "POST", "{line}");
    assert_eq!(line["path"], "/graphql", "{line}");
    assert_eq!(line["status"], 200, "{line}");
    assert!(line["duration_us"].is_u64(), "{line}");
    assert!(line.get("operation").is_some(), "{line}");
    let said = detail["message"].as_str().unwrap_or_default();
    assert!(said.contains("ops-notes.txt"), "{detail}");
    assert!(!message.contains("ops-notes.txt"));

    // The server goes on serving, each answer with an id of its own.
    let (status, id, body) = post(
        &base,
        &json!({ "query": "query Stats { stats { version } }", "operationName": "Stats" }),
    );
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["data"]["stats"]["version"], 0, "{body}");
    assert!(id.is_some_and(|id| id != header && id.len() == 16));
    let line = poll("the second request's line", || {
        let log = server.log();
        log.lines()
            .filter_map(|l| serde_json::from_str::<Value>(l).ok())
            .find(|l| l["message"] == "request" && l["operation"] == "Stats")
    });
    assert_eq!(line["status"], 200, "{line}");
}

/// The metrics move with requests: an answered one, one a limit refused, one refused at
/// the HTTP level; the latency histogram counts them; in flight is the metrics request
/// itself; the graph's size and version are there.
#[test]
fn metrics_count_requests_by_operation_outcome_and_limit() {
    let server = helpers::spawn(&helpers::seed_dir());
    let metrics = || {
        let (status, response) = server.get("/metrics");
        assert_eq!(status, 200);
        assert_eq!(
            response.header("content-type"),
            Some("text/plain; version=0.0.4; charset=utf-8")
        );
        response.into_string().unwrap_or_default()
    };
    let value = |text: &str, series: &str| -> u64 {
        text.lines()
            .find_map(|l| l.strip_prefix(series)?.strip_prefix(' ')?.parse().ok())
            .unwrap_or(0)
    };
    let before = metrics();
    let ok = "pledgegraph_graphql_requests_total{operation=\"Countries\",outcome=\"ok\"}";
    let refused =
        "pledgegraph_graphql_requests_total{operation=\"Big\",outcome=\"PAGE_SIZE_EXCEEDED\"}";
    let page_limit = "pledgegraph_rejected_total{code=\"PAGE_SIZE_EXCEEDED\"}";
    let media = "pledgegraph_http_refused_total{status=\"415\"}";
    let count = "pledgegraph_graphql_request_duration_seconds_count";
    assert_eq!(value(&before, ok), 0);

    let (status, id, body) = post(
        &server.base,
        &json!({ "query": "query Countries { countries(first: 2) { edges { node { id } } } }", "operationName": "Countries" }),
    );
    assert_eq!(status, 200, "{body}");
    assert!(id.is_some());
    let (_, _, body) = post(
        &server.base,
        &json!({ "query": "query Big { countries(first: 100000) { edges { node { id } } } }", "operationName": "Big" }),
    );
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "PAGE_SIZE_EXCEEDED",
        "{body}"
    );
    let (status, _) = server.post_raw("text/plain", b"{ stats { version } }");
    assert_eq!(status, 415);

    let after = metrics();
    assert_eq!(value(&after, ok), 1, "{after}");
    assert_eq!(value(&after, refused), 1, "{after}");
    assert_eq!(
        value(&after, page_limit),
        value(&before, page_limit) + 1,
        "{after}"
    );
    assert_eq!(value(&after, media), value(&before, media) + 1, "{after}");
    assert_eq!(value(&after, count), value(&before, count) + 2, "{after}");
    let inf = "pledgegraph_graphql_request_duration_seconds_bucket{le=\"+Inf\"}";
    assert_eq!(value(&after, inf), value(&after, count), "{after}");
    assert!(after.contains("# TYPE pledgegraph_graphql_request_duration_seconds histogram"));
    assert_eq!(
        value(&after, "pledgegraph_http_requests_in_flight"),
        1,
        "{after}"
    );
    let graph = helpers::graph();
    assert_eq!(
        value(&after, "pledgegraph_graph_entities"),
        graph.node_count() as u64
    );
    assert_eq!(
        value(&after, "pledgegraph_graph_relations"),
        graph.edge_count() as u64
    );
    assert!(after.contains("\npledgegraph_graph_version 0\n"), "{after}");
    assert_eq!(value(&after, "pledgegraph_ready"), 1);
}

/// `/readyz` is 503 with `Retry-After` while the graph loads (the address is bound at
/// once; `/healthz` says it is alive, GraphQL answers 503 in its error shape), then 200.
/// The load is held back by a tokens file that is a pipe the test writes when it is done.
#[test]
fn readyz_is_ready_only_once_the_graph_is_loaded() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let made = pledgegraph::app::new_token("Ana").unwrap_or_else(|e| panic!("{e}"));
    let tokens = dir.path().join("tokens.toml");
    let made_fifo = std::process::Command::new("mkfifo")
        .arg(&tokens)
        .status()
        .unwrap_or_else(|e| panic!("cannot run mkfifo: {e}"));
    assert!(made_fifo.success());
    let data = dir.path().join("data");
    let (data_arg, tokens_arg) = (data.display().to_string(), tokens.display().to_string());
    let server = ServeProcess::start_until(
        &["--data-dir", &data_arg, "--tokens-file", &tokens_arg],
        &[],
        "bound http://",
    );
    let addr = server.addr().to_string();
    let readyz = raw_get(&addr, "/readyz").unwrap_or_else(|| panic!("no answer"));
    assert!(readyz.starts_with("HTTP/1.1 503"), "{readyz}");
    assert!(
        readyz.to_ascii_lowercase().contains("retry-after: 5"),
        "{readyz}"
    );
    assert!(readyz.contains("\"loading\""), "{readyz}");
    let healthz = raw_get(&addr, "/healthz").unwrap_or_else(|| panic!("no answer"));
    assert!(healthz.starts_with("HTTP/1.1 200"), "{healthz}");
    let body = "{\"query\":\"{ stats { version } }\"}";
    let graphql = raw(
        &addr,
        &format!(
            "POST /graphql HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        ),
    )
    .unwrap_or_else(|| panic!("no answer"));
    assert!(graphql.starts_with("HTTP/1.1 503"), "{graphql}");
    assert!(graphql.contains("SERVICE_UNAVAILABLE"), "{graphql}");
    assert!(!server.log().contains("listening on http://"));

    // Let the load go on.
    std::fs::write(&tokens, &made.entry).unwrap_or_else(|e| panic!("{e}"));
    let ready = poll("/readyz to be 200", || {
        raw_get(&addr, "/readyz").filter(|a| a.starts_with("HTTP/1.1 200"))
    });
    assert!(ready.contains("\"ready\""), "{ready}");
    assert!(
        server
            .log()
            .contains(&format!("listening on http://{addr}"))
    );
    let (status, _, body) = post(
        &server.http().base,
        &json!({ "query": "{ stats { version } }" }),
    );
    assert_eq!(
        (status, &body["data"]["stats"]["version"]),
        (200, &json!(0)),
        "{body}"
    );
}

/// SIGTERM stops taking connections, lets the request in flight (its body half sent)
/// finish with its data, and the process exits 0; SIGINT stops it the same way.
#[test]
fn sigterm_finishes_the_request_in_flight_and_exits_cleanly() {
    let mut server = ServeProcess::start_until(&[], &[], "listening on http://");
    let addr = server.addr().to_string();
    let body = "{\"query\":\"query Held { country(code: \\\"JP\\\") { name } }\",\"operationName\":\"Held\"}";
    let (first, rest) = body.split_at(body.len() / 2);
    let mut held = TcpStream::connect(&addr).unwrap_or_else(|e| panic!("{e}"));
    held.set_read_timeout(Some(PATIENCE))
        .unwrap_or_else(|e| panic!("{e}"));
    write!(
        held,
        "POST /graphql HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{first}",
        body.len()
    )
    .unwrap_or_else(|e| panic!("{e}"));
    held.flush().unwrap_or_else(|e| panic!("{e}"));
    // The server has begun it: two requests in flight, it and the metrics request.
    poll("the held request to be in flight", || {
        raw_get(&addr, "/metrics")
            .filter(|m| m.contains("\npledgegraph_http_requests_in_flight 2\n"))
    });

    server.signal("TERM");
    poll("the server to stop taking connections", || {
        server
            .log()
            .contains("no new connections are taken")
            .then_some(())
    });
    // A new connection is not served (it waits unanswered until the process is gone).
    let late = {
        let addr = addr.clone();
        std::thread::spawn(move || raw_get(&addr, "/healthz"))
    };

    held.write_all(rest.as_bytes())
        .unwrap_or_else(|e| panic!("{e}"));
    let mut answer = String::new();
    held.read_to_string(&mut answer)
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        answer.starts_with("HTTP/1.1 200"),
        "{answer}\n{}",
        server.log()
    );
    assert!(answer.contains("\"name\":\"Japan\""), "{answer}");
    let status = server.exit();
    assert_eq!(status.code(), Some(0), "{}", server.log());
    let log = server.log();
    assert!(log.contains("SIGTERM"), "{log}");
    let late = late
        .join()
        .unwrap_or_else(|_| panic!("the late client failed"));
    assert!(
        late.is_none(),
        "a connection made after SIGTERM was served: {late:?}"
    );
    let line = log
        .lines()
        .find(|l| l.contains("operation=\"Held\""))
        .unwrap_or_else(|| panic!("no line for the held request:\n{log}"));
    assert!(
        line.contains("status=200") && line.contains("request_id="),
        "{line}"
    );

    let mut server = ServeProcess::start_until(&[], &[], "listening on http://");
    server.signal("INT");
    assert_eq!(server.exit().code(), Some(0), "{}", server.log());
    assert!(server.log().contains("SIGINT"));
}

/// Suggestions are off by default ("Did you mean" tells a prober the schema's names) and
/// on with the switch; introspection, and the federation SDL (`_service`), is on by default
/// and refused with its code when off, while `__typename` still works.
#[test]
fn suggestions_and_introspection_follow_their_switches() {
    let typo = "{ countrie(code: \"JP\") { name } }";
    let default = helpers::server();
    let said = default.errors(typo, json!({}));
    assert_eq!(said[0].0, "GRAPHQL_VALIDATION_FAILED");
    assert!(!said[0].1.contains("Did you mean"), "{}", said[0].1);
    let schema = default.data("{ __schema { queryType { name } } }");
    assert_eq!(schema["__schema"]["queryType"]["name"], "QueryRoot");
    // An Apollo Federation subgraph: the schema for a router, with the federation
    // directives, beside the fields of the checked-in schema.
    let service = default.data("{ _service { sdl } }");
    let sdl = service["_service"]["sdl"].as_str().unwrap_or_default();
    assert!(
        sdl.contains("extend schema @link(")
            && sdl.contains("https://specs.apollo.dev/federation/"),
        "{sdl}"
    );
    for line in ["type Country", "\tpledgesMade(", "\tneighborhood("] {
        assert!(sdl.contains(line), "{line} in {sdl}");
    }

    let mut config = pledgegraph::app::Config::default();
    config.seed = helpers::seed_dir();
    config.field_suggestions = true;
    config.introspection = false;
    let app = pledgegraph::app::App::load(config).unwrap_or_else(|e| panic!("{e}"));
    let switched = helpers::spawn_app(app);
    let said = switched.errors(typo, json!({}));
    assert!(
        said[0].1.contains("Did you mean") && said[0].1.contains("\"country\""),
        "{}",
        said[0].1
    );
    for query in [
        "{ __schema { queryType { name } } }",
        "{ __type(name: \"Country\") { name } }",
        "query { ...Q } fragment Q on QueryRoot { __schema { types { name } } }",
        "{ _service { sdl } }",
    ] {
        let said = switched.errors(query, json!({}));
        assert_eq!(said.len(), 1, "{said:?}");
        assert_eq!(said[0].0, "INTROSPECTION_DISABLED", "{query}");
        assert!(
            said[0].1.contains("introspection is switched off"),
            "{}",
            said[0].1
        );
    }
    let typename = switched.data("{ country(code: \"JP\") { __typename name } }");
    assert_eq!(typename["country"]["__typename"], "Country");
}

/// A neighbourhood cut at its last level says exactly how many nodes it left out; cut
/// before it, at least how many.
#[test]
fn a_neighbourhood_says_how_many_nodes_its_limit_left_out() {
    let jp = helpers::id("country:jp");
    let neighbours: std::collections::HashSet<_> = helpers::graph()
        .neighbors(
            &jp,
            pledgegraph::graph::Only::All,
            pledgegraph::graph::Direction::Both,
        )
        .into_iter()
        .map(|n| n.node.id.clone())
        .collect();
    assert!(neighbours.len() > 3, "{}", neighbours.len());
    let data = helpers::server().data(
        r#"{ neighborhood(ids: ["country:jp"], depth: 1, limit: 3) { truncated omitted omittedIsExact nodes { id } } }"#,
    );
    let n = &data["neighborhood"];
    assert_eq!(n["nodes"].as_array().map(Vec::len), Some(3));
    assert_eq!(n["truncated"], true);
    assert_eq!(n["omittedIsExact"], true);
    assert_eq!(n["omitted"], json!(neighbours.len() + 1 - 3));

    let data = helpers::server().data(
        r#"{ neighborhood(ids: ["country:jp"], depth: 2, limit: 3) { truncated omitted omittedIsExact } }"#,
    );
    let n = &data["neighborhood"];
    assert_eq!(
        (&n["truncated"], &n["omittedIsExact"]),
        (&json!(true), &json!(false))
    );
    assert!(
        n["omitted"].as_u64().unwrap_or(0) >= (neighbours.len() + 1 - 3) as u64,
        "{n}"
    );

    let data = helpers::server().data(
        r#"{ neighborhood(ids: ["country:jp"], depth: 1, limit: 2000) { truncated omitted omittedIsExact } }"#,
    );
    assert_eq!(
        data["neighborhood"],
        json!({ "truncated": false, "omitted": 0, "omittedIsExact": true })
    );
}

/// Readiness is a state the running server can change (a replica falling behind will):
/// `/readyz` and the metrics follow it, while `/healthz` still says the process is alive.
#[test]
fn readyz_follows_the_state_the_app_sets() {
    let mut config = pledgegraph::app::Config::default();
    config.seed = helpers::seed_dir();
    let app = pledgegraph::app::App::load(config).unwrap_or_else(|e| panic!("{e}"));
    let server = helpers::spawn_app(app.clone());
    let (status, _) = server.get("/readyz");
    assert_eq!(status, 200);
    app.set_ready(false);
    let (status, response) = server.get("/readyz");
    assert_eq!(status, 503);
    assert_eq!(response.header("retry-after"), Some("5"));
    assert!(response.header("x-request-id").is_some());
    let (_, metrics) = server.get("/metrics");
    let text = metrics.into_string().unwrap_or_default();
    assert!(text.contains("\npledgegraph_ready 0\n"), "{text}");
    assert_eq!(server.get("/healthz").0, 200);
    app.set_ready(true);
    assert_eq!(server.get("/readyz").0, 200);
}
