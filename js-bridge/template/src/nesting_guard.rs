//! A linear pre-scan of WXML source that refuses nesting too deep to parse
//! safely, before glass-easel sees the text.
//!
//! Why hand-written: glass-easel parses elements and expressions
//! recursively, and its AST (and our IR, evaluator and drops after it) is
//! walked recursively too, so 1,000 nested `<view>`s or 100,000 nested
//! parentheses overflow the thread's stack before any later check can run.
//! This scanner never recurses: it follows just enough of glass-easel's
//! lexical rules (tags, end-tag matching, comments, `<wxs>` bodies, quoted
//! attribute values, `{{ }}` with their strings and `/* */` comments) to
//! bound the depth glass-easel would build, and blanks out (replaces with
//! spaces, keeping line breaks and UTF-16 column widths so every later
//! position is unchanged) each element or binding beyond the limits, with a
//! located diagnostic. Where its view of the text could differ from
//! glass-easel's (a string or comment inside `{{ }}` that contains `}}`,
//! which glass-easel's error recovery may end the binding at), it counts
//! that text as expression tokens too, so it errs on the side of refusing.

use crate::diagnostic::TemplateDiagnostic;
use std::borrow::Cow;
use std::ops::Range;

/// The deepest element nesting a WXML file (and, see `instance`, a whole
/// page with its templates, includes, components and the light children
/// their slots take) may have: 512.
/// Chrome lays out 512-deep DOM trees and real pages stay well under 100
/// levels (a page 200 elements deep must render); every tag counts,
/// `<block>`, `<template>` and `wx:if`/`wx:for` carriers included, so the
/// recursive walks after parsing stay within a few MiB of stack.
pub const MAX_ELEMENT_DEPTH: usize = 512;

/// The deepest a single `{{ }}` expression may nest: 256, counting bracket
/// levels, member steps, calls and indexes, and operators between commas
/// (each can add a level to the parsed tree or to glass-easel's recursive
/// descent; a parenthesis counts as a level and a step, so 127 nested
/// parentheses fit). Real bindings use a handful; this bounds the parser
/// and every recursive walk over expressions.
pub const MAX_EXPRESSION_DEPTH: usize = 256;

/// The most `{{ }}` one text run or attribute value may hold: 1,024.
/// glass-easel joins them into one left-leaning string concatenation, two
/// tree levels per binding, so this bounds that tree's depth too.
pub const MAX_INTERPOLATIONS_PER_VALUE: usize = 1024;

/// The source to parse (with refused parts blanked) and the diagnostics.
pub(crate) struct Guarded<'s> {
    pub source: Cow<'s, str>,
    pub diags: Vec<TemplateDiagnostic>,
}

/// Scans `source` (the file `file`) and blanks what nests too deeply.
pub(crate) fn guard_source<'s>(file: &str, source: &'s str) -> Guarded<'s> {
    let mut scanner = Scanner {
        text: source.as_bytes(),
        file,
        lines: LineCursor::default(),
        source,
        open: Vec::new(),
        cut: None,
        blanks: Vec::new(),
        diags: Vec::new(),
        interpolations: 0,
    };
    scanner.run();
    let Scanner { blanks, diags, .. } = scanner;
    let source = if blanks.is_empty() {
        Cow::Borrowed(source)
    } else {
        Cow::Owned(blank_ranges(source, blanks))
    };
    Guarded { source, diags }
}

/// An element subtree being blanked: where it starts and how many elements
/// were open outside it.
struct Cut {
    start: usize,
    outer_depth: usize,
}

struct Scanner<'s, 'f> {
    text: &'s [u8],
    source: &'s str,
    file: &'f str,
    lines: LineCursor,
    /// Names of the open elements (lower-cased as glass-easel compares).
    open: Vec<String>,
    cut: Option<Cut>,
    blanks: Vec<Range<usize>>,
    diags: Vec<TemplateDiagnostic>,
    /// `{{ }}` seen in the current text run or attribute value.
    interpolations: usize,
}

fn is_name_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_'
}

fn is_name_char(b: u8) -> bool {
    is_name_start(b) || b.is_ascii_digit() || b == b'-' || b == b'.'
}

