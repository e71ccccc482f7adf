//! The paths of one length, joined through the meeting of the two searches: first the
//! nodes on the start's side that lead, position by position, to a relation into the
//! goal's side; then a walk from the start in the fixed step order that keeps to them and,
//! past the meeting, to nodes near enough the goal. When a quick search left the start's
//! side's meeting level unlisted one or two steps from the start (past a hub start, or
//! past a hub next to it), the nodes there are tested only as the walk meets them, in the
//! order of the sorted relations they are read from, so the walk stops reading a hub's
//! list once it has its paths. A hub of the goal's side that a path may pass before the
//! meeting is not read into the meeting layer: the nodes one step from it are looked up
//! in its sorted relations, and only while the path has not passed it.

use petgraph::stable_graph::NodeIndex;

use super::super::FastSet;
use super::super::topology::SORTED_FROM;
use super::super::{FastMap, GraphError};
use super::reach::Side;
use super::walk::{Rules, Targets, Walk};
use super::{Path, PathStep, Plan};

/// Where the simple paths of one length may go. The start's side is complete to some
/// depth, the meeting, and the goal's side to the rest of the length but one: a path's
/// nodes up to the meeting are each within as many steps of the start as its position,
/// its next step reaches the goal's side, and every later node is within the steps left
/// of the goal.
struct Join<'s> {
    sides: &'s [Side; 2],
    length: usize,
    /// The meeting: the depth of the start's side.
    meet: usize,
    layers: Layers,
    /// Hubs of the goal's side that a path may pass before the meeting (see
    /// [`Join::shared_hubs`]): the nodes one step from them that may stand at the meeting
    /// belong to its layer without being listed, while the path has not passed the hub.
    shared: Vec<NodeIndex>,
}

/// The most hubs a join leaves out of its meeting layer (see [`Join::shared_hubs`]).
const MAX_SHARED: usize = 4;

/// The nodes that may stand at each position up to the meeting: within that many steps
/// of the start, and joined to a node of the next position's layer (or of the goal's side,
/// past the meeting).
enum Layers {
    /// Each position's layer, found before the walk: listed and as a set.
    Listed(Vec<(Vec<NodeIndex>, FastSet<NodeIndex>)>),
    /// The meeting is one or two steps from the start, and the start's side leaves its
    /// level there unlisted: whether a node may stand there is found when the walk first
    /// asks, and kept. Before the meeting, any node one step on may stand (the start's
    /// neighbours, within one step of it).
    Asked {
        /// Whether a node may stand at the meeting, after a node before it that is not
        /// on the goal's side (`NodeIndex::end()`) or is (that node, which the step past
        /// the meeting may not take again).
        known: FastMap<(NodeIndex, NodeIndex), bool>,
        /// What finding a node's relations into the goal's side costs from that side's
        /// nodes, in relations read, when they are listed (at most [`TOO_DEAR`]).
        from_goal: Option<usize>,
        /// Where the last lookup in each of those nodes' sorted lists ended.
        fingers: FastMap<NodeIndex, usize>,
    },
}

/// A cost in relations read past which lookups from the goal's side are not weighed.
const TOO_DEAR: usize = 1 << 16;

/// The nodes of `xs` that `x_ok` keeps and an admitted relation joins to a node of `ys`
/// that `y_ok` keeps, each once: found by reading the relations of the nodes of `xs`, or
/// of `ys` when `from_ys` or `xs` are not listed (one of the two must be), a visit for
/// each node read.
fn joined(
    walk: &mut Walk<'_, '_>,
    xs: Option<&[NodeIndex]>,
    x_ok: impl Fn(NodeIndex) -> bool,
    ys: Option<&[NodeIndex]>,
    y_ok: impl Fn(NodeIndex) -> bool,
    from_ys: bool,
) -> Result<Vec<NodeIndex>, GraphError> {
    let rules = walk.rules();
    let mut out = Vec::new();
    match (xs, ys) {
        (xs, Some(ys)) if from_ys || xs.is_none() => {
            let targets = Targets {
                listed: xs,
                holds: x_ok,
            };
            for &y in ys.iter().filter(|y| y_ok(**y)) {
                walk.visit(y)?;
                out.extend(rules.linked(y, &targets));
            }
            out.sort_unstable();
            out.dedup();
        }
        (xs, ys) => {
            let targets = Targets {
                listed: ys,
                holds: y_ok,
            };
            for &x in xs.unwrap_or_default().iter().filter(|x| x_ok(**x)) {
                walk.visit(x)?;
                if rules.touches(x, &targets) {
                    out.push(x);
                }
            }
        }
    }
    Ok(out)
}

