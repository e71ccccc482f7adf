//! Tariff measures in the order by their current rate, one list each way ([`Keyed`] by
//! the rate), so that a page of them by rate is read in order and stops when full. Those
//! without a rate come last either way. A filter's range of rates ([`RateSpan`]) is one
//! run of each list: a page in the order by rate reads only that run.

use rust_decimal::Decimal;

use super::keyed::{Key, Keyed, Span};
use super::lanes::{self, Lane};
use super::query::{Field, Value};
use crate::model::{Node, NodeKind};

impl Key for Decimal {
    const FIELD: Field = Field::RatePercent;
    const RISING: Lane = Lane::Rate;
    const FALLING: Lane = Lane::RateDesc;

    fn of_value(value: &Value) -> Option<Decimal> {
        match value {
            Value::Decimal(r) => Some(*r),
            _ => None,
        }
    }

    fn of_node(node: &Node) -> Option<Decimal> {
        lanes::rated(node)
    }

    fn holds(kind: NodeKind) -> bool {
        kind == NodeKind::TariffMeasure
    }
}

/// The rates a filter's conditions on the rate allow. A tariff measure without a rate
/// passes no such condition.
pub(crate) type RateSpan = Span<Decimal>;

/// The tariff measures by rate: lowest first, and highest first.
pub(crate) type RateLists = Keyed<Decimal>;

#[cfg(test)]
mod tests {
    use super::*;
    use std::ops::Bound;

    use petgraph::stable_graph::NodeIndex;

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
