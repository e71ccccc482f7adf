//! Counts that describe a graph at a glance: what `check` prints.

use std::collections::BTreeMap;
use std::fmt;

use super::{Edge, FastMap, FastSet, KnowledgeGraph};
use crate::model::{EntityId, Node, NodeData, NodeKind, RelationKind, SourceRef};

/// Counts of a graph's nodes, relations, citations and caveats, with what they count:
/// the paragraphs each source has cited and the caveats by name.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Summary {
    /// The counts alone.
    pub counts: Counts,
    /// Distinct `(source, line)` paragraphs cited, per source.
    pub paragraphs_cited: BTreeMap<EntityId, usize>,
    /// Claims and statements carrying a caveat, as `id: field`.
    pub caveats: Vec<String>,
}

/// The numbers of a [`Summary`], without the lists behind them: as cheap to take as the
/// graph's kinds are few.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Counts {
    /// Nodes per kind.
    pub nodes: BTreeMap<NodeKind, usize>,
    /// Relations per kind, implied and explicit.
    pub relations: BTreeMap<RelationKind, usize>,
    /// Citations in all, on nodes, claims and relations.
    pub citations: usize,
    /// Claims in all.
    pub claims: usize,
    /// Claims ranked deprecated (values the source states wrongly).
    pub deprecated: usize,
    /// Claims and statements carrying a caveat.
    pub caveats: usize,
}

impl KnowledgeGraph {
    /// The counts as they stand, with the paragraphs and caveats they count. The counts
    /// and caveats are kept up to date by every change; the paragraphs are found by
    /// reading every citation once, since only `check` asks for them.
    pub fn summary(&self) -> Summary {
        Summary {
            counts: self.counts(),
            paragraphs_cited: self.paragraphs_cited(),
            caveats: self.tally.caveats.values().flatten().cloned().collect(),
        }
    }

    /// The counts as they stand, without copying any list.
    pub fn counts(&self) -> Counts {
        self.tally.counts()
    }

    /// Distinct lines cited of each source, by the citations [`Tally`] counts: those of
    /// nodes, their claims and explicit relations.
    fn paragraphs_cited(&self) -> BTreeMap<EntityId, usize> {
        fn note<'g>(lines: &mut FastMap<&'g EntityId, FastSet<u32>>, refs: &'g [SourceRef]) {
            for r in refs.iter().filter(|r| r.line.is_some()) {
                lines.entry(&r.source).or_default().extend(r.line);
            }
        }
        let mut lines = FastMap::default();
        for node in self.graph.node_weights() {
            note(&mut lines, &node.sources);
            for (_, claims) in node.claim_sets() {
                claims
                    .iter()
                    .for_each(|claim| note(&mut lines, claim.sources));
            }
        }
        for edge in self.graph.edge_weights() {
            if edge.implied_by.is_none() {
                note(&mut lines, &edge.relation.sources);
            }
        }
        lines
            .into_iter()
            .map(|(source, lines)| (source.clone(), lines.len()))
            .collect()
    }
}

/// The running counts behind [`Summary`]: each node and relation adds its share when it
/// joins the graph and takes it back when it leaves, so a change costs what it touches.
#[derive(Debug, Clone, Default)]
pub(super) struct Tally {
    nodes: BTreeMap<NodeKind, usize>,
    relations: BTreeMap<RelationKind, usize>,
    citations: usize,
    claims: usize,
    deprecated: usize,
    /// The caveats of each node, in the order [`Summary::caveats`] lists them.
    caveats: BTreeMap<(NodeKind, EntityId), Vec<String>>,
    /// How many caveats `caveats` holds in all.
    caveat_count: usize,
}

impl Tally {
    /// The counts alone.
    pub fn counts(&self) -> Counts {
        Counts {
            nodes: nonzero(&self.nodes),
            relations: nonzero(&self.relations),
            citations: self.citations,
            claims: self.claims,
            deprecated: self.deprecated,
            caveats: self.caveat_count,
        }
    }

