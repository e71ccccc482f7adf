//! The two searches from the ends of a path question: each node's distance from its
//! end, level by level; the meeting of the two frontiers, which gives the shortest length;
//! and one more level for each longer length. In a quick search, the nodes one step past
//! a hub of the frontier are left unlisted in the next level, looked up in the hub's
//! sorted relations: past a hub end until a longer length needs the level after it, past
//! a few large hubs further out until a longer length grows past the level (it is listed
//! then; the join asks of such a level node by node where its meeting is one or two steps
//! from the start). Once the lookups cost more than reading those relations once, they
//! are read into a set of nodes. Two hubs' shared neighbours are then found by reading
//! one hub's list against the other's, not by reading either into the distances.

use std::cell::{Cell, OnceCell};
use std::collections::hash_map::Entry;

use petgraph::stable_graph::NodeIndex;

use super::super::topology::NodeSet;
use super::super::{FastMap, GraphError};
use super::Plan;
use super::walk::{Rules, Targets, Walk};

/// The nodes within some distance of one end, nearest first, in complete levels.
pub(super) struct Side {
    /// The end.
    end: NodeIndex,
    /// Each node reached, with its distance from the end.
    dist: FastMap<NodeIndex, usize>,
    /// The nodes reached, level after level.
    order: Vec<NodeIndex>,
    /// Where each complete level ends in `order`; the last is the frontier, not yet read.
    ends: Vec<usize>,
    /// Hubs of the level before the last whose nodes one step on are not listed in `dist`
    /// and `order`: a node reached by none of the levels listed is in the last level when
    /// an admitted relation in one of these hubs' sorted lists joins it. Empty but in a
    /// quick search.
    unlisted: Vec<Unlisted>,
}

/// A hub whose nodes one step on are left unlisted in the last level of a side.
struct Unlisted {
    hub: NodeIndex,
    /// The hub's count of relations, at least as many as the nodes it leaves unlisted.
    degree: usize,
    /// Where the last lookup in the hub's sorted list ended (see [`Rules::joins_from`]).
    finger: Cell<usize>,
    /// How many nodes were looked up in the hub's sorted list.
    lookups: Cell<usize>,
    /// The hub's nodes one step on as a set, one bit a node, once the lookups in its list
    /// have cost more than making it (see [`Unlisted::joins`]).
    set: OnceCell<NodeSet>,
}

/// A lookup in a hub's sorted list costs a few cache misses, where reading one of its
/// relations into a set of nodes costs a few nanoseconds: after this many lookups for each
/// relation the set would cost to make, the set is made.
const LOOKUPS_PER_SET: usize = 32;

/// A hub past the end is left unlisted when it has more relations than this: reading a
/// few hundred relations into the distances costs less than the lookups it would save.
/// Tests leave every hub with a sorted list unlisted, so that their small random graphs
/// take the same way as the hubs of a large one.
#[cfg(not(test))]
const UNLISTED_FROM: usize = 1 << 10;
#[cfg(test)]
const UNLISTED_FROM: usize = super::super::topology::SORTED_FROM;

/// The most hubs past the end one level leaves unlisted: each node a search asks about
/// is looked up in each of them.
const MAX_UNLISTED: usize = 4;

impl Unlisted {
    fn new(rules: &Rules<'_, '_>, hub: NodeIndex) -> Self {
        Unlisted {
            hub,
            degree: rules.degree(hub),
            finger: Cell::new(0),
            lookups: Cell::new(0),
            set: OnceCell::new(),
        }
    }

    /// True when an admitted relation joins the hub to `ix`: looked up in the hub's sorted
    /// list, the lookups in the order of that list costing the logarithms of the gaps
    /// between them. A join that asks about a hub's every neighbour asks as many times as
    /// the hub has relations, each lookup a few cache misses; so once the lookups have
    /// cost more than reading the hub's relations once, they are read into a set of nodes
    /// (a bit a node: 122 KiB for a million), and the rest are answered by it.
    fn joins(&self, rules: &Rules<'_, '_>, ix: NodeIndex) -> bool {
        if let Some(set) = self.set.get() {
            return set.contains(ix);
        }
        let lookups = self.lookups.get() + 1;
        self.lookups.set(lookups);
        let bound = rules.g.topology.node_bound();
        if lookups * LOOKUPS_PER_SET >= self.degree + bound / 64 {
            let set = self.set.get_or_init(|| {
                let mut set = NodeSet::new(bound);
                for other in rules.neighbours(self.hub) {
                    if other != self.hub {
                        set.insert(other);
                    }
                }
                set
            });
            return set.contains(ix);
        }
        let mut finger = self.finger.get();
        let joins = rules.joins_from(self.hub, ix, &mut finger);
        self.finger.set(finger);
        joins
    }
}

