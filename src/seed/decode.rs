//! Turns the tables of a seed file into model nodes and relations.

use std::ops::Range;

use toml::de::DeValue;

use super::error::SeedErrorKind;
use super::reader::{Diag, Fields, type_name};
use crate::model::{
    Amount, Attribution, Claim, ClaimSet, Commitment, CommitmentStatus, Country, Currency, Deal,
    Demand, EntityId, Event, ModelError, Money, Node, NodeData, NodeKind, Organization, Percent,
    Person, Project, Quantity, Rank, Rate, RateComponent, Relation, RelationDetails, Role, Source,
    SourceRef, Statement, TariffMeasure, Unit, VolumeLimit,
};

const ACTORS: &[NodeKind] = &[NodeKind::Country, NodeKind::Person, NodeKind::Organization];
const PARTIES: &[NodeKind] = &[NodeKind::Country, NodeKind::Organization];

/// A reference from a field to another node, checked once every file is read.
#[derive(Debug, Clone)]
pub(crate) struct Reference {
    pub target: EntityId,
    pub line: usize,
    pub entry: Option<String>,
    pub field: String,
    /// For a citation: whether it gave a line number.
    pub cited_line: Option<bool>,
}

/// State shared while decoding one file.
pub(crate) struct Decoder<'a> {
    pub default_source: Option<&'a EntityId>,
    pub refs: Vec<Reference>,
}

