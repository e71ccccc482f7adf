//! Lists and maps kept in chunks behind `Arc`s, so that the two copies of the graph the
//! store keeps share every chunk neither has changed: copying one costs a table of
//! pointers, and a change copies only the chunk it touches while the other copy holds it.
//! [`SharedVec::share_from`] and [`SharedMap::share_from`] make two equal lists share
//! their chunks again once the copies are back in step.

use std::borrow::Borrow;
use std::hash::{BuildHasher, Hash};
use std::sync::Arc;

use super::FastMap;

/// Items per chunk of a [`SharedVec`]. (Few in tests, so that small lists span chunks.)
const CHUNK: usize = if cfg!(test) { 4 } else { 256 };

/// A growable list whose items sit in fixed-size chunks behind `Arc`s: reading an item
/// costs what it costs in a `Vec`, plus one read from a small table of chunks.
#[derive(Debug, Clone)]
pub(crate) struct SharedVec<T> {
    chunks: Vec<Arc<[T; CHUNK]>>,
    len: usize,
}

impl<T> Default for SharedVec<T> {
    fn default() -> Self {
        SharedVec {
            chunks: Vec::new(),
            len: 0,
        }
    }
}

impl<T: Clone + Default> SharedVec<T> {
    /// How many items the list holds.
    pub fn len(&self) -> usize {
        self.len
    }

    /// The item at `i`.
    pub fn get(&self, i: usize) -> Option<&T> {
        match i < self.len {
            true => Some(&self.chunks[i / CHUNK][i % CHUNK]),
            false => None,
        }
    }

    /// The item at `i`, to change: its chunk is copied first when another list shares it.
    pub fn get_mut(&mut self, i: usize) -> Option<&mut T> {
        match i < self.len {
            true => Some(&mut Arc::make_mut(&mut self.chunks[i / CHUNK])[i % CHUNK]),
            false => None,
        }
    }

    /// Adds an item at the end.
    pub fn push(&mut self, item: T) {
        if self.len == self.chunks.len() * CHUNK {
            self.chunks
                .push(Arc::new(std::array::from_fn(|_| T::default())));
        }
        let at = self.len;
        self.len += 1;
        if let Some(slot) = self.get_mut(at) {
            *slot = item;
        }
    }

    /// Grows the list to `len` items, each new one made by `make`; never shrinks it.
    pub fn grow_with(&mut self, len: usize, mut make: impl FnMut() -> T) {
        while self.len < len {
            self.push(make());
        }
    }

    /// The items in order.
    pub fn iter(&self) -> impl Iterator<Item = &T> {
        self.chunks.iter().flat_map(|c| c.iter()).take(self.len)
    }

    /// The items in order, to change: copies every chunk another list shares.
    pub fn iter_mut(&mut self) -> impl Iterator<Item = &mut T> {
        let len = self.len;
        let chunks = self.chunks.iter_mut();
        chunks.flat_map(|c| Arc::make_mut(c).iter_mut()).take(len)
    }

    /// Releases the spare room of the table of chunks.
    pub fn shrink_to_fit(&mut self) {
        self.chunks.shrink_to_fit();
    }

    /// How many items the list has room for without a new chunk.
    pub fn capacity(&self) -> usize {
        self.chunks.len() * CHUNK
    }

    /// Makes this list, equal to `other`, share `other`'s chunks wherever they are not
    /// already the same allocation. A list that is not equal becomes a copy of `other`.
    pub fn share_from(&mut self, other: &Self) {
        self.chunks.truncate(other.chunks.len());
        for (mine, theirs) in self.chunks.iter_mut().zip(&other.chunks) {
            if !Arc::ptr_eq(mine, theirs) {
                *mine = Arc::clone(theirs);
            }
        }
        let have = self.chunks.len();
        self.chunks.extend(other.chunks[have..].iter().cloned());
        self.len = other.len;
    }

    /// How many of this list's chunks are the same allocation as `other`'s, of how many.
    #[cfg(test)]
    pub fn chunks_shared_with(&self, other: &Self) -> (usize, usize) {
        let same = self.chunks.iter().zip(&other.chunks);
        let shared = same.filter(|(a, b)| Arc::ptr_eq(a, b)).count();
        (shared, self.chunks.len())
    }
}

/// Entries per shard a [`SharedMap`] grows to before it doubles its shards.
/// (Fewer in tests, so that small maps span shards.)
const SHARD_TARGET: usize = if cfg!(test) { 32 } else { 512 };

/// Picks a key's shard. Seeded apart from the shards' own hashers, so that the keys of one
/// shard still spread over its buckets.
const SHARD_SEED: u64 = 0x5eed_0f5a_a7ed_0001;

