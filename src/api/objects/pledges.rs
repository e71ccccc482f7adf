//! Deals, commitments, tariff measures and projects: who gave what for what.

use super::{Event, all_of, one_of, referring, referring_page, wrap_fn};
use crate::api::claims::{
    AmountClaim, CommitmentStatusClaim, DealStatusClaim, RateClaim, TariffStatusClaim,
    VolumeLimitClaim,
};
use crate::api::entity::{Entity, entity_object, link_all, lookup, lookup_all};
use crate::api::enums::{CommitmentKind, Period};
use crate::api::flat::{Answered, Flat, FlatList, Link, Linker, Linking};
use crate::api::pagination::{Page, PageArgs};
use crate::api::scalars::Date;
use crate::api::values::{AmountValue, When};
use crate::graph::{Direction, FilterField};
use crate::model::{self, NodeKind, RelationKind};

entity_object!(
    /// A trade deal, or the negotiation towards one.
    Deal, model::Deal, {
    /// The countries or bodies on each side.
    async fn parties(&self) -> Vec<Entity<'a>> {
        lookup_all(self.g, &self.d.parties)
    }

    /// Where the deal stands now, or on `asOf`.
    async fn status(&self, #[graphql(desc = "The date to answer for; today when omitted.")] as_of: Option<Date>) -> Option<Flat<DealStatusClaim<'a>>> {
        DealStatusClaim::current(self.g, &self.d.status, as_of.map(|d| d.0))
    }

    /// Every status in history order.
    async fn status_history(&self, #[graphql(default, desc = "Include values the source states wrongly.")] include_deprecated: bool) -> FlatList<DealStatusClaim<'a>> {
        DealStatusClaim::history(self.g, &self.d.status, include_deprecated)
    }

    /// When it was announced, where known or inferred.
    async fn announced(&self) -> Option<When> {
        self.d.announced.as_ref().map(Into::into)
    }

    /// The date by which it must be concluded, where one is set.
    async fn deadline(&self) -> Option<When> {
        self.d.deadline.as_ref().map(Into::into)
    }

    /// The commitments made under the deal, by id.
    async fn commitments(
        &self,
        ctx: &async_graphql::Context<'_>,
        #[graphql(desc = "Items after this cursor.")] after: Option<String>,
        #[graphql(desc = "Items before this cursor.")] before: Option<String>,
        #[graphql(desc = "At most this many from the start (at most `max_page_size`, 100 by default; without `first` or `last`, `default_page_size`, 20 by default; `limits` has the values in force).")] first: Option<i32>,
        #[graphql(desc = "At most this many from the end (at most `max_page_size`, 100 by default).")] last: Option<i32>,
    ) -> async_graphql::Result<Page<Commitment<'a>>> {
        referring_page(self.g, NodeKind::Commitment, FilterField::Deal, &self.node.id, Commitment::wrap, PageArgs::new(ctx, after, before, first, last)?)
    }

    /// The tariff measures the deal set or changed, by id.
    async fn tariff_measures(
        &self,
        ctx: &async_graphql::Context<'_>,
        #[graphql(desc = "Items after this cursor.")] after: Option<String>,
        #[graphql(desc = "Items before this cursor.")] before: Option<String>,
        #[graphql(desc = "At most this many from the start (at most `max_page_size`, 100 by default; without `first` or `last`, `default_page_size`, 20 by default; `limits` has the values in force).")] first: Option<i32>,
        #[graphql(desc = "At most this many from the end (at most `max_page_size`, 100 by default).")] last: Option<i32>,
    ) -> async_graphql::Result<Page<TariffMeasure<'a>>> {
        referring_page(self.g, NodeKind::TariffMeasure, FilterField::Deal, &self.node.id, TariffMeasure::wrap, PageArgs::new(ctx, after, before, first, last)?)
    }

    /// For each party, in order: what it gave and got under the deal, with tariff rates before and after.
    async fn exchange(&self, #[graphql(desc = "As things stood on this date; today when omitted.")] as_of: Option<Date>) -> Vec<crate::api::explore::ExchangeSide<'a>> {
        crate::api::explore::ExchangeSide::wrap(self.g, self.g.exchange(&self.node.id, as_of.map(|d| d.0).as_ref()))
    }

    /// Events about the deal, by id.
    async fn events(&self) -> Vec<Event<'a>> {
        all_of(self.g, referring(self.g, NodeKind::Event, FilterField::Deal, &self.node.id), Event::wrap)
    }
});
wrap_fn!(Deal, Deal);

