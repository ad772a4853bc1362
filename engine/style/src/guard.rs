//! Nesting limits enforced on WXSS text before float-pigment reads it.
//!
//! Why this exists: float-pigment's parser is recursive descent, one Rust
//! stack frame chain per nested block, parenthesis, function and `:not()`,
//! so a few kilobytes of `:not(:not(...))` or `((((` overflow the render
//! thread's stack. Its `calc()` parser also tries every nested `calc()`
//! once as a number and again as a length, so the cost doubles per nesting
//! level (26 levels took 19 s). We cannot change float-pigment, so this
//! module makes one linear pass over the text first and:
//! - blanks every statement (a declaration, or a rule with its block)
//!   whose blocks, parentheses, brackets and functions nest more than
//!   [`MAX_NESTING`] deep, with a diagnostic at the bracket that crossed the
//!   limit;
//! - blanks every style rule one of whose selectors has more than
//!   [`MAX_SELECTOR_COMPOUNDS`] compound selectors (the matcher recurses once
//!   per compound), with a diagnostic at the rule;
//! - rewrites a `calc(` inside another `calc(` as `(` (CSS Values 4 defines a
//!   nested `calc()` as a parenthesised sum), which float-pigment parses in
//!   linear time.
//!
//! Blanking replaces every byte but line breaks with a space and the
//! rewrite pads with spaces, so the text keeps its length and every line
//! and column: float-pigment's own warnings still point at the source.

use std::borrow::Cow;

use crate::StyleDiagnostic;

/// How deeply blocks (`{`), parentheses, brackets and functions (`calc(`,
/// `:not(`, `var(`) may nest, counted together, before the statement
/// holding them is dropped: 32. Browsers document no limit, but real style
/// sheets stay under 6 or so (a rule in `@media` in `@supports`, a `calc()`
/// holding a `var()` with a fallback); 32 keeps float-pigment's recursion,
/// and ours over `:not()` arguments, far inside any thread's stack.
pub(crate) const MAX_NESTING: usize = 32;

/// How many compound selectors one complex selector (`.a > .b .c` is 3)
/// may have, `:not()` arguments included: 256. Browsers document no
/// limit; hand-written selectors have a handful, generated ones a few
/// dozen. Matching recurses once per compound, so this bounds the matcher's
/// stack (see `selector::MAX_SELECTOR_COMPOUNDS`, the same limit applied to
/// selectors written outside style sheets).
pub(crate) const MAX_SELECTOR_COMPOUNDS: usize = 256;

/// How many operators (`+ - * /`) one `calc()` may have, nested ones and
/// parentheses included: 64. float-pigment builds one tree level per
/// operator (`1px + 1px + ...` nests to the left), which every later walk
/// (evaluation, encoding, drop) recurses through, and the precompiled
/// form's decoder stops at 128 levels. Browsers document no limit; real
/// expressions have one to four operators.
pub(crate) const MAX_CALC_OPERATORS: usize = 64;

/// One open block, parenthesis, bracket or function.
#[derive(Clone, Copy)]
struct Open {
    is_calc: bool,
}

/// The text as float-pigment should read it, with the problems found.
pub(crate) struct Guarded<'a> {
    pub(crate) text: Cow<'a, str>,
    pub(crate) diagnostics: Vec<StyleDiagnostic>,
}

/// Applies the limits to `source`, a style sheet, an inline style or one
/// declaration's value; diagnostics name `file`.
pub(crate) fn guard<'a>(file: &str, source: &'a str) -> Guarded<'a> {
    // Fast path: nothing can nest deeply or hold a nested calc() when the
    // text has few brackets, the common case for small values.
    let openers = source
        .bytes()
        .filter(|b| matches!(b, b'(' | b'[' | b'{'))
        .count();
    let separators = source
        .bytes()
        .filter(|b| b.is_ascii_whitespace() || matches!(b, b'>' | b'+' | b'~' | b'*' | b'/'))
        .count();
    if openers <= 1 && separators < MAX_CALC_OPERATORS {
        return Guarded {
            text: Cow::Borrowed(source),
            diagnostics: Vec::new(),
        };
    }
    let mut scan = Scanner::new(file, source);
    scan.run();
    let diagnostics = std::mem::take(&mut scan.diagnostics);
    let text = if scan.changed {
        // Only ASCII structural bytes and whole statements (every byte of a
        // multi-byte character included) were replaced by ASCII spaces.
        Cow::Owned(
            String::from_utf8(scan.bytes)
                .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()),
        )
    } else {
        Cow::Borrowed(source)
    };
    Guarded { text, diagnostics }
}

