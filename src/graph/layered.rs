//! Indexes the store's two copies of the graph share: the entries as they were when the
//! graph was first copied, frozen behind an `Arc` (the base), and each copy's own
//! changes since in a small layer beside it. A graph held once changes its base in
//! place, so a graph that is only read keeps one index and a lookup in it costs one
//! branch more; a copy changes only its layer, so a second copy costs what its writes
//! touched, not a second index.

use std::borrow::Borrow;
use std::hash::Hash;
use std::sync::Arc;

use super::FastMap;

/// A map shared in part with the graph's other copy; see the module's notes.
#[derive(Debug, Clone)]
pub(crate) struct LayeredMap<K, V> {
    /// The entries as they were when the graph was first copied; changed in place only
    /// while no other copy holds them.
    base: Arc<FastMap<K, V>>,
    /// Entries changed since the base was shared: a value, or none where one was
    /// removed.
    layer: FastMap<K, Option<V>>,
}

impl<K, V> Default for LayeredMap<K, V> {
    fn default() -> Self {
        LayeredMap {
            base: Arc::default(),
            layer: FastMap::default(),
        }
    }
}

impl<K: Hash + Eq + Clone, V: Clone> LayeredMap<K, V> {
    /// The value under `key`.
    pub fn get<Q>(&self, key: &Q) -> Option<&V>
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        if !self.layer.is_empty()
            && let Some(changed) = self.layer.get(key)
        {
            return changed.as_ref();
        }
        self.base.get(key)
    }

    /// The key and the value under `key`: the key as the map holds it.
    pub fn get_key_value<Q>(&self, key: &Q) -> Option<(&K, &V)>
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        if !self.layer.is_empty()
            && let Some((k, changed)) = self.layer.get_key_value(key)
        {
            return changed.as_ref().map(|v| (k, v));
        }
        self.base.get_key_value(key)
    }

    /// True when there is a value under `key`.
    pub fn contains_key<Q>(&self, key: &Q) -> bool
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        self.get(key).is_some()
    }

    /// Puts `value` under `key`.
    pub fn insert(&mut self, key: K, value: V) {
        match Arc::get_mut(&mut self.base) {
            Some(base) => {
                base.insert(key, value);
            }
            None => {
                self.layer.insert(key, Some(value));
            }
        }
    }

    /// Takes the value under `key` out.
    pub fn remove<Q>(&mut self, key: &Q)
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ToOwned<Owned = K> + ?Sized,
    {
        if let Some(base) = Arc::get_mut(&mut self.base) {
            base.remove(key);
        } else if self.base.contains_key(key) {
            self.layer.insert(key.to_owned(), None);
        } else {
            self.layer.remove(key);
        }
    }

    /// The value under `key`, to change; in a shared map, a copy of the base's value is
    /// put in the layer first.
    pub fn get_mut<Q>(&mut self, key: &Q) -> Option<&mut V>
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ToOwned<Owned = K> + ?Sized,
    {
        if Arc::get_mut(&mut self.base).is_some() {
            return Arc::make_mut(&mut self.base).get_mut(key);
        }
        if !self.layer.contains_key(key) {
            let value = self.base.get(key)?.clone();
            self.layer.insert(key.to_owned(), Some(value));
        }
        self.layer.get_mut(key).and_then(Option::as_mut)
    }

    /// True when `other` holds the same base.
    #[cfg(test)]
    pub fn shares_base_with(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.base, &other.base)
    }
}

/// A list per node index shared in part with the graph's other copy, as
/// [`LayeredMap`] is: a node's list is copied into the layer when a shared copy first
/// changes it.
#[derive(Debug, Clone)]
pub(crate) struct LayeredLists<T> {
    base: Arc<Vec<Vec<T>>>,
    /// The lists changed since the base was shared, by index.
    layer: FastMap<u32, Vec<T>>,
    /// How many lists there are, once the base is shared and more are added.
    len: usize,
}

impl<T> Default for LayeredLists<T> {
    fn default() -> Self {
        LayeredLists {
            base: Arc::default(),
            layer: FastMap::default(),
            len: 0,
        }
    }
}

impl<T: Clone> LayeredLists<T> {
    /// How many lists there are.
    pub fn len(&self) -> usize {
        self.len.max(self.base.len())
    }

