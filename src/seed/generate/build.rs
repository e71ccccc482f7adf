//! One entity of each kind: its references drawn by preferential attachment, as many
//! as its share of relations allows, and its values as claims with their histories.

use crate::model::{
    Amount, Claim, ClaimSet, Commitment, CommitmentKind, CommitmentStatus, Country, Currency, Deal,
    DealStatus, Demand, DemandStatus, EntityId, Event, EventKind, Money, Node, NodeData,
    Organization, Percent, Period, Person, Project, Quantity, Rank, Rate, RateComponent,
    RateComponentKind, Role, Source, SourceKind, Statement, StatementKind, TariffMeasure,
    TariffStatus, Unit, VolumeLimit, When,
};

use super::text::{self, possessive, slug, slug_words};
use super::words;
use super::{
    ACTORS, Generator, ORGS, Pool, Result, Scale, commitment_kind, decimal, event_kind, product,
    project_ident, ymd,
};

/// Pools a statement may be about.
const ABOUT: &[Pool] = &[
    Pool::Country,
    Pool::Person,
    Pool::Gov,
    Pool::Company,
    Pool::Intl,
    Pool::Deal,
    Pool::Commitment,
    Pool::Demand,
    Pool::Tariff,
    Pool::Event,
    Pool::Project,
];

/// An amount as exact integers: `units` scaled down by `scale` decimal places.
#[derive(Debug, Clone, Copy)]
struct Figure {
    units: u64,
    scale: u32,
    currency: Currency,
}

impl Figure {
    /// The figure changed by `percent` (a revision from 400 to 500 is +25), to three
    /// significant digits as a revised figure is announced.
    fn revised(self, percent: i64) -> Self {
        Figure {
            units: revise(self.units, percent),
            ..self
        }
    }

    fn money(self) -> Result<Money> {
        Ok(Money::new(decimal(self.units, self.scale), self.currency)?)
    }
}

/// What fills a commitment's, event's or statement's fields, in the order they get them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Slot {
    Beneficiary,
    Deal,
    Exchange,
    Revision,
    Supplier,
    PartOf,
    Answers,
    Participant,
    Venue,
    Speaker,
    About,
    Event,
    ReportedBy,
    Target,
}

impl Generator {
    fn set_home(&mut self, g: u32, home: u8, partner: u8) {
        let m = &mut self.meta[g as usize];
        m.home = home;
        m.partner = partner;
    }

    /// A country by preferential attachment; the first country (entity 2) if none can be
    /// drawn. Only entities after the countries ask for one.
    fn pick_country(&mut self, avoid: &[u32]) -> u32 {
        self.pick(&[Pool::Country], avoid).unwrap_or(2)
    }

    /// Fills `slots` in order while `left` lasts, each taken most of the time; returns
    /// what was left over.
    fn plan(
        &mut self,
        slots: &[Slot],
        mut left: u32,
        mut fill: impl FnMut(&mut Self, Slot) -> bool,
    ) -> u32 {
        for &slot in slots {
            if left == 0 {
                break;
            }
            if self.rng.chance(85) && fill(self, slot) {
                left -= 1;
            }
        }
        left
    }

    /// Claims for a history of values: each holds from its date until the next one's
    /// (two to five months apart) and supersedes the one before; the last is preferred.
    fn history<T>(&mut self, values: Vec<(String, T)>) -> Result<Vec<Claim<T>>> {
        let mut m = self.start_month();
        let mut whens = Vec::with_capacity(values.len());
        for i in 0..values.len() {
            if i > 0 {
                m += 2 + self.rng.below(4) as u32;
            }
            whens.push(self.when(m)?);
        }
        let last = values.len().saturating_sub(1);
        let mut out: Vec<Claim<T>> = Vec::with_capacity(values.len());
        for (i, (key, value)) in values.into_iter().enumerate() {
            let mut c = self.claim(key, value);
            c.valid_from = if i > 0 || self.rng.chance(40) {
                whens.get(i).cloned().map(Box::new)
            } else {
                None
            };
            c.valid_until = whens.get(i + 1).cloned().map(Box::new);
            c.supersedes = out.last().map(|p| p.key.as_str().into());
            c.rank = if i == last {
                Rank::Preferred
            } else {
                Rank::Normal
            };
            out.push(c);
        }
        Ok(out)
    }

    /// A history of statuses, each keyed by its name.
    fn status_history<S: Copy + std::fmt::Display>(
        &mut self,
        statuses: &[S],
    ) -> Result<Vec<Claim<S>>> {
        self.history(statuses.iter().map(|s| (s.to_string(), *s)).collect())
    }

    /// A claim the source gets wrong: deprecated, with why, citing a curator note.
    fn misstated<T>(&mut self, key: &str, value: T, caveat: &str) -> Claim<T> {
        let mut c = self.claim(key, value);
        c.rank = Rank::Deprecated;
        c.caveat = Some(caveat.into());
        c.sources.insert(0, self.cite_note());
        c.sources.dedup();
        c
    }

    /// How much a revision changes a figure, in percent: down by up to a fifth or up by
    /// up to two fifths, never by less than five.
    fn change(&mut self) -> i64 {
        let step = 5 + self.rng.below(36) as i64;
        if self.rng.chance(30) {
            -step.min(20)
        } else {
            step
        }
    }

    /// A sum of money of a typical size, in the home country's currency or a major one.
    fn figure(&mut self, home: u8, small: bool) -> Figure {
        let local = self.countries[home as usize].currency;
        let own = self.majors.iter().find(|(m, _)| m.currency == local);
        let Scale {
            currency,
            exp,
            lo,
            hi,
        } = match own {
            Some((scale, _)) if self.rng.chance(45) => *scale,
            None if self.rng.chance(45) => Scale {
                currency: local,
                exp: 9,
                lo: 1,
                hi: 300,
            },
            _ => self.rng.weighted(&self.majors),
        };
        let hi = if small { (hi / 10).max(lo) } else { hi };
        let mantissa = lo + self.rng.below(hi - lo + 1);
        let ten = |e: u32| 10u64.saturating_pow(e);
        let mut units = mantissa.saturating_mul(ten(exp));
        if self.rng.chance(20) {
            // A figure like 1.25 billion.
            units =
                (mantissa * 100 + self.rng.below(100)).saturating_mul(ten(exp.saturating_sub(2)));
        }
        let mut scale = 0;
        if self.rng.chance(1) {
            units = units.saturating_mul(100) + 1 + self.rng.below(99);
            scale = 2;
        }
        Figure {
            units,
            scale,
            currency,
        }
    }

