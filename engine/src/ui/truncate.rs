//! Caps on the strings the engine's own UI shapes (toasts, modals, action
//! sheets, the navigation bar title). A mini program passes them through
//! `wx.*` APIs with no length limit; shaping a 1,000,000-char toast took
//! 16-22 s. WeChat shows little of such strings anyway (a toast at most two
//! lines, an icon toast about 7 CJK chars, a title one ellipsized line), so
//! each is cut, with "…", at a length well past what it can show, before
//! anything measures or paints it.

/// A toast's title: WeChat shows two lines at most (about 40 CJK or 80
/// Latin chars in a phone-wide toast); 128 chars keep every visible one.
pub const MAX_TOAST_TITLE_CHARS: usize = 128;
/// A modal's title (WeChat: one or two lines).
pub const MAX_MODAL_TITLE_CHARS: usize = 256;
/// A modal's content: WeChat scrolls long content; 4,096 chars is about 20
/// screens of it, enough for any real notice, and shapes in a few ms.
pub const MAX_MODAL_CONTENT_CHARS: usize = 4_096;
/// A button or action sheet label (WeChat allows 4 chars on modal buttons;
/// sheet items are one line).
pub const MAX_LABEL_CHARS: usize = 64;
/// The navigation bar title: one ellipsized line of about 16 CJK chars.
pub const MAX_NAVIGATION_TITLE_CHARS: usize = 128;

/// `s` cut to at most `max_chars` chars plus "…" when longer (unchanged,
/// without copying, otherwise).
pub fn truncate_chars(s: &mut String, max_chars: usize) {
    if let Some((end, _)) = s.char_indices().nth(max_chars) {
        s.truncate(end);
        s.push('\u{2026}');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_strings_are_cut_at_a_char_boundary() {
        let mut s = "短文".to_owned();
        truncate_chars(&mut s, 2);
        assert_eq!(s, "短文");
        let mut s = "éééé".to_owned();
        truncate_chars(&mut s, 3);
        assert_eq!(s, "ééé…");
        let mut s = "x".repeat(1_000_000);
        truncate_chars(&mut s, MAX_TOAST_TITLE_CHARS);
        assert_eq!(s.chars().count(), MAX_TOAST_TITLE_CHARS + 1);
    }
}
