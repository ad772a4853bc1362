//! The error overlay: a broken page shows its errors on top of whatever
//! rendered, and the engine keeps running.

use crate::diagnostics::Diagnostic;
use cirrus_layout::style::Color;
use cirrus_layout::text::TextSystem;
use cirrus_layout::Viewport;
use cirrus_render::{DisplayList, Rect};

/// How many errors the overlay lists (the newest).
const MAX_LISTED: usize = 6;

pub fn paint_error_overlay(
    list: &mut DisplayList,
    errors: &[Diagnostic],
    viewport: Viewport,
    text: &mut TextSystem,
) {
    let d = viewport.dpr;
    let width = viewport.width.0;
    let shown: Vec<&Diagnostic> = errors.iter().rev().take(MAX_LISTED).collect();
    let lines: Vec<String> = shown.iter().map(|e| e.to_string()).collect();
    let panel_height = (28.0 + 40.0 * lines.len() as f32).min(viewport.height.0);
    let top = viewport.height.0 - panel_height;
    list.fill_rect(
        Rect::new(0.0, top * d, width * d, panel_height * d),
        Color::rgba8(180, 20, 20, 0.92),
    );
    let mut y = top + 8.0;
    let header = format!("{} error(s)", errors.len());
    crate::paint::paint_plain_text(
        list,
        text,
        &header,
        (10.0, y),
        width - 20.0,
        13.0,
        Color::WHITE,
        d,
    );
    y += 20.0;
    for line in lines {
        crate::paint::paint_plain_text(
            list,
            text,
            &line,
            (10.0, y),
            width - 20.0,
            12.0,
            Color::WHITE,
            d,
        );
        y += 40.0;
    }
}
