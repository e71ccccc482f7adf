//! The path search checked against its definition on many small random graphs: every
//! simple path of at most `max_length` admitted steps, shortest first, then in the fixed
//! step order, cut at `limit`, listed by brute force and compared path for path.

use petgraph::stable_graph::{EdgeIndex, NodeIndex};
use petgraph::visit::EdgeRef;

use super::super::explore::edge_holds;
use super::super::testing::*;
use super::random::{Shape, ask_many, between_hubs, render, small, sparse, with_sorted_hubs};
use super::walk::joins_past_hubs;
use super::*;

/// How one step sorts: the other end's id, then the relation's kind, ends and key.
type StepKey = (EntityId, RelationKind, EntityId, EntityId, Option<Box<str>>);

/// Every answer `paths_with` may give, by brute force: all simple paths from `from` to `to`
/// over admitted steps, ordered by length and then step by step by [`StepKey`].
fn by_definition(
    g: &KnowledgeGraph,
    from: &EntityId,
    to: &EntityId,
    o: &PathOptions<'_>,
) -> Vec<String> {
    let (Some(start), Some(goal)) = (g.index_of(from), g.index_of(to)) else {
        return Vec::new();
    };
    if o.limit == 0 {
        return Vec::new();
    }
    if start == goal {
        return vec![from.to_string()];
    }
    let passable =
        |ix: NodeIndex| ix == start || ix == goal || o.kinds.admits(&g.graph[ix].id.kind());
    // Each node's admitted steps: (other end, edge, forward).
    let steps = |ix: NodeIndex| {
        let mut out = Vec::new();
        for (dir, forward) in [
            (petgraph::Direction::Outgoing, true),
            (petgraph::Direction::Incoming, false),
        ] {
            for e in g.graph.edges_directed(ix, dir) {
                let edge = e.weight();
                let other = if forward { e.target() } else { e.source() };
                let kind_ok = o.relations.admits(&edge.relation.kind);
                if kind_ok && edge_holds(edge, o.as_of) && passable(other) {
                    out.push((other, e.id(), forward));
                }
            }
        }
        out
    };
    let key = |other: NodeIndex, e: EdgeIndex| -> StepKey {
        let r = &g.graph[e].relation;
        (
            g.graph[other].id.clone(),
            r.kind,
            r.from.clone(),
            r.to.clone(),
            r.key().map(Box::from),
        )
    };
    // Depth first over every simple path from the start; the goal ends a path.
    fn walk<S: Fn(NodeIndex) -> Vec<(NodeIndex, EdgeIndex, bool)>>(
        steps: &S,
        goal: NodeIndex,
        max_length: usize,
        nodes: &mut Vec<NodeIndex>,
        taken: &mut Vec<(NodeIndex, EdgeIndex, bool)>,
        out: &mut Vec<Vec<(NodeIndex, EdgeIndex, bool)>>,
    ) {
        let here = nodes[nodes.len() - 1];
        if here == goal {
            out.push(taken.clone());
            return;
        }
        if taken.len() == max_length {
            return;
        }
        for step in steps(here) {
            if !nodes.contains(&step.0) {
                nodes.push(step.0);
                taken.push(step);
                walk(steps, goal, max_length, nodes, taken, out);
                nodes.pop();
                taken.pop();
            }
        }
    }
    let mut all = Vec::new();
    walk(
        &steps,
        goal,
        o.max_length,
        &mut vec![start],
        &mut Vec::new(),
        &mut all,
    );
    let mut found: Vec<(Vec<StepKey>, String)> = all
        .into_iter()
        .map(|taken| {
            let keys = taken.iter().map(|(other, e, _)| key(*other, *e)).collect();
            let mut text = from.to_string();
            for (other, e, forward) in taken {
                let way = if forward { '>' } else { '<' };
                text.push_str(&format!(
                    " {way}{}{way} {}",
                    g.graph[e].id(),
                    g.graph[other].id
                ));
            }
            (keys, text)
        })
        .collect();
    found.sort_by(|(a, _), (b, _)| a.len().cmp(&b.len()).then_with(|| a.cmp(b)));
    found
        .into_iter()
        .take(o.limit)
        .map(|(_, text)| text)
        .collect()
}

/// The search agrees with the definition on each question, by either plan, and under a
/// tighter budget either agrees or refuses.
fn agrees(seed: u64, graphs: usize, shape: fn(&mut Dice) -> Shape) {
    ask_many(seed, graphs, 30, shape, |g, q, dice, label| {
        let options = q.options(BOUNDS);
        let want = by_definition(g, &q.from, &q.to, &options);
        let got: Vec<String> = g
            .paths_with(&q.from, &q.to, &options)
            .unwrap_or_else(|e| panic!("{label}: {e}"))
            .iter()
            .map(render)
            .collect();
        assert_eq!(got, want, "{label}");
        for plan in [Plan::Quick, Plan::Frugal] {
            let alone: Vec<String> = g
                .paths_planned(&q.from, &q.to, &options, &[plan])
                .unwrap_or_else(|e| panic!("{label}, {plan:?}: {e}"))
                .iter()
                .map(render)
                .collect();
            assert_eq!(alone, want, "{label}, {plan:?}");
        }
        let tight = q.options(Bounds {
            path_visits: 1 + dice.roll(40),
            ..BOUNDS
        });
        match g.paths_with(&q.from, &q.to, &tight) {
            Ok(found) => assert_eq!(
                found.iter().map(render).collect::<Vec<_>>(),
                want,
                "{label}, within {} visits",
                tight.bounds.path_visits
            ),
            Err(e) => assert!(
                matches!(e, GraphError::WorkBudgetExceeded { .. }),
                "{label}: {e}"
            ),
        }
    });
}

#[test]
fn small_graphs_agree_with_the_definition() {
    for seed in 1..=40u64 {
        agrees(seed * 7919, 10, small);
    }
}

#[test]
fn graphs_with_sorted_hubs_agree_with_the_definition() {
    let before = joins_past_hubs();
    for seed in 1..=12u64 {
        agrees(seed * 104_729, 3, with_sorted_hubs);
    }
    // The questions reach the joins of levels left unlisted past a hub that is not an end.
    assert!(joins_past_hubs() > before);
}

#[test]
fn sparse_graphs_with_long_paths_agree_with_the_definition() {
    for seed in 1..=12u64 {
        agrees(seed * 1_299_709, 5, sparse);
    }
}

#[test]
fn questions_between_hubs_agree_with_the_definition() {
    let before = joins_past_hubs();
    for seed in 1..=10u64 {
        agrees(seed * 15_485_863, 2, between_hubs);
    }
    assert!(joins_past_hubs() > before);
}
