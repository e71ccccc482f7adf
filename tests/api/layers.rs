//! The layers depend only downwards (DESIGN.md): `model` at the bottom; `seed`, `store`
//! and `graph` on `model` alone; `app` on those; `api` on `app` and below; `http` on `api` and
//! below; the binary (`main.rs`, `cli.rs`) through `app` and `http` only.

use crate::helpers;

/// Each layer of `src/` and the layers it may use.
const LAYERS: &[(&str, &[&str])] = &[
    ("model", &[]),
    ("seed", &["model"]),
    ("graph", &["model"]),
    ("store", &["model"]),
    ("app", &["model", "seed", "graph", "store"]),
    ("api", &["model", "graph", "app"]),
    ("http", &["model", "graph", "app", "api"]),
];

/// Every `.rs` file under `dir`, recursively.
fn rust_files(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.unwrap_or_else(|e| panic!("{e}")).path();
        if path.is_dir() {
            out.extend(rust_files(&path));
        } else if path.extension().is_some_and(|x| x == "rs") {
            out.push(path);
        }
    }
    out
}

/// The layers `text` names after `prefix` (`crate::seed::Seed`, `crate::{api, graph::X}`),
/// in the order of [`LAYERS`].
fn named_layers(text: &str, prefix: &str) -> Vec<&'static str> {
    let ident = |s: &str| -> String {
        s.chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect()
    };
    let mut names = Vec::new();
    for (at, _) in text.match_indices(prefix) {
        let rest = &text[at + prefix.len()..];
        if let Some(group) = rest.strip_prefix('{') {
            // The first segment of each item of the group, at the group's top level.
            let mut depth = 0;
            let mut item_start = true;
            for (i, c) in group.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => item_start = true,
                    c if c.is_whitespace() => {}
                    _ if item_start && depth == 0 => {
                        names.push(ident(&group[i..]));
                        item_start = false;
                    }
                    _ => {}
                }
            }
        } else {
            names.push(ident(rest));
        }
    }
    LAYERS
        .iter()
        .map(|(layer, _)| *layer)
        .filter(|layer| names.iter().any(|n| n == layer))
        .collect()
}

#[test]
fn every_layer_uses_only_the_layers_below_it() {
    let src = helpers::root().join("src");
    let mut wrong = Vec::new();
    for (layer, allowed) in LAYERS {
        for file in rust_files(&src.join(layer)) {
            let text = std::fs::read_to_string(&file).unwrap_or_default();
            for used in named_layers(&text, "crate::") {
                if used != *layer && !allowed.contains(&used) {
                    wrong.push(format!("{} uses {used}", file.display()));
                }
            }
        }
    }
    for file in ["main.rs", "cli.rs"] {
        let text = std::fs::read_to_string(src.join(file)).unwrap_or_default();
        for used in named_layers(&text, "pledgegraph::") {
            if !["app", "http"].contains(&used) {
                wrong.push(format!("src/{file} uses {used}"));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "uses against the layers:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn the_layer_check_sees_a_use_against_the_layers() {
    assert_eq!(named_layers("use crate::seed::Seed;", "crate::"), ["seed"]);
    assert_eq!(
        named_layers("use crate::{api, graph::{X, Y}, model};", "crate::"),
        ["model", "graph", "api"]
    );
    assert_eq!(
        named_layers("crate::http::serve(l, a)", "crate::"),
        ["http"]
    );
    assert!(named_layers("use crate::modelling;", "crate::").is_empty());
}