impl Scanner<'_, '_> {
    fn at(&self, i: usize) -> Option<u8> {
        self.text.get(i).copied()
    }

    fn starts_with(&self, i: usize, s: &str) -> bool {
        self.text
            .get(i..)
            .is_some_and(|rest| rest.starts_with(s.as_bytes()))
    }

    fn find(&self, from: usize, s: &str) -> Option<usize> {
        let needle = s.as_bytes();
        let hay = self.text.get(from..)?;
        hay.windows(needle.len())
            .position(|w| w == needle)
            .map(|p| from + p)
    }

    fn position(&mut self, offset: usize) -> (u32, u32) {
        self.lines.advance_to(self.source, offset)
    }

    fn run(&mut self) {
        let n = self.text.len();
        let mut i = 0;
        while i < n {
            if self.text[i] == b'<' {
                let next = self.at(i + 1);
                if next == Some(b'/') {
                    self.interpolations = 0;
                    i = self.end_tag(i);
                    continue;
                }
                if next == Some(b'!') {
                    self.interpolations = 0;
                    i = self.special_tag(i);
                    continue;
                }
                if next.is_some_and(is_name_start) {
                    self.interpolations = 0;
                    i = self.start_tag(i);
                    continue;
                }
            }
            if self.starts_with(i, "{{") {
                i = self.binding(i);
                continue;
            }
            i += 1;
        }
        if let Some(cut) = self.cut.take() {
            self.blanks.push(cut.start..n);
        }
    }

    /// The tag name at `i` as glass-easel compares it: lower-cased, with
    /// a `prefix:name` standing for `wx-x`.
    fn name_at(&self, i: usize) -> (String, usize) {
        let mut j = i;
        while self.at(j).is_some_and(|b| is_name_char(b) || b == b':') {
            j += 1;
        }
        let raw = &self.source[i..j];
        let name = if raw.contains(':') {
            "wx-x".to_owned()
        } else {
            raw.to_ascii_lowercase()
        };
        (name, j)
    }

    /// `<!-- -->` or `<!meta ...>`: no nesting.
    fn special_tag(&mut self, i: usize) -> usize {
        if self.starts_with(i, "<!--") {
            return self
                .find(i + 4, "-->")
                .map_or(self.text.len(), |end| end + 3);
        }
        if self.at(i + 2).is_some_and(is_name_start) {
            let (_, j) = self.name_at(i + 2);
            return self.tag_attributes("", j).0;
        }
        i + 2
    }

    fn start_tag(&mut self, i: usize) -> usize {
        let (name, j) = self.name_at(i + 1);
        let depth = self.open.len() + 1;
        let too_deep = depth > MAX_ELEMENT_DEPTH && self.cut.is_none();
        if too_deep {
            let at = self.position(i);
            self.diags.push(TemplateDiagnostic::error(
                self.file,
                at,
                format!(
                    "<{name}> nested too deeply (more than {MAX_ELEMENT_DEPTH} levels of elements): \
                     it is not rendered"
                ),
            ));
        }
        let written = &self.source[i + 1..j];
        let (end, self_closing) = self.tag_attributes(written, j);
        if self_closing {
            if too_deep {
                self.blanks.push(i..end);
            }
            return end;
        }
        if too_deep {
            self.cut = Some(Cut {
                start: i,
                outer_depth: self.open.len(),
            });
        }
        let is_script = name == "wxs";
        self.open.push(name);
        if is_script && end <= self.text.len() {
            return self.script_body(end);
        }
        end
    }

    /// Skips a `<wxs>` body to its `</wxs` (as glass-easel does).
    fn script_body(&self, from: usize) -> usize {
        let mut k = from;
        loop {
            match self.find(k, "</wxs") {
                None => return self.text.len(),
                Some(at) => match self.at(at + 5) {
                    Some(b) if is_name_char(b) => k = at + 5,
                    _ => return at,
                },
            }
        }
    }

