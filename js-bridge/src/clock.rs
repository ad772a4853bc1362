//! Time for the logic thread: the real monotonic clock, or a controlled one
//! that tests advance by hand.
//!
//! Invariant: the logic thread never reads wall time for timers; it asks its
//! [`Clock`]. With [`ControlledClock`] nothing sleeps: `advance` moves the
//! virtual "now" and wakes the logic thread, which fires every timer that
//! became due, in due order, with "now" set to each timer's due time.

use crossbeam::channel::{unbounded, Receiver, Sender};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// Which clock drives `setTimeout`/`setInterval`.
#[derive(Clone, Debug, Default)]
pub enum Clock {
    /// Monotonic real time; the logic loop sleeps until the next timer.
    #[default]
    Real,
    /// Virtual time advanced by [`ControlledClock::advance`].
    Controlled(ControlledClock),
}

/// A deterministic clock shared between a test and the logic thread.
/// Clones share the same time.
#[derive(Clone, Debug)]
pub struct ControlledClock {
    inner: Arc<ControlledInner>,
}

#[derive(Debug)]
struct ControlledInner {
    /// Milliseconds the test has advanced to.
    target_ms: AtomicU64,
    /// One message per `advance`, to wake the logic loop.
    wake_tx: Sender<()>,
    wake_rx: Receiver<()>,
}

impl Default for ControlledClock {
    fn default() -> Self {
        Self::new()
    }
}

impl ControlledClock {
    /// A clock at virtual time zero.
    pub fn new() -> Self {
        let (wake_tx, wake_rx) = unbounded();
        ControlledClock {
            inner: Arc::new(ControlledInner {
                target_ms: AtomicU64::new(0),
                wake_tx,
                wake_rx,
            }),
        }
    }

    /// Moves virtual time forward by `by` (millisecond resolution). The
    /// logic thread fires the timers that became due, then reports `Idle`.
    pub fn advance(&self, by: Duration) {
        let ms = u64::try_from(by.as_millis()).unwrap_or(u64::MAX);
        self.inner.target_ms.fetch_add(ms, Ordering::SeqCst);
        // The receiver lives in `inner`, so the channel cannot be disconnected.
        let _ = self.inner.wake_tx.send(());
    }

    /// The virtual time the clock has been advanced to.
    pub fn now(&self) -> Duration {
        Duration::from_millis(self.now_ms())
    }

    pub(crate) fn now_ms(&self) -> u64 {
        self.inner.target_ms.load(Ordering::SeqCst)
    }

    pub(crate) fn wake_receiver(&self) -> &Receiver<()> {
        &self.inner.wake_rx
    }
}
