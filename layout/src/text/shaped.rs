//! The output of text shaping for paint: lines, positioned glyphs and
//! decoration strokes, all in CSS px relative to the paragraph's content box.
//!
//! Invariants: lines are in visual order top to bottom and do not overlap
//! (`lines[i + 1].top == lines[i].top + lines[i].height`); every glyph's
//! `metadata` is the index of the [`TextSpan`](super::TextSpan) it came from,
//! so the painter reads colour and shadow from `paragraph.spans[metadata]`
//! (colour is not baked in, so recolouring never reshapes).

use cosmic_text::LayoutGlyph;

/// A shaped paragraph, ready to paint.
#[derive(Clone, Debug, Default)]
pub struct ShapedParagraph {
    pub lines: Vec<ShapedLine>,
    /// Width of the widest line (alignment offsets excluded).
    pub width: f32,
    /// Sum of the line heights.
    pub height: f32,
    pub decorations: Vec<DecorationSegment>,
    /// The inline boxes of the spans: one per run of consecutive glyphs of
    /// a span on a line. A nested inline element's box is the union of the
    /// fragments of its spans (what the layout file reports for it).
    pub fragments: Vec<SpanFragment>,
    /// True when text was cut and an ellipsis ("…") ends the last line.
    pub ellipsized: bool,
}

/// One line box.
#[derive(Clone, Debug)]
pub struct ShapedLine {
    /// Top of the line box.
    pub top: f32,
    pub height: f32,
    /// The baseline, from the top of the content box.
    pub baseline: f32,
    /// Advance width of the line's text.
    pub width: f32,
    /// Glyphs with `x` relative to the content box's left edge (alignment
    /// applied) and `y` relative to the baseline. To rasterise at a device
    /// pixel ratio `dpr` with the content box at (`left`, `top`) in CSS px:
    /// `glyph.physical(((left) * dpr, (top + line.baseline) * dpr), dpr)`,
    /// whose `cache_key` the painter hands to `cosmic_text::SwashCache`.
    pub glyphs: Vec<LayoutGlyph>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DecorationKind {
    Underline,
    Overline,
    LineThrough,
}

/// A horizontal decoration stroke: a rectangle `x..x+width`,
/// `y..y+thickness`, in the colour of `spans[span].style.decoration.color`
/// (or the span's text colour), in the span's decoration style.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct DecorationSegment {
    pub kind: DecorationKind,
    pub span: usize,
    pub x: f32,
    pub y: f32,
    pub width: f32,
    pub thickness: f32,
}

/// Where one span's text sits on one line: its inline box (CSS content
/// area: the primary font's ascent above the baseline to its descent below).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SpanFragment {
    pub span: usize,
    pub line: usize,
    pub x: f32,
    pub y: f32,
    pub width: f32,
    pub height: f32,
}