/// True when `y`, of the goal's side `near_goal`, may stand one step past the meeting of
/// a path with `beyond` steps left after that: within them of the goal, never the start,
/// the goal only when no steps are left.
fn past_meeting(rules: &Rules<'_, '_>, near_goal: &Side, beyond: usize, y: NodeIndex) -> bool {
    let [start, goal] = rules.ends;
    y != start && (y != goal || beyond == 0) && near_goal.reaches(rules, y, beyond)
}

impl<'s> Join<'s> {
    /// The layers for paths of `length` steps between the ends of `sides` (the start's
    /// side, then the goal's, their depths adding up to `length - 1`), read as `plan`
    /// says; `None` when no path of that length can leave the start.
    fn new(
        walk: &mut Walk<'_, '_>,
        sides: &'s [Side; 2],
        length: usize,
        plan: Plan,
    ) -> Result<Option<Self>, GraphError> {
        let rules = walk.rules();
        let [start, goal] = rules.ends;
        let [near_start, near_goal] = sides;
        let meet = near_start.depth();
        debug_assert_eq!(
            meet + near_goal.depth() + 1,
            length,
            "the sides meet at the length"
        );
        let beyond = length - 1 - meet;
        let (xs, ys) = (near_start.within(meet), near_goal.within(beyond));
        if xs.is_none() && meet >= 2 || ys.is_none() && beyond >= 2 {
            super::walk::count_join_past_hubs();
        }
        // What reading or looking up in each relation list of the goal's side costs.
        let cost_of_ys = |cost: &dyn Fn(NodeIndex) -> usize| {
            ys.map(|ys| {
                let mut sum = 0usize;
                for &y in ys
                    .iter()
                    .filter(|y| **y != start && (**y != goal || beyond == 0))
                {
                    sum = sum.saturating_add(cost(y));
                    if sum > TOO_DEAR {
                        break;
                    }
                }
                sum.min(TOO_DEAR)
            })
        };
        // A node of the goal's side one step from the meeting, and the hubs among them
        // that a path may pass before it ([`Join::shared_hubs`]).
        let y_ok = |y: NodeIndex| past_meeting(&rules, near_goal, beyond, y);
        let shared = match plan {
            Plan::Quick => Self::shared_hubs(&rules, sides, meet, ys, &y_ok),
            Plan::Frugal => Vec::new(),
        };
        // Only a quick search leaves a level unlisted. When the start's side leaves its
        // meeting level unlisted one or two steps from the start, the walk may ask of the
        // nodes it meets there instead of listing the layer: it reads the lists of the
        // nodes before the meeting (the start's, and at two steps its neighbours', each
        // once), asking of each node one step on whether it joins the goal's side, and
        // stops once it has its paths. That is chosen unless the goal's side is read for a
        // small part of what those lists cost (each node it finds looked up in them), the
        // shared hubs left out, as a listed join leaves them. Further out a node before
        // the meeting could be reached, and its list read, along many paths; there the
        // join reads whichever of the two sides is listed, and
        // [`super::reach::ready_to_join`] lists one where both leave nodes unlisted.
        let ask = || {
            let before = near_start.within(meet - 1).unwrap_or_default();
            let asking = before
                .iter()
                .fold(0usize, |sum, &v| sum.saturating_add(rules.degree(v)));
            let search = (usize::BITS - asking.leading_zeros()) as usize + 1;
            let listing = cost_of_ys(&|y| {
                if shared.contains(&y) {
                    0
                } else {
                    rules.degree(y)
                }
            });
            listing.is_none_or(|cost| cost.saturating_mul(search) > asking)
        };
        if xs.is_none() && (1..=2).contains(&meet) && ask() {
            let from_goal = cost_of_ys(&|y| rules.lookup_cost(y));
            return Ok(Some(Join {
                sides,
                length,
                meet,
                shared: Vec::new(),
                layers: Layers::Asked {
                    known: FastMap::default(),
                    from_goal,
                    fingers: FastMap::default(),
                },
            }));
        };
        // A node at position `i`: never the goal, the start only first.
        let may_stand = |ix: NodeIndex, i: usize| {
            ix != goal && (ix != start || i == 0) && near_start.reaches(&rules, ix, i)
        };
        for &w in &shared {
            walk.visit(w)?;
        }
        // A node one step from a shared hub that may stand at the meeting.
        let near_shared =
            |ix: NodeIndex| may_stand(ix, meet) && shared.iter().any(|&w| rules.joins(w, ix));
        // Which of two lists to read. A quick join reads the shorter (the start's side's
        // when the goal's is unlisted). A frugal one reads the goal's side for the meeting
        // layer (but for the start alone), whose nodes are all within one step less than
        // the length of the goal, and the start's side before it, within one step less
        // than the meeting, whose nodes the search from the start has read: no node the
        // previous search (distances from the goal to one step short of each length) did
        // not read.
        let read_ys = |xs: Option<&[NodeIndex]>, ys: Option<&[NodeIndex]>, frugal: bool| match plan
        {
            Plan::Quick => match (xs, ys) {
                (Some(xs), Some(ys)) => ys.len() < xs.len(),
                (xs, _) => xs.is_none(),
            },
            Plan::Frugal => frugal,
        };
        // From the meeting back to the start, each layer from the one after it.
        let mut layers: Vec<(Vec<NodeIndex>, FastSet<NodeIndex>)> = Vec::with_capacity(meet + 1);
        for i in (0..=meet).rev() {
            let listed = match layers.last() {
                None => joined(
                    walk,
                    xs,
                    |x| may_stand(x, meet),
                    ys,
                    |y| y_ok(y) && !shared.contains(&y),
                    read_ys(xs, ys, meet > 0),
                )?,
                // Before the meeting, whose layer is not all listed: from the start's side.
                Some((_, set)) if i + 1 == meet && !shared.is_empty() => joined(
                    walk,
                    near_start.within(i),
                    |x| may_stand(x, i),
                    None,
                    |y| set.contains(&y) || near_shared(y),
                    false,
                )?,
                Some((next, set)) => {
                    let xs = near_start.within(i);
                    joined(
                        walk,
                        xs,
                        |x| may_stand(x, i),
                        Some(next),
                        |y| set.contains(&y),
                        read_ys(xs, Some(next), false),
                    )?
                }
            };
            if listed.is_empty() && (i < meet || shared.is_empty()) {
                return Ok(None);
            }
            let set = listed.iter().copied().collect();
            layers.push((listed, set));
        }
        layers.reverse();
        Ok(Some(Join {
            sides,
            length,
            meet,
            layers: Layers::Listed(layers),
            shared,
        }))
    }

