//! A linear, non-recursive reading of an SCSS file into statements and
//! expression tokens: just enough structure to estimate sizes (which
//! variables, calls and literal bytes a value is made of, which blocks
//! repeat). Anything it does not understand is literal bytes.

use std::collections::HashMap;

/// An interned, normalised name (`-` and `_` alike, module prefix dropped).
pub(super) type NameId = u32;

/// The pseudo-variable standing for "the largest global variable".
pub(super) const GLOBALS: NameId = 0;

/// What a builtin function returns, for the estimate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Builtin {
    /// A number, boolean or short string whatever the arguments.
    AlwaysScalar,
    /// A number or colour when the arguments are.
    ScalarIfArgs,
    /// As `ScalarIfArgs`, but two variable operands multiply units.
    Multiplies,
    /// At most the sum of the arguments (lists, maps, strings).
    Sum,
    /// At most its first argument (a part of a list, map or string).
    First,
    /// `if()`: the larger of its second and third arguments.
    If,
    /// Selectors combined pairwise: the product of the arguments.
    Product,
    /// `call()`: any user function.
    Call,
}

const ALWAYS_SCALAR: &[&str] = &[
    "length",
    "str-length",
    "str-index",
    "index",
    "unitless",
    "comparable",
    "compatible",
    "is-superselector",
    "map-has-key",
    "has-key",
    "variable-exists",
    "global-variable-exists",
    "function-exists",
    "mixin-exists",
    "content-exists",
    "feature-exists",
    "type-of",
    "unit",
    "unique-id",
    "is-bracketed",
    "list-separator",
    "separator",
    "random",
    "is-unitless",
];

const SCALAR_IF_ARGS: &[&str] = &[
    "percentage",
    "round",
    "ceil",
    "floor",
    "abs",
    "min",
    "max",
    "clamp",
    "sqrt",
    "log",
    "sin",
    "cos",
    "tan",
    "asin",
    "acos",
    "atan",
    "atan2",
    "hypot",
    "rgb",
    "rgba",
    "hsl",
    "hsla",
    "hwb",
    "mix",
    "lighten",
    "darken",
    "saturate",
    "desaturate",
    "adjust-hue",
    "complement",
    "grayscale",
    "invert",
    "transparentize",
    "opacify",
    "fade-in",
    "fade-out",
    "adjust-color",
    "scale-color",
    "change-color",
    "adjust",
    "scale",
    "change",
    "red",
    "green",
    "blue",
    "hue",
    "saturation",
    "lightness",
    "whiteness",
    "blackness",
    "alpha",
    "opacity",
    "ie-hex-str",
    "not",
];

const MULTIPLIES: &[&str] = &["div", "pow"];

const SUM: &[&str] = &[
    "set-nth",
    "join",
    "append",
    "zip",
    "map-merge",
    "deep-merge",
    "merge",
    "set",
    "str-insert",
    "insert",
    "inspect",
    "get-function",
    "load-css",
];

const FIRST: &[&str] = &[
    "nth",
    "map-get",
    "map-remove",
    "map-keys",
    "map-values",
    "deep-remove",
    "get",
    "remove",
    "keys",
    "values",
    "quote",
    "unquote",
    "str-slice",
    "to-upper-case",
    "to-lower-case",
    "slice",
    "keywords",
    "simple-selectors",
    "selector-parse",
    "parse",
];

const PRODUCT: &[&str] = &[
    "selector-nest",
    "selector-append",
    "selector-extend",
    "selector-replace",
    "selector-unify",
];

/// Interned names and the builtins among them.
#[derive(Debug)]
pub(super) struct Names {
    ids: HashMap<String, NameId>,
    spelled: Vec<String>,
    builtins: HashMap<NameId, Builtin>,
}

impl Default for Names {
    fn default() -> Names {
        let mut names = Names {
            ids: HashMap::new(),
            spelled: Vec::new(),
            builtins: HashMap::new(),
        };
        names.intern_normalized("*globals*".to_string());
        for (list, kind) in [
            (ALWAYS_SCALAR, Builtin::AlwaysScalar),
            (SCALAR_IF_ARGS, Builtin::ScalarIfArgs),
            (MULTIPLIES, Builtin::Multiplies),
            (SUM, Builtin::Sum),
            (FIRST, Builtin::First),
            (&["if"], Builtin::If),
            (PRODUCT, Builtin::Product),
            (&["call"], Builtin::Call),
        ] {
            for name in list {
                let id = names.intern_normalized((*name).to_string());
                names.builtins.insert(id, kind);
            }
        }
        names
    }
}

impl Names {
    /// Interns a name as written: `-`/`_` alike, a module prefix dropped
    /// (`selector.nest` keeps its module, as `selector-nest`).
    pub fn intern(&mut self, raw: &str) -> NameId {
        let raw = raw.trim_start_matches('$');
        let normalized = match raw.rsplit_once('.') {
            Some((module, local)) if module.ends_with("selector") => format!("selector-{local}"),
            Some((_, local)) => local.trim_start_matches('$').to_string(),
            None => raw.to_string(),
        };
        self.intern_normalized(normalized.replace('_', "-").to_ascii_lowercase())
    }

    /// Interns a name exactly as given.
    pub fn intern_normalized(&mut self, name: String) -> NameId {
        if let Some(id) = self.ids.get(&name) {
            return *id;
        }
        let id = NameId::try_from(self.spelled.len()).unwrap_or(NameId::MAX);
        self.spelled.push(name.clone());
        self.ids.insert(name, id);
        id
    }

    pub fn spelled(&self, id: NameId) -> &str {
        self.spelled.get(id as usize).map_or("?", String::as_str)
    }

    pub fn builtin(&self, id: NameId) -> Option<Builtin> {
        self.builtins.get(&id).copied()
    }
}

/// One token of an expression, in source order (a flat program the
/// estimator runs with a stack).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Tok {
    /// This many literal bytes.
    Lit(u32),
    Var(NameId),
    /// A parenthesised group, list or interpolation.
    Group,
    /// A function call: its name, the bytes of the name, where it is.
    Call {
        name: NameId,
        len: u32,
        at: usize,
    },
    /// Ends the innermost group or call.
    Close,
    /// Separates the arguments of a call.
    Comma,
    /// Separates the items of a comma list or map (in a group).
    Item,
    /// A key's colon: the group is a map.
    MapColon,
    /// The next argument is passed by name.
    Keyword(NameId),
    /// The current argument is spread (`$args...`).
    Rest,
    /// The innermost group is not arithmetic (a list, map, string, ...).
    NonScalar,
}

pub(super) type Expr = Vec<Tok>;