    pub(super) fn source(&mut self, g: u32, extra: u32) -> Result<(Node, u32)> {
        let curator = g == 1 || (g > 1 && self.rng.chance(12));
        let publisher = if curator || extra == 0 {
            None
        } else {
            self.pick(&[Pool::Media], &[g])
        };
        let mut home = 0;
        if let Some(p) = publisher {
            self.link(g, p);
            home = self.home(p);
        } else if !self.countries.is_empty() {
            home = self.rng.index(self.countries.len()) as u8;
        }
        self.set_home(g, home, home);
        let pair = |s: &Self, i: usize| {
            s.countries
                .get(i)
                .map_or("a trading partner".to_string(), |c| c.name.clone())
        };
        let a = pair(self, home as usize);
        let mut other = self.rng.index(self.countries.len());
        if other == home as usize {
            other = (other + 1) % self.countries.len().max(1);
        }
        let b = pair(self, other);
        let p = product(&mut self.rng);
        let m = self.start_month();
        let (id, title, file, description) = if curator {
            let topic = self.rng.choose_str(words::CURATOR_TOPICS);
            (
                format!("source:curator-note-{g}"),
                format!("Curator note: {topic} in reports on {a}"),
                None,
                format!(
                    "Correction by the curators: {topic} in what sources report about {a}. It records what a source gets wrong and what holds instead, and is cited without a line."
                ),
            )
        } else {
            let title = self
                .rng
                .choose_str(words::TITLES)
                .replace("{b}'s", &possessive(&b))
                .replace("{a}", &a)
                .replace("{b}", &b)
                .replace("{p}", p);
            let stem = slug(&slug_words(&title), g);
            (
                format!("source:{stem}"),
                title,
                Some(format!("{stem}.txt")),
                format!(
                    "News report on talks between {a} and {b} over {p}. Its author is not known; facts cite it by paragraph, the line in its file."
                ),
            )
        };
        let id = EntityId::parse(&id)?;
        let own = crate::model::SourceRef {
            source: id.clone(),
            line: (!curator).then_some(1),
            attribution: None,
            note: None,
        };
        let published = if curator {
            Some(When::stated(ymd(m, 1 + self.rng.below(28) as u8)?))
        } else {
            Some(self.when(m)?)
        };
        let publisher = self.opt_id(publisher)?;
        let aliases = file
            .iter()
            .map(|f| f.trim_end_matches(".txt").to_string())
            .collect();
        if curator {
            self.notes.push(id.clone());
        } else {
            self.docs.push(id.clone());
        }
        let node = Node {
            id,
            name: title.clone(),
            aliases,
            description,
            sources: vec![own],
            data: NodeData::Source(Box::new(Source {
                kind: if curator {
                    SourceKind::Curator
                } else {
                    SourceKind::Document
                },
                title,
                published,
                publisher,
                file,
            })),
        };
        Ok((node, 0))
    }

    pub(super) fn country(&mut self, i: usize) -> Result<(Node, u32)> {
        let g = (i + 2) as u32;
        self.set_home(g, i as u8, i as u8);
        let sources = self.cite();
        let c = &self.countries[i];
        let mut aliases = c.aliases.clone();
        for more in [Some(&c.capital), c.code.as_ref()].into_iter().flatten() {
            if !aliases.contains(more) && *more != c.name {
                aliases.push(more.clone());
            }
        }
        let description = if c.bloc {
            format!(
                "{}, a group that negotiates trade as one; its seat is in {}.",
                c.name, c.capital
            )
        } else {
            format!(
                "{}, whose government in {} sets its own tariffs and pays in {}.",
                c.name, c.capital, c.currency
            )
        };
        let node = Node {
            id: c.id.clone(),
            name: c.name.clone(),
            aliases,
            description,
            sources,
            data: NodeData::Country(Country {
                code: c.code.clone(),
                bloc: c.bloc,
            }),
        };
        Ok((node, c.weight))
    }

    /// A title of a role in an entity of `pool` (the ministry's topic for a minister).
    fn title(&mut self, pool: Pool, org: u32) -> String {
        let list = match pool {
            Pool::Country => words::TITLES_COUNTRY,
            Pool::Company => words::TITLES_COMPANY,
            Pool::Media => words::TITLES_MEDIA,
            Pool::Intl => words::TITLES_INTL,
            Pool::Party => words::TITLES_PARTY,
            Pool::Delegation => words::TITLES_DELEGATION,
            _ => words::TITLES_GOV,
        };
        let title = self.rng.choose_str(list);
        if pool == Pool::Gov && title == "Minister" {
            let body = text::organization(&mut self.ident(org), pool, self.country_of(org));
            if body.name.starts_with("Ministry") {
                return format!("Minister of {}", body.topic);
            }
        }
        title.to_string()
    }

    pub(super) fn person(&mut self, g: u32, extra: u32) -> Result<(Node, u32)> {
        let first_pool = self.rng.weighted(&[
            (Pool::Country, 25),
            (Pool::Gov, 45),
            (Pool::Company, 14),
            (Pool::Media, 4),
            (Pool::Intl, 4),
            (Pool::Party, 5),
            (Pool::Delegation, 3),
        ]);
        let first = self
            .pick(&[first_pool], &[g])
            .unwrap_or_else(|| self.pick_country(&[g]));
        let home = self.home(first);
        self.set_home(g, home, home);
        let lang = self.countries[home as usize].lang;
        let name = text::person(&mut self.ident(g), lang);
        let id = self.id_of(g)?;
        let first_id = self.id_of(first)?;
        let first_pool = self.meta[first as usize].pool;
        let title = self.title(first_pool, first);
        let role = |title: String, org: &EntityId| Role {
            title,
            org: Some(org.clone()),
        };
        let mut claims = if extra >= 1 && self.rng.chance(50) {
            // Promoted: the deputy post, then the post itself.
            self.link(g, first);
            self.link(g, first);
            self.history(vec![
                (
                    "deputy".to_string(),
                    role(format!("Deputy {title}"), &first_id),
                ),
                (slug_words(&title), role(title.clone(), &first_id)),
            ])?
        } else {
            self.link(g, first);
            let mut c = self.claim(slug_words(&title), role(title.clone(), &first_id));
            c.rank = Rank::Preferred;
            if self.rng.chance(40) {
                let m = self.start_month();
                c.valid_from = Some(Box::new(self.when(m)?));
            }
            vec![c]
        };
        let mut taken = vec![g, first];
        while (claims.len() as u32) < 1 + extra {
            let pool = self.rng.weighted(&[
                (Pool::Gov, 30),
                (Pool::Delegation, 20),
                (Pool::Party, 20),
                (Pool::Intl, 10),
                (Pool::Company, 10),
                (Pool::Country, 10),
            ]);
            let Some(org) = self.pick(&[pool], &taken) else {
                break;
            };
            taken.push(org);
            self.link(g, org);
            let t = self.title(pool, org);
            let org_id = self.id_of(org)?;
            let mut c = self.claim(format!("role-{}", claims.len()), role(t, &org_id));
            if self.rng.chance(15) {
                c.attribution = self.attribution(&[g])?;
            }
            claims.push(c);
        }
        if self.rng.chance(4) {
            claims.push(self.misstated(
                "misstated",
                role(format!("Former {title}"), &first_id),
                "The source gives the person an office they did not hold at the time; see the curator note.",
            ));
        }
        let org_name = self.name_of(first);
        let family = name.family.to_string();
        let mut aliases = vec![
            family.clone(),
            format!("{title} {family}"),
            name.other_order.clone(),
        ];
        aliases.extend(name.native.clone());
        if let Some(initial) = name.given.chars().next() {
            aliases.push(format!("{initial}. {family}"));
        }
        let description = format!(
            "{title} at {org_name}, named in reports on trade talks{}.",
            if claims.len() > 1 {
                " with more than one post over time"
            } else {
                ""
            }
        );
        let weight = match title.as_str() {
            "President" | "Prime Minister" | "Chief Executive" | "Secretary-General" => 8,
            t if t.starts_with("Minister") => 4,
            _ => 1,
        };
        let node = Node {
            id,
            name: name.display,
            aliases,
            description,
            sources: self.cite(),
            data: NodeData::Person(Person {
                roles: ClaimSet::new(claims),
            }),
        };
        Ok((node, weight))
    }

