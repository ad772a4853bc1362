//! Finds, when a sheet loads, the custom property whose `var()` references
//! multiply past [`MAX_SUBSTITUTED_LEN`] (a "billion laughs": `--b: var(--a)
//! var(--a) ...`, `--c: var(--b) var(--b) ...`), so that the limit `vars`
//! applies during the cascade ends in a located diagnostic.
//!
//! The cascade resolves `var()` per element, where no source position is at
//! hand; the sheet's text has them. This pass estimates each declared
//! property's expanded length from the sheet alone: its own length plus the
//! estimates of what it references (the longest declaration of each name,
//! whichever element it applies to). It is linear: each name is estimated
//! once (memoised), reference chains are followed at most
//! [`vars::MAX_DEPTH`](crate::vars) deep, as the cascade does, and a cycle
//! counts as empty (the cascade makes it invalid anyway). Only the
//! declaration where the estimate first crosses the limit is reported; the
//! ones built on it are invalid for the same reason.

use crate::vars::{MAX_DEPTH, MAX_SUBSTITUTED_LEN};
use crate::StyleDiagnostic;
use std::collections::HashMap;

/// One `--name: value` declaration of the sheet.
struct Declaration<'t> {
    name: &'t str,
    /// Byte offset of the name, for the diagnostic.
    at: usize,
    value_len: usize,
    references: Vec<&'t str>,
}

/// The diagnostics of `text` (the sheet `file`) for custom properties that
/// expand past the limit.
pub(crate) fn check(file: &str, text: &str) -> Vec<StyleDiagnostic> {
    if !text.contains("var(") {
        return Vec::new();
    }
    let declarations = declarations(text);
    let mut by_name: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, d) in declarations.iter().enumerate() {
        by_name.entry(d.name).or_default().push(i);
    }
    let mut estimates = Estimates {
        declarations: &declarations,
        by_name: &by_name,
        memo: HashMap::new(),
    };
    let mut out = Vec::new();
    for d in &declarations {
        let own = estimates.of_declaration(d, 0);
        let crosses = own > MAX_SUBSTITUTED_LEN
            && d.references
                .iter()
                .all(|r| estimates.of_name(r, 1) <= MAX_SUBSTITUTED_LEN);
        if crosses {
            let (line, column) = line_col(text, d.at);
            out.push(StyleDiagnostic {
                file: file.to_owned(),
                line,
                column,
                message: format!(
                    "custom property `{}` expands to more than {} KiB (its var() references \
                     multiply): it is too large, and invalid wherever it is used",
                    d.name,
                    MAX_SUBSTITUTED_LEN / 1024
                ),
                is_error: false,
            });
        }
    }
    out
}

struct Estimates<'a, 't> {
    declarations: &'a [Declaration<'t>],
    by_name: &'a HashMap<&'t str, Vec<usize>>,
    /// `None` while a name is being estimated (a cycle reads it as empty).
    memo: HashMap<&'t str, Option<usize>>,
}

impl<'t> Estimates<'_, 't> {
    fn of_name(&mut self, name: &'t str, depth: u32) -> usize {
        if depth > MAX_DEPTH {
            return 0;
        }
        match self.memo.get(name) {
            Some(Some(known)) => return *known,
            Some(None) => return 0,
            None => {}
        }
        self.memo.insert(name, None);
        let mut longest = 0;
        if let Some(indices) = self.by_name.get(name) {
            for &i in indices.clone().iter() {
                let d = &self.declarations[i];
                longest = longest.max(self.of_declaration(d, depth));
            }
        }
        self.memo.insert(name, Some(longest));
        longest
    }

    fn of_declaration(&mut self, d: &Declaration<'t>, depth: u32) -> usize {
        let mut total = d.value_len;
        for r in &d.references {
            total = total.saturating_add(self.of_name(r, depth + 1));
        }
        total
    }
}

