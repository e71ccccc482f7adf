//! Text search for the graph layer: an inverted index over names, aliases and
//! texts with exact, whole-token, prefix and typo-tolerant (fuzzy) matching.
//!
//! # Design
//!
//! - Every text is cut into terms by [`normalize`]'s rules. A hyphenated run of up to
//!   three words ("Han-Koo") adds its joined form ("hankoo") as one more term; a
//!   longer one is an identifier, such as a slug, and adds none.
//! - Texts and terms get dense ids; the id of a removed one is reused by the
//!   next one added, so the ids stay as many as the index ever held at once.
//!   Each term has a posting list of the texts that hold it, free of
//!   duplicates, in the order a search reads it: by the texts' rank (names,
//!   then aliases, then longer texts, each shortest first), which is the order
//!   of the best score a text can reach, and within a rank in the caller's
//!   order of documents, which breaks ties between equal scores ([`DocOrder`]:
//!   for the graph, the order of node ids); longer texts within a rank by id
//!   (see [`TextOrder`]). A long list is kept in chunks; see
//!   [`super::postings`]. Each text also keeps its own term list, used to
//!   check candidates, and the id of its document's previous text, so that a
//!   document's texts form a chain for removal.
//! - The term dictionary is a `HashMap` for lookups, plus a `BTreeMap` of
//!   the same terms, so all terms with a given prefix are one range.
//! - Names and aliases are also keyed, for exact matches, by the hash of their
//!   whole normalized form (and of the form with hyphenated runs joined), each
//!   key's texts in a list in the same order as a posting list's. A
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
//! - A bulk load keeps every list in id order, where each new text is
//!   appended, and [`SearchIndex::finish`] puts them in order at its end,
//!   sorting the documents once, by the caller's key ([`DocKey`]) and order.
//! - A term enters every structure when the first text holding it is added,
//!   and leaves them all when the last one is removed. So adding or removing
//!   a text costs work in proportion to the text (its terms and their
//!   deletion hashes), plus a search and a shift in each posting list it
//!   touches; nothing is rebuilt. A document whose texts change keeps those
//!   that stay the same ([`SearchIndex::replace_doc`]).
//!
//! # A query
//!
//! A query reads the exact keys first: the names and aliases whose whole
//! normal form is the query's. If they leave fewer than `limit` accepted docs,
//! one read finds the texts that hold every query word whole (token), as a
//! prefix of one of their words, or within the allowed typos (fuzzy). The
//! query word whose candidate terms of all three kinds have the fewest
//! postings drives it; each text it holds is checked once against the other
//! words' terms of every kind, looked for among the text's own terms rather
//! than in their posting lists, and scored in its band. No doc of a lower band
//! can outrank one of a higher band, so the answer is the one the bands would
//! give read one after another, each driven by its own cheapest word; a hit's
//! snippet is cut around the term of the word that drives its band.
//!
//! Every list, the exact keys' too, is read best rank first, and only while a
//! text left in it can still change the best `limit` docs found so far: the
//! read stops once they all score above anything its remaining ranks can
//! reach, and it leaves a rank of names or aliases once the texts left in it
//! can at most tie with the worst doc kept and come after it in the order of
//! documents. So a search that fills its top with names and aliases reads
//! about as many texts as it returns, however many tie with them: an alias
//! that a hundred thousand commitments share costs the first of them, a
//! misspelt word that a million names share the shortest of those names. A
//! search that finds fewer than `limit` docs passes every text holding a term
//! of its driving word: nothing less shows that no other text holds every
//! query word. Once such a read has looked at [`FILTER_AFTER_READS`] texts, the
//! next rarest word, if its postings cost less to mark than the texts left would
//! cost to look at, is turned into bits over text ids ([`filter`]), and a text
//! lacking it is passed over without being looked at. Marking is a sequential
//! pass over postings, looking at a text a cache miss or two, so such a search
//! costs a few nanoseconds for each posting of that word, in the ranks the read
//! reaches (a ranked list is marked a rank at a time), and a look for each text
//! that holds both. The bits are a thread's scratch, one bit per text id,
//! cleared after each search.
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

use std::collections::BTreeMap;
use std::collections::hash_map::Entry;

use super::{FastMap, FastSet};
use std::ops::Bound;
use std::sync::Arc;

use super::postings::{ListOrder, Postings};

mod collect;
mod filter;
mod fuzzy;
mod layered;
mod score;
mod slots;
mod term_list;
mod text;
mod vocabulary;

use collect::Collector;
use filter::Filter;
use fuzzy::{deletion_hashes, fuzzy_hashes};
pub use layered::LayeredSearch;
use score::{extra, extra_chars, fuzzy_edits, kind_of, rank, rank_floor, score, stage_of};
use slots::{Slots, TEXT_FIELD_BIT, TextSlots};
use term_list::TermList;
use text::{exact_hashes, hyphen_runs, key_hash, pieces, snippet, tokenize};
use vocabulary::Vocabulary;

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