    pub(super) fn organization(&mut self, g: u32, pool: Pool, extra: u32) -> Result<(Node, u32)> {
        let country = self.pick_country(&[g]);
        self.link(g, country);
        let home = self.home(country);
        self.set_home(g, home, home);
        let on = text::organization(&mut self.ident(g), pool, &self.countries[home as usize]);
        let parent_pool = match pool {
            Pool::Gov | Pool::Delegation => Some(Pool::Gov),
            Pool::Company | Pool::Media => Some(Pool::Company),
            Pool::Intl => Some(Pool::Intl),
            _ => None,
        };
        let parent = match parent_pool {
            Some(p) if extra >= 1 && self.rng.chance(70) => self.pick(&[p], &[g]),
            _ => None,
        };
        if let Some(p) = parent {
            self.link(g, p);
        }
        let c = &self.countries[home as usize];
        let (cname, topic) = (c.name.clone(), on.topic.to_lowercase());
        let description = match pool {
            Pool::Gov => format!("A government body of {cname} that handles {topic}."),
            Pool::Company if on.big => {
                format!("One of the largest companies based in {cname}, courted in trade talks.")
            }
            Pool::Company => format!("A company based in {cname}."),
            Pool::Media => format!("A news outlet in {cname} that reports on trade talks."),
            Pool::Intl => format!("An international body on {topic}, with its seat in {cname}."),
            Pool::Party => format!("A political party in {cname}."),
            _ => format!("The team {cname} sends to negotiate trade terms."),
        };
        let weight = match pool {
            _ if on.big => 30,
            Pool::Intl => 4,
            Pool::Gov => 2,
            _ => 1,
        };
        let node = Node {
            id: self.id_of(g)?,
            name: on.name,
            aliases: on.aliases,
            description,
            sources: self.cite(),
            data: NodeData::Organization(Organization {
                kind: pool.org_kind(),
                country: Some(self.id_of(country)?),
                parent: self.opt_id(parent)?,
            }),
        };
        Ok((node, weight))
    }

    /// A party to a deal or a tariff's imposer: a country mostly, else an international
    /// body.
    fn pick_party(&mut self, avoid: &[u32]) -> u32 {
        let pools: &[Pool] = if self.rng.chance(88) {
            &[Pool::Country]
        } else {
            &[Pool::Intl]
        };
        self.pick(pools, avoid)
            .unwrap_or_else(|| self.pick_country(avoid))
    }

    pub(super) fn deal(&mut self, g: u32, extra: u32) -> Result<(Node, u32)> {
        let mut parties = vec![self.pick_party(&[g])];
        while (parties.len() as u32) < 2 + extra {
            let mut avoid = parties.clone();
            avoid.push(g);
            let Some(p) = self.pick(&[Pool::Country, Pool::Intl], &avoid) else {
                break;
            };
            parties.push(p);
        }
        for &p in &parties {
            self.link(p, g);
        }
        let home = self.home(parties[0]);
        let partner = parties.get(1).map_or(home, |p| self.home(*p));
        self.set_home(g, home, partner);
        let form = self.ident(g).choose_str(words::DEAL_FORMS);
        let a = self.name_of(parties[0]);
        let b = parties
            .get(1)
            .map_or_else(|| "its partners".to_string(), |p| self.name_of(*p));
        let m = self.start_month();
        let year = 2015 + m / 12;
        let dash = if self.rng.chance(20) { "–" } else { "-" };
        let name = if parties.len() > 2 {
            format!("{} {form} ({year})", self.rng.choose_str(words::REGIONS))
        } else {
            format!("{a}{dash}{b} {form} ({year})")
        };
        let (ca, cb) = (
            &self.countries[home as usize],
            &self.countries[partner as usize],
        );
        let mut aliases = vec![format!("{b}-{a} {form}"), format!("deal with {b}")];
        if let (Some(x), Some(y)) = (&ca.code, &cb.code) {
            aliases.push(format!("{x}-{y} deal"));
        }
        if let (Some(x), Some(y)) = (kanji(ca.code.as_deref()), kanji(cb.code.as_deref())) {
            aliases.push(format!("{x}{y}貿易協定"));
        }
        let statuses: &[DealStatus] = match self.rng.below(10) {
            0 => &[DealStatus::UnderNegotiation, DealStatus::Collapsed],
            1..=3 => &[DealStatus::UnderNegotiation],
            4..=6 => &[DealStatus::UnderNegotiation, DealStatus::Agreed],
            7 | 8 => &[
                DealStatus::UnderNegotiation,
                DealStatus::Agreed,
                DealStatus::Signed,
            ],
            _ => &[
                DealStatus::UnderNegotiation,
                DealStatus::Agreed,
                DealStatus::Signed,
                DealStatus::InForce,
            ],
        };
        let mut status = self.status_history(statuses)?;
        if self.rng.chance(15)
            && let Some(last) = status.last_mut()
        {
            last.attribution = self.attribution(&[g])?;
        }
        let announced = match statuses.get(1) {
            Some(_) => status.get(1).and_then(|c| c.valid_from.as_deref().cloned()),
            None => None,
        };
        let deadline = if self.rng.chance(40) {
            Some(self.when(m + 6)?)
        } else {
            None
        };
        let now = statuses.last().map_or("under negotiation", |s| match s {
            DealStatus::UnderNegotiation => "still under negotiation",
            DealStatus::Agreed => "agreed but not yet signed",
            DealStatus::Signed => "signed",
            DealStatus::InForce => "in force",
            DealStatus::Collapsed => "abandoned after talks broke down",
        });
        let form_words = form.to_lowercase();
        let description = format!(
            "{} {form_words} between {a} and {b}{}, {now}.",
            capitalized(article(&form_words)),
            if parties.len() > 2 { " and others" } else { "" }
        );
        let party_ids = self.ids_of(&parties)?;
        let node = Node {
            id: self.id_of(g)?,
            name,
            aliases,
            description,
            sources: self.cite(),
            data: NodeData::Deal(Box::new(Deal {
                parties: party_ids,
                status: ClaimSet::new(status),
                announced,
                deadline,
            })),
        };
        Ok((node, 3))
    }

