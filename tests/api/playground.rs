//! The playground is served from the binary: the page and every asset it
//! references come from the server, nothing points outside it, and its
//! example queries run against the schema.

use crate::helpers;

use crate::helpers::server;

/// The values of `attr="…"` in `html`.
fn attributes(html: &str, attr: &str) -> Vec<String> {
    let needle = format!("{attr}=\"");
    html.match_indices(&needle)
        .filter_map(|(i, _)| {
            html[i + needle.len()..]
                .split('"')
                .next()
                .map(str::to_string)
        })
        .collect()
}

/// The targets of `url(…)` in a stylesheet.
fn css_urls(css: &str) -> Vec<String> {
    css.match_indices("url(")
        .filter_map(|(i, _)| css[i + 4..].split(')').next())
        .map(|u| {
            u.trim_matches(|c| c == '"' || c == '\'' || c == ' ')
                .to_string()
        })
        .collect()
}

/// Resolves `target` against the path of the file that references it.
fn resolve(from: &str, target: &str) -> String {
    if target.starts_with('/') {
        return target.to_string();
    }
    let mut parts: Vec<&str> = from
        .rsplit_once('/')
        .map(|(dir, _)| dir)
        .unwrap_or("")
        .split('/')
        .collect();
    for piece in target.split('/') {
        match piece {
            ".." => {
                parts.pop();
            }
            "." => {}
            p => parts.push(p),
        }
    }
    parts.join("/")
}

fn body(path: &str) -> (u16, String, Option<String>, Option<String>) {
    let (status, r) = server().get(path);
    let ctype = r.header("Content-Type").map(str::to_string);
    let csp = r.header("Content-Security-Policy").map(str::to_string);
    let mut bytes = Vec::new();
    let _ = std::io::Read::read_to_end(&mut r.into_reader(), &mut bytes);
    (
        status,
        String::from_utf8_lossy(&bytes).into_owned(),
        ctype,
        csp,
    )
}

fn is_local(reference: &str) -> bool {
    !(reference.contains("://") || reference.starts_with("//") || reference.starts_with("data:"))
}

#[test]
fn the_page_and_all_its_assets_come_from_the_server() {
    let (status, html, ctype, csp) = body("/");
    assert_eq!(status, 200);
    assert!(ctype.unwrap_or_default().starts_with("text/html"));
    assert_eq!(
        csp.as_deref(),
        Some("default-src 'self'"),
        "a stray external reference must fail loudly"
    );
    assert!(
        !html.contains("<script>") && !html.contains("style=\""),
        "no inline script or style"
    );
    let mut references: Vec<String> = attributes(&html, "src")
        .into_iter()
        .chain(attributes(&html, "href"))
        .collect();
    assert!(references.len() >= 6, "{references:?}");
    let mut checked = 0;
    while let Some(reference) = references.pop() {
        assert!(
            is_local(&reference),
            "the playground points outside the server: {reference}"
        );
        let (status, text, _, _) = body(&reference);
        assert_eq!(status, 200, "{reference}");
        checked += 1;
        if reference.ends_with(".css") {
            for url in css_urls(&text) {
                assert!(
                    is_local(&url),
                    "{reference} points outside the server: {url}"
                );
                references.push(resolve(&reference, &url));
            }
        }
    }
    assert!(checked > 20, "fonts and icons are checked too ({checked})");
}

#[test]
fn the_vendored_manifest_and_licenses_are_served_beside_the_files() {
    let (status, manifest, _, _) = body("/assets/vendor/MANIFEST.md");
    assert_eq!(status, 200);
    for package in [
        "graphiql",
        "react",
        "react-dom",
        "@graphiql/plugin-explorer",
    ] {
        assert!(manifest.contains(package), "{package} is listed");
    }
    let (missing, _, _, _) = body("/assets/nope.js");
    assert_eq!(missing, 404);
}

#[test]
fn the_example_queries_run_without_errors() {
    let (_, js, _, _) = body("/assets/playground/playground.js");
    let start = js
        .find("EXAMPLE_TABS = [")
        .unwrap_or_else(|| panic!("no EXAMPLE_TABS in playground.js"));
    let block = &js[start..];
    let block = &block[..block.find("];").unwrap_or(block.len())];
    let queries: Vec<&str> = block.split('`').skip(1).step_by(2).collect();
    assert!(queries.len() >= 5, "{}", queries.len());
    for q in queries {
        let data = server().data(q);
        assert!(
            data.as_object()
                .is_some_and(|o| o.values().all(|v| !v.is_null())),
            "{q} answered {data}"
        );
    }
}

