//! `@keyframes` blocks of a parsed sheet, copied out of float-pigment into
//! [`Keyframes`] so a page keeps one flat list (text and precompiled sheets
//! alike) and the precompiled form can store them.
//!
//! float-pigment 0.10 offers no way to list a sheet's keyframes, only a
//! search by name; the names are found by scanning the source (outside
//! comments), and a scanned name the parser did not keep is skipped.

use float_pigment_css::{LinkedStyleSheet, MediaQueryStatus, StyleSheetGroup};

use crate::sheets::{Keyframe, Keyframes};

/// The `@keyframes` blocks `sheet` (parsed from `source`) defines, the last
/// definition of each name, in order of first appearance.
pub(crate) fn sheet_keyframes(source: &str, sheet: &LinkedStyleSheet) -> Vec<Keyframes> {
    let names = keyframes_names(source);
    if names.is_empty() {
        return Vec::new();
    }
    let mut group = StyleSheetGroup::new();
    group.append(sheet.clone());
    // A sheet parsed on its own has no import media, so the status is moot.
    let status = MediaQueryStatus::<f32>::default_screen_with_size(375.0, 667.0);
    names
        .iter()
        .filter_map(|name| group.search_keyframes(None, name, &status))
        .map(|found| Keyframes {
            name: found.ident.clone(),
            frames: found
                .keyframes
                .iter()
                .map(|rule| Keyframe {
                    offsets: rule.keyframe.iter().map(|k| k.ratio()).collect(),
                    declarations: rule.properties.clone(),
                })
                .collect(),
        })
        .collect()
}

/// Distinct names after `@keyframes` outside comments, in order.
fn keyframes_names(source: &str) -> Vec<String> {
    const KEYWORD: &[u8] = b"@keyframes";
    let bytes = source.as_bytes();
    let mut names: Vec<String> = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i..].starts_with(b"/*") {
            i = source[i + 2..]
                .find("*/")
                .map_or(bytes.len(), |end| i + 2 + end + 2);
            continue;
        }
        let is_keyword = bytes.len() >= i + KEYWORD.len()
            && bytes[i..i + KEYWORD.len()].eq_ignore_ascii_case(KEYWORD);
        if !is_keyword {
            i += 1;
            continue;
        }
        i += KEYWORD.len();
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        let quoted = matches!(bytes.get(i), Some(b'"' | b'\''));
        if quoted {
            i += 1;
        }
        let start = i;
        // Non-ASCII bytes are part of an identifier (CSS allows them).
        while i < bytes.len()
            && (bytes[i].is_ascii_alphanumeric() || matches!(bytes[i], b'-' | b'_' | 0x80..))
        {
            i += 1;
        }
        let name = &source[start..i];
        if !name.is_empty() && !names.iter().any(|n| n == name) {
            names.push(name.to_owned());
        }
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_names_outside_comments() {
        let src = "/* @keyframes hidden {} */ @keyframes fade { from {} }\n@KEYFRAMES spin-2{} @keyframes fade {}";
        assert_eq!(keyframes_names(src), vec!["fade", "spin-2"]);
    }

    #[test]
    fn copies_the_last_definition() {
        let src = "@keyframes a { from { opacity: 0 } }\n@keyframes a { from { opacity: 0.5 } to { opacity: 1 } }";
        let (sheet, _) = LinkedStyleSheet::parse(src, None);
        let found = sheet_keyframes(src, &sheet);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].name, "a");
        assert_eq!(found[0].frames.len(), 2);
    }
}
