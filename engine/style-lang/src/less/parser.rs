//! Parses a LESS file into statements ([`Stmt`]). Never fails: unmatched
//! braces and unreadable statements become located diagnostics and the
//! parser resynchronises at the next `;` or `}`.

use super::ast::{Condition, Expr, Guard, MixinArg, MixinParam, Stmt};
use super::expr::{
    is_name_char, matching_paren, parse_value, split_arguments, top_level_positions,
};
use super::source::{Pos, SourceFile};
use crate::diagnostic::{LangDiagnostic, Severity};

pub fn parse(file: &SourceFile, diagnostics: &mut Vec<LangDiagnostic>) -> Vec<Stmt> {
    let mut parser = Parser {
        file,
        at: 0,
        diagnostics,
    };
    let mut statements = Vec::new();
    loop {
        statements.extend(parser.block_contents());
        if parser.at >= file.text.len() {
            break;
        }
        // A `}` with no block open.
        let pos = file.pos(parser.at);
        parser.error(pos, "unmatched `}`".to_string());
        parser.at += 1;
    }
    statements
}

pub fn error_at(pos: Pos, message: String) -> LangDiagnostic {
    LangDiagnostic {
        file: pos.file.to_string(),
        line: pos.line,
        column: pos.column,
        severity: Severity::Error,
        message,
    }
}

struct Parser<'a> {
    file: &'a SourceFile,
    at: usize,
    diagnostics: &'a mut Vec<LangDiagnostic>,
}

/// What ended a statement scan.
#[derive(PartialEq, Eq, Clone, Copy)]
enum Terminator {
    OpenBrace,
    Semicolon,
    CloseBrace,
    End,
}

