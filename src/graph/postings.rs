//! A posting list: the ascending ids of the texts that hold one term, kept in chunks so
//! that adding or removing an id shifts one chunk, never the whole list (a word every
//! name shares can have a million ids).

/// The most ids one chunk holds before it splits in two.
const CHUNK: usize = 1024;

/// Ascending, distinct ids in chunks of at most [`CHUNK`], none empty.
#[derive(Debug, Clone, Default)]
pub struct Postings {
    chunks: Vec<Vec<u32>>,
    len: usize,
}

impl Postings {
    /// How many ids.
    pub fn len(&self) -> usize {
        self.len
    }

    /// True when there is no id.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The ids, ascending.
    pub fn iter(&self) -> impl Iterator<Item = &u32> {
        self.chunks.iter().flatten()
    }

    /// The chunk that holds `id`, or would: the last whose first id is not above it.
    fn chunk_of(&self, id: u32) -> usize {
        self.chunks
            .partition_point(|c| c.first().is_some_and(|&first| first <= id))
            .saturating_sub(1)
    }

    /// True when `id` is in the list.
    pub fn contains(&self, id: u32) -> bool {
        self.chunks
            .get(self.chunk_of(id))
            .is_some_and(|c| c.binary_search(&id).is_ok())
    }

    /// Adds `id`, if it is not there yet.
    pub fn insert(&mut self, id: u32) {
        let at = self.chunk_of(id);
        let Some(chunk) = self.chunks.get_mut(at) else {
            self.chunks.push(vec![id]);
            self.len += 1;
            return;
        };
        let Err(pos) = chunk.binary_search(&id) else {
            return;
        };
        chunk.insert(pos, id);
        self.len += 1;
        if chunk.len() > CHUNK {
            let upper = chunk.split_off(CHUNK / 2);
            self.chunks.insert(at + 1, upper);
        }
    }

    /// Takes `id` out, if it is there; an emptied chunk goes, and a chunk shrunk to a
    /// quarter of its capacity gives memory back.
    pub fn remove(&mut self, id: u32) {
        let at = self.chunk_of(id);
        let Some(chunk) = self.chunks.get_mut(at) else {
            return;
        };
        let Ok(pos) = chunk.binary_search(&id) else {
            return;
        };
        chunk.remove(pos);
        self.len -= 1;
        if chunk.is_empty() {
            self.chunks.remove(at);
        } else if chunk.len() < chunk.capacity() / 4 {
            chunk.shrink_to(chunk.len() * 2);
        }
    }

    /// Gives back spare capacity.
    pub fn shrink_to_fit(&mut self) {
        for chunk in &mut self.chunks {
            chunk.shrink_to_fit();
        }
        self.chunks.shrink_to_fit();
    }

    /// The ids the chunks have room for.
    #[cfg(test)]
    pub fn capacity(&self) -> usize {
        self.chunks.iter().map(Vec::capacity).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stays_a_sorted_set_through_inserts_and_removes_in_any_order() {
        let mut p = Postings::default();
        let mut model = std::collections::BTreeSet::new();
        let mut x: u64 = 0x2545_f491_4f6c_dd1d;
        for step in 0..20_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let id = (x % 5_000) as u32;
            if step % 3 == 2 {
                p.remove(id);
                model.remove(&id);
            } else {
                p.insert(id);
                model.insert(id);
            }
            assert_eq!(p.len(), model.len());
        }
        assert!(p.iter().copied().eq(model.iter().copied()));
        for id in 0..5_000 {
            assert_eq!(p.contains(id), model.contains(&id), "{id}");
        }
        assert!(p.chunks.iter().all(|c| !c.is_empty() && c.len() <= CHUNK));
        assert!(p.chunks.len() > 1, "a long list is chunked");
        for id in 0..5_000 {
            p.remove(id);
        }
        assert!(p.is_empty() && p.chunks.is_empty() && p.iter().next().is_none());
    }
}
