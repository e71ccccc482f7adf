//! The nodes of each kind that has a date (events, statements, deals, sources) in the
//! order by date, one list each way, so that a page of such a list by date is read in
//! order and stops when full. The undated come last either way, by id, so neither list is
//! the other backward. Kept as node indexes in chunks; the dates stay in the nodes. A
//! filter's range of dates ([`DaySpan`]) is one run of each list: a page in the order by
//! date reads only that run, a count of it reads no node, and a list in another order
//! may start from it.

use std::collections::HashMap;
use std::ops::{Bound, Range};

use petgraph::stable_graph::NodeIndex;

use super::chunked::Chunked;
use super::lanes::{self, Lane, Slot, Walk};
use super::query::{Field, Filter, Op, Value};
use crate::model::{Day, Node, NodeKind, When};

/// The kinds whose nodes have a date to order by.
pub(crate) const KINDS: [NodeKind; 4] = [
    NodeKind::Event,
    NodeKind::Statement,
    NodeKind::Deal,
    NodeKind::Source,
];

/// The days a filter's conditions on the date allow: those from `low` to `high`. A node
/// without a date passes no such condition. Dates compare by their first day, as the
/// order by date does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct DaySpan {
    pub low: Bound<Day>,
    pub high: Bound<Day>,
}

impl DaySpan {
    /// The span the filter's conditions on the date (`eq`, `gt`, `gte`, `lt`, `lte`)
    /// allow, every match meeting each; none without such a condition. With it, whether
    /// they are all the filter holds.
    pub fn of(filter: &Filter) -> Option<(DaySpan, bool)> {
        let mut span: Option<DaySpan> = None;
        let mut only = true;
        for (field, op) in filter.conjuncts() {
            let day = match op {
                Op::Eq(Value::Date(d))
                | Op::Gt(Value::Date(d))
                | Op::Gte(Value::Date(d))
                | Op::Lt(Value::Date(d))
                | Op::Lte(Value::Date(d))
                    if field == Field::Date =>
                {
                    d.start()
                }
                _ => {
                    only = false;
                    continue;
                }
            };
            let (low, high) = match op {
                Op::Gt(_) => (Bound::Excluded(day), Bound::Unbounded),
                Op::Gte(_) => (Bound::Included(day), Bound::Unbounded),
                Op::Lt(_) => (Bound::Unbounded, Bound::Excluded(day)),
                Op::Lte(_) => (Bound::Unbounded, Bound::Included(day)),
                _ => (Bound::Included(day), Bound::Included(day)),
            };
            let was = span.unwrap_or(DaySpan {
                low: Bound::Unbounded,
                high: Bound::Unbounded,
            });
            span = Some(DaySpan {
                low: tighter(was.low, low, true),
                high: tighter(was.high, high, false),
            });
        }
        span.map(|s| (s, only && conjunction(filter)))
    }
}

/// True when the filter is conditions joined by `and` alone, however nested: then its
/// conjuncts ([`Filter::conjuncts`]) are the whole of it.
pub(crate) fn conjunction(filter: &Filter) -> bool {
    match filter {
        Filter::Test(..) => true,
        Filter::All(fs) => fs.iter().all(conjunction),
        Filter::Any(_) | Filter::Not(_) => false,
    }
}

/// The tighter of two bounds: the larger of two low ones, the smaller of two high ones.
pub(crate) fn tighter<T: Ord + Copy>(a: Bound<T>, b: Bound<T>, low: bool) -> Bound<T> {
    let value = |x: &Bound<T>| match x {
        Bound::Included(d) | Bound::Excluded(d) => Some(*d),
        Bound::Unbounded => None,
    };
    match (value(&a), value(&b)) {
        (None, _) => b,
        (_, None) => a,
        (Some(x), Some(y)) if x == y => match (a, b) {
            (Bound::Excluded(_), _) => a,
            _ => b,
        },
        (Some(x), Some(y)) => {
            if (x > y) == low {
                a
            } else {
                b
            }
        }
    }
}

/// One kind's nodes by date: earliest first, and latest first.
#[derive(Debug, Clone, Default)]
struct DateList {
    rising: Chunked,
    falling: Chunked,
}

impl DateList {
    fn lanes(&mut self) -> [(Lane, &mut Chunked); 2] {
        [
            (Lane::Date, &mut self.rising),
            (Lane::DateDesc, &mut self.falling),
        ]
    }
}

/// The nodes of each dated kind in the orders by date.
#[derive(Debug, Clone, Default)]
pub(crate) struct DateLists(HashMap<NodeKind, DateList>);

