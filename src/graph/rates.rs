//! Tariff measures in the order by their current rate, one list each way, so that a page
//! of them by rate is read in order and stops when full. Those without a rate come last
//! either way, by id, so neither list is the other backward. Kept as node indexes in
//! chunks; the rates stay in the nodes. A filter's range of rates ([`RateSpan`]) is one
//! run of each list: a page in the order by rate reads only that run.

use std::ops::{Bound, Range};

use petgraph::stable_graph::NodeIndex;
use rust_decimal::Decimal;

use super::chunked::Chunked;
use super::dates::{conjunction, tighter};
use super::lanes::{self, Lane, Slot, Walk};
use super::query::{Field, Filter, Op, Value};
use crate::model::{Node, NodeKind};

/// The rates a filter's conditions on the rate allow: those from `low` to `high`. A
/// tariff measure without a rate passes no such condition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct RateSpan {
    pub low: Bound<Decimal>,
    pub high: Bound<Decimal>,
}

impl RateSpan {
    /// The span the filter's conditions on the rate (`eq`, `gt`, `gte`, `lt`, `lte`)
    /// allow, every match meeting each; none without such a condition. With it, whether
    /// they are all the filter holds.
    pub fn of(filter: &Filter) -> Option<(RateSpan, bool)> {
        let mut span: Option<RateSpan> = None;
        let mut only = true;
        for (field, op) in filter.conjuncts() {
            if field != Field::RatePercent {
                only = false;
                continue;
            }
            let (low, high) = match op {
                Op::Gt(Value::Decimal(r)) => (Bound::Excluded(*r), Bound::Unbounded),
                Op::Gte(Value::Decimal(r)) => (Bound::Included(*r), Bound::Unbounded),
                Op::Lt(Value::Decimal(r)) => (Bound::Unbounded, Bound::Excluded(*r)),
                Op::Lte(Value::Decimal(r)) => (Bound::Unbounded, Bound::Included(*r)),
                Op::Eq(Value::Decimal(r)) => (Bound::Included(*r), Bound::Included(*r)),
                _ => {
                    only = false;
                    continue;
                }
            };
            let was = span.unwrap_or(RateSpan {
                low: Bound::Unbounded,
                high: Bound::Unbounded,
            });
            span = Some(RateSpan {
                low: tighter(was.low, low, true),
                high: tighter(was.high, high, false),
            });
        }
        span.map(|s| (s, only && conjunction(filter)))
    }
}

/// The tariff measures by rate: lowest first, and highest first.
#[derive(Debug, Clone, Default)]
pub(crate) struct RateLists {
    rising: Chunked,
    falling: Chunked,
}

impl RateLists {
    fn lanes(&mut self) -> [(Lane, &mut Chunked); 2] {
        [
            (Lane::Rate, &mut self.rising),
            (Lane::RateDesc, &mut self.falling),
        ]
    }

