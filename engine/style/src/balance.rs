//! Structural checks float-pigment does not report: a `{` that is never
//! closed (the rest of the file silently becomes one rule), and where a
//! declaration's value starts (so a diagnostic about a bad value points at
//! the value, not at the property name).

/// The 1-based (line, column) of every `{` left open at the end of `source`,
/// comments and strings skipped.
pub(crate) fn unclosed_blocks(source: &str) -> Vec<(u32, u32)> {
    let mut open: Vec<(u32, u32)> = Vec::new();
    let (mut line, mut col) = (1u32, 1u32);
    let mut chars = source.chars().peekable();
    let mut in_comment = false;
    let mut quote: Option<char> = None;
    while let Some(c) = chars.next() {
        let here = (line, col);
        if c == '\n' {
            line += 1;
            col = 1;
        } else {
            col += 1;
        }
        if in_comment {
            if c == '*' && chars.peek() == Some(&'/') {
                chars.next();
                col += 1;
                in_comment = false;
            }
            continue;
        }
        if let Some(q) = quote {
            if c == '\\' {
                if chars.next() == Some('\n') {
                    line += 1;
                    col = 1;
                } else {
                    col += 1;
                }
            } else if c == q || c == '\n' {
                quote = None;
            }
            continue;
        }
        match c {
            '/' if chars.peek() == Some(&'*') => {
                chars.next();
                col += 1;
                in_comment = true;
            }
            '"' | '\'' => quote = Some(c),
            '{' => open.push(here),
            '}' => {
                open.pop();
            }
            _ => {}
        }
    }
    open
}

/// The 1-based column where the value of the declaration starting at
/// `column` of `line_text` begins (after `name:` and spaces), if it has one.
pub(crate) fn value_column(line_text: &str, column: u32) -> Option<u32> {
    let chars: Vec<char> = line_text.chars().collect();
    let start = (column as usize).checked_sub(1)?;
    let mut i = start;
    while i < chars.len() && chars[i] != ':' && chars[i] != ';' && chars[i] != '{' {
        i += 1;
    }
    if chars.get(i) != Some(&':') {
        return None;
    }
    i += 1;
    while i < chars.len() && chars[i].is_whitespace() {
        i += 1;
    }
    (i < chars.len()).then_some(i as u32 + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_brace_left_open() {
        let src = ".a { color: red }\n/* { */\n.b { content: \"}\";\n";
        assert_eq!(unclosed_blocks(src), vec![(3, 4)]);
        assert!(unclosed_blocks(".a { b: c }").is_empty());
    }

    #[test]
    fn value_column_skips_the_name() {
        assert_eq!(value_column("  color: #12345;", 3), Some(10));
        assert_eq!(value_column("  garbage", 3), None);
    }
}