impl DateLists {
    /// Adds a node at its date's place, when its kind has dates; `node` reads the nodes
    /// already in.
    pub fn insert<'a>(&mut self, ix: NodeIndex, of: &Node, node: impl Fn(u32) -> &'a Node + Copy) {
        if !KINDS.contains(&of.kind()) {
            return;
        }
        let x = ix.index() as u32;
        for (lane, list) in self.0.entry(of.kind()).or_default().lanes() {
            let at = lanes::place_of(list, lane, of, node);
            list.insert(at, x);
        }
    }

    /// Takes a node out, as it was when it was added.
    pub fn remove<'a>(&mut self, ix: NodeIndex, of: &Node, node: impl Fn(u32) -> &'a Node + Copy) {
        let Some(list) = self.0.get_mut(&of.kind()) else {
            return;
        };
        for (lane, items) in list.lanes() {
            lanes::take_out(items, lane, ix.index() as u32, of, node);
        }
        if list.rising.is_empty() {
            self.0.remove(&of.kind());
        }
    }

    /// True when a node moves in the lists if `old` becomes `new`: its first possible day
    /// changed.
    pub fn moves(old: &Node, new: &Node) -> bool {
        Lane::Date.slot(old) != Lane::Date.slot(new)
    }

    /// The nodes of `kind` kept in `lane` (by date, either way).
    pub fn list(&self, kind: NodeKind, lane: Lane) -> Option<&Chunked> {
        let list = self.0.get(&kind)?;
        match lane {
            Lane::Date => Some(&list.rising),
            Lane::DateDesc => Some(&list.falling),
            _ => None,
        }
    }

    /// The places in the list of `kind` kept in `lane` (by date, either way) of the nodes
    /// whose dates `span` allows; none when the kind has no list.
    pub fn run<'a>(
        &self,
        kind: NodeKind,
        lane: Lane,
        span: &DaySpan,
        node: impl Fn(u32) -> &'a Node,
    ) -> Option<Range<usize>> {
        let list = self.list(kind, lane)?;
        let day = |x: u32| lanes::dated(node(x)).and_then(When::earliest);
        Some(lanes::run(
            list,
            lane == Lane::Date,
            span.low,
            span.high,
            day,
        ))
    }

    /// How many nodes of `kind` have a date `span` allows: none read but the few a search
    /// for the run's ends meets.
    pub fn count<'a>(
        &self,
        kind: NodeKind,
        span: &DaySpan,
        node: impl Fn(u32) -> &'a Node,
    ) -> usize {
        self.run(kind, Lane::Date, span, node)
            .map_or(0, |r| r.len())
    }

    /// The nodes of `kind` whose dates `span` allows, by date.
    pub fn within<'a>(
        &self,
        kind: NodeKind,
        span: &DaySpan,
        node: impl Fn(u32) -> &'a Node,
    ) -> Vec<NodeIndex> {
        let (Some(list), Some(run)) = (
            self.list(kind, Lane::Date),
            self.run(kind, Lane::Date, span, node),
        ) else {
            return Vec::new();
        };
        list.range(run)
            .map(|x| NodeIndex::new(x as usize))
            .collect()
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
        let Some(list) = self.list(kind, lane) else {
            return Box::new(std::iter::empty());
        };
        let run = match span {
            Some(span) => self.run(kind, lane, span, node).unwrap_or(0..0),
            None => 0..list.len(),
        };
        lanes::walk_run(list, lane, run, from, forward, node)
    }

    /// Puts the lists of `kind`, its nodes `nodes`, in order whole: sorted once by day and
    /// `order_key` (which orders nodes as their ids do, but for ties), then by id where
    /// both tie, without reading a node twice; the list latest first is that order with
    /// its runs of one day taken from the last, each still by id.
    pub fn build<'a>(
        &mut self,
        kind: NodeKind,
        nodes: impl Iterator<Item = NodeIndex>,
        node: impl Fn(u32) -> &'a Node + Copy,
        order_key: impl Fn(u32) -> u128,
    ) {
        if !KINDS.contains(&kind) {
            return;
        }
        let mut dated: Vec<(Day, u128, u32)> = Vec::new();
        let mut undated: Vec<(Day, u128, u32)> = Vec::new();
        for ix in nodes {
            let x = ix.index() as u32;
            match lanes::dated(node(x)).and_then(When::earliest) {
                Some(day) => dated.push((day, order_key(x), x)),
                None => undated.push(((0, 0, 0), order_key(x), x)),
            }
        }
        for list in [&mut dated, &mut undated] {
            list.sort_unstable_by_key(|&(day, key, _)| (day, key));
            for run in list.chunk_by_mut(|a, b| (a.0, a.1) == (b.0, b.1)) {
                if run.len() > 1 {
                    run.sort_unstable_by(|a, b| node(a.2).id.cmp(&node(b.2).id));
                }
            }
        }
        let rising: Vec<u32> = dated.iter().chain(&undated).map(|&(.., x)| x).collect();
        let days = dated.chunk_by(|a, b| a.0 == b.0).rev().flatten();
        let falling: Vec<u32> = days.chain(&undated).map(|&(.., x)| x).collect();
        if !rising.is_empty() {
            let list = DateList {
                rising: Chunked::from_sorted(&rising),
                falling: Chunked::from_sorted(&falling),
            };
            self.0.insert(kind, list);
        }
    }

    /// The bytes the lists take on the heap.
    pub fn heap_bytes(&self) -> usize {
        self.0
            .values()
            .map(|list| list.rising.heap_bytes() + list.falling.heap_bytes())
            .sum()
    }

    /// Each kind's lists, each node named by `name`, for tests to compare lists kept in
    /// place with lists built afresh.
    #[cfg(test)]
    pub fn view(&self, name: &dyn Fn(u32) -> String) -> Vec<String> {
        let mut out: Vec<String> = self
            .0
            .iter()
            .map(|(kind, list)| {
                let named = |items: &Chunked| items.iter().map(name).collect::<Vec<_>>().join(" ");
                format!(
                    "{kind:?}: {} | {}",
                    named(&list.rising),
                    named(&list.falling)
                )
            })
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
