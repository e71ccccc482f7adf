//! A generated graph loads: every record the generator yields is a change the graph
//! accepts, and the graph has about as many relations as asked for.

use pledgegraph::graph::KnowledgeGraph;
use pledgegraph::model::Change;
use pledgegraph::seed::Record;
use pledgegraph::seed::generate::{GenerateOptions, generate};

fn graph(entities: usize, relations_per_entity: usize) -> KnowledgeGraph {
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
    KnowledgeGraph::from_seed(changes).unwrap_or_else(|e| panic!("{e}"))
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
