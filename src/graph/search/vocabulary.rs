//! Every term of the index side by side in one buffer, so that the terms holding a piece
//! of a word are found by one substring search over the buffer rather than a look at
//! each term: what a `contains` filter starts from.

use memchr::memmem;

/// Ends each term in the buffer: no term holds it (terms are runs of alphanumerics).
const END: u8 = b'\n';

/// The terms as added, each with its id, in one buffer. A term taken out of the index
/// stays here, stale, until the next rebuild; a reader checks each find against the
/// index's terms.
#[derive(Debug, Clone, Default)]
pub(super) struct Vocabulary {
    /// The terms, each followed by [`END`].
    text: Vec<u8>,
    /// Where each term starts in `text`, ascending.
    starts: Vec<u32>,
    /// The id each term had when it was added, in the order of `starts`.
    ids: Vec<u32>,
    /// How many of the terms here the index no longer holds (as far as it has said).
    stale: usize,
}

impl Vocabulary {
    /// Adds a term under `id`. A buffer past 4 GiB takes no more: `false` then, and the
    /// vocabulary no longer holds every term.
    pub(super) fn push(&mut self, term: &str, id: u32) -> bool {
        let Ok(start) = u32::try_from(self.text.len()) else {
            return false;
        };
        if u32::try_from(self.text.len() + term.len() + 1).is_err() {
            return false;
        }
        self.text.extend_from_slice(term.as_bytes());
        self.text.push(END);
        self.starts.push(start);
        self.ids.push(id);
        true
    }

    /// Notes that the index took one of the terms here out.
    pub(super) fn forget_one(&mut self) {
        self.stale += 1;
    }

    /// True when stale terms are more than the live ones and worth a rebuild.
    pub(super) fn wants_rebuild(&self) -> bool {
        self.stale > 1024 && self.stale * 2 > self.ids.len()
    }

    /// The vocabulary again, of `terms` (each with its id) alone.
    pub(super) fn rebuilt<'t>(terms: impl Iterator<Item = (&'t str, u32)>) -> Self {
        let mut fresh = Vocabulary::default();
        for (term, id) in terms {
            fresh.push(term, id);
        }
        fresh
    }

    /// The ids and texts of the terms that hold `piece`, each once, as they were added:
    /// a stale one among them too, which the caller tells by its id.
    pub(super) fn holding<'v>(&'v self, piece: &'v str) -> impl Iterator<Item = (u32, &'v str)> {
        let finder = memmem::Finder::new(piece.as_bytes());
        let mut from = 0;
        std::iter::from_fn(move || {
            let found = from + finder.find(self.text.get(from..)?)?;
            // The term the find lies in: the last to start at or before it.
            let at = self
                .starts
                .partition_point(|&s| s as usize <= found)
                .checked_sub(1)?;
            let start = *self.starts.get(at)? as usize;
            let end = self
                .starts
                .get(at + 1)
                .map_or(self.text.len(), |&s| s as usize)
                .saturating_sub(1);
            // The next find starts past this term: each is given once.
            from = end + 1;
            let term = std::str::from_utf8(self.text.get(start..end)?).ok()?;
            Some((*self.ids.get(at)?, term))
        })
    }

    /// The bytes the vocabulary takes on the heap.
    pub(super) fn heap_bytes(&self) -> usize {
        self.text.capacity() + (self.starts.capacity() + self.ids.capacity()) * size_of::<u32>()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_term_holding_a_piece_is_found_once() {
        let mut v = Vocabulary::default();
        for (id, term) in ["tariff", "tariffs", "ff", "of", "offer", "f"]
            .iter()
            .enumerate()
        {
            assert!(v.push(term, id as u32));
        }
        let found: Vec<_> = v.holding("ff").collect();
        assert_eq!(
            found,
            [(0, "tariff"), (1, "tariffs"), (2, "ff"), (4, "offer")]
        );
        assert_eq!(v.holding("f").count(), 6);
        assert_eq!(v.holding("tariffs").collect::<Vec<_>>(), [(1, "tariffs")]);
        // A piece never spans two terms.
        assert_eq!(v.holding("fo").count(), 0);
        assert_eq!(v.holding("x").count(), 0);
        assert_eq!(Vocabulary::default().holding("a").count(), 0);
    }

    #[test]
    fn a_rebuild_keeps_the_terms_given() {
        let mut v = Vocabulary::default();
        for id in 0..3000u32 {
            v.push(&format!("term{id}"), id);
        }
        for _ in 0..2000 {
            v.forget_one();
        }
        assert!(v.wants_rebuild());
        let kept: Vec<String> = (2000..3000u32).map(|id| format!("term{id}")).collect();
        let v = Vocabulary::rebuilt(kept.iter().map(String::as_str).zip(2000..));
        assert!(!v.wants_rebuild());
        assert_eq!(v.holding("term1").count(), 0);
        assert_eq!(v.holding("term25").count(), 100);
        assert_eq!(
            v.holding("term2999").collect::<Vec<_>>(),
            [(2999, "term2999")]
        );
    }
}
