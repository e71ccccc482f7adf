//! Stable, readable entity ids such as `country:jp` that carry their kind.

use std::fmt;
use std::str::FromStr;

use super::{ModelError, string_enum};

string_enum! {
    /// The kind of a node; also the prefix of every id of that kind.
    pub enum NodeKind {
        /// A country, or a bloc such as the EU.
        Country = "country",
        /// A person, usually an official.
        Person = "person",
        /// A government body, company, media outlet, international body, party or delegation.
        Organization = "org",
        /// A trade deal or a negotiation towards one.
        Deal = "deal",
        /// A pledge: who promised what to whom, in exchange for what.
        Commitment = "commitment",
        /// What one side asks of another: not a pledge until the other side makes one.
        Demand = "demand",
        /// A tariff imposed, threatened, changed or suspended.
        TariffMeasure = "tariff",
        /// Something that happened at a time: talks, a meeting, an interview, a post, a deadline.
        Event = "event",
        /// Something someone said, summarised in our own words.
        Statement = "statement",
        /// A venture with a value and participants.
        Project = "project",
        /// A document facts come from, or a curator's note.
        Source = "source",
    }
}

impl NodeKind {
    /// The type name the API and the summaries use (`TariffMeasure`).
    pub fn type_name(self) -> &'static str {
        match self {
            NodeKind::Country => "Country",
            NodeKind::Person => "Person",
            NodeKind::Organization => "Organization",
            NodeKind::Deal => "Deal",
            NodeKind::Commitment => "Commitment",
            NodeKind::Demand => "Demand",
            NodeKind::TariffMeasure => "TariffMeasure",
            NodeKind::Event => "Event",
            NodeKind::Statement => "Statement",
            NodeKind::Project => "Project",
            NodeKind::Source => "Source",
        }
    }

    /// The id prefixes, listed for error messages.
    pub fn prefixes() -> String {
        NodeKind::ALL
            .iter()
            .map(|k| k.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// A node's id: `kind:slug`, unique across kinds, the one id used everywhere. Its text is
/// shared: an id copied into a relation, an index or a citation copies a pointer, a thin
/// one (the text's length is kept with the text), since millions of them are stored.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EntityId(arcstr::ArcStr);

impl EntityId {
    /// Parses and validates an id; the slug is lowercase ASCII letters, digits
    /// and single dashes, starting and ending with a letter or digit.
    pub fn parse(text: &str) -> Result<Self, ModelError> {
        check(text)?;
        Ok(EntityId(interned(text, || text.into())))
    }

    /// Parses an id as [`EntityId::parse`] does, but with a text of its own even while an
    /// [`IdInterner`] lives: for ids the graph replaces with its node's own as it takes
    /// them in (a relation's ends), for which the interner's lookup would be wasted.
    pub fn parse_unshared(text: &str) -> Result<Self, ModelError> {
        check(text)?;
        Ok(EntityId(text.into()))
    }

    /// Parses an id and checks that it is of one of `kinds`.
    pub fn parse_of(text: &str, kinds: &[NodeKind]) -> Result<Self, ModelError> {
        let id = Self::parse(text)?;
        if kinds.contains(&id.kind()) {
            Ok(id)
        } else {
            Err(ModelError::WrongKind {
                id: text.to_string(),
                found: id.kind().type_name(),
                expected: kinds
                    .iter()
                    .map(|k| k.type_name())
                    .collect::<Vec<_>>()
                    .join(" or "),
            })
        }
    }

    /// The kind the id carries, told by the first three letters of its prefix, which
    /// `parse`, the only constructor, has checked: no two kinds' prefixes share them
    /// (a test holds every kind to it). Filters ask this of every node they pass over,
    /// where reading the prefix up to its colon and matching it whole cost several times as
    /// much.
    pub fn kind(&self) -> NodeKind {
        kind_told(self.0.as_bytes())
    }

    /// The part after the colon.
    pub fn slug(&self) -> &str {
        self.0.split_once(':').map(|(_, s)| s).unwrap_or_default()
    }

    /// The whole id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The first sixteen bytes of the id, zero-padded, as a number: ids in this order
    /// are in their own order, except where their first sixteen bytes tie.
    pub fn order_key(&self) -> u128 {
        let mut bytes = [0u8; 16];
        let text = self.0.as_bytes();
        let n = text.len().min(16);
        bytes[..n].copy_from_slice(&text[..n]);
        u128::from_be_bytes(bytes)
    }

    /// The same id with the text an [`IdInterner`] living on this thread holds for it, as
    /// [`EntityId::parse`] would have given it; itself when none lives.
    pub fn into_shared(self) -> Self {
        EntityId(interned(self.as_str(), || self.0.clone()))
    }

    /// True when both ids hold the same copy of their text, not merely equal texts.
    pub fn shares_text_with(&self, other: &EntityId) -> bool {
        arcstr::ArcStr::ptr_eq(&self.0, &other.0)
    }
}

thread_local! {
    /// The texts of the ids parsed on this thread while an [`IdInterner`] lives.
    static INTERNED: std::cell::RefCell<Option<std::collections::HashSet<arcstr::ArcStr, foldhash::fast::RandomState>>> =
        const { std::cell::RefCell::new(None) };
}

/// While one lives, every id parsed on its thread shares its text with the earlier ids of
/// the same text: a graph read from a file then holds each id's text once, however many
/// relations, citations and claims name it. Dropping it forgets the texts (the ids keep
/// them).
#[derive(Debug)]
pub struct IdInterner(());

impl IdInterner {
    /// Starts sharing the texts of ids parsed on this thread.
    pub fn start() -> Self {
        INTERNED.with(|set| *set.borrow_mut() = Some(Default::default()));
        IdInterner(())
    }
}

impl Drop for IdInterner {
    fn drop(&mut self) {
        INTERNED.with(|set| *set.borrow_mut() = None);
    }
}

/// Whether `slug` is lowercase letters and digits in words joined by single hyphens: not
/// empty, no hyphen first, last or beside another. Eight bytes at a time (ids are parsed
/// on every filter by id, fifty in a list): a slug shorter than a word byte by byte.
fn is_slug(slug: &[u8]) -> bool {
    let (Some(&first), Some(&last)) = (slug.first(), slug.last()) else {
        return false;
    };
    if first == b'-' || last == b'-' {
        return false;
    }
    if slug.len() < 8 {
        return slug.iter().all(|&b| slug_byte(b)) && !slug.windows(2).any(|w| w == b"--");
    }
    let word = |at: usize| {
        let mut eight = [0; 8];
        eight.copy_from_slice(&slug[at..at + 8]);
        u64::from_le_bytes(eight)
    };
    // Whole words, each told whether it ends in a hyphen so that the next may not begin
    // with one; then, where bytes are left, the last eight, which hold every pair of
    // neighbours after the whole words.
    let mut hyphen_before = false;
    for i in 0..slug.len() / 8 {
        match slug_word(word(8 * i)) {
            Some(ends) if !(hyphen_before && ends.begins) => hyphen_before = ends.ends,
            _ => return false,
        }
    }
    slug.len() % 8 == 0 || slug_word(word(slug.len() - 8)).is_some()
}

/// Whether a word of a slug begins and ends with a hyphen.
struct Ends {
    begins: bool,
    ends: bool,
}

/// A byte a slug may hold.
fn slug_byte(byte: u8) -> bool {
    matches!(byte, b'a'..=b'z' | b'0'..=b'9' | b'-')
}

/// Where eight bytes (little-endian in `word`) are all bytes a slug may hold, with no
/// two hyphens side by side, whether they begin and end with one: each test sets a
/// byte's high bit, with no carry between bytes, as the bytes are ASCII (checked first).
fn slug_word(word: u64) -> Option<Ends> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // The high bit of each byte from `lo` to `hi`.
    let within = |lo: u8, hi: u8| {
        word.wrapping_add(ONES * u64::from(0x80 - lo))
            & !word.wrapping_add(ONES * u64::from(0x7f - hi))
            & HIGH
    };
    let hyphens = within(b'-', b'-');
    let fits = word & HIGH == 0
        && within(b'a', b'z') | within(b'0', b'9') | hyphens == HIGH
        && hyphens & (hyphens << 8) == 0;
    fits.then_some(Ends {
        begins: hyphens & 0x80 != 0,
        ends: hyphens >> 63 != 0,
    })
}

/// Checks an id's text: a kind's prefix, a colon and a slug of at most 200 bytes.
fn check(text: &str) -> Result<(), ModelError> {
    let invalid = || ModelError::InvalidId(text.to_string());
    // The kind its first letters tell, then its whole prefix and the colon checked.
    let slug = text
        .strip_prefix(kind_told(text.as_bytes()).as_str())
        .and_then(|rest| rest.strip_prefix(':'))
        .ok_or_else(invalid)?;
    if slug.len() > 200 || !is_slug(slug.as_bytes()) {
        return Err(invalid());
    }
    Ok(())
}

/// The kind an id's first three letters tell, which no two kinds' prefixes share (a test
/// holds every kind to it); [`NodeKind::Source`] for any others.
fn kind_told(text: &[u8]) -> NodeKind {
    match text {
        [b'c', b'o', b'u', ..] => NodeKind::Country,
        [b'c', b'o', b'm', ..] => NodeKind::Commitment,
        [b'p', b'e', b'r', ..] => NodeKind::Person,
        [b'p', b'r', b'o', ..] => NodeKind::Project,
        [b'o', b'r', b'g', ..] => NodeKind::Organization,
        [b'd', b'e', b'a', ..] => NodeKind::Deal,
        [b'd', b'e', b'm', ..] => NodeKind::Demand,
        [b't', b'a', b'r', ..] => NodeKind::TariffMeasure,
        [b'e', b'v', b'e', ..] => NodeKind::Event,
        [b's', b't', b'a', ..] => NodeKind::Statement,
        _ => NodeKind::Source,
    }
}

/// The shared text of an id: the interner's when one is running on this thread, else
/// (and the first time) the one `make` gives.
fn interned(text: &str, make: impl FnOnce() -> arcstr::ArcStr) -> arcstr::ArcStr {
    INTERNED.with(|set| match set.borrow_mut().as_mut() {
        None => make(),
        Some(set) => match set.get(text) {
            Some(shared) => shared.clone(),
            None => {
                let shared = make();
                set.insert(shared.clone());
                shared
            }
        },
    })
}

/// Looks an id up by its text, as maps keyed by ids are: the text hashes and compares as
/// the id does.
impl std::borrow::Borrow<str> for EntityId {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for EntityId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

super::wire::serde_as_text!(EntityId);

/// Reads an id with a text of its own ([`EntityId::parse_unshared`]):
/// `#[serde(deserialize_with = "…")]`.
pub(crate) fn deserialize_unshared<'de, D>(d: D) -> Result<EntityId, D::Error>
where
    D: serde::Deserializer<'de>,
{
    struct Unshared(EntityId);
    impl FromStr for Unshared {
        type Err = ModelError;
        fn from_str(text: &str) -> Result<Self, ModelError> {
            EntityId::parse_unshared(text).map(Unshared)
        }
    }
    d.deserialize_str(super::wire::FromText::<Unshared>(std::marker::PhantomData))
        .map(|id| id.0)
}

impl FromStr for EntityId {
    type Err = ModelError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_is_told_by_its_prefix() {
        for &kind in NodeKind::ALL {
            for slug in ["x", "a-b-1", "s"] {
                let text = format!("{}:{slug}", kind.as_str());
                let id = EntityId::parse(&text).unwrap();
                assert_eq!(id.kind(), kind, "{text}");
            }
        }
    }

    #[test]
    fn parses_ids_and_their_kinds() {
        let id = EntityId::parse("person:howard-lutnick").unwrap();
        assert_eq!(id.kind(), NodeKind::Person);
        assert_eq!(id.slug(), "howard-lutnick");
        assert_eq!(
            EntityId::parse("tariff:us-jp-autos-2025").unwrap().kind(),
            NodeKind::TariffMeasure
        );
        let slug = "a".repeat(200);
        assert!(EntityId::parse(&format!("event:{slug}")).is_ok());
        for bad in [
            "event:",
            "event:-a",
            "event:a-",
            "event:a--b",
            "event:A",
            "event:a_b",
            "event:é",
            "event:a:b",
            "event:a b",
            "happening:a",
            "event",
            &format!("event:{slug}a"),
        ] {
            assert!(EntityId::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn ids_parsed_while_an_interner_lives_share_their_text() {
        let apart = (
            EntityId::parse("country:jp").unwrap(),
            EntityId::parse("country:jp").unwrap(),
        );
        assert!(!arcstr::ArcStr::ptr_eq(&apart.0.0, &apart.1.0));
        let interner = IdInterner::start();
        let shared = (
            EntityId::parse("country:jp").unwrap(),
            EntityId::parse("country:jp").unwrap(),
        );
        let other = EntityId::parse("country:kr").unwrap();
        // An id parsed unshared has its own text until it is shared.
        let own = EntityId::parse_unshared("country:jp").unwrap();
        assert!(!own.shares_text_with(&shared.0));
        assert!(own.into_shared().shares_text_with(&shared.0));
        drop(interner);
        assert!(arcstr::ArcStr::ptr_eq(&shared.0.0, &shared.1.0));
        assert_eq!(shared.0, apart.0);
        assert_eq!(other.as_str(), "country:kr");
        let after = EntityId::parse("country:jp").unwrap();
        assert!(!arcstr::ArcStr::ptr_eq(&shared.0.0, &after.0));
        assert!(after.clone().into_shared().shares_text_with(&after));
    }

    #[test]
    fn slugs_are_told_as_a_byte_by_byte_reading_tells_them() {
        // The rule read one byte at a time: words of letters and digits, single hyphens.
        let by_bytes = |slug: &[u8]| {
            let mut after_hyphen = true;
            for &byte in slug {
                match byte {
                    b'a'..=b'z' | b'0'..=b'9' => after_hyphen = false,
                    b'-' if !after_hyphen => after_hyphen = true,
                    _ => return false,
                }
            }
            !after_hyphen
        };
        // Every byte in every place of slugs of lengths about a word, and hyphens in
        // pairs across every boundary of a word.
        let mut told = 0;
        for len in 0..=26 {
            for at in 0..len {
                for byte in 0..=255u8 {
                    let mut slug = vec![b'a'; len];
                    slug[at] = byte;
                    assert_eq!(is_slug(&slug), by_bytes(&slug), "{slug:?}");
                    if at + 1 < len {
                        slug[at + 1] = b'-';
                        assert_eq!(is_slug(&slug), by_bytes(&slug), "{slug:?}");
                    }
                    told += 1;
                }
            }
        }
        assert!(told > 80_000);
        for slug in [
            "a-b-c-d-e-f-g-h-i",
            "abcdefg--h",
            "abcdefgh-",
            "-abcdefgh",
            "z9-0y",
        ] {
            assert_eq!(
                is_slug(slug.as_bytes()),
                by_bytes(slug.as_bytes()),
                "{slug}"
            );
        }
    }

    #[test]
    fn rejects_malformed_ids() {
        for bad in [
            "",
            "country",
            "country:",
            "planet:mars",
            "country:JP",
            "country:-jp",
            "country:j p",
            "country:a--b",
            "country:jp-",
            "country:-",
            "country:j\u{e9}",
            "country:j_p",
            "country:\u{0}",
            ":jp",
        ] {
            assert!(EntityId::parse(bad).is_err(), "{bad} should be refused");
        }
        let long = format!("country:{}", "a".repeat(201));
        assert!(EntityId::parse(&long).is_err());
        for good in [
            "country:a",
            "country:1-2-3",
            "deal:us-jp-2025",
            &long[..208],
        ] {
            assert!(EntityId::parse(good).is_ok(), "{good} should be read");
        }
    }

    #[test]
    fn checks_the_kind_a_field_takes() {
        let err = EntityId::parse_of("person:x", &[NodeKind::Country]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "`person:x` is a Person, expected a Country"
        );
    }
}
