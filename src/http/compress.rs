//! Compression of answers, for clients that accept it (every browser and GraphQL client
//! sends `Accept-Encoding`). Chosen for answers computed per request rather than taken
//! from actix-web's `Compress`, which compressed a 500-byte answer too and set up brotli
//! with a 4 MiB window for each: with a browser's `Accept-Encoding` the server answered
//! half as many requests a second. Here an answer under [`MIN_BYTES`] (one packet either
//! way) goes as it is; a larger one is compressed at once, in the worker, at a level for
//! dynamic content, with the window sized to the answer. Static assets are compressed
//! once and kept (see [`super::assets`]).

use std::io::Write;

use actix_web::Error;
use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{
    ACCEPT_ENCODING, CONTENT_ENCODING, CONTENT_TYPE, HeaderMap, HeaderValue, VARY,
};
use actix_web::http::{Method, StatusCode};
use actix_web::middleware::Next;
use actix_web::web::Bytes;

/// Answers shorter than this go uncompressed: they fit in one packet either way.
pub(crate) const MIN_BYTES: usize = 1_024;

/// A content coding this server writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Coding {
    Zstd,
    Brotli,
    Gzip,
}

impl Coding {
    /// Its name in `Content-Encoding`.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Coding::Zstd => "zstd",
            Coding::Brotli => "br",
            Coding::Gzip => "gzip",
        }
    }

    /// `bytes` in this coding; `None` only if the encoder fails, when the answer goes as
    /// it is.
    pub(crate) fn encode(self, bytes: &[u8], level: Level) -> Option<Vec<u8>> {
        let mut out = Vec::with_capacity(bytes.len() / 4 + 64);
        match self {
            Coding::Zstd => {
                let level = match level {
                    Level::Dynamic => 1,
                    Level::Static => 12,
                };
                zstd::stream::copy_encode(bytes, &mut out, level).ok()?;
            }
            Coding::Brotli => {
                let params = brotli::enc::BrotliEncoderParams {
                    quality: match level {
                        Level::Dynamic => 4,
                        Level::Static => 6,
                    },
                    // The smallest window that holds the whole answer (brotli's range is
                    // 10 to 24 bits): a larger one only costs memory to set up.
                    lgwin: window_bits(bytes.len()),
                    size_hint: bytes.len(),
                    ..Default::default()
                };
                brotli::BrotliCompress(&mut &bytes[..], &mut out, &params).ok()?;
            }
            Coding::Gzip => {
                let level = match level {
                    Level::Dynamic => flate2::Compression::fast(),
                    Level::Static => flate2::Compression::best(),
                };
                let mut encoder = flate2::write::GzEncoder::new(out, level);
                encoder.write_all(bytes).ok()?;
                out = encoder.finish().ok()?;
            }
        }
        Some(out)
    }
}

/// How hard to compress: an answer made for one request, or a file kept compressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Level {
    Dynamic,
    Static,
}

/// The bits of a brotli window that holds `len` bytes.
fn window_bits(len: usize) -> i32 {
    let bits = usize::BITS - len.max(1).leading_zeros();
    i32::try_from(bits).unwrap_or(24).clamp(10, 24)
}

/// The coding to answer in, from the request's `Accept-Encoding`: the one with the highest
/// weight, and at equal weights zstd, then brotli, then gzip (fastest first); `*` stands
/// for those not named. None when the client accepts none of them.
pub(crate) fn negotiate(headers: &HeaderMap) -> Option<Coding> {
    let mut weights: [Option<u16>; 3] = [None; 3];
    let mut any: Option<u16> = None;
    for value in headers.get_all(ACCEPT_ENCODING) {
        let Ok(text) = value.to_str() else { continue };
        for item in text.split(',') {
            let mut parts = item.split(';');
            let name = parts.next().unwrap_or_default().trim();
            let weight = parts
                .filter_map(|p| {
                    let p = p.trim();
                    p.strip_prefix("q=").or_else(|| p.strip_prefix("Q="))
                })
                .map(quality)
                .next()
                .unwrap_or(1000);
            let slot = match name.to_ascii_lowercase().as_str() {
                "zstd" => 0,
                "br" => 1,
                "gzip" | "x-gzip" => 2,
                "*" => {
                    any = Some(weight);
                    continue;
                }
                _ => continue,
            };
            weights[slot] = Some(weight);
        }
    }
    let codings = [Coding::Zstd, Coding::Brotli, Coding::Gzip];
    let mut best: Option<(u16, Coding)> = None;
    for (weight, coding) in weights.iter().zip(codings) {
        let w = weight.or(any).unwrap_or(0);
        if w > 0 && best.is_none_or(|(b, _)| w > b) {
            best = Some((w, coding));
        }
    }
    best.map(|(_, coding)| coding)
}

/// A `q` value in thousandths; a malformed one counts as 0 (not acceptable).
fn quality(text: &str) -> u16 {
    let text = text.trim();
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if !digits(whole) || !digits(fraction) || fraction.len() > 3 {
        return 0;
    }
    match whole {
        "1" => 1000,
        "0" | "" => {
            let padded = format!("{fraction:0<3}");
            padded.parse().unwrap_or(0)
        }
        _ => 0,
    }
}

/// Whether a body of this type is worth compressing: text and JSON, not images or fonts,
/// which are compressed already.
pub(crate) fn compressible(content_type: Option<&HeaderValue>) -> bool {
    let Some(text) = content_type.and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let essence = text.split(';').next().unwrap_or_default().trim();
    essence.starts_with("text/")
        || essence.ends_with("json")
        || essence.ends_with("javascript")
        || essence == "image/svg+xml"
        || essence == "application/graphql-response+json"
}

