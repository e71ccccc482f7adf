//! Typed filters and stable ordering over commitments, served from indexes.

use std::collections::{BTreeMap, HashMap};

use petgraph::stable_graph::{NodeIndex, StableDiGraph};
use rust_decimal::Decimal;

use super::{Edge, KnowledgeGraph};
use crate::model::{
    Commitment, CommitmentKind, CommitmentStatus, Currency, EntityId, Node, NodeData, Period,
};

/// An inclusive range of decimals; an open end is `None`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DecimalRange {
    /// The least value allowed.
    pub min: Option<Decimal>,
    /// The greatest value allowed.
    pub max: Option<Decimal>,
}

impl DecimalRange {
    fn is_open(&self) -> bool {
        self.min.is_none() && self.max.is_none()
    }

    fn contains(&self, v: Decimal) -> bool {
        self.min.is_none_or(|m| v >= m) && self.max.is_none_or(|m| v <= m)
    }
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

/// Indexes over commitments, built once with the graph.
#[derive(Debug, Default)]
pub(crate) struct CommitmentIndex {
    all: Vec<NodeIndex>,
    by_pledger: HashMap<EntityId, Vec<NodeIndex>>,
    by_beneficiary: HashMap<EntityId, Vec<NodeIndex>>,
    by_deal: HashMap<EntityId, Vec<NodeIndex>>,
    by_kind: HashMap<CommitmentKind, Vec<NodeIndex>>,
    by_status: HashMap<CommitmentStatus, Vec<NodeIndex>>,
    by_money: BTreeMap<(Currency, Decimal), Vec<NodeIndex>>,
}

fn commitment(node: &Node) -> Option<&Commitment> {
    match &node.data {
        NodeData::Commitment(c) => Some(c),
        _ => None,
    }
}

/// The current money amount of a commitment, if it has one.
fn current_money(c: &Commitment) -> Option<(Currency, Decimal)> {
    c.amount
        .current()
        .and_then(|claim| claim.value.money())
        .map(|m| (m.currency, m.amount))
}

impl CommitmentIndex {
    pub fn build(graph: &StableDiGraph<Node, Edge>, by_id: &HashMap<EntityId, NodeIndex>) -> Self {
        let mut idx = CommitmentIndex::default();
        let mut all: Vec<(&EntityId, NodeIndex)> = Vec::new();
        for (id, &ix) in by_id {
            let Some(c) = commitment(&graph[ix]) else {
                continue;
            };
            all.push((id, ix));
            idx.by_pledger
                .entry(c.pledger.clone())
                .or_default()
                .push(ix);
            for b in &c.beneficiaries {
                idx.by_beneficiary.entry(b.clone()).or_default().push(ix);
            }
            if let Some(d) = &c.deal {
                idx.by_deal.entry(d.clone()).or_default().push(ix);
            }
            idx.by_kind.entry(c.kind).or_default().push(ix);
            if let Some(s) = c.status.current() {
                idx.by_status.entry(s.value).or_default().push(ix);
            }
            if let Some(key) = current_money(c) {
                idx.by_money.entry(key).or_default().push(ix);
            }
        }
        all.sort();
        idx.all = all.into_iter().map(|(_, ix)| ix).collect();
        idx
    }

    /// The candidates one indexed criterion allows, or `None` when it does not constrain.
    fn candidates<K: std::hash::Hash + Eq>(
        map: &HashMap<K, Vec<NodeIndex>>,
        keys: &[K],
    ) -> Option<Vec<NodeIndex>> {
        if keys.is_empty() {
            return None;
        }
        let mut out: Vec<NodeIndex> = keys
            .iter()
            .filter_map(|k| map.get(k))
            .flatten()
            .copied()
            .collect();
        out.sort_unstable();
        out.dedup();
        Some(out)
    }

