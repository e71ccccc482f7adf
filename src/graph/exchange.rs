//! What each side gave and got: the quid pro quo of a deal, or of a
//! country across all its deals, with tariff rates before and after.

use super::KnowledgeGraph;
use super::query::{Field, Filter, Op, Value};
use crate::model::{Claim, DateBasis, EntityId, Node, NodeData, NodeKind, PartialDate, Rate, When};

/// A tariff measure and its rate before and after its latest change.
#[derive(Debug, Clone, Copy)]
pub struct TariffChange<'g> {
    /// The measure.
    pub measure: &'g Node,
    /// The rate the change replaced, if there was one.
    pub before: Option<&'g Claim<Rate>>,
    /// The rate as of the date asked about (now by default).
    pub after: Option<&'g Claim<Rate>>,
    /// For a date asked about: how firmly the dates that chose `after` are known.
    pub after_basis: Option<DateBasis>,
}

/// One side of an exchange.
#[derive(Debug, Clone)]
pub struct Exchange<'g> {
    /// The party.
    pub party: &'g Node,
    /// Commitments it made.
    pub gave: Vec<&'g Node>,
    /// Tariff measures on its goods (what it won or faces).
    pub got: Vec<TariffChange<'g>>,
    /// Tariff measures it imposes (what it conceded or threatens).
    pub conceded: Vec<TariffChange<'g>>,
    /// Commitments made to its benefit.
    pub received: Vec<&'g Node>,
}

fn is(field: Field, id: &EntityId) -> Filter {
    Filter::Test(field, Op::Eq(Value::Id(id.clone())))
}

impl KnowledgeGraph {
    /// For each party of `deal`, in the deal's order: what it gave and got
    /// under that deal, as of `as_of`. Unknown or non-deal ids give nothing.
    pub fn exchange(&self, deal: &EntityId, as_of: Option<&PartialDate>) -> Vec<Exchange<'_>> {
        let Some(NodeData::Deal(d)) = self.get(deal).map(|n| &n.data) else {
            return Vec::new();
        };
        d.parties
            .iter()
            .filter_map(|p| self.side(p, Some(deal), as_of))
            .collect()
    }

    /// For each country (or body) in `parties`: what it gave and got across all deals.
    pub fn compare(&self, parties: &[EntityId], as_of: Option<&PartialDate>) -> Vec<Exchange<'_>> {
        parties
            .iter()
            .filter_map(|p| self.side(p, None, as_of))
            .collect()
    }

    fn side(
        &self,
        party: &EntityId,
        deal: Option<&EntityId>,
        as_of: Option<&PartialDate>,
    ) -> Option<Exchange<'_>> {
        let node = self.get(party)?;
        let within = |f: Filter| match deal {
            Some(d) => Filter::All(vec![f, is(Field::Deal, d)]),
            None => f,
        };
        let changes = |field| {
            self.list(
                NodeKind::TariffMeasure,
                &within(is(field, party)),
                &[],
                as_of,
            )
            .into_iter()
            .map(|m| change(m, as_of))
            .collect()
        };
        Some(Exchange {
            party: node,
            gave: self.list(
                NodeKind::Commitment,
                &within(is(Field::Pledger, party)),
                &[],
                as_of,
            ),
            got: changes(Field::Target),
            conceded: changes(Field::Imposer),
            received: self.list(
                NodeKind::Commitment,
                &within(is(Field::Beneficiary, party)),
                &[],
                as_of,
            ),
        })
    }
}

/// The rate on `as_of` (or now) and the one it superseded.
fn change<'g>(measure: &'g Node, as_of: Option<&PartialDate>) -> TariffChange<'g> {
    let NodeData::TariffMeasure(t) = &measure.data else {
        return TariffChange {
            measure,
            before: None,
            after: None,
            after_basis: None,
        };
    };
    let (after, after_basis) = match as_of {
        Some(day) => match t.rate.as_of_with_basis(day) {
            Some((c, basis)) => (Some(c), Some(basis)),
            None => (None, None),
        },
        None => (t.rate.current(), None),
    };
    let before = after.and_then(|a| {
        a.supersedes
            .as_deref()
            .and_then(|k| t.rate.get(k))
            .or_else(|| {
                let start = a.valid_from.as_deref()?.earliest()?;
                t.rate
                    .history(false)
                    .filter(|c| {
                        c.valid_until
                            .as_deref()
                            .and_then(When::earliest)
                            .is_some_and(|u| u <= start)
                    })
                    .last()
            })
    });
    TariffChange {
        measure,
        before,
        after,
        after_basis,
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use super::*;

    fn graph() -> KnowledgeGraph {
        KnowledgeGraph::build(
            vec![
                country("jp", "Japan"),
                country("us", "United States"),
                country("kr", "South Korea"),
                deal("deal:x", &["country:us", "country:jp"], Some("2025-07-23")),
                pledge_in(
                    "commitment:inv",
                    "country:jp",
                    "country:us",
                    "deal:x",
                    "550",
                ),
                pledge_in(
                    "commitment:other",
                    "country:kr",
                    "country:us",
                    "deal:x",
                    "1",
                ),
                tariff(
                    "tariff:cars",
                    "country:us",
                    "country:jp",
                    Some("deal:x"),
                    &[
                        ("old", "27.5", None, Some("2025-07-23"), None),
                        ("new", "15", Some("2025-07-23"), None, Some("old")),
                    ],
                ),
                tariff(
                    "tariff:kr",
                    "country:us",
                    "country:kr",
                    None,
                    &[("threat", "25", Some("2025-08-01"), None, None)],
                ),
            ],
            vec![],
        )
        .unwrap()
    }

    fn ids(nodes: &[&Node]) -> Vec<String> {
        nodes.iter().map(|n| n.id.to_string()).collect()
    }

    #[test]
    fn each_party_gave_and_got_within_the_deal() {
        let g = graph();
        let sides = g.exchange(&id("deal:x"), None);
        assert_eq!(
            sides
                .iter()
                .map(|s| s.party.id.to_string())
                .collect::<Vec<_>>(),
            ["country:us", "country:jp"]
        );
        let (us, jp) = (&sides[0], &sides[1]);
        assert_eq!(ids(&jp.gave), ["commitment:inv"]);
        assert_eq!(jp.got.len(), 1);
        let cars = jp.got[0];
        assert_eq!(
            cars.before.map(|c| c.value.total.to_string()),
            Some("27.5%".into())
        );
        assert_eq!(
            cars.after.map(|c| c.value.total.to_string()),
            Some("15%".into())
        );
        assert_eq!(ids(&us.received), ["commitment:inv", "commitment:other"]);
        assert_eq!(us.conceded.len(), 1, "only the tariff inside the deal");
        assert!(g.exchange(&id("country:jp"), None).is_empty(), "not a deal");
    }

    #[test]
    fn as_of_before_the_change_has_no_before() {
        let g = graph();
        let jp = &g.exchange(&id("deal:x"), Some(&"2025-07-01".parse().unwrap()))[1];
        assert_eq!(
            jp.got[0].after.map(|c| c.value.total.to_string()),
            Some("27.5%".into())
        );
        assert!(jp.got[0].before.is_none());
    }

    #[test]
    fn compare_spans_all_deals() {
        let g = graph();
        let sides = g.compare(&[id("country:kr"), id("country:zz")], None);
        assert_eq!(sides.len(), 1, "unknown parties are skipped");
        assert_eq!(ids(&sides[0].gave), ["commitment:other"]);
        assert_eq!(sides[0].got[0].measure.id.as_str(), "tariff:kr");
    }
}