    pub(super) fn commitment(&mut self, g: u32, extra: u32) -> Result<(Node, u32)> {
        let kind = commitment_kind(&mut self.ident(g));
        let pledger_pool = self.rng.weighted(&[
            (Pool::Country, 70),
            (Pool::Company, 15),
            (Pool::Gov, 10),
            (Pool::Person, 5),
        ]);
        let pledger = self
            .pick(&[pledger_pool], &[g])
            .unwrap_or_else(|| self.pick_country(&[g]));
        self.link(pledger, g);
        // Concessions are not itemised; market opening is often pledged without a figure.
        let has_amount = match kind {
            CommitmentKind::Concessions => false,
            CommitmentKind::MarketAccess => self.rng.chance(50),
            _ => true,
        };
        let buys = matches!(kind, CommitmentKind::Purchase | CommitmentKind::Procurement);
        let mut beneficiaries: Vec<u32> = Vec::new();
        let (mut deal, mut part_of, mut answers) = (None, None, None);
        let mut exchange: Vec<u32> = Vec::new();
        let mut suppliers: Vec<u32> = Vec::new();
        let mut revisers: Vec<u32> = Vec::new();
        let slots = [
            Slot::Beneficiary,
            Slot::Deal,
            Slot::Exchange,
            Slot::Revision,
            Slot::Supplier,
            Slot::Revision,
            Slot::Exchange,
            Slot::PartOf,
            Slot::Answers,
            Slot::Beneficiary,
            Slot::Exchange,
        ];
        let mut left = self.plan(&slots, extra, |s, slot| {
            let mut avoid = vec![g, pledger];
            match slot {
                Slot::Beneficiary => {
                    avoid.extend(&beneficiaries);
                    let b = if s.rng.chance(80) {
                        s.pick(&[Pool::Country], &avoid)
                    } else {
                        s.pick(ORGS, &avoid)
                    };
                    b.map(|b| beneficiaries.push(b)).is_some()
                }
                Slot::Deal if deal.is_none() => {
                    deal = s.pick(&[Pool::Deal], &avoid);
                    deal.is_some()
                }
                Slot::Exchange => {
                    avoid.extend(&exchange);
                    let pools: &[Pool] = if s.rng.chance(85) {
                        &[Pool::Tariff]
                    } else {
                        &[Pool::Commitment]
                    };
                    s.pick(pools, &avoid).map(|x| exchange.push(x)).is_some()
                }
                Slot::Revision if has_amount => s
                    .pick_actor(60, 25, &[g])
                    .map(|by| revisers.push(by))
                    .is_some(),
                Slot::Supplier if buys => {
                    avoid.extend(&suppliers);
                    s.pick(&[Pool::Company], &avoid)
                        .map(|x| suppliers.push(x))
                        .is_some()
                }
                Slot::PartOf if part_of.is_none() => {
                    part_of = s.pick(&[Pool::Commitment], &avoid);
                    part_of.is_some()
                }
                Slot::Answers if answers.is_none() => {
                    answers = s.pick(&[Pool::Demand], &avoid);
                    answers.is_some()
                }
                _ => false,
            }
        });
        let mut tries = 0;
        while left > 0 && tries < 6 {
            tries += 1;
            let mut avoid = vec![g, pledger];
            avoid.extend(&beneficiaries);
            if let Some(b) = self.pick(ACTORS, &avoid) {
                beneficiaries.push(b);
                left -= 1;
            }
        }
        for &b in &beneficiaries {
            self.link(g, b);
        }
        for &s in &suppliers {
            self.link(s, g);
        }
        for &x in deal.iter().chain(&part_of).chain(&exchange).chain(&answers) {
            self.link(g, x);
        }
        for &by in &revisers {
            self.link(by, g);
        }
        let home = self.home(pledger);
        let partner = beneficiaries.first().map_or(home, |b| self.home(*b));
        self.set_home(g, home, partner);

        let p = product(&mut self.rng);
        let partner_c = &self.countries[partner as usize];
        let (partner_name, partner_adj) = (partner_c.name.clone(), partner_c.adjective.clone());
        let home_adj = self.countries[home as usize].adjective.clone();
        let (noun, item) = match kind {
            CommitmentKind::Investment => (
                "investment pledge".to_string(),
                Some(format!("investment in {partner_name}")),
            ),
            CommitmentKind::Purchase => (
                format!("purchase of {p}"),
                Some(format!("{partner_adj} {p}")),
            ),
            CommitmentKind::Procurement => (
                format!("procurement of {p}"),
                Some(format!("{p} from {partner_adj} companies")),
            ),
            CommitmentKind::ImportIncrease => (
                format!("increase in {p} imports"),
                Some(format!("{partner_adj} {p}")),
            ),
            CommitmentKind::Participation => {
                let (_, project) = project_ident(&mut self.rng);
                (
                    format!("participation in a {project}"),
                    Some(format!("a stake in a {project}")),
                )
            }
            CommitmentKind::MarketAccess => (
                format!("opening of the {p} market"),
                Some(format!("access to the {home_adj} {p} market")),
            ),
            CommitmentKind::Concessions => ("concessions package".to_string(), None),
        };
        let period = match kind {
            CommitmentKind::Investment => *self
                .rng
                .choose(&[Period::OverTime, Period::OneOff])
                .unwrap_or(&Period::OverTime),
            CommitmentKind::Procurement | CommitmentKind::ImportIncrease => Period::Annual,
            CommitmentKind::Purchase => *self
                .rng
                .choose(&[Period::OneOff, Period::Unspecified])
                .unwrap_or(&Period::OneOff),
            _ => Period::Unspecified,
        };

        // The amount, its revisions, and the level it rises from.
        let mut amount = Vec::new();
        let mut baseline = Vec::new();
        let mut limit = Vec::new();
        let mut headline = None;
        let as_money = match kind {
            CommitmentKind::Investment
            | CommitmentKind::Participation
            | CommitmentKind::Procurement => true,
            CommitmentKind::Purchase => self.rng.chance(65),
            CommitmentKind::ImportIncrease => self.rng.chance(50),
            _ => false,
        };
        if has_amount {
            let values: Vec<Amount> = if as_money {
                let small = matches!(
                    kind,
                    CommitmentKind::Procurement | CommitmentKind::ImportIncrease
                );
                let mut f = self.figure(home, small);
                let mut out = Vec::new();
                for _ in 0..=revisers.len() {
                    out.push(Amount::Money(f.money()?));
                    f = f.revised(self.change());
                }
                if matches!(
                    kind,
                    CommitmentKind::Procurement | CommitmentKind::ImportIncrease
                ) {
                    let before = f.revised(-(30 + self.rng.below(40) as i64));
                    let mut c = self.claim("before-pledge", Amount::Money(before.money()?));
                    c.note = Some("The level before the pledge.".into());
                    baseline.push(c);
                }
                out
            } else if kind == CommitmentKind::Purchase {
                let (unit, lo, hi) = *self
                    .rng
                    .choose(&[
                        (Unit::Aircraft, 20, 300),
                        (Unit::MetricTons, 10_000, 2_000_000),
                        (Unit::Items, 1_000, 100_000),
                    ])
                    .unwrap_or(&(Unit::Items, 1, 10));
                let mut v = lo + self.rng.below(hi - lo);
                let mut out = Vec::new();
                for _ in 0..=revisers.len() {
                    out.push(Amount::Quantity(Quantity::new(decimal(v, 0), unit)?));
                    v = revise(v, self.change());
                }
                out
            } else {
                let mut tenths = 50 + self.rng.below(1450);
                let mut out = Vec::new();
                for _ in 0..=revisers.len() {
                    out.push(Amount::Percent(Percent::new(decimal(tenths, 1))?));
                    tenths = revise(tenths, self.change()).max(1);
                }
                out
            };
            headline = values.last().copied();
            let keyed = values
                .into_iter()
                .enumerate()
                .map(|(i, v)| {
                    let key = match i {
                        0 if revisers.is_empty() => "pledged".to_string(),
                        0 => "initial".to_string(),
                        i => format!("revised-{i}"),
                    };
                    (key, v)
                })
                .collect();
            amount = if revisers.is_empty() {
                let mut claims = Vec::new();
                for (key, v) in keyed {
                    let mut c = self.claim(key, v);
                    c.rank = Rank::Preferred;
                    claims.push(c);
                }
                claims
            } else {
                self.history(keyed)?
            };
            for (c, by) in amount.iter_mut().skip(1).zip(&revisers) {
                c.made_by = Some(self.id_of(*by)?);
            }
            if let Some(last) = amount.last_mut() {
                last.approximate = self.rng.chance(15);
                if self.rng.chance(15) {
                    last.attribution = self.attribution(&[g])?;
                }
            }
            if kind == CommitmentKind::ImportIncrease && self.rng.chance(30) {
                let tons = 100_000 + self.rng.below(900_000);
                let mut c = self.claim(
                    "quota",
                    Amount::Quantity(Quantity::new(decimal(tons, 0), Unit::MetricTons)?),
                );
                c.approximate = true;
                c.note = Some("An existing quota the imports stay within.".into());
                limit.push(c);
            }
            if self.rng.chance(4)
                && let Some(Amount::Money(m)) = headline
                && let Some(ten_times) = m.amount.checked_mul(rust_decimal::Decimal::TEN)
            {
                let wrong = Money::new(ten_times, m.currency)?;
                amount.push(self.misstated(
                    "misprint",
                    Amount::Money(wrong),
                    "The source prints the figure ten times too large.",
                ));
            }
        }

        let statuses: &[CommitmentStatus] = match self.rng.below(100) {
            0..=7 => &[CommitmentStatus::Planned],
            8..=47 => &[CommitmentStatus::Offered, CommitmentStatus::Pledged],
            48..=87 => &[CommitmentStatus::Pledged],
            88..=95 => &[CommitmentStatus::Pledged, CommitmentStatus::Fulfilled],
            _ => &[CommitmentStatus::Pledged, CommitmentStatus::Withdrawn],
        };
        let status = self.status_history(statuses)?;

        let pledger_name = self.name_of(pledger);
        let beneficiary = beneficiaries.first().map(|b| self.name_of(*b));
        let to = match kind {
            CommitmentKind::Investment => "in",
            CommitmentKind::Purchase
            | CommitmentKind::Procurement
            | CommitmentKind::ImportIncrease => "from",
            CommitmentKind::Participation => "with",
            CommitmentKind::MarketAccess => "for",
            CommitmentKind::Concessions => "to",
        };
        let name = match &beneficiary {
            Some(b) => format!("{} {noun} {to} {b}", possessive(&pledger_name)),
            None => format!("{} {noun}", possessive(&pledger_name)),
        };
        let mut aliases = vec![noun.clone()];
        aliases.extend(headline.map(|a| a.to_string()));
        let when = match period {
            Period::Annual => ", every year",
            Period::OverTime => ", to be fulfilled over time",
            Period::OneOff => " in one go",
            Period::Unspecified => "",
        };
        let verb = if statuses.contains(&CommitmentStatus::Planned) {
            "plans"
        } else {
            "promised"
        };
        let what = match headline {
            Some(Amount::Percent(p)) => format!("a {p} rise as its {noun}"),
            Some(a) => format!("{a} as its {noun}"),
            None => format!("{} {noun}", article(&noun)),
        };
        let relief = if exchange.is_empty() {
            ""
        } else {
            ", in exchange for tariff relief"
        };
        let description = format!("{pledger_name} {verb} {what}{when}{relief}.");
        let data = Commitment {
            kind,
            pledger: self.id_of(pledger)?,
            beneficiaries: self.ids_of(&beneficiaries)?,
            suppliers: self.ids_of(&suppliers)?,
            item,
            deal: self.opt_id(deal)?,
            part_of: self.opt_id(part_of)?,
            in_exchange_for: self.ids_of(&exchange)?,
            answers: self.opt_id(answers)?,
            period,
            amount: ClaimSet::new(amount),
            baseline: ClaimSet::new(baseline),
            limit: ClaimSet::new(limit),
            status: ClaimSet::new(status),
        };
        let node = Node {
            id: self.id_of(g)?,
            name,
            aliases,
            description,
            sources: self.cite(),
            data: NodeData::Commitment(Box::new(data)),
        };
        Ok((node, 1))
    }

