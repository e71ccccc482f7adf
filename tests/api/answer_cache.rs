//! The answer cache on the real server: a repeated query is answered from it, a client
//! asking for a fresh answer gets one run, answers with errors and mutations are never
//! kept, and no answer of an older graph version is ever served, also while writes land
//! between reads.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use serde_json::{Value, json};

use crate::helpers::{self, TestServer};
use crate::writes::{RENAME, cite, editing};

const Q1: &str = r#"{ country(code: "JP") { name pledgesMade { edges { node { kind amount { value { display } } } } } } }"#;

/// The value of a metric without labels on `/metrics`.
fn metric(server: &TestServer, name: &str) -> u64 {
    let (_, response) = server.get("/metrics");
    let text = response.into_string().unwrap_or_default();
    text.lines()
        .find_map(|line| line.strip_prefix(name)?.strip_prefix(' ')?.parse().ok())
        .unwrap_or_else(|| panic!("no {name} in {text}"))
}

fn hits(server: &TestServer) -> u64 {
    metric(server, "pledgegraph_answer_cache_hits_total")
}

/// POSTs exactly these bytes, with extra headers; the status and the body as text.
fn post(server: &TestServer, body: &str, headers: &[(&str, &str)]) -> (u16, String) {
    let mut request = crate::helpers::post(&format!("{}/graphql", server.base))
        .set("Content-Type", "application/json");
    for (name, value) in headers {
        request = request.set(name, value);
    }
    let response = helpers::answered(request.send_string(body));
    (
        response.status(),
        response.into_string().unwrap_or_default(),
    )
}

fn get(server: &TestServer, query: &str) -> String {
    let url = format!("{}/graphql?query={}", server.base, helpers::encode(query));
    match crate::helpers::get(&url).call() {
        Ok(r) => r.into_string().unwrap_or_default(),
        Err(e) => panic!("GET failed: {e}"),
    }
}

#[test]
fn a_repeated_query_is_answered_from_the_cache_unless_a_fresh_answer_is_asked() {
    let server = helpers::spawn(&helpers::seed_dir());
    let body = json!({ "query": Q1 }).to_string();
    let (status, first) = post(&server, &body, &[]);
    assert_eq!(status, 200, "{first}");
    assert!(first.contains("\"pledgesMade\""), "{first}");
    let before = hits(&server);
    let (_, second) = post(&server, &body, &[]);
    assert_eq!(
        second, first,
        "the kept answer is the answer, byte for byte"
    );
    assert_eq!(hits(&server), before + 1);

    // Asked fresh: run again, not counted as a hit.
    let (_, fresh) = post(&server, &body, &[("Cache-Control", "no-cache")]);
    assert_eq!(fresh, first);
    assert_eq!(hits(&server), before + 1);

    // The same query by GET is another request; kept too.
    let by_get = get(&server, Q1);
    assert_eq!(by_get, first);
    assert_eq!(get(&server, Q1), first);
    assert_eq!(hits(&server), before + 2);

    // Other bytes are another request, even with the same meaning.
    let spaced = json!({ "query": format!(" {Q1}") }).to_string();
    let _ = post(&server, &spaced, &[]);
    assert_eq!(hits(&server), before + 2);
}

#[test]
fn answers_with_errors_are_not_kept() {
    let server = helpers::spawn(&helpers::seed_dir());
    let bodies = [
        json!({ "query": "{ country(code: \"JP\") { nope } }" }).to_string(),
        json!({ "query": "{ country(code: \"JP\") { name }" }).to_string(),
        json!({ "query": "{ countries(first: 999999) { nodes { name } } }" }).to_string(),
    ];
    let before = hits(&server);
    for body in &bodies {
        for _ in 0..3 {
            let (_, answer) = post(&server, body, &[]);
            assert!(answer.contains("\"errors\""), "{answer}");
        }
    }
    assert_eq!(hits(&server), before);
}

#[test]
fn a_mutation_is_never_answered_from_the_cache() {
    let e = editing();
    let body = json!({ "query": RENAME, "variables": { "name": "Nippon", "sources": cite() } })
        .to_string();
    let auth = format!("Bearer {}", e.token);
    let (_, first) = post(&e.server, &body, &[("Authorization", &auth)]);
    let (_, second) = post(&e.server, &body, &[("Authorization", &auth)]);
    let first: Value = serde_json::from_str(&first).unwrap_or_default();
    let second: Value = serde_json::from_str(&second).unwrap_or_default();
    assert_eq!(first["data"]["updateEntity"]["version"], 1, "{first}");
    assert_eq!(second["data"]["updateEntity"]["version"], 2, "{second}");
}

/// Japan's name and entity version as a read answers them.
const READ: &str = r#"{ country(code: "JP") { name version } }"#;

fn read(server: &TestServer) -> (String, i64) {
    let (status, text) = post(server, &json!({ "query": READ }).to_string(), &[]);
    assert_eq!(status, 200, "{text}");
    let body: Value = serde_json::from_str(&text).unwrap_or_default();
    let country = &body["data"]["country"];
    (
        country["name"].as_str().unwrap_or_default().to_string(),
        country["version"].as_i64().unwrap_or(-1),
    )
}

#[test]
fn no_answer_of_an_older_graph_version_is_ever_served() {
    let e = editing();
    // Each write is followed at once by reads, by POST and GET, of a query kept before it.
    assert_eq!(read(&e.server), ("Japan".to_string(), 0));
    assert_eq!(read(&e.server).1, 0);
    for round in 1..=10 {
        let name = format!("Japan {round}");
        let data = e.ok(RENAME, json!({ "name": name, "sources": cite() }));
        let version = data["updateEntity"]["version"].as_i64().unwrap_or_default();
        assert_eq!(read(&e.server), (name.clone(), version), "round {round}");
        assert_eq!(
            read(&e.server),
            (name.clone(), version),
            "round {round}, kept"
        );
        let by_get: Value = serde_json::from_str(&get(&e.server, READ)).unwrap_or_default();
        assert_eq!(
            by_get["data"]["country"]["name"],
            name.as_str(),
            "round {round}"
        );
    }
    assert!(hits(&e.server) >= 10, "the reads were kept and found");

    // Readers race a writer: a read sent after a write was acknowledged never answers an
    // older version, and every answer is a name and version that belong together.
    let e = Arc::new(e);
    let acknowledged = Arc::new(AtomicI64::new(10));
    let readers: Vec<_> = (0..3)
        .map(|_| {
            let (e, acknowledged) = (e.clone(), acknowledged.clone());
            std::thread::spawn(move || {
                let mut seen = 0;
                while acknowledged.load(Ordering::SeqCst) < 40 {
                    let floor = acknowledged.load(Ordering::SeqCst);
                    let (name, version) = read(&e.server);
                    assert!(
                        version >= floor,
                        "read version {version} after {floor} was written"
                    );
                    assert_eq!(
                        name,
                        format!("Japan {version}"),
                        "a name of another version"
                    );
                    seen += 1;
                }
                seen
            })
        })
        .collect();
    for round in 11..=40 {
        let name = format!("Japan {round}");
        let data = e.ok(RENAME, json!({ "name": name, "sources": cite() }));
        let version = data["updateEntity"]["version"].as_i64().unwrap_or_default();
        assert_eq!(version, round);
        acknowledged.store(version, Ordering::SeqCst);
    }
    for reader in readers {
        let seen = reader.join().unwrap_or_else(|_| panic!("a reader failed"));
        assert!(seen > 0);
    }
    assert_eq!(read(&e.server), ("Japan 40".to_string(), 40));
}
