//! A timeline: events, statements, revisions of values, announcements and
//! deadlines in date order, each at the precision its date is known to.

use std::borrow::Cow;

use petgraph::stable_graph::NodeIndex;

use super::{KnowledgeGraph, interrupt};
use crate::model::{
    Amount, Claim, Day, EntityId, Node, NodeData, NodeKind, PartialDate, Rate, When, string_enum,
};

string_enum! {
    /// What a timeline entry records.
    pub enum TimelineKind {
        /// An event took place.
        Event = "event",
        /// Someone said something.
        Statement = "statement",
        /// A value was set or changed (a pledge's amount, a tariff's rate).
        Revision = "revision",
        /// A deal was announced.
        Announcement = "announcement",
        /// A deadline falls due.
        Deadline = "deadline",
    }
}

/// One dated entry.
#[derive(Debug, Clone)]
pub struct TimelineEntry<'g> {
    /// When, to its precision.
    pub date: &'g When,
    /// What it records.
    pub kind: TimelineKind,
    /// The entity it is about: the event, statement, pledge, tariff or deal.
    pub node: &'g Node,
    /// A line to show.
    pub title: String,
    /// Who acted, where known (the speaker, the reviser).
    pub actor: Option<EntityId>,
    /// The key of the claim a revision records; none for other entries.
    pub claim: Option<&'g str>,
}

/// Where an entry sits in a timeline, as [`KnowledgeGraph::timeline`] orders it: by
/// date (first possible day, coarser dates first), kind, entity and title, then the
/// claim it records, which makes every key of a timeline unique (a node gives at most
/// one entry of each kind but revisions, and its revisions are of claims with distinct
/// keys).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct TimelineKey<'a> {
    /// The date it sorts by.
    pub date: Option<PartialDate>,
    /// What it records.
    pub kind: TimelineKind,
    /// The id of the entity it is about.
    pub node: Cow<'a, EntityId>,
    /// Its title.
    pub title: Cow<'a, str>,
    /// The key of the claim it records.
    pub claim: Option<Cow<'a, str>>,
}

impl TimelineKey<'_> {
    /// The key, with texts of its own.
    pub fn to_owned_key(&self) -> TimelineKey<'static> {
        TimelineKey {
            date: self.date,
            kind: self.kind,
            node: Cow::Owned(self.node.clone().into_owned()),
            title: Cow::Owned(self.title.clone().into_owned()),
            claim: self.claim.clone().map(|c| Cow::Owned(c.into_owned())),
        }
    }
}

impl TimelineEntry<'_> {
    /// Where the entry sits in its timeline.
    pub fn key(&self) -> TimelineKey<'_> {
        TimelineKey {
            date: self.date.sort_date(),
            kind: self.kind,
            node: Cow::Borrowed(&self.node.id),
            title: Cow::Borrowed(&self.title),
            claim: self.claim.map(Cow::Borrowed),
        }
    }
}

