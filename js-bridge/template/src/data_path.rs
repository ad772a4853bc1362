//! setData paths (`a.b[2].c`) and applying them to the page data mirror.
//!
//! A path is a list of segments, each an object key or an array index. Keys
//! and indices compare by their decimal text (`list.0` and `list[0]` name the
//! same place), which is how JS property access behaves too.

use crate::data_depth::{clone_bounded, MAX_DATA_DEPTH};
use crate::TemplateError;
use serde_json::{Map, Value};
use std::fmt;

/// Keys that name an object's prototype machinery in JS. The logic thread
/// applies the same paths to JS objects, where such a segment would reach
/// (and let a page pollute) `Object.prototype`; the mirror refuses them the
/// same way so both sides agree on what a path means.
pub const FORBIDDEN_PATH_KEYS: [&str; 3] = ["__proto__", "constructor", "prototype"];

/// The most segments a data path may have: [`MAX_DATA_DEPTH`], as no
/// deeper place can hold data.
pub const MAX_PATH_SEGMENTS: usize = MAX_DATA_DEPTH;

/// One step of a data path.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum PathSegment {
    Key(String),
    Index(usize),
}

impl PathSegment {
    /// The property name JS would use for this segment.
    pub fn as_key(&self) -> std::borrow::Cow<'_, str> {
        match self {
            PathSegment::Key(k) => std::borrow::Cow::Borrowed(k),
            PathSegment::Index(i) => std::borrow::Cow::Owned(i.to_string()),
        }
    }

    /// The array index this segment names, if any (`Key("3")` names 3).
    pub fn as_index(&self) -> Option<usize> {
        match self {
            PathSegment::Index(i) => Some(*i),
            PathSegment::Key(k) => parse_array_index(k),
        }
    }

    /// Same place in the data (`Key("0")` matches `Index(0)`).
    pub fn same_as(&self, other: &PathSegment) -> bool {
        match (self, other) {
            (PathSegment::Key(a), PathSegment::Key(b)) => a == b,
            (PathSegment::Index(a), PathSegment::Index(b)) => a == b,
            _ => self.as_key() == other.as_key(),
        }
    }
}

/// Parses a canonical array index ("0", "12"; not "01" or "-1").
pub(crate) fn parse_array_index(s: &str) -> Option<usize> {
    if s.is_empty() || (s.len() > 1 && s.starts_with('0')) || !s.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    s.parse().ok()
}

/// A path into the page data, as written in a setData key.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct DataPath {
    pub segments: Vec<PathSegment>,
}

impl DataPath {
    pub fn new(segments: Vec<PathSegment>) -> Self {
        DataPath { segments }
    }

    /// A one-segment path naming a top-level data field.
    pub fn field(name: &str) -> Self {
        DataPath {
            segments: vec![PathSegment::Key(name.to_owned())],
        }
    }

    /// This path extended by one segment.
    pub fn child(&self, segment: PathSegment) -> Self {
        let mut segments = Vec::with_capacity(self.segments.len() + 1);
        segments.extend(self.segments.iter().cloned());
        segments.push(segment);
        DataPath { segments }
    }

    /// Whether `self` is `other` or one of its ancestors.
    pub fn is_prefix_of(&self, other: &DataPath) -> bool {
        self.segments.len() <= other.segments.len()
            && self
                .segments
                .iter()
                .zip(&other.segments)
                .all(|(a, b)| a.same_as(b))
    }

    /// Looks the path up in `data` (JS semantics: a key on an array may name
    /// an index, an index on an object names the key of that text).
    pub fn lookup<'a>(&self, data: &'a Value) -> Option<&'a Value> {
        let mut cur = data;
        for seg in &self.segments {
            cur = lookup_segment(cur, seg)?;
        }
        Some(cur)
    }
}

/// One step of [`DataPath::lookup`].
pub(crate) fn lookup_segment<'a>(value: &'a Value, seg: &PathSegment) -> Option<&'a Value> {
    match value {
        Value::Object(map) => map.get(seg.as_key().as_ref()),
        Value::Array(items) => items.get(seg.as_index()?),
        _ => None,
    }
}

