//! Expression evaluation with dependency recording.
//!
//! Every intermediate value carries its *origin*: the data path it was read
//! from, when it was read from data unchanged. Member access extends the
//! origin instead of recording it; any other use *consumes* the value and
//! records its origin as a deep dependency. So `{{list[3].name}}` depends on
//! `list[3].name` only, `{{a ? b : c}}` on `a` and the branch taken, and a
//! `wx:for` item (whose origin is `list[i]`) maps reads through the alias
//! back to data paths.

use crate::data_path::{lookup_segment, parse_array_index, DataPath, PathSegment};
use crate::deps::DepKind;
use crate::diagnostic::TemplateDiagnostic;
use crate::ir::{ArrayField, BinaryOp, Expr, IrFor, IrValue, KeySpec, ObjectField, UnaryOp};
use crate::value::{
    less_than, loose_equals, spread_into_array, spread_into_object, strict_equals, to_int32, JsVal,
};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// Where a scope value (a `wx:for` item or a template data field) comes
/// from. Values read from data are re-read on every evaluation, so they are
/// never stale and their reads record data paths.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Source {
    Path(DataPath),
    Value(Value),
}

/// The data a template body sees (`data="{{...}}"`), field by field.
pub(crate) type TemplateData = BTreeMap<String, Source>;

/// One enclosing `wx:for` frame.
pub(crate) struct Frame<'a> {
    pub item: &'a Source,
    pub index: &'a Value,
}

/// What top-level names read.
pub(crate) enum DataRoot<'a> {
    Page,
    Template(&'a TemplateData),
}

/// One list item as a `wx:for` evaluation produces it.
pub(crate) struct ListItem {
    pub source: Source,
    pub index: Value,
    pub key: Option<String>,
}

/// The most items one `wx:for` renders: 10,000. A list that long is
/// already far past what a phone scrolls smoothly (WeChat's own guidance
/// is to page long lists), and each item costs nodes, bindings and
/// memory; a longer list (or number, or string) renders its first 10,000
/// items, with a diagnostic at the `wx:for`.
pub const MAX_LIST_ITEMS: usize = 10_000;

struct Ev<'a> {
    val: JsVal<'a>,
    origin: Option<DataPath>,
}

impl<'a> Ev<'a> {
    fn computed(val: JsVal<'a>) -> Self {
        Ev { val, origin: None }
    }
}

pub(crate) struct Evaluator<'a, 'f> {
    data: &'a Value,
    frames: &'f [Frame<'a>],
    root: DataRoot<'a>,
    file: &'f str,
    pub deps: Vec<(DataPath, DepKind)>,
    pub diags: Vec<TemplateDiagnostic>,
    /// The length of the last `wx:for` list when it was cut to
    /// [`MAX_LIST_ITEMS`].
    pub list_truncated_from: Option<usize>,
}

