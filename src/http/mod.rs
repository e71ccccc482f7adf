//! The HTTP surface on actix-web: GraphQL over HTTP, the playground and its
//! assets, the schema file and a health check, with compression and limits.

mod assets;
mod graphql;

use std::net::TcpListener;

use actix_web::dev::Server;
use actix_web::middleware::{Compress, DefaultHeaders};
use actix_web::{App as ActixApp, HttpResponse, HttpServer, web};

use crate::app::App;

pub use graphql::MAX_BODY_BYTES;

/// Builds the server on a bound listener (port 0 works: read the port
/// from the listener first). The returned server runs until stopped.
pub fn serve(listener: TcpListener, app: App) -> std::io::Result<Server> {
    let data = web::Data::new(app);
    let server = HttpServer::new(move || {
        ActixApp::new()
            .app_data(data.clone())
            .wrap(Compress::default())
            .wrap(DefaultHeaders::new().add(("X-Content-Type-Options", "nosniff")))
            .wrap(tracing_actix_web::TracingLogger::default())
            .route("/graphql", web::post().to(graphql::post))
            .route("/graphql", web::get().to(graphql::get))
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
async fn schema_file(app: web::Data<App>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/plain; charset=utf-8")
        .body(app.schema.sdl())
}

/// Liveness and what is loaded.
async fn healthz(app: web::Data<App>) -> HttpResponse {
    HttpResponse::Ok().json(serde_json::json!({
        "status": "ok",
        "entities": app.graph.node_count(),
        "relations": app.graph.edge_count(),
    }))
}
