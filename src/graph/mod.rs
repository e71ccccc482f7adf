//! The knowledge graph: petgraph for the structure, with indexes beside it
//! for ids, kinds, names and commitments, so no question about one entity
//! scans the whole graph. Sync and pure: no server or store needed.

mod bounds;
mod commitments;
mod error;
mod exchange;
mod explore;
mod paths;
mod query;
mod search;
mod summary;
#[cfg(test)]
pub(crate) mod testing;
mod timeline;
mod totals;
mod traverse;

use std::collections::{HashMap, HashSet};

use petgraph::stable_graph::{EdgeIndex, NodeIndex, StableDiGraph};

use crate::model::{EntityId, Node, NodeData, NodeKind, Relation};

pub use bounds::Bounds;
pub use commitments::{CommitmentFilter, CommitmentOrder, DecimalRange};
pub use error::GraphError;
pub use exchange::{Exchange, TariffChange};
pub use explore::{Subgraph, SubgraphNode};
pub use paths::{Path, PathOptions, PathStep};
pub use query::{Field as FilterField, Filter, Op, Order, Sort, SortKey, Value, values};
pub use search::{Field, MatchKind};
pub use summary::Summary;
pub use timeline::{TimelineEntry, TimelineKey, TimelineKind};
pub use totals::{GroupBy, PledgeTotal};
pub use traverse::{Direction, Neighbor, NeighborKey};

use commitments::MoneyIndex;
use search::SearchIndex;

/// A relation as stored on an edge, with the node field that implied it, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edge {
    /// A stable id from what the relation is ([`Relation::id`]): `from|kind|to`, with `#key`
    /// where the data names a discriminator; never from load order.
    pub id: String,
    /// The relation.
    pub relation: Relation,
    /// The field of the `from` or `to` node that implies it; none for an explicit relation.
    pub implied_by: Option<&'static str>,
}

/// One search result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit<'g> {
    /// The node found.
    pub node: &'g Node,
    /// Higher is better; comparable within one search.
    pub score: u32,
    /// How the query matched.
    pub matched: MatchKind,
    /// Which text of the node matched.
    pub field: Field,
    /// The text that matched, as written.
    pub text: String,
}

/// The knowledge graph with its indexes.
#[derive(Debug, Default)]
pub struct KnowledgeGraph {
    graph: StableDiGraph<Node, Edge>,
    by_id: HashMap<EntityId, NodeIndex>,
    by_kind: HashMap<NodeKind, Vec<NodeIndex>>,
    by_code: HashMap<String, NodeIndex>,
    search: SearchIndex,
    money: MoneyIndex,
    summary: Summary,
}

impl KnowledgeGraph {
    /// Builds the graph from nodes and the relations their fields do not imply.
    pub fn build(nodes: Vec<Node>, relations: Vec<Relation>) -> Result<Self, GraphError> {
        let mut g = KnowledgeGraph::default();
        for node in nodes {
            if g.by_id.contains_key(&node.id) {
                return Err(GraphError::DuplicateId(node.id.to_string()));
            }
            let id = node.id.clone();
            let kind = node.kind();
            let code = match &node.data {
                NodeData::Country(c) => c.code.clone(),
                _ => None,
            };
            let ix = g.graph.add_node(node);
            if let Some(code) = code {
                g.by_code.insert(code.to_ascii_uppercase(), ix);
            }
            g.by_id.insert(id, ix);
            g.by_kind.entry(kind).or_default().push(ix);
        }
        let mut edges: Vec<Edge> = Vec::new();
        for ix in g.graph.node_indices() {
            let node = &g.graph[ix];
            edges.extend(node.implied_relations().into_iter().map(|i| Edge {
                id: String::new(),
                relation: i.relation,
                implied_by: Some(i.field),
            }));
        }
        edges.extend(relations.into_iter().map(|relation| Edge {
            id: String::new(),
            relation,
            implied_by: None,
        }));
        let mut seen: HashSet<String> = HashSet::new();
        for mut edge in edges {
            edge.id = edge.relation.id();
            if !seen.insert(edge.id.clone()) {
                return Err(GraphError::DuplicateRelation(edge.id));
            }
            g.add_edge(edge)?;
        }
        for list in g.by_kind.values_mut() {
            list.sort_by(|a, b| g.graph[*a].id.cmp(&g.graph[*b].id));
        }
        g.index_text();
        g.money = MoneyIndex::build(&g.graph);
        g.summary = g.count();
        Ok(g)
    }

