//! GraphQL enums mirroring the model's closed sets.

use async_graphql::Enum;

use crate::model;

/// The kind of an entity.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "model::NodeKind")]
pub enum NodeKind {
    /// A country, or a bloc such as the EU.
    Country,
    /// A person, usually an official.
    Person,
    /// A government body, company, media outlet, international body, party or delegation.
    Organization,
    /// A trade deal or a negotiation towards one.
    Deal,
    /// A pledge: who promised what to whom, in exchange for what.
    Commitment,
    /// What one side asks of another: not a pledge until the other side makes one.
    Demand,
    /// A tariff imposed, threatened, changed or suspended.
    TariffMeasure,
    /// Something that happened at a time.
    Event,
    /// Something someone said, summarised.
    Statement,
    /// A venture with a value and participants.
    Project,
    /// A document facts come from, or a curator's note.
    Source,
}

/// The kind of a relation between two entities.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "model::RelationKind")]
pub enum RelationKind {
    /// A person holds a role in a body or a country.
    HoldsRole,
    /// A body is based in or belongs to a country.
    BasedIn,
    /// Something is part of something larger.
    PartOf,
    /// A person or body is a member of a body or delegation.
    MemberOf,
    /// A party to a deal.
    PartyTo,
    /// Who made a pledge.
    Pledged,
    /// Who plans a commitment it has announced but not pledged (terms undisclosed).
    Plans,
    /// Who gains by a pledge.
    Benefits,
    /// What a pledge was given in exchange for.
    InExchangeFor,
    /// Who supplies what a pledge buys.
    Supplies,
    /// Who set or changed a value.
    Revised,
    /// Who imposes a tariff.
    Imposes,
    /// Whose goods a tariff falls on.
    Targets,
    /// Who took part in an event.
    Attended,
    /// Where an event or statement took place.
    HeldAt,
    /// Who said a statement.
    Said,
    /// The event a statement was made at.
    MadeAt,
    /// What a statement or event is about.
    About,
    /// An outlet that carried a statement or event.
    ReportedBy,
    /// Who published a source.
    PublishedBy,
    /// Who takes part in a project.
    ParticipatesIn,
    /// Who was asked to join a project, deal or event.
    InvitedTo,
    /// Rivals, by someone's account.
    RivalOf,
    /// Allies, by someone's account.
    AllyOf,
    /// Who puts pressure on whom.
    Pressures,
    /// Who makes a demand.
    Demands,
    /// Of whom a demand is made.
    DemandedOf,
    /// The demand a pledge answers.
    Answers,
}

/// Which edges of an entity to follow.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq, Default)]
#[graphql(remote = "crate::graph::Direction")]
pub enum Direction {
    /// Edges that start at the entity.
    Outgoing,
    /// Edges that end at the entity.
    Incoming,
    /// Both.
    #[default]
    Both,
}

/// How much of a date is known.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "model::DatePrecision")]
pub enum DatePrecision {
    /// Only the year.
    Year,
    /// The year and the month.
    Month,
    /// The exact day.
    Day,
}

/// How firmly the dates that decide an answer `asOf` a day are known.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "model::DateBasis")]
pub enum DateBasis {
    /// The source states them.
    Stated,
    /// At least one was inferred from context.
    Inferred,
    /// The day falls inside a range a date is known only as (when a value took effect, say):
    /// the answer is the value before the change, which may already have happened.
    Unknown,
}

/// How a claim stands among the claims about one value.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "model::Rank")]
pub enum Rank {
    /// The value to show now.
    Preferred,
    /// A value that held or holds, such as one later superseded.
    Normal,
    /// A value the source states wrongly: hidden unless `includeDeprecated` is true.
    Deprecated,
}

/// What kind of body an organization is.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "model::OrgKind")]
pub enum OrgKind {
    /// A ministry, department, office or agency of a government.
    GovernmentBody,
    /// A company.
    Company,
    /// A newspaper, broadcaster or news service.
    MediaOutlet,
    /// A body whose members are states.
    InternationalOrganization,
    /// A political party.
    Party,
    /// A group sent to negotiate on a government's behalf.
    Delegation,
}

/// Where a deal stands.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "model::DealStatus")]
pub enum DealStatus {
    /// Talks are under way; nothing is agreed.
    UnderNegotiation,
    /// The parties have agreed and announced terms.
    Agreed,
    /// Signed into a formal text.
    Signed,
    /// In force.
    InForce,
    /// Talks broke down.
    Collapsed,
}

/// What a commitment promises.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "model::CommitmentKind")]
pub enum CommitmentKind {
    /// Capital to be invested.
    Investment,
    /// Goods to be bought.
    Purchase,
    /// Procurement by a government, such as defense equipment.
    Procurement,
    /// More imports of a product.
    ImportIncrease,
    /// Taking part in a project or venture.
    Participation,
    /// Opening a market.
    MarketAccess,
    /// Concessions not yet itemised, such as those one side demands of another.
    Concessions,
}

