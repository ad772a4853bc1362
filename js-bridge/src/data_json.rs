//! Reading the JSON text JS hands to Rust (setData values and keys, a
//! page's or component's initial data, WXS results) into
//! `serde_json::Value`s, with a depth limit of its own and lone surrogates
//! carried as U+FFFD.
//!
//! Why hand-written: `serde_json::from_str` refuses anything nested deeper
//! than 128 levels (its recursion limit) and every string holding a lone
//! surrogate, which `JSON.stringify` writes as a `\udXXX` escape (ES2019's
//! well-formed stringify) and JS strings may legally hold. Both failed a
//! whole `setData` with no location. Here a linear pre-scan measures the
//! nesting (outside strings) and finds the lone surrogate escapes; text
//! within [`MAX_SET_DATA_DEPTH`] is then parsed with serde_json's recursion
//! limit lifted (so the parse recurses at most that deep), with each lone
//! escape rewritten to `\uFFFD` in place (same length, so still valid
//! UTF-8). Deeper text is refused before anything is built, so no deep
//! `Value` is ever created, cloned or dropped.

use serde::Deserialize;
use serde_json::Value;
use std::borrow::Cow;

/// How deep one setData value (and a page's or component's initial data)
/// may nest: 2,000 levels (`[1]` is one level). The issue asks for at
/// least 1,000; browsers' `JSON.parse` accepts far deeper input, but every
/// tree walk over the data (the mirror, the template's bindings) recurses,
/// and cirrus-template keeps stored data within its own `MAX_DATA_DEPTH`
/// (2,048 levels, counted from the page data object): 2,000 leaves room for
/// the key's path. Parsing, comparing and dropping a value this deep uses
/// a few MiB of stack at most in a debug build, well inside the logic
/// thread's (see `logic::LOGIC_STACK_BYTES`).
pub(crate) const MAX_SET_DATA_DEPTH: usize = 2_000;

/// Why a JSON text was not read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum DataJsonError {
    #[error("is nested too deeply ({depth} levels; the limit is {limit})")]
    TooDeep { depth: usize, limit: usize },
    #[error("is not valid JSON: {0}")]
    Invalid(String),
}

/// What one pass over the text found.
struct Scan {
    /// The deepest container nesting outside strings.
    depth: usize,
    /// Byte offsets of the four hex digits of each lone surrogate escape.
    lone_surrogates: Vec<usize>,
}

/// Parses `text` (JSON as `JSON.stringify` writes it) when it nests at most
/// `max_depth` levels; lone surrogate escapes read as U+FFFD.
pub(crate) fn parse(text: &str, max_depth: usize) -> Result<Value, DataJsonError> {
    let scan = scan(text);
    if scan.depth > max_depth {
        return Err(DataJsonError::TooDeep {
            depth: scan.depth,
            limit: max_depth,
        });
    }
    let text = repair(text, &scan.lone_surrogates);
    let mut deserializer = serde_json::Deserializer::from_str(&text);
    // Bounded by the scan above: the parse recurses at most `max_depth`.
    deserializer.disable_recursion_limit();
    let value =
        Value::deserialize(&mut deserializer).map_err(|e| DataJsonError::Invalid(e.to_string()))?;
    deserializer
        .end()
        .map_err(|e| DataJsonError::Invalid(e.to_string()))?;
    Ok(value)
}

/// [`parse`] with the setData limit, for a value that must be a string
/// (a key): anything else is `None`.
pub(crate) fn parse_strings(text: &str) -> Option<Vec<String>> {
    match parse(text, 1).ok()? {
        Value::Array(items) => items
            .into_iter()
            .map(|item| match item {
                Value::String(text) => Some(text),
                _ => None,
            })
            .collect(),
        _ => None,
    }
}

/// One linear pass: nesting depth outside strings, and lone surrogates.
fn scan(text: &str) -> Scan {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut deepest = 0usize;
    let mut lone_surrogates = Vec::new();
    let mut in_string = false;
    let mut i = 0;
    while i < bytes.len() {
        let byte = bytes[i];
        if in_string {
            match byte {
                b'"' => in_string = false,
                b'\\' => {
                    if bytes.get(i + 1) == Some(&b'u') {
                        i = scan_unicode_escape(bytes, i, &mut lone_surrogates);
                        continue;
                    }
                    // Any other escape is two bytes; skip the escaped one.
                    i += 1;
                }
                _ => {}
            }
        } else {
            match byte {
                b'"' => in_string = true,
                b'[' | b'{' => {
                    depth += 1;
                    deepest = deepest.max(depth);
                }
                b']' | b'}' => depth = depth.saturating_sub(1),
                _ => {}
            }
        }
        i += 1;
    }
    Scan {
        depth: deepest,
        lone_surrogates,
    }
}

