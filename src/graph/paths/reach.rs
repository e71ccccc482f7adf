//! The two searches from the ends of a path question: each node's distance from its
//! end, level by level; the meeting of the two frontiers, which gives the shortest length;
//! and one more level for each longer length.

use std::collections::hash_map::Entry;

use petgraph::stable_graph::NodeIndex;

use super::super::{FastMap, GraphError};
use super::Plan;
use super::walk::{Targets, Walk};

/// The nodes within some distance of one end, nearest first, in complete levels.
pub(super) struct Side {
    /// Each node reached, with its distance from the end.
    dist: FastMap<NodeIndex, usize>,
    /// The nodes reached, level after level.
    order: Vec<NodeIndex>,
    /// Where each complete level ends in `order`; the last is the frontier, not yet read.
    ends: Vec<usize>,
}

impl Side {
    pub fn new(end: NodeIndex) -> Self {
        Side {
            dist: FastMap::from_iter([(end, 0)]),
            order: vec![end],
            ends: vec![1],
        }
    }

    /// How many levels past the end are complete.
    pub fn depth(&self) -> usize {
        self.ends.len() - 1
    }

    /// The nodes of the last complete level, whose relations are not read yet.
    pub fn frontier(&self) -> &[NodeIndex] {
        &self.order[self.level_start(self.depth())..]
    }

    fn level_start(&self, level: usize) -> usize {
        match level {
            0 => 0,
            _ => self.ends[level - 1],
        }
    }

    /// The nodes within `within` steps of the end (at most [`Side::depth`]), nearest first.
    pub fn within(&self, within: usize) -> &[NodeIndex] {
        &self.order[..self.ends[within.min(self.depth())]]
    }

    /// True when `ix` is within `within` steps of the end (at most [`Side::depth`]).
    pub fn reaches(&self, ix: NodeIndex, within: usize) -> bool {
        self.dist.get(&ix).is_some_and(|d| *d <= within)
    }

    /// Reads the relations of the frontier's nodes, a visit each, and makes the nodes they
    /// reach first the next level.
    pub fn grow(&mut self, walk: &mut Walk<'_, '_>) -> Result<(), GraphError> {
        let (from, to) = (self.level_start(self.depth()), self.order.len());
        for at in from..to {
            let ix = self.order[at];
            walk.visit(ix)?;
            self.read(walk, ix);
        }
        self.ends.push(self.order.len());
        Ok(())
    }

    /// Adds the nodes one step from `ix` not reached yet to the level being made.
    fn read(&mut self, walk: &Walk<'_, '_>, ix: NodeIndex) {
        let next = self.depth() + 1;
        for other in walk.neighbours(ix) {
            if let Entry::Vacant(v) = self.dist.entry(other) {
                v.insert(next);
                self.order.push(other);
            }
        }
    }

    /// Grows this side by a level toward `other`, unless a relation joins the two
    /// frontiers: then the side is left as it was and the answer is true. While neither
    /// side has met the other, no node is within reach of both and no relation joins them
    /// but between the frontiers, so the first meeting gives the shortest length. A hub
    /// of the frontier is first looked up for the other frontier's nodes in its sorted
    /// relations, and read whole only when the sides do not meet.
    pub fn meet_or_grow(
        &mut self,
        other: &Side,
        walk: &mut Walk<'_, '_>,
    ) -> Result<bool, GraphError> {
        let (from, to) = (self.level_start(self.depth()), self.order.len());
        let theirs = Targets {
            listed: other.frontier(),
            holds: |ix: NodeIndex| other.dist.contains_key(&ix),
        };
        let mut hubs = Vec::new();
        let mut met = false;
        for at in from..to {
            let ix = self.order[at];
            walk.visit(ix)?;
            if walk.looks_up(ix, theirs.listed.len()) {
                met = walk.touches(ix, &theirs);
                hubs.push(ix);
            } else {
                let next = self.depth() + 1;
                for n in walk.neighbours(ix) {
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
            self.read(walk, ix);
        }
        self.ends.push(self.order.len());
        Ok(false)
    }
}

/// The length of the shortest path between the ends of `sides` (the start's side, then
/// the goal's) of at most `max_length` steps, or none. Each round grows the side whose
/// frontier is smaller (the start's on a tie), so a hub on one side is not read while the
/// other side is small; when a length is found, the sides' depths add up to one less.
/// These are the rounds the previous search took, reading no more nodes: the frugal plan's
/// bound on visits rests on it.
pub(super) fn shortest_length(
    walk: &mut Walk<'_, '_>,
    sides: &mut [Side; 2],
    max_length: usize,
) -> Result<Option<usize>, GraphError> {
    while sides[0].depth() + sides[1].depth() < max_length {
        let [start, goal] = sides;
        let (this, other) = if start.frontier().len() <= goal.frontier().len() {
            (start, &*goal)
        } else {
            (goal, &*start)
        };
        if this.frontier().is_empty() {
            return Ok(None);
        }
        if this.meet_or_grow(other, walk)? {
            return Ok(Some(this.depth() + other.depth() + 1));
        }
    }
    Ok(None)
}

/// Grows the side `plan` picks by one level: the one whose frontier is smaller for a quick
/// search, the goal's for a frugal one (a side whose every node is reached grows for free).
pub(super) fn grow(
    walk: &mut Walk<'_, '_>,
    sides: &mut [Side; 2],
    plan: Plan,
) -> Result<(), GraphError> {
    let [start, goal] = sides;
    if plan == Plan::Quick && start.frontier().len() <= goal.frontier().len() {
        start.grow(walk)
    } else {
        goal.grow(walk)
    }
}
