//! One page of a node's relations, in the order [`KnowledgeGraph::neighbors`] lists them,
//! at the cost of one pass over the node's compact list and of the page. A hub keeps its
//! list in its other ends' order ([`Topology`](super::topology::Topology)), so its
//! relations are counted and placed by their kind, direction and position in that list
//! alone; only the page's relations, and those tied with its first and last, are read
//! and sorted.

use std::cmp::Ordering;

use super::page::relay_range;
use super::topology::Half;
use super::traverse::{Direction, Neighbor, NeighborKey};
use super::{KnowledgeGraph, Only, interrupt};
use crate::model::{EntityId, RelationKind};

/// Which of a node's relations to read, as a Relay connection asks for them: those after
/// one key and before another, then the first `first` of them, then the last `last` of
/// those. Neither `first` nor `last` means every relation between the keys.
#[derive(Debug, Clone, Default)]
pub struct NeighborWindow<'k> {
    /// Only relations after this one.
    pub after: Option<NeighborKey<'k>>,
    /// Only relations before this one.
    pub before: Option<NeighborKey<'k>>,
    /// At most this many, from the start.
    pub first: Option<usize>,
    /// At most this many, from the end (of those `first` leaves).
    pub last: Option<usize>,
}

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

/// Where a relation sorts among a hub's before its other end's id is read: its kind and
/// direction ([`Group`]), then its position in the hub's list.
type Coarse = (Group, u32);

/// A relation's kind and whether it ends at the node: the first two parts of its
/// [`NeighborKey`].
type Group = (RelationKind, bool);

impl KnowledgeGraph {
    /// The page `window` selects of the relations of `id` of `relations` in `direction`:
    /// the same relations, with the same neighbours, as that slice of
    /// [`KnowledgeGraph::neighbors`]. A hub's page costs one pass over its compact list
    /// (no relation or node read) and the page; a node with few relations has them read
    /// and sorted.
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
        if !self.topology.sorted(ix) {
            return cut(self.neighbors(id, relations, direction), window);
        }
        Hub {
            g: self,
            list: self.topology.halves(ix),
        }
        .page(relations, direction, window)
    }
}

/// A node whose relations are kept in their other ends' order.
struct Hub<'g> {
    g: &'g KnowledgeGraph,
    list: &'g [Half],
}

/// A cursor's key, with the positions of the hub's list whose other ends tie with its
/// own on their order key: relations there are placed against it by their whole key.
struct Bound<'k> {
    key: &'k NeighborKey<'k>,
    ties: (usize, usize),
}

impl<'g> Hub<'g> {
    fn page(
        &self,
        relations: Only<'_, RelationKind>,
        direction: Direction,
        window: &NeighborWindow<'_>,
    ) -> NeighborPage<'g> {
        let (after, before) = (self.bound(&window.after), self.bound(&window.before));
        let (mut total, mut up_to_after) = (0, 0);
        let mut kept: Vec<Coarse> = Vec::new();
        for (at, h) in interrupt::checked(self.list.iter().enumerate()) {
            if !direction.follows(h) || !relations.admits(&h.kind) {
                continue;
            }
            total += 1;
            let coarse = ((h.kind, !h.outgoing()), at as u32);
            if after
                .as_ref()
                .is_some_and(|a| self.place(coarse, a) != Ordering::Greater)
            {
                up_to_after += 1;
            } else if before
                .as_ref()
                .is_none_or(|b| self.place(coarse, b) == Ordering::Less)
            {
                kept.push(coarse);
            }
        }
        let (start, end) = relay_range(
            up_to_after,
            up_to_after + kept.len(),
            window.first,
            window.last,
        );
        NeighborPage {
            neighbors: self.pick(kept, start - up_to_after, end - up_to_after),
            has_previous: start > 0,
            has_next: end < total,
            total,
        }
    }

    /// The relations ranked `from..to` in order among `kept`: the coarse ranks picked
    /// without sorting the rest, widened to the relations tied with the first and the
    /// last on their group and their other end's order key, and those sorted whole.
    fn pick(&self, mut kept: Vec<Coarse>, from: usize, to: usize) -> Vec<Neighbor<'g>> {
        if from >= to {
            return Vec::new();
        }
        if from > 0 {
            kept.select_nth_unstable(from);
        }
        let rest = &mut kept[from..];
        if to - from < rest.len() {
            rest.select_nth_unstable(to - from - 1);
        }
        rest[..to - from].sort_unstable();
        let (first, last) = (kept[from], kept[to - 1]);
        let low = (first.0, self.ties(self.order_key(first.1)).0 as u32);
        let high = (last.0, self.ties(self.order_key(last.1)).1 as u32);
        let before = kept.iter().filter(|c| **c < low).count();
        let mut tied: Vec<Neighbor<'g>> = kept
            .iter()
            .filter(|c| low <= **c && **c < high)
            .map(|c| self.neighbor(c.1))
            .collect();
        tied.sort_unstable_by(|a, b| a.key().cmp(&b.key()));
        tied.drain(from - before..to - before).collect()
    }

    /// Where the relation at `coarse` sorts against a cursor's key: by its group, then by
    /// its position against the cursor's ties, then, among them, by its whole key.
    fn place(&self, coarse: Coarse, bound: &Bound<'_>) -> Ordering {
        let (group, at) = coarse;
        let at = at as usize;
        group
            .cmp(&(bound.key.kind, bound.key.incoming))
            .then_with(|| {
                if at < bound.ties.0 {
                    Ordering::Less
                } else if at >= bound.ties.1 {
                    Ordering::Greater
                } else {
                    self.neighbor(at as u32).key().cmp(bound.key)
                }
            })
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

    /// The order key of the other end of the relation at `at`.
    fn order_key(&self, at: u32) -> u128 {
        self.g.topology.order_key(self.list[at as usize].other)
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
    use super::super::testing::{Dice, id};
    use super::*;
    use crate::model::Node;

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
            let (g, nodes) = random_graph(dice, &shape);
            for node in &nodes {
                let ix = g.index_of(&node.id).unwrap();
                hubs_read += usize::from(g.topology.sorted(ix));
                let kinds = [RelationKind::ALL[dice.roll(RelationKind::ALL.len())]];
                for relations in [Only::All, Only::These(&kinds)] {
                    for direction in [Direction::Both, Direction::Outgoing, Direction::Incoming] {
                        check_windows(&g, node, relations, direction, dice);
                    }
                }
            }
        }
        assert!(hubs_read >= 6, "the graphs have hubs");
    }

    fn check_windows(
        g: &KnowledgeGraph,
        node: &Node,
        relations: Only<'_, RelationKind>,
        direction: Direction,
        dice: &mut Dice,
    ) {
        let all = g.neighbors(&node.id, relations, direction);
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
        for w in &windows {
            let got = g.neighbors_page(&node.id, relations, direction, w);
            assert_eq!(got, slice(&all, w), "{} {direction:?} {w:?}", node.id);
        }
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