/// What ended a statement that is being dropped.
enum StatementEnd {
    /// A `;` (included) or the enclosing block's `}` (excluded), or the end
    /// of the text: a declaration (or an at-rule without a block).
    Declaration,
    /// The `}` closing the statement's own block (included): a rule.
    Rule,
}

struct Scanner<'f> {
    file: &'f str,
    bytes: Vec<u8>,
    pos: usize,
    line: u32,
    column: u32,
    stack: Vec<Open>,
    calc_open: usize,
    /// Operators seen since the outermost open `calc(`.
    calc_operators: usize,
    /// Where the current statement starts, and the stack depth there.
    statement_start: usize,
    statement_depth: usize,
    statement_line: u32,
    statement_column: u32,
    statement_started: bool,
    /// The statement's first significant byte (`@` for an at-rule).
    statement_first: u8,
    /// Compound selectors counted in the current selector-list item, if
    /// the current statement turns out to be a rule's selector.
    compounds: usize,
    /// A combinator or whitespace run was seen since the last compound.
    after_separator: bool,
    changed: bool,
    diagnostics: Vec<StyleDiagnostic>,
}

impl<'f> Scanner<'f> {
    fn new(file: &'f str, source: &str) -> Self {
        Scanner {
            file,
            bytes: source.as_bytes().to_vec(),
            pos: 0,
            line: 1,
            column: 1,
            stack: Vec::new(),
            calc_open: 0,
            calc_operators: 0,
            statement_start: 0,
            statement_depth: 0,
            statement_line: 1,
            statement_column: 1,
            statement_started: false,
            statement_first: b' ',
            compounds: 1,
            after_separator: false,
            changed: false,
            diagnostics: Vec::new(),
        }
    }

    /// Moves past one byte, keeping line and column (columns count
    /// characters: UTF-8 continuation bytes do not advance them).
    fn step(&mut self) {
        let Some(&b) = self.bytes.get(self.pos) else {
            return;
        };
        self.pos += 1;
        if b == b'\n' {
            self.line += 1;
            self.column = 1;
        } else if b & 0xC0 != 0x80 {
            self.column += 1;
        }
    }

    fn peek(&self, offset: usize) -> Option<u8> {
        self.bytes.get(self.pos + offset).copied()
    }

    /// Skips a comment, string or escape at the cursor; returns whether it
    /// did. An unterminated comment or string runs to the end, as in CSS.
    fn skip_opaque(&mut self) -> bool {
        match (self.peek(0), self.peek(1)) {
            (Some(b'/'), Some(b'*')) => {
                self.step();
                self.step();
                while self.pos < self.bytes.len() {
                    if self.peek(0) == Some(b'*') && self.peek(1) == Some(b'/') {
                        self.step();
                        self.step();
                        break;
                    }
                    self.step();
                }
                true
            }
            (Some(quote @ (b'"' | b'\'')), _) => {
                self.step();
                while let Some(b) = self.peek(0) {
                    if b == b'\\' {
                        self.step();
                    } else if b == quote || b == b'\n' {
                        self.step();
                        break;
                    }
                    self.step();
                }
                true
            }
            (Some(b'\\'), _) => {
                self.step();
                self.step();
                true
            }
            _ => false,
        }
    }

    fn start_statement(&mut self) {
        self.statement_start = self.pos;
        self.statement_depth = self.stack.len();
        self.statement_started = false;
        self.statement_first = b' ';
        self.compounds = 1;
        self.after_separator = false;
    }

    /// Notes the first significant character of a statement (where a
    /// dropped rule is reported).
    fn mark_statement_begun(&mut self) {
        if !self.statement_started {
            self.statement_started = true;
            self.statement_line = self.line;
            self.statement_column = self.column;
            self.statement_first = self.bytes.get(self.pos).copied().unwrap_or(b' ');
        }
    }