/// The code unit of the `\uXXXX` escape at `at`, if it is one.
fn unicode_escape(bytes: &[u8], at: usize) -> Option<u16> {
    if bytes.get(at) != Some(&b'\\') || bytes.get(at + 1) != Some(&b'u') {
        return None;
    }
    let hex = std::str::from_utf8(bytes.get(at + 2..at + 6)?).ok()?;
    u16::from_str_radix(hex, 16).ok()
}

/// Handles the `\u` escape at `at`; returns the offset after it (and after
/// its low half, for a pair). A lone half is recorded.
fn scan_unicode_escape(bytes: &[u8], at: usize, lone: &mut Vec<usize>) -> usize {
    let Some(unit) = unicode_escape(bytes, at) else {
        // Malformed: leave it for serde_json to refuse.
        return at + 2;
    };
    let next = at + 6;
    match unit {
        0xD800..=0xDBFF => match unicode_escape(bytes, next) {
            Some(0xDC00..=0xDFFF) => next + 6,
            _ => {
                lone.push(at + 2);
                next
            }
        },
        0xDC00..=0xDFFF => {
            lone.push(at + 2);
            next
        }
        _ => next,
    }
}

/// `text` with the hex digits at each of `offsets` replaced by `FFFD`.
fn repair<'a>(text: &'a str, offsets: &[usize]) -> Cow<'a, str> {
    if offsets.is_empty() {
        return Cow::Borrowed(text);
    }
    let mut bytes = text.as_bytes().to_vec();
    for &offset in offsets {
        bytes[offset..offset + 4].copy_from_slice(b"FFFD");
    }
    // ASCII replaced by ASCII: the text stays valid UTF-8.
    Cow::Owned(
        String::from_utf8(bytes)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn nested(depth: usize) -> String {
        format!("{}1{}", "[".repeat(depth), "]".repeat(depth))
    }

    #[test]
    fn depth_is_counted_outside_strings() {
        assert_eq!(scan(r#"{"a":[1,{"b":"[[[["}]}"#).depth, 3);
        assert_eq!(scan(r#""\"[""#).depth, 0);
        assert_eq!(scan("1").depth, 0);
    }

    #[test]
    fn deep_data_up_to_the_limit_parses_and_deeper_is_refused() {
        // serde_json alone stops at 128.
        assert!(serde_json::from_str::<Value>(&nested(200)).is_err());
        // Parsing and dropping a value at the limit recurses that deep: run it
        // on a thread with the logic thread's stack, as the app does.
        let at_limit = std::thread::Builder::new()
            .stack_size(crate::logic::LOGIC_STACK_BYTES)
            .spawn(|| parse(&nested(MAX_SET_DATA_DEPTH), MAX_SET_DATA_DEPTH).is_ok())
            .unwrap()
            .join()
            .unwrap();
        assert!(at_limit);
        assert_eq!(
            parse(&nested(MAX_SET_DATA_DEPTH + 1), MAX_SET_DATA_DEPTH),
            Err(DataJsonError::TooDeep {
                depth: MAX_SET_DATA_DEPTH + 1,
                limit: MAX_SET_DATA_DEPTH
            })
        );
        // Far deeper text is refused by the scan without recursing at all.
        assert!(matches!(
            parse(&nested(1_000_000), MAX_SET_DATA_DEPTH),
            Err(DataJsonError::TooDeep { .. })
        ));
    }

    #[test]
    fn lone_surrogates_become_replacement_characters() {
        let value = parse(r#"["a\ud800b", "\udc00", "\ud83d\ude00", "\\ud800"]"#, 4).unwrap();
        assert_eq!(value, json!(["a\u{FFFD}b", "\u{FFFD}", "😀", "\\ud800"]));
        // A high half followed by another high half: both are lone.
        assert_eq!(
            parse(r#""\ud800\ud800""#, 1).unwrap(),
            json!("\u{FFFD}\u{FFFD}")
        );
        assert_eq!(
            parse_strings(r#"["k\udfff", "x"]"#),
            Some(vec!["k\u{FFFD}".to_string(), "x".to_string()])
        );
    }

    #[test]
    fn malformed_text_is_an_error_not_a_panic() {
        for text in ["", "[", "\"\\u12", "\"\\ud800\\u12\"", "[1]]", "{\"a\":}"] {
            assert!(
                matches!(parse(text, 10), Err(DataJsonError::Invalid(_))),
                "{text}"
            );
        }
    }
}