    /// Scans the attributes of tag `tag` (as written) from `j` to the end of
    /// the tag; returns the index after it and whether it was `/>`.
    fn tag_attributes(&mut self, tag: &str, mut j: usize) -> (usize, bool) {
        // The attribute name just read: only then does `=` start a value
        // (elsewhere glass-easel skips `=` and quotes as junk).
        let mut attribute: Option<Range<usize>> = None;
        while let Some(b) = self.at(j) {
            match b {
                b'>' => return (j + 1, false),
                b'/' if self.at(j + 1) == Some(b'>') => return (j + 2, true),
                b'=' if attribute.is_some() => {
                    let is_static = attribute
                        .take()
                        .is_some_and(|name| is_static_attribute(tag, &self.source[name]));
                    j += 1;
                    let value_start = j;
                    while self.at(j).is_some_and(|b| b.is_ascii_whitespace()) {
                        j += 1;
                    }
                    self.interpolations = 0;
                    match self.at(j) {
                        Some(q @ (b'"' | b'\'')) => j = self.quoted_value(j + 1, q, is_static),
                        Some(b'{') if self.starts_with(j, "{{") => j = self.binding(j),
                        // An unquoted value only right after `=`; after
                        // a space the word is the next attribute's name.
                        Some(b) if j == value_start && is_name_char(b) => {
                            while self.at(j).is_some_and(is_name_char) {
                                j += 1;
                            }
                        }
                        _ => {}
                    }
                }
                b if is_name_start(b) => {
                    let start = j;
                    while self.at(j).is_some_and(|b| is_name_char(b) || b == b':') {
                        j += 1;
                    }
                    attribute = Some(start..j);
                }
                b if b.is_ascii_whitespace() => j += 1,
                _ => {
                    attribute = None;
                    j += 1;
                }
            }
        }
        (self.text.len(), false)
    }

    /// A quoted attribute value from `j` (after the quote); returns the
    /// index after the closing quote.
    fn quoted_value(&mut self, mut j: usize, quote: u8, is_static: bool) -> usize {
        while let Some(b) = self.at(j) {
            if b == quote {
                return j + 1;
            }
            if !is_static && self.starts_with(j, "{{") {
                j = self.binding(j);
            } else {
                j += 1;
            }
        }
        self.text.len()
    }

    fn end_tag(&mut self, i: usize) -> usize {
        let mut j = i + 2;
        while self.at(j).is_some_and(|b| b.is_ascii_whitespace()) {
            j += 1;
        }
        let (name, j) = self.name_at(j);
        let end = self.find(j, ">").map_or(self.text.len(), |k| k + 1);
        // glass-easel closes up to the element of that name; an empty
        // name closes the innermost one. An unknown name closes one here
        // (glass-easel closes all): counting deeper is the safe side.
        let remaining = match self.open.iter().rposition(|open| *open == name) {
            Some(k) if !name.is_empty() => k,
            _ => self.open.len().saturating_sub(1),
        };
        let closes_cut_root = remaining == self.cut.as_ref().map_or(usize::MAX, |c| c.outer_depth);
        self.open.truncate(remaining);
        if let Some(cut) = &self.cut {
            if self.open.len() <= cut.outer_depth {
                // The end tag of the cut element goes with it; an
                // ancestor's end tag stays.
                let stop = if closes_cut_root && self.open.len() == cut.outer_depth {
                    end
                } else {
                    i
                };
                self.blanks.push(cut.start..stop);
                self.cut = None;
            }
        }
        end
    }

    /// A `{{ ... }}` at `i`; returns the index after it. Refuses (blanks)
    /// it when it nests too deeply or its value holds too many bindings.
    fn binding(&mut self, i: usize) -> usize {
        self.interpolations += 1;
        let mut depth = ExprDepth::default();
        let end = self.expression_end(i + 2, &mut depth);
        let too_many = self.interpolations > MAX_INTERPOLATIONS_PER_VALUE;
        if (depth.exceeded() || too_many) && self.cut.is_none() {
            // Later bindings of an over-full value are blanked silently:
            // one diagnostic names the value.
            if depth.exceeded() || self.interpolations == MAX_INTERPOLATIONS_PER_VALUE + 1 {
                let at = self.position(i);
                let message = if depth.exceeded() {
                    format!(
                        "expression nested too deeply (more than {MAX_EXPRESSION_DEPTH} levels \
                         of brackets, operators or member steps): the binding is ignored"
                    )
                } else {
                    format!(
                        "more than {MAX_INTERPOLATIONS_PER_VALUE} {{{{ }}}} bindings in one value \
                         (bindings nested too deeply): the rest are ignored"
                    )
                };
                self.diags
                    .push(TemplateDiagnostic::error(self.file, at, message));
            }
            self.blanks.push(i..end);
        }
        end
    }

