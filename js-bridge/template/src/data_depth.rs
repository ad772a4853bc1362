//! Bounding how deep page data may nest.
//!
//! Why: `serde_json::Value` clones, drops, compares and prints itself
//! recursively, and so do the evaluator's conversions; a value nested
//! 100,000 deep overflows the stack in any of them. The logic thread
//! accepts setData data up to about 2,000 levels; this crate keeps every
//! value it stores within [`MAX_DATA_DEPTH`] (deeper parts become `null`,
//! reported to the caller), measures depth without recursing, and drops
//! cut-off parts without recursing.

use serde_json::Value;

/// How deep page data may nest (the page data object is level 0, its
/// fields level 1): 2,048. At least the ~1,000-2,000 levels the logic
/// thread accepts from `setData`, so data it accepts is never cut here;
/// recursive walks over a value this deep use well under 1 MiB of stack.
pub const MAX_DATA_DEPTH: usize = 2048;

/// Whether `value` nests more than `max` levels below itself (a scalar is
/// 0 levels, `[1]` is 1). Iterative.
pub(crate) fn deeper_than(value: &Value, max: usize) -> bool {
    let mut stack = vec![(value, 0usize)];
    while let Some((v, depth)) = stack.pop() {
        let children: Box<dyn Iterator<Item = &Value>> = match v {
            Value::Array(items) => Box::new(items.iter()),
            Value::Object(map) => Box::new(map.values()),
            _ => continue,
        };
        for child in children {
            if depth + 1 > max {
                return true;
            }
            stack.push((child, depth + 1));
        }
    }
    false
}

/// A copy of `value` with everything more than `max` levels below it
/// replaced by `null`; the flag says whether anything was cut. Recursion is
/// bounded by `max`.
pub(crate) fn clone_bounded(value: &Value, max: usize) -> (Value, bool) {
    if !deeper_than(value, max) {
        return (value.clone(), false);
    }
    fn copy(value: &Value, remaining: usize) -> Value {
        match value {
            Value::Array(items) if remaining == 0 && !items.is_empty() => Value::Null,
            Value::Object(map) if remaining == 0 && !map.is_empty() => Value::Null,
            Value::Array(items) => {
                Value::Array(items.iter().map(|v| copy(v, remaining - 1)).collect())
            }
            Value::Object(map) => Value::Object(
                map.iter()
                    .map(|(k, v)| (k.clone(), copy(v, remaining - 1)))
                    .collect(),
            ),
            other => other.clone(),
        }
    }
    (copy(value, max), true)
}

/// Cuts `value` in place to at most `max` levels (deeper containers become
/// `null`); returns whether anything was cut. For callers holding data of
/// unknown depth (a page's initial data) before handing it to an instance.
/// Iterative, and the cut-off parts are dropped iteratively too.
pub fn limit_data_depth(value: &mut Value, max: usize) -> bool {
    let mut cut = false;
    let mut stack = vec![(value, 0usize)];
    while let Some((v, depth)) = stack.pop() {
        let is_full_container = match v {
            Value::Array(items) => !items.is_empty(),
            Value::Object(map) => !map.is_empty(),
            _ => false,
        };
        if !is_full_container {
            continue;
        }
        if depth >= max {
            drop_iteratively(std::mem::take(v));
            cut = true;
            continue;
        }
        match v {
            Value::Array(items) => stack.extend(items.iter_mut().map(|c| (c, depth + 1))),
            Value::Object(map) => stack.extend(map.values_mut().map(|c| (c, depth + 1))),
            _ => {}
        }
    }
    cut
}

/// Drops a value of any depth without recursing.
pub fn drop_iteratively(value: Value) {
    let mut stack = vec![value];
    while let Some(v) = stack.pop() {
        match v {
            Value::Array(items) => stack.extend(items),
            Value::Object(map) => stack.extend(map.into_iter().map(|(_, v)| v)),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// `[[[...[1]...]]]`, `depth` arrays deep, built without recursion.
    fn nested_arrays(depth: usize) -> Value {
        let mut v = json!(1);
        for _ in 0..depth {
            v = Value::Array(vec![v]);
        }
        v
    }

    #[test]
    fn measures_depth_exactly() {
        assert!(!deeper_than(&json!(1), 0));
        assert!(!deeper_than(&json!([]), 0));
        assert!(deeper_than(&json!([1]), 0));
        assert!(!deeper_than(&json!({"a": [1]}), 2));
        assert!(deeper_than(&json!({"a": [1]}), 1));
    }

    #[test]
    fn very_deep_values_are_cut_and_dropped_without_overflow() {
        let mut deep = nested_arrays(200_000);
        assert!(deeper_than(&deep, MAX_DATA_DEPTH));
        let (copy, cut) = clone_bounded(&deep, 3);
        assert!(cut);
        assert_eq!(copy, json!([[[null]]]));
        assert!(limit_data_depth(&mut deep, MAX_DATA_DEPTH));
        assert!(!deeper_than(&deep, MAX_DATA_DEPTH));
        drop_iteratively(deep);
    }

    #[test]
    fn data_within_the_limit_is_untouched() {
        // Within the limit, clones recurse: the logic thread's stack.
        let thread = std::thread::Builder::new()
            .stack_size(16 << 20)
            .spawn(within_the_limit);
        assert!(thread.expect("spawn").join().is_ok());
    }

    fn within_the_limit() {
        let mut v = nested_arrays(MAX_DATA_DEPTH);
        assert!(!limit_data_depth(&mut v, MAX_DATA_DEPTH));
        let (copy, cut) = clone_bounded(&v, MAX_DATA_DEPTH);
        assert!(!cut);
        assert!(!deeper_than(&copy, MAX_DATA_DEPTH));
        drop_iteratively(copy);
        drop_iteratively(v);
    }
}
