//! Line boxes and paint output from a laid-out cosmic-text buffer.
//!
//! Line heights and baselines follow the CSS inline model with Chromium's
//! rounding (see `span_font`), not cosmic-text's own line metrics; glyph
//! x positions and line breaks are cosmic-text's.

use super::fonts::FontCatalog;
use super::prepared::Prepared;
use super::shaped::{DecorationSegment, ShapedLine, ShapedParagraph, SpanFragment};
use super::span_font::SpanFont;
use crate::style::LineHeight;
use cosmic_text::{Buffer, FontSystem};

/// A line box computed from a cosmic-text layout run.
pub(super) struct LineBox {
    pub(super) top: f32,
    pub(super) height: f32,
    pub(super) baseline: f32,
    pub(super) width: f32,
    /// End of the line's text as a byte offset in the joined text.
    pub(super) text_end: usize,
}

/// Line boxes of the buffer's current layout (CSS 2 §10.8).
pub(super) fn line_boxes(
    font_system: &mut FontSystem,
    catalog: &mut FontCatalog,
    buffer: &Buffer,
    spans: &[SpanFont],
    strut: (f32, f32),
    line_starts: &[usize],
) -> Vec<LineBox> {
    let mut lines = Vec::new();
    let mut top = 0.0;
    for run in buffer.layout_runs() {
        let (mut above, mut below) = strut;
        let mut last_face = None;
        let mut text_end = 0;
        for glyph in run.glyphs {
            text_end = text_end.max(glyph.end);
            let Some(span) = spans.get(glyph.metadata) else {
                continue;
            };
            let (span_above, span_below) = span.extent(span.sized);
            above = above.max(span_above);
            below = below.max(span_below);
            // With line-height: normal, fallback faces (CJK, emoji) can
            // make the line taller, as in Blink; a fixed line height ignores them.
            if span.line_height == LineHeight::Normal
                && last_face != Some((glyph.font_id, glyph.metadata))
            {
                last_face = Some((glyph.font_id, glyph.metadata));
                let sized = catalog
                    .face_metrics(font_system, glyph.font_id)
                    .at_size(glyph.font_size);
                let (face_above, face_below) = span.extent(sized);
                above = above.max(face_above);
                below = below.max(face_below);
            }
        }
        let line_start = line_starts.get(run.line_i).copied().unwrap_or(0);
        let width = trimmed_line_width(run.glyphs, run.text);
        lines.push(LineBox {
            top,
            height: above + below,
            baseline: top + above,
            width,
            text_end: line_start + text_end,
        });
        top += above + below;
    }
    lines
}

/// The advance width of a line without its trailing spaces (CSS hangs them).
pub(super) fn trimmed_line_width(glyphs: &[cosmic_text::LayoutGlyph], text: &str) -> f32 {
    let visible = glyphs.iter().filter(|glyph| {
        !text
            .get(glyph.start..glyph.end)
            .is_some_and(|cluster| cluster.chars().all(char::is_whitespace))
    });
    let (mut left, mut right) = (f32::MAX, f32::MIN);
    for glyph in visible {
        left = left.min(glyph.x);
        right = right.max(glyph.x + glyph.w);
    }
    if right < left {
        0.0
    } else {
        right - left
    }
}

pub(super) fn build_shaped(
    font_system: &mut FontSystem,
    catalog: &mut FontCatalog,
    buffer: &Buffer,
    prepared: &Prepared,
    width: f32,
    max_lines: Option<usize>,
    ellipsized: bool,
) -> ShapedParagraph {
    let boxes = line_boxes(
        font_system,
        catalog,
        buffer,
        &prepared.spans,
        prepared.strut,
        &prepared.line_starts,
    );
    let mut shaped = ShapedParagraph {
        ellipsized,
        ..ShapedParagraph::default()
    };
    for (run, line_box) in buffer.layout_runs().zip(boxes) {
        if max_lines.is_some_and(|max| shaped.lines.len() >= max) {
            break;
        }
        let mut glyphs: Vec<cosmic_text::LayoutGlyph> = run.glyphs.to_vec();
        // CSS start-aligns a line that overflows its box, whatever text-align says.
        let leftmost = glyphs.iter().map(|glyph| glyph.x).fold(f32::MAX, f32::min);
        if line_box.width > width && leftmost < 0.0 {
            for glyph in &mut glyphs {
                glyph.x -= leftmost;
            }
        }
        push_span_runs(&mut shaped, &glyphs, &prepared.spans, &line_box);
        shaped.width = shaped.width.max(line_box.width);
        shaped.height = line_box.top + line_box.height;
        shaped.lines.push(ShapedLine {
            top: line_box.top,
            height: line_box.height,
            baseline: line_box.baseline,
            width: line_box.width,
            glyphs,
        });
    }
    shaped
}

/// Fragments and decoration strokes for each run of consecutive glyphs of
/// one span on a line.
pub(super) fn push_span_runs(
    shaped: &mut ShapedParagraph,
    glyphs: &[cosmic_text::LayoutGlyph],
    spans: &[SpanFont],
    line: &LineBox,
) {
    let line_index = shaped.lines.len();
    let mut start = 0;
    while start < glyphs.len() {
        let span_index = glyphs[start].metadata;
        let mut end = start + 1;
        while end < glyphs.len() && glyphs[end].metadata == span_index {
            end += 1;
        }
        if let Some(span) = spans.get(span_index) {
            let run = &glyphs[start..end];
            let left = run.iter().map(|g| g.x).fold(f32::MAX, f32::min);
            let right = run.iter().map(|g| g.x + g.w).fold(f32::MIN, f32::max);
            shaped.fragments.push(SpanFragment {
                span: span_index,
                line: line_index,
                x: left,
                y: line.baseline - span.sized.ascent,
                width: right - left,
                height: span.sized.ascent + span.sized.descent,
            });
            for (kind, y, thickness) in span.decoration_strokes(line.baseline) {
                shaped.decorations.push(DecorationSegment {
                    kind,
                    span: span_index,
                    x: left,
                    y,
                    width: right - left,
                    thickness,
                });
            }
        }
        start = end;
    }
}
