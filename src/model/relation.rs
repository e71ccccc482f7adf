//! Typed relations between nodes, which kinds each may join, and the
//! relations a node's own fields imply.

use super::{Attribution, EntityId, Node, NodeData, NodeKind, SourceRef, When, string_enum};
use super::{ModelError, NodeKind as K};

string_enum! {
    /// The kind of a relation (an edge of the graph).
    pub enum RelationKind {
        /// A person holds a role in a body or a country.
        HoldsRole = "holds-role",
        /// A body is based in or belongs to a country.
        BasedIn = "based-in",
        /// Something is part of something larger.
        PartOf = "part-of",
        /// A person or body is a member of a body or delegation.
        MemberOf = "member-of",
        /// A party to a deal.
        PartyTo = "party-to",
        /// Who made a pledge.
        Pledged = "pledged",
        /// Who plans a commitment it has announced but not pledged (terms undisclosed).
        Plans = "plans",
        /// Who gains by a pledge.
        Benefits = "benefits",
        /// What a pledge was given in exchange for.
        InExchangeFor = "in-exchange-for",
        /// Who supplies what a pledge buys.
        Supplies = "supplies",
        /// Who set or changed a value.
        Revised = "revised",
        /// Who imposes a tariff.
        Imposes = "imposes",
        /// Whose goods a tariff falls on.
        Targets = "targets",
        /// Who took part in an event.
        Attended = "attended",
        /// Where an event or statement took place.
        HeldAt = "held-at",
        /// Who said a statement.
        Said = "said",
        /// The event a statement was made at.
        MadeAt = "made-at",
        /// What a statement or event is about.
        About = "about",
        /// An outlet or source that carried a statement or event.
        ReportedBy = "reported-by",
        /// Who published a source.
        PublishedBy = "published-by",
        /// Who takes part in a project.
        ParticipatesIn = "participates-in",
        /// Who was asked to join a project, deal or event.
        InvitedTo = "invited-to",
        /// Rivals, by someone's account.
        RivalOf = "rival-of",
        /// Allies, by someone's account.
        AllyOf = "ally-of",
        /// Who puts pressure on whom.
        Pressures = "pressures",
        /// Who makes a demand.
        Demands = "demands",
        /// Of whom a demand is made.
        DemandedOf = "demanded-of",
        /// The demand a pledge answers.
        Answers = "answers",
    }
}

const ACTORS: &[NodeKind] = &[K::Country, K::Person, K::Organization];
const ALL: &[NodeKind] = NodeKind::ALL;

impl RelationKind {
    /// The kinds a relation may start from and end at.
    pub fn endpoints(self) -> (&'static [NodeKind], &'static [NodeKind]) {
        use RelationKind as R;
        match self {
            R::HoldsRole => (&[K::Person], &[K::Organization, K::Country]),
            R::BasedIn => (&[K::Organization], &[K::Country]),
            R::PartOf => (
                &[
                    K::Organization,
                    K::Commitment,
                    K::TariffMeasure,
                    K::Event,
                    K::Deal,
                    K::Project,
                ],
                &[
                    K::Organization,
                    K::Country,
                    K::Commitment,
                    K::Deal,
                    K::Event,
                    K::Project,
                ],
            ),
            R::MemberOf => (ACTORS, &[K::Organization]),
            R::PartyTo => (&[K::Country, K::Organization], &[K::Deal]),
            R::Pledged | R::Plans => (ACTORS, &[K::Commitment]),
            R::Benefits => (&[K::Commitment], ACTORS),
            R::InExchangeFor => (
                &[K::Commitment, K::Demand],
                &[K::TariffMeasure, K::Commitment],
            ),
            R::Supplies => (&[K::Organization], &[K::Commitment, K::Project]),
            R::Revised => (
                ACTORS,
                &[K::Commitment, K::TariffMeasure, K::Deal, K::Project],
            ),
            R::Imposes => (&[K::Country, K::Organization], &[K::TariffMeasure]),
            R::Targets => (&[K::TariffMeasure], &[K::Country, K::Organization]),
            R::Attended => (ACTORS, &[K::Event]),
            R::HeldAt => (&[K::Event, K::Statement], &[K::Organization]),
            R::Said => (ACTORS, &[K::Statement]),
            R::MadeAt => (&[K::Statement], &[K::Event]),
            R::About => (&[K::Statement, K::Event, K::Demand], ALL),
            R::ReportedBy => (&[K::Statement, K::Event], &[K::Organization]),
            R::PublishedBy => (&[K::Source], &[K::Organization]),
            R::ParticipatesIn => (&[K::Country, K::Organization], &[K::Project]),
            R::InvitedTo => (ACTORS, &[K::Project, K::Deal, K::Event]),
            R::RivalOf => (ACTORS, ACTORS),
            R::AllyOf => (&[K::Country], &[K::Country]),
            R::Pressures => (ACTORS, &[K::Country, K::Organization, K::Person]),
            R::Demands => (ACTORS, &[K::Demand]),
            R::DemandedOf => (&[K::Demand], ACTORS),
            R::Answers => (&[K::Commitment], &[K::Demand]),
        }
    }