impl<'a> Parser<'a> {
    fn text(&self) -> &'a str {
        &self.file.text
    }

    fn error(&mut self, pos: Pos, message: String) {
        self.diagnostics.push(error_at(pos, message));
    }

    /// Statements until a `}` (left unconsumed) or the end of the file.
    fn block_contents(&mut self) -> Vec<Stmt> {
        let mut statements = Vec::new();
        loop {
            self.skip_ws_collecting(&mut statements);
            match self.text()[self.at..].chars().next() {
                None | Some('}') => return statements,
                Some(';') => self.at += 1,
                Some(_) => {
                    let before = self.at;
                    if let Some(statement) = self.statement() {
                        statements.push(statement);
                    }
                    if self.at == before {
                        self.at += self.text()[self.at..]
                            .chars()
                            .next()
                            .map_or(1, char::len_utf8);
                    }
                }
            }
        }
    }

    /// Skips whitespace and `//` comments; keeps `/* */` comments.
    fn skip_ws_collecting(&mut self, statements: &mut Vec<Stmt>) {
        loop {
            let rest = &self.text()[self.at..];
            let trimmed = rest.trim_start();
            self.at += rest.len() - trimmed.len();
            if trimmed.starts_with("//") {
                self.at += trimmed.find('\n').unwrap_or(trimmed.len());
            } else if let Some(comment) = trimmed.strip_prefix("/*") {
                let length = comment.find("*/").map_or(trimmed.len(), |close| close + 4);
                statements.push(Stmt::Comment(trimmed[..length].to_string()));
                self.at += length;
            } else {
                return;
            }
        }
    }

    /// Scans from `self.at` to the first top-level `{`, `;` or `}`.
    fn scan(&self) -> (usize, Terminator) {
        let text = self.text();
        let bytes = text.as_bytes();
        let mut index = self.at;
        let mut depth = 0i32;
        while index < bytes.len() {
            match bytes[index] {
                b'"' | b'\'' => {
                    let quote = bytes[index];
                    index += 1;
                    while index < bytes.len() && bytes[index] != quote {
                        if bytes[index] == b'\\' {
                            index += 1;
                        }
                        index += 1;
                    }
                }
                b'@' if bytes.get(index + 1) == Some(&b'{') => {
                    index += text[index..].find('}').unwrap_or(text.len() - index);
                }
                b'/' if bytes.get(index + 1) == Some(&b'*') => {
                    index += text[index..]
                        .find("*/")
                        .map_or(text.len() - index, |close| close + 1);
                }
                b'/' if bytes.get(index + 1) == Some(&b'/')
                    && depth == 0
                    && (index == 0 || bytes[index - 1] != b':') =>
                {
                    // A line comment ends the scan of a declaration value.
                    index += text[index..].find('\n').unwrap_or(text.len() - index);
                    continue;
                }
                b'(' | b'[' => depth += 1,
                b')' | b']' => depth -= 1,
                b'{' if depth <= 0 => return (index, Terminator::OpenBrace),
                b';' if depth <= 0 => return (index, Terminator::Semicolon),
                b'}' if depth <= 0 => return (index, Terminator::CloseBrace),
                _ => {}
            }
            index += 1;
        }
        (text.len(), Terminator::End)
    }

    /// The text of `start..end` without `//` comments, trimmed.
    fn clean(&self, start: usize, end: usize) -> String {
        let mut out = String::new();
        for line in self.text()[start..end].split_inclusive('\n') {
            match find_line_comment(line) {
                Some(cut) => {
                    out.push_str(&line[..cut]);
                    out.push('\n');
                }
                None => out.push_str(line),
            }
        }
        out.trim().to_string()
    }

    /// Parses `{ ... }` starting at the `{`; reports a missing `}` there.
    fn block(&mut self, open: usize) -> Vec<Stmt> {
        self.at = open + 1;
        let body = self.block_contents();
        if self.at >= self.text().len() {
            let pos = self.file.pos(open);
            self.error(pos, "unmatched `{`: the block is never closed".to_string());
        } else {
            self.at += 1;
        }
        body
    }

    fn statement(&mut self) -> Option<Stmt> {
        let start = self.at;
        let pos = self.file.pos(start);
        let rest = &self.text()[start..];
        if rest.starts_with('@') && !rest.starts_with("@{") {
            let name: String = rest[1..].chars().take_while(|c| is_name_char(*c)).collect();
            let after_name = &rest[1 + name.len()..];
            if after_name.trim_start().starts_with(':') && !name.is_empty() {
                return Some(self.variable(name));
            }
            return self.at_rule(name, pos);
        }
        let (end, terminator) = self.scan();
        match terminator {
            Terminator::OpenBrace => {
                let prelude = self.clean(start, end);
                let body = self.block(end);
                Some(self.rule_or_mixin(prelude, body, pos))
            }
            _ => {
                self.at = if terminator == Terminator::Semicolon {
                    end + 1
                } else {
                    end
                };
                let text = self.clean(start, end);
                if text.starts_with('.') || text.starts_with('#') {
                    return Some(self.mixin_call(&text, pos));
                }
                self.declaration(start, end, pos)
            }
        }
    }

    fn variable(&mut self, name: String) -> Stmt {
        let colon = self.at + self.text()[self.at..].find(':').unwrap_or(0);
        self.at = colon + 1;
        let (end, terminator) = self.scan();
        let value_end = trim_end_comments(self.text(), colon + 1, end);
        let value = parse_value(self.file, colon + 1, value_end);
        self.at = if terminator == Terminator::Semicolon {
            end + 1
        } else {
            end
        };
        if terminator == Terminator::OpenBrace {
            let open_pos = self.file.pos(end);
            self.error(
                open_pos,
                format!("detached rulesets are not supported (`@{name}`)"),
            );
            self.block(end);
        }
        Stmt::Variable { name, value }
    }

    fn declaration(&mut self, start: usize, end: usize, pos: Pos) -> Option<Stmt> {
        let colon = top_level_positions(&self.text()[start..end], ':')
            .first()
            .copied();
        let Some(colon) = colon else {
            let text = self.clean(start, end);
            self.error(
                pos,
                format!("expected a declaration or a block, found `{text}`"),
            );
            return None;
        };
        let name = self.text()[start..start + colon].trim().to_string();
        let value_start = start + colon + 1;
        let mut value_end = trim_end_comments(self.text(), value_start, end);
        let mut important = false;
        let value_text = &self.text()[value_start..value_end];
        if let Some(bang) = value_text.rfind('!') {
            if value_text[bang + 1..]
                .trim()
                .eq_ignore_ascii_case("important")
            {
                important = true;
                value_end = value_start + bang;
            }
        }
        let value = parse_value(self.file, value_start, value_end);
        Some(Stmt::Declaration {
            name,
            value,
            important,
            pos,
        })
    }

    fn at_rule(&mut self, name: String, pos: Pos) -> Option<Stmt> {
        let start = self.at;
        let (end, terminator) = self.scan();
        let prelude = self.clean(start, end);
        match (name.to_ascii_lowercase().as_str(), terminator) {
            ("import", _) => {
                self.at = if terminator == Terminator::Semicolon {
                    end + 1
                } else {
                    end
                };
                Some(import(&prelude["@import".len()..], pos))
            }
            ("media" | "supports", Terminator::OpenBrace) => {
                let params = prelude[1 + name.len()..].trim().to_string();
                let body = self.block(end);
                Some(Stmt::Media {
                    keyword: name,
                    params,
                    body,
                    reference: false,
                    pos,
                })
            }
            (_, Terminator::OpenBrace) => {
                let body = self.block(end);
                Some(Stmt::AtBlock {
                    prelude,
                    body,
                    reference: false,
                    pos,
                })
            }
            _ => {
                self.at = if terminator == Terminator::Semicolon {
                    end + 1
                } else {
                    end
                };
                if name == "plugin" {
                    self.error(pos, "@plugin is not supported".to_string());
                    return None;
                }
                Some(Stmt::AtStatement {
                    text: prelude,
                    reference: false,
                })
            }
        }
    }

    fn rule_or_mixin(&mut self, prelude: String, body: Vec<Stmt>, pos: Pos) -> Stmt {
        if let Some((name, params_text, guard_text)) = mixin_signature(&prelude) {
            let params = parse_params(params_text);
            let guard = guard_text.map(parse_guard);
            return Stmt::MixinDef {
                name,
                params,
                guard,
                body,
            };
        }
        let (selector, guard) = match find_word(&prelude, "when") {
            Some(at) => {
                let guard = parse_guard(&prelude[at + 4..]);
                (prelude[..at].trim().to_string(), Some(guard))
            }
            None => (prelude, None),
        };
        Stmt::Rule {
            selector,
            guard,
            body,
            reference: false,
            pos,
        }
    }

    fn mixin_call(&mut self, text: &str, pos: Pos) -> Stmt {
        let mut text = text.trim();
        let mut important = false;
        if let Some(stripped) = text.strip_suffix("!important") {
            important = true;
            text = stripped.trim_end();
        }
        let (path_text, args_text) = match text.find('(') {
            Some(open) if text.ends_with(')') => {
                (&text[..open], Some(&text[open + 1..text.len() - 1]))
            }
            _ => (text, None),
        };
        let path = mixin_path(path_text);
        let args = args_text.map(parse_args).unwrap_or_default();
        Stmt::MixinCall {
            path,
            args,
            important,
            pos,
        }
    }
}