/// Loop-carried facts of a block (used for loop bodies and content
/// blocks), over all its nested statements: ranges of the file's flat
/// lists, which hold a block's nested statements contiguously.
#[derive(Clone, Debug, Default)]
pub(super) struct Repeated {
    /// Its assignments ([`Parsed::assigns`]).
    pub assigns: std::ops::Range<usize>,
    /// Variables of nested `@for` loops, numbers ([`Parsed::for_vars`]).
    pub for_vars: std::ops::Range<usize>,
    /// Includes, user function calls and imports inside, which may write
    /// globals ([`Parsed::callees`]).
    pub callees: std::ops::Range<usize>,
    /// A `!global` assignment inside.
    pub global_writes: bool,
    /// How deeply the block's own statements sit (see [`AssignInfo::depth`]).
    pub depth: usize,
}

#[derive(Clone, Debug)]
pub(super) struct AssignInfo {
    pub name: NameId,
    /// Arithmetic over the `refs` and numbers only.
    pub shape_scalar: bool,
    pub refs: Vec<NameId>,
    /// How many blocks enclose it: an assignment directly in a repeated
    /// block runs on every repetition.
    pub depth: usize,
}

#[derive(Clone, Debug, Default)]
pub(super) struct Body {
    pub stmts: Vec<usize>,
    pub repeated: Repeated,
}

/// A bound of a `@for`: a literal integer, a variable, or anything else.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Bound {
    Int(i64),
    Var(NameId),
    Other,
}

#[derive(Clone, Debug)]
pub(super) enum StmtKind {
    Assign {
        name: NameId,
        expr: Expr,
        global: bool,
        default: bool,
        int: Option<i64>,
        /// Items of a literal list or map value, and the largest.
        items: Option<(u64, u64)>,
    },
    Return(Expr),
    Include {
        name: NameId,
        args: Expr,
        content: Option<Body>,
    },
    Content(Expr),
    /// A declaration or `@debug`/`@warn`/`@error`: bytes of output.
    Output(Expr),
    /// A style rule: the prelude and, per complex selector, its `&`s.
    Rule {
        prelude: Expr,
        amps: Vec<u32>,
        body: Body,
    },
    /// `@media` and other at-rules, nested properties.
    Block {
        prelude: Expr,
        body: Body,
    },
    If {
        cond: Expr,
        body: Body,
    },
    Each {
        vars: Vec<NameId>,
        list: Expr,
        /// Items of a literal list, and the largest.
        items: Option<(u64, u64)>,
        body: Body,
    },
    For {
        var: NameId,
        bounds: Expr,
        from: Bound,
        to: Bound,
        inclusive: bool,
        body: Body,
    },
    While {
        cond: Expr,
        body: Body,
    },
    /// The files loaded, as interned keys (`file:` and [`file_key`]).
    Import(Vec<NameId>),
    /// A definition nested in a block (kept apart as a definition).
    Nothing,
}

#[derive(Clone, Debug)]
pub(super) struct Stmt {
    /// Byte offset of the statement's first character.
    pub at: usize,
    pub kind: StmtKind,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(super) enum Kind {
    Mixin,
    Function,
    File,
}

#[derive(Clone, Debug)]
pub(super) struct Param {
    pub name: NameId,
    pub default: Option<Expr>,
}

#[derive(Clone, Debug)]
pub(super) struct Def {
    pub kind: Kind,
    pub name: NameId,
    pub params: Vec<Param>,
    pub body: Body,
    pub at: usize,
    /// What the body refers to (for the evaluation order).
    pub refs: Vec<(Kind, NameId)>,
}

/// A file read into statements: its top level is a definition too.
#[derive(Clone, Debug)]
pub(super) struct Parsed {
    pub stmts: Vec<Stmt>,
    pub top: Def,
    pub defs: Vec<Def>,
    /// Every assignment, in source order.
    pub assigns: Vec<AssignInfo>,
    pub for_vars: Vec<NameId>,
    pub callees: Vec<(Kind, NameId)>,
    /// The Sass files it loads (`@import`, `@use`, `@forward`), as
    /// package paths without the extension and partial prefix.
    pub imports: Vec<String>,
}

/// `sub(text, start, end)`, moved onto character boundaries and clamped, so
/// that no offset (an escape may skip into a character) can panic.
fn sub(text: &str, start: usize, end: usize) -> &str {
    let fit = |mut i: usize| {
        i = i.min(text.len());
        while !text.is_char_boundary(i) {
            i += 1;
        }
        i
    };
    let end = fit(end);
    text.get(fit(start).min(end)..end).unwrap_or_default()
}

/// The offset of `needle` in `bytes[from..end]`, if any.
fn find_bytes(bytes: &[u8], from: usize, end: usize, needle: &[u8]) -> Option<usize> {
    bytes
        .get(from..end.min(bytes.len()))?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|n| from + n)
}

pub(super) fn is_name_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.') || b >= 0x80
}

fn is_name_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_' || b >= 0x80
}

/// A key naming an import target and the file that answers it alike:
/// `styles/_b.scss`, `styles/b.scss` and `styles/b/_index.scss` are
/// `styles/b`, as `@import "styles/b"` is.
pub(super) fn file_key(path: &str) -> String {
    let path = crate::paths::normalize(path);
    let stem = path
        .strip_suffix(".scss")
        .or_else(|| path.strip_suffix(".sass"))
        .or_else(|| path.strip_suffix(".css"))
        .unwrap_or(&path);
    let (folder, name) = match stem.rsplit_once('/') {
        Some((folder, name)) => (folder, name),
        None => ("", stem),
    };
    let name = name.strip_prefix('_').unwrap_or(name);
    match (folder, name) {
        (folder, "index") => folder.to_string(),
        ("", name) => name.to_string(),
        (folder, name) => format!("{folder}/{name}"),
    }
}

/// One group open while tokenising an expression.
struct Group {
    call: Option<NameId>,
    closer: u8,
    last_operand: bool,
    space: bool,
    variables: u32,
    /// Variable operands of the current product (`$a * 2 * $b`): two
    /// multiply their units, which can grow without bound.
    term_variables: u32,
    term_muldiv: bool,
    nonscalar: bool,
}

impl Group {
    fn new(call: Option<NameId>, closer: u8) -> Group {
        Group {
            call,
            closer,
            last_operand: false,
            space: false,
            variables: 0,
            term_variables: 0,
            term_muldiv: false,
            nonscalar: false,
        }
    }

    fn end_term(&mut self) {
        if self.term_variables >= 2 && self.term_muldiv {
            self.nonscalar = true;
        }
        self.term_variables = 0;
        self.term_muldiv = false;
    }
}

enum Mode {
    Code(Group),
    Str(u8),
}

struct Tokenizer<'a> {
    text: &'a str,
    bytes: &'a [u8],
    names: &'a mut Names,
    out: Expr,
    stack: Vec<Mode>,
    refs: &'a mut Vec<(Kind, NameId)>,
}

