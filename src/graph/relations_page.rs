//! One page of a node's relations, in the order [`KnowledgeGraph::neighbors`] lists them,
//! at the cost of the page. A hub keeps its list in its other ends' order, with the
//! positions of that list grouped by kind and direction
//! ([`Topology`](super::topology::Topology)): the relations of each kind and direction are
//! one run of those positions, in their other ends' order, so a cursor is placed and a
//! page found by binary search, and only the page's relations, and those tied with its
//! first and last on their other end's order key, are read and sorted.

use std::cmp::Ordering;

use petgraph::stable_graph::NodeIndex;

use super::page::{Window, relay_range};
use super::topology::Half;
use super::traverse::{Direction, Neighbor, NeighborKey};
use super::{KnowledgeGraph, Only, interrupt};
use crate::model::{EntityId, RelationKind};

/// Which of a node's relations to read, as a Relay connection asks for them ([`Window`]).
pub type NeighborWindow<'k> = Window<NeighborKey<'k>>;

/// A page of a node's relations, where it sits among them, and how many there are.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NeighborPage<'g> {
    /// The page's relations, in order.
    pub neighbors: Vec<Neighbor<'g>>,
    /// True when relations come before the page.
    pub has_previous: bool,
    /// True when relations come after the page.
    pub has_next: bool,
    /// How many relations the node has of the kinds and direction asked for.
    pub total: usize,
}

/// A relation's kind and whether it ends at the node: the first two parts of its
/// [`NeighborKey`].
type Group = (RelationKind, bool);

impl KnowledgeGraph {
    /// The page `window` selects of the relations of `id` of `relations` in `direction`:
    /// the same relations, with the same neighbours, as that slice of
    /// [`KnowledgeGraph::neighbors`]. A hub's page costs a binary search for each of its
    /// kinds and the page, however many relations it has; a node with few relations has
    /// them read and sorted.
    pub fn neighbors_page(
        &self,
        id: &EntityId,
        relations: Only<'_, RelationKind>,
        direction: Direction,
        window: &NeighborWindow<'_>,
    ) -> NeighborPage<'_> {
        let Some(ix) = self.index_of(id) else {
            return NeighborPage::default();
        };
        match Hub::of(self, ix) {
            Some(hub) => hub.page(relations, direction, window),
            None => cut(self.neighbors_at(ix, relations, direction), window),
        }
    }

    /// Every relation of the node at `ix` of `relations` in `direction`, in order, when it
    /// is a hub: read from the runs of those kinds alone. None for another node.
    pub(super) fn hub_neighbors(
        &self,
        ix: NodeIndex,
        relations: Only<'_, RelationKind>,
        direction: Direction,
    ) -> Option<Vec<Neighbor<'_>>> {
        let every = NeighborWindow::default();
        Some(
            Hub::of(self, ix)?
                .page(relations, direction, &every)
                .neighbors,
        )
    }
}

/// A node whose relations are kept in their other ends' order, with their positions
/// grouped by kind and direction ([`Topology::grouped`](super::topology::Topology::grouped)).
struct Hub<'g> {
    g: &'g KnowledgeGraph,
    list: &'g [Half],
    grouped: &'g [u32],
}

/// The relations of one kind and direction among a hub's grouped positions, from `from`
/// to `to`, in their other ends' order.
struct Run {
    group: Group,
    from: usize,
    to: usize,
}

/// A cursor's key, with the positions of the hub's list whose other ends tie with its
/// own on their order key: relations there are placed against it by their whole key.
struct Bound<'k> {
    key: &'k NeighborKey<'k>,
    ties: (usize, usize),
}

impl<'g> Hub<'g> {
    /// The node at `ix`, when it is a hub.
    fn of(g: &'g KnowledgeGraph, ix: NodeIndex) -> Option<Self> {
        Some(Hub {
            g,
            list: g.topology.halves(ix),
            grouped: g.topology.grouped(ix)?,
        })
    }