/// Up to this many candidate terms, another query word is checked by looking for each
/// among the text's own terms. Above it, each of the text's terms is looked up among
/// them.
const BSEARCH_MAX_TERMS: usize = 4;
/// A read of a word's lists that has looked at this many texts turns the other words
/// into bits over text ids ([`filter`]), if they cost less than the reads they spare.
const FILTER_AFTER_READS: usize = 16;
/// What looking at a text costs, in postings marked.
const FILTER_POSTINGS_PER_TEXT: usize = 16;
/// At most this many other words are turned into bits. One: the texts the rarest other
/// word leaves are few, so a second word's marks cost more than the looks they spare
/// (growth bench at 1M, 5 December: exact names 223–227 µs with one word, 241–285 µs
/// with two, 280–310 µs with three; at 10k and 100k one word was as fast or faster).
const FILTER_WORDS: usize = 1;

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
    term_ids: FastMap<Arc<str>, u32>,
    /// The same, sorted, for prefix ranges.
    sorted_terms: BTreeMap<Arc<str>, u32>,
    /// Term id -> the term and its postings.
    terms: Slots<TermEntry>,
    /// The terms again, side by side, for the terms holding a piece of a word.
    vocabulary: Vocabulary,
    /// True once a text or a term was left out (their ids, or the vocabulary's room,
    /// used up): the index can no longer tell every document that holds a piece.
    lossy: bool,
    /// Text id -> the text.
    texts: TextSlots,
    /// Doc -> the id of its text added last, the head of its chain of texts,
    /// and how many texts were added to it.
    doc_texts: FastMap<u32, (u32, u32)>,
    /// The hash of a whole normalized name or alias (split and joined forms,
    /// see [`key_hash`]) -> the ids of the texts, in the order of posting lists.
    exact: FastMap<u64, Postings>,
    /// The hashes in `exact` whose list holds texts of more than one key (a
    /// hash collision, so almost always none), checked text by text.
    exact_mixed: FastSet<u64>,
    /// Deletion-neighbourhood hash -> the terms it keys.
    fuzzy: FastMap<u64, FuzzyBucket>,
    /// The term ids of the fuzzy buckets that hold more than one, ascending,
    /// no duplicates.
    fuzzy_lists: Slots<Vec<u32>>,
    /// False until the first [`SearchIndex::finish`]: during a bulk load, posting
    /// lists stay in id order, where new texts are appended, and are read whole.
    finished: bool,
    /// Searches read every posting: the tests compare this with the early stop.
    #[cfg(test)]
    exhaustive: bool,
    /// Searches look at every text of the driving word, never passing one over by the
    /// other words' bits ([`filter`]): the tests compare this with the filtered read.
    #[cfg(test)]
    plain: bool,
    /// How many texts searches have read: the tests that bound a search's work count it.
    #[cfg(test)]
    reads: Reads,
    /// The texts as added, by (doc, nth): the tests' lookup for hit texts.
    #[cfg(test)]
    originals: std::collections::HashMap<(u32, u32), Box<str>>,
}

/// How many of a list's texts are names and aliases: they come first, and a chunked list
/// is read only until its first run of longer texts.
fn named_len(postings: &Postings) -> usize {
    let mut named = 0;
    for (_, ids) in postings.runs() {
        if ids.first().is_some_and(|id| id & TEXT_FIELD_BIT != 0) {
            break;
        }
        named += ids.iter().filter(|&&id| id & TEXT_FIELD_BIT == 0).count();
    }
    named
}

/// No id: ends a document's chain of texts. [`Slots`] never hands it out.
const NO_ID: u32 = u32::MAX;

/// One term of the dictionary.
#[derive(Debug, Clone)]
struct TermEntry {
    term: Arc<str>,
    /// Ids of the texts holding the term, in the order searches read them, no
    /// duplicates, never empty: a term no text holds any more leaves the index.
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
    terms: TermList,
}

impl TextEntry {
    /// Its rank in long posting lists.
    fn rank(&self) -> u16 {
        rank(self.field, self.norm_len)
    }

