//! The work budget checked against the path search as it was before it met in the
//! middle (kept here whole): on random questions the search answers the same within the
//! visits the previous one spent.

use std::collections::HashMap;

use petgraph::stable_graph::NodeIndex;

use super::super::explore::edge_holds;
use super::super::testing::{BOUNDS, Dice};
use super::super::topology::Half;
use super::super::{Bounds, GraphError, KnowledgeGraph};
use super::random::{Shape, ask_many, between_hubs, render, small, sparse, with_sorted_hubs};
use super::{Path, PathOptions, PathStep, Plan};
use crate::model::EntityId;

struct Walk<'a, 'r> {
    g: &'a KnowledgeGraph,
    options: PathOptions<'r>,
    ends: [NodeIndex; 2],
    spent: usize,
}

impl<'a> Walk<'a, '_> {
    fn spend(&mut self) -> Result<(), GraphError> {
        self.spent += 1;
        if self.spent > self.options.bounds.path_visits {
            return Err(GraphError::WorkBudgetExceeded {
                budget: self.options.bounds.path_visits,
            });
        }
        Ok(())
    }

    /// True when the relation `h` at a node may be walked: of a kind asked for, to a node
    /// of a kind asked for (the ends always), and holding on the day asked about.
    fn admits(&self, h: &Half) -> bool {
        let o = &self.options;
        let topo = &self.g.topology;
        o.relations.admits(&h.kind)
            && (o.kinds.is_all()
                || self.ends.contains(&h.other)
                || topo.kind(h.other).is_some_and(|k| o.kinds.admits(&k)))
            && (o.as_of.is_none() || !h.dated() || edge_holds(&self.g.graph[h.edge], o.as_of))
    }

    /// The nodes one step from `ix`, in no order: for measuring distances.
    fn neighbours(&self, ix: NodeIndex) -> impl Iterator<Item = NodeIndex> + '_ {
        self.g
            .topology
            .halves(ix)
            .iter()
            .filter(|h| self.admits(h))
            .map(|h| h.other)
    }

    /// The steps from `ix` to nodes that `wanted` keeps, in a fixed order: by the other
    /// end's id, then kind, then the relation's ends and key (what its id is made of).
    /// Only the steps kept are sorted, so a hub costs a pass over its relations.
    fn steps(
        &self,
        ix: NodeIndex,
        wanted: impl Fn(NodeIndex) -> bool,
    ) -> Vec<(NodeIndex, PathStep<'a>)> {
        let g = &self.g.graph;
        let mut out: Vec<(NodeIndex, PathStep<'a>)> = self
            .g
            .topology
            .halves(ix)
            .iter()
            .filter(|h| wanted(h.other) && self.admits(h))
            .map(|h| {
                let step = PathStep {
                    edge: &g[h.edge],
                    forward: h.outgoing(),
                };
                (h.other, step)
            })
            .collect();
        super::walk::by_step_order(self.g, &mut out);
        out
    }
}

/// Distances from one node, complete level by level.
struct Levels {
    dist: HashMap<NodeIndex, usize>,
    /// The nodes of the last complete level.
    frontier: Vec<NodeIndex>,
    /// How many levels are complete.
    depth: usize,
}

impl Levels {
    fn new(from: NodeIndex) -> Self {
        Levels {
            dist: HashMap::from([(from, 0)]),
            frontier: vec![from],
            depth: 0,
        }
    }

    /// Completes the levels up to `depth`, each node expanded costing one visit.
    fn reach(&mut self, walk: &mut Walk<'_, '_>, depth: usize) -> Result<(), GraphError> {
        while self.depth < depth && !self.frontier.is_empty() {
            let mut next = Vec::new();
            for &ix in &self.frontier {
                walk.spend()?;
                for other in walk.neighbours(ix) {
                    if let std::collections::hash_map::Entry::Vacant(v) = self.dist.entry(other) {
                        v.insert(self.depth + 1);
                        next.push(other);
                    }
                }
            }
            self.frontier = next;
            self.depth += 1;
        }
        Ok(())
    }
}

/// The length of the shortest path from `start` to `goal` of at most `max_length`
/// steps, searched from both ends at once: each round completes one more level on the
/// side whose last level is smaller, so a hub on one side is not expanded while the
/// other side is still small.
fn shortest_length(
    walk: &mut Walk<'_, '_>,
    start: NodeIndex,
    goal: NodeIndex,
    max_length: usize,
) -> Result<Option<usize>, GraphError> {
    let (mut from_start, mut from_goal) = (Levels::new(start), Levels::new(goal));
    while from_start.depth + from_goal.depth < max_length {
        let (this, other) = if from_start.frontier.len() <= from_goal.frontier.len() {
            (&mut from_start, &from_goal)
        } else {
            (&mut from_goal, &from_start)
        };
        if this.frontier.is_empty() {
            return Ok(None);
        }
        let depth = this.depth + 1;
        this.reach(walk, depth)?;
        // No node was within reach of both sides before this level, so the first
        // meeting gives the shortest length.
        let met = this
            .frontier
            .iter()
            .filter_map(|ix| other.dist.get(ix))
            .min()
            .map(|d| depth + d);
        if met.is_some() {
            return Ok(met.filter(|&len| len <= max_length));
        }
    }
    Ok(None)
}

