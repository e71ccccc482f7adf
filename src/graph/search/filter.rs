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

use std::cell::Cell;

use super::slots::TEXT_FIELD_BIT;
use super::{SearchIndex, Stage, TokenCands};

thread_local! {
    /// Bits kept between the searches of one thread, all clear: clearing a map of a
    /// million texts for each search would cost more than the reads it spares.
    static SCRATCH: Cell<Vec<u64>> = const { Cell::new(Vec::new()) };
}

/// For each of a few query words, one bit per text id: set when the text holds one of
/// the word's candidate terms.
pub(super) struct Filter<'a> {
    index: &'a SearchIndex,
    words: Vec<&'a TokenCands>,
    bits: Vec<u64>,
    /// The `u64`s of one word's map.
    stride: usize,
    /// Names and aliases take the first bits of a map, longer texts the ones after.
    named: usize,
}

impl<'a> Filter<'a> {
    /// The maps of `words`: one pass over each word's postings.
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
        };
        filter.mark(true);
        filter
    }

    /// Sets, or clears, the bit of each posting of each word.
    fn mark(&mut self, set: bool) {
        let (index, named, stride) = (self.index, self.named, self.stride);
        for (m, word) in self.words.iter().enumerate() {
            let Some(map) = self.bits.get_mut(m * stride..(m + 1) * stride) else {
                continue;
            };
            for &(term, _) in &word.terms {
                let Some(entry) = index.terms.get(term) else {
                    continue;
                };
                for (_, ids) in entry.postings.runs() {
                    for &id in ids {
                        let at = slot(id, named);
                        if let Some(w) = map.get_mut(at / 64) {
                            if set {
                                *w |= 1 << (at % 64);
                            } else {
                                *w = 0;
                            }
                        }
                    }
                }
            }
        }
    }

    /// False when the text lacks one of the words, so it cannot match the query.
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
    /// Clears the bits it set, and hands the maps back: walking the same postings, or,
    /// when they outnumber the maps' `u64`s, the maps whole, which costs less than a
    /// scattered write for each posting.
    fn drop(&mut self) {
        let postings: usize = self.words.iter().map(|w| w.cost(Stage::Fuzzy)).sum();
        if postings < self.stride * self.words.len() {
            self.mark(false);
        } else if let Some(maps) = self.bits.get_mut(..self.stride * self.words.len()) {
            maps.fill(0);
        }
        let bits = std::mem::take(&mut self.bits);
        // A thread that is ending keeps no scratch.
        let _ = SCRATCH.try_with(|s| s.set(bits));
    }
}
