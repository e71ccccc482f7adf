//! A read that may go through much of the graph stops when the request it serves has run
//! out of time, so that no query can hold a thread for longer than its server allows.
//!
//! The caller runs its work [`within`] a deadline; a long read passes its items through
//! [`checked`], which looks at the clock every [`EVERY`] items and, past the deadline,
//! ends the read early and marks the work cut. What a cut read returns is incomplete, so
//! the caller must throw away everything the work answered once [`within`] says it was
//! cut. Outside [`within`] nothing is ever cut. Writes never run within a deadline: a
//! change is applied whole or not at all.

use std::cell::Cell;
use std::time::Instant;

/// How many items a read takes between two looks at the clock: at a few hundred
/// nanoseconds an item on a large graph, about a tenth of a millisecond.
const EVERY: u32 = if cfg!(test) { 16 } else { 512 };

thread_local! {
    /// The deadline of the work this thread is running, if any.
    static DEADLINE: Cell<Option<Instant>> = const { Cell::new(None) };
    /// Set once a read of that work has been cut.
    static CUT: Cell<bool> = const { Cell::new(false) };
}

/// Runs `work` with reads that stop at `deadline`; true with its output when one was cut,
/// in which case the output is incomplete. Nested calls keep their own deadlines, and the
/// thread's are put back even when `work` panics.
pub fn within<T>(deadline: Instant, work: impl FnOnce() -> T) -> (T, bool) {
    let outer = Outer(DEADLINE.replace(Some(deadline)), CUT.replace(false));
    let out = work();
    let cut = CUT.get();
    drop(outer);
    (out, cut)
}

/// The deadline and the mark of the work a thread ran before, put back when dropped.
struct Outer(Option<Instant>, bool);

impl Drop for Outer {
    fn drop(&mut self) {
        DEADLINE.set(self.0);
        CUT.set(self.1);
    }
}

/// True when the work this thread runs is past its deadline (and from then on marked cut).
fn late() -> bool {
    if CUT.get() {
        return true;
    }
    let late = DEADLINE.get().is_some_and(|d| Instant::now() >= d);
    if late {
        CUT.set(true);
    }
    late
}

/// `items`, ending early once the work is past its deadline.
pub(super) fn checked<I: Iterator>(items: I) -> Checked<I> {
    Checked {
        items,
        taken: 0,
        over: false,
    }
}

/// An iterator that ends once the work it serves is past its deadline: see [`checked`].
pub(super) struct Checked<I> {
    items: I,
    taken: u32,
    over: bool,
}

impl<I: Iterator> Iterator for Checked<I> {
    type Item = I::Item;

    #[inline]
    fn next(&mut self) -> Option<I::Item> {
        if self.over {
            return None;
        }
        if self.taken % EVERY == 0 && late() {
            self.over = true;
            return None;
        }
        self.taken = self.taken.wrapping_add(1);
        self.items.next()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn outside_a_deadline_nothing_is_cut() {
        assert_eq!(checked(0..10_000).count(), 10_000);
    }

    #[test]
    fn a_read_past_its_deadline_ends_and_says_so() {
        let (n, cut) = within(Instant::now(), || checked(0..10_000).count());
        assert!(cut);
        assert!(n < 10_000, "read {n}");
        // The next read of the same work is cut at once.
        let (n, cut) = within(Instant::now(), || {
            let _ = checked(0..100).count();
            checked(0..100).count()
        });
        assert_eq!((n, cut), (0, true));
    }

    #[test]
    fn work_that_panics_leaves_no_deadline_behind() {
        let panicked = std::panic::catch_unwind(|| {
            within(Instant::now(), || {
                let _ = checked(0..100).count();
                panic!("a resolver's bug");
            })
        });
        assert!(panicked.is_err());
        assert_eq!(checked(0..10_000).count(), 10_000);
    }

    #[test]
    fn a_read_within_its_time_is_whole_and_nested_deadlines_are_their_own() {
        let later = Instant::now() + Duration::from_secs(3600);
        let ((inner, outer_n), cut) = within(later, || {
            let inner = within(Instant::now(), || checked(0..1_000).count());
            (inner, checked(0..1_000).count())
        });
        assert!(inner.1, "the inner work is cut");
        assert_eq!((outer_n, cut), (1_000, false));
    }
}
