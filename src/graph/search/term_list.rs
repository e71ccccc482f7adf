//! A text's term ids, kept inside the text's entry when they are few: a search that looks
//! at a name reads its terms beside the rest of the entry, not one more pointer away.

use std::ops::Deref;

/// At most this many ids are kept inside the entry: most names and aliases have no more
/// words. The list takes 24 bytes of the entry, 8 more than a boxed slice, and no
/// allocation of 8 to 32 bytes beside it.
const INLINE: usize = 5;

/// Term ids, read as a slice.
#[derive(Clone)]
pub(super) enum TermList {
    /// Up to [`INLINE`] ids; `len` of them count.
    Inline { len: u8, ids: [u32; INLINE] },
    /// More ids than fit inline.
    Heap(Box<[u32]>),
}

impl TermList {
    /// The bytes the list holds outside the entry: none when inline.
    pub(super) fn heap_bytes(&self) -> usize {
        match self {
            TermList::Inline { .. } => 0,
            TermList::Heap(ids) => size_of_val(&**ids),
        }
    }
}

impl Deref for TermList {
    type Target = [u32];

    fn deref(&self) -> &[u32] {
        match self {
            TermList::Inline { len, ids } => ids.get(..usize::from(*len)).unwrap_or_default(),
            TermList::Heap(ids) => ids,
        }
    }
}

impl From<Vec<u32>> for TermList {
    fn from(ids: Vec<u32>) -> Self {
        match u8::try_from(ids.len()) {
            Ok(len) if usize::from(len) <= INLINE => {
                let mut inline = [0; INLINE];
                for (slot, &id) in inline.iter_mut().zip(&ids) {
                    *slot = id;
                }
                TermList::Inline { len, ids: inline }
            }
            _ => TermList::Heap(ids.into_boxed_slice()),
        }
    }
}

impl std::fmt::Debug for TermList {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_list_reads_back_as_given_inline_or_not() {
        for len in 0..=INLINE + 3 {
            let ids: Vec<u32> = (0..len as u32).map(|i| i * 7 + 1).collect();
            let list = TermList::from(ids.clone());
            assert_eq!(&*list, ids.as_slice(), "{len} ids");
            assert_eq!(
                matches!(list, TermList::Inline { .. }),
                len <= INLINE,
                "{len} ids"
            );
            assert_eq!(list.heap_bytes(), if len <= INLINE { 0 } else { 4 * len });
        }
    }

    #[test]
    fn a_list_takes_the_room_of_a_boxed_slice_and_a_word() {
        assert_eq!(size_of::<TermList>(), 24);
        // A text's entry, as its slot holds it: 48 bytes, where a boxed slice made it 40
        // and took an allocation of 8 to 32 bytes more for a name.
        assert_eq!(size_of::<Option<super::super::TextEntry>>(), 48);
    }
}