impl Side {
    pub fn new(end: NodeIndex) -> Self {
        Side {
            end,
            dist: FastMap::from_iter([(end, 0)]),
            order: vec![end],
            ends: vec![1],
            unlisted: Vec::new(),
        }
    }

    /// How many nodes are listed, the end among them.
    #[cfg(test)]
    pub fn listed(&self) -> usize {
        self.order.len()
    }

    /// How many levels past the end are complete.
    pub fn depth(&self) -> usize {
        self.ends.len() - 1
    }

    /// The nodes of the last complete level, whose relations are not read yet, when they
    /// are listed.
    pub fn frontier(&self) -> Option<&[NodeIndex]> {
        self.unlisted.is_empty().then(|| self.listed_frontier())
    }

    /// The nodes of the last complete level that are listed.
    fn listed_frontier(&self) -> &[NodeIndex] {
        &self.order[self.level_start(self.depth())..]
    }

    /// How many relations the hubs that leave nodes of the last level unlisted have, at
    /// least as many as those nodes.
    fn unlisted_len(&self) -> usize {
        self.unlisted
            .iter()
            .fold(0usize, |sum, u| sum.saturating_add(u.degree))
    }

    /// How many nodes the last complete level has, counting for its unlisted nodes the
    /// relations of their hubs, which are at least as many.
    pub fn frontier_len(&self) -> usize {
        self.listed_frontier()
            .len()
            .saturating_add(self.unlisted_len())
    }

    /// The relations growing this side by a level in a quick search reads: each frontier
    /// node's, counted until they pass `enough` (then a count past it). A hub end reads
    /// none, as it leaves its level unlisted; an unlisted level is first read from its
    /// hub's relations, then each of its nodes at least one relation of its own.
    fn growth_cost(&self, rules: &Rules<'_, '_>, enough: usize) -> usize {
        if self.depth() == 0 && rules.sorted(self.end) {
            return 1;
        }
        let mut cost = self.unlisted_len().saturating_mul(2);
        for &ix in self.listed_frontier() {
            cost = cost.saturating_add(rules.degree(ix));
            if cost > enough {
                break;
            }
        }
        cost
    }

    fn level_start(&self, level: usize) -> usize {
        match level {
            0 => 0,
            _ => self.ends[level - 1],
        }
    }

    /// The nodes within `within` steps of the end (at most [`Side::depth`]), nearest first,
    /// when they are listed.
    pub fn within(&self, within: usize) -> Option<&[NodeIndex]> {
        if !self.unlisted.is_empty() && within >= self.depth() {
            return None;
        }
        Some(&self.order[..self.ends[within.min(self.depth())]])
    }

    /// True when `ix` is within `within` steps of the end (at most [`Side::depth`]). A node
    /// no listed level holds is in the last level when one of its unlisted hubs joins it.
    pub fn reaches(&self, rules: &Rules<'_, '_>, ix: NodeIndex, within: usize) -> bool {
        match self.dist.get(&ix) {
            Some(d) => *d <= within,
            None if within >= self.depth() => self.unlisted.iter().any(|u| u.joins(rules, ix)),
            None => false,
        }
    }

    /// Lists the nodes of the last level that its hubs leave unlisted: their relations
    /// read whole. The hubs were visited when the level was made.
    fn list(&mut self, rules: &Rules<'_, '_>) {
        if self.unlisted.is_empty() {
            return;
        }
        let level = self.depth();
        for unlisted in std::mem::take(&mut self.unlisted) {
            self.read(rules, unlisted.hub, level);
        }
        self.ends[level] = self.order.len();
    }

    /// True when a quick search may leave the level after the end unlisted: the end is
    /// a hub whose relations are sorted, and it is the frontier.
    fn may_leave_unlisted(&self, walk: &Walk<'_, '_>, plan: Plan) -> bool {
        plan == Plan::Quick && self.depth() == 0 && walk.sorted(self.end)
    }

