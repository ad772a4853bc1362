//! `calc()` values for taffy. taffy stores a calc value as an opaque,
//! 8-byte-aligned, non-null "pointer" and asks the tree to resolve it against
//! a basis (`LayoutPartialTree::resolve_calc_value`); it never dereferences
//! it. Cirrus's calc values are linear (`px + percent * basis`), so the pair
//! itself is packed into the handle's 64 bits and nothing is stored.
//!
//! Why not a table: an interning table (what this module used to be) grows
//! with every distinct value, so a page animating a `calc()` grew for ever,
//! and freeing entries would have to prove that no taffy style (which the
//! engine clones freely) still holds the handle. A self-contained handle has
//! no lifetime, no lock and no memory: a page can produce any number of
//! distinct values.
//!
//! Layout of a handle (64-bit targets only, which is what taffy's tagged
//! representation gives the full 61 bits on):
//! - bits 32..64: the `px` term's `f32` bits, exact;
//! - bits 4..32: the `percent` term's `f32` bits without its 4 lowest
//!   mantissa bits (a relative error below 2^-19: under 0.002 px on a
//!   1,000 px basis);
//! - bit 3: always set, so that the handle is never null (`calc(0px + 0%)`);
//! - bits 0..3: zero, taffy's tag bits.

#[cfg(not(target_pointer_width = "64"))]
compile_error!("cirrus-layout packs calc() values into taffy's 64-bit handles");

/// taffy's tag bits (must be zero in a handle).
const TAG_BITS: u64 = 0b111;
/// Always set: keeps a handle non-null.
const NON_NULL_BIT: u64 = 0b1000;
/// The `percent` bits a handle keeps (the low 4 are the tag and marker).
const PERCENT_MASK: u64 = 0xFFFF_FFF0;

/// The opaque taffy handle of `px + percent * basis`. Pure: equal inputs give
/// equal handles (taffy compares styles bit for bit).
pub fn intern(px: f32, percent: f32) -> *const () {
    let bits = (u64::from(px.to_bits()) << 32)
        | (u64::from(percent.to_bits()) & PERCENT_MASK)
        | NON_NULL_BIT;
    debug_assert_eq!(bits & TAG_BITS, 0);
    bits as usize as *const ()
}

/// Resolves a handle from [`intern`] against `basis`; a handle that
/// [`intern`] cannot have made (null, or without its marker bit) is 0.
pub fn resolve(handle: *const (), basis: f32) -> f32 {
    let bits = handle as usize as u64;
    if bits & NON_NULL_BIT == 0 {
        return 0.0;
    }
    let px = f32::from_bits((bits >> 32) as u32);
    let percent = f32::from_bits((bits & PERCENT_MASK) as u32);
    px + percent * basis
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interned_values_resolve_and_are_shared() {
        let a = intern(-75.0, 1.0);
        assert_eq!(a, intern(-75.0, 1.0));
        assert_eq!(a as usize & 0b111, 0);
        assert!(!a.is_null());
        assert_eq!(resolve(a, 375.0), 300.0);
        assert_eq!(resolve(std::ptr::null(), 10.0), 0.0);
        let zero = intern(0.0, 0.0);
        assert!(!zero.is_null());
        assert_eq!(resolve(zero, 500.0), 0.0);
    }

    /// An animated `calc()` makes a new value every frame: 100,000 distinct
    /// values all resolve (within the documented precision) and, as a handle
    /// holds its value, nothing accumulates anywhere.
    #[test]
    fn animating_calc_values_stores_nothing() {
        for frame in 0..100_000u32 {
            let px = frame as f32 * 0.37 - 5_000.0;
            let percent = (frame % 1000) as f32 / 999.0;
            let handle = intern(px, percent);
            assert_eq!(handle as usize & 0b111, 0);
            let basis = 750.0;
            let expected = px + percent * basis;
            let got = resolve(handle, basis);
            assert!(
                (got - expected).abs() <= 0.01,
                "frame {frame}: {got} != {expected}"
            );
        }
    }

    #[test]
    fn huge_and_tiny_terms_keep_their_sign_and_size() {
        for (px, percent) in [(1e30, -1e-30), (-0.0, -1.0), (f32::MAX, 0.5)] {
            let got = resolve(intern(px, percent), 2.0);
            let expected = px + percent * 2.0;
            assert!(
                (got - expected).abs() <= expected.abs() * 1e-5,
                "{got} {expected}"
            );
        }
    }
}
