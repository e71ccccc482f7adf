//! The HTTP surface on actix-web: GraphQL over HTTP, the playground and its
//! assets, the schema file and a health check, with compression and limits.

mod admission;
mod assets;
mod cache;
mod cors;
mod graphql;
mod negotiate;
mod rate;
mod ws;

use std::net::TcpListener;
use std::rc::Rc;
use std::sync::Arc;

use actix_web::dev::Server;
use actix_web::middleware::{Compress, DefaultHeaders, from_fn};
use actix_web::{App as ActixApp, HttpResponse, HttpServer, web};
use async_graphql::parser::types::{DocumentOperations, OperationType};

use crate::api::{self, PledgeSchema};
use crate::app::App;

pub use crate::api::sdl;

/// What every worker shares: the running state and the schema built over it, once.
#[derive(Clone)]
pub(crate) struct Served {
    app: App,
    schema: PledgeSchema,
    cors: cors::Policy,
    admission: admission::Admission,
    /// Per-client rate limits; `None` when `rate_limit_per_second` is 0.
    rate: Option<Arc<rate::RateLimiter>>,
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
    match (&doc.operations, name.as_deref()) {
        (DocumentOperations::Single(op), _) => Some(op.node.ty),
        (DocumentOperations::Multiple(ops), Some(name)) => ops.get(name).map(|op| op.node.ty),
        (DocumentOperations::Multiple(ops), None) => ops
            .values()
            .next()
            .filter(|_| ops.len() == 1)
            .map(|op| op.node.ty),
    }
}

/// Builds the GraphQL schema over the running state, with the limits its configuration
/// sets: what the server executes, and what `pledgegraph query` runs without a server.
pub fn schema(app: App) -> PledgeSchema {
    api::schema(app)
}

/// Runs one GraphQL request against the latest version of the graph, outside HTTP (the
/// command line's `query`), as the server would.
pub async fn execute(app: App, request: async_graphql::Request) -> async_graphql::BatchResponse {
    let batch = api::snapshot::attach(request.into(), api::Credentials::default());
    schema(app).execute_batch(batch).await
}

/// Builds the server on a bound listener (port 0 works: read the port
/// from the listener first). The returned server runs until stopped.
pub fn serve(listener: TcpListener, app: App) -> std::io::Result<Server> {
    let config = app.config();
    let data = web::Data::new(Served {
        schema: schema(app.clone()),
        cors: cors::Policy::new(&config.cors_origins),
        admission: admission::Admission::new(config),
        rate: rate::RateLimiter::new(
            config.rate_limit_per_second,
            config.rate_limit_burst,
            config.trusted_proxies.clone(),
        )
        .map(Arc::new),
        app: app.clone(),
    });
    let server = HttpServer::new(move || {
        let policy = Rc::new(data.cors.clone());
        ActixApp::new()
            .app_data(data.clone())
            .wrap(from_fn(move |req, next| {
                cors::middleware(policy.clone(), req, next)
            }))
            .wrap(Compress::default())
            .wrap(DefaultHeaders::new().add(("X-Content-Type-Options", "nosniff")))
            .wrap(tracing_actix_web::TracingLogger::default())
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
    })
    .listen(listener)?
    .run();
    Ok(server)
}

/// The schema's SDL, as checked in at `schema.graphql`.
async fn schema_file(served: web::Data<Served>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/plain; charset=utf-8")
        .body(served.schema.sdl())
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