/// Where a commitment stands.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "model::CommitmentStatus")]
pub enum CommitmentStatus {
    /// Asked for by the other side, not promised.
    #[graphql(
        deprecation = "What one side asks of another is a `Demand`, never a commitment: no commitment has this status."
    )]
    Demanded,
    /// Put on the table, not yet agreed.
    Offered,
    /// Promised as part of an agreement.
    Pledged,
    /// Announced as intended, with terms not yet disclosed.
    Planned,
    /// Carried out.
    Fulfilled,
    /// Taken back.
    Withdrawn,
}

/// Where a demand stands.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "model::DemandStatus")]
pub enum DemandStatus {
    /// Made, and neither met nor dropped.
    Open,
    /// Met by a pledge of the party asked.
    Met,
    /// Refused by the party asked.
    Refused,
    /// Dropped by the side that made it.
    Withdrawn,
}

/// How often an amount recurs.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "model::Period")]
pub enum Period {
    /// Once, in total.
    OneOff,
    /// Every year.
    Annual,
    /// In total, fulfilled over a span of time the source does not give: neither a lump
    /// sum nor a yearly figure.
    OverTime,
    /// The source does not say.
    Unspecified,
}

/// Where a tariff measure stands.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "model::TariffStatus")]
pub enum TariffStatus {
    /// Threatened if a condition is not met.
    Threatened,
    /// Announced, not yet applied.
    Announced,
    /// Applied.
    InForce,
    /// Suspended.
    Suspended,
}

/// The part a component plays in a tariff rate.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "model::RateComponentKind")]
pub enum RateComponentKind {
    /// The ordinary (most-favoured-nation) rate.
    Base,
    /// An extra rate on a particular item, such as cars.
    ItemSpecific,
    /// A reciprocal rate set against a country.
    Reciprocal,
    /// A single all-inclusive rate that replaces the others.
    Flat,
}

/// What kind of happening an event is.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "model::EventKind")]
pub enum EventKind {
    /// Negotiating rounds.
    Talks,
    /// A meeting between named people.
    Meeting,
    /// Interviews given to the media.
    Interview,
    /// A post on social media.
    Post,
    /// A formal announcement.
    Announcement,
    /// A date by which something must happen.
    Deadline,
    /// Public remarks at a site or occasion.
    Remarks,
    /// A party or campaign gathering.
    PoliticalEvent,
}

/// What kind of utterance a statement is.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "model::StatementKind")]
pub enum StatementKind {
    /// Something said in an interview or in passing.
    Remark,
    /// An assertion of fact by the speaker.
    Claim,
    /// A formal announcement.
    Announcement,
    /// The source's own analysis or interpretation.
    Analysis,
    /// A warning.
    Warning,
}

/// What a source is.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "model::SourceKind")]
pub enum SourceKind {
    /// A document such as a news article.
    Document,
    /// A curator's note recording a correction the document does not make.
    Curator,
}

/// The unit of a quantity.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "model::Unit")]
pub enum Unit {
    /// Metric tons (tonnes).
    MetricTons,
    /// Aircraft, counted.
    Aircraft,
    /// Minutes of time.
    Minutes,
    /// Days of time.
    Days,
    /// Items, counted.
    Items,
}

/// How a search query matched.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "crate::graph::MatchKind")]
pub enum MatchKind {
    /// The whole query is the entity's name.
    ExactName,
    /// The whole query is one of its aliases.
    ExactAlias,
    /// Every query word is a word of one of its texts.
    Token,
    /// Every query word begins a word of one of its texts.
    Prefix,
    /// Some query word matched with up to two typos.
    Fuzzy,
}

/// Which text of an entity a search matched.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "crate::graph::Field")]
pub enum MatchedField {
    /// The name.
    Name,
    /// An alias.
    Alias,
    /// The description, summary or quotes.
    Text,
}

/// The direction of an ordering.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OrderDirection {
    /// Smallest first.
    #[default]
    Asc,
    /// Largest first.
    Desc,
}

/// A value of an entity that holds claims.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "model::ClaimField")]
pub enum ClaimField {
    /// A person's roles.
    Roles,
    /// A deal's status.
    DealStatus,
    /// A commitment's amount.
    Amount,
    /// A commitment's baseline.
    Baseline,
    /// A commitment's limit.
    Limit,
    /// A commitment's status.
    CommitmentStatus,
    /// A demand's status.
    DemandStatus,
    /// A tariff's status.
    TariffStatus,
    /// A tariff's rate.
    Rate,
    /// A tariff's volume limit.
    VolumeLimit,
    /// An event's duration.
    Duration,
    /// Who a statement is attributed to, in words.
    AttributedTo,
    /// A project's value.
    Value,
}

/// A list argument of kinds in the graph's terms: none when the argument is omitted (every
/// kind), the list as given otherwise, so that an empty list admits no kind.
pub(crate) fn kinds<A: Into<B>, B>(list: Option<Vec<A>>) -> Option<Vec<B>> {
    list.map(|list| list.into_iter().map(Into::into).collect())
}
