//! Normal forms: how a text is cut into words and runs, the exact keys of a name,
//! and the snippet of a long text.

use unicode_normalization::char::{decompose_compatible, is_combining_mark};

use super::fuzzy::{FNV_OFFSET, FNV_PRIME};

/// Texts longer than this many chars are returned as a snippet around the match.
pub(super) const SNIPPET_MAX_CHARS: usize = 160;
/// How many chars of a snippet come before the matched word.
pub(super) const SNIPPET_LEAD_CHARS: usize = 50;

/// A normalized word with the byte span in the original text it came from.
#[derive(Debug)]
pub(super) struct Word {
    pub(super) text: String,
    pub(super) start: usize,
    pub(super) end: usize,
    /// Whether a hyphen joins it to the word before it.
    pub(super) joined: bool,
}

/// A run of hyphen-joined words (a lone word is a run of one).
#[derive(Debug)]
pub(super) struct Run {
    pub(super) text: String,
    pub(super) start: usize,
    pub(super) end: usize,
    pub(super) parts: usize,
}

pub(super) fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '\u{2019}' | '\u{2018}' | '\u{02BC}')
}

/// Hyphens that join the words either side into one more term.
pub(super) fn is_hyphen(c: char) -> bool {
    matches!(c, '-' | '\u{2010}' | '\u{2011}')
}

/// The normalized words of `text`, with their spans in it.
pub(super) fn tokenize(text: &str) -> Vec<Word> {
    let mut words = if text.is_ascii() {
        // Each byte is a char whose normal form is its lowercase: no table to build.
        let bytes = text.as_bytes();
        words_of(text.len(), |k| {
            let b = bytes.get(k)?;
            Some((char::from(b.to_ascii_lowercase()), k, k + 1))
        })
    } else {
        let chars = normalized(text);
        words_of(chars.len(), |k| chars.get(k).copied())
    };
    unjoin_long_runs(&mut words);
    words
}

/// The normal form of `text`, char by char: compatibility decomposition, lowercase, no
/// combining marks; each with the start and end byte of the original char it came from.
fn normalized(text: &str) -> Vec<(char, usize, usize)> {
    let mut chars: Vec<(char, usize, usize)> = Vec::with_capacity(text.len());
    for (start, ch) in text.char_indices() {
        let end = start + ch.len_utf8();
        if ch.is_ascii() {
            chars.push((ch.to_ascii_lowercase(), start, end));
            continue;
        }
        decompose_compatible(ch, |d| {
            if is_combining_mark(d) {
                return;
            }
            for l in d.to_lowercase() {
                if !is_combining_mark(l) {
                    chars.push((l, start, end));
                }
            }
        });
    }
    chars
}

/// Cuts `len` normalized chars into words; `at(k)` is the `k`th char, as [`normalized`]
/// gives it. A word's text is gathered in one buffer and copied out once, at its length.
fn words_of(len: usize, at: impl Fn(usize) -> Option<(char, usize, usize)>) -> Vec<Word> {
    // Room for words of about six chars and their spaces, and for a long word.
    let mut words = Vec::with_capacity(len / 7 + 1);
    let mut text = String::with_capacity(32);
    // The word being read: its start and end byte, and whether a hyphen joins it to the
    // word before it.
    let mut cur: Option<(usize, usize, bool)> = None;
    let word = |text: &mut String, (start, end, joined): (usize, usize, bool)| {
        let w = Word {
            text: text.as_str().into(),
            start,
            end,
            joined,
        };
        text.clear();
        w
    };
    let mut hyphen_pending = false;
    let mut k = 0;
    while let Some((c, start, end)) = at(k) {
        k += 1;
        if is_apostrophe(c) {
            // Dropped without a break. A possessive "s" goes with it: an "s"
            // right after it that ends the word.
            if let Some((_, word_end, _)) = cur.as_mut() {
                let s_next = at(k).filter(|n| n.0 == 's');
                let word_goes_on =
                    at(k + 1).is_some_and(|n| n.0.is_alphanumeric() && !is_apostrophe(n.0));
                if let Some(s) = s_next.filter(|_| !word_goes_on) {
                    *word_end = s.2;
                    k += 1;
                }
            }
            continue;
        }
        if c == '\u{AD}' {
            // A soft hyphen is invisible: dropped without a break.
            continue;
        }
        if c.is_alphanumeric() {
            text.push(c);
            match cur.as_mut() {
                Some((_, word_end, _)) => *word_end = end,
                None => {
                    cur = Some((start, end, hyphen_pending));
                    hyphen_pending = false;
                }
            }
        } else if let Some(w) = cur.take() {
            words.push(word(&mut text, w));
            hyphen_pending = is_hyphen(c);
        } else if !is_hyphen(c) {
            hyphen_pending = false;
        }
    }
    if let Some(w) = cur {
        words.push(word(&mut text, w));
    }
    words
}

