//! The paths of one length, joined through the meeting of the two searches: first the
//! nodes on the start's side that lead, position by position, to a relation into the
//! goal's side; then a walk from the start in the fixed step order that keeps to them and,
//! past the meeting, to nodes near enough the goal.

use petgraph::stable_graph::NodeIndex;

use super::super::GraphError;
use super::reach::Side;
use super::walk::{FastSet, Targets, Walk};
use super::{Path, PathStep, Plan};

/// Where the simple paths of one length may go. The start's side is complete to some
/// depth, the meeting, and the goal's side to the rest of the length but one: a path's
/// nodes up to the meeting are each within as many steps of the start as its position,
/// its next step reaches the goal's side, and every later node is within the steps left
/// of the goal.
struct Join<'s> {
    sides: &'s [Side; 2],
    length: usize,
    /// The nodes that may stand at each position up to the meeting: within that many steps
    /// of the start, and joined to a node of the next position's layer (or of the goal's
    /// side, past the meeting), listed and as a set.
    layers: Vec<(Vec<NodeIndex>, FastSet<NodeIndex>)>,
}

/// The nodes of `xs` that `x_ok` keeps and an admitted relation joins to a node of `ys`
/// that `y_ok` keeps, each once: found by reading the relations of the nodes of `xs`, or
/// of `ys` when `from_ys`, a visit for each node read.
fn joined(
    walk: &mut Walk<'_, '_>,
    xs: &[NodeIndex],
    x_ok: impl Fn(NodeIndex) -> bool,
    ys: &[NodeIndex],
    y_ok: impl Fn(NodeIndex) -> bool,
    from_ys: bool,
) -> Result<Vec<NodeIndex>, GraphError> {
    let mut out = Vec::new();
    if !from_ys {
        let targets = Targets {
            listed: ys,
            holds: y_ok,
        };
        for &x in xs.iter().filter(|x| x_ok(**x)) {
            walk.visit(x)?;
            if walk.touches(x, &targets) {
                out.push(x);
            }
        }
    } else {
        let targets = Targets {
            listed: xs,
            holds: x_ok,
        };
        for &y in ys.iter().filter(|y| y_ok(**y)) {
            walk.visit(y)?;
            out.extend(walk.linked(y, &targets));
        }
        out.sort_unstable();
        out.dedup();
    }
    Ok(out)
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
        let [start, goal] = walk.ends;
        let [near_start, near_goal] = sides;
        let meet = near_start.depth();
        debug_assert_eq!(
            meet + near_goal.depth() + 1,
            length,
            "the sides meet at the length"
        );
        let beyond = length - 1 - meet;
        // A node at position `i`: never the goal, the start only first.
        let may_stand = |ix: NodeIndex, i: usize| {
            ix != goal && (ix != start || i == 0) && near_start.reaches(ix, i)
        };
        // Which of two lists to read. A quick join reads the shorter. A frugal one reads
        // the goal's side for the meeting layer (but for the start alone), whose nodes are
        // all within one step less than the length of the goal, and the start's side
        // before it, within one step less than the meeting, whose nodes the search from
        // the start has read: no node the previous search (distances from the goal to
        // one step short of each length) did not read.
        let read_ys = |xs: &[NodeIndex], ys: &[NodeIndex], frugal: bool| match plan {
            Plan::Quick => ys.len() < xs.len(),
            Plan::Frugal => frugal,
        };
        // From the meeting back to the start, each layer from the one after it.
        let mut layers: Vec<(Vec<NodeIndex>, FastSet<NodeIndex>)> = Vec::with_capacity(meet + 1);
        for i in (0..=meet).rev() {
            let listed = match layers.last() {
                None => {
                    let (xs, ys) = (near_start.within(meet), near_goal.within(beyond));
                    joined(
                        walk,
                        xs,
                        |x| may_stand(x, meet),
                        ys,
                        |y| {
                            y != start && (y != goal || beyond == 0) && near_goal.reaches(y, beyond)
                        },
                        read_ys(xs, ys, meet > 0),
                    )?
                }
                Some((next, set)) => {
                    let xs = near_start.within(i);
                    joined(
                        walk,
                        xs,
                        |x| may_stand(x, i),
                        next,
                        |y| set.contains(&y),
                        read_ys(xs, next, false),
                    )?
                }
            };
            if listed.is_empty() {
                return Ok(None);
            }
            let set = listed.iter().copied().collect();
            layers.push((listed, set));
        }
        layers.reverse();
        Ok(Some(Join {
            sides,
            length,
            layers,
        }))
    }

    /// Depth first: every simple path of exactly `length` steps from the last node of
    /// `nodes` to the goal, in the fixed step order, until `found` holds `limit`.
    fn extend<'a>(
        &self,
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
        // The goal ends a path and is never passed through; no node comes twice.
        let fresh = |ix: NodeIndex| !nodes.contains(&ix) && (ix != goal || next == self.length);
        let ahead = if let Some((listed, set)) = self.layers.get(next) {
            walk.steps(
                here,
                &Targets {
                    listed,
                    holds: |ix| set.contains(&ix) && fresh(ix),
                },
            )
        } else {
            let left = self.length - next;
            let near_goal = &self.sides[1];
            walk.steps(
                here,
                &Targets {
                    listed: near_goal.within(left),
                    holds: |ix| near_goal.reaches(ix, left) && fresh(ix),
                },
            )
        };
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
    let Some(join) = Join::new(walk, sides, length, plan)? else {
        return Ok(());
    };
    let mut nodes = vec![walk.ends[0]];
    let mut steps = Vec::new();
    join.extend(walk, &mut nodes, &mut steps, found, limit)
}
