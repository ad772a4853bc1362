//! A linear pre-scan for how deeply a LESS or SCSS file nests blocks,
//! parentheses and brackets, run before either compiler sees the file.
//!
//! Why: both compilers are recursive descent (ours for LESS, `grass` for
//! SCSS), one stack frame chain per nested block or parenthesis, so a few
//! kilobytes of `{{{{` or `((((` would overflow the thread's stack. A file
//! deeper than [`MAX_NESTING`] is not compiled; the diagnostic points at the
//! bracket that crossed the limit.

/// How deeply blocks, parentheses and brackets may nest in one LESS or SCSS
/// file, counted together: 64. Preprocessor nesting is deeper than plain
/// CSS (rules nest inside rules, mixins inside those), but real projects
/// stay around 10; lessc and dart-sass document no limit. 64 keeps both
/// compilers' recursion well inside a 2 MiB thread stack.
pub const MAX_NESTING: usize = 64;

/// The byte offset of the first bracket that nests deeper than
/// [`MAX_NESTING`], if any. Strings, `/* */` comments and `//` comments
/// (outside parentheses, where `url(http://...)` has a `//`) do not count.
pub fn too_deep_at(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut parens = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                i = text[i + 2..]
                    .find("*/")
                    .map_or(bytes.len(), |end| i + 2 + end + 2);
                continue;
            }
            b'/' if parens == 0 && bytes.get(i + 1) == Some(&b'/') => {
                i = text[i..].find('\n').map_or(bytes.len(), |end| i + end);
                continue;
            }
            quote @ (b'"' | b'\'') => {
                i += 1;
                while i < bytes.len() && bytes[i] != quote && bytes[i] != b'\n' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
            }
            b'\\' => i += 1,
            opener @ (b'(' | b'[' | b'{') => {
                depth += 1;
                if depth > MAX_NESTING {
                    return Some(i);
                }
                parens += usize::from(opener == b'(');
            }
            closer @ (b')' | b']' | b'}') => {
                depth = depth.saturating_sub(1);
                if closer == b')' {
                    parens = parens.saturating_sub(1);
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// The diagnostic message for a file refused by [`too_deep_at`].
pub fn too_deep_message() -> String {
    format!(
        "nested too deeply: more than {MAX_NESTING} levels of blocks, parentheses and \
         brackets; this file is not compiled"
    )
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_column(text: &str, offset: usize) -> (u32, u32) {
    let offset = offset.min(text.len());
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |n| n + 1);
    let column = before[line_start..].chars().count() + 1;
    (
        u32::try_from(line).unwrap_or(u32::MAX),
        u32::try_from(column).unwrap_or(u32::MAX),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_first_bracket_past_the_limit() {
        let text = format!("a {{\n{}", "(".repeat(100_000));
        let at = too_deep_at(&text).expect("too deep");
        // `a {` opens one level: the 64th `(` is the 65th level.
        assert_eq!(at, 3 + MAX_NESTING);
        assert_eq!(line_column(&text, at), (2, MAX_NESTING as u32));
    }

    #[test]
    fn real_nesting_and_opaque_text_pass() {
        let text = format!(
            ".a {{ .b {{ width: calc((1px + 2px) * 3); background: url(http://x/y.png); }} }}\n\
             // {}\n/* {} */ content: \"{}\";",
            "{".repeat(100),
            "(".repeat(100),
            "[".repeat(100)
        );
        assert_eq!(too_deep_at(&text), None);
        let many_urls = "a { b: url(http://x) }\n".repeat(1000);
        assert_eq!(too_deep_at(&many_urls), None);
    }
}
