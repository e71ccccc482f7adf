//! Connections between two entities: the k shortest simple paths, in
//! either direction along edges, deterministic, within a work budget.
//!
//! Searched from both ends at once, the smaller frontier first, until the two searches
//! meet; the paths of each length are then joined through the relations between the
//! two sides, so the work grows with the frontiers the paths need, not with whole levels
//! around a hub. Paths come shortest first; among paths of one length, step by step by
//! the next node's id, then the relation's kind, ends and key.
//!
//! An end that is a hub keeps its relations sorted by the other end's id, so a quick
//! search does not list the level next to it: it looks nodes up in the hub's list. The
//! walk then reads the start's list in order and tests each node it meets against the
//! goal's side, and a hub's steps are read in order and no further than the paths asked
//! for: between two hubs, the work grows with how far into their lists the paths lie,
//! not with the hubs' relations.
//!
//! The budget counts visits: each node whose relations the searches from the ends or the
//! join read, once however often they read them, and each node entered along a
//! candidate path. A search that runs past it starts again on a frugal `Plan`, which
//! reads no node the search before this one (distances from the goal to one step short
//! of each length) did not, so it refuses no question that search answered.

mod join;
mod reach;
mod walk;

use super::Only;
use super::{Bounds, Edge, GraphError, KnowledgeGraph};
use crate::model::{EntityId, Node, NodeKind, PartialDate, RelationKind};
use reach::Side;
use walk::Walk;

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
    /// Follow only relations of these kinds.
    pub relations: Only<'r, RelationKind>,
    /// Pass only through nodes of these kinds (the ends always).
    pub kinds: Only<'r, NodeKind>,
    /// Follow only edges that held on this date.
    pub as_of: Option<&'r PartialDate>,
    /// At most this many paths (at most `bounds.paths`).
    pub limit: usize,
    /// The bounds: the longest path, the most paths, the most node visits.
    pub bounds: Bounds,
}

impl KnowledgeGraph {
    /// The shortest simple paths from `from` to `to` of at most
    /// `max_length` edges over `relations`, shortest
    /// first, at most `limit`. Edges are followed either way. Unknown ends
    /// have no paths. More than `bounds.path_visits` visits is an error.
    pub fn paths(
        &self,
        from: &EntityId,
        to: &EntityId,
        max_length: usize,
        relations: Only<'_, RelationKind>,
        limit: usize,
        bounds: &Bounds,
    ) -> Result<Vec<Path<'_>>, GraphError> {
        let options = PathOptions {
            max_length,
            relations,
            kinds: Only::All,
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
        self.paths_planned(from, to, options, &[Plan::Quick, Plan::Frugal])
    }

    /// The paths as the first of `plans` that keeps within the budget finds them.
    fn paths_planned(
        &self,
        from: &EntityId,
        to: &EntityId,
        options: &PathOptions<'_>,
        plans: &[Plan],
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
        let mut answer = Ok(Vec::new());
        for &plan in plans {
            answer = search(&mut Walk::new(self, *options, [start, goal]), plan);
            if !matches!(answer, Err(GraphError::WorkBudgetExceeded { .. })) {
                break;
            }
        }
        answer
    }
}

/// How a search spends its visits past the meeting. Both give the same paths.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Plan {
    /// Each longer length grows the side whose frontier is smaller, and the join reads the
    /// shorter of two lists: the least work, most often. The level next to a hub end is
    /// looked up in the hub's sorted relations rather than listed, until it must be read.
    Quick,
    /// Each longer length grows the goal's side, and the join reads no node that the
    /// previous search (distances from the goal to one step short of each length) did not:
    /// never more visits than it spent. Asked when a quick search runs past the budget.
    Frugal,
}

