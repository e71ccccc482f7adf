//! Connections between two entities: the k shortest simple paths, in
//! either direction along edges, deterministic, within a work budget.

use std::collections::HashMap;

use petgraph::stable_graph::NodeIndex;

use super::explore::edge_holds;
use super::topology::Half;
use super::{Bounds, Edge, GraphError, KnowledgeGraph};
use crate::model::{EntityId, Node, NodeKind, PartialDate, RelationKind};

/// One step of a path: the edge, and whether it points along the path.
#[derive(Debug, Clone, Copy)]
pub struct PathStep<'g> {
    /// The edge.
    pub edge: &'g Edge,
    /// True when the edge runs from the step's first node to its second.
    pub forward: bool,
}

/// A path: `nodes[i]` and `nodes[i + 1]` are joined by `steps[i]`.
#[derive(Debug, Clone)]
pub struct Path<'g> {
    /// The nodes, from the start to the end.
    pub nodes: Vec<&'g Node>,
    /// The edges between them.
    pub steps: Vec<PathStep<'g>>,
}

/// What a path search may follow, and how far.
#[derive(Debug, Clone, Copy)]
pub struct PathOptions<'r> {
    /// The most edges a path may have (at most `bounds.path_length`).
    pub max_length: usize,
    /// Follow only relations of these kinds (all when empty).
    pub relations: &'r [RelationKind],
    /// Pass only through nodes of these kinds (all when empty; the ends always).
    pub kinds: &'r [NodeKind],
    /// Follow only edges that held on this date.
    pub as_of: Option<&'r PartialDate>,
    /// At most this many paths (at most `bounds.paths`).
    pub limit: usize,
    /// The bounds: the longest path, the most paths, the most node visits.
    pub bounds: Bounds,
}

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
        (o.relations.is_empty() || o.relations.contains(&h.kind))
            && (o.kinds.is_empty()
                || self.ends.contains(&h.other)
                || topo.kind(h.other).is_some_and(|k| o.kinds.contains(&k)))
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
        out.sort_by(|(a, x), (b, y)| {
            let (x, y) = (&x.edge.relation, &y.edge.relation);
            (&g[*a].id, x.kind, &x.from, &x.to, &x.key)
                .cmp(&(&g[*b].id, y.kind, &y.from, &y.to, &y.key))
        });
        out
    }
}