entity_object!(
    /// A pledge: who promised what to whom, how much, how often, in exchange for what.
    Commitment, model::Commitment,
    links [
        "pledger", "beneficiaries", "suppliers", "deal", "partOf", "inExchangeFor",
        "amount", "baseline", "limit", "increase", "status",
    ] by follow, {
    /// What is promised.
    async fn commitment_kind(&self) -> CommitmentKind {
        self.d.kind.into()
    }

    /// Who promised it.
    async fn pledger(&self) -> Option<Answered<Entity<'a>>> {
        self.pledger_now()
    }

    /// Who gains by it.
    async fn beneficiaries(&self) -> Vec<Answered<Entity<'a>>> {
        lookup_all(self.g, &self.d.beneficiaries)
            .into_iter()
            .map(Answered)
            .collect()
    }

    /// Who supplies what is bought.
    async fn suppliers(&self) -> Vec<Entity<'a>> {
        lookup_all(self.g, &self.d.suppliers)
    }

    /// What is bought, invested in or imported, in words.
    async fn item(&self) -> Option<&str> {
        self.d.item.as_deref()
    }

    /// The deal it belongs to.
    async fn deal(&self) -> Option<Deal<'a>> {
        self.deal_now()
    }

    /// The commitment it is part of; its amount is already counted there.
    async fn part_of(&self) -> Option<Commitment<'a>> {
        self.part_of_now()
    }

    /// Commitments that are part of this one, by id.
    async fn parts(&self) -> Vec<Commitment<'a>> {
        let nodes = self.g.related(&self.node.id, RelationKind::PartOf, Direction::Incoming);
        all_of(self.g, nodes, Commitment::wrap)
    }

    /// What it was given in exchange for: tariff measures or other commitments.
    async fn in_exchange_for(&self) -> Vec<Entity<'a>> {
        lookup_all(self.g, &self.d.in_exchange_for)
    }

    /// The demand of the other side it answers, where it answers one.
    async fn answers(&self) -> Option<super::Demand<'a>> {
        one_of(self.g, self.d.answers.as_ref(), super::Demand::wrap)
    }

    /// One-off, annual or unspecified.
    async fn period(&self) -> Period {
        self.d.period.into()
    }

    /// The pledged amount now, or on `asOf`; none where it was not disclosed.
    async fn amount(&self, #[graphql(desc = "The date to answer for; today when omitted.")] as_of: Option<Date>) -> Option<Flat<AmountClaim<'a>>> {
        AmountClaim::current(self.g, &self.d.amount, as_of.map(|d| d.0))
    }

    /// Every value the amount took, in order, with who changed it and when.
    async fn amount_history(&self, #[graphql(default, desc = "Include values the source states wrongly.")] include_deprecated: bool) -> FlatList<AmountClaim<'a>> {
        AmountClaim::history(self.g, &self.d.amount, include_deprecated)
    }

    /// For a pledge to raise a level: the level before it.
    async fn baseline(&self, #[graphql(desc = "The date to answer for; today when omitted.")] as_of: Option<Date>) -> Option<Flat<AmountClaim<'a>>> {
        AmountClaim::current(self.g, &self.d.baseline, as_of.map(|d| d.0))
    }

    /// The rise from the baseline to the pledged level, where both are money in one currency.
    async fn increase(&self) -> Option<Flat<AmountValue>> {
        self.increase_now()
    }

    /// A ceiling the pledge stays within, such as a quota.
    async fn limit(&self, #[graphql(desc = "The date to answer for; today when omitted.")] as_of: Option<Date>) -> Option<Flat<AmountClaim<'a>>> {
        AmountClaim::current(self.g, &self.d.limit, as_of.map(|d| d.0))
    }

    /// Where the commitment stands now, or on `asOf`.
    async fn status(&self, #[graphql(desc = "The date to answer for; today when omitted.")] as_of: Option<Date>) -> Option<Flat<CommitmentStatusClaim<'a>>> {
        CommitmentStatusClaim::current(self.g, &self.d.status, as_of.map(|d| d.0))
    }

    /// Every status in history order.
    async fn status_history(&self, #[graphql(default, desc = "Include values the source states wrongly.")] include_deprecated: bool) -> FlatList<CommitmentStatusClaim<'a>> {
        CommitmentStatusClaim::history(self.g, &self.d.status, include_deprecated)
    }
});
wrap_fn!(Commitment, Commitment);

/// The answers of the fields a commitment leads on by, shared by their resolvers and by
/// [`Commitment::follow`], which writes them at once.
impl<'a> Commitment<'a> {
    fn pledger_now(&self) -> Option<Answered<Entity<'a>>> {
        lookup(self.g, &self.d.pledger).map(Answered)
    }

    fn deal_now(&self) -> Option<Deal<'a>> {
        one_of(self.g, self.d.deal.as_ref(), Deal::wrap)
    }

    fn part_of_now(&self) -> Option<Commitment<'a>> {
        one_of(self.g, self.d.part_of.as_ref(), Commitment::wrap)
    }

    fn increase_now(&self) -> Option<Flat<AmountValue>> {
        self.d.increase().map(|a| Flat((&a).into()))
    }

    /// Writes the field `LINKS[index]` at once, as its resolver answers it without
    /// arguments (`asOf` omitted: today).
    fn follow(&self, index: usize, to: &mut Linker<'_, '_>) -> Linking {
        let (g, d) = (self.g, self.d);
        match index {
            0 => self.pledger_now().link(to),
            1 => link_all(g, &d.beneficiaries, to),
            2 => link_all(g, &d.suppliers, to),
            3 => self.deal_now().link(to),
            4 => self.part_of_now().link(to),
            5 => link_all(g, &d.in_exchange_for, to),
            6 => AmountClaim::current(g, &d.amount, None).link(to),
            7 => AmountClaim::current(g, &d.baseline, None).link(to),
            8 => AmountClaim::current(g, &d.limit, None).link(to),
            9 => self.increase_now().link(to),
            _ => CommitmentStatusClaim::current(g, &d.status, None).link(to),
        }
    }
}

