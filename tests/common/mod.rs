//! Helpers shared by the integration tests: the real seed, its graph and the source article.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use pledgegraph::graph::KnowledgeGraph;
use pledgegraph::model::{EntityId, Node};

/// The repository root.
pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The real seed directory.
pub fn seed_dir() -> PathBuf {
    root().join("seed")
}

/// The graph of the real seed, built once per test binary.
pub fn graph() -> &'static KnowledgeGraph {
    static GRAPH: OnceLock<KnowledgeGraph> = OnceLock::new();
    GRAPH.get_or_init(|| {
        let seed = pledgegraph::seed::load_dir(&seed_dir())
            .unwrap_or_else(|e| panic!("the real seed must load:\n{e}"));
        KnowledgeGraph::from_seed(seed)
            .unwrap_or_else(|e| panic!("the real seed must build a graph: {e}"))
    })
}

/// A node of the real seed that must exist.
pub fn node(id: &str) -> &'static Node {
    graph()
        .node(id)
        .unwrap_or_else(|| panic!("the seed has no node `{id}`"))
}

/// Parses an id that the test knows is well formed.
pub fn id(text: &str) -> EntityId {
    EntityId::parse(text).unwrap_or_else(|e| panic!("{e}"))
}

/// The lines of the source article, 1-based (index 0 is empty).
pub fn article_lines() -> Vec<String> {
    let path = root().join("../shared/sources/trade-talks-2025-07.txt");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "the source article must sit at {} beside the project: {e}",
            path.display()
        )
    });
    std::iter::once(String::new())
        .chain(text.lines().map(str::to_string))
        .collect()
}