    fn add_edge(&mut self, edge: Edge) -> Result<EdgeIndex, GraphError> {
        let r = &edge.relation;
        r.kind.check(r.from.kind(), r.to.kind())?;
        let lookup = |id: &EntityId| {
            self.by_id
                .get(id)
                .copied()
                .ok_or_else(|| GraphError::Dangling {
                    from: r.from.to_string(),
                    field: edge.implied_by.unwrap_or(r.kind.as_str()).to_string(),
                    to: id.to_string(),
                })
        };
        let (a, b) = (lookup(&r.from)?, lookup(&r.to)?);
        Ok(self.graph.add_edge(a, b, edge))
    }

    fn index_text(&mut self) {
        for ix in self.graph.node_indices() {
            let node = &self.graph[ix];
            let doc = ix.index() as u32;
            self.search.add(doc, Field::Name, &node.name);
            for alias in &node.aliases {
                self.search.add(doc, Field::Alias, alias);
            }
            self.search.add(doc, Field::Text, &node.description);
            if let NodeData::Statement(s) = &node.data {
                for quote in &s.quotes {
                    self.search.add(doc, Field::Text, quote);
                }
                // Wrong attributions too, so that searching the source's wording finds the
                // statement, its deprecated claim and the correction beside it.
                for claim in s.attributed_to.all() {
                    self.search.add(doc, Field::Text, &claim.value);
                }
            }
        }
        self.search.finish();
    }

    /// The node with this id.
    pub fn get(&self, id: &EntityId) -> Option<&Node> {
        self.by_id.get(id).map(|ix| &self.graph[*ix])
    }

    /// The node with this id, given as text; `None` for an unknown or malformed id.
    pub fn node(&self, id: &str) -> Option<&Node> {
        EntityId::parse(id).ok().and_then(|id| self.get(&id))
    }

    /// The country with this ISO code, in any case.
    pub fn country_by_code(&self, code: &str) -> Option<&Node> {
        self.by_code
            .get(&code.to_ascii_uppercase())
            .map(|ix| &self.graph[*ix])
    }

    /// The nodes of one kind, ordered by id.
    pub fn nodes_of_kind(&self, kind: NodeKind) -> impl Iterator<Item = &Node> {
        self.by_kind
            .get(&kind)
            .into_iter()
            .flatten()
            .map(|ix| &self.graph[*ix])
    }

    /// How many nodes the graph holds.
    pub fn node_count(&self) -> usize {
        self.graph.node_count()
    }

    /// How many edges the graph holds.
    pub fn edge_count(&self) -> usize {
        self.graph.edge_count()
    }

    /// Every edge, in insertion order.
    pub fn edges(&self) -> impl Iterator<Item = &Edge> {
        self.graph.edge_indices().map(|e| &self.graph[e])
    }

    /// Ranked hits for `text` among nodes of `kinds` (all kinds when empty):
    /// exact name, then alias, then whole tokens, then prefixes, then words
    /// within two typos; case, accents and punctuation do not matter. Only the
    /// first `bounds.search_chars` characters and `bounds.search_words` words count.
    pub fn search(
        &self,
        text: &str,
        kinds: &[NodeKind],
        limit: usize,
        bounds: &Bounds,
    ) -> Vec<Hit<'_>> {
        let accept = |doc: u32| {
            kinds.is_empty()
                || self
                    .graph
                    .node_weight(NodeIndex::new(doc as usize))
                    .is_some_and(|n| kinds.contains(&n.kind()))
        };
        self.search
            .search(
                text,
                limit,
                (bounds.search_chars, bounds.search_words),
                &accept,
            )
            .into_iter()
            .filter_map(|h| {
                let node = self.graph.node_weight(NodeIndex::new(h.doc as usize))?;
                Some(Hit {
                    node,
                    score: h.score,
                    matched: h.matched,
                    field: h.field,
                    text: h.text,
                })
            })
            .collect()
    }

    /// The node a name, alias or metonym stands for: the best exact name or
    /// alias match, if any. The whole name is read: `name` is the caller's own, not a
    /// client's search text.
    pub fn resolve(&self, name: &str) -> Option<&Node> {
        self.search
            .search(name, 1, (usize::MAX, usize::MAX), &|_| true)
            .into_iter()
            .filter_map(|h| {
                let node = self.graph.node_weight(NodeIndex::new(h.doc as usize))?;
                Some((h.matched, node))
            })
            .find(|(matched, _)| matches!(matched, MatchKind::ExactName | MatchKind::ExactAlias))
            .map(|(_, node)| node)
    }

    pub(crate) fn index_of(&self, id: &EntityId) -> Option<NodeIndex> {
        self.by_id.get(id).copied()
    }
}

