//! Claims: values that matter, with validity in time, rank, attribution,
//! sources and what they supersede.

use std::cmp::Ordering;

use super::{DateBasis, EntityId, PartialDate, SourceRef, When, string_enum};

string_enum! {
    /// How a claim stands among the claims about the same value.
    pub enum Rank {
        /// The value to show now.
        Preferred = "preferred",
        /// A value that held or holds, such as one later superseded.
        Normal = "normal",
        /// A value the source states wrongly: hidden unless asked for.
        Deprecated = "deprecated",
    }
}

/// Who a claim is attributed to, by entity where known and in words.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Attribution {
    /// The entity the claim is attributed to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<EntityId>,
    /// The attribution in words ("according to the White House").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
}

/// One claimed value with its validity, rank, provenance and history links.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Claim<T> {
    /// A key unique among the claims of one value, used by `supersedes`.
    pub key: String,
    /// The value.
    pub value: T,
    /// When the value was announced or agreed, where that is recorded apart from when it
    /// takes effect.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub announced: Option<Box<When>>,
    /// The first day the value holds, where known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_from: Option<Box<When>>,
    /// The day from which the value no longer holds (exclusive), where known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_until: Option<Box<When>>,
    /// Preferred, normal or deprecated.
    pub rank: Rank,
    /// True where the source gives the value as approximate ("about").
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub approximate: bool,
    /// Who the source attributes the value to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attribution: Option<Box<Attribution>>,
    /// Who set or changed the value (a revision's author).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub made_by: Option<EntityId>,
    /// The key of the claim this one replaces.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub supersedes: Option<Box<str>>,
    /// Where the value comes from; never empty.
    #[serde(
        deserialize_with = "super::wire::exact_vec",
        default,
        skip_serializing_if = "Vec::is_empty"
    )]
    pub sources: Vec<SourceRef>,
    /// Why the value is doubtful or wrong, where it is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub caveat: Option<Box<str>>,
    /// Anything else worth knowing about the value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<Box<str>>,
}

impl<T> Claim<T> {
    /// Whether the claim holds on `date` (it started on or before it and had not ended),
    /// and how firmly that is known. A claim with no dates holds at all times. Where `date`
    /// falls inside the range a start or end is known only as, the change is taken as not
    /// yet made, and the basis is [`DateBasis::Unknown`].
    pub fn holds_on(&self, date: &PartialDate) -> (bool, DateBasis) {
        super::date::holds_on(
            self.valid_from.as_deref(),
            self.valid_until.as_deref(),
            date.start(),
        )
    }

    /// True when the claim is wrong by the curator's account.
    pub fn is_deprecated(&self) -> bool {
        self.rank == Rank::Deprecated
    }
}

/// All claims about one value: its current value and its history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimSet<T>(Vec<Claim<T>>);

impl<T: serde::Serialize> serde::Serialize for ClaimSet<T> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(s)
    }
}

/// Read as a list of claims, then put in history order as [`ClaimSet::new`] does.
impl<'de, T: serde::Deserialize<'de>> serde::Deserialize<'de> for ClaimSet<T> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Vec::<Claim<T>>::deserialize(d).map(ClaimSet::new)
    }
}

impl<T> Default for ClaimSet<T> {
    fn default() -> Self {
        ClaimSet(Vec::new())
    }
}

impl<T> ClaimSet<T> {
    /// Wraps claims, ordered as history: undated first, then by the earliest day they
    /// can start, then by the latest (a known day before a range that begins on it), then
    /// by key.
    pub fn new(mut claims: Vec<Claim<T>>) -> Self {
        claims.shrink_to_fit();
        let mut set = ClaimSet(claims);
        set.sort();
        set
    }

    /// Puts the claims in history order (see [`ClaimSet::new`]).
    fn sort(&mut self) {
        self.0.sort_by(|a, b| {
            let from = |c: &Claim<T>| {
                c.valid_from
                    .as_ref()
                    .map(|w| (w.earliest(), w.latest().unwrap_or((i32::MAX, 12, 31))))
            };
            from(a).cmp(&from(b)).then_with(|| a.key.cmp(&b.key))
        });
    }

    /// Adds a claim in its place in history order.
    pub fn insert(&mut self, claim: Claim<T>) {
        self.0.push(claim);
        self.sort();
    }

    /// Every claim, to edit in place; the keys and dates that order them must not change.
    pub fn all_mut(&mut self) -> &mut [Claim<T>] {
        &mut self.0
    }

    /// Every claim, deprecated ones included, in history order.
    pub fn all(&self) -> &[Claim<T>] {
        &self.0
    }

    /// The claims in history order, without deprecated ones unless asked.
    pub fn history(&self, include_deprecated: bool) -> impl Iterator<Item = &Claim<T>> {
        self.0
            .iter()
            .filter(move |c| include_deprecated || !c.is_deprecated())
    }

    /// True when there is no claim at all.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The value to show now: the best-ranked claim that has not ended,
    /// latest start first; failing that, the latest that ended.
    pub fn current(&self) -> Option<&Claim<T>> {
        let open = best(
            self.history(false)
                .filter(|c| c.valid_until.is_none())
                .map(|c| (c, ())),
        );
        open.map(|(c, ())| c).or_else(|| self.history(false).last())
    }

