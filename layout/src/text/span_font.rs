//! The resolved font of one span: family, face metrics at its size, and
//! what it contributes to a line box (CSS 2 §10.8.1) and to decorations.
//! Built once per prepared paragraph, so per-line work never resolves fonts.

use super::fonts::{FaceMetrics, FontCatalog, SizedMetrics};
use super::paragraph::TextStyle;
use super::shaped::DecorationKind;
use crate::style::{FontStyle, LineHeight, TextDecorationLine};
use cosmic_text::{Attrs, Family, FontSystem, Metrics, Weight};

/// Font and line metrics of one span, resolved once per prepared paragraph.
pub(super) struct SpanFont {
    pub(super) family: String,
    pub(super) weight: u16,
    pub(super) italic: bool,
    pub(super) font_size: f32,
    pub(super) letter_spacing: f32,
    pub(super) word_spacing: f32,
    pub(super) line_height: LineHeight,
    pub(super) decoration: TextDecorationLine,
    /// Primary face metrics (em) and at this size (px, rounded).
    pub(super) face: FaceMetrics,
    pub(super) sized: SizedMetrics,
}

impl SpanFont {
    /// Space above and below the baseline this span's inline box needs
    /// with metrics `sized` (CSS 2 §10.8.1 half-leading).
    pub(super) fn extent(&self, sized: SizedMetrics) -> (f32, f32) {
        let content = sized.ascent + sized.descent;
        let line_height = match self.line_height {
            LineHeight::Normal => content + sized.line_gap,
            LineHeight::Number(factor) => factor * self.font_size,
            LineHeight::Px(px) => px,
        };
        // Chromium puts the smaller half of the leading (floored to a whole
        // pixel) above the text: 16px Liberation Sans with line-height 30px
        // has its baseline at 14 + 6 = 20, not 20.5.
        let leading = line_height - content;
        let above = (leading / 2.0).floor();
        (sized.ascent + above, sized.descent + leading - above)
    }

    /// `upright` asks for the normal face even in an italic span: for
    /// scripts whose fonts have no italic (CJK, emoji), where asking for
    /// one would find no fallback face at all.
    pub(super) fn attrs(&self, span_index: usize, extra_spacing: f32, upright: bool) -> Attrs<'_> {
        Attrs::new()
            .family(Family::Name(&self.family))
            .weight(Weight(self.weight))
            .style(if self.italic && !upright {
                cosmic_text::Style::Italic
            } else {
                cosmic_text::Style::Normal
            })
            .metrics(Metrics::new(self.font_size, self.font_size * 1.2))
            // cosmic-text's letter spacing is in em.
            .letter_spacing((self.letter_spacing + extra_spacing) / self.font_size)
            .metadata(span_index)
    }
}

pub(super) fn span_font(
    font_system: &mut FontSystem,
    catalog: &mut FontCatalog,
    style: &TextStyle,
) -> SpanFont {
    let family = catalog.resolve(&style.font_family).to_string();
    let weight = style.font_weight.clamp(1, 1000);
    let italic = style.font_style == FontStyle::Italic;
    let font_size = style.used_font_size();
    let face = match catalog.primary_face(font_system, &family, weight, italic) {
        Some(id) => catalog.face_metrics(font_system, id),
        None => catalog.face_metrics(font_system, cosmic_text::fontdb::ID::dummy()),
    };
    SpanFont {
        family,
        weight,
        italic,
        font_size,
        letter_spacing: finite_or_zero(style.letter_spacing),
        word_spacing: finite_or_zero(style.word_spacing),
        line_height: style.line_height,
        decoration: style.decoration.line,
        sized: face.at_size(font_size),
        face,
    }
}

pub(super) fn finite_or_zero(value: f32) -> f32 {
    if value.is_finite() {
        value
    } else {
        0.0
    }
}

impl SpanFont {
    /// (kind, top y, thickness) of each decoration line this span draws,
    /// from its primary face's underline and strike-out metrics.
    pub(super) fn decoration_strokes(&self, baseline: f32) -> Vec<(DecorationKind, f32, f32)> {
        let mut strokes = Vec::new();
        let size = self.font_size;
        if self.decoration.underline {
            let thickness = (self.face.underline_thickness * size).max(1.0);
            // Blink keeps at least a 1px gap between baseline and underline.
            let gap = (self.face.underline_offset * size).round().max(1.0);
            strokes.push((DecorationKind::Underline, baseline + gap, thickness));
        }
        if self.decoration.overline {
            let thickness = (self.face.underline_thickness * size).max(1.0);
            strokes.push((
                DecorationKind::Overline,
                baseline - self.sized.ascent,
                thickness,
            ));
        }
        if self.decoration.line_through {
            let thickness = (self.face.strikeout_thickness * size).max(1.0);
            strokes.push((
                DecorationKind::LineThrough,
                baseline - self.face.strikeout_offset * size,
                thickness,
            ));
        }
        strokes
    }
}

/// Characters whose fonts normally have no italic face: CJK ideographs,
/// kana, Hangul, CJK punctuation and full-width forms, and emoji.
pub(super) fn lacks_italic(c: char) -> bool {
    matches!(c as u32,
        0x2E80..=0x9FFF | 0xAC00..=0xD7AF | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFFEF
        | 0x20000..=0x3FFFF | 0x2600..=0x27BF | 0x1F000..=0x1FAFF)
}
