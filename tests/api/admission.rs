//! Admission control over HTTP, on a generated graph where a heavy query takes real work:
//! heavy requests past their lane get 503 while light ones are served, a heavy request
//! past its time gets 504 and keeps its slot until its work stops, and a client over its
//! rate gets 429 while another is served.

use std::path::Path;
use std::sync::{Arc, Barrier, OnceLock};

use pledgegraph::app::{App, Config};

use crate::helpers::{TestServer, answered, poll, spawn_app};

/// A neighbourhood of 9,000 nodes (most of the generated graph) with their edges: several
/// megabytes of answer, and most of a second or more of work in a test build.
const HEAVY: &str = r#"{ neighborhood(ids: ["country:us"], depth: 8, limit: 9000) {
    nodes { id label kind depth } edges { id source target kind } truncated } }"#;
/// The nodes of [`HEAVY`]'s answer.
const HEAVY_NODES: usize = 9_000;
const LIGHT: &str = "{ stats { entities } }";

/// A generated graph of 10,000 entities, written once per test binary.
fn generated() -> &'static Path {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let options = pledgegraph::app::GenerateOptions {
            entities: 10_000,
            relations_per_entity: 5,
            rng_seed: 7,
        };
        pledgegraph::app::generate(&options, dir.path()).unwrap_or_else(|e| panic!("{e}"));
        dir
    })
    .path()
}

fn server(configure: impl FnOnce(&mut Config)) -> TestServer {
    let mut config = Config::default();
    config.seed = generated().to_path_buf();
    config.rate_limit_per_second = 0;
    config.max_neighborhood_nodes = HEAVY_NODES;
    config.max_neighborhood_depth = 8;
    configure(&mut config);
    spawn_app(App::load(config).unwrap_or_else(|e| panic!("{e}")))
}

/// Status, `Retry-After`, and the JSON body of a POST, with more headers.
fn post(
    base: &str,
    query: &str,
    headers: &[(&str, &str)],
) -> (u16, Option<String>, serde_json::Value) {
    let mut request =
        crate::helpers::post(&format!("{base}/graphql")).set("Content-Type", "application/json");
    for (name, value) in headers {
        request = request.set(name, value);
    }
    let response = answered(request.send_json(serde_json::json!({ "query": query })));
    let status = response.status();
    let retry = response.header("retry-after").map(str::to_string);
    let text = response.into_string().unwrap_or_default();
    (
        status,
        retry,
        serde_json::from_str(&text).unwrap_or(serde_json::Value::String(text)),
    )
}

fn code(body: &serde_json::Value) -> &str {
    body["errors"][0]["extensions"]["code"]
        .as_str()
        .unwrap_or("")
}

/// How many heavy requests the server holds now (running or waiting).
fn heavy_in_flight(server: &TestServer) -> u64 {
    let (status, response) = server.get("/healthz");
    assert_eq!(status, 200);
    let body: serde_json::Value = response.into_json().unwrap_or_default();
    body["requests"]["heavy"]
        .as_u64()
        .unwrap_or_else(|| panic!("no heavy count in {body}"))
}

