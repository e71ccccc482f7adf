//! A long list of node indexes kept in one order, in chunks: an insert or a removal
//! shifts the items of one chunk, not of the whole list, and a place is found by a binary
//! search over the chunks' last items, then within one chunk.

use std::ops::Range;

/// How many items a chunk of a list built whole holds. A chunk that grows to twice this
/// is split in two; one left empty goes. (Few in tests, so that their small lists are
/// kept in many chunks.)
const CHUNK: usize = if cfg!(test) { 4 } else { 512 };

/// Node indexes (as `u32`) in an order the caller keeps: the list never compares items
/// itself, it is told where they go.
#[derive(Debug, Clone, Default)]
pub(crate) struct Chunked {
    /// The items, in order; no chunk is empty.
    chunks: Vec<Vec<u32>>,
    /// For each chunk, how many items it and the chunks before it hold.
    ends: Vec<u32>,
}

impl Chunked {
    /// The list of `items`, already in order.
    pub fn from_sorted(items: &[u32]) -> Self {
        let chunks: Vec<Vec<u32>> = items.chunks(CHUNK).map(<[u32]>::to_vec).collect();
        let mut list = Chunked {
            ends: Vec::with_capacity(chunks.len()),
            chunks,
        };
        list.count_from(0);
        list
    }

    /// How many items the list holds.
    pub fn len(&self) -> usize {
        self.ends.last().map_or(0, |&e| e as usize)
    }

    /// True when the list holds nothing.
    pub fn is_empty(&self) -> bool {
        self.chunks.is_empty()
    }

    /// Where the chunk `c` starts in the list.
    fn start(&self, c: usize) -> usize {
        match c {
            0 => 0,
            _ => self.ends[c - 1] as usize,
        }
    }

    /// Recounts the ends of the chunks from `c` on.
    fn count_from(&mut self, c: usize) {
        self.ends.truncate(c);
        let mut end = self.start(c) as u32;
        for chunk in &self.chunks[c..] {
            end += chunk.len() as u32;
            self.ends.push(end);
        }
    }

    /// The chunk that holds the item at `at`, and its place there.
    fn locate(&self, at: usize) -> Option<(usize, usize)> {
        let c = self.ends.partition_point(|&e| e as usize <= at);
        (c < self.chunks.len()).then(|| (c, at - self.start(c)))
    }

    /// The item at `at`.
    pub fn get(&self, at: usize) -> Option<u32> {
        let (c, i) = self.locate(at)?;
        Some(self.chunks[c][i])
    }

    /// The place of the first item for which `pred` is false, `pred` being true for every
    /// item before some place and false from there on.
    pub fn partition_point(&self, mut pred: impl FnMut(u32) -> bool) -> usize {
        let c = self.partition_chunks(|_, last| pred(last));
        self.partition_in(c, pred)
    }

    /// How many chunks the list is kept in.
    pub fn chunk_count(&self) -> usize {
        self.chunks.len()
    }

    /// The last item of chunk `c`.
    pub fn chunk_last(&self, c: usize) -> Option<u32> {
        self.chunks.get(c)?.last().copied()
    }

    /// The chunk that holds the item at `at`, and whether that item is the chunk's last.
    pub fn chunk_of(&self, at: usize) -> Option<(usize, bool)> {
        let (c, i) = self.locate(at)?;
        Some((c, i + 1 == self.chunks[c].len()))
    }

