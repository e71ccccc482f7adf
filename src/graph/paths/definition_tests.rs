//! The path search checked against its definition on many small random graphs: every
//! simple path of at most `max_length` admitted steps, shortest first, then in the fixed
//! step order, cut at `limit`, listed by brute force and compared path for path.

use petgraph::stable_graph::{EdgeIndex, NodeIndex};
use petgraph::visit::EdgeRef;

use super::super::explore::edge_holds;
use super::super::testing::*;
use super::*;
use crate::model::{NodeData, OrgKind, Organization, Person, Relation, When};

/// How one step sorts: the other end's id, then the relation's kind, ends and key.
type StepKey = (EntityId, RelationKind, EntityId, EntityId, Option<Box<str>>);

/// A path as text: each node's id, and each step's relation id with its direction.
fn render(p: &Path<'_>) -> String {
    let mut out = p.nodes[0].id.to_string();
    for (step, node) in p.steps.iter().zip(&p.nodes[1..]) {
        let way = if step.forward { '>' } else { '<' };
        out.push_str(&format!(" {way}{}{way} {}", step.edge.id(), node.id));
    }
    out
}

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
    let passable = |ix: NodeIndex| {
        ix == start || ix == goal || o.kinds.is_empty() || o.kinds.contains(&g.graph[ix].id.kind())
    };
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
                let kind_ok = o.relations.is_empty() || o.relations.contains(&edge.relation.kind);
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
            r.key.clone(),
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

/// A node of one of the three kinds of actor; some ids share their first sixteen bytes, so
/// the order of a hub's relations ties on its key and falls back on the index.
fn actor(dice: &mut Dice, i: usize) -> Node {
    let slug = match dice.roll(3) {
        0 => format!("n{i}"),
        1 => format!("a-long-shared-prefix-{i}"),
        _ => format!("z{}", 1000 - i),
    };
    match dice.roll(3) {
        0 => country(&slug, &slug),
        1 => node(
            &format!("person:{slug}"),
            &slug,
            NodeData::Person(Person::default()),
        ),
        _ => node(
            &format!("org:{slug}"),
            &slug,
            NodeData::Organization(Organization {
                kind: OrgKind::Company,
                country: None,
                parent: None,
            }),
        ),
    }
}

const DAYS: [&str; 4] = ["2024-01-01", "2025-03", "2025-06-15", "2026"];

fn when(text: &str) -> Box<When> {
    Box::new(When::stated(text.parse().unwrap_or_else(|e| panic!("{e}"))))
}

/// A random relation between `a` and `b` of a kind that may join them, at times dated,
/// keyed or not: `None` when no kind fits or the graph has it already.
fn link(
    dice: &mut Dice,
    a: &Node,
    b: &Node,
    taken: &mut std::collections::HashSet<String>,
) -> Option<Relation> {
    let fits: Vec<RelationKind> = RelationKind::ALL
        .iter()
        .copied()
        .filter(|k| k.check(a.id.kind(), b.id.kind()).is_ok())
        .collect();
    if fits.is_empty() {
        return None;
    }
    let mut r = relation(fits[dice.roll(fits.len())], a.id.as_str(), b.id.as_str());
    if dice.roll(4) == 0 {
        r.key = Some(format!("k{}", dice.roll(3)).into());
    }
    if dice.roll(4) == 0 {
        r.valid_from = Some(when(DAYS[dice.roll(DAYS.len())]));
    }
    if dice.roll(5) == 0 {
        r.valid_until = Some(when(DAYS[dice.roll(DAYS.len())]));
    }
    if let (Some(f), Some(u)) = (&r.valid_from, &r.valid_until) {
        if f.date > u.date {
            r.valid_until = None;
        }
    }
    taken.insert(r.id()).then_some(r)
}

/// A random graph: `n` actors, a few relations each, some hubs joined to most others (with
/// more than [`super::super::topology::SORTED_FROM`] relations when `big`), self-loops and
/// parallel relations of different kinds, keys and directions.
fn random_graph(dice: &mut Dice, n: usize, hubs: usize, big: bool) -> (KnowledgeGraph, Vec<Node>) {
    let nodes: Vec<Node> = (0..n).map(|i| actor(dice, i)).collect();
    let mut taken = std::collections::HashSet::new();
    let mut relations = Vec::new();
    let mut add = |dice: &mut Dice, a: usize, b: usize| {
        if let Some(r) = link(dice, &nodes[a], &nodes[b], &mut taken) {
            relations.push(r);
        }
    };
    for _ in 0..n + dice.roll(2 * n) {
        let (a, b) = (dice.roll(n), dice.roll(n));
        add(dice, a, b);
        if dice.roll(6) == 0 {
            add(dice, a, b);
            add(dice, b, a);
        }
    }
    for _ in 0..dice.roll(3) {
        let a = dice.roll(n);
        add(dice, a, a);
    }
    for h in 0..hubs.min(n) {
        let share = if big { 10 } else { 2 + dice.roll(3) };
        for other in 0..n {
            if dice.roll(10) < share.min(9) || big {
                let (a, b) = if dice.roll(2) == 0 {
                    (h, other)
                } else {
                    (other, h)
                };
                add(dice, a, b);
                if big && dice.roll(3) == 0 {
                    add(dice, a, b);
                }
            }
        }
    }
    let mut all = nodes.clone();
    all.push(doc());
    let g = KnowledgeGraph::build(all, relations).unwrap_or_else(|e| panic!("{e}"));
    (g, nodes)
}

