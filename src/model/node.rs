//! Nodes: the common part every entity has, and what each kind adds.

use super::{
    Amount, Attribution, ClaimSet, CommitmentKind, CommitmentStatus, DealStatus, DemandStatus,
    EntityId, EventKind, NodeKind, OrgKind, Percent, Period, Quantity, RateComponentKind,
    SourceKind, SourceRef, StatementKind, TariffStatus, When,
};

/// An entity of the graph: its id, names, description in our own words,
/// sources, and the facts of its kind.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Node {
    /// The stable readable id, which carries the kind.
    pub id: EntityId,
    /// The name to show.
    pub name: String,
    /// Other names, short names, titles, romanizations and metonyms
    /// (a capital for its government).
    #[serde(
        deserialize_with = "super::wire::exact_vec",
        default,
        skip_serializing_if = "Vec::is_empty"
    )]
    pub aliases: Vec<String>,
    /// A short description written in our own words.
    pub description: String,
    /// Where the entity is reported; never empty.
    #[serde(
        deserialize_with = "super::wire::exact_vec",
        default,
        skip_serializing_if = "Vec::is_empty"
    )]
    pub sources: Vec<SourceRef>,
    /// The facts of its kind.
    pub data: NodeData,
}

impl Node {
    /// The kind, from the id.
    pub fn kind(&self) -> NodeKind {
        self.id.kind()
    }
}

/// The facts that depend on a node's kind. The larger kinds are boxed, so that a node of
/// a small kind (a country, a person) takes no more room than its own facts, and a node
/// with its `Arc`'s counts fits jemalloc's class of 160 bytes: a project inline (48 bytes)
/// would take every node to the class of 192.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NodeData {
    /// See [`Country`].
    Country(Country),
    /// See [`Person`].
    Person(Person),
    /// See [`Organization`].
    Organization(Organization),
    /// See [`Deal`].
    Deal(Box<Deal>),
    /// See [`Commitment`].
    Commitment(Box<Commitment>),
    /// See [`Demand`].
    Demand(Box<Demand>),
    /// See [`TariffMeasure`].
    TariffMeasure(Box<TariffMeasure>),
    /// See [`Event`].
    Event(Box<Event>),
    /// See [`Statement`].
    Statement(Box<Statement>),
    /// See [`Project`].
    Project(Box<Project>),
    /// See [`Source`].
    Source(Box<Source>),
}

/// A country, or a bloc of countries such as the EU.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Country {
    /// ISO 3166 alpha-2 code (`JP`), or `EU` for the European Union.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// True for a bloc rather than a single state.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub bloc: bool,
}

/// A role a person holds in a body or a country.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Role {
    /// The title, such as "Commerce Secretary".
    pub title: String,
    /// The body or country the role is in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub org: Option<EntityId>,
}

/// A person, with the roles the sources give them.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Person {
    /// Roles over time; a role the source misstates is a deprecated claim.
    #[serde(default, skip_serializing_if = "ClaimSet::is_empty")]
    pub roles: ClaimSet<Role>,
}

/// An organization of any kind.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Organization {
    /// What kind of body it is.
    pub kind: OrgKind,
    /// The country it belongs to or is based in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<EntityId>,
    /// The body it is part of.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<EntityId>,
}

/// A deal, or the negotiation towards one.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Deal {
    /// The countries or bodies on each side.
    #[serde(
        deserialize_with = "super::wire::exact_vec",
        default,
        skip_serializing_if = "Vec::is_empty"
    )]
    pub parties: Vec<EntityId>,
    /// Where it stands, over time.
    #[serde(default, skip_serializing_if = "ClaimSet::is_empty")]
    pub status: ClaimSet<DealStatus>,
    /// When it was announced, where known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub announced: Option<When>,
    /// The date by which it must be concluded, where one is set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deadline: Option<When>,
}

