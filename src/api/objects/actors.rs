//! Countries, people and organizations.

use super::{Deal, Event, Statement, TariffMeasure, all_of, one_of, referring_page, wrap_fn};
use crate::api::claims::RoleClaim;
use crate::api::entity::{Entity, entity_object};
use crate::api::enums::OrgKind;
use crate::api::flat::{Flat, FlatList};
use crate::api::pagination::{Page, PageArgs};
use crate::api::scalars::Date;
use crate::graph::{Direction, FilterField};
use crate::model::{self, NodeKind, RelationKind};

entity_object!(
    /// A country, or a bloc of countries such as the EU.
    Country, model::Country, {
    /// ISO 3166 alpha-2 code (`JP`), or `EU` for the European Union.
    async fn code(&self) -> Option<&str> {
        self.d.code.as_deref()
    }

    /// True for a bloc rather than a single state.
    async fn bloc(&self) -> bool {
        self.d.bloc
    }

    /// People holding a role in the country or in one of its bodies, by id.
    async fn officials(&self) -> Vec<Person<'a>> {
        all_of(self.g, self.g.officials_of(&self.node.id), Person::wrap)
    }

    /// Bodies based in the country, by id.
    async fn organizations(&self) -> Vec<Organization<'a>> {
        all_of(self.g, self.g.related(&self.node.id, RelationKind::BasedIn, Direction::Incoming), Organization::wrap)
    }

    /// Deals the country is a party to, by id.
    async fn deals(
        &self,
        ctx: &async_graphql::Context<'_>,
        #[graphql(desc = "Items after this cursor.")] after: Option<String>,
        #[graphql(desc = "Items before this cursor.")] before: Option<String>,
        #[graphql(desc = "At most this many from the start (at most `max_page_size`, 100 by default; without `first` or `last`, `default_page_size`, 20 by default; `limits` has the values in force).")] first: Option<i32>,
        #[graphql(desc = "At most this many from the end (at most `max_page_size`, 100 by default).")] last: Option<i32>,
    ) -> async_graphql::Result<Page<Deal<'a>>> {
        referring_page(self.g, NodeKind::Deal, FilterField::Party, &self.node.id, Deal::wrap, PageArgs::new(ctx, after, before, first, last)?)
    }

    /// Commitments the country made, by id.
    async fn pledges_made(
        &self,
        ctx: &async_graphql::Context<'_>,
        #[graphql(desc = "Items after this cursor.")] after: Option<String>,
        #[graphql(desc = "Items before this cursor.")] before: Option<String>,
        #[graphql(desc = "At most this many from the start (at most `max_page_size`, 100 by default; without `first` or `last`, `default_page_size`, 20 by default; `limits` has the values in force).")] first: Option<i32>,
        #[graphql(desc = "At most this many from the end (at most `max_page_size`, 100 by default).")] last: Option<i32>,
    ) -> async_graphql::Result<Page<super::Commitment<'a>>> {
        referring_page(self.g, NodeKind::Commitment, FilterField::Pledger, &self.node.id, super::Commitment::wrap, PageArgs::new(ctx, after, before, first, last)?)
    }

    /// Commitments made to the country's benefit, by id.
    async fn pledges_received(
        &self,
        ctx: &async_graphql::Context<'_>,
        #[graphql(desc = "Items after this cursor.")] after: Option<String>,
        #[graphql(desc = "Items before this cursor.")] before: Option<String>,
        #[graphql(desc = "At most this many from the start (at most `max_page_size`, 100 by default; without `first` or `last`, `default_page_size`, 20 by default; `limits` has the values in force).")] first: Option<i32>,
        #[graphql(desc = "At most this many from the end (at most `max_page_size`, 100 by default).")] last: Option<i32>,
    ) -> async_graphql::Result<Page<super::Commitment<'a>>> {
        referring_page(self.g, NodeKind::Commitment, FilterField::Beneficiary, &self.node.id, super::Commitment::wrap, PageArgs::new(ctx, after, before, first, last)?)
    }

    /// Tariff measures the country imposes, by id.
    async fn tariffs_imposed(
        &self,
        ctx: &async_graphql::Context<'_>,
        #[graphql(desc = "Items after this cursor.")] after: Option<String>,
        #[graphql(desc = "Items before this cursor.")] before: Option<String>,
        #[graphql(desc = "At most this many from the start (at most `max_page_size`, 100 by default; without `first` or `last`, `default_page_size`, 20 by default; `limits` has the values in force).")] first: Option<i32>,
        #[graphql(desc = "At most this many from the end (at most `max_page_size`, 100 by default).")] last: Option<i32>,
    ) -> async_graphql::Result<Page<TariffMeasure<'a>>> {
        referring_page(self.g, NodeKind::TariffMeasure, FilterField::Imposer, &self.node.id, TariffMeasure::wrap, PageArgs::new(ctx, after, before, first, last)?)
    }

    /// Tariff measures on the country's goods, by id.
    async fn tariffs_faced(
        &self,
        ctx: &async_graphql::Context<'_>,
        #[graphql(desc = "Items after this cursor.")] after: Option<String>,
        #[graphql(desc = "Items before this cursor.")] before: Option<String>,
        #[graphql(desc = "At most this many from the start (at most `max_page_size`, 100 by default; without `first` or `last`, `default_page_size`, 20 by default; `limits` has the values in force).")] first: Option<i32>,
        #[graphql(desc = "At most this many from the end (at most `max_page_size`, 100 by default).")] last: Option<i32>,
    ) -> async_graphql::Result<Page<TariffMeasure<'a>>> {
        referring_page(self.g, NodeKind::TariffMeasure, FilterField::Target, &self.node.id, TariffMeasure::wrap, PageArgs::new(ctx, after, before, first, last)?)
    }
    /// Demands made of the country, by id: what others ask of it (never counted as its pledges).
    async fn demands_received(
        &self,
        ctx: &async_graphql::Context<'_>,
        #[graphql(desc = "Items after this cursor.")] after: Option<String>,
        #[graphql(desc = "Items before this cursor.")] before: Option<String>,
        #[graphql(desc = "At most this many from the start (at most `max_page_size`, 100 by default; without `first` or `last`, `default_page_size`, 20 by default; `limits` has the values in force).")] first: Option<i32>,
        #[graphql(desc = "At most this many from the end (at most `max_page_size`, 100 by default).")] last: Option<i32>,
    ) -> async_graphql::Result<Page<super::Demand<'a>>> {
        referring_page(self.g, NodeKind::Demand, FilterField::DemandedOf, &self.node.id, super::Demand::wrap, PageArgs::new(ctx, after, before, first, last)?)
    }

    /// Demands the country made of others, by id.
    async fn demands_made(
        &self,
        ctx: &async_graphql::Context<'_>,
        #[graphql(desc = "Items after this cursor.")] after: Option<String>,
        #[graphql(desc = "Items before this cursor.")] before: Option<String>,
        #[graphql(desc = "At most this many from the start (at most `max_page_size`, 100 by default; without `first` or `last`, `default_page_size`, 20 by default; `limits` has the values in force).")] first: Option<i32>,
        #[graphql(desc = "At most this many from the end (at most `max_page_size`, 100 by default).")] last: Option<i32>,
    ) -> async_graphql::Result<Page<super::Demand<'a>>> {
        referring_page(self.g, NodeKind::Demand, FilterField::Demander, &self.node.id, super::Demand::wrap, PageArgs::new(ctx, after, before, first, last)?)
    }
});
wrap_fn!(Country, Country);

