//! The template IR: what [`crate::lower`] makes of glass-easel's AST, shaped
//! for instantiation and evaluation. Nodes are shared (`Arc`) so that a page
//! instance can keep pointing at them without borrowing the group.
//!
//! Invariants: scope references are already resolved to indices into the
//! enclosing `wx:for` frames of the current scope context (page body,
//! template body or included file), outermost first; positions are 1-based.

use crate::events::EventKind;
use std::sync::Arc;

/// A 1-based (line, column) position.
pub(crate) type Pos = (u32, u32);

#[derive(Debug)]
pub(crate) enum Expr {
    /// `item` / `index` of the enclosing `wx:for` frame `index / 2`
    /// (even: the item, odd: the index).
    Scope(usize),
    /// A `<wxs>` module name (see [`crate::wxs_call`]).
    WxsModule(Arc<crate::wxs_call::WxsModuleRef>),
    /// A top-level data field (or template data field).
    Data(String),
    Undefined,
    Null,
    Str(String),
    Num(f64),
    Bool(bool),
    Object(Vec<ObjectField>),
    Array(Vec<ArrayField>),
    Member(Box<Expr>, String),
    Index(Box<Expr>, Box<Expr>),
    /// A function call: only WXS module functions (`m.fn(args)`) may be
    /// called; anything else is undefined with a diagnostic at `at`.
    Call {
        at: Pos,
        callee: Box<Expr>,
        args: Vec<Expr>,
    },
    Unary(UnaryOp, Box<Expr>),
    Binary(BinaryOp, Box<Expr>, Box<Expr>),
    Cond(Box<Expr>, Box<Expr>, Box<Expr>),
    /// Text interpolation: null and undefined render as "".
    Display(Box<Expr>),
}

#[derive(Debug)]
pub(crate) enum ObjectField {
    Named(String, Expr),
    Spread(Expr),
}

#[derive(Debug)]
pub(crate) enum ArrayField {
    Item(Expr),
    Spread(Expr),
    Hole,
}

#[derive(Debug, Clone, Copy)]
pub(crate) enum UnaryOp {
    Not,
    BitNot,
    Plus,
    Minus,
    TypeOf,
    Void,
}

#[derive(Debug, Clone, Copy)]
pub(crate) enum BinaryOp {
    Mul,
    Div,
    Rem,
    Add,
    Sub,
    Shl,
    Shr,
    UShr,
    Lt,
    Gt,
    Le,
    Ge,
    InstanceOf,
    Eq,
    Ne,
    StrictEq,
    StrictNe,
    BitAnd,
    BitXor,
    BitOr,
    And,
    Or,
    Nullish,
}

/// An attribute or text value: plain text, or an expression (a lone
/// `{{expr}}` keeps the raw value; mixed text is a string concatenation).
#[derive(Debug, Clone)]
pub(crate) enum IrValue {
    Static(String),
    Dynamic(Arc<Expr>),
}

#[derive(Debug)]
pub(crate) enum IrNode {
    Text(IrValue),
    Element(Arc<IrElement>),
    If(Arc<IrIf>),
    For(Arc<IrFor>),
    TemplateRef(Arc<IrTemplateRef>),
    Include(Arc<IrInclude>),
}

/// What an attribute's current value is made from.
#[derive(Debug)]
pub(crate) enum AttrSource {
    Value(IrValue),
    /// Written without a value (`<checkbox checked>`): `true`.
    Present,
    /// `class` composed from a base string and `class:name="{{cond}}"` toggles
    /// (`None`: always on).
    ClassList(Vec<(String, Option<IrValue>)>),
    /// `style` composed from `style:prop="value"` entries.
    StyleList(Vec<(String, IrValue)>),
}

/// What an attribute means besides being passed through as an op.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum AttrRole {
    Plain,
    /// `hidden`: its value is sent as a bool.
    Hidden,
    /// `data-*`: part of the dataset under this (camelCase) key.
    Dataset(String),
    /// `mark:*`: part of the event mark under this key.
    Mark(String),
}

#[derive(Debug)]
pub(crate) struct IrAttr {
    pub name: String,
    pub source: AttrSource,
    pub role: AttrRole,
}

#[derive(Debug)]
pub(crate) struct IrEvent {
    pub event: String,
    pub kind: EventKind,
    pub handler: IrValue,
}

#[derive(Debug)]
pub(crate) struct IrElement {
    pub tag: String,
    /// Where the tag is written (its `<`).
    pub pos: Pos,
    pub attrs: Vec<IrAttr>,
    pub events: Vec<IrEvent>,
    /// `generic:name="tag"` attributes of a custom component tag: the
    /// abstract node `name` of the component is implemented by `tag` (as
    /// resolved in the owner's `usingComponents`).
    pub generics: Vec<(String, String)>,
    pub children: Vec<IrNode>,
}

#[derive(Debug)]
pub(crate) struct IrIf {
    pub branches: Vec<(IrValue, Vec<IrNode>)>,
    pub else_branch: Option<Vec<IrNode>>,
}

/// How `wx:key` identifies list items.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum KeySpec {
    /// No key: items are reused by position.
    None,
    /// `*this`: the item itself.
    This,
    /// A property of the item.
    Property(String),
}

#[derive(Debug)]
pub(crate) struct IrFor {
    /// Where the `wx:for` attribute is written.
    pub pos: Pos,
    pub list: IrValue,
    pub key: KeySpec,
    pub children: Vec<IrNode>,
}

#[derive(Debug)]
pub(crate) struct IrTemplateRef {
    /// The template's name (`is`).
    pub target: IrValue,
    /// The `data` object expression, if any.
    pub data: Option<Arc<Expr>>,
    /// The file this tag is written in: names resolve among its templates
    /// and those of its imports.
    pub file: Arc<str>,
    pub pos: Pos,
}

#[derive(Debug)]
pub(crate) struct IrInclude {
    /// Resolved package path of the included file (with `.wxml`).
    pub path: String,
    pub pos: Pos,
}

/// A `<template name>` definition.
#[derive(Debug)]
pub(crate) struct TemplateDef {
    pub file: Arc<str>,
    pub content: Vec<IrNode>,
}

/// A dependency of a file on another (`<import>` or `<include>`).
#[derive(Debug, Clone)]
pub(crate) struct FileRef {
    pub path: String,
    pub pos: Pos,
}

/// One WXML file, lowered.
#[derive(Debug)]
pub(crate) struct CompiledFile {
    pub path: Arc<str>,
    /// The body, without `<template name>` definitions, imports and `<wxs>`.
    pub content: Arc<Vec<IrNode>>,
    pub templates: std::collections::HashMap<String, Arc<TemplateDef>>,
    pub imports: Vec<FileRef>,
    pub includes: Vec<FileRef>,
}
