//! A cache that keeps what the last two frames used.
//!
//! Entries live in two generations: `current` (used this frame) and
//! `previous` (used last frame). A hit in `previous` moves the entry back to
//! `current`; [`FrameCache::end_frame`] drops what neither frame used. So a
//! page whose visible text outgrows any fixed count (10,000 nodes, thousands
//! of paragraphs) is never reshaped every frame, while text that left the
//! page is freed after a frame. A hard cap bounds memory for callers that
//! never end frames (tools, tests): past it the cache starts over.
//!
//! Used by the text system (paragraphs, measures, shapes) and by the style
//! sheets (parsed inline styles, re-parsed `var()` values): caches whose
//! keys setData can vary without end (a ticker's text, an animated width).

use std::borrow::Borrow;
use std::collections::HashMap;
use std::hash::Hash;

pub struct FrameCache<K, V> {
    current: HashMap<K, V, foldhash::fast::FixedState>,
    previous: HashMap<K, V, foldhash::fast::FixedState>,
    hard_cap: usize,
}

impl<K: Eq + Hash, V> FrameCache<K, V> {
    pub fn new(hard_cap: usize) -> Self {
        FrameCache {
            current: HashMap::default(),
            previous: HashMap::default(),
            hard_cap,
        }
    }

    /// The entry for `key`, marking it used this frame.
    pub fn get_mut<Q>(&mut self, key: &Q) -> Option<&mut V>
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        if !self.current.contains_key(key) {
            let (key, value) = self.previous.remove_entry(key)?;
            self.current.insert(key, value);
        }
        self.current.get_mut(key)
    }

    pub fn contains_key<Q>(&mut self, key: &Q) -> bool
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        self.get_mut(key).is_some()
    }

    pub fn insert(&mut self, key: K, value: V) {
        if self.current.len() + self.previous.len() >= self.hard_cap {
            self.clear();
        }
        self.current.insert(key, value);
    }

    /// Forgets what neither this frame nor the last one used.
    pub fn end_frame(&mut self) {
        self.previous = std::mem::take(&mut self.current);
    }

    pub fn clear(&mut self) {
        self.current.clear();
        self.previous.clear();
    }

    /// Entries held, both generations.
    pub fn len(&self) -> usize {
        self.current.len() + self.previous.len()
    }

    pub fn is_empty(&self) -> bool {
        self.current.is_empty() && self.previous.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_what_the_last_two_frames_used() {
        let mut cache = FrameCache::new(100);
        cache.insert(1, "a");
        cache.insert(2, "b");
        cache.end_frame();
        assert_eq!(
            cache.get_mut(&1).copied(),
            Some("a"),
            "last frame's entry survives"
        );
        cache.end_frame();
        assert!(
            cache.get_mut(&2).is_none(),
            "unused for a whole frame: dropped"
        );
        assert_eq!(cache.get_mut(&1).copied(), Some("a"));
        assert_eq!(cache.len(), 1);
    }

    #[test]
    fn the_hard_cap_bounds_callers_that_never_end_frames() {
        let mut cache = FrameCache::new(3);
        for k in 0..10 {
            cache.insert(k, k);
        }
        assert!(cache.len() <= 3);
    }
}
