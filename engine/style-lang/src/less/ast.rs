//! The LESS syntax tree the parser builds and the evaluator walks.

use super::source::Pos;

/// A value expression (declaration values, variable values, arguments).
#[derive(Debug, Clone)]
pub enum Expr {
    Number(f64, String),
    /// A colour literal, kept as written (`#FFF`, `red`).
    Color(String),
    /// A quoted string; `escaped` for `~"..."` (printed without quotes).
    Quoted {
        text: String,
        quote: char,
        escaped: bool,
    },
    Keyword(String),
    Variable {
        name: String,
        indirect: bool,
        pos: Pos,
    },
    Call {
        name: String,
        args: Vec<Expr>,
        pos: Pos,
    },
    /// `url(...)` with unquoted contents, kept as written.
    Url(String),
    /// Arithmetic that is always done: `+ - *` and `/` inside parentheses.
    Operation {
        op: char,
        left: Box<Expr>,
        right: Box<Expr>,
    },
    /// `/` outside parentheses: kept as written under lessc 4's
    /// parens-division math (`spaced` keeps `a / b` apart from `a/b`).
    Slash {
        left: Box<Expr>,
        right: Box<Expr>,
        spaced: bool,
    },
    Negate(Box<Expr>),
    Paren(Box<Expr>),
    Space(Vec<Expr>),
    Comma(Vec<Expr>),
    /// Text the expression parser did not understand, with `@var` and
    /// `@{var}` still substituted when printed.
    Raw(String),
}

#[derive(Debug, Clone)]
pub struct MixinParam {
    /// The variable name (without `@`), or None for a pattern parameter.
    pub name: Option<String>,
    pub default: Option<Expr>,
    /// A value the argument must equal (`.m(dark) {}`).
    pub pattern: Option<Expr>,
    pub variadic: bool,
}

#[derive(Debug, Clone)]
pub struct MixinArg {
    pub name: Option<String>,
    pub value: Expr,
}

/// `when` conditions: alternatives (`,`) of conjunctions (`and`).
#[derive(Debug, Clone, Default)]
pub struct Guard {
    pub alternatives: Vec<Vec<Condition>>,
}

#[derive(Debug, Clone)]
pub struct Condition {
    pub negated: bool,
    pub left: Expr,
    /// The comparison (`=`, `<`, `>`, `<=`, `>=`) and right side, if any.
    pub compare: Option<(String, Expr)>,
}

#[derive(Debug, Clone)]
pub enum Stmt {
    Comment(String),
    Variable {
        name: String,
        value: Expr,
    },
    Declaration {
        name: String,
        value: Expr,
        important: bool,
        pos: Pos,
    },
    Rule {
        selector: String,
        guard: Option<Guard>,
        body: Vec<Stmt>,
        reference: bool,
        pos: Pos,
    },
    MixinDef {
        name: String,
        params: Vec<MixinParam>,
        guard: Option<Guard>,
        body: Vec<Stmt>,
    },
    MixinCall {
        path: Vec<String>,
        args: Vec<MixinArg>,
        important: bool,
        pos: Pos,
    },
    /// `@media` and `@supports`: bubble out of rules.
    Media {
        keyword: String,
        params: String,
        body: Vec<Stmt>,
        reference: bool,
        pos: Pos,
    },
    /// Other at-rules with a block (`@keyframes`, `@font-face`).
    AtBlock {
        prelude: String,
        body: Vec<Stmt>,
        reference: bool,
        pos: Pos,
    },
    /// At-rules without a block (`@charset "utf-8";`) and CSS imports.
    AtStatement {
        text: String,
        reference: bool,
    },
    Import {
        target: String,
        options: Vec<String>,
        pos: Pos,
    },
}
