//! Exact pledge totals: sums of commitment amounts grouped as asked,
//! always kept apart per currency and per period, never counting a part twice.
//! Totals by pledger of every commitment as it stands now are read from an index of
//! each pledger's priced commitments, kept in step by every change.

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use super::query::Filter;
use super::{GraphError, KnowledgeGraph, interrupt};
use crate::model::{
    Commitment, CommitmentKind, Currency, EntityId, Node, NodeData, NodeKind, PartialDate, Period,
};

/// A dimension to group totals by; currency and period always group too.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum GroupBy {
    /// Who pledged.
    Pledger,
    /// Who gains (a pledge to several counts once in each of their groups).
    Beneficiary,
    /// What kind of pledge.
    Kind,
    /// The deal.
    Deal,
}

/// The key of one group.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Key {
    pledger: Option<EntityId>,
    beneficiary: Option<EntityId>,
    kind: Option<CommitmentKind>,
    deal: Option<EntityId>,
    period: Period,
    currency: Currency,
}

/// One group's total.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PledgeTotal {
    /// The pledger, when grouping by pledger.
    pub pledger: Option<EntityId>,
    /// The beneficiary, when grouping by beneficiary.
    pub beneficiary: Option<EntityId>,
    /// The kind, when grouping by kind.
    pub kind: Option<CommitmentKind>,
    /// The deal, when grouping by deal (none for pledges outside a deal).
    pub deal: Option<EntityId>,
    /// One-off and annual amounts are never added together.
    pub period: Period,
    /// Amounts in different currencies are never added together.
    pub currency: Currency,
    /// The exact sum, each pledge at its pledged level.
    pub total: Decimal,
    /// The sum of the rises over a baseline, for pledges to raise a level.
    pub increase: Decimal,
    /// The pledges summed, by id.
    pub commitments: Vec<EntityId>,
}

fn overflow() -> GraphError {
    GraphError::OverLimit {
        what: "total",
        max: usize::MAX,
        got: i64::MAX,
    }
}

impl KnowledgeGraph {
    /// Sums the money amounts of the commitments that pass `filter`, as
    /// they stood on `as_of`, grouped by `group_by` and always by period
    /// and currency. Commitments that are part of another are left out (their
    /// amount is counted in the whole), and so are those without a money amount.
    pub fn pledge_totals(
        &self,
        group_by: &[GroupBy],
        filter: &Filter,
        as_of: Option<&PartialDate>,
    ) -> Result<Vec<PledgeTotal>, GraphError> {
        if as_of.is_none()
            && filter.is_everything()
            && !group_by.is_empty()
            && group_by.iter().all(|g| *g == GroupBy::Pledger)
        {
            return self.totals.by_pledger();
        }
        self.pledge_totals_read(group_by, filter, as_of)
    }

    /// [`KnowledgeGraph::pledge_totals`], each commitment read from the list.
    fn pledge_totals_read(
        &self,
        group_by: &[GroupBy],
        filter: &Filter,
        as_of: Option<&PartialDate>,
    ) -> Result<Vec<PledgeTotal>, GraphError> {
        let mut groups: BTreeMap<Key, PledgeTotal> = BTreeMap::new();
        let listed = self.list(NodeKind::Commitment, filter, &[], as_of);
        for node in interrupt::checked(listed.into_iter()) {
            let Some((c, money, increase)) = priced(node, as_of) else {
                continue;
            };
            let beneficiaries: Vec<Option<EntityId>> = if group_by.contains(&GroupBy::Beneficiary) {
                c.beneficiaries.iter().cloned().map(Some).collect()
            } else {
                vec![None]
            };
            for beneficiary in beneficiaries {
                let key = Key {
                    pledger: group_by
                        .contains(&GroupBy::Pledger)
                        .then(|| c.pledger.clone()),
                    beneficiary,
                    kind: group_by.contains(&GroupBy::Kind).then_some(c.kind),
                    deal: if group_by.contains(&GroupBy::Deal) {
                        c.deal.clone()
                    } else {
                        None
                    },
                    period: c.period,
                    currency: money.0,
                };
                let entry = groups.entry(key.clone()).or_insert_with(|| PledgeTotal {
                    pledger: key.pledger.clone(),
                    beneficiary: key.beneficiary.clone(),
                    kind: key.kind,
                    deal: key.deal.clone(),
                    period: key.period,
                    currency: key.currency,
                    total: Decimal::ZERO,
                    increase: Decimal::ZERO,
                    commitments: Vec::new(),
                });
                entry.total = entry.total.checked_add(money.1).ok_or_else(overflow)?;
                entry.increase = entry.increase.checked_add(increase).ok_or_else(overflow)?;
                entry.commitments.push(node.id.clone());
            }
        }
        Ok(groups.into_values().collect())
    }
}

