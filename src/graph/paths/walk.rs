//! What a path search may step along, the visits it has spent, and the steps from one
//! node into a set of nodes: looked up in a hub's sorted relations when the set is small,
//! read off a scan of the node's relations otherwise, or read from a hub's sorted
//! relations in order, a run of ties at a time, as far as the caller wants.

use std::ops::Deref;

use petgraph::stable_graph::NodeIndex;

use super::super::explore::edge_holds;
use super::super::topology::Half;
use super::super::{FastSet, GraphError, KnowledgeGraph};
use super::{PathOptions, PathStep};

/// What a search may step along: the graph, the options and the two ends. Copied freely,
/// so a test of membership can hold it while the walk spends visits.
#[derive(Clone, Copy)]
pub(super) struct Rules<'a, 'r> {
    pub g: &'a KnowledgeGraph,
    pub options: PathOptions<'r>,
    /// The start, then the goal.
    pub ends: [NodeIndex; 2],
}

/// One search: its rules and the visits spent.
pub(super) struct Walk<'a, 'r> {
    rules: Rules<'a, 'r>,
    spent: usize,
    /// The nodes whose relations the searches from the ends and the join have read.
    read: FastSet<NodeIndex>,
}

impl<'a, 'r> Deref for Walk<'a, 'r> {
    type Target = Rules<'a, 'r>;

    fn deref(&self) -> &Rules<'a, 'r> {
        &self.rules
    }
}

/// A set of nodes the steps from a node may go to: its members listed when they are (to
/// look each up in a hub's relations) and a test of membership (for a scan).
pub(super) struct Targets<'t, F: Fn(NodeIndex) -> bool> {
    pub listed: Option<&'t [NodeIndex]>,
    pub holds: F,
}