#[test]
fn heavy_requests_past_their_lane_get_503_while_light_ones_are_served() {
    // One heavy worker and a lane of three: one request runs, two wait for the worker,
    // and the lane stays full for as long as the first one runs. No answer is kept, so
    // each heavy request is run (a kept answer would be served without entering the lane).
    let heavy_lane = 3;
    let server = server(|c| {
        c.request_timeout_ms = 600_000;
        c.heavy_workers = 1;
        c.max_heavy_requests = heavy_lane;
        c.answer_cache_bytes = 0;
    });
    let sent = heavy_lane + 10;
    let start = Arc::new(Barrier::new(sent + 1));
    let clients: Vec<_> = (0..sent)
        .map(|_| {
            let (base, start) = (server.base.clone(), start.clone());
            std::thread::spawn(move || {
                start.wait();
                post(&base, HEAVY, &[])
            })
        })
        .collect();
    start.wait();
    // Both figures from one reading of the metrics: one request running, the lane full.
    let full = format!("pledgegraph_admitted_requests{{lane=\"heavy\"}} {heavy_lane}\n");
    poll("the heavy lane to fill", || {
        let (_, metrics) = server.get("/metrics");
        let metrics = metrics.into_string().unwrap_or_default();
        (metrics.contains(&full) && metrics.contains("pledgegraph_heavy_running 1\n")).then_some(())
    });
    // The heavy lane is full, and a light request is still answered.
    let (status, _, body) = post(&server.base, LIGHT, &[]);
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["data"]["stats"]["entities"], 10_000, "{body}");

    let answers: Vec<_> = clients
        .into_iter()
        .map(|c| c.join().unwrap_or_else(|_| panic!("a client panicked")))
        .collect();
    let busy: Vec<_> = answers.iter().filter(|(s, _, _)| *s == 503).collect();
    let served = answers.iter().filter(|(s, _, _)| *s == 200).count();
    assert!(!busy.is_empty(), "no heavy request was refused");
    assert_eq!(served + busy.len(), sent, "every answer is 200 or 503");
    assert!(served >= heavy_lane, "{served} served");
    let (_, metrics) = server.get("/metrics");
    let metrics = metrics.into_string().unwrap_or_default();
    let refused = format!("outcome=\"SERVER_BUSY\"}} {}", busy.len());
    assert!(metrics.contains(&refused), "{refused} in {metrics}");
    for (_, retry, body) in busy {
        assert_eq!(code(body), "SERVER_BUSY", "{body}");
        assert!(body.get("data").is_none(), "{body}");
        assert_eq!(retry.as_deref(), Some("1"));
    }
    for (status, _, body) in &answers {
        if *status == 200 {
            assert_eq!(
                body["data"]["neighborhood"]["nodes"]
                    .as_array()
                    .map(Vec::len),
                Some(HEAVY_NODES)
            );
        }
    }
    poll("the heavy lane to empty", || {
        (heavy_in_flight(&server) == 0).then_some(())
    });
}

#[test]
fn a_heavy_request_past_its_time_gets_504_and_keeps_its_slot_until_its_work_stops() {
    let server = server(|c| {
        c.max_heavy_requests = 1;
        c.request_timeout_ms = 10;
    });
    let (status, _, body) = post(&server.base, HEAVY, &[]);
    assert_eq!(status, 504, "{body}");
    assert_eq!(code(&body), "TIMEOUT", "{body}");
    assert!(body.get("data").is_none(), "{body}");
    // Its work goes on and holds the only heavy slot, so the next heavy request is
    // refused, while a light one is served.
    let (status, _, body) = post(&server.base, HEAVY, &[]);
    assert_eq!(status, 503, "{body}");
    assert_eq!(code(&body), "SERVER_BUSY", "{body}");
    let (status, _, body) = post(&server.base, LIGHT, &[]);
    assert_eq!(status, 200, "{body}");
    // Once the work stops, the slot is free again.
    poll("the timed-out work to stop", || {
        (heavy_in_flight(&server) == 0).then_some(())
    });
}

/// Twenty counts of commitments whose texts hold what none has: cheap by its complexity
/// (light), but each reads every commitment of the graph, since no index answers it (the
/// needle holds no ASCII letter or digit for the index of terms to look for).
fn scanning_counts() -> String {
    let counts: Vec<String> = (0..20)
        .map(|i| {
            format!(
                r#"c{i}: commitments(filter: {{ text: {{ contains: "ǭ—{}" }} }}) {{ totalCount }}"#,
                "ǭ".repeat(i)
            )
        })
        .collect();
    format!("{{ {} }}", counts.join(" "))
}

