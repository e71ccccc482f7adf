//! The inputs that create an entity, one per kind: the fields every entity has, then the
//! kind's own. Values that hold claims (amounts, rates, statuses, roles) are added with
//! `addClaim`, in the same `applyChanges` batch when they must arrive together.

use async_graphql::{ID, InputObject, OneofObject};

use super::enums::{CommitmentKind, EventKind, OrgKind, Period, SourceKind, StatementKind};
use super::inputs::{
    Checked, CitationInput, WhenInput, bad, citations, entity_ids, optional_id, optional_when,
};
use crate::app::Document;
use crate::model::{self, EntityId, Node, NodeData, NodeKind};

/// The fields every new entity has.
#[derive(InputObject, Clone, Debug)]
pub struct EntityFieldsInput {
    /// The new entity's id, `kind:slug` (`country:kr`); its kind must be the input's.
    pub id: ID,
    /// The name to show.
    pub name: String,
    /// Other names, short names, titles and romanizations.
    #[graphql(default)]
    pub aliases: Vec<String>,
    /// A short description in your own words.
    pub description: String,
    /// Where the entity is reported; at least one.
    pub sources: Vec<CitationInput>,
}

impl EntityFieldsInput {
    fn node(&self, field: &str, kind: NodeKind, data: NodeData) -> Checked<Node> {
        let id =
            EntityId::parse_of(&self.id, &[kind]).map_err(|e| bad(&format!("{field}.id"), e))?;
        if self.name.trim().is_empty() {
            return Err(bad(&format!("{field}.name"), "an entity needs a name"));
        }
        Ok(Node {
            id,
            name: self.name.clone(),
            aliases: self.aliases.clone(),
            description: self.description.clone(),
            sources: citations(&format!("{field}.sources"), &self.sources)?,
            data,
        })
    }
}

/// A new country, or a bloc of countries.
#[derive(InputObject, Clone, Debug)]
pub struct CountryInput {
    #[graphql(flatten)]
    pub entity: EntityFieldsInput,
    /// ISO 3166 alpha-2 code (`JP`), or `EU`.
    pub code: Option<String>,
    /// True for a bloc rather than a single state.
    #[graphql(default)]
    pub bloc: bool,
}

/// A new person; roles are claims, added with `addClaim`.
#[derive(InputObject, Clone, Debug)]
pub struct PersonInput {
    #[graphql(flatten)]
    pub entity: EntityFieldsInput,
}

/// A new organization.
#[derive(InputObject, Clone, Debug)]
pub struct OrganizationInput {
    #[graphql(flatten)]
    pub entity: EntityFieldsInput,
    /// What kind of body it is.
    pub kind: OrgKind,
    /// The country it belongs to or is based in.
    pub country: Option<ID>,
    /// The body it is part of.
    pub parent: Option<ID>,
}

/// A new deal, or negotiation towards one; its status is a claim.
#[derive(InputObject, Clone, Debug)]
pub struct DealInput {
    #[graphql(flatten)]
    pub entity: EntityFieldsInput,
    /// The countries or bodies on each side.
    #[graphql(default)]
    pub parties: Vec<ID>,
    /// When it was announced.
    pub announced: Option<WhenInput>,
    /// The date by which it must be concluded.
    pub deadline: Option<WhenInput>,
}

/// A new commitment; its amount, baseline, limit and status are claims.
#[derive(InputObject, Clone, Debug)]
pub struct CommitmentInput {
    #[graphql(flatten)]
    pub entity: EntityFieldsInput,
    /// What is promised.
    pub kind: CommitmentKind,
    /// Who promised it.
    pub pledger: ID,
    /// Who gains by it.
    #[graphql(default)]
    pub beneficiaries: Vec<ID>,
    /// Who supplies what is bought.
    #[graphql(default)]
    pub suppliers: Vec<ID>,
    /// What is bought, invested in or imported, in words.
    pub item: Option<String>,
    /// The deal it belongs to.
    pub deal: Option<ID>,
    /// The commitment it is part of.
    pub part_of: Option<ID>,
    /// What it was given in exchange for.
    #[graphql(default)]
    pub in_exchange_for: Vec<ID>,
    /// The demand it answers.
    pub answers: Option<ID>,
    /// One-off, annual or unspecified.
    pub period: Period,
}