/// Where a `//` comment starts in a line, if outside strings and `url(`.
fn find_line_comment(line: &str) -> Option<usize> {
    let bytes = line.as_bytes();
    let mut quote: Option<u8> = None;
    let mut index = 0;
    while index + 1 < bytes.len() {
        let byte = bytes[index];
        if let Some(q) = quote {
            if byte == q {
                quote = None;
            }
        } else if byte == b'"' || byte == b'\'' {
            quote = Some(byte);
        } else if byte == b'/'
            && bytes[index + 1] == b'/'
            && (index == 0 || bytes[index - 1] != b':')
        {
            return Some(index);
        }
        index += 1;
    }
    None
}

/// The end of a value, before any trailing `//` comment on its last line.
fn trim_end_comments(text: &str, start: usize, end: usize) -> usize {
    let value = &text[start..end];
    let line_start = value.rfind('\n').map_or(0, |n| n + 1);
    match find_line_comment(&value[line_start..]) {
        Some(cut) => start + line_start + cut,
        None => end,
    }
}

fn import(text: &str, pos: Pos) -> Stmt {
    let mut text = text.trim();
    let mut options = Vec::new();
    if text.starts_with('(') {
        if let Some(close) = text.find(')') {
            options = text[1..close]
                .split(',')
                .map(|o| o.trim().to_string())
                .collect();
            text = text[close + 1..].trim();
        }
    }
    let target = text
        .trim_start_matches("url(")
        .trim_end_matches(')')
        .trim_matches(|c| c == '"' || c == '\'')
        .to_string();
    Stmt::Import {
        target,
        options,
        pos,
    }
}

/// `.name(params) when guard` → (name, params text, guard text).
fn mixin_signature(prelude: &str) -> Option<(String, &str, Option<&str>)> {
    let first = prelude.chars().next()?;
    if first != '.' && first != '#' {
        return None;
    }
    let name_length = 1 + prelude[1..]
        .chars()
        .take_while(|c| is_name_char(*c))
        .map(char::len_utf8)
        .sum::<usize>();
    let after = &prelude[name_length..];
    let open = name_length + (after.len() - after.trim_start().len());
    if !prelude[open..].starts_with('(') {
        return None;
    }
    let close = matching_paren(prelude, open, prelude.len())?;
    let tail = prelude[close + 1..].trim();
    let guard = if tail.is_empty() {
        None
    } else if let Some(guard) = tail.strip_prefix("when") {
        Some(guard)
    } else {
        return None;
    };
    Some((
        prelude[..name_length].to_string(),
        &prelude[open + 1..close],
        guard,
    ))
}