    /// The hubs of the goal's side, one step from the meeting (`ys`, those `y_ok` keeps),
    /// that a path may pass before it: within `meet - 1` steps of the start, so also on
    /// its side. Every node one step from such a hub that may stand at the meeting is
    /// joined to the goal's side through it, most of them through it alone; listed, they
    /// would fill the meeting layer, and a walk that passed the hub would try each of
    /// them for a step it cannot take again. Left out, they are found by lookups in the
    /// hub's sorted relations, only while the path has not passed it. At most
    /// [`MAX_SHARED`], else none.
    fn shared_hubs(
        rules: &Rules<'_, '_>,
        sides: &[Side; 2],
        meet: usize,
        ys: Option<&[NodeIndex]>,
        y_ok: &impl Fn(NodeIndex) -> bool,
    ) -> Vec<NodeIndex> {
        let (Some(ys), Some(before)) = (ys, meet.checked_sub(1)) else {
            return Vec::new();
        };
        if before == 0 || sides[0].within(before).is_none() {
            return Vec::new();
        }
        let hubs: Vec<NodeIndex> = ys
            .iter()
            .copied()
            .filter(|&y| rules.sorted(y) && sides[0].reaches(rules, y, before) && y_ok(y))
            .take(MAX_SHARED + 1)
            .collect();
        if hubs.len() > MAX_SHARED {
            return Vec::new();
        }
        hubs
    }