    fn money_candidates(
        &self,
        currencies: &[Currency],
        range: &DecimalRange,
    ) -> Option<Vec<NodeIndex>> {
        if currencies.is_empty() && range.is_open() {
            return None;
        }
        let mut out = Vec::new();
        let mut scan = |cur: Currency| {
            let lo = (cur, range.min.unwrap_or(Decimal::MIN));
            let hi = (cur, range.max.unwrap_or(Decimal::MAX));
            for list in self.by_money.range(lo..=hi).map(|(_, v)| v) {
                out.extend(list.iter().copied());
            }
        };
        if currencies.is_empty() {
            let mut seen: Vec<Currency> = self.by_money.keys().map(|(c, _)| *c).collect();
            seen.dedup();
            seen.into_iter().for_each(&mut scan);
        } else {
            currencies.iter().copied().for_each(&mut scan);
        }
        out.sort_unstable();
        out.dedup();
        Some(out)
    }
}

impl KnowledgeGraph {
    /// The commitments that pass `filter`, in `order`. Starts from the
    /// smallest indexed candidate set and checks the rest per candidate.
    pub fn commitments(&self, filter: &CommitmentFilter, order: CommitmentOrder) -> Vec<&Node> {
        let idx = &self.commitments;
        let sets = [
            CommitmentIndex::candidates(&idx.by_pledger, &filter.pledgers),
            CommitmentIndex::candidates(&idx.by_beneficiary, &filter.beneficiaries),
            CommitmentIndex::candidates(&idx.by_deal, &filter.deals),
            CommitmentIndex::candidates(&idx.by_kind, &filter.kinds),
            CommitmentIndex::candidates(&idx.by_status, &filter.statuses),
            idx.money_candidates(&filter.currencies, &filter.amount),
        ];
        let start: Vec<NodeIndex> = match sets.into_iter().flatten().min_by_key(|s| s.len()) {
            Some(set) => set,
            None => idx.all.clone(),
        };
        let mut out: Vec<&Node> = start
            .into_iter()
            .map(|ix| &self.graph[ix])
            .filter(|node| commitment(node).is_some_and(|c| passes(c, filter)))
            .collect();
        sort(&mut out, order);
        out
    }
}

fn any_or_all<T: PartialEq>(wanted: &[T], has: impl Fn(&T) -> bool) -> bool {
    wanted.is_empty() || wanted.iter().any(has)
}

fn passes(c: &Commitment, f: &CommitmentFilter) -> bool {
    let money = current_money(c);
    any_or_all(&f.pledgers, |p| &c.pledger == p)
        && any_or_all(&f.beneficiaries, |b| c.beneficiaries.contains(b))
        && any_or_all(&f.deals, |d| c.deal.as_ref() == Some(d))
        && any_or_all(&f.kinds, |k| c.kind == *k)
        && any_or_all(&f.statuses, |s| {
            c.status.current().is_some_and(|x| x.value == *s)
        })
        && any_or_all(&f.periods, |p| c.period == *p)
        && any_or_all(&f.currencies, |cur| money.is_some_and(|(m, _)| m == *cur))
        && (f.amount.is_open() || money.is_some_and(|(_, a)| f.amount.contains(a)))
        && (!f.top_level_only || c.part_of.is_none())
}

fn sort(nodes: &mut [&Node], order: CommitmentOrder) {
    let money = |n: &Node| commitment(n).and_then(current_money);
    match order {
        CommitmentOrder::Id => nodes.sort_by(|a, b| a.id.cmp(&b.id)),
        CommitmentOrder::Name => nodes.sort_by(|a, b| (&a.name, &a.id).cmp(&(&b.name, &b.id))),
        CommitmentOrder::AmountAsc | CommitmentOrder::AmountDesc => {
            let desc = order == CommitmentOrder::AmountDesc;
            nodes.sort_by(|a, b| {
                let by_money = match (money(a), money(b)) {
                    (Some((ca, xa)), Some((cb, xb))) => {
                        ca.cmp(&cb)
                            .then(if desc { xb.cmp(&xa) } else { xa.cmp(&xb) })
                    }
                    (Some(_), None) => std::cmp::Ordering::Less,
                    (None, Some(_)) => std::cmp::Ordering::Greater,
                    (None, None) => std::cmp::Ordering::Equal,
                };
                by_money.then_with(|| a.id.cmp(&b.id))
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use super::*;
    use crate::model::CommitmentKind as K;

    fn graph() -> KnowledgeGraph {
        let p = |id, by, to, kind, amount, period, part_of| {
            pledge(Pledge {
                id,
                by,
                to,
                kind,
                amount,
                period,
                part_of,
            })
        };
        KnowledgeGraph::build(
            vec![
                country("jp", "Japan"),
                country("kr", "South Korea"),
                country("us", "United States"),
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
            ],
            vec![],
        )
        .unwrap()
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
