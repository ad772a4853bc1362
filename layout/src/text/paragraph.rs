//! The input of text layout: a paragraph of styled spans.
//!
//! A [`Paragraph`] is what one text leaf of the layout tree holds: the runs of
//! a `<text>` element (and its nested inline children) flattened into spans,
//! plus the block-level text properties of the paragraph root.
//!
//! Invariant: [`Paragraph::layout_hash`] covers exactly the fields that change
//! measurement or glyph positions (text, fonts, spacing, line height,
//! white-space, alignment, clamping, decoration lines). Colours and shadows
//! are left out on purpose, so a colour animation never misses the text
//! caches.

use crate::style::{
    Color, ComputedStyle, FontStyle, LineHeight, Shadow, TextAlign, TextDecoration, TextOverflow,
    WhiteSpace, WordBreak,
};
use std::hash::{Hash, Hasher};

/// The largest font size text is laid out and drawn at, in CSS px: larger
/// sizes are clamped to it. Chromium clamps computed font sizes to the same
/// 10,000 px (`FontDescription`'s maximum allowed size); a glyph that size is
/// still drawn in bounded time because the rasterisers scale glyphs past
/// their own raster cap (see `cirrus_render::glyph_size`).
pub const MAX_FONT_SIZE_PX: f32 = 10_000.0;

/// The style of one run of text.
#[derive(Clone, Debug, PartialEq)]
pub struct TextStyle {
    /// px
    pub font_size: f32,
    /// 100..=900
    pub font_weight: u16,
    pub font_style: FontStyle,
    /// Family names in priority order; generic names kept as written.
    pub font_family: Vec<String>,
    pub color: Color,
    /// px
    pub letter_spacing: f32,
    /// px
    pub word_spacing: f32,
    pub line_height: LineHeight,
    pub decoration: TextDecoration,
    pub text_shadow: Option<Shadow>,
}

impl TextStyle {
    pub fn from_computed(style: &ComputedStyle) -> Self {
        TextStyle {
            font_size: style.font_size,
            font_weight: style.font_weight,
            font_style: style.font_style,
            font_family: style.font_family.clone(),
            color: style.color,
            letter_spacing: style.letter_spacing,
            word_spacing: style.word_spacing,
            line_height: style.line_height,
            decoration: style.text_decoration,
            text_shadow: style.text_shadow,
        }
    }

    /// The font size layout uses: positive and finite (a zero or broken size
    /// would make cosmic-text divide by zero), and at most
    /// [`MAX_FONT_SIZE_PX`].
    pub(crate) fn used_font_size(&self) -> f32 {
        if self.font_size.is_finite() && self.font_size > 0.0 {
            self.font_size.min(MAX_FONT_SIZE_PX)
        } else {
            0.01
        }
    }

    fn hash_layout<H: Hasher>(&self, state: &mut H) {
        self.font_size.to_bits().hash(state);
        self.font_weight.hash(state);
        (self.font_style as u8).hash(state);
        self.font_family.hash(state);
        self.letter_spacing.to_bits().hash(state);
        self.word_spacing.to_bits().hash(state);
        hash_line_height(self.line_height, state);
        let line = self.decoration.line;
        (line.underline, line.overline, line.line_through).hash(state);
    }
}

impl Default for TextStyle {
    fn default() -> Self {
        TextStyle::from_computed(&ComputedStyle::default())
    }
}

/// One run of text with one style.
#[derive(Clone, Debug, PartialEq)]
pub struct TextSpan {
    pub text: String,
    pub style: TextStyle,
}

impl TextSpan {
    pub fn new(text: impl Into<String>, style: TextStyle) -> Self {
        TextSpan {
            text: text.into(),
            style,
        }
    }
}

/// A paragraph: the spans of one text leaf and its block-level text style.
#[derive(Clone, Debug, PartialEq)]
pub struct Paragraph {
    pub spans: Vec<TextSpan>,
    pub text_align: TextAlign,
    pub white_space: WhiteSpace,
    pub word_break: WordBreak,
    /// `-webkit-line-clamp`: at most this many lines, the last ending in "…".
    pub line_clamp: Option<u32>,
    pub text_overflow: TextOverflow,
    /// The paragraph root's own font and line height: they set the "strut"
    /// every line box is at least as tall as (CSS 2 §10.8.1), even where all
    /// spans are smaller. `root_style.line_height` is the paragraph's line height.
    pub root_style: TextStyle,
}

impl Paragraph {
    pub fn from_computed(style: &ComputedStyle, spans: Vec<TextSpan>) -> Self {
        Paragraph {
            spans,
            text_align: style.text_align,
            white_space: style.white_space,
            word_break: style.word_break,
            line_clamp: style.line_clamp.filter(|lines| *lines > 0),
            text_overflow: style.text_overflow,
            root_style: TextStyle::from_computed(style),
        }
    }

    /// A paragraph of one span styled like the root.
    pub fn plain(style: &ComputedStyle, text: impl Into<String>) -> Self {
        let span = TextSpan::new(text, TextStyle::from_computed(style));
        Paragraph::from_computed(style, vec![span])
    }

    /// The paragraph root's line height (`line-height` of the text element).
    pub fn line_height(&self) -> LineHeight {
        self.root_style.line_height
    }

    /// Hash of everything that changes measurement or glyph placement; the
    /// key of the text caches.
    pub fn layout_hash(&self) -> u64 {
        // foldhash's quality hasher with a fixed seed: several times faster
        // than SipHash on text (this runs for every measure), and the same
        // in every run, so cache behaviour is deterministic.
        let mut state =
            std::hash::BuildHasher::build_hasher(&foldhash::quality::FixedState::default());
        self.spans.len().hash(&mut state);
        for span in &self.spans {
            span.text.hash(&mut state);
            span.style.hash_layout(&mut state);
        }
        (self.text_align as u8).hash(&mut state);
        (self.white_space as u8).hash(&mut state);
        (self.word_break as u8).hash(&mut state);
        self.line_clamp.hash(&mut state);
        (self.text_overflow as u8).hash(&mut state);
        self.root_style.hash_layout(&mut state);
        state.finish()
    }
}

fn hash_line_height<H: Hasher>(line_height: LineHeight, state: &mut H) {
    match line_height {
        LineHeight::Normal => 0u8.hash(state),
        LineHeight::Number(n) => {
            1u8.hash(state);
            n.to_bits().hash(state);
        }
        LineHeight::Px(px) => {
            2u8.hash(state);
            px.to_bits().hash(state);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colour_does_not_change_the_layout_hash_but_text_does() {
        let style = ComputedStyle::default();
        let base = Paragraph::plain(&style, "hello");
        let mut recoloured = base.clone();
        recoloured.spans[0].style.color = Color::WHITE;
        assert_eq!(base.layout_hash(), recoloured.layout_hash());
        let mut retyped = base.clone();
        retyped.spans[0].text.push('!');
        assert_ne!(base.layout_hash(), retyped.layout_hash());
        let mut resized = base.clone();
        resized.spans[0].style.font_size = 17.0;
        assert_ne!(base.layout_hash(), resized.layout_hash());
    }
}
