//! JS value semantics over JSON data, for template expressions.
//!
//! Page data is JSON, but expressions need what JSON lacks: `undefined`,
//! `NaN`/`Infinity`, and cheap borrowing of large data. [`JsVal`] borrows data
//! where it can and owns computed values. Conversions follow ECMAScript
//! (`ToString`, `ToNumber`, `ToBoolean`, `==`), simplified where templates
//! cannot tell the difference.

use serde_json::{Map, Number, Value};

/// A value produced while evaluating an expression.
#[derive(Debug, Clone)]
pub(crate) enum JsVal<'a> {
    Undefined,
    /// A value read from data or scope, not copied.
    Borrowed(&'a Value),
    /// A computed value.
    Owned(Value),
    /// A computed number (may be NaN or infinite, which JSON cannot hold).
    Number(f64),
}

impl<'a> JsVal<'a> {
    pub(crate) fn str(s: impl Into<String>) -> Self {
        JsVal::Owned(Value::String(s.into()))
    }

    pub(crate) fn bool(b: bool) -> Self {
        JsVal::Owned(Value::Bool(b))
    }

    /// The JSON value, if this is not undefined or a bare number.
    pub(crate) fn json(&self) -> Option<&Value> {
        match self {
            JsVal::Borrowed(v) => Some(v),
            JsVal::Owned(v) => Some(v),
            JsVal::Undefined | JsVal::Number(_) => None,
        }
    }

    pub(crate) fn is_nullish(&self) -> bool {
        matches!(self, JsVal::Undefined) || matches!(self.json(), Some(Value::Null))
    }

    pub(crate) fn truthy(&self) -> bool {
        match self {
            JsVal::Undefined => false,
            JsVal::Number(n) => *n != 0.0 && !n.is_nan(),
            JsVal::Borrowed(v) => json_truthy(v),
            JsVal::Owned(v) => json_truthy(v),
        }
    }

    pub(crate) fn type_of(&self) -> &'static str {
        match self {
            JsVal::Undefined => "undefined",
            JsVal::Number(_) => "number",
            JsVal::Borrowed(v) => json_type_of(v),
            JsVal::Owned(v) => json_type_of(v),
        }
    }

    pub(crate) fn to_number(&self) -> f64 {
        match self {
            JsVal::Undefined => f64::NAN,
            JsVal::Number(n) => *n,
            JsVal::Borrowed(v) => json_to_number(v),
            JsVal::Owned(v) => json_to_number(v),
        }
    }

    /// JS `String(v)`.
    pub(crate) fn to_js_string(&self) -> String {
        match self {
            JsVal::Undefined => "undefined".to_owned(),
            JsVal::Number(n) => number_to_string(*n),
            JsVal::Borrowed(v) => json_to_string(v),
            JsVal::Owned(v) => json_to_string(v),
        }
    }

    /// What a text node or a `{{ }}` inside a string shows: like `String(v)`
    /// but null and undefined show nothing (glass-easel's `Y` helper).
    pub(crate) fn to_display_string(&self) -> String {
        if self.is_nullish() {
            String::new()
        } else {
            self.to_js_string()
        }
    }

    /// The JSON form (`JSON.stringify` semantics for what JSON lacks:
    /// undefined becomes `None`, NaN and infinities become null).
    pub(crate) fn into_json(self) -> Option<Value> {
        match self {
            JsVal::Undefined => None,
            JsVal::Number(n) => Some(number_to_json(n)),
            JsVal::Borrowed(v) => Some(v.clone()),
            JsVal::Owned(v) => Some(v),
        }
    }

    /// The property `key` of this value (member access never throws in
    /// templates: a missing object gives undefined).
    pub(crate) fn member(&self, key: &str) -> JsVal<'a> {
        match self {
            JsVal::Borrowed(v) => member_of(v, key),
            JsVal::Owned(v) => detach(member_of(v, key)),
            JsVal::Undefined | JsVal::Number(_) => JsVal::Undefined,
        }
    }

    /// Identity of a borrowed object or array (for `===` on objects).
    fn object_ptr(&self) -> Option<*const Value> {
        match self {
            JsVal::Borrowed(v @ (Value::Object(_) | Value::Array(_))) => Some(*v as *const Value),
            _ => None,
        }
    }

    fn is_object(&self) -> bool {
        matches!(self.json(), Some(Value::Object(_) | Value::Array(_)))
    }

    /// A string value, when this is one.
    pub(crate) fn as_str(&self) -> Option<&str> {
        match self.json() {
            Some(Value::String(s)) => Some(s),
            _ => None,
        }
    }
}

