//! Which kinds a question admits: every kind, or only those listed. The API's list
//! arguments map onto it: an omitted list is every kind, and an empty one is none.

/// Every kind, or only those listed (none, for an empty list).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Only<'a, T> {
    /// Every kind.
    All,
    /// Only these; none when empty.
    These(&'a [T]),
}

impl<'a, T: PartialEq> Only<'a, T> {
    /// True when `kind` is admitted.
    pub fn admits(&self, kind: &T) -> bool {
        match self {
            Only::All => true,
            Only::These(list) => list.contains(kind),
        }
    }

    /// True when every kind is admitted, so a check can be skipped.
    pub fn is_all(&self) -> bool {
        matches!(self, Only::All)
    }
}

impl<'a, T> From<Option<&'a [T]>> for Only<'a, T> {
    /// None admits every kind; a list, only its own.
    fn from(list: Option<&'a [T]>) -> Self {
        match list {
            None => Only::All,
            Some(list) => Only::These(list),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_omitted_list_admits_all_and_an_empty_one_none() {
        assert!(Only::<u8>::from(None).admits(&1));
        assert!(!Only::from(Some(&[][..])).admits(&1u8));
        assert!(Only::from(Some(&[1u8, 2][..])).admits(&2));
        assert!(!Only::from(Some(&[1u8, 2][..])).admits(&3));
    }
}
