//! The playground page and static assets, embedded in the binary so nothing
//! loads from outside the server.

use actix_web::http::header::{CACHE_CONTROL, CONTENT_SECURITY_POLICY};
use actix_web::{HttpResponse, web};
use rust_embed::RustEmbed;

/// Everything under `assets/`: vendored libraries and our pages.
#[derive(RustEmbed)]
#[folder = "assets/"]
struct Assets;

/// Pages may load only what this server serves.
const CSP: &str = "default-src 'self'";

fn content_type(path: &str) -> &'static str {
    match path.rsplit('.').next().unwrap_or_default() {
        "html" => "text/html; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "ttf" => "font/ttf",
        "json" => "application/json",
        "md" | "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

fn file(path: &str) -> HttpResponse {
    match Assets::get(path) {
        Some(f) => HttpResponse::Ok()
            .content_type(content_type(path))
            .insert_header((CONTENT_SECURITY_POLICY, CSP))
            .insert_header((CACHE_CONTROL, "public, max-age=3600"))
            .body(f.data.into_owned()),
        None => HttpResponse::NotFound()
            .content_type("text/plain; charset=utf-8")
            .body(format!("no asset at /assets/{path}\n")),
    }
}

/// `GET /`: the GraphiQL playground.
pub async fn playground() -> HttpResponse {
    file("playground/index.html")
}

/// `GET /explore`: the visual graph explorer.
pub async fn explorer() -> HttpResponse {
    file("explore/index.html")
}

/// `GET /assets/{path}`.
pub async fn asset(path: web::Path<String>) -> HttpResponse {
    file(&path)
}
