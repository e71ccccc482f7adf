//! The playground page and static assets, embedded in the binary so nothing
//! loads from outside the server; each compressed once, harder than an answer, in the
//! coding a client asks for, and kept.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock, PoisonError};

use actix_web::http::header::{
    CACHE_CONTROL, CONTENT_ENCODING, CONTENT_SECURITY_POLICY, HeaderValue,
};
use actix_web::web::Bytes;
use actix_web::{HttpRequest, HttpResponse, web};
use rust_embed::RustEmbed;

use super::compress::{self, Coding, Level};

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

fn file(path: &str, req: &HttpRequest) -> HttpResponse {
    let Some(f) = Assets::get(path) else {
        return HttpResponse::NotFound()
            .content_type("text/plain; charset=utf-8")
            .body(format!("no asset at /assets/{path}\n"));
    };
    let content_type = content_type(path);
    let mut response = HttpResponse::Ok();
    response
        .content_type(content_type)
        .insert_header((CONTENT_SECURITY_POLICY, CSP))
        .insert_header((CACHE_CONTROL, "public, max-age=3600"));
    let worth = f.data.len() >= compress::MIN_BYTES
        && compress::compressible(Some(&HeaderValue::from_static(content_type)));
    if !worth {
        return response.body(f.data.into_owned());
    }
    let mut built =
        match compress::negotiate(req.headers()).and_then(|c| compressed(path, c, &f.data)) {
            Some((coding, bytes)) => response
                .insert_header((CONTENT_ENCODING, coding.name()))
                .body(bytes),
            None => response.body(f.data.into_owned()),
        };
    compress::vary(built.headers_mut());
    built
}

/// The asset at `path` in `coding`: compressed the first time it is asked for, kept after
/// (the assets are fixed, so this holds at most each one in each coding).
fn compressed(path: &str, coding: Coding, data: &[u8]) -> Option<(Coding, Bytes)> {
    static KEPT: OnceLock<Mutex<HashMap<(String, Coding), Bytes>>> = OnceLock::new();
    let kept = KEPT.get_or_init(Mutex::default);
    let key = (path.to_string(), coding);
    if let Some(bytes) = kept
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .get(&key)
    {
        return Some((coding, bytes.clone()));
    }
    let bytes = Bytes::from(coding.encode(data, Level::Static)?);
    kept.lock()
        .unwrap_or_else(PoisonError::into_inner)
        .insert(key, bytes.clone());
    Some((coding, bytes))
}

/// `GET /`: the GraphiQL playground.
pub async fn playground(req: HttpRequest) -> HttpResponse {
    file("playground/index.html", &req)
}

/// `GET /explore`: the visual graph explorer.
pub async fn explorer(req: HttpRequest) -> HttpResponse {
    file("explore/index.html", &req)
}

/// `GET /assets/{path}`.
pub async fn asset(path: web::Path<String>, req: HttpRequest) -> HttpResponse {
    file(&path, &req)
}