    /// True when the text holds `term`.
    fn holds(&self, term: u32) -> bool {
        match self.field {
            // A longer text's terms are distinct and ascending.
            Field::Text => self.terms.binary_search(&term).is_ok(),
            Field::Name | Field::Alias => self.terms.contains(&term),
        }
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

/// The bands a text can match a query in beyond its exact keys, best first: whole
/// words, prefixes, typos; and how well one word matches, as a band.
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
    lookup: FastMap<u32, Quality>,
    /// Postings in all: of the exact term, of it and the prefix terms, and of every
    /// term, as the token, prefix and fuzzy bands use them.
    costs: [usize; 3],
}

impl TokenCands {
    /// The postings of the terms a band uses.
    fn cost(&self, stage: Stage) -> usize {
        match stage {
            Stage::Token => self.costs[0],
            Stage::Prefix => self.costs[1],
            Stage::Fuzzy => self.costs[2],
        }
    }
}

/// A count that a shared index can add to, for the tests.
#[cfg(test)]
#[derive(Debug, Default)]
struct Reads(std::sync::atomic::AtomicUsize);

#[cfg(test)]
impl Clone for Reads {
    fn clone(&self) -> Self {
        Reads(self.0.load(std::sync::atomic::Ordering::Relaxed).into())
    }
}

/// The caller's order of documents, which breaks ties between equal scores (for the
/// graph, the order of node ids): a total order, and the same every time the index is
/// given it, from the first [`SearchIndex::add`] on.
pub type DocOrder<'a> = &'a dyn Fn(u32, u32) -> std::cmp::Ordering;

/// A number for each document that agrees with the order of documents wherever two
/// numbers differ (for the graph, the first sixteen bytes of a node's id), so that
/// sorting every document at the end of a load compares numbers, and reads the order
/// only among documents whose numbers tie. A constant is a key, if a slow one.
pub type DocKey<'a> = &'a dyn Fn(u32) -> u128;

/// `docs` in the order `order`, ties by number: sorted by `key` and number, then each
/// run whose keys tie by `order`. A run's documents are read together, while they are
/// in the cache, rather than once at every level of one sort of them all.
fn in_doc_order(mut docs: Vec<u32>, order: DocOrder<'_>, key: DocKey<'_>) -> Vec<u32> {
    // In number order first, so that the keys are read in the order they are held.
    docs.sort_unstable();
    let mut keyed: Vec<(u128, u32)> = docs.iter().map(|&doc| (key(doc), doc)).collect();
    keyed.sort_unstable();
    for run in keyed.chunk_by_mut(|a, b| a.0 == b.0) {
        if run.len() > 1 {
            run.sort_unstable_by(|&(_, a), &(_, b)| order(a, b).then(a.cmp(&b)));
        }
    }
    docs.clear();
    docs.extend(keyed.into_iter().map(|(_, doc)| doc));
    docs
}

/// `ids` put in order of their ranks, those of one rank left in the order given: counted
/// out by rank, without a comparison.
fn by_rank(ids: Vec<u32>, rank: impl Fn(u32) -> u16) -> Vec<u32> {
    let mut starts = vec![0usize; usize::from(u16::MAX) + 1];
    for &id in &ids {
        starts[usize::from(rank(id))] += 1;
    }
    let mut at = 0;
    for start in &mut starts {
        at += std::mem::replace(start, at);
    }
    let mut order = vec![0u32; ids.len()];
    for id in ids {
        let slot = &mut starts[usize::from(rank(id))];
        if let Some(o) = order.get_mut(*slot) {
            *o = id;
        }
        *slot += 1;
    }
    order
}

/// The order of posting lists once a load is finished: texts by rank, then names and
/// aliases by the caller's order of their documents, then by id. Longer texts are kept
/// by id within a rank: they are added and removed with every change to a node and
/// hold the most terms, so placing them costs no look at the documents; a reader
/// reads their ties.
struct TextOrder<'a> {
    texts: &'a TextSlots,
    docs: DocOrder<'a>,
}

impl ListOrder for TextOrder<'_> {
    fn rank(&self, id: u32) -> u16 {
        self.texts.get(id).map_or(u16::MAX, TextEntry::rank)
    }

    fn cmp_in_rank(&self, a: u32, b: u32) -> std::cmp::Ordering {
        if a & TEXT_FIELD_BIT != 0 || b & TEXT_FIELD_BIT != 0 {
            // Longer texts, whose ranks hold nothing else.
            return a.cmp(&b);
        }
        let doc = |id| self.texts.get(id).map(|e| e.doc);
        match (doc(a), doc(b)) {
            (Some(x), Some(y)) if x != y => (self.docs)(x, y).then(x.cmp(&y)),
            _ => a.cmp(&b),
        }
    }
}

/// What a reader of a list in order does with its next text; see [`SearchIndex::gate`].
enum Gate {
    Read,
    /// Skips the rest of the text's rank.
    NextRank,
    /// Stops reading the list.
    Stop,
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

impl SearchIndex {
    /// An empty index whose lists are kept in search order as texts come, as after
    /// [`SearchIndex::finish`]: one that grows by changes, not by a load.
    pub fn ordered() -> Self {
        SearchIndex {
            finished: true,
            ..SearchIndex::default()
        }
    }

    /// True when the index holds no document.
    pub fn is_empty(&self) -> bool {
        self.doc_texts.is_empty()
    }

    /// True when the index holds texts of `doc`.
    pub fn has_doc(&self, doc: u32) -> bool {
        self.doc_texts.contains_key(&doc)
    }

    /// Adds one text of a document. Documents are u32 ids given by the caller, and
    /// `docs` is the caller's order of them, the one searches break ties by: every
    /// change to the index must be given the same order.
    ///
    /// The next search finds it by every stage: exact, token, prefix and
    /// fuzzy. A text that normalizes to nothing is ignored, and so is a text
    /// while the index holds 2^32 − 1 others. The work grows with the text,
    /// plus a search and a shift in each posting list it joins (a name's or an
    /// alias's place among its rank's asks `docs` about the docs it meets).
    ///
    /// A doc's texts are numbered from 0 in the order they are added, the
    /// ignored ones too, until the doc is removed: [`SearchIndex::search_ordered`]
    /// reads a hit's text back from the caller by that number.
    pub fn add(&mut self, doc: u32, field: Field, text: &str, docs: DocOrder<'_>) {
        let (head, nth) = self.doc_texts.get(&doc).copied().unwrap_or((NO_ID, 0));
        #[cfg(test)]
        self.originals.insert((doc, nth), text.into());
        let text_id = self.index_text(doc, nth, head, field, text, docs);
        // Every text counts, the ignored ones too: `nth` is the caller's key to it.
        self.doc_texts
            .insert(doc, (text_id.unwrap_or(head), nth.saturating_add(1)));
    }