    fn page(
        &self,
        relations: Only<'_, RelationKind>,
        direction: Direction,
        window: &NeighborWindow<'_>,
    ) -> NeighborPage<'g> {
        let runs = self.runs(relations, direction);
        let total = runs.iter().map(|r| r.to - r.from).sum();
        let start = self
            .bound(&window.after)
            .map_or(0, |a| self.rank(&runs, &a, true));
        let end = self
            .bound(&window.before)
            .map_or(total, |b| self.rank(&runs, &b, false));
        let (start, end) = relay_range(start, end, window.first, window.last);
        NeighborPage {
            neighbors: self.pick(&runs, start, end),
            has_previous: start > 0,
            has_next: end < total,
            total,
        }
    }

    /// The runs of the kinds and the direction asked for, in order: each found by binary
    /// search, so their cost is that of the hub's kinds, not of its relations.
    fn runs(&self, relations: Only<'_, RelationKind>, direction: Direction) -> Vec<Run> {
        let mut runs = Vec::new();
        let mut from = 0;
        while from < self.grouped.len() {
            let first = &self.list[self.grouped[from] as usize];
            let group = (first.kind, !first.outgoing());
            let to = from + self.grouped[from..].partition_point(|&p| self.group(p) == group);
            if direction.follows(first) && relations.admits(&first.kind) {
                runs.push(Run { group, from, to });
            }
            from = to;
        }
        runs
    }

    /// How many of the runs' relations sort before the bound's key (or up to it, `with`
    /// it): whole runs of groups before its own, then in its own run those whose other
    /// ends sort before the key's, found by binary search, and those tied with it placed
    /// by their whole key.
    fn rank(&self, runs: &[Run], bound: &Bound<'_>, with: bool) -> usize {
        let own = (bound.key.kind, bound.key.incoming);
        runs.iter()
            .map(|run| match run.group.cmp(&own) {
                Ordering::Less => run.to - run.from,
                Ordering::Greater => 0,
                Ordering::Equal => {
                    let part = &self.grouped[run.from..run.to];
                    let (low, high) = self.within(part, bound.ties);
                    let counts = |&p: &u32| match self.neighbor(p).key().cmp(bound.key) {
                        Ordering::Less => true,
                        Ordering::Equal => with,
                        Ordering::Greater => false,
                    };
                    low + part[low..high].iter().filter(|p| counts(p)).count()
                }
            })
            .sum()
    }

    /// The relations ranked `start..end` among the runs' in order: the ranks' positions
    /// found at once, widened to the relations tied with the first and the last on their
    /// run and their other end's order key, and those sorted by their whole keys.
    fn pick(&self, runs: &[Run], start: usize, end: usize) -> Vec<Neighbor<'g>> {
        if start >= end {
            return Vec::new();
        }
        // The run holding rank `r`, and the rank its first relation has.
        let locate = |r: usize| {
            let mut before = 0;
            for (k, run) in runs.iter().enumerate() {
                if r < before + run.to - run.from {
                    return (k, before);
                }
                before += run.to - run.from;
            }
            (runs.len() - 1, before)
        };
        let (first, first_rank) = locate(start);
        let (last, last_rank) = locate(end - 1);
        let tied = |k: usize, rank: usize| {
            let run = &runs[k];
            let part = &self.grouped[run.from..run.to];
            let at = self.list[part[rank] as usize].other;
            self.within(part, self.ties(self.g.topology.order_key(at)))
        };
        let low = tied(first, start - first_rank).0;
        let high = tied(last, end - 1 - last_rank).1;
        let mut read: Vec<Neighbor<'g>> = Vec::new();
        for (k, run) in runs.iter().enumerate().take(last + 1).skip(first) {
            let from = if k == first { run.from + low } else { run.from };
            let to = if k == last { run.from + high } else { run.to };
            read.extend(
                interrupt::checked(self.grouped[from..to].iter()).map(|&p| self.neighbor(p)),
            );
        }
        read.sort_unstable_by(|a, b| a.key().cmp(&b.key()));
        let skipped = first_rank + low;
        read.drain(start - skipped..end - skipped).collect()
    }

    /// The part of a run's positions that lies within `ties` (positions of the list).
    fn within(&self, part: &[u32], ties: (usize, usize)) -> (usize, usize) {
        let low = part.partition_point(|&p| (p as usize) < ties.0);
        let high = part.partition_point(|&p| (p as usize) < ties.1);
        (low, high)
    }

    /// The kind and direction of the relation at `at`.
    fn group(&self, at: u32) -> Group {
        let h = &self.list[at as usize];
        (h.kind, !h.outgoing())
    }

    /// A cursor's key, with its ties in the list.
    fn bound<'k>(&self, key: &'k Option<NeighborKey<'k>>) -> Option<Bound<'k>> {
        key.as_ref().map(|key| Bound {
            key,
            ties: self.ties(key.other.order_key()),
        })
    }

    /// The positions of the list whose other ends have this order key.
    fn ties(&self, key: u128) -> (usize, usize) {
        let order = |h: &Half| self.g.topology.order_key(h.other);
        let from = self.list.partition_point(|h| order(h) < key);
        (
            from,
            from + self.list[from..].partition_point(|h| order(h) == key),
        )
    }

    /// The relation at `at`, read.
    fn neighbor(&self, at: u32) -> Neighbor<'g> {
        self.g.neighbor_at(&self.list[at as usize])
    }
}

