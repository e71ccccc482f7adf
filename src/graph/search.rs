//! Text search for the graph layer: an inverted index over names, aliases and
//! texts with exact, whole-token, prefix and typo-tolerant (fuzzy) matching.
//!
//! # Design
//!
//! - Every text is cut into terms by [`normalize`]'s rules. A hyphenated run
//!   ("Han-Koo") adds its joined form ("hankoo") as one more term.
//! - Texts and terms get dense ids; the id of a removed one is reused by the
//!   next one added, so the ids stay as many as the index ever held at once.
//!   Each term has a posting list of the texts that hold it, free of
//!   duplicates. A long list is kept in order of the texts' rank (names, then
//!   aliases, then longer texts, each shortest first), which is the order of
//!   the best score a text can reach; see [`super::postings`]. Each text also
//!   keeps its own term list, used to check candidates, and the id of its
//!   document's previous text, so that a document's texts form a chain for
//!   removal.
//! - The term dictionary is a `HashMap` for lookups, plus a `BTreeMap` of
//!   the same terms, so all terms with a given prefix are one range.
//! - Names and aliases are also keyed, for exact matches, by the hash of their
//!   whole normalized form (and of the form with hyphenated runs joined). A
//!   name keeps its words' term ids in order, so that a candidate is checked
//!   against the query's words and a hash collision finds nothing false.
//! - The index keeps no copy of the texts: the caller holds them, and a hit's
//!   text is read through the caller's lookup by doc and the text's place
//!   among the doc's texts.
//! - Fuzzy matching uses a deletion neighbourhood (SymSpell) over the distinct
//!   terms: each term of 3 to [`MAX_FUZZY_TERM_CHARS`] chars is keyed, in a
//!   `HashMap`, by the 64-bit hashes of every string left after deleting up to
//!   two of its chars (shorter than 3 chars excluded). A query word is looked
//!   up by its own deletion hashes, and each candidate is checked with the
//!   optimal string alignment distance. The work depends on the query word's
//!   length, not on the size of the vocabulary.
//! - A bulk load keeps the posting lists in id order, where each new text is
//!   appended, and [`SearchIndex::finish`] ranks the long ones at its end.
//! - A term enters every structure when the first text holding it is added,
//!   and leaves them all when the last one is removed. So adding or removing
//!   a text costs work in proportion to the text (its terms and their
//!   deletion hashes), plus a binary search and a shift in each posting list
//!   it touches; nothing is rebuilt.
//!
//! # A query
//!
//! A query runs in stages, best band first: exact name or alias, then whole
//! tokens, then prefixes, then fuzzy. No doc found by a later stage can
//! outrank one found by an earlier stage, so the search stops after the first
//! stage that leaves at least `limit` accepted docs. In each token stage, the
//! query word whose candidate terms have the fewest postings drives the
//! search. The other words are checked against each candidate text, by binary
//! search in their posting lists or by a look at the text's own terms. A long
//! list is read best rank first, and only until the best `limit` docs found so
//! far all score above anything its remaining ranks can reach: a misspelt word
//! that a million names share costs the shortest of those names, not all.
//!
//! # Limits on the work of one query
//!
//! - Only the first chars and then the first words of a query are used, as
//!   many as the caller's bounds allow (the server's `max_search_chars` and
//!   `max_search_words`).
//! - A word expands to at most [`MAX_PREFIX_TERMS`] prefix terms and at most
//!   [`MAX_FUZZY_TERMS`] fuzzy terms. At most [`MAX_FUZZY_VERIFY`] fuzzy
//!   candidates are checked. The expanded terms of one word may hold at most
//!   [`MAX_EXPANSION_POSTINGS`] postings in all; the exact term is always
//!   used. A very broad prefix can therefore miss some matches. Whole-token
//!   and exact matches are never cut.

use std::cmp::Reverse;
use std::collections::hash_map::Entry;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::ops::Bound;
use std::sync::Arc;

use unicode_normalization::char::{decompose_compatible, is_combining_mark};

use super::postings::Postings;

/// A query word needs this many chars to match terms it is a prefix of.
pub const MIN_PREFIX_CHARS: usize = 2;
/// A query word needs this many chars to match with typos; shorter words match
/// only exactly or as a prefix.
pub const FUZZY_MIN_CHARS: usize = 5;
/// The largest edit distance (optimal string alignment: insertions,
/// deletions, substitutions, swaps of two neighbours) allowed for a typo.
pub const MAX_FUZZY_DISTANCE: usize = 2;
/// Longer query words match only exactly or as a prefix, never with typos.
pub const MAX_FUZZY_QUERY_CHARS: usize = 24;
/// Longer terms are not in the fuzzy index (no query word can be within
/// [`MAX_FUZZY_DISTANCE`] of them).
pub const MAX_FUZZY_TERM_CHARS: usize = MAX_FUZZY_QUERY_CHARS + MAX_FUZZY_DISTANCE;
/// At most this many terms a query word is a prefix of are used, taken in
/// alphabetical order.
pub const MAX_PREFIX_TERMS: usize = 1024;
/// At most this many fuzzy candidate terms are checked for each query word.
pub const MAX_FUZZY_VERIFY: usize = 4096;
/// At most this many fuzzy terms are used for each query word, the closest first.
pub const MAX_FUZZY_TERMS: usize = 256;
/// The prefix and fuzzy terms of one query word may hold at most this many
/// postings in all. A term whose postings do not fit is skipped.
pub const MAX_EXPANSION_POSTINGS: usize = 1 << 20;

/// Texts longer than this many chars are returned as a snippet around the match.
const SNIPPET_MAX_CHARS: usize = 160;
/// How many chars of a snippet come before the matched word.
const SNIPPET_LEAD_CHARS: usize = 50;
/// Up to this many candidate terms, another query word is checked by binary
/// search in their posting lists. Above it, the text's own terms are looked up.
const BSEARCH_MAX_TERMS: usize = 4;
/// Score bands: kind, then field, then edits, then length; see [`SearchHit::score`].
const KIND_BAND: u32 = 10_000;
const FIELD_STEP: u32 = 3_000;
const EDIT_STEP: u32 = 300;
const MAX_EDITS_SCORED: u32 = 9;
const MAX_EXTRA_CHARS_SCORED: u32 = 299;

/// Which text of a document a term came from; ranks exact name > alias > token/prefix > fuzzy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Field {
    /// The document's name.
    Name,
    /// One of the document's aliases.
    Alias,
    /// Any other text: description, statement summary, quotes.
    Text,
}

/// How a query matched a document, best first (the derived order is rank order).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum MatchKind {
    /// The whole normalized query equals a name.
    ExactName,
    /// The whole normalized query equals an alias.
    ExactAlias,
    /// Every query word is a whole word of one text.
    Token,
    /// Every query word is a whole word of one text or a prefix of one (a
    /// prefix needs at least 2 chars).
    Prefix,
    /// Every query word matches a word of one text as above, or within the
    /// allowed number of typos.
    Fuzzy,
}

/// One search result: a document with its best match.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchHit {
    /// The document, as given to [`SearchIndex::add`].
    pub doc: u32,
    /// Higher is better. The score is `10_000 × kind` (ExactName 5 to Fuzzy 1),
    /// plus `3_000 × field` (Name 2, Alias 1, Text 0), plus `300 × (9 − edits)`
    /// (total typo distance, capped at 9), plus `299 − extra` (chars by which
    /// the matched text's normal form is longer than the query's, capped at
    /// 299). So the kind counts first, then the field, then fewer typos, then a
    /// shorter text. Equal scores are ordered by doc id, lowest first.
    pub score: u32,
    /// How the query matched.
    pub matched: MatchKind,
    /// Which text matched.
    pub field: Field,
    /// The name, alias or text that matched, as written. A text longer than
    /// 160 chars is cut to a snippet around the match, with "…" where it was cut.
    pub text: String,
}

/// The search index. Texts are added with [`SearchIndex::add`] and removed,
/// a document at a time, with [`SearchIndex::remove_doc`], in any order and at
/// any time; [`SearchIndex::search_ordered`] sees every change at once.
#[derive(Debug, Default, Clone)]
pub struct SearchIndex {
    /// Term dictionary: term -> term id. Its keys share their text with
    /// `sorted_terms` and the term's entry.
    term_ids: HashMap<Arc<str>, u32>,
    /// The same, sorted, for prefix ranges.
    sorted_terms: BTreeMap<Arc<str>, u32>,
    /// Term id -> the term and its postings.
    terms: Slots<TermEntry>,
    /// Text id -> the text.
    texts: TextSlots,
    /// Doc -> the id of its text added last, the head of its chain of texts,
    /// and how many texts were added to it.
    doc_texts: HashMap<u32, (u32, u32)>,
    /// The hash of a whole normalized name or alias (split and joined forms,
    /// see [`key_hash`]) -> text ids, ascending, no duplicates.
    exact: HashMap<u64, Vec<u32>>,
    /// The hashes in `exact` whose list holds texts of more than one key (a
    /// hash collision, so almost always none), checked text by text.
    exact_mixed: HashSet<u64>,
    /// Deletion-neighbourhood hash -> the terms it keys.
    fuzzy: HashMap<u64, FuzzyBucket>,
    /// The term ids of the fuzzy buckets that hold more than one, ascending,
    /// no duplicates.
    fuzzy_lists: Slots<Vec<u32>>,
    /// False until the first [`SearchIndex::finish`]: during a bulk load, posting
    /// lists stay in id order, where new texts are appended, and are read whole.
    finished: bool,
    /// Searches read every posting: the tests compare this with the early stop.
    #[cfg(test)]
    exhaustive: bool,
    /// The texts as added, by (doc, nth): the tests' lookup for hit texts.
    #[cfg(test)]
    originals: HashMap<(u32, u32), Box<str>>,
}

/// Items under dense u32 ids below [`NO_ID`]. The slot of a removed item is
/// reused by a later insert, so the ids stay as many as the most items ever
/// held at once.
#[derive(Debug, Clone)]
struct Slots<T> {
    items: Vec<Option<T>>,
    /// Ids of empty slots; the last is reused first.
    free: Vec<u32>,
}

/// The ids of longer texts (descriptions, quotes: [`Field::Text`]) have this bit set, so
/// that every posting list holds the names and aliases first. A text can never outrank a
/// name or an alias matched as well, so once the best names and aliases are found, the
/// rest of a list can be left unread.
const TEXT_FIELD_BIT: u32 = 1 << 31;

/// The indexed texts: names and aliases in one id space, longer texts in another.
#[derive(Debug, Clone, Default)]
struct TextSlots {
    named: Slots<TextEntry>,
    described: Slots<TextEntry>,
}

