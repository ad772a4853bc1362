//! WXS's syntax restrictions (<https://developers.weixin.qq.com/miniprogram/dev/reference/wxs/>: "ES5-like subset: `var` only; no
//! let/const/arrow/class"; dates and regexps are made with `getDate()` and
//! `getRegExp()`), checked before a module runs.
//!
//! QuickJS parses ES2020, so the restrictions are enforced here, by a small
//! tokenizer rather than a full parser: every forbidden construct has a
//! token-level signature (`let`/`const`/`class`/`import`/`export` keywords,
//! `=>`, a backquote, `...`, `function *`, `new Date`, a regex literal, a
//! bracket pair followed by `=`). The tokenizer skips strings, comments,
//! regex literals and template literals exactly, so `'let'`, `// =>` or
//! `/=>/` are never taken for code. Anything it cannot make sense of (an
//! unterminated string...) is left to QuickJS, which reports the real
//! syntax error when the module compiles.
//!
//! Regex literals: the spec lists regexp as a WXS type created by
//! `getRegExp()` only (as the original documents say, "生成 regexp 对象需要
//! 使用 getRegExp 函数"), so a literal `/re/` is reported too.
//!
//! Invariants: [`check_wxs`] never panics and never fails; it returns one
//! [`Diagnostic`] per violation, in source order, at the 1-based line and
//! column (in characters) where the construct starts. Lines are offset by
//! `first_line - 1` (an inline `<wxs>` module's code sits on its WXML
//! file's lines); columns on the module's first line are relative to where
//! its code starts.

use cirrus_protocol::Diagnostic;

/// Checks `source` (WXS code starting on line `first_line` of `file`)
/// against WXS's ES5-only syntax. Empty when the code is valid WXS (or has
/// a plain syntax error, which QuickJS reports when it compiles).
pub fn check_wxs(file: &str, source: &str, first_line: u32) -> Vec<Diagnostic> {
    let tokens = tokenize(source);
    let mut violations = find_violations(&tokens);
    violations.sort_by_key(|v| (v.line, v.column));
    violations.dedup_by_key(|v| (v.line, v.column));
    let line_offset = first_line.max(1) - 1;
    violations
        .into_iter()
        .map(|v| Diagnostic::error(file, v.line + line_offset, v.column, v.message))
        .collect()
}

