//! Crashes lose no acknowledged write: the real server binary on a temporary data
//! directory, or on a PostgreSQL database beside a second replica, takes writes from
//! several clients and is killed with SIGKILL at random moments, round after round;
//! after every restart each acknowledged write is there exactly once, and every write in
//! the graph is there whole. The replica that was never killed ends with the same log.
//!
//! The moments come from a seeded generator whose seed is printed; set
//! `PLEDGEGRAPH_CRASH_SEED` to replay a failure.

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::helpers::ServeProcess;
use crate::postgres::cluster;

const ROUNDS: usize = 20;
const CLIENTS: usize = 3;
const SOURCE: &str = "source:trade-talks-2025-07";

/// splitmix64: a small generator that replays from its seed.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        (z ^ (z >> 31)) % n.max(1)
    }
}

/// Starts a server whose change log is where `log` says (`--data-dir DIR` or
/// `--store URL`).
fn start(log: &[std::ffi::OsString], tokens: &std::path::Path) -> ServeProcess {
    let mut args: Vec<String> = log
        .iter()
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    args.extend(["--tokens-file".to_string(), tokens.display().to_string()]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    ServeProcess::start(&args, &[])
}

fn post(base: &str, token: Option<&str>, query: &str, variables: Value) -> Result<Value, String> {
    let mut request = crate::helpers::post(&format!("{base}/graphql"))
        .timeout(Duration::from_secs(30))
        .set("Content-Type", "application/json");
    if let Some(token) = token {
        request = request.set("Authorization", &format!("Bearer {token}"));
    }
    match request.send_json(json!({ "query": query, "variables": variables })) {
        Ok(r) => r.into_json::<Value>().map_err(|e| e.to_string()),
        Err(e) => Err(e.to_string()),
    }
}

const WRITE: &str = r#"mutation($id: ID!, $alias: String!, $key: String!, $sources: [CitationInput!]!) {
  applyChanges(reason: "crash test", idempotencyKey: $key, changes: [
    { create: { person: { id: $id, name: $key, description: "A write of the crash test.", sources: $sources } } },
    { update: { id: $id, aliases: [$alias], sources: $sources } }
  ]) { version }
}"#;

/// Every batch the log holds, as (version, idempotency key).
fn logged(base: &str) -> Vec<(i64, String)> {
    let mut out = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let body = post(
            base,
            None,
            "query($after: String) { changes(first: 100, after: $after) { nodes { version idempotencyKey } hasNextPage endCursor } }",
            json!({ "after": after }),
        )
        .unwrap();
        let page = &body["data"]["changes"];
        for n in page["nodes"].as_array().unwrap() {
            out.push((
                n["version"].as_i64().unwrap(),
                n["idempotencyKey"].as_str().unwrap_or_default().to_string(),
            ));
        }
        if page["hasNextPage"] != true {
            return out;
        }
        after = page["endCursor"].as_str().map(str::to_string);
    }
}

/// Checks the graph a restarted server holds against what was acknowledged.
fn check(base: &str, acknowledged: &BTreeSet<String>, seed: u64) {
    let log = logged(base);
    let versions: Vec<i64> = log.iter().map(|(v, _)| *v).collect();
    let expected: Vec<i64> = (1..=log.len() as i64).collect();
    assert_eq!(
        versions, expected,
        "the log runs without gaps (seed {seed})"
    );
    let keys: BTreeSet<&str> = log.iter().map(|(_, k)| k.as_str()).collect();
    assert_eq!(
        keys.len(),
        log.len(),
        "no write is there twice (seed {seed})"
    );
    for key in acknowledged {
        assert!(
            keys.contains(key.as_str()),
            "acknowledged write {key} was lost (seed {seed})"
        );
    }
    let stats = post(base, None, "{ stats { version } }", json!({})).unwrap();
    assert_eq!(stats["data"]["stats"]["version"], log.len() as i64);
    // Every logged write is whole in the graph: the person and its alias.
    for chunk in keys.iter().collect::<Vec<_>>().chunks(20) {
        let fields: String = chunk
            .iter()
            .enumerate()
            .map(|(i, k)| format!("e{i}: entity(id: \"person:{k}\") {{ aliases }} "))
            .collect();
        let body = post(base, None, &format!("{{ {fields} }}"), json!({})).unwrap();
        for (i, key) in chunk.iter().enumerate() {
            assert_eq!(
                body["data"][format!("e{i}")]["aliases"],
                json!([format!("alias-{key}")]),
                "write {key} is not whole (seed {seed})"
            );
        }
    }
}