    /// Scans expression text from `j` to its closing `}}`, feeding `depth`.
    fn expression_end(&self, mut j: usize, depth: &mut ExprDepth) -> usize {
        let mut braces = 0usize;
        while let Some(b) = self.at(j) {
            match b {
                b'\'' | b'"' => {
                    let close = self.string_end(j + 1, b);
                    self.opaque_run(j + 1..close, depth);
                    j = (close + 1).min(self.text.len());
                }
                b'/' if self.at(j + 1) == Some(b'*') => {
                    let close = self.find(j + 2, "*/").unwrap_or(self.text.len());
                    self.opaque_run(j + 2..close, depth);
                    j = (close + 2).min(self.text.len());
                }
                b'}' if braces == 0 && self.at(j + 1) == Some(b'}') => return j + 2,
                b'}' => {
                    braces = braces.saturating_sub(1);
                    depth.close(false);
                    j += 1;
                }
                b'{' => {
                    braces += 1;
                    depth.open();
                    j += 1;
                }
                _ => j = depth.token(self.text, j),
            }
        }
        self.text.len()
    }

    /// The index of the quote closing a string started before `j`.
    fn string_end(&self, mut j: usize, quote: u8) -> usize {
        while let Some(b) = self.at(j) {
            if b == b'\\' {
                j += 2;
            } else if b == quote {
                return j;
            } else {
                j += 1;
            }
        }
        self.text.len()
    }

    /// A string or comment inside `{{ }}`: skipped, unless it holds `}}`,
    /// where glass-easel's error recovery might end the binding and parse
    /// the rest as new bindings; then its text counts as tokens.
    fn opaque_run(&self, range: Range<usize>, depth: &mut ExprDepth) {
        let Some(bytes) = self.text.get(range.clone()) else {
            return;
        };
        if !bytes.windows(2).any(|w| w == b"}}") {
            return;
        }
        let mut inner = ExprDepth::default();
        let mut k = range.start;
        while k < range.end {
            match self.text[k] {
                b'{' | b'(' | b'[' => {
                    inner.open();
                    k += 1;
                }
                b @ (b'}' | b')' | b']') => {
                    inner.close(b != b'}');
                    k += 1;
                }
                _ => k = inner.token(&self.text[..range.end], k),
            }
        }
        depth.absorb(inner);
    }
}

/// One bracket level of an expression being measured.
#[derive(Default, Clone, Copy)]
struct Level {
    /// Operators and member steps since the last comma.
    ops: usize,
    /// The deepest bracket closed inside since the last comma.
    child: usize,
    /// The deepest comma-separated part finished so far.
    best: usize,
}

impl Level {
    fn part(&self) -> usize {
        self.ops + self.child
    }

    fn finish(&self) -> usize {
        self.best.max(self.part()) + 1
    }
}

/// An upper bound of the depth of the tree glass-easel builds for an
/// expression: every level nests at most (operators in its
/// comma-separated part + the deepest bracket inside it) deep. Stops
/// tracking once the bound is known to exceed the limit.
#[derive(Default)]
struct ExprDepth {
    levels: Vec<Level>,
    cur: Level,
    over: bool,
}

impl ExprDepth {
    fn exceeded(&self) -> bool {
        self.over || self.bound() > MAX_EXPRESSION_DEPTH
    }

    fn bound(&self) -> usize {
        let mut value = self.cur.finish();
        for level in self.levels.iter().rev() {
            value = level.best.max(level.ops + level.child.max(value)) + 1;
        }
        value
    }

    fn check(&mut self) {
        if self.levels.len() + self.cur.part() > MAX_EXPRESSION_DEPTH {
            self.over = true;
        }
    }

    fn open(&mut self) {
        if self.over {
            return;
        }
        self.levels.push(std::mem::take(&mut self.cur));
        self.check();
    }

