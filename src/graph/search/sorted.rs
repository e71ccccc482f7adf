//! The index's terms in order, for reading the terms a query word is a prefix of: in
//! buckets by their first two characters, each bucket a sorted tree, so that the store's
//! two copies of the index share every bucket a change did not touch.

use std::collections::BTreeMap;
use std::ops::Bound;
use std::sync::Arc;

use super::super::shared::SharedMap;

/// A term's bucket: its first two characters, `'\0'` for one it lacks.
fn bucket(term: &str) -> [char; 2] {
    let mut chars = term.chars();
    [chars.next().unwrap_or('\0'), chars.next().unwrap_or('\0')]
}

/// Term -> term id, readable in term order within a two-character prefix.
#[derive(Debug, Clone, Default)]
pub(super) struct SortedTerms {
    buckets: SharedMap<[char; 2], BTreeMap<Arc<str>, u32>>,
    len: usize,
}

impl SortedTerms {
    /// How many terms there are.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Adds a term that is not there yet.
    pub fn insert(&mut self, term: Arc<str>, id: u32) {
        let list = self
            .buckets
            .get_or_insert_with(bucket(&term), BTreeMap::new);
        if list.insert(term, id).is_none() {
            self.len += 1;
        }
    }

    /// Takes a term out.
    pub fn remove(&mut self, term: &str) {
        let key = bucket(term);
        let Some(list) = self.buckets.get_mut(&key) else {
            return;
        };
        if list.remove(term).is_some() {
            self.len -= 1;
        }
        if list.is_empty() {
            self.buckets.remove(&key);
        }
    }

    /// The terms that `prefix` (of two characters or more) is a proper prefix of, in
    /// order, with their ids.
    pub fn extending<'a>(&'a self, prefix: &'a str) -> impl Iterator<Item = (&'a Arc<str>, u32)> {
        let list = self.buckets.get(&bucket(prefix));
        list.into_iter()
            .flat_map(move |l| l.range::<str, _>((Bound::Excluded(prefix), Bound::Unbounded)))
            .take_while(move |(t, _)| t.starts_with(prefix))
            .map(|(t, &id)| (t, id))
    }

    /// How many buckets these terms share with `other`'s, of how many.
    #[cfg(test)]
    pub fn chunks_shared_with(&self, other: &SortedTerms) -> (usize, usize) {
        self.buckets.shards_shared_with(&other.buckets)
    }

    /// Makes these terms, equal to `other`, share `other`'s buckets.
    pub fn share_from(&mut self, other: &SortedTerms) {
        self.buckets.share_from(&other.buckets);
        self.len = other.len;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_terms_a_prefix_extends_come_in_order_from_its_bucket() {
        let mut terms = SortedTerms::default();
        for (i, t) in ["seoul", "se", "sea", "s", "seo", "busan", "séoul", "sez"]
            .into_iter()
            .enumerate()
        {
            terms.insert(t.into(), i as u32);
        }
        terms.remove("sea");
        terms.remove("absent");
        let got: Vec<_> = terms
            .extending("se")
            .map(|(t, id)| (t.to_string(), id))
            .collect();
        assert_eq!(
            got,
            [("seo".into(), 4), ("seoul".into(), 0), ("sez".into(), 7)]
        );
        assert_eq!(terms.extending("seo").count(), 1);
        assert_eq!(terms.extending("bu").count(), 1);
        assert_eq!(terms.len(), 7);
    }
}
