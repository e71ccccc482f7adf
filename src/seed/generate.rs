//! Synthetic graphs of any size, with every kind of the real schema, for benchmarks and
//! load tests: deterministic for a given random seed.
//!
//! [`generate`] returns a [`Generator`], an iterator of [`Record`]s: every entity first
//! (two sources, the countries and blocs, then the other kinds mixed), then the relations
//! no entity field implies. It streams: entities are made one at a time and only a few
//! numbers per entity are kept (its kind, its home country, its degree and its tickets in
//! the preferential-attachment urns), never the entities themselves.
//!
//! Every reference points at an entity already yielded, picked with probability
//! proportional to its degree plus a starting weight (large economies and big bodies
//! start heavier), so a few hubs gather most relations and most entities stay leaves.
//! The edge count (the relations entity fields imply plus the explicit ones) comes to
//! about `relations_per_entity` times the entity count: entities get fields in
//! proportion to it, and the explicit relations make up the rest.
//!
//! Its own small random generator (splitmix64) keeps the output the same across crate
//! upgrades; values are exact decimals built from integers.

mod build;
mod text;
mod words;

use std::collections::HashSet;
use std::hash::BuildHasherDefault;

use rust_decimal::Decimal;

use super::Record;
use crate::model::{
    Attribution, Claim, Currency, EntityId, ModelError, NodeKind, OrgKind, PartialDate, Rank,
    Relation, RelationDetails, RelationKind, SourceRef, When,
};
use words::Lang;

/// What to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GenerateOptions {
    /// How many entities, sources and countries included.
    pub entities: usize,
    /// About how many relations per entity, counting those entity fields imply (a
    /// commitment's pledger, a statement's speaker) and the explicit relation records.
    /// Made for 1 to 10; below 1 the relations entities cannot do without remain.
    pub relations_per_entity: usize,
    /// The random seed: the same options give the same records.
    pub rng_seed: u64,
}

/// Why a generator could not be made, or stopped.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum GenerateError {
    /// More entities than one generator numbers.
    #[error("at most {max} entities can be generated, {asked} were asked for")]
    TooManyEntities {
        /// The number asked for.
        asked: usize,
        /// The largest number allowed.
        max: usize,
    },
    /// The model refused a value the generator built: a bug in the generator.
    #[error("the generator built a value the model refuses: {0}")]
    Model(#[from] ModelError),
}

type Result<T, E = GenerateError> = std::result::Result<T, E>;

/// The most entities one generator numbers (entities are numbered with `u32`).
const MAX_ENTITIES: usize = u32::MAX as usize / 2;

/// How many of the latest documents most citations come from.
const RECENT_DOCS: usize = 32;

/// The most countries and blocs, so that their two-letter codes stay unique.
const MAX_COUNTRIES: usize = 240;

/// Makes a generator; fails only for more entities than [`MAX_ENTITIES`].
pub fn generate(options: &GenerateOptions) -> Result<Generator> {
    if options.entities > MAX_ENTITIES {
        return Err(GenerateError::TooManyEntities {
            asked: options.entities,
            max: MAX_ENTITIES,
        });
    }
    let n = options.entities as u32;
    let per_entity = options.relations_per_entity.min(1000) as u64;
    let country_count = if n <= 2 {
        0
    } else {
        (n / 40)
            .clamp(8, MAX_COUNTRIES as u32)
            .min((n - 2) / 3)
            .max(1)
    };
    let countries = countries(options.rng_seed, country_count as usize)?;
    let majors = words::MAJOR_CURRENCIES
        .iter()
        .map(|&(code, exp, lo, hi, weight)| {
            let currency = code.parse::<Currency>()?;
            Ok((
                Scale {
                    currency,
                    exp,
                    lo,
                    hi,
                },
                weight,
            ))
        })
        .collect::<Result<Vec<_>, ModelError>>()?;
    let mixed = n.saturating_sub(2 + country_count);
    Ok(Generator {
        n,
        per_entity,
        seed: options.rng_seed,
        rng: Rng::new(options.rng_seed),
        quota: Quota::new(per_entity, n, mixed),
        countries,
        majors,
        meta: Vec::with_capacity(n as usize),
        degree: Vec::with_capacity(n as usize),
        urns: Default::default(),
        docs: Vec::new(),
        notes: Vec::new(),
        implied: 0,
        stage: Stage::Entities,
        explicit: Explicit::default(),
        error: None,
    })
}

/// The records of a synthetic graph, entities first; see the [module](self) docs.
#[derive(Debug)]
pub struct Generator {
    n: u32,
    per_entity: u64,
    seed: u64,
    rng: Rng,
    quota: Quota,
    countries: Vec<CountryInfo>,
    /// The currencies most pledges are made in, with the scale of a typical amount and
    /// how often each is chosen.
    majors: Vec<(Scale, u32)>,
    /// Per entity, by number: what it is and where it belongs.
    meta: Vec<Meta>,
    /// Per entity, by number: the relations it has so far.
    degree: Vec<u32>,
    /// Per pool, a ticket per entity and per relation end it has: a uniform draw from an
    /// urn picks an entity with probability proportional to its degree plus its start.
    urns: [Vec<u32>; POOLS],
    /// The document sources so far, which citations pick from.
    docs: Vec<EntityId>,
    /// The curator notes so far.
    notes: Vec<EntityId>,
    /// The relations entity fields have implied so far.
    implied: u64,
    stage: Stage,
    explicit: Explicit,
    error: Option<GenerateError>,
}

impl Generator {
    /// What stopped the generator early, if anything did: a value the model refused,
    /// which the generator is built never to make.
    pub fn error(&self) -> Option<&GenerateError> {
        self.error.as_ref()
    }

    /// The relations entity fields implied, once every entity has been yielded.
    pub fn implied_relations(&self) -> u64 {
        self.implied
    }

    /// The explicit relation records yielded so far.
    pub fn explicit_relations(&self) -> u64 {
        self.explicit.emitted
    }

    fn step(&mut self) -> Result<Option<Record>> {
        loop {
            match self.stage {
                Stage::Entities => {
                    let g = self.meta.len() as u32;
                    if g < self.n {
                        return self.entity(g).map(|n| Some(Record::Entity(n)));
                    }
                    self.start_explicit();
                    self.stage = Stage::Relations;
                }
                Stage::Relations => {
                    return match self.explicit_step()? {
                        Some(r) => Ok(Some(Record::Relation(r))),
                        None => {
                            self.stage = Stage::Done;
                            Ok(None)
                        }
                    };
                }
                Stage::Done => return Ok(None),
            }
        }
    }
}

impl Iterator for Generator {
    type Item = Record;