impl TextSlots {
    fn insert_empty(&mut self, field: Field) -> Option<u32> {
        let (slots, bit) = match field {
            Field::Text => (&mut self.described, TEXT_FIELD_BIT),
            Field::Name | Field::Alias => (&mut self.named, 0),
        };
        let id = slots.insert_empty()?;
        (id & TEXT_FIELD_BIT == 0).then_some(id | bit)
    }

    fn slots(&self, id: u32) -> (&Slots<TextEntry>, u32) {
        match id & TEXT_FIELD_BIT {
            0 => (&self.named, id),
            _ => (&self.described, id & !TEXT_FIELD_BIT),
        }
    }

    fn slots_mut(&mut self, id: u32) -> (&mut Slots<TextEntry>, u32) {
        match id & TEXT_FIELD_BIT {
            0 => (&mut self.named, id),
            _ => (&mut self.described, id & !TEXT_FIELD_BIT),
        }
    }

    fn get(&self, id: u32) -> Option<&TextEntry> {
        let (slots, at) = self.slots(id);
        slots.get(at)
    }

    fn set(&mut self, id: u32, entry: TextEntry) {
        let (slots, at) = self.slots_mut(id);
        slots.set(at, entry);
    }

    fn take(&mut self, id: u32) -> Option<TextEntry> {
        let (slots, at) = self.slots_mut(id);
        slots.take(at)
    }

    fn shrink_to_fit(&mut self) {
        self.named.shrink_to_fit();
        self.described.shrink_to_fit();
    }
}

/// Bits of a text's rank that hold its normalized length: see [`rank`].
const RANK_LEN_BITS: u16 = 10;
/// The longest normalized length a rank tells apart.
const RANK_LEN_MAX: u32 = (1 << RANK_LEN_BITS) - 1;

/// No id: ends a document's chain of texts. [`Slots`] never hands it out.
const NO_ID: u32 = u32::MAX;

/// One term of the dictionary.
#[derive(Debug, Clone)]
struct TermEntry {
    term: Arc<str>,
    /// Ids of the texts holding the term, ascending, no duplicates, never
    /// empty: a term no text holds any more leaves the index.
    postings: Postings,
}

/// The terms under one deletion-neighbourhood hash.
#[derive(Debug, Clone, Copy)]
enum FuzzyBucket {
    /// A single term id.
    One(u32),
    /// The id of a list in `SearchIndex::fuzzy_lists`.
    Many(u32),
}

/// One indexed text. The text itself is the caller's: a hit's text is read back
/// through the caller's lookup by `doc` and `nth`.
#[derive(Debug, Clone)]
struct TextEntry {
    doc: u32,
    /// Which text of the doc it is: how many were added to the doc before it,
    /// counting those that normalized to nothing.
    nth: u32,
    /// Chars in the normalized text.
    norm_len: u32,
    /// The id of the same doc's text added before this one, or [`NO_ID`].
    prev: u32,
    /// How many of `terms` are a name's or an alias's words, in order; the
    /// rest are its hyphen-joined runs, in order, when a hyphen joins two of
    /// its words. 0 for a longer text, or a name that has no exact keys.
    words: u32,
    field: Field,
    /// Term ids: a name's or an alias's words and runs (see `words`), or a
    /// longer text's distinct terms, ascending.
    terms: Box<[u32]>,
}

impl TextEntry {
    /// Its rank in long posting lists.
    fn rank(&self) -> u16 {
        rank(self.field, self.norm_len)
    }

    /// The term ids of a name's or an alias's words and of its runs, each empty when
    /// it has no such exact key.
    fn key_parts(&self) -> (&[u32], &[u32]) {
        let at = usize::try_from(self.words).unwrap_or(0);
        match (self.field, self.terms.split_at_checked(at)) {
            (Field::Name | Field::Alias, Some((words, runs))) if at > 0 => (words, runs),
            _ => (&[], &[]),
        }
    }
}

/// How well one query word matches one term. The derived order puts the best first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Quality {
    Exact,
    /// The query word is a prefix of the term; the number of extra chars.
    Prefix(u32),
    /// The edit distance.
    Fuzzy(u32),
}

/// The token stages of a search, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Stage {
    Token,
    Prefix,
    Fuzzy,
}

/// The candidate terms of one query word in one stage.
struct TokenCands {
    /// (term id, quality), best quality first, then by term id.
    terms: Vec<(u32, Quality)>,
    /// The same as a map, filled only above [`BSEARCH_MAX_TERMS`] terms.
    lookup: HashMap<u32, Quality>,
    /// Postings in all.
    cost: usize,
}

/// The best match found so far for one document.
#[derive(Debug, Clone, Copy)]
struct Cand {
    score: u32,
    text: u32,
    kind: MatchKind,
    /// The term that the driving query word matched, for the snippet.
    term: Option<u32>,
}

/// A normalized word with the byte span in the original text it came from.
#[derive(Debug)]
struct Word {
    text: String,
    start: usize,
    end: usize,
    /// Whether a hyphen joins it to the word before it.
    joined: bool,
}

/// A run of hyphen-joined words (a lone word is a run of one).
#[derive(Debug)]
struct Run {
    text: String,
    start: usize,
    end: usize,
    parts: usize,
}

impl SearchIndex {
    /// Adds one text of a document. Documents are u32 ids given by the caller.
    ///
    /// The next search finds it by every stage: exact, token, prefix and
    /// fuzzy. A text that normalizes to nothing is ignored, and so is a text
    /// while the index holds 2^32 − 1 others. The work grows with the text,
    /// plus a binary search and a shift in each posting list it joins.
    ///
    /// A doc's texts are numbered from 0 in the order they are added, the
    /// ignored ones too, until the doc is removed: [`SearchIndex::search_ordered`]
    /// reads a hit's text back from the caller by that number.
    pub fn add(&mut self, doc: u32, field: Field, text: &str) {
        let words = tokenize(text);
        let text_id = if words.is_empty() {
            None
        } else {
            self.texts.insert_empty(field)
        };
        // Every text counts, the ignored ones too: `nth` is the caller's key to it.
        let chain = self.doc_texts.entry(doc).or_insert((NO_ID, 0));
        let (head, nth) = *chain;
        chain.1 = nth.saturating_add(1);
        #[cfg(test)]
        self.originals.insert((doc, nth), text.into());
        let Some(text_id) = text_id else {
            return;
        };
        chain.0 = text_id;
        let runs = hyphen_runs(&words);
        let mut terms: Vec<u32> = Vec::with_capacity(words.len() + runs.len());
        let mut all_in = true;
        for w in &words {
            match self.intern(&w.text) {
                Some(id) => terms.push(id),
                None => all_in = false,
            }
        }
        let mut word_count = 0;
        if field == Field::Text {
            let joined = runs.iter().filter(|r| r.parts > 1);
            terms.extend(joined.filter_map(|r| self.intern(&r.text)));
            terms.sort_unstable();
            terms.dedup();
        } else {
            // A name or an alias keeps its words in order, and its runs in order when a
            // hyphen joins two words: the exact stage compares them with the query's.
            word_count = terms.len();
            for r in &runs {
                match self.intern(&r.text) {
                    Some(id) => terms.push(id),
                    None => all_in = false,
                }
            }
            if all_in {
                let (word_ids, run_ids) = terms.split_at(word_count);
                let keys = exact_hashes(&words, &runs);
                if keys.get(1).is_some_and(|&k| k == keys[0]) {
                    // Its two forms share a hash: its key is not the only one there.
                    self.exact_mixed.insert(keys[0]);
                }
                for (key, form) in keys.into_iter().zip([word_ids, run_ids]) {
                    let Some(ids) = self.exact.get_mut(&key) else {
                        self.exact.insert(key, vec![text_id]);
                        continue;
                    };
                    // Another key with the same hash makes the list one to check text by
                    // text; a list of one key is checked once, on its first text.
                    let first = ids.first().and_then(|&id| self.texts.get(id));
                    if first.is_some_and(|e| {
                        let (w, r) = e.key_parts();
                        w != form && r != form
                    }) {
                        self.exact_mixed.insert(key);
                    }
                    insert_sorted(ids, text_id);
                }
            } else {
                // Not every word could be kept: never found as an exact match.
                word_count = 0;
            }
        }
        let chars: usize = words.iter().map(|w| w.text.chars().count()).sum();
        let norm_len = u32::try_from(chars + words.len() - 1).unwrap_or(u32::MAX);
        self.texts.set(
            text_id,
            TextEntry {
                doc,
                nth,
                norm_len,
                prev: head,
                words: u32::try_from(word_count).unwrap_or(0),
                field,
                terms: terms.into(),
            },
        );
        let Some(entry) = self.texts.get(text_id) else {
            return;
        };
        let rank = entry.rank();
        let texts = &self.texts;
        let rank_of = |id: u32| texts.get(id).map_or(u16::MAX, TextEntry::rank);
        // A name's terms may repeat; a second insert finds the id there and does nothing.
        for &id in entry.terms.iter() {
            if let Some(term) = self.terms.get_mut(id) {
                term.postings.insert(rank, text_id, rank_of, !self.finished);
            }
        }
    }

    /// Removes every text of a document; no search finds it afterwards. Terms
    /// that no text holds any more leave the index, with their prefix and
    /// fuzzy keys, and the ids they and the texts used are reused. Removing a
    /// doc with no texts does nothing. The work grows with the doc's texts,
    /// plus a binary search and a shift in each posting list they leave.
    pub fn remove_doc(&mut self, doc: u32) {
        let Some((mut next, _count)) = self.doc_texts.remove(&doc) else {
            return;
        };
        #[cfg(test)]
        for nth in 0.._count {
            self.originals.remove(&(doc, nth));
        }
        while let Some(entry) = self.texts.take(next) {
            // The exact keys first, while the terms they are made of are there.
            let (words, runs) = entry.key_parts();
            for key in [words, runs].into_iter().filter(|k| !k.is_empty()) {
                let key = self.key_hash(key);
                if let Some(ids) = self.exact.get_mut(&key) {
                    remove_sorted(ids, next);
                    if ids.is_empty() {
                        self.exact.remove(&key);
                        self.exact_mixed.remove(&key);
                    }
                }
            }
            for &term in entry.terms.iter() {
                self.remove_posting(term, entry.rank(), next);
            }
            next = entry.prev;
        }
    }

    /// The exact-match key of a name's words or runs, given as term ids: the hash of
    /// their terms joined by spaces, as [`exact_hashes`] makes it from the text.
    fn key_hash(&self, terms: &[u32]) -> u64 {
        key_hash(
            terms
                .iter()
                .map(|&t| self.terms.get(t).map_or("", |e| &*e.term)),
        )
    }