/// Every `--name: value` in `text`: a name that starts a declaration (after
/// `{`, `;` or the start) and is followed by `:`. The value runs to the `;`
/// or `}` that ends it outside parentheses.
fn declarations(text: &str) -> Vec<Declaration<'_>> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(found) = text[from..].find("--") {
        let at = from + found;
        from = at + 2;
        let starts_declaration = text[..at]
            .trim_end()
            .bytes()
            .last()
            .is_none_or(|b| b == b'{' || b == b';');
        if !starts_declaration {
            continue;
        }
        let name_end = at + ident_len(&text[at..]);
        let after = text[name_end..].trim_start();
        if !after.starts_with(':') {
            continue;
        }
        let value_start = text.len() - after.len() + 1;
        let mut depth = 0i32;
        let mut value_end = text.len();
        for (i, &b) in bytes[value_start..].iter().enumerate() {
            match b {
                b'(' => depth += 1,
                b')' => depth -= 1,
                b';' | b'}' if depth <= 0 => {
                    value_end = value_start + i;
                    break;
                }
                _ => {}
            }
        }
        let value = &text[value_start..value_end];
        out.push(Declaration {
            name: &text[at..name_end],
            at,
            value_len: value.trim().len(),
            references: references(value),
        });
        from = value_end.max(from);
    }
    out
}

/// The names `var(--name` in `value` refers to.
fn references(value: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(found) = value[from..].find("var(") {
        let start = from + found + 4;
        from = start;
        let rest = value[start..].trim_start();
        if rest.starts_with("--") {
            let offset = value.len() - rest.len();
            out.push(&value[offset..offset + ident_len(rest)]);
        }
    }
    out
}

/// The length of the identifier at the start of `text`.
fn ident_len(text: &str) -> usize {
    text.find(|c: char| !(c.is_alphanumeric() || c == '-' || c == '_'))
        .unwrap_or(text.len())
}

/// 1-based line and column (in characters) of byte `offset`.
fn line_col(text: &str, offset: usize) -> (u32, u32) {
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line as u32, column as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn laughs(levels: usize) -> String {
        let mut sheet = String::from("page {\n  --v0: 1px 1px 1px 1px 1px 1px 1px 1px 1px 1px;\n");
        for i in 1..=levels {
            let refs = vec![format!("var(--v{})", i - 1); 10].join(" ");
            sheet.push_str(&format!("  --v{i}: {refs};\n"));
        }
        sheet.push_str("}\n.bomb { margin: var(--v11); }\n");
        sheet
    }

    #[test]
    fn the_declaration_where_expansion_crosses_the_limit_is_reported_once() {
        let found = check("a.wxss", &laughs(11));
        assert_eq!(
            found.len(),
            1,
            "{:?}",
            found.iter().map(|d| &d.message).collect::<Vec<_>>()
        );
        // 40 bytes x 10^4 passes 64 KiB at --v4 (line 6).
        assert_eq!((found[0].line, found[0].column), (6, 3));
        assert!(found[0].message.contains("`--v4`"), "{}", found[0].message);
        assert!(found[0].message.contains("too large"));
    }

    #[test]
    fn ordinary_themes_and_cycles_are_not_reported() {
        let theme =
            "page { --brand: #07c160; --text: var(--brand); --border: 1px solid var(--text); }\n\
                     .a { --x: var(--y); --y: var(--x); color: var(--text); }";
        assert!(check("a.wxss", theme).is_empty());
    }

    #[test]
    fn a_chain_of_ten_thousand_names_is_estimated_in_linear_time() {
        let mut sheet = String::from("page { --v0: 1px;");
        for i in 1..10_000 {
            sheet.push_str(&format!(" --v{i}: var(--v{}) var(--v{});", i - 1, i - 1));
        }
        sheet.push('}');
        let started = std::time::Instant::now();
        let found = check("a.wxss", &sheet);
        assert!(started.elapsed().as_secs() < 2, "{:?}", started.elapsed());
        assert_eq!(found.len(), 1);
    }
}