/// The page `window` selects of a node's relations, all read and sorted.
fn cut<'g>(all: Vec<Neighbor<'g>>, window: &NeighborWindow<'_>) -> NeighborPage<'g> {
    let total = all.len();
    let start = window
        .after
        .as_ref()
        .map_or(0, |a| all.partition_point(|n| n.key() <= *a));
    let end = window
        .before
        .as_ref()
        .map_or(total, |b| all.partition_point(|n| n.key() < *b));
    let (start, end) = relay_range(start, end, window.first, window.last);
    NeighborPage {
        neighbors: all[start..end].to_vec(),
        has_previous: start > 0,
        has_next: end < total,
        total,
    }
}

#[cfg(test)]
mod tests {
    use std::borrow::Cow;

    use super::super::paths::random::{random_graph, with_sorted_hubs};
    use super::super::testing::{Dice, cite, id, relation};
    use super::*;
    use crate::model::{Change, Node};

    /// Every window of every node's relations, of every kind filter and direction, read
    /// both ways and compared: from the start and the end, after and before each
    /// relation's key and keys no relation holds, between two keys, in graphs whose hubs
    /// tie on their other ends' order keys and hold parallel relations of one kind and
    /// direction told apart by their keys.
    #[test]
    fn every_page_of_a_hubs_relations_is_the_slice_of_the_sorted_list() {
        let dice = &mut Dice(11);
        let mut hubs_read = 0;
        for _ in 0..6 {
            let shape = with_sorted_hubs(dice);
            let (mut g, nodes) = random_graph(dice, &shape);
            for round in 0..5 {
                if round > 0 {
                    churn(&mut g, &nodes, dice, round);
                    g.topology_view();
                }
                for node in &nodes {
                    let ix = g.index_of(&node.id).unwrap();
                    let hub = g.topology.sorted(ix);
                    hubs_read += usize::from(hub);
                    if round > 0 && !hub {
                        continue;
                    }
                    let kinds = [RelationKind::ALL[dice.roll(RelationKind::ALL.len())]];
                    for relations in [Only::All, Only::These(&kinds)] {
                        for direction in [Direction::Both, Direction::Outgoing, Direction::Incoming]
                        {
                            check_windows(&g, node, relations, direction, dice);
                        }
                    }
                }
            }
        }
        assert!(hubs_read >= 20, "the graphs have hubs: {hubs_read}");
    }

    /// Retracts relations at the graph's largest hub and adds others, so its list shifts
    /// under its grouped positions and, over the rounds, may fall back across the bound.
    fn churn(g: &mut KnowledgeGraph, nodes: &[Node], dice: &mut Dice, round: usize) {
        let hub = nodes
            .iter()
            .max_by_key(|n| g.neighbors(&n.id, Only::All, Direction::Both).len())
            .unwrap();
        let theirs = g.neighbors(&hub.id, Only::All, Direction::Both);
        let mut changes = Vec::new();
        let mut gone = std::collections::HashSet::new();
        for _ in 0..30 {
            let edge = theirs[dice.roll(theirs.len())].edge;
            if edge.implied_by.is_none() && gone.insert(edge.relation.id()) {
                changes.push(Change::RetractRelation {
                    id: edge.relation.id(),
                    reason: "test".into(),
                    sources: cite(),
                });
            }
        }
        for i in 0..12 {
            let other = &nodes[dice.roll(nodes.len())];
            let fits: Vec<RelationKind> = RelationKind::ALL
                .iter()
                .copied()
                .filter(|k| k.check(hub.id.kind(), other.id.kind()).is_ok())
                .collect();
            if let Some(&kind) = fits.get(dice.roll(fits.len().max(1))) {
                let mut r = relation(kind, hub.id.as_str(), other.id.as_str());
                r.edit_details(|d| d.key = Some(format!("new-{round}-{i}").into()));
                changes.push(Change::AddRelation { relation: r });
            }
        }
        g.apply(changes).unwrap_or_else(|e| panic!("{e}"));
    }