    /// The list at `i`; empty past the end.
    pub fn get(&self, i: usize) -> &[T] {
        if !self.layer.is_empty()
            && let Some(changed) = self.layer.get(&(i as u32))
        {
            return changed;
        }
        self.base.get(i).map_or(&[], Vec::as_slice)
    }

    /// The list at `i`, to change; none past the end. In a shared copy, the base's list
    /// is copied into the layer first.
    pub fn get_mut(&mut self, i: usize) -> Option<&mut Vec<T>> {
        if Arc::get_mut(&mut self.base).is_some() {
            return Arc::make_mut(&mut self.base).get_mut(i);
        }
        if i >= self.len() {
            return None;
        }
        let base = &self.base;
        let list = self
            .layer
            .entry(i as u32)
            .or_insert_with(|| base.get(i).cloned().unwrap_or_default());
        Some(list)
    }

    /// Empties the list at `i`, growing the lists to reach it.
    pub fn reset(&mut self, i: usize) {
        match Arc::get_mut(&mut self.base) {
            Some(base) => {
                if base.len() <= i {
                    base.resize_with(i + 1, Vec::new);
                }
                base[i] = Vec::new();
            }
            None => {
                self.len = self.len().max(i + 1);
                self.layer.insert(i as u32, Vec::new());
            }
        }
    }

    /// Every list, to change, while no other copy holds the base (during a load);
    /// none otherwise.
    pub fn own_mut(&mut self) -> Option<&mut Vec<Vec<T>>> {
        Arc::get_mut(&mut self.base)
    }

    /// True when `other` holds the same base.
    #[cfg(test)]
    pub fn shares_base_with(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.base, &other.base)
    }

    /// The bytes the lists take; the base counts whole, however many copies share it.
    pub fn heap_bytes(&self) -> usize {
        let list = |l: &Vec<T>| l.capacity() * size_of::<T>();
        self.base.iter().map(list).sum::<usize>()
            + self.base.capacity() * size_of::<Vec<T>>()
            + self.layer.values().map(list).sum::<usize>()
            + self.layer.capacity() * (size_of::<(u32, Vec<T>)>() + 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_shared_map_changes_only_its_own_layer() {
        let mut a: LayeredMap<String, u32> = LayeredMap::default();
        for (k, v) in [("x", 1), ("y", 2), ("z", 3)] {
            a.insert(k.into(), v);
        }
        assert!(a.layer.is_empty(), "a map held once changes its base");
        let mut b = a.clone();
        b.insert("w".into(), 4);
        b.remove("x");
        if let Some(y) = b.get_mut("y") {
            *y = 20;
        }
        b.remove("w");
        b.insert("q".into(), 5);
        assert_eq!(
            ["x", "y", "z", "w", "q"].map(|k| b.get(k).copied()),
            [None, Some(20), Some(3), None, Some(5)]
        );
        assert_eq!(
            ["x", "y", "z", "w", "q"].map(|k| a.get(k).copied()),
            [Some(1), Some(2), Some(3), None, None],
            "the other copy sees none of it"
        );
        assert!(Arc::ptr_eq(&a.base, &b.base));
        assert!(!b.contains_key("x") && b.contains_key("q"));
        // Removing what only the layer had leaves no mark behind.
        assert!(!b.layer.contains_key("w"));
    }

    #[test]
    fn shared_lists_change_only_in_their_own_layer() {
        let mut a: LayeredLists<u32> = LayeredLists::default();
        a.reset(1);
        if let Some(l) = a.get_mut(1) {
            l.extend([1, 2]);
        }
        assert!(a.layer.is_empty(), "lists held once change their base");
        let mut b = a.clone();
        if let Some(l) = b.get_mut(1) {
            l.push(3);
        }
        b.reset(3);
        if let Some(l) = b.get_mut(3) {
            l.push(9);
        }
        assert_eq!(
            (b.len(), b.get(1), b.get(3), b.get(7)),
            (4, &[1, 2, 3][..], &[9][..], &[][..])
        );
        assert_eq!((a.len(), a.get(1), a.get(3)), (2, &[1, 2][..], &[][..]));
        assert!(b.get_mut(4).is_none() && b.own_mut().is_none());
    }
}