impl KnowledgeGraph {
    /// The shortest simple paths from `from` to `to` of at most
    /// `max_length` edges over `relations` (all when empty), shortest
    /// first, at most `limit`. Edges are followed either way. Unknown ends
    /// have no paths. Visiting more than `bounds.path_visits` nodes is an error.
    pub fn paths(
        &self,
        from: &EntityId,
        to: &EntityId,
        max_length: usize,
        relations: &[RelationKind],
        limit: usize,
        bounds: &Bounds,
    ) -> Result<Vec<Path<'_>>, GraphError> {
        let options = PathOptions {
            max_length,
            relations,
            kinds: &[],
            as_of: None,
            limit,
            bounds: *bounds,
        };
        self.paths_with(from, to, &options)
    }

    /// The shortest simple paths from `from` to `to`, as `options` allow.
    pub fn paths_with(
        &self,
        from: &EntityId,
        to: &EntityId,
        options: &PathOptions<'_>,
    ) -> Result<Vec<Path<'_>>, GraphError> {
        let (max_length, limit) = (options.max_length, options.limit);
        GraphError::over_limit("maxLength", max_length, options.bounds.path_length)?;
        GraphError::over_limit("limit", limit, options.bounds.paths)?;
        let (Some(start), Some(goal)) = (self.index_of(from), self.index_of(to)) else {
            return Ok(Vec::new());
        };
        if limit == 0 {
            return Ok(Vec::new());
        }
        if start == goal {
            return Ok(vec![Path {
                nodes: vec![&self.graph[start]],
                steps: Vec::new(),
            }]);
        }
        let mut walk = Walk {
            g: self,
            options: *options,
            ends: [start, goal],
            spent: 0,
        };

        let Some(shortest) = shortest_length(&mut walk, start, goal, max_length)? else {
            return Ok(Vec::new());
        };
        // Distances to the goal, a level at a time as far as each length needs, so the
        // search below only enters nodes that can still reach the goal in time.
        let mut to_goal = Levels::new(goal);
        let mut found: Vec<Path<'_>> = Vec::new();
        for length in shortest..=max_length {
            let mut nodes = vec![start];
            let mut steps = Vec::new();
            to_goal.reach(&mut walk, length - 1)?;
            extend(
                &mut walk,
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

#[cfg(test)]
mod definition_tests;
#[cfg(test)]
mod random;

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use super::*;

    /// a - b - d, a - c - d (a diamond), d - e, and f alone.
    fn graph() -> KnowledgeGraph {
        let nodes = ["a", "b", "c", "d", "e", "f"]
            .iter()
            .map(|x| country(x, x))
            .collect();
        let r = |a: &str, b: &str| {
            relation(
                RelationKind::AllyOf,
                &format!("country:{a}"),
                &format!("country:{b}"),
            )
        };
        let p = |a: &str, b: &str| {
            relation(
                RelationKind::Pressures,
                &format!("country:{a}"),
                &format!("country:{b}"),
            )
        };
        KnowledgeGraph::build(
            nodes,
            vec![
                r("a", "b"),
                p("d", "b"),
                r("a", "c"),
                r("c", "d"),
                r("d", "e"),
            ],
        )
        .unwrap()
    }

    fn route(p: &Path<'_>) -> String {
        p.nodes
            .iter()
            .map(|n| n.id.slug())
            .collect::<Vec<_>>()
            .join("-")
    }

    #[test]
    fn shortest_first_ties_in_a_fixed_order_either_direction() {
        let g = graph();
        let found = g
            .paths(&id("country:a"), &id("country:e"), 6, &[], 10, &BOUNDS)
            .unwrap();
        let routes: Vec<String> = found.iter().map(route).collect();
        assert_eq!(routes, ["a-b-d-e", "a-c-d-e"]);
        assert!(!found[0].steps[1].forward, "d -> b is walked backwards");
        assert_eq!(found[0].steps.len(), 3);
    }

    #[test]
    fn limit_max_length_and_relation_filters() {
        let g = graph();
        assert_eq!(
            g.paths(&id("country:a"), &id("country:e"), 6, &[], 1, &BOUNDS)
                .unwrap()
                .len(),
            1
        );
        assert!(
            g.paths(&id("country:a"), &id("country:e"), 2, &[], 10, &BOUNDS)
                .unwrap()
                .is_empty()
        );
        let allies = g
            .paths(
                &id("country:a"),
                &id("country:e"),
                6,
                &[RelationKind::AllyOf],
                10,
                &BOUNDS,
            )
            .unwrap();
        assert_eq!(allies.iter().map(route).collect::<Vec<_>>(), ["a-c-d-e"]);
    }

    #[test]
    fn cycles_give_longer_simple_paths_only() {
        let g = graph();
        let routes: Vec<String> = g
            .paths(&id("country:a"), &id("country:d"), 6, &[], 20, &BOUNDS)
            .unwrap()
            .iter()
            .map(route)
            .collect();
        assert_eq!(routes, ["a-b-d", "a-c-d"], "no path revisits a node");
    }

    #[test]
    fn disconnected_unknown_and_same_ends() {
        let g = graph();
        assert!(
            g.paths(&id("country:a"), &id("country:f"), 6, &[], 5, &BOUNDS)
                .unwrap()
                .is_empty()
        );
        assert!(
            g.paths(&id("country:a"), &id("country:zz"), 6, &[], 5, &BOUNDS)
                .unwrap()
                .is_empty()
        );
        let same = g
            .paths(&id("country:a"), &id("country:a"), 6, &[], 5, &BOUNDS)
            .unwrap();
        assert_eq!(same.len(), 1);
        assert!(same[0].steps.is_empty());
    }

    #[test]
    fn kinds_keep_to_some_nodes_and_dates_drop_edges_not_yet_holding() {
        let g = graph();
        let only = |kinds: &'static [NodeKind], as_of| PathOptions {
            max_length: 6,
            relations: &[],
            kinds,
            as_of,
            limit: 10,
            bounds: BOUNDS,
        };
        let none = g
            .paths_with(
                &id("country:a"),
                &id("country:e"),
                &only(&[NodeKind::Person], None),
            )
            .unwrap();
        assert!(none.is_empty(), "no person to pass through");
        let countries = g
            .paths_with(
                &id("country:a"),
                &id("country:e"),
                &only(&[NodeKind::Country], None),
            )
            .unwrap();
        assert_eq!(countries.len(), 2);
        let mut dated = relation(RelationKind::AllyOf, "country:a", "country:f");
        dated.valid_from = Some(Box::new(crate::model::When::stated(
            "2026-01-01".parse().unwrap(),
        )));
        let g2 = KnowledgeGraph::build(
            ["a", "f"].iter().map(|x| country(x, x)).collect(),
            vec![dated],
        )
        .unwrap();
        let before = "2025-06-01".parse().unwrap();
        assert!(
            g2.paths_with(
                &id("country:a"),
                &id("country:f"),
                &only(&[], Some(&before))
            )
            .unwrap()
            .is_empty()
        );
        assert_eq!(
            g2.paths_with(&id("country:a"), &id("country:f"), &only(&[], None))
                .unwrap()
                .len(),
            1
        );
    }

    #[test]
    fn bounds_and_budget() {
        let g = graph();
        assert!(matches!(
            g.paths(&id("country:a"), &id("country:e"), 7, &[], 5, &BOUNDS),
            Err(GraphError::OverLimit {
                what: "maxLength",
                ..
            })
        ));
        assert!(matches!(
            g.paths(&id("country:a"), &id("country:e"), 3, &[], 21, &BOUNDS),
            Err(GraphError::OverLimit { what: "limit", .. })
        ));
        let options = PathOptions {
            max_length: 6,
            relations: &[],
            kinds: &[],
            as_of: None,
            limit: 10,
            bounds: Bounds {
                path_visits: 3,
                ..BOUNDS
            },
        };
        let tight = g.paths_with(&id("country:a"), &id("country:e"), &options);
        assert_eq!(
            tight.unwrap_err(),
            GraphError::WorkBudgetExceeded { budget: 3 }
        );
    }
}