#[test]
fn no_acknowledged_write_is_lost_to_a_kill() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    kill_rounds(&["--data-dir".into(), data.into()], ROUNDS, false);
}

#[test]
fn no_acknowledged_write_is_lost_to_a_kill_on_postgresql_and_the_other_replica_follows() {
    let cluster = cluster();
    let url = cluster.database();
    kill_rounds(&["--store".into(), url.into()], ROUNDS / 2, true);
}

/// Kills the server `rounds` times while clients write to it; `with_follower`, a second
/// replica of the same store runs throughout and must end with the same log.
fn kill_rounds(log: &[std::ffi::OsString], rounds: usize, with_follower: bool) {
    let seed = std::env::var("PLEDGEGRAPH_CRASH_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_nanos() as u64)
                .unwrap_or(1)
        });
    println!("crash test seed {seed} (PLEDGEGRAPH_CRASH_SEED={seed} replays it)");
    let mut rng = Rng(seed);
    let dir = tempfile::tempdir().unwrap();
    let made = pledgegraph::app::new_token("crash").unwrap();
    let tokens = dir.path().join("tokens.toml");
    std::fs::write(&tokens, &made.entry).unwrap();
    let follower = with_follower.then(|| start(log, &tokens));
    let acknowledged: Arc<Mutex<BTreeSet<String>>> = Arc::default();
    let started = Instant::now();
    let mut killed_mid_write = 0;
    for round in 0..rounds {
        let server = start(log, &tokens);
        check(&server.base, &acknowledged.lock().unwrap(), seed);
        let before = acknowledged.lock().unwrap().len();
        let stop = Arc::new(AtomicBool::new(false));
        let attempted = Arc::new(Mutex::new(0usize));
        let clients: Vec<_> = (0..CLIENTS)
            .map(|client| {
                let (base, token) = (server.base.clone(), made.token.clone());
                let (stop, acknowledged) = (stop.clone(), acknowledged.clone());
                let attempted = attempted.clone();
                std::thread::spawn(move || {
                    let mut n = 0;
                    while !stop.load(Ordering::Relaxed) {
                        let key = format!("w-{round}-{client}-{n}");
                        n += 1;
                        *attempted.lock().unwrap() += 1;
                        let vars = json!({
                            "id": format!("person:{key}"), "alias": format!("alias-{key}"),
                            "key": key, "sources": [{ "source": SOURCE, "line": 3 }],
                        });
                        match post(&base, Some(&token), WRITE, vars) {
                            Ok(body) if body["data"]["applyChanges"]["version"].is_i64() => {
                                acknowledged.lock().unwrap().insert(key);
                            }
                            Ok(body) => panic!("write {key} refused: {body}"),
                            Err(_) => return,
                        }
                    }
                })
            })
            .collect();
        std::thread::sleep(Duration::from_millis(20 + rng.below(300)));
        drop(server);
        stop.store(true, Ordering::Relaxed);
        for c in clients {
            c.join().unwrap();
        }
        let attempted = *attempted.lock().unwrap();
        let acked = acknowledged.lock().unwrap().len() - before;
        if attempted > acked {
            killed_mid_write += 1;
        }
    }
    let server = start(log, &tokens);
    let acknowledged = acknowledged.lock().unwrap().clone();
    check(&server.base, &acknowledged, seed);
    if let Some(follower) = follower {
        let last = logged(&server.base).len() as i64;
        let start = Instant::now();
        while post(&follower.base, None, "{ stats { version } }", json!({}))
            .map(|b| b["data"]["stats"]["version"].as_i64() < Some(last))
            .unwrap_or(true)
        {
            assert!(
                start.elapsed() < Duration::from_secs(60),
                "the other replica did not reach version {last} (seed {seed})"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        check(&follower.base, &acknowledged, seed);
        assert_eq!(logged(&follower.base), logged(&server.base));
        drop(follower);
    }
    drop(server);
    assert!(
        acknowledged.len() > rounds,
        "too few writes to prove anything: {}",
        acknowledged.len()
    );
    println!(
        "{rounds} kills, {} acknowledged writes, {killed_mid_write} kills with a write in flight, {:.1} s",
        acknowledged.len(),
        started.elapsed().as_secs_f64()
    );
}