/// Copies whatever `v` borrows, so it can outlive the value it was read from.
fn detach<'b>(v: JsVal<'_>) -> JsVal<'b> {
    match v {
        JsVal::Borrowed(x) => JsVal::Owned(x.clone()),
        JsVal::Owned(x) => JsVal::Owned(x),
        JsVal::Number(n) => JsVal::Number(n),
        JsVal::Undefined => JsVal::Undefined,
    }
}

fn json_type_of(v: &Value) -> &'static str {
    match v {
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Null | Value::Array(_) | Value::Object(_) => "object",
    }
}

/// `obj[key]` on a JSON value, borrowing the result where possible.
fn member_of<'a>(v: &'a Value, key: &str) -> JsVal<'a> {
    match v {
        Value::Object(map) => map.get(key).map_or(JsVal::Undefined, JsVal::Borrowed),
        Value::Array(items) => {
            if key == "length" {
                return JsVal::Number(items.len() as f64);
            }
            match crate::data_path::parse_array_index(key) {
                Some(i) => items.get(i).map_or(JsVal::Undefined, JsVal::Borrowed),
                None => JsVal::Undefined,
            }
        }
        Value::String(s) => {
            if key == "length" {
                return JsVal::Number(s.encode_utf16().count() as f64);
            }
            match crate::data_path::parse_array_index(key) {
                Some(i) => {
                    let units: Vec<u16> = s.encode_utf16().collect();
                    match units.get(i) {
                        Some(u) => JsVal::str(String::from_utf16_lossy(&[*u])),
                        None => JsVal::Undefined,
                    }
                }
                None => JsVal::Undefined,
            }
        }
        _ => JsVal::Undefined,
    }
}

fn json_truthy(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().is_some_and(|f| f != 0.0 && !f.is_nan()),
        Value::String(s) => !s.is_empty(),
        Value::Array(_) | Value::Object(_) => true,
    }
}

fn json_to_number(v: &Value) -> f64 {
    match v {
        Value::Null => 0.0,
        Value::Bool(b) => f64::from(u8::from(*b)),
        Value::Number(n) => n.as_f64().unwrap_or(f64::NAN),
        Value::String(s) => string_to_number(s),
        Value::Array(_) => string_to_number(&json_to_string(v)),
        Value::Object(_) => f64::NAN,
    }
}

/// JS `Number(string)`: trimmed; empty is 0; hex with `0x`; otherwise decimal.
pub(crate) fn string_to_number(s: &str) -> f64 {
    let t = s.trim();
    if t.is_empty() {
        return 0.0;
    }
    if let Some(hex) = t.strip_prefix("0x").or_else(|| t.strip_prefix("0X")) {
        return u64::from_str_radix(hex, 16).map_or(f64::NAN, |n| n as f64);
    }
    match t {
        "Infinity" | "+Infinity" => return f64::INFINITY,
        "-Infinity" => return f64::NEG_INFINITY,
        _ => {}
    }
    // Rust accepts "inf"/"nan" spellings that JS does not.
    if t.bytes()
        .any(|b| b.is_ascii_alphabetic() && b != b'e' && b != b'E')
    {
        return f64::NAN;
    }
    t.parse::<f64>().unwrap_or(f64::NAN)
}