    /// The first chunk for which `pred`, given the chunk and its last item, is false
    /// (`pred` being true for every chunk before some chunk and false from there on); the
    /// number of chunks when there is none.
    pub fn partition_chunks(&self, mut pred: impl FnMut(usize, u32) -> bool) -> usize {
        let (mut lo, mut hi) = (0, self.chunks.len());
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            match self.chunks[mid].last() {
                Some(&last) if pred(mid, last) => lo = mid + 1,
                _ => hi = mid,
            }
        }
        lo
    }

    /// The place in the list of the first item of chunk `c` for which `pred` is false; the
    /// length past the last chunk.
    pub fn partition_in(&self, c: usize, mut pred: impl FnMut(u32) -> bool) -> usize {
        match self.chunks.get(c) {
            Some(chunk) => self.start(c) + chunk.partition_point(|&x| pred(x)),
            None => self.len(),
        }
    }

    /// The place of `item` in chunk `c`, found by a look at each of its items.
    pub fn find_in(&self, c: usize, item: u32) -> Option<usize> {
        let at = self.chunks.get(c)?.iter().position(|&x| x == item)?;
        Some(self.start(c) + at)
    }

    /// The place of `item`, which lies in the first chunk whose last item is not
    /// `before` it (`before` being true for every item before some place and false from
    /// there on): a search over the chunks' last items, then a look at each item of one
    /// chunk, rather than a comparison with each item a binary search meets in it.
    pub fn find(&self, item: u32, mut before: impl FnMut(u32) -> bool) -> Option<usize> {
        let c = self.partition_chunks(|_, x| x != item && before(x));
        self.find_in(c, item)
    }

    /// Puts `item` at `at` (the length at most), moving the items from there on one on.
    pub fn insert(&mut self, at: usize, item: u32) {
        if self.chunks.is_empty() {
            self.chunks.push(vec![item]);
            self.ends.push(1);
            return;
        }
        let at = at.min(self.len());
        // The chunk that holds the item now at `at`, or the last chunk at the end.
        let c = self
            .ends
            .partition_point(|&e| (e as usize) < at)
            .min(self.chunks.len() - 1);
        let offset = at - self.start(c);
        let chunk = &mut self.chunks[c];
        chunk.insert(offset, item);
        if chunk.len() >= 2 * CHUNK {
            let tail = chunk.split_off(chunk.len() / 2);
            chunk.shrink_to_fit();
            self.chunks.insert(c + 1, tail);
            self.count_from(c);
        } else {
            for end in &mut self.ends[c..] {
                *end += 1;
            }
        }
    }

    /// Takes out the item at `at`, if there is one.
    pub fn remove(&mut self, at: usize) -> Option<u32> {
        let (c, i) = self.locate(at)?;
        let item = self.chunks[c].remove(i);
        if self.chunks[c].is_empty() {
            self.chunks.remove(c);
            self.count_from(c);
        } else {
            for end in &mut self.ends[c..] {
                *end -= 1;
            }
        }
        Some(item)
    }

    /// The items at the places `range`, in order; `.rev()` reads them backward.
    pub fn range(&self, range: Range<usize>) -> impl DoubleEndedIterator<Item = u32> + '_ {
        let end = range.end.min(self.len());
        let start = range.start.min(end);
        let first = self.ends.partition_point(|&e| e as usize <= start);
        let last = match end {
            0 => 0,
            _ => self.ends.partition_point(|&e| (e as usize) < end),
        };
        let chunks = match start < end {
            true => &self.chunks[first..=last],
            false => &self.chunks[..0],
        };
        chunks.iter().enumerate().flat_map(move |(k, chunk)| {
            let base = self.start(first + k);
            let from = start.saturating_sub(base).min(chunk.len());
            let to = (end - base).min(chunk.len());
            chunk[from..to].iter().copied()
        })
    }

    /// Every item, in order.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = u32> + '_ {
        self.chunks.iter().flatten().copied()
    }

    /// The bytes the list takes on the heap.
    pub fn heap_bytes(&self) -> usize {
        let items: usize = self.chunks.iter().map(|c| c.capacity() * 4).sum();
        items + self.chunks.capacity() * size_of::<Vec<u32>>() + self.ends.capacity() * 4
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small deterministic random source (xorshift).
    struct Dice(u64);

    impl Dice {
        fn roll(&mut self, n: usize) -> usize {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 % n as u64) as usize
        }
    }

    fn check(list: &Chunked, want: &[u32]) {
        assert_eq!(list.len(), want.len());
        assert_eq!(list.is_empty(), want.is_empty());
        assert_eq!(list.iter().collect::<Vec<_>>(), want);
        assert!(
            list.chunks
                .iter()
                .all(|c| !c.is_empty() && c.len() < 2 * CHUNK)
        );
        for (at, &x) in want.iter().enumerate() {
            assert_eq!(list.get(at), Some(x));
        }
        assert_eq!(list.get(want.len()), None);
    }

    #[test]
    fn a_list_kept_in_chunks_reads_as_the_plain_list_through_any_inserts_and_removals() {
        let mut dice = Dice(0x2545_f491_4f6c_dd1d);
        for built in [0, 1, 700, 3 * CHUNK + 5] {
            // Items equal to twice their place, so a new odd one has a place between.
            let mut want: Vec<u32> = (0..built as u32).map(|i| 2 * i).collect();
            let mut list = Chunked::from_sorted(&want);
            check(&list, &want);
            for step in 0..4000 {
                if dice.roll(3) > 0 || want.is_empty() {
                    let item = dice.roll(2 * built + 4000) as u32;
                    let at = list.partition_point(|x| x < item);
                    assert_eq!(at, want.partition_point(|&x| x < item));
                    list.insert(at, item);
                    want.insert(at, item);
                } else {
                    let at = dice.roll(want.len());
                    assert_eq!(list.remove(at), Some(want.remove(at)));
                }
                if step % 500 == 0 {
                    check(&list, &want);
                }
            }
            check(&list, &want);
            let n = want.len();
            for (a, b) in [(0, n), (0, 0), (n / 3, n / 2), (1, n), (n, n + 5), (5, 3)] {
                let got: Vec<u32> = list.range(a..b).collect();
                let plain = want.get(a.min(n)..b.min(n).max(a.min(n))).unwrap_or(&[]);
                assert_eq!(got, plain, "{a}..{b}");
                let back: Vec<u32> = list.range(a..b).rev().collect();
                assert_eq!(back, plain.iter().rev().copied().collect::<Vec<_>>());
            }
            for (at, &x) in want.iter().enumerate().step_by(7) {
                // Items are unique but for ties, so any place of an equal item will do.
                let found = list.find(x, |y| y < x);
                assert_eq!(found.map(|f| want[f]), Some(x), "{at}");
            }
            assert_eq!(list.find(u32::MAX, |_| true), None);
            assert_eq!(list.remove(n), None);
            while !want.is_empty() {
                let at = dice.roll(want.len());
                assert_eq!(list.remove(at), Some(want.remove(at)));
            }
            check(&list, &want);
        }
    }
}
