//! The resource limits of the two QuickJS runtimes (the logic thread's and
//! WXS's), and the words a diagnostic adds when JS hits one.
//!
//! Why: a package is untrusted. Without a heap limit an endless allocation
//! grows until the host dies; without a stack limit below the thread's
//! native stack, deep recursion (JS, or `JSON` on deep input) overflows the
//! native stack and kills the process. QuickJS turns both limits into
//! ordinary JS exceptions (`InternalError: out of memory`, `RangeError:
//! Maximum call stack size exceeded`) at the JS line that hit them, which
//! the logic thread reports as located diagnostics and survives.

use crate::heap_budget::{BudgetAllocator, HeapBudget};
use rquickjs::Runtime;
use std::rc::Rc;
use std::time::Duration;

/// The default heap limit of an app's logic runtime: 256 MiB. WeChat
/// publishes no fixed figure; on phones it warns a mini program
/// (`wx.onMemoryWarning`) and kills it when the process reaches a few
/// hundred MB in all, so a real app's JS heap stays well below this, while
/// a runaway allocation is stopped within a second instead of exhausting
/// the host. Hosts change it through `LogicOptions::memory_limit_bytes`.
pub const DEFAULT_MEMORY_LIMIT_BYTES: usize = 256 << 20;

/// The heap limit of the WXS runtime: 64 MiB. WXS functions format values
/// for the view; they hold no app state, and WeChat runs them in the
/// render layer, where memory is tighter still.
pub const WXS_MEMORY_LIMIT_BYTES: usize = 64 << 20;

/// How much native stack JS may use below the point where Rust enters
/// QuickJS (rquickjs records that point on every entry): 4 MiB. QuickJS's
/// own default is 1 MiB; 4 MiB allows about 10,000 nested JS calls, about
/// what Chrome allows, and lets `JSON.stringify`/`JSON.parse` walk setData
/// data at its depth limit (`data_json::MAX_SET_DATA_DEPTH`) with room to
/// spare. Deeper recursion is a `RangeError`, never a native overflow: the
/// logic thread's native stack (`logic::LOGIC_STACK_BYTES`) is far larger,
/// so Rust's own frames (template walks that call WXS) fit around it.
pub const JS_MAX_STACK_BYTES: usize = 4 << 20;

/// The JS stack of the WXS runtime: 1 MiB (QuickJS's default). WXS
/// functions are small and called from inside the template's own walk, so
/// they get less of the thread's stack than the app's logic.
pub const WXS_MAX_STACK_BYTES: usize = 1 << 20;

/// A runtime whose heap is limited to `memory_bytes` (by the allocator:
/// see [`crate::heap_budget`]) and whose JS stack to `stack_bytes`, with
/// the budget its allocator reports refusals to.
pub(crate) fn limited_runtime(
    memory_bytes: usize,
    stack_bytes: usize,
) -> rquickjs::Result<(Runtime, Rc<HeapBudget>)> {
    let budget = HeapBudget::new(memory_bytes);
    let runtime = Runtime::new_with_alloc(BudgetAllocator::new(budget.clone()))?;
    runtime.set_max_stack_size(stack_bytes);
    Ok((runtime, budget))
}

/// What a failure's message gains when JS hit a limit: the watchdog's
/// budget for an interruption, the heap limit for an allocation failure.
/// Other messages are returned unchanged.
pub(crate) fn explain(message: &str, watchdog: Duration, memory_bytes: usize) -> String {
    let first_line = message.lines().next().unwrap_or_default();
    let note = if first_line.contains("interrupted") {
        format!(
            " (the watchdog interrupted JS that ran longer than {} ms)",
            watchdog.as_millis()
        )
    } else if first_line.contains("out of memory") {
        format!(
            " (the app's JS heap is limited to {} MiB)",
            memory_bytes >> 20
        )
    } else {
        return message.to_owned();
    };
    match message.split_once('\n') {
        Some((first, rest)) => format!("{first}{note}\n{rest}"),
        None => format!("{message}{note}"),
    }
}

/// Whether a failure's message is QuickJS running out of heap.
pub(crate) fn is_out_of_memory(message: &str) -> bool {
    message
        .lines()
        .next()
        .is_some_and(|line| line.contains("out of memory"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_are_explained_on_the_first_line() {
        let budget = Duration::from_millis(250);
        assert_eq!(
            explain("InternalError: interrupted\n    at f (a.js:1:2)", budget, 1 << 20),
            "InternalError: interrupted (the watchdog interrupted JS that ran longer than 250 ms)\n    at f (a.js:1:2)"
        );
        assert_eq!(
            explain("InternalError: out of memory", budget, 256 << 20),
            "InternalError: out of memory (the app's JS heap is limited to 256 MiB)"
        );
        assert_eq!(explain("TypeError: x", budget, 1), "TypeError: x");
        assert!(is_out_of_memory("InternalError: out of memory\n  at"));
        assert!(!is_out_of_memory("TypeError: x\nout of memory"));
    }
}