/// A hash map in shards behind `Arc`s, picked by a hash of the key: a change copies the
/// one shard it touches while another map shares it. The shards double as the map grows,
/// so each holds about [`SHARD_TARGET`] entries.
#[derive(Debug, Clone)]
pub(crate) struct SharedMap<K, V> {
    shards: Vec<Arc<FastMap<K, V>>>,
    /// `shards.len()` is `1 << bits`.
    bits: u32,
    len: usize,
}

impl<K, V> Default for SharedMap<K, V> {
    fn default() -> Self {
        SharedMap {
            shards: vec![Arc::new(FastMap::default())],
            bits: 0,
            len: 0,
        }
    }
}

fn shard_of<Q: Hash + ?Sized>(key: &Q, bits: u32) -> usize {
    match bits {
        0 => 0,
        _ => {
            let hash = foldhash::fast::FixedState::with_seed(SHARD_SEED).hash_one(key);
            (hash >> (64 - bits)) as usize
        }
    }
}

impl<K: Hash + Eq + Clone, V: Clone> SharedMap<K, V> {
    /// How many entries the map holds.
    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.len
    }

    /// True when the map holds nothing.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    fn shard<Q: Hash + ?Sized>(&self, key: &Q) -> &FastMap<K, V> {
        &self.shards[shard_of(key, self.bits)]
    }

    fn shard_mut<Q: Hash + ?Sized>(&mut self, key: &Q) -> &mut FastMap<K, V> {
        Arc::make_mut(&mut self.shards[shard_of(key, self.bits)])
    }

    /// The value under `key`.
    pub fn get<Q>(&self, key: &Q) -> Option<&V>
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        self.shard(key).get(key)
    }

    /// True when the map holds `key`.
    pub fn contains_key<Q>(&self, key: &Q) -> bool
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        self.shard(key).contains_key(key)
    }

    /// The value under `key`, to change; its shard is copied first when shared. A key
    /// that is not there copies nothing.
    pub fn get_mut<Q>(&mut self, key: &Q) -> Option<&mut V>
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        if !self.contains_key(key) {
            return None;
        }
        self.shard_mut(key).get_mut(key)
    }

    /// Puts `value` under `key`, answering the value it replaces.
    pub fn insert(&mut self, key: K, value: V) -> Option<V> {
        let old = self.shard_mut(&key).insert(key, value);
        if old.is_none() {
            self.len += 1;
            self.grow();
        }
        old
    }

    /// The value under `key`, made by `make` when there is none.
    pub fn get_or_insert_with(&mut self, key: K, make: impl FnOnce() -> V) -> &mut V {
        if !self.contains_key(&key) {
            self.len += 1;
            self.grow();
        }
        self.shard_mut(&key).entry(key).or_insert_with(make)
    }

    /// Takes out the value under `key`.
    pub fn remove<Q>(&mut self, key: &Q) -> Option<V>
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        if !self.contains_key(key) {
            return None;
        }
        let old = self.shard_mut(key).remove(key);
        self.len -= usize::from(old.is_some());
        old
    }

    /// Every entry, in no particular order.
    pub fn iter(&self) -> impl Iterator<Item = (&K, &V)> {
        self.shards.iter().flat_map(|s| s.iter())
    }

    /// Every key, in no particular order.
    pub fn keys(&self) -> impl Iterator<Item = &K> {
        self.iter().map(|(k, _)| k)
    }

    /// Every value, in no particular order.
    pub fn values(&self) -> impl Iterator<Item = &V> {
        self.iter().map(|(_, v)| v)
    }

    /// Every value, to change: copies every shard another map shares.
    pub fn values_mut(&mut self) -> impl Iterator<Item = &mut V> {
        self.shards
            .iter_mut()
            .flat_map(|s| Arc::make_mut(s).values_mut())
    }

    /// How many entries the shards have room for.
    pub fn capacity(&self) -> usize {
        self.shards.iter().map(|s| s.capacity()).sum()
    }

    /// Releases the shards' spare room (copying those another map shares).
    pub fn shrink_to_fit(&mut self) {
        for shard in &mut self.shards {
            Arc::make_mut(shard).shrink_to_fit();
        }
    }

    /// Doubles the shards once they hold more than [`SHARD_TARGET`] entries each.
    fn grow(&mut self) {
        if self.len <= self.shards.len() * SHARD_TARGET {
            return;
        }
        let bits = self.bits + 1;
        let mut shards: Vec<FastMap<K, V>> =
            (0..1usize << bits).map(|_| FastMap::default()).collect();
        for shard in std::mem::take(&mut self.shards) {
            let entries = Arc::try_unwrap(shard).unwrap_or_else(|shared| (*shared).clone());
            for (k, v) in entries {
                shards[shard_of(&k, bits)].insert(k, v);
            }
        }
        self.shards = shards.into_iter().map(Arc::new).collect();
        self.bits = bits;
    }

    /// Makes this map, equal to `other`, share `other`'s shards wherever they are not
    /// already the same allocation. A map that is not equal becomes a copy of `other`.
    pub fn share_from(&mut self, other: &Self) {
        if self.bits != other.bits {
            *self = other.clone();
            return;
        }
        for (mine, theirs) in self.shards.iter_mut().zip(&other.shards) {
            if !Arc::ptr_eq(mine, theirs) {
                *mine = Arc::clone(theirs);
            }
        }
        self.len = other.len;
    }

    /// How many of this map's shards are the same allocation as `other`'s, of how many.
    #[cfg(test)]
    pub fn shards_shared_with(&self, other: &Self) -> (usize, usize) {
        let same = self.shards.iter().zip(&other.shards);
        let shared = same.filter(|(a, b)| Arc::ptr_eq(a, b)).count();
        (shared, self.shards.len())
    }
}