    /// True for relations that read the same both ways (rivals, allies).
    pub fn is_symmetric(self) -> bool {
        matches!(self, RelationKind::RivalOf | RelationKind::AllyOf)
    }

    /// Checks that the relation may join these two kinds.
    pub fn check(self, from: NodeKind, to: NodeKind) -> Result<(), ModelError> {
        let (froms, tos) = self.endpoints();
        if froms.contains(&from) && tos.contains(&to) {
            return Ok(());
        }
        let names = |ks: &[NodeKind]| {
            ks.iter()
                .map(|k| k.type_name())
                .collect::<Vec<_>>()
                .join("/")
        };
        Err(ModelError::RelationNotAllowed {
            kind: self.as_str(),
            from: from.type_name(),
            to: to.type_name(),
            allowed_from: names(froms),
            allowed_to: names(tos),
        })
    }
}

/// A typed, sourced edge between two nodes.
///
/// What every relation has is kept inline; what only some have (a key, a label, dates,
/// an attribution, a note) is kept together out of line, so that a relation without them,
/// as most implied ones are, takes 40 bytes and no allocation of its own beyond its
/// sources. On the wire the two are one flat object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Relation {
    /// The kind.
    pub kind: RelationKind,
    /// Where it starts.
    pub from: EntityId,
    /// Where it ends.
    pub to: EntityId,
    /// Where it comes from; never empty. Shared rather than a list: a relation's sources are
    /// set whole, the relations one node implies share the node's, and the room saved fits
    /// a stored relation in a smaller allocation.
    pub sources: SharedSources,
    /// The rest, where any of it is set; never an empty box.
    details: Option<Box<RelationDetails>>,
}

/// What only some relations have.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RelationDetails {
    /// A discriminator the data names (a claim's key, a `key` in the seed), where two
    /// relations of one kind may join the same pair; part of the relation's id.
    pub key: Option<Box<str>>,
    /// A short label, such as a role's title.
    pub label: Option<Box<str>>,
    /// When it began to hold.
    pub valid_from: Option<Box<When>>,
    /// When it stopped holding.
    pub valid_until: Option<Box<When>>,
    /// By whose account it holds.
    pub attribution: Option<Box<Attribution>>,
    /// Anything doubtful about it.
    pub note: Option<Box<str>>,
}

impl RelationDetails {
    /// The details as a relation keeps them: boxed, or none when all are empty.
    fn kept(self) -> Option<Box<Self>> {
        (self != RelationDetails::default()).then(|| Box::new(self))
    }
}

impl Relation {
    /// A relation with no details.
    pub fn new(kind: RelationKind, from: EntityId, to: EntityId, sources: SharedSources) -> Self {
        Relation {
            kind,
            from,
            to,
            sources,
            details: None,
        }
    }

    /// The same relation with these details (none kept when all are empty).
    pub fn with_details(mut self, details: RelationDetails) -> Self {
        self.details = details.kept();
        self
    }

    /// Changes the details in place, keeping none when the change leaves them empty.
    pub fn edit_details(&mut self, edit: impl FnOnce(&mut RelationDetails)) {
        let mut details = self.details.take().map(|d| *d).unwrap_or_default();
        edit(&mut details);
        self.details = details.kept();
    }

    /// The details, where any is set.
    pub fn details(&self) -> Option<&RelationDetails> {
        self.details.as_deref()
    }

    /// A discriminator the data names, where two relations of one kind may join the same
    /// pair; part of the relation's id.
    pub fn key(&self) -> Option<&str> {
        self.details()?.key.as_deref()
    }

    /// A short label, such as a role's title.
    pub fn label(&self) -> Option<&str> {
        self.details()?.label.as_deref()
    }

    /// When it began to hold.
    pub fn valid_from(&self) -> Option<&When> {
        self.details()?.valid_from.as_deref()
    }

