//! A posting list: the ids of the texts that hold one term. A short list is one vector of
//! ascending ids. A long one (a word every name shares can have a million ids) is kept
//! in order of each text's rank, a small number the caller gives with every id (lower
//! first), and by id within a rank, in chunks, so that adding or removing an id shifts
//! one chunk, never the whole list, and a reader can stop once the ranks left are too
//! low to matter. A bulk load keeps every list in id order, in chunks, where its ids are
//! appended, and ranks the long ones once at its end ([`Postings::rank_if_long`]).

/// The most ids a short list holds; one more makes it a ranked list.
const FLAT_MAX: usize = 1024;
/// A ranked list with fewer ids than this becomes a short list again. Well below
/// [`FLAT_MAX`], so that a list at the border does not switch back and forth.
const RANKED_MIN: usize = FLAT_MAX / 2;
/// The most ids one chunk of a ranked list holds before it splits in two.
const CHUNK: usize = 1024;

/// Distinct ids, each with a rank given by the caller that never changes while the id
/// is in the list.
#[derive(Debug, Clone)]
pub enum Postings {
    /// At most [`FLAT_MAX`] ids, ascending, without their ranks.
    Flat(Vec<u32>),
    /// More ids, by rank then id; or, during a bulk load, by id alone.
    Ranked(Box<Ranked>),
}

/// A long list: chunks in order of (rank, id), none empty, each of at most [`CHUNK`] ids.
#[derive(Debug, Clone, Default)]
pub struct Ranked {
    /// True while the list is in id order, as during a bulk load: every id is kept
    /// under rank 0, whatever its own.
    by_id: bool,
    chunks: Vec<Chunk>,
    /// The first (rank, id) of each chunk, side by side, so that finding a chunk reads
    /// one array.
    heads: Vec<(u16, u32)>,
    len: usize,
}

/// Consecutive ids of a ranked list, grouped in runs of one rank.
#[derive(Debug, Clone, Default)]
struct Chunk {
    /// (rank, how many ids have it), ranks ascending, no count zero.
    runs: Vec<(u16, u16)>,
    /// The ids of each run in turn, ascending within a run.
    ids: Vec<u32>,
}

impl Default for Postings {
    fn default() -> Self {
        Postings::Flat(Vec::new())
    }
}

impl Postings {
    /// How many ids.
    pub fn len(&self) -> usize {
        match self {
            Postings::Flat(ids) => ids.len(),
            Postings::Ranked(r) => r.len,
        }
    }

    /// True when there is no id.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The ids in runs: `(Some(rank), ids of that rank)` in ascending rank for a ranked
    /// list, or one `(None, all ids)` for a short one; ids ascending within a run.
    pub fn runs(&self) -> impl Iterator<Item = (Option<u16>, &[u32])> {
        let (flat, chunks, by_id) = match self {
            Postings::Flat(ids) => (Some(ids.as_slice()), &[][..], false),
            Postings::Ranked(r) => (None, r.chunks.as_slice(), r.by_id),
        };
        let ranked = chunks.iter().flat_map(move |c| {
            c.runs.iter().scan(0usize, move |at, &(rank, n)| {
                let from = *at;
                *at += usize::from(n);
                let rank = (!by_id).then_some(rank);
                Some((rank, c.ids.get(from..*at).unwrap_or_default()))
            })
        });
        flat.map(|ids| (None, ids)).into_iter().chain(ranked)
    }

    /// The ids: ascending for a short list, by rank then id for a ranked one.
    #[cfg(test)]
    pub fn iter(&self) -> impl Iterator<Item = &u32> {
        self.runs().flat_map(|(_, ids)| ids)
    }

    /// True when `id`, of rank `rank`, is in the list.
    #[cfg(test)]
    pub fn contains(&self, rank: u16, id: u32) -> bool {
        match self {
            Postings::Flat(ids) => ids.binary_search(&id).is_ok(),
            Postings::Ranked(r) => {
                let rank = r.rank(rank);
                r.chunks.get(r.chunk_of(rank, id)).is_some_and(|c| {
                    let (from, n) = c.run(rank);
                    c.ids[from..from + n].binary_search(&id).is_ok()
                })
            }
        }
    }