/// Each pledger's top-level commitments priced in money as they stand now, grouped as
/// totals by pledger group them (by pledger, then period, then currency), each group's
/// amounts and rises by commitment id: totals of every commitment by pledger are summed
/// from here in the order the list would give, without reading a node or sorting.
#[derive(Debug, Clone, Default)]
pub(super) struct PledgerTotals(BTreeMap<(EntityId, Period, Currency), Group>);

/// One group's commitments by id, each with its amount and its rise over a baseline.
type Group = BTreeMap<EntityId, (Decimal, Decimal)>;

impl PledgerTotals {
    /// Adds a node, when it is a top-level commitment priced in money.
    pub fn insert(&mut self, node: &Node) {
        if let Some((c, (currency, amount), increase)) = priced(node, None) {
            self.0
                .entry((c.pledger.clone(), c.period, currency))
                .or_default()
                .insert(node.id.clone(), (amount, increase));
        }
    }

    /// Takes a node out, as it was when it was added.
    pub fn remove(&mut self, node: &Node) {
        if let Some((c, (currency, _), _)) = priced(node, None) {
            let key = (c.pledger.clone(), c.period, currency);
            if let Some(group) = self.0.get_mut(&key) {
                group.remove(&node.id);
                if group.is_empty() {
                    self.0.remove(&key);
                }
            }
        }
    }

    /// The totals by pledger (and period and currency) of every commitment: each group
    /// summed in id order, exactly as [`KnowledgeGraph::pledge_totals`] sums a list.
    fn by_pledger(&self) -> Result<Vec<PledgeTotal>, GraphError> {
        self.0
            .iter()
            .map(|((pledger, period, currency), group)| {
                let (mut total, mut increase) = (Decimal::ZERO, Decimal::ZERO);
                for (amount, rise) in group.values() {
                    total = total.checked_add(*amount).ok_or_else(overflow)?;
                    increase = increase.checked_add(*rise).ok_or_else(overflow)?;
                }
                Ok(PledgeTotal {
                    pledger: Some(pledger.clone()),
                    beneficiary: None,
                    kind: None,
                    deal: None,
                    period: *period,
                    currency: *currency,
                    total,
                    increase,
                    commitments: group.keys().cloned().collect(),
                })
            })
            .collect()
    }
}

impl Filter {
    /// True when the filter holds for every node: `and` of nothing, however nested.
    fn is_everything(&self) -> bool {
        match self {
            Filter::All(fs) => fs.iter().all(Filter::is_everything),
            _ => false,
        }
    }
}

/// A top-level commitment with a money amount: the commitment, its
/// (currency, amount) and its rise over a baseline in the same currency.
fn priced<'a>(
    node: &'a Node,
    as_of: Option<&PartialDate>,
) -> Option<(&'a Commitment, (Currency, Decimal), Decimal)> {
    let NodeData::Commitment(c) = &node.data else {
        return None;
    };
    if c.part_of.is_some() {
        return None;
    }
    let money = c.amount.at(as_of)?.value.money().copied()?;
    let increase = c
        .baseline
        .at(as_of)
        .and_then(|b| b.value.money().copied())
        .filter(|b| b.currency == money.currency)
        .map_or(Decimal::ZERO, |b| money.amount - b.amount);
    Some((c, (money.currency, money.amount), increase))
}

