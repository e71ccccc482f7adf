//! The ceiling `scripts/bench` compares against: a bare actix-web route that answers every
//! `POST /graphql` with the same precomputed bytes, the most any server on this stack could
//! do for that answer. Part of the benchmark, not of the product.
//!
//! `cargo run --release --example ceiling -- --answer FILE [--addr HOST:PORT]`: binds
//! `127.0.0.1:0` unless told otherwise, prints `listening on http://…` to stderr, reads and
//! discards each request's body and answers with FILE's bytes as `application/json`. The
//! workers are actix-web's default, as pledgegraph's are: one per core it may run on.
//!
//! A request with `x-ceiling-work-us: N` keeps its worker busy for N µs before the answer
//! (100 ms at most): a server that costs what pledgegraph costs, with none of its work, for
//! the tail at a fixed rate that any server of that cost sees on this machine.

use std::net::TcpListener;

use std::time::{Duration, Instant};

use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};

/// The request header that asks the ceiling to work before it answers, in µs.
const WORK_HEADER: &str = "x-ceiling-work-us";
/// The most work a request may ask for.
const MOST_WORK: Duration = Duration::from_millis(100);

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    let usage = || std::io::Error::other("usage: ceiling --answer FILE [--addr HOST:PORT]");
    let mut answer = None;
    let mut addr = "127.0.0.1:0".to_owned();
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        match (flag.as_str(), args.next()) {
            ("--answer", Some(file)) => answer = Some(web::Bytes::from(std::fs::read(file)?)),
            ("--addr", Some(value)) => addr = value,
            _ => return Err(usage()),
        }
    }
    let answer = answer.ok_or_else(usage)?;
    let listener = TcpListener::bind(&addr)?;
    eprintln!("listening on http://{}", listener.local_addr()?);
    HttpServer::new(move || {
        let answer = answer.clone();
        App::new().route(
            "/graphql",
            web::post().to(move |req: HttpRequest, _body: web::Bytes| {
                let answer = answer.clone();
                async move {
                    spin(work(&req));
                    HttpResponse::Ok()
                        .content_type("application/json")
                        .body(answer)
                }
            }),
        )
    })
    .listen(listener)?
    .run()
    .await
}

/// The work a request asks for (`x-ceiling-work-us`), none when it asks for none.
fn work(req: &HttpRequest) -> Duration {
    req.headers()
        .get(WORK_HEADER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok())
        .map_or(Duration::ZERO, |us| {
            Duration::from_micros(us).min(MOST_WORK)
        })
}

/// Keeps the worker's core busy for `work`, as a server making the answer would.
fn spin(work: Duration) {
    let start = Instant::now();
    while start.elapsed() < work {
        std::hint::spin_loop();
    }
}
