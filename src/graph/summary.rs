//! Counts that describe a graph at a glance: what `check` prints.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use super::KnowledgeGraph;
use crate::model::{EntityId, Node, NodeData, NodeKind, RelationKind};

/// Counts of a graph's nodes, relations, citations and caveats.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Summary {
    /// Nodes per kind.
    pub nodes: BTreeMap<NodeKind, usize>,
    /// Relations per kind, implied and explicit.
    pub relations: BTreeMap<RelationKind, usize>,
    /// Distinct `(source, line)` paragraphs cited, per source.
    pub paragraphs_cited: BTreeMap<EntityId, usize>,
    /// Citations in all, on nodes, claims and relations.
    pub citations: usize,
    /// Claims in all.
    pub claims: usize,
    /// Claims and statements carrying a caveat, as `id: field`.
    pub caveats: Vec<String>,
    /// Claims ranked deprecated (values the source states wrongly).
    pub deprecated: usize,
}

impl KnowledgeGraph {
    /// The counts, taken once when the graph was built.
    pub fn summary(&self) -> &Summary {
        &self.summary
    }

    /// Counts everything in the graph.
    pub(super) fn count(&self) -> Summary {
        let mut s = Summary::default();
        let mut cited: BTreeSet<(EntityId, u32)> = BTreeSet::new();
        let mut cite = |refs: &[crate::model::SourceRef], s: &mut Summary| {
            s.citations += refs.len();
            for r in refs {
                if let Some(line) = r.line {
                    cited.insert((r.source.clone(), line));
                }
            }
        };
        for kind in NodeKind::ALL {
            for node in self.nodes_of_kind(*kind) {
                *s.nodes.entry(*kind).or_default() += 1;
                cite(&node.sources, &mut s);
                for (field, claim) in claims_of(node) {
                    s.claims += 1;
                    cite(claim.0, &mut s);
                    if claim.2 {
                        s.deprecated += 1;
                    }
                    if claim.1 {
                        s.caveats.push(format!("{}: {field}", node.id));
                    }
                }
                if let NodeData::Statement(st) = &node.data
                    && st.caveat.is_some()
                {
                    s.caveats.push(format!("{}: caveat", node.id));
                }
            }
        }
        for edge in self.edges() {
            *s.relations.entry(edge.relation.kind).or_default() += 1;
            if edge.implied_by.is_none() {
                cite(&edge.relation.sources, &mut s);
            }
        }
        for (source, _) in cited {
            *s.paragraphs_cited.entry(source).or_default() += 1;
        }
        s
    }
}

type ClaimFacts<'a> = (&'a [crate::model::SourceRef], bool, bool);

/// Each claim of a node as (field, (sources, has caveat, deprecated)).
fn claims_of(node: &Node) -> Vec<(&'static str, ClaimFacts<'_>)> {
    fn add<'a, T>(
        out: &mut Vec<(&'static str, ClaimFacts<'a>)>,
        field: &'static str,
        set: &'a crate::model::ClaimSet<T>,
    ) {
        for c in set.all() {
            out.push((
                field,
                (c.sources.as_slice(), c.caveat.is_some(), c.is_deprecated()),
            ));
        }
    }
    let mut out = Vec::new();
    match &node.data {
        NodeData::Person(p) => add(&mut out, "roles", &p.roles),
        NodeData::Deal(d) => add(&mut out, "status", &d.status),
        NodeData::Commitment(c) => {
            add(&mut out, "amount", &c.amount);
            add(&mut out, "baseline", &c.baseline);
            add(&mut out, "limit", &c.limit);
            add(&mut out, "status", &c.status);
        }
        NodeData::Demand(x) => add(&mut out, "status", &x.status),
        NodeData::TariffMeasure(t) => {
            add(&mut out, "status", &t.status);
            add(&mut out, "rate", &t.rate);
            add(&mut out, "volume_limit", &t.volume_limit);
        }
        NodeData::Event(e) => add(&mut out, "duration", &e.duration),
        NodeData::Statement(s) => add(&mut out, "attributed_to", &s.attributed_to),
        NodeData::Project(p) => add(&mut out, "value", &p.value),
        NodeData::Country(_) | NodeData::Organization(_) | NodeData::Source(_) => {}
    }
    out
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let total: usize = self.nodes.values().sum();
        writeln!(f, "nodes: {total}")?;
        for (kind, n) in &self.nodes {
            writeln!(f, "  {:<16} {n}", kind.type_name())?;
        }
        let total: usize = self.relations.values().sum();
        writeln!(f, "relations: {total}")?;
        for (kind, n) in &self.relations {
            writeln!(f, "  {:<16} {n}", kind.as_str())?;
        }
        writeln!(f, "citations: {}", self.citations)?;
        for (source, n) in &self.paragraphs_cited {
            writeln!(f, "  {source}: {n} paragraphs cited")?;
        }
        writeln!(
            f,
            "claims: {} ({} deprecated)",
            self.claims, self.deprecated
        )?;
        writeln!(f, "caveats: {}", self.caveats.len())?;
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
        assert_eq!(s.nodes.get(&NodeKind::Country), Some(&2));
        assert_eq!(s.relations.get(&RelationKind::Pledged), Some(&1));
        assert_eq!(s.relations.get(&RelationKind::AllyOf), Some(&1));
        // 3 nodes + 2 claims + 1 explicit relation, all citing source:doc line 1.
        assert_eq!(s.citations, 6);
        assert_eq!(s.paragraphs_cited.get(&id("source:doc")), Some(&1));
        assert_eq!((s.claims, s.deprecated, s.caveats.len()), (2, 0, 0));
        assert!(s.to_string().contains("nodes: 3"));
    }
}