/// A pledge: who promised what to whom, how much, how often, in exchange for what.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Commitment {
    /// What is promised.
    pub kind: CommitmentKind,
    /// Who promised it.
    pub pledger: EntityId,
    /// Who gains by it.
    #[serde(
        deserialize_with = "super::wire::exact_vec",
        default,
        skip_serializing_if = "Vec::is_empty"
    )]
    pub beneficiaries: Vec<EntityId>,
    /// Who supplies what is bought (a company selling aircraft).
    #[serde(
        deserialize_with = "super::wire::exact_vec",
        default,
        skip_serializing_if = "Vec::is_empty"
    )]
    pub suppliers: Vec<EntityId>,
    /// What is bought, invested in or imported, in words ("U.S. rice").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item: Option<String>,
    /// The deal it belongs to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deal: Option<EntityId>,
    /// The commitment it is part of: its amount is already counted there.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub part_of: Option<EntityId>,
    /// What it was given in exchange for (tariff measures, other commitments).
    #[serde(
        deserialize_with = "super::wire::exact_vec",
        default,
        skip_serializing_if = "Vec::is_empty"
    )]
    pub in_exchange_for: Vec<EntityId>,
    /// The demand of the other side it answers, where it answers one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answers: Option<EntityId>,
    /// One-off, annual or unspecified.
    pub period: Period,
    /// The pledged amount (or level), with its revisions.
    #[serde(default, skip_serializing_if = "ClaimSet::is_empty")]
    pub amount: ClaimSet<Amount>,
    /// The level before the pledge, for a pledge to raise a level.
    #[serde(default, skip_serializing_if = "ClaimSet::is_empty")]
    pub baseline: ClaimSet<Amount>,
    /// A ceiling the pledge stays within (a quota).
    #[serde(default, skip_serializing_if = "ClaimSet::is_empty")]
    pub limit: ClaimSet<Amount>,
    /// Where it stands, over time.
    #[serde(default, skip_serializing_if = "ClaimSet::is_empty")]
    pub status: ClaimSet<CommitmentStatus>,
}

impl Commitment {
    /// For a pledge to raise a level: the pledged level less the baseline,
    /// where both are money in one currency.
    pub fn increase(&self) -> Option<Amount> {
        let to = self.amount.current()?.value.money().copied()?;
        let from = self.baseline.current()?.value.money().copied()?;
        if to.currency != from.currency {
            return None;
        }
        crate::model::Money::new(to.amount - from.amount, to.currency)
            .ok()
            .map(Amount::Money)
    }
}

/// What one side asks of another: not a pledge. It implies "demands" and "demanded of"
/// relations, never "pledged"; when the party asked later pledges, the pledge says which
/// demand it answers.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Demand {
    /// Who demands it.
    pub demander: EntityId,
    /// Of whom it is demanded.
    #[serde(
        deserialize_with = "super::wire::exact_vec",
        default,
        skip_serializing_if = "Vec::is_empty"
    )]
    pub demanded_of: Vec<EntityId>,
    /// What is asked for, in words ("a package like Japan's").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item: Option<String>,
    /// The deal it concerns.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deal: Option<EntityId>,
    /// What meeting it would bring the party asked (a tariff it would avoid).
    #[serde(
        deserialize_with = "super::wire::exact_vec",
        default,
        skip_serializing_if = "Vec::is_empty"
    )]
    pub in_exchange_for: Vec<EntityId>,
    /// The date by which it is to be met, where one is set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deadline: Option<When>,
    /// By whose account it is a demand, where it is a reading of someone's words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attribution: Option<Box<Attribution>>,
    /// Where it stands, over time.
    #[serde(default, skip_serializing_if = "ClaimSet::is_empty")]
    pub status: ClaimSet<DemandStatus>,
}

/// One part of a tariff rate.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RateComponent {
    /// The part it plays.
    pub kind: RateComponentKind,
    /// In words ("most-favoured-nation rate on cars").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// Its rate in percentage points.
    pub percent: Percent,
}

/// A tariff rate: its total and, where known, the components that make it up.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rate {
    /// The total rate in percentage points.
    pub total: Percent,
    /// The components; when given, they sum to the total.
    #[serde(
        deserialize_with = "super::wire::exact_vec",
        default,
        skip_serializing_if = "Vec::is_empty"
    )]
    pub components: Vec<RateComponent>,
}

