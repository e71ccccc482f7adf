//! Demands: what one side asks of another. Not pledges: they never count in commitments,
//! totals or a deal's exchange, and a pledge that meets one says so (`answers`).

use super::{Commitment, Deal, all_of, one_of, wrap_fn};
use crate::api::claims::DemandStatusClaim;
use crate::api::entity::{Attribution, Entity, entity_object, lookup, lookup_all};
use crate::api::flat::{Flat, FlatList};
use crate::api::scalars::Date;
use crate::api::values::When;
use crate::graph::Direction;
use crate::model::{self, RelationKind};

entity_object!(
    /// What one side asks of another, such as the concessions the United States expects of
    /// South Korea: not a pledge, until the side asked makes one that answers it.
    Demand, model::Demand, {
    /// Who makes the demand.
    async fn demander(&self) -> Option<Entity<'a>> {
        lookup(self.g, &self.d.demander)
    }

    /// Of whom it is demanded.
    async fn demanded_of(&self) -> Vec<Entity<'a>> {
        lookup_all(self.g, &self.d.demanded_of)
    }

    /// What is asked for, in words.
    async fn item(&self) -> Option<&str> {
        self.d.item.as_deref()
    }

    /// The deal it concerns.
    async fn deal(&self) -> Option<Deal<'a>> {
        one_of(self.g, self.d.deal.as_ref(), Deal::wrap)
    }

    /// What meeting it would bring the side asked, such as a tariff it would avoid.
    async fn in_exchange_for(&self) -> Vec<Entity<'a>> {
        lookup_all(self.g, &self.d.in_exchange_for)
    }

    /// The date by which it is to be met, where one is set.
    async fn deadline(&self) -> Option<When> {
        self.d.deadline.as_ref().map(Into::into)
    }

    /// By whose account it is a demand, where it is a reading of someone's words.
    async fn attribution(&self) -> Option<Attribution<'a>> {
        self.d.attribution.as_ref().map(|a| Attribution { g: self.g, a })
    }

    /// Where the demand stands now, or on `asOf`.
    async fn status(&self, #[graphql(desc = "The date to answer for; today when omitted.")] as_of: Option<Date>) -> Option<Flat<DemandStatusClaim<'a>>> {
        DemandStatusClaim::current(self.g, &self.d.status, as_of.map(|d| d.0))
    }

    /// Every status in history order.
    async fn status_history(&self, #[graphql(default, desc = "Include values the source states wrongly.")] include_deprecated: bool) -> FlatList<DemandStatusClaim<'a>> {
        DemandStatusClaim::history(self.g, &self.d.status, include_deprecated)
    }

    /// The pledges made in answer to it, by id; empty while none is made.
    async fn answered_by(&self) -> Vec<Commitment<'a>> {
        let nodes = self.g.related(&self.node.id, RelationKind::Answers, Direction::Incoming);
        all_of(self.g, nodes, Commitment::wrap)
    }
});
wrap_fn!(Demand, Demand);