/// Depth-first: every simple path of exactly `length` edges from the last
/// node of `nodes` to `goal`, in the fixed step order.
#[allow(clippy::too_many_arguments)]
fn extend<'a>(
    walk: &mut Walk<'a, '_>,
    dist: &HashMap<NodeIndex, usize>,
    goal: NodeIndex,
    length: usize,
    nodes: &mut Vec<NodeIndex>,
    steps: &mut Vec<PathStep<'a>>,
    found: &mut Vec<Path<'a>>,
    limit: usize,
) -> Result<(), GraphError> {
    walk.spend()?;
    let here = *nodes.last().unwrap_or(&goal);
    let left = length - steps.len();
    if left == 0 {
        if here == goal {
            let g = &walk.g.graph;
            found.push(Path {
                nodes: nodes.iter().map(|ix| &*g[*ix]).collect(),
                steps: steps.clone(),
            });
        }
        return Ok(());
    }
    // Only nodes that can still reach the goal in the steps left; the goal ends a path
    // and is never passed through.
    let wanted = |next: NodeIndex| {
        dist.get(&next).is_some_and(|d| *d < left)
            && !nodes.contains(&next)
            && (next != goal || left == 1)
    };
    for (next, step) in walk.steps(here, wanted) {
        if found.len() >= limit {
            break;
        }
        nodes.push(next);
        steps.push(step);
        extend(walk, dist, goal, length, nodes, steps, found, limit)?;
        nodes.pop();
        steps.pop();
    }
    Ok(())
}

/// The search as it was before the meeting in the middle: its answer and the visits it
/// spent, for comparing budgets.
pub(super) fn previous<'g>(
    g: &'g KnowledgeGraph,
    from: &EntityId,
    to: &EntityId,
    options: &PathOptions<'_>,
) -> (Result<Vec<Path<'g>>, GraphError>, usize) {
    let (Some(start), Some(goal)) = (g.index_of(from), g.index_of(to)) else {
        return (Ok(Vec::new()), 0);
    };
    if start == goal || options.limit == 0 {
        return (Ok(Vec::new()), 0);
    }
    let mut walk = Walk {
        g,
        options: *options,
        ends: [start, goal],
        spent: 0,
    };
    let result = run(&mut walk, start, goal);
    (result, walk.spent)
}

fn run<'a>(
    walk: &mut Walk<'a, '_>,
    start: NodeIndex,
    goal: NodeIndex,
) -> Result<Vec<Path<'a>>, GraphError> {
    let (max_length, limit) = (walk.options.max_length, walk.options.limit);
    let Some(shortest) = shortest_length(walk, start, goal, max_length)? else {
        return Ok(Vec::new());
    };
    let mut to_goal = Levels::new(goal);
    let mut found: Vec<Path<'_>> = Vec::new();
    for length in shortest..=max_length {
        let mut nodes = vec![start];
        let mut steps = Vec::new();
        to_goal.reach(walk, length - 1)?;
        extend(
            walk,
            &to_goal.dist,
            goal,
            length,
            &mut nodes,
            &mut steps,
            &mut found,
            limit,
        )?;
        if found.len() >= limit {
            break;
        }
    }
    Ok(found)
}

/// The budget refuses no question the previous search answered within it: on each random
/// question a frugal search spends at most the visits the previous one spent, and so
/// answers the same within them, whatever a quick search does.
fn spends_no_more(seed: u64, graphs: usize, shape: fn(&mut Dice) -> Shape) {
    ask_many(seed, graphs, 30, shape, |g, q, _, label| {
        if q.from == q.to {
            return;
        }
        let (before, spent) = previous(g, &q.from, &q.to, &q.options(BOUNDS));
        let before: Vec<String> = before
            .unwrap_or_else(|e| panic!("{label}: {e}"))
            .iter()
            .map(render)
            .collect();
        let within = q.options(Bounds {
            path_visits: spent.max(1),
            ..BOUNDS
        });
        let answers = [
            g.paths_planned(&q.from, &q.to, &within, &[Plan::Frugal]),
            g.paths_with(&q.from, &q.to, &within),
        ];
        for now in answers {
            let now: Vec<String> = now
                .unwrap_or_else(|e| panic!("{label}: {e} (the previous search spent {spent})"))
                .iter()
                .map(render)
                .collect();
            assert_eq!(now, before, "{label}");
        }
    });
}

#[test]
fn the_budget_refuses_nothing_the_previous_search_answered() {
    for seed in 1..=40u64 {
        spends_no_more(seed * 7919, 10, small);
    }
    for seed in 1..=12u64 {
        spends_no_more(seed * 104_729, 3, with_sorted_hubs);
        spends_no_more(seed * 1_299_709, 5, sparse);
    }
    for seed in 1..=10u64 {
        spends_no_more(seed * 15_485_863, 2, between_hubs);
    }
    // Among these, a question a quick search answers only with one visit more than the
    // previous search spent: within that budget, the frugal search answers it.
    spends_no_more(9_051_420, 10, small);
}
