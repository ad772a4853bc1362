//! Lenient, located deserialization: how the configuration files are read
//! into `#[derive(Deserialize)]` types without ever failing on content.
//!
//! serde stops at the first error, but a mini program with one wrong value
//! must still load with the rest of its file (the devtools ignore a bad
//! value too), and the diagnostic must name the value's file, line and
//! column. So:
//!
//! - a field that may be wrong is a [`Lenient<T>`]: `Some(value)` when the
//!   value was valid, `None` when it was absent, `null` or invalid. An
//!   invalid value becomes a [`Problem`] (its path in the document and a
//!   message) instead of an error, and the fields around it still load;
//! - a file is read from its already parsed `serde_json::Value` with
//!   [`from_value`], through [`Tracked`], a deserializer that keeps the path
//!   (keys and indexes) of the value being read, so a problem knows where
//!   it is;
//! - [`Problem::located`] turns that path into file:line:column with
//!   [`crate::json_locate`], which scans the original text.
//!
//! The current path lives in a thread-local for the time of one
//! [`from_value`] call. serde hands a `Deserialize` impl nothing but its
//! deserializer, and derives nest `Lenient<T>` at any depth under
//! deserializers they choose, so the path cannot travel as an argument.
//! Reading from a parsed `Value` (not a text stream) is what makes it safe
//! to drop a failed value and go on: nothing is left half-read.
//!
//! Types with their own rules (an empty `pages`, say) report a problem with
//! their own wording and severity through [`invalid`].

use crate::json_locate::{locate, JsonStep};
use cirrus_protocol::diagnostics::{line_col_at, Diagnostic};
use cirrus_protocol::Severity;
use serde::de::{
    self, DeserializeOwned, DeserializeSeed, Deserializer, Error as _, MapAccess, SeqAccess,
    Unexpected, Visitor,
};
use serde::Deserialize;
use serde_json::{Error, Value};
use std::cell::RefCell;
use std::fmt;

/// One step of a path into a JSON document (owned, unlike
/// [`JsonStep`], as problems outlive the document walk).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Step {
    Key(String),
    Index(usize),
}

impl Step {
    pub fn key(key: &str) -> Step {
        Step::Key(key.to_owned())
    }
}

/// `window.navigationBarTitleText`, `tabBar.list[1].pagePath`.
pub fn path_text(path: &[Step]) -> String {
    let mut out = String::new();
    for step in path {
        match step {
            Step::Key(key) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(key);
            }
            Step::Index(index) => out.push_str(&format!("[{index}]")),
        }
    }
    out
}

/// A value that was present but could not be used.
#[derive(Clone, Debug, PartialEq)]
pub struct Problem {
    /// Where the value is, from the document's root.
    pub path: Vec<Step>,
    pub message: String,
    pub severity: Severity,
}

impl Problem {
    /// The problem as a diagnostic in `file`, at the value's line and
    /// column when the text is known and holds the path (else 1:1, the
    /// document's start, as for any file-level problem).
    pub fn located(&self, file: &str, text: Option<&str>) -> Diagnostic {
        let (line, column) = text
            .and_then(|text| Some(line_col_at(text, offset_of_path(text, &self.path)?)))
            .unwrap_or((1, 1));
        Diagnostic {
            severity: self.severity,
            file: file.to_owned(),
            line,
            column,
            message: self.message.clone(),
        }
    }
}

impl Problem {
    /// [`Problem::located`] in an indexed text: for locating many
    /// problems in one file, each in logarithmic time.
    pub fn located_in(&self, file: &str, text: &crate::text_index::TextIndex) -> Diagnostic {
        let (line, column) = text
            .offset_of_path(&self.path)
            .map(|at| text.line_col(at))
            .unwrap_or((1, 1));
        Diagnostic {
            severity: self.severity,
            file: file.to_owned(),
            line,
            column,
            message: self.message.clone(),
        }
    }
}

/// The byte offset of the value at `path` in the JSON `text`.
pub fn offset_of_path(text: &str, path: &[Step]) -> Option<usize> {
    let steps: Vec<JsonStep> = path
        .iter()
        .map(|step| match step {
            Step::Key(key) => JsonStep::Key(key),
            Step::Index(index) => JsonStep::Index(*index),
        })
        .collect();
    locate(text, &steps)
}