    /// The value that held on `date`: of the claims holding then, the
    /// best-ranked, latest start first.
    pub fn as_of(&self, date: &PartialDate) -> Option<&Claim<T>> {
        self.as_of_with_basis(date).map(|(c, _)| c)
    }

    /// [`ClaimSet::as_of`], with how firmly the dates that decide it are known.
    pub fn as_of_with_basis(&self, date: &PartialDate) -> Option<(&Claim<T>, DateBasis)> {
        best(self.history(false).filter_map(|c| match c.holds_on(date) {
            (true, basis) => Some((c, basis)),
            (false, _) => None,
        }))
    }

    /// The value on `as_of` when a date is given ([`ClaimSet::as_of`]), else the current one.
    pub fn at(&self, as_of: Option<&PartialDate>) -> Option<&Claim<T>> {
        match as_of {
            Some(d) => self.as_of(d),
            None => self.current(),
        }
    }

    /// The claim with this key.
    pub fn get(&self, key: &str) -> Option<&Claim<T>> {
        self.0.iter().find(|c| c.key == key)
    }
}

/// The best of `claims`: the best-ranked, then the latest start, the first of equals. A
/// claim's start is read only to break a tie of ranks, so a set whose one open claim is
/// preferred is decided without following its dates out of line.
fn best<'c, T, X>(claims: impl Iterator<Item = (&'c Claim<T>, X)>) -> Option<(&'c Claim<T>, X)> {
    let start = |c: &Claim<T>| c.valid_from.as_deref().and_then(When::sort_date);
    claims.reduce(|kept, next| match next.0.rank.cmp(&kept.0.rank) {
        Ordering::Less => next,
        Ordering::Greater => kept,
        // The later start wins; an unknown start loses to any known one.
        Ordering::Equal => match (start(next.0), start(kept.0)) {
            (Some(n), Some(k)) if n > k => next,
            (Some(_), None) => next,
            _ => kept,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claim(
        key: &str,
        value: u32,
        from: Option<&str>,
        until: Option<&str>,
        rank: Rank,
    ) -> Claim<u32> {
        let when = |s: &str| When::stated(s.parse().unwrap());
        Claim {
            key: key.into(),
            value,
            announced: None,
            valid_from: from.map(when).map(Box::new),
            valid_until: until.map(when).map(Box::new),
            rank,
            approximate: false,
            attribution: None,
            made_by: None,
            supersedes: None,
            sources: Vec::new(),
            caveat: None,
            note: None,
        }
    }

    fn pledge() -> ClaimSet<u32> {
        ClaimSet::new(vec![
            claim("final", 550, Some("2025-07-23"), None, Rank::Preferred),
            claim("printed", 400, None, Some("2025-07-22"), Rank::Normal),
            claim(
                "handwritten",
                500,
                Some("2025-07-22"),
                Some("2025-07-23"),
                Rank::Normal,
            ),
            claim("misprint", 5, Some("2025-07-22"), None, Rank::Deprecated),
        ])
    }

    #[test]
    fn current_value_is_the_open_preferred_claim() {
        assert_eq!(pledge().current().unwrap().value, 550);
    }

    #[test]
    fn among_open_claims_of_one_rank_the_latest_start_wins_then_the_first() {
        let current = |claims: Vec<Claim<u32>>| ClaimSet::new(claims).current().unwrap().value;
        let normal = |key, value, from| claim(key, value, from, None, Rank::Normal);
        // A later start beats an earlier one, and any known start an unknown one.
        assert_eq!(
            current(vec![
                normal("a", 1, Some("2025-01")),
                normal("b", 2, Some("2025-03"))
            ]),
            2
        );
        assert_eq!(
            current(vec![normal("a", 1, None), normal("b", 2, Some("2024"))]),
            2
        );
        // Equal starts: the first in history order (by key) is kept.
        assert_eq!(
            current(vec![
                normal("b", 2, Some("2025")),
                normal("a", 1, Some("2025"))
            ]),
            1
        );
        assert_eq!(current(vec![normal("b", 2, None), normal("a", 1, None)]), 1);
        // Rank decides before any date: a preferred claim with no start beats a dated one.
        let preferred = claim("z", 9, None, None, Rank::Preferred);
        assert_eq!(current(vec![normal("a", 1, Some("2026")), preferred]), 9);
        // With no open claim, the last to end in history order.
        let ended = |key, value, from| claim(key, value, Some(from), Some("2026"), Rank::Normal);
        assert_eq!(
            current(vec![ended("b", 2, "2025-06"), ended("a", 1, "2025-01")]),
            2
        );
    }

    #[test]
    fn as_of_answers_with_the_claim_valid_then() {
        let set = pledge();
        let on = |d: &str| set.as_of(&d.parse().unwrap()).map(|c| c.value);
        assert_eq!(on("2025-07-01"), Some(400));
        assert_eq!(on("2025-07-22"), Some(500));
        assert_eq!(on("2025-07-23"), Some(550));
        assert_eq!(on("2026"), Some(550));
    }

    #[test]
    fn history_is_ordered_and_hides_deprecated_unless_asked() {
        let set = pledge();
        let keys: Vec<_> = set.history(false).map(|c| c.key.as_str()).collect();
        assert_eq!(keys, ["printed", "handwritten", "final"]);
        assert_eq!(set.history(true).count(), 4);
    }
}