    /// When it stopped holding.
    pub fn valid_until(&self) -> Option<&When> {
        self.details()?.valid_until.as_deref()
    }

    /// By whose account it holds.
    pub fn attribution(&self) -> Option<&Attribution> {
        self.details()?.attribution.as_deref()
    }

    /// Anything doubtful about it.
    pub fn note(&self) -> Option<&str> {
        self.details()?.note.as_deref()
    }

    /// The relation's id, from what it is: `from|kind|to`, then `#key` where the data
    /// names a discriminator. Never from the order anything was loaded in.
    ///
    /// Written into one string of the right size: an answer may ask it of every edge.
    pub fn id(&self) -> String {
        let parts = self.id_parts();
        let mut id = String::with_capacity(parts.iter().map(|p| p.len()).sum());
        id.extend(parts);
        id
    }

    /// The pieces of [`Relation::id`], in order, for a writer to put together: the last
    /// two are empty where the relation has no key.
    pub fn id_parts(&self) -> [&str; 7] {
        let (hash, key) = self.key().map_or(("", ""), |key| ("#", key));
        [
            self.from.as_str(),
            "|",
            self.kind.as_str(),
            "|",
            self.to.as_str(),
            hash,
            key,
        ]
    }

    fn implied(
        kind: RelationKind,
        from: &EntityId,
        to: &EntityId,
        sources: &SharedSources,
    ) -> Self {
        Relation::new(kind, from.clone(), to.clone(), sources.clone())
    }
}

/// A relation as it is written: one flat object.
mod wire {
    use super::{Attribution, EntityId, Relation, RelationDetails, RelationKind, SourceRef, When};

    #[derive(serde::Serialize)]
    struct Out<'a> {
        kind: RelationKind,
        from: &'a EntityId,
        to: &'a EntityId,
        #[serde(skip_serializing_if = "Option::is_none")]
        key: Option<&'a str>,
        #[serde(skip_serializing_if = "Option::is_none")]
        label: Option<&'a str>,
        #[serde(skip_serializing_if = "Option::is_none")]
        valid_from: Option<&'a When>,
        #[serde(skip_serializing_if = "Option::is_none")]
        valid_until: Option<&'a When>,
        #[serde(skip_serializing_if = "Option::is_none")]
        attribution: Option<&'a Attribution>,
        #[serde(skip_serializing_if = "<[SourceRef]>::is_empty")]
        sources: &'a [SourceRef],
        #[serde(skip_serializing_if = "Option::is_none")]
        note: Option<&'a str>,
    }

    #[derive(serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct In {
        kind: RelationKind,
        // The graph swaps the ends for its nodes' own ids as it takes a relation in.
        #[serde(deserialize_with = "super::super::id::deserialize_unshared")]
        from: EntityId,
        #[serde(deserialize_with = "super::super::id::deserialize_unshared")]
        to: EntityId,
        #[serde(default)]
        key: Option<Box<str>>,
        #[serde(default)]
        label: Option<Box<str>>,
        #[serde(default)]
        valid_from: Option<Box<When>>,
        #[serde(default)]
        valid_until: Option<Box<When>>,
        #[serde(default)]
        attribution: Option<Box<Attribution>>,
        #[serde(default)]
        sources: Vec<SourceRef>,
        #[serde(default)]
        note: Option<Box<str>>,
    }

    impl serde::Serialize for Relation {
        fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            Out {
                kind: self.kind,
                from: &self.from,
                to: &self.to,
                key: self.key(),
                label: self.label(),
                valid_from: self.valid_from(),
                valid_until: self.valid_until(),
                attribution: self.attribution(),
                sources: &self.sources,
                note: self.note(),
            }
            .serialize(serializer)
        }
    }

    impl<'de> serde::Deserialize<'de> for Relation {
        fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            let r = In::deserialize(deserializer)?;
            Ok(
                Relation::new(r.kind, r.from, r.to, r.sources.into()).with_details(
                    RelationDetails {
                        key: r.key,
                        label: r.label,
                        valid_from: r.valid_from,
                        valid_until: r.valid_until,
                        attribution: r.attribution,
                        note: r.note,
                    },
                ),
            )
        }
    }
}

/// A relation's sources, shared and set whole, behind a thin pointer: 8 bytes in each
/// relation where a shared slice took 16, the count kept with the items. With the one byte
/// of [`ImpliedBy`], a stored edge and its counts fit jemalloc's class of 64 bytes, not 80.
#[derive(Clone)]
pub struct SharedSources(triomphe::ThinArc<(), SourceRef>);