impl Tokenizer<'_> {
    fn lit(&mut self, n: usize) {
        let n = u32::try_from(n).unwrap_or(u32::MAX);
        if let Some(Tok::Lit(last)) = self.out.last_mut() {
            *last = last.saturating_add(n);
        } else {
            self.out.push(Tok::Lit(n));
        }
    }

    fn group(&mut self) -> Option<&mut Group> {
        match self.stack.last_mut() {
            Some(Mode::Code(group)) => Some(group),
            _ => None,
        }
    }

    fn operand(&mut self, variable: bool) {
        if let Some(group) = self.group() {
            if group.last_operand {
                // Juxtaposed operands: a space-separated list.
                group.nonscalar = true;
            }
            group.last_operand = true;
            group.space = false;
            if variable {
                group.variables += 1;
                group.term_variables += 1;
            }
        }
    }

    fn operator(&mut self, muldiv: bool) {
        if let Some(group) = self.group() {
            group.last_operand = false;
            group.space = false;
            if muldiv {
                group.term_muldiv = true;
            } else {
                group.end_term();
            }
        }
    }

    fn nonscalar(&mut self) {
        if let Some(group) = self.group() {
            group.nonscalar = true;
        }
    }

    fn open(&mut self, tok: Tok, group: Group) {
        self.out.push(tok);
        self.stack.push(Mode::Code(group));
    }

    fn close(&mut self) {
        if let Some(Mode::Code(mut group)) = self.stack.pop() {
            group.end_term();
            let multiplies = group
                .call
                .and_then(|name| self.names.builtin(name))
                .is_some_and(|b| b == Builtin::Multiplies);
            if group.nonscalar || (group.variables >= 2 && multiplies) {
                self.out.push(Tok::NonScalar);
            }
            self.out.push(Tok::Close);
        }
    }

    fn name_end(&self, mut i: usize, end: usize) -> usize {
        while i < end && (is_name_byte(self.bytes[i]) || self.bytes[i] == b'\\') {
            i += if self.bytes[i] == b'\\' { 2 } else { 1 };
        }
        i.min(end)
    }

    fn run(&mut self, start: usize, end: usize) {
        let b = self.bytes;
        let mut i = start;
        while i < end {
            let c = b[i];
            if let Some(Mode::Str(quote)) = self.stack.last() {
                let quote = *quote;
                if c == quote || c == b'\n' {
                    self.stack.pop();
                    self.lit(1);
                    i += 1;
                } else if c == b'\\' {
                    self.lit(2);
                    i += 2;
                } else if c == b'#' && i + 1 < end && b[i + 1] == b'{' {
                    self.open(Tok::Group, Group::new(None, b'}'));
                    i += 2;
                } else {
                    self.lit(1);
                    i += 1;
                }
                continue;
            }
            let next = b.get(i + 1).copied().filter(|_| i + 1 < end);
            match c {
                b' ' | b'\t' | b'\n' | b'\r' => {
                    let space = self.group().map(|g| std::mem::replace(&mut g.space, true));
                    if space == Some(false) {
                        self.lit(1);
                    }
                    i += 1;
                }
                b'/' if next == Some(b'*') => {
                    i = find_bytes(b, i + 2, end, b"*/").map_or(end, |n| n + 2);
                }
                b'/' if next == Some(b'/') => {
                    i = find_bytes(b, i, end, b"\n").unwrap_or(end);
                }
                b'"' | b'\'' => {
                    self.operand(false);
                    self.nonscalar();
                    self.stack.push(Mode::Str(c));
                    self.lit(1);
                    i += 1;
                }
                b'#' if next == Some(b'{') => {
                    self.operand(true);
                    self.nonscalar();
                    self.open(Tok::Group, Group::new(None, b'}'));
                    i += 2;
                }
                b'#' => {
                    // A colour (or junk): literal.
                    let stop = self.name_end(i + 1, end);
                    self.operand(false);
                    self.lit(stop - i);
                    i = stop.max(i + 1);
                }
                b'$' => {
                    let stop = self.name_end(i + 1, end);
                    let name = self.names.intern(sub(self.text, i + 1, stop));
                    let mut after = stop;
                    while after < end && b[after].is_ascii_whitespace() {
                        after += 1;
                    }
                    let in_call = self.group().is_some_and(|g| g.call.is_some());
                    if in_call && after < end && b[after] == b':' {
                        self.out.push(Tok::Keyword(name));
                        if let Some(group) = self.group() {
                            group.last_operand = false;
                        }
                        i = after + 1;
                    } else {
                        self.operand(true);
                        self.out.push(Tok::Var(name));
                        i = stop.max(i + 1);
                    }
                }
                b'0'..=b'9' => i = self.number(i, end),
                b'.' if next.is_some_and(|n| n.is_ascii_digit()) => i = self.number(i, end),
                b'.' if next == Some(b'.') && b.get(i + 2) == Some(&b'.') && i + 2 < end => {
                    self.out.push(Tok::Rest);
                    i += 3;
                }
                b'-' => {
                    let starts_name = next.is_some_and(|n| is_name_start(n) || n == b'-');
                    let last_operand = self.group().is_some_and(|g| g.last_operand);
                    let space_before = self.group().is_some_and(|g| g.space);
                    let space_after = next.is_none_or(|n| n.is_ascii_whitespace());
                    if starts_name && !last_operand {
                        i = self.word(i, end);
                    } else if last_operand && space_before && !space_after {
                        // `a -b`: a list of two.
                        self.nonscalar();
                        if let Some(group) = self.group() {
                            group.last_operand = false;
                        }
                        self.lit(1);
                        i += 1;
                    } else {
                        self.operator(false);
                        self.lit(1);
                        i += 1;
                    }
                }
                b'(' => {
                    self.operand(true);
                    self.open(Tok::Group, Group::new(None, b')'));
                    i += 1;
                }
                b'[' => {
                    self.operand(true);
                    self.nonscalar();
                    let mut group = Group::new(None, b']');
                    group.nonscalar = true;
                    self.open(Tok::Group, group);
                    i += 1;
                }
                b')' | b']' | b'}' => {
                    if self.group().is_some_and(|g| g.closer == c) {
                        self.close();
                    } else {
                        self.lit(1);
                    }
                    i += 1;
                }
                b',' => {
                    if self.group().is_some_and(|g| g.call.is_some()) {
                        self.out.push(Tok::Comma);
                        if let Some(group) = self.group() {
                            group.end_term();
                            group.last_operand = false;
                            group.space = false;
                        }
                    } else {
                        self.nonscalar();
                        if let Some(group) = self.group() {
                            group.last_operand = false;
                        }
                        self.out.push(Tok::Item);
                        self.lit(1);
                    }
                    i += 1;
                }
                b':' => {
                    self.nonscalar();
                    if let Some(group) = self.group() {
                        group.last_operand = false;
                    }
                    if self
                        .group()
                        .is_some_and(|g| g.call.is_none() && g.closer == b')')
                    {
                        self.out.push(Tok::MapColon);
                    }
                    self.lit(1);
                    i += 1;
                }
                b'*' | b'/' => {
                    self.operator(true);
                    self.lit(1);
                    i += 1;
                }
                b'+' | b'%' | b'=' | b'<' | b'>' | b'!' => {
                    self.operator(false);
                    self.lit(1);
                    i += 1;
                }
                b'&' => {
                    self.operand(true);
                    self.nonscalar();
                    self.lit(1);
                    i += 1;
                }
                b'\\' => {
                    self.operand(false);
                    self.nonscalar();
                    self.lit(2);
                    i += 2;
                }
                c if is_name_start(c) => i = self.word(i, end),
                _ => {
                    self.lit(1);
                    i += 1;
                }
            }
        }
        while !self.stack.is_empty() {
            if matches!(self.stack.last(), Some(Mode::Str(_))) {
                self.stack.pop();
            } else {
                self.close();
            }
        }
    }

    fn number(&mut self, start: usize, end: usize) -> usize {
        let b = self.bytes;
        let mut i = start;
        while i < end && (b[i].is_ascii_digit() || b[i] == b'.') {
            i += 1;
        }
        while i < end && (b[i].is_ascii_alphabetic() || b[i] == b'%') {
            i += 1;
        }
        self.operand(false);
        self.lit(i - start);
        i.max(start + 1)
    }

    /// An identifier, a keyword operator or a function call.
    fn word(&mut self, start: usize, end: usize) -> usize {
        let b = self.bytes;
        let stop = self.name_end(start, end).max(start + 1).min(end);
        let word = sub(self.text, start, stop);
        if stop < end && b[stop] == b'(' {
            let lower = word.to_ascii_lowercase();
            let quoted_next = b[stop + 1..end]
                .iter()
                .find(|c| !c.is_ascii_whitespace())
                .is_some_and(|c| matches!(c, b'"' | b'\''));
            if (lower == "url" || lower.ends_with("-url")) && !quoted_next {
                // An unquoted URL is literal text up to its `)`.
                let close = b[stop..end]
                    .iter()
                    .position(|c| *c == b')')
                    .map_or(end, |n| stop + n + 1);
                self.operand(false);
                self.nonscalar();
                self.lit(close - start);
                return close;
            }
            let name = self.names.intern(word);
            if self.names.builtin(name).is_none() {
                self.refs.push((Kind::Function, name));
            }
            self.operand(true);
            self.open(
                Tok::Call {
                    name,
                    len: u32::try_from(word.len()).unwrap_or(u32::MAX),
                    at: start,
                },
                Group::new(Some(name), b')'),
            );
            return stop + 1;
        }
        match word.to_ascii_lowercase().as_str() {
            "and" | "or" | "not" => {
                self.operator(false);
                self.lit(word.len());
            }
            "true" | "false" | "null" => {
                self.operand(false);
                self.lit(word.len());
            }
            _ => {
                self.operand(false);
                self.nonscalar();
                self.lit(word.len());
            }
        }
        stop
    }
}

