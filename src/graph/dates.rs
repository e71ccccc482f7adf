//! The nodes of each kind that has a date (events, statements, deals, sources) in the
//! order by date, one list each way ([`Keyed`] by [`Day`]), so that a page of such a list
//! by date is read in order and stops when full. A filter's range of dates ([`DaySpan`])
//! is one run of each list: a page in the order by date reads only that run, a count of
//! it reads no node, and a list in another order may start from it.

use std::collections::HashMap;
use std::ops::Bound;

use petgraph::stable_graph::NodeIndex;

use super::chunked::Chunked;
use super::keyed::{Key, Keyed, Span};
use super::lanes::{self, Lane, Slot, Walk};
use super::query::{Field, Value};
use crate::model::{Day, Node, NodeKind, When};

/// The kinds whose nodes have a date to order by.
pub(crate) const KINDS: [NodeKind; 4] = [
    NodeKind::Event,
    NodeKind::Statement,
    NodeKind::Deal,
    NodeKind::Source,
];

/// Dates compare by their first day, as the order by date does.
impl Key for Day {
    const FIELD: Field = Field::Date;
    const RISING: Lane = Lane::Date;
    const FALLING: Lane = Lane::DateDesc;

    fn of_value(value: &Value) -> Option<Day> {
        match value {
            Value::Date(d) => Some(d.start()),
            _ => None,
        }
    }

    fn of_node(node: &Node) -> Option<Day> {
        lanes::dated(node).and_then(When::earliest)
    }

    fn holds(kind: NodeKind) -> bool {
        KINDS.contains(&kind)
    }
}

/// The days a filter's conditions on the date allow. A node without a date passes no
/// such condition.
pub(crate) type DaySpan = Span<Day>;

/// The nodes of each dated kind in the orders by date.
#[derive(Debug, Clone, Default)]
pub(crate) struct DateLists(HashMap<NodeKind, Keyed<Day>>);