entity_object!(
    /// A tariff imposed by one party on another's goods, with its rate over time.
    TariffMeasure, model::TariffMeasure, {
    /// Who imposes it.
    async fn imposer(&self) -> Option<Entity<'a>> {
        lookup(self.g, &self.d.imposer)
    }

    /// Whose goods it falls on.
    async fn target(&self) -> Option<Entity<'a>> {
        lookup(self.g, &self.d.target)
    }

    /// The goods it covers, in words.
    async fn scope(&self) -> &str {
        &self.d.scope
    }

    /// The deal that set or changed it.
    async fn deal(&self) -> Option<Deal<'a>> {
        one_of(self.g, self.d.deal.as_ref(), Deal::wrap)
    }

    /// Where it stands now, or on `asOf`.
    async fn status(&self, #[graphql(desc = "The date to answer for; today when omitted.")] as_of: Option<Date>) -> Option<Flat<TariffStatusClaim<'a>>> {
        TariffStatusClaim::current(self.g, &self.d.status, as_of.map(|d| d.0))
    }

    /// Every status in history order.
    async fn status_history(&self, #[graphql(default, desc = "Include values the source states wrongly.")] include_deprecated: bool) -> FlatList<TariffStatusClaim<'a>> {
        TariffStatusClaim::history(self.g, &self.d.status, include_deprecated)
    }

    /// The rate now, or on `asOf` (before a deal, say); none where the source gives no rate.
    async fn rate(&self, #[graphql(desc = "The date to answer for; today when omitted.")] as_of: Option<Date>) -> Option<Flat<RateClaim<'a>>> {
        RateClaim::current(self.g, &self.d.rate, as_of.map(|d| d.0))
    }

    /// Every rate in history order, with its components and validity.
    async fn rate_history(&self, #[graphql(default, desc = "Include values the source states wrongly.")] include_deprecated: bool) -> FlatList<RateClaim<'a>> {
        RateClaim::history(self.g, &self.d.rate, include_deprecated)
    }

    /// Any volume limit now, or on `asOf`.
    async fn volume_limit(&self, #[graphql(desc = "The date to answer for; today when omitted.")] as_of: Option<Date>) -> Option<Flat<VolumeLimitClaim<'a>>> {
        VolumeLimitClaim::current(self.g, &self.d.volume_limit, as_of.map(|d| d.0))
    }

    /// Every volume limit in history order.
    async fn volume_limit_history(&self, #[graphql(default, desc = "Include values the source states wrongly.")] include_deprecated: bool) -> FlatList<VolumeLimitClaim<'a>> {
        VolumeLimitClaim::history(self.g, &self.d.volume_limit, include_deprecated)
    }

    /// Commitments given in exchange for this measure, by id.
    async fn exchanged_for(&self) -> Vec<Commitment<'a>> {
        let nodes = self.g.related(&self.node.id, RelationKind::InExchangeFor, Direction::Incoming);
        all_of(self.g, nodes, Commitment::wrap)
    }
});
wrap_fn!(TariffMeasure, TariffMeasure);

entity_object!(
    /// A venture with a value and participants.
    Project, model::Project, {
    /// What it is worth now, or on `asOf`.
    async fn value(&self, #[graphql(desc = "The date to answer for; today when omitted.")] as_of: Option<Date>) -> Option<Flat<AmountClaim<'a>>> {
        AmountClaim::current(self.g, &self.d.value, as_of.map(|d| d.0))
    }

    /// Every value in history order.
    async fn value_history(&self, #[graphql(default, desc = "Include values the source states wrongly.")] include_deprecated: bool) -> FlatList<AmountClaim<'a>> {
        AmountClaim::history(self.g, &self.d.value, include_deprecated)
    }

    /// Where it is, in words.
    async fn place(&self) -> Option<&str> {
        self.d.place.as_deref()
    }

    /// Who takes part, by id.
    async fn participants(&self) -> Vec<Entity<'a>> {
        let nodes = self.g.related(&self.node.id, RelationKind::ParticipatesIn, Direction::Incoming);
        nodes.into_iter().map(|n| crate::api::entity::entity(self.g, n)).collect()
    }

    /// Who was asked to join, by id.
    async fn invited(&self) -> Vec<Entity<'a>> {
        let nodes = self.g.related(&self.node.id, RelationKind::InvitedTo, Direction::Incoming);
        nodes.into_iter().map(|n| crate::api::entity::entity(self.g, n)).collect()
    }
});
wrap_fn!(Project, Project);