/// An open block while reading statements.
struct Open {
    /// The statement whose body this is (`None`: a definition or the top).
    stmt: Option<usize>,
    /// The definition whose body this is.
    def: Option<usize>,
    body: Body,
}

struct Parser<'a> {
    path: &'a str,
    text: &'a str,
    bytes: &'a [u8],
    names: &'a mut Names,
    stmts: Vec<Stmt>,
    defs: Vec<Def>,
    top: Def,
    assigns: Vec<AssignInfo>,
    for_vars: Vec<NameId>,
    callees: Vec<(Kind, NameId)>,
    imports: Vec<String>,
    /// Definitions open, innermost last (their `refs` collect references).
    def_stack: Vec<usize>,
}

/// Finds where the statement starting at `i` ends: the first `;`, `{` or
/// `}` outside strings, comments, brackets and interpolation.
fn statement_end(text: &str, mut i: usize) -> (usize, u8) {
    let b = text.as_bytes();
    let mut stack: Vec<u8> = Vec::new();
    while i < b.len() {
        let c = b[i];
        if let Some(&top) = stack.last() {
            if top == b'"' || top == b'\'' {
                if c == top || c == b'\n' {
                    stack.pop();
                } else if c == b'\\' {
                    i += 1;
                } else if c == b'#' && b.get(i + 1) == Some(&b'{') {
                    stack.push(b'}');
                    i += 1;
                }
                i += 1;
                continue;
            }
        }
        match c {
            b'/' if b.get(i + 1) == Some(&b'*') => {
                i = find_bytes(b, i + 2, b.len(), b"*/").map_or(b.len(), |n| n + 2);
                continue;
            }
            b'/' if b.get(i + 1) == Some(&b'/') && !stack.contains(&b')') => {
                i = find_bytes(b, i, b.len(), b"\n").unwrap_or(b.len());
                continue;
            }
            b'\\' => i += 1,
            b'"' | b'\'' => stack.push(c),
            b'#' if b.get(i + 1) == Some(&b'{') => {
                stack.push(b'}');
                i += 1;
            }
            b'(' => stack.push(b')'),
            b'[' => stack.push(b']'),
            b')' | b']' if stack.last() == Some(&c) => {
                stack.pop();
            }
            b'}' => {
                if stack.last() == Some(&b'}') {
                    stack.pop();
                } else {
                    return (i, b'}');
                }
            }
            b'{' | b';' if !stack.contains(&b'}') => return (i, c),
            _ => {}
        }
        i += 1;
    }
    (b.len(), 0)
}

/// The offsets of the top-level commas of `sub(text, start, end)` and of its
/// `&`s, per comma-separated part.
fn selector_amps(b: &[u8], start: usize, end: usize) -> Vec<u32> {
    let mut amps = vec![0u32];
    let mut depth = 0usize;
    let mut quote = 0u8;
    let mut i = start;
    while i < end {
        let c = b[i];
        if quote != 0 {
            if c == quote {
                quote = 0;
            } else if c == b'\\' {
                i += 1;
            }
        } else {
            match c {
                b'"' | b'\'' => quote = c,
                b'(' | b'[' | b'{' => depth += 1,
                b')' | b']' | b'}' => depth = depth.saturating_sub(1),
                b',' if depth == 0 => amps.push(0),
                b'&' => {
                    if let Some(last) = amps.last_mut() {
                        *last += 1;
                    }
                }
                _ => {}
            }
        }
        i += 1;
    }
    amps
}

fn skip_space(b: &[u8], mut i: usize, end: usize) -> usize {
    while i < end && b[i].is_ascii_whitespace() {
        i += 1;
    }
    i
}

/// The offset of `word` as a whole word in `sub(text, start, end)`.
fn find_word(text: &str, start: usize, end: usize, word: &str) -> Option<usize> {
    let b = text.as_bytes();
    let mut from = start;
    while let Some(n) = text.get(from..end)?.find(word) {
        let at = from + n;
        let before = at == 0 || !is_name_byte(b[at - 1]);
        let after = at + word.len() >= end || !is_name_byte(b[at + word.len()]);
        if before && after {
            return Some(at);
        }
        from = at + word.len();
    }
    None
}

