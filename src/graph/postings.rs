//! A posting list: the ids of the texts that hold one term, in the order a search reads
//! them: by rank, a small number the caller gives with every id (lower first), and within
//! a rank in the caller's order ([`ListOrder`]: for search, the order of the texts'
//! documents, which breaks ties between equal scores). So a reader can stop once the
//! ranks left are too low to matter, and leave a rank once the texts left in it come
//! after every document it keeps. A short list is one vector; a long one (a word every
//! name shares can have a million ids) is kept in chunks, so that adding or removing an
//! id shifts one chunk, never the whole list. A bulk load keeps every list in id order,
//! where its ids are appended, and puts them in order once at its end
//! ([`Postings::put_in_order`]).

use std::cmp::Ordering;

/// The most ids a short list holds; one more makes it a chunked list.
const FLAT_MAX: usize = 1024;
/// A chunked list with fewer ids than this becomes a short list again. Well below
/// [`FLAT_MAX`], so that a list at the border does not switch back and forth.
const RANKED_MIN: usize = FLAT_MAX / 2;
/// The most ids one chunk holds before it splits in two.
const CHUNK: usize = 1024;

/// The order of the ids in a list: by rank, then by [`ListOrder::cmp_in_rank`].
pub trait ListOrder {
    /// The rank of an id; it never changes while the id is in a list.
    fn rank(&self, id: u32) -> u16;
    /// The order of two ids of one rank: a total order, the same every time it is asked.
    fn cmp_in_rank(&self, a: u32, b: u32) -> Ordering;
}

/// Distinct ids, each with a rank given by the caller that never changes while the id
/// is in the list, in list order; or, during a bulk load, in id order.
#[derive(Debug, Clone)]
pub enum Postings {
    /// At most [`FLAT_MAX`] ids, without their ranks.
    Flat(Vec<u32>),
    /// More ids, in chunks.
    Ranked(Box<Ranked>),
}

/// A long list: chunks in list order, none empty, each of at most [`CHUNK`] ids.
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

/// Consecutive ids of a chunked list, grouped in runs of one rank.
#[derive(Debug, Clone, Default)]
struct Chunk {
    /// (rank, how many ids have it), ranks ascending, no count zero.
    runs: Vec<(u16, u16)>,
    /// The ids of each run in turn, in the list's order within a run.
    ids: Vec<u32>,
}

/// How the ids of one list compare: by (rank, [`ListOrder::cmp_in_rank`]), or, in a
/// list kept in id order, by id alone.
struct Cmp<'a, O: ListOrder> {
    order: &'a O,
    by_id: bool,
}