    /// Makes the level after the end, a hub's, unlisted (see [`Side::unlisted`]).
    fn leave_unlisted(&mut self, walk: &Walk<'_, '_>) {
        self.unlisted = vec![Unlisted::new(&walk.rules(), self.end)];
        self.ends.push(self.order.len());
    }

    /// True when a quick search may leave the nodes one step past `ix`, a node of the
    /// frontier past the end, unlisted in the next level: it is a large hub and the level
    /// leaves fewer than [`MAX_UNLISTED`] hubs' nodes unlisted so far. The join of the
    /// next length asks of such a level node by node or reads the other side's against it;
    /// a longer length that grows past it lists it then, its lookups made before costing on
    /// top of that read, which questions that stop at this length do not pay.
    fn may_leave_past(rules: &Rules<'_, '_>, plan: Plan, ix: NodeIndex, so_far: usize) -> bool {
        plan == Plan::Quick
            && so_far < MAX_UNLISTED
            && rules.sorted(ix)
            && rules.degree(ix) > UNLISTED_FROM
    }

    /// Reads the relations of the frontier's nodes, a visit each, and makes the nodes they
    /// reach first the next level (in a quick search, left unlisted past a hub end or a
    /// large hub).
    pub fn grow(&mut self, walk: &mut Walk<'_, '_>, plan: Plan) -> Result<(), GraphError> {
        let rules = walk.rules();
        self.list(&rules);
        if self.may_leave_unlisted(walk, plan) {
            walk.visit(self.end)?;
            self.leave_unlisted(walk);
            return Ok(());
        }
        let (from, to) = (self.level_start(self.depth()), self.order.len());
        let next = self.depth() + 1;
        let mut unlisted = Vec::new();
        for at in from..to {
            let ix = self.order[at];
            walk.visit(ix)?;
            if Self::may_leave_past(&rules, plan, ix, unlisted.len()) {
                unlisted.push(Unlisted::new(&rules, ix));
            } else {
                self.read(&rules, ix, next);
            }
        }
        self.ends.push(self.order.len());
        self.unlisted = unlisted;
        Ok(())
    }

    /// Adds the nodes one step from `ix` not reached yet to `level`, the one being made.
    fn read(&mut self, rules: &Rules<'_, '_>, ix: NodeIndex, level: usize) {
        self.make_room(rules, ix);
        for other in rules.neighbours(ix) {
            if let Entry::Vacant(v) = self.dist.entry(other) {
                v.insert(level);
                self.order.push(other);
            }
        }
    }

    /// Makes room for every node one step from `ix` at once: the map of distances grown
    /// an insert at a time would be moved whole each time it doubled, a hub's hundred
    /// thousand neighbours and all.
    fn make_room(&mut self, rules: &Rules<'_, '_>, ix: NodeIndex) {
        let degree = rules.degree(ix);
        self.dist.reserve(degree);
        self.order.reserve(degree);
    }

    /// Grows this side by a level toward `other`, unless a relation joins the two
    /// frontiers: then the side is left as it was and the answer is true. While neither
    /// side has met the other, no node is within reach of both and no relation joins them
    /// but between the frontiers, so the first meeting gives the shortest length. A hub
    /// of the frontier is first looked up for the other frontier's nodes in its sorted
    /// relations, and read whole only when the sides do not meet; a hub end of a quick
    /// search is not read whole then either, but leaves its level unlisted, and nor are a
    /// few large hubs past the end (their lists are read against the other side's).
    pub fn meet_or_grow(
        &mut self,
        other: &Side,
        walk: &mut Walk<'_, '_>,
        plan: Plan,
    ) -> Result<bool, GraphError> {
        let rules = walk.rules();
        self.list(&rules);
        let theirs = Targets {
            listed: other.frontier(),
            holds: |ix: NodeIndex| other.reaches(&rules, ix, other.depth()),
        };
        if self.may_leave_unlisted(walk, plan) {
            walk.visit(self.end)?;
            if rules.touches(self.end, &theirs) {
                return Ok(true);
            }
            self.leave_unlisted(walk);
            return Ok(false);
        }
        let (from, to) = (self.level_start(self.depth()), self.order.len());
        let next = self.depth() + 1;
        let mut hubs = Vec::new();
        let mut unlisted = Vec::new();
        let mut met = false;
        for at in from..to {
            let ix = self.order[at];
            walk.visit(ix)?;
            if Self::may_leave_past(&rules, plan, ix, unlisted.len()) {
                met = rules.touches(ix, &theirs);
                unlisted.push(Unlisted::new(&rules, ix));
            } else if theirs.listed.is_some_and(|l| rules.looks_up(ix, l.len())) {
                met = rules.touches(ix, &theirs);
                hubs.push(ix);
            } else {
                self.make_room(&rules, ix);
                for n in rules.neighbours(ix) {
                    if (theirs.holds)(n) {
                        met = true;
                        break;
                    }
                    if let Entry::Vacant(v) = self.dist.entry(n) {
                        v.insert(next);
                        self.order.push(n);
                    }
                }
            }
            if met {
                break;
            }
        }
        if met {
            for ix in self.order.drain(to..) {
                self.dist.remove(&ix);
            }
            return Ok(true);
        }
        for ix in hubs {
            self.read(&rules, ix, next);
        }
        self.ends.push(self.order.len());
        self.unlisted = unlisted;
        Ok(false)
    }
}