#[derive(Clone, Debug, PartialEq)]
enum Kind {
    /// An identifier or keyword.
    Word(String),
    /// An operator or bracket, longest match.
    Punct(&'static str),
    Number,
    String,
    /// The opening backquote of a template literal.
    TemplateStart,
    /// Its closing backquote (an expression has ended).
    TemplateEnd,
    Regex,
}

#[derive(Clone, Debug)]
struct Token {
    kind: Kind,
    line: u32,
    column: u32,
}

impl Token {
    fn is_word(&self, word: &str) -> bool {
        matches!(&self.kind, Kind::Word(w) if w == word)
    }
    fn is_punct(&self, punct: &str) -> bool {
        matches!(self.kind, Kind::Punct(p) if p == punct)
    }
}

/// Longest first, so the first match is the longest.
const PUNCTUATORS: &[&str] = &[
    ">>>=", "...", "===", "!==", "**=", "<<=", ">>=", ">>>", "&&=", "||=", "??=", "=>", "==", "!=",
    "<=", ">=", "&&", "||", "??", "?.", "++", "--", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=",
    "<<", ">>", "**", "{", "}", "(", ")", "[", "]", ";", ",", "<", ">", "+", "-", "*", "/", "%",
    "&", "|", "^", "!", "~", "?", ":", "=", ".", "@", "#",
];

/// Words after which a `/` starts a regex literal (they expect an
/// expression), unlike identifiers, after which it divides. ES5 keywords
/// only: `of`, `yield` and `await` are plain identifiers in ES5 code.
const EXPRESSION_KEYWORDS: &[&str] = &[
    "return",
    "typeof",
    "instanceof",
    "in",
    "new",
    "delete",
    "void",
    "throw",
    "case",
    "do",
    "else",
];

/// What a `}` closes: a block or object, or a template's `${`.
enum Brace {
    Code,
    TemplateSubstitution,
}

struct Lexer {
    chars: Vec<char>,
    pos: usize,
    line: u32,
    column: u32,
    tokens: Vec<Token>,
    braces: Vec<Brace>,
    /// For each open `(`: whether it holds an `if`/`while`/`for`/`with`
    /// condition, after whose `)` a statement (maybe a regex) starts.
    parens: Vec<bool>,
    /// Whether the last `)` closed such a condition.
    closed_condition: bool,
}

fn tokenize(source: &str) -> Vec<Token> {
    let mut lexer = Lexer {
        chars: source.chars().collect(),
        pos: 0,
        line: 1,
        column: 1,
        tokens: Vec::new(),
        braces: Vec::new(),
        parens: Vec::new(),
        closed_condition: false,
    };
    lexer.run();
    lexer.tokens
}

impl Lexer {
    fn peek(&self, ahead: usize) -> Option<char> {
        self.chars.get(self.pos + ahead).copied()
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek(0)?;
        self.pos += 1;
        match c {
            // "\r\n" is one line break, counted at its '\n'.
            '\r' if self.peek(0) == Some('\n') => {}
            '\n' | '\r' | '\u{2028}' | '\u{2029}' => {
                self.line += 1;
                self.column = 1;
            }
            _ => self.column += 1,
        }
        Some(c)
    }

    fn push(&mut self, kind: Kind, line: u32, column: u32) {
        self.tokens.push(Token { kind, line, column });
    }

    /// Whether a `/` here starts a regex literal rather than a division.
    fn regex_allowed(&self) -> bool {
        match self.tokens.last().map(|t| &t.kind) {
            None => true,
            Some(Kind::Word(word)) => EXPRESSION_KEYWORDS.contains(&word.as_str()),
            // `}` usually ends a block, after which a statement starts.
            Some(Kind::Punct(")")) => self.closed_condition,
            Some(Kind::Punct(p)) => *p != "]",
            Some(Kind::Number | Kind::String | Kind::TemplateEnd | Kind::Regex) => false,
            Some(Kind::TemplateStart) => true,
        }
    }

    fn run(&mut self) {
        while let Some(c) = self.peek(0) {
            let (line, column) = (self.line, self.column);
            match c {
                c if c.is_whitespace() || c == '\u{feff}' => {
                    self.bump();
                }
                '/' if self.peek(1) == Some('/') => self.skip_line_comment(),
                '/' if self.peek(1) == Some('*') => self.skip_block_comment(),
                '/' if self.regex_allowed() => {
                    if self.skip_regex() {
                        self.push(Kind::Regex, line, column);
                    } else {
                        // Not a regex after all (QuickJS will say why).
                        self.push(Kind::Punct("/"), line, column);
                    }
                }
                '\'' | '"' => {
                    self.skip_string(c);
                    self.push(Kind::String, line, column);
                }
                '`' => {
                    self.bump();
                    self.push(Kind::TemplateStart, line, column);
                    self.continue_template();
                }
                c if c.is_ascii_digit()
                    || (c == '.' && self.peek(1).is_some_and(|d| d.is_ascii_digit())) =>
                {
                    self.skip_number();
                    self.push(Kind::Number, line, column);
                }
                c if is_word_start(c) => {
                    let mut word = String::new();
                    while let Some(c) = self.peek(0).filter(|&c| is_word_part(c)) {
                        word.push(c);
                        self.bump();
                    }
                    self.push(Kind::Word(word), line, column);
                }
                _ => self.punctuator(line, column),
            }
        }
    }

