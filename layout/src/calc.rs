//! `calc()` values for taffy. taffy stores a calc value as an opaque,
//! 8-byte-aligned pointer and asks the tree to resolve it against a basis
//! (`LayoutPartialTree::resolve_calc_value`). Cirrus's calc values are
//! linear (`px + percent * basis`), so each distinct pair is interned once
//! in a process-wide table and the "pointer" is its index, shifted past
//! taffy's tag bits: it is never dereferenced.

use std::collections::HashMap;
use std::sync::{OnceLock, RwLock};

#[derive(Default)]
struct Table {
    values: Vec<(f32, f32)>,
    index: HashMap<(u32, u32), usize>,
}

fn table() -> &'static RwLock<Table> {
    static TABLE: OnceLock<RwLock<Table>> = OnceLock::new();
    TABLE.get_or_init(Default::default)
}

/// The opaque taffy handle of `px + percent * basis`.
pub fn intern(px: f32, percent: f32) -> *const () {
    let key = (px.to_bits(), percent.to_bits());
    if let Some(&i) = table()
        .read()
        .unwrap_or_else(|e| e.into_inner())
        .index
        .get(&key)
    {
        return handle(i);
    }
    let mut t = table().write().unwrap_or_else(|e| e.into_inner());
    let i = match t.index.get(&key) {
        Some(&i) => i,
        None => {
            let i = t.values.len();
            t.values.push((px, percent));
            t.index.insert(key, i);
            i
        }
    };
    handle(i)
}

fn handle(index: usize) -> *const () {
    // Non-null and with the low three bits clear, as taffy requires.
    ((index + 1) << 3) as *const ()
}

/// Resolves a handle from [`intern`] against `basis`; unknown handles are 0.
pub fn resolve(handle: *const (), basis: f32) -> f32 {
    let index = (handle as usize >> 3).wrapping_sub(1);
    let t = table().read().unwrap_or_else(|e| e.into_inner());
    t.values
        .get(index)
        .map(|&(px, percent)| px + percent * basis)
        .unwrap_or(0.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interned_values_resolve_and_are_shared() {
        let a = intern(-75.0, 1.0);
        assert_eq!(a, intern(-75.0, 1.0));
        assert_eq!(a as usize & 0b111, 0);
        assert_eq!(resolve(a, 375.0), 300.0);
        assert_eq!(resolve(std::ptr::null(), 10.0), 0.0);
    }
}