    /// Adds `id` of rank `rank`, if it is not there yet. `rank_of` gives the rank of the
    /// ids already in the list, read when it is ranked. With `bulk`, a short list that
    /// grows long is kept in id order until [`Postings::rank_if_long`]; without, it is
    /// ranked at once.
    pub fn insert(&mut self, rank: u16, id: u32, rank_of: impl Fn(u32) -> u16, bulk: bool) {
        match self {
            Postings::Flat(ids) => {
                let at = match ids.last() {
                    Some(&last) if last < id => ids.len(),
                    None => 0,
                    Some(_) => match ids.binary_search(&id) {
                        Ok(_) => return,
                        Err(at) => at,
                    },
                };
                if ids.len() < FLAT_MAX {
                    ids.insert(at, id);
                    return;
                }
                let mut all: Vec<(u16, u32)> = if bulk {
                    ids.iter().map(|&i| (0, i)).collect()
                } else {
                    ids.iter().map(|&i| (rank_of(i), i)).collect()
                };
                all.push((if bulk { 0 } else { rank }, id));
                *self = Postings::Ranked(Box::new(Ranked::from_sorted(all, bulk)));
            }
            Postings::Ranked(r) => {
                if r.by_id && !bulk {
                    self.rank_if_long(&rank_of);
                    return self.insert(rank, id, rank_of, bulk);
                }
                r.insert(r.rank(rank), id);
            }
        }
    }

    /// Ranks a long list that a bulk load kept in id order; `rank_of` gives the rank of
    /// its ids. A short list, or one ranked already, stays as it is.
    pub fn rank_if_long(&mut self, rank_of: impl Fn(u32) -> u16) {
        let all = match self {
            Postings::Ranked(r) if r.by_id => r
                .chunks
                .iter()
                .flat_map(|c| &c.ids)
                .map(|&i| (rank_of(i), i))
                .collect(),
            Postings::Flat(_) | Postings::Ranked(_) => return,
        };
        *self = Postings::Ranked(Box::new(Ranked::from_sorted(all, false)));
    }

    /// Takes `id`, of rank `rank`, out, if it is there. A list shrunk to a quarter of its
    /// room gives memory back; a ranked list shrunk well below [`FLAT_MAX`] becomes short.
    pub fn remove(&mut self, rank: u16, id: u32) {
        match self {
            Postings::Flat(ids) => {
                if let Ok(at) = ids.binary_search(&id) {
                    ids.remove(at);
                    if ids.len() < ids.capacity() / 4 {
                        ids.shrink_to(ids.len() * 2);
                    }
                }
            }
            Postings::Ranked(r) => {
                r.remove(r.rank(rank), id);
                if r.len < RANKED_MIN {
                    let mut ids: Vec<u32> = r.chunks.iter().flat_map(|c| &c.ids).copied().collect();
                    ids.sort_unstable();
                    *self = Postings::Flat(ids);
                }
            }
        }
    }

    /// Gives back spare capacity.
    pub fn shrink_to_fit(&mut self) {
        match self {
            Postings::Flat(ids) => ids.shrink_to_fit(),
            Postings::Ranked(r) => {
                for c in &mut r.chunks {
                    c.ids.shrink_to_fit();
                    c.runs.shrink_to_fit();
                }
                r.chunks.shrink_to_fit();
                r.heads.shrink_to_fit();
            }
        }
    }

    /// The bytes the list takes on the heap, beside its own size.
    pub fn heap_bytes(&self) -> usize {
        match self {
            Postings::Flat(ids) => ids.capacity() * size_of::<u32>(),
            Postings::Ranked(r) => {
                size_of::<Ranked>()
                    + r.chunks.capacity() * size_of::<Chunk>()
                    + r.heads.capacity() * size_of::<(u16, u32)>()
                    + r.chunks
                        .iter()
                        .map(|c| {
                            c.ids.capacity() * size_of::<u32>()
                                + c.runs.capacity() * size_of::<(u16, u16)>()
                        })
                        .sum::<usize>()
            }
        }
    }

    /// The ids the list has room for.
    #[cfg(test)]
    pub fn capacity(&self) -> usize {
        match self {
            Postings::Flat(ids) => ids.capacity(),
            Postings::Ranked(r) => r.chunks.iter().map(|c| c.ids.capacity()).sum(),
        }
    }
}

impl Ranked {
    /// The list of `all`, without duplicates, sorted here by (rank, id); `by_id` when
    /// every rank in it is 0 and stands for none.
    fn from_sorted(mut all: Vec<(u16, u32)>, by_id: bool) -> Self {
        all.sort_unstable();
        let mut chunks = Vec::with_capacity(all.len().div_ceil(CHUNK / 2));
        for part in all.chunks(CHUNK / 2) {
            let mut c = Chunk::default();
            for &(rank, id) in part {
                c.push(rank, id);
            }
            chunks.push(c);
        }
        Ranked {
            by_id,
            heads: chunks.iter().map(Chunk::first).collect(),
            chunks,
            len: all.len(),
        }
    }

    /// The rank an id of rank `rank` is kept under.
    fn rank(&self, rank: u16) -> u16 {
        if self.by_id { 0 } else { rank }
    }