impl KnowledgeGraph {
    /// Dated entries whose dates overlap `from`..=`to` (open ends when
    /// none), involving any of `entities` (all when empty), in date order:
    /// by first possible day, coarser dates first, then kind and id
    /// ([`TimelineKey`]).
    pub fn timeline(
        &self,
        from: Option<&PartialDate>,
        to: Option<&PartialDate>,
        entities: &[EntityId],
    ) -> Vec<TimelineEntry<'_>> {
        self.entries_of(self.dated_nodes(entities), from, to, entities)
    }

    /// How many entries the timeline of `entities` from `from` to `to` holds: counted from
    /// their dates, their titles not written.
    pub(super) fn timeline_len(
        &self,
        from: Option<&PartialDate>,
        to: Option<&PartialDate>,
        entities: &[EntityId],
    ) -> usize {
        kept(self.dated_nodes(entities), from, to, entities).count()
    }

    /// How many entries the timeline of `entities` from `from` to `to` holds that do not
    /// involve `apart`: counted from their relations, as [`KnowledgeGraph::timeline_len`]
    /// counts.
    pub(super) fn timeline_len_apart(
        &self,
        from: Option<&PartialDate>,
        to: Option<&PartialDate>,
        entities: &[EntityId],
        apart: &EntityId,
    ) -> usize {
        let apart = std::slice::from_ref(apart);
        kept(self.dated_nodes(entities), from, to, entities)
            .filter(|(stamp, node)| !involved(node, stamp.actor(), apart))
            .count()
    }

    /// The entries of `nodes` that a timeline of `entities` from `from` to `to` holds, in
    /// its order.
    fn entries_of<'g>(
        &self,
        nodes: Vec<&'g Node>,
        from: Option<&PartialDate>,
        to: Option<&PartialDate>,
        entities: &[EntityId],
    ) -> Vec<TimelineEntry<'g>> {
        let mut out: Vec<TimelineEntry<'g>> = kept(nodes, from, to, entities)
            .map(|(stamp, node)| stamp.entry(node))
            .collect();
        // Every key of a timeline is unique, so an unstable sort gives the one order.
        out.sort_unstable_by(|a, b| a.key().cmp(&b.key()));
        out
    }

    /// The nodes whose entries a timeline of `entities` reads: every node of a kind that
    /// has dated entries when no entity is named; else the named entities and the nodes
    /// they are related to, since every field that involves an entity in an entry (a
    /// participant, a speaker, a subject, a pledger, a beneficiary, an imposer, a target,
    /// a party, a reviser) implies a relation to it. The neighbours are found in the
    /// compact structure, by their kind there, and read in the order of their indexes.
    fn dated_nodes(&self, entities: &[EntityId]) -> Vec<&Node> {
        if entities.is_empty() {
            return DATED.iter().flat_map(|&k| self.nodes_of_kind(k)).collect();
        }
        let mut nodes: Vec<NodeIndex> = Vec::new();
        for id in entities {
            if let Some(at) = self.by_id.get(id) {
                nodes.extend(self.dated_near(at.ix));
            }
        }
        nodes.sort_unstable();
        nodes.dedup();
        nodes
            .into_iter()
            .filter_map(|ix| self.graph.node_weight(ix))
            .map(|node| &**node)
            .collect()
    }

    /// The node `at` and those related to it, where they are of a kind that gives timeline
    /// entries, in no order, some perhaps more than once: every entry that involves `at`
    /// is of one of them.
    pub(super) fn dated_near(&self, at: NodeIndex) -> impl Iterator<Item = NodeIndex> + '_ {
        let t = &self.topology;
        let others = t.halves(at).iter().map(|h| h.other);
        std::iter::once(at)
            .chain(others)
            .filter(|&ix| t.kind(ix).is_some_and(|k| DATED.contains(&k)))
    }
}

/// The dated entries of `nodes` that a timeline of `entities` from `from` to `to` holds,
/// titles not written, each with its node.
fn kept<'g, 'a>(
    nodes: impl IntoIterator<Item = &'g Node> + 'a,
    from: Option<&'a PartialDate>,
    to: Option<&'a PartialDate>,
    entities: &'a [EntityId],
) -> impl Iterator<Item = (Stamp<'g>, &'g Node)> + 'a
where
    'g: 'a,
{
    interrupt::checked(nodes.into_iter()).flat_map(move |node| {
        stamps(node)
            .into_iter()
            .filter(move |s| holds(node, s, from, to, entities))
            .map(move |s| (s, node))
    })
}

/// True when a timeline of `entities` from `from` to `to` holds the entry `stamp` of
/// `node`. Inline: a page from the timeline's index asks it of every entry it reads.
#[inline]
pub(super) fn holds(
    node: &Node,
    stamp: &Stamp<'_>,
    from: Option<&PartialDate>,
    to: Option<&PartialDate>,
    entities: &[EntityId],
) -> bool {
    in_window(stamp.date(), from, to) && involved(node, stamp.actor(), entities)
}

/// True when a date overlaps `from`..=`to`: a date known only as a range is in the window
/// when the range meets it.
fn in_window(w: &When, from: Option<&PartialDate>, to: Option<&PartialDate>) -> bool {
    reaches(w.earliest(), w.latest(), from, to)
}