    /// Replaces a document's texts, `old`, the texts it was given in the order they
    /// were added, with `new`: a text the same at the same place (field and text) stays
    /// as it is, the others leave and the new ones come, numbered by their places in
    /// `new`. So renaming a node re-indexes its name alone, not its aliases and
    /// description. `docs` is the order given to [`SearchIndex::add`].
    pub fn replace_doc(
        &mut self,
        doc: u32,
        old: &[(Field, &str)],
        new: &[(Field, &str)],
        docs: DocOrder<'_>,
    ) {
        let Some(&(mut next, _)) = self.doc_texts.get(&doc) else {
            for &(field, text) in new {
                self.add(doc, field, text, docs);
            }
            return;
        };
        let same = |nth: usize| old.get(nth).is_some() && old.get(nth) == new.get(nth);
        let mut kept = Vec::with_capacity(new.len());
        while let Some(entry) = self.texts.get(next) {
            let (id, nth) = (next, entry.nth as usize);
            next = entry.prev;
            if same(nth) {
                kept.push(id);
            } else {
                self.remove_text(id, docs);
            }
        }
        for (nth, &(field, text)) in (0u32..).zip(new) {
            #[cfg(test)]
            self.originals.insert((doc, nth), text.into());
            if !same(nth as usize) {
                kept.extend(self.index_text(doc, nth, NO_ID, field, text, docs));
            }
        }
        #[cfg(test)]
        for nth in new.len()..old.len() {
            self.originals.remove(&(doc, nth as u32));
        }
        // The doc's texts chained again, in any order: the chain is read whole.
        let mut head = NO_ID;
        for id in kept {
            if let Some(entry) = self.texts.get_mut(id) {
                entry.prev = head;
                head = id;
            }
        }
        let count = u32::try_from(new.len()).unwrap_or(u32::MAX);
        self.doc_texts.insert(doc, (head, count));
    }

    /// Indexes one text of a document as its `nth`, chained after `prev`: its id, or
    /// none when it normalizes to nothing or the ids are used up.
    fn index_text(
        &mut self,
        doc: u32,
        nth: u32,
        head: u32,
        field: Field,
        text: &str,
        docs: DocOrder<'_>,
    ) -> Option<u32> {
        let words = tokenize(text);
        if words.is_empty() {
            return None;
        }
        let Some(text_id) = self.texts.insert_empty(field) else {
            self.lossy = true;
            return None;
        };
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
        let mut keys = Vec::new();
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
                keys = exact_hashes(&words, &runs);
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
        let entry = self.texts.get(text_id)?;
        let rank = entry.rank();
        let bulk = !self.finished;
        let order = TextOrder {
            texts: &self.texts,
            docs,
        };
        if keys.get(1).is_some_and(|&k| k == keys[0]) {
            // Its two forms share a hash: its key is not the only one there.
            self.exact_mixed.insert(keys[0]);
        }
        let (word_ids, run_ids) = entry.key_parts();
        for (key, form) in keys.into_iter().zip([word_ids, run_ids]) {
            let list = self.exact.entry(key).or_default();
            // Another key with the same hash makes the list one to check text by text;
            // a list of one key is checked once, on its first text.
            let first = list.first().and_then(|id| self.texts.get(id));
            if first.is_some_and(|e| {
                let (w, r) = e.key_parts();
                w != form && r != form
            }) {
                self.exact_mixed.insert(key);
            }
            list.insert(rank, text_id, &order, bulk);
        }
        // A name's terms may repeat; a second insert finds the id there and does nothing.
        for &id in entry.terms.iter() {
            if let Some(term) = self.terms.get_mut(id) {
                term.postings.insert(rank, text_id, &order, bulk);
            }
        }
        Some(text_id)
    }

    /// Removes every text of a document; no search finds it afterwards. Terms
    /// that no text holds any more leave the index, with their prefix and
    /// fuzzy keys, and the ids they and the texts used are reused. Removing a
    /// doc with no texts does nothing. The work grows with the doc's texts,
    /// plus a search and a shift in each posting list they leave. `docs` is the
    /// order given to [`SearchIndex::add`].
    pub fn remove_doc(&mut self, doc: u32, docs: DocOrder<'_>) {
        let Some((mut next, _count)) = self.doc_texts.remove(&doc) else {
            return;
        };
        #[cfg(test)]
        for nth in 0.._count {
            self.originals.remove(&(doc, nth));
        }
        while self.texts.get(next).is_some() {
            next = self.remove_text(next, docs);
        }
    }