    fn punctuator(&mut self, line: u32, column: u32) {
        let found = PUNCTUATORS.iter().copied().find(|p| {
            p.chars()
                .enumerate()
                .all(|(i, pc)| self.peek(i) == Some(pc))
        });
        let Some(punct) = found else {
            // A character no JS token starts with: QuickJS reports it.
            self.bump();
            return;
        };
        for _ in 0..punct.chars().count() {
            self.bump();
        }
        match punct {
            "(" => {
                let condition = self.tokens.last().is_some_and(|t| {
                    ["if", "while", "for", "with"]
                        .iter()
                        .any(|keyword| t.is_word(keyword))
                });
                self.parens.push(condition);
            }
            ")" => self.closed_condition = self.parens.pop().unwrap_or(false),
            "{" => self.braces.push(Brace::Code),
            "}" => {
                if let Some(Brace::TemplateSubstitution) = self.braces.pop() {
                    // The `}` of a `${...}` is part of the template.
                    self.continue_template();
                    return;
                }
            }
            _ => {}
        }
        self.push(Kind::Punct(punct), line, column);
    }

    fn skip_line_comment(&mut self) {
        while let Some(c) = self.peek(0) {
            if matches!(c, '\n' | '\r' | '\u{2028}' | '\u{2029}') {
                break;
            }
            self.bump();
        }
    }

    fn skip_block_comment(&mut self) {
        self.bump();
        self.bump();
        while let Some(c) = self.bump() {
            if c == '*' && self.peek(0) == Some('/') {
                self.bump();
                return;
            }
        }
    }

    /// A string ends at its quote or (unterminated) at the end of the line.
    fn skip_string(&mut self, quote: char) {
        self.bump();
        while let Some(c) = self.peek(0) {
            match c {
                '\\' => {
                    self.bump();
                    self.bump();
                }
                '\n' | '\r' => return,
                c => {
                    self.bump();
                    if c == quote {
                        return;
                    }
                }
            }
        }
    }

    /// Scans template text up to its closing backquote or a `${`.
    fn continue_template(&mut self) {
        while let Some(c) = self.peek(0) {
            let (line, column) = (self.line, self.column);
            match c {
                '\\' => {
                    self.bump();
                    self.bump();
                }
                '`' => {
                    self.bump();
                    self.push(Kind::TemplateEnd, line, column);
                    return;
                }
                '$' if self.peek(1) == Some('{') => {
                    self.bump();
                    self.bump();
                    self.braces.push(Brace::TemplateSubstitution);
                    return;
                }
                _ => {
                    self.bump();
                }
            }
        }
    }

    /// Skips `/body/flags` when it is one; false (nothing consumed but the
    /// `/`) when the line ends first.
    fn skip_regex(&mut self) -> bool {
        let start = (self.pos, self.line, self.column);
        self.bump();
        let mut in_class = false;
        loop {
            match self.peek(0) {
                None | Some('\n' | '\r' | '\u{2028}' | '\u{2029}') => {
                    (self.pos, self.line, self.column) = start;
                    self.bump();
                    return false;
                }
                Some('\\') => {
                    self.bump();
                    self.bump();
                }
                Some('[') => {
                    in_class = true;
                    self.bump();
                }
                Some(']') => {
                    in_class = false;
                    self.bump();
                }
                Some('/') if !in_class => {
                    self.bump();
                    while self.peek(0).is_some_and(is_word_part) {
                        self.bump();
                    }
                    return true;
                }
                Some(_) => {
                    self.bump();
                }
            }
        }
    }

