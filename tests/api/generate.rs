//! A generated graph loads: every record the generator yields is a change the graph
//! accepts, and the graph has about as many relations as asked for.

use pledgegraph::app::Config;
use pledgegraph::graph::KnowledgeGraph;
use pledgegraph::model::{Change, NodeKind};
use pledgegraph::seed::Record;
use pledgegraph::seed::generate::{GenerateOptions, generate};

fn graph(entities: usize, relations_per_entity: usize) -> KnowledgeGraph {
    KnowledgeGraph::from_seed(changes(entities, relations_per_entity))
        .unwrap_or_else(|e| panic!("{e}"))
}

/// The changes a generated graph of this size is loaded from.
fn changes(entities: usize, relations_per_entity: usize) -> Vec<Change> {
    let options = GenerateOptions {
        entities,
        relations_per_entity,
        rng_seed: 42,
    };
    let mut generator = generate(&options).unwrap_or_else(|e| panic!("{e}"));
    let changes: Vec<Change> = generator
        .by_ref()
        .map(|r| match r {
            Record::Entity(entity) => Change::CreateEntity { entity },
            Record::Relation(relation) => Change::AddRelation { relation },
        })
        .collect();
    assert_eq!(generator.error(), None);
    changes
}

#[test]
fn a_generated_graph_loads_with_the_relations_asked_for() {
    for r in [1, 5] {
        let g = graph(3000, r);
        assert_eq!(g.node_count(), 3000);
        let (edges, wanted) = (g.edge_count(), 3000 * r);
        assert!(
            edges.abs_diff(wanted) <= wanted / 10,
            "{edges} relations for {r} per entity"
        );
    }
}

#[test]
fn a_generated_graph_answers_lookups() {
    let g = graph(3000, 5);
    let japan = g.country_by_code("JP").map(|n| n.id.to_string());
    assert_eq!(japan.as_deref(), Some("country:jp"));
    assert_eq!(
        g.resolve("Tokyo").map(|n| n.id.to_string()).as_deref(),
        Some("country:jp")
    );
}

#[test]
fn a_loaded_graphs_search_answers_as_a_graph_changed_in_place() {
    // A load puts the search index's lists in the order of the ids, and searches stop
    // early in them; a graph given the same changes as an ordinary batch keeps its lists
    // in the order texts came and reads them whole. Generated names share words and
    // repeat, so many answers are ties broken by that order, and at this size the
    // common words' lists are long enough to be read in chunks.
    let changes = changes(20_000, 1);
    let loaded = KnowledgeGraph::from_seed(changes.clone()).unwrap_or_else(|e| panic!("{e}"));
    let mut changed = KnowledgeGraph::default();
    changed.apply(changes).unwrap_or_else(|e| panic!("{e}"));
    let bounds = Config::default().bounds();
    let mut queries = Vec::new();
    for kind in NodeKind::ALL {
        for node in loaded.nodes_of_kind(*kind).step_by(200) {
            let name = node.name.clone();
            let mut typo: Vec<char> = name.chars().collect();
            if typo.len() > 3 {
                typo.swap(1, 2);
            }
            queries.push(name.chars().take(4).collect());
            queries.push(name.split(' ').next().unwrap_or_default().to_string());
            queries.push(typo.into_iter().collect());
            queries.extend(node.aliases.first().cloned());
            queries.push(name);
        }
    }
    assert!(queries.len() > 300, "{}", queries.len());
    let answer = |g: &KnowledgeGraph, q: &str, kinds: &[NodeKind], limit| {
        let kinds = pledgegraph::graph::Only::from((!kinds.is_empty()).then_some(kinds));
        g.search(q, kinds, limit, &bounds)
            .into_iter()
            .map(|h| {
                format!(
                    "{} {} {:?} {:?} {}",
                    h.node.id, h.score, h.matched, h.field, h.text
                )
            })
            .collect::<Vec<_>>()
    };
    for q in &queries {
        for (kinds, limit) in [(&[][..], 1), (&[][..], 10), (&[NodeKind::Person][..], 5)] {
            assert_eq!(
                answer(&loaded, q, kinds, limit),
                answer(&changed, q, kinds, limit),
                "{q:?}, {kinds:?}, {limit}"
            );
        }
        assert_eq!(
            loaded.resolve(q).map(|n| n.id.to_string()),
            changed.resolve(q).map(|n| n.id.to_string()),
            "{q:?}"
        );
    }
}