/// JS `String(v)` for JSON values.
pub(crate) fn json_to_string(v: &Value) -> String {
    match v {
        Value::Null => "null".to_owned(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => match n.as_i64() {
            Some(i) => i.to_string(),
            None => number_to_string(n.as_f64().unwrap_or(f64::NAN)),
        },
        Value::String(s) => s.clone(),
        Value::Array(items) => items
            .iter()
            .map(|item| {
                if item.is_null() {
                    String::new()
                } else {
                    json_to_string(item)
                }
            })
            .collect::<Vec<_>>()
            .join(","),
        Value::Object(_) => "[object Object]".to_owned(),
    }
}

/// JS `Number.prototype.toString()` for the common cases: integers without a
/// fraction, shortest round-trip decimals, exponent form outside
/// [1e-7, 1e21).
pub(crate) fn number_to_string(n: f64) -> String {
    if n.is_nan() {
        return "NaN".to_owned();
    }
    if n.is_infinite() {
        return if n > 0.0 { "Infinity" } else { "-Infinity" }.to_owned();
    }
    if n == 0.0 {
        return "0".to_owned();
    }
    let abs = n.abs();
    if (1e-7..1e21).contains(&abs) {
        if n.fract() == 0.0 && abs < 9.007_199_254_740_992e15 {
            return format!("{}", n as i64);
        }
        return format!("{n}");
    }
    // Rust writes `1e21` / `1.5e-8`; JS writes `1e+21` / `1.5e-8`.
    let s = format!("{n:e}");
    match s.split_once('e') {
        Some((mantissa, exp)) if !exp.starts_with('-') => format!("{mantissa}e+{exp}"),
        _ => s,
    }
}

/// A computed number as JSON: integral values become integers (so `{{a+1}}`
/// gives `2`, not `2.0`); NaN and infinities become null.
pub(crate) fn number_to_json(n: f64) -> Value {
    if n.fract() == 0.0 && n.abs() < 9.007_199_254_740_992e15 {
        return Value::Number(Number::from(n as i64));
    }
    Number::from_f64(n).map_or(Value::Null, Value::Number)
}

/// JS `==`.
pub(crate) fn loose_equals(a: &JsVal, b: &JsVal) -> bool {
    if a.is_nullish() || b.is_nullish() {
        return a.is_nullish() && b.is_nullish();
    }
    if a.is_object() && b.is_object() {
        return same_object(a, b);
    }
    if a.is_object() || b.is_object() {
        // ToPrimitive of an object is its string form.
        let (obj, prim) = if a.is_object() { (a, b) } else { (b, a) };
        let obj_str = JsVal::str(obj.to_js_string());
        return loose_equals(&obj_str, prim);
    }
    match (a.as_str(), b.as_str()) {
        (Some(x), Some(y)) => x == y,
        _ => a.to_number() == b.to_number(),
    }
}

/// JS `===`.
pub(crate) fn strict_equals(a: &JsVal, b: &JsVal) -> bool {
    match (a.type_of(), b.type_of()) {
        (ta, tb) if ta != tb => false,
        ("undefined", _) => true,
        ("number", _) => a.to_number() == b.to_number(),
        ("string", _) => a.as_str() == b.as_str(),
        ("boolean", _) => a.truthy() == b.truthy(),
        _ => {
            // Both "object": null, arrays, objects.
            let a_null = matches!(a.json(), Some(Value::Null));
            let b_null = matches!(b.json(), Some(Value::Null));
            if a_null || b_null {
                return a_null && b_null;
            }
            same_object(a, b)
        }
    }
}

fn same_object(a: &JsVal, b: &JsVal) -> bool {
    matches!((a.object_ptr(), b.object_ptr()), (Some(x), Some(y)) if std::ptr::eq(x, y))
}

/// JS `<` (and friends via swapping): strings compare by code units, the
/// rest numerically; any NaN compares false.
pub(crate) fn less_than(a: &JsVal, b: &JsVal) -> Option<bool> {
    let pa = primitive_for_compare(a);
    let pb = primitive_for_compare(b);
    if let (Some(x), Some(y)) = (pa.as_str(), pb.as_str()) {
        return Some(x.encode_utf16().lt(y.encode_utf16()));
    }
    let (x, y) = (pa.to_number(), pb.to_number());
    if x.is_nan() || y.is_nan() {
        return None;
    }
    Some(x < y)
}

fn primitive_for_compare<'a>(v: &JsVal<'a>) -> JsVal<'a> {
    if v.is_object() {
        JsVal::str(v.to_js_string())
    } else {
        v.clone()
    }
}