/// True when the days from `first` to `last` (open at an end without one) overlap
/// `from`..=`to`; nothing without a first day reaches a window with an end.
pub(super) fn reaches(
    first: Option<Day>,
    last: Option<Day>,
    from: Option<&PartialDate>,
    to: Option<&PartialDate>,
) -> bool {
    from.is_none_or(|f| last.is_none_or(|l| l >= f.start()))
        && to.is_none_or(|t| first.is_some_and(|e| e <= t.end()))
}

/// The kinds of node that give timeline entries.
pub(super) const DATED: [NodeKind; 5] = [
    NodeKind::Event,
    NodeKind::Statement,
    NodeKind::Commitment,
    NodeKind::TariffMeasure,
    NodeKind::Deal,
];

/// True when a timeline of `entities` holds an entry about `node` by `actor` (a timeline
/// of none holds every entry): it is about one of them, one of them acted, or its node
/// names one of them.
pub(super) fn involved(node: &Node, actor: Option<&EntityId>, entities: &[EntityId]) -> bool {
    entities.is_empty()
        || entities.contains(&node.id)
        || actor.is_some_and(|a| entities.contains(a))
        || involves(node, entities)
}

/// True when the node names one of `entities` as a participant, speaker, subject, pledger or party.
fn involves(node: &Node, entities: &[EntityId]) -> bool {
    any_named(node, |i| entities.contains(i))
}

/// True when `test` holds for one of the entities a node's fields name in each of its
/// entries: an event's participants and deal, a statement's subjects and speaker, a
/// pledge's pledger and beneficiaries, a tariff's imposer and target, a deal's parties.
/// Each is tried in that order until one passes (one named twice may be tried twice).
pub(super) fn any_named<'n>(node: &'n Node, mut test: impl FnMut(&'n EntityId) -> bool) -> bool {
    match &node.data {
        NodeData::Event(e) => e.participants.iter().chain(&e.deal).any(test),
        NodeData::Statement(s) => s.about.iter().chain(&s.speaker).any(test),
        NodeData::Commitment(c) => test(&c.pledger) || c.beneficiaries.iter().any(test),
        NodeData::TariffMeasure(t) => test(&t.imposer) || test(&t.target),
        NodeData::Deal(d) => d.parties.iter().any(test),
        _ => false,
    }
}

/// A dated entry of a node before its title is written: what the timeline's index keeps
/// of it is its date and kind.
pub(super) enum Stamp<'g> {
    /// The node's own date: an event, a statement, a deal's announcement or deadline; with
    /// who acted, where known.
    Own(TimelineKind, &'g When, Option<&'g EntityId>),
    /// A revision of a pledge's amount.
    Amount(&'g Claim<Amount>, &'g When),
    /// A revision of a tariff's rate.
    Rate(&'g Claim<Rate>, &'g When),
}

impl<'g> Stamp<'g> {
    /// What the entry records.
    pub(super) fn kind(&self) -> TimelineKind {
        match self {
            Stamp::Own(kind, ..) => *kind,
            Stamp::Amount(..) | Stamp::Rate(..) => TimelineKind::Revision,
        }
    }

    /// Who acted, where known.
    pub(super) fn actor(&self) -> Option<&'g EntityId> {
        match self {
            Stamp::Own(_, _, actor) => *actor,
            Stamp::Amount(c, _) => c.made_by.as_ref(),
            Stamp::Rate(c, _) => c.made_by.as_ref(),
        }
    }

    /// When.
    pub(super) fn date(&self) -> &'g When {
        match self {
            Stamp::Own(_, date, _) | Stamp::Amount(_, date) | Stamp::Rate(_, date) => date,
        }
    }

    /// The entry, its title written.
    pub(super) fn entry(self, node: &'g Node) -> TimelineEntry<'g> {
        let (title, claim) = match &self {
            Stamp::Own(TimelineKind::Announcement, ..) => {
                (format!("{} announced", node.name), None)
            }
            Stamp::Own(TimelineKind::Deadline, ..) if matches!(node.data, NodeData::Deal(_)) => {
                (format!("Deadline for {}", node.name), None)
            }
            Stamp::Own(..) => (node.name.clone(), None),
            Stamp::Amount(c, _) => (format!("{}: {}", node.name, c.value), Some(c.key.as_str())),
            Stamp::Rate(c, _) => (
                format!("{}: {}", node.name, c.value.total),
                Some(c.key.as_str()),
            ),
        };
        TimelineEntry {
            date: self.date(),
            kind: self.kind(),
            node,
            title,
            actor: self.actor().cloned(),
            claim,
        }
    }
}