#[test]
fn a_light_query_that_reads_past_its_time_is_cut_there_and_gets_504() {
    let query = scanning_counts();
    let patient = server(|c| c.request_timeout_ms = 600_000);
    let (status, _, body) = post(&patient.base, &query, &[]);
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["data"]["c19"]["totalCount"], 0, "{body}");
    drop(patient);

    let config = Config::default();
    let mut request = async_graphql::Request::new(query.as_str());
    let cost = pledgegraph::api::cost(&mut request, &config);
    assert!(cost.complexity <= config.heavy_complexity, "{cost:?}");
    let server = server(|c| c.request_timeout_ms = 10);
    let (status, _, body) = post(&server.base, &query, &[]);
    assert_eq!(status, 504, "{body}");
    assert_eq!(code(&body), "TIMEOUT", "{body}");
    assert!(body.get("data").is_none(), "{body}");
    // The worker it held is free again, and the server answers.
    let (status, _, body) = post(&server.base, LIGHT, &[]);
    assert_eq!(status, 200, "{body}");
}

#[test]
fn a_client_over_its_rate_gets_429_while_another_is_served() {
    let server = server(|c| {
        c.rate_limit_per_second = 1;
        c.rate_limit_burst = 3;
        c.trusted_proxies = "127.0.0.0/8".parse().unwrap_or_else(|e| panic!("{e}"));
    });
    let alice = [("X-Forwarded-For", "198.51.100.1")];
    let bob = [("X-Forwarded-For", "203.0.113.7, 198.51.100.2")];
    for _ in 0..3 {
        let (status, _, body) = post(&server.base, LIGHT, &alice);
        assert_eq!(status, 200, "{body}");
    }
    let (status, retry, body) = post(&server.base, LIGHT, &alice);
    assert_eq!(status, 429, "{body}");
    assert_eq!(code(&body), "RATE_LIMITED", "{body}");
    assert!(body.get("data").is_none(), "{body}");
    assert_eq!(retry.as_deref(), Some("1"));
    let (status, _, body) = post(&server.base, LIGHT, &bob);
    assert_eq!(status, 200, "{body}");
    // GET is limited too, before anything else is read.
    let response = crate::helpers::get(&format!("{}/graphql?query={{__typename}}", server.base))
        .set("X-Forwarded-For", "198.51.100.1")
        .call();
    assert!(matches!(response, Err(ureq::Error::Status(429, _))));
}

#[test]
fn without_a_trusted_proxy_a_forwarded_address_changes_nothing() {
    let server = server(|c| {
        c.rate_limit_per_second = 1;
        c.rate_limit_burst = 2;
    });
    let statuses: Vec<u16> = (0..4)
        .map(|i| {
            let forwarded = format!("198.51.100.{i}");
            post(&server.base, LIGHT, &[("X-Forwarded-For", &forwarded)]).0
        })
        .collect();
    assert_eq!(statuses[..2], [200, 200]);
    assert!(statuses[2..].contains(&429), "{statuses:?}");
}

#[test]
fn over_the_websocket_a_query_is_admitted_in_its_lane_too() {
    use crate::subscriptions::{connect, receive, subscribe};
    let server = server(|c| {
        c.max_heavy_requests = 1;
        c.request_timeout_ms = 10;
    });
    let mut socket = connect(&server.base, serde_json::json!({}));
    let mut answer = |id: &str, query: &str| {
        subscribe(&mut socket, id, query);
        let message = receive(&mut socket);
        assert_eq!(message["id"], id, "{message}");
        let complete = receive(&mut socket);
        assert_eq!(complete["type"], "complete", "{complete}");
        message
    };
    let timed_out = answer("1", HEAVY);
    assert_eq!(timed_out["type"], "next", "{timed_out}");
    assert_eq!(code(&timed_out["payload"]), "TIMEOUT", "{timed_out}");
    let busy = answer("2", HEAVY);
    assert_eq!(code(&busy["payload"]), "SERVER_BUSY", "{busy}");
    let light = answer("3", LIGHT);
    assert_eq!(
        light["payload"]["data"]["stats"]["entities"], 10_000,
        "{light}"
    );
}