    fn skip_number(&mut self) {
        while let Some(c) = self.peek(0) {
            let exponent_sign = matches!(c, '+' | '-')
                && matches!(self.chars.get(self.pos.wrapping_sub(1)), Some('e' | 'E'))
                && !matches!(self.chars.get(self.pos.wrapping_sub(2)), Some('x' | 'X'));
            if c.is_ascii_alphanumeric() || c == '.' || c == '_' || exponent_sign {
                self.bump();
            } else {
                break;
            }
        }
    }
}

fn is_word_start(c: char) -> bool {
    c.is_alphabetic() || c == '_' || c == '$' || c == '\\'
}

fn is_word_part(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '$' || c == '\\' || c == '\u{200c}' || c == '\u{200d}'
}

struct Violation {
    line: u32,
    column: u32,
    message: &'static str,
}

/// For each bracket token, the index of its partner (unbalanced ones have
/// none).
fn match_brackets(tokens: &[Token]) -> Vec<Option<usize>> {
    let mut partner = vec![None; tokens.len()];
    let mut open: Vec<(usize, &str)> = Vec::new();
    for (i, token) in tokens.iter().enumerate() {
        let Kind::Punct(p) = token.kind else { continue };
        let opener = match p {
            "(" | "[" | "{" => {
                open.push((i, p));
                continue;
            }
            ")" => "(",
            "]" => "[",
            "}" => "{",
            _ => continue,
        };
        if let Some(position) = open.iter().rposition(|(_, o)| *o == opener) {
            let (j, _) = open[position];
            open.truncate(position);
            partner[i] = Some(j);
            partner[j] = Some(i);
        }
    }
    partner
}

/// Whether `token` ends an operand, so a following `[` indexes it.
fn ends_operand(token: Option<&Token>) -> bool {
    match token.map(|t| &t.kind) {
        Some(Kind::Word(word)) => {
            !EXPRESSION_KEYWORDS.contains(&word.as_str())
                && !matches!(word.as_str(), "var" | "let" | "const")
        }
        Some(Kind::Punct(p)) => matches!(*p, ")" | "]"),
        Some(Kind::Number | Kind::String | Kind::TemplateEnd | Kind::Regex) => true,
        Some(Kind::TemplateStart) | None => false,
    }
}

fn find_violations(tokens: &[Token]) -> Vec<Violation> {
    let partner = match_brackets(tokens);
    let mut found = Vec::new();
    let mut report = |token: &Token, message: &'static str| {
        found.push(Violation {
            line: token.line,
            column: token.column,
            message,
        });
    };
    for (i, token) in tokens.iter().enumerate() {
        let previous = i.checked_sub(1).map(|p| &tokens[p]);
        let next = tokens.get(i + 1);
        // `a.let`, `{ class: 1 }`: property names, not keywords.
        let is_property_name =
            previous.is_some_and(|p| p.is_punct(".")) || next.is_some_and(|n| n.is_punct(":"));
        match &token.kind {
            Kind::Word(word) if !is_property_name => match word.as_str() {
                // `let` is only reserved in strict mode: flag it where it
                // declares something.
                "let"
                    if next.is_some_and(|n| {
                        n.is_punct("[")
                            || n.is_punct("{")
                            || matches!(&n.kind, Kind::Word(w) if w != "in" && w != "instanceof")
                    }) =>
                {
                    report(token, "`let` is not WXS: declare variables with `var`");
                }
                "const" => report(token, "`const` is not WXS: declare variables with `var`"),
                "class" => report(token, "classes are not WXS: use functions and objects"),
                "import" => report(
                    token,
                    "`import` is not WXS: load other .wxs files with `require('./x.wxs')`",
                ),
                "export" => report(
                    token,
                    "`export` is not WXS: assign to `module.exports` instead",
                ),
                "async" => {
                    let declares_async = next.is_some_and(|n| n.is_word("function"))
                        || arrow_follows(tokens, &partner, i + 1);
                    if declares_async {
                        report(token, "`async` functions are not WXS");
                    }
                }
                "await" => {
                    let awaits = !previous
                        .is_some_and(|p| p.is_word("var") || p.is_word("function"))
                        && next.is_some_and(|n| match &n.kind {
                            Kind::Word(w) => !matches!(w.as_str(), "in" | "instanceof" | "of"),
                            Kind::Number | Kind::String | Kind::TemplateStart => true,
                            _ => false,
                        });
                    if awaits {
                        report(token, "`await` is not WXS");
                    }
                }
                "function" => check_function(tokens, &partner, i, &mut report),
                "new" => {
                    if next.is_some_and(|n| n.is_word("Date")) {
                        report(token, "`new Date()` is not WXS: use `getDate()`");
                    } else if next.is_some_and(|n| n.is_word("RegExp")) {
                        report(
                            token,
                            "`new RegExp()` is not WXS: use `getRegExp(pattern, flags)`",
                        );
                    }
                }
                "var" => {
                    if let Some(pattern) = next.filter(|n| n.is_punct("[") || n.is_punct("{")) {
                        report(pattern, DESTRUCTURING);
                    }
                }
                _ => {}
            },
            Kind::Punct("=>") => {
                let start = match previous {
                    Some(p) if p.is_punct(")") => partner[i - 1].map_or(p, |open| &tokens[open]),
                    Some(p) if matches!(p.kind, Kind::Word(_)) => p,
                    _ => token,
                };
                report(start, "arrow functions are not WXS: use `function`");
            }
            Kind::Punct("...") => report(token, "spread and rest (`...`) are not WXS"),
            Kind::Punct("[" | "{") => {
                // `[a, b] = pair` / `({ a } = o)`: a pattern is assigned to.
                // (`x[0] = 1` indexes: its `[` follows an operand.)
                let is_literal = token.is_punct("{") || !ends_operand(previous);
                let assigned = partner[i]
                    .and_then(|close| tokens.get(close + 1))
                    .is_some_and(|after| after.is_punct("="));
                if is_literal && assigned {
                    report(token, DESTRUCTURING);
                }
            }
            Kind::TemplateStart => report(
                token,
                "template literals are not WXS: concatenate strings with `+`",
            ),
            Kind::Regex => report(
                token,
                "regular expression literals are not WXS: use `getRegExp(pattern, flags)`",
            ),
            _ => {}
        }
    }
    found
}