    /// Ends a bulk load: ranks the long posting lists, so that searches read
    /// them best first and stop early, and trims spare capacity. Until it is
    /// first called, long lists stay in id order, where a load appends; the
    /// results are the same either way. Its work grows with the whole index.
    ///
    /// The short lists of the exact and fuzzy keys are left as they are:
    /// reallocating millions of them saved no resident memory when measured,
    /// and the heap they left behind made later searches slower.
    pub fn finish(&mut self) {
        let texts = &self.texts;
        let rank_of = |id: u32| texts.get(id).map_or(u16::MAX, TextEntry::rank);
        for entry in self.terms.items.iter_mut().flatten() {
            entry.postings.rank_if_long(rank_of);
            entry.postings.shrink_to_fit();
        }
        self.finished = true;
        self.terms.shrink_to_fit();
        self.texts.shrink_to_fit();
        self.fuzzy_lists.shrink_to_fit();
        self.term_ids.shrink_to_fit();
        self.doc_texts.shrink_to_fit();
        self.exact.shrink_to_fit();
        self.exact_mixed.shrink_to_fit();
        self.fuzzy.shrink_to_fit();
    }

    /// An estimate of the bytes the index takes on the heap: its tables at their
    /// capacity, its lists and its strings, without the allocator's own overhead.
    pub fn heap_bytes(&self) -> usize {
        /// A hash table of `cap` items of `T`: a power of two of buckets, at most
        /// 7/8 of them full, each with one control byte.
        fn table<T>(cap: usize) -> usize {
            match cap {
                0 => 0,
                _ => (cap * 8 / 7).next_power_of_two() * (size_of::<T>() + 1),
            }
        }
        fn slots<T>(s: &Slots<T>) -> usize {
            s.items.capacity() * size_of::<Option<T>>() + s.free.capacity() * size_of::<u32>()
        }
        let terms: usize = self
            .terms
            .items
            .iter()
            .flatten()
            .map(|e| size_of::<[usize; 2]>() + e.term.len() + e.postings.heap_bytes())
            .sum();
        let texts: usize = [&self.texts.named, &self.texts.described]
            .iter()
            .map(|s| {
                let lists: usize = s.items.iter().flatten().map(|e| e.terms.len()).sum();
                slots(s) + lists * size_of::<u32>()
            })
            .sum();
        let lists = |all: &mut dyn Iterator<Item = &Vec<u32>>| -> usize {
            all.map(|l| l.capacity() * size_of::<u32>()).sum()
        };
        table::<(Arc<str>, u32)>(self.term_ids.capacity())
            // A B-tree leaf holds up to 11 entries and is at least half full.
            + self.sorted_terms.len() * size_of::<(Arc<str>, u32)>() * 3 / 2
            + slots(&self.terms)
            + terms
            + texts
            + table::<(u32, (u32, u32))>(self.doc_texts.capacity())
            + table::<(u64, Vec<u32>)>(self.exact.capacity())
            + table::<u64>(self.exact_mixed.capacity())
            + lists(&mut self.exact.values())
            + table::<(u64, FuzzyBucket)>(self.fuzzy.capacity())
            + slots(&self.fuzzy_lists)
            + lists(&mut self.fuzzy_lists.items.iter().flatten())
    }

    /// [`SearchIndex::search_ordered`] with equal scores ordered by doc number,
    /// lowest first: the unit tests' shorthand.
    #[cfg(test)]
    pub fn search(
        &self,
        query: &str,
        limit: usize,
        cut: (usize, usize),
        accept: &dyn Fn(u32) -> bool,
    ) -> Vec<SearchHit> {
        self.search_ordered(query, limit, cut, accept, &|a, b| a.cmp(&b), &|doc, nth| {
            self.originals.get(&(doc, nth)).map(|t| &**t)
        })
    }