impl fmt::Display for DataPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, seg) in self.segments.iter().enumerate() {
            match seg {
                PathSegment::Index(n) => write!(f, "[{n}]")?,
                PathSegment::Key(k) => {
                    if i > 0 {
                        f.write_str(".")?;
                    }
                    for c in k.chars() {
                        if matches!(c, '.' | '[' | ']' | '\\') {
                            f.write_str("\\")?;
                        }
                        write!(f, "{c}")?;
                    }
                }
            }
        }
        Ok(())
    }
}

/// Parses a setData key: `a.b[2].c`, `list[0]`, `['a.b']` (a quoted key
/// inside brackets), with `\` escaping `.`, `[` and `]` in plain keys.
/// Linear in the key's length; refuses a path of more than
/// [`MAX_PATH_SEGMENTS`] segments or with a key of
/// [`FORBIDDEN_PATH_KEYS`].
pub fn parse_data_path(s: &str) -> Result<DataPath, TemplateError> {
    let path = parse_segments(s)?;
    check_path(s, &path)?;
    Ok(path)
}

/// The limits every stored path keeps (see [`parse_data_path`]).
fn check_path(text: &str, path: &DataPath) -> Result<(), TemplateError> {
    let err = |reason: String| TemplateError::InvalidDataPath {
        path: text.to_owned(),
        reason,
    };
    if path.segments.len() > MAX_PATH_SEGMENTS {
        return Err(err(format!(
            "more than {MAX_PATH_SEGMENTS} segments (nested too deeply)"
        )));
    }
    for segment in &path.segments {
        if let PathSegment::Key(key) = segment {
            if FORBIDDEN_PATH_KEYS.contains(&key.as_str()) {
                return Err(err(format!(
                    "`{key}` cannot be a data path segment (it names an object's prototype)"
                )));
            }
        }
    }
    Ok(())
}

fn parse_segments(s: &str) -> Result<DataPath, TemplateError> {
    let err = |reason: &str| TemplateError::InvalidDataPath {
        path: s.to_owned(),
        reason: reason.to_owned(),
    };
    let mut segments = Vec::new();
    let mut chars = s.chars().peekable();
    // Whether the next plain key is required (start, or right after a dot).
    let mut expect_key = true;
    loop {
        match chars.peek().copied() {
            None => {
                if expect_key {
                    return Err(err(if segments.is_empty() {
                        "empty path"
                    } else {
                        "path ends with `.`"
                    }));
                }
                break;
            }
            Some('[') => {
                if expect_key && !segments.is_empty() {
                    return Err(err("`[` right after `.`"));
                }
                chars.next();
                let segment = match chars.peek().copied() {
                    Some(q @ ('\'' | '"')) => {
                        chars.next();
                        let mut key = String::new();
                        loop {
                            match chars.next() {
                                None => return Err(err("unclosed quote")),
                                Some('\\') => match chars.next() {
                                    Some(c) => key.push(c),
                                    None => return Err(err("unclosed quote")),
                                },
                                Some(c) if c == q => break,
                                Some(c) => key.push(c),
                            }
                        }
                        PathSegment::Key(key)
                    }
                    _ => {
                        let mut digits = String::new();
                        while let Some(c) = chars.peek().copied() {
                            if c == ']' {
                                break;
                            }
                            digits.push(c);
                            chars.next();
                        }
                        let digits = digits.trim();
                        match digits.parse::<usize>() {
                            Ok(n)
                                if !digits.is_empty()
                                    && digits.bytes().all(|b| b.is_ascii_digit()) =>
                            {
                                PathSegment::Index(n)
                            }
                            _ => {
                                return Err(err("an index in `[ ]` must be a non-negative integer"))
                            }
                        }
                    }
                };
                if chars.next() != Some(']') {
                    return Err(err("missing `]`"));
                }
                segments.push(segment);
                expect_key = false;
            }
            Some('.') => {
                if expect_key {
                    return Err(err("empty key"));
                }
                chars.next();
                expect_key = true;
            }
            Some(_) => {
                if !expect_key {
                    return Err(err("a key must follow `.`"));
                }
                let mut key = String::new();
                while let Some(c) = chars.peek().copied() {
                    match c {
                        '.' | '[' => break,
                        ']' => return Err(err("unexpected `]`")),
                        '\\' => {
                            chars.next();
                            match chars.next() {
                                Some(escaped) => key.push(escaped),
                                None => return Err(err("path ends with `\\`")),
                            }
                        }
                        c => {
                            key.push(c);
                            chars.next();
                        }
                    }
                }
                segments.push(PathSegment::Key(key));
                expect_key = false;
            }
        }
    }
    Ok(DataPath { segments })
}

