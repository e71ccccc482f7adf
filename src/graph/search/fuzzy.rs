//! The deletion neighbourhood (SymSpell) that finds the terms within two typos of a
//! word.

use super::{FUZZY_MIN_CHARS, MAX_FUZZY_DISTANCE, MAX_FUZZY_TERM_CHARS};

/// The deletion-neighbourhood hashes a term is keyed by in the fuzzy index,
/// without duplicates; none for a term too short or too long for it.
pub(super) fn fuzzy_hashes(term: &str) -> Vec<u64> {
    let chars: Vec<char> = term.chars().collect();
    let mut hashes = Vec::new();
    if chars.len() <= MAX_FUZZY_TERM_CHARS {
        deletion_hashes(&chars, FUZZY_MIN_CHARS - MAX_FUZZY_DISTANCE, &mut hashes);
        hashes.sort_unstable();
        hashes.dedup();
    }
    hashes
}

pub(super) const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
pub(super) const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

/// FNV-1a of `chars` without the chars at positions `a` and `b`.
pub(super) fn hash_without(chars: &[char], a: usize, b: usize) -> u64 {
    let mut h = FNV_OFFSET;
    for (i, &c) in chars.iter().enumerate() {
        if i == a || i == b {
            continue;
        }
        for byte in u32::from(c).to_le_bytes() {
            h ^= u64::from(byte);
            h = h.wrapping_mul(FNV_PRIME);
        }
    }
    h
}

/// Pushes the hashes of `chars` with 0, 1 and 2 chars deleted, in that order,
/// skipping results shorter than `min_len`.
pub(super) fn deletion_hashes(chars: &[char], min_len: usize, out: &mut Vec<u64>) {
    let n = chars.len();
    if n < min_len {
        return;
    }
    out.push(hash_without(chars, usize::MAX, usize::MAX));
    if n < min_len + 1 {
        return;
    }
    for i in 0..n {
        out.push(hash_without(chars, i, usize::MAX));
    }
    if n < min_len + 2 {
        return;
    }
    for i in 0..n {
        for j in i + 1..n {
            out.push(hash_without(chars, i, j));
        }
    }
}