/// A value that is used only when valid: `None` when absent, `null`, or
/// invalid (the last recorded as a [`Problem`] by the [`from_value`] in
/// progress). `Default` is `None`, so `#[serde(default)]` structs of
/// lenient fields accept any subset of their keys.
#[derive(Clone, Debug, PartialEq)]
pub struct Lenient<T>(pub Option<T>);

impl<T> Default for Lenient<T> {
    fn default() -> Self {
        Lenient(None)
    }
}

impl<T> Lenient<T> {
    pub fn get(&self) -> Option<&T> {
        self.0.as_ref()
    }

    pub fn into_inner(self) -> Option<T> {
        self.0
    }

    /// `self` when it holds a value, else `fallback` (a file written over
    /// another: a missing or invalid key keeps the one below).
    pub fn or(self, fallback: Lenient<T>) -> Lenient<T> {
        Lenient(self.0.or(fallback.0))
    }
}

impl<'de, T: DeserializeOwned> Deserialize<'de> for Lenient<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // Buffered first, so a failed `T` never leaves a streaming
        // deserializer half-way through a value. Under `Tracked` this copies
        // a configuration value (small), and the copy is read through
        // `Tracked` again, which continues the same thread-local path.
        let value = Value::deserialize(deserializer)?;
        // `null` reads as "not written": generated configurations write it
        // for unset keys, and it carries no value to complain about.
        if value.is_null() {
            return Ok(Lenient(None));
        }
        with_state(|state| state.pending = None);
        match T::deserialize(Tracked(&value)) {
            Ok(value) => Ok(Lenient(Some(value))),
            Err(error) => {
                record(&error);
                Ok(Lenient(None))
            }
        }
    }
}

/// Deserializes `T` from `value`, which sits at `at` in its document:
/// the value (or `T::default()` if the value as a whole is unusable) and
/// every problem found, with paths from the document's root.
pub fn from_value<T: DeserializeOwned + Default>(value: &Value, at: &[Step]) -> (T, Vec<Problem>) {
    let fresh = State {
        active: true,
        path: at.to_vec(),
        ..State::default()
    };
    // A guard, so a nested call (or a panic) gives the outer state back.
    let _restore = Restore(Some(STATE.with(|s| s.replace(fresh))));
    let result = match T::deserialize(Tracked(value)) {
        Ok(value) => value,
        Err(error) => {
            record(&error);
            T::default()
        }
    };
    let problems = with_state(|state| std::mem::take(&mut state.problems));
    (result, problems)
}

/// Makes the error for a value that is well-formed JSON but breaks the
/// rules of its type, with the message and severity the diagnostic gets
/// (instead of the generic "`key`: <serde's message>; ignored" warning).
/// Called from a `Deserialize` impl; the value's own path is the location.
pub fn invalid<E: de::Error>(message: impl fmt::Display, severity: Severity) -> E {
    let message = message.to_string();
    with_state(|state| {
        if state.active {
            state.pending = Some(Pending {
                path: state.path.clone(),
                custom: Some((message.clone(), severity)),
            });
        }
    });
    E::custom(message)
}

#[derive(Default)]
struct State {
    /// Whether a [`from_value`] is running (else problems are dropped:
    /// a `Lenient` read by some other deserializer still never fails).
    active: bool,
    /// The path of the value being read.
    path: Vec<Step>,
    /// The deepest place an error in flight was raised, with its own
    /// message when it was raised by [`invalid`].
    pending: Option<Pending>,
    problems: Vec<Problem>,
}

struct Pending {
    path: Vec<Step>,
    custom: Option<(String, Severity)>,
}

thread_local! {
    static STATE: RefCell<State> = RefCell::new(State::default());
}

struct Restore(Option<State>);

impl Drop for Restore {
    fn drop(&mut self) {
        if let Some(state) = self.0.take() {
            STATE.with(|s| *s.borrow_mut() = state);
        }
    }
}

fn with_state<R>(f: impl FnOnce(&mut State) -> R) -> R {
    STATE.with(|s| f(&mut s.borrow_mut()))
}

