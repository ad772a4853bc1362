//! A fast hasher for the rule index's name maps (class, id and tag names).
//!
//! The std SipHash guards against hash flooding from untrusted peers; the
//! keys here are a mini program's own selector names, and hashing them is
//! on the path of every page load and every matched node, so a
//! multiply-rotate hash (as in rustc's FxHash) is used instead.

use std::hash::{BuildHasherDefault, Hasher};

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

#[derive(Default, Clone, Copy)]
pub(crate) struct NameHasher {
    hash: u64,
}

impl NameHasher {
    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(SEED);
    }
}

impl Hasher for NameHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut word = [0u8; 8];
            word[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(word));
        }
    }

    fn write_u8(&mut self, byte: u8) {
        self.add(u64::from(byte));
    }

    fn finish(&self) -> u64 {
        self.hash
    }
}

/// A `HashMap` keyed by names, hashed with [`NameHasher`].
pub(crate) type NameMap<V> = std::collections::HashMap<String, V, BuildHasherDefault<NameHasher>>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distinct_names_get_distinct_hashes_and_lookups_work() {
        let hash = |s: &str| {
            let mut h = NameHasher::default();
            std::hash::Hash::hash(s, &mut h);
            h.finish()
        };
        assert_ne!(hash("a"), hash("b"));
        assert_ne!(hash("c1-title"), hash("c1-titlf"));
        let mut map: NameMap<u32> = NameMap::default();
        map.insert("item".to_owned(), 1);
        assert_eq!(map.get("item"), Some(&1));
        assert_eq!(map.get("items"), None);
    }
}