    fn next(&mut self) -> Option<Record> {
        match self.step() {
            Ok(record) => record,
            Err(e) => {
                self.error = Some(e);
                self.stage = Stage::Done;
                None
            }
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = match self.stage {
            Stage::Entities => (self.n as usize).saturating_sub(self.meta.len()),
            _ => 0,
        };
        (left, None)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stage {
    Entities,
    Relations,
    Done,
}

/// Where references are drawn from: a kind of entity, organizations split by kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
enum Pool {
    Source,
    Country,
    Person,
    Gov,
    Company,
    Media,
    Intl,
    Party,
    Delegation,
    Deal,
    Commitment,
    Demand,
    Tariff,
    Event,
    Statement,
    Project,
}

const POOLS: usize = 16;

const ORGS: &[Pool] = &[
    Pool::Gov,
    Pool::Company,
    Pool::Media,
    Pool::Intl,
    Pool::Party,
    Pool::Delegation,
];
const ACTORS: &[Pool] = &[
    Pool::Country,
    Pool::Person,
    Pool::Gov,
    Pool::Company,
    Pool::Media,
    Pool::Intl,
    Pool::Party,
    Pool::Delegation,
];

impl Pool {
    fn kind(self) -> NodeKind {
        match self {
            Pool::Source => NodeKind::Source,
            Pool::Country => NodeKind::Country,
            Pool::Person => NodeKind::Person,
            Pool::Gov
            | Pool::Company
            | Pool::Media
            | Pool::Intl
            | Pool::Party
            | Pool::Delegation => NodeKind::Organization,
            Pool::Deal => NodeKind::Deal,
            Pool::Commitment => NodeKind::Commitment,
            Pool::Demand => NodeKind::Demand,
            Pool::Tariff => NodeKind::TariffMeasure,
            Pool::Event => NodeKind::Event,
            Pool::Statement => NodeKind::Statement,
            Pool::Project => NodeKind::Project,
        }
    }

    fn org_kind(self) -> OrgKind {
        match self {
            Pool::Company => OrgKind::Company,
            Pool::Media => OrgKind::MediaOutlet,
            Pool::Intl => OrgKind::InternationalOrganization,
            Pool::Party => OrgKind::Party,
            Pool::Delegation => OrgKind::Delegation,
            _ => OrgKind::GovernmentBody,
        }
    }

    /// Whether anything points at entities of this pool: statements and sources are
    /// never the target of a relation here, so they hold no tickets.
    fn is_target(self) -> bool {
        !matches!(self, Pool::Source | Pool::Statement)
    }

    /// Whether explicit relations start from entities of this pool.
    fn is_origin(self) -> bool {
        ACTORS.contains(&self) || matches!(self, Pool::Event | Pool::Commitment)
    }
}

/// The mix of kinds after the sources and countries, per thousand entities.
const MIX: &[(Pool, u32)] = &[
    (Pool::Source, 20),
    (Pool::Person, 120),
    (Pool::Gov, 35),
    (Pool::Company, 35),
    (Pool::Media, 10),
    (Pool::Intl, 5),
    (Pool::Party, 8),
    (Pool::Delegation, 7),
    (Pool::Deal, 40),
    (Pool::Commitment, 200),
    (Pool::Demand, 40),
    (Pool::Tariff, 80),
    (Pool::Event, 120),
    (Pool::Statement, 220),
    (Pool::Project, 60),
];

/// The first mixed entities take each pool in turn, so that every kind appears in any
/// graph of a few dozen entities.
const FIRST: &[Pool] = &[
    Pool::Gov,
    Pool::Company,
    Pool::Media,
    Pool::Intl,
    Pool::Party,
    Pool::Delegation,
    Pool::Person,
    Pool::Deal,
    Pool::Tariff,
    Pool::Demand,
    Pool::Commitment,
    Pool::Project,
    Pool::Event,
    Pool::Statement,
    Pool::Source,
];

/// Per pool: the relations its entities' fields always imply, how strongly they take
/// more as the graph gets denser, and the most more they take.
fn fields_of(pool: Pool) -> (u32, u32, u32) {
    match pool {
        Pool::Source => (0, 1, 1),
        Pool::Person => (1, 2, 2),
        Pool::Gov | Pool::Company | Pool::Media | Pool::Intl | Pool::Party | Pool::Delegation => {
            (1, 2, 1)
        }
        Pool::Deal => (2, 2, 4),
        Pool::Commitment => (1, 8, 10),
        Pool::Demand => (2, 3, 4),
        Pool::Tariff => (2, 1, 1),
        Pool::Event => (0, 6, 10),
        Pool::Statement => (0, 6, 8),
        Pool::Country | Pool::Project => (0, 0, 0),
    }
}

/// How many relations each entity's fields imply beyond its minimum: the mean per unit
/// of a pool's weight, chosen so that implied relations come to a share of the target
/// that falls as the graph gets denser (85% at one relation per entity, about 60% at five).
#[derive(Debug, Clone, Copy)]
struct Quota {
    /// Mean extra relations per unit of weight, in ten-thousandths.
    per_weight: u64,
    /// Implied relations wanted per entity, in hundredths.
    target: u64,
}

impl Quota {
    fn new(per_entity: u64, n: u32, mixed: u32) -> Self {
        let target = match per_entity {
            0 => 0,
            r => 85 + 55 * (r - 1),
        };
        let mixed = u64::from(mixed.max(1));
        let minimum: u64 = MIX
            .iter()
            .map(|&(p, w)| u64::from(w * fields_of(p).0))
            .sum();
        let weighted: u64 = MIX
            .iter()
            .map(|&(p, w)| u64::from(w * fields_of(p).1))
            .sum();
        // Hundredths of relations: what the entities must imply, less their minimum.
        let wanted = target * u64::from(n);
        let floor = minimum * mixed / 10;
        let extra = wanted.saturating_sub(floor);
        let per_weight = (u128::from(extra) * 100 * 1000
            / (u128::from(mixed) * u128::from(weighted.max(1))))
        .min(u128::from(u32::MAX)) as u64;
        Quota { per_weight, target }
    }
}

/// The size of a typical large amount in a currency: `lo` to `hi` times ten to the `exp`.
#[derive(Debug, Clone, Copy)]
struct Scale {
    currency: Currency,
    exp: u32,
    lo: u64,
    hi: u64,
}

/// What is kept per entity.
#[derive(Debug, Clone, Copy)]
struct Meta {
    pool: Pool,
    /// The country it belongs to (an index into the countries).
    home: u8,
    /// The country on the other side, for a deal, pledge, tariff or demand.
    partner: u8,
}

/// A country or bloc, kept whole: there are at most a few hundred.
#[derive(Debug, Clone)]
struct CountryInfo {
    id: EntityId,
    name: String,
    /// The short form in other ids (`jp`).
    short: String,
    adjective: String,
    capital: String,
    code: Option<String>,
    currency: Currency,
    lang: Lang,
    weight: u32,
    bloc: bool,
    aliases: Vec<String>,
}

/// The countries: real ones first, largest first, then made-up ones with codes no real
/// one uses (or none).
fn countries(seed: u64, count: usize) -> Result<Vec<CountryInfo>> {
    let mut out: Vec<CountryInfo> = Vec::with_capacity(count);
    for c in words::REAL_COUNTRIES.iter().take(count) {
        out.push(CountryInfo {
            id: EntityId::parse(&format!("country:{}", c.slug))?,
            name: c.name.to_string(),
            short: c.slug.to_string(),
            adjective: c.adjective.to_string(),
            capital: c.capital.to_string(),
            code: c.code.map(str::to_string),
            currency: c.currency.parse()?,
            lang: c.lang,
            weight: c.weight,
            bloc: c.bloc,
            aliases: c.aliases.iter().map(|a| a.to_string()).collect(),
        });
    }
    let mut codes = (0..26u16 * 26).map(|i| {
        let code = [b'A' + (i / 26) as u8, b'A' + (i % 26) as u8];
        String::from_utf8_lossy(&code).into_owned()
    });
    let mut r = Rng::new(mix(seed, 0xC0C0));
    let mut i = 0;
    while out.len() < count {
        i += 1;
        let name = text::made_up_country(&mut r);
        if out.iter().any(|c| c.name == name) {
            continue;
        }
        // Every ninth made-up country has no code, as blocs and groups have none.
        let code = if i % 9 == 0 {
            None
        } else {
            codes.find(|code| {
                code != "EU" && !out.iter().any(|c| c.code.as_deref() == Some(code.as_str()))
            })
        };
        let mut short = text::slug_words(&name);
        if out.iter().any(|c| c.short == short) {
            short = format!("{short}-{i}");
        }
        let adjective = text::adjective(&name);
        let capital = text::capital(&mut r, &name);
        let currency = words::SMALL_CURRENCIES[i % words::SMALL_CURRENCIES.len()].parse()?;
        let mut aliases = vec![format!("Republic of {name}"), capital.clone()];
        aliases.extend(text::accented(&name));
        aliases.extend(code.clone());
        out.push(CountryInfo {
            id: EntityId::parse(&format!("country:{short}"))?,
            name,
            short,
            adjective,
            capital,
            code,
            currency,
            lang: Lang::Other,
            weight: 1,
            bloc: false,
            aliases,
        });
    }
    Ok(out)
}

impl Generator {
    /// Makes entity number `g`.
    fn entity(&mut self, g: u32) -> Result<crate::model::Node> {
        let countries = self.countries.len() as u32;
        let pool = if g < 2 {
            Pool::Source
        } else if g < 2 + countries {
            Pool::Country
        } else {
            self.mixed_pool(g - 2 - countries)
        };
        self.meta.push(Meta {
            pool,
            home: 0,
            partner: 0,
        });
        self.degree.push(0);
        let extra = self.extra(g, pool);
        let (node, weight) = match pool {
            Pool::Source => self.source(g, extra)?,
            Pool::Country => self.country((g - 2) as usize)?,
            Pool::Person => self.person(g, extra)?,
            Pool::Gov
            | Pool::Company
            | Pool::Media
            | Pool::Intl
            | Pool::Party
            | Pool::Delegation => self.organization(g, pool, extra)?,
            Pool::Deal => self.deal(g, extra)?,
            Pool::Commitment => self.commitment(g, extra)?,
            Pool::Demand => self.demand(g, extra)?,
            Pool::Tariff => self.tariff(g, extra)?,
            Pool::Event => self.event(g, extra)?,
            Pool::Statement => self.statement(g, extra)?,
            Pool::Project => self.project(g)?,
        };
        if pool.is_target() {
            let urn = &mut self.urns[pool as usize];
            urn.extend(std::iter::repeat_n(g, weight.max(1) as usize));
        }
        Ok(node)
    }

    fn mixed_pool(&mut self, i: u32) -> Pool {
        if let Some(&p) = FIRST.get(i as usize) {
            return p;
        }
        self.rng.weighted(MIX)
    }

    /// How many relations beyond its minimum this entity's fields imply: drawn around
    /// its pool's mean, none while the graph is ahead of its target.
    fn extra(&mut self, g: u32, pool: Pool) -> u32 {
        let (_, weight, cap) = fields_of(pool);
        if weight == 0 {
            return 0;
        }
        let allowed = self.quota.target * u64::from(g + 1) / 100 + 20;
        if self.implied >= allowed {
            return 0;
        }
        let mean = self.quota.per_weight * u64::from(weight);
        let v = self.rng.below(2 * mean + 1);
        let whole = v / 10_000 + u64::from(self.rng.below(10_000) < v % 10_000);
        whole.min(u64::from(cap)) as u32
    }

    /// Records a relation between two entities: each gains a ticket in its urn.
    fn link(&mut self, a: u32, b: u32) {
        if self.stage == Stage::Entities {
            self.implied += 1;
        }
        for x in [a, b] {
            if let Some(d) = self.degree.get_mut(x as usize) {
                *d += 1;
            }
            let pool = self.meta[x as usize].pool;
            if pool.is_target() {
                self.urns[pool as usize].push(x);
            }
        }
    }

    /// An entity of one of `pools`, by preferential attachment; none of `avoid`.
    fn pick(&mut self, pools: &[Pool], avoid: &[u32]) -> Option<u32> {
        let total: usize = pools.iter().map(|p| self.urns[*p as usize].len()).sum();
        if total == 0 {
            return None;
        }
        for _ in 0..8 {
            let mut r = self.rng.below(total as u64) as usize;
            for p in pools {
                let urn = &self.urns[*p as usize];
                if r < urn.len() {
                    let g = urn[r];
                    if !avoid.contains(&g) {
                        return Some(g);
                    }
                    break;
                }
                r -= urn.len();
            }
        }
        None
    }

    /// An actor: a country most often, then a person or an organization.
    fn pick_actor(&mut self, country: u32, person: u32, avoid: &[u32]) -> Option<u32> {
        let roll = self.rng.below(100) as u32;
        let pools: &[Pool] = if roll < country {
            &[Pool::Country]
        } else if roll < country + person {
            &[Pool::Person]
        } else {
            ORGS
        };
        self.pick(pools, avoid)
            .or_else(|| self.pick(&[Pool::Country], avoid))
    }

    fn home(&self, g: u32) -> u8 {
        self.meta[g as usize].home
    }

    fn country_of(&self, g: u32) -> &CountryInfo {
        &self.countries[self.home(g) as usize]
    }

    /// The random numbers that decide an entity's identity (its name, and the words of
    /// its id): drawn afresh from the seed and its number, so its id can be made again
    /// wherever it is referred to, without keeping it.
    fn ident(&self, g: u32) -> Rng {
        Rng::new(mix(self.seed, u64::from(g)))
    }

    /// The id of entity `g`, made again from what is kept of it.
    fn id_of(&self, g: u32) -> Result<EntityId> {
        let m = self.meta[g as usize];
        if m.pool == Pool::Country {
            return Ok(self.countries[m.home as usize].id.clone());
        }
        let words = self.slug_words(g);
        Ok(EntityId::parse(&format!(
            "{}:{}",
            m.pool.kind().as_str(),
            text::slug(&words, g)
        ))?)
    }

    /// The ids of entities `list`.
    fn ids_of(&self, list: &[u32]) -> Result<Vec<EntityId>> {
        list.iter().map(|g| self.id_of(*g)).collect()
    }

    /// The id of entity `g`, where there is one.
    fn opt_id(&self, g: Option<u32>) -> Result<Option<EntityId>> {
        g.map(|g| self.id_of(g)).transpose()
    }

    /// The name of an actor, made again from what is kept of it; for other kinds, a
    /// phrase for it.
    fn name_of(&self, g: u32) -> String {
        let m = self.meta[g as usize];
        let country = &self.countries[m.home as usize];
        match m.pool {
            Pool::Country => country.name.clone(),
            Pool::Person => text::person(&mut self.ident(g), country.lang).display,
            p if ORGS.contains(&p) => text::org_name(&mut self.ident(g), p, country),
            p => format!("a {} of {}", p.kind().type_name(), country.name),
        }
    }

    /// The words of entity `g`'s id before its number.
    fn slug_words(&self, g: u32) -> String {
        let m = self.meta[g as usize];
        let home = &self.countries[m.home as usize];
        // The two sides, as in `jp-us`; one where both are the same.
        let sides = if m.partner == m.home {
            home.short.clone()
        } else {
            format!(
                "{}-{}",
                home.short, self.countries[m.partner as usize].short
            )
        };
        let mut r = self.ident(g);
        match m.pool {
            Pool::Person => text::slug_words(&text::person(&mut r, home.lang).display),
            p if ORGS.contains(&p) => text::slug_words(&text::org_name(&mut r, p, home)),
            Pool::Deal => format!("{sides}-{}", deal_form(&mut r)),
            Pool::Commitment => format!("{sides}-{}", commitment_kind(&mut r).as_str()),
            Pool::Demand => format!("{sides}-{}-demand", product_slug(&mut r)),
            Pool::Tariff => format!("{sides}-{}", product_slug(&mut r)),
            Pool::Event => format!("{}-{sides}", event_kind(&mut r).as_str()),
            Pool::Project => {
                let (place, kind) = project_ident(&mut r);
                text::slug_words(&format!("{place} {kind}"))
            }
            Pool::Statement => format!("{}-statement", home.short),
            _ => "entity".to_string(),
        }
    }

    /// One or two citations: mostly a line of a document, sometimes with who the
    /// document attributes the fact to or a note; now and then a curator note.
    fn cite(&mut self) -> Vec<SourceRef> {
        let mut out = vec![self.cite_doc()];
        if self.rng.chance(20) {
            let more = if self.rng.chance(25) {
                self.cite_note()
            } else {
                self.cite_doc()
            };
            if !out.contains(&more) {
                out.push(more);
            }
        }
        out
    }

    /// A line of a document: mostly one of the latest few, as news is reported by the
    /// articles of its day.
    fn cite_doc(&mut self) -> SourceRef {
        let recent = self.docs.len().saturating_sub(RECENT_DOCS);
        let from = if self.rng.chance(75) { recent } else { 0 };
        let Some(source) = self.rng.choose(&self.docs[from..]).cloned() else {
            return self.cite_note();
        };
        let attribution = self.rng.chance(8).then(|| {
            let who = self
                .rng
                .choose_str(&["the White House", "officials", "the ministry"]);
            format!("according to {who}")
        });
        let note = self
            .rng
            .chance(4)
            .then(|| "The paragraph is unclear on this point.".to_string());
        SourceRef {
            source,
            line: Some(1 + self.rng.below(60) as u32),
            attribution: attribution.map(Into::into),
            note: note.map(Into::into),
        }
    }

    /// A curator note, cited without a line (a document where there is no note yet).
    fn cite_note(&mut self) -> SourceRef {
        match self.rng.choose(&self.notes).cloned() {
            Some(source) => SourceRef {
                source,
                line: None,
                attribution: None,
                note: None,
            },
            None => self.cite_doc(),
        }
    }

    /// A date in month `m` (months since January 2015), as a source may give it: to the
    /// day, month or year, inferred, or only as the range it lies in.
    fn when(&mut self, m: u32) -> Result<When> {
        let d = 1 + self.rng.below(28) as u8;
        Ok(match self.rng.below(20) {
            0..=11 => When::stated(ymd(m, d)?),
            12..=14 => When::stated(month(m)?),
            15 => When::stated(year(m)?),
            16 | 17 => When {
                inferred: true,
                note: Some("The source gives the day and month; the year is from context.".into()),
                ..When::stated(ymd(m, d)?)
            },
            _ => When {
                date: None,
                inferred: true,
                note: Some("The source does not date it.".into()),
                not_before: Some(Box::new(crate::model::DateBound {
                    date: ymd(m, d)?,
                    reason: "the talks before it were still open".into(),
                })),
                not_after: Some(Box::new(crate::model::DateBound {
                    date: ymd(m + 1, d)?,
                    reason: "later reports treat it as done".into(),
                })),
            },
        })
    }

    /// A month for the start of an entity's story, 2018 to mid-2026.
    fn start_month(&mut self) -> u32 {
        36 + self.rng.below(103) as u32
    }

    /// A claim with the usual defaults.
    fn claim<T>(&mut self, key: impl Into<String>, value: T) -> Claim<T> {
        Claim {
            key: key.into(),
            value,
            announced: None,
            valid_from: None,
            valid_until: None,
            rank: Rank::Normal,
            approximate: false,
            attribution: None,
            made_by: None,
            supersedes: None,
            sources: self.cite(),
            caveat: None,
            note: None,
        }
    }

    /// Who a claim or relation is attributed to: an actor by name.
    fn attribution(&mut self, avoid: &[u32]) -> Result<Option<Box<Attribution>>> {
        let Some(by) = self.pick_actor(30, 50, avoid) else {
            return Ok(None);
        };
        Ok(Some(Box::new(Attribution {
            text: Some(format!("according to {}", self.name_of(by))),
            by: Some(self.id_of(by)?),
        })))
    }
}

/// How a deal is called (drawn as the first part of its identity).
fn deal_form(r: &mut Rng) -> String {
    text::slug_words(r.choose_str(words::DEAL_FORMS))
}

fn commitment_kind(r: &mut Rng) -> crate::model::CommitmentKind {
    use crate::model::CommitmentKind as K;
    r.weighted(&[
        (K::Investment, 25),
        (K::Purchase, 25),
        (K::Procurement, 12),
        (K::ImportIncrease, 15),
        (K::Participation, 8),
        (K::MarketAccess, 8),
        (K::Concessions, 7),
    ])
}

fn event_kind(r: &mut Rng) -> crate::model::EventKind {
    let kinds = crate::model::EventKind::ALL;
    kinds[r.index(kinds.len())]
}

fn product(r: &mut Rng) -> &'static str {
    r.choose_str(words::PRODUCTS)
}

fn product_slug(r: &mut Rng) -> String {
    text::slug_words(product(r))
}

fn project_ident(r: &mut Rng) -> (&'static str, &'static str) {
    (
        r.choose_str(words::PROJECT_PLACES),
        r.choose_str(words::PROJECT_TYPES),
    )
}

/// The explicit relations: which entity they start from now, and how many are left.
#[derive(Debug, Default)]
struct Explicit {
    /// The explicit relations wanted in all.
    target: u64,
    emitted: u64,
    /// The weight (degree plus one) of the origins not reached yet.
    weight_left: u64,
    next_origin: u32,
    origin: Option<Origin>,
}

/// An entity explicit relations start from, with the relations it still needs and the
/// ones it has (so that no two get one id).
#[derive(Debug)]
struct Origin {
    g: u32,
    id: EntityId,
    left: u64,
    failures: u32,
    seen: HashSet<(RelationKind, u32, u16), BuildHasherDefault<Fnv>>,
}

/// FNV-1a: a fixed, fast hash for the small sets of pairs an origin has joined.
#[derive(Debug, Default)]
struct Fnv(u64);

impl std::hash::Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for b in bytes {
            h = (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
}

impl Generator {
    fn start_explicit(&mut self) {
        let wanted = self.per_entity * u64::from(self.n);
        self.explicit.target = wanted.saturating_sub(self.implied);
        self.explicit.weight_left = self
            .meta
            .iter()
            .zip(&self.degree)
            .filter(|(m, _)| m.pool.is_origin())
            .map(|(_, d)| u64::from(*d) + 1)
            .sum();
    }

    /// The next explicit relation, starting from entities in order, each taking a share
    /// of what is left in proportion to its degree: hubs get more.
    fn explicit_step(&mut self) -> Result<Option<Relation>> {
        loop {
            if let Some(mut o) = self.explicit.origin.take() {
                if o.left > 0 && o.failures < 24 {
                    let made = self.explicit_relation(&mut o)?;
                    match made {
                        Some(_) => o.left -= 1,
                        None => o.failures += 1,
                    }
                    self.explicit.origin = Some(o);
                    if let Some(r) = made {
                        return Ok(Some(r));
                    }
                    continue;
                }
            }
            let ex = &mut self.explicit;
            let remaining = ex.target.saturating_sub(ex.emitted);
            let g = ex.next_origin;
            if remaining == 0 || g >= self.n {
                return Ok(None);
            }
            ex.next_origin += 1;
            if !self.meta[g as usize].pool.is_origin() {
                continue;
            }
            let w = u64::from(self.degree[g as usize]) + 1;
            let ex = &mut self.explicit;
            let share =
                u128::from(remaining) * u128::from(w) * 1000 / u128::from(ex.weight_left.max(1));
            ex.weight_left = ex.weight_left.saturating_sub(w);
            let fraction = (share % 1000) as u64;
            let mut count = (share / 1000) as u64 + u64::from(self.rng.below(1000) < fraction);
            count = count.min(ex.target / 20 + 8);
            if count > 0 {
                self.explicit.origin = Some(Origin {
                    g,
                    id: self.id_of(g)?,
                    left: count,
                    failures: 0,
                    seen: HashSet::default(),
                });
            }
        }
    }

    /// One explicit relation from `o`, or none when the target drawn will not do.
    fn explicit_relation(&mut self, o: &mut Origin) -> Result<Option<Relation>> {
        use RelationKind as R;
        let pool = self.meta[o.g as usize].pool;
        let about: &[Pool] = &[
            Pool::Country,
            Pool::Person,
            Pool::Gov,
            Pool::Company,
            Pool::Intl,
            Pool::Commitment,
            Pool::Demand,
            Pool::Tariff,
            Pool::Project,
            Pool::Event,
        ];
        let (kind, targets): (RelationKind, &[Pool]) = match pool {
            Pool::Country => self.rng.weighted(&[
                ((R::AllyOf, &[Pool::Country][..]), 15),
                ((R::RivalOf, &[Pool::Country][..]), 5),
                (
                    (R::Pressures, &[Pool::Country, Pool::Gov, Pool::Company][..]),
                    25,
                ),
                ((R::MemberOf, &[Pool::Intl][..]), 15),
                ((R::ParticipatesIn, &[Pool::Project][..]), 20),
                (
                    (R::InvitedTo, &[Pool::Project, Pool::Deal, Pool::Event][..]),
                    20,
                ),
            ]),
            Pool::Person => self.rng.weighted(&[
                (
                    (R::MemberOf, &[Pool::Delegation, Pool::Party, Pool::Gov][..]),
                    40,
                ),
                (
                    (R::Pressures, &[Pool::Person, Pool::Country, Pool::Gov][..]),
                    20,
                ),
                ((R::RivalOf, &[Pool::Person][..]), 10),
                ((R::InvitedTo, &[Pool::Event, Pool::Deal][..]), 30),
            ]),
            Pool::Event => self.rng.weighted(&[
                ((R::About, about), 70),
                ((R::ReportedBy, &[Pool::Media][..]), 30),
            ]),
            Pool::Commitment => (R::PartOf, &[Pool::Project][..]),
            Pool::Company => self.rng.weighted(&[
                ((R::Supplies, &[Pool::Project][..]), 35),
                ((R::ParticipatesIn, &[Pool::Project][..]), 25),
                ((R::MemberOf, &[Pool::Intl][..]), 15),
                ((R::Pressures, &[Pool::Gov, Pool::Country][..]), 15),
                ((R::RivalOf, &[Pool::Company][..]), 10),
            ]),
            _ => self.rng.weighted(&[
                ((R::MemberOf, &[Pool::Intl][..]), 25),
                ((R::ParticipatesIn, &[Pool::Project][..]), 20),
                (
                    (R::InvitedTo, &[Pool::Project, Pool::Deal, Pool::Event][..]),
                    30,
                ),
                ((R::Pressures, &[Pool::Country, Pool::Gov][..]), 25),
            ]),
        };
        let Some(t) = self.pick(targets, &[o.g]) else {
            return Ok(None);
        };
        // A symmetric relation goes from the later entity to the earlier, so a pair
        // never gets it both ways.
        if kind.is_symmetric() && t >= o.g {
            return Ok(None);
        }
        let mut key = None;
        if !o.seen.insert((kind, t, 0)) {
            // The same pair again: a second occasion, told apart by its year.
            let keyed = matches!(kind, R::Pressures | R::InvitedTo | R::About | R::MemberOf);
            let year = 2019 + self.rng.below(8) as u16;
            if !keyed || !self.rng.chance(30) || !o.seen.insert((kind, t, year)) {
                return Ok(None);
            }
            key = Some(year);
        }
        let start = match key {
            Some(y) => Some(When::stated(year_of(y)?)),
            None if self.rng.chance(35) => {
                let m = self.start_month();
                Some(self.when(m)?)
            }
            None => None,
        };
        let until = match &start {
            Some(w) if self.rng.chance(12) => {
                let after = w.latest().map_or(2027, |(y, _, _)| y + 1);
                Some(When::stated(format!("{after:04}").parse::<PartialDate>()?))
            }
            _ => None,
        };
        let attribution = if self.rng.chance(15) {
            self.attribution(&[o.g, t])?
        } else {
            None
        };
        let note = self
            .rng
            .chance(8)
            .then(|| "The source implies this rather than stating it.".to_string());
        let label = relation_label(&mut self.rng, kind);
        let to = self.id_of(t)?;
        self.link(o.g, t);
        if t > o.g && self.meta[t as usize].pool.is_origin() {
            self.explicit.weight_left += 1;
        }
        self.explicit.emitted += 1;
        let relation = Relation::new(kind, o.id.clone(), to, self.cite().into());
        Ok(Some(relation.with_details(RelationDetails {
            key: key.map(|y| y.to_string().into()),
            label: label.map(Into::into),
            valid_from: start.map(Box::new),
            valid_until: until.map(Box::new),
            attribution,
            note: note.map(Into::into),
        })))
    }
}

/// A short label for an explicit relation, now and then.
fn relation_label(r: &mut Rng, kind: RelationKind) -> Option<String> {
    use RelationKind as R;
    if !r.chance(60) {
        return None;
    }
    let options: &[&str] = match kind {
        R::MemberOf => &["member", "chief negotiator", "observer", "founding member"],
        R::Pressures => &[
            "to cut tariffs",
            "to match its rivals' concessions",
            "to buy more farm goods",
            "before the deadline",
        ],
        R::ParticipatesIn => &["planned", "equity partner", "lead investor"],
        R::InvitedTo => &[
            "asked to join",
            "invited by the host",
            "observer seat offered",
        ],
        R::AllyOf => &["treaty ally", "security partner"],
        R::RivalOf => &["competitor for the same market", "rivals by their account"],
        R::Supplies => &["main contractor", "equipment supplier"],
        R::About => &[
            "the subject of the talks",
            "mentioned in passing",
            "the figure discussed",
        ],
        R::ReportedBy => &["carried the story", "broadcast it"],
        R::PartOf => &["its stake in the venture"],
        _ => &["related"],
    };
    Some(r.choose_str(options).to_string())
}

/// A day of month `m` (months since January 2015).
fn ymd(m: u32, d: u8) -> Result<PartialDate> {
    Ok(PartialDate::ymd(
        2015 + (m / 12) as i32,
        (m % 12 + 1) as u8,
        d,
    )?)
}

fn month(m: u32) -> Result<PartialDate> {
    Ok(format!("{:04}-{:02}", 2015 + m / 12, m % 12 + 1).parse()?)
}

fn year(m: u32) -> Result<PartialDate> {
    year_of((2015 + m / 12) as u16)
}

fn year_of(y: u16) -> Result<PartialDate> {
    Ok(format!("{y:04}").parse()?)
}

/// An exact decimal: `units` scaled down by `scale` decimal places.
fn decimal(units: u64, scale: u32) -> Decimal {
    // Both are small: amounts stay far below i64::MAX and scales at most 2.
    Decimal::new(units.min(i64::MAX as u64) as i64, scale.min(28))
}

/// splitmix64: small, fast and fixed, so the output never changes with a crate.
#[derive(Debug, Clone)]
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        Rng(seed)
    }

    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number below `n` (0 when `n` is 0).
    fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }

