//! Scores and ranks: how a match is scored, and the rank that orders posting lists
//! by the best score a text can reach.

use super::{Field, MatchKind, Quality, Stage, TextEntry};

/// Score bands: kind, then field, then edits, then length; see [`SearchHit::score`].
pub(super) const KIND_BAND: u32 = 10_000;
pub(super) const FIELD_STEP: u32 = 3_000;
pub(super) const EDIT_STEP: u32 = 300;
pub(super) const MAX_EDITS_SCORED: u32 = 9;
pub(super) const MAX_EXTRA_CHARS_SCORED: u32 = 299;

/// Bits of a text's rank that hold its normalized length: see [`rank`].
pub(super) const RANK_LEN_BITS: u16 = 10;
/// The longest normalized length a rank tells apart.
pub(super) const RANK_LEN_MAX: u32 = (1 << RANK_LEN_BITS) - 1;

pub(super) fn stage_of(q: Quality) -> Stage {
    match q {
        Quality::Exact => Stage::Token,
        Quality::Prefix(_) => Stage::Prefix,
        Quality::Fuzzy(_) => Stage::Fuzzy,
    }
}

pub(super) fn fuzzy_edits(q: Quality) -> u32 {
    match q {
        Quality::Fuzzy(d) => d,
        Quality::Exact | Quality::Prefix(_) => 0,
    }
}

pub(super) fn extra_chars(entry: &TextEntry, query_len: usize) -> u32 {
    extra(entry.norm_len, query_len)
}

/// The chars by which a normal form of `norm_len` chars is longer than the query's.
pub(super) fn extra(norm_len: u32, query_len: usize) -> u32 {
    let query_len = u32::try_from(query_len).unwrap_or(u32::MAX);
    norm_len.saturating_sub(query_len)
}

/// The rank of a text in long posting lists: names, then aliases, then longer texts,
/// each by normalized length, lowest first. So the rank never falls as the best score a
/// text can reach falls. Lengths from [`RANK_LEN_MAX`] on share one rank.
pub(super) fn rank(field: Field, norm_len: u32) -> u16 {
    let field_part: u16 = match field {
        Field::Name => 0,
        Field::Alias => 1,
        Field::Text => 2,
    };
    let len = u16::try_from(norm_len.min(RANK_LEN_MAX)).unwrap_or(u16::MAX);
    (field_part << RANK_LEN_BITS) | len
}

/// The field of a rank's texts and the least normalized length they can have.
pub(super) fn rank_floor(rank: u16) -> (Field, u32) {
    let field = match rank >> RANK_LEN_BITS {
        0 => Field::Name,
        1 => Field::Alias,
        _ => Field::Text,
    };
    (field, u32::from(rank) & RANK_LEN_MAX)
}

/// The score of a match; see [`SearchHit::score`].
/// The kind of match a stage makes.
pub(super) fn kind_of(stage: Stage) -> MatchKind {
    match stage {
        Stage::Token => MatchKind::Token,
        Stage::Prefix => MatchKind::Prefix,
        Stage::Fuzzy => MatchKind::Fuzzy,
    }
}

pub(super) fn score(kind: MatchKind, field: Field, edits: u32, extra_chars: u32) -> u32 {
    let kind_rank = match kind {
        MatchKind::ExactName => 5,
        MatchKind::ExactAlias => 4,
        MatchKind::Token => 3,
        MatchKind::Prefix => 2,
        MatchKind::Fuzzy => 1,
    };
    let field_rank = match field {
        Field::Name => 2,
        Field::Alias => 1,
        Field::Text => 0,
    };
    kind_rank * KIND_BAND
        + field_rank * FIELD_STEP
        + (MAX_EDITS_SCORED - edits.min(MAX_EDITS_SCORED)) * EDIT_STEP
        + (MAX_EXTRA_CHARS_SCORED - extra_chars.min(MAX_EXTRA_CHARS_SCORED))
}