impl Decoder<'_> {
    fn note_ref(
        &mut self,
        d: &Diag,
        target: &EntityId,
        span: &Range<usize>,
        field: String,
        cited_line: Option<bool>,
    ) {
        self.refs.push(Reference {
            target: target.clone(),
            line: d.line(span.start),
            entry: d.entry.clone(),
            field,
            cited_line,
        });
    }

    fn id(
        &mut self,
        f: &mut Fields,
        d: &mut Diag,
        key: &'static str,
        kinds: &[NodeKind],
    ) -> Option<EntityId> {
        let id = f.id(d, key, kinds)?;
        self.note_ref(d, &id, &f.span_of(key), f.path_of(key), None);
        Some(id)
    }

    fn opt_id(
        &mut self,
        f: &mut Fields,
        d: &mut Diag,
        key: &'static str,
        kinds: &[NodeKind],
    ) -> Option<EntityId> {
        let id = f.opt_id(d, key, kinds)?;
        self.note_ref(d, &id, &f.span_of(key), f.path_of(key), None);
        Some(id)
    }

    fn ids(
        &mut self,
        f: &mut Fields,
        d: &mut Diag,
        key: &'static str,
        kinds: &[NodeKind],
    ) -> Vec<EntityId> {
        let path = f.path_of(key);
        let ids = f.ids(d, key, kinds);
        for (i, (id, span)) in ids.iter().enumerate() {
            self.note_ref(d, id, span, format!("{path}[{i}]"), None);
        }
        ids.into_iter().map(|(id, _)| id).collect()
    }

    /// A required, non-empty list of citations.
    fn sources(&mut self, f: &mut Fields, d: &mut Diag) -> Vec<SourceRef> {
        let span = f.span();
        let path = f.path_of("sources");
        let items = f.items(d, "sources");
        if items.is_empty() {
            d.error(&span, Some(path), SeedErrorKind::MissingSource);
            return Vec::new();
        }
        let mut out = Vec::new();
        for (item, path) in items {
            let span = item.span();
            let cite = match item.get_ref() {
                DeValue::Integer(i) => self.bare_line(d, i.as_str(), &span, &path),
                DeValue::Table(t) => {
                    let mut g = Fields::new(t, span.clone(), path.clone());
                    let source = match g.opt_id(d, "source", &[NodeKind::Source]) {
                        Some(id) => Some(id),
                        None if !g.has("source") => self.default_source.cloned(),
                        None => None,
                    };
                    let line = match g.raw("line").map(|v| (v.get_ref(), v.span())) {
                        None => Some(None),
                        Some((DeValue::Integer(i), s)) => {
                            line_number(d, i.as_str(), &s, &g.path_of("line")).map(Some)
                        }
                        Some((other, s)) => {
                            let kind = SeedErrorKind::WrongType {
                                expected: "a line number",
                                found: type_name(other),
                            };
                            d.error(&s, Some(g.path_of("line")), kind);
                            None
                        }
                    };
                    let attribution = g.opt_str(d, "attribution");
                    let note = g.opt_str(d, "note");
                    g.finish(d);
                    match (source, line) {
                        (Some(source), Some(line)) => Some(SourceRef {
                            source,
                            line,
                            attribution: attribution.map(Into::into),
                            note: note.map(Into::into),
                        }),
                        (None, Some(_)) if self.default_source.is_none() => {
                            let msg =
                                "no `source` given and the seed names no default_source in [seed]"
                                    .to_string();
                            d.error(&span, Some(path.clone()), SeedErrorKind::BadCitation(msg));
                            None
                        }
                        _ => None,
                    }
                }
                other => {
                    let kind = SeedErrorKind::WrongType {
                        expected: "a line number or a citation table",
                        found: type_name(other),
                    };
                    d.error(&span, Some(path.clone()), kind);
                    None
                }
            };
            if let Some(cite) = cite {
                self.note_ref(d, &cite.source, &span, path, Some(cite.line.is_some()));
                out.push(cite);
            }
        }
        out
    }

    fn bare_line(
        &self,
        d: &mut Diag,
        text: &str,
        span: &Range<usize>,
        path: &str,
    ) -> Option<SourceRef> {
        let line = line_number(d, text, span, path)?;
        let Some(source) = self.default_source else {
            let msg = "a bare line number needs `[seed] default_source`".to_string();
            d.error(
                span,
                Some(path.to_string()),
                SeedErrorKind::BadCitation(msg),
            );
            return None;
        };
        Some(SourceRef {
            source: source.clone(),
            line: Some(line),
            attribution: None,
            note: None,
        })
    }

    /// The claims under `key`, each value read by `value`.
    fn claims<T>(
        &mut self,
        f: &mut Fields,
        d: &mut Diag,
        key: &'static str,
        mut value: impl FnMut(&mut Self, &mut Fields, &mut Diag) -> Option<T>,
    ) -> ClaimSet<T> {
        let mut claims: Vec<Claim<T>> = Vec::new();
        let mut supersedes = Vec::new();
        for mut c in f.tables(d, key) {
            let ckey = c.str(d, "key");
            let v = value(self, &mut c, d);
            let announced = c.date(d, "announced");
            let valid_from = c.date(d, "valid_from");
            let valid_until = c.date(d, "valid_until");
            let rank = c.opt_enum(d, "rank").unwrap_or(Rank::Normal);
            let approximate = c.bool(d, "approximate");
            let attribution = self.attribution(&mut c, d);
            let made_by = self.opt_id(&mut c, d, "made_by", ACTORS);
            let sup = c.opt_str(d, "supersedes");
            let sources = self.sources(&mut c, d);
            let caveat = c.opt_str(d, "caveat");
            let note = c.opt_str(d, "note");
            // Wrong only when the value cannot have started before it ended, however
            // the ranges either date is known as fall.
            if let (Some(from), Some(until)) = (&valid_from, &valid_until)
                && let (Some(start), Some(end)) = (from.earliest(), until.latest())
                && end <= start
            {
                let msg = format!("valid_until {until} is not after valid_from {from}");
                d.error(
                    &c.span_of("valid_until"),
                    Some(c.path_of("valid_until")),
                    SeedErrorKind::Inconsistent(msg),
                );
            }
            if let Some(s) = &sup {
                supersedes.push((s.clone(), c.span_of("supersedes"), c.path_of("supersedes")));
            }
            if let Some(k) = &ckey
                && claims.iter().any(|x| &x.key == k)
            {
                let msg = format!("claim key `{k}` is used twice in `{key}`");
                d.error(
                    &c.span_of("key"),
                    Some(c.path_of("key")),
                    SeedErrorKind::Inconsistent(msg),
                );
            }
            c.finish(d);
            let (Some(ckey), Some(v)) = (ckey, v) else {
                continue;
            };
            if sources.is_empty() {
                continue;
            }
            claims.push(Claim {
                key: ckey,
                value: v,
                announced: announced.map(Box::new),
                valid_from: valid_from.map(Box::new),
                valid_until: valid_until.map(Box::new),
                rank,
                approximate,
                attribution: attribution.map(Box::new),
                made_by,
                supersedes: sup.map(Into::into),
                sources,
                caveat: caveat.map(Into::into),
                note: note.map(Into::into),
            });
        }
        for (target, span, path) in supersedes {
            if !claims.iter().any(|c| c.key == target) {
                let msg = format!("supersedes `{target}`, but no claim in `{key}` has that key");
                d.error(&span, Some(path), SeedErrorKind::Inconsistent(msg));
            }
        }
        ClaimSet::new(claims)
    }

    fn attribution(&mut self, f: &mut Fields, d: &mut Diag) -> Option<Attribution> {
        let mut a = f.table(d, "attribution")?;
        let by = self.opt_id(&mut a, d, "by", ACTORS);
        let text = a.opt_str(d, "text");
        a.finish(d);
        Some(Attribution { by, text })
    }
}