/// Turns the error in flight into a problem, at the place it was raised.
fn record(error: &dyn fmt::Display) {
    with_state(|state| {
        let pending = state.pending.take();
        if !state.active {
            return;
        }
        let (path, custom) = match pending {
            Some(pending) => (pending.path, pending.custom),
            None => (state.path.clone(), None),
        };
        let (message, severity) = custom.unwrap_or_else(|| {
            let message = if path.is_empty() {
                format!("{error}; ignored")
            } else {
                format!("`{}`: {error}; ignored", path_text(&path))
            };
            (message, Severity::Warning)
        });
        state.problems.push(Problem {
            path,
            message,
            severity,
        });
    });
}

/// Notes where an error was raised, if no deeper place is noted yet: an
/// error travels up through every enclosing value, and the innermost one
/// is where the diagnostic belongs.
fn noted<T>(result: Result<T, Error>) -> Result<T, Error> {
    if result.is_err() {
        with_state(|state| {
            if state.active && state.pending.is_none() {
                state.pending = Some(Pending {
                    path: state.path.clone(),
                    custom: None,
                });
            }
        });
    }
    result
}

fn enter(step: Step) {
    with_state(|state| state.path.push(step));
}

fn leave() {
    with_state(|state| {
        state.path.pop();
    });
}

fn unexpected(value: &Value) -> Unexpected<'_> {
    match value {
        Value::Null => Unexpected::Unit,
        Value::Bool(b) => Unexpected::Bool(*b),
        Value::Number(n) => {
            if let Some(u) = n.as_u64() {
                Unexpected::Unsigned(u)
            } else if let Some(i) = n.as_i64() {
                Unexpected::Signed(i)
            } else {
                Unexpected::Float(n.as_f64().unwrap_or(f64::NAN))
            }
        }
        Value::String(s) => Unexpected::Str(s),
        Value::Array(_) => Unexpected::Seq,
        Value::Object(_) => Unexpected::Map,
    }
}

/// A deserializer over a parsed JSON value that records the path of the
/// value being read (see the module documentation). Scalars are read by
/// `serde_json`'s own `&Value` deserializer; objects and arrays go through
/// [`ObjectAccess`] and [`ArrayAccess`], which step the path.
///
/// Unlike `&Value`, an array never deserializes into a struct (serde's
/// derives accept a sequence of fields in order, which would read
/// `"window": ["a", "b"]` as a window): a struct or map needs an object.
pub struct Tracked<'v>(pub &'v Value);

macro_rules! delegate_to_value {
    ($($method:ident)*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
            noted(self.0.$method(visitor))
        }
    )*};
}

impl<'de> Deserializer<'de> for Tracked<'de> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        noted(match self.0 {
            Value::Object(map) => visitor.visit_map(ObjectAccess::new(map)),
            Value::Array(items) => visitor.visit_seq(ArrayAccess::new(items)),
            other => other.deserialize_any(visitor),
        })
    }

    delegate_to_value! {
        deserialize_bool deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64
        deserialize_i128 deserialize_u8 deserialize_u16 deserialize_u32 deserialize_u64
        deserialize_u128 deserialize_f32 deserialize_f64 deserialize_char deserialize_str
        deserialize_string deserialize_bytes deserialize_byte_buf deserialize_unit
        deserialize_identifier
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        noted(match self.0 {
            Value::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        })
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        noted(self.0.deserialize_unit_struct(name, visitor))
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        noted(visitor.visit_newtype_struct(self))
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        noted(match self.0 {
            Value::Array(items) => visitor.visit_seq(ArrayAccess::new(items)),
            other => Err(Error::invalid_type(unexpected(other), &visitor)),
        })
    }

    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        noted(match self.0 {
            Value::Object(map) => visitor.visit_map(ObjectAccess::new(map)),
            other => Err(Error::invalid_type(unexpected(other), &visitor)),
        })
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_map(visitor)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        noted(match self.0 {
            // A string names a unit variant, an object `{"variant": ...}` one
            // with content; anything else is reported against the enum's own
            // `expecting` (`default` or `custom`), not serde_json's generic
            // "string or map".
            Value::String(_) | Value::Object(_) => self.0.deserialize_enum(name, variants, visitor),
            other => Err(Error::invalid_type(unexpected(other), &visitor)),
        })
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_unit()
    }
}

/// An object's entries, each value read with its key on the path.
struct ObjectAccess<'v> {
    entries: serde_json::map::Iter<'v>,
    value: Option<(&'v String, &'v Value)>,
}

impl<'v> ObjectAccess<'v> {
    fn new(map: &'v serde_json::Map<String, Value>) -> Self {
        ObjectAccess {
            entries: map.iter(),
            value: None,
        }
    }
}