    pub(super) fn demand(&mut self, g: u32, extra: u32) -> Result<(Node, u32)> {
        let p = product(&mut self.ident(g));
        let demander = self
            .pick_actor(70, 20, &[g])
            .unwrap_or_else(|| self.pick_country(&[g]));
        self.link(demander, g);
        let first = self
            .pick_actor(80, 5, &[g, demander])
            .unwrap_or_else(|| self.pick_country(&[g]));
        let mut targets = vec![first];
        let (mut deal, mut exchange) = (None, None);
        let slots = [
            Slot::Deal,
            Slot::Exchange,
            Slot::Target,
            Slot::Target,
            Slot::Target,
        ];
        self.plan(&slots, extra, |s, slot| match slot {
            Slot::Deal => {
                deal = s.pick(&[Pool::Deal], &[g]);
                deal.is_some()
            }
            Slot::Exchange => {
                exchange = s.pick(&[Pool::Tariff], &[g]);
                exchange.is_some()
            }
            _ => {
                let mut avoid = vec![g, demander];
                avoid.extend(&targets);
                s.pick(&[Pool::Country], &avoid)
                    .map(|t| targets.push(t))
                    .is_some()
            }
        });
        for &t in &targets {
            self.link(g, t);
        }
        for &x in deal.iter().chain(&exchange) {
            self.link(g, x);
        }
        let home = self.home(demander);
        let partner = self.home(first);
        self.set_home(g, home, partner);
        let who = self.name_of(demander);
        let of = self.name_of(first);
        let adj = self.countries[home as usize].adjective.clone();
        let item = match self.rng.below(3) {
            0 => format!("lower tariffs on {p}"),
            1 => format!("more purchases of {adj} {p}"),
            _ => "a package like its neighbours'".to_string(),
        };
        let attribution = if self.rng.chance(30) {
            self.attribution(&[g])?
        } else {
            None
        };
        let m = self.start_month();
        let deadline = if self.rng.chance(40) {
            Some(self.when(m + 3)?)
        } else {
            None
        };
        let outcome = *self
            .rng
            .choose(&[
                DemandStatus::Met,
                DemandStatus::Refused,
                DemandStatus::Withdrawn,
            ])
            .unwrap_or(&DemandStatus::Met);
        let statuses: &[DemandStatus] = if self.rng.chance(60) {
            &[DemandStatus::Open]
        } else {
            &[DemandStatus::Open, outcome]
        };
        let status = self.status_history(statuses)?;
        let description = format!(
            "What {who} asks of {of}: {item}. A demand, not a pledge: {of} has promised nothing by it."
        );
        let ids = self.ids_of(&targets)?;
        let data = Demand {
            demander: self.id_of(demander)?,
            demanded_of: ids,
            item: Some(item),
            deal: self.opt_id(deal)?,
            in_exchange_for: self.opt_id(exchange)?.into_iter().collect(),
            deadline,
            attribution,
            status: ClaimSet::new(status),
        };
        let node = Node {
            id: self.id_of(g)?,
            name: format!("{} demand on {of} over {p}", possessive(&who)),
            aliases: vec![
                format!("concessions demanded of {of}"),
                format!("{p} demand"),
            ],
            description,
            sources: self.cite(),
            data: NodeData::Demand(Box::new(data)),
        };
        Ok((node, 1))
    }

