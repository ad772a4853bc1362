//! `@import` discovery with source positions, and package path resolution.
//!
//! float-pigment records imports without positions, so a missing import
//! could only be reported at 0:0; this scanner finds the statements itself
//! (skipping comments and strings) to report at the `@import` keyword.
//! Only imports before the first block count, as in CSS (float-pigment
//! warns about later ones and ignores them).

/// One `@import` statement: the target as written and where it starts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ImportStatement {
    pub(crate) target: String,
    /// 1-based line and column (in characters) of the `@`.
    pub(crate) line: u32,
    pub(crate) column: u32,
}

/// Finds the leading `@import` statements of a style sheet.
pub(crate) fn scan_imports(source: &str) -> Vec<ImportStatement> {
    let chars: Vec<char> = source.chars().collect();
    let mut found = Vec::new();
    let (mut line, mut column) = (1u32, 1u32);
    let mut i = 0;
    let advance = |i: &mut usize, line: &mut u32, column: &mut u32, n: usize| {
        for _ in 0..n {
            if *i >= chars.len() {
                return;
            }
            if chars[*i] == '\n' {
                *line += 1;
                *column = 1;
            } else {
                *column += 1;
            }
            *i += 1;
        }
    };
    while i < chars.len() {
        let c = chars[i];
        if c == '/' && chars.get(i + 1) == Some(&'*') {
            advance(&mut i, &mut line, &mut column, 2);
            while i < chars.len() && !(chars[i] == '*' && chars.get(i + 1) == Some(&'/')) {
                advance(&mut i, &mut line, &mut column, 1);
            }
            advance(&mut i, &mut line, &mut column, 2);
            continue;
        }
        if c == '{' {
            break;
        }
        let is_import = c == '@'
            && chars.len() >= i + 7
            && chars[i + 1..i + 7]
                .iter()
                .collect::<String>()
                .eq_ignore_ascii_case("import");
        if !is_import {
            advance(&mut i, &mut line, &mut column, 1);
            continue;
        }
        advance(&mut i, &mut line, &mut column, 7);
        while i < chars.len() && chars[i].is_whitespace() {
            advance(&mut i, &mut line, &mut column, 1);
        }
        // Diagnostics about the import point at its target.
        let (at_line, at_column) = (line, column);
        let mut target = String::new();
        let rest: String = chars[i..chars.len().min(i + 4)].iter().collect();
        let mut in_url = false;
        if rest.eq_ignore_ascii_case("url(") {
            in_url = true;
            advance(&mut i, &mut line, &mut column, 4);
            while i < chars.len() && chars[i].is_whitespace() {
                advance(&mut i, &mut line, &mut column, 1);
            }
        }
        if let Some(&quote) = chars.get(i).filter(|c| **c == '"' || **c == '\'') {
            advance(&mut i, &mut line, &mut column, 1);
            while i < chars.len() && chars[i] != quote && chars[i] != '\n' {
                target.push(chars[i]);
                advance(&mut i, &mut line, &mut column, 1);
            }
        } else if in_url {
            while i < chars.len() && chars[i] != ')' && !chars[i].is_whitespace() {
                target.push(chars[i]);
                advance(&mut i, &mut line, &mut column, 1);
            }
        }
        // Skip to the end of the statement.
        while i < chars.len() && chars[i] != ';' && chars[i] != '{' {
            advance(&mut i, &mut line, &mut column, 1);
        }
        if !target.is_empty() {
            found.push(ImportStatement {
                target,
                line: at_line,
                column: at_column,
            });
        }
    }
    found
}

/// Resolves `target` (relative, or package-absolute with a leading `/`)
/// against the importing file's package path. Adds `.wxss` when the target
/// names no extension. `None` for URLs and paths escaping the package.
pub(crate) fn resolve_import(importer: &str, target: &str) -> Option<String> {
    if target.contains("://") || target.starts_with("//") {
        return None;
    }
    let mut path = cirrus_style_lang::paths::resolve_strict(importer, target)?;
    if path.is_empty() {
        return None;
    }
    let has_extension = path
        .rsplit('/')
        .next()
        .is_some_and(|name| name.contains('.'));
    if !has_extension {
        path.push_str(".wxss");
    }
    Some(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_imports_with_positions() {
        let src = "/* @import 'no.wxss'; */\n  @import \"a.wxss\";\n@import url('/b/c.wxss');\n.x { }\n@import 'late.wxss';";
        let found = scan_imports(src);
        assert_eq!(found.len(), 2);
        assert_eq!(
            found[0],
            ImportStatement {
                target: "a.wxss".into(),
                line: 2,
                // The position of the target string, where diagnostics point.
                column: 11
            }
        );
        assert_eq!(found[1].target, "/b/c.wxss");
        assert_eq!(found[1].line, 3);
    }

    #[test]
    fn resolves_relative_and_absolute() {
        assert_eq!(
            resolve_import("pages/a/a.wxss", "common.wxss").as_deref(),
            Some("pages/a/common.wxss")
        );
        assert_eq!(
            resolve_import("pages/a/a.wxss", "../../x.wxss").as_deref(),
            Some("x.wxss")
        );
        assert_eq!(
            resolve_import("pages/a/a.wxss", "/common/x.wxss").as_deref(),
            Some("common/x.wxss")
        );
        assert_eq!(
            resolve_import("app.wxss", "./style/base").as_deref(),
            Some("style/base.wxss")
        );
        assert_eq!(resolve_import("app.wxss", "../../escape.wxss"), None);
    }
}
