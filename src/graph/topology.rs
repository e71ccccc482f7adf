//! A compact copy of the graph's structure for walking it: each node's relations side by
//! side in memory (the other end, the kind, the direction), each node's kind, and a key
//! that orders nodes by id. A walk reads no node or relation it does not return. Kept in
//! step with every change beside petgraph, which stays the structure of record. A load
//! ends with every node's relations packed into one array, one list after another.
//!
//! A node with more than [`SORTED_FROM`] relations (a hub) keeps them in the order of their
//! other ends' order keys, so a walk that wants the first few neighbours by id reads only
//! those, not the hub's hundred thousand; and the positions of that list grouped by the
//! relations' kind and direction, so a page of its relations of one kind is found by
//! binary search.

use std::ops::Range;

use petgraph::stable_graph::{EdgeIndex, NodeIndex};

use super::layered::LayeredLists;
use crate::model::{EntityId, NodeKind, Relation, RelationKind};

/// One end of a relation, as the node at that end sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Half {
    /// The node at the other end.
    pub other: NodeIndex,
    /// The relation.
    pub edge: EdgeIndex,
    /// Its kind.
    pub kind: RelationKind,
    flags: u8,
}

const OUTGOING: u8 = 1;
const DATED: u8 = 2;

impl Half {
    /// True when the relation starts at this node.
    pub fn outgoing(&self) -> bool {
        self.flags & OUTGOING != 0
    }

    /// True when the relation has a start or an end date, so whether it holds on a day
    /// needs the relation itself.
    pub fn dated(&self) -> bool {
        self.flags & DATED != 0
    }

    /// The same relation as its other end sees it, this one being at `at`.
    pub fn mirrored(&self, at: NodeIndex) -> Half {
        Half {
            other: at,
            edge: self.edge,
            kind: self.kind,
            flags: self.flags ^ OUTGOING,
        }
    }
}

/// A node's relations are kept sorted by [`Topology::sort_key`] once there are more than this
/// many; fewer are read whole, in any order.
pub(crate) const SORTED_FROM: usize = 64;

/// The structure: each node's halves, kind and order key, by node index.
#[derive(Debug, Clone, Default)]
pub(crate) struct Topology {
    /// Each node's halves, shared with the graph's other copy ([`LayeredLists`]).
    halves: LayeredLists<Half>,
    /// For each hub, the positions of its halves ordered by [`group_key`]; empty for any
    /// other node.
    grouped: LayeredLists<u32>,
    kinds: Vec<Option<NodeKind>>,
    order: Vec<u128>,
    /// While a seed loads, long lists are sorted once at the end rather than kept sorted.
    bulk: bool,
}

fn sort_key(order: &[u128], half: &Half) -> (u128, u32) {
    let other = half.other.index();
    (order.get(other).copied().unwrap_or(0), other as u32)
}

/// Sorts a list by [`sort_key`], reading each other end's key once.
fn sort_list(list: &mut [Half], order: &[u128]) {
    let mut keyed: Vec<((u128, u32), Half)> =
        list.iter().map(|h| (sort_key(order, h), *h)).collect();
    keyed.sort_unstable_by_key(|(key, h)| (*key, h.edge.index()));
    for (slot, (_, h)) in list.iter_mut().zip(keyed) {
        *slot = h;
    }
}

/// Where a half at `at` of a hub's list sorts in the hub's grouped positions: by its
/// kind, then incoming after outgoing, then its position.
fn group_key(list: &[Half], at: u32) -> (RelationKind, bool, u32) {
    let h = &list[at as usize];
    (h.kind, !h.outgoing(), at)
}

/// The positions of a hub's list ordered by [`group_key`].
fn group(list: &[Half]) -> Vec<u32> {
    let mut positions: Vec<u32> = (0..list.len() as u32).collect();
    positions.sort_unstable_by_key(|&at| group_key(list, at));
    positions
}

fn dated(relation: &Relation) -> u8 {
    if relation.valid_from().is_some() || relation.valid_until().is_some() {
        DATED
    } else {
        0
    }
}

impl Topology {
    /// A node placed at `ix`.
    pub fn add_node(&mut self, ix: NodeIndex, id: &EntityId) {
        let i = ix.index();
        if self.kinds.len() <= i {
            self.kinds.resize(i + 1, None);
            self.order.resize(i + 1, 0);
        }
        self.halves.reset(i);
        self.kinds[i] = Some(id.kind());
        self.order[i] = id.order_key();
    }

    /// The node at `ix` removed (its relations were removed before it).
    pub fn remove_node(&mut self, ix: NodeIndex) {
        let i = ix.index();
        if i < self.halves.len() {
            self.halves.reset(i);
        }
        if i < self.grouped.len() {
            self.grouped.reset(i);
        }
        if let Some(k) = self.kinds.get_mut(i) {
            *k = None;
        }
    }

