//! Replicas on one PostgreSQL store (a real throwaway cluster, as the tests make): how
//! long a write committed through one replica takes to reach a subscriber of the other,
//! and read throughput of two replicas against one, measured with wrk in the same run.
//!
//! `cargo bench --bench replicas`. The visibility is timed from the moment the writing
//! replica answers (the batch is committed and applied there) to the moment the other
//! replica pushes it to a websocket subscriber: its notice, its read of the log, and its
//! apply. Throughput runs two wrk processes against one replica, then one against each
//! of two replicas (half the connections each), in interleaved rounds, with the answer
//! caches on (the same query every time); on a 2-core machine the replicas
//! and wrk share the same cores, so expect no gain here. Under `cargo test` (no
//! `--bench`) it runs a few writes and no wrk, to show that it still works.

#[allow(dead_code)]
#[path = "../tests/api/postgres.rs"]
mod postgres;

use std::io::{BufRead, BufReader};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::Instant;

use serde_json::{Value, json};
use tungstenite::client::IntoClientRequest;
use tungstenite::stream::MaybeTlsStream;
use tungstenite::{Message, WebSocket};

const RENAME: &str = r#"mutation($name: String!) {
  updateEntity(input: { id: "country:jp", name: $name,
    sources: [{ source: "source:trade-talks-2025-07", line: 3 }] }, reason: "bench") { version }
}"#;

/// A replica process, killed when dropped.
struct Replica {
    child: Child,
    base: String,
}

