//! The JS heap limit, enforced by the allocator QuickJS calls, so the
//! engine knows when a failure was the heap running out.
//!
//! Why not `JS_SetMemoryLimit` alone: when QuickJS refuses an allocation
//! at its limit, making the `InternalError: out of memory` object needs
//! memory too; at the limit that fails, and QuickJS throws `null` instead,
//! with no message and no stack, which the app's own `throw null` would
//! look like. This allocator refuses at the limit the same way, records
//! that it did, and then lends a small reserve ([`OUT_OF_MEMORY_RESERVE_BYTES`])
//! so the error object and its stack trace can be built: the diagnostic
//! says `out of memory` at the allocating JS line. The reserve is
//! returned when the logic loop takes the refusal ([`HeapBudget::take_refusal`]).

use rquickjs::allocator::{Allocator, RustAllocator};
use std::cell::Cell;
use std::rc::Rc;

/// Room lent past the limit after a refusal: 1 MiB, enough for the error
/// object, its message and a stack trace of a deep JS stack.
pub const OUT_OF_MEMORY_RESERVE_BYTES: usize = 1 << 20;

/// What the allocator and the logic loop share.
#[derive(Debug)]
pub(crate) struct HeapBudget {
    limit: usize,
    used: Cell<usize>,
    refused: Cell<bool>,
}

impl HeapBudget {
    pub fn new(limit: usize) -> Rc<HeapBudget> {
        Rc::new(HeapBudget {
            limit,
            used: Cell::new(0),
            refused: Cell::new(false),
        })
    }

    /// Whether an allocation was refused since the last call (and ends
    /// the loan of the reserve).
    pub fn take_refusal(&self) -> bool {
        self.refused.replace(false)
    }

    /// Whether `more` bytes fit; records a refusal when they do not.
    fn admit(&self, more: usize) -> bool {
        let ceiling = if self.refused.get() {
            self.limit.saturating_add(OUT_OF_MEMORY_RESERVE_BYTES)
        } else {
            self.limit
        };
        let fits = self
            .used
            .get()
            .checked_add(more)
            .is_some_and(|total| total <= ceiling);
        if !fits {
            self.refused.set(true);
        }
        fits
    }
}

/// rquickjs's Rust allocator, within a [`HeapBudget`].
pub(crate) struct BudgetAllocator {
    inner: RustAllocator,
    budget: Rc<HeapBudget>,
}

impl BudgetAllocator {
    pub fn new(budget: Rc<HeapBudget>) -> BudgetAllocator {
        BudgetAllocator {
            inner: RustAllocator,
            budget,
        }
    }

    fn counted(&self, ptr: *mut u8) -> *mut u8 {
        if !ptr.is_null() {
            // SAFETY: `ptr` was just returned by the inner allocator.
            let size = unsafe { RustAllocator::usable_size(ptr) };
            self.budget.used.set(self.budget.used.get() + size);
        }
        ptr
    }
}

// SAFETY: every call is forwarded to `RustAllocator`, which upholds the
// trait's contract; this type only counts sizes and refuses some requests
// (returning null, which the contract allows).
unsafe impl Allocator for BudgetAllocator {
    fn alloc(&mut self, size: usize) -> *mut u8 {
        if !self.budget.admit(size) {
            return std::ptr::null_mut();
        }
        let ptr = self.inner.alloc(size);
        self.counted(ptr)
    }

    fn calloc(&mut self, count: usize, size: usize) -> *mut u8 {
        let Some(total) = count.checked_mul(size) else {
            return std::ptr::null_mut();
        };
        if !self.budget.admit(total) {
            return std::ptr::null_mut();
        }
        let ptr = self.inner.calloc(count, size);
        self.counted(ptr)
    }

    unsafe fn dealloc(&mut self, ptr: *mut u8) {
        // SAFETY (this block and the next): the caller's contract, passed
        // on: `ptr` came from this allocator (so from the inner one).
        unsafe {
            if !ptr.is_null() {
                let size = RustAllocator::usable_size(ptr);
                self.budget
                    .used
                    .set(self.budget.used.get().saturating_sub(size));
            }
            self.inner.dealloc(ptr);
        }
    }

    unsafe fn realloc(&mut self, ptr: *mut u8, new_size: usize) -> *mut u8 {
        if ptr.is_null() {
            // The inner allocator does not take null here.
            return self.alloc(new_size);
        }
        unsafe {
            let old_size = RustAllocator::usable_size(ptr);
            if new_size > old_size && !self.budget.admit(new_size - old_size) {
                return std::ptr::null_mut();
            }
            let new_ptr = self.inner.realloc(ptr, new_size);
            if !new_ptr.is_null() {
                let new_usable = RustAllocator::usable_size(new_ptr);
                let used = self.budget.used.get().saturating_sub(old_size) + new_usable;
                self.budget.used.set(used);
            }
            new_ptr
        }
    }

    unsafe fn usable_size(ptr: *mut u8) -> usize {
        // SAFETY: the caller's contract, passed on.
        unsafe { RustAllocator::usable_size(ptr) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allocations_past_the_limit_are_refused_then_a_reserve_is_lent() {
        let budget = HeapBudget::new(4096);
        let mut allocator = BudgetAllocator::new(budget.clone());
        let small = allocator.alloc(1000);
        assert!(!small.is_null());
        assert!(allocator.alloc(8000).is_null());
        // Refused: the reserve lets the error object be made.
        let error_object = allocator.alloc(8000);
        assert!(!error_object.is_null());
        assert!(budget.take_refusal());
        assert!(!budget.take_refusal());
        unsafe {
            allocator.dealloc(error_object);
            allocator.dealloc(small);
        }
        assert_eq!(budget.used.get(), 0);
        let grown = unsafe { allocator.realloc(std::ptr::null_mut(), 100) };
        let grown = unsafe { allocator.realloc(grown, 2000) };
        assert!(!grown.is_null());
        assert!(unsafe { allocator.realloc(grown, 100_000) }.is_null());
        unsafe { allocator.dealloc(grown) };
        assert_eq!(budget.used.get(), 0);
    }
}