/// The paths between the walk's ends, shortest first, as its options allow: the shortest
/// length from the searches' meeting, then each length from it to the longest allowed
/// until the limit is reached.
fn search<'a>(walk: &mut Walk<'a, '_>, plan: Plan) -> Result<Vec<Path<'a>>, GraphError> {
    let (max_length, limit) = (walk.options.max_length, walk.options.limit);
    let mut sides = walk.ends.map(Side::new);
    let Some(shortest) = reach::shortest_length(walk, &mut sides, max_length, plan)? else {
        return Ok(Vec::new());
    };
    // Each longer length grows a side by a level, so the two sides always meet at the
    // length asked about.
    let mut found: Vec<Path<'_>> = Vec::new();
    for length in shortest..=max_length {
        while sides[0].depth() + sides[1].depth() + 1 < length {
            reach::grow(walk, &mut sides, plan)?;
        }
        reach::ready_to_join(walk, &mut sides);
        join::paths_of_length(walk, &sides, length, plan, &mut found, limit)?;
        if found.len() >= limit {
            break;
        }
    }
    Ok(found)
}

#[cfg(test)]
mod budget_tests;
#[cfg(test)]
mod definition_tests;
#[cfg(test)]
mod hub_tests;
#[cfg(test)]
pub(super) mod random;

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
            .paths(
                &id("country:a"),
                &id("country:e"),
                6,
                Only::All,
                10,
                &BOUNDS,
            )
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
            g.paths(&id("country:a"), &id("country:e"), 6, Only::All, 1, &BOUNDS)
                .unwrap()
                .len(),
            1
        );
        assert!(
            g.paths(
                &id("country:a"),
                &id("country:e"),
                2,
                Only::All,
                10,
                &BOUNDS
            )
            .unwrap()
            .is_empty()
        );
        let allies = g
            .paths(
                &id("country:a"),
                &id("country:e"),
                6,
                Only::These(&[RelationKind::AllyOf]),
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
            .paths(
                &id("country:a"),
                &id("country:d"),
                6,
                Only::All,
                20,
                &BOUNDS,
            )
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
            g.paths(&id("country:a"), &id("country:f"), 6, Only::All, 5, &BOUNDS)
                .unwrap()
                .is_empty()
        );
        assert!(
            g.paths(
                &id("country:a"),
                &id("country:zz"),
                6,
                Only::All,
                5,
                &BOUNDS
            )
            .unwrap()
            .is_empty()
        );
        let same = g
            .paths(&id("country:a"), &id("country:a"), 6, Only::All, 5, &BOUNDS)
            .unwrap();
        assert_eq!(same.len(), 1);
        assert!(same[0].steps.is_empty());
    }

    #[test]
    fn kinds_keep_to_some_nodes_and_dates_drop_edges_not_yet_holding() {
        let g = graph();
        let only = |kinds: Only<'static, NodeKind>, as_of| PathOptions {
            max_length: 6,
            relations: Only::All,
            kinds,
            as_of,
            limit: 10,
            bounds: BOUNDS,
        };
        let none = g
            .paths_with(
                &id("country:a"),
                &id("country:e"),
                &only(Only::These(&[NodeKind::Person]), None),
            )
            .unwrap();
        assert!(none.is_empty(), "no person to pass through");
        let countries = g
            .paths_with(
                &id("country:a"),
                &id("country:e"),
                &only(Only::These(&[NodeKind::Country]), None),
            )
            .unwrap();
        assert_eq!(countries.len(), 2);
        let mut dated = relation(RelationKind::AllyOf, "country:a", "country:f");
        dated.edit_details(|d| {
            d.valid_from = Some(Box::new(crate::model::When::stated(
                "2026-01-01".parse().unwrap(),
            )))
        });
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
                &only(Only::All, Some(&before))
            )
            .unwrap()
            .is_empty()
        );
        assert_eq!(
            g2.paths_with(&id("country:a"), &id("country:f"), &only(Only::All, None))
                .unwrap()
                .len(),
            1
        );
    }

    #[test]
    fn bounds_and_budget() {
        let g = graph();
        assert!(matches!(
            g.paths(&id("country:a"), &id("country:e"), 7, Only::All, 5, &BOUNDS),
            Err(GraphError::OverLimit {
                what: "maxLength",
                ..
            })
        ));
        assert!(matches!(
            g.paths(
                &id("country:a"),
                &id("country:e"),
                3,
                Only::All,
                21,
                &BOUNDS
            ),
            Err(GraphError::OverLimit { what: "limit", .. })
        ));
        let options = PathOptions {
            max_length: 6,
            relations: Only::All,
            kinds: Only::All,
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