    pub(super) fn tariff(&mut self, g: u32, extra: u32) -> Result<(Node, u32)> {
        let p = product(&mut self.ident(g));
        let imposer = self.pick_party(&[g]);
        // Not the imposer's own country either, when the imposer is a body.
        let own = 2 + u32::from(self.home(imposer));
        let target = self
            .pick(&[Pool::Country], &[g, imposer, own])
            .unwrap_or_else(|| self.pick_country(&[g]));
        self.link(imposer, g);
        self.link(g, target);
        let deal = if extra >= 1 && self.rng.chance(80) {
            self.pick(&[Pool::Deal], &[g])
        } else {
            None
        };
        if let Some(d) = deal {
            self.link(g, d);
        }
        let home = self.home(imposer);
        let partner = self.home(target);
        self.set_home(g, home, partner);
        let (ci, ct) = (
            &self.countries[home as usize],
            &self.countries[partner as usize],
        );
        let (imposer_adj, target_adj) = (ci.adjective.clone(), ct.adjective.clone());
        let (imposer_code, target_name) = (ci.code.clone(), ct.name.clone());
        let imposer_name = self.name_of(imposer);
        let scope = format!("{target_adj} {p}");

        let statuses: &[TariffStatus] = match self.rng.below(20) {
            0..=3 => &[TariffStatus::Threatened],
            4..=9 => &[TariffStatus::Announced, TariffStatus::InForce],
            10..=14 => &[TariffStatus::InForce],
            15..=17 => &[TariffStatus::Threatened, TariffStatus::InForce],
            _ => &[TariffStatus::InForce, TariffStatus::Suspended],
        };
        let status = self.status_history(statuses)?;
        let component = |kind, tenths: u64, label: String| -> Result<RateComponent> {
            Ok(RateComponent {
                kind,
                label: Some(label),
                percent: Percent::new(decimal(tenths, 1))?,
            })
        };
        // Before: a base rate plus an item-specific one; after, where changed: one rate.
        let base = self.rng.below(101);
        let item = 50 * (1 + self.rng.below(10));
        let before = Rate {
            total: Percent::new(decimal(base + item, 1))?,
            components: vec![
                component(RateComponentKind::Base, base, format!("base rate on {p}"))?,
                component(
                    RateComponentKind::ItemSpecific,
                    item,
                    format!("additional tariff on {scope}"),
                )?,
            ],
        };
        let changed = statuses != [TariffStatus::Threatened] && self.rng.chance(70);
        let mut rates = if changed {
            let after = 5 * self.rng.below(81);
            let (kind, label) = if self.rng.chance(60) {
                (RateComponentKind::Flat, "single all-in rate under the deal")
            } else {
                (RateComponentKind::Reciprocal, "reciprocal rate")
            };
            let new = Rate {
                total: Percent::new(decimal(after, 1))?,
                components: vec![component(kind, after, label.to_string())?],
            };
            let mut claims = self.history(vec![
                ("before".to_string(), before),
                ("after".to_string(), new),
            ])?;
            if let Some(last) = claims.last_mut() {
                last.made_by = Some(self.id_of(imposer)?);
                // The imposer set the new rate: a `revised` relation.
                self.link(imposer, g);
                if self.rng.chance(40) {
                    let m = self.start_month();
                    last.announced = Some(Box::new(self.when(m)?));
                }
            }
            claims
        } else {
            let mut c = self.claim("rate", before);
            c.rank = Rank::Preferred;
            vec![c]
        };
        if statuses == [TariffStatus::Threatened] && self.rng.chance(50) {
            rates.clear();
        }
        let rate_words = rates
            .iter()
            .map(|c| c.value.total.to_string())
            .collect::<Vec<_>>()
            .join(" then ");
        let mut volume_limit = Vec::new();
        if self.rng.chance(35) {
            let limit = if self.rng.chance(60) {
                VolumeLimit::Unlimited
            } else {
                let v = 10_000 + self.rng.below(490_000);
                VolumeLimit::Capped(Quantity::new(decimal(v, 0), Unit::Items)?)
            };
            let mut c = self.claim("volume", limit);
            c.rank = Rank::Preferred;
            volume_limit.push(c);
        }
        let mut aliases = vec![
            format!("{imposer_name} tariffs on {target_name} {p}"),
            format!("{p} tariff"),
        ];
        if let Some(code) = imposer_code {
            aliases.push(format!("{code} tariff on {target_adj} {p}"));
        }
        let description = if rate_words.is_empty() {
            format!("A tariff {imposer_name} threatens on {scope}; no rate has been given.")
        } else {
            format!("The tariff {imposer_name} charges on {scope}: {rate_words}.")
        };
        let data = TariffMeasure {
            imposer: self.id_of(imposer)?,
            target: self.id_of(target)?,
            scope,
            deal: self.opt_id(deal)?,
            status: ClaimSet::new(status),
            rate: ClaimSet::new(rates),
            volume_limit: ClaimSet::new(volume_limit),
        };
        let node = Node {
            id: self.id_of(g)?,
            name: format!("{imposer_adj} tariff on {target_adj} {p}"),
            aliases,
            description,
            sources: self.cite(),
            data: NodeData::TariffMeasure(Box::new(data)),
        };
        Ok((node, 2))
    }

