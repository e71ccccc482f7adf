//! A bound on the entries a walk of an index reads before its answer is sooner found
//! another way: a page of a timeline, or a page walked for in a kind's list, gives up
//! once it has read as many entries as the set it would otherwise be read from holds.

use std::cell::Cell;

/// How many more entries a walk may read, and whether it has run out.
#[derive(Debug)]
pub(crate) struct Budget {
    left: Cell<usize>,
    spent: Cell<bool>,
}

impl Budget {
    /// A budget of `reads` entries.
    pub fn of(reads: usize) -> Self {
        Budget {
            left: Cell::new(reads),
            spent: Cell::new(false),
        }
    }

    /// A budget no walk spends.
    pub fn unbounded() -> Self {
        Budget::of(usize::MAX)
    }

    /// Takes one read; false, and spent from then on, once none is left.
    pub fn take(&self) -> bool {
        match self.left.get() {
            0 => {
                self.spent.set(true);
                false
            }
            n => {
                self.left.set(n - 1);
                true
            }
        }
    }

    /// True once a walk asked for a read past the budget: its answer is cut short.
    pub fn spent(&self) -> bool {
        self.spent.get()
    }

    /// How many reads are left.
    #[cfg(test)]
    pub fn left(&self) -> usize {
        self.left.get()
    }
}