fn parse_int(text: &str) -> Option<i64> {
    text.trim().parse().ok()
}

fn bound_of(text: &str, names: &mut Names) -> Bound {
    let text = text.trim();
    if let Some(n) = parse_int(text) {
        return Bound::Int(n);
    }
    if let Some(name) = text.strip_prefix('$') {
        if !name.is_empty() && name.bytes().all(is_name_byte) {
            return Bound::Var(names.intern(name));
        }
    }
    Bound::Other
}

impl Parser<'_> {
    fn refs(&mut self) -> &mut Vec<(Kind, NameId)> {
        match self.def_stack.last() {
            Some(&d) => &mut self.defs[d].refs,
            None => &mut self.top.refs,
        }
    }

    fn expr(&mut self, start: usize, end: usize) -> Expr {
        self.tokens(start, end, None)
    }

    /// Tokens of `sub(text, start, end)`; as the arguments of a call when
    /// `call` is given (commas separate arguments).
    fn tokens(&mut self, mut start: usize, mut end: usize, call: Option<NameId>) -> Expr {
        // Surrounding spaces are not part of the value.
        end = end.min(self.bytes.len());
        while start < end && self.bytes[start].is_ascii_whitespace() {
            start += 1;
        }
        while end > start && self.bytes[end - 1].is_ascii_whitespace() {
            end -= 1;
        }
        let mut refs = std::mem::take(self.refs());
        let mut tokenizer = Tokenizer {
            text: self.text,
            bytes: self.bytes,
            names: self.names,
            out: Vec::new(),
            stack: Vec::new(),
            refs: &mut refs,
        };
        let first = match call {
            Some(name) => Tok::Call {
                name,
                len: 0,
                at: start,
            },
            None => Tok::Group,
        };
        tokenizer.open(first, Group::new(call, 0));
        tokenizer.run(start.min(end), end);
        let out = tokenizer.out;
        *self.refs() = refs;
        out
    }

    fn push_stmt(&mut self, open: &mut [Open], at: usize, kind: StmtKind) -> usize {
        let id = self.stmts.len();
        if let StmtKind::Assign {
            name, expr, global, ..
        } = &kind
        {
            let (shape_scalar, refs) = assign_shape(expr, self.names);
            let info = AssignInfo {
                name: *name,
                shape_scalar,
                refs,
                depth: open.len(),
            };
            self.assigns.push(info);
            if let Some(last) = open.last_mut() {
                last.body.repeated.global_writes |= *global;
            }
        }
        self.stmts.push(Stmt { at, kind });
        if let Some(last) = open.last_mut() {
            last.body.stmts.push(id);
        }
        id
    }

    fn note_callees(&mut self, expr: &Expr) {
        for tok in expr {
            if let Tok::Call { name, .. } = tok {
                if self.names.builtin(*name).is_none() {
                    self.callees.push((Kind::Function, *name));
                }
            }
        }
    }

    fn parse(mut self) -> Parsed {
        let text = self.text;
        let b = self.bytes;
        let mut open = vec![Open {
            stmt: None,
            def: None,
            body: Body::default(),
        }];
        let mut i = 0;
        while i < b.len() {
            i = skip_space(b, i, b.len());
            if i >= b.len() {
                break;
            }
            if b[i] == b'/' && b.get(i + 1) == Some(&b'*') {
                i = find_bytes(b, i + 2, b.len(), b"*/").map_or(b.len(), |n| n + 2);
                continue;
            }
            if b[i] == b'/' && b.get(i + 1) == Some(&b'/') {
                i = find_bytes(b, i, b.len(), b"\n").unwrap_or(b.len());
                continue;
            }
            if b[i] == b';' {
                i += 1;
                continue;
            }
            if b[i] == b'}' {
                self.close_block(&mut open);
                i += 1;
                continue;
            }
            let (end, terminator) = statement_end(text, i);
            if terminator == b'{' {
                self.open_block(&mut open, i, end);
                i = end + 1;
            } else {
                let stop = end;
                let mut trimmed = stop;
                while trimmed > i && b[trimmed - 1].is_ascii_whitespace() {
                    trimmed -= 1;
                }
                self.simple(&mut open, i, trimmed);
                i = if terminator == b';' { end + 1 } else { end };
            }
        }
        while open.len() > 1 {
            self.close_block(&mut open);
        }
        if let Some(mut root) = open.pop() {
            root.body.repeated.assigns = 0..self.assigns.len();
            root.body.repeated.for_vars = 0..self.for_vars.len();
            root.body.repeated.callees = 0..self.callees.len();
            root.body.repeated.depth = 1;
            self.top.body = root.body;
        }
        Parsed {
            stmts: self.stmts,
            top: self.top,
            defs: self.defs,
            assigns: self.assigns,
            for_vars: self.for_vars,
            callees: self.callees,
            imports: self.imports,
        }
    }

    fn close_block(&mut self, open: &mut Vec<Open>) {
        if open.len() <= 1 {
            return;
        }
        let Some(mut block) = open.pop() else { return };
        let repeated = &mut block.body.repeated;
        repeated.assigns.end = self.assigns.len();
        repeated.for_vars.end = self.for_vars.len();
        repeated.callees.end = self.callees.len();
        let global_writes = repeated.global_writes;
        if let Some(d) = block.def {
            self.defs[d].body = block.body;
            self.def_stack.pop();
        } else if let Some(s) = block.stmt {
            match &mut self.stmts[s].kind {
                StmtKind::Include { content, .. } => *content = Some(block.body),
                StmtKind::Rule { body, .. }
                | StmtKind::Block { body, .. }
                | StmtKind::If { body, .. }
                | StmtKind::Each { body, .. }
                | StmtKind::For { body, .. }
                | StmtKind::While { body, .. } => *body = block.body,
                _ => {}
            }
        }
        if let (Some(parent), None) = (open.last_mut(), block.def) {
            parent.body.repeated.global_writes |= global_writes;
        }
    }

    fn keyword(&self, i: usize, end: usize) -> (&str, usize) {
        let b = self.bytes;
        let mut k = i + 1;
        while k < end && is_name_byte(b[k]) {
            k += 1;
        }
        (sub(self.text, i + 1, k), k)
    }

    fn open_block(&mut self, open: &mut Vec<Open>, i: usize, end: usize) {
        let b = self.bytes;
        let mut prelude_end = end;
        while prelude_end > i && b[prelude_end - 1].is_ascii_whitespace() {
            prelude_end -= 1;
        }
        let mut block = Open {
            stmt: None,
            def: None,
            body: Body::default(),
        };
        if b[i] == b'@' {
            let (keyword, after) = self.keyword(i, prelude_end);
            let keyword = keyword.to_ascii_lowercase();
            match keyword.as_str() {
                "mixin" | "function" => {
                    let kind = if keyword == "mixin" {
                        Kind::Mixin
                    } else {
                        Kind::Function
                    };
                    let name_start = skip_space(b, after, prelude_end);
                    let mut name_end = name_start;
                    while name_end < prelude_end && is_name_byte(b[name_end]) {
                        name_end += 1;
                    }
                    let name = self.names.intern(sub(self.text, name_start, name_end));
                    let d = self.defs.len();
                    self.defs.push(Def {
                        kind,
                        name,
                        params: Vec::new(),
                        body: Body::default(),
                        at: i,
                        refs: Vec::new(),
                    });
                    self.def_stack.push(d);
                    let params = self.params(name_end, prelude_end);
                    self.defs[d].params = params;
                    block.def = Some(d);
                    // Keeps the enclosing body's statement order intact.
                    self.push_stmt(open, i, StmtKind::Nothing);
                }
                "include" => {
                    let (name, args) = self.include_parts(after, prelude_end);
                    self.callees.push((Kind::Mixin, name));
                    self.note_callees(&args);
                    self.refs().push((Kind::Mixin, name));
                    let s = self.push_stmt(
                        open,
                        i,
                        StmtKind::Include {
                            name,
                            args,
                            content: Some(Body::default()),
                        },
                    );
                    block.stmt = Some(s);
                }
                "if" | "else" => {
                    let mut start = after;
                    if keyword == "else" {
                        let rest = skip_space(b, after, prelude_end);
                        if sub(self.text, rest, prelude_end).starts_with("if") {
                            start = rest + 2;
                        } else {
                            start = prelude_end;
                        }
                    }
                    let cond = self.expr(start, prelude_end);
                    self.note_callees(&cond);
                    let s = self.push_stmt(
                        open,
                        i,
                        StmtKind::If {
                            cond,
                            body: Body::default(),
                        },
                    );
                    block.stmt = Some(s);
                }
                "each" => {
                    let in_at = find_word(self.text, after, prelude_end, "in");
                    let vars_end = in_at.unwrap_or(prelude_end);
                    let vars = sub(self.text, after, vars_end)
                        .split(',')
                        .filter_map(|v| {
                            let v = v.trim();
                            v.strip_prefix('$').map(|v| v.to_string())
                        })
                        .map(|v| self.names.intern(&v))
                        .collect();
                    let list_start = in_at.map_or(prelude_end, |n| n + 2);
                    let list = self.expr(list_start, prelude_end);
                    let items = literal_items(sub(self.text, list_start, prelude_end));
                    self.note_callees(&list);
                    let s = self.push_stmt(
                        open,
                        i,
                        StmtKind::Each {
                            vars,
                            list,
                            items,
                            body: Body::default(),
                        },
                    );
                    block.stmt = Some(s);
                }
                "for" => {
                    let from_at = find_word(self.text, after, prelude_end, "from");
                    let through = find_word(self.text, after, prelude_end, "through");
                    let to = find_word(self.text, after, prelude_end, "to");
                    let (limit_at, inclusive, limit_len) = match (through, to) {
                        (Some(t), _) => (Some(t), true, 7),
                        (None, Some(t)) => (Some(t), false, 2),
                        (None, None) => (None, true, 0),
                    };
                    let var_text = sub(self.text, after, from_at.unwrap_or(prelude_end));
                    let var = self.names.intern(var_text.trim());
                    let from_start = from_at.map_or(prelude_end, |n| n + 4);
                    let from_end = limit_at.unwrap_or(prelude_end);
                    let to_start = limit_at.map_or(prelude_end, |n| n + limit_len);
                    let from = bound_of(
                        sub(self.text, from_start.min(from_end), from_end),
                        self.names,
                    );
                    let to_bound = bound_of(sub(self.text, to_start, prelude_end), self.names);
                    let bounds = self.expr(from_start.min(prelude_end), prelude_end);
                    self.note_callees(&bounds);
                    self.for_vars.push(var);
                    let s = self.push_stmt(
                        open,
                        i,
                        StmtKind::For {
                            var,
                            bounds,
                            from,
                            to: to_bound,
                            inclusive,
                            body: Body::default(),
                        },
                    );
                    block.stmt = Some(s);
                }
                "while" => {
                    let cond = self.expr(after, prelude_end);
                    self.note_callees(&cond);
                    let s = self.push_stmt(
                        open,
                        i,
                        StmtKind::While {
                            cond,
                            body: Body::default(),
                        },
                    );
                    block.stmt = Some(s);
                }
                _ => {
                    let prelude = self.expr(i, prelude_end);
                    self.note_callees(&prelude);
                    let s = self.push_stmt(
                        open,
                        i,
                        StmtKind::Block {
                            prelude,
                            body: Body::default(),
                        },
                    );
                    block.stmt = Some(s);
                }
            }
        } else {
            let prelude = self.expr(i, prelude_end);
            self.note_callees(&prelude);
            let nested_property = b[i..prelude_end].ends_with(b":");
            let kind = if nested_property {
                StmtKind::Block {
                    prelude,
                    body: Body::default(),
                }
            } else {
                StmtKind::Rule {
                    prelude,
                    amps: selector_amps(b, i, prelude_end),
                    body: Body::default(),
                }
            };
            block.stmt = Some(self.push_stmt(open, i, kind));
        }
        let repeated = &mut block.body.repeated;
        repeated.depth = open.len() + 1;
        repeated.assigns.start = self.assigns.len();
        repeated.for_vars.start = self.for_vars.len();
        repeated.callees.start = self.callees.len();
        open.push(block);
    }

    /// `name(args)` of an `@include` (`using (...)` dropped).
    fn include_parts(&mut self, after: usize, end: usize) -> (NameId, Expr) {
        let b = self.bytes;
        let name_start = skip_space(b, after, end);
        let mut name_end = name_start;
        while name_end < end && is_name_byte(b[name_end]) {
            name_end += 1;
        }
        let name = self.names.intern(sub(self.text, name_start, name_end));
        let open_paren = skip_space(b, name_end, end);
        if open_paren < end && b[open_paren] == b'(' {
            let close = matching_paren(b, open_paren, end);
            let args = self.tokens(open_paren + 1, close, Some(name));
            (name, args)
        } else {
            (name, self.tokens(end, end, Some(name)))
        }
    }

    /// The parameters of `@mixin name(...)`/`@function name(...)`.
    fn params(&mut self, name_end: usize, end: usize) -> Vec<Param> {
        let b = self.bytes;
        let open_paren = skip_space(b, name_end, end);
        if open_paren >= end || b[open_paren] != b'(' {
            return Vec::new();
        }
        let close = matching_paren(b, open_paren, end);
        let mut params = Vec::new();
        let mut start = open_paren + 1;
        let mut depth = 0usize;
        let mut i = start;
        while i <= close {
            let c = if i == close { b',' } else { b[i] };
            match c {
                b'(' | b'[' => depth += 1,
                b')' | b']' => depth = depth.saturating_sub(1),
                b',' if depth == 0 => {
                    let part = sub(self.text, start, i);
                    if let Some(rest) = part.trim_start().strip_prefix('$') {
                        let name_len = rest.bytes().take_while(|c| is_name_byte(*c)).count();
                        let name = self.names.intern(&rest[..name_len]);
                        let default = part.find(':').map(|colon| self.expr(start + colon + 1, i));
                        params.push(Param { name, default });
                    }
                    start = i + 1;
                }
                _ => {}
            }
            i += 1;
        }
        params
    }

    fn simple(&mut self, open: &mut [Open], i: usize, end: usize) {
        if i >= end {
            return;
        }
        let b = self.bytes;
        let text = self.text;
        if b[i] == b'@' {
            let (keyword, after) = self.keyword(i, end);
            match keyword.to_ascii_lowercase().as_str() {
                "include" => {
                    let (name, args) = self.include_parts(after, end);
                    self.callees.push((Kind::Mixin, name));
                    self.note_callees(&args);
                    self.refs().push((Kind::Mixin, name));
                    self.push_stmt(
                        open,
                        i,
                        StmtKind::Include {
                            name,
                            args,
                            content: None,
                        },
                    );
                }
                "return" => {
                    let expr = self.expr(after, end);
                    self.note_callees(&expr);
                    self.push_stmt(open, i, StmtKind::Return(expr));
                }
                "content" => {
                    let expr = self.tokens(after, end, None);
                    self.note_callees(&expr);
                    self.push_stmt(open, i, StmtKind::Content(expr));
                }
                "debug" | "warn" | "error" => {
                    let expr = self.expr(i, end);
                    self.note_callees(&expr);
                    self.push_stmt(open, i, StmtKind::Output(expr));
                }
                "import" | "use" | "forward" => {
                    let single = keyword != "import";
                    let mut ids = Vec::new();
                    for target in import_keys(sub(text, after, end), single) {
                        let key = file_key(&crate::paths::resolve(self.path, &target));
                        let id = self.names.intern_normalized(format!("file:{key}"));
                        self.callees.push((Kind::File, id));
                        self.refs().push((Kind::File, id));
                        self.imports.push(key);
                        ids.push(id);
                    }
                    self.push_stmt(open, i, StmtKind::Import(ids));
                }
                _ => {}
            }
            return;
        }
        // `$name: value` or `module.$name: value`.
        let is_assign = b[i] == b'$'
            || (is_name_start(b[i]) && {
                let word_end = (i..end).find(|&k| !is_name_byte(b[k])).unwrap_or(end);
                sub(text, i, word_end).contains(".$") || (word_end < end && b[word_end] == b'$')
            });
        if is_assign {
            let colon = (i..end).find(|&k| b[k] == b':');
            let Some(colon) = colon else { return };
            let name_text = sub(text, i, colon).trim();
            let name_text = name_text.rsplit('$').next().unwrap_or(name_text);
            let name = self.names.intern(name_text);
            let (value_end, global, default) = strip_flags(text, colon + 1, end);
            let int = parse_int(sub(text, colon + 1, value_end));
            let items = literal_items(sub(text, colon + 1, value_end));
            let expr = self.expr(colon + 1, value_end);
            self.note_callees(&expr);
            self.push_stmt(
                open,
                i,
                StmtKind::Assign {
                    name,
                    expr,
                    global,
                    default,
                    int,
                    items,
                },
            );
            return;
        }
        let expr = self.expr(i, end);
        self.note_callees(&expr);
        self.push_stmt(open, i, StmtKind::Output(expr));
    }
}

