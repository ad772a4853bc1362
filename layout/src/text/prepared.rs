//! Prepared paragraphs: white-space-processed text in a shaped cosmic-text
//! buffer, built once per paragraph hash and re-wrapped per width.
//!
//! Invariant: `line_starts[i]` is the byte offset, in the joined text of
//! `pieces`, where cosmic-text's buffer line `i` starts (the only line
//! separator left after `collapse` is `\n`).

use super::collapse::{collapse, Piece};
use super::fonts::FontCatalog;
use super::paragraph::Paragraph;
use super::span_font::{span_font, SpanFont};
use super::{TextStats, ELLIPSIS};
use crate::style::{TextAlign, WhiteSpace, WordBreak};
use cosmic_text::{Align, Attrs, Buffer, FontSystem, Metrics, Shaping, Wrap};

/// A paragraph after white-space processing, shaped into a cosmic-text buffer.
pub(super) struct Prepared {
    pub(super) pieces: Vec<Piece>,
    /// Byte offset in the joined text where each buffer line starts.
    pub(super) line_starts: Vec<usize>,
    pub(super) spans: Vec<SpanFont>,
    /// The root's strut: (above, below) the baseline.
    pub(super) strut: (f32, f32),
    pub(super) buffer: Buffer,
    pub(super) allows_wrap: bool,
    /// Wrap mode used for definite widths.
    pub(super) wrap: Wrap,
    /// Wrap mode used to find the min-content width.
    pub(super) min_content_wrap: Wrap,
    pub(super) align: Align,
    pub(super) text_len: usize,
}

/// Byte offsets (in the joined text) of every char boundary up to `cut`,
/// after dropping trailing spaces: candidates for where an ellipsis goes.
pub(super) fn joined_char_boundaries(pieces: &[Piece], cut: usize) -> Vec<usize> {
    let mut boundaries = vec![0];
    let mut offset = 0;
    for piece in pieces {
        for (index, c) in piece.text.char_indices() {
            let end = offset + index + c.len_utf8();
            if end > cut {
                return boundaries;
            }
            if !c.is_whitespace() {
                boundaries.push(end);
            }
        }
        offset += piece.text.len();
    }
    boundaries
}

/// The most characters of one paragraph that are shaped and drawn; the rest
/// is left out. 32,768 chars is about 80 screens of body text on a phone
/// (far more than any real text node shows), and shaping that many stays
/// within a frame's budget in a release build (about 30 ms), while a hostile
/// 1,000,000-char text node would otherwise take seconds per layout. Browsers
/// have no such cap; WeChat's `<text>` shows what its native view can hold.
pub const MAX_SHAPED_CHARS: usize = 32_768;

/// The span texts, cut so that together they hold at most
/// [`MAX_SHAPED_CHARS`] chars (a span past the cap becomes empty).
fn shaped_prefixes<'a>(texts: impl Iterator<Item = &'a str>) -> impl Iterator<Item = &'a str> {
    let mut left = MAX_SHAPED_CHARS;
    texts.map(move |text| {
        let end = text
            .char_indices()
            .nth(left)
            .map_or(text.len(), |(index, _)| index);
        let kept = &text[..end];
        left -= kept.chars().count().min(left);
        kept
    })
}

/// How many characters (counted as UTF-8 bytes) the paragraphs built in
/// one frame may shape together: 1 Mi, 32 paragraphs at [`MAX_SHAPED_CHARS`] (a long article is
/// some 50,000). A paragraph that would cross it waits for a later frame
/// (the first of a frame is always built, so every frame makes progress):
/// a page of thousands of huge text nodes renders over several frames
/// instead of freezing one.
pub const MAX_SHAPED_CHARS_PER_FRAME: usize = 1 << 20;

/// The frame's shaping budget (see [`MAX_SHAPED_CHARS_PER_FRAME`]).
#[derive(Debug)]
pub(super) struct ShapingBudget {
    left: usize,
    /// Paragraphs put off since the last [`ShapingBudget::take_deferred`].
    pub(super) deferred: usize,
}

impl Default for ShapingBudget {
    fn default() -> Self {
        ShapingBudget {
            left: MAX_SHAPED_CHARS_PER_FRAME,
            deferred: 0,
        }
    }
}

impl ShapingBudget {
    /// A new frame: the whole budget again.
    pub(super) fn end_frame(&mut self) {
        self.left = MAX_SHAPED_CHARS_PER_FRAME;
    }

    /// How many paragraphs were put off since the last call.
    pub(super) fn take_deferred(&mut self) -> usize {
        std::mem::take(&mut self.deferred)
    }

    /// Takes `chars` from the budget, or refuses (the first paragraph of a
    /// frame is never refused).
    fn admit(&mut self, chars: usize) -> bool {
        if chars > self.left && self.left < MAX_SHAPED_CHARS_PER_FRAME {
            self.deferred += 1;
            return false;
        }
        self.left = self.left.saturating_sub(chars);
        true
    }
}

/// Returns the prepared paragraph for `hash`, building it on a miss; `None`
/// for a paragraph without text, or one the frame's shaping budget puts
/// off (counted in `budget`).
pub(super) fn prepare<'p>(
    font_system: &mut FontSystem,
    catalog: &mut FontCatalog,
    prepared: &'p mut crate::frame_cache::FrameCache<u64, Prepared>,
    stats: &mut TextStats,
    budget: &mut ShapingBudget,
    paragraph: &Paragraph,
    hash: u64,
) -> Option<&'p mut Prepared> {
    if !prepared.contains_key(&hash) {
        let chars: usize = (paragraph.spans.iter())
            .map(|s| s.text.len())
            .sum::<usize>()
            .min(MAX_SHAPED_CHARS);
        if !budget.admit(chars) {
            return None;
        }
        let pieces = collapse(
            shaped_prefixes(paragraph.spans.iter().map(|s| s.text.as_str())),
            paragraph.white_space,
        );
        if pieces.is_empty() {
            return None;
        }
        stats.paragraphs_prepared += 1;
        let built = build_prepared(font_system, catalog, paragraph, pieces);
        prepared.insert(hash, built);
    }
    prepared.get_mut(&hash)
}