/// The length of the shortest path between the ends of `sides` (the start's side, then
/// the goal's) of at most `max_length` steps, or none. Each round grows the side whose
/// frontier has fewer relations to read in a quick search, fewer nodes in a frugal one
/// (the start's on a tie), so a hub on one side is not read while the other side is
/// small; when a length is found, the sides' depths add up to one less. For a frugal
/// search these are the rounds the previous search took, reading no more nodes: the
/// frugal plan's bound on visits rests on it.
pub(super) fn shortest_length(
    walk: &mut Walk<'_, '_>,
    sides: &mut [Side; 2],
    max_length: usize,
    plan: Plan,
) -> Result<Option<usize>, GraphError> {
    while sides[0].depth() + sides[1].depth() < max_length {
        let [start, goal] = sides;
        let start_first = match plan {
            Plan::Quick => start_grows_cheaper(&walk.rules(), start, goal),
            Plan::Frugal => start.frontier_len() <= goal.frontier_len(),
        };
        let (this, other) = if start_first {
            (start, &*goal)
        } else {
            (goal, &*start)
        };
        if this.frontier_len() == 0 {
            return Ok(None);
        }
        if this.meet_or_grow(other, walk, plan)? {
            return Ok(Some(this.depth() + other.depth() + 1));
        }
    }
    Ok(None)
}

/// Lists what a join of the sides at their depths needs listed: one of the two levels it
/// joins, when the meeting is past the level after the start (where the join asks of each
/// node as the walk meets it instead) and both leave nodes unlisted. The side whose hubs
/// have fewer relations is listed.
pub(super) fn ready_to_join(walk: &Walk<'_, '_>, sides: &mut [Side; 2]) {
    let [start, goal] = sides;
    if start.depth() < 2 || start.unlisted.is_empty() || goal.unlisted.is_empty() {
        return;
    }
    let rules = walk.rules();
    if start.unlisted_len() <= goal.unlisted_len() {
        start.list(&rules);
    } else {
        goal.list(&rules);
    }
}

/// Grows the side `plan` picks by one level: the one whose frontier has fewer relations to
/// read for a quick search, the goal's for a frugal one (a side whose every node is reached
/// grows for free).
pub(super) fn grow(
    walk: &mut Walk<'_, '_>,
    sides: &mut [Side; 2],
    plan: Plan,
) -> Result<(), GraphError> {
    let [start, goal] = sides;
    if plan == Plan::Quick && start_grows_cheaper(&walk.rules(), start, goal) {
        start.grow(walk, plan)
    } else {
        goal.grow(walk, plan)
    }
}

/// True when growing `start` reads no more relations than growing `goal`. The side with
/// fewer frontier nodes is weighed first, and the other only up to its cost, so a wide
/// frontier is not read to be weighed.
fn start_grows_cheaper(rules: &Rules<'_, '_>, start: &Side, goal: &Side) -> bool {
    if start.frontier_len() <= goal.frontier_len() {
        let cost = start.growth_cost(rules, usize::MAX);
        cost <= goal.growth_cost(rules, cost)
    } else {
        let cost = goal.growth_cost(rules, usize::MAX);
        start.growth_cost(rules, cost) <= cost
    }
}
