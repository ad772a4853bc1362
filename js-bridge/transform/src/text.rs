//! Small text helpers: byte offsets to 1-based line:column, JS string
//! literals, identifier checks.

/// The 1-based (line, column) of a byte offset; columns count characters.
pub(crate) fn line_column(source: &str, offset: u32) -> (u32, u32) {
    let offset = (offset as usize).min(source.len());
    let before = source.get(..offset).unwrap_or(source);
    let line = before.matches('\n').count() as u32 + 1;
    let line_start = before.rfind('\n').map_or(0, |newline| newline + 1);
    let column = before[line_start..].chars().count() as u32 + 1;
    (line, column)
}

/// `text` as a double-quoted JS string literal.
pub(crate) fn js_string(text: &str) -> String {
    let mut quoted = String::with_capacity(text.len() + 2);
    quoted.push('"');
    for c in text.chars() {
        match c {
            '"' => quoted.push_str("\\\""),
            '\\' => quoted.push_str("\\\\"),
            '\n' => quoted.push_str("\\n"),
            '\r' => quoted.push_str("\\r"),
            '\u{2028}' => quoted.push_str("\\u2028"),
            '\u{2029}' => quoted.push_str("\\u2029"),
            c if (c as u32) < 0x20 => quoted.push_str(&format!("\\u{:04x}", c as u32)),
            c => quoted.push(c),
        }
    }
    quoted.push('"');
    quoted
}

/// `object.name`, or `object["name"]` when `name` is not an identifier.
pub(crate) fn member(object: &str, name: &str) -> String {
    let mut chars = name.chars();
    let identifier = chars
        .next()
        .is_some_and(|c| c.is_alphabetic() || c == '_' || c == '$')
        && chars.all(|c| c.is_alphanumeric() || c == '_' || c == '$');
    if identifier {
        format!("{object}.{name}")
    } else {
        format!("{object}[{}]", js_string(name))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_quotes_and_members() {
        assert_eq!(line_column("ab\ncdé f", 8), (2, 5));
        assert_eq!(line_column("x", 0), (1, 1));
        assert_eq!(js_string("a\"b\n"), "\"a\\\"b\\n\"");
        assert_eq!(member("m", "default"), "m.default");
        assert_eq!(member("m", "a-b"), "m[\"a-b\"]");
    }
}