    /// The chunk that holds (rank, id), or would: the last whose first is not above it.
    fn chunk_of(&self, rank: u16, id: u32) -> usize {
        self.heads
            .partition_point(|&head| head <= (rank, id))
            .saturating_sub(1)
    }

    fn insert(&mut self, rank: u16, id: u32) {
        let at = self.chunk_of(rank, id);
        let Some(chunk) = self.chunks.get_mut(at) else {
            return;
        };
        if !chunk.insert(rank, id) {
            return;
        }
        self.len += 1;
        self.heads[at] = chunk.first();
        if chunk.ids.len() > CHUNK {
            let upper = chunk.split_off(CHUNK / 2);
            self.heads.insert(at + 1, upper.first());
            self.chunks.insert(at + 1, upper);
        }
    }

    fn remove(&mut self, rank: u16, id: u32) {
        let at = self.chunk_of(rank, id);
        let Some(chunk) = self.chunks.get_mut(at) else {
            return;
        };
        if !chunk.remove(rank, id) {
            return;
        }
        self.len -= 1;
        if chunk.ids.is_empty() {
            self.chunks.remove(at);
            self.heads.remove(at);
            return;
        }
        self.heads[at] = chunk.first();
        if chunk.ids.len() < chunk.ids.capacity() / 4 {
            chunk.ids.shrink_to(chunk.ids.len() * 2);
        }
    }
}

impl Chunk {
    /// Its first (rank, id); every chunk of a list has one.
    fn first(&self) -> (u16, u32) {
        (
            self.runs.first().map_or(0, |r| r.0),
            self.ids.first().copied().unwrap_or(0),
        )
    }

    /// Where the run of `rank` starts in `ids`, and its length (0 when there is none,
    /// at the place it would take).
    fn run(&self, rank: u16) -> (usize, usize) {
        let mut from = 0;
        for &(r, n) in &self.runs {
            if r >= rank {
                return (from, if r == rank { usize::from(n) } else { 0 });
            }
            from += usize::from(n);
        }
        (from, 0)
    }

    /// Appends (rank, id), which must come after every id in the chunk.
    fn push(&mut self, rank: u16, id: u32) {
        match self.runs.last_mut() {
            Some((r, n)) if *r == rank => *n += 1,
            _ => self.runs.push((rank, 1)),
        }
        self.ids.push(id);
    }

    /// Adds (rank, id); false when it was there.
    fn insert(&mut self, rank: u16, id: u32) -> bool {
        let (from, n) = self.run(rank);
        let Err(pos) = self.ids[from..from + n].binary_search(&id) else {
            return false;
        };
        let run = self.runs.partition_point(|&(r, _)| r < rank);
        match self.runs.get_mut(run) {
            Some((r, n)) if *r == rank => *n += 1,
            _ => self.runs.insert(run, (rank, 1)),
        }
        self.ids.insert(from + pos, id);
        true
    }

    /// Takes (rank, id) out; false when it was not there.
    fn remove(&mut self, rank: u16, id: u32) -> bool {
        let (from, n) = self.run(rank);
        let Ok(pos) = self.ids[from..from + n].binary_search(&id) else {
            return false;
        };
        self.ids.remove(from + pos);
        let run = self.runs.partition_point(|&(r, _)| r < rank);
        if let Some((_, n)) = self.runs.get_mut(run) {
            *n -= 1;
            if *n == 0 {
                self.runs.remove(run);
            }
        }
        true
    }