impl Rate {
    /// Why the components do not make the total, where they are given and do not.
    pub fn inconsistency(&self) -> Option<String> {
        if self.components.is_empty() {
            return None;
        }
        let sum: rust_decimal::Decimal = self.components.iter().map(|c| c.percent.points()).sum();
        (sum != self.total.points())
            .then(|| format!("components sum to {sum}%, but total is {}", self.total))
    }
}

/// A limit on the volume a tariff rate applies to.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VolumeLimit {
    /// The rate applies without any volume limit.
    Unlimited,
    /// The rate applies up to this quantity.
    Capped(Quantity),
}

/// A tariff imposed by one party on another's goods.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TariffMeasure {
    /// Who imposes it.
    pub imposer: EntityId,
    /// Whose goods it falls on.
    pub target: EntityId,
    /// The goods it covers, in words.
    pub scope: String,
    /// The deal that set or changed it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deal: Option<EntityId>,
    /// Where it stands, over time.
    #[serde(default, skip_serializing_if = "ClaimSet::is_empty")]
    pub status: ClaimSet<TariffStatus>,
    /// Its rate over time.
    #[serde(default, skip_serializing_if = "ClaimSet::is_empty")]
    pub rate: ClaimSet<Rate>,
    /// Any volume limit, over time.
    #[serde(default, skip_serializing_if = "ClaimSet::is_empty")]
    pub volume_limit: ClaimSet<VolumeLimit>,
}

/// Something that happened, or is due, at a time.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Event {
    /// What kind of happening.
    pub kind: EventKind,
    /// When, to the precision known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<When>,
    /// How long it lasted.
    #[serde(default, skip_serializing_if = "ClaimSet::is_empty")]
    pub duration: ClaimSet<Quantity>,
    /// Who took part.
    #[serde(
        deserialize_with = "super::wire::exact_vec",
        default,
        skip_serializing_if = "Vec::is_empty"
    )]
    pub participants: Vec<EntityId>,
    /// The body whose site or office hosted it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub venue: Option<EntityId>,
    /// The place, in words ("Washington, D.C.").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place: Option<String>,
    /// The deal it concerns.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deal: Option<EntityId>,
    /// The larger event it was part of.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub part_of: Option<EntityId>,
}

/// Something someone said, summarised in our own words (the node's description).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Statement {
    /// What kind of utterance.
    pub kind: StatementKind,
    /// Who said it; none for the source's own analysis.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speaker: Option<EntityId>,
    /// Short verbatim phrases of the speaker, kept as quotes.
    #[serde(
        deserialize_with = "super::wire::exact_vec",
        default,
        skip_serializing_if = "Vec::is_empty"
    )]
    pub quotes: Vec<String>,
    /// When, to the precision known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<When>,
    /// The event at which it was said.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event: Option<EntityId>,
    /// The body whose site it was said at.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub venue: Option<EntityId>,
    /// What it is about.
    #[serde(
        deserialize_with = "super::wire::exact_vec",
        default,
        skip_serializing_if = "Vec::is_empty"
    )]
    pub about: Vec<EntityId>,
    /// Outlets that carried it.
    #[serde(
        deserialize_with = "super::wire::exact_vec",
        default,
        skip_serializing_if = "Vec::is_empty"
    )]
    pub reported_by: Vec<EntityId>,
    /// Who the source says made it, in words, where its wording needs keeping: a wrong
    /// attribution stays as a deprecated claim beside its correction.
    #[serde(default, skip_serializing_if = "ClaimSet::is_empty")]
    pub attributed_to: ClaimSet<String>,
    /// Where the source gets something about it wrong or unclear.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub caveat: Option<String>,
}

/// A venture with a value and participants.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Project {
    /// What it is worth, over time.
    #[serde(default, skip_serializing_if = "ClaimSet::is_empty")]
    pub value: ClaimSet<Amount>,
    /// Where it is, in words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place: Option<String>,
}

/// A document facts come from, or a curator's note.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// A document or a curator note.
    pub kind: SourceKind,
    /// The title (from a document's headline).
    pub title: String,
    /// When it was published, where known or inferred.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<When>,
    /// Who published it; none when unknown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub publisher: Option<EntityId>,
    /// The file under the shared sources folder, for a document.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
}
