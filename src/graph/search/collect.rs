//! The best documents found so far during one search.

use std::cmp::Reverse;

use super::{Cand, SearchHit, SearchIndex};

/// The best `limit` accepted documents seen so far, each with its best match. Holds no
/// more than `limit` entries however many texts match: a candidate that cannot enter
/// the top is dropped after one comparison with the worst kept, and once it is full,
/// [`Collector::worst_score`] tells a reader of a ranked list when to stop.
pub(super) struct Collector<'a> {
    accept: &'a dyn Fn(u32) -> bool,
    tie: &'a dyn Fn(u32, u32) -> std::cmp::Ordering,
    limit: usize,
    /// The documents kept, in no order.
    top: Vec<(u32, Cand)>,
    /// Where the worst kept document is in `top`, once it is full.
    worst: usize,
}

impl<'a> Collector<'a> {
    pub(super) fn new(
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
    pub(super) fn full(&self) -> bool {
        self.top.len() >= self.limit
    }

    /// The lowest score kept, once `limit` documents are kept.
    pub(super) fn worst_score(&self) -> Option<u32> {
        self.full()
            .then(|| self.top.get(self.worst).map(|(_, c)| c.score))
            .flatten()
    }

    /// The worst document kept and its score, once `limit` documents are kept.
    pub(super) fn worst(&self) -> Option<(u32, u32)> {
        self.full()
            .then(|| self.top.get(self.worst).map(|&(doc, ref c)| (doc, c.score)))
            .flatten()
    }

    /// True when `doc` comes after `other` in the caller's order of documents.
    pub(super) fn comes_after(&self, doc: u32, other: u32) -> bool {
        (self.tie)(doc, other).is_gt()
    }

    /// Better first: a higher score, then the caller's order of documents.
    pub(super) fn ranks_above(&self, (doc, c): (u32, &Cand), (other, o): (u32, &Cand)) -> bool {
        match c.score.cmp(&o.score) {
            std::cmp::Ordering::Equal => (self.tie)(doc, other).is_lt(),
            by_score => by_score.is_gt(),
        }
    }

    /// Keeps `cand` if its doc is accepted and it beats the doc's best so far (a higher
    /// score, or the same score from a text with a lower id) and the documents kept.
    /// `term` gives the term its snippet is cut around, asked only when it is kept.
    pub(super) fn offer(&mut self, doc: u32, mut cand: Cand, term: impl FnOnce() -> Option<u32>) {
        if self.full() {
            let (w, wc) = &self.top[self.worst];
            if *w != doc && !self.ranks_above((doc, &cand), (*w, wc)) {
                return;
            }
        }
        if let Some(at) = self.top.iter().position(|(d, _)| *d == doc) {
            let cur = &self.top[at].1;
            if (cand.score, Reverse(cand.text)) > (cur.score, Reverse(cur.text)) {
                cand.term = term();
                self.top[at].1 = cand;
                self.find_worst();
            }
            return;
        }
        if !(self.accept)(doc) {
            return;
        }
        cand.term = term();
        if self.full() {
            self.top[self.worst] = (doc, cand);
        } else {
            self.top.push((doc, cand));
        }
        self.find_worst();
    }

    pub(super) fn find_worst(&mut self) {
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
    pub(super) fn into_hits<'t>(
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