    /// Whether `x` may stand at the meeting (see [`Layers::Asked`]) one step past `passed`,
    /// the node before it when that is on the goal's side (a relation to it leads on from
    /// the meeting only on paths that have not passed it), else `NodeIndex::end()`: found
    /// once, by lookups of `x` in the relations of the goal's side's nodes when they are
    /// listed and that costs little, by reading the relations of `x` otherwise.
    fn asked(
        &mut self,
        walk: &mut Walk<'_, '_>,
        x: NodeIndex,
        passed: NodeIndex,
    ) -> Result<bool, GraphError> {
        let rules = walk.rules();
        let [start, goal] = rules.ends;
        let Layers::Asked {
            known,
            from_goal,
            fingers,
        } = &mut self.layers
        else {
            return Ok(false);
        };
        if x == goal || x == start {
            return Ok(false);
        }
        if let Some(&may) = known.get(&(x, passed)) {
            return Ok(may);
        }
        let near_goal = &self.sides[1];
        let beyond = self.length - 1 - self.meet;
        let y_ok = |y: NodeIndex| y != passed && past_meeting(&rules, near_goal, beyond, y);
        let ys = near_goal.within(beyond);
        let cheap = from_goal.is_some_and(|c| c <= rules.degree(x).max(SORTED_FROM));
        let may = match ys {
            Some(ys) if cheap => {
                let mut may = false;
                for &y in ys {
                    if y != x && y_ok(y) {
                        walk.visit(y)?;
                        if rules.joins_from(y, x, fingers.entry(y).or_default()) {
                            may = true;
                            break;
                        }
                    }
                }
                may
            }
            _ => {
                walk.visit(x)?;
                rules.touches(
                    x,
                    &Targets {
                        listed: ys,
                        holds: y_ok,
                    },
                )
            }
        };
        known.insert((x, passed), may);
        Ok(may)
    }

