//! A deadline for evaluation on the current thread (FlowForge).
//!
//! Filters such as `[repeat(1)]`, `last(range(1e12))` or `reduce repeat(1) as $x (0; .)` yield
//! no output for as long as they run, so a caller that checks its deadline between outputs
//! never gets control back. [`set_deadline`] makes evaluation itself check: every term run,
//! every value collected into an array and every value `range` yields counts a tick, and every
//! 1,024 ticks the clock is read. Once the deadline has passed, every further step fails with
//! the error [`MESSAGE`], so even `try ... catch` unwinds (its handler fails too).

#[cfg(feature = "std")]
mod imp {
    use core::cell::Cell;
    use std::time::Instant;

    std::thread_local! {
        static DEADLINE: Cell<Option<Instant>> = const { Cell::new(None) };
        static TICKS: Cell<u32> = const { Cell::new(0) };
        static EXPIRED: Cell<bool> = const { Cell::new(false) };
    }

    /// Stop evaluation on this thread after `deadline` (`None`: never).
    pub fn set_deadline(deadline: Option<Instant>) {
        DEADLINE.set(deadline);
        TICKS.set(0);
        EXPIRED.set(false);
    }

    /// Whether the deadline has passed (read from the clock every 1,024 calls).
    #[inline]
    pub fn expired() -> bool {
        if EXPIRED.get() {
            return true;
        }
        let t = TICKS.get();
        if t > 0 {
            TICKS.set(t - 1);
            return false;
        }
        TICKS.set(1023);
        let over = DEADLINE.get().is_some_and(|d| Instant::now() >= d);
        EXPIRED.set(over);
        over
    }
}

#[cfg(not(feature = "std"))]
mod imp {
    /// Without `std` there is no clock: evaluation is never stopped.
    #[inline]
    pub fn expired() -> bool {
        false
    }
}

#[cfg(feature = "std")]
pub use imp::set_deadline;
pub(crate) use imp::expired;

/// The error evaluation fails with once the deadline has passed.
pub const MESSAGE: &str = "evaluation stopped: the time limit passed";

/// The error value for a passed deadline.
pub(crate) fn exn<'a, V: crate::ValT>() -> crate::Exn<'a, V> {
    crate::Exn::from(crate::Error::str(MESSAGE))
}
