//! The server before its graph is loaded: the address is bound at once, so that a load
//! balancer or an orchestrator sees a live process; `/healthz` answers that it is alive,
//! `/readyz` and every other path answer 503 with `Retry-After` (GraphQL in its error
//! shape) until the graph is loaded. A signal during the load stops the process.

use std::net::TcpListener;
use std::time::Duration;

use actix_web::http::StatusCode;
use actix_web::{App as ActixApp, HttpRequest, HttpResponse, HttpServer, web};

use crate::api::code;

/// Seconds a client is asked to wait before it asks again.
const RETRY_AFTER: &str = "5";

/// How long the start waits for the server that answered during the load to stop.
const STOP_PATIENCE: Duration = Duration::from_secs(10);

/// How the load ended.
#[derive(Debug)]
pub enum Loaded<T> {
    /// The load finished with this.
    Done(T),
    /// A signal (SIGTERM or SIGINT) came first.
    Stopped,
}

/// Answers on `listener` (a clone of the listener the server will use) while `load` runs
/// on a thread of its own; stops answering once it is done, leaving the connections that
/// come meanwhile waiting for the server.
pub async fn while_loading<T: Send + 'static>(
    signals: &mut Signals,
    listener: TcpListener,
    load: impl FnOnce() -> T + Send + 'static,
) -> std::io::Result<Loaded<T>> {
    let server = HttpServer::new(|| {
        ActixApp::new()
            .route("/healthz", web::get().to(alive))
            .default_service(web::to(unavailable))
    })
    .workers(1)
    .disable_signals()
    .shutdown_timeout(1)
    .listen(listener)?
    .run();
    let handle = server.handle();
    let running = actix_web::rt::spawn(server);
    let (tx, rx) = tokio::sync::oneshot::channel();
    std::thread::Builder::new()
        .name("load".into())
        .spawn(move || {
            let _ = tx.send(load());
        })?;
    let outcome = tokio::select! {
        loaded = rx => match loaded {
            Ok(value) => Loaded::Done(value),
            Err(_) => return Err(std::io::Error::other("the load stopped without an answer")),
        },
        signal = signals.next() => {
            tracing::info!("{signal} while loading: stopping");
            Loaded::Stopped
        }
    };
    // Its workers are given a second to finish (`shutdown_timeout` above); should it not
    // have stopped well after that, the start goes on rather than wait for it forever.
    let stopped = async move {
        handle.stop(true).await;
        let _ = running.await;
    };
    if actix_web::rt::time::timeout(STOP_PATIENCE, stopped)
        .await
        .is_err()
    {
        tracing::warn!(
            "the server that answered during the load did not stop within {STOP_PATIENCE:?}; starting without waiting for it"
        );
    }
    Ok(outcome)
}

/// SIGTERM and SIGINT (Ctrl-C), listened for from the moment this is made: a signal
/// that comes before anyone waits is kept, not lost.
pub struct Signals {
    #[cfg(unix)]
    term: tokio::signal::unix::Signal,
    #[cfg(unix)]
    int: tokio::signal::unix::Signal,
}

impl Signals {
    /// Starts listening; needs the runtime (inside `System::block_on`).
    pub fn new() -> std::io::Result<Self> {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            Ok(Signals {
                term: signal(SignalKind::terminate())?,
                int: signal(SignalKind::interrupt())?,
            })
        }
        #[cfg(not(unix))]
        {
            Ok(Signals {})
        }
    }

    /// Waits for the next signal and says which.
    pub(crate) async fn next(&mut self) -> &'static str {
        #[cfg(unix)]
        {
            tokio::select! {
                _ = self.term.recv() => "SIGTERM",
                _ = self.int.recv() => "SIGINT",
            }
        }
        #[cfg(not(unix))]
        {
            let _ = tokio::signal::ctrl_c().await;
            "Ctrl-C"
        }
    }
}

async fn alive() -> HttpResponse {
    HttpResponse::Ok().json(serde_json::json!({ "status": "loading" }))
}

async fn unavailable(req: HttpRequest) -> HttpResponse {
    match req.path() {
        "/graphql" => HttpResponse::build(StatusCode::SERVICE_UNAVAILABLE)
            .insert_header(("Retry-After", RETRY_AFTER))
            .json(serde_json::json!({ "errors": [{
                "message": "the server is loading its graph; ask again shortly",
                "extensions": { "code": code::SERVICE_UNAVAILABLE },
            }] })),
        _ => not_ready("loading"),
    }
}

/// A 503 that says why and when to ask again.
pub(crate) fn not_ready(status: &str) -> HttpResponse {
    HttpResponse::build(StatusCode::SERVICE_UNAVAILABLE)
        .insert_header(("Retry-After", RETRY_AFTER))
        .json(serde_json::json!({ "status": status }))
}
