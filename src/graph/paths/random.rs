//! Random graphs and questions for the path search's tests: actors of three kinds, a few
//! relations each, hubs, self-loops, parallel relations of different kinds, keys and
//! directions, dated relations; questions with filters, dates and limits.

use std::collections::HashSet;

use super::super::testing::*;
use super::super::{Bounds, KnowledgeGraph, Only};
use super::{Path, PathOptions};
use crate::model::{
    EntityId, Node, NodeData, NodeKind, OrgKind, Organization, PartialDate, Person, Relation,
    RelationKind, When,
};

/// A path as text: each node's id, and each step's relation id with its direction.
pub(super) fn render(p: &Path<'_>) -> String {
    let mut out = p.nodes[0].id.to_string();
    for (step, node) in p.steps.iter().zip(&p.nodes[1..]) {
        let way = if step.forward { '>' } else { '<' };
        out.push_str(&format!(" {way}{}{way} {}", step.edge.id(), node.id));
    }
    out
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

pub(super) const DAYS: [&str; 4] = ["2024-01-01", "2025-03", "2025-06-15", "2026"];

fn when(text: &str) -> Box<When> {
    Box::new(When::stated(text.parse().unwrap_or_else(|e| panic!("{e}"))))
}

/// A random relation between `a` and `b` of a kind that may join them, at times dated,
/// keyed or not: `None` when no kind fits or the graph has it already.
fn link(dice: &mut Dice, a: &Node, b: &Node, taken: &mut HashSet<String>) -> Option<Relation> {
    let fits: Vec<RelationKind> = RelationKind::ALL
        .iter()
        .copied()
        .filter(|k| k.check(a.id.kind(), b.id.kind()).is_ok())
        .collect();
    if fits.is_empty() {
        return None;
    }
    let mut r = relation(fits[dice.roll(fits.len())], a.id.as_str(), b.id.as_str());
    r.edit_details(|d| {
        if dice.roll(4) == 0 {
            d.key = Some(format!("k{}", dice.roll(3)).into());
        }
        if dice.roll(4) == 0 {
            d.valid_from = Some(when(DAYS[dice.roll(DAYS.len())]));
        }
        if dice.roll(5) == 0 {
            d.valid_until = Some(when(DAYS[dice.roll(DAYS.len())]));
        }
        if let (Some(f), Some(u)) = (&d.valid_from, &d.valid_until)
            && f.date > u.date
        {
            d.valid_until = None;
        }
    });
    taken.insert(r.id()).then_some(r)
}

/// A random graph of `shape`: its actors, a few relations each, some hubs joined to many
/// others (to every other, with more than [`super::super::topology::SORTED_FROM`]
/// relations, when `big`), self-loops and parallel relations of different kinds, keys and
/// directions.
pub(in crate::graph) fn random_graph(
    dice: &mut Dice,
    shape: &Shape,
) -> (KnowledgeGraph, Vec<Node>) {
    let (n, hubs, big) = (shape.nodes, shape.hubs, shape.big);
    let nodes: Vec<Node> = (0..n).map(|i| actor(dice, i)).collect();
    let mut taken = HashSet::new();
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
        let share = match shape.hub_share {
            _ if big => 10,
            Some(share) => share,
            None => 2 + dice.roll(3),
        };
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

/// The shape of the random graphs of one test.
#[derive(Debug, Clone, Copy)]
pub(in crate::graph) struct Shape {
    /// How many actors.
    pub nodes: usize,
    /// How many of them are hubs.
    pub hubs: usize,
    /// True when the hubs are joined to every other node, so their relations are sorted.
    pub big: bool,
    /// The longest path asked for.
    pub longest: usize,
    /// How many tenths of the other nodes each hub is joined to, when not chosen at random
    /// (nor all, when `big`).
    pub hub_share: Option<usize>,
    /// True when most questions ask between two hubs.
    pub hub_ends: bool,
}

/// Up to fifteen nodes, up to two small hubs, paths of up to six steps.
pub(super) fn small(dice: &mut Dice) -> Shape {
    Shape {
        nodes: 3 + dice.roll(12),
        hubs: dice.roll(3),
        big: false,
        longest: 6,
        hub_share: None,
        hub_ends: false,
    }
}

/// Seventy to a hundred and ten nodes, one or two hubs with sorted relations, paths of up
/// to four steps.
pub(in crate::graph) fn with_sorted_hubs(dice: &mut Dice) -> Shape {
    Shape {
        nodes: 70 + dice.roll(40),
        hubs: 1 + dice.roll(2),
        big: true,
        longest: 4,
        hub_share: None,
        hub_ends: false,
    }
}

/// A hundred and sixty to two hundred and forty nodes, two or three hubs each joined to
/// about two fifths of them (some with sorted relations, some not), paths of up to four
/// steps, asked mostly between hubs.
pub(super) fn between_hubs(dice: &mut Dice) -> Shape {
    Shape {
        nodes: 160 + dice.roll(80),
        hubs: 2 + dice.roll(2),
        big: false,
        longest: 4,
        hub_share: Some(4),
        hub_ends: true,
    }
}

/// Twenty to forty nodes, at most one small hub, paths of up to six steps.
pub(super) fn sparse(dice: &mut Dice) -> Shape {
    Shape {
        nodes: 20 + dice.roll(20),
        hubs: dice.roll(2),
        big: false,
        longest: 6,
        hub_share: None,
        hub_ends: false,
    }
}

/// One question: the ends (at times the same, or unknown) and the options.
#[derive(Debug)]
pub(super) struct Question {
    pub from: EntityId,
    pub to: EntityId,
    pub max_length: usize,
    pub relations: Vec<RelationKind>,
    pub kinds: Vec<NodeKind>,
    pub as_of: Option<PartialDate>,
    pub limit: usize,
}

impl Question {
    fn new(dice: &mut Dice, nodes: &[Node], shape: &Shape) -> Self {
        let longest = shape.longest;
        let hubs = shape.hubs.min(nodes.len());
        let pick = |dice: &mut Dice| match dice.roll(30) {
            0 => id("country:nowhere"),
            r if shape.hub_ends && hubs > 0 && r < 24 => nodes[dice.roll(hubs)].id.clone(),
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
        Question {
            from,
            to,
            max_length,
            relations,
            kinds,
            as_of,
            limit,
        }
    }

    /// The question's options, within `bounds`.
    pub fn options(&self, bounds: Bounds) -> PathOptions<'_> {
        PathOptions {
            max_length: self.max_length,
            // An empty list stands for every kind here, as the generator draws them.
            relations: Only::from((!self.relations.is_empty()).then_some(&self.relations[..])),
            kinds: Only::from((!self.kinds.is_empty()).then_some(&self.kinds[..])),
            as_of: self.as_of.as_ref(),
            limit: self.limit,
            bounds,
        }
    }
}

/// Asks `per_graph` random questions of each of `graphs` random graphs of `shape`, all from
/// `seed`; `ask` gets the graph, the question, the dice and where it came from, to name
/// in a failure.
pub(super) fn ask_many(
    seed: u64,
    graphs: usize,
    per_graph: usize,
    shape: fn(&mut Dice) -> Shape,
    mut ask: impl FnMut(&KnowledgeGraph, &Question, &mut Dice, &str),
) {
    let mut dice = Dice(seed);
    for round in 0..graphs {
        let s = shape(&mut dice);
        let (g, nodes) = random_graph(&mut dice, &s);
        for q in 0..per_graph {
            let question = Question::new(&mut dice, &nodes, &s);
            let label = format!("seed {seed}, graph {round}, question {q}: {question:?}");
            ask(&g, &question, &mut dice, &label);
        }
    }
}
