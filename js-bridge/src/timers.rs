//! The timer queue behind `setTimeout`/`setInterval`: ids and due times only.
//! The callbacks stay in JS (bootstrap.js), keyed by the same id.
//!
//! Invariants: timers fire in (due time, creation order) order; an interval
//! is rescheduled *before* its callback runs, so `clearInterval` inside the
//! callback removes it; an interval is never shorter than 1 ms, so a
//! controlled clock cannot loop forever on one instant.

use std::collections::{BTreeMap, HashMap};

/// Milliseconds on the logic thread's clock.
pub type Millis = u64;

#[derive(Debug, Default)]
pub struct TimerQueue {
    /// (due, sequence) -> timer id.
    by_due: BTreeMap<(Millis, u64), u32>,
    /// timer id -> (its key in `by_due`, repeat interval).
    by_id: HashMap<u32, ((Millis, u64), Option<Millis>)>,
    next_sequence: u64,
}

impl TimerQueue {
    /// Schedules timer `id` at `now + delay`; `repeat` makes it an interval.
    /// Re-using a live id replaces that timer.
    pub fn schedule(&mut self, id: u32, now: Millis, delay: Millis, repeat: bool) {
        self.cancel(id);
        let interval = repeat.then(|| delay.max(1));
        let due = now.saturating_add(if repeat { delay.max(1) } else { delay });
        let key = (due, self.next_sequence);
        self.next_sequence += 1;
        self.by_due.insert(key, id);
        self.by_id.insert(id, (key, interval));
    }

    pub fn cancel(&mut self, id: u32) {
        if let Some((key, _)) = self.by_id.remove(&id) {
            self.by_due.remove(&key);
        }
    }

    /// When the earliest timer is due.
    pub fn next_due(&self) -> Option<Millis> {
        self.by_due.keys().next().map(|(due, _)| *due)
    }

    /// Takes the earliest timer if it is due at `now`, rescheduling it when
    /// it is an interval. Returns its id and due time.
    pub fn pop_due(&mut self, now: Millis) -> Option<(u32, Millis)> {
        let (&(due, sequence), &id) = self.by_due.iter().next()?;
        if due > now {
            return None;
        }
        self.by_due.remove(&(due, sequence));
        if let Some((_, Some(interval))) = self.by_id.remove(&id) {
            let key = (due.saturating_add(interval), self.next_sequence);
            self.next_sequence += 1;
            self.by_due.insert(key, id);
            self.by_id.insert(id, (key, Some(interval)));
        }
        Some((id, due))
    }

    #[cfg(test)]
    pub fn is_empty(&self) -> bool {
        self.by_due.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fires_in_due_then_creation_order() {
        let mut q = TimerQueue::default();
        q.schedule(1, 0, 20, false);
        q.schedule(2, 0, 10, false);
        q.schedule(3, 0, 10, false);
        assert_eq!(q.pop_due(5), None);
        assert_eq!(q.pop_due(30), Some((2, 10)));
        assert_eq!(q.pop_due(30), Some((3, 10)));
        assert_eq!(q.pop_due(30), Some((1, 20)));
        assert!(q.is_empty());
    }

    #[test]
    fn interval_reschedules_and_cancels() {
        let mut q = TimerQueue::default();
        q.schedule(7, 0, 0, true);
        assert_eq!(q.next_due(), Some(1), "intervals are at least 1 ms");
        assert_eq!(q.pop_due(3), Some((7, 1)));
        assert_eq!(q.pop_due(3), Some((7, 2)));
        q.cancel(7);
        assert_eq!(q.pop_due(3), None);
        assert!(q.is_empty());
    }
}