/// A new demand of one side on another; its status is a claim.
#[derive(InputObject, Clone, Debug)]
pub struct DemandInput {
    #[graphql(flatten)]
    pub entity: EntityFieldsInput,
    /// Who demands it.
    pub demander: ID,
    /// Of whom it is demanded.
    #[graphql(default)]
    pub demanded_of: Vec<ID>,
    /// What is asked for, in words.
    pub item: Option<String>,
    /// The deal it concerns.
    pub deal: Option<ID>,
    /// What meeting it would bring the party asked.
    #[graphql(default)]
    pub in_exchange_for: Vec<ID>,
    /// The date by which it is to be met.
    pub deadline: Option<WhenInput>,
}

/// A new tariff measure; its status, rate and volume limit are claims.
#[derive(InputObject, Clone, Debug)]
pub struct TariffMeasureInput {
    #[graphql(flatten)]
    pub entity: EntityFieldsInput,
    /// Who imposes it.
    pub imposer: ID,
    /// Whose goods it falls on.
    pub target: ID,
    /// The goods it covers, in words.
    pub scope: String,
    /// The deal that set or changed it.
    pub deal: Option<ID>,
}

/// A new event; its duration is a claim.
#[derive(InputObject, Clone, Debug)]
pub struct EventInput {
    #[graphql(flatten)]
    pub entity: EntityFieldsInput,
    /// What kind of happening.
    pub kind: EventKind,
    /// When.
    pub date: Option<WhenInput>,
    /// Who took part.
    #[graphql(default)]
    pub participants: Vec<ID>,
    /// The body whose site hosted it.
    pub venue: Option<ID>,
    /// The place, in words.
    pub place: Option<String>,
    /// The deal it concerns.
    pub deal: Option<ID>,
    /// The larger event it was part of.
    pub part_of: Option<ID>,
}

/// A new statement, summarised in your own words in `description`.
#[derive(InputObject, Clone, Debug)]
pub struct StatementInput {
    #[graphql(flatten)]
    pub entity: EntityFieldsInput,
    /// What kind of utterance.
    pub kind: StatementKind,
    /// Who said it; none for a source's own analysis.
    pub speaker: Option<ID>,
    /// Short verbatim phrases of the speaker.
    #[graphql(default)]
    pub quotes: Vec<String>,
    /// When.
    pub date: Option<WhenInput>,
    /// The event at which it was said.
    pub event: Option<ID>,
    /// The body whose site it was said at.
    pub venue: Option<ID>,
    /// What it is about.
    #[graphql(default)]
    pub about: Vec<ID>,
    /// Outlets that carried it.
    #[graphql(default)]
    pub reported_by: Vec<ID>,
    /// Where the source gets something about it wrong or unclear.
    pub caveat: Option<String>,
}

/// A new project; its value is a claim.
#[derive(InputObject, Clone, Debug)]
pub struct ProjectInput {
    #[graphql(flatten)]
    pub entity: EntityFieldsInput,
    /// Where it is, in words.
    pub place: Option<String>,
}