impl DateLists {
    /// Adds a node at its date's place, when its kind has dates; `node` reads the nodes
    /// already in.
    pub fn insert<'a>(&mut self, ix: NodeIndex, of: &Node, node: impl Fn(u32) -> &'a Node + Copy) {
        if Day::holds(of.kind()) {
            self.0.entry(of.kind()).or_default().insert(ix, of, node);
        }
    }

    /// Takes a node out, as it was when it was added.
    pub fn remove<'a>(&mut self, ix: NodeIndex, of: &Node, node: impl Fn(u32) -> &'a Node + Copy) {
        let Some(list) = self.0.get_mut(&of.kind()) else {
            return;
        };
        list.remove(ix, of, node);
        if list.is_empty() {
            self.0.remove(&of.kind());
        }
    }

    /// True when a node moves in the lists if `old` becomes `new`: its first possible day
    /// changed.
    pub fn moves(old: &Node, new: &Node) -> bool {
        Keyed::<Day>::moves(old, new)
    }

    /// The nodes of `kind` kept in `lane` (by date, either way).
    pub fn list(&self, kind: NodeKind, lane: Lane) -> Option<&Chunked> {
        self.0.get(&kind)?.list(lane)
    }

    /// How many nodes of `kind` have a date `span` allows: none read but the few a search
    /// for the run's ends meets.
    pub fn count<'a>(
        &self,
        kind: NodeKind,
        span: &DaySpan,
        node: impl Fn(u32) -> &'a Node,
    ) -> usize {
        self.0.get(&kind).map_or(0, |list| list.count(span, node))
    }

    /// The nodes of `kind` whose dates `span` allows, by date.
    pub fn within<'a>(
        &self,
        kind: NodeKind,
        span: &DaySpan,
        node: impl Fn(u32) -> &'a Node,
    ) -> Vec<NodeIndex> {
        self.0
            .get(&kind)
            .map(|list| list.within(span, node))
            .unwrap_or_default()
    }

    /// The nodes of `kind` in `lane` (by date, either way) past `from` (forward) or before
    /// it (backward, nearest first), only those whose dates `span` allows where given.
    pub fn walk<'l, 'a: 'l, N>(
        &'l self,
        kind: NodeKind,
        lane: Lane,
        span: Option<&DaySpan>,
        from: Bound<&Slot<'_>>,
        forward: bool,
        node: N,
    ) -> Walk<'l>
    where
        N: Fn(u32) -> &'a Node + Copy + 'l,
    {
        match self.0.get(&kind) {
            Some(list) => list.walk(lane, span, from, forward, node),
            None => Box::new(std::iter::empty()),
        }
    }

    /// Puts the lists of `kind`, its nodes `nodes`, in order whole ([`Keyed::build`]).
    pub fn build<'a>(
        &mut self,
        kind: NodeKind,
        nodes: impl Iterator<Item = NodeIndex>,
        node: impl Fn(u32) -> &'a Node + Copy,
        order_key: impl Fn(u32) -> u128,
    ) {
        if !Day::holds(kind) {
            return;
        }
        let list = Keyed::build(nodes, node, order_key);
        if !list.is_empty() {
            self.0.insert(kind, list);
        }
    }

    /// The bytes the lists take on the heap.
    pub fn heap_bytes(&self) -> usize {
        self.0.values().map(Keyed::heap_bytes).sum()
    }

    /// Each kind's lists, each node named by `name`, for tests to compare lists kept in
    /// place with lists built afresh.
    #[cfg(test)]
    pub fn view(&self, name: &dyn Fn(u32) -> String) -> Vec<String> {
        let mut out: Vec<String> = self
            .0
            .iter()
            .map(|(kind, list)| format!("{kind:?}: {}", list.view(name)))
            .collect();
        out.sort();
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::testing::{deal, event};

    /// Lists built whole and kept node by node are in the order the lanes compare by:
    /// days that tie (a day, and a month that starts on it), a date known only as a
    /// range, undated nodes last either way, and each taken out again.
    #[test]
    fn lists_built_whole_or_node_by_node_are_in_the_lanes_order() {
        let mut nodes = vec![
            event("event:e", "2025-07-22", &[]),
            event("event:a", "2025-07", &[]),
            event("event:c", "2025-07-01", &[]),
            event("event:b", "2024", &[]),
            event("event:d", "2025-08-05", &[]),
            event("event:z", "2025-07-01", &[]),
            deal("deal:x", &[], Some("2025-07-22")),
        ];
        let mut undated = event("event:u", "2025", &[]);
        let mut ranged = event("event:r", "2025", &[]);
        if let (crate::model::NodeData::Event(u), crate::model::NodeData::Event(r)) =
            (&mut undated.data, &mut ranged.data)
        {
            u.date = None;
            r.date = Some(
                serde_json::from_str::<When>(
                    r#"{"not_before": {"date": "2025-07-10", "reason": "after the talks"}}"#,
                )
                .unwrap_or_else(|e| panic!("{e}")),
            );
        }
        nodes.push(undated);
        nodes.push(ranged);
        let mut other = event("event:0", "2025-07-22", &[]);
        if let crate::model::NodeData::Event(e) = &mut other.data {
            e.date = None;
        }
        nodes.push(other);
        let node = |x: u32| &nodes[x as usize];
        let events = || (0..nodes.len()).filter(|&x| nodes[x].kind() == NodeKind::Event);
        let mut whole = DateLists::default();
        // Keys that tie for every node, so the build falls back on the ids; and the ids'.
        whole.build(NodeKind::Event, events().map(NodeIndex::new), node, |_| 0);
        let mut keyed = DateLists::default();
        let ids_order = |x: u32| node(x).id.order_key();
        keyed.build(
            NodeKind::Event,
            events().map(NodeIndex::new),
            node,
            ids_order,
        );
        let mut kept = DateLists::default();
        for x in 0..nodes.len() {
            kept.insert(NodeIndex::new(x), node(x as u32), node);
        }
        let ids = |lists: &DateLists, kind, lane| -> Vec<String> {
            lists
                .list(kind, lane)
                .map(|l| l.iter().map(|x| node(x).id.to_string()).collect())
                .unwrap_or_default()
        };
        let rising = [
            "event:b", "event:a", "event:c", "event:z", "event:r", "event:e", "event:d", "event:0",
            "event:u",
        ];
        let falling = [
            "event:d", "event:e", "event:r", "event:a", "event:c", "event:z", "event:b", "event:0",
            "event:u",
        ];
        for lists in [&whole, &keyed, &kept] {
            assert_eq!(ids(lists, NodeKind::Event, Lane::Date), rising);
            assert_eq!(ids(lists, NodeKind::Event, Lane::DateDesc), falling);
        }
        assert_eq!(ids(&kept, NodeKind::Deal, Lane::Date), ["deal:x"]);
        assert!(ids(&whole, NodeKind::Deal, Lane::Date).is_empty());
        for x in events() {
            kept.remove(NodeIndex::new(x), node(x as u32), node);
        }
        assert!(kept.list(NodeKind::Event, Lane::Date).is_none());
        assert!(DateLists::moves(&nodes[0], &nodes[1]));
        assert!(!DateLists::moves(&nodes[2], &nodes[2]));
    }
}
