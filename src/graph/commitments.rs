//! A typed front for filtering and ordering commitments, and each pledger's
//! commitments kept in the orders lists read them in.

use std::collections::{BTreeMap, HashMap};
use std::ops::Bound;

use petgraph::stable_graph::NodeIndex;
use rust_decimal::Decimal;

use super::KnowledgeGraph;
use super::amounts::MoneyIndex;
use super::query::{Field, Filter, Op, Order, Value};
use crate::model::{
    CommitmentKind, CommitmentStatus, Currency, EntityId, Node, NodeData, NodeKind, Period,
};

/// An inclusive range of decimals; an open end is `None`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DecimalRange {
    /// The least value allowed.
    pub min: Option<Decimal>,
    /// The greatest value allowed.
    pub max: Option<Decimal>,
}

/// Which commitments to return. Each list matches any of its values; an
/// empty list or `None` does not filter. All given criteria must hold.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CommitmentFilter {
    /// Made by one of these.
    pub pledgers: Vec<EntityId>,
    /// To the benefit of one of these.
    pub beneficiaries: Vec<EntityId>,
    /// Part of one of these deals.
    pub deals: Vec<EntityId>,
    /// Of one of these kinds.
    pub kinds: Vec<CommitmentKind>,
    /// Currently in one of these statuses.
    pub statuses: Vec<CommitmentStatus>,
    /// With a current money amount in one of these currencies.
    pub currencies: Vec<Currency>,
    /// With one of these periods.
    pub periods: Vec<Period>,
    /// With a current money amount in this range.
    pub amount: DecimalRange,
    /// Leave out commitments that are part of another (so sums never count twice).
    pub top_level_only: bool,
}

/// The order of a commitment list; every order ends with the id, so it is stable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CommitmentOrder {
    /// By id.
    #[default]
    Id,
    /// By name, then id.
    Name,
    /// Money first, by currency then amount ascending; others after.
    AmountAsc,
    /// Money first, by currency then amount descending; others after.
    AmountDesc,
}

impl CommitmentFilter {
    /// The generic filter this asks for.
    pub fn to_filter(&self) -> Filter {
        let ids = |field, list: &[EntityId]| {
            Filter::Test(field, Op::In(list.iter().cloned().map(Value::Id).collect()))
        };
        let names = |field, list: Vec<&'static str>| {
            Filter::Test(
                field,
                Op::In(list.into_iter().map(|n| Value::Text(n.into())).collect()),
            )
        };
        let mut all = Vec::new();
        if !self.pledgers.is_empty() {
            all.push(ids(Field::Pledger, &self.pledgers));
        }
        if !self.beneficiaries.is_empty() {
            all.push(ids(Field::Beneficiary, &self.beneficiaries));
        }
        if !self.deals.is_empty() {
            all.push(ids(Field::Deal, &self.deals));
        }
        if !self.kinds.is_empty() {
            all.push(names(
                Field::Kind,
                self.kinds.iter().map(|k| k.as_str()).collect(),
            ));
        }
        if !self.statuses.is_empty() {
            all.push(names(
                Field::Status,
                self.statuses.iter().map(|k| k.as_str()).collect(),
            ));
        }
        if !self.periods.is_empty() {
            all.push(names(
                Field::Period,
                self.periods.iter().map(|k| k.as_str()).collect(),
            ));
        }
        if !self.currencies.is_empty() {
            let codes = self
                .currencies
                .iter()
                .map(|c| Value::Text(c.to_string()))
                .collect();
            all.push(Filter::Test(Field::Currency, Op::In(codes)));
        }
        if let Some(min) = self.amount.min {
            all.push(Filter::Test(Field::Amount, Op::Gte(Value::Decimal(min))));
        }
        if let Some(max) = self.amount.max {
            all.push(Filter::Test(Field::Amount, Op::Lte(Value::Decimal(max))));
        }
        if self.top_level_only {
            all.push(Filter::Not(Box::new(Filter::Test(
                Field::PartOf,
                Op::Exists,
            ))));
        }
        Filter::All(all)
    }
}

impl CommitmentOrder {
    /// The generic ordering this asks for.
    pub fn to_orders(self) -> Vec<Order> {
        let by = |field, descending| vec![Order { field, descending }];
        match self {
            CommitmentOrder::Id => Vec::new(),
            CommitmentOrder::Name => by(Field::Name, false),
            CommitmentOrder::AmountAsc => by(Field::Amount, false),
            CommitmentOrder::AmountDesc => by(Field::Amount, true),
        }
    }
}

