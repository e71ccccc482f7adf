//! The ceiling `scripts/bench` compares against: a bare actix-web route that answers every
//! `POST /graphql` with the same precomputed bytes, the most any server on this stack could
//! do for that answer. Part of the benchmark, not of the product.
//!
//! `cargo run --release --example ceiling -- --answer FILE [--addr HOST:PORT]`: binds
//! `127.0.0.1:0` unless told otherwise, prints `listening on http://…` to stderr, reads and
//! discards each request's body and answers with FILE's bytes as `application/json`. The
//! workers are actix-web's default, as pledgegraph's are: one per core it may run on.

use std::net::TcpListener;

use actix_web::{App, HttpResponse, HttpServer, web};

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
            web::post().to(move |_body: web::Bytes| {
                let answer = answer.clone();
                async move {
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