    /// Closes a bracket level. `)` and `]` also count as a step of the
    /// enclosing level: they may end a call or an index (`a[0][0]...`
    /// nests one tree level per step, like `.`).
    fn close(&mut self, postfix: bool) {
        if self.over {
            return;
        }
        let value = self.cur.finish();
        match self.levels.pop() {
            Some(mut parent) => {
                parent.child = parent.child.max(value);
                parent.ops += usize::from(postfix);
                self.cur = parent;
            }
            // A stray closer: what was before it still counts.
            None => {
                self.cur = Level {
                    best: value,
                    ..Level::default()
                }
            }
        }
        self.check();
    }

    fn op(&mut self) {
        self.cur.ops += 1;
        self.check();
    }

    fn comma(&mut self) {
        self.cur.best = self.cur.best.max(self.cur.part());
        self.cur.ops = 0;
        self.cur.child = 0;
    }

    /// Merges the bound of a run measured on its own, as if nested here.
    fn absorb(&mut self, inner: ExprDepth) {
        if inner.over {
            self.over = true;
            return;
        }
        let nested = inner.bound() + self.levels.len() + self.cur.part();
        if nested > MAX_EXPRESSION_DEPTH {
            self.over = true;
        }
    }

    /// Reads the token at `j` (not a brace or quote); returns the index
    /// after it.
    fn token(&mut self, text: &[u8], j: usize) -> usize {
        let b = text[j];
        match b {
            b'(' | b'[' => {
                self.open();
                j + 1
            }
            b')' | b']' => {
                self.close(true);
                j + 1
            }
            b',' => {
                self.comma();
                j + 1
            }
            b'.' | b'+' | b'-' | b'*' | b'/' | b'%' | b'<' | b'>' | b'=' | b'!' | b'&' | b'|'
            | b'^' | b'~' | b'?' | b':' => {
                if !self.over {
                    self.op();
                }
                j + 1
            }
            b if b.is_ascii_alphabetic() || b == b'_' || b == b'$' => {
                let mut k = j;
                while text
                    .get(k)
                    .is_some_and(|&c| c.is_ascii_alphanumeric() || c == b'_' || c == b'$')
                {
                    k += 1;
                }
                if matches!(&text[j..k], b"typeof" | b"void" | b"instanceof" | b"in") && !self.over
                {
                    self.op();
                }
                k
            }
            _ => j + 1,
        }
    }
}

/// Whether glass-easel reads attribute `name` of tag `tag` as plain text
/// (its `{{ }}` are not bindings): `wx:else`, `wx:key`, `wx:for-item`,
/// `wx:for-index`, `worklet:`, `generic:`, `extra-attr:`, `slot:`,
/// `<template name>`, and `src` / `module` of `<import>`, `<include>`,
/// `<wxs>`.
fn is_static_attribute(tag: &str, name: &str) -> bool {
    let segments: Vec<&str> = name.split(':').collect();
    match segments.as_slice() {
        ["wx", "else" | "key" | "for-index" | "for-item"] => true,
        ["worklet" | "generic" | "extra-attr" | "slot", _] => true,
        ["name"] => tag == "template",
        ["src"] => matches!(tag, "include" | "import" | "wxs"),
        ["module"] => tag == "wxs",
        _ => false,
    }
}

/// A forward-only byte offset -> 1-based (line, UTF-16 column) converter:
/// diagnostics come in increasing offset order, so the whole scan stays
/// linear.
#[derive(Default)]
struct LineCursor {
    offset: usize,
    line: u32,
    column: u32,
}

impl LineCursor {
    fn advance_to(&mut self, source: &str, offset: usize) -> (u32, u32) {
        if offset < self.offset {
            // Out of order (never expected): start over.
            *self = LineCursor::default();
        }
        let offset = offset.min(source.len());
        let slice = source.get(self.offset..offset).unwrap_or("");
        for c in slice.chars() {
            if c == '\n' {
                self.line += 1;
                self.column = 0;
            } else {
                self.column += c.len_utf16() as u32;
            }
        }
        self.offset = offset;
        (self.line + 1, self.column + 1)
    }
}

