//! The HTTP surface on actix-web: GraphQL over HTTP, the playground and its
//! assets, the schema file, health, readiness and metrics, with compression and limits;
//! the answers given while the graph loads; and the graceful stop on a signal.

mod admission;
mod answers;
mod assets;
mod cache;
mod compress;
mod cors;
mod graphql;
mod loading;
mod metrics;
mod negotiate;
mod observe;
mod rate;
mod ws;

use std::net::TcpListener;
use std::rc::Rc;
use std::sync::Arc;
use std::time::{Duration, Instant};

use actix_web::dev::Server;
use actix_web::middleware::{DefaultHeaders, from_fn};
use actix_web::{App as ActixApp, HttpResponse, HttpServer, web};
use async_graphql::parser::types::OperationType;

use crate::api::{self, PledgeSchema};
use crate::app::App;

pub use crate::api::sdl;
pub use loading::{Loaded, Signals, while_loading};

/// What every worker shares: the running state and the schema built over it, once.
#[derive(Clone)]
pub(crate) struct Served {
    app: App,
    schema: PledgeSchema,
    cors: cors::Policy,
    admission: admission::Admission,
    /// Per-client rate limits; `None` when `rate_limit_per_second` is 0.
    rate: Option<Arc<rate::RateLimiter>>,
    /// Whole answers to repeated queries; `None` when `answer_cache_bytes` is 0.
    answers: Option<Arc<answers::Answers>>,
    metrics: Arc<metrics::Metrics>,
}

/// The token of an `Authorization: Bearer <token>` value (the scheme in any case).
fn bearer(value: &str) -> Option<String> {
    let (scheme, token) = value.trim().split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then(|| token.to_string())
}

/// The type of the operation a request would run, when its document is within the limits
/// on its text, parses, and names one operation (by `operationName`, or by having only
/// one). The parsed document is kept in the request, so it is parsed once; a document
/// over the limits is not parsed here, and execution refuses it.
fn operation_type(
    request: &mut async_graphql::Request,
    config: &crate::app::Config,
) -> Option<OperationType> {
    let name = request.operation_name.clone();
    let doc = api::parsed(request, config)?;
    api::operation_type(doc, name.as_deref())
}

/// Builds the GraphQL schema over the running state, with the limits its configuration
/// sets: what the server executes, and what `pledgegraph query` runs without a server.
pub fn schema(app: App) -> PledgeSchema {
    api::schema(app)
}

/// Runs one GraphQL request against the latest version of the graph, outside HTTP (the
/// command line's `query`), as the server would.
pub async fn execute(app: App, request: async_graphql::Request) -> async_graphql::BatchResponse {
    let (batch, _) = api::snapshot::attach(request.into(), api::Credentials::default());
    api::execute_batch(&schema(app.clone()), batch, app.config()).await
}

/// Builds the server on a bound listener (port 0 works: read the port
/// from the listener first). The returned server runs until stopped; it does not watch
/// for signals itself ([`serve_until_signalled`] does).
pub fn serve(listener: TcpListener, app: App) -> std::io::Result<Server> {
    build(listener, app).map(|(server, _)| server)
}

/// [`serve`], stopped gracefully on the first SIGTERM or SIGINT from now on: it takes no
/// new connection, finishes the requests in flight (waiting at most `shutdown_timeout`
/// seconds for them), then stops. Answers the server, to await.
pub fn serve_until_signalled(
    listener: TcpListener,
    app: App,
    mut signals: Signals,
) -> std::io::Result<Server> {
    let patience =
        Duration::from_secs(u64::try_from(app.config().shutdown_timeout).unwrap_or(u64::MAX));
    let (server, metrics) = build(listener, app)?;
    let handle = server.handle();
    actix_web::rt::spawn(async move {
        let signal = signals.next().await;
        handle.pause().await;
        // actix-server acknowledges the pause before its accept thread has taken its
        // listeners out of the poll: give that thread a moment, so that no connection made
        // after the line below is still accepted.
        actix_web::rt::time::sleep(Duration::from_millis(100)).await;
        let busy = metrics.in_flight();
        tracing::info!(
            "{signal}: no new connections are taken; finishing {busy} requests in flight, then stopping"
        );
        // The server's own graceful stop counts connections, not requests, and does not
        // always wait for a request whose body is still arriving: the requests in flight
        // are waited for here, then their answers are given a moment to be written.
        let start = Instant::now();
        while metrics.in_flight() > 0 && start.elapsed() < patience {
            actix_web::rt::time::sleep(Duration::from_millis(20)).await;
        }
        actix_web::rt::time::sleep(Duration::from_millis(100)).await;
        handle.stop(true).await;
    });
    Ok(server)
}