/// Adds `Accept-Encoding` to `Vary`, unless it is there.
pub(crate) fn vary(headers: &mut HeaderMap) {
    let named = headers
        .get_all(VARY)
        .filter_map(|v| v.to_str().ok())
        .any(|v| {
            v.split(',')
                .any(|n| n.trim().eq_ignore_ascii_case("accept-encoding"))
        });
    if !named {
        headers.append(VARY, HeaderValue::from_static("accept-encoding"));
    }
}

/// The middleware: compresses a whole answer of a compressible type and at least
/// [`MIN_BYTES`] in the coding the client prefers. Streams (the websocket), answers already
/// encoded, and answers without a body pass as they are.
pub(crate) async fn middleware(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let coding = negotiate(req.headers());
    let head = req.method() == Method::HEAD;
    let res = next.call(req).await?.map_into_boxed_body();
    let status = res.status();
    let eligible = !head
        && !matches!(
            status,
            StatusCode::SWITCHING_PROTOCOLS | StatusCode::NO_CONTENT | StatusCode::NOT_MODIFIED
        )
        && !res.headers().contains_key(CONTENT_ENCODING)
        && compressible(res.headers().get(CONTENT_TYPE));
    if !eligible {
        return Ok(res);
    }
    let (req, res) = res.into_parts();
    let (mut res, body) = res.into_parts();
    let bytes = match body.try_into_bytes() {
        Ok(bytes) => bytes,
        Err(body) => return Ok(ServiceResponse::new(req, res.set_body(body))),
    };
    vary(res.headers_mut());
    let encoded = match coding {
        Some(coding) if bytes.len() >= MIN_BYTES => coding
            .encode(&bytes, Level::Dynamic)
            .filter(|e| e.len() < bytes.len())
            .map(|e| (coding, e)),
        _ => None,
    };
    let body = match encoded {
        Some((coding, encoded)) => {
            let name = HeaderValue::from_static(coding.name());
            res.headers_mut().insert(CONTENT_ENCODING, name);
            BoxBody::new(Bytes::from(encoded))
        }
        None => BoxBody::new(bytes),
    };
    Ok(ServiceResponse::new(req, res.set_body(body)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    fn accept(value: &str) -> Option<Coding> {
        let mut headers = HeaderMap::new();
        headers.insert(
            ACCEPT_ENCODING,
            HeaderValue::from_str(value).unwrap_or_else(|e| panic!("{e}")),
        );
        negotiate(&headers)
    }

    #[test]
    fn the_client_s_weights_choose_and_ties_go_to_the_fastest() {
        assert_eq!(negotiate(&HeaderMap::new()), None);
        assert_eq!(accept("gzip, deflate, br"), Some(Coding::Brotli));
        assert_eq!(accept("gzip, deflate, br, zstd"), Some(Coding::Zstd));
        assert_eq!(accept("gzip"), Some(Coding::Gzip));
        assert_eq!(accept("br;q=0.5, gzip;q=0.8"), Some(Coding::Gzip));
        assert_eq!(accept("br;q=0, gzip;q=0"), None);
        assert_eq!(accept("identity"), None);
        assert_eq!(accept("*"), Some(Coding::Zstd));
        assert_eq!(accept("*;q=0.1, br;q=0"), Some(Coding::Zstd));
        assert_eq!(accept("zstd;q=0, *"), Some(Coding::Brotli));
        assert_eq!(
            accept("GZIP;Q=1"),
            Some(Coding::Gzip),
            "names are case-insensitive"
        );
        assert_eq!(accept("br;q=2"), None, "a weight past 1 is malformed");
        assert_eq!(accept("br;q=0.001"), Some(Coding::Brotli));
    }

    #[test]
    fn each_coding_decodes_to_the_same_bytes() {
        let text: Vec<u8> = (0..5_000)
            .flat_map(|i| {
                format!("{{\"id\":\"commitment:{i}\",\"name\":\"pledge {i}\"}},").into_bytes()
            })
            .collect();
        for coding in [Coding::Zstd, Coding::Brotli, Coding::Gzip] {
            for level in [Level::Dynamic, Level::Static] {
                let encoded = coding.encode(&text, level).unwrap_or_default();
                assert!(encoded.len() < text.len() / 4, "{coding:?} {level:?}");
                let mut decoded = Vec::new();
                match coding {
                    Coding::Zstd => {
                        decoded = zstd::stream::decode_all(&encoded[..]).unwrap_or_default();
                    }
                    Coding::Brotli => {
                        let _ =
                            brotli::Decompressor::new(&encoded[..], 4096).read_to_end(&mut decoded);
                    }
                    Coding::Gzip => {
                        let _ =
                            flate2::read::GzDecoder::new(&encoded[..]).read_to_end(&mut decoded);
                    }
                }
                assert!(decoded == text, "{coding:?} {level:?} round trip");
            }
        }
    }

    #[test]
    fn the_window_holds_the_answer() {
        assert_eq!(window_bits(0), 10);
        assert_eq!(window_bits(1_500), 11);
        assert_eq!(window_bits(41_700), 16);
        assert_eq!(window_bits(usize::MAX), 24);
    }

    #[test]
    fn text_and_json_are_compressible_and_images_are_not() {
        let is = |t: &str| {
            compressible(Some(
                &HeaderValue::from_str(t).unwrap_or_else(|e| panic!("{e}")),
            ))
        };
        assert!(is("application/json"));
        assert!(is("application/graphql-response+json; charset=utf-8"));
        assert!(is("text/javascript; charset=utf-8"));
        assert!(is("image/svg+xml"));
        assert!(!is("image/png"));
        assert!(!is("font/woff2"));
        assert!(!compressible(None));
    }
}