impl<O: ListOrder> Cmp<'_, O> {
    /// True when `a` comes before `b`, each given with its rank.
    fn before(&self, (ra, a): (u16, u32), (rb, b): (u16, u32)) -> bool {
        if self.by_id {
            return a < b;
        }
        match ra.cmp(&rb) {
            Ordering::Equal => a != b && self.order.cmp_in_rank(a, b).is_lt(),
            by_rank => by_rank.is_lt(),
        }
    }

    /// The rank an id is kept under.
    fn rank(&self, rank: u16) -> u16 {
        if self.by_id { 0 } else { rank }
    }
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

    /// The first id, in the list's order.
    pub fn first(&self) -> Option<u32> {
        match self {
            Postings::Flat(ids) => ids.first().copied(),
            Postings::Ranked(r) => r.chunks.first().and_then(|c| c.ids.first().copied()),
        }
    }

    /// The ids in runs, in the list's order: `(Some(rank), ids of that rank)` in
    /// ascending rank for a chunked list in list order (a rank whose ids span chunks
    /// comes as several runs), or `(None, ids)` where the ranks are not kept: one run of
    /// all the ids of a short list, or one run per chunk of a list in id order. A reader
    /// can leave a rank without reading the rest of it ([`Runs::leave_rank`]).
    pub fn runs(&self) -> Runs<'_> {
        let (flat, chunks, heads, by_id) = match self {
            Postings::Flat(ids) => (Some(ids.as_slice()), &[][..], &[][..], false),
            Postings::Ranked(r) => (None, r.chunks.as_slice(), r.heads.as_slice(), r.by_id),
        };
        Runs {
            flat,
            chunks,
            heads,
            by_id,
            chunk: 0,
            run: 0,
            at: 0,
        }
    }

    /// The ids, in the list's order.
    pub fn iter(&self) -> impl Iterator<Item = &u32> {
        self.runs().flat_map(|(_, ids)| ids)
    }

    /// Adds `id` of rank `rank`, if it is not there yet, where `order` puts it; or, with
    /// `bulk`, in id order. A short list that grows long during a bulk load stays in id
    /// order until [`Postings::put_in_order`].
    pub fn insert(&mut self, rank: u16, id: u32, order: &impl ListOrder, bulk: bool) {
        match self {
            Postings::Flat(ids) => {
                let cmp = Cmp { order, by_id: bulk };
                let at = match ids.last() {
                    None => 0,
                    Some(&last) if bulk && last < id => ids.len(),
                    Some(_) => ids.partition_point(|&x| cmp.before((order.rank(x), x), (rank, id))),
                };
                if ids.get(at) == Some(&id) {
                    return;
                }
                if ids.len() < FLAT_MAX {
                    if ids.is_empty() {
                        // Most exact keys' lists hold one id, and keep their room.
                        ids.reserve_exact(1);
                    }
                    ids.insert(at, id);
                    return;
                }
                ids.insert(at, id);
                let all: Vec<(u16, u32)> =
                    ids.iter().map(|&i| (cmp.rank(order.rank(i)), i)).collect();
                *self = Postings::Ranked(Box::new(Ranked::from_ordered(&all, bulk)));
            }
            Postings::Ranked(r) => {
                if r.by_id && !bulk {
                    // Only a bulk load leaves a list in id order; put it in order first.
                    r.sort(order);
                } else if r.by_id && r.append(id) {
                    return;
                }
                let cmp = Cmp {
                    order,
                    by_id: r.by_id,
                };
                r.insert((cmp.rank(rank), id), &cmp);
            }
        }
    }

    /// Takes `id`, of rank `rank`, out, if it is there; `order` as given to
    /// [`Postings::insert`]. A list shrunk to a quarter of its room gives memory back; a
    /// chunked list shrunk well below [`FLAT_MAX`] becomes short.
    pub fn remove(&mut self, rank: u16, id: u32, order: &impl ListOrder) {
        match self {
            Postings::Flat(ids) => {
                // A look at each id of a short list costs less than a search that asks
                // `order` about the ids it meets.
                if let Some(at) = ids.iter().position(|&x| x == id) {
                    ids.remove(at);
                    if ids.len() < ids.capacity() / 4 {
                        ids.shrink_to(ids.len() * 2);
                    }
                }
            }
            Postings::Ranked(r) => {
                let cmp = Cmp {
                    order,
                    by_id: r.by_id,
                };
                r.remove((cmp.rank(rank), id), &cmp);
                if r.len < RANKED_MIN {
                    // The chunks in turn are the list in its order, as a short list keeps it.
                    let ids: Vec<u32> = r.chunks.iter().flat_map(|c| &c.ids).copied().collect();
                    *self = Postings::Flat(ids);
                }
            }
        }
    }

    /// Puts a list kept in id order in list order: by rank, then by the caller's
    /// position of each id within its rank, as `key` gives (rank, position). Positions
    /// are distinct, one an id, and agree with `order`, which later inserts are placed by.
    pub fn put_in_order(&mut self, key: impl Fn(u32) -> (u16, u32)) {
        // Each id's key packed in one integer, so that sorting compares integers.
        let keyed = |ids: &mut dyn Iterator<Item = u32>| {
            let mut keyed: Vec<(u64, u32)> = ids
                .map(|i| {
                    let (rank, at) = key(i);
                    ((u64::from(rank) << 32) | u64::from(at), i)
                })
                .collect();
            keyed.sort_unstable_by_key(|&(k, _)| k);
            keyed
        };
        match self {
            Postings::Flat(ids) => {
                if ids.len() > 1 {
                    let sorted = keyed(&mut ids.iter().copied());
                    for (slot, (_, i)) in ids.iter_mut().zip(sorted) {
                        *slot = i;
                    }
                }
            }
            Postings::Ranked(r) => {
                let sorted = keyed(&mut r.chunks.iter().flat_map(|c| &c.ids).copied());
                let rank = |k: u64| u16::try_from(k >> 32).unwrap_or(u16::MAX);
                let all: Vec<(u16, u32)> = sorted.into_iter().map(|(k, i)| (rank(k), i)).collect();
                **r = Ranked::from_ordered(&all, false);
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

/// The runs of a list, in order; see [`Postings::runs`].
pub struct Runs<'a> {
    /// A short list's ids, until they are read.
    flat: Option<&'a [u32]>,
    chunks: &'a [Chunk],
    heads: &'a [(u16, u32)],
    by_id: bool,
    /// The chunk of the run read last, or of the next.
    chunk: usize,
    /// The next run in that chunk, and where its ids start.
    run: usize,
    at: usize,
}

impl<'a> Iterator for Runs<'a> {
    type Item = (Option<u16>, &'a [u32]);

    fn next(&mut self) -> Option<Self::Item> {
        if let Some(ids) = self.flat.take() {
            return Some((None, ids));
        }
        loop {
            let c = self.chunks.get(self.chunk)?;
            if let Some(&(rank, n)) = c.runs.get(self.run) {
                let from = self.at;
                self.at += usize::from(n);
                self.run += 1;
                let ids = c.ids.get(from..self.at).unwrap_or_default();
                return Some(((!self.by_id).then_some(rank), ids));
            }
            self.chunk += 1;
            self.run = 0;
            self.at = 0;
        }
    }
}

impl Runs<'_> {
    /// Skips the ids of `rank`, the rank of the run read last, that later chunks hold:
    /// the next run read is of a higher rank. Finding them reads the chunks' heads, not
    /// their ids, however many there are.
    pub fn leave_rank(&mut self, rank: u16) {
        if self.by_id {
            return;
        }
        // The last chunk that starts at or below the rank holds its last ids; those
        // between it and this one start with the rank and hold nothing else.
        let last = self
            .heads
            .partition_point(|h| h.0 <= rank)
            .saturating_sub(1);
        if last <= self.chunk {
            // The runs left in this chunk are of higher ranks.
            return;
        }
        self.chunk = last;
        self.run = 0;
        self.at = 0;
        if let Some(&(first, n)) = self.chunks.get(last).and_then(|c| c.runs.first())
            && first == rank
        {
            self.run = 1;
            self.at = usize::from(n);
        }
    }
}

impl Ranked {
    /// The list of `all`, each id with the rank it is kept under, in the list's order.
    fn from_ordered(all: &[(u16, u32)], by_id: bool) -> Self {
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

    /// Puts a list kept in id order in `order`, comparing its ids one with another.
    fn sort(&mut self, order: &impl ListOrder) {
        let mut all: Vec<(u16, u32)> = self
            .chunks
            .iter()
            .flat_map(|c| &c.ids)
            .map(|&i| (order.rank(i), i))
            .collect();
        all.sort_unstable_by(|&(ra, a), &(rb, b)| {
            ra.cmp(&rb).then_with(|| match a == b {
                true => Ordering::Equal,
                false => order.cmp_in_rank(a, b),
            })
        });
        *self = Ranked::from_ordered(&all, false);
    }

    /// The chunk that holds `key`, or would: the last whose first is not after it.
    fn chunk_of<O: ListOrder>(&self, key: (u16, u32), cmp: &Cmp<'_, O>) -> usize {
        self.heads
            .partition_point(|&head| !cmp.before(key, head))
            .saturating_sub(1)
    }

    /// Appends `id` to a list in id order when it comes after every id there, as a bulk
    /// load's ids do, without searching for its place; a full last chunk is left full and
    /// a new one started. False, and nothing done, when `id` does not come last.
    fn append(&mut self, id: u32) -> bool {
        let Some(last) = self.chunks.last_mut() else {
            return false;
        };
        if last.ids.last().is_none_or(|&l| l >= id) {
            return false;
        }
        if last.ids.len() < CHUNK {
            last.push(0, id);
        } else {
            let mut fresh = Chunk::default();
            fresh.push(0, id);
            self.heads.push(fresh.first());
            self.chunks.push(fresh);
        }
        self.len += 1;
        true
    }

    fn insert<O: ListOrder>(&mut self, key: (u16, u32), cmp: &Cmp<'_, O>) {
        let at = self.chunk_of(key, cmp);
        let Some(chunk) = self.chunks.get_mut(at) else {
            return;
        };
        if !chunk.insert(key, cmp) {
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

    fn remove<O: ListOrder>(&mut self, key: (u16, u32), cmp: &Cmp<'_, O>) {
        let at = self.chunk_of(key, cmp);
        let Some(chunk) = self.chunks.get_mut(at) else {
            return;
        };
        if !chunk.remove(key) {
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

    /// Where `key` is in `ids`, or would be, and whether it is there.
    fn find<O: ListOrder>(&self, (rank, id): (u16, u32), cmp: &Cmp<'_, O>) -> (usize, bool) {
        let (from, n) = self.run(rank);
        let run = &self.ids[from..from + n];
        let at = run.partition_point(|&x| cmp.before((rank, x), (rank, id)));
        (from + at, run.get(at) == Some(&id))
    }

    /// Appends (rank, id), which must come after every id in the chunk.
    fn push(&mut self, rank: u16, id: u32) {
        match self.runs.last_mut() {
            Some((r, n)) if *r == rank => *n += 1,
            _ => self.runs.push((rank, 1)),
        }
        self.ids.push(id);
    }

    /// Adds `key`; false when it was there.
    fn insert<O: ListOrder>(&mut self, key: (u16, u32), cmp: &Cmp<'_, O>) -> bool {
        let (at, there) = self.find(key, cmp);
        if there {
            return false;
        }
        let run = self.runs.partition_point(|&(r, _)| r < key.0);
        match self.runs.get_mut(run) {
            Some((r, n)) if *r == key.0 => *n += 1,
            _ => self.runs.insert(run, (key.0, 1)),
        }
        self.ids.insert(at, key.1);
        true
    }

    /// Takes `key` out; false when it was not there.
    fn remove(&mut self, (rank, id): (u16, u32)) -> bool {
        // A look at each id of the rank's run here costs less than a search that asks
        // the list's order about the ids it meets.
        let (from, n) = self.run(rank);
        let Some(at) = self.ids[from..from + n].iter().position(|&x| x == id) else {
            return false;
        };
        self.ids.remove(from + at);
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

    /// Where an id goes within its rank: an order unlike the ids' own.
    fn place(id: u32) -> u32 {
        id.wrapping_mul(0x9E37_79B9) ^ 0x5555
    }

    /// Ranks from [`rank_of`], and ids within a rank by [`place`].
    struct Scrambled;

    impl ListOrder for Scrambled {
        fn rank(&self, id: u32) -> u16 {
            rank_of(id)
        }

        fn cmp_in_rank(&self, a: u32, b: u32) -> Ordering {
            place(a).cmp(&place(b))
        }
    }

    /// The list's model: (rank, place, id) of each id, in list order.
    type Model = BTreeSet<(u16, u32, u32)>;

    fn key(id: u32) -> (u16, u32, u32) {
        (rank_of(id), place(id), id)
    }

    /// Every invariant of a list in list order, against its model.
    fn check(p: &Postings, model: &Model) {
        assert_eq!(p.len(), model.len());
        let want: Vec<u32> = model.iter().map(|&(_, _, id)| id).collect();
        let got: Vec<u32> = p.iter().copied().collect();
        assert_eq!(got, want);
        assert_eq!(p.first(), want.first().copied());
        let Postings::Ranked(r) = p else {
            assert!(p.len() <= FLAT_MAX);
            return;
        };
        assert!(r.len >= RANKED_MIN && !r.by_id);
        let heads: Vec<(u16, u32)> = r.chunks.iter().map(Chunk::first).collect();
        assert_eq!(r.heads, heads);
        for c in &r.chunks {
            assert!(!c.ids.is_empty() && c.ids.len() <= CHUNK);
            assert!(c.runs.iter().all(|&(_, n)| n > 0));
            assert!(c.runs.windows(2).all(|w| w[0].0 < w[1].0));
            let total: usize = c.runs.iter().map(|&(_, n)| usize::from(n)).sum();
            assert_eq!(total, c.ids.len());
        }
        // Each run's ids have its rank.
        for (rank, ids) in p.runs() {
            assert!(ids.iter().all(|&id| rank == Some(rank_of(id))));
        }
    }

    #[test]
    fn stays_in_list_order_through_inserts_and_removes_in_any_order() {
        let mut p = Postings::default();
        let mut model = Model::new();
        let mut x: u64 = 0x2545_f491_4f6c_dd1d;
        let mut was_ranked = false;
        for step in 0..60_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let id = (x % 5_000) as u32;
            // Mostly growth at first, then mostly shrinking, so the list crosses the
            // border between short and chunked both ways.
            let removing = if step < 30_000 {
                step % 3 == 2
            } else {
                step % 5 != 0
            };
            if removing {
                p.remove(rank_of(id), id, &Scrambled);
                model.remove(&key(id));
            } else {
                p.insert(rank_of(id), id, &Scrambled, false);
                model.insert(key(id));
            }
            was_ranked |= matches!(p, Postings::Ranked(_));
            if step % 997 == 0 {
                check(&p, &model);
            }
        }
        check(&p, &model);
        assert!(was_ranked, "a long list was chunked");
        for id in 0..5_000 {
            p.remove(rank_of(id), id, &Scrambled);
        }
        assert!(p.is_empty() && p.iter().next().is_none());
    }

    #[test]
    fn a_long_list_is_read_by_rank_in_chunks() {
        let mut p = Postings::default();
        let mut model = Model::new();
        for id in (0..20_000u32).rev() {
            p.insert(rank_of(id), id, &Scrambled, false);
            model.insert(key(id));
        }
        check(&p, &model);
        let Postings::Ranked(r) = &p else {
            panic!("not chunked");
        };
        assert!(r.chunks.len() > 1);
        let ranks: Vec<u16> = p.runs().filter_map(|(rank, _)| rank).collect();
        assert!(ranks.windows(2).all(|w| w[0] <= w[1]));
        // A rank whose run spans chunks is read as several runs of it.
        assert!(ranks.len() > 23);
        // Leaving each rank after its first run reads one run of each, the first ids of
        // each rank.
        let mut runs = p.runs();
        let mut firsts = Vec::new();
        while let Some((Some(rank), ids)) = runs.next() {
            firsts.push((rank, ids[0]));
            runs.leave_rank(rank);
        }
        let want: Vec<(u16, u32)> = (0..23u16)
            .filter_map(|rank| {
                let first = model.iter().find(|k| k.0 == rank)?;
                Some((rank, first.2))
            })
            .collect();
        assert_eq!(firsts, want);
    }

    #[test]
    fn a_bulk_load_keeps_id_order_until_put_in_order() {
        let mut p = Postings::default();
        let mut model = Model::new();
        for id in 0..5_000u32 {
            p.insert(rank_of(id), id, &Scrambled, true);
            model.insert(key(id));
        }
        // Removed and added again, as a re-indexed text is.
        for id in (0..5_000u32).step_by(7) {
            p.remove(rank_of(id), id, &Scrambled);
            p.insert(rank_of(id), id, &Scrambled, true);
        }
        // The last id again: appended ids are found like any other.
        p.insert(rank_of(4_999), 4_999, &Scrambled, true);
        let Postings::Ranked(r) = &p else {
            panic!("5,000 ids make a chunked list");
        };
        assert!(r.by_id);
        assert_eq!(r.len, 5_000);
        assert!(
            r.chunks
                .iter()
                .all(|c| !c.ids.is_empty() && c.ids.len() <= CHUNK)
        );
        assert!(
            r.chunks
                .iter()
                .map(Chunk::first)
                .eq(r.heads.iter().copied())
        );
        assert!(p.runs().all(|(rank, _)| rank.is_none()));
        assert!(p.iter().copied().eq(0..5_000));
        p.put_in_order(|id| (rank_of(id), place(id)));
        check(&p, &model);
        // Once in order, a list stays so through later inserts and removes.
        for id in 5_000..5_100 {
            p.insert(rank_of(id), id, &Scrambled, false);
            model.insert(key(id));
        }
        for id in (0..5_100).step_by(3) {
            p.remove(rank_of(id), id, &Scrambled);
            model.remove(&key(id));
        }
        check(&p, &model);
        // A short list is put in order too.
        let mut short = Postings::default();
        let mut model = Model::new();
        for id in [9, 4, 700, 3, 12, 80] {
            short.insert(rank_of(id), id, &Scrambled, true);
            model.insert(key(id));
        }
        assert!(short.iter().copied().eq([3, 4, 9, 12, 80, 700]));
        short.put_in_order(|id| (rank_of(id), place(id)));
        check(&short, &model);
        // A list a bulk load left in id order is put in order by its first insert after.
        let mut left = Postings::default();
        let mut model = Model::new();
        for id in 0..2_000u32 {
            left.insert(rank_of(id), id, &Scrambled, true);
            model.insert(key(id));
        }
        left.insert(rank_of(9_999), 9_999, &Scrambled, false);
        model.insert(key(9_999));
        check(&left, &model);
    }
}