/// A new source: a document (its text file in the sources directory) or a curator's note.
#[derive(InputObject, Clone, Debug)]
pub struct SourceInput {
    #[graphql(flatten)]
    pub entity: EntityFieldsInput,
    /// A document or a curator's note.
    pub kind: SourceKind,
    /// The title (a document's headline).
    pub title: String,
    /// When it was published.
    pub published: Option<WhenInput>,
    /// Who published it.
    pub publisher: Option<ID>,
    /// The document's file in the sources directory: a plain file name (no `/`, no `..`).
    pub file: Option<String>,
    /// The document's whole text, for a new document: kept in the change log with the
    /// write and written to `file` in the sources directory, so that `text` and
    /// `Citation.text` answer and citations of the source may name only its lines. A
    /// document needs a `file`; at most `max_body_bytes` (1 MiB by default) long, as the
    /// request is. Refused if a different text is already kept under `file`; the same
    /// text again is accepted.
    pub text: Option<String>,
}

/// A new entity of one kind: exactly one of these.
#[derive(OneofObject, Clone, Debug)]
pub enum EntityInput {
    /// A country or bloc.
    Country(CountryInput),
    /// A person.
    Person(PersonInput),
    /// An organization.
    Organization(OrganizationInput),
    /// A deal.
    Deal(DealInput),
    /// A commitment.
    Commitment(CommitmentInput),
    /// A demand.
    Demand(DemandInput),
    /// A tariff measure.
    TariffMeasure(TariffMeasureInput),
    /// An event.
    Event(EventInput),
    /// A statement.
    Statement(StatementInput),
    /// A project.
    Project(ProjectInput),
    /// A source.
    Source(SourceInput),
}

impl EntityInput {
    /// The text of a new document source, with its file; `field` names the input in an
    /// error.
    pub(super) fn document(&self, field: &str) -> Checked<Option<Document>> {
        let Self::Source(s) = self else {
            return Ok(None);
        };
        let Some(text) = &s.text else {
            return Ok(None);
        };
        let at = format!("{field}.source.text");
        if s.kind != SourceKind::Document {
            return Err(bad(
                &at,
                "only a document has a text; a curator note has none",
            ));
        }
        let Some(file) = &s.file else {
            return Err(bad(&at, "give the document's `file` with its text"));
        };
        Ok(Some(Document {
            file: file.clone(),
            text: text.clone(),
        }))
    }