fn line_number(d: &mut Diag, text: &str, span: &Range<usize>, path: &str) -> Option<u32> {
    match text.parse::<u32>() {
        Ok(n) if n >= 1 => Some(n),
        _ => {
            let msg = format!("line `{text}` is not a line number (1 or more)");
            d.error(
                span,
                Some(path.to_string()),
                SeedErrorKind::BadCitation(msg),
            );
            None
        }
    }
}

fn invalid(d: &mut Diag, f: &Fields, key: &str, e: ModelError) {
    d.error(
        &f.span_of(key),
        Some(f.path_of(key)),
        SeedErrorKind::Invalid(e),
    );
}

fn money(d: &mut Diag, f: &mut Fields) -> Option<Money> {
    let amount = f.decimal(d, "amount");
    let currency = f.parse_with(d, "currency", true, |s| s.parse::<Currency>());
    match Money::new(amount?, currency?) {
        Ok(m) => Some(m),
        Err(e) => {
            invalid(d, f, "amount", e);
            None
        }
    }
}

fn quantity(d: &mut Diag, f: &mut Fields) -> Option<Quantity> {
    let value = f.decimal(d, "value");
    let unit = f.enum_::<Unit>(d, "unit");
    match Quantity::new(value?, unit?) {
        Ok(q) => Some(q),
        Err(e) => {
            invalid(d, f, "value", e);
            None
        }
    }
}

fn percent(d: &mut Diag, f: &mut Fields, key: &'static str) -> Option<Percent> {
    let points = f.decimal(d, key)?;
    match Percent::new(points) {
        Ok(p) => Some(p),
        Err(e) => {
            invalid(d, f, key, e);
            None
        }
    }
}

/// Exactly one of `money`, `quantity` or `percent`.
fn amount_value(d: &mut Diag, f: &mut Fields) -> Option<Amount> {
    let present: Vec<&str> = ["money", "quantity", "percent"]
        .into_iter()
        .filter(|k| f.span_of(k) != f.span())
        .collect();
    if present.len() != 1 {
        let msg = format!(
            "give exactly one of `money`, `quantity` or `percent` (found {})",
            present.len()
        );
        d.error(
            &f.span(),
            Some(f.path_of("money")),
            SeedErrorKind::Inconsistent(msg),
        );
    }
    let mut out = None;
    if let Some(mut m) = f.table(d, "money") {
        out = money(d, &mut m).map(Amount::Money);
        m.finish(d);
    }
    if let Some(mut q) = f.table(d, "quantity") {
        out = quantity(d, &mut q).map(Amount::Quantity);
        q.finish(d);
    }
    if f.has("percent") {
        out = percent(d, f, "percent").map(Amount::Percent);
    }
    if present.len() == 1 { out } else { None }
}