/// A selector path of a call: `#ns > .m`, `#ns.m`, `#ns .m` → ["#ns", ".m"].
fn mixin_path(text: &str) -> Vec<String> {
    let mut path = Vec::new();
    let mut current = String::new();
    for ch in text.chars() {
        if (ch == '.' || ch == '#') && !current.is_empty() {
            path.push(std::mem::take(&mut current));
        }
        if ch.is_whitespace() || ch == '>' {
            if !current.is_empty() {
                path.push(std::mem::take(&mut current));
            }
            continue;
        }
        current.push(ch);
    }
    if !current.is_empty() {
        path.push(current);
    }
    path
}

/// Parses text that is a substring of the file through a scratch file, so
/// positions inside it are only approximate (the statement's position).
fn scratch_value(text: &str) -> Expr {
    let scratch = SourceFile::new("", text);
    parse_value(&scratch, 0, text.len())
}

fn parse_args(text: &str) -> Vec<MixinArg> {
    split_arguments(text)
        .into_iter()
        .map(|(from, to)| {
            let piece = text[from..to].trim();
            if let Some(rest) = piece.strip_prefix('@') {
                let name: String = rest.chars().take_while(|c| is_name_char(*c)).collect();
                let after = rest[name.len()..].trim_start();
                if let Some(value) = after.strip_prefix(':') {
                    return MixinArg {
                        name: Some(name),
                        value: scratch_value(value),
                    };
                }
            }
            MixinArg {
                name: None,
                value: scratch_value(piece),
            }
        })
        .collect()
}

fn parse_params(text: &str) -> Vec<MixinParam> {
    split_arguments(text)
        .into_iter()
        .map(|(from, to)| {
            let piece = text[from..to].trim();
            if piece == "..." {
                return MixinParam {
                    name: None,
                    default: None,
                    pattern: None,
                    variadic: true,
                };
            }
            if let Some(rest) = piece.strip_prefix('@') {
                let name: String = rest.chars().take_while(|c| is_name_char(*c)).collect();
                let after = rest[name.len()..].trim_start();
                if after == "..." {
                    return MixinParam {
                        name: Some(name),
                        default: None,
                        pattern: None,
                        variadic: true,
                    };
                }
                let default = after.strip_prefix(':').map(scratch_value);
                return MixinParam {
                    name: Some(name),
                    default,
                    pattern: None,
                    variadic: false,
                };
            }
            MixinParam {
                name: None,
                default: None,
                pattern: Some(scratch_value(piece)),
                variadic: false,
            }
        })
        .collect()
}

/// `(a) and (b), not (c)` → alternatives of conjunctions.
fn parse_guard(text: &str) -> Guard {
    let mut guard = Guard::default();
    let mut start = 0;
    let mut pieces = Vec::new();
    for index in top_level_positions(text, ',') {
        pieces.push(&text[start..index]);
        start = index + 1;
    }
    pieces.push(&text[start..]);
    for alternative in pieces {
        let mut conditions = Vec::new();
        let mut rest = alternative.trim();
        while !rest.is_empty() {
            let mut negated = false;
            if let Some(after) = rest.strip_prefix("not") {
                negated = true;
                rest = after.trim_start();
            }
            let Some(close) = rest
                .starts_with('(')
                .then(|| matching_paren(rest, 0, rest.len()))
                .flatten()
            else {
                break;
            };
            conditions.push(parse_condition(&rest[1..close], negated));
            rest = rest[close + 1..].trim_start();
            rest = rest.strip_prefix("and").unwrap_or(rest).trim_start();
        }
        guard.alternatives.push(conditions);
    }
    guard
}

fn parse_condition(text: &str, negated: bool) -> Condition {
    for op in [">=", "=<", "<=", "=>", "=", "<", ">"] {
        if let Some(at) = top_level_find(text, op) {
            return Condition {
                negated,
                left: scratch_value(&text[..at]),
                compare: Some((op.to_string(), scratch_value(&text[at + op.len()..]))),
            };
        }
    }
    Condition {
        negated,
        left: scratch_value(text),
        compare: None,
    }
}

fn top_level_find(text: &str, needle: &str) -> Option<usize> {
    let first = needle.chars().next()?;
    top_level_positions(text, first)
        .into_iter()
        .find(|&at| text[at..].starts_with(needle))
}

/// The byte offset of `word` as a whole word outside parentheses.
fn find_word(text: &str, word: &str) -> Option<usize> {
    let mut depth = 0;
    for (index, ch) in text.char_indices() {
        match ch {
            '(' | '[' => depth += 1,
            ')' | ']' => depth -= 1,
            _ if depth == 0 && text[index..].starts_with(word) => {
                let before = text[..index].chars().last();
                let after = text[index + word.len()..].chars().next();
                if before.is_some_and(char::is_whitespace)
                    && after.is_some_and(|c| c.is_whitespace() || c == '(')
                {
                    return Some(index);
                }
            }
            _ => {}
        }
    }
    None
}