/// `source` with each range replaced by spaces (one per UTF-16 unit, line
/// breaks kept), so that positions after a range do not move.
fn blank_ranges(source: &str, mut ranges: Vec<Range<usize>>) -> String {
    ranges.sort_by_key(|r| r.start);
    let mut out = String::with_capacity(source.len());
    let mut done = 0;
    for range in ranges {
        let start = range.start.max(done);
        let end = range.end.min(source.len());
        if start >= end {
            continue;
        }
        out.push_str(&source[done..start]);
        for c in source[start..end].chars() {
            match c {
                '\n' | '\r' => out.push(c),
                c => {
                    for _ in 0..c.len_utf16() {
                        out.push(' ');
                    }
                }
            }
        }
        done = end;
    }
    out.push_str(&source[done..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nested(depth: usize) -> String {
        "<view>".repeat(depth) + &"</view>".repeat(depth)
    }

    #[test]
    fn depth_at_the_limit_passes_untouched() {
        let source = nested(MAX_ELEMENT_DEPTH);
        let guarded = guard_source("a.wxml", &source);
        assert!(guarded.diags.is_empty());
        assert!(matches!(guarded.source, Cow::Borrowed(_)));
    }

    #[test]
    fn one_level_deeper_is_blanked_with_its_end_tag() {
        let source = nested(MAX_ELEMENT_DEPTH + 1);
        let guarded = guard_source("a.wxml", &source);
        assert_eq!(guarded.diags.len(), 1);
        let d = &guarded.diags[0];
        assert_eq!((d.line, d.column), (1, 6 * MAX_ELEMENT_DEPTH as u32 + 1));
        assert!(d.message.contains("nested too deeply"), "{}", d.message);
        let kept = guarded.source.trim();
        assert_eq!(kept.matches("<view>").count(), MAX_ELEMENT_DEPTH);
        assert_eq!(kept.matches("</view>").count(), MAX_ELEMENT_DEPTH);
        assert_eq!(guarded.source.len(), source.len());
    }

    #[test]
    fn comments_scripts_quotes_and_self_closing_tags_do_not_nest() {
        let mut source = String::new();
        for _ in 0..MAX_ELEMENT_DEPTH + 10 {
            source
                .push_str("<!-- <view> --><image src=\"<view>\" /><wxs module=\"m\"><view></wxs>");
        }
        let guarded = guard_source("a.wxml", &source);
        assert!(guarded.diags.is_empty(), "{:?}", guarded.diags);
    }

    #[test]
    fn deep_parentheses_and_member_chains_are_refused() {
        for inner in [
            "(".repeat(100_000) + "a" + &")".repeat(100_000),
            "a".to_owned() + &".a".repeat(100_000),
            "1".to_owned() + &"+1".repeat(100_000),
            "!".repeat(100_000) + "a",
        ] {
            let source = format!("<view>\n  <text class=\"{{{{{inner}}}}}\">x</text></view>");
            let guarded = guard_source("p.wxml", &source);
            assert_eq!(guarded.diags.len(), 1);
            assert_eq!((guarded.diags[0].line, guarded.diags[0].column), (2, 16));
            assert!(!guarded.source.contains("(("));
            assert!(!guarded.source.contains(".a.a"));
        }
    }

    #[test]
    fn ordinary_expressions_pass() {
        let source = "<view class=\"{{ a ? 'x' : 'y' }} {{ list[i].name + (n * 2) }}\">{{ {a: 1, b: [1, 2]} }}</view>";
        let guarded = guard_source("a.wxml", source);
        assert!(guarded.diags.is_empty(), "{:?}", guarded.diags);
    }

    #[test]
    fn a_string_holding_braces_counts_its_text() {
        // glass-easel may end the first binding at the `}}` in the string
        // and parse the parentheses as a second one.
        let deep = "(".repeat(1000);
        let source = format!("<view>{{{{ a b 'x }}}} {{{{ {deep} ' }}}}</view>");
        let guarded = guard_source("a.wxml", &source);
        assert_eq!(guarded.diags.len(), 1);
    }

    #[test]
    fn too_many_bindings_in_one_value_are_refused_once() {
        let source = "{{a}}".repeat(MAX_INTERPOLATIONS_PER_VALUE + 5);
        let guarded = guard_source("a.wxml", &source);
        assert_eq!(guarded.diags.len(), 1);
        assert_eq!(
            guarded.source.matches("{{a}}").count(),
            MAX_INTERPOLATIONS_PER_VALUE
        );
    }
}