/// How many items a literal list or map (no variables, calls or
/// interpolation) has, and the bytes of the largest: its top-level
/// commas plus one, or else its space-separated words; one outer pair of
/// parentheses is looked through.
fn literal_items(text: &str) -> Option<(u64, u64)> {
    let mut text = text.trim();
    if text.contains(['$', '#', '(']) && !(text.starts_with('(') && text.ends_with(')')) {
        return None;
    }
    if text.starts_with('(') && text.ends_with(')') {
        text = &text[1..text.len() - 1];
    }
    if text.contains(['$', '(', '#', '[']) {
        return None;
    }
    let mut commas = 0u64;
    let mut words = 0u64;
    let mut in_word = false;
    let mut quote = 0u8;
    // The largest comma-separated part, and the largest word.
    let (mut part, mut max_part) = (0u64, 0u64);
    let (mut word, mut max_word) = (0u64, 0u64);
    for &c in text.as_bytes() {
        part += 1;
        if quote != 0 {
            word += 1;
            if c == quote {
                quote = 0;
            }
            continue;
        }
        match c {
            b'"' | b'\'' => {
                quote = c;
                if !in_word {
                    words += 1;
                    in_word = true;
                }
                word += 1;
            }
            b',' => {
                commas += 1;
                in_word = false;
                max_part = max_part.max(part);
                part = 0;
                max_word = max_word.max(word);
                word = 0;
            }
            c if c.is_ascii_whitespace() => {
                in_word = false;
                max_word = max_word.max(word);
                word = 0;
            }
            _ => {
                if !in_word {
                    words += 1;
                    in_word = true;
                }
                word += 1;
            }
        }
    }
    max_part = max_part.max(part);
    max_word = max_word.max(word);
    Some(if commas > 0 {
        (commas + 1, max_part)
    } else {
        (words.max(1), max_word)
    })
}