fn rate(d: &mut Diag, f: &mut Fields) -> Option<Rate> {
    let total = percent(d, f, "total");
    let mut components = Vec::new();
    let mut ok = true;
    for mut c in f.tables(d, "components") {
        let kind = c.enum_(d, "kind");
        let label = c.opt_str(d, "label");
        let p = percent(d, &mut c, "percent");
        c.finish(d);
        match (kind, p) {
            (Some(kind), Some(percent)) => components.push(RateComponent {
                kind,
                label,
                percent,
            }),
            _ => ok = false,
        }
    }
    let total = total?;
    let rate = ok.then_some(Rate { total, components })?;
    if let Some(msg) = rate.inconsistency() {
        d.error(
            &f.span_of("components"),
            Some(f.path_of("components")),
            SeedErrorKind::Inconsistent(msg),
        );
        return None;
    }
    Some(rate)
}

fn volume_limit(d: &mut Diag, f: &mut Fields) -> Option<VolumeLimit> {
    let unlimited = f.bool(d, "unlimited");
    let capped = f.table(d, "quantity").and_then(|mut q| {
        let v = quantity(d, &mut q);
        q.finish(d);
        v
    });
    match (unlimited, capped) {
        (true, None) => Some(VolumeLimit::Unlimited),
        (false, Some(q)) => Some(VolumeLimit::Capped(q)),
        _ => {
            let msg = "give either `unlimited = true` or a `quantity`".to_string();
            d.error(
                &f.span(),
                Some(f.path_of("unlimited")),
                SeedErrorKind::Inconsistent(msg),
            );
            None
        }
    }
}