    /// Ranked hits, best first, at most `limit`, one hit per doc (its best
    /// match). `accept` filters docs (e.g. by kind) before the cut to `limit`.
    /// It is called for a candidate doc that would enter the best `limit`. Equal scores are ordered by
    /// `tie` (the caller's order of documents, such as by their ids), so results
    /// are deterministic. A query with no words, or a `limit` of 0, gives no
    /// hits. Only the first `max_chars` chars, and of them the first
    /// `max_words` words, are read. A hit's text is read through `text_of`,
    /// given the doc and which of its texts matched, counting from 0 in the
    /// order they were added (see [`SearchIndex::add`]); none gives an empty
    /// text.
    pub fn search_ordered<'t>(
        &self,
        query: &str,
        limit: usize,
        (max_chars, max_words): (usize, usize),
        accept: &dyn Fn(u32) -> bool,
        tie: &dyn Fn(u32, u32) -> std::cmp::Ordering,
        text_of: &dyn Fn(u32, u32) -> Option<&'t str>,
    ) -> Vec<SearchHit> {
        if limit == 0 {
            return Vec::new();
        }
        let query = match query.char_indices().nth(max_chars) {
            Some((at, _)) => &query[..at],
            None => query,
        };
        let mut words = tokenize(query);
        words.truncate(max_words);
        if words.is_empty() {
            return Vec::new();
        }
        let runs = hyphen_runs(&words);
        let mut variants: Vec<Vec<String>> = vec![words.into_iter().map(|w| w.text).collect()];
        if runs.iter().any(|r| r.parts > 1) {
            variants.push(runs.into_iter().map(|r| r.text).collect());
        }

        let mut col = Collector::new(limit, accept, tie);
        for tokens in &variants {
            self.exact_stage(tokens, &mut col);
        }
        for stage in [Stage::Token, Stage::Prefix, Stage::Fuzzy] {
            if col.full() {
                break;
            }
            for tokens in &variants {
                self.token_stage(stage, tokens, &mut col);
            }
        }
        col.into_hits(self, text_of)
    }

    /// The id of a term, added if new; `None` when the ids are used up.
    fn intern(&mut self, term: &str) -> Option<u32> {
        if let Some(&id) = self.term_ids.get(term) {
            return Some(id);
        }
        let id = self.terms.insert_empty()?;
        let text: Arc<str> = term.into();
        self.term_ids.insert(text.clone(), id);
        self.sorted_terms.insert(text.clone(), id);
        self.terms.set(
            id,
            TermEntry {
                term: text,
                postings: Postings::default(),
            },
        );
        for h in fuzzy_hashes(term) {
            match self.fuzzy.entry(h) {
                Entry::Vacant(v) => {
                    v.insert(FuzzyBucket::One(id));
                }
                Entry::Occupied(mut o) => match *o.get() {
                    FuzzyBucket::One(other) => {
                        let pair = vec![other.min(id), other.max(id)];
                        // With the list ids used up, the term is not found through this key.
                        if let Some(list) = self.fuzzy_lists.insert_empty() {
                            self.fuzzy_lists.set(list, pair);
                            o.insert(FuzzyBucket::Many(list));
                        }
                    }
                    FuzzyBucket::Many(list) => {
                        if let Some(ids) = self.fuzzy_lists.get_mut(list) {
                            insert_sorted(ids, id);
                        }
                    }
                },
            }
        }
        Some(id)
    }

    /// Takes a removed text out of a term's postings, and the term out of the
    /// index when no text holds it any more.
    fn remove_posting(&mut self, term: u32, rank: u16, text_id: u32) {
        let Some(entry) = self.terms.get_mut(term) else {
            return;
        };
        entry.postings.remove(rank, text_id);
        if !entry.postings.is_empty() {
            return;
        }
        let Some(entry) = self.terms.take(term) else {
            return;
        };
        self.term_ids.remove(&entry.term);
        self.sorted_terms.remove(&entry.term);
        for h in fuzzy_hashes(&entry.term) {
            let Entry::Occupied(mut o) = self.fuzzy.entry(h) else {
                continue;
            };
            match *o.get() {
                FuzzyBucket::One(id) => {
                    if id == term {
                        o.remove();
                    }
                }
                FuzzyBucket::Many(list) => {
                    let Some(ids) = self.fuzzy_lists.get_mut(list) else {
                        continue;
                    };
                    remove_sorted(ids, term);
                    if let [last] = ids[..] {
                        o.insert(FuzzyBucket::One(last));
                        self.fuzzy_lists.take(list);
                    }
                }
            }
        }
    }

    fn posting_len(&self, term: u32) -> usize {
        self.terms.get(term).map_or(0, |e| e.postings.len())
    }

    /// The term ids under one deletion-neighbourhood hash, ascending.
    fn fuzzy_bucket(&self, h: u64) -> &[u32] {
        match self.fuzzy.get(&h) {
            None => &[],
            Some(FuzzyBucket::One(id)) => std::slice::from_ref(id),
            Some(FuzzyBucket::Many(list)) => self.fuzzy_lists.get(*list).map_or(&[], Vec::as_slice),
        }
    }

    /// Names and aliases whose whole normal form equals the query.
    fn exact_stage(&self, tokens: &[String], col: &mut Collector<'_>) {
        let key = key_hash(tokens.iter().map(String::as_str));
        let Some(ids) = self.exact.get(&key) else {
            return;
        };
        let mixed = self.exact_mixed.contains(&key);
        // Keys are hashes: a text is a match when its words, or its runs, are the
        // query's words.
        let is_query = |terms: &[u32]| {
            terms.len() == tokens.len()
                && terms
                    .iter()
                    .zip(tokens)
                    .all(|(&term, token)| self.terms.get(term).is_some_and(|e| *e.term == **token))
        };
        let query_len = tokens.iter().map(|t| t.chars().count()).sum::<usize>()
            + tokens.len().saturating_sub(1);
        // Whether the list's one key is known to be the query's.
        let mut known = false;
        for &text_id in ids {
            let Some(entry) = self.texts.get(text_id) else {
                continue;
            };
            if mixed || !known {
                let (words, runs) = entry.key_parts();
                if !is_query(words) && !is_query(runs) {
                    if mixed {
                        continue;
                    }
                    // The list's one key is another with the query's hash.
                    return;
                }
                known = true;
            }
            let kind = match entry.field {
                Field::Name => MatchKind::ExactName,
                Field::Alias => MatchKind::ExactAlias,
                Field::Text => continue,
            };
            let score = score(kind, entry.field, 0, extra_chars(entry, query_len));
            col.offer(
                entry.doc,
                Cand {
                    score,
                    text: text_id,
                    kind,
                    term: None,
                },
            );
        }
    }

    /// Texts holding every query word, as allowed by `stage`.
    fn token_stage(&self, stage: Stage, tokens: &[String], col: &mut Collector<'_>) {
        let mut cands = Vec::with_capacity(tokens.len());
        let mut adds_something = stage == Stage::Token;
        // A repeated query word asks nothing more: each word is checked once.
        let mut seen = HashSet::new();
        for tok in tokens.iter().filter(|t| seen.insert(t.as_str())) {
            let c = self.candidates(tok, stage);
            if c.terms.is_empty() {
                return;
            }
            adds_something |= c.terms.iter().any(|&(_, q)| stage_of(q) == stage);
            cands.push(c);
        }
        if !adds_something {
            // Every candidate was already tried by an earlier stage.
            return;
        }
        let Some(driver) = (0..cands.len()).min_by_key(|&i| cands[i].cost) else {
            return;
        };
        let query_len = tokens.iter().map(|t| t.chars().count()).sum::<usize>()
            + tokens.len().saturating_sub(1);
        // Term by term, best quality first: a text holding two of the driver's terms is
        // offered twice, and the collector keeps its better match.
        for &(term, first) in &cands[driver].terms {
            let Some(postings) = self.terms.get(term).map(|e| &e.postings) else {
                continue;
            };
            let (first_kind, first_edits) = (kind_of(stage_of(first)), fuzzy_edits(first));
            // The most a text of a rank can score through this term: the other query
            // words can only lower the kind and add edits.
            let best_of = |rank: u16| {
                let (field, least_len) = rank_floor(rank);
                score(first_kind, field, first_edits, extra(least_len, query_len))
            };
            // The best a longer text can score through this term.
            let text_best = score(first_kind, Field::Text, first_edits, 0);
            let cannot_enter = |col: &Collector<'_>, best: u32| {
                !self.exhaustive() && col.worst_score().is_some_and(|w| w > best)
            };
            for (rank, ids) in postings.runs() {
                if rank.is_some_and(|rank| cannot_enter(col, best_of(rank))) {
                    // The runs left rank no higher: none of their texts can enter.
                    break;
                }
                'texts: for &text_id in ids {
                    if text_id & TEXT_FIELD_BIT != 0 && cannot_enter(col, text_best) {
                        // Only longer texts are left, and none can enter.
                        break;
                    }
                    let Some(entry) = self.texts.get(text_id) else {
                        continue;
                    };
                    let mut worst = stage_of(first);
                    let mut edits = fuzzy_edits(first);
                    for (j, c) in cands.iter().enumerate() {
                        if j == driver {
                            continue;
                        }
                        let Some(q) = self.best_in_text(c, text_id, entry) else {
                            continue 'texts;
                        };
                        worst = worst.max(stage_of(q));
                        edits = edits.saturating_add(fuzzy_edits(q));
                    }
                    let kind = kind_of(worst);
                    let score = score(kind, entry.field, edits, extra_chars(entry, query_len));
                    col.offer(
                        entry.doc,
                        Cand {
                            score,
                            text: text_id,
                            kind,
                            term: Some(term),
                        },
                    );
                }
            }
        }
    }

    /// True when searches read every posting, for the tests that compare the early
    /// stop with a full read.
    fn exhaustive(&self) -> bool {
        #[cfg(test)]
        return self.exhaustive;
        #[cfg(not(test))]
        false
    }

    /// The candidate terms of one query word in one stage.
    fn candidates(&self, tok: &str, stage: Stage) -> TokenCands {
        let mut terms = Vec::new();
        if let Some(&id) = self.term_ids.get(tok) {
            terms.push((id, Quality::Exact));
        }
        let mut budget = MAX_EXPANSION_POSTINGS;
        let tok_chars = tok.chars().count();
        if stage >= Stage::Prefix && tok_chars >= MIN_PREFIX_CHARS {
            let range = self
                .sorted_terms
                .range::<str, _>((Bound::Excluded(tok), Bound::Unbounded));
            for (term, &id) in range
                .take_while(|(t, _)| t.starts_with(tok))
                .take(MAX_PREFIX_TERMS)
            {
                let len = self.posting_len(id);
                if len > budget {
                    continue;
                }
                budget -= len;
                let extra = term.chars().count().saturating_sub(tok_chars);
                terms.push((
                    id,
                    Quality::Prefix(u32::try_from(extra).unwrap_or(u32::MAX)),
                ));
            }
        }
        if stage == Stage::Fuzzy && (FUZZY_MIN_CHARS..=MAX_FUZZY_QUERY_CHARS).contains(&tok_chars) {
            self.fuzzy_candidates(tok, &mut terms, &mut budget);
        }
        terms.sort_unstable_by_key(|&(id, q)| (q, id));
        let lookup = if terms.len() > BSEARCH_MAX_TERMS {
            terms.iter().copied().collect()
        } else {
            HashMap::new()
        };
        let cost = terms.iter().map(|&(id, _)| self.posting_len(id)).sum();
        TokenCands {
            terms,
            lookup,
            cost,
        }
    }

    /// Adds the terms within [`MAX_FUZZY_DISTANCE`] of `tok` that are not yet
    /// in `terms` and that `tok` is not a prefix of.
    fn fuzzy_candidates(&self, tok: &str, terms: &mut Vec<(u32, Quality)>, budget: &mut usize) {
        if self.fuzzy.is_empty() {
            return;
        }
        let chars: Vec<char> = tok.chars().collect();
        let mut hashes = Vec::new();
        // Query variants are at least FUZZY_MIN_CHARS - MAX_FUZZY_DISTANCE long,
        // like every indexed variant. Fewest deletions first, so a capped
        // search keeps the closest terms.
        deletion_hashes(&chars, FUZZY_MIN_CHARS - MAX_FUZZY_DISTANCE, &mut hashes);
        let mut seen_hashes = HashSet::new();
        let mut seen_terms: HashSet<u32> = terms.iter().map(|&(id, _)| id).collect();
        let mut verified = 0usize;
        let mut found: Vec<(usize, u32)> = Vec::new();
        'hashes: for h in hashes {
            if !seen_hashes.insert(h) {
                continue;
            }
            for &id in self.fuzzy_bucket(h) {
                if !seen_terms.insert(id) {
                    continue;
                }
                verified += 1;
                if verified > MAX_FUZZY_VERIFY {
                    break 'hashes;
                }
                let Some(TermEntry { term, .. }) = self.terms.get(id) else {
                    continue;
                };
                if term.starts_with(tok) {
                    // A prefix match, left to the prefix expansion and its cap.
                    continue;
                }
                let d = strsim::osa_distance(tok, term);
                if (1..=MAX_FUZZY_DISTANCE).contains(&d) {
                    found.push((d, id));
                }
            }
        }
        found.sort_unstable();
        for (d, id) in found.into_iter().take(MAX_FUZZY_TERMS) {
            let len = self.posting_len(id);
            if len > *budget {
                continue;
            }
            *budget -= len;
            terms.push((id, Quality::Fuzzy(u32::try_from(d).unwrap_or(u32::MAX))));
        }
    }

    /// The best quality of a query word in one text, if the text holds any of
    /// its candidate terms.
    fn best_in_text(&self, c: &TokenCands, text_id: u32, entry: &TextEntry) -> Option<Quality> {
        if c.lookup.is_empty() {
            c.terms
                .iter()
                .find(|&&(term, _)| {
                    self.terms
                        .get(term)
                        .is_some_and(|e| e.postings.contains(entry.rank(), text_id))
                })
                .map(|&(_, q)| q)
        } else {
            entry
                .terms
                .iter()
                .filter_map(|t| c.lookup.get(t).copied())
                .min()
        }
    }

    /// The hit's text: the whole name or alias, or a snippet of a long text.
    fn hit_text<'t>(
        &self,
        entry: &TextEntry,
        term: Option<u32>,
        text_of: &dyn Fn(u32, u32) -> Option<&'t str>,
    ) -> String {
        let Some(text) = text_of(entry.doc, entry.nth) else {
            return String::new();
        };
        let term = term.and_then(|t| self.terms.get(t)).map(|e| &*e.term);
        snippet(text, term)
    }
}

/// The best `limit` accepted documents seen so far, each with its best match. Holds no
/// more than `limit` entries however many texts match: a candidate that cannot enter
/// the top is dropped after one comparison with the worst kept, and once it is full,
/// [`Collector::worst_score`] tells a reader of a ranked list when to stop.
struct Collector<'a> {
    accept: &'a dyn Fn(u32) -> bool,
    tie: &'a dyn Fn(u32, u32) -> std::cmp::Ordering,
    limit: usize,
    /// The documents kept, in no order.
    top: Vec<(u32, Cand)>,
    /// Where the worst kept document is in `top`, once it is full.
    worst: usize,
}

impl<'a> Collector<'a> {
    fn new(
        limit: usize,
        accept: &'a dyn Fn(u32) -> bool,
        tie: &'a dyn Fn(u32, u32) -> std::cmp::Ordering,
    ) -> Self {
        Collector {
            accept,
            tie,
            limit,
            top: Vec::with_capacity(limit),
            worst: 0,
        }
    }

    /// True once `limit` accepted documents are kept.
    fn full(&self) -> bool {
        self.top.len() >= self.limit
    }

    /// The lowest score kept, once `limit` documents are kept.
    fn worst_score(&self) -> Option<u32> {
        self.full()
            .then(|| self.top.get(self.worst).map(|(_, c)| c.score))
            .flatten()
    }

    /// Better first: a higher score, then the caller's order of documents.
    fn ranks_above(&self, (doc, c): (u32, &Cand), (other, o): (u32, &Cand)) -> bool {
        match c.score.cmp(&o.score) {
            std::cmp::Ordering::Equal => (self.tie)(doc, other).is_lt(),
            by_score => by_score.is_gt(),
        }
    }

    /// Keeps `cand` if its doc is accepted and it beats the doc's best so far (a higher
    /// score, or the same score from a text with a lower id) and the documents kept.
    fn offer(&mut self, doc: u32, cand: Cand) {
        if self.full() {
            let (w, wc) = &self.top[self.worst];
            if *w != doc && !self.ranks_above((doc, &cand), (*w, wc)) {
                return;
            }
        }
        if let Some(at) = self.top.iter().position(|(d, _)| *d == doc) {
            let cur = &self.top[at].1;
            if (cand.score, Reverse(cand.text)) > (cur.score, Reverse(cur.text)) {
                self.top[at].1 = cand;
                self.find_worst();
            }
            return;
        }
        if !(self.accept)(doc) {
            return;
        }
        if self.full() {
            self.top[self.worst] = (doc, cand);
        } else {
            self.top.push((doc, cand));
        }
        self.find_worst();
    }