/// Where a commitment sits in an order its pledger's book keeps: by its current money
/// amount (currency, then amount, negated when largest first, then id), or by id alone
/// (a commitment without a money amount, or any commitment in the order by id). Slots
/// compare as the list's [`Sort`](super::Sort) orders their commitments: every money
/// slot before every id slot, as a missing amount sorts last.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Slot {
    /// A money amount: the currency, the amount (negated when largest first), the id.
    Money(Currency, Decimal, EntityId),
    /// The id.
    Id(EntityId),
}

/// The orders a pledger's book keeps its commitments in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Lane {
    /// By id.
    Id,
    /// Money first, by currency then amount ascending, then id; the others after, by id.
    Rising,
    /// Money first, by currency then amount descending, then id; the others after, by id.
    Falling,
}

/// One pledger's commitments, in each order a [`Lane`] reads.
#[derive(Debug, Clone, Default)]
struct Book {
    /// Priced in money, by currency, amount and id.
    rising: BTreeMap<(Currency, Decimal, EntityId), NodeIndex>,
    /// Priced in money, by currency, the amount negated (largest first) and id.
    falling: BTreeMap<(Currency, Decimal, EntityId), NodeIndex>,
    /// Without a money amount, by id.
    unpriced: BTreeMap<EntityId, NodeIndex>,
    /// All of them, by id.
    all: BTreeMap<EntityId, NodeIndex>,
}

/// A walk through one book: the slots and nodes, in order or backwards.
pub(crate) type Walk<'a> = Box<dyn Iterator<Item = (Slot, NodeIndex)> + 'a>;

fn money_slots<'a>(
    it: impl DoubleEndedIterator<Item = (&'a (Currency, Decimal, EntityId), &'a NodeIndex)> + 'a,
    forward: bool,
) -> Walk<'a> {
    let slot = |(k, ix): (&(Currency, Decimal, EntityId), &NodeIndex)| {
        (Slot::Money(k.0, k.1, k.2.clone()), *ix)
    };
    if forward {
        Box::new(it.map(slot))
    } else {
        Box::new(it.rev().map(slot))
    }
}

pub(crate) fn id_slots<'a>(
    it: impl DoubleEndedIterator<Item = (&'a EntityId, &'a NodeIndex)> + 'a,
    forward: bool,
) -> Walk<'a> {
    let slot = |(id, ix): (&EntityId, &NodeIndex)| (Slot::Id(id.clone()), *ix);
    if forward {
        Box::new(it.map(slot))
    } else {
        Box::new(it.rev().map(slot))
    }
}

/// The part of a map after `from` (forward) or before it (backward), as a range.
pub(crate) fn beyond<K: Ord>(from: Bound<&K>, forward: bool) -> (Bound<&K>, Bound<&K>) {
    if forward {
        (from, Bound::Unbounded)
    } else {
        (Bound::Unbounded, from)
    }
}

impl Book {
    fn is_empty(&self) -> bool {
        self.all.is_empty()
    }

    /// The commitments past `from` in `lane`'s order: after it going forward, before it
    /// (nearest first) going backward. A bound of the wrong kind for the lane (a money
    /// slot in the order by id) walks nothing.
    fn walk(&self, lane: Lane, from: Bound<&Slot>, forward: bool) -> Walk<'_> {
        let priced = match lane {
            Lane::Id => {
                return match from {
                    Bound::Unbounded => id_slots(self.all.iter(), forward),
                    Bound::Included(Slot::Id(id)) => id_slots(
                        self.all
                            .range::<EntityId, _>(beyond(Bound::Included(id), forward)),
                        forward,
                    ),
                    Bound::Excluded(Slot::Id(id)) => id_slots(
                        self.all
                            .range::<EntityId, _>(beyond(Bound::Excluded(id), forward)),
                        forward,
                    ),
                    _ => Box::new(std::iter::empty()),
                };
            }
            Lane::Rising => &self.rising,
            Lane::Falling => &self.falling,
        };
        let unpriced = || id_slots(self.unpriced.iter(), forward);
        let all_priced = || money_slots(priced.iter(), forward);
        let money = |b: Bound<&(Currency, Decimal, EntityId)>| {
            money_slots(priced.range(beyond(b, forward)), forward)
        };
        let ids = |b: Bound<&EntityId>| {
            id_slots(
                self.unpriced.range::<EntityId, _>(beyond(b, forward)),
                forward,
            )
        };
        // Money first, then the unpriced: a bound in one part leaves all of the other on
        // one side of it.
        match (from, forward) {
            (Bound::Unbounded, true) => Box::new(all_priced().chain(unpriced())),
            (Bound::Unbounded, false) => Box::new(unpriced().chain(all_priced())),
            (Bound::Included(Slot::Money(c, a, id)), true) => {
                Box::new(money(Bound::Included(&(*c, *a, id.clone()))).chain(unpriced()))
            }
            (Bound::Excluded(Slot::Money(c, a, id)), true) => {
                Box::new(money(Bound::Excluded(&(*c, *a, id.clone()))).chain(unpriced()))
            }
            (Bound::Included(Slot::Money(c, a, id)), false) => {
                money(Bound::Included(&(*c, *a, id.clone())))
            }
            (Bound::Excluded(Slot::Money(c, a, id)), false) => {
                money(Bound::Excluded(&(*c, *a, id.clone())))
            }
            (Bound::Included(Slot::Id(id)), true) => ids(Bound::Included(id)),
            (Bound::Excluded(Slot::Id(id)), true) => ids(Bound::Excluded(id)),
            (Bound::Included(Slot::Id(id)), false) => {
                Box::new(ids(Bound::Included(id)).chain(all_priced()))
            }
            (Bound::Excluded(Slot::Id(id)), false) => {
                Box::new(ids(Bound::Excluded(id)).chain(all_priced()))
            }
        }
    }
}

