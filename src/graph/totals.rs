//! Exact pledge totals: sums of commitment amounts grouped as asked,
//! always kept apart per currency and per period, never counting a part twice.

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use super::query::Filter;
use super::{GraphError, KnowledgeGraph};
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
        let mut groups: BTreeMap<Key, PledgeTotal> = BTreeMap::new();
        for node in self.list(NodeKind::Commitment, filter, &[], as_of) {
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