    fn find_worst(&mut self) {
        if !self.full() {
            return;
        }
        let mut worst = 0;
        for i in 1..self.top.len() {
            let (d, c) = &self.top[i];
            let (wd, wc) = &self.top[worst];
            if self.ranks_above((*wd, wc), (*d, c)) {
                worst = i;
            }
        }
        self.worst = worst;
    }

    /// The documents kept, by score then `tie`.
    fn into_hits<'t>(
        self,
        index: &SearchIndex,
        text_of: &dyn Fn(u32, u32) -> Option<&'t str>,
    ) -> Vec<SearchHit> {
        let tie = self.tie;
        let mut all = self.top;
        all.sort_unstable_by(|a, b| b.1.score.cmp(&a.1.score).then_with(|| tie(a.0, b.0)));
        all.into_iter()
            .filter_map(|(doc, c)| {
                let entry = index.texts.get(c.text)?;
                Some(SearchHit {
                    doc,
                    score: c.score,
                    matched: c.kind,
                    field: entry.field,
                    text: index.hit_text(entry, c.term, text_of),
                })
            })
            .collect()
    }
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '\u{2019}' | '\u{2018}' | '\u{02BC}')
}

/// Hyphens that join the words either side into one more term.
fn is_hyphen(c: char) -> bool {
    matches!(c, '-' | '\u{2010}' | '\u{2011}')
}