    /// The node it creates; `field` names the input in an error.
    pub(super) fn model(&self, field: &str) -> Checked<Node> {
        let kind = match self {
            Self::Country(_) => "country",
            Self::Person(_) => "person",
            Self::Organization(_) => "organization",
            Self::Deal(_) => "deal",
            Self::Commitment(_) => "commitment",
            Self::Demand(_) => "demand",
            Self::TariffMeasure(_) => "tariffMeasure",
            Self::Event(_) => "event",
            Self::Statement(_) => "statement",
            Self::Project(_) => "project",
            Self::Source(_) => "source",
        };
        let field = &format!("{field}.{kind}");
        let at = |name: &str| format!("{field}.{name}");
        let ids = |name: &str, ids: &[ID]| entity_ids(&at(name), ids);
        let id = |name: &str, id: &Option<ID>| optional_id(&at(name), id);
        let when = |name: &str, when: &Option<WhenInput>| optional_when(&at(name), when);
        let (entity, kind, data) = match self {
            Self::Country(c) => (
                &c.entity,
                NodeKind::Country,
                NodeData::Country(model::Country {
                    code: c.code.clone(),
                    bloc: c.bloc,
                }),
            ),
            Self::Person(p) => (
                &p.entity,
                NodeKind::Person,
                NodeData::Person(model::Person::default()),
            ),
            Self::Organization(o) => (
                &o.entity,
                NodeKind::Organization,
                NodeData::Organization(model::Organization {
                    kind: o.kind.into(),
                    country: id("country", &o.country)?,
                    parent: id("parent", &o.parent)?,
                }),
            ),
            Self::Deal(d) => (
                &d.entity,
                NodeKind::Deal,
                NodeData::Deal(Box::new(model::Deal {
                    parties: ids("parties", &d.parties)?,
                    status: Default::default(),
                    announced: when("announced", &d.announced)?,
                    deadline: when("deadline", &d.deadline)?,
                })),
            ),
            Self::Commitment(c) => (
                &c.entity,
                NodeKind::Commitment,
                NodeData::Commitment(Box::new(model::Commitment {
                    kind: c.kind.into(),
                    pledger: super::inputs::entity_id(&at("pledger"), &c.pledger)?,
                    beneficiaries: ids("beneficiaries", &c.beneficiaries)?,
                    suppliers: ids("suppliers", &c.suppliers)?,
                    item: c.item.clone(),
                    deal: id("deal", &c.deal)?,
                    part_of: id("partOf", &c.part_of)?,
                    in_exchange_for: ids("inExchangeFor", &c.in_exchange_for)?,
                    answers: id("answers", &c.answers)?,
                    period: c.period.into(),
                    amount: Default::default(),
                    baseline: Default::default(),
                    limit: Default::default(),
                    status: Default::default(),
                })),
            ),
            Self::Demand(d) => (
                &d.entity,
                NodeKind::Demand,
                NodeData::Demand(Box::new(model::Demand {
                    demander: super::inputs::entity_id(&at("demander"), &d.demander)?,
                    demanded_of: ids("demandedOf", &d.demanded_of)?,
                    item: d.item.clone(),
                    deal: id("deal", &d.deal)?,
                    in_exchange_for: ids("inExchangeFor", &d.in_exchange_for)?,
                    deadline: when("deadline", &d.deadline)?,
                    attribution: None,
                    status: Default::default(),
                })),
            ),
            Self::TariffMeasure(t) => (
                &t.entity,
                NodeKind::TariffMeasure,
                NodeData::TariffMeasure(Box::new(model::TariffMeasure {
                    imposer: super::inputs::entity_id(&at("imposer"), &t.imposer)?,
                    target: super::inputs::entity_id(&at("target"), &t.target)?,
                    scope: t.scope.clone(),
                    deal: id("deal", &t.deal)?,
                    status: Default::default(),
                    rate: Default::default(),
                    volume_limit: Default::default(),
                })),
            ),
            Self::Event(e) => (
                &e.entity,
                NodeKind::Event,
                NodeData::Event(Box::new(model::Event {
                    kind: e.kind.into(),
                    date: when("date", &e.date)?,
                    duration: Default::default(),
                    participants: ids("participants", &e.participants)?,
                    venue: id("venue", &e.venue)?,
                    place: e.place.clone(),
                    deal: id("deal", &e.deal)?,
                    part_of: id("partOf", &e.part_of)?,
                })),
            ),
            Self::Statement(s) => (
                &s.entity,
                NodeKind::Statement,
                NodeData::Statement(Box::new(model::Statement {
                    kind: s.kind.into(),
                    speaker: id("speaker", &s.speaker)?,
                    quotes: s.quotes.clone(),
                    date: when("date", &s.date)?,
                    event: id("event", &s.event)?,
                    venue: id("venue", &s.venue)?,
                    about: ids("about", &s.about)?,
                    reported_by: ids("reportedBy", &s.reported_by)?,
                    attributed_to: Default::default(),
                    caveat: s.caveat.clone(),
                })),
            ),
            Self::Project(p) => (
                &p.entity,
                NodeKind::Project,
                NodeData::Project(Box::new(model::Project {
                    value: Default::default(),
                    place: p.place.clone(),
                })),
            ),
            Self::Source(s) => (
                &s.entity,
                NodeKind::Source,
                NodeData::Source(Box::new(model::Source {
                    kind: s.kind.into(),
                    title: s.title.clone(),
                    published: when("published", &s.published)?,
                    publisher: id("publisher", &s.publisher)?,
                    file: s
                        .file
                        .as_deref()
                        .map(|f| model::check_file_name(f).map(|()| f.to_string()))
                        .transpose()
                        .map_err(|e| bad(&at("file"), e))?,
                })),
            ),
        };
        entity.node(field, kind, data)
    }
}