/// Applies setData updates in order, creating missing intermediate objects
/// (for a key) or arrays (for an index) the way WeChat does. Writing an index
/// past an array's end pads it with `null` (JS holes serialize as null).
///
/// Returns what was refused or cut, for the caller to report at its setData
/// call: a path breaking [`parse_data_path`]'s limits is skipped, and a value
/// that would nest deeper than [`MAX_DATA_DEPTH`] is stored with its deeper
/// part as `null`.
pub fn apply_set_data(data: &mut Value, updates: &[(DataPath, Value)]) -> Vec<TemplateError> {
    let mut problems = Vec::new();
    for (path, value) in updates {
        if let Err(e) = check_path(&path.to_string(), path) {
            problems.push(e);
            continue;
        }
        let room = MAX_DATA_DEPTH - path.segments.len();
        let (value, cut) = clone_bounded(value, room);
        if cut {
            problems.push(TemplateError::DataTooDeep {
                path: path.to_string(),
            });
        }
        set_path(data, &path.segments, value);
    }
    problems
}

/// The most `null` holes one write may add to an array; a larger index is
/// almost surely a bug and would otherwise exhaust memory.
const MAX_ARRAY_PADDING: usize = 1 << 20;

/// Writes `value` at `segments` below `target` (iterative: paths may be
/// long).
fn set_path(target: &mut Value, segments: &[PathSegment], value: Value) {
    let mut cur = target;
    for (i, seg) in segments.iter().enumerate() {
        let Some(slot) = slot_for(cur, seg) else {
            return;
        };
        if let Some(next) = segments.get(i + 1) {
            if !matches!(slot, Value::Object(_) | Value::Array(_)) {
                *slot = match next {
                    PathSegment::Index(_) => Value::Array(Vec::new()),
                    PathSegment::Key(_) => Value::Object(Map::new()),
                };
            }
        }
        cur = slot;
    }
    *cur = value;
}