#[cfg(test)]
mod tests {
    use super::testing::*;
    use super::*;
    use crate::model::RelationKind;

    #[test]
    fn builds_nodes_and_implied_and_explicit_edges() {
        let g = KnowledgeGraph::build(
            vec![country("jp", "Japan"), country("kr", "South Korea")],
            vec![relation(RelationKind::RivalOf, "country:kr", "country:jp")],
        )
        .unwrap();
        assert_eq!((g.node_count(), g.edge_count()), (2, 1));
        assert_eq!(g.node("country:jp").map(|n| n.name.as_str()), Some("Japan"));
        assert!(g.node("country:xx").is_none());
        assert!(g.node("not an id").is_none());
        let ids: Vec<_> = g
            .nodes_of_kind(NodeKind::Country)
            .map(|n| n.id.as_str())
            .collect();
        assert_eq!(ids, ["country:jp", "country:kr"]);
        assert_eq!(g.nodes_of_kind(NodeKind::Person).count(), 0);
    }

    #[test]
    fn refuses_duplicates_dangling_ends_and_misfit_kinds() {
        let dup =
            KnowledgeGraph::build(vec![country("jp", "Japan"), country("jp", "Japan")], vec![]);
        assert_eq!(
            dup.unwrap_err(),
            GraphError::DuplicateId("country:jp".into())
        );
        let dangling = KnowledgeGraph::build(
            vec![country("jp", "Japan")],
            vec![relation(RelationKind::AllyOf, "country:jp", "country:us")],
        );
        assert!(
            matches!(dangling.unwrap_err(), GraphError::Dangling { to, .. } if to == "country:us")
        );
        let misfit = KnowledgeGraph::build(
            vec![country("jp", "Japan"), country("us", "United States")],
            vec![relation(RelationKind::Pledged, "country:jp", "country:us")],
        );
        assert!(matches!(misfit.unwrap_err(), GraphError::Invalid(_)));
    }

    #[test]
    fn relation_ids_come_from_content_not_load_order() {
        let nodes = || vec![country("jp", "Japan"), country("us", "United States")];
        let keyed = |key: &str| {
            let mut r = relation(RelationKind::AllyOf, "country:jp", "country:us");
            r.key = Some(key.into());
            r
        };
        let ids = |relations: Vec<Relation>| {
            let g = KnowledgeGraph::build(nodes(), relations).unwrap();
            let mut ids: Vec<String> = g.edges().map(|e| e.id.clone()).collect();
            ids.sort();
            ids
        };
        let forward = ids(vec![keyed("treaty"), keyed("summit")]);
        assert_eq!(
            forward,
            [
                "country:jp|ally-of|country:us#summit",
                "country:jp|ally-of|country:us#treaty"
            ]
        );
        assert_eq!(ids(vec![keyed("summit"), keyed("treaty")]), forward);
        let twice = vec![
            relation(RelationKind::AllyOf, "country:jp", "country:us"),
            relation(RelationKind::AllyOf, "country:jp", "country:us"),
        ];
        assert_eq!(
            KnowledgeGraph::build(nodes(), twice).unwrap_err(),
            GraphError::DuplicateRelation("country:jp|ally-of|country:us".into())
        );
    }

    #[test]
    fn search_and_resolve_go_through_the_index() {
        let mut jp = country("jp", "Japan");
        jp.aliases.push("Tokyo".into());
        let g = KnowledgeGraph::build(vec![jp, country("kr", "South Korea")], vec![]).unwrap();
        assert_eq!(
            g.resolve("tokyo").map(|n| n.id.as_str()),
            Some("country:jp")
        );
        assert_eq!(
            g.resolve("Korea"),
            None,
            "a token match is not a resolution"
        );
        let hits = g.search("korea", &[NodeKind::Country], 5, &BOUNDS);
        assert_eq!(hits.len(), 1);
        assert_eq!(
            (hits[0].node.id.as_str(), hits[0].matched),
            ("country:kr", MatchKind::Token)
        );
        assert!(
            g.search("korea", &[NodeKind::Person], 5, &BOUNDS)
                .is_empty(),
            "kinds filter"
        );
    }
}
