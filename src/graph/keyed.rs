//! Nodes kept in the order by one value of theirs (a date, a rate), one list each way,
//! so that a page in that order is read in order and stops when full; and the range of
//! that value a filter's conditions allow ([`Span`]), which is one run of either list.
//! Those without the value come last either way, by id, so neither list is the other
//! backward. Kept as node indexes in chunks; the values stay in the nodes.

use std::ops::{Bound, Range};

use petgraph::stable_graph::NodeIndex;

use super::chunked::Chunked;
use super::lanes::{self, Lane, Slot, Walk};
use super::query::{Field, Filter, Op, Value};
use crate::model::{Node, NodeKind};

/// A value nodes are kept in order by: the field a filter names it by, the lanes that
/// order by it, and how it is read from a filter's value and from a node.
pub(crate) trait Key: Ord + Copy {
    /// The field a filter's conditions on the value name.
    const FIELD: Field;
    /// The lane lowest first.
    const RISING: Lane;
    /// The lane highest first.
    const FALLING: Lane;
    /// The value a filter's condition compares with, where it is of this key's type.
    fn of_value(value: &Value) -> Option<Self>;
    /// A node's value, where it has one.
    fn of_node(node: &Node) -> Option<Self>;
    /// True when nodes of `kind` are kept by this value.
    fn holds(kind: NodeKind) -> bool;
}

/// The values a filter's conditions allow: those from `low` to `high`. A node without a
/// value passes no such condition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Span<K> {
    pub low: Bound<K>,
    pub high: Bound<K>,
}