/// The dated entries one node gives, before their titles are written.
pub(super) fn stamps(node: &Node) -> Vec<Stamp<'_>> {
    let mut out = Vec::new();
    match &node.data {
        NodeData::Event(e) => {
            let kind = if e.kind == crate::model::EventKind::Deadline {
                TimelineKind::Deadline
            } else {
                TimelineKind::Event
            };
            out.extend(e.date.as_ref().map(|d| Stamp::Own(kind, d, None)));
        }
        NodeData::Statement(s) => {
            out.extend(
                s.date
                    .as_ref()
                    .map(|d| Stamp::Own(TimelineKind::Statement, d, s.speaker.as_ref())),
            );
        }
        NodeData::Commitment(c) => out.extend(
            c.amount
                .history(false)
                .filter_map(|c| Some(Stamp::Amount(c, c.valid_from.as_deref()?))),
        ),
        NodeData::TariffMeasure(t) => out.extend(
            t.rate
                .history(false)
                .filter_map(|c| Some(Stamp::Rate(c, c.valid_from.as_deref()?))),
        ),
        NodeData::Deal(d) => {
            let dates = [
                (TimelineKind::Announcement, &d.announced),
                (TimelineKind::Deadline, &d.deadline),
            ];
            out.extend(
                dates
                    .into_iter()
                    .filter_map(|(kind, w)| Some(Stamp::Own(kind, w.as_ref()?, None))),
            );
        }
        _ => {}
    }
    out
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
                deal("deal:x", &["country:us", "country:jp"], Some("2025-07")),
                event("event:talks", "2025-07-22", &["country:jp"]),
                event("event:later", "2025-08-02", &["country:us"]),
                tariff(
                    "tariff:cars",
                    "country:us",
                    "country:jp",
                    None,
                    &[("new", "15", Some("2025-07-23"), None, None)],
                ),
            ],
            vec![],
        )
        .unwrap()
    }

    fn rows(entries: &[TimelineEntry<'_>]) -> Vec<(String, TimelineKind)> {
        entries
            .iter()
            .map(|e| {
                let day = e.date.date.map(|d| d.to_string()).unwrap_or_default();
                (day, e.kind)
            })
            .collect()
    }

    #[test]
    fn in_date_order_with_coarse_dates_first() {
        let g = graph();
        let all = g.timeline(None, None, &[]);
        assert_eq!(
            rows(&all),
            [
                ("2025-07".into(), TimelineKind::Announcement),
                ("2025-07-22".into(), TimelineKind::Event),
                ("2025-07-23".into(), TimelineKind::Revision),
                ("2025-08-02".into(), TimelineKind::Event),
            ]
        );
    }

    #[test]
    fn ranges_respect_precision_and_entities_filter() {
        let g = graph();
        let d = |s: &str| s.parse::<PartialDate>().unwrap();
        // A month-precision date overlaps any day of its month.
        let late_july = g.timeline(Some(&d("2025-07-25")), Some(&d("2025-07-31")), &[]);
        assert_eq!(
            rows(&late_july),
            [("2025-07".into(), TimelineKind::Announcement)]
        );
        let us_only = g.timeline(None, None, &[id("country:us")]);
        assert_eq!(us_only.len(), 3, "the deal, the tariff and the later event");
    }

    /// The keys of a timeline read from every dated node, as the timeline is defined.
    fn by_definition(
        g: &KnowledgeGraph,
        from: Option<&PartialDate>,
        entities: &[EntityId],
    ) -> Vec<String> {
        keys(&g.entries_of(g.dated_nodes(&[]), from, None, entities))
    }

    /// Each entry's place in its timeline, written out.
    fn keys(entries: &[TimelineEntry<'_>]) -> Vec<String> {
        entries.iter().map(|e| format!("{:?}", e.key())).collect()
    }

    /// A random graph of every dated kind among ten countries: deals, events, pledges
    /// revised by someone, tariffs revised by someone other than their imposer.
    fn random_graph(dice: &mut Dice) -> KnowledgeGraph {
        let codes: Vec<String> = (0..10).map(|c| format!("c{c}")).collect();
        let mut nodes: Vec<Node> = codes.iter().map(|c| country(c, c)).collect();
        let pick = |dice: &mut Dice| format!("country:{}", codes[dice.roll(codes.len())]);
        let day =
            |dice: &mut Dice| format!("2025-{:02}-{:02}", 1 + dice.roll(12), 1 + dice.roll(28));
        for i in 0..40 {
            let a = pick(dice);
            let b = std::iter::repeat_with(|| pick(dice))
                .find(|b| *b != a)
                .unwrap_or_default();
            let month = format!("2025-{:02}", 1 + dice.roll(12));
            nodes.push(deal(&format!("deal:d{i}"), &[&a, &b], Some(&month)));
            nodes.push(event(&format!("event:e{i}"), &day(dice), &[&a]));
            let mut rate = claim(
                "new",
                crate::model::Rate {
                    total: percent("15"),
                    components: Vec::new(),
                },
                Some(&day(dice)),
            );
            rate.made_by = (dice.roll(2) == 0).then(|| id(&pick(dice)));
            let mut t = tariff(&format!("tariff:t{i}"), &a, &b, None, &[]);
            if let NodeData::TariffMeasure(m) = &mut t.data {
                m.rate = crate::model::ClaimSet::new(vec![rate]);
            }
            nodes.push(t);
            let mut amount = claim("a", money("100", "USD"), Some(&day(dice)));
            amount.made_by = (dice.roll(2) == 0).then(|| id(&pick(dice)));
            let mut p = pledge_in(
                &format!("commitment:p{i}"),
                &a,
                &b,
                &format!("deal:d{i}"),
                "1",
            );
            if let NodeData::Commitment(c) = &mut p.data {
                c.amount = crate::model::ClaimSet::new(vec![amount]);
            }
            nodes.push(p);
        }
        KnowledgeGraph::build(nodes, vec![]).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn an_entitys_timeline_reads_its_relations_and_misses_nothing() {
        let mut dice = Dice(11);
        let g = random_graph(&mut dice);
        let mut named: Vec<EntityId> = (0..10).map(|c| id(&format!("country:c{c}"))).collect();
        named.extend([id("deal:d3"), id("tariff:t5"), id("country:nowhere")]);
        let july = "2025-07".parse::<PartialDate>().ok();
        let mut read = 0;
        for one in named.chunks(1).chain(named.chunks(4)) {
            for from in [None, july.as_ref()] {
                let found = keys(&g.timeline(from, None, one));
                assert_eq!(found, by_definition(&g, from, one), "{one:?}");
                assert_eq!(g.timeline_len(from, None, one), found.len(), "{one:?}");
                assert_eq!(g.timeline_count(from, None, one), found.len(), "{one:?}");
                read += found.len();
            }
        }
        assert!(read > 100, "the entities picked have entries: {read}");
    }

    #[test]
    fn a_reviser_named_only_as_such_sees_its_revision() {
        let mut trucks = tariff(
            "tariff:trucks",
            "country:us",
            "country:jp",
            None,
            &[("new", "25", Some("2025-09-01"), None, None)],
        );
        if let NodeData::TariffMeasure(t) = &mut trucks.data {
            for claim in t.rate.all_mut() {
                claim.made_by = Some(id("country:kr"));
            }
        }
        let g = KnowledgeGraph::build(
            vec![
                country("jp", "Japan"),
                country("kr", "Korea"),
                country("us", "United States"),
                trucks,
            ],
            vec![],
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let korea = [id("country:kr")];
        let found = g.timeline(None, None, &korea);
        assert_eq!(
            rows(&found),
            [("2025-09-01".into(), TimelineKind::Revision)]
        );
        assert_eq!(keys(&found), by_definition(&g, None, &korea));
        // Counted without reading it: Korea is involved in one of the tariff's entries,
        // the United States and Japan (named by its fields) in all, the tariff in its own.
        for (who, n) in [("country:kr", 1), ("country:us", 1), ("tariff:trucks", 1)] {
            assert_eq!(g.timeline_count(None, None, &[id(who)]), n, "{who}");
        }
    }
}