entity_object!(
    /// A person, usually an official, with the roles the sources give them.
    Person, model::Person, {
    /// The role held now, or on `asOf`.
    async fn role(&self, #[graphql(desc = "The date to answer for; today when omitted.")] as_of: Option<Date>) -> Option<Flat<RoleClaim<'a>>> {
        RoleClaim::current(self.g, &self.d.roles, as_of.map(|d| d.0))
    }

    /// Every role in history order; a role the source misstates only with `includeDeprecated`.
    async fn roles(&self, #[graphql(default, desc = "Include roles the source states wrongly.")] include_deprecated: bool) -> FlatList<RoleClaim<'a>> {
        RoleClaim::history(self.g, &self.d.roles, include_deprecated)
    }

    /// Statements the person made, by id.
    async fn statements(
        &self,
        ctx: &async_graphql::Context<'_>,
        #[graphql(desc = "Items after this cursor.")] after: Option<String>,
        #[graphql(desc = "Items before this cursor.")] before: Option<String>,
        #[graphql(desc = "At most this many from the start (at most `max_page_size`, 100 by default; without `first` or `last`, `default_page_size`, 20 by default; `limits` has the values in force).")] first: Option<i32>,
        #[graphql(desc = "At most this many from the end (at most `max_page_size`, 100 by default).")] last: Option<i32>,
    ) -> async_graphql::Result<Page<Statement<'a>>> {
        referring_page(self.g, NodeKind::Statement, FilterField::Speaker, &self.node.id, Statement::wrap, PageArgs::new(ctx, after, before, first, last)?)
    }

    /// Events the person took part in, by id.
    async fn events(
        &self,
        ctx: &async_graphql::Context<'_>,
        #[graphql(desc = "Items after this cursor.")] after: Option<String>,
        #[graphql(desc = "Items before this cursor.")] before: Option<String>,
        #[graphql(desc = "At most this many from the start (at most `max_page_size`, 100 by default; without `first` or `last`, `default_page_size`, 20 by default; `limits` has the values in force).")] first: Option<i32>,
        #[graphql(desc = "At most this many from the end (at most `max_page_size`, 100 by default).")] last: Option<i32>,
    ) -> async_graphql::Result<Page<Event<'a>>> {
        referring_page(self.g, NodeKind::Event, FilterField::Participant, &self.node.id, Event::wrap, PageArgs::new(ctx, after, before, first, last)?)
    }

    /// Bodies and delegations the person is a member of, by id.
    async fn member_of(&self) -> Vec<Organization<'a>> {
        all_of(self.g, self.g.related(&self.node.id, RelationKind::MemberOf, Direction::Outgoing), Organization::wrap)
    }
});
wrap_fn!(Person, Person);

entity_object!(
    /// A government body, company, media outlet, international body, party or delegation.
    Organization, model::Organization, {
    /// What kind of body it is.
    async fn organization_kind(&self) -> OrgKind {
        self.d.kind.into()
    }

    /// The country it belongs to or is based in.
    async fn country(&self) -> Option<Country<'a>> {
        one_of(self.g, self.d.country.as_ref(), Country::wrap)
    }

    /// The body it is part of.
    async fn parent(&self) -> Option<Organization<'a>> {
        one_of(self.g, self.d.parent.as_ref(), Organization::wrap)
    }

    /// Members and role holders, by id.
    async fn members(&self) -> Vec<Entity<'a>> {
        self.g.members_of(&self.node.id).into_iter().map(|n| crate::api::entity::entity(self.g, n)).collect()
    }
});
wrap_fn!(Organization, Organization);
