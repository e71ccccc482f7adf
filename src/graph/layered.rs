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
/// changes it. A load builds a list per node ([`Lists::Apart`]), then packs them into
/// one array ([`LayeredLists::pack`]); from then on a changed list goes to the layer even
/// in a graph held once, since a packed list cannot grow in place.
#[derive(Debug, Clone)]
pub(crate) struct LayeredLists<T> {
    base: Arc<Lists<T>>,
    /// The lists changed since the base was shared or packed, by index.
    layer: FastMap<u32, Vec<T>>,
    /// How many lists there are, once the base is shared or packed and more are added.
    len: usize,
}

/// The lists of a base.
#[derive(Debug, Clone)]
enum Lists<T> {
    /// Each list apart, to grow in place (during a load).
    Apart(Vec<Vec<T>>),
    /// Every list in one array, each after the one before: list `i` ends at `ends[i]`.
    /// No room to spare, and no header of a list's own.
    Packed { items: Vec<T>, ends: Vec<u32> },
}

impl<T> Default for LayeredLists<T> {
    fn default() -> Self {
        LayeredLists {
            base: Arc::new(Lists::Apart(Vec::new())),
            layer: FastMap::default(),
            len: 0,
        }
    }
}

impl<T> Lists<T> {
    fn len(&self) -> usize {
        match self {
            Lists::Apart(lists) => lists.len(),
            Lists::Packed { ends, .. } => ends.len(),
        }
    }

    fn get(&self, i: usize) -> &[T] {
        match self {
            Lists::Apart(lists) => lists.get(i).map_or(&[], Vec::as_slice),
            Lists::Packed { items, ends } => {
                let Some(&end) = ends.get(i) else {
                    return &[];
                };
                let start = i.checked_sub(1).map_or(0, |j| ends[j]);
                &items[start as usize..end as usize]
            }
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
        self.base.get(i)
    }

    /// The base's lists apart, to change in place: while no other copy holds them and
    /// they are not packed.
    fn apart_mut(&mut self) -> Option<&mut Vec<Vec<T>>> {
        match Arc::get_mut(&mut self.base) {
            Some(Lists::Apart(lists)) => Some(lists),
            _ => None,
        }
    }

    /// The list at `i`, to change; none past the end. In a shared or packed base, the
    /// base's list is copied into the layer first.
    pub fn get_mut(&mut self, i: usize) -> Option<&mut Vec<T>> {
        if self.apart_mut().is_some() {
            return self.apart_mut().and_then(|lists| lists.get_mut(i));
        }
        if i >= self.len() {
            return None;
        }
        let base = &self.base;
        let list = self
            .layer
            .entry(i as u32)
            .or_insert_with(|| base.get(i).to_vec());
        Some(list)
    }

    /// Empties the list at `i`, growing the lists to reach it.
    pub fn reset(&mut self, i: usize) {
        match self.apart_mut() {
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

    /// Every list, to change, while no other copy holds the base and it is not packed
    /// (during a load); none otherwise.
    pub fn own_mut(&mut self) -> Option<&mut Vec<Vec<T>>> {
        self.apart_mut()
    }

    /// Packs the base's lists into one array, at the end of a load: each list then takes
    /// its items alone, where apart it took a header of 24 bytes and the room its growth
    /// left. Does nothing unless this copy alone holds the base and its lists are still
    /// apart. The lists read the same either way: a list in the layer is read before the
    /// base's.
    pub fn pack(&mut self) {
        let Some(lists) = self.apart_mut() else {
            return;
        };
        let total: usize = lists.iter().map(Vec::len).sum();
        if u32::try_from(total).is_err() {
            return;
        }
        let mut items = Vec::with_capacity(total);
        let mut ends = Vec::with_capacity(lists.len());
        for list in lists.drain(..) {
            items.extend(list);
            // At most `total` items, which fits.
            ends.push(items.len() as u32);
        }
        self.base = Arc::new(Lists::Packed { items, ends });
    }

    /// True when `other` holds the same base.
    #[cfg(test)]
    pub fn shares_base_with(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.base, &other.base)
    }

    /// The bytes the lists take; the base counts whole, however many copies share it.
    pub fn heap_bytes(&self) -> usize {
        let list = |l: &Vec<T>| l.capacity() * size_of::<T>();
        let base = match &*self.base {
            Lists::Apart(lists) => {
                lists.iter().map(list).sum::<usize>() + lists.capacity() * size_of::<Vec<T>>()
            }
            Lists::Packed { items, ends } => list(items) + ends.capacity() * size_of::<u32>(),
        };
        base + self.layer.values().map(list).sum::<usize>()
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

    #[test]
    fn packed_lists_read_as_they_were_and_change_in_their_layer() {
        let mut a: LayeredLists<u32> = LayeredLists::default();
        for (i, items) in [vec![1, 2], vec![], vec![7], vec![3, 4, 5]]
            .into_iter()
            .enumerate()
        {
            a.reset(i);
            if let Some(l) = a.get_mut(i) {
                l.extend(items);
            }
        }
        let apart = a.heap_bytes();
        a.pack();
        assert!(matches!(*a.base, Lists::Packed { .. }), "packed");
        assert!(a.heap_bytes() < apart, "{} against {apart}", a.heap_bytes());
        let read = |l: &LayeredLists<u32>| (0..6).map(|i| l.get(i).to_vec()).collect::<Vec<_>>();
        let lists = vec![vec![1, 2], vec![], vec![7], vec![3, 4, 5], vec![], vec![]];
        assert_eq!((a.len(), read(&a)), (4, lists.clone()));
        assert!(a.own_mut().is_none(), "a packed list cannot grow in place");
        let b = a.clone();
        if let Some(l) = a.get_mut(2) {
            l.push(8);
        }
        a.reset(0);
        a.reset(5);
        if let Some(l) = a.get_mut(5) {
            l.push(6);
        }
        let changed = vec![vec![], vec![], vec![7, 8], vec![3, 4, 5], vec![], vec![6]];
        assert_eq!((a.len(), read(&a)), (6, changed));
        assert_eq!(
            (b.len(), read(&b)),
            (4, lists),
            "the other copy sees none of it"
        );
    }

    #[test]
    fn lists_another_copy_holds_are_not_packed() {
        let mut a: LayeredLists<u32> = LayeredLists::default();
        a.reset(0);
        if let Some(l) = a.get_mut(0) {
            l.push(1);
        }
        let b = a.clone();
        a.pack();
        assert!(matches!(*a.base, Lists::Apart(_)), "shared, left apart");
        drop(b);
        a.pack();
        assert!(matches!(*a.base, Lists::Packed { .. }), "held once, packed");
        assert_eq!(a.get(0), &[1][..]);
    }
}