    /// The name of the function whose `(` is at `paren`, if any.
    fn function_name_before(&self, paren: usize) -> &[u8] {
        let mut start = paren;
        while start > 0
            && (self.bytes[start - 1].is_ascii_alphanumeric()
                || matches!(self.bytes[start - 1], b'-' | b'_'))
        {
            start -= 1;
        }
        &self.bytes[start..paren]
    }

    fn run(&mut self) {
        while self.pos < self.bytes.len() {
            let is_comment = self.peek(0) == Some(b'/') && self.peek(1) == Some(b'*');
            if !is_comment && matches!(self.peek(0), Some(b'"' | b'\'' | b'\\')) {
                self.mark_statement_begun();
            }
            if self.skip_opaque() {
                continue;
            }
            let b = self.bytes[self.pos];
            if self.calc_open > 0 && self.is_calc_operator() {
                self.calc_operators += 1;
                if self.calc_operators > MAX_CALC_OPERATORS {
                    self.drop_long_calc();
                    continue;
                }
            }
            let in_statement_top = self.stack.len() == self.statement_depth;
            match b {
                b'(' | b'[' | b'{' => {
                    self.mark_statement_begun();
                    if b == b'{'
                        && in_statement_top
                        && self.statement_first != b'@'
                        && self.compounds > MAX_SELECTOR_COMPOUNDS
                    {
                        self.drop_long_selector();
                        continue;
                    }
                    if self.stack.len() >= MAX_NESTING {
                        self.drop_deep_statement();
                        continue;
                    }
                    let is_calc = b == b'('
                        && self
                            .function_name_before(self.pos)
                            .eq_ignore_ascii_case(b"calc");
                    if is_calc && self.calc_open > 0 {
                        // `calc(` inside `calc(`: the same as `(`.
                        let name_start = self.pos - 4;
                        self.bytes[name_start..self.pos].fill(b' ');
                        self.changed = true;
                    }
                    self.calc_open += is_calc as usize;
                    self.stack.push(Open { is_calc });
                    self.step();
                    if b == b'{' {
                        self.start_statement();
                    } else {
                        self.after_separator = false;
                    }
                }
                b')' | b']' | b'}' => {
                    if let Some(open) = self.stack.pop() {
                        self.calc_open -= open.is_calc as usize;
                    }
                    if self.calc_open == 0 {
                        self.calc_operators = 0;
                    }
                    self.step();
                    if b == b'}' || self.stack.len() < self.statement_depth {
                        self.start_statement();
                    }
                }
                b';' if in_statement_top => {
                    self.step();
                    self.start_statement();
                }
                b',' if in_statement_top => {
                    self.step();
                    self.compounds = 1;
                    self.after_separator = false;
                }
                b'>' | b'+' | b'~' => {
                    self.step();
                    self.after_separator = self.statement_started;
                }
                _ if b.is_ascii_whitespace() => {
                    self.step();
                    self.after_separator = self.statement_started;
                }
                _ => {
                    self.mark_statement_begun();
                    if self.after_separator {
                        self.compounds += 1;
                        self.after_separator = false;
                    }
                    self.step();
                }
            }
        }
    }

    /// From the cursor (inside the current statement), finds where the
    /// statement ends; the cursor is left there.
    fn find_statement_end(&mut self) -> StatementEnd {
        // Brackets open since the statement started, the one at the cursor
        // not yet counted.
        let mut open = self.stack.len() - self.statement_depth;
        let mut has_block = false;
        while self.pos < self.bytes.len() {
            if self.skip_opaque() {
                continue;
            }
            match self.bytes[self.pos] {
                b'{' if open == 0 => {
                    has_block = true;
                    open = 1;
                }
                b'(' | b'[' | b'{' => open += 1,
                b')' | b']' | b'}' if open == 0 => {
                    // The enclosing block closes: not part of the statement.
                    return StatementEnd::Declaration;
                }
                b')' | b']' | b'}' => {
                    open -= 1;
                    if open == 0 && has_block {
                        self.step();
                        return StatementEnd::Rule;
                    }
                }
                b';' if open == 0 => {
                    self.step();
                    return StatementEnd::Declaration;
                }
                _ => {}
            }
            self.step();
        }
        if has_block {
            StatementEnd::Rule
        } else {
            StatementEnd::Declaration
        }
    }

