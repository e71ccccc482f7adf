//! What a path search may step along, the visits it has spent, and the steps from one
//! node into a set of nodes: looked up in a hub's sorted relations when the set is small,
//! read off a scan of the node's relations otherwise.

use petgraph::stable_graph::NodeIndex;

use super::super::explore::edge_holds;
use super::super::topology::Half;
use super::super::{GraphError, KnowledgeGraph};
use super::{PathOptions, PathStep};

/// A hash set with the graph's fast hash.
pub(super) type FastSet<T> = std::collections::HashSet<T, foldhash::fast::RandomState>;

/// One search: the graph, the options, the two ends and the visits spent.
pub(super) struct Walk<'a, 'r> {
    pub g: &'a KnowledgeGraph,
    pub options: PathOptions<'r>,
    /// The start, then the goal.
    pub ends: [NodeIndex; 2],
    spent: usize,
    /// The nodes whose relations the searches from the ends and the join have read.
    read: FastSet<NodeIndex>,
}

/// A set of nodes the steps from a node may go to: its members listed (to look each up in
/// a hub's relations) and a test of membership (for a scan).
pub(super) struct Targets<'t, F: Fn(NodeIndex) -> bool> {
    pub listed: &'t [NodeIndex],
    pub holds: F,
}

impl<'a, 'r> Walk<'a, 'r> {
    pub fn new(g: &'a KnowledgeGraph, options: PathOptions<'r>, ends: [NodeIndex; 2]) -> Self {
        Walk {
            g,
            options,
            ends,
            spent: 0,
            read: FastSet::default(),
        }
    }

    /// Counts one visit: a node whose relations are read. Past the budget, an error.
    pub fn spend(&mut self) -> Result<(), GraphError> {
        self.spent += 1;
        if self.spent > self.options.bounds.path_visits {
            return Err(GraphError::WorkBudgetExceeded {
                budget: self.options.bounds.path_visits,
            });
        }
        Ok(())
    }

    /// Counts a visit to `ix` the first time its relations are read outside the walk
    /// along paths.
    pub fn visit(&mut self, ix: NodeIndex) -> Result<(), GraphError> {
        if self.read.insert(ix) {
            self.spend()?;
        }
        Ok(())
    }

    /// True when the relation `h` at a node may be walked: of a kind asked for, to a node
    /// of a kind asked for (the ends always), and holding on the day asked about. Between
    /// two nodes a search reaches (each of a kind asked for, or an end) this holds one way
    /// exactly when it holds the other.
    pub fn admits(&self, h: &Half) -> bool {
        let o = &self.options;
        let topo = &self.g.topology;
        (o.relations.is_empty() || o.relations.contains(&h.kind))
            && (o.kinds.is_empty()
                || self.ends.contains(&h.other)
                || topo.kind(h.other).is_some_and(|k| o.kinds.contains(&k)))
            && (o.as_of.is_none() || !h.dated() || edge_holds(&self.g.graph[h.edge], o.as_of))
    }

    /// The nodes one step from `ix`, in no order: for measuring distances.
    pub fn neighbours(&self, ix: NodeIndex) -> impl Iterator<Item = NodeIndex> + '_ {
        self.g
            .topology
            .halves(ix)
            .iter()
            .filter(|h| self.admits(h))
            .map(|h| h.other)
    }

    /// True when `ix`'s relations are better looked up one other end at a time for `count`
    /// other ends than read whole: a hub's list is sorted, so each lookup costs a binary
    /// search where a scan costs every relation.
    pub fn looks_up(&self, ix: NodeIndex, count: usize) -> bool {
        let len = self.g.topology.halves(ix).len();
        let search = (usize::BITS - len.leading_zeros()) as usize + 1;
        count.saturating_mul(search) < len && self.g.topology.sorted(ix)
    }

    /// Calls `each` with every admitted relation from `ix` to a node of `targets` other
    /// than `ix` itself, until it answers false; by lookups or by a scan, as is cheaper.
    fn each_link<F: Fn(NodeIndex) -> bool>(
        &self,
        ix: NodeIndex,
        targets: &Targets<'_, F>,
        mut each: impl FnMut(&Half) -> bool,
    ) {
        let topo = &self.g.topology;
        if self.looks_up(ix, targets.listed.len()) {
            for &other in targets.listed {
                if other == ix || !(targets.holds)(other) {
                    continue;
                }
                for h in topo.sorted_halves_to(ix, other).unwrap_or(&[]) {
                    if self.admits(h) && !each(h) {
                        return;
                    }
                }
            }
        } else {
            for h in topo.halves(ix) {
                if h.other != ix && (targets.holds)(h.other) && self.admits(h) && !each(h) {
                    return;
                }
            }
        }
    }

    /// True when an admitted relation joins `ix` to a node of `targets`.
    pub fn touches<F: Fn(NodeIndex) -> bool>(
        &self,
        ix: NodeIndex,
        targets: &Targets<'_, F>,
    ) -> bool {
        let mut found = false;
        self.each_link(ix, targets, |_| {
            found = true;
            false
        });
        found
    }

    /// The nodes of `targets` an admitted relation joins to `ix`, each once, in no order.
    pub fn linked<F: Fn(NodeIndex) -> bool>(
        &self,
        ix: NodeIndex,
        targets: &Targets<'_, F>,
    ) -> Vec<NodeIndex> {
        let mut out = Vec::new();
        self.each_link(ix, targets, |h| {
            out.push(h.other);
            true
        });
        out.sort_unstable();
        out.dedup();
        out
    }

    /// The steps from `ix` to nodes of `targets`, in a fixed order: by the other end's id,
    /// then kind, then the relation's ends and key (what its id is made of). Only the
    /// steps kept are sorted.
    pub fn steps<F: Fn(NodeIndex) -> bool>(
        &self,
        ix: NodeIndex,
        targets: &Targets<'_, F>,
    ) -> Vec<(NodeIndex, PathStep<'a>)> {
        let g = &self.g.graph;
        let mut out: Vec<(NodeIndex, PathStep<'a>)> = Vec::new();
        self.each_link(ix, targets, |h| {
            let step = PathStep {
                edge: &g[h.edge],
                forward: h.outgoing(),
            };
            out.push((h.other, step));
            true
        });
        out.sort_by(|(a, x), (b, y)| {
            let (x, y) = (&x.edge.relation, &y.edge.relation);
            (&g[*a].id, x.kind, &x.from, &x.to, &x.key)
                .cmp(&(&g[*b].id, y.kind, &y.from, &y.to, &y.key))
        });
        out
    }
}