    /// Counts a node in (`add`) or out.
    pub fn node(&mut self, node: &Node, add: bool) {
        bump(self.nodes.entry(node.kind()).or_default(), add);
        self.cite(&node.sources, add);
        let mut caveats = Vec::new();
        for (field, claims) in node.claim_sets() {
            for claim in claims {
                bump(&mut self.claims, add);
                self.cite(claim.sources, add);
                if claim.deprecated {
                    bump(&mut self.deprecated, add);
                }
                if claim.caveat {
                    caveats.push(format!("{}: {field}", node.id));
                }
            }
        }
        if let NodeData::Statement(st) = &node.data
            && st.caveat.is_some()
        {
            caveats.push(format!("{}: caveat", node.id));
        }
        let key = (node.kind(), node.id.clone());
        if !add {
            if let Some(gone) = self.caveats.remove(&key) {
                self.caveat_count -= gone.len();
            }
        } else if !caveats.is_empty() {
            self.caveat_count += caveats.len();
            if let Some(replaced) = self.caveats.insert(key, caveats) {
                self.caveat_count -= replaced.len();
            }
        }
    }

    /// Counts a relation in (`add`) or out.
    pub fn edge(&mut self, edge: &Edge, add: bool) {
        bump(self.relations.entry(edge.relation.kind).or_default(), add);
        if edge.implied_by.is_none() {
            self.cite(&edge.relation.sources, add);
        }
    }

    fn cite(&mut self, refs: &[SourceRef], add: bool) {
        if add {
            self.citations += refs.len();
        } else {
            self.citations = self.citations.saturating_sub(refs.len());
        }
    }
}

/// The counts that are not zero: a kind whose last node left is not listed.
fn nonzero<K: Ord + Copy>(counts: &BTreeMap<K, usize>) -> BTreeMap<K, usize> {
    counts
        .iter()
        .filter(|(_, n)| **n > 0)
        .map(|(k, n)| (*k, *n))
        .collect()
}

fn bump(n: &mut usize, add: bool) {
    if add {
        *n += 1;
    } else {
        *n = n.saturating_sub(1);
    }
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let c = &self.counts;
        let total: usize = c.nodes.values().sum();
        writeln!(f, "nodes: {total}")?;
        for (kind, n) in &c.nodes {
            writeln!(f, "  {:<16} {n}", kind.type_name())?;
        }
        let total: usize = c.relations.values().sum();
        writeln!(f, "relations: {total}")?;
        for (kind, n) in &c.relations {
            writeln!(f, "  {:<16} {n}", kind.as_str())?;
        }
        writeln!(f, "citations: {}", c.citations)?;
        for (source, n) in &self.paragraphs_cited {
            writeln!(f, "  {source}: {n} paragraphs cited")?;
        }
        writeln!(f, "claims: {} ({} deprecated)", c.claims, c.deprecated)?;
        writeln!(f, "caveats: {}", c.caveats)?;
        for c in &self.caveats {
            writeln!(f, "  {c}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use super::*;
    use crate::model::{CommitmentKind, Period};

    #[test]
    fn counts_nodes_relations_citations_and_claims() {
        let g = KnowledgeGraph::build(
            vec![
                country("jp", "Japan"),
                country("us", "United States"),
                pledge(Pledge {
                    id: "commitment:a",
                    by: "country:jp",
                    to: "country:us",
                    kind: CommitmentKind::Investment,
                    amount: Some(money("1", "USD")),
                    period: Period::OneOff,
                    part_of: None,
                }),
            ],
            vec![relation(RelationKind::AllyOf, "country:us", "country:jp")],
        )
        .unwrap();
        let s = g.summary();
        let c = &s.counts;
        assert_eq!(c.nodes.get(&NodeKind::Country), Some(&2));
        assert_eq!(c.relations.get(&RelationKind::Pledged), Some(&1));
        assert_eq!(c.relations.get(&RelationKind::AllyOf), Some(&1));
        // 3 nodes + 2 claims + 1 explicit relation, all citing source:doc line 1.
        assert_eq!(c.citations, 6);
        assert_eq!(s.paragraphs_cited.get(&id("source:doc")), Some(&1));
        assert_eq!(
            (c.claims, c.deprecated, c.caveats, s.caveats.len()),
            (2, 0, 0, 0)
        );
        assert!(s.to_string().contains("nodes: 3"));
    }
}