/// The place `seg` names inside `target`, made to exist. A non-container
/// target is replaced by the container the segment calls for.
fn slot_for<'a>(target: &'a mut Value, seg: &PathSegment) -> Option<&'a mut Value> {
    if !matches!(target, Value::Object(_) | Value::Array(_)) {
        *target = match seg {
            PathSegment::Index(_) => Value::Array(Vec::new()),
            PathSegment::Key(_) => Value::Object(Map::new()),
        };
    }
    match target {
        Value::Object(map) => Some(map.entry(seg.as_key().into_owned()).or_insert(Value::Null)),
        Value::Array(items) => {
            // A non-numeric key on an array has no JSON representation; the
            // write is dropped (JS would add an invisible property).
            let index = seg.as_index()?;
            if index > items.len() + MAX_ARRAY_PADDING {
                return None;
            }
            if index >= items.len() {
                items.resize(index + 1, Value::Null);
            }
            items.get_mut(index)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn key(k: &str) -> PathSegment {
        PathSegment::Key(k.to_owned())
    }

    #[test]
    fn parses_wechat_paths() {
        assert_eq!(
            parse_data_path("a.b[2].c").unwrap().segments,
            vec![key("a"), key("b"), PathSegment::Index(2), key("c")]
        );
        assert_eq!(
            parse_data_path("list[0]").unwrap().segments,
            vec![key("list"), PathSegment::Index(0)]
        );
        assert_eq!(
            parse_data_path("m[1][2]").unwrap().segments,
            vec![key("m"), PathSegment::Index(1), PathSegment::Index(2)]
        );
        assert_eq!(
            parse_data_path("['a.b'].c").unwrap().segments,
            vec![key("a.b"), key("c")]
        );
        assert_eq!(parse_data_path(r"a\.b").unwrap().segments, vec![key("a.b")]);
        assert_eq!(
            parse_data_path("a.0").unwrap().segments,
            vec![key("a"), key("0")]
        );
    }

    #[test]
    fn rejects_malformed_paths() {
        for bad in [
            "", "a.", ".a", "a..b", "a[x]", "a[-1]", "a[1", "a]", "a[1]b", "['a",
        ] {
            assert!(parse_data_path(bad).is_err(), "{bad:?} should be rejected");
        }
    }

    #[test]
    fn display_round_trips() {
        for s in ["a.b[2].c", "list[0]", r"a\.b.c"] {
            assert_eq!(parse_data_path(s).unwrap().to_string(), s);
        }
    }

    #[test]
    fn apply_creates_intermediate_objects_and_arrays() {
        let mut data = json!({"a": 1});
        let updates = [
            (parse_data_path("x.y.z").unwrap(), json!(1)),
            (parse_data_path("list[2].name").unwrap(), json!("n")),
            (parse_data_path("a.b").unwrap(), json!(true)),
        ];
        apply_set_data(&mut data, &updates);
        assert_eq!(
            data,
            json!({"a": {"b": true}, "x": {"y": {"z": 1}}, "list": [null, null, {"name": "n"}]})
        );
    }

    #[test]
    fn apply_writes_in_order_and_keys_index_arrays() {
        let mut data = json!({"list": [1, 2, 3]});
        let updates = [
            (parse_data_path("list.1").unwrap(), json!(20)),
            (parse_data_path("list[1]").unwrap(), json!(21)),
            (parse_data_path("list.name").unwrap(), json!("dropped")),
        ];
        apply_set_data(&mut data, &updates);
        assert_eq!(data, json!({"list": [1, 21, 3]}));
    }

    #[test]
    fn apply_refuses_absurd_padding() {
        let mut data = json!({"list": []});
        let problems = apply_set_data(
            &mut data,
            &[(parse_data_path("list[4000000000]").unwrap(), json!(1))],
        );
        assert!(problems.is_empty());
        assert_eq!(data, json!({"list": []}));
    }

    #[test]
    fn prototype_keys_are_refused_in_every_spelling() {
        for bad in [
            "__proto__",
            "__proto__.polluted",
            "a.constructor.prototype",
            "a['__proto__']",
            "a[\"prototype\"].x",
            r"a.\_\_proto\_\_",
            "list[0].constructor",
        ] {
            let err = parse_data_path(bad).unwrap_err();
            assert!(err.to_string().contains("prototype"), "{bad:?}: {err}");
        }
        // Only whole segments: similar names are ordinary keys.
        assert!(parse_data_path("proto.constructors.__proto").is_ok());
    }

    #[test]
    fn long_paths_are_bounded_and_parsed_in_linear_time() {
        let ok = vec!["a"; MAX_PATH_SEGMENTS].join(".");
        assert_eq!(
            parse_data_path(&ok).unwrap().segments.len(),
            MAX_PATH_SEGMENTS
        );
        let started = std::time::Instant::now();
        let long = vec!["a"; 100_000].join(".");
        let err = parse_data_path(&long).unwrap_err();
        assert!(err.to_string().contains("nested too deeply"), "{err}");
        let brackets = "a".to_owned() + &"[0]".repeat(100_000);
        assert!(parse_data_path(&brackets).is_err());
        assert!(started.elapsed() < std::time::Duration::from_secs(2));
    }

    #[test]
    fn apply_refuses_unsafe_paths_and_cuts_deep_values() {
        // The logic thread's stack: values 2,048 deep are cloned and
        // dropped recursively (by design: that is within the limit).
        let run = || {
            let mut data = json!({});
            let sneaky = DataPath::new(vec![key("__proto__"), key("x")]);
            let mut deep = json!(1);
            for _ in 0..MAX_DATA_DEPTH + 10 {
                deep = Value::Object([("d".to_owned(), deep)].into_iter().collect());
            }
            let updates = vec![(sneaky, json!(1)), (parse_data_path("a.b").unwrap(), deep)];
            let problems = apply_set_data(&mut data, &updates);
            assert_eq!(problems.len(), 2, "{problems:?}");
            assert!(matches!(problems[1], TemplateError::DataTooDeep { .. }));
            assert!(data.get("__proto__").is_none());
            assert!(!crate::data_depth::deeper_than(&data, MAX_DATA_DEPTH));
            for (_, value) in updates {
                crate::drop_iteratively(value);
            }
            crate::drop_iteratively(data);
        };
        let thread = std::thread::Builder::new().stack_size(16 << 20).spawn(run);
        assert!(thread.expect("spawn").join().is_ok());
    }

    #[test]
    fn prefix_relation_treats_index_and_key_alike() {
        let a = parse_data_path("list[3]").unwrap();
        let b = parse_data_path("list.3.name").unwrap();
        assert!(a.is_prefix_of(&b));
        assert!(!b.is_prefix_of(&a));
    }
}