    /// Splits off the ids from position `at` on into a chunk of their own.
    fn split_off(&mut self, at: usize) -> Chunk {
        let ids = self.ids.split_off(at);
        let mut from = 0;
        for i in 0..self.runs.len() {
            let (rank, n) = self.runs[i];
            let n = usize::from(n);
            if from + n > at {
                // This run straddles the cut or starts at it: its ids past the cut go.
                let before = at - from;
                let count = |k: usize| u16::try_from(k).unwrap_or(u16::MAX);
                let mut runs = vec![(rank, count(n - before))];
                runs.extend(self.runs.drain(i + 1..));
                if before == 0 {
                    self.runs.truncate(i);
                } else {
                    self.runs[i].1 = count(before);
                }
                return Chunk { runs, ids };
            }
            from += n;
        }
        Chunk {
            runs: Vec::new(),
            ids,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    fn rank_of(id: u32) -> u16 {
        (id.wrapping_mul(2_654_435_761) >> 27) as u16 % 23
    }

    /// Every invariant of the list, against a model of (rank, id) pairs.
    fn check(p: &Postings, model: &BTreeSet<(u16, u32)>) {
        assert_eq!(p.len(), model.len());
        match p {
            Postings::Flat(ids) => {
                let mut want: Vec<u32> = model.iter().map(|&(_, id)| id).collect();
                want.sort_unstable();
                assert_eq!(ids, &want);
            }
            Postings::Ranked(r) => {
                assert!(r.len >= RANKED_MIN);
                let heads: Vec<(u16, u32)> = r.chunks.iter().map(Chunk::first).collect();
                assert_eq!(r.heads, heads);
                for c in &r.chunks {
                    assert!(!c.ids.is_empty() && c.ids.len() <= CHUNK);
                    assert!(c.runs.iter().all(|&(_, n)| n > 0));
                    assert!(c.runs.windows(2).all(|w| w[0].0 < w[1].0));
                    let total: usize = c.runs.iter().map(|&(_, n)| usize::from(n)).sum();
                    assert_eq!(total, c.ids.len());
                }
                let mut got: Vec<(u16, u32)> = p
                    .runs()
                    .flat_map(|(rank, ids)| ids.iter().map(move |&id| (rank, id)))
                    .map(|(rank, id)| (rank.unwrap_or_else(|| rank_of(id)), id))
                    .collect();
                if r.by_id {
                    assert!(got.windows(2).all(|w| w[0].1 < w[1].1));
                    got.sort_unstable();
                }
                assert!(got.iter().copied().eq(model.iter().copied()));
            }
        }
    }

    #[test]
    fn stays_a_sorted_set_through_inserts_and_removes_in_any_order() {
        let mut p = Postings::default();
        let mut model = BTreeSet::new();
        let mut x: u64 = 0x2545_f491_4f6c_dd1d;
        let mut was_ranked = false;
        for step in 0..60_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let id = (x % 5_000) as u32;
            // Mostly growth at first, then mostly shrinking, so the list crosses the
            // border between short and ranked both ways.
            let removing = if step < 30_000 {
                step % 3 == 2
            } else {
                step % 5 != 0
            };
            if removing {
                p.remove(rank_of(id), id);
                model.remove(&(rank_of(id), id));
            } else {
                p.insert(rank_of(id), id, rank_of, false);
                model.insert((rank_of(id), id));
            }
            was_ranked |= matches!(p, Postings::Ranked(_));
            if step % 997 == 0 {
                check(&p, &model);
            }
        }
        check(&p, &model);
        assert!(was_ranked, "a long list was ranked");
        for id in 0..5_000 {
            assert_eq!(
                p.contains(rank_of(id), id),
                model.contains(&(rank_of(id), id)),
                "{id}"
            );
        }
        for id in 0..5_000 {
            p.remove(rank_of(id), id);
        }
        assert!(p.is_empty() && p.iter().next().is_none());
    }

    #[test]
    fn a_long_list_is_read_by_rank_in_chunks() {
        let mut p = Postings::default();
        let mut model = BTreeSet::new();
        for id in (0..20_000u32).rev() {
            p.insert(rank_of(id), id, rank_of, false);
            model.insert((rank_of(id), id));
        }
        check(&p, &model);
        let Postings::Ranked(r) = &p else {
            panic!("not ranked");
        };
        assert!(r.chunks.len() > 1);
        let ranks: Vec<u16> = p.runs().filter_map(|(rank, _)| rank).collect();
        assert!(ranks.windows(2).all(|w| w[0] <= w[1]));
        // A rank whose run spans chunks is read as several runs of it.
        assert!(ranks.len() > 23);
    }

    #[test]
    fn a_bulk_load_keeps_id_order_until_ranked() {
        let mut p = Postings::default();
        let mut model = BTreeSet::new();
        for id in 0..5_000u32 {
            p.insert(rank_of(id), id, rank_of, true);
            model.insert((rank_of(id), id));
        }
        // Removed and added again, as a re-indexed text is.
        for id in (0..5_000u32).step_by(7) {
            p.remove(rank_of(id), id);
            p.insert(rank_of(id), id, rank_of, true);
        }
        assert!(matches!(&p, Postings::Ranked(r) if r.by_id));
        assert!(p.runs().all(|(rank, _)| rank.is_none()));
        assert!(p.contains(rank_of(77), 77));
        check(&p, &model);
        p.rank_if_long(rank_of);
        assert!(matches!(&p, Postings::Ranked(r) if !r.by_id));
        check(&p, &model);
        // Once ranked, a list stays so through later inserts.
        p.insert(rank_of(6_000), 6_000, rank_of, false);
        model.insert((rank_of(6_000), 6_000));
        check(&p, &model);
        // A short list stays as it is.
        let mut short = Postings::default();
        short.insert(1, 9, rank_of, true);
        short.rank_if_long(rank_of);
        assert!(matches!(short, Postings::Flat(_)));
    }
}