#[cfg(test)]
pub(crate) mod tests {
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
                Some(money("550000000000.01", "USD")),
                Period::OneOff,
                None,
            ),
            p(
                "commitment:b",
                "country:jp",
                "country:us",
                K::Purchase,
                Some(money("8000000000", "USD")),
                Period::OneOff,
                None,
            ),
            p(
                "commitment:c",
                "country:jp",
                "country:us",
                K::Procurement,
                Some(money("17000000000", "USD")),
                Period::Annual,
                None,
            ),
            p(
                "commitment:d",
                "country:jp",
                "country:us",
                K::Purchase,
                Some(money("5000000000", "USD")),
                Period::Annual,
                Some("commitment:c"),
            ),
            p(
                "commitment:e",
                "country:kr",
                "country:us",
                K::Investment,
                Some(money("1000", "KRW")),
                Period::OneOff,
                None,
            ),
            p(
                "commitment:f",
                "country:kr",
                "country:us",
                K::Investment,
                None,
                Period::OneOff,
                None,
            ),
        ])
    }

    /// Totals as text, so that amounts that are equal but written to another scale
    /// (`5` and `5.0`) differ.
    pub(crate) fn exactly(totals: &Result<Vec<PledgeTotal>, GraphError>) -> String {
        format!("{totals:?}")
    }

    /// Totals by pledger from the index, against the same totals read from the list.
    pub(crate) fn check_by_pledger(g: &KnowledgeGraph) {
        let all = Filter::default();
        for group_by in [
            vec![GroupBy::Pledger],
            vec![GroupBy::Pledger, GroupBy::Pledger],
        ] {
            assert_eq!(
                exactly(&g.pledge_totals(&group_by, &all, None)),
                exactly(&g.pledge_totals_read(&group_by, &all, None)),
            );
        }
    }

    #[test]
    fn totals_by_pledger_from_the_index_are_exactly_those_read_from_the_list() {
        let g = graph();
        check_by_pledger(&g);
        let mut seed = 0x9e37_79b9_u64;
        let mut roll = |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        // Tiny amounts beside large ones round, so that only sums in the same order agree;
        // the largest overflow when two meet.
        let amounts = [
            "0",
            "5",
            "5.0",
            "0.125",
            "17000000000",
            "550000000000.01",
            "0.0000000000000000000000000001",
            "0.000000000000000004",
            "39614081257132168796771975168",
        ];
        let (countries, currencies) = (["country:jp", "country:kr"], ["USD", "JPY"]);
        let periods = [Period::OneOff, Period::Annual];
        for round in 0..30 {
            let ids: Vec<String> = (0..12)
                .map(|i| format!("commitment:r{round}c{i}"))
                .collect();
            let pledges: Vec<Node> = ids
                .iter()
                .enumerate()
                .map(|(i, idt)| {
                    // The largest amount in one round of five only: most rounds sum.
                    let choices = amounts.len() - usize::from(round % 5 != 0);
                    let amount =
                        (roll(6) > 0).then(|| money(amounts[roll(choices)], currencies[roll(2)]));
                    let part_of = (i > 0 && roll(5) == 0).then(|| ids[i - 1].as_str());
                    let mut n = pledge(pledge_of(
                        idt,
                        countries[roll(2)],
                        "country:us",
                        K::Investment,
                        amount,
                        periods[roll(2)],
                        part_of,
                    ));
                    if let NodeData::Commitment(c) = &mut n.data
                        && roll(3) == 0
                    {
                        let base = money(amounts[roll(4)], currencies[roll(2)]);
                        c.baseline = crate::model::ClaimSet::new(vec![claim("b", base, None)]);
                    }
                    n
                })
                .collect();
            let mut nodes = vec![
                country("jp", "Japan"),
                country("kr", "South Korea"),
                country("us", "United States"),
            ];
            nodes.extend(pledges);
            let g = KnowledgeGraph::build(nodes, Vec::new()).unwrap_or_else(|e| panic!("{e}"));
            check_by_pledger(&g);
        }
    }

    fn rows(totals: &[PledgeTotal]) -> Vec<(String, &'static str, String, usize)> {
        totals
            .iter()
            .map(|t| {
                (
                    t.pledger
                        .as_ref()
                        .map(|p| p.slug().to_string())
                        .unwrap_or_default(),
                    t.period.as_str(),
                    format!("{} {}", t.currency, t.total),
                    t.commitments.len(),
                )
            })
            .collect()
    }

    #[test]
    fn currencies_and_periods_are_never_added_together_and_parts_not_twice() {
        let g = graph();
        let t = g.pledge_totals(&[], &Filter::default(), None).unwrap();
        let got: Vec<(String, usize)> = t
            .iter()
            .map(|t| {
                (
                    format!("{} {} {}", t.period, t.currency, t.total),
                    t.commitments.len(),
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                ("one-off KRW 1000".to_string(), 1),
                ("one-off USD 558000000000.01".to_string(), 2),
                ("annual USD 17000000000".to_string(), 1)
            ]
        );
    }

    #[test]
    fn groups_by_pledger_exactly() {
        let g = graph();
        let t = g
            .pledge_totals(&[GroupBy::Pledger], &Filter::default(), None)
            .unwrap();
        assert_eq!(
            rows(&t),
            [
                (
                    "jp".to_string(),
                    "one-off",
                    "USD 558000000000.01".to_string(),
                    2
                ),
                ("jp".to_string(), "annual", "USD 17000000000".to_string(), 1),
                ("kr".to_string(), "one-off", "KRW 1000".to_string(), 1),
            ]
        );
    }
}