/// A piece of a `contains` needle: a run of ASCII letters and digits that a text holding
/// the needle holds in one of its terms, and where in it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct Piece {
    pub(super) text: String,
    /// The needle breaks a word just before it (an ASCII char that is neither a letter,
    /// a digit nor an apostrophe): the term starts with it.
    pub(super) starts_word: bool,
    /// The needle breaks a word just after it: the term ends with it.
    pub(super) ends_word: bool,
}

impl Piece {
    /// True when `term`, which holds the piece, can be the term that holds it.
    pub(super) fn admits(&self, term: &str) -> bool {
        match (self.starts_word, self.ends_word) {
            (true, true) => term == self.text,
            (true, false) => term.starts_with(&self.text),
            (false, true) => term.ends_with(&self.text),
            (false, false) => true,
        }
    }
}

/// The pieces of a `contains` needle to look for among the index's terms: its runs of
/// ASCII letters and digits once lowercased, as `str::to_lowercase` lowercases it, each
/// once. A text holding the needle, lowercased so, has a term holding each of them: a
/// char that lowercases to ASCII letters or digits normalizes to the same, but for
/// combining marks, which the normal form drops, and no char lowercases to ASCII
/// punctuation but itself (a test checks every char); a run is never cut, and where an
/// ASCII char that is neither a letter, a digit nor an apostrophe stands beside it in the
/// needle, it stands there in the text too, and ends the term. All but "s", which a text
/// may hold only in a possessive the terms leave out ("Japan's"). None when no piece is
/// left.
pub(super) fn pieces(needle: &str) -> Option<Vec<Piece>> {
    let lower = needle.to_lowercase();
    let breaks = |c: Option<char>| {
        c.is_some_and(|c| c.is_ascii() && !c.is_ascii_alphanumeric() && !is_apostrophe(c))
    };
    let mut pieces = Vec::new();
    let mut start = None;
    // A char past the end closes the last run.
    for (at, c) in lower.char_indices().chain([(lower.len(), '\0')]) {
        match (c.is_ascii_alphanumeric(), start) {
            (true, None) => start = Some(at),
            (false, Some(from)) => {
                start = None;
                let text = &lower[from..at];
                if text != "s" {
                    pieces.push(Piece {
                        text: text.to_owned(),
                        starts_word: breaks(lower[..from].chars().next_back()),
                        ends_word: breaks(lower[at..].chars().next()),
                    });
                }
            }
            _ => {}
        }
    }
    pieces.sort_unstable();
    pieces.dedup();
    (!pieces.is_empty()).then_some(pieces)
}

/// A run of more hyphen-joined words than this is an identifier, such as a slug
/// ("us-japan-trade-talks-2025-07"), not a compound word: its words are terms, but it
/// is not joined into one more. Joined, each slug would add a term of its own, so the
/// terms a word is a prefix of would grow with every slug that starts with it.
pub(super) const MAX_JOINED_WORDS: usize = 3;