/// Removes trailing `!default`/`!global` flags; the value's end and them.
fn strip_flags(text: &str, start: usize, mut end: usize) -> (usize, bool, bool) {
    let mut global = false;
    let mut default = false;
    loop {
        let value = sub(text, start, end).trim_end();
        let trimmed_end = start + value.len();
        let lower = value.to_ascii_lowercase();
        if lower.ends_with("!global") {
            global = true;
            end = trimmed_end - "!global".len();
        } else if lower.ends_with("!default") {
            default = true;
            end = trimmed_end - "!default".len();
        } else {
            return (trimmed_end, global, default);
        }
    }
}

fn matching_paren(b: &[u8], open: usize, end: usize) -> usize {
    let mut depth = 0usize;
    let mut quote = 0u8;
    let mut i = open;
    while i < end {
        let c = b[i];
        if quote != 0 {
            if c == quote {
                quote = 0;
            } else if c == b'\\' {
                i += 1;
            }
        } else {
            match c {
                b'"' | b'\'' => quote = c,
                b'(' => depth += 1,
                b')' => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        return i;
                    }
                }
                _ => {}
            }
        }
        i += 1;
    }
    end
}

/// The Sass files an `@import`/`@use`/`@forward` loads, as keys relative
/// to the package root (CSS imports and `sass:` modules are not files).
fn import_keys(args: &str, single: bool) -> Vec<String> {
    let mut keys = Vec::new();
    let mut rest = args;
    while let Some(start) = rest.find(['"', '\'']) {
        let quote = rest.as_bytes()[start];
        let Some(len) = rest[start + 1..].find(quote as char) else {
            break;
        };
        let target = &rest[start + 1..start + 1 + len];
        let lower = target.to_ascii_lowercase();
        let css = lower.ends_with(".css")
            || lower.ends_with(".wxss")
            || lower.starts_with("http:")
            || lower.starts_with("https:")
            || lower.starts_with("//")
            || lower.starts_with("sass:")
            || rest[..start].contains("url(");
        if !css {
            keys.push(target.to_string());
        }
        rest = &rest[start + 1 + len + 1..];
        if single {
            break;
        }
    }
    keys
}