impl<K: Hash + Eq + Clone, V: Clone + PartialEq> PartialEq for SharedMap<K, V> {
    fn eq(&self, other: &Self) -> bool {
        self.len == other.len && self.iter().all(|(k, v)| other.get(k) == Some(v))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_list_reads_and_writes_like_a_vec_across_chunks() {
        let mut list: SharedVec<u32> = SharedVec::default();
        let mut plain = Vec::new();
        for i in 0..23 {
            list.push(i * 3);
            plain.push(i * 3);
        }
        list.grow_with(30, || 7);
        plain.resize(30, 7);
        if let Some(x) = list.get_mut(13) {
            *x = 99;
        }
        plain[13] = 99;
        assert_eq!(list.len(), 30);
        assert_eq!(list.iter().copied().collect::<Vec<_>>(), plain);
        assert_eq!(list.get(29), Some(&7));
        assert_eq!(list.get(30), None);
        assert_eq!(list.get_mut(30), None);
    }

    #[test]
    fn a_copy_shares_every_chunk_until_one_changes_and_shares_it_again_once_equal() {
        let mut a: SharedVec<Vec<u32>> = SharedVec::default();
        a.grow_with(20, Vec::new);
        let mut b = a.clone();
        assert_eq!(b.chunks_shared_with(&a), (5, 5));
        if let Some(x) = b.get_mut(9) {
            x.push(1);
        }
        assert_eq!(b.chunks_shared_with(&a), (4, 5));
        assert_eq!(a.get(9), Some(&Vec::new()));
        // The same change made to each copy on its own: equal, but apart until shared.
        if let Some(x) = a.get_mut(9) {
            x.push(1);
        }
        assert_eq!(b.chunks_shared_with(&a), (4, 5));
        a.push(vec![5]);
        b.share_from(&a);
        assert_eq!(b.chunks_shared_with(&a), (6, 6));
        assert!(b.iter().eq(a.iter()));
    }

    #[test]
    fn a_map_reads_and_writes_like_a_hash_map_as_its_shards_double() {
        let mut map: SharedMap<String, u32> = SharedMap::default();
        let mut plain = std::collections::HashMap::new();
        for i in 0..2000u32 {
            map.insert(format!("k{i}"), i);
            plain.insert(format!("k{i}"), i);
        }
        assert!(map.shards.len() > 16, "{} shards", map.shards.len());
        for i in (0..2000u32).step_by(3) {
            assert_eq!(
                map.remove(format!("k{i}").as_str()),
                plain.remove(&format!("k{i}"))
            );
        }
        assert_eq!(map.remove("absent"), None);
        *map.get_or_insert_with("k1".into(), || 0) += 1000;
        *plain.entry("k1".into()).or_insert(0) += 1000;
        *map.get_or_insert_with("new".into(), || 5) += 1;
        *plain.entry("new".into()).or_insert(5) += 1;
        if let Some(v) = map.get_mut("k2") {
            *v = 2;
        }
        plain.insert("k2".into(), 2);
        assert_eq!(map.len(), plain.len());
        let mut seen: Vec<_> = map.iter().map(|(k, v)| (k.clone(), *v)).collect();
        let mut want: Vec<_> = plain.into_iter().collect();
        seen.sort();
        want.sort();
        assert_eq!(seen, want);
        assert!(!map.contains_key("k0") && map.contains_key("k4"));
    }

    #[test]
    fn a_map_copy_shares_its_shards_until_one_changes_and_again_once_equal() {
        let mut a: SharedMap<u32, u32> = SharedMap::default();
        for i in 0..1000 {
            a.insert(i, i);
        }
        let shards = a.shards.len();
        let mut b = a.clone();
        assert_eq!(b.shards_shared_with(&a), (shards, shards));
        assert_eq!(b.get_mut(&1000), None);
        assert_eq!(b.shards_shared_with(&a), (shards, shards));
        b.insert(7, 70);
        a.insert(7, 70);
        assert_eq!(b.shards_shared_with(&a), (shards - 1, shards));
        assert!(a == b);
        b.share_from(&a);
        assert_eq!(b.shards_shared_with(&a), (shards, shards));
        assert_eq!(b.get(&7), Some(&70));
    }
}