    fn check_windows(
        g: &KnowledgeGraph,
        node: &Node,
        relations: Only<'_, RelationKind>,
        direction: Direction,
        dice: &mut Dice,
    ) {
        let all = definition(g, &node.id, relations, direction);
        let mut keys: Vec<NeighborKey<'_>> = all.iter().map(Neighbor::key).collect();
        // Keys no relation holds: past either end, and between two relations' keys.
        keys.push(NeighborKey {
            kind: RelationKind::ALL[0],
            incoming: false,
            other: Cow::Owned(id("country:aa")),
            key: None,
        });
        if let Some(k) = all.get(dice.roll(all.len().max(1))).map(Neighbor::key) {
            keys.push(NeighborKey {
                key: Some(Cow::Owned(format!("{}~", k.key.as_deref().unwrap_or("")))),
                ..k
            });
        }
        let pick = |dice: &mut Dice| keys[dice.roll(keys.len())].clone();
        let size = |dice: &mut Dice| [0, 1, 2, 5, 20, 500][dice.roll(6)];
        let mut windows = vec![NeighborWindow::default()];
        for _ in 0..12 {
            let mut w = NeighborWindow::default();
            match dice.roll(4) {
                0 => w.after = Some(pick(dice)),
                1 => w.before = Some(pick(dice)),
                2 => (w.after, w.before) = (Some(pick(dice)), Some(pick(dice))),
                _ => {}
            }
            match dice.roll(4) {
                0 => w.first = Some(size(dice)),
                1 => w.last = Some(size(dice)),
                2 => (w.first, w.last) = (Some(size(dice)), Some(size(dice))),
                _ => {}
            }
            windows.push(w);
        }
        assert_eq!(g.neighbors(&node.id, relations, direction), all);
        for w in &windows {
            let got = g.neighbors_page(&node.id, relations, direction, w);
            assert_eq!(got, slice(&all, w), "{} {direction:?} {w:?}", node.id);
        }
    }

    /// The relations of `id`, read from petgraph's lists and sorted by their keys: what
    /// [`KnowledgeGraph::neighbors`] lists.
    fn definition<'g>(
        g: &'g KnowledgeGraph,
        id: &EntityId,
        relations: Only<'_, RelationKind>,
        direction: Direction,
    ) -> Vec<Neighbor<'g>> {
        use petgraph::visit::EdgeRef;
        let ix = g.index_of(id).unwrap();
        let mut out = Vec::new();
        for (way, outgoing) in [
            (petgraph::Direction::Outgoing, true),
            (petgraph::Direction::Incoming, false),
        ] {
            for e in g.graph.edges_directed(ix, way) {
                let kind = e.weight().relation.kind;
                let follows = match direction {
                    Direction::Both => true,
                    Direction::Outgoing => outgoing || kind.is_symmetric(),
                    Direction::Incoming => !outgoing || kind.is_symmetric(),
                };
                if follows && relations.admits(&kind) {
                    let other = if outgoing { e.target() } else { e.source() };
                    out.push(Neighbor {
                        node: &g.graph[other],
                        edge: e.weight(),
                        outgoing,
                    });
                }
            }
        }
        out.sort_by(|a, b| a.key().cmp(&b.key()));
        out
    }

    /// The page `w` selects of the whole sorted list, as a Relay connection cuts it: what
    /// every page must equal.
    fn slice<'g>(all: &[Neighbor<'g>], w: &NeighborWindow<'_>) -> NeighborPage<'g> {
        let total = all.len();
        let up_to = |key: &Option<NeighborKey<'_>>, with: bool| {
            key.as_ref().map(|k| {
                let holds = |n: &Neighbor<'_>| n.key() < *k || (with && n.key() == *k);
                all.iter().filter(|n| holds(n)).count()
            })
        };
        let start = up_to(&w.after, true).unwrap_or(0);
        let mut end = up_to(&w.before, false).unwrap_or(total).max(start);
        if let Some(first) = w.first {
            end = end.min(start + first);
        }
        let start = w
            .last
            .map_or(start, |last| start.max(end.saturating_sub(last)));
        NeighborPage {
            neighbors: all[start..end].to_vec(),
            has_previous: start > 0,
            has_next: end < total,
            total,
        }
    }

    #[test]
    fn an_unknown_node_has_an_empty_page() {
        let dice = &mut Dice(3);
        let shape = with_sorted_hubs(dice);
        let (g, _) = random_graph(dice, &shape);
        let page = g.neighbors_page(
            &id("country:nowhere"),
            Only::All,
            Direction::Both,
            &NeighborWindow::default(),
        );
        assert_eq!(page, NeighborPage::default());
    }
}
