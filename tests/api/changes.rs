//! A graph that changes: the seed's own changes build the graph the seed describes, and
//! they survive their stored form.

use std::collections::BTreeMap;

use pledgegraph::graph::{Edge, KnowledgeGraph};
use pledgegraph::model::{Change, ChangeBatch, Node, NodeKind};

use crate::helpers::{graph_owned, seed_dir};

fn seed() -> pledgegraph::seed::Seed {
    pledgegraph::seed::load_dir(&seed_dir()).unwrap_or_else(|e| panic!("{e}"))
}

fn nodes(g: &KnowledgeGraph) -> BTreeMap<String, Node> {
    NodeKind::ALL
        .iter()
        .flat_map(|k| g.nodes_of_kind(*k))
        .map(|n| (n.id.to_string(), n.clone()))
        .collect()
}

fn edges(g: &KnowledgeGraph) -> BTreeMap<String, Edge> {
    g.edges().map(|e| (e.id.clone(), e.clone())).collect()
}

#[test]
fn the_seeds_changes_build_the_graph_the_seed_describes() {
    let described = {
        let seed = seed();
        KnowledgeGraph::build(seed.nodes, seed.relations).unwrap_or_else(|e| panic!("{e}"))
    };
    let changes = seed().into_changes();
    let creates = changes
        .iter()
        .filter(|c| matches!(c, Change::CreateEntity { .. }))
        .count();
    assert_eq!(creates, described.node_count());
    let built = KnowledgeGraph::from_seed(changes).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(built.version(), 0, "the seed is version 0");
    assert_eq!(nodes(&built), nodes(&described), "node for node");
    assert_eq!(edges(&built), edges(&described), "relation for relation");
    assert_eq!(built.summary(), described.summary());
    assert!(built.node_count() > 60 && built.edge_count() > 150);
}

#[test]
fn the_seeds_changes_survive_their_stored_form() {
    let batch = ChangeBatch::new(seed().into_changes());
    let json = batch.to_json();
    assert!(json.starts_with(r#"{"format":1,"#), "{}", &json[..40]);
    assert!(
        json.contains(r#""amount":"550000000000""#),
        "money is an exact string"
    );
    let read = ChangeBatch::from_json(&json).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(read, batch);
    let g = KnowledgeGraph::from_seed(read.changes).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(nodes(&g), nodes(&graph_owned()));
    let future = json.replacen(r#""format":1"#, r#""format":2"#, 1);
    let err = ChangeBatch::from_json(&future).map(|_| ()).unwrap_err();
    assert!(err.to_string().contains("format 2 is not known"), "{err}");
}