    /// Takes one text out of every list, and the terms no text holds any more out of
    /// the index; gives the id of the text chained before it. The text stays in place
    /// until it has left every list: the lists find it by its rank and its doc.
    fn remove_text(&mut self, text_id: u32, docs: DocOrder<'_>) -> u32 {
        let Some(entry) = self.texts.get(text_id) else {
            return NO_ID;
        };
        let rank = entry.rank();
        let order = TextOrder {
            texts: &self.texts,
            docs,
        };
        // The exact keys first, while the terms they are made of are there.
        let (words, runs) = entry.key_parts();
        for key in [words, runs].into_iter().filter(|k| !k.is_empty()) {
            let key = self.key_hash(key);
            if let Some(list) = self.exact.get_mut(&key) {
                list.remove(rank, text_id, &order);
                if list.is_empty() {
                    self.exact.remove(&key);
                    self.exact_mixed.remove(&key);
                }
            }
        }
        let mut emptied = Vec::new();
        for &term in entry.terms.iter() {
            if let Some(t) = self.terms.get_mut(term) {
                t.postings.remove(rank, text_id, &order);
                if t.postings.is_empty() {
                    emptied.push(term);
                }
            }
        }
        let prev = entry.prev;
        self.texts.take(text_id);
        // A name may hold a term twice: it leaves once.
        emptied.sort_unstable();
        emptied.dedup();
        for term in emptied {
            self.drop_term(term);
        }
        prev
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

    /// Ends a bulk load: puts the posting lists and the exact keys' lists, which a
    /// load keeps in id order, in the order searches read them, best rank first and
    /// within a rank in the order of `docs` (the order every change is given), so
    /// that a search can stop early; and trims spare capacity. Until it is first
    /// called, lists stay in id order, where a load appends, and are read whole; the
    /// results are the same either way. Its work grows with the whole index.
    ///
    /// The short lists of the exact and fuzzy keys keep their room: reallocating
    /// millions of them saved no resident memory when measured, and the heap they
    /// left behind made later searches slower.
    /// `key` agrees with `docs` ([`DocKey`]).
    pub fn finish(&mut self, docs: DocOrder<'_>, key: DocKey<'_>) {
        // Each text's rank and its position in the order of every list, by text id, so
        // that sorting a list reads one array and compares one number.
        let mut keys = [&self.texts.named, &self.texts.described]
            .map(|s| vec![(u16::MAX, u32::MAX); s.items.len()]);
        let slot = |id: u32| {
            let space = usize::from(id & TEXT_FIELD_BIT != 0);
            (space, (id & !TEXT_FIELD_BIT) as usize)
        };
        // That order, but for ranks: names and aliases by their doc's place in `docs` and
        // by id, then longer texts by id, as [`TextOrder`] keeps them. Each doc's place
        // by its number (docs are numbered densely: the graph's node indexes), so that
        // the texts are read in the order they are held, each rank set on the way.
        let places = in_doc_order(self.doc_texts.keys().copied().collect(), docs, key);
        let bound = places.iter().max().map_or(0, |&doc| doc as usize + 1);
        let mut place_of = vec![u32::MAX; bound];
        for (place, &doc) in (0u32..).zip(&places) {
            place_of[doc as usize] = place;
        }
        let mut named: Vec<u64> = Vec::with_capacity(keys[0].len());
        for ((id, entry), k) in (0u32..).zip(&self.texts.named.items).zip(&mut keys[0]) {
            if let Some(entry) = entry {
                k.0 = entry.rank();
                let place = place_of
                    .get(entry.doc as usize)
                    .copied()
                    .unwrap_or(u32::MAX);
                named.push((u64::from(place) << 32) | u64::from(id));
            }
        }
        named.sort_unstable();
        let mut in_order: Vec<u32> = Vec::with_capacity(keys[0].len() + keys[1].len());
        in_order.extend(named.into_iter().map(|placed| placed as u32));
        for ((at, entry), k) in (0u32..).zip(&self.texts.described.items).zip(&mut keys[1]) {
            if let Some(entry) = entry {
                k.0 = entry.rank();
                in_order.push(at | TEXT_FIELD_BIT);
            }
        }
        let rank = |id: u32| {
            let (space, at) = slot(id);
            keys[space].get(at).map_or(u16::MAX, |k| k.0)
        };
        for (position, id) in (0u32..).zip(by_rank(in_order, rank)) {
            let (space, at) = slot(id);
            if let Some(k) = keys[space].get_mut(at) {
                k.1 = position;
            }
        }
        let key = |id: u32| {
            let (space, at) = slot(id);
            keys[space].get(at).copied().unwrap_or((u16::MAX, u32::MAX))
        };
        for entry in self.terms.items.iter_mut().flatten() {
            entry.postings.put_in_order(key);
            entry.postings.shrink_to_fit();
        }
        for list in self.exact.values_mut() {
            list.put_in_order(key);
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
                let lists: usize = s.items.iter().flatten().map(|e| e.terms.heap_bytes()).sum();
                slots(s) + lists
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
            + table::<(u64, Postings)>(self.exact.capacity())
            + table::<u64>(self.exact_mixed.capacity())
            + self.exact.values().map(Postings::heap_bytes).sum::<usize>()
            + table::<(u64, FuzzyBucket)>(self.fuzzy.capacity())
            + slots(&self.fuzzy_lists)
            + self.vocabulary.heap_bytes()
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
        if !col.full() {
            for tokens in &variants {
                self.word_stage(tokens, &mut col);
            }
        }
        col.into_hits(self, text_of)
    }

    /// The id of a term, added if new; `None` when the ids are used up.
    fn intern(&mut self, term: &str) -> Option<u32> {
        if let Some(&id) = self.term_ids.get(term) {
            return Some(id);
        }
        let Some(id) = self.terms.insert_empty() else {
            self.lossy = true;
            return None;
        };
        if !self.vocabulary.push(term, id) {
            self.lossy = true;
        }
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

    /// Takes a term that no text holds any more out of the index.
    fn drop_term(&mut self, term: u32) {
        if self.terms.get(term).is_some_and(|e| !e.postings.is_empty()) {
            return;
        }
        let Some(entry) = self.terms.take(term) else {
            return;
        };
        self.term_ids.remove(&entry.term);
        self.sorted_terms.remove(&entry.term);
        self.vocabulary.forget_one();
        if self.vocabulary.wants_rebuild() {
            let live = (0u32..).zip(&self.terms.items);
            self.vocabulary =
                Vocabulary::rebuilt(live.filter_map(|(id, e)| e.as_ref().map(|e| (&*e.term, id))));
        }
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

    /// The documents with a text that may hold `needle` as `str::contains` finds it in
    /// lowercase text: every one that does, and perhaps some that do not, in no order
    /// and with repeats; among names alone with `names_only`. None where the index cannot
    /// narrow them: a needle with no piece to look for ([`pieces`]), or one whose rarest
    /// piece more than `cap` texts hold. The work is a pass over the vocabulary for each
    /// piece, a look at each term holding it (until they hold more than `cap` texts), and
    /// a look at each text holding the rarest.
    pub fn containing(&self, needle: &str, names_only: bool, cap: usize) -> Option<Vec<u32>> {
        let (terms, texts) = self.rarest_piece(needle, names_only, cap)?;
        let mut docs = Vec::with_capacity(texts);
        for entry in terms.iter().filter_map(|&t| self.terms.get(t)) {
            for &id in entry.postings.iter() {
                // Aliases share the names' ids; longer texts have ids of their own.
                if names_only && id & TEXT_FIELD_BIT != 0 {
                    continue;
                }
                if let Some(text) = self.texts.get(id)
                    && (!names_only || text.field == Field::Name)
                {
                    docs.push(text.doc);
                }
            }
        }
        Some(docs)
    }

    /// How many texts (names and aliases with `names_only`) hold the rarest piece of
    /// `needle`, where at most `cap` do: at most that many documents
    /// [`SearchIndex::containing`] gives.
    pub fn containing_estimate(&self, needle: &str, names_only: bool, cap: usize) -> Option<usize> {
        self.rarest_piece(needle, names_only, cap)
            .map(|(_, texts)| texts)
    }

    /// The terms holding the piece of `needle` that the fewest texts hold (names and
    /// aliases alone with `names_only`), at most `cap`, and how many texts that is. A
    /// piece is given up as soon as its terms hold more.
    fn rarest_piece(
        &self,
        needle: &str,
        names_only: bool,
        cap: usize,
    ) -> Option<(Vec<u32>, usize)> {
        let held = |postings: &Postings| match names_only {
            true => named_len(postings),
            false => postings.len(),
        };
        if self.lossy {
            return None;
        }
        let mut best: Option<(Vec<u32>, usize)> = None;
        for piece in pieces(needle)? {
            let cap = best
                .as_ref()
                .map_or(cap, |(_, texts)| texts.saturating_sub(1));
            let mut terms = Vec::new();
            let mut texts = 0usize;
            let holding = self.vocabulary.holding(&piece.text);
            for (id, term) in holding.filter(|&(_, term)| piece.admits(term)) {
                // A stale term: taken out, its id perhaps given to another since.
                let Some(entry) = self.terms.get(id).filter(|e| &*e.term == term) else {
                    continue;
                };
                texts = texts.saturating_add(held(&entry.postings));
                if texts > cap {
                    break;
                }
                terms.push(id);
            }
            if texts <= cap {
                // A term taken out and added again under its old id is there twice.
                terms.sort_unstable();
                terms.dedup();
                let texts = (terms.iter())
                    .filter_map(|&t| self.terms.get(t))
                    .map(|e| held(&e.postings))
                    .sum();
                best = Some((terms, texts));
            }
        }
        best
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
        let Some(list) = self.exact.get(&key) else {
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
        let mut runs = list.runs();
        'runs: while let Some((rank, ids)) = runs.next() {
            for &text_id in ids {
                let Some(entry) = self.texts.get(text_id) else {
                    continue;
                };
                self.count_read();
                let kind = match entry.field {
                    Field::Name => MatchKind::ExactName,
                    Field::Alias => MatchKind::ExactAlias,
                    Field::Text => continue,
                };
                // The list is in order of rank, which orders these scores.
                let score = score(kind, entry.field, 0, extra_chars(entry, query_len));
                match self.gate(col, score, entry) {
                    Gate::Read => {}
                    Gate::NextRank => match rank {
                        Some(rank) => {
                            runs.leave_rank(rank);
                            continue 'runs;
                        }
                        // A short list's ranks are read text by text.
                        None => continue,
                    },
                    Gate::Stop => return,
                }
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
                col.offer(
                    entry.doc,
                    Cand {
                        score,
                        text: text_id,
                        kind,
                        term: None,
                    },
                    || None,
                );
            }
        }
    }

    /// Texts holding every query word whole, as a prefix of one of their words or
    /// within the allowed typos of one: the token, prefix and fuzzy bands in one read of
    /// the lists of the word whose candidate terms have the fewest postings, each text
    /// checked once against every word's terms of every band. The answer is the one
    /// the bands would give read one after another, each driven by its own cheapest
    /// word, down to the term each hit's snippet is cut around.
    fn word_stage(&self, tokens: &[String], col: &mut Collector<'_>) {
        let mut cands = Vec::with_capacity(tokens.len());
        // A repeated query word asks nothing more: each word is checked once.
        let mut seen = FastSet::default();
        for tok in tokens.iter().filter(|t| seen.insert(t.as_str())) {
            let c = self.candidates(tok, Stage::Fuzzy);
            if c.terms.is_empty() {
                return;
            }
            cands.push(c);
        }
        // The word each band, read on its own, is driven by: the first of the cheapest.
        let cheapest = |stage: Stage| (0..cands.len()).min_by_key(|&i| cands[i].cost(stage));
        let Some(driver) = cheapest(Stage::Fuzzy) else {
            return;
        };
        let band_drivers = [Stage::Token, Stage::Prefix, Stage::Fuzzy].map(cheapest);
        let query_len = tokens.iter().map(|t| t.chars().count()).sum::<usize>()
            + tokens.len().saturating_sub(1);
        // The other words, rarest first: a text that lacks one is left at the first
        // look, most often.
        let mut others: Vec<usize> = (0..cands.len()).filter(|&j| j != driver).collect();
        others.sort_by_key(|&j| cands[j].cost(Stage::Fuzzy));
        // The best the other words can do: each word's terms come best first.
        let best_terms = others.iter().filter_map(|&j| cands[j].terms.first());
        let (others_stage, others_edits) = best_terms
            .fold((Stage::Token, 0u32), |(st, ed), &(_, q)| {
                (st.max(stage_of(q)), ed.saturating_add(fuzzy_edits(q)))
            });
        let total = cands[driver].cost(Stage::Fuzzy);
        let mut passed = 0usize;
        let mut read = 0usize;
        let mut filter: Option<Filter<'_>> = None;
        // Term by term, best quality first: a text holding two of the driver's terms is
        // offered twice, and the collector keeps its better match.
        for &(term, first) in &cands[driver].terms {
            let Some(postings) = self.terms.get(term).map(|e| &e.postings) else {
                continue;
            };
            // The most a text of a rank can score through this term: the other query
            // words can only lower the kind and add edits, each at least as much as its
            // best term does.
            let first_kind = kind_of(stage_of(first).max(others_stage));
            let first_edits = fuzzy_edits(first).saturating_add(others_edits);
            let best_of = |rank: u16| {
                let (field, least_len) = rank_floor(rank);
                score(first_kind, field, first_edits, extra(least_len, query_len))
            };
            if self.in_order() && col.worst_score().is_some_and(|w| w > best_of(0)) {
                // No text can enter through this term, nor through the later ones,
                // which are no better.
                break;
            }
            // The best a longer text can score through this term.
            let text_best = score(first_kind, Field::Text, first_edits, 0);
            let mut runs = postings.runs();
            'runs: while let Some((rank, ids)) = runs.next() {
                if let Some(rank) = rank
                    && self.in_order()
                    && col.worst_score().is_some_and(|w| w > best_of(rank))
                {
                    // The runs left rank no higher: none of their texts can enter.
                    break;
                }
                if let Some(f) = filter.as_mut() {
                    f.reach(rank);
                }
                'texts: for &text_id in ids {
                    if !self.in_order()
                        && text_id & TEXT_FIELD_BIT != 0
                        && col.worst_score().is_some_and(|w| w > text_best)
                    {
                        // In id order, only longer texts are left, and none can enter.
                        break 'runs;
                    }
                    passed += 1;
                    if filter.as_ref().is_some_and(|f| !f.admits(text_id)) {
                        continue;
                    }
                    let Some(entry) = self.texts.get(text_id) else {
                        continue;
                    };
                    self.count_read();
                    read += 1;
                    if read == FILTER_AFTER_READS && filter.is_none() {
                        filter = self.filter(&cands, &others, total.saturating_sub(passed));
                        if let Some(f) = filter.as_mut() {
                            f.reach(rank);
                        }
                    }
                    let best = best_of(rank.unwrap_or_else(|| entry.rank()));
                    match self.gate(col, best, entry) {
                        Gate::Read => {}
                        Gate::NextRank => match rank {
                            Some(rank) => {
                                runs.leave_rank(rank);
                                continue 'runs;
                            }
                            // A short list's ranks are read text by text.
                            None => continue,
                        },
                        Gate::Stop => break 'runs,
                    }
                    let mut worst = stage_of(first);
                    let mut edits = fuzzy_edits(first);
                    for c in others.iter().map(|&j| &cands[j]) {
                        let Some(q) = Self::best_in_text(c, entry) else {
                            continue 'texts;
                        };
                        worst = worst.max(stage_of(q));
                        edits = edits.saturating_add(fuzzy_edits(q));
                    }
                    let kind = kind_of(worst);
                    let score = score(kind, entry.field, edits, extra_chars(entry, query_len));
                    // The term of the word that drives the text's band, read alone.
                    let band = match worst {
                        Stage::Token => 0,
                        Stage::Prefix => 1,
                        Stage::Fuzzy => 2,
                    };
                    let snippet_term = || {
                        let c = &cands[band_drivers[band].unwrap_or(driver)];
                        Self::first_held(c, entry)
                    };
                    col.offer(
                        entry.doc,
                        Cand {
                            score,
                            text: text_id,
                            kind,
                            term: None,
                        },
                        snippet_term,
                    );
                }
            }
        }
    }

    /// The maps of the other query words, rarest first, whose postings cost less to
    /// mark than the `left` postings of the driving word would cost to look at; none
    /// when no word is worth it, or when a test asks for the plain read.
    fn filter<'a>(
        &'a self,
        cands: &'a [TokenCands],
        others: &[usize],
        left: usize,
    ) -> Option<Filter<'a>> {
        if self.plain() {
            return None;
        }
        let mut budget = left.saturating_mul(FILTER_POSTINGS_PER_TEXT);
        let mut words = Vec::new();
        for c in others.iter().map(|&j| &cands[j]).take(FILTER_WORDS) {
            let cost = c.cost(Stage::Fuzzy);
            if cost > budget {
                break;
            }
            budget -= cost;
            words.push(c);
        }
        (!words.is_empty()).then(|| Filter::new(self, words))
    }