/// One random question on `g`: ends (at times the same, or unknown), options and bounds.
#[allow(clippy::type_complexity)]
fn question(
    dice: &mut Dice,
    nodes: &[Node],
    longest: usize,
) -> (
    EntityId,
    EntityId,
    usize,
    Vec<RelationKind>,
    Vec<NodeKind>,
    Option<PartialDate>,
    usize,
) {
    let pick = |dice: &mut Dice| match dice.roll(30) {
        0 => id("country:nowhere"),
        _ => nodes[dice.roll(nodes.len())].id.clone(),
    };
    let (from, to) = (pick(dice), pick(dice));
    let max_length = 1 + dice.roll(longest);
    let relations: Vec<RelationKind> = match dice.roll(4) {
        0 => (0..1 + dice.roll(6))
            .map(|_| RelationKind::ALL[dice.roll(RelationKind::ALL.len())])
            .collect(),
        _ => Vec::new(),
    };
    let kinds: Vec<NodeKind> = match dice.roll(4) {
        0 => vec![[NodeKind::Country, NodeKind::Person, NodeKind::Organization][dice.roll(3)]],
        1 => vec![NodeKind::Country, NodeKind::Organization],
        _ => Vec::new(),
    };
    let as_of = match dice.roll(3) {
        0 => Some(
            DAYS[dice.roll(DAYS.len())]
                .parse()
                .unwrap_or_else(|e| panic!("{e}")),
        ),
        _ => None,
    };
    let limit = match dice.roll(3) {
        0 => 1 + dice.roll(3),
        1 => 1 + dice.roll(20),
        _ => 20,
    };
    (from, to, max_length, relations, kinds, as_of, limit)
}

/// Runs `questions` random questions on each of `graphs` random graphs from `seed`.
fn compare(
    seed: u64,
    graphs: usize,
    questions: usize,
    shape: impl Fn(&mut Dice) -> (usize, usize, bool, usize),
) {
    let mut dice = Dice(seed);
    for round in 0..graphs {
        let (n, hubs, big, longest) = shape(&mut dice);
        let (g, nodes) = random_graph(&mut dice, n, hubs, big);
        for q in 0..questions {
            let (from, to, max_length, relations, kinds, as_of, limit) =
                question(&mut dice, &nodes, longest);
            let options = PathOptions {
                max_length,
                relations: &relations,
                kinds: &kinds,
                as_of: as_of.as_ref(),
                limit,
                bounds: BOUNDS,
            };
            let want = by_definition(&g, &from, &to, &options);
            let got: Vec<String> = g
                .paths_with(&from, &to, &options)
                .unwrap_or_else(|e| panic!("seed {seed}, graph {round}, question {q}: {e}"))
                .iter()
                .map(render)
                .collect();
            assert_eq!(
                got, want,
                "seed {seed}, graph {round}, question {q}: {from} to {to}, at most {max_length} \
                 steps, {limit} paths, relations {relations:?}, kinds {kinds:?}, as of {as_of:?}"
            );
            // A tighter budget either refuses or gives the same answer.
            let tight = PathOptions {
                bounds: Bounds {
                    path_visits: 1 + dice.roll(40),
                    ..BOUNDS
                },
                ..options
            };
            match g.paths_with(&from, &to, &tight) {
                Ok(found) => assert_eq!(
                    found.iter().map(render).collect::<Vec<_>>(),
                    want,
                    "seed {seed}, graph {round}, question {q}, within {} visits",
                    tight.bounds.path_visits
                ),
                Err(e) => assert!(matches!(e, GraphError::WorkBudgetExceeded { .. }), "{e}"),
            }
        }
    }
}

#[test]
fn small_graphs_agree_with_the_definition() {
    for seed in 1..=40u64 {
        compare(seed * 7919, 10, 30, |dice| {
            (3 + dice.roll(12), dice.roll(3), false, 6)
        });
    }
}

#[test]
fn graphs_with_sorted_hubs_agree_with_the_definition() {
    for seed in 1..=12u64 {
        compare(seed * 104_729, 3, 30, |dice| {
            (70 + dice.roll(40), 1 + dice.roll(2), true, 4)
        });
    }
}

#[test]
fn sparse_graphs_with_long_paths_agree_with_the_definition() {
    for seed in 1..=12u64 {
        compare(seed * 1_299_709, 5, 30, |dice| {
            (20 + dice.roll(20), dice.roll(2), false, 6)
        });
    }
}