impl<'de> MapAccess<'de> for ObjectAccess<'de> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        let Some((key, value)) = self.entries.next() else {
            return Ok(None);
        };
        self.value = Some((key, value));
        seed.deserialize(de::value::BorrowedStrDeserializer::<Error>::new(key))
            .map(Some)
    }

    fn next_value_seed<S: DeserializeSeed<'de>>(&mut self, seed: S) -> Result<S::Value, Error> {
        let (key, value) = self
            .value
            .take()
            .ok_or_else(|| Error::custom("a value was read before its key"))?;
        enter(Step::Key(key.clone()));
        let result = seed.deserialize(Tracked(value));
        leave();
        result
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.entries.len())
    }
}

/// An array's items, each read with its index on the path.
struct ArrayAccess<'v> {
    items: std::iter::Enumerate<std::slice::Iter<'v, Value>>,
}

impl<'v> ArrayAccess<'v> {
    fn new(items: &'v [Value]) -> Self {
        ArrayAccess {
            items: items.iter().enumerate(),
        }
    }
}

impl<'de> SeqAccess<'de> for ArrayAccess<'de> {
    type Error = Error;

    fn next_element_seed<S: DeserializeSeed<'de>>(
        &mut self,
        seed: S,
    ) -> Result<Option<S::Value>, Error> {
        let Some((index, value)) = self.items.next() else {
            return Ok(None);
        };
        enter(Step::Index(index));
        let result = seed.deserialize(Tracked(value));
        leave();
        result.map(Some)
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.items.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[derive(Debug, Default, Deserialize)]
    #[serde(default, rename_all = "camelCase")]
    struct Inner {
        title: Lenient<String>,
        flags: Lenient<Vec<Lenient<bool>>>,
    }

    #[derive(Debug, Default, Deserialize)]
    #[serde(default, rename_all = "camelCase")]
    struct Outer {
        name: Lenient<String>,
        count: Lenient<u32>,
        inner: Lenient<Inner>,
    }

    #[test]
    fn a_bad_value_is_a_problem_at_its_path_and_the_rest_loads() {
        let value = json!({
            "name": 7,
            "count": 3,
            "inner": {"title": "t", "flags": [true, "no", false]},
            "unknown": {"anything": [1, 2]}
        });
        let (outer, problems) = from_value::<Outer>(&value, &[]);
        assert_eq!(outer.name.get(), None);
        assert_eq!(outer.count.get(), Some(&3));
        let inner = outer.inner.get().unwrap();
        assert_eq!(inner.title.get().map(String::as_str), Some("t"));
        let flags: Vec<_> = inner.flags.get().unwrap().iter().map(|f| f.0).collect();
        assert_eq!(flags, [Some(true), None, Some(false)]);
        let paths: Vec<String> = problems.iter().map(|p| path_text(&p.path)).collect();
        // In key order (serde_json maps are sorted).
        assert_eq!(paths, ["inner.flags[1]", "name"]);
        assert!(
            problems[1]
                .message
                .starts_with("`name`: invalid type: integer `7`"),
            "{problems:?}"
        );
        assert_eq!(problems[1].severity, Severity::Warning);
    }

    #[test]
    fn a_struct_is_never_read_from_an_array() {
        let (outer, problems) = from_value::<Outer>(&json!({"inner": ["t"]}), &[]);
        assert!(outer.inner.get().is_none());
        assert_eq!(problems[0].path, [Step::key("inner")]);
    }

    #[test]
    fn problems_are_located_in_the_text() {
        let text = "{\n  \"inner\": {\"title\": 42}\n}";
        let value: Value = serde_json::from_str(text).unwrap();
        let (_, problems) = from_value::<Outer>(&value, &[]);
        let d = problems[0].located("x.json", Some(text));
        assert_eq!((d.file.as_str(), d.line, d.column), ("x.json", 2, 22));
        assert_eq!(
            &text[offset_of_path(text, &problems[0].path).unwrap()..][..2],
            "42"
        );
    }

    #[test]
    fn a_whole_value_of_the_wrong_kind_gives_the_default() {
        let (outer, problems) = from_value::<Outer>(&json!([1]), &[Step::key("at")]);
        assert!(outer.name.get().is_none());
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].path, [Step::key("at")]);
    }
}