    /// Counts a text read, for the tests that bound a search's work.
    fn count_read(&self) {
        #[cfg(test)]
        self.reads
            .0
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    }

    /// True when the lists are in the order searches read them (see
    /// [`SearchIndex::finish`]) and a search may stop early: never in the tests' full
    /// reads.
    fn in_order(&self) -> bool {
        self.finished && !self.exhaustive()
    }

    /// What a reader of a list in order does with its next text, `entry`, which can
    /// score at most `best`: read it, unless nothing after it in its list can change the
    /// best documents found so far. Once `limit` documents are kept, a text below the
    /// worst kept cannot enter, nor improve a document kept; and neither can a name or an
    /// alias that can at most tie with it and whose doc comes after it, nor, within the
    /// same rank, any text after that one (their docs come later still). A longer text's
    /// rank is in id order: its ties are read.
    fn gate(&self, col: &Collector<'_>, best: u32, entry: &TextEntry) -> Gate {
        if !self.in_order() {
            return Gate::Read;
        }
        match col.worst() {
            Some((_, worst)) if worst > best => Gate::Stop,
            Some((worst_doc, worst))
                if worst == best
                    && entry.field != Field::Text
                    && col.comes_after(entry.doc, worst_doc) =>
            {
                Gate::NextRank
            }
            _ => Gate::Read,
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

    /// True when searches look at every text of the driving word, for the tests that
    /// compare the filtered read with the plain one.
    fn plain(&self) -> bool {
        #[cfg(test)]
        return self.plain;
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
            FastMap::default()
        };
        let mut costs = [0; 3];
        for &(id, q) in &terms {
            let from = match stage_of(q) {
                Stage::Token => 0,
                Stage::Prefix => 1,
                Stage::Fuzzy => 2,
            };
            for cost in &mut costs[from..] {
                *cost += self.posting_len(id);
            }
        }
        TokenCands {
            terms,
            lookup,
            costs,
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
        let mut seen_hashes = FastSet::default();
        let mut seen_terms: FastSet<u32> = terms.iter().map(|&(id, _)| id).collect();
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
    /// its candidate terms: looked for in the text's own terms, read once, rather
    /// than in each term's posting list.
    fn best_in_text(c: &TokenCands, entry: &TextEntry) -> Option<Quality> {
        if c.lookup.is_empty() {
            c.terms
                .iter()
                .find(|&&(term, _)| entry.holds(term))
                .map(|&(_, q)| q)
        } else {
            entry
                .terms
                .iter()
                .filter_map(|t| c.lookup.get(t).copied())
                .min()
        }
    }

    /// The first of a query word's candidate terms, best first, that a text holds.
    fn first_held(c: &TokenCands, entry: &TextEntry) -> Option<u32> {
        if c.lookup.is_empty() {
            c.terms
                .iter()
                .find(|&&(term, _)| entry.holds(term))
                .map(|&(term, _)| term)
        } else {
            entry
                .terms
                .iter()
                .filter_map(|&t| c.lookup.get(&t).map(|&q| (q, t)))
                .min()
                .map(|(_, t)| t)
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

#[cfg(test)]
mod tests;