#[cfg(test)]
thread_local! {
    /// The relations the path searches of this thread have read, a lookup in a sorted list
    /// counting one: for the tests that bound a search's work.
    static READS: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// Counts `n` relations read (in the tests only).
#[inline]
pub(super) fn count_read(n: usize) {
    #[cfg(test)]
    READS.with(|r| r.set(r.get() + n));
    #[cfg(not(test))]
    let _ = n;
}

/// The relations the path searches of this thread have read so far.
#[cfg(test)]
pub(super) fn reads() -> usize {
    READS.with(std::cell::Cell::get)
}

#[cfg(test)]
thread_local! {
    /// The joins of this thread whose sides left nodes unlisted past a hub further out than
    /// next to an end: for the tests that must reach that way.
    static JOINS_PAST_HUBS: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// Counts a join whose sides left nodes unlisted past a hub further out than next to an
/// end (in the tests only).
#[inline]
pub(super) fn count_join_past_hubs() {
    #[cfg(test)]
    JOINS_PAST_HUBS.with(|r| r.set(r.get() + 1));
}

/// The joins of this thread so far whose sides left nodes unlisted past a hub further out
/// than next to an end.
#[cfg(test)]
pub(super) fn joins_past_hubs() -> usize {
    JOINS_PAST_HUBS.with(std::cell::Cell::get)
}

impl<'a, 'r> Walk<'a, 'r> {
    pub fn new(g: &'a KnowledgeGraph, options: PathOptions<'r>, ends: [NodeIndex; 2]) -> Self {
        Walk {
            rules: Rules { g, options, ends },
            spent: 0,
            read: FastSet::default(),
        }
    }

    /// The rules, to hold beside the walk.
    pub fn rules(&self) -> Rules<'a, 'r> {
        self.rules
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
}

/// The order of steps: by the other end's id, then the relation's kind, ends and key
/// (what its id is made of).
pub(super) fn by_step_order(g: &KnowledgeGraph, steps: &mut [(NodeIndex, PathStep<'_>)]) {
    let g = &g.graph;
    steps.sort_by(|(a, x), (b, y)| {
        let (x, y) = (&x.edge.relation, &y.edge.relation);
        (&g[*a].id, x.kind, &x.from, &x.to, x.key()).cmp(&(
            &g[*b].id,
            y.kind,
            &y.from,
            &y.to,
            y.key(),
        ))
    });
}

impl<'a> Rules<'a, '_> {
    /// True when the relation `h` at a node may be walked: of a kind asked for, to a node
    /// of a kind asked for (the ends always), and holding on the day asked about. Between
    /// two nodes a search reaches (each of a kind asked for, or an end) this holds one way
    /// exactly when it holds the other.
    pub fn admits(&self, h: &Half) -> bool {
        let o = &self.options;
        let topo = &self.g.topology;
        o.relations.admits(&h.kind)
            && (o.kinds.is_all()
                || self.ends.contains(&h.other)
                || topo.kind(h.other).is_some_and(|k| o.kinds.admits(&k)))
            && (o.as_of.is_none() || !h.dated() || edge_holds(&self.g.graph[h.edge], o.as_of))
    }

    /// The nodes one step from `ix`, in no order: for measuring distances.
    pub fn neighbours(&self, ix: NodeIndex) -> impl Iterator<Item = NodeIndex> + '_ {
        let halves = self.g.topology.halves(ix);
        count_read(halves.len());
        halves.iter().filter(|h| self.admits(h)).map(|h| h.other)
    }

    /// True when `ix`'s relations are kept sorted, so one other end's can be looked up.
    pub fn sorted(&self, ix: NodeIndex) -> bool {
        self.g.topology.sorted(ix)
    }

    /// How many relations `ix` has, admitted or not.
    pub fn degree(&self, ix: NodeIndex) -> usize {
        self.g.topology.halves(ix).len()
    }

    /// What finding the relations between `ix` and one other node costs, in relations
    /// read: a binary search in a sorted list, a scan of any other.
    pub fn lookup_cost(&self, ix: NodeIndex) -> usize {
        let len = self.degree(ix);
        if self.sorted(ix) {
            (usize::BITS - len.leading_zeros()) as usize + 1
        } else {
            len
        }
    }

    /// True when an admitted relation joins `ix` to `other` (another node), found as
    /// [`Rules::halves_between`] finds them.
    pub fn joins(&self, ix: NodeIndex, other: NodeIndex) -> bool {
        ix != other && self.halves_between(ix, other).any(|h| self.admits(&h))
    }

    /// The relations between `ix` and `other`, as `ix` sees them, read from whichever
    /// side costs less: the list of `other` when it holds no more relations than a search
    /// of the list of `ix` reads (side by side, where each step of a binary search is a
    /// cache miss), else the list of `ix`, by binary search when it is sorted, by a scan
    /// otherwise.
    fn halves_between(&self, ix: NodeIndex, other: NodeIndex) -> impl Iterator<Item = Half> + '_ {
        let topo = &self.g.topology;
        let theirs = topo.halves(other);
        let (theirs, mine): (&[Half], &[Half]) = if theirs.len() <= self.lookup_cost(ix) {
            count_read(theirs.len());
            (theirs, &[])
        } else if let Some(halves) = topo.sorted_halves_to(ix, other) {
            count_read(1 + halves.len());
            (&[], halves)
        } else {
            count_read(topo.halves(ix).len());
            (&[], topo.halves(ix))
        };
        let from_theirs = theirs.iter().filter(move |h| h.other == ix);
        let from_mine = mine.iter().filter(move |h| h.other == other);
        from_theirs
            .map(move |h| h.mirrored(other))
            .chain(from_mine.copied())
    }

    /// True when an admitted relation joins `ix` to `other` (another node), as
    /// [`Rules::joins`] finds it, but in a sorted list searched from `*finger`, where the
    /// search before ended, and left where this one ends: galloping forward when `other`
    /// sorts after it, by binary search before it. Asked in the list's order, the searches
    /// cost the logarithms of the gaps between the nodes asked about, not of the list.
    pub fn joins_from(&self, ix: NodeIndex, other: NodeIndex, finger: &mut usize) -> bool {
        let topo = &self.g.topology;
        if ix == other || !topo.sorted(ix) || topo.halves(other).len() <= self.lookup_cost(ix) {
            return self.joins(ix, other);
        }
        let list = topo.halves(ix);
        let key = (topo.order_key(other), other.index() as u32);
        let before = |h: &Half| topo.sort_key(h) < key;
        let from = (*finger).min(list.len());
        let at = if from < list.len() && before(&list[from]) {
            // Every relation up to `low` sorts before `other`; from `high` on, none does.
            let (mut low, mut step) = (from + 1, 1);
            let high = loop {
                let probe = from + step;
                if probe >= list.len() || !before(&list[probe]) {
                    break probe.min(list.len());
                }
                low = probe + 1;
                step *= 2;
            };
            low + list[low..high].partition_point(before)
        } else if from == 0 || before(&list[from - 1]) {
            from
        } else {
            list[..from].partition_point(before)
        };
        let len = list[at..].partition_point(|h| h.other == other);
        *finger = at;
        count_read(1 + len);
        list[at..at + len].iter().any(|h| self.admits(h))
    }

    /// True when `ix`'s relations are better looked up one other end at a time for `count`
    /// other ends than read whole: a hub's list is sorted, so each lookup costs a binary
    /// search where a scan costs every relation.
    pub fn looks_up(&self, ix: NodeIndex, count: usize) -> bool {
        let len = self.degree(ix);
        let search = (usize::BITS - len.leading_zeros()) as usize + 1;
        count.saturating_mul(search) < len && self.sorted(ix)
    }

    /// True when `targets` are better looked up in `ix`'s relations than found by a scan.
    fn looks_up_for<F: Fn(NodeIndex) -> bool>(
        &self,
        ix: NodeIndex,
        targets: &Targets<'_, F>,
    ) -> bool {
        targets.listed.is_some_and(|l| self.looks_up(ix, l.len()))
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
        match targets.listed {
            Some(listed) if self.looks_up(ix, listed.len()) => {
                for &other in listed {
                    if other == ix || !(targets.holds)(other) {
                        continue;
                    }
                    for h in self.halves_between(ix, other) {
                        if self.admits(&h) && !each(&h) {
                            return;
                        }
                    }
                }
            }
            _ => {
                for (at, h) in topo.halves(ix).iter().enumerate() {
                    if h.other != ix && (targets.holds)(h.other) && self.admits(h) && !each(h) {
                        count_read(at + 1);
                        return;
                    }
                }
                count_read(topo.halves(ix).len());
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

    /// The step along `h`, a relation at some node.
    fn step(&self, h: &Half) -> (NodeIndex, PathStep<'a>) {
        let step = PathStep {
            edge: &self.g.graph[h.edge],
            forward: h.outgoing(),
        };
        (h.other, step)
    }

    /// The steps from `ix` to nodes of `targets`, in a fixed order: by the other end's id,
    /// then kind, then the relation's ends and key (what its id is made of). Only the
    /// steps kept are sorted.
    pub fn steps<F: Fn(NodeIndex) -> bool>(
        &self,
        ix: NodeIndex,
        targets: &Targets<'_, F>,
    ) -> Vec<(NodeIndex, PathStep<'a>)> {
        let mut out: Vec<(NodeIndex, PathStep<'a>)> = Vec::new();
        self.each_link(ix, targets, |h| {
            out.push(self.step(h));
            true
        });
        by_step_order(self.g, &mut out);
        out
    }

    /// True when the steps from `ix` into `targets` are better read from `ix`'s sorted
    /// relations in order, as far as wanted ([`Rules::steps_in_order`]), than found whole
    /// and sorted ([`Rules::steps`]): a hub whose list is not better looked up.
    pub fn reads_in_order<F: Fn(NodeIndex) -> bool>(
        &self,
        ix: NodeIndex,
        targets: &Targets<'_, F>,
    ) -> bool {
        self.sorted(ix) && !self.looks_up_for(ix, targets)
    }

    /// The next steps from `ix` (best a node whose relations are sorted; an unsorted list is
    /// read whole), from its relation at `*at` on, in the fixed order of [`Rules::steps`]: those of the next run of relations
    /// whose other ends tie on their order key and that `keep` keeps (with its relation),
    /// each kept run sorted; `*at` moves past them. Empty at the end of the list. `keep`
    /// is asked of admitted relations to other nodes only.
    pub fn steps_in_order<E>(
        &self,
        ix: NodeIndex,
        at: &mut usize,
        mut keep: impl FnMut(&Half) -> Result<bool, E>,
    ) -> Result<Vec<(NodeIndex, PathStep<'a>)>, E> {
        let topo = &self.g.topology;
        let list = topo.halves(ix);
        let sorted = self.sorted(ix);
        let mut out = Vec::new();
        let from = *at;
        // The first relation kept, then the rest of its run; a relation before it is not
        // kept, whatever its run, so its order key is not read. An unsorted list is one run.
        let mut key = None;
        while *at < list.len() {
            let h = &list[*at];
            if let Some(key) = key {
                if sorted && topo.order_key(h.other) != key {
                    break;
                }
            }
            *at += 1;
            if h.other != ix && self.admits(h) && keep(h)? {
                out.push(self.step(h));
                if key.is_none() {
                    key = Some(topo.order_key(h.other));
                }
            }
        }
        count_read(*at - from);
        by_step_order(self.g, &mut out);
        Ok(out)
    }
}