    pub(super) fn event(&mut self, g: u32, extra: u32) -> Result<(Node, u32)> {
        let kind = event_kind(&mut self.ident(g));
        let mut participants: Vec<u32> = Vec::new();
        let (mut venue, mut deal, mut part_of) = (None, None, None);
        let slots = [
            Slot::Participant,
            Slot::Participant,
            Slot::Deal,
            Slot::Venue,
            Slot::Participant,
            Slot::PartOf,
            Slot::Participant,
            Slot::Participant,
            Slot::Participant,
            Slot::Participant,
            Slot::Participant,
            Slot::Participant,
        ];
        // Someone speaks at an interview, a post or remarks: a person first.
        let speaker_first = matches!(
            kind,
            EventKind::Interview | EventKind::Post | EventKind::Remarks | EventKind::PoliticalEvent
        );
        self.plan(&slots, extra, |s, slot| match slot {
            Slot::Participant => {
                let mut avoid = vec![g];
                avoid.extend(&participants);
                let person = if speaker_first && participants.is_empty() {
                    100
                } else {
                    50
                };
                s.pick_actor(100 - person, person, &avoid)
                    .map(|p| participants.push(p))
                    .is_some()
            }
            Slot::Venue => {
                venue = s.pick(&[Pool::Gov, Pool::Intl, Pool::Company], &[g]);
                venue.is_some()
            }
            Slot::Deal => {
                deal = s.pick(&[Pool::Deal], &[g]);
                deal.is_some()
            }
            _ => {
                part_of = s.pick(&[Pool::Event], &[g]);
                part_of.is_some()
            }
        });
        for &p in &participants {
            self.link(p, g);
        }
        for &x in venue.iter().chain(&deal).chain(&part_of) {
            self.link(g, x);
        }
        let anchor = match participants.first() {
            Some(p) => *p,
            None => self.pick_country(&[g]),
        };
        let home = self.home(anchor);
        let partner = participants.get(1).map_or(home, |p| self.home(*p));
        self.set_home(g, home, partner);
        let m = self.start_month();
        let date = self.when(m)?;
        let c = &self.countries[home as usize];
        let (country, capital) = (c.name.clone(), c.capital.clone());
        let other = self.countries[partner as usize].name.clone();
        let who = participants
            .first()
            .map_or_else(|| country.clone(), |p| self.name_of(*p));
        let month_name = words::MONTHS[(m % 12) as usize];
        let year = 2015 + m / 12;
        let whose = possessive(&who);
        let sides = if partner == home {
            country.clone()
        } else {
            format!("{country}-{other}")
        };
        let (name, what) = match kind {
            EventKind::Talks => (
                format!("{sides} trade talks ({month_name} {year})"),
                "Negotiating round",
            ),
            EventKind::Meeting => match participants.get(1) {
                Some(p) => (
                    format!("Meeting of {who} and {}", self.name_of(*p)),
                    "Meeting",
                ),
                None => (format!("{sides} ministerial meeting"), "Meeting"),
            },
            EventKind::Interview => (format!("{whose} television interview"), "Interview"),
            EventKind::Post => (
                format!("{whose} social media post on {}", product(&mut self.rng)),
                "Post",
            ),
            EventKind::Announcement => {
                (format!("Announcement of the {sides} deal"), "Announcement")
            }
            EventKind::Deadline => (
                format!(
                    "{} {month_name} {year} tariff deadline",
                    possessive(&country)
                ),
                "Deadline",
            ),
            EventKind::Remarks => (format!("{whose} remarks in {capital}"), "Public remarks"),
            EventKind::PoliticalEvent => {
                (format!("{who} rally in {capital}"), "Political gathering")
            }
        };
        let mut duration = Vec::new();
        if matches!(
            kind,
            EventKind::Meeting | EventKind::Talks | EventKind::Interview
        ) && self.rng.chance(50)
        {
            let q = if kind == EventKind::Talks && self.rng.chance(50) {
                Quantity::new(decimal(1 + self.rng.below(5), 0), Unit::Days)?
            } else {
                Quantity::new(decimal(10 * (2 + self.rng.below(22)), 0), Unit::Minutes)?
            };
            let mut c = self.claim("duration", q);
            c.rank = Rank::Preferred;
            c.approximate = self.rng.chance(30);
            duration.push(c);
        }
        let place = self.rng.chance(60).then(|| capital.clone());
        let description = format!(
            "{what} involving {who}{}, dated {date}.",
            if participants.len() > 1 {
                " and others"
            } else {
                ""
            }
        );
        let ids = self.ids_of(&participants)?;
        let data = Event {
            kind,
            date: Some(date),
            duration: ClaimSet::new(duration),
            participants: ids,
            venue: self.opt_id(venue)?,
            place,
            deal: self.opt_id(deal)?,
            part_of: self.opt_id(part_of)?,
        };
        let weight = match kind {
            EventKind::Talks | EventKind::Announcement => 3,
            _ => 1,
        };
        let node = Node {
            id: self.id_of(g)?,
            name,
            aliases: vec![format!("{} {year}", kind.as_str())],
            description,
            sources: self.cite(),
            data: NodeData::Event(Box::new(data)),
        };
        Ok((node, weight))
    }

