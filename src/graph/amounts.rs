//! Every commitment by the money amount it stands at now: those priced in money by
//! currency and amount (each amount's commitments in id order), the others by id. Range
//! queries start here, and a page of commitments by amount is read from it in order.

use std::collections::BTreeMap;
use std::ops::Bound;

use petgraph::stable_graph::NodeIndex;
use rust_decimal::Decimal;

use super::lanes::{Lane, Slot, Walk};
use super::query::{Field, Filter, Op, Value};
use crate::model::{Currency, EntityId, Node, NodeData};

/// The priced commitments a filter can only match, as the amounts index reads them: in
/// some currencies, within a range of amounts. Wider than the filter where it must be
/// (a strict bound is read as inclusive); the filter itself still tests each one.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Span {
    /// Only these currencies, sorted; every currency when none.
    pub currencies: Option<Vec<Currency>>,
    /// No amount below this.
    pub min: Option<Decimal>,
    /// No amount above this.
    pub max: Option<Decimal>,
}

impl Span {
    /// The span a filter's conditions on the current amount and currency allow, when it
    /// has any: a condition on either field fails where the commitment has no money
    /// amount, so no commitment outside the span can pass.
    pub fn of(filter: &Filter) -> Option<Span> {
        let mut span = Span::default();
        let mut priced = false;
        for (field, op) in filter.conjuncts() {
            match field {
                Field::Amount => {
                    priced = true;
                    let (low, high) = match op {
                        Op::Gt(Value::Decimal(d)) | Op::Gte(Value::Decimal(d)) => (Some(*d), None),
                        Op::Lt(Value::Decimal(d)) | Op::Lte(Value::Decimal(d)) => (None, Some(*d)),
                        Op::Eq(Value::Decimal(d)) => (Some(*d), Some(*d)),
                        _ => (None, None),
                    };
                    if let Some(low) = low {
                        span.min = Some(span.min.map_or(low, |m| m.max(low)));
                    }
                    if let Some(high) = high {
                        span.max = Some(span.max.map_or(high, |m| m.min(high)));
                    }
                }
                Field::Currency => {
                    priced = true;
                    let named: Option<Vec<Currency>> = match op {
                        Op::Eq(v) => Some(currency(v).into_iter().collect()),
                        Op::In(vs) => Some(vs.iter().filter_map(currency).collect()),
                        _ => None,
                    };
                    if let Some(mut named) = named {
                        named.sort();
                        named.dedup();
                        span.currencies = Some(match span.currencies.take() {
                            None => named,
                            Some(had) => had.into_iter().filter(|c| named.contains(c)).collect(),
                        });
                    }
                }
                _ => {}
            }
        }
        priced.then_some(span)
    }

    /// True when the span bounds the amount or names currencies: reading it then reads
    /// fewer than every priced commitment, or may.
    pub fn narrows(&self) -> bool {
        self.currencies.is_some() || self.min.is_some() || self.max.is_some()
    }

    /// The amounts of `currency` the span allows, as a range of the index's keys; none
    /// when it allows none.
    fn keys(
        &self,
        currency: Currency,
        min: Option<Decimal>,
        max: Option<Decimal>,
    ) -> Option<(Currency, Decimal, Decimal)> {
        let low = match (self.min, min) {
            (Some(a), Some(b)) => a.max(b),
            (a, b) => a.or(b).unwrap_or(Decimal::MIN),
        };
        let high = match (self.max, max) {
            (Some(a), Some(b)) => a.min(b),
            (a, b) => a.or(b).unwrap_or(Decimal::MAX),
        };
        (low <= high).then_some((currency, low, high))
    }
}

/// The currency a filter value names: text that is a currency code in any case. Text
/// that is none names no currency a commitment can have (their codes compare ignoring
/// ASCII case, and every code is three uppercase letters).
fn currency(value: &Value) -> Option<Currency> {
    match value {
        Value::Text(t) => t.to_ascii_uppercase().parse().ok(),
        _ => None,
    }
}