    /// A relation `e` from `a` to `b`.
    pub fn add_edge(&mut self, e: EdgeIndex, a: NodeIndex, b: NodeIndex, relation: &Relation) {
        let (kind, flags) = (relation.kind, dated(relation));
        self.add_half(
            a,
            Half {
                other: b,
                edge: e,
                kind,
                flags: flags | OUTGOING,
            },
        );
        self.add_half(
            b,
            Half {
                other: a,
                edge: e,
                kind,
                flags,
            },
        );
    }

    /// Adds a half to `ix`'s list, in its place where the list is kept sorted.
    fn add_half(&mut self, ix: NodeIndex, half: Half) {
        let key = self.sort_key(&half);
        let (order, bulk) = (&self.order, self.bulk);
        let Some(list) = self.halves.get_mut(ix.index()) else {
            return;
        };
        if bulk || list.len() < SORTED_FROM {
            list.push(half);
        } else if list.len() == SORTED_FROM {
            list.push(half);
            sort_list(list, order);
            let grouped = group(list);
            self.set_grouped(ix, grouped);
        } else {
            let at = list.partition_point(|h| sort_key(order, h) <= key);
            list.insert(at, half);
            let list = self.halves.get(ix.index());
            if let Some(grouped) = self.grouped.get_mut(ix.index()) {
                let at = at as u32;
                for p in grouped.iter_mut().filter(|p| **p >= at) {
                    *p += 1;
                }
                let place = grouped.partition_point(|&p| group_key(list, p) < group_key(list, at));
                grouped.insert(place, at);
            }
        }
    }

    /// Sets the grouped positions of `ix`, growing the lists to reach it.
    fn set_grouped(&mut self, ix: NodeIndex, grouped: Vec<u32>) {
        let i = ix.index();
        if self.grouped.len() <= i {
            self.grouped.reset(i);
        }
        if let Some(slot) = self.grouped.get_mut(i) {
            *slot = grouped;
        }
    }

    /// Where a half sorts in a long list: its other end's order key, then its index.
    pub fn sort_key(&self, half: &Half) -> (u128, u32) {
        sort_key(&self.order, half)
    }

    /// Where a node sorts as the other end of a half in a long list.
    pub fn node_key(&self, ix: NodeIndex) -> (u128, u32) {
        let at = ix.index();
        (self.order.get(at).copied().unwrap_or(0), at as u32)
    }

    /// Long lists are left unsorted until [`Topology::end_bulk`], for a load.
    pub fn begin_bulk(&mut self) {
        self.bulk = true;
    }

    /// True between [`Topology::begin_bulk`] and [`Topology::end_bulk`].
    pub fn in_bulk(&self) -> bool {
        self.bulk
    }

    /// Sorts the lists left unsorted since [`Topology::begin_bulk`], packs them all into
    /// one array ([`LayeredLists::pack`]), and gives back the room the arrays of kinds
    /// and order keys grew.
    pub fn end_bulk(&mut self) {
        self.bulk = false;
        let order = &self.order;
        let mut hubs = Vec::new();
        for (i, list) in self.halves.own_mut().into_iter().flatten().enumerate() {
            if list.len() > SORTED_FROM {
                sort_list(list, order);
                hubs.push((i, group(list)));
            }
        }
        for (i, grouped) in hubs {
            self.set_grouped(NodeIndex::new(i), grouped);
        }
        self.halves.pack();
        self.grouped.pack();
        self.kinds.shrink_to_fit();
        self.order.shrink_to_fit();
    }

    /// The relation `e` between `a` and `b` removed.
    pub fn remove_edge(&mut self, e: EdgeIndex, a: NodeIndex, b: NodeIndex) {
        for (ix, other) in [(a, b), (b, a)] {
            let i = ix.index();
            // A relation from a node to itself has both halves in one list. In a sorted
            // list the relation lies among those to its other end, found by binary
            // search; a list out of order is searched whole.
            let list = self.halves.get(i);
            let among = self.sorted_range_to(ix, other).and_then(|to| {
                let from = to.start;
                list[to].iter().position(|x| x.edge == e).map(|p| from + p)
            });
            let Some(at) = among.or_else(|| list.iter().position(|x| x.edge == e)) else {
                continue;
            };
            if !self.sorted(ix) {
                if let Some(h) = self.halves.get_mut(i) {
                    h.swap_remove(at);
                }
                continue;
            }
            let (list, gone) = (self.halves.get(i), at as u32);
            if let Some(grouped) = self.grouped.get_mut(i) {
                let key = group_key(list, gone);
                let place = grouped.partition_point(|&p| group_key(list, p) < key);
                grouped.remove(place);
                for p in grouped.iter_mut().filter(|p| **p > gone) {
                    *p -= 1;
                }
            }
            if let Some(h) = self.halves.get_mut(i) {
                h.remove(at);
                if h.len() <= SORTED_FROM {
                    self.set_grouped(ix, Vec::new());
                }
            }
        }
    }

