//! The search index as the store's two copies of the graph share it: one large index
//! frozen behind an `Arc` (the base), and, once it is shared, a small index of the
//! documents each copy has added or changed since, with the base's documents that no
//! longer count. A graph held once changes its base in place; a copy changes only its
//! own layer, so the second copy of a million-entity graph costs what its writes
//! touched, not a second index.
//!
//! A search reads the base, passing over the documents its layer has replaced, and the
//! layer, and keeps the best of both: scores depend only on the query and the text, so
//! they compare across the two. While the layer is empty, which is always the case for
//! a graph that is only read, a search reads the base alone, exactly as before.

use std::sync::Arc;

use super::{DocKey, DocOrder, FastSet, Field, SearchHit, SearchIndex};

/// A search index shared in part with the graph's other copy; see the module's notes.
#[derive(Debug, Default, Clone)]
pub struct LayeredSearch {
    /// The index as it was when the graph was first copied; changed in place only
    /// while no other copy holds it.
    base: Arc<SearchIndex>,
    /// The documents added or changed since the base was shared, with all their texts.
    layer: SearchIndex,
    /// The documents whose texts in the base no longer count: changed or removed.
    replaced: FastSet<u32>,
}

impl From<SearchIndex> for LayeredSearch {
    fn from(base: SearchIndex) -> Self {
        LayeredSearch {
            base: Arc::new(base),
            layer: SearchIndex::ordered(),
            replaced: FastSet::default(),
        }
    }
}

impl LayeredSearch {
    /// The base, when no other copy holds it, to change in place.
    fn own_base(&mut self) -> Option<&mut SearchIndex> {
        Arc::get_mut(&mut self.base)
    }

    /// True when the layer has nothing in it: a search reads the base alone.
    fn flat(&self) -> bool {
        self.replaced.is_empty() && self.layer.is_empty()
    }

    /// Adds a text of a new document: see [`SearchIndex::add`].
    pub fn add(&mut self, doc: u32, field: Field, text: &str, docs: DocOrder<'_>) {
        if let Some(base) = self.own_base() {
            return base.add(doc, field, text, docs);
        }
        self.retire(doc);
        self.layer.add(doc, field, text, docs);
    }

    /// Replaces a document's texts: see [`SearchIndex::replace_doc`]. In the layer, a
    /// document from the base comes with all its new texts.
    pub fn replace_doc(
        &mut self,
        doc: u32,
        old: &[(Field, &str)],
        new: &[(Field, &str)],
        docs: DocOrder<'_>,
    ) {
        if let Some(base) = self.own_base() {
            return base.replace_doc(doc, old, new, docs);
        }
        if self.layer.has_doc(doc) {
            return self.layer.replace_doc(doc, old, new, docs);
        }
        self.retire(doc);
        for &(field, text) in new {
            self.layer.add(doc, field, text, docs);
        }
    }

    /// Removes every text of a document: see [`SearchIndex::remove_doc`].
    pub fn remove_doc(&mut self, doc: u32, docs: DocOrder<'_>) {
        if let Some(base) = self.own_base() {
            return base.remove_doc(doc, docs);
        }
        self.layer.remove_doc(doc, docs);
        self.retire(doc);
    }

    /// Marks the base's texts of `doc`, if it has any, as no longer counting.
    fn retire(&mut self, doc: u32) {
        if self.base.has_doc(doc) {
            self.replaced.insert(doc);
        }
    }

    /// Ends a bulk load: see [`SearchIndex::finish`]. A load's index is its own.
    pub fn finish(&mut self, docs: DocOrder<'_>, key: DocKey<'_>) {
        if let Some(base) = self.own_base() {
            base.finish(docs, key);
        }
    }

    /// True when `other` holds the same base.
    #[cfg(test)]
    pub fn shares_base_with(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.base, &other.base)
    }

    /// An estimate of the bytes both parts take on the heap; the base counts whole,
    /// however many copies share it.
    pub fn heap_bytes(&self) -> usize {
        self.base.heap_bytes()
            + self.layer.heap_bytes()
            + self.replaced.capacity() * (size_of::<u32>() + 1)
    }

    /// The documents with a text that may hold `needle`: see
    /// [`SearchIndex::containing`]. With a layer, the base's but those the layer replaced,
    /// and the layer's; `cap` bounds the texts of each.
    pub fn containing(&self, needle: &str, names_only: bool, cap: usize) -> Option<Vec<u32>> {
        let mut docs = self.base.containing(needle, names_only, cap)?;
        if !self.flat() {
            docs.retain(|doc| !self.replaced.contains(doc));
            docs.extend(self.layer.containing(needle, names_only, cap)?);
        }
        Some(docs)
    }

    /// At most how many documents [`LayeredSearch::containing`] gives, where at most
    /// `cap`: see [`SearchIndex::containing_estimate`].
    pub fn containing_estimate(&self, needle: &str, names_only: bool, cap: usize) -> Option<usize> {
        let base = self.base.containing_estimate(needle, names_only, cap)?;
        if self.flat() {
            return Some(base);
        }
        let layer = self
            .layer
            .containing_estimate(needle, names_only, cap - base)?;
        Some(base + layer)
    }

    /// Ranked hits, best first: see [`SearchIndex::search_ordered`]. With a layer, the
    /// best `limit` of the base's (less the documents the layer replaced) and the
    /// layer's, in the same order.
    pub fn search_ordered<'t>(
        &self,
        query: &str,
        limit: usize,
        cut: (usize, usize),
        accept: &dyn Fn(u32) -> bool,
        tie: &dyn Fn(u32, u32) -> std::cmp::Ordering,
        text_of: &dyn Fn(u32, u32) -> Option<&'t str>,
    ) -> Vec<SearchHit> {
        if self.flat() {
            return self
                .base
                .search_ordered(query, limit, cut, accept, tie, text_of);
        }
        let current = |doc: u32| !self.replaced.contains(&doc) && accept(doc);
        let mut hits = self
            .base
            .search_ordered(query, limit, cut, &current, tie, text_of);
        hits.extend(
            self.layer
                .search_ordered(query, limit, cut, accept, tie, text_of),
        );
        hits.sort_by(|a, b| b.score.cmp(&a.score).then_with(|| tie(a.doc, b.doc)));
        hits.truncate(limit);
        hits
    }
}