    /// The next steps from `here`, the last of `nodes`, in the fixed step order: all of
    /// them, or the next run read from a hub's sorted relations from `*cursor` on; empty
    /// when there are no more. `*cursor` starts as `None`.
    fn next_steps<'a>(
        &mut self,
        walk: &mut Walk<'a, '_>,
        nodes: &[NodeIndex],
        next: usize,
        cursor: &mut Option<usize>,
    ) -> Result<Vec<(NodeIndex, PathStep<'a>)>, GraphError> {
        const DONE: usize = usize::MAX;
        let rules = walk.rules();
        let goal = rules.ends[1];
        let here = *nodes.last().unwrap_or(&goal);
        if *cursor == Some(DONE) {
            return Ok(Vec::new());
        }
        // The goal ends a path and is never passed through; no node comes twice.
        let last = next == self.length;
        let fresh = |ix: NodeIndex| !nodes.contains(&ix) && (ix != goal || last);
        if matches!(self.layers, Layers::Asked { .. }) && next <= self.meet {
            let mut at = cursor.unwrap_or(0);
            let meeting = next == self.meet;
            let beyond = self.length - 1 - self.meet;
            let passed = match meeting && past_meeting(&rules, &self.sides[1], beyond, here) {
                true => here,
                false => NodeIndex::end(),
            };
            let out = rules.steps_in_order(here, &mut at, |h| match fresh(h.other) {
                true if meeting => self.asked(walk, h.other, passed),
                fresh => Ok(fresh),
            })?;
            *cursor = Some(at);
            return Ok(out);
        }
        let left = self.length - next;
        let near_goal = &self.sides[1];
        let layer = match &self.layers {
            Layers::Listed(layers) => layers.get(next),
            Layers::Asked { .. } => None,
        };
        // The shared hubs the path has not passed, whose nodes the meeting layer holds.
        let live: &[NodeIndex] =
            if next == self.meet && !self.shared.iter().all(|w| nodes.contains(w)) {
                &self.shared
            } else {
                &[]
            };
        let near_live = |ix: NodeIndex| {
            !live.is_empty()
                && self.sides[0].reaches(&rules, ix, self.meet)
                && live
                    .iter()
                    .any(|&w| !nodes.contains(&w) && rules.joins(w, ix))
        };
        let targets = Targets {
            listed: match layer {
                Some(_) if !live.is_empty() => None,
                Some((listed, _)) => Some(listed.as_slice()),
                None => near_goal.within(left),
            },
            holds: |ix: NodeIndex| {
                fresh(ix)
                    && match layer {
                        Some((_, set)) => set.contains(&ix) || near_live(ix),
                        None => near_goal.reaches(&rules, ix, left),
                    }
            },
        };
        if rules.reads_in_order(here, &targets) {
            let mut at = cursor.unwrap_or(0);
            let out = rules.steps_in_order(here, &mut at, |h| {
                Ok::<bool, GraphError>((targets.holds)(h.other))
            })?;
            *cursor = Some(at);
            Ok(out)
        } else {
            *cursor = Some(DONE);
            Ok(rules.steps(here, &targets))
        }
    }

    /// Depth first: every simple path of exactly `length` steps from the last node of
    /// `nodes` to the goal, in the fixed step order, until `found` holds `limit`.
    fn extend<'a>(
        &mut self,
        walk: &mut Walk<'a, '_>,
        nodes: &mut Vec<NodeIndex>,
        steps: &mut Vec<PathStep<'a>>,
        found: &mut Vec<Path<'a>>,
        limit: usize,
    ) -> Result<(), GraphError> {
        walk.spend()?;
        let goal = walk.ends[1];
        let here = *nodes.last().unwrap_or(&goal);
        if steps.len() == self.length {
            if here == goal {
                let g = &walk.g.graph;
                found.push(Path {
                    nodes: nodes.iter().map(|ix| &*g[*ix]).collect(),
                    steps: steps.clone(),
                });
            }
            return Ok(());
        }
        let next = steps.len() + 1;
        let mut cursor = None;
        while found.len() < limit {
            let ahead = self.next_steps(walk, nodes, next, &mut cursor)?;
            if ahead.is_empty() {
                break;
            }
            for (ix, step) in ahead {
                if found.len() >= limit {
                    break;
                }
                nodes.push(ix);
                steps.push(step);
                self.extend(walk, nodes, steps, found, limit)?;
                nodes.pop();
                steps.pop();
            }
        }
        Ok(())
    }
}

/// Adds to `found`, in the fixed order, the simple paths of exactly `length` steps between
/// the ends of `sides`, until it holds `limit`.
pub(super) fn paths_of_length<'a>(
    walk: &mut Walk<'a, '_>,
    sides: &[Side; 2],
    length: usize,
    plan: Plan,
    found: &mut Vec<Path<'a>>,
    limit: usize,
) -> Result<(), GraphError> {
    let Some(mut join) = Join::new(walk, sides, length, plan)? else {
        return Ok(());
    };
    let mut nodes = vec![walk.ends[0]];
    let mut steps = Vec::new();
    join.extend(walk, &mut nodes, &mut steps, found, limit)
}