impl<K: Key> Span<K> {
    /// The span the filter's conditions on the value (`eq`, `gt`, `gte`, `lt`, `lte`)
    /// allow, every match meeting each; none without such a condition. With it, whether
    /// they are all the filter holds.
    pub fn of(filter: &Filter) -> Option<(Span<K>, bool)> {
        let mut span: Option<Span<K>> = None;
        let mut only = true;
        for (field, op) in filter.conjuncts() {
            let value = match op {
                Op::Eq(v) | Op::Gt(v) | Op::Gte(v) | Op::Lt(v) | Op::Lte(v)
                    if field == K::FIELD =>
                {
                    K::of_value(v)
                }
                _ => None,
            };
            let Some(value) = value else {
                only = false;
                continue;
            };
            let (low, high) = match op {
                Op::Gt(_) => (Bound::Excluded(value), Bound::Unbounded),
                Op::Gte(_) => (Bound::Included(value), Bound::Unbounded),
                Op::Lt(_) => (Bound::Unbounded, Bound::Excluded(value)),
                Op::Lte(_) => (Bound::Unbounded, Bound::Included(value)),
                _ => (Bound::Included(value), Bound::Included(value)),
            };
            let was = span.unwrap_or(Span {
                low: Bound::Unbounded,
                high: Bound::Unbounded,
            });
            span = Some(Span {
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
fn tighter<T: Ord + Copy>(a: Bound<T>, b: Bound<T>, low: bool) -> Bound<T> {
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

/// Nodes by one value: lowest first, and highest first.
#[derive(Debug, Clone)]
pub(crate) struct Keyed<K> {
    rising: Chunked,
    falling: Chunked,
    key: std::marker::PhantomData<K>,
}

impl<K> Default for Keyed<K> {
    fn default() -> Self {
        Keyed {
            rising: Chunked::default(),
            falling: Chunked::default(),
            key: std::marker::PhantomData,
        }
    }
}

impl<K: Key> Keyed<K> {
    fn lanes(&mut self) -> [(Lane, &mut Chunked); 2] {
        [
            (K::RISING, &mut self.rising),
            (K::FALLING, &mut self.falling),
        ]
    }

    /// Adds a node at its value's place, when its kind is kept by the value; `node`
    /// reads the nodes already in.
    pub fn insert<'a>(&mut self, ix: NodeIndex, of: &Node, node: impl Fn(u32) -> &'a Node + Copy) {
        if !K::holds(of.kind()) {
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
        if !K::holds(of.kind()) {
            return;
        }
        for (lane, list) in self.lanes() {
            lanes::take_out(list, lane, ix.index() as u32, of, node);
        }
    }

    /// True when no node is kept.
    pub fn is_empty(&self) -> bool {
        self.rising.is_empty()
    }

    /// True when a node moves in the lists if `old` becomes `new`: its value changed.
    pub fn moves(old: &Node, new: &Node) -> bool {
        K::RISING.slot(old) != K::RISING.slot(new)
    }

    /// The list kept in `lane` (by the value, either way).
    pub fn list(&self, lane: Lane) -> Option<&Chunked> {
        if lane == K::RISING {
            Some(&self.rising)
        } else if lane == K::FALLING {
            Some(&self.falling)
        } else {
            None
        }
    }

    /// The places in the list kept in `lane` (by the value, either way) of the nodes
    /// whose values `span` allows.
    pub fn run<'a>(
        &self,
        lane: Lane,
        span: &Span<K>,
        node: impl Fn(u32) -> &'a Node,
    ) -> Range<usize> {
        let value = |x: u32| K::of_node(node(x));
        match self.list(lane) {
            Some(list) => lanes::run(list, lane == K::RISING, span.low, span.high, value),
            None => 0..0,
        }
    }

    /// How many nodes have a value `span` allows: none read but the few a search for the
    /// run's ends meets.
    pub fn count<'a>(&self, span: &Span<K>, node: impl Fn(u32) -> &'a Node) -> usize {
        self.run(K::RISING, span, node).len()
    }

    /// The nodes whose values `span` allows, lowest first.
    pub fn within<'a>(&self, span: &Span<K>, node: impl Fn(u32) -> &'a Node) -> Vec<NodeIndex> {
        let run = self.run(K::RISING, span, node);
        self.rising
            .range(run)
            .map(|x| NodeIndex::new(x as usize))
            .collect()
    }

    /// The nodes in `lane` (by the value, either way) past `from` (forward) or before it
    /// (backward, nearest first), only those whose values `span` allows where given.
    pub fn walk<'l, 'a: 'l, N>(
        &'l self,
        lane: Lane,
        span: Option<&Span<K>>,
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

    /// Puts the lists in order whole, the nodes `nodes`: sorted once by value and
    /// `order_key` (which orders nodes as their ids do, but for ties), then by id where
    /// both tie, without reading a node twice; the list highest first is that order with
    /// its runs of one value taken from the last, each still by id.
    pub fn build<'a>(
        nodes: impl Iterator<Item = NodeIndex>,
        node: impl Fn(u32) -> &'a Node + Copy,
        order_key: impl Fn(u32) -> u128,
    ) -> Self {
        let mut valued: Vec<(Option<K>, u128, u32)> = Vec::new();
        let mut unvalued: Vec<(Option<K>, u128, u32)> = Vec::new();
        for ix in nodes {
            let x = ix.index() as u32;
            let value = K::of_node(node(x));
            let list = if value.is_some() {
                &mut valued
            } else {
                &mut unvalued
            };
            list.push((value, order_key(x), x));
        }
        for list in [&mut valued, &mut unvalued] {
            list.sort_unstable_by_key(|&(value, key, _)| (value, key));
            for run in list.chunk_by_mut(|a, b| (a.0, a.1) == (b.0, b.1)) {
                if run.len() > 1 {
                    run.sort_unstable_by(|a, b| node(a.2).id.cmp(&node(b.2).id));
                }
            }
        }
        let rising: Vec<u32> = valued.iter().chain(&unvalued).map(|&(.., x)| x).collect();
        let values = valued.chunk_by(|a, b| a.0 == b.0).rev().flatten();
        let falling: Vec<u32> = values.chain(&unvalued).map(|&(.., x)| x).collect();
        Keyed {
            rising: Chunked::from_sorted(&rising),
            falling: Chunked::from_sorted(&falling),
            key: std::marker::PhantomData,
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
    use rust_decimal::Decimal;

    use super::*;
    use crate::model::{Day, PartialDate};

    fn rate(op: fn(Value) -> Op, r: &str) -> Filter {
        let r: Decimal = r.parse().unwrap_or_else(|e| panic!("{e}"));
        Filter::Test(Field::RatePercent, op(Value::Decimal(r)))
    }

    fn date(op: fn(Value) -> Op, d: &str) -> Filter {
        let d: PartialDate = d.parse().unwrap_or_else(|e| panic!("{e}"));
        Filter::Test(Field::Date, op(Value::Date(d)))
    }

    /// A filter's conditions on the key make one span, each bound the tightest of its
    /// side (an excluded bound where both name one value); conditions on another field,
    /// or of another type, make none, and a span is "all the filter holds" only when the
    /// filter is its conditions joined by `and` alone.
    #[test]
    fn spans_are_the_tightest_bounds_of_the_keys_own_conditions() {
        let d = |s: &str| s.parse::<Decimal>().unwrap_or_else(|e| panic!("{e}"));
        let both = Filter::All(vec![
            rate(Op::Gte, "5"),
            rate(Op::Gt, "5"),
            rate(Op::Lte, "10"),
            Filter::All(vec![rate(Op::Lt, "12")]),
        ]);
        let span = Span::<Decimal>::of(&both);
        let want = Span {
            low: Bound::Excluded(d("5")),
            high: Bound::Included(d("10")),
        };
        assert_eq!(span, Some((want, true)));
        let eq = Span::<Decimal>::of(&rate(Op::Eq, "25.0"));
        let at = Bound::Included(d("25"));
        assert_eq!(eq, Some((Span { low: at, high: at }, true)));
        assert_eq!(Span::<Day>::of(&both), None, "no condition on the date");
        let mixed = Filter::All(vec![rate(Op::Gt, "5"), date(Op::Lt, "2025-08")]);
        let days = Span::<Day>::of(&mixed);
        let before = Span {
            low: Bound::Unbounded,
            high: Bound::Excluded((2025, 8, 1)),
        };
        assert_eq!(days, Some((before, false)));
        let either = Filter::Any(vec![rate(Op::Gt, "5")]);
        assert_eq!(
            Span::<Decimal>::of(&either),
            None,
            "an `or` has no conjuncts"
        );
        let negated = Filter::All(vec![
            rate(Op::Gt, "5"),
            Filter::Not(Box::new(rate(Op::Gt, "9"))),
        ]);
        assert_eq!(
            Span::<Decimal>::of(&negated).map(|(_, only)| only),
            Some(false)
        );
        let wrong_type = Filter::Test(Field::RatePercent, Op::Gt(Value::Text("5".into())));
        assert_eq!(Span::<Decimal>::of(&wrong_type), None);
    }
}