impl std::ops::Deref for SharedSources {
    type Target = [SourceRef];

    fn deref(&self) -> &[SourceRef] {
        &self.0.slice
    }
}

impl From<&[SourceRef]> for SharedSources {
    fn from(sources: &[SourceRef]) -> Self {
        SharedSources(triomphe::ThinArc::from_header_and_iter(
            (),
            sources.iter().cloned(),
        ))
    }
}

impl From<Vec<SourceRef>> for SharedSources {
    fn from(sources: Vec<SourceRef>) -> Self {
        SharedSources(triomphe::ThinArc::from_header_and_iter(
            (),
            sources.into_iter(),
        ))
    }
}

impl PartialEq for SharedSources {
    fn eq(&self, other: &Self) -> bool {
        **self == **other
    }
}

impl Eq for SharedSources {}

impl std::fmt::Debug for SharedSources {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        (**self).fmt(f)
    }
}

/// The field of a node that implies a relation. One byte in each edge where its name took
/// sixteen: there are millions of edges.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ImpliedBy {
    /// `about`
    About,
    /// `amount.made_by`
    AmountMadeBy,
    /// `answers`
    Answers,
    /// `beneficiaries`
    Beneficiaries,
    /// `country`
    Country,
    /// `deal`
    Deal,
    /// `demanded_of`
    DemandedOf,
    /// `demander`
    Demander,
    /// `event`
    Event,
    /// `imposer`
    Imposer,
    /// `in_exchange_for`
    InExchangeFor,
    /// `parent`
    Parent,
    /// `part_of`
    PartOf,
    /// `participants`
    Participants,
    /// `parties`
    Parties,
    /// `pledger`
    Pledger,
    /// `publisher`
    Publisher,
    /// `rate.made_by`
    RateMadeBy,
    /// `reported_by`
    ReportedBy,
    /// `roles`
    Roles,
    /// `speaker`
    Speaker,
    /// `suppliers`
    Suppliers,
    /// `target`
    Target,
    /// `venue`
    Venue,
}

impl ImpliedBy {
    /// The field's name, as the schema and the seed write it.
    pub fn as_str(self) -> &'static str {
        match self {
            ImpliedBy::About => "about",
            ImpliedBy::AmountMadeBy => "amount.made_by",
            ImpliedBy::Answers => "answers",
            ImpliedBy::Beneficiaries => "beneficiaries",
            ImpliedBy::Country => "country",
            ImpliedBy::Deal => "deal",
            ImpliedBy::DemandedOf => "demanded_of",
            ImpliedBy::Demander => "demander",
            ImpliedBy::Event => "event",
            ImpliedBy::Imposer => "imposer",
            ImpliedBy::InExchangeFor => "in_exchange_for",
            ImpliedBy::Parent => "parent",
            ImpliedBy::PartOf => "part_of",
            ImpliedBy::Participants => "participants",
            ImpliedBy::Parties => "parties",
            ImpliedBy::Pledger => "pledger",
            ImpliedBy::Publisher => "publisher",
            ImpliedBy::RateMadeBy => "rate.made_by",
            ImpliedBy::ReportedBy => "reported_by",
            ImpliedBy::Roles => "roles",
            ImpliedBy::Speaker => "speaker",
            ImpliedBy::Suppliers => "suppliers",
            ImpliedBy::Target => "target",
            ImpliedBy::Venue => "venue",
        }
    }
}

impl std::fmt::Display for ImpliedBy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A relation a node's field implies, with the field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImpliedRelation {
    /// The field that implies it.
    pub field: ImpliedBy,
    /// The relation.
    pub relation: Relation,
}

/// The `revised` relation of a claim someone is named as having set (`made_by`), from
/// them to `me`, labelled with the value set; none when nobody is named.
fn revised<T>(me: &EntityId, claim: &super::Claim<T>, label: String) -> Option<Relation> {
    let by = claim.made_by.as_ref()?;
    let sources = claim.sources.as_slice().into();
    Some(
        Relation::implied(RelationKind::Revised, by, me, &sources).with_details(RelationDetails {
            key: Some(claim.key.as_str().into()),
            label: Some(label.into()),
            valid_from: claim.valid_from.clone(),
            ..RelationDetails::default()
        }),
    )
}