    /// Adds a node at its rate's place, when it is a tariff measure; `node` reads the
    /// nodes already in.
    pub fn insert<'a>(&mut self, ix: NodeIndex, of: &Node, node: impl Fn(u32) -> &'a Node + Copy) {
        if of.kind() != NodeKind::TariffMeasure {
            return;
        }
        let x = ix.index() as u32;
        for (lane, list) in self.lanes() {
            let at = lanes::place_of(list, lane, of, node);
            list.insert(at, x);
        }
    }

    /// Takes a node out, as it was when it was added.
    pub fn remove<'a>(&mut self, ix: NodeIndex, of: &Node, node: impl Fn(u32) -> &'a Node + Copy) {
        if of.kind() != NodeKind::TariffMeasure {
            return;
        }
        for (lane, list) in self.lanes() {
            lanes::take_out(list, lane, ix.index() as u32, of, node);
        }
    }

    /// True when a node moves in the lists if `old` becomes `new`: its current rate
    /// changed.
    pub fn moves(old: &Node, new: &Node) -> bool {
        Lane::Rate.slot(old) != Lane::Rate.slot(new)
    }

    /// The list kept in `lane` (by rate, either way).
    pub fn list(&self, lane: Lane) -> Option<&Chunked> {
        match lane {
            Lane::Rate => Some(&self.rising),
            Lane::RateDesc => Some(&self.falling),
            _ => None,
        }
    }

    /// The places in the list kept in `lane` (by rate, either way) of the tariff
    /// measures whose rates `span` allows.
    fn run<'a>(&self, lane: Lane, span: &RateSpan, node: impl Fn(u32) -> &'a Node) -> Range<usize> {
        let rate = |x: u32| lanes::rated(node(x));
        match self.list(lane) {
            Some(list) => lanes::run(list, lane == Lane::Rate, span.low, span.high, rate),
            None => 0..0,
        }
    }

    /// How many tariff measures have a rate `span` allows: none read but the few a search
    /// for the run's ends meets.
    pub fn count<'a>(&self, span: &RateSpan, node: impl Fn(u32) -> &'a Node) -> usize {
        self.run(Lane::Rate, span, node).len()
    }

    /// The tariff measures in `lane` (by rate, either way) past `from` (forward) or
    /// before it (backward, nearest first), only those whose rates `span` allows where
    /// given.
    pub fn walk<'l, 'a: 'l, N>(
        &'l self,
        lane: Lane,
        span: Option<&RateSpan>,
        from: Bound<&Slot<'_>>,
        forward: bool,
        node: N,
    ) -> Walk<'l>
    where
        N: Fn(u32) -> &'a Node + Copy + 'l,
    {
        let Some(list) = self.list(lane) else {
            return Box::new(std::iter::empty());
        };
        let run = match span {
            Some(span) => self.run(lane, span, node),
            None => 0..list.len(),
        };
        lanes::walk_run(list, lane, run, from, forward, node)
    }

    /// Puts the lists in order whole, the tariff measures `nodes`: sorted once by rate and
    /// `order_key` (which orders nodes as their ids do, but for ties), then by id where
    /// both tie, without reading a node twice; the list highest first is that order with
    /// its runs of one rate taken from the last, each still by id.
    pub fn build<'a>(
        nodes: impl Iterator<Item = NodeIndex>,
        node: impl Fn(u32) -> &'a Node + Copy,
        order_key: impl Fn(u32) -> u128,
    ) -> Self {
        let mut rated: Vec<(Decimal, u128, u32)> = Vec::new();
        let mut unrated: Vec<(Decimal, u128, u32)> = Vec::new();
        for ix in nodes {
            let x = ix.index() as u32;
            match lanes::rated(node(x)) {
                Some(rate) => rated.push((rate, order_key(x), x)),
                None => unrated.push((Decimal::ZERO, order_key(x), x)),
            }
        }
        for list in [&mut rated, &mut unrated] {
            list.sort_unstable_by_key(|&(rate, key, _)| (rate, key));
            for run in list.chunk_by_mut(|a, b| (a.0, a.1) == (b.0, b.1)) {
                if run.len() > 1 {
                    run.sort_unstable_by(|a, b| node(a.2).id.cmp(&node(b.2).id));
                }
            }
        }
        let rising: Vec<u32> = rated.iter().chain(&unrated).map(|&(.., x)| x).collect();
        let rates = rated.chunk_by(|a, b| a.0 == b.0).rev().flatten();
        let falling: Vec<u32> = rates.chain(&unrated).map(|&(.., x)| x).collect();
        RateLists {
            rising: Chunked::from_sorted(&rising),
            falling: Chunked::from_sorted(&falling),
        }
    }

    /// The bytes the lists take on the heap.
    pub fn heap_bytes(&self) -> usize {
        self.rising.heap_bytes() + self.falling.heap_bytes()
    }

    /// Both lists, each node named by `name`, for tests to compare lists kept in place
    /// with lists built afresh.
    #[cfg(test)]
    pub fn view(&self, name: &dyn Fn(u32) -> String) -> String {
        let named = |items: &Chunked| items.iter().map(name).collect::<Vec<_>>().join(" ");
        format!("{} | {}", named(&self.rising), named(&self.falling))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::testing::{RateSpec, tariff};

    /// Lists built whole and kept node by node are in the order the lanes compare by:
    /// rates that tie (written differently too), no rate last either way, each taken out
    /// again.
    #[test]
    fn lists_built_whole_or_node_by_node_are_in_the_lanes_order() {
        let rates = [Some("25"), Some("10"), None, Some("25.0"), Some("0"), None];
        let nodes: Vec<Node> = rates
            .iter()
            .enumerate()
            .map(|(i, rate)| {
                let components: Vec<RateSpec<'_>> =
                    rate.iter().map(|r| ("k", *r, None, None, None)).collect();
                tariff(
                    &format!("tariff:t{}", 9 - i),
                    "country:us",
                    "country:jp",
                    None,
                    &components,
                )
            })
            .collect();
        let node = |x: u32| &nodes[x as usize];
        let name = |x: u32| nodes[x as usize].id.to_string();
        let all = || (0..nodes.len()).map(NodeIndex::new);
        let key = |x: u32| u128::from(9 - x);
        let built = RateLists::build(all(), node, key);
        let mut kept = RateLists::default();
        for ix in all() {
            kept.insert(ix, &nodes[ix.index()], node);
        }
        assert_eq!(kept.view(&name), built.view(&name));
        assert_eq!(
            built.view(&name),
            "tariff:t5 tariff:t8 tariff:t6 tariff:t9 tariff:t4 tariff:t7 \
             | tariff:t6 tariff:t9 tariff:t8 tariff:t5 tariff:t4 tariff:t7"
        );
        for (i, lane) in [Lane::Rate, Lane::RateDesc].into_iter().enumerate() {
            let walked: Vec<usize> = kept
                .walk(lane, None, Bound::Unbounded, true, node)
                .map(NodeIndex::index)
                .collect();
            let mut sorted: Vec<usize> = (0..nodes.len()).collect();
            sorted.sort_by(|&a, &b| lane.compare_nodes(&nodes[a], &nodes[b]));
            assert_eq!(walked, sorted, "lane {i}");
        }
        for ix in all() {
            kept.remove(ix, &nodes[ix.index()], node);
        }
        assert_eq!(kept.view(&name), " | ");
        assert!(RateLists::moves(&nodes[0], &nodes[1]));
        let mut rewritten = nodes[3].clone();
        rewritten.id = nodes[0].id.clone();
        assert!(
            !RateLists::moves(&nodes[0], &rewritten),
            "25 and 25.0 are one rate"
        );
    }
}