    pub(super) fn statement(&mut self, g: u32, extra: u32) -> Result<(Node, u32)> {
        let kind = self.rng.weighted(&[
            (StatementKind::Remark, 35),
            (StatementKind::Claim, 20),
            (StatementKind::Announcement, 15),
            (StatementKind::Analysis, 10),
            (StatementKind::Warning, 20),
        ]);
        let analysis = kind == StatementKind::Analysis;
        let (mut speaker, mut event, mut venue) = (None, None, None);
        let mut about: Vec<u32> = Vec::new();
        let mut reported_by: Vec<u32> = Vec::new();
        let slots = [
            Slot::Speaker,
            Slot::About,
            Slot::Event,
            Slot::About,
            Slot::ReportedBy,
            Slot::About,
            Slot::Venue,
            Slot::About,
            Slot::About,
            Slot::ReportedBy,
            Slot::About,
        ];
        self.plan(&slots, extra, |s, slot| match slot {
            Slot::Speaker if !analysis => {
                speaker = s.pick_actor(15, 70, &[g]);
                speaker.is_some()
            }
            Slot::About => {
                let mut avoid = vec![g];
                avoid.extend(&about);
                s.pick(ABOUT, &avoid).map(|a| about.push(a)).is_some()
            }
            Slot::Event => {
                event = s.pick(&[Pool::Event], &[g]);
                event.is_some()
            }
            Slot::ReportedBy => {
                let mut avoid = vec![g];
                avoid.extend(&reported_by);
                s.pick(&[Pool::Media], &avoid)
                    .map(|m| reported_by.push(m))
                    .is_some()
            }
            Slot::Venue => {
                venue = s.pick(&[Pool::Gov, Pool::Intl], &[g]);
                venue.is_some()
            }
            _ => false,
        });
        if let Some(sp) = speaker {
            self.link(sp, g);
        }
        for &x in event.iter().chain(&venue).chain(&about).chain(&reported_by) {
            self.link(g, x);
        }
        let anchor = match speaker.or(about.first().copied()) {
            Some(x) => x,
            None => self.pick_country(&[g]),
        };
        let home = self.home(anchor);
        let partner = about.first().map_or(home, |a| self.home(*a));
        self.set_home(g, home, partner);
        let b = self.countries[partner as usize].name.clone();
        let adj = self.countries[partner as usize].adjective.clone();
        let p = product(&mut self.rng);
        let clause = match self.rng.below(7) {
            0 => format!("{b} must open its {p} market"),
            1 => format!("tariffs on {adj} {p} will rise"),
            2 => format!("the deal with {b} is a win for both sides"),
            3 => format!("{b} is desperate for a trade agreement"),
            4 => format!("there will be no exemption for {p}"),
            5 => format!("{b} will pay for the tariff cut with purchases of {p}"),
            _ => format!("talks with {b} are close to a deal"),
        };
        // Without a speaker, it is the source's own analysis.
        let kind = if speaker.is_none() {
            StatementKind::Analysis
        } else {
            kind
        };
        let who = speaker.map(|s| self.name_of(s));
        let (name, description) = match &who {
            Some(w) => {
                let verb = match kind {
                    StatementKind::Remark => "remarked",
                    StatementKind::Claim => "claimed",
                    StatementKind::Announcement => "announced",
                    _ => "warned",
                };
                (
                    format!("{w}: {clause}"),
                    format!("{w} {verb} that {clause}."),
                )
            }
            _ => (
                format!("Analysis: {clause}"),
                format!("The source's own reading of events: {clause}."),
            ),
        };
        let mut quotes = Vec::new();
        if speaker.is_some() && self.rng.chance(60) {
            for _ in 0..1 + self.rng.below(2) {
                let q = self.rng.choose_str(words::QUOTES).to_string();
                if !quotes.contains(&q) {
                    quotes.push(q);
                }
            }
        }
        let mut attributed_to = Vec::new();
        if let Some(w) = &who
            && self.rng.chance(8)
        {
            let mut c = self.claim("attributed", w.clone());
            c.rank = Rank::Preferred;
            attributed_to.push(c);
            if self.rng.chance(50) {
                let wrong = match self.pick_actor(20, 60, &[g]) {
                    Some(x) => self.name_of(x),
                    None => "the previous administration".to_string(),
                };
                attributed_to.push(self.misstated(
                    "as-printed",
                    wrong,
                    "The source credits the words to the wrong speaker; see the curator note.",
                ));
            }
        }
        let caveat = self
            .rng
            .chance(5)
            .then(|| "The source is unclear about when this was said.".to_string());
        let m = self.start_month();
        let date = Some(self.when(m)?);
        let data = Statement {
            kind,
            speaker: self.opt_id(speaker)?,
            quotes,
            date,
            event: self.opt_id(event)?,
            venue: self.opt_id(venue)?,
            about: self.ids_of(&about)?,
            reported_by: self.ids_of(&reported_by)?,
            attributed_to: ClaimSet::new(attributed_to),
            caveat,
        };
        let node = Node {
            id: self.id_of(g)?,
            name,
            aliases: Vec::new(),
            description,
            sources: self.cite(),
            data: NodeData::Statement(Box::new(data)),
        };
        Ok((node, 0))
    }

    pub(super) fn project(&mut self, g: u32) -> Result<(Node, u32)> {
        let (place, kind) = project_ident(&mut self.ident(g));
        let host = self.pick_country(&[g]);
        let home = self.home(host);
        self.set_home(g, home, home);
        let mut value = Vec::new();
        if self.rng.chance(80) {
            let f = self.figure(home, false);
            let mut values = vec![("estimate".to_string(), Amount::Money(f.money()?))];
            if self.rng.chance(30) {
                let revised = f.revised(self.change());
                values.push(("revised".to_string(), Amount::Money(revised.money()?)));
            }
            value = self.history(values)?;
        }
        let worth = value.last().map_or_else(
            || "of undisclosed value".to_string(),
            |c| format!("valued at {}", c.value),
        );
        let country = self.countries[home as usize].name.clone();
        let node = Node {
            id: self.id_of(g)?,
            name: format!("{place} {kind}"),
            aliases: vec![
                format!("{place} {kind} venture"),
                format!("{kind} in {place}"),
            ],
            description: format!(
                "A {kind} in {place} ({country}), {worth}; partners are still being sought."
            ),
            sources: self.cite(),
            data: NodeData::Project(Box::new(Project {
                value: ClaimSet::new(value),
                place: Some(place.to_string()),
            })),
        };
        Ok((node, 2))
    }
}

/// "a" or "an", as the next word needs.
fn article(next: &str) -> &'static str {
    match next.chars().next() {
        Some('a' | 'e' | 'i' | 'o' | 'u' | 'A' | 'E' | 'I' | 'O' | 'U') => "an",
        _ => "a",
    }
}

fn capitalized(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// `units` changed by `percent`, kept to three significant digits.
fn revise(units: u64, percent: i64) -> u64 {
    let factor = (100 + percent).max(1) as u128;
    let changed = (u128::from(units) * factor / 100).min(u128::from(u64::MAX >> 8)) as u64;
    let digits = changed.checked_ilog10().unwrap_or(0) + 1;
    match digits.checked_sub(3) {
        Some(drop) if drop > 0 => {
            let step = 10u64.pow(drop);
            (changed + step / 2) / step * step
        }
        _ => changed,
    }
}

/// The one-character form a country takes in Japanese compound names ("日米").
fn kanji(code: Option<&str>) -> Option<&'static str> {
    Some(match code? {
        "US" => "米",
        "JP" => "日",
        "KR" => "韓",
        "CN" => "中",
        "EU" => "欧",
        "GB" => "英",
        "DE" => "独",
        "FR" => "仏",
        "IN" => "印",
        "AU" => "豪",
        "CA" => "加",
        _ => return None,
    })
}