/// The normalized words of `text`, with their spans in it.
fn tokenize(text: &str) -> Vec<Word> {
    // (normalized char, start and end byte of the original char it came from)
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
    let mut words = Vec::new();
    let mut cur: Option<Word> = None;
    let mut hyphen_pending = false;
    let mut k = 0;
    while let Some(&(c, start, end)) = chars.get(k) {
        k += 1;
        if is_apostrophe(c) {
            // Dropped without a break. A possessive "s" goes with it: an "s"
            // right after it that ends the word.
            if let Some(w) = cur.as_mut() {
                let s_next = chars.get(k).filter(|n| n.0 == 's');
                let word_goes_on = chars
                    .get(k + 1)
                    .is_some_and(|n| n.0.is_alphanumeric() && !is_apostrophe(n.0));
                if let Some(s) = s_next.filter(|_| !word_goes_on) {
                    w.end = s.2;
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
            match cur.as_mut() {
                Some(w) => {
                    w.text.push(c);
                    w.end = end;
                }
                None => {
                    cur = Some(Word {
                        text: c.to_string(),
                        start,
                        end,
                        joined: hyphen_pending,
                    });
                    hyphen_pending = false;
                }
            }
        } else if let Some(w) = cur.take() {
            words.push(w);
            hyphen_pending = is_hyphen(c);
        } else if !is_hyphen(c) {
            hyphen_pending = false;
        }
    }
    words.extend(cur);
    words
}

/// The runs of [`joined_runs`], or none when no hyphen joins two words.
fn hyphen_runs(words: &[Word]) -> Vec<Run> {
    if words.iter().any(|w| w.joined) {
        joined_runs(words)
    } else {
        Vec::new()
    }
}

/// The words grouped into runs joined by hyphens.
fn joined_runs(words: &[Word]) -> Vec<Run> {
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
fn exact_hashes(words: &[Word], runs: &[Run]) -> Vec<u64> {
    let mut keys = vec![key_hash(words.iter().map(|w| w.text.as_str()))];
    if !runs.is_empty() {
        keys.push(key_hash(runs.iter().map(|r| r.text.as_str())));
    }
    keys
}

/// FNV-1a of `parts` joined by single spaces.
fn key_hash<'a>(parts: impl Iterator<Item = &'a str>) -> u64 {
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

/// The deletion-neighbourhood hashes a term is keyed by in the fuzzy index,
/// without duplicates; none for a term too short or too long for it.
fn fuzzy_hashes(term: &str) -> Vec<u64> {
    let chars: Vec<char> = term.chars().collect();
    let mut hashes = Vec::new();
    if chars.len() <= MAX_FUZZY_TERM_CHARS {
        deletion_hashes(&chars, FUZZY_MIN_CHARS - MAX_FUZZY_DISTANCE, &mut hashes);
        hashes.sort_unstable();
        hashes.dedup();
    }
    hashes
}

/// Adds `id` to an ascending list without duplicates. An id above all the
/// others, as in a bulk load, is pushed without a search.
fn insert_sorted(ids: &mut Vec<u32>, id: u32) {
    if ids.last().is_none_or(|&last| last < id) {
        ids.push(id);
    } else if let Err(at) = ids.binary_search(&id) {
        ids.insert(at, id);
    }
}

/// Takes `id` out of an ascending list, and gives back memory when the list
/// has shrunk to a quarter of its capacity.
fn remove_sorted(ids: &mut Vec<u32>, id: u32) {
    if let Ok(at) = ids.binary_search(&id) {
        ids.remove(at);
        if ids.len() < ids.capacity() / 4 {
            ids.shrink_to(ids.len() * 2);
        }
    }
}

impl<T> Default for Slots<T> {
    fn default() -> Self {
        Slots {
            items: Vec::new(),
            free: Vec::new(),
        }
    }
}

impl<T> Slots<T> {
    /// An empty slot for [`Slots::set`]: a freed one, else a new one. `None`
    /// when the ids are used up.
    fn insert_empty(&mut self) -> Option<u32> {
        if let Some(id) = self.free.pop() {
            return Some(id);
        }
        let id = u32::try_from(self.items.len())
            .ok()
            .filter(|&id| id != NO_ID)?;
        self.items.push(None);
        Some(id)
    }

    /// Puts `item` in slot `id`, given by [`Slots::insert_empty`].
    fn set(&mut self, id: u32, item: T) {
        if let Some(slot) = self.items.get_mut(id as usize) {
            *slot = Some(item);
        }
    }

    fn get(&self, id: u32) -> Option<&T> {
        self.items.get(id as usize).and_then(Option::as_ref)
    }

    fn get_mut(&mut self, id: u32) -> Option<&mut T> {
        self.items.get_mut(id as usize).and_then(Option::as_mut)
    }

    /// Takes the item out of slot `id`, whose id is then reused.
    fn take(&mut self, id: u32) -> Option<T> {
        let item = self.items.get_mut(id as usize).and_then(Option::take)?;
        self.free.push(id);
        Some(item)
    }

    fn shrink_to_fit(&mut self) {
        self.items.shrink_to_fit();
        self.free.shrink_to_fit();
    }
}

/// `text`, or, when longer than [`SNIPPET_MAX_CHARS`] chars, a window of it
/// around the first occurrence of `term`.
fn snippet(text: &str, term: Option<&str>) -> String {
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

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

/// FNV-1a of `chars` without the chars at positions `a` and `b`.
fn hash_without(chars: &[char], a: usize, b: usize) -> u64 {
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
fn deletion_hashes(chars: &[char], min_len: usize, out: &mut Vec<u64>) {
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

fn stage_of(q: Quality) -> Stage {
    match q {
        Quality::Exact => Stage::Token,
        Quality::Prefix(_) => Stage::Prefix,
        Quality::Fuzzy(_) => Stage::Fuzzy,
    }
}

fn fuzzy_edits(q: Quality) -> u32 {
    match q {
        Quality::Fuzzy(d) => d,
        Quality::Exact | Quality::Prefix(_) => 0,
    }
}

fn extra_chars(entry: &TextEntry, query_len: usize) -> u32 {
    extra(entry.norm_len, query_len)
}

/// The chars by which a normal form of `norm_len` chars is longer than the query's.
fn extra(norm_len: u32, query_len: usize) -> u32 {
    let query_len = u32::try_from(query_len).unwrap_or(u32::MAX);
    norm_len.saturating_sub(query_len)
}

/// The rank of a text in long posting lists: names, then aliases, then longer texts,
/// each by normalized length, lowest first. So the rank never falls as the best score a
/// text can reach falls. Lengths from [`RANK_LEN_MAX`] on share one rank.
fn rank(field: Field, norm_len: u32) -> u16 {
    let field_part: u16 = match field {
        Field::Name => 0,
        Field::Alias => 1,
        Field::Text => 2,
    };
    let len = u16::try_from(norm_len.min(RANK_LEN_MAX)).unwrap_or(u16::MAX);
    (field_part << RANK_LEN_BITS) | len
}

/// The field of a rank's texts and the least normalized length they can have.
fn rank_floor(rank: u16) -> (Field, u32) {
    let field = match rank >> RANK_LEN_BITS {
        0 => Field::Name,
        1 => Field::Alias,
        _ => Field::Text,
    };
    (field, u32::from(rank) & RANK_LEN_MAX)
}

/// The score of a match; see [`SearchHit::score`].
/// The kind of match a stage makes.
fn kind_of(stage: Stage) -> MatchKind {
    match stage {
        Stage::Token => MatchKind::Token,
        Stage::Prefix => MatchKind::Prefix,
        Stage::Fuzzy => MatchKind::Fuzzy,
    }
}

fn score(kind: MatchKind, field: Field, edits: u32, extra_chars: u32) -> u32 {
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    /// The server's default cut: 512 chars, 16 words.
    const CUT: (usize, usize) = (512, 16);

    /// The normal form used for matching: NFKD, combining marks dropped,
    /// lowercase, apostrophes (' ’ ‘ ʼ) removed along with a possessive "s" after
    /// them ("Tokyo’s" -> "tokyo"), every other non-alphanumeric char a word
    /// break, words joined by single spaces.
    // Part of the API; the graph layer does not call it yet.
    fn normalize(text: &str) -> String {
        tokenize(text)
            .iter()
            .map(|w| w.text.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    }

    fn all(_: u32) -> bool {
        true
    }

    fn index(entries: &[(u32, Field, &str)]) -> SearchIndex {
        let mut ix = SearchIndex::default();
        for &(doc, field, text) in entries {
            ix.add(doc, field, text);
        }
        ix.finish();
        ix
    }

    fn docs(hits: &[SearchHit]) -> Vec<u32> {
        hits.iter().map(|h| h.doc).collect()
    }

    fn kinds(hits: &[SearchHit]) -> Vec<MatchKind> {
        hits.iter().map(|h| h.matched).collect()
    }

    #[test]
    fn normalize_rules() {
        assert_eq!(normalize("SEOUL"), "seoul");
        assert_eq!(normalize("Séoul"), "seoul");
        assert_eq!(normalize("São Paulo"), "sao paulo");
        assert_eq!(normalize("Tokyo’s"), "tokyo");
        assert_eq!(normalize("Tokyo's ministry"), "tokyo ministry");
        assert_eq!(normalize("TOKYO'S"), "tokyo");
        assert_eq!(normalize("Tokyoʼs and Seoul‘s"), "tokyo and seoul");
        assert_eq!(normalize("O'Sullivan"), "osullivan");
        assert_eq!(normalize("Xi’an"), "xian");
        assert_eq!(normalize("Han-Koo"), "han koo");
        assert_eq!(normalize("  U.S.–Korea   FTA!! "), "u s korea fta");
        assert_eq!(normalize("ＦＵＬＬ ｗｉｄｔｈ"), "full width");
        assert_eq!(normalize("İstanbul"), "istanbul");
        assert_eq!(normalize("!!!"), "");
        assert_eq!(normalize(""), "");
    }

    #[test]
    fn matching_ignores_case() {
        let ix = index(&[(0, Field::Name, "Republic of Korea")]);
        for q in [
            "republic of korea",
            "REPUBLIC OF KOREA",
            "rEpUbLiC oF kOrEa",
        ] {
            let hits = ix.search(q, 10, CUT, &all);
            assert_eq!(docs(&hits), vec![0], "{q}");
            assert_eq!(hits[0].matched, MatchKind::ExactName);
            assert_eq!(hits[0].text, "Republic of Korea");
        }
    }

    #[test]
    fn matching_ignores_accents_both_ways() {
        let ix = index(&[(0, Field::Name, "Seoul"), (1, Field::Name, "São Paulo")]);
        assert_eq!(docs(&ix.search("Séoul", 10, CUT, &all)), vec![0]);
        let hits = ix.search("sao paulo", 10, CUT, &all);
        assert_eq!(docs(&hits), vec![1]);
        assert_eq!(hits[0].matched, MatchKind::ExactName);
        assert_eq!(hits[0].text, "São Paulo");
    }

    #[test]
    fn apostrophe_possessive() {
        let ix = index(&[
            (0, Field::Name, "Tokyo"),
            (1, Field::Name, "Tokyo’s Ministry of Trade"),
        ]);
        let hits = ix.search("Tokyo's", 10, CUT, &all);
        assert_eq!(docs(&hits), vec![0, 1]);
        assert_eq!(hits[0].matched, MatchKind::ExactName);
        assert_eq!(hits[1].matched, MatchKind::Token);
        let hits = ix.search("tokyo ministry of trade", 10, CUT, &all);
        assert_eq!(hits[0].doc, 1);
        assert_eq!(hits[0].matched, MatchKind::ExactName);
    }

    #[test]
    fn hyphenated_names() {
        let ix = index(&[
            (0, Field::Name, "Han-Koo Trade Council"),
            (1, Field::Name, "Hankoo"),
            (2, Field::Text, "unrelated"),
        ]);
        for q in [
            "han koo trade council",
            "Han-Koo Trade Council",
            "hankoo trade council",
        ] {
            let hits = ix.search(q, 10, CUT, &all);
            assert_eq!(
                hits.first().map(|h| (h.doc, h.matched)),
                Some((0, MatchKind::ExactName)),
                "{q}"
            );
        }
        for q in ["han koo", "HAN KOO trade"] {
            assert_eq!(docs(&ix.search(q, 10, CUT, &all)), vec![0], "{q}");
        }
        // The joined form finds both the hyphenated and the written-together name.
        let hits = ix.search("hankoo", 10, CUT, &all);
        assert_eq!(docs(&hits), vec![1, 0]);
        assert_eq!(kinds(&hits), vec![MatchKind::ExactName, MatchKind::Token]);
        // And a hyphenated query finds the written-together name.
        let hits = ix.search("Han-Koo", 10, CUT, &all);
        assert_eq!(docs(&hits), vec![1, 0]);
        assert_eq!(hits[0].matched, MatchKind::ExactName);
        assert_eq!(hits[0].text, "Hankoo");
    }

    #[test]
    fn ranking_order_exact_alias_token_prefix_fuzzy() {
        let ix = index(&[
            (5, Field::Name, "Soeul Market"),
            (4, Field::Name, "Seoulite Society"),
            (3, Field::Name, "Some agency"),
            (3, Field::Text, "An agency based in Seoul."),
            (2, Field::Name, "Seoul Metropolitan Government"),
            (1, Field::Name, "Capital of Korea"),
            (1, Field::Alias, "Seoul"),
            (0, Field::Name, "Seoul"),
        ]);
        let hits = ix.search("seoul", 10, CUT, &all);
        assert_eq!(docs(&hits), vec![0, 1, 2, 3, 4, 5]);
        assert_eq!(
            kinds(&hits),
            vec![
                MatchKind::ExactName,
                MatchKind::ExactAlias,
                MatchKind::Token,
                MatchKind::Token,
                MatchKind::Prefix,
                MatchKind::Fuzzy
            ]
        );
        let fields: Vec<Field> = hits.iter().map(|h| h.field).collect();
        assert_eq!(
            fields,
            vec![
                Field::Name,
                Field::Alias,
                Field::Name,
                Field::Text,
                Field::Name,
                Field::Name
            ]
        );
        assert!(hits.windows(2).all(|w| w[0].score > w[1].score), "{hits:?}");
        assert_eq!(hits[3].text, "An agency based in Seoul.");
        assert_eq!(hits[5].text, "Soeul Market");
    }

    #[test]
    fn token_ranks_name_over_alias_over_text_then_shorter() {
        let ix = index(&[
            (0, Field::Text, "Trade pact"),
            (1, Field::Alias, "Trade pact of 2019"),
            (2, Field::Name, "Trade pact of the Pacific"),
            (3, Field::Name, "Trade pact of 2019"),
        ]);
        let hits = ix.search("pact", 10, CUT, &all);
        assert_eq!(docs(&hits), vec![3, 2, 1, 0]);
        assert!(hits.iter().all(|h| h.matched == MatchKind::Token));
    }

    #[test]
    fn all_query_words_must_be_in_one_text() {
        let ix = index(&[
            (0, Field::Name, "Seoul"),
            (0, Field::Alias, "Busan"),
            (1, Field::Text, "From Seoul to Busan"),
        ]);
        let hits = ix.search("seoul busan", 10, CUT, &all);
        assert_eq!(docs(&hits), vec![1]);
        assert_eq!(hits[0].matched, MatchKind::Token);
    }

    #[test]
    fn one_hit_per_doc_with_its_best_match() {
        let ix = index(&[
            (7, Field::Text, "Seoul is the capital"),
            (7, Field::Alias, "Seoul City"),
            (7, Field::Name, "Seoul"),
        ]);
        let hits = ix.search("seoul", 10, CUT, &all);
        assert_eq!(hits.len(), 1);
        assert_eq!(
            (hits[0].doc, hits[0].matched, hits[0].field),
            (7, MatchKind::ExactName, Field::Name)
        );
    }

    #[test]
    fn prefix_needs_two_chars_and_prefers_shorter() {
        let ix = index(&[(0, Field::Name, "Koreana"), (1, Field::Name, "Korea")]);
        let hits = ix.search("kor", 10, CUT, &all);
        assert_eq!(docs(&hits), vec![1, 0]);
        assert!(hits.iter().all(|h| h.matched == MatchKind::Prefix));
        assert_eq!(docs(&ix.search("ko", 10, CUT, &all)), vec![1, 0]);
        assert!(ix.search("k", 10, CUT, &all).is_empty());
        // Every query word may be a prefix.
        let ix = index(&[(0, Field::Name, "Ministry of Economy and Finance")]);
        let hits = ix.search("min econ fin", 10, CUT, &all);
        assert_eq!(kinds(&hits), vec![MatchKind::Prefix]);
    }

    #[test]
    fn typo_at_distance_two_in_long_word_is_found() {
        let ix = index(&[
            (0, Field::Name, "Seoul Metropolitan Government"),
            (1, Field::Name, "Busan"),
        ]);
        // "metropolitan" -> swap "ro", drop an "a": distance 2.
        assert_eq!(strsim::osa_distance("metorpolitn", "metropolitan"), 2);
        let hits = ix.search("seoul metorpolitn", 10, CUT, &all);
        assert_eq!(docs(&hits), vec![0]);
        assert_eq!(hits[0].matched, MatchKind::Fuzzy);
        // Distance 2 in a five-letter word.
        let hits = ix.search("bsuam", 10, CUT, &all);
        assert_eq!(docs(&hits), vec![1]);
        assert_eq!(hits[0].matched, MatchKind::Fuzzy);
        // Distance 3 is too far.
        assert!(ix.search("mteorpolitn", 10, CUT, &all).is_empty());
    }

    #[test]
    fn fewer_typos_rank_first() {
        let ix = index(&[(0, Field::Name, "Hanover"), (1, Field::Name, "Hannover")]);
        let hits = ix.search("hanovre", 10, CUT, &all);
        assert_eq!(docs(&hits), vec![0, 1]);
        assert!(hits[0].score > hits[1].score);
    }

    #[test]
    fn short_word_typo_is_not_fuzzy() {
        let ix = index(&[(0, Field::Name, "Lima"), (1, Field::Name, "Kiev")]);
        assert!(ix.search("Lmia", 10, CUT, &all).is_empty());
        assert!(ix.search("Kiew", 10, CUT, &all).is_empty());
        assert_eq!(docs(&ix.search("Lim", 10, CUT, &all)), vec![0]);
    }

    #[test]
    fn accept_filters_before_limit() {
        let ix = index(&[
            (0, Field::Name, "Seoul"),
            (1, Field::Name, "Seoul Station"),
            (2, Field::Name, "Seoul Forest"),
            (3, Field::Name, "Seoul Tower"),
            (4, Field::Name, "Seoul Arts Center"),
            (5, Field::Name, "Seoul Land"),
        ]);
        let even = |doc: u32| doc % 2 == 0;
        let hits = ix.search("seoul", 2, CUT, &even);
        assert_eq!(docs(&hits), vec![0, 2]);
        let hits = ix.search("seoul", 10, CUT, &even);
        assert_eq!(docs(&hits), vec![0, 2, 4]);
        assert!(ix.search("seoul", 10, CUT, &|_| false).is_empty());
    }

    #[test]
    fn ties_are_broken_by_doc_id() {
        let entries: Vec<(u32, Field, &str)> = [9, 3, 7, 1, 5]
            .iter()
            .map(|&d| (d, Field::Name, "Springfield"))
            .collect();
        let ix = index(&entries);
        let first = ix.search("springfield", 10, CUT, &all);
        assert_eq!(docs(&first), vec![1, 3, 5, 7, 9]);
        assert!(first.windows(2).all(|w| w[0].score == w[1].score));
        for _ in 0..5 {
            assert_eq!(ix.search("springfield", 10, CUT, &all), first);
        }
        assert_eq!(docs(&ix.search("springfield", 2, CUT, &all)), vec![1, 3]);
        assert_eq!(docs(&ix.search("sprngfield", 3, CUT, &all)), vec![1, 3, 5]);
    }

    #[test]
    fn empty_and_garbage_queries_are_cut_and_answered() {
        let ix = index(&[(0, Field::Name, "Seoul"), (1, Field::Text, "a a a a")]);
        assert!(ix.search("", 10, CUT, &all).is_empty());
        assert!(ix.search("!!!", 10, CUT, &all).is_empty());
        assert!(ix.search("  \t\n ", 10, CUT, &all).is_empty());
        assert!(ix.search("seoul", 0, CUT, &all).is_empty());
        assert!(ix.search(&"!".repeat(10_000), 10, CUT, &all).is_empty());
        assert!(ix.search(&"x".repeat(10_000), 10, CUT, &all).is_empty());
        assert!(ix.search(&"é".repeat(10_000), 10, CUT, &all).is_empty());
        assert!(
            ix.search(&"zzzzzqzzz ".repeat(1_000), 10, CUT, &all)
                .is_empty()
        );
        // A huge query is read only as far as the cut: it answers what its first words do,
        // so its work is bounded by the cut, not by its length.
        for (huge, head) in [("a ", 40), ("seoul-", 40), ("s'", 40)] {
            assert_eq!(
                ix.search(&huge.repeat(5_000), 10, CUT, &all),
                ix.search(&huge.repeat(head), 10, CUT, &all),
                "{huge:?}"
            );
        }
    }

    #[test]
    fn fuzzy_needs_no_finish_and_later_adds_are_found() {
        let mut ix = SearchIndex::default();
        ix.add(0, Field::Name, "Metropolitan");
        assert_eq!(docs(&ix.search("metropolitan", 10, CUT, &all)), vec![0]);
        assert_eq!(docs(&ix.search("metro", 10, CUT, &all)), vec![0]);
        let before = ix.search("metropolitn", 10, CUT, &all);
        assert_eq!(docs(&before), vec![0]);
        ix.finish();
        assert_eq!(ix.search("metropolitn", 10, CUT, &all), before);
        // Added after finish: found by token search, and fuzzily by old and new terms.
        ix.add(1, Field::Name, "Metropolitan Council");
        assert_eq!(
            docs(&ix.search("metropolitan council", 10, CUT, &all)),
            vec![1]
        );
        assert_eq!(docs(&ix.search("metropolitn", 10, CUT, &all)), vec![0, 1]);
        assert_eq!(docs(&ix.search("councl", 10, CUT, &all)), vec![1]);
    }

    #[test]
    fn long_text_gives_snippet_around_match() {
        let filler = "lorem ipsum dolor sit amet ".repeat(20);
        let text = format!("{filler}the Busan accord was signed {filler}");
        let ix = index(&[(0, Field::Text, &text)]);
        let hits = ix.search("busan accord", 10, CUT, &all);
        assert_eq!(hits.len(), 1);
        let snip = &hits[0].text;
        assert!(snip.contains("Busan accord"), "{snip}");
        assert!(snip.starts_with('…') && snip.ends_with('…'), "{snip}");
        assert!(snip.chars().count() <= SNIPPET_MAX_CHARS + 2);
    }

    #[test]
    fn query_is_cut_to_max_tokens() {
        let ix = index(&[(0, Field::Text, "alpha beta")]);
        // Past the first CUT.1 words nothing counts.
        let mut q = "alpha ".repeat(CUT.1);
        q.push_str("nonexistent");
        assert_eq!(docs(&ix.search(&q, 10, CUT, &all)), vec![0]);
    }

    /// The search for `q` as (doc, how it matched).
    fn found(ix: &SearchIndex, q: &str) -> Vec<(u32, MatchKind)> {
        ix.search(q, 10, CUT, &all)
            .iter()
            .map(|h| (h.doc, h.matched))
            .collect()
    }

    #[test]
    fn add_after_searching_is_found_by_every_stage() {
        let mut ix = index(&[(0, Field::Name, "Seoul")]);
        assert!(ix.search("pyongyang", 10, CUT, &all).is_empty());
        ix.add(1, Field::Name, "Pyongyang");
        ix.add(1, Field::Alias, "Ryugyong");
        ix.add(1, Field::Text, "Capital on the Taedong river");
        assert_eq!(found(&ix, "pyongyang"), vec![(1, MatchKind::ExactName)]);
        assert_eq!(found(&ix, "ryugyong"), vec![(1, MatchKind::ExactAlias)]);
        assert_eq!(found(&ix, "taedong"), vec![(1, MatchKind::Token)]);
        assert_eq!(found(&ix, "taed"), vec![(1, MatchKind::Prefix)]);
        assert_eq!(found(&ix, "pyongayng"), vec![(1, MatchKind::Fuzzy)]);
        assert_eq!(found(&ix, "seoul"), vec![(0, MatchKind::ExactName)]);
    }

    #[test]
    fn remove_doc_removes_it_from_every_stage() {
        let mut ix = index(&[
            (0, Field::Name, "Seoul"),
            (1, Field::Name, "Pyongyang"),
            (1, Field::Alias, "Ryugyong-Taedong"),
            (1, Field::Text, "Capital on the Taedong river"),
        ]);
        ix.remove_doc(1);
        for q in [
            "pyongyang",        // exact name
            "ryugyong taedong", // exact alias
            "ryugyongtaedong",  // exact alias, joined, and its joined term
            "river",            // token
            "taed",             // prefix
            "pyongayng",        // typo
            "ryugyonk",         // typo
        ] {
            assert!(ix.search(q, 10, CUT, &all).is_empty(), "{q}");
        }
        assert_eq!(found(&ix, "seoul"), vec![(0, MatchKind::ExactName)]);
        // Only Seoul's term and its keys are left.
        let fresh = index(&[(0, Field::Name, "Seoul")]);
        assert_eq!(ix.term_ids.len(), 1);
        assert_eq!(ix.sorted_terms.len(), 1);
        assert_eq!(ix.exact.len(), 1);
        assert_eq!(ix.fuzzy.len(), fresh.fuzzy.len());
        assert_eq!(ix.doc_texts.len(), 1);
        // Removing it again, or a doc never added, changes nothing.
        ix.remove_doc(1);
        ix.remove_doc(42);
        assert_eq!(found(&ix, "seoul"), vec![(0, MatchKind::ExactName)]);
    }

    #[test]
    fn renamed_doc_is_found_by_its_new_name_only() {
        let mut ix = index(&[
            (0, Field::Name, "Kaesong Industrial Region"),
            (1, Field::Name, "Busan"),
        ]);
        ix.remove_doc(0);
        ix.add(0, Field::Name, "Songdo Industrial Complex");
        assert_eq!(
            found(&ix, "songdo industrial complex"),
            vec![(0, MatchKind::ExactName)]
        );
        assert_eq!(found(&ix, "songdo"), vec![(0, MatchKind::Token)]);
        assert_eq!(found(&ix, "sogndo"), vec![(0, MatchKind::Fuzzy)]);
        for q in [
            "kaesong industrial region",
            "kaesong",
            "kaes",
            "kaesnog",
            "region",
            "regoin",
        ] {
            assert!(ix.search(q, 10, CUT, &all).is_empty(), "{q}");
        }
        // The word kept by the rename is still there.
        assert_eq!(found(&ix, "industrial"), vec![(0, MatchKind::Token)]);
    }

    #[test]
    fn removing_one_doc_keeps_another_with_the_same_terms() {
        let mut ix = index(&[
            (0, Field::Name, "Seoul Tower"),
            (0, Field::Alias, "Namsan Tower"),
            (1, Field::Name, "Seoul Tower"),
            (1, Field::Alias, "Namsan Tower"),
            (1, Field::Text, "A tower on Namsan"),
            (2, Field::Text, "A tower on Namsan"),
        ]);
        ix.remove_doc(1);
        assert_eq!(found(&ix, "seoul tower"), vec![(0, MatchKind::ExactName)]);
        assert_eq!(
            found(&ix, "namsan tower"),
            vec![(0, MatchKind::ExactAlias), (2, MatchKind::Token)]
        );
        assert_eq!(
            found(&ix, "namsan"),
            vec![(0, MatchKind::Token), (2, MatchKind::Token)]
        );
        assert_eq!(found(&ix, "seo"), vec![(0, MatchKind::Prefix)]);
        assert_eq!(
            found(&ix, "nasman"),
            vec![(0, MatchKind::Fuzzy), (2, MatchKind::Fuzzy)]
        );
        ix.remove_doc(0);
        assert!(ix.search("seoul", 10, CUT, &all).is_empty());
        assert_eq!(found(&ix, "namsan"), vec![(2, MatchKind::Token)]);
        assert_eq!(found(&ix, "nasman"), vec![(2, MatchKind::Fuzzy)]);
    }

    /// A small deterministic generator for the randomized tests.
    struct Rng(u64);

    impl Rng {
        fn below(&mut self, n: usize) -> usize {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 % n.max(1) as u64) as usize
        }

        fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
            items[self.below(items.len())]
        }
    }

    const COMMON: &[&str] = &[
        "tariff",
        "tariffs",
        "trade",
        "council",
        "ministry",
        "republic",
        "of",
        "the",
        "on",
        "steel",
        "talks",
        "summit",
        "pledge",
        "investment",
        "agreement",
        "korea",
        "seoul",
    ];

    /// A random text of `least` words and up to `spread - 1` more: common words, rarer made-up ones, some joined by
    /// hyphens.
    fn random_text(rng: &mut Rng, least: usize, spread: usize) -> String {
        let words = least + rng.below(spread);
        let mut out = String::new();
        for i in 0..words {
            if i > 0 {
                out.push(if rng.below(8) == 0 { '-' } else { ' ' });
            }
            if rng.below(3) == 0 {
                let len = 3 + rng.below(7);
                out.extend((0..len).map(|_| (b'a' + rng.below(6) as u8) as char));
            } else {
                let w = rng.pick(COMMON);
                if rng.below(4) == 0 {
                    out.push_str(&w.to_uppercase());
                } else {
                    out.push_str(w);
                }
            }
        }
        out
    }

    /// A query drawn from what the index holds: words, prefixes, typos, whole names.
    fn random_query(rng: &mut Rng, texts: &[String]) -> String {
        let text = &texts[rng.below(texts.len())];
        let words: Vec<&str> = text.split([' ', '-']).collect();
        let word = |rng: &mut Rng| words[rng.below(words.len())].to_string();
        match rng.below(6) {
            0 => text.clone(),
            1 => word(rng),
            2 => format!("{} {}", word(rng), word(rng)),
            3 => word(rng).chars().take(2 + rng.below(3)).collect(),
            4 => {
                let mut chars: Vec<char> = word(rng).chars().collect();
                if chars.len() > 3 {
                    chars.swap(1, 2);
                }
                if chars.len() > 6 && rng.below(2) == 0 {
                    chars.remove(4);
                }
                chars.into_iter().collect()
            }
            _ => format!("{} {}", rng.pick(COMMON), word(rng)),
        }
    }

    #[test]
    fn early_stop_answers_as_a_full_read_does() {
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        let mut ix = SearchIndex::default();
        let mut texts = Vec::new();
        // Enough texts that the common words' lists are long and ranked.
        let add_doc = |ix: &mut SearchIndex, rng: &mut Rng, texts: &mut Vec<String>, doc| {
            let name = random_text(rng, 1, 5);
            ix.add(doc, Field::Name, &name);
            texts.push(name);
            for _ in 0..rng.below(3) {
                let alias = random_text(rng, 1, 4);
                ix.add(doc, Field::Alias, &alias);
                texts.push(alias);
            }
            if rng.below(2) == 0 {
                let text = random_text(rng, 4, 20);
                ix.add(doc, Field::Text, &text);
                texts.push(text);
            }
        };
        for doc in 0..6_000 {
            add_doc(&mut ix, &mut rng, &mut texts, doc);
        }
        ix.finish();
        let long = ix
            .terms
            .items
            .iter()
            .flatten()
            .filter(|e| matches!(e.postings, Postings::Ranked(_)))
            .count();
        assert!(long > 10, "{long} ranked lists");
        let scrambled =
            |a: u32, b: u32| (a.wrapping_mul(2_654_435_761)).cmp(&b.wrapping_mul(2_654_435_761));
        let by_doc = |a: u32, b: u32| a.cmp(&b);
        let third = |doc: u32| doc % 3 != 1;
        let mut compared = 0;
        for round in 0..3 {
            for _ in 0..150 {
                let q = random_query(&mut rng, &texts);
                for limit in [1, 3, 10, 50] {
                    for (accept, tie) in [
                        (
                            &all as &dyn Fn(u32) -> bool,
                            &by_doc as &dyn Fn(u32, u32) -> _,
                        ),
                        (&third, &scrambled),
                    ] {
                        let run = |ix: &SearchIndex| {
                            ix.search_ordered(&q, limit, CUT, accept, tie, &|doc, nth| {
                                ix.originals.get(&(doc, nth)).map(|t| &**t)
                            })
                        };
                        ix.exhaustive = false;
                        let fast = run(&ix);
                        ix.exhaustive = true;
                        let full = run(&ix);
                        ix.exhaustive = false;
                        assert_eq!(fast, full, "round {round}, {q:?}, limit {limit}");
                        compared += usize::from(!full.is_empty());
                    }
                }
            }
            // Churn: some docs go and come back with new texts, so that ids are reused
            // and lists cross between short and ranked.
            for _ in 0..1_500 {
                let doc = rng.below(6_000) as u32;
                ix.remove_doc(doc);
                if rng.below(3) > 0 {
                    add_doc(&mut ix, &mut rng, &mut texts, doc);
                }
            }
        }
        assert!(compared > 1_500, "{compared}");
    }

    /// The normal forms a name is found by exactly: its words, and its runs when a
    /// hyphen joins two of them, each joined by spaces.
    fn exact_forms(text: &str) -> Vec<String> {
        let words = tokenize(text);
        let runs = hyphen_runs(&words);
        let join = |parts: Vec<&str>| parts.join(" ");
        let mut forms = vec![join(words.iter().map(|w| w.text.as_str()).collect())];
        if !runs.is_empty() {
            forms.push(join(runs.iter().map(|r| r.text.as_str()).collect()));
        }
        forms
    }

    #[test]
    fn exact_matches_are_the_names_whose_normal_form_is_the_query() {
        let mut rng = Rng(0x2545_f491_4f6c_dd1d);
        let mut ix = SearchIndex::default();
        // Short names from few words, so that many share a normal form.
        // (doc, name or alias, its exact forms)
        let mut named: Vec<(u32, String, Vec<String>)> = Vec::new();
        let add = |ix: &mut SearchIndex, rng: &mut Rng, named: &mut Vec<_>, doc| {
            for field in [Field::Name, Field::Alias] {
                if field == Field::Name || rng.below(2) == 0 {
                    let text = random_text(rng, 1, 3);
                    ix.add(doc, field, &text);
                    let forms = exact_forms(&text);
                    named.push((doc, text, forms));
                }
            }
        };
        for doc in 0..3_000 {
            add(&mut ix, &mut rng, &mut named, doc);
        }
        for round in 0..3 {
            for _ in 0..300 {
                let (_, _, forms) = &named[rng.below(named.len())];
                for q in forms.clone() {
                    let want: BTreeSet<u32> = named
                        .iter()
                        .filter(|(_, _, f)| f.contains(&q))
                        .map(|&(doc, _, _)| doc)
                        .collect();
                    // As many as there should be: the search stops after the exact stage
                    // when it finds them all.
                    let hits = ix.search(&q, want.len(), (usize::MAX, usize::MAX), &all);
                    let exact: Vec<&SearchHit> = hits
                        .iter()
                        .filter(|h| {
                            matches!(h.matched, MatchKind::ExactName | MatchKind::ExactAlias)
                        })
                        .collect();
                    let got: BTreeSet<u32> = exact.iter().map(|h| h.doc).collect();
                    assert_eq!(got, want, "round {round}, {q:?}");
                    for h in exact {
                        assert!(exact_forms(&h.text).contains(&q), "{q:?}: {h:?}");
                    }
                }
            }
            // Some docs go, and some come back with other names.
            for _ in 0..1_000 {
                let doc = rng.below(3_000) as u32;
                ix.remove_doc(doc);
                named.retain(|&(d, _, _)| d != doc);
                if rng.below(2) == 0 {
                    add(&mut ix, &mut rng, &mut named, doc);
                }
            }
        }
    }

    #[test]
    fn exact_keys_that_share_a_hash_are_told_apart() {
        let mut ix = index(&[(0, Field::Name, "Seoul")]);
        // As if "seoul" had the hash of "busan": its list moves there.
        let (seoul, busan) = (
            key_hash(["seoul"].into_iter()),
            key_hash(["busan"].into_iter()),
        );
        let ids = ix.exact.remove(&seoul).unwrap_or_default();
        ix.exact.insert(busan, ids);
        // A query for "busan" meets a list of "seoul" alone: no exact match.
        assert!(ix.search("busan", 10, CUT, &all).is_empty());
        // Busan joins the list, which now holds two keys: each text is checked.
        ix.add(1, Field::Name, "Busan");
        ix.add(2, Field::Alias, "Busan");
        assert!(ix.exact_mixed.contains(&busan));
        assert_eq!(
            found(&ix, "busan"),
            vec![(1, MatchKind::ExactName), (2, MatchKind::ExactAlias)]
        );
        ix.remove_doc(1);
        ix.remove_doc(2);
        assert!(ix.search("busan", 10, CUT, &all).is_empty());
    }

    /// (items, room for items) of every structure of the index.
    fn sizes(ix: &SearchIndex) -> Vec<(usize, usize)> {
        fn slots<T>(s: &Slots<T>) -> (usize, usize) {
            (s.items.len(), s.items.capacity().max(s.free.capacity()))
        }
        fn lists<'a>(all: impl Iterator<Item = &'a Vec<u32>>) -> (usize, usize) {
            all.fold((0, 0), |(n, c), l| (n + l.len(), c + l.capacity()))
        }
        vec![
            (ix.term_ids.len(), ix.term_ids.capacity()),
            (ix.sorted_terms.len(), ix.sorted_terms.len()),
            slots(&ix.terms),
            ix.terms.items.iter().flatten().fold((0, 0), |(n, c), e| {
                (n + e.postings.len(), c + e.postings.capacity())
            }),
            slots(&ix.texts.named),
            slots(&ix.texts.described),
            (ix.doc_texts.len(), ix.doc_texts.capacity()),
            (ix.exact.len(), ix.exact.capacity()),
            lists(ix.exact.values()),
            (ix.fuzzy.len(), ix.fuzzy.capacity()),
            slots(&ix.fuzzy_lists),
            lists(ix.fuzzy_lists.items.iter().flatten()),
        ]
    }

    #[test]
    fn add_and_remove_churn_keeps_memory_bounded() {
        let mut ix = index(&[
            (0, Field::Name, "Seoul Metropolitan Council"),
            (1, Field::Name, "Busan"),
        ]);
        let live = |ix: &SearchIndex| {
            (
                ix.term_ids.len(),
                ix.sorted_terms.len(),
                ix.exact.len(),
                ix.fuzzy.len(),
                ix.doc_texts.len(),
                ix.terms.items.iter().flatten().count(),
                ix.texts.named.items.iter().flatten().count()
                    + ix.texts.described.items.iter().flatten().count(),
                ix.fuzzy_lists.items.iter().flatten().count(),
            )
        };
        let base = live(&ix);
        let mut peak = Vec::new();
        for round in 0..1_000 {
            // A new name every round, so that terms come and go too.
            let name = format!("Council{round:04} of Seoul");
            ix.add(2, Field::Name, &name);
            ix.add(2, Field::Alias, &format!("Counsel-{round:04}"));
            ix.add(2, Field::Text, "Met in the Metropolitan Council's hall");
            if round == 0 {
                peak = sizes(&ix);
            }
            assert_eq!(found(&ix, &name)[0], (2, MatchKind::ExactName));
            let typo = format!("cuoncil{round:04}");
            assert!(found(&ix, &typo).contains(&(2, MatchKind::Fuzzy)), "{typo}");
            ix.remove_doc(2);
            assert!(!docs(&ix.search(&name, 10, CUT, &all)).contains(&2));
            assert_eq!(live(&ix), base, "round {round}");
        }
        // Every structure holds at most as many items as with the doc in it, and
        // room for a few times that: hash tables and vectors grow by doubling.
        let now = sizes(&ix);
        for (i, (&(items, room), &(peak_items, _))) in now.iter().zip(&peak).enumerate() {
            assert!(items <= peak_items, "{i}: {now:?} {peak:?}");
            assert!(room <= 4 * peak_items + 16, "{i}: {now:?} {peak:?}");
        }
    }
}