    /// Replaces the statement from its start to the cursor with spaces and
    /// carries on after it at the statement's own depth.
    fn blank_statement(&mut self) {
        for b in &mut self.bytes[self.statement_start..self.pos] {
            if !matches!(*b, b'\n' | b'\r') {
                *b = b' ';
            }
        }
        self.changed = true;
        for open in self.stack.drain(self.statement_depth..) {
            self.calc_open -= open.is_calc as usize;
        }
        if self.calc_open == 0 {
            self.calc_operators = 0;
        }
        self.start_statement();
    }

    fn report(&mut self, line: u32, column: u32, message: String) {
        self.diagnostics.push(StyleDiagnostic {
            file: self.file.to_owned(),
            line,
            column,
            message,
            is_error: false,
        });
    }

    fn drop_deep_statement(&mut self) {
        let (line, column) = (self.line, self.column);
        let in_calc = self.calc_open > 0
            || self
                .function_name_before(self.pos)
                .eq_ignore_ascii_case(b"calc");
        let opens_block = self.bytes[self.pos] == b'{';
        let is_at_rule = self.bytes[self.statement_start..self.pos]
            .iter()
            .find(|b| !b.is_ascii_whitespace())
            == Some(&b'@');
        let end = self.find_statement_end();
        let (what, dropped) = match end {
            StatementEnd::Rule if is_at_rule => ("at-rule", "rule"),
            StatementEnd::Rule if opens_block => ("block", "rule"),
            StatementEnd::Rule => ("selector", "rule"),
            StatementEnd::Declaration if in_calc => ("calc()", "declaration"),
            StatementEnd::Declaration => ("value", "declaration"),
        };
        self.report(
            line,
            column,
            format!(
                "{what} nested too deeply: more than {MAX_NESTING} levels of blocks, \
                 parentheses and functions; this {dropped} is ignored"
            ),
        );
        self.blank_statement();
    }

    /// Whether the byte at the cursor is a `calc()` operator: `*` or `/`,
    /// or `+` / `-` with whitespace on both sides (CSS requires it, and it
    /// tells them from signs and from `-` inside names).
    fn is_calc_operator(&self) -> bool {
        let spaced = |at: Option<u8>| at.is_none_or(|b| b.is_ascii_whitespace());
        match self.bytes[self.pos] {
            b'*' | b'/' => true,
            b'+' | b'-' => {
                self.pos > 0
                    && self.bytes[self.pos - 1].is_ascii_whitespace()
                    && spaced(self.peek(1))
            }
            _ => false,
        }
    }

    fn drop_long_calc(&mut self) {
        let (line, column) = (self.line, self.column);
        self.find_statement_end();
        self.report(
            line,
            column,
            format!(
                "calc() too long: more than {MAX_CALC_OPERATORS} operators; this declaration is \
                 ignored"
            ),
        );
        self.blank_statement();
    }