const DESTRUCTURING: &str = "destructuring is not WXS: read properties one by one";

/// Whether the tokens from `at` are arrow parameters: `x =>` or `(...) =>`.
fn arrow_follows(tokens: &[Token], partner: &[Option<usize>], at: usize) -> bool {
    match tokens.get(at) {
        Some(t) if matches!(t.kind, Kind::Word(_)) => {
            tokens.get(at + 1).is_some_and(|n| n.is_punct("=>"))
        }
        Some(t) if t.is_punct("(") => partner[at]
            .and_then(|close| tokens.get(close + 1))
            .is_some_and(|n| n.is_punct("=>")),
        _ => false,
    }
}

/// `function *g()` and ES2015 parameters (patterns, defaults).
fn check_function(
    tokens: &[Token],
    partner: &[Option<usize>],
    at: usize,
    report: &mut impl FnMut(&Token, &'static str),
) {
    let mut i = at + 1;
    if tokens.get(i).is_some_and(|t| t.is_punct("*")) {
        report(&tokens[at], "generator functions are not WXS");
        i += 1;
    }
    if tokens
        .get(i)
        .is_some_and(|t| matches!(t.kind, Kind::Word(_)))
    {
        i += 1;
    }
    if !tokens.get(i).is_some_and(|t| t.is_punct("(")) {
        return;
    }
    let Some(close) = partner[i] else { return };
    let mut depth = 0usize;
    for token in &tokens[i + 1..close] {
        match token.kind {
            Kind::Punct("(" | "[" | "{") => {
                if depth == 0 && !token.is_punct("(") {
                    report(token, DESTRUCTURING);
                }
                depth += 1;
            }
            Kind::Punct(")" | "]" | "}") => depth = depth.saturating_sub(1),
            Kind::Punct("=") if depth == 0 => report(token, "default parameter values are not WXS"),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `(line, column, first word of the message)` of each violation.
    fn violations(source: &str) -> Vec<(u32, u32, String)> {
        check_wxs("m.wxs", source, 1)
            .into_iter()
            .map(|d| {
                let head = d.message.split(' ').next().unwrap_or("").to_owned();
                (d.line, d.column, head)
            })
            .collect()
    }

    #[test]
    fn valid_es5_passes() {
        let source = "var a = [1, 2], o = { let: 1, class: 2, 'const': 3 };\n\
                      a[0] = o.let / 2 / 1;\n\
                      function f(x, y) { return (x + y) / 2; }\n\
                      var s = 'let x = () => 1; `t`' + \"...\"; // let y => z\n\
                      /* const c = `x`; class K {} */\n\
                      var r = getRegExp('a+/b', 'g'); var d = getDate();\n\
                      if (a.length) { a[1] = 2 } var let1 = 3;\n\
                      var of = 4, await = 2; var h = of / 2 / await;\n\
                      module.exports = { f: f, n: 1e-3 + 0x1F + .5 };";
        assert_eq!(violations(source), vec![]);
    }

    #[test]
    fn each_forbidden_construct_is_found_where_it_starts() {
        let source = "let a = 1;\n\
                      const b = 2;\n\
                      var f = (x, y) => x;\n\
                      var g = x => x;\n\
                      class K {}\n\
                      var t = `a${b}c`;\n\
                      var {c, d} = o;\n\
                      [a, b] = [b, a];\n\
                      var m = Math.max(...list);\n\
                      async function h() { await h(); }\n\
                      function *gen() {}\n\
                      import x from './x.wxs';\n\
                      export var y = 1;\n\
                      var now = new Date();\n\
                      var re = new RegExp('a');\n\
                      var lit = /a+/g.test(s);\n\
                      function p({ q }, r = 1) {}";
        assert_eq!(
            violations(source),
            vec![
                (1, 1, "`let`".to_owned()),
                (2, 1, "`const`".to_owned()),
                (3, 9, "arrow".to_owned()),
                (4, 9, "arrow".to_owned()),
                (5, 1, "classes".to_owned()),
                (6, 9, "template".to_owned()),
                (7, 5, "destructuring".to_owned()),
                (8, 1, "destructuring".to_owned()),
                (9, 18, "spread".to_owned()),
                (10, 1, "`async`".to_owned()),
                (10, 22, "`await`".to_owned()),
                (11, 1, "generator".to_owned()),
                (12, 1, "`import`".to_owned()),
                (13, 1, "`export`".to_owned()),
                (14, 11, "`new".to_owned()),
                (15, 10, "`new".to_owned()),
                (16, 11, "regular".to_owned()),
                (17, 12, "destructuring".to_owned()),
                (17, 21, "default".to_owned()),
            ]
        );
    }

    #[test]
    fn regex_literals_hide_quotes_and_template_substitutions_nest() {
        // The `'` inside the regex must not open a string; the `}` of the
        // substitution must not close the function body.
        assert_eq!(
            violations("if (ok) /'/.test(s);\nvar half = (a + b) / 2 / c;"),
            vec![(1, 9, "regular".to_owned())]
        );
        assert_eq!(
            violations("var r = /'[/]/;\nfunction f() { return `${ {a: 1}.a }`; }\nlet z = 1;"),
            vec![
                (1, 9, "regular".to_owned()),
                (2, 23, "template".to_owned()),
                (3, 1, "`let`".to_owned()),
            ]
        );
    }

    #[test]
    fn inline_modules_are_placed_on_their_wxml_lines() {
        let diagnostics = check_wxs("p.wxml", "\nvar a = 1;\n  let b = 2;\n", 4);
        assert_eq!(diagnostics.len(), 1);
        assert_eq!(
            (
                diagnostics[0].file.as_str(),
                diagnostics[0].line,
                diagnostics[0].column
            ),
            ("p.wxml", 6, 3)
        );
    }
}
