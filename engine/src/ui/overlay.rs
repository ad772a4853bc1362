//! The error overlay: a broken page shows its errors (message, location and
//! the mini program's own stack frames) on top of whatever rendered, and the
//! engine keeps running.

use crate::diagnostics::Diagnostic;
use crate::paint::{measure_plain_text, paint_plain_text};
use cirrus_layout::style::Color;
use cirrus_layout::text::TextSystem;
use cirrus_layout::Viewport;
use cirrus_render::display_list::SQUARE_CORNERS;
use cirrus_render::{DisplayItem, DisplayList, Rect};

/// How many errors the overlay lists (the newest).
const MAX_LISTED: usize = 6;
/// The panel never covers more than this share of the window.
const MAX_SHARE: f32 = 0.6;
const PADDING: f32 = 10.0;
const HEADER_SIZE: f32 = 13.0;
const ENTRY_SIZE: f32 = 12.0;
const GAP: f32 = 8.0;

pub fn paint_error_overlay(
    list: &mut DisplayList,
    errors: &[Diagnostic],
    viewport: Viewport,
    text: &mut TextSystem,
) {
    let d = viewport.dpr;
    let width = viewport.width.0;
    let text_width = width - 2.0 * PADDING;
    let header = format!("{} error(s)", errors.len());
    let entries: Vec<String> = errors
        .iter()
        .rev()
        .take(MAX_LISTED)
        .map(|e| e.to_string())
        .collect();
    // Size the panel to its text, bottom-anchored, at most MAX_SHARE high.
    let content: f32 = PADDING
        + measure_plain_text(text, &header, text_width, HEADER_SIZE)
        + entries
            .iter()
            .map(|e| GAP + measure_plain_text(text, e, text_width, ENTRY_SIZE))
            .sum::<f32>()
        + PADDING;
    let panel_height = content.min(viewport.height.0 * MAX_SHARE);
    let top = viewport.height.0 - panel_height;
    let panel = Rect::new(0.0, top * d, width * d, panel_height * d);
    list.fill_rect(panel, Color::rgba8(180, 20, 20, 0.92));
    list.push(DisplayItem::PushClip {
        rect: panel,
        radii: SQUARE_CORNERS,
    });
    let mut y = top + PADDING;
    y += paint_plain_text(
        list,
        text,
        &header,
        (PADDING, y),
        text_width,
        HEADER_SIZE,
        Color::WHITE,
        d,
    );
    for entry in &entries {
        y += GAP;
        y += paint_plain_text(
            list,
            text,
            entry,
            (PADDING, y),
            text_width,
            ENTRY_SIZE,
            Color::WHITE,
            d,
        );
    }
    list.push(DisplayItem::PopClip);
}
