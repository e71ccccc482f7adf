//! The texts that hold a query word, as bits over text ids: a long read passes over the
//! texts that lack one of the other words without looking at them.
//!
//! A read driven by the query's rarest word looks at every text of that word until the
//! best documents are known; when fewer than `limit` match, that is every text of the
//! word, most of which lack another query word. Setting a bit for each posting of the
//! next rarest words costs a few nanoseconds each, in order; looking at a text costs a
//! cache miss or two. So once a read proves long, the words whose postings cost less
//! than the texts they would spare are turned into bits, and a text whose bit is clear
//! in any of them is passed over: it cannot match. The answer is the same; only the
//! texts looked at change.
//!
//! Every list is in the same order of ranks, and a text has one rank, so a text of a
//! rank can only be in the other words' runs of that rank: a ranked list is marked a
//! rank at a time, as the read reaches it. A read that stops early, its best documents
//! found, leaves the other words' runs of the ranks it never reached unmarked.

use std::cell::Cell;

use super::super::postings::Runs;
use super::slots::TEXT_FIELD_BIT;
use super::{SearchIndex, TokenCands};

thread_local! {
    /// Bits kept between the searches of one thread, all clear: clearing a map of a
    /// million texts for each search would cost more than the reads it spares.
    static SCRATCH: Cell<Vec<u64>> = const { Cell::new(Vec::new()) };
}

/// For each of a few query words, one bit per text id: set when the text holds one of
/// the word's candidate terms, for the ranks marked so far.
pub(super) struct Filter<'a> {
    index: &'a SearchIndex,
    words: Vec<&'a TokenCands>,
    bits: Vec<u64>,
    /// The `u64`s of one word's map.
    stride: usize,
    /// Names and aliases take the first bits of a map, longer texts the ones after.
    named: usize,
    /// The ranked lists not marked to their end: the map of their word, the runs left
    /// and the next of them, not marked yet.
    left: Vec<Cursor<'a>>,
    /// Every run of a rank up to this one is marked.
    upto: Option<u16>,
    /// How many postings are marked.
    marked: usize,
}

/// Where the marking of one ranked list is.
struct Cursor<'a> {
    map: usize,
    runs: Runs<'a>,
    next: Option<(u16, &'a [u32])>,
}

impl<'a> Filter<'a> {
    /// The maps of `words`, with the lists kept without ranks marked whole, and the
    /// ranked ones up to none of their ranks: see [`Filter::reach`].
    pub(super) fn new(index: &'a SearchIndex, words: Vec<&'a TokenCands>) -> Self {
        let named = index.texts.named.items.len();
        let described = index.texts.described.items.len();
        let stride = (named + described).div_ceil(64);
        let mut bits = SCRATCH.try_with(Cell::take).unwrap_or_default();
        let need = stride * words.len();
        if bits.len() < need {
            bits.resize(need, 0);
        }
        let mut filter = Filter {
            index,
            words,
            bits,
            stride,
            named,
            left: Vec::new(),
            upto: None,
            marked: 0,
        };
        let (index, words) = (filter.index, filter.words.clone());
        for (m, word) in words.iter().enumerate() {
            for &(term, _) in &word.terms {
                let Some(entry) = index.terms.get(term) else {
                    continue;
                };
                let mut runs = entry.postings.runs();
                while let Some((rank, ids)) = runs.next() {
                    match rank {
                        // A short list, or one in id order: its ranks are not kept.
                        None => filter.set(m, ids),
                        Some(rank) => {
                            filter.left.push(Cursor {
                                map: m,
                                runs,
                                next: Some((rank, ids)),
                            });
                            break;
                        }
                    }
                }
            }
        }
        filter
    }

    /// Marks the runs of every rank up to `rank` (every run, for none): a text of that
    /// rank, or of a lower one, is then admitted only if it holds every word.
    pub(super) fn reach(&mut self, rank: Option<u16>) {
        let rank = rank.unwrap_or(u16::MAX);
        if self.upto.is_some_and(|upto| upto >= rank) {
            return;
        }
        let mut left = std::mem::take(&mut self.left);
        for cursor in &mut left {
            while let Some((_, ids)) = cursor.next.filter(|&(r, _)| r <= rank) {
                self.set(cursor.map, ids);
                cursor.next = None;
                for (next, ids) in cursor.runs.by_ref() {
                    match next {
                        Some(next) => {
                            cursor.next = Some((next, ids));
                            break;
                        }
                        // Never in a ranked list; marked at once, never late.
                        None => self.set(cursor.map, ids),
                    }
                }
            }
        }
        left.retain(|c| c.next.is_some());
        self.left = left;
        self.upto = Some(rank);
    }

    /// Sets the bits of `ids` in map `m`.
    fn set(&mut self, m: usize, ids: &[u32]) {
        let named = self.named;
        let Some(map) = self.bits.get_mut(m * self.stride..(m + 1) * self.stride) else {
            return;
        };
        for &id in ids {
            let at = slot(id, named);
            if let Some(w) = map.get_mut(at / 64) {
                *w |= 1 << (at % 64);
            }
        }
        self.marked += ids.len();
    }

    /// Clears every bit set: the words of each posting marked, walked again, rank by
    /// rank as far as they were marked.
    fn clear_walked(&mut self) {
        let (index, named, stride) = (self.index, self.named, self.stride);
        let upto = self.upto;
        for (m, word) in self.words.iter().enumerate() {
            let Some(map) = self.bits.get_mut(m * stride..(m + 1) * stride) else {
                continue;
            };
            for &(term, _) in &word.terms {
                let Some(entry) = index.terms.get(term) else {
                    continue;
                };
                for (rank, ids) in entry.postings.runs() {
                    if rank.is_some_and(|r| upto.is_none_or(|upto| r > upto)) {
                        break;
                    }
                    for &id in ids {
                        if let Some(w) = map.get_mut(slot(id, named) / 64) {
                            *w = 0;
                        }
                    }
                }
            }
        }
    }

    /// False when the text lacks one of the words, so it cannot match the query. Right
    /// only for a text of a rank reached ([`Filter::reach`]).
    pub(super) fn admits(&self, id: u32) -> bool {
        let at = slot(id, self.named);
        (0..self.words.len()).all(|m| {
            let bit = m * self.stride * 64 + at;
            self.bits
                .get(bit / 64)
                .is_some_and(|w| w & (1 << (bit % 64)) != 0)
        })
    }
}

/// Where a text's bit is in a map.
fn slot(id: u32, named: usize) -> usize {
    match id & TEXT_FIELD_BIT {
        0 => id as usize,
        _ => named + (id & !TEXT_FIELD_BIT) as usize,
    }
}

impl Drop for Filter<'_> {
    /// Clears the bits it set, and hands the maps back: walking the postings marked,
    /// or, when they outnumber the maps' `u64`s, the maps whole, which costs less than a
    /// scattered write for each posting.
    fn drop(&mut self) {
        let maps = self.stride * self.words.len();
        if self.marked < maps {
            self.clear_walked();
        } else if let Some(maps) = self.bits.get_mut(..maps) {
            maps.fill(0);
        }
        let bits = std::mem::take(&mut self.bits);
        // A thread that is ending keeps no scratch.
        let _ = SCRATCH.try_with(|s| s.set(bits));
    }
}