/// Where a walk of the priced commitments starts: in a currency, at an amount, at an id,
/// that commitment itself included or not.
#[derive(Debug, Clone, Copy)]
struct Start<'s> {
    currency: Currency,
    amount: Decimal,
    id: &'s EntityId,
    included: bool,
}

/// Commitments by the currency and amount they stand at now, for range queries and pages
/// in the order by amount; those without a money amount by id, to follow them.
#[derive(Debug, Clone, Default)]
pub(crate) struct MoneyIndex {
    /// Priced in money: by currency and amount, each amount's commitments in id order.
    priced: BTreeMap<(Currency, Decimal), Vec<NodeIndex>>,
    /// Without a money amount now, by id.
    unpriced: BTreeMap<EntityId, NodeIndex>,
}

impl MoneyIndex {
    /// Where a node sits in the index: a commitment's current amount, when it is money.
    pub fn key(node: &Node) -> Option<(Currency, Decimal)> {
        match &node.data {
            NodeData::Commitment(c) => c
                .amount
                .current()
                .and_then(|claim| claim.value.money())
                .map(|m| (m.currency, m.amount)),
            _ => None,
        }
    }

    /// Adds a node, when it is a commitment; `id_of` names the nodes already in.
    pub fn insert<'g>(
        &mut self,
        ix: NodeIndex,
        node: &Node,
        id_of: impl Fn(NodeIndex) -> &'g EntityId,
    ) {
        if !matches!(node.data, NodeData::Commitment(_)) {
            return;
        }
        match Self::key(node) {
            Some(key) => {
                let list = self.priced.entry(key).or_default();
                let at = list.partition_point(|&i| *id_of(i) < node.id);
                list.insert(at, ix);
            }
            None => {
                self.unpriced.insert(node.id.clone(), ix);
            }
        }
    }

    /// Takes a node out, as it was when it was added.
    pub fn remove(&mut self, ix: NodeIndex, node: &Node) {
        if !matches!(node.data, NodeData::Commitment(_)) {
            return;
        }
        match Self::key(node) {
            Some(key) => {
                if let Some(list) = self.priced.get_mut(&key) {
                    list.retain(|i| *i != ix);
                    if list.is_empty() {
                        self.priced.remove(&key);
                    }
                }
            }
            None => {
                self.unpriced.remove(&node.id);
            }
        }
    }

    /// The currencies `span` reads, from `from` on (forward) or back (backward), in that
    /// order.
    fn currencies<'a>(
        &'a self,
        span: &'a Span,
        from: Option<Currency>,
        forward: bool,
    ) -> Box<dyn Iterator<Item = Currency> + 'a> {
        if let Some(list) = &span.currencies {
            let past =
                move |c: &&Currency| from.is_none_or(|f| if forward { **c >= f } else { **c <= f });
            return if forward {
                Box::new(list.iter().filter(past).copied())
            } else {
                Box::new(list.iter().rev().filter(past).copied())
            };
        }
        let first = match (from, forward) {
            (None, true) => self.priced.keys().next(),
            (None, false) => self.priced.keys().next_back(),
            (Some(c), true) => self
                .priced
                .range((c, Decimal::MIN)..)
                .next()
                .map(|(k, _)| k),
            (Some(c), false) => self
                .priced
                .range(..=(c, Decimal::MAX))
                .next_back()
                .map(|(k, _)| k),
        };
        let next = move |c: &Currency| {
            let key = if forward {
                self.priced
                    .range((Bound::Excluded((*c, Decimal::MAX)), Bound::Unbounded))
                    .next()
            } else {
                self.priced.range(..(*c, Decimal::MIN)).next_back()
            };
            key.map(|(k, _)| k.0)
        };
        Box::new(std::iter::successors(first.map(|k| k.0), next))
    }

    /// The priced commitments within `span`, in `lane`'s order (forward) or against it
    /// (backward), from `start` on.
    fn priced_walk<'a, 'g: 'a>(
        &'a self,
        lane: Lane,
        span: &'a Span,
        start: Option<Start<'a>>,
        forward: bool,
        id_of: impl Fn(NodeIndex) -> &'g EntityId + Copy + 'a,
    ) -> Walk<'a> {
        let falling = lane == Lane::Falling;
        // Within a currency the walk meets amounts rising when the lane and the
        // direction agree.
        let rising = falling != forward;
        let groups = self
            .currencies(span, start.map(|s| s.currency), forward)
            .flat_map(move |currency| {
                let at = start.filter(|s| s.currency == currency).map(|s| s.amount);
                let (min, max) = if rising { (at, None) } else { (None, at) };
                let range = span.keys(currency, min, max).map(|(c, low, high)| {
                    let groups = self.priced.range((c, low)..=(c, high));
                    let groups: Box<dyn Iterator<Item = _>> = if rising {
                        Box::new(groups)
                    } else {
                        Box::new(groups.rev())
                    };
                    groups
                });
                range.into_iter().flatten()
            });
        Box::new(groups.flat_map(move |(&(currency, amount), list)| {
            let mut ids = &list[..];
            if let Some(s) = start
                && s.currency == currency
                && s.amount == amount
            {
                // The start's own amount: only the ids past it.
                let cut = |inclusive: bool| {
                    list.partition_point(|&i| {
                        let id = id_of(i);
                        if inclusive { id < s.id } else { id <= s.id }
                    })
                };
                ids = if forward {
                    &list[cut(s.included)..]
                } else {
                    &list[..cut(!s.included)]
                };
            }
            let walk: Walk<'a> = if forward {
                Box::new(ids.iter().copied())
            } else {
                Box::new(ids.iter().rev().copied())
            };
            walk
        }))
    }

    /// Every commitment `span` allows (all of them, the unpriced last, when there is no
    /// span) past `from`, in `lane`'s order by amount (forward) or against it (backward),
    /// as the books walk theirs.
    pub fn walk<'a, 'g: 'a>(
        &'a self,
        lane: Lane,
        span: Option<&'a Span>,
        from: Bound<&Slot<'a>>,
        forward: bool,
        id_of: impl Fn(NodeIndex) -> &'g EntityId + Copy + 'a,
    ) -> Walk<'a> {
        static EVERY: Span = Span {
            currencies: None,
            min: None,
            max: None,
        };
        let priced_only = span.is_some();
        let span = span.unwrap_or(&EVERY);
        let start = |s: &Slot<'a>, included: bool| match *s {
            Slot::Money(currency, amount, id) => Some(Start {
                currency,
                amount,
                id,
                included,
            }),
            _ => None,
        };
        let priced = |from: Option<Start<'a>>| self.priced_walk(lane, span, from, forward, id_of);
        let unpriced = |b: Bound<&EntityId>| -> Walk<'a> {
            if priced_only {
                return Box::new(std::iter::empty());
            }
            let range = self.unpriced.range::<EntityId, _>(match forward {
                true => (b, Bound::Unbounded),
                false => (Bound::Unbounded, b),
            });
            if forward {
                Box::new(range.map(|(_, &ix)| ix))
            } else {
                Box::new(range.rev().map(|(_, &ix)| ix))
            }
        };
        // Money first, then the unpriced: a bound in one part leaves all of the other on
        // one side of it.
        match (from, forward) {
            (Bound::Unbounded, true) => Box::new(priced(None).chain(unpriced(Bound::Unbounded))),
            (Bound::Unbounded, false) => Box::new(unpriced(Bound::Unbounded).chain(priced(None))),
            (Bound::Included(s @ Slot::Money(..)), true) => {
                Box::new(priced(start(s, true)).chain(unpriced(Bound::Unbounded)))
            }
            (Bound::Excluded(s @ Slot::Money(..)), true) => {
                Box::new(priced(start(s, false)).chain(unpriced(Bound::Unbounded)))
            }
            (Bound::Included(s @ Slot::Money(..)), false) => priced(start(s, true)),
            (Bound::Excluded(s @ Slot::Money(..)), false) => priced(start(s, false)),
            (Bound::Included(Slot::Unpriced(id)), true) => unpriced(Bound::Included(id)),
            (Bound::Excluded(Slot::Unpriced(id)), true) => unpriced(Bound::Excluded(id)),
            (Bound::Included(Slot::Unpriced(id)), false) => {
                Box::new(unpriced(Bound::Included(id)).chain(priced(None)))
            }
            (Bound::Excluded(Slot::Unpriced(id)), false) => {
                Box::new(unpriced(Bound::Excluded(id)).chain(priced(None)))
            }
            // No slot of another kind is placed by amount.
            _ => Box::new(std::iter::empty()),
        }
    }

    /// How many priced commitments `span` allows, when at most `cap`; none when more. Reads
    /// at most `cap` amounts.
    pub fn count_within(&self, span: &Span, cap: usize) -> Option<usize> {
        let mut count = 0usize;
        for currency in self.currencies(span, None, true) {
            let Some((c, low, high)) = span.keys(currency, None, None) else {
                continue;
            };
            for list in self.priced.range((c, low)..=(c, high)).map(|(_, l)| l) {
                count += list.len();
                if count > cap {
                    return None;
                }
            }
        }
        Some(count)
    }

    /// The index's content in its order, each node named by `name`, for tests to compare
    /// an index kept in place with one built afresh.
    #[cfg(test)]
    pub fn view(&self, name: &dyn Fn(NodeIndex) -> String) -> Vec<String> {
        let priced = self.priced.iter().map(|((c, a), list)| {
            let names: Vec<String> = list.iter().map(|&ix| name(ix)).collect();
            format!("{c} {a}: {}", names.join(" "))
        });
        let unpriced = self
            .unpriced
            .iter()
            .map(|(id, &ix)| format!("unpriced {id}={}", name(ix)));
        priced.chain(unpriced).collect()
    }

    /// The priced commitments `span` allows, in index order.
    pub fn range(&self, span: &Span) -> Vec<NodeIndex> {
        let mut out: Vec<NodeIndex> = self
            .currencies(span, None, true)
            .filter_map(|currency| span.keys(currency, None, None))
            .flat_map(|(c, low, high)| self.priced.range((c, low)..=(c, high)))
            .flat_map(|(_, list)| list.iter().copied())
            .collect();
        out.sort_unstable();
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(n: i64) -> Value {
        Value::Decimal(n.into())
    }

    fn text(t: &str) -> Value {
        Value::Text(t.into())
    }

    fn usd() -> Currency {
        "USD".parse().unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn a_span_is_what_every_condition_on_the_amount_allows() {
        let test = |field, op| Filter::Test(field, op);
        let f = Filter::All(vec![
            test(Field::Amount, Op::Gte(dec(5))),
            test(Field::Amount, Op::Gt(dec(3))),
            test(Field::Amount, Op::Lt(dec(20))),
            test(
                Field::Currency,
                Op::In(vec![text("usd"), text("eur"), text("x")]),
            ),
            test(Field::Currency, Op::Eq(text("USD"))),
        ]);
        let span = Span::of(&f).unwrap_or_default();
        assert_eq!(
            span,
            Span {
                currencies: Some(vec![usd()]),
                min: Some(5.into()),
                max: Some(20.into()),
            }
        );
        assert!(span.narrows());
        // Only money passes a test of the amount, even one that bounds nothing.
        let any = Span::of(&test(Field::Amount, Op::Exists));
        assert_eq!(any, Some(Span::default()));
        assert!(!Span::default().narrows());
        // Not under an `or` or a `not`.
        let not = Filter::Not(Box::new(test(Field::Amount, Op::Exists)));
        assert_eq!(Span::of(&not), None);
        // A code that is no currency allows none; bounds that cross allow no amount.
        let none = Span::of(&test(Field::Currency, Op::Eq(text("dollars"))));
        assert_eq!(none.and_then(|s| s.currencies), Some(vec![]));
        let crossed = Span {
            min: Some(20.into()),
            max: Some(5.into()),
            ..Span::default()
        };
        assert_eq!(crossed.keys(usd(), None, None), None);
    }
}