/// Whether an assignment is arithmetic (over the variables it names, not
/// counting those inside calls that always return a number) and which
/// variables those are.
fn assign_shape(expr: &Expr, names: &Names) -> (bool, Vec<NameId>) {
    let mut shape_scalar = true;
    let mut refs = Vec::new();
    // Per open group: inside a call that always returns a scalar.
    let mut stack: Vec<bool> = Vec::new();
    for tok in expr {
        let inside = stack.last().copied().unwrap_or(false);
        match tok {
            Tok::Group => stack.push(inside),
            Tok::Call { name, .. } => {
                let kind = names.builtin(*name);
                if !inside
                    && !matches!(
                        kind,
                        Some(Builtin::AlwaysScalar | Builtin::ScalarIfArgs | Builtin::Multiplies)
                    )
                {
                    shape_scalar = false;
                }
                stack.push(inside || kind == Some(Builtin::AlwaysScalar));
            }
            Tok::Close => {
                stack.pop();
            }
            Tok::NonScalar | Tok::Rest if !inside => shape_scalar = false,
            Tok::Var(name) if !inside => refs.push(*name),
            _ => {}
        }
    }
    (shape_scalar, refs)
}

pub(super) fn parse(path: &str, text: &str, names: &mut Names) -> Parsed {
    let top = Def {
        kind: Kind::File,
        name: GLOBALS,
        params: Vec::new(),
        body: Body::default(),
        at: 0,
        refs: Vec::new(),
    };
    Parser {
        path,
        text,
        bytes: text.as_bytes(),
        names,
        stmts: Vec::new(),
        defs: Vec::new(),
        top,
        assigns: Vec::new(),
        for_vars: Vec::new(),
        callees: Vec::new(),
        imports: Vec::new(),
        def_stack: Vec::new(),
    }
    .parse()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shape(expr_text: &str) -> (bool, usize) {
        let mut names = Names::default();
        let parsed = parse("a.scss", &format!("$x: {expr_text};"), &mut names);
        let StmtKind::Assign { expr, .. } = &parsed.stmts[0].kind else {
            panic!("not an assignment: {:?}", parsed.stmts);
        };
        let (scalar, refs) = assign_shape(expr, &names);
        (scalar, refs.len())
    }

    #[test]
    fn arithmetic_and_lists_are_told_apart() {
        assert_eq!(shape("$i + 1"), (true, 1));
        assert_eq!(shape("$i * 2 + $j"), (true, 2));
        assert_eq!(shape("$i * $j"), (false, 2));
        assert_eq!(shape("$s $s"), (false, 2));
        assert_eq!(shape("$a -$b"), (false, 2));
        assert_eq!(shape("$a - $b"), (true, 2));
        assert_eq!(shape("\"#{$s}\""), (false, 1));
        assert_eq!(shape("length($list) + 1"), (true, 0));
        assert_eq!(shape("percentage($i / 12)"), (true, 1));
        assert_eq!(shape("append($l, $i)"), (false, 2));
        assert_eq!(shape("my-fn($i)"), (false, 1));
        assert_eq!(shape("math.div($a, $b)"), (false, 2));
        assert_eq!(shape("(a: 1, b: 2)"), (false, 0));
    }

    #[test]
    fn statements_blocks_and_definitions() {
        let mut names = Names::default();
        let text = "@use \"sass:math\";\n@import \"a\", 'b.css', \"../c\";\n\
                    @mixin m($a, $b: 2px) { .x, & .y { w: $a; } @content; }\n\
                    @function f($x) { @return $x $x; }\n\
                    .r { @include m(1px, $b: 3px) { color: red; } \
                    @each $k, $v in (a: 1) { $acc: append($acc, $v) !global; } \
                    @for $i from 1 through 10 { } }\n\
                    /* } */ $s: \"}\" + '#{\"{\"}';";
        let parsed = parse("pages/x/x.scss", text, &mut names);
        assert_eq!(parsed.imports, ["pages/x/a", "pages/c"]);
        assert_eq!(parsed.defs.len(), 2);
        assert_eq!(parsed.defs[0].params.len(), 2);
        assert!(parsed.defs[0].params[1].default.is_some());
        let kinds: Vec<&str> = parsed
            .stmts
            .iter()
            .map(|s| match &s.kind {
                StmtKind::Assign { .. } => "assign",
                StmtKind::Return(_) => "return",
                StmtKind::Include {
                    content: Some(_), ..
                } => "include{}",
                StmtKind::Include { .. } => "include",
                StmtKind::Content(_) => "content",
                StmtKind::Output(_) => "output",
                StmtKind::Rule { .. } => "rule",
                StmtKind::Block { .. } => "block",
                StmtKind::If { .. } => "if",
                StmtKind::Each { .. } => "each",
                StmtKind::For { .. } => "for",
                StmtKind::While { .. } => "while",
                StmtKind::Import(_) => "import",
                StmtKind::Nothing => "def",
            })
            .collect();
        assert_eq!(
            kinds,
            [
                "import",
                "import",
                "def",
                "rule",
                "output",
                "content",
                "def",
                "return",
                "rule",
                "include{}",
                "output",
                "each",
                "assign",
                "for",
                "assign"
            ]
        );
        let StmtKind::Rule { amps, .. } = &parsed.stmts[3].kind else {
            panic!()
        };
        assert_eq!(amps, &[0, 1]);
        let StmtKind::Each { body, vars, .. } = &parsed.stmts[11].kind else {
            panic!()
        };
        assert_eq!(vars.len(), 2);
        assert!(body.repeated.global_writes);
        let StmtKind::For {
            from,
            to,
            inclusive,
            ..
        } = &parsed.stmts[13].kind
        else {
            panic!()
        };
        assert_eq!(
            (from, to, *inclusive),
            (&Bound::Int(1), &Bound::Int(10), true)
        );
        assert_eq!(file_key("styles/_b.scss"), "styles/b");
        assert_eq!(file_key("styles/b/_index.scss"), "styles/b");
        assert_eq!(file_key("/b.scss"), "b");
        assert_eq!(
            literal_items("(sm: 576px, md: 768px, lg: 992px)"),
            Some((3, 11))
        );
        assert_eq!(literal_items(" a b ccc"), Some((3, 3)));
        assert_eq!(literal_items("a, \"b, c\""), Some((2, 7)));
        assert_eq!(literal_items("(a: $x)"), None);
        assert_eq!(literal_items("map-merge($a, $b)"), None);
    }
}