/// Unjoins the runs of more than [`MAX_JOINED_WORDS`] words.
fn unjoin_long_runs(words: &mut [Word]) {
    let mut start = 0;
    while start < words.len() {
        let len = 1 + words[start + 1..].iter().take_while(|w| w.joined).count();
        if len > MAX_JOINED_WORDS {
            for w in &mut words[start..start + len] {
                w.joined = false;
            }
        }
        start += len;
    }
}

/// The runs of [`joined_runs`], or none when no hyphen joins two words.
pub(super) fn hyphen_runs(words: &[Word]) -> Vec<Run> {
    if words.iter().any(|w| w.joined) {
        joined_runs(words)
    } else {
        Vec::new()
    }
}

/// The words grouped into runs joined by hyphens.
pub(super) fn joined_runs(words: &[Word]) -> Vec<Run> {
    let mut runs: Vec<Run> = Vec::with_capacity(words.len());
    for w in words {
        match runs.last_mut() {
            Some(r) if w.joined => {
                r.text.push_str(&w.text);
                r.end = w.end;
                r.parts += 1;
            }
            _ => runs.push(Run {
                text: w.text.clone(),
                start: w.start,
                end: w.end,
                parts: 1,
            }),
        }
    }
    runs
}

/// The keys of a name or alias in `SearchIndex::exact`: the hash of its words
/// joined by spaces, and, when a hyphen joins two of them, of its runs.
pub(super) fn exact_hashes(words: &[Word], runs: &[Run]) -> Vec<u64> {
    let mut keys = vec![key_hash(words.iter().map(|w| w.text.as_str()))];
    if !runs.is_empty() {
        keys.push(key_hash(runs.iter().map(|r| r.text.as_str())));
    }
    keys
}

/// FNV-1a of `parts` joined by single spaces.
pub(super) fn key_hash<'a>(parts: impl Iterator<Item = &'a str>) -> u64 {
    let mut h = FNV_OFFSET;
    for (i, part) in parts.enumerate() {
        let space = (i > 0).then_some(b' ');
        for byte in space.into_iter().chain(part.bytes()) {
            h ^= u64::from(byte);
            h = h.wrapping_mul(FNV_PRIME);
        }
    }
    h
}

