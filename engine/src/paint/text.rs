//! Text: a paragraph's shaped lines -> glyph runs and decoration lines.
//!
//! Colours are read from the spans at paint time (shaping does not bake
//! them in), so a colour change repaints without reshaping.

use super::Painter;
use crate::document::tree::Node;
use cirrus_layout::style::{Color, ComputedStyle};
use cirrus_layout::text::{Paragraph, ShapedParagraph, TextSystem};
use cirrus_render::{DisplayItem, DisplayList, GlyphInstance};

impl Painter<'_> {
    /// Paints the paragraph of `node` with its content box's top-left corner
    /// at `origin` (absolute CSS px) and the given content width.
    pub(super) fn paint_paragraph(&mut self, node: &Node, origin: (f32, f32), width: f32) {
        let Some(paragraph) = node.layout.paragraph.as_ref() else {
            return;
        };
        let shaped = self.text.shape(paragraph, width);
        emit_paragraph(self.list, paragraph, &shaped, origin, self.dpr);
    }
}

/// Appends the glyph runs (one per span colour run per line), text shadows
/// and decorations of a shaped paragraph.
pub fn emit_paragraph(
    list: &mut DisplayList,
    p: &Paragraph,
    shaped: &ShapedParagraph,
    origin: (f32, f32),
    dpr: f32,
) {
    let span_color = |i: usize| {
        p.spans
            .get(i)
            .map(|s| s.style.color)
            .unwrap_or(Color::BLACK)
    };
    for line in &shaped.lines {
        let base = (origin.0 * dpr, (origin.1 + line.baseline) * dpr);
        // Shadows first, under the text.
        for (span, glyphs) in runs(line, base, dpr) {
            if let Some(shadow) = p.spans.get(span).and_then(|s| s.style.text_shadow) {
                let (dx, dy) = (
                    (shadow.offset_x * dpr).round() as i32,
                    (shadow.offset_y * dpr).round() as i32,
                );
                let moved = glyphs
                    .iter()
                    .map(|g| GlyphInstance {
                        key: g.key,
                        x: g.x + dx,
                        y: g.y + dy,
                    })
                    .collect();
                list.push(DisplayItem::Glyphs {
                    glyphs: moved,
                    color: shadow.color,
                });
            }
        }
        for (span, glyphs) in runs(line, base, dpr) {
            list.push(DisplayItem::Glyphs {
                glyphs,
                color: span_color(span),
            });
        }
    }
    for d in &shaped.decorations {
        let Some(span) = p.spans.get(d.span) else {
            continue;
        };
        let color = span.style.decoration.color.unwrap_or(span.style.color);
        let y = (origin.1 + d.y + d.thickness / 2.0) * dpr;
        let x = (origin.0 + d.x) * dpr;
        list.push(DisplayItem::Line {
            from: (x, y),
            to: (x + d.width * dpr, y),
            width: d.thickness * dpr,
            color,
            style: span.style.decoration.style,
        });
    }
}

/// A line's glyphs grouped into runs of one span, in device pixels.
fn runs(
    line: &cirrus_layout::text::ShapedLine,
    base: (f32, f32),
    dpr: f32,
) -> Vec<(usize, Vec<GlyphInstance>)> {
    let mut out: Vec<(usize, Vec<GlyphInstance>)> = Vec::new();
    for g in &line.glyphs {
        let physical = g.physical(base, dpr);
        let instance = GlyphInstance {
            key: physical.cache_key,
            x: physical.x,
            y: physical.y,
        };
        match out.last_mut() {
            Some((span, glyphs)) if *span == g.metadata => glyphs.push(instance),
            _ => out.push((g.metadata, vec![instance])),
        }
    }
    out
}

/// A paragraph of one plain string in the default font (newlines break
/// lines): the engine's own text, such as the error overlay.
fn plain_paragraph(s: &str, font_size: f32, color: Color) -> Paragraph {
    let style = ComputedStyle {
        font_size,
        color,
        white_space: cirrus_layout::style::WhiteSpace::PreWrap,
        ..Default::default()
    };
    Paragraph::plain(&style, s)
}

/// The height in CSS px that [`paint_plain_text`] will use.
pub fn measure_plain_text(text: &mut TextSystem, s: &str, width: f32, font_size: f32) -> f32 {
    text.shape(&plain_paragraph(s, font_size, Color::BLACK), width)
        .height
}

/// Paints one plain string and returns its height in CSS px.
#[allow(clippy::too_many_arguments)]
pub fn paint_plain_text(
    list: &mut DisplayList,
    text: &mut TextSystem,
    s: &str,
    origin: (f32, f32),
    width: f32,
    font_size: f32,
    color: Color,
    dpr: f32,
) -> f32 {
    let p = plain_paragraph(s, font_size, color);
    let shaped = text.shape(&p, width);
    emit_paragraph(list, &p, &shaped, origin, dpr);
    shaped.height
}
