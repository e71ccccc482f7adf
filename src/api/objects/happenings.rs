//! Events and statements: who met, posted, announced or said what, when and where.

use super::{Deal, Organization, all_of, one_of, wrap_fn};
use crate::api::claims::{QuantityClaim, TextClaim};
use crate::api::entity::{Entity, entity_object, lookup, lookup_all};
use crate::api::enums::{EventKind, StatementKind};
use crate::api::flat::{Flat, FlatList};
use crate::api::values::When;
use crate::graph::Direction;
use crate::model::{self, RelationKind};

entity_object!(
    /// Something that happened, or is due, at a time.
    Event, model::Event, {
    /// What kind of happening.
    async fn event_kind(&self) -> EventKind {
        self.d.kind.into()
    }

    /// When, to the precision known.
    async fn date(&self) -> Option<When> {
        self.d.date.as_ref().map(Into::into)
    }

    /// How long it lasted.
    async fn duration(&self) -> Option<Flat<QuantityClaim<'a>>> {
        QuantityClaim::current(self.g, &self.d.duration, None)
    }

    /// Every claimed duration in history order.
    async fn duration_history(&self, #[graphql(default, desc = "Include values the source states wrongly.")] include_deprecated: bool) -> FlatList<QuantityClaim<'a>> {
        QuantityClaim::history(self.g, &self.d.duration, include_deprecated)
    }

    /// Who took part.
    async fn participants(&self) -> Vec<Entity<'a>> {
        lookup_all(self.g, &self.d.participants)
    }

    /// The body whose site or office hosted it.
    async fn venue(&self) -> Option<Organization<'a>> {
        one_of(self.g, self.d.venue.as_ref(), Organization::wrap)
    }

    /// The place, in words.
    async fn place(&self) -> Option<&str> {
        self.d.place.as_deref()
    }

    /// The deal it concerns.
    async fn deal(&self) -> Option<Deal<'a>> {
        one_of(self.g, self.d.deal.as_ref(), Deal::wrap)
    }

    /// The larger event it was part of.
    async fn part_of(&self) -> Option<Event<'a>> {
        one_of(self.g, self.d.part_of.as_ref(), Event::wrap)
    }

    /// What it is about, by id.
    async fn subjects(&self) -> Vec<Entity<'a>> {
        let nodes = self.g.related(&self.node.id, RelationKind::About, Direction::Outgoing);
        nodes.into_iter().map(|n| crate::api::entity::entity(self.g, n)).collect()
    }

    /// Statements made at it, by id.
    async fn statements(&self) -> Vec<Statement<'a>> {
        all_of(self.g, self.g.related(&self.node.id, RelationKind::MadeAt, Direction::Incoming), Statement::wrap)
    }
});
wrap_fn!(Event, Event);

entity_object!(
    /// Something someone said; the `description` summarises it in our own words.
    Statement, model::Statement, {
    /// What kind of utterance.
    async fn statement_kind(&self) -> StatementKind {
        self.d.kind.into()
    }

    /// Who said it; none for the source's own analysis.
    async fn speaker(&self) -> Option<Entity<'a>> {
        self.d.speaker.as_ref().and_then(|s| lookup(self.g, s))
    }

    /// Short verbatim phrases of the speaker.
    async fn quotes(&self) -> &[String] {
        &self.d.quotes
    }

    /// When, to the precision known.
    async fn date(&self) -> Option<When> {
        self.d.date.as_ref().map(Into::into)
    }

    /// The event at which it was said.
    async fn event(&self) -> Option<Event<'a>> {
        one_of(self.g, self.d.event.as_ref(), Event::wrap)
    }

    /// The body whose site it was said at.
    async fn venue(&self) -> Option<Organization<'a>> {
        one_of(self.g, self.d.venue.as_ref(), Organization::wrap)
    }

    /// What it is about.
    async fn subjects(&self) -> Vec<Entity<'a>> {
        lookup_all(self.g, &self.d.about)
    }

    /// Outlets that carried it.
    async fn reported_by(&self) -> Vec<Entity<'a>> {
        lookup_all(self.g, &self.d.reported_by)
    }

    /// Where the source gets something about it wrong or unclear.
    async fn caveat(&self) -> Option<&str> {
        self.d.caveat.as_deref()
    }

    /// Who the source says made it, in words, where its wording needs keeping: a wrong
    /// attribution is a deprecated claim (shown with `includeDeprecated`) beside its
    /// correction.
    async fn attributed_to(&self, #[graphql(default, desc = "Include attributions the source states wrongly.")] include_deprecated: bool) -> FlatList<TextClaim<'a>> {
        TextClaim::history(self.g, &self.d.attributed_to, include_deprecated)
    }
});
wrap_fn!(Statement, Statement);