    /// The relation `e` between `a` and `b` with new details (its ends and kind unchanged).
    pub fn update_edge(&mut self, e: EdgeIndex, a: NodeIndex, b: NodeIndex, relation: &Relation) {
        let flags = dated(relation);
        for ix in [a, b] {
            if let Some(h) = self.halves.get_mut(ix.index()) {
                for x in h.iter_mut().filter(|x| x.edge == e) {
                    x.flags = (x.flags & OUTGOING) | flags;
                }
            }
        }
    }

    /// The relation of `kind` from `a` to `b` that `keep` accepts, found from whichever end
    /// has fewer relations.
    pub fn find(
        &self,
        a: NodeIndex,
        b: NodeIndex,
        kind: RelationKind,
        keep: impl Fn(EdgeIndex) -> bool,
    ) -> Option<EdgeIndex> {
        let (from_a, from_b) = (self.halves(a), self.halves(b));
        let (list, other, outgoing) = if from_a.len() <= from_b.len() {
            (from_a, b, true)
        } else {
            (from_b, a, false)
        };
        list.iter()
            .find(|h| {
                h.other == other && h.kind == kind && h.outgoing() == outgoing && keep(h.edge)
            })
            .map(|h| h.edge)
    }

    /// The relations at `ix`, both ways: sorted by [`Topology::sort_key`] when there are more
    /// than [`SORTED_FROM`], in no particular order otherwise.
    pub fn halves(&self, ix: NodeIndex) -> &[Half] {
        self.halves.get(ix.index())
    }

    /// True when `ix`'s relations are in [`Topology::sort_key`] order: a list longer than
    /// [`SORTED_FROM`], outside a bulk load.
    pub fn sorted(&self, ix: NodeIndex) -> bool {
        !self.bulk && self.halves(ix).len() > SORTED_FROM
    }

    /// The positions of `ix`'s relations ordered by their kind, then incoming after
    /// outgoing, then position: for a list kept sorted ([`Topology::sorted`]); `None` for
    /// any other.
    pub fn grouped(&self, ix: NodeIndex) -> Option<&[u32]> {
        self.sorted(ix).then(|| self.grouped.get(ix.index()))
    }

    /// The relations between `ix` and `other`, found by binary search in `ix`'s list when it
    /// is kept sorted (more than [`SORTED_FROM`] relations, outside a bulk load); `None`
    /// when it is not, and a scan of [`Topology::halves`] must find them.
    pub fn sorted_halves_to(&self, ix: NodeIndex, other: NodeIndex) -> Option<&[Half]> {
        let to = self.sorted_range_to(ix, other)?;
        Some(&self.halves(ix)[to])
    }

    /// The places in the list of `ix` of [`Topology::sorted_halves_to`]'s relations.
    fn sorted_range_to(&self, ix: NodeIndex, other: NodeIndex) -> Option<Range<usize>> {
        if !self.sorted(ix) {
            return None;
        }
        let list = self.halves(ix);
        let key = (self.order_key(other), other.index() as u32);
        let from = list.partition_point(|h| self.sort_key(h) < key);
        let len = list[from..].partition_point(|h| h.other == other);
        Some(from..from + len)
    }

    /// The kind of the node at `ix`.
    pub fn kind(&self, ix: NodeIndex) -> Option<NodeKind> {
        self.kinds.get(ix.index()).copied().flatten()
    }

    /// The nodes of `kind`, by index; and how many nodes the structure has room for,
    /// which a walk of them reads past.
    pub fn of_kind(&self, kind: NodeKind) -> (impl Iterator<Item = NodeIndex> + '_, usize) {
        let nodes = self.kinds.iter().enumerate();
        let of_kind = nodes
            .filter(move |(_, k)| **k == Some(kind))
            .map(|(i, _)| NodeIndex::new(i));
        (of_kind, self.kinds.len())
    }

    /// A key that orders nodes as their ids do, but for ties ([`EntityId::order_key`]).
    pub fn order_key(&self, ix: NodeIndex) -> u128 {
        self.order.get(ix.index()).copied().unwrap_or(0)
    }

    /// How many node slots there are, live or not: the bound of node indexes.
    pub fn node_bound(&self) -> usize {
        self.halves.len()
    }

    /// True when `other` shares this one's lists of relations.
    #[cfg(test)]
    pub fn shares_lists_with(&self, other: &Topology) -> bool {
        self.halves.shares_base_with(&other.halves)
    }

    /// The bytes the structure takes.
    pub fn heap_bytes(&self) -> usize {
        self.halves.heap_bytes()
            + self.grouped.heap_bytes()
            + self.kinds.capacity()
            + self.order.capacity() * size_of::<u128>()
    }
}