    fn drop_long_selector(&mut self) {
        let (line, column) = (self.statement_line, self.statement_column);
        self.find_statement_end();
        self.report(
            line,
            column,
            format!(
                "selector too long: more than {MAX_SELECTOR_COMPOUNDS} compound selectors \
                 in one selector; this rule is ignored"
            ),
        );
        self.blank_statement();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nested(open: &str, inner: &str, close: &str, depth: usize) -> String {
        format!("{}{inner}{}", open.repeat(depth), close.repeat(depth))
    }

    #[test]
    fn shallow_text_is_untouched() {
        let css = ".a:not(.b) { width: calc(100% - (2px * 3)); }";
        let guarded = guard("a.wxss", css);
        assert!(matches!(guarded.text, Cow::Borrowed(_)));
        assert!(guarded.diagnostics.is_empty());
    }

    #[test]
    fn nested_calc_becomes_parentheses_of_the_same_length() {
        let css = ".a { width: calc(1px + calc(2px * calc(3))); }";
        let guarded = guard("a.wxss", css);
        assert_eq!(guarded.text.len(), css.len());
        assert_eq!(
            guarded.text,
            ".a { width: calc(1px +     (2px *     (3))); }"
        );
        assert!(guarded.diagnostics.is_empty());
    }

    #[test]
    fn deep_not_drops_only_its_rule_and_keeps_lines() {
        let deep = nested(":not(", ".x", ")", 10_000);
        let css = format!(".keep {{ color: red }}\n.a{deep} {{ color: blue }}\n.after {{ }}");
        let guarded = guard("p.wxss", &css);
        assert_eq!(guarded.text.len(), css.len());
        assert!(guarded.text.starts_with(".keep { color: red }\n"));
        assert!(guarded.text.ends_with("\n.after { }"));
        assert!(!guarded.text.contains("blue"));
        let [d] = guarded.diagnostics.as_slice() else {
            panic!("one diagnostic expected: {:?}", guarded.diagnostics);
        };
        assert_eq!((d.file.as_str(), d.line), ("p.wxss", 2));
        // `.a` then `:not(` per level: the first level past the limit.
        assert_eq!(d.column as usize, 2 + (MAX_NESTING + 1) * 5);
        assert!(
            d.message.starts_with("selector nested too deeply"),
            "{}",
            d.message
        );
    }

    #[test]
    fn deep_value_drops_only_its_declaration() {
        let deep = nested("calc(", "1px", ")", 100);
        let css = format!(".a {{ width: {deep}; height: 2px }}");
        let guarded = guard("p.wxss", &css);
        assert!(guarded.text.contains("height: 2px }"));
        assert!(!guarded.text.contains("width"));
        assert!(guarded.diagnostics[0]
            .message
            .starts_with("calc() nested too deeply"));
    }

    #[test]
    fn unbalanced_openers_blank_to_the_end() {
        for opener in ["(", "["] {
            let css = format!(".a {{ }} .b {}", opener.repeat(100_000));
            let guarded = guard("p.wxss", &css);
            assert_eq!(guarded.text.trim_end(), ".a { }");
            assert_eq!(guarded.diagnostics.len(), 1);
        }
        // Blocks: each `{` starts a new statement, so the levels within the
        // limit stay (unclosed, as written) and the rest is dropped.
        let css = format!(".a {{ }} .b {}", "{".repeat(100_000));
        let guarded = guard("p.wxss", &css);
        let kept = format!(".a {{ }} .b {}", "{".repeat(MAX_NESTING));
        assert_eq!(guarded.text.trim_end(), kept);
        assert!(guarded.diagnostics[0]
            .message
            .starts_with("block nested too deeply"));
    }

    #[test]
    fn long_calc_drops_only_its_declaration() {
        let terms = vec!["1px"; 10_000].join(" + ");
        let css = format!(".a {{ width: calc({terms}); height: calc(1px*2/3 - -1px + 2px) }}");
        let guarded = guard("p.wxss", &css);
        assert!(!guarded.text.contains("width"));
        assert!(guarded
            .text
            .contains("height: calc(1px*2/3 - -1px + 2px) }"));
        let [d] = guarded.diagnostics.as_slice() else {
            panic!("one diagnostic expected: {:?}", guarded.diagnostics);
        };
        assert!(d.message.starts_with("calc() too long"), "{}", d.message);
        // `.a { width: calc(` then 64 terms of `1px + `: the 65th `+`.
        assert_eq!(d.column as usize, 18 + 3 + MAX_CALC_OPERATORS * 6 + 1);
    }

    #[test]
    fn long_selector_is_dropped() {
        let long = ".a ".repeat(MAX_SELECTOR_COMPOUNDS + 1);
        let ok = "view > .a ".repeat(MAX_SELECTOR_COMPOUNDS / 4);
        let css = format!("{long}{{ color: red }}\n{ok}{{ color: blue }}");
        let guarded = guard("p.wxss", &css);
        assert!(!guarded.text.contains("red"));
        assert!(guarded.text.contains("blue"));
        let [d] = guarded.diagnostics.as_slice() else {
            panic!("one diagnostic expected: {:?}", guarded.diagnostics);
        };
        assert_eq!((d.line, d.column), (1, 1));
        assert!(d.message.starts_with("selector too long"));
    }

    #[test]
    fn strings_and_comments_do_not_count() {
        let css = format!(
            ".a {{ content: \"{}\"; }} /* {} */",
            "(".repeat(100),
            "{".repeat(100)
        );
        let guarded = guard("p.wxss", &css);
        assert!(guarded.diagnostics.is_empty());
        assert_eq!(guarded.text, css);
    }
}