#[test]
fn the_schema_file_is_served_as_checked_in() {
    let (status, sdl, _, _) = body("/schema.graphql");
    assert_eq!(status, 200);
    assert_eq!(
        sdl,
        std::fs::read_to_string(helpers::root().join("schema.graphql")).unwrap_or_default()
    );
}

#[test]
fn responses_are_compressed_when_the_client_accepts_it() {
    let url = format!(
        "{}/assets/vendor/graphiql-4.1.2/graphiql.min.js",
        server().base
    );
    let r = crate::helpers::get(&url)
        .set("Accept-Encoding", "gzip")
        .call()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.header("Content-Encoding"), Some("gzip"));
    let plain = crate::helpers::get(&url)
        .call()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(plain.header("Content-Encoding"), None);
}

#[test]
fn health_reports_what_is_loaded() {
    let (status, text, ctype, _) = body("/healthz");
    assert_eq!(status, 200);
    assert!(ctype.unwrap_or_default().contains("json"));
    let v: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
    assert_eq!(v["status"], "ok");
    assert!(v["relations"].as_u64().unwrap_or(0) > 100);
}

/// A GraphQL answer of a kilobyte or more comes compressed in the coding the client
/// prefers, with `Vary: Accept-Encoding`, and decodes to the very answer sent without
/// compression; a smaller one comes as it is.
#[test]
fn large_answers_are_compressed_and_small_ones_are_not() {
    use std::io::Read;
    let url = format!("{}/graphql", server().base);
    let post = |query: &str, encoding: Option<&str>| {
        let mut request = crate::helpers::post(&url).set("Content-Type", "application/json");
        if let Some(encoding) = encoding {
            request = request.set("Accept-Encoding", encoding);
        }
        let body = serde_json::json!({ "query": query }).to_string();
        let r = request.send_string(&body).unwrap_or_else(|e| panic!("{e}"));
        let encoding = r.header("Content-Encoding").map(str::to_string);
        let vary = r.header("Vary").map(str::to_string);
        let mut bytes = Vec::new();
        let _ = r.into_reader().read_to_end(&mut bytes);
        (encoding, vary, bytes)
    };
    let large = "{ neighborhood(ids: [\"country:jp\"], depth: 2, limit: 200) { nodes { id label } edges { id kind } } }";
    let (none, vary, plain) = post(large, None);
    assert_eq!(none, None);
    assert_eq!(vary.as_deref(), Some("accept-encoding"));
    assert!(plain.len() > 4_096, "{} bytes", plain.len());
    type Decode = fn(&[u8]) -> Vec<u8>;
    let decoders: [(&str, Decode); 3] = [
        ("br", |b| {
            let mut out = Vec::new();
            let _ = brotli::Decompressor::new(b, 4096).read_to_end(&mut out);
            out
        }),
        ("gzip", |b| {
            let mut out = Vec::new();
            let _ = flate2::read::GzDecoder::new(b).read_to_end(&mut out);
            out
        }),
        ("zstd", |b| zstd::stream::decode_all(b).unwrap_or_default()),
    ];
    for (name, decode) in decoders {
        let accept = format!("identity;q=0.5, {name}, deflate;q=0.9");
        let (encoding, vary, bytes) = post(large, Some(&accept));
        assert_eq!(encoding.as_deref(), Some(name));
        assert_eq!(vary.as_deref(), Some("accept-encoding"));
        assert!(
            bytes.len() < plain.len() / 3,
            "{name}: {} of {}",
            bytes.len(),
            plain.len()
        );
        assert!(
            decode(&bytes) == plain,
            "{name} decodes to the plain answer"
        );
    }
    let (encoding, _, small) = post("{ stats { entities } }", Some("gzip, deflate, br, zstd"));
    assert_eq!(encoding, None, "{} bytes go as they are", small.len());
    assert!(serde_json::from_slice::<serde_json::Value>(&small).is_ok());
}
