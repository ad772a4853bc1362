//! Parses LESS value text (declaration values, variables, arguments) into
//! [`Expr`]s. Text it cannot read becomes [`Expr::Raw`], so parsing never
//! fails: the printer still substitutes variables in raw text.

use super::ast::Expr;
use super::named_colors::named_color;
use super::source::SourceFile;

/// Parses `file.text[start..end]` as a whole value (a comma list).
pub fn parse_value(file: &SourceFile, start: usize, end: usize) -> Expr {
    let mut parser = ExprParser {
        file,
        at: start,
        end,
        paren_depth: 0,
    };
    let parsed = parser.comma_list();
    parser.skip_ws();
    match parsed {
        Some(expr) if parser.at >= parser.end => expr,
        _ => Expr::Raw(file.text[start..end].trim().to_string()),
    }
}

/// Splits argument text at top-level separators: `;` when present, else `,`.
pub fn split_arguments(text: &str) -> Vec<(usize, usize)> {
    let separator = if top_level_positions(text, ';').is_empty() {
        ','
    } else {
        ';'
    };
    let mut pieces = Vec::new();
    let mut start = 0;
    for index in top_level_positions(text, separator) {
        pieces.push((start, index));
        start = index + 1;
    }
    pieces.push((start, text.len()));
    pieces.retain(|(from, to)| !text[*from..*to].trim().is_empty());
    pieces
}

/// Byte offsets of `wanted` outside strings, parentheses and brackets.
pub fn top_level_positions(text: &str, wanted: char) -> Vec<usize> {
    let mut found = Vec::new();
    let mut depth = 0i32;
    let mut quote: Option<char> = None;
    for (index, ch) in text.char_indices() {
        if let Some(open) = quote {
            if ch == open {
                quote = None;
            }
            continue;
        }
        match ch {
            '"' | '\'' => quote = Some(ch),
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' => depth -= 1,
            _ if ch == wanted && depth == 0 => found.push(index),
            _ => {}
        }
    }
    found
}

pub fn is_name_char(ch: char) -> bool {
    ch.is_alphanumeric() || ch == '-' || ch == '_' || !ch.is_ascii()
}

struct ExprParser<'a> {
    file: &'a SourceFile,
    at: usize,
    end: usize,
    paren_depth: u32,
}