impl Node {
    /// The relations this node's own fields imply (a commitment's pledger, a
    /// statement's speaker, a person's roles), sourced as the node or claim is.
    pub fn implied_relations(&self) -> Vec<ImpliedRelation> {
        let mut out = Vec::new();
        let me = &self.id;
        // One copy of the node's sources, shared by every relation they source.
        let src: SharedSources = self.sources.as_slice().into();
        let src = &src;
        let mut add =
            |field: ImpliedBy, relation: Relation| out.push(ImpliedRelation { field, relation });
        let outgoing = |kind, to: &EntityId| Relation::implied(kind, me, to, src);
        let incoming = |kind, from: &EntityId| Relation::implied(kind, from, me, src);
        use RelationKind as R;
        match &self.data {
            NodeData::Country(_) | NodeData::Project(_) => {}
            NodeData::Person(p) => {
                for claim in p.roles.all() {
                    if let Some(org) = &claim.value.org {
                        let r = Relation::implied(
                            R::HoldsRole,
                            me,
                            org,
                            &claim.sources.as_slice().into(),
                        )
                        .with_details(RelationDetails {
                            key: Some(claim.key.as_str().into()),
                            label: Some(claim.value.title.as_str().into()),
                            valid_from: claim.valid_from.clone(),
                            valid_until: claim.valid_until.clone(),
                            attribution: claim.attribution.clone(),
                            note: claim.caveat.clone(),
                        });
                        if !claim.is_deprecated() {
                            add(ImpliedBy::Roles, r);
                        }
                    }
                }
            }
            NodeData::Organization(o) => {
                if let Some(c) = &o.country {
                    add(ImpliedBy::Country, outgoing(R::BasedIn, c));
                }
                if let Some(p) = &o.parent {
                    add(ImpliedBy::Parent, outgoing(R::PartOf, p));
                }
            }
            NodeData::Deal(d) => {
                for p in &d.parties {
                    add(ImpliedBy::Parties, incoming(R::PartyTo, p));
                }
            }
            NodeData::Commitment(c) => {
                // A commitment only planned so far is not drawn as pledged.
                let planned = c
                    .status
                    .current()
                    .is_some_and(|s| s.value == super::CommitmentStatus::Planned);
                let by = if planned { R::Plans } else { R::Pledged };
                add(ImpliedBy::Pledger, incoming(by, &c.pledger));
                for b in &c.beneficiaries {
                    add(ImpliedBy::Beneficiaries, outgoing(R::Benefits, b));
                }
                for s in &c.suppliers {
                    add(ImpliedBy::Suppliers, incoming(R::Supplies, s));
                }
                if let Some(d) = &c.deal {
                    add(ImpliedBy::Deal, outgoing(R::PartOf, d));
                }
                if let Some(p) = &c.part_of {
                    add(ImpliedBy::PartOf, outgoing(R::PartOf, p));
                }
                for x in &c.in_exchange_for {
                    add(ImpliedBy::InExchangeFor, outgoing(R::InExchangeFor, x));
                }
                if let Some(d) = &c.answers {
                    add(ImpliedBy::Answers, outgoing(R::Answers, d));
                }
                for claim in c.amount.all() {
                    if let Some(r) = revised(me, claim, claim.value.to_string()) {
                        add(ImpliedBy::AmountMadeBy, r);
                    }
                }
            }
            NodeData::Demand(x) => {
                let attributed = |r: Relation| {
                    r.with_details(RelationDetails {
                        attribution: x.attribution.clone(),
                        ..RelationDetails::default()
                    })
                };
                add(
                    ImpliedBy::Demander,
                    attributed(incoming(R::Demands, &x.demander)),
                );
                for o in &x.demanded_of {
                    add(
                        ImpliedBy::DemandedOf,
                        attributed(outgoing(R::DemandedOf, o)),
                    );
                }
                if let Some(d) = &x.deal {
                    add(ImpliedBy::Deal, outgoing(R::About, d));
                }
                for t in &x.in_exchange_for {
                    add(ImpliedBy::InExchangeFor, outgoing(R::InExchangeFor, t));
                }
            }
            NodeData::TariffMeasure(t) => {
                add(ImpliedBy::Imposer, incoming(R::Imposes, &t.imposer));
                add(ImpliedBy::Target, outgoing(R::Targets, &t.target));
                if let Some(d) = &t.deal {
                    add(ImpliedBy::Deal, outgoing(R::PartOf, d));
                }
                for claim in t.rate.all() {
                    if let Some(r) = revised(me, claim, claim.value.total.to_string()) {
                        add(ImpliedBy::RateMadeBy, r);
                    }
                }
            }
            NodeData::Event(e) => {
                for p in &e.participants {
                    add(ImpliedBy::Participants, incoming(R::Attended, p));
                }
                if let Some(v) = &e.venue {
                    add(ImpliedBy::Venue, outgoing(R::HeldAt, v));
                }
                if let Some(d) = &e.deal {
                    add(ImpliedBy::Deal, outgoing(R::About, d));
                }
                if let Some(p) = &e.part_of {
                    add(ImpliedBy::PartOf, outgoing(R::PartOf, p));
                }
            }
            NodeData::Statement(s) => {
                if let Some(sp) = &s.speaker {
                    add(ImpliedBy::Speaker, incoming(R::Said, sp));
                }
                if let Some(e) = &s.event {
                    add(ImpliedBy::Event, outgoing(R::MadeAt, e));
                }
                if let Some(v) = &s.venue {
                    add(ImpliedBy::Venue, outgoing(R::HeldAt, v));
                }
                for a in &s.about {
                    add(ImpliedBy::About, outgoing(R::About, a));
                }
                for r in &s.reported_by {
                    add(ImpliedBy::ReportedBy, outgoing(R::ReportedBy, r));
                }
            }
            NodeData::Source(s) => {
                if let Some(p) = &s.publisher {
                    add(ImpliedBy::Publisher, outgoing(R::PublishedBy, p));
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ally() -> Relation {
        let id = |text| EntityId::parse(text).unwrap_or_else(|e| panic!("{e}"));
        let source = SourceRef {
            source: id("source:a"),
            line: Some(3),
            attribution: None,
            note: None,
        };
        Relation::new(
            RelationKind::AllyOf,
            id("country:jp"),
            id("country:us"),
            vec![source].into(),
        )
    }

    #[test]
    fn a_relation_is_one_flat_object_on_the_wire_whatever_it_keeps_out_of_line() {
        let plain = ally();
        let text = serde_json::to_string(&plain).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            text,
            r#"{"kind":"ally-of","from":"country:jp","to":"country:us","sources":[{"source":"source:a","line":3}]}"#
        );
        let read: Relation = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(read, plain);
        assert!(read.details().is_none(), "no details, no box");

        let dated = plain.with_details(RelationDetails {
            key: Some("k".into()),
            label: Some("close".into()),
            valid_from: Some(Box::new(When::stated(
                "2025-07-22".parse().unwrap_or_else(|e| panic!("{e}")),
            ))),
            note: Some("doubtful".into()),
            ..RelationDetails::default()
        });
        let text = serde_json::to_string(&dated).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            text,
            r#"{"kind":"ally-of","from":"country:jp","to":"country:us","key":"k","label":"close","valid_from":{"date":"2025-07-22"},"sources":[{"source":"source:a","line":3}],"note":"doubtful"}"#
        );
        let read: Relation = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(read, dated);
        assert_eq!(read.id(), "country:jp|ally-of|country:us#k");

        let unknown = r#"{"kind":"ally-of","from":"country:jp","to":"country:us","colour":"red"}"#;
        let err = serde_json::from_str::<Relation>(unknown)
            .map(|_| ())
            .unwrap_err();
        assert!(err.to_string().contains("unknown field `colour`"), "{err}");
    }

    #[test]
    fn details_emptied_by_an_edit_are_dropped() {
        let mut r = ally();
        r.edit_details(|d| d.label = Some("close".into()));
        assert_eq!(r.label(), Some("close"));
        r.edit_details(|d| d.label = None);
        assert!(r.details().is_none());
        assert_eq!(r, ally());
    }

    /// Millions are stored: a field added inline is a cost at every one of them.
    #[test]
    #[cfg(target_pointer_width = "64")]
    fn a_relation_keeps_40_bytes_inline() {
        assert_eq!(std::mem::size_of::<Relation>(), 40);
        assert_eq!(std::mem::size_of::<SharedSources>(), 8);
        assert_eq!(std::mem::size_of::<EntityId>(), 8);
        assert_eq!(std::mem::size_of::<Option<ImpliedBy>>(), 1);
    }

    #[test]
    fn refuses_relations_between_the_wrong_kinds() {
        assert!(
            RelationKind::Pledged
                .check(K::Country, K::Commitment)
                .is_ok()
        );
        let err = RelationKind::Pledged
            .check(K::Statement, K::Commitment)
            .unwrap_err();
        assert!(
            err.to_string()
                .contains("cannot go from a Statement to a Commitment"),
            "{err}"
        );
    }
}