/// The server and its metrics; a graceful stop lets the connections finish for up to
/// `shutdown_timeout` seconds.
fn build(listener: TcpListener, app: App) -> std::io::Result<(Server, Arc<metrics::Metrics>)> {
    if app.is_replica() {
        actix_web::rt::spawn(app.clone().follow_store());
    }
    let config = app.config();
    let shutdown_timeout = u64::try_from(config.shutdown_timeout).unwrap_or(u64::MAX);
    let data = web::Data::new(Served {
        schema: schema(app.clone()),
        cors: cors::Policy::new(&config.cors_origins),
        metrics: Arc::default(),
        admission: admission::Admission::new(config),
        rate: rate::RateLimiter::new(
            config.rate_limit_per_second,
            config.rate_limit_burst,
            config.trusted_proxies.clone(),
        )
        .map(Arc::new),
        answers: answers::Answers::new(config.answer_cache_bytes).map(Arc::new),
        app: app.clone(),
    });
    let metrics = data.metrics.clone();
    let server = HttpServer::new(move || {
        let policy = Rc::new(data.cors.clone());
        let observed = data.metrics.clone();
        ActixApp::new()
            .app_data(data.clone())
            .wrap(from_fn(move |req, next| {
                cors::middleware(policy.clone(), req, next)
            }))
            .wrap(from_fn(compress::middleware))
            .wrap(DefaultHeaders::new().add(("X-Content-Type-Options", "nosniff")))
            .wrap(from_fn(move |req, next| {
                observe::middleware(observed.clone(), req, next)
            }))
            .service(
                web::resource("/graphql")
                    .route(web::post().to(graphql::post))
                    .route(web::get().to(graphql::get))
                    .route(web::head().to(graphql::get))
                    .default_service(web::to(graphql::other)),
            )
            .route("/graphql/ws", web::get().to(ws::connect))
            .route("/", web::get().to(assets::playground))
            .route("/explore", web::get().to(assets::explorer))
            .route("/assets/{path:.*}", web::get().to(assets::asset))
            .route("/schema.graphql", web::get().to(schema_file))
            .route("/healthz", web::get().to(healthz))
            .route("/readyz", web::get().to(readyz))
            .route("/metrics", web::get().to(metrics_text))
    })
    // Each answer goes out as soon as it is written: without this, a write that follows a
    // small one on the same connection can wait for the client's delayed acknowledgement
    // (Nagle's algorithm), tens of milliseconds.
    .on_connect(|connection, _| {
        if let Some(tcp) = connection.downcast_ref::<actix_web::rt::net::TcpStream>() {
            let _ = tcp.set_nodelay(true);
        }
    })
    .disable_signals()
    .shutdown_timeout(shutdown_timeout)
    .listen(listener)?
    .run();
    Ok((server, metrics))
}

/// The schema's SDL, as checked in at `schema.graphql`.
async fn schema_file(served: web::Data<Served>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/plain; charset=utf-8")
        .body(served.schema.sdl())
}

/// Readiness: 200 when the server should be sent requests (the graph is loaded, and
/// nothing has said otherwise since), else 503 with `Retry-After`.
async fn readyz(served: web::Data<Served>) -> HttpResponse {
    match served.app.is_ready() {
        true => HttpResponse::Ok().json(serde_json::json!({ "status": "ready" })),
        false => loading::not_ready("not ready"),
    }
}

/// The metrics, in Prometheus's text format.
async fn metrics_text(served: web::Data<Served>) -> HttpResponse {
    let graph = served.app.graph();
    let figures = metrics::GraphFigures {
        entities: graph.node_count(),
        relations: graph.edge_count(),
        version: graph.version(),
        ready: served.app.is_ready(),
        store_version: served.app.store_version(),
    };
    HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4; charset=utf-8")
        .body(
            served.metrics.render(&figures)
                + &served.admission.occupancy(served.app.config()).render()
                + &served
                    .answers
                    .as_ref()
                    .map(|a| a.figures().render())
                    .unwrap_or_default(),
        )
}

/// Liveness and what is loaded.
async fn healthz(served: web::Data<Served>) -> HttpResponse {
    let graph = served.app.graph();
    HttpResponse::Ok().json(serde_json::json!({
        "status": "ok",
        "entities": graph.node_count(),
        "relations": graph.edge_count(),
        "version": graph.version(),
        "requests": served.admission.occupancy(served.app.config()),
    }))
}