/// Each pledger's commitments, in the orders of [`Lane`], so that a page of them is read
/// in order and stops when full. Keyed by the pledger a commitment names; moved by every
/// change, as the other indexes are.
#[derive(Debug, Clone, Default)]
pub(crate) struct PledgerBooks(HashMap<EntityId, Book>);

impl PledgerBooks {
    /// Adds a node, when it is a commitment.
    pub fn insert(&mut self, ix: NodeIndex, node: &Node) {
        let NodeData::Commitment(c) = &node.data else {
            return;
        };
        let book = self.0.entry(c.pledger.clone()).or_default();
        let id = node.id.clone();
        match MoneyIndex::key(node) {
            Some((currency, amount)) => {
                book.rising.insert((currency, amount, id.clone()), ix);
                book.falling.insert((currency, -amount, id.clone()), ix);
            }
            None => {
                book.unpriced.insert(id.clone(), ix);
            }
        }
        book.all.insert(id, ix);
    }

    /// Takes a node out, as it was when it was added.
    pub fn remove(&mut self, node: &Node) {
        let NodeData::Commitment(c) = &node.data else {
            return;
        };
        let Some(book) = self.0.get_mut(&c.pledger) else {
            return;
        };
        let id = node.id.clone();
        match MoneyIndex::key(node) {
            Some((currency, amount)) => {
                book.rising.remove(&(currency, amount, id.clone()));
                book.falling.remove(&(currency, -amount, id.clone()));
            }
            None => {
                book.unpriced.remove(&id);
            }
        }
        book.all.remove(&id);
        if book.is_empty() {
            self.0.remove(&c.pledger);
        }
    }

    /// How many commitments name `pledger`.
    pub fn len(&self, pledger: &EntityId) -> usize {
        self.0.get(pledger).map_or(0, |b| b.all.len())
    }

    /// The commitments of `pledger` past `from`, in `lane`'s order (forward) or against
    /// it (backward).
    pub fn walk<'a>(
        &'a self,
        pledger: &EntityId,
        lane: Lane,
        from: Bound<&Slot>,
        forward: bool,
    ) -> Walk<'a> {
        match self.0.get(pledger) {
            Some(book) => book.walk(lane, from, forward),
            None => Box::new(std::iter::empty()),
        }
    }

    /// Every book's content in each of its orders, each node named by `name`, for tests
    /// to compare books kept in place with books built afresh.
    #[cfg(test)]
    pub fn view(&self, name: &dyn Fn(NodeIndex) -> String) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for (pledger, book) in &self.0 {
            for lane in [Lane::Id, Lane::Rising, Lane::Falling] {
                let slots: Vec<String> = book
                    .walk(lane, Bound::Unbounded, true)
                    .map(|(s, ix)| format!("{s:?}={}", name(ix)))
                    .collect();
                out.push(format!("{pledger} {lane:?}: {}", slots.join(" ")));
            }
        }
        out.sort();
        out
    }
}