/// `text`, or, when longer than [`SNIPPET_MAX_CHARS`] chars, a window of it
/// around the first occurrence of `term`.
pub(super) fn snippet(text: &str, term: Option<&str>) -> String {
    let total = text.chars().count();
    if total <= SNIPPET_MAX_CHARS {
        return text.to_owned();
    }
    let at_byte = term
        .and_then(|term| {
            let words = tokenize(text);
            let found = words.iter().find(|w| w.text == term).map(|w| w.start);
            found.or_else(|| {
                joined_runs(&words)
                    .into_iter()
                    .find(|r| r.parts > 1 && r.text == term)
                    .map(|r| r.start)
            })
        })
        .unwrap_or(0);
    let at_char = text.get(..at_byte).map_or(0, |s| s.chars().count());
    let mut from = at_char.saturating_sub(SNIPPET_LEAD_CHARS);
    let to = (from + SNIPPET_MAX_CHARS).min(total);
    from = to.saturating_sub(SNIPPET_MAX_CHARS);
    let byte_of = |n: usize| text.char_indices().nth(n).map_or(text.len(), |(b, _)| b);
    let body = text
        .get(byte_of(from)..byte_of(to))
        .unwrap_or_default()
        .trim();
    let mut out = String::with_capacity(body.len() + 8);
    if from > 0 {
        out.push('…');
    }
    out.push_str(body);
    if to < total {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What [`pieces`] rests on: a char that lowercases to ASCII letters or digits
    /// normalizes to them too, in the same order, but for combining marks.
    #[test]
    fn every_char_lowercased_to_ascii_normalizes_to_the_same() {
        for c in (0u32..=0x10_FFFF).filter_map(char::from_u32) {
            let lower: String = c.to_lowercase().collect();
            if !lower.chars().any(|l| l.is_ascii_alphanumeric()) {
                continue;
            }
            let unmarked: String = lower.chars().filter(|&l| !is_combining_mark(l)).collect();
            let normal: String = normalized(&c.to_string())
                .into_iter()
                .map(|n| n.0)
                .collect();
            assert_eq!(normal, unmarked, "{c:?} (U+{:04X})", u32::from(c));
        }
    }

    /// What the anchors of a [`Piece`] rest on: no char but ASCII punctuation itself
    /// lowercases to any.
    #[test]
    fn no_other_char_lowercases_to_ascii_punctuation() {
        for c in (0x80u32..=0x10_FFFF).filter_map(char::from_u32) {
            let lower: String = c.to_lowercase().collect();
            assert!(
                !lower
                    .chars()
                    .any(|l| l.is_ascii() && !l.is_ascii_alphanumeric()),
                "{c:?} lowercases to {lower:?}"
            );
        }
    }

    #[test]
    fn a_needle_is_cut_into_its_ascii_runs_but_a_lone_s() {
        let cut = |n: &str| -> Option<Vec<(String, bool, bool)>> {
            pieces(n).map(|ps| {
                ps.into_iter()
                    .map(|p| (p.text, p.starts_word, p.ends_word))
                    .collect()
            })
        };
        let piece = |t: &str, starts: bool, ends: bool| (t.to_owned(), starts, ends);
        assert_eq!(
            cut("Solar Panels"),
            Some(vec![
                piece("panels", true, false),
                piece("solar", false, true)
            ])
        );
        assert_eq!(
            cut("of economy of ital"),
            Some(vec![
                piece("economy", true, true),
                piece("ital", true, false),
                piece("of", false, true),
                piece("of", true, true),
            ])
        );
        assert_eq!(cut("Japan's"), Some(vec![piece("japan", false, false)]));
        assert_eq!(
            cut("o'b"),
            Some(vec![piece("b", false, false), piece("o", false, false)])
        );
        assert_eq!(
            cut("café-NOIR 3.5"),
            Some(vec![
                piece("3", true, true),
                piece("5", true, false),
                piece("caf", false, false),
                piece("noir", true, true),
            ])
        );
        assert_eq!(
            cut("KOREA korea"),
            Some(vec![
                piece("korea", false, true),
                piece("korea", true, false)
            ])
        );
        assert_eq!(cut("미국"), None);
        assert_eq!(cut("'s"), None);
        assert_eq!(cut(" - "), None);
        assert_eq!(cut(""), None);
        let econ = Piece {
            text: "econ".into(),
            starts_word: true,
            ends_word: false,
        };
        assert!(econ.admits("economy") && !econ.admits("neoeconomy"));
    }

    /// An ASCII text is cut without the table of normalized chars: every cut must be the
    /// one the table would give, apostrophes, possessives and hyphens included.
    #[test]
    fn an_ascii_text_is_cut_as_its_normalized_chars_are() {
        let alphabet = b"aZs S'-1.,x's-'";
        let mut seed: u64 = 1;
        for n in 0..20_000 {
            let text: String = (0..n % 19)
                .map(|_| {
                    seed = seed
                        .wrapping_mul(6_364_136_223_846_793_005)
                        .wrapping_add(1_442_695_040_888_963_407);
                    char::from(alphabet[(seed >> 33) as usize % alphabet.len()])
                })
                .collect();
            let chars = normalized(&text);
            let mut slow = words_of(chars.len(), |k| chars.get(k).copied());
            unjoin_long_runs(&mut slow);
            let cut = |words: Vec<Word>| -> Vec<_> {
                words
                    .into_iter()
                    .map(|w| (w.text, w.start, w.end, w.joined))
                    .collect()
            };
            assert_eq!(cut(tokenize(&text)), cut(slow), "{text:?}");
        }
    }
}