impl Decoder<'_> {
    /// Decodes one `[[kind]]` entry into a node.
    pub fn node(&mut self, kind: NodeKind, f: &mut Fields, d: &mut Diag) -> Option<Node> {
        let id = f.id(d, "id", &[kind]);
        let name = f.str(d, "name");
        let aliases = f
            .strings(d, "aliases")
            .into_iter()
            .map(|(s, _)| s)
            .collect();
        let description = f.str(d, "description");
        let sources = self.sources(f, d);
        let data = self.data(kind, f, d);
        if sources.is_empty() {
            return None;
        }
        Some(Node {
            id: id?,
            name: name?,
            aliases,
            description: description?,
            sources,
            data: data?,
        })
    }

    fn data(&mut self, kind: NodeKind, f: &mut Fields, d: &mut Diag) -> Option<NodeData> {
        Some(match kind {
            NodeKind::Country => {
                let code = f.parse_with(d, "code", false, |s| {
                    if s.len() == 2 && s.bytes().all(|b| b.is_ascii_uppercase()) {
                        Ok(s.to_string())
                    } else {
                        Err(ModelError::InvalidCountryCode(s.to_string()))
                    }
                });
                NodeData::Country(Country {
                    code,
                    bloc: f.bool(d, "bloc"),
                })
            }
            NodeKind::Person => {
                let roles = self.claims(f, d, "roles", |me, c, d| {
                    let title = c.str(d, "title");
                    let org = me.opt_id(c, d, "org", PARTIES);
                    Some(Role { title: title?, org })
                });
                NodeData::Person(Person { roles })
            }
            NodeKind::Organization => {
                let kind = f.enum_(d, "kind");
                let country = self.opt_id(f, d, "country", &[NodeKind::Country]);
                let parent = self.opt_id(f, d, "parent", &[NodeKind::Organization]);
                NodeData::Organization(Organization {
                    kind: kind?,
                    country,
                    parent,
                })
            }
            NodeKind::Deal => {
                let parties = self.ids(f, d, "parties", PARTIES);
                let status = self.claims(f, d, "status", |_, c, d| c.enum_(d, "value"));
                let announced = f.date(d, "announced");
                let deadline = f.date(d, "deadline");
                NodeData::Deal(Box::new(Deal {
                    parties,
                    status,
                    announced,
                    deadline,
                }))
            }
            NodeKind::Commitment => {
                let kind = f.enum_(d, "kind");
                let pledger = self.id(f, d, "pledger", ACTORS);
                let beneficiaries = self.ids(f, d, "beneficiaries", ACTORS);
                let suppliers = self.ids(f, d, "suppliers", &[NodeKind::Organization]);
                let item = f.opt_str(d, "item");
                let deal = self.opt_id(f, d, "deal", &[NodeKind::Deal]);
                let part_of = self.opt_id(f, d, "part_of", &[NodeKind::Commitment]);
                let exchange = self.ids(
                    f,
                    d,
                    "in_exchange_for",
                    &[NodeKind::TariffMeasure, NodeKind::Commitment],
                );
                let answers = self.opt_id(f, d, "answers", &[NodeKind::Demand]);
                let period = f.enum_(d, "period");
                let amount = self.claims(f, d, "amount", |_, c, d| amount_value(d, c));
                let baseline = self.claims(f, d, "baseline", |_, c, d| amount_value(d, c));
                let limit = self.claims(f, d, "limit", |_, c, d| amount_value(d, c));
                let status = self.claims(f, d, "status", |_, c, d| {
                    let status = c.enum_(d, "value")?;
                    if status == CommitmentStatus::Demanded {
                        let msg = "a commitment is a pledge, never `demanded`: declare what one side asks of another as a [[demand]]";
                        d.error(
                            &c.span_of("value"),
                            Some(c.path_of("value")),
                            SeedErrorKind::Inconsistent(msg.into()),
                        );
                        return None;
                    }
                    Some(status)
                });
                NodeData::Commitment(Box::new(Commitment {
                    kind: kind?,
                    pledger: pledger?,
                    beneficiaries,
                    suppliers,
                    item,
                    deal,
                    part_of,
                    in_exchange_for: exchange,
                    answers,
                    period: period?,
                    amount,
                    baseline,
                    limit,
                    status,
                }))
            }
            NodeKind::Demand => {
                let demander = self.id(f, d, "demander", ACTORS);
                let demanded_of = self.ids(f, d, "demanded_of", ACTORS);
                if demanded_of.is_empty() {
                    d.error(
                        &f.span(),
                        Some(f.path_of("demanded_of")),
                        SeedErrorKind::MissingField,
                    );
                }
                let item = f.opt_str(d, "item");
                let deal = self.opt_id(f, d, "deal", &[NodeKind::Deal]);
                let exchange = self.ids(
                    f,
                    d,
                    "in_exchange_for",
                    &[NodeKind::TariffMeasure, NodeKind::Commitment],
                );
                let deadline = f.date(d, "deadline");
                let attribution = self.attribution(f, d);
                let status = self.claims(f, d, "status", |_, c, d| c.enum_(d, "value"));
                NodeData::Demand(Box::new(Demand {
                    demander: demander?,
                    demanded_of,
                    item,
                    deal,
                    in_exchange_for: exchange,
                    deadline,
                    attribution: attribution.map(Box::new),
                    status,
                }))
            }
            NodeKind::TariffMeasure => {
                let imposer = self.id(f, d, "imposer", PARTIES);
                let target = self.id(f, d, "target", PARTIES);
                let scope = f.str(d, "scope");
                let deal = self.opt_id(f, d, "deal", &[NodeKind::Deal]);
                let status = self.claims(f, d, "status", |_, c, d| c.enum_(d, "value"));
                let rate = self.claims(f, d, "rate", |_, c, d| rate(d, c));
                let volume_limit = self.claims(f, d, "volume_limit", |_, c, d| volume_limit(d, c));
                NodeData::TariffMeasure(Box::new(TariffMeasure {
                    imposer: imposer?,
                    target: target?,
                    scope: scope?,
                    deal,
                    status,
                    rate,
                    volume_limit,
                }))
            }
            NodeKind::Event => {
                let kind = f.enum_(d, "kind");
                let date = f.date(d, "date");
                let duration = self.claims(f, d, "duration", |_, c, d| {
                    let mut q = c.table(d, "quantity");
                    let v = q.as_mut().and_then(|q| quantity(d, q));
                    if let Some(q) = q {
                        q.finish(d);
                    } else {
                        d.error(
                            &c.span(),
                            Some(c.path_of("quantity")),
                            SeedErrorKind::MissingField,
                        );
                    }
                    v
                });
                let participants = self.ids(f, d, "participants", ACTORS);
                let venue = self.opt_id(f, d, "venue", &[NodeKind::Organization]);
                let place = f.opt_str(d, "place");
                let deal = self.opt_id(f, d, "deal", &[NodeKind::Deal]);
                let part_of = self.opt_id(f, d, "part_of", &[NodeKind::Event]);
                NodeData::Event(Box::new(Event {
                    kind: kind?,
                    date,
                    duration,
                    participants,
                    venue,
                    place,
                    deal,
                    part_of,
                }))
            }
            NodeKind::Statement => {
                let kind = f.enum_(d, "kind");
                let speaker = self.opt_id(f, d, "speaker", ACTORS);
                let quotes = f.strings(d, "quotes").into_iter().map(|(s, _)| s).collect();
                let date = f.date(d, "date");
                let event = self.opt_id(f, d, "event", &[NodeKind::Event]);
                let venue = self.opt_id(f, d, "venue", &[NodeKind::Organization]);
                let about = self.ids(f, d, "about", NodeKind::ALL);
                let reported_by = self.ids(f, d, "reported_by", &[NodeKind::Organization]);
                let attributed_to = self.claims(f, d, "attributed_to", |_, c, d| c.str(d, "value"));
                let caveat = f.opt_str(d, "caveat");
                NodeData::Statement(Box::new(Statement {
                    kind: kind?,
                    speaker,
                    quotes,
                    date,
                    event,
                    venue,
                    about,
                    reported_by,
                    attributed_to,
                    caveat,
                }))
            }
            NodeKind::Project => {
                let value = self.claims(f, d, "value", |_, c, d| amount_value(d, c));
                let place = f.opt_str(d, "place");
                NodeData::Project(Box::new(Project { value, place }))
            }
            NodeKind::Source => {
                let kind = f.enum_(d, "kind");
                let title = f.str(d, "title");
                let published = f.date(d, "published");
                let publisher = self.opt_id(f, d, "publisher", &[NodeKind::Organization]);
                let file = f.opt_str(d, "file");
                if let Some(Err(e)) = file.as_deref().map(crate::model::check_file_name) {
                    let span = f.span_of("file");
                    d.error(&span, Some(f.path_of("file")), e.into());
                }
                NodeData::Source(Box::new(Source {
                    kind: kind?,
                    title: title?,
                    published,
                    publisher,
                    file,
                }))
            }
        })
    }

    /// Decodes one `[[relation]]` entry.
    pub fn relation(&mut self, f: &mut Fields, d: &mut Diag) -> Option<Relation> {
        let kind = f.enum_::<crate::model::RelationKind>(d, "kind");
        let from = self.id(f, d, "from", NodeKind::ALL);
        let to = self.id(f, d, "to", NodeKind::ALL);
        d.entry = match (&from, &kind, &to) {
            (Some(a), Some(k), Some(b)) => Some(format!("{a} -{k}-> {b}")),
            _ => None,
        };
        let key = f.opt_str(d, "key");
        let label = f.opt_str(d, "label");
        let valid_from = f.date(d, "valid_from");
        let valid_until = f.date(d, "valid_until");
        let attribution = self.attribution(f, d);
        let sources = self.sources(f, d);
        let note = f.opt_str(d, "note");
        let (kind, from, to) = (kind?, from?, to?);
        if let Err(e) = kind.check(from.kind(), to.kind()) {
            d.error(
                &f.span_of("to"),
                Some(f.path_of("to")),
                SeedErrorKind::Invalid(e),
            );
            return None;
        }
        if sources.is_empty() {
            return None;
        }
        Some(
            Relation::new(kind, from, to, sources.into()).with_details(RelationDetails {
                key: key.map(Into::into),
                label: label.map(Into::into),
                valid_from: valid_from.map(Box::new),
                valid_until: valid_until.map(Box::new),
                attribution: attribution.map(Box::new),
                note: note.map(Into::into),
            }),
        )
    }
}