pub(super) fn build_prepared(
    font_system: &mut FontSystem,
    catalog: &mut FontCatalog,
    paragraph: &Paragraph,
    pieces: Vec<Piece>,
) -> Prepared {
    let spans: Vec<SpanFont> = paragraph
        .spans
        .iter()
        .map(|span| span_font(font_system, catalog, &span.style))
        .collect();
    let root = span_font(font_system, catalog, &paragraph.root_style);
    let strut = root.extent(root.sized);

    let mut line_starts = vec![0];
    let mut offset = 0;
    for piece in &pieces {
        for (index, c) in piece.text.char_indices() {
            if c == '\n' {
                line_starts.push(offset + index + 1);
            }
        }
        offset += piece.text.len();
    }

    let allows_wrap = !matches!(paragraph.white_space, WhiteSpace::NoWrap | WhiteSpace::Pre);
    // `word-break: normal` breaks at word boundaries only: like Chromium
    // (overflow-wrap is normal in Skyline), a word longer than the line overflows.
    let (wrap, min_content_wrap) = match paragraph.word_break {
        WordBreak::BreakAll => (Wrap::Glyph, Wrap::Glyph),
        WordBreak::Normal | WordBreak::KeepAll => (Wrap::Word, Wrap::Word),
    };
    let align = match paragraph.text_align {
        TextAlign::Start | TextAlign::Left => Align::Left,
        TextAlign::Center => Align::Center,
        TextAlign::Right | TextAlign::End => Align::Right,
        TextAlign::Justify => Align::Justified,
    };
    let metrics = Metrics::new(root.font_size, root.font_size * 1.2);
    let mut buffer = Buffer::new(font_system, metrics);
    buffer.set_tab_width(font_system, 8);
    fill_buffer(
        font_system,
        &mut buffer,
        &pieces,
        &spans,
        None,
        false,
        align,
    );
    Prepared {
        text_len: offset,
        pieces,
        line_starts,
        spans,
        strut,
        buffer,
        allows_wrap,
        wrap,
        min_content_wrap,
        align,
    }
}

/// Puts the pieces (cut at byte `end` of the joined text, plus "…" when
/// `ellipsis`) into `buffer`, every line aligned with `align`.
pub(super) fn fill_buffer(
    font_system: &mut FontSystem,
    buffer: &mut Buffer,
    pieces: &[Piece],
    spans: &[SpanFont],
    end: Option<usize>,
    ellipsis: bool,
    align: Align,
) {
    let mut rich: Vec<(&str, Attrs)> = Vec::new();
    let mut offset = 0;
    let mut last_span = 0;
    for piece in pieces {
        let Some(span) = spans.get(piece.span) else {
            continue;
        };
        let limit = end.map_or(piece.text.len(), |end| {
            end.saturating_sub(offset).min(piece.text.len())
        });
        offset += piece.text.len();
        let text = &piece.text[..limit];
        if text.is_empty() {
            continue;
        }
        last_span = piece.span;
        if span.word_spacing == 0.0 {
            push_runs(&mut rich, text, span, piece.span, 0.0);
            continue;
        }
        // word-spacing: spaces get the extra advance as letter spacing.
        let mut start = 0;
        let bytes = text.as_bytes();
        while start < text.len() {
            let is_space = bytes[start] == b' ';
            let run_end = text[start..]
                .char_indices()
                .find(|(_, c)| (*c == ' ') != is_space)
                .map_or(text.len(), |(i, _)| start + i);
            let extra = if is_space { span.word_spacing } else { 0.0 };
            push_runs(&mut rich, &text[start..run_end], span, piece.span, extra);
            start = run_end;
        }
    }
    if ellipsis {
        if let Some(span) = spans.get(last_span) {
            rich.push((ELLIPSIS, span.attrs(last_span, 0.0, false)));
        }
    }
    let default_attrs = spans
        .first()
        .map_or_else(Attrs::new, |span| span.attrs(0, 0.0, false));
    buffer.set_rich_text(
        font_system,
        rich,
        &default_attrs,
        Shaping::Advanced,
        Some(align),
    );
}

/// Pushes `text` of one span; in an italic span, runs of characters whose
/// fonts have no italic face are asked for upright (Chromium synthesises an
/// oblique there; a missing face would otherwise show empty boxes).
fn push_runs<'a>(
    rich: &mut Vec<(&'a str, Attrs<'a>)>,
    text: &'a str,
    span: &'a SpanFont,
    index: usize,
    extra: f32,
) {
    if !span.italic {
        rich.push((text, span.attrs(index, extra, false)));
        return;
    }
    let mut start = 0;
    while start < text.len() {
        let upright = text[start..]
            .chars()
            .next()
            .is_some_and(super::span_font::lacks_italic);
        let end = text[start..]
            .char_indices()
            .find(|(_, c)| super::span_font::lacks_italic(*c) != upright)
            .map_or(text.len(), |(i, _)| start + i);
        rich.push((&text[start..end], span.attrs(index, extra, upright)));
        start = end;
    }
}