/// A set of node indexes, one bit each.
#[derive(Debug, Clone)]
pub(crate) struct NodeSet {
    words: Vec<u64>,
}

impl NodeSet {
    /// An empty set for indexes below `bound`.
    pub fn new(bound: usize) -> Self {
        NodeSet {
            words: vec![0; bound.div_ceil(64)],
        }
    }

    /// Adds `ix`; true when it was not in the set.
    pub fn insert(&mut self, ix: NodeIndex) -> bool {
        let (w, bit) = (ix.index() / 64, 1u64 << (ix.index() % 64));
        match self.words.get_mut(w) {
            Some(word) if *word & bit == 0 => {
                *word |= bit;
                true
            }
            _ => false,
        }
    }

    /// True when `ix` is in the set.
    pub fn contains(&self, ix: NodeIndex) -> bool {
        let (w, bit) = (ix.index() / 64, 1u64 << (ix.index() % 64));
        self.words.get(w).is_some_and(|word| word & bit != 0)
    }
}

#[cfg(test)]
impl super::KnowledgeGraph {
    /// Each node's relations as the compact structure has them, checked against petgraph's:
    /// `id: other kind out|in dated`, sorted, for comparing graphs.
    pub(crate) fn topology_view(&self) -> Vec<String> {
        use petgraph::visit::EdgeRef;
        let mut out = Vec::new();
        for ix in self.graph.node_indices() {
            let id = &self.graph[ix].id;
            let line = |other: NodeIndex, kind: RelationKind, outgoing: bool, dated: bool| {
                let way = if outgoing { "out" } else { "in" };
                format!("{id}: {} {kind} {way} {dated}", self.graph[other].id)
            };
            let mut ours: Vec<String> = self
                .topology
                .halves(ix)
                .iter()
                .map(|h| line(h.other, h.kind, h.outgoing(), h.dated()))
                .collect();
            let mut theirs: Vec<String> = Vec::new();
            for (dir, outgoing) in [
                (petgraph::Direction::Outgoing, true),
                (petgraph::Direction::Incoming, false),
            ] {
                for e in self.graph.edges_directed(ix, dir) {
                    let r = &e.weight().relation;
                    let other = if outgoing { e.target() } else { e.source() };
                    let is_dated = r.valid_from().is_some() || r.valid_until().is_some();
                    theirs.push(line(other, r.kind, outgoing, is_dated));
                }
            }
            ours.sort();
            theirs.sort();
            assert_eq!(
                ours, theirs,
                "the compact structure agrees with petgraph at {id}"
            );
            assert_eq!(self.topology.kind(ix), Some(id.kind()));
            let list = self.topology.halves(ix);
            if list.len() > SORTED_FROM {
                assert!(
                    list.is_sorted_by_key(|h| self.topology.sort_key(h)),
                    "the long list of {id} is sorted"
                );
                assert_eq!(
                    self.topology.grouped(ix),
                    Some(group(list).as_slice()),
                    "the grouped positions of {id} are in step"
                );
            }
            out.extend(ours);
        }
        out.sort();
        out
    }
}

#[cfg(test)]
mod tests {
    use super::super::KnowledgeGraph;
    use super::super::testing::*;
    use crate::model::RelationKind;

    #[test]
    fn a_hubs_relations_to_one_node_are_found_by_binary_search() {
        // A hub joined to eighty countries whose ids share their first sixteen bytes, and
        // twice to every third of them.
        let mut nodes = vec![country("hub", "Hub")];
        let mut relations = Vec::new();
        for i in 0..80 {
            let code = format!("a-long-shared-prefix-{i}");
            let other = format!("country:{code}");
            nodes.push(country(&code, &code));
            relations.push(relation(RelationKind::AllyOf, "country:hub", &other));
            if i % 3 == 0 {
                relations.push(relation(RelationKind::Pressures, &other, "country:hub"));
            }
        }
        let g = KnowledgeGraph::build(nodes, relations).unwrap();
        let topo = &g.topology;
        let hub = g.index_of(&id("country:hub")).unwrap();
        assert!(topo.sorted(hub));
        for other in g.graph.node_indices() {
            let mut want: Vec<_> = topo
                .halves(hub)
                .iter()
                .filter(|h| h.other == other)
                .collect();
            let mut got: Vec<_> = topo.sorted_halves_to(hub, other).unwrap().iter().collect();
            want.sort_by_key(|h| h.edge);
            got.sort_by_key(|h| h.edge);
            assert_eq!(got, want);
            if other != hub {
                assert!(!topo.sorted(other));
                assert!(
                    topo.sorted_halves_to(other, hub).is_none(),
                    "a short list is scanned"
                );
            }
        }
    }
}