impl<'a> ExprParser<'a> {
    fn rest(&self) -> &'a str {
        &self.file.text[self.at..self.end]
    }

    fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }

    fn peek_second(&self) -> Option<char> {
        self.rest().chars().nth(1)
    }

    fn skip_ws(&mut self) -> bool {
        let before = self.at;
        loop {
            let rest = self.rest();
            let trimmed = rest.trim_start();
            self.at += rest.len() - trimmed.len();
            if let Some(comment) = trimmed.strip_prefix("/*") {
                match comment.find("*/") {
                    Some(close) => self.at += close + 4,
                    None => self.at = self.end,
                }
            } else {
                break;
            }
        }
        self.at > before
    }

    fn comma_list(&mut self) -> Option<Expr> {
        let mut items = vec![self.space_list()?];
        loop {
            self.skip_ws();
            if self.peek() == Some(',') {
                self.at += 1;
                items.push(self.space_list()?);
            } else {
                break;
            }
        }
        Some(if items.len() == 1 {
            items.remove(0)
        } else {
            Expr::Comma(items)
        })
    }

    fn space_list(&mut self) -> Option<Expr> {
        let mut items = Vec::new();
        loop {
            self.skip_ws();
            match self.peek() {
                None | Some(',') | Some(')') => break,
                _ => items.push(self.additive()?),
            }
        }
        match items.len() {
            0 => None,
            1 => items.pop(),
            _ => Some(Expr::Space(items)),
        }
    }

    fn additive(&mut self) -> Option<Expr> {
        let mut left = self.multiplicative()?;
        loop {
            let save = self.at;
            let space_before = self.skip_ws();
            let Some(op @ ('+' | '-')) = self.peek() else {
                self.at = save;
                break;
            };
            let space_after = self.peek_second().is_some_and(char::is_whitespace);
            // `a -b` is a list of two values; `a - b` and `a-b` subtract.
            if space_before && !space_after {
                self.at = save;
                break;
            }
            self.at += 1;
            self.skip_ws();
            let right = self.multiplicative()?;
            left = Expr::Operation {
                op,
                left: Box::new(left),
                right: Box::new(right),
            };
        }
        Some(left)
    }

    fn multiplicative(&mut self) -> Option<Expr> {
        let mut left = self.unary()?;
        loop {
            let save = self.at;
            let space_before = self.skip_ws();
            match self.peek() {
                Some('*') => {
                    self.at += 1;
                    self.skip_ws();
                    let right = self.unary()?;
                    left = Expr::Operation {
                        op: '*',
                        left: Box::new(left),
                        right: Box::new(right),
                    };
                }
                Some('/') if self.peek_second() != Some('*') && self.peek_second() != Some('/') => {
                    self.at += 1;
                    let space_after = self.skip_ws();
                    let right = self.unary()?;
                    left = if self.paren_depth > 0 {
                        Expr::Operation {
                            op: '/',
                            left: Box::new(left),
                            right: Box::new(right),
                        }
                    } else {
                        Expr::Slash {
                            left: Box::new(left),
                            right: Box::new(right),
                            spaced: space_before || space_after,
                        }
                    };
                }
                _ => {
                    self.at = save;
                    break;
                }
            }
        }
        Some(left)
    }

    fn unary(&mut self) -> Option<Expr> {
        if self.peek() == Some('-') {
            match self.peek_second() {
                Some('@') | Some('(') => {
                    self.at += 1;
                    return Some(Expr::Negate(Box::new(self.primary()?)));
                }
                _ => {}
            }
        }
        self.primary()
    }

    fn primary(&mut self) -> Option<Expr> {
        let ch = self.peek()?;
        let second = self.peek_second();
        let starts_number = ch.is_ascii_digit()
            || (ch == '.' && second.is_some_and(|c| c.is_ascii_digit()))
            || ((ch == '-' || ch == '+')
                && (second.is_some_and(|c| c.is_ascii_digit())
                    || (second == Some('.')
                        && self
                            .rest()
                            .chars()
                            .nth(2)
                            .is_some_and(|c| c.is_ascii_digit()))));
        if starts_number {
            return self.number();
        }
        match ch {
            '(' => {
                self.at += 1;
                self.paren_depth += 1;
                let inner = self.comma_list();
                self.paren_depth -= 1;
                self.skip_ws();
                if self.peek() != Some(')') {
                    return None;
                }
                self.at += 1;
                Some(Expr::Paren(Box::new(inner?)))
            }
            '"' | '\'' => self.quoted(false),
            '~' if matches!(second, Some('"') | Some('\'')) => {
                self.at += 1;
                self.quoted(true)
            }
            '@' => self.variable(),
            '#' => {
                let hex: String = self.rest()[1..]
                    .chars()
                    .take_while(char::is_ascii_alphanumeric)
                    .collect();
                if matches!(hex.len(), 3 | 4 | 6 | 8) && hex.chars().all(|c| c.is_ascii_hexdigit())
                {
                    self.at += 1 + hex.len();
                    Some(Expr::Color(format!("#{hex}")))
                } else {
                    None
                }
            }
            '%' if second == Some('(') => self.identifier_or_call(),
            c if is_name_char(c) || c == '\\' => self.identifier_or_call(),
            _ => None,
        }
    }

    fn number(&mut self) -> Option<Expr> {
        let rest = self.rest();
        let mut length = 0;
        let bytes = rest.as_bytes();
        if matches!(bytes.first(), Some(b'-') | Some(b'+')) {
            length += 1;
        }
        while length < bytes.len() && (bytes[length].is_ascii_digit() || bytes[length] == b'.') {
            length += 1;
        }
        let value: f64 = rest[..length].parse().ok()?;
        let unit: String = rest[length..]
            .chars()
            .take_while(|c| c.is_ascii_alphabetic() || *c == '%')
            .collect();
        self.at += length + unit.len();
        Some(Expr::Number(value, unit))
    }

    fn quoted(&mut self, escaped: bool) -> Option<Expr> {
        let quote = self.peek()?;
        let body = &self.rest()[1..];
        let mut close = None;
        let mut chars = body.char_indices();
        while let Some((index, c)) = chars.next() {
            if c == '\\' {
                chars.next();
            } else if c == quote {
                close = Some(index);
                break;
            }
        }
        let close = close?;
        let text = body[..close].to_string();
        self.at += close + 2;
        Some(Expr::Quoted {
            text,
            quote,
            escaped,
        })
    }

    fn variable(&mut self) -> Option<Expr> {
        let start = self.at;
        let indirect = self.rest().starts_with("@@");
        let skip = if indirect { 2 } else { 1 };
        let name: String = self.rest()[skip..]
            .chars()
            .take_while(|c| is_name_char(*c))
            .collect();
        if name.is_empty() {
            return None;
        }
        self.at += skip + name.len();
        Some(Expr::Variable {
            name,
            indirect,
            pos: self.file.pos(start),
        })
    }

    fn identifier_or_call(&mut self) -> Option<Expr> {
        let start = self.at;
        let mut name = String::new();
        let mut chars = self.rest().chars().peekable();
        while let Some(&c) = chars.peek() {
            if is_name_char(c)
                || (c == '%' && name.is_empty())
                || c == '.' && !name.is_empty() && name.chars().all(|n| n.is_ascii_alphabetic())
            {
                name.push(c);
                chars.next();
            } else if c == '\\' {
                name.push(c);
                chars.next();
                if let Some(escaped) = chars.next() {
                    name.push(escaped);
                }
            } else {
                break;
            }
        }
        self.at += name.len();
        if self.peek() != Some('(') {
            // `progid:` style words are not values this parser knows.
            if self.peek() == Some(':') || name.contains('.') {
                return None;
            }
            if named_color(&name.to_ascii_lowercase()).is_some()
                || name.eq_ignore_ascii_case("transparent")
            {
                return Some(Expr::Color(name));
            }
            return Some(Expr::Keyword(name));
        }
        let open = self.at;
        let close = matching_paren(&self.file.text, open, self.end)?;
        let lower = name.to_ascii_lowercase();
        let inner_start = open + 1;
        self.at = close + 1;
        let pos = self.file.pos(start);
        if lower == "url" {
            let inner = self.file.text[inner_start..close].trim();
            if inner.starts_with('"') || inner.starts_with('\'') {
                let arg = parse_value(self.file, inner_start, close);
                return Some(Expr::Call {
                    name,
                    args: vec![arg],
                    pos,
                });
            }
            return Some(Expr::Url(inner.to_string()));
        }
        if matches!(lower.as_str(), "calc" | "var" | "env" | "format" | "local") {
            let inner = self.file.text[inner_start..close].to_string();
            return Some(Expr::Call {
                name,
                args: vec![Expr::Raw(inner)],
                pos,
            });
        }
        let text = &self.file.text[inner_start..close];
        let args = top_split(text, ',')
            .into_iter()
            .map(|(from, to)| {
                let mut inner = ExprParser {
                    file: self.file,
                    at: inner_start + from,
                    end: inner_start + to,
                    paren_depth: self.paren_depth,
                };
                let parsed = inner.space_list();
                inner.skip_ws();
                match parsed {
                    Some(expr) if inner.at >= inner.end => expr,
                    _ => Expr::Raw(text[from..to].trim().to_string()),
                }
            })
            .collect();
        Some(Expr::Call { name, args, pos })
    }
}

fn top_split(text: &str, separator: char) -> Vec<(usize, usize)> {
    if text.trim().is_empty() {
        return Vec::new();
    }
    let mut pieces = Vec::new();
    let mut start = 0;
    for index in top_level_positions(text, separator) {
        pieces.push((start, index));
        start = index + 1;
    }
    pieces.push((start, text.len()));
    pieces
}

/// The offset of the `)` closing the `(` at `open`, skipping strings.
pub fn matching_paren(text: &str, open: usize, end: usize) -> Option<usize> {
    let mut depth = 0;
    let mut quote: Option<char> = None;
    for (index, ch) in text.get(open..end)?.char_indices() {
        if let Some(q) = quote {
            if ch == q {
                quote = None;
            }
            continue;
        }
        match ch {
            '"' | '\'' => quote = Some(ch),
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth == 0 {
                    return Some(open + index);
                }
            }
            _ => {}
        }
    }
    None
}