impl Drop for Replica {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(url: &str, tokens: &std::path::Path) -> Replica {
    let mut child = Command::new(env!("CARGO_BIN_EXE_pledgegraph"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["serve", "--addr", "127.0.0.1:0", "--store", url])
        .arg("--tokens-file")
        .arg(tokens)
        .args(["--rate-limit-per-second", "0"])
        .env("RUST_LOG", "warn,pledgegraph=info")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start pledgegraph: {e}"));
    let stderr = child.stderr.take().unwrap_or_else(|| panic!("no stderr"));
    let mut lines = BufReader::new(stderr).lines();
    let mut base = None;
    for line in lines.by_ref().take(200) {
        let line = line.unwrap_or_default();
        if let Some(rest) = line.split("listening on ").nth(1) {
            base = rest.split_whitespace().next().map(str::to_string);
            break;
        }
    }
    std::thread::spawn(move || lines.for_each(drop));
    let base = base.unwrap_or_else(|| panic!("the replica did not start"));
    Replica { child, base }
}

type Socket = WebSocket<MaybeTlsStream<TcpStream>>;

fn subscribe(base: &str) -> Socket {
    let url = format!("{}/graphql/ws", base.replacen("http://", "ws://", 1));
    let mut request = url.into_client_request().unwrap_or_else(|e| panic!("{e}"));
    if let Ok(protocol) = "graphql-transport-ws".parse() {
        request
            .headers_mut()
            .insert("Sec-WebSocket-Protocol", protocol);
    }
    let (mut socket, _) = tungstenite::connect(request).unwrap_or_else(|e| panic!("{e}"));
    let send = |socket: &mut Socket, v: Value| {
        socket
            .send(Message::text(v.to_string()))
            .unwrap_or_else(|e| panic!("{e}"));
    };
    send(
        &mut socket,
        json!({ "type": "connection_init", "payload": {} }),
    );
    let _ack = receive(&mut socket);
    send(
        &mut socket,
        json!({ "id": "c", "type": "subscribe",
                "payload": { "query": "subscription { changes { version } }" } }),
    );
    socket
}

/// The next message that is not a ping.
fn receive(socket: &mut Socket) -> Value {
    loop {
        match socket.read() {
            Ok(Message::Text(text)) => {
                let v: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
                if v["type"] == "ping" {
                    let _ = socket.send(Message::text(json!({ "type": "pong" }).to_string()));
                    continue;
                }
                return v;
            }
            Ok(_) => {}
            Err(e) => panic!("the subscription ended: {e}"),
        }
    }
}

fn write(base: &str, token: &str, name: &str) -> i64 {
    let answer: Value = ureq::post(&format!("{base}/graphql"))
        .set("Authorization", &format!("Bearer {token}"))
        .send_json(json!({ "query": RENAME, "variables": { "name": name } }))
        .unwrap_or_else(|e| panic!("the write failed: {e}"))
        .into_json()
        .unwrap_or_else(|e| panic!("the write's answer is not JSON: {e}"));
    answer["data"]["updateEntity"]["version"]
        .as_i64()
        .unwrap_or_else(|| panic!("the write was refused: {answer}"))
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let at = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted.get(at).copied().unwrap_or(f64::NAN)
}

/// wrk against each of `bases` at once for `seconds`, `connections` split among them:
/// the requests per second of all together.
fn wrk(bases: &[&str], connections: usize, seconds: u64, body: &std::path::Path) -> f64 {
    let runs: Vec<_> = bases
        .iter()
        .map(|base| {
            Command::new("wrk")
                .args(["-t1", &format!("-c{}", connections / bases.len())])
                .args([&format!("-d{seconds}s"), "-s"])
                .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/bench/load.lua"))
                .arg(format!("{base}/graphql"))
                .env("BENCH_BODIES", body)
                .stdout(Stdio::piped())
                .stderr(Stdio::null())
                .spawn()
                .unwrap_or_else(|e| panic!("cannot run wrk: {e}"))
        })
        .collect();
    runs.into_iter()
        .map(|run| {
            let out = run.wait_with_output().unwrap_or_else(|e| panic!("{e}"));
            let text = String::from_utf8_lossy(&out.stdout).into_owned();
            // `BENCH requests seconds p50_us p99_us errors`
            let line = text.lines().find(|l| l.starts_with("BENCH ")).unwrap_or("");
            let f: Vec<f64> = line
                .split_whitespace()
                .skip(1)
                .filter_map(|x| x.parse().ok())
                .collect();
            match (f.first(), f.get(1)) {
                (Some(requests), Some(secs)) if *secs > 0.0 => requests / secs,
                _ => panic!("wrk printed no figures: {text}"),
            }
        })
        .sum()
}

fn main() {
    let bench = std::env::args().any(|a| a == "--bench");
    let writes = if bench { 300 } else { 5 };
    let cluster = postgres::cluster();
    let url = cluster.database();
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let made = pledgegraph::app::new_token("bench").unwrap_or_else(|e| panic!("{e}"));
    let tokens = dir.path().join("tokens.toml");
    std::fs::write(&tokens, &made.entry).unwrap_or_else(|e| panic!("{e}"));
    let (a, b) = (start(&url, &tokens), start(&url, &tokens));
    let mut socket = subscribe(&b.base);

    let mut visible = Vec::with_capacity(writes);
    let mut answered = Vec::with_capacity(writes);
    for i in 0..writes {
        let t0 = Instant::now();
        let version = write(&a.base, &made.token, &format!("Japan {i}"));
        let t1 = Instant::now();
        loop {
            let pushed = receive(&mut socket);
            if pushed["payload"]["data"]["changes"]["version"].as_i64() == Some(version) {
                break;
            }
        }
        visible.push(t1.elapsed().as_secs_f64() * 1e3);
        answered.push((t1 - t0).as_secs_f64() * 1e3);
    }
    visible.sort_by(f64::total_cmp);
    answered.sort_by(f64::total_cmp);
    println!("replicas on one PostgreSQL store, {writes} writes through replica A:");
    println!("| figure | p50 (ms) | p99 (ms) |");
    println!("| --- | ---: | ---: |");
    println!(
        "| a write, sent to A until A answers | {:.2} | {:.2} |",
        percentile(&answered, 0.5),
        percentile(&answered, 0.99)
    );
    println!(
        "| from A's answer until B pushes it to a subscriber | {:.2} | {:.2} |",
        percentile(&visible, 0.5),
        percentile(&visible, 0.99)
    );
    if !bench {
        return;
    }
    if Command::new("wrk").arg("--version").output().is_err() {
        println!("wrk is not installed (Debian package wrk): no throughput figures");
        return;
    }
    let body = dir.path().join("q1.json");
    let query = include_str!("../bench/queries/q1.graphql").trim();
    std::fs::write(&body, json!({ "query": query }).to_string() + "\n")
        .unwrap_or_else(|e| panic!("{e}"));
    let _warm = wrk(&[&a.base, &b.base], 32, 2, &body);
    let (mut one, mut two) = (Vec::new(), Vec::new());
    for _ in 0..3 {
        // Two wrk processes either way, so that only the servers differ.
        one.push(wrk(&[&a.base, &a.base], 32, 5, &body));
        two.push(wrk(&[&a.base, &b.base], 32, 5, &body));
    }
    one.sort_by(f64::total_cmp);
    two.sort_by(f64::total_cmp);
    let (one, two) = (one[1], two[1]);
    println!(
        "\nread throughput, Q1 (bench/queries/q1.graphql, the same every time), two wrk of 16 connections, medians of 3 interleaved rounds of 5 s:"
    );
    println!("| replicas | req/s | ratio |");
    println!("| --- | ---: | ---: |");
    println!("| one | {one:.0} | 1 |");
    println!("| two | {two:.0} | {:.2} |", two / one);
}