impl<'a, 'f> Evaluator<'a, 'f> {
    pub(crate) fn new(
        data: &'a Value,
        frames: &'f [Frame<'a>],
        root: DataRoot<'a>,
        file: &'f str,
    ) -> Self {
        Evaluator {
            data,
            frames,
            root,
            file,
            deps: Vec::new(),
            diags: Vec::new(),
            list_truncated_from: None,
        }
    }

    /// Evaluates a text or attribute value to its JS value.
    pub(crate) fn value(&mut self, v: &IrValue) -> JsVal<'a> {
        match v {
            IrValue::Static(s) => JsVal::str(s.clone()),
            IrValue::Dynamic(e) => self.consumed(e),
        }
    }

    fn consumed(&mut self, e: &Expr) -> JsVal<'a> {
        let ev = self.eval(e);
        self.consume(ev)
    }

    fn consume(&mut self, ev: Ev<'a>) -> JsVal<'a> {
        if let Some(path) = ev.origin {
            self.deps.push((path, DepKind::Deep));
        }
        ev.val
    }

    fn source(&self, src: &'a Source) -> Ev<'a> {
        match src {
            Source::Path(p) => Ev {
                val: p
                    .lookup(self.data)
                    .map_or(JsVal::Undefined, JsVal::Borrowed),
                origin: Some(p.clone()),
            },
            Source::Value(v) => Ev::computed(JsVal::Borrowed(v)),
        }
    }

    fn member(&mut self, obj: Ev<'a>, seg: PathSegment) -> Ev<'a> {
        let key = seg.as_key();
        let is_length =
            key == "length" && matches!(obj.val.json(), Some(Value::Array(_) | Value::String(_)));
        let val = obj.val.member(&key);
        if is_length {
            // A list's length changes only when the list or one of its item
            // slots is written: a shallow dependency, not one on `.length`.
            if let Some(path) = obj.origin {
                self.deps.push((path, DepKind::Shallow));
            }
            return Ev::computed(val);
        }
        Ev {
            val,
            origin: obj.origin.map(|p| p.child(seg)),
        }
    }

    fn eval(&mut self, e: &Expr) -> Ev<'a> {
        match e {
            Expr::Scope(i) => match self.frames.get(i / 2) {
                Some(frame) if i % 2 == 0 => self.source(frame.item),
                Some(frame) => Ev::computed(JsVal::Borrowed(frame.index)),
                None => Ev::computed(JsVal::Undefined),
            },
            // A module as a value (not called, not a member) is opaque.
            Expr::WxsModule(_) => Ev::computed(JsVal::Undefined),
            Expr::Data(name) => match self.root {
                DataRoot::Page => Ev {
                    val: lookup_segment(self.data, &PathSegment::Key(name.clone()))
                        .map_or(JsVal::Undefined, JsVal::Borrowed),
                    origin: Some(DataPath::field(name)),
                },
                DataRoot::Template(fields) => match fields.get(name) {
                    Some(src) => self.source(src),
                    None => Ev::computed(JsVal::Undefined),
                },
            },
            Expr::Undefined => Ev::computed(JsVal::Undefined),
            Expr::Null => Ev::computed(JsVal::Owned(Value::Null)),
            Expr::Str(s) => Ev::computed(JsVal::str(s.clone())),
            Expr::Num(n) => Ev::computed(JsVal::Number(*n)),
            Expr::Bool(b) => Ev::computed(JsVal::bool(*b)),
            Expr::Object(fields) => {
                let mut map = Map::new();
                for field in fields {
                    match field {
                        ObjectField::Named(name, value) => {
                            if let Some(v) = self.consumed(value).into_json() {
                                map.insert(name.clone(), v);
                            }
                        }
                        ObjectField::Spread(value) => {
                            let v = self.consumed(value);
                            spread_into_object(&mut map, &v);
                        }
                    }
                }
                Ev::computed(JsVal::Owned(Value::Object(map)))
            }
            Expr::Array(fields) => {
                let mut items = Vec::new();
                for field in fields {
                    match field {
                        ArrayField::Item(value) => {
                            items.push(self.consumed(value).into_json().unwrap_or(Value::Null))
                        }
                        ArrayField::Spread(value) => {
                            let v = self.consumed(value);
                            spread_into_array(&mut items, &v);
                        }
                        ArrayField::Hole => items.push(Value::Null),
                    }
                }
                Ev::computed(JsVal::Owned(Value::Array(items)))
            }
            Expr::Member(module, name) if matches!(**module, Expr::WxsModule(_)) => {
                let Expr::WxsModule(module) = &**module else {
                    unreachable!("matched above")
                };
                match crate::wxs_call::export(module, name) {
                    Ok(value) => Ev::computed(value.map_or(JsVal::Undefined, JsVal::Owned)),
                    Err(message) => {
                        self.diags
                            .push(TemplateDiagnostic::error(self.file, (1, 1), message));
                        Ev::computed(JsVal::Undefined)
                    }
                }
            }
            Expr::Member(obj, name) => {
                let obj = self.eval(obj);
                self.member(obj, PathSegment::Key(name.clone()))
            }
            Expr::Index(obj, key) => {
                let obj = self.eval(obj);
                let key = self.consumed(key);
                let seg = segment_for(&key);
                self.member(obj, seg)
            }
            Expr::Call { at, callee, args } => {
                let Expr::Member(module, function) = &**callee else {
                    self.diags.push(TemplateDiagnostic::error(
                        self.file,
                        *at,
                        "only WXS module functions can be called in templates (`m.fn(...)`)",
                    ));
                    return Ev::computed(JsVal::Undefined);
                };
                let Expr::WxsModule(module) = &**module else {
                    self.diags.push(TemplateDiagnostic::error(
                        self.file,
                        *at,
                        format!("`{function}` is not a function of a <wxs> module"),
                    ));
                    return Ev::computed(JsVal::Undefined);
                };
                let args: Vec<Value> = args
                    .iter()
                    .map(|a| self.consumed(a).into_json().unwrap_or(Value::Null))
                    .collect();
                match crate::wxs_call::call(module, function, &args) {
                    Ok(value) => Ev::computed(JsVal::Owned(value)),
                    Err(message) => {
                        self.diags
                            .push(TemplateDiagnostic::error(self.file, *at, message));
                        Ev::computed(JsVal::Undefined)
                    }
                }
            }
            Expr::Unary(op, value) => {
                let v = self.consumed(value);
                Ev::computed(match op {
                    UnaryOp::Not => JsVal::bool(!v.truthy()),
                    UnaryOp::BitNot => JsVal::Number(f64::from(!to_int32(v.to_number()))),
                    UnaryOp::Plus => JsVal::Number(v.to_number()),
                    UnaryOp::Minus => JsVal::Number(-v.to_number()),
                    UnaryOp::TypeOf => JsVal::str(v.type_of()),
                    UnaryOp::Void => JsVal::Undefined,
                })
            }
            Expr::Binary(op, left, right) => self.binary(*op, left, right),
            Expr::Cond(cond, yes, no) => {
                if self.consumed(cond).truthy() {
                    self.eval(yes)
                } else {
                    self.eval(no)
                }
            }
            Expr::Display(value) => {
                let v = self.consumed(value);
                Ev::computed(JsVal::str(v.to_display_string()))
            }
        }
    }

    fn binary(&mut self, op: BinaryOp, left: &Expr, right: &Expr) -> Ev<'a> {
        // Short-circuit operators pass the chosen operand through unconsumed,
        // so a member access on the result still narrows its dependency.
        match op {
            BinaryOp::And | BinaryOp::Or | BinaryOp::Nullish => {
                let l = self.consumed(left);
                let take_left = match op {
                    BinaryOp::And => !l.truthy(),
                    BinaryOp::Or => l.truthy(),
                    _ => !l.is_nullish(),
                };
                return if take_left {
                    Ev::computed(l)
                } else {
                    self.eval(right)
                };
            }
            _ => {}
        }
        let l = self.consumed(left);
        let r = self.consumed(right);
        let num = |f: fn(f64, f64) -> f64| JsVal::Number(f(l.to_number(), r.to_number()));
        let int = |f: fn(i32, i32) -> f64| {
            JsVal::Number(f(to_int32(l.to_number()), to_int32(r.to_number())))
        };
        Ev::computed(match op {
            BinaryOp::Add => {
                let stringy = |v: &JsVal| {
                    matches!(
                        v.json(),
                        Some(Value::String(_) | Value::Array(_) | Value::Object(_))
                    )
                };
                if stringy(&l) || stringy(&r) {
                    JsVal::str(l.to_js_string() + &r.to_js_string())
                } else {
                    num(|a, b| a + b)
                }
            }
            BinaryOp::Sub => num(|a, b| a - b),
            BinaryOp::Mul => num(|a, b| a * b),
            BinaryOp::Div => num(|a, b| a / b),
            BinaryOp::Rem => num(|a, b| a % b),
            BinaryOp::Shl => int(|a, b| f64::from(a.wrapping_shl(b as u32 & 31))),
            BinaryOp::Shr => int(|a, b| f64::from(a.wrapping_shr(b as u32 & 31))),
            BinaryOp::UShr => int(|a, b| f64::from((a as u32).wrapping_shr(b as u32 & 31))),
            BinaryOp::BitAnd => int(|a, b| f64::from(a & b)),
            BinaryOp::BitOr => int(|a, b| f64::from(a | b)),
            BinaryOp::BitXor => int(|a, b| f64::from(a ^ b)),
            BinaryOp::Lt => JsVal::bool(less_than(&l, &r) == Some(true)),
            BinaryOp::Gt => JsVal::bool(less_than(&r, &l) == Some(true)),
            BinaryOp::Le => JsVal::bool(less_than(&r, &l) == Some(false)),
            BinaryOp::Ge => JsVal::bool(less_than(&l, &r) == Some(false)),
            BinaryOp::Eq => JsVal::bool(loose_equals(&l, &r)),
            BinaryOp::Ne => JsVal::bool(!loose_equals(&l, &r)),
            BinaryOp::StrictEq => JsVal::bool(strict_equals(&l, &r)),
            BinaryOp::StrictNe => JsVal::bool(!strict_equals(&l, &r)),
            // Templates have no constructors to test against.
            BinaryOp::InstanceOf => JsVal::bool(false),
            BinaryOp::And | BinaryOp::Or | BinaryOp::Nullish => JsVal::Undefined,
        })
    }

    /// Evaluates a `<template data>` object field by field, keeping data
    /// origins so that the template body's reads depend on data paths. Only
    /// the object's shape is a dependency of the data binding itself.
    pub(crate) fn template_data(&mut self, e: &Expr) -> TemplateData {
        let mut out = TemplateData::new();
        match e {
            Expr::Object(fields) => {
                for field in fields {
                    match field {
                        ObjectField::Named(name, value) => {
                            let ev = self.eval(value);
                            match ev.origin {
                                Some(path) => {
                                    out.insert(name.clone(), Source::Path(path));
                                }
                                None => {
                                    if let Some(v) = ev.val.into_json() {
                                        out.insert(name.clone(), Source::Value(v));
                                    }
                                }
                            }
                        }
                        ObjectField::Spread(value) => {
                            let ev = self.eval(value);
                            self.spread_sources(ev, &mut out);
                        }
                    }
                }
            }
            other => {
                let ev = self.eval(other);
                self.spread_sources(ev, &mut out);
            }
        }
        out
    }

    fn spread_sources(&mut self, ev: Ev<'a>, out: &mut TemplateData) {
        if let Some(path) = &ev.origin {
            self.deps.push((path.clone(), DepKind::Shallow));
        }
        let Some(Value::Object(map)) = ev.val.json() else {
            return;
        };
        for (key, value) in map {
            let source = match &ev.origin {
                Some(path) => Source::Path(path.child(PathSegment::Key(key.clone()))),
                None => Source::Value(value.clone()),
            };
            out.insert(key.clone(), source);
        }
    }

    /// Evaluates a `wx:for` list into items with their sources and keys
    /// (at most [`MAX_LIST_ITEMS`]; see [`Self::list_truncated_from`]).
    pub(crate) fn list(&mut self, ir: &IrFor) -> Vec<ListItem> {
        let ev = match &ir.list {
            IrValue::Static(s) => Ev::computed(JsVal::str(s.clone())),
            IrValue::Dynamic(e) => self.eval(e),
        };
        if let Some(path) = &ev.origin {
            self.deps.push((path.clone(), DepKind::Shallow));
        }
        // Never sized from the data: a list may claim any length.
        let mut items = Vec::new();
        let mut total = 0usize;
        let value_item = |v: Value, index: Value| ListItem {
            source: Source::Value(v),
            index,
            key: None,
        };
        match (ev.val.json(), &ev.origin) {
            (Some(Value::Array(values)), Some(path)) => {
                total = values.len();
                for i in 0..values.len().min(MAX_LIST_ITEMS) {
                    let source = Source::Path(path.child(PathSegment::Index(i)));
                    items.push(ListItem {
                        source,
                        index: Value::from(i),
                        key: None,
                    });
                }
            }
            (Some(Value::Array(values)), None) => {
                total = values.len();
                items.extend(
                    values
                        .iter()
                        .take(MAX_LIST_ITEMS)
                        .enumerate()
                        .map(|(i, v)| value_item(v.clone(), Value::from(i))),
                );
            }
            (Some(Value::Object(map)), origin) => {
                total = map.len();
                for (k, v) in map.iter().take(MAX_LIST_ITEMS) {
                    let source = match origin {
                        Some(path) => Source::Path(path.child(PathSegment::Key(k.clone()))),
                        None => Source::Value(v.clone()),
                    };
                    items.push(ListItem {
                        source,
                        index: Value::String(k.clone()),
                        key: None,
                    });
                }
            }
            (Some(Value::String(s)), _) => {
                total = s.chars().count();
                for (i, c) in s.chars().take(MAX_LIST_ITEMS).enumerate() {
                    items.push(value_item(Value::String(c.to_string()), Value::from(i)));
                }
            }
            _ => {
                let n = ev.val.to_number();
                if n.is_finite() && n >= 1.0 && matches!(ev.val.type_of(), "number") {
                    // Saturating cast: 1e300 is "very many", not UB.
                    total = n as usize;
                    for i in 0..total.min(MAX_LIST_ITEMS) {
                        items.push(value_item(Value::from(i), Value::from(i)));
                    }
                }
            }
        }
        self.list_truncated_from = (total > MAX_LIST_ITEMS).then_some(total);
        if ir.key != KeySpec::None {
            for item in &mut items {
                item.key = self.item_key(&item.source, &ir.key);
            }
        }
        items
    }

    fn item_key(&mut self, source: &Source, key: &KeySpec) -> Option<String> {
        let (value, path): (Option<&Value>, Option<DataPath>) = match source {
            Source::Path(p) => (p.lookup(self.data), Some(p.clone())),
            Source::Value(v) => (Some(v), None),
        };
        let (value, path) = match key {
            KeySpec::None => return None,
            KeySpec::This => (value, path),
            KeySpec::Property(name) => {
                let seg = PathSegment::Key(name.clone());
                (
                    value.and_then(|v| lookup_segment(v, &seg)),
                    path.map(|p| p.child(seg)),
                )
            }
        };
        if let Some(path) = path {
            self.deps.push((path, DepKind::Deep));
        }
        match value? {
            Value::String(s) => Some(s.clone()),
            Value::Null => None,
            other => Some(JsVal::Borrowed(other).to_js_string()),
        }
    }
}

/// The path segment a computed key names (`a[0]` vs `a['x']`).
fn segment_for(key: &JsVal) -> PathSegment {
    if let JsVal::Number(n) = key {
        if *n >= 0.0 && n.fract() == 0.0 && *n < 9.0e15 {
            return PathSegment::Index(*n as usize);
        }
    }
    if let Some(Value::Number(n)) = key.json() {
        if let Some(i) = n.as_u64() {
            return PathSegment::Index(i as usize);
        }
    }
    let text = key.to_js_string();
    match parse_array_index(&text) {
        Some(i) => PathSegment::Index(i),
        None => PathSegment::Key(text),
    }
}