    /// An index into a slice of `len` items.
    fn index(&mut self, len: usize) -> usize {
        self.below(len as u64) as usize
    }

    /// True with `percent` chances in a hundred.
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    fn choose<'a, T>(&mut self, items: &'a [T]) -> Option<&'a T> {
        items.get(self.index(items.len()))
    }

    /// A word of a list that is never empty.
    fn choose_str(&mut self, items: &[&'static str]) -> &'static str {
        self.choose(items).copied().unwrap_or("")
    }

    /// One of `items`, each as likely as its weight.
    fn weighted<T: Copy>(&mut self, items: &[(T, u32)]) -> T {
        let total: u64 = items.iter().map(|(_, w)| u64::from(*w)).sum();
        let mut r = self.below(total);
        for (item, w) in items {
            if r < u64::from(*w) {
                return *item;
            }
            r -= u64::from(*w);
        }
        items[items.len() - 1].0
    }
}

/// Mixes two numbers into a seed.
fn mix(a: u64, b: u64) -> u64 {
    Rng::new(a ^ b.wrapping_mul(0xD6E8_FEB8_6659_FD93)).next_u64()
}

#[cfg(test)]
mod tests {
    use std::collections::{HashMap, HashSet};

    use super::*;
    use crate::model::{
        Amount, CommitmentKind, EventKind, Node, NodeData, RateComponentKind, SourceKind,
        StatementKind,
    };

    fn options(entities: usize, relations_per_entity: usize, rng_seed: u64) -> GenerateOptions {
        GenerateOptions {
            entities,
            relations_per_entity,
            rng_seed,
        }
    }

    fn records(entities: usize, relations_per_entity: usize, rng_seed: u64) -> Vec<Record> {
        let mut g = generate(&options(entities, relations_per_entity, rng_seed))
            .unwrap_or_else(|e| panic!("{e}"));
        let out: Vec<Record> = g.by_ref().collect();
        assert_eq!(g.error(), None);
        out
    }

    fn nodes(records: &[Record]) -> Vec<&Node> {
        records
            .iter()
            .filter_map(|r| match r {
                Record::Entity(n) => Some(n),
                Record::Relation(_) => None,
            })
            .collect()
    }

    /// Every relation of the graph the records build: those entity fields imply, then
    /// the explicit ones.
    fn relations(records: &[Record]) -> Vec<Relation> {
        let mut out = Vec::new();
        for r in records {
            match r {
                Record::Entity(n) => {
                    out.extend(n.implied_relations().into_iter().map(|i| i.relation))
                }
                Record::Relation(r) => out.push(r.clone()),
            }
        }
        out
    }

    /// Each entity's degree, smallest first; entities without relations count as 0.
    fn degrees(records: &[Record]) -> Vec<usize> {
        let rels = relations(records);
        let mut degree: HashMap<&EntityId, usize> =
            nodes(records).into_iter().map(|n| (&n.id, 0)).collect();
        for r in &rels {
            for end in [&r.from, &r.to] {
                if let Some(d) = degree.get_mut(end) {
                    *d += 1;
                }
            }
        }
        let mut out: Vec<usize> = degree.into_values().collect();
        out.sort_unstable();
        out
    }

    #[test]
    fn the_same_options_give_the_same_records() {
        let a = records(1500, 5, 7);
        assert_eq!(a, records(1500, 5, 7));
        assert_ne!(a, records(1500, 5, 8));
    }

    #[test]
    fn entities_come_first_and_number_as_asked() {
        for n in [0, 1, 2, 3, 10, 50, 3000] {
            let rs = records(n, 5, 3);
            assert_eq!(nodes(&rs).len(), n, "{n} entities");
            let first_relation = rs
                .iter()
                .position(|r| matches!(r, Record::Relation(_)))
                .unwrap_or(rs.len());
            assert!(
                rs[first_relation..]
                    .iter()
                    .all(|r| matches!(r, Record::Relation(_)))
            );
        }
        assert!(generate(&options(usize::MAX, 5, 0)).is_err());
    }

    #[test]
    fn every_kind_appears_with_its_values() {
        let rs = records(3000, 5, 11);
        let ns = nodes(&rs);
        let kinds: HashSet<NodeKind> = ns.iter().map(|n| n.kind()).collect();
        assert_eq!(kinds.len(), NodeKind::ALL.len(), "{kinds:?}");
        let mut orgs = HashSet::new();
        let mut events = HashSet::new();
        let mut statements = HashSet::new();
        let mut commitments = HashSet::new();
        let mut currencies = HashSet::new();
        let mut amounts = HashSet::new();
        let (mut baselines, mut limits, mut revised, mut deprecated) = (0, 0, 0, 0);
        let (mut for_tariffs, mut split_rates, mut changed_rates, mut spoken) = (0, 0, 0, 0);
        let (mut roles, mut curators, mut published) = (0, 0, 0);
        for n in &ns {
            for (_, claims) in n.claim_sets() {
                revised += claims
                    .iter()
                    .filter(|c| c.supersedes.is_some() && c.valid_from.is_some())
                    .count();
                deprecated += claims.iter().filter(|c| c.deprecated && c.caveat).count();
            }
            match &n.data {
                NodeData::Organization(o) => {
                    orgs.insert(o.kind);
                }
                NodeData::Event(e) => {
                    events.insert(e.kind);
                }
                NodeData::Statement(s) => {
                    statements.insert(s.kind);
                    spoken += usize::from(s.speaker.is_some() && !s.about.is_empty());
                }
                NodeData::Person(p) => roles += usize::from(!p.roles.is_empty()),
                NodeData::Source(s) => {
                    curators += usize::from(s.kind == SourceKind::Curator);
                    published += usize::from(s.publisher.is_some());
                }
                NodeData::Commitment(c) => {
                    commitments.insert(c.kind);
                    for claim in c.amount.all() {
                        amounts.insert(std::mem::discriminant(&claim.value));
                        if let Amount::Money(m) = claim.value {
                            currencies.insert(m.currency.to_string());
                        }
                    }
                    baselines += usize::from(!c.baseline.is_empty());
                    limits += usize::from(!c.limit.is_empty());
                    for_tariffs += usize::from(
                        c.in_exchange_for
                            .iter()
                            .any(|x| x.kind() == NodeKind::TariffMeasure),
                    );
                }
                NodeData::TariffMeasure(t) => {
                    let parts = |kinds: &[RateComponentKind]| {
                        t.rate.all().iter().any(|c| {
                            c.value
                                .components
                                .iter()
                                .map(|x| x.kind)
                                .collect::<Vec<_>>()
                                == kinds
                        })
                    };
                    split_rates += usize::from(parts(&[
                        RateComponentKind::Base,
                        RateComponentKind::ItemSpecific,
                    ]));
                    changed_rates += usize::from(t.rate.all().len() > 1);
                }
                _ => {}
            }
        }
        assert_eq!(orgs.len(), OrgKind::ALL.len(), "{orgs:?}");
        assert_eq!(events.len(), EventKind::ALL.len(), "{events:?}");
        assert_eq!(statements.len(), StatementKind::ALL.len(), "{statements:?}");
        assert_eq!(
            commitments.len(),
            CommitmentKind::ALL.len(),
            "{commitments:?}"
        );
        assert_eq!(amounts.len(), 3, "money, quantities and percents");
        for c in ["USD", "EUR", "JPY", "KRW", "CNY", "GBP"] {
            assert!(currencies.contains(c), "{c} in {currencies:?}");
        }
        for (what, count) in [
            ("baselines", baselines),
            ("limits", limits),
            ("revisions", revised),
            ("deprecated claims", deprecated),
            ("pledges for tariffs", for_tariffs),
            ("base plus item-specific rates", split_rates),
            ("changed rates", changed_rates),
            ("statements with speaker and subject", spoken),
            ("people with roles", roles),
            ("curator notes", curators),
            ("published sources", published),
        ] {
            assert!(count >= 3, "{count} {what}");
        }
    }

    #[test]
    fn references_point_back_and_citations_fit_their_source() {
        let rs = records(3000, 5, 5);
        let mut seen: HashMap<EntityId, Option<SourceKind>> = HashMap::new();
        let fits = |seen: &HashMap<EntityId, Option<SourceKind>>, s: &SourceRef| match (
            seen.get(&s.source),
            s.line,
        ) {
            (Some(Some(SourceKind::Document)), Some(line)) => line >= 1,
            (Some(Some(SourceKind::Curator)), None) => true,
            _ => false,
        };
        for r in &rs {
            match r {
                Record::Entity(n) => {
                    n.check().unwrap_or_else(|e| panic!("{}: {e}", n.id));
                    let kind = match &n.data {
                        NodeData::Source(s) => Some(s.kind),
                        _ => None,
                    };
                    seen.insert(n.id.clone(), kind);
                    for id in n.references() {
                        assert!(seen.contains_key(id) && *id != n.id, "{} -> {id}", n.id);
                    }
                    for c in n.citations() {
                        assert!(fits(&seen, c), "{} cites {c:?}", n.id);
                    }
                    for i in n.implied_relations() {
                        let rel = &i.relation;
                        rel.kind
                            .check(rel.from.kind(), rel.to.kind())
                            .unwrap_or_else(|e| panic!("{}: {e}", n.id));
                    }
                }
                Record::Relation(rel) => {
                    rel.kind
                        .check(rel.from.kind(), rel.to.kind())
                        .unwrap_or_else(|e| panic!("{}: {e}", rel.id()));
                    assert!(seen.contains_key(&rel.from) && seen.contains_key(&rel.to));
                    assert!(!rel.sources.is_empty());
                    for c in rel.sources.iter() {
                        assert!(fits(&seen, c), "{} cites {c:?}", rel.id());
                    }
                }
            }
        }
    }

    #[test]
    fn ids_and_codes_are_unique() {
        let rs = records(6000, 5, 2);
        let ns = nodes(&rs);
        let ids: HashSet<&EntityId> = ns.iter().map(|n| &n.id).collect();
        assert_eq!(ids.len(), ns.len());
        let rels = relations(&rs);
        let rel_ids: HashSet<String> = rels.iter().map(Relation::id).collect();
        assert_eq!(rel_ids.len(), rels.len());
        assert!(
            rels.iter()
                .any(|r| r.key().is_some() && r.kind == RelationKind::Pressures)
        );
        let codes: Vec<&String> = ns
            .iter()
            .filter_map(|n| match &n.data {
                NodeData::Country(c) => c.code.as_ref(),
                _ => None,
            })
            .collect();
        let unique: HashSet<&&String> = codes.iter().collect();
        assert_eq!(unique.len(), codes.len());
        assert!(
            codes
                .iter()
                .all(|c| c.len() == 2 && c.bytes().all(|b| b.is_ascii_uppercase()))
        );
    }

    #[test]
    fn the_edge_count_follows_relations_per_entity() {
        for r in [1, 2, 5, 10] {
            let rs = records(3000, r, 9);
            let edges = relations(&rs).len() as f64;
            let wanted = (r * 3000) as f64;
            assert!(
                (edges - wanted).abs() <= wanted / 10.0,
                "{edges} relations for {r} per entity"
            );
        }
    }

    #[test]
    fn the_generator_counts_the_relations_it_implies() {
        let mut g = generate(&options(2000, 3, 4)).unwrap_or_else(|e| panic!("{e}"));
        let rs: Vec<Record> = g.by_ref().collect();
        let implied: usize = nodes(&rs).iter().map(|n| n.implied_relations().len()).sum();
        assert_eq!(g.implied_relations(), implied as u64);
        assert_eq!(g.explicit_relations() as usize, rs.len() - 2000);
    }

    #[test]
    fn degrees_are_skewed() {
        for r in [1, 5] {
            let d = degrees(&records(3000, r, 13));
            let (max, median) = (d[d.len() - 1], d[d.len() / 2].max(1));
            assert!(
                max >= 50 * median,
                "max {max}, median {median} at {r} per entity"
            );
        }
    }

    #[test]
    fn names_exercise_search() {
        let rs = records(3000, 5, 17);
        let ns = nodes(&rs);
        let names: Vec<&str> = ns.iter().map(|n| n.name.as_str()).collect();
        assert!(names.iter().filter(|n| !n.is_ascii()).count() >= 20);
        let scripts = |c: char| matches!(c, '\u{3040}'..='\u{30ff}' | '\u{4e00}'..='\u{9fff}' | '\u{ac00}'..='\u{d7af}');
        let cjk = ns
            .iter()
            .flat_map(|n| &n.aliases)
            .filter(|a| a.chars().any(scripts))
            .count();
        assert!(
            cjk >= 20,
            "{cjk} aliases in Japanese, Chinese or Korean script"
        );
        let mut by_word: HashMap<&str, HashSet<&str>> = HashMap::new();
        for n in &names {
            for w in n.split_whitespace() {
                by_word.entry(w).or_default().insert(n);
            }
        }
        for w in ["Ministry", "Trade", "Holdings", "Agreement"] {
            let shared = by_word.get(w).map_or(0, HashSet::len);
            assert!(shared >= 3, "{shared} names with {w}");
        }
        // Near-duplicates: distinct names of the same length that differ in one letter.
        let mut people: Vec<&str> = ns
            .iter()
            .filter(|n| matches!(n.kind(), NodeKind::Person | NodeKind::Organization))
            .map(|n| n.name.as_str())
            .collect();
        people.sort_unstable();
        people.dedup();
        let one_off = |a: &str, b: &str| {
            a.len() == b.len() && a.chars().zip(b.chars()).filter(|(x, y)| x != y).count() == 1
        };
        let near = people
            .iter()
            .enumerate()
            .flat_map(|(i, a)| people[i + 1..].iter().map(move |b| (a, b)))
            .filter(|(a, b)| one_off(a, b))
            .count();
        assert!(near >= 5, "{near} pairs of names one letter apart");
    }

    #[test]
    #[ignore = "a timing: run with --release --ignored --nocapture"]
    fn a_million_entities() {
        for r in [1, 5, 10] {
            let start = std::time::Instant::now();
            let mut g = generate(&options(1_000_000, r, 1)).unwrap_or_else(|e| panic!("{e}"));
            let records = g.by_ref().count();
            println!(
                "1,000,000 entities at {r} per entity: {records} records, {} implied + {} explicit relations, in {:.2?}",
                g.implied_relations(),
                g.explicit_relations(),
                start.elapsed()
            );
        }
    }

    #[test]
    #[ignore = "prints a sample to look at"]
    fn print_a_sample() {
        let rs = records(3000, 5, 1);
        for r in rs.iter().step_by(97).take(40) {
            println!("{}", serde_json::to_string(r).unwrap_or_default());
        }
        let d = degrees(&rs);
        println!(
            "relations {} max degree {} median {}",
            relations(&rs).len(),
            d[d.len() - 1],
            d[d.len() / 2]
        );
    }
}