impl KnowledgeGraph {
    /// The commitments that pass `filter`, in `order`: a typed front to
    /// [`KnowledgeGraph::list`].
    pub fn commitments(&self, filter: &CommitmentFilter, order: CommitmentOrder) -> Vec<&Node> {
        self.list(
            NodeKind::Commitment,
            &filter.to_filter(),
            &order.to_orders(),
            None,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use super::*;
    use crate::model::CommitmentKind as K;

    fn graph() -> KnowledgeGraph {
        let p = pledge_of;
        pledge_graph(vec![
            p(
                "commitment:a",
                "country:jp",
                "country:us",
                K::Investment,
                Some(money("550000000000", "USD")),
                Period::OneOff,
                None,
            ),
            p(
                "commitment:b",
                "country:jp",
                "country:us",
                K::Procurement,
                Some(money("17000000000", "USD")),
                Period::Annual,
                None,
            ),
            p(
                "commitment:c",
                "country:jp",
                "country:us",
                K::Purchase,
                None,
                Period::Annual,
                Some("commitment:b"),
            ),
            p(
                "commitment:d",
                "country:kr",
                "country:us",
                K::Investment,
                Some(money("17000000000", "USD")),
                Period::OneOff,
                None,
            ),
            p(
                "commitment:e",
                "country:kr",
                "country:jp",
                K::Purchase,
                Some(money("900000000", "JPY")),
                Period::OneOff,
                None,
            ),
        ])
    }

    fn ids(nodes: Vec<&Node>) -> Vec<&str> {
        nodes.into_iter().map(|n| n.id.as_str()).collect()
    }

    #[test]
    fn no_filter_returns_all_by_id() {
        let g = graph();
        assert_eq!(
            ids(g.commitments(&CommitmentFilter::default(), CommitmentOrder::Id)),
            [
                "commitment:a",
                "commitment:b",
                "commitment:c",
                "commitment:d",
                "commitment:e"
            ]
        );
    }

    #[test]
    fn criteria_combine_and_lists_match_any() {
        let g = graph();
        let f = CommitmentFilter {
            pledgers: vec![id("country:jp")],
            kinds: vec![K::Investment, K::Procurement],
            ..Default::default()
        };
        assert_eq!(
            ids(g.commitments(&f, CommitmentOrder::Id)),
            ["commitment:a", "commitment:b"]
        );
        let f = CommitmentFilter {
            beneficiaries: vec![id("country:jp")],
            ..Default::default()
        };
        assert_eq!(
            ids(g.commitments(&f, CommitmentOrder::Id)),
            ["commitment:e"]
        );
        let f = CommitmentFilter {
            periods: vec![Period::Annual],
            top_level_only: true,
            ..Default::default()
        };
        assert_eq!(
            ids(g.commitments(&f, CommitmentOrder::Id)),
            ["commitment:b"]
        );
        let f = CommitmentFilter {
            pledgers: vec![id("country:xx")],
            ..Default::default()
        };
        assert!(g.commitments(&f, CommitmentOrder::Id).is_empty());
    }

    #[test]
    fn amount_ranges_are_inclusive_and_per_currency() {
        let g = graph();
        let dec = |s| Decimal::from_str_exact(s).unwrap();
        let range = DecimalRange {
            min: Some(dec("17000000000")),
            max: Some(dec("17000000000")),
        };
        let f = CommitmentFilter {
            amount: range,
            ..Default::default()
        };
        assert_eq!(
            ids(g.commitments(&f, CommitmentOrder::Id)),
            ["commitment:b", "commitment:d"]
        );
        let f = CommitmentFilter {
            currencies: vec!["JPY".parse().unwrap()],
            ..Default::default()
        };
        assert_eq!(
            ids(g.commitments(&f, CommitmentOrder::Id)),
            ["commitment:e"]
        );
        let f = CommitmentFilter {
            amount: DecimalRange {
                min: Some(dec("1000000000")),
                max: None,
            },
            currencies: vec!["USD".parse().unwrap()],
            ..Default::default()
        };
        assert_eq!(
            ids(g.commitments(&f, CommitmentOrder::Id)),
            ["commitment:a", "commitment:b", "commitment:d"]
        );
    }

    #[test]
    fn amount_order_groups_currencies_breaks_ties_by_id_and_puts_unpriced_last() {
        let g = graph();
        let all = CommitmentFilter::default();
        assert_eq!(
            ids(g.commitments(&all, CommitmentOrder::AmountDesc)),
            [
                "commitment:e",
                "commitment:a",
                "commitment:b",
                "commitment:d",
                "commitment:c"
            ]
        );
        assert_eq!(
            ids(g.commitments(&all, CommitmentOrder::AmountAsc)),
            [
                "commitment:e",
                "commitment:b",
                "commitment:d",
                "commitment:a",
                "commitment:c"
            ]
        );
    }
}