/// JS ToInt32.
pub(crate) fn to_int32(n: f64) -> i32 {
    if !n.is_finite() {
        return 0;
    }
    let m = n.trunc() % 4_294_967_296.0;
    let m = if m < 0.0 { m + 4_294_967_296.0 } else { m };
    (m as u32) as i32
}

/// Spreads `v` into an object literal being built (`{...v}`).
pub(crate) fn spread_into_object(target: &mut Map<String, Value>, v: &JsVal) {
    match v.json() {
        Some(Value::Object(map)) => {
            for (k, val) in map {
                target.insert(k.clone(), val.clone());
            }
        }
        Some(Value::Array(items)) => {
            for (i, val) in items.iter().enumerate() {
                target.insert(i.to_string(), val.clone());
            }
        }
        Some(Value::String(s)) => {
            for (i, c) in s.chars().enumerate() {
                target.insert(i.to_string(), Value::String(c.to_string()));
            }
        }
        _ => {}
    }
}

/// Spreads `v` into an array literal being built (`[...v]`).
pub(crate) fn spread_into_array(target: &mut Vec<Value>, v: &JsVal) {
    match v.json() {
        Some(Value::Array(items)) => target.extend(items.iter().cloned()),
        Some(Value::String(s)) => target.extend(s.chars().map(|c| Value::String(c.to_string()))),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn numbers_print_like_js() {
        assert_eq!(number_to_string(3.0), "3");
        assert_eq!(number_to_string(-0.5), "-0.5");
        assert_eq!(number_to_string(1e21), "1e+21");
        assert_eq!(number_to_string(1.5e-8), "1.5e-8");
        assert_eq!(number_to_string(f64::NAN), "NaN");
        assert_eq!(number_to_json(2.0), json!(2));
        assert_eq!(number_to_json(f64::INFINITY), Value::Null);
    }

    #[test]
    fn conversions_follow_js() {
        assert_eq!(string_to_number(" 12 "), 12.0);
        assert_eq!(string_to_number(""), 0.0);
        assert!(string_to_number("inf").is_nan());
        assert_eq!(json_to_string(&json!([1, null, "a"])), "1,,a");
        assert!(!JsVal::Owned(json!("")).truthy());
        assert!(JsVal::Owned(json!("false")).truthy());
        assert!(loose_equals(&JsVal::Undefined, &JsVal::Owned(Value::Null)));
        assert!(!strict_equals(
            &JsVal::Undefined,
            &JsVal::Owned(Value::Null)
        ));
        assert!(loose_equals(&JsVal::Owned(json!("1")), &JsVal::Number(1.0)));
        assert!(loose_equals(
            &JsVal::Owned(json!(true)),
            &JsVal::Number(1.0)
        ));
        assert_eq!(
            less_than(&JsVal::Owned(json!("a")), &JsVal::Owned(json!("b"))),
            Some(true)
        );
        assert_eq!(
            less_than(&JsVal::Number(f64::NAN), &JsVal::Number(1.0)),
            None
        );
        assert_eq!(to_int32(4_294_967_297.0), 1);
    }
}
