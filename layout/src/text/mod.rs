//! Text: measuring paragraphs for layout and shaping them for paint, with
//! cosmic-text.
//!
//! [`TextSystem`] owns the `cosmic_text::FontSystem` (system fonts, generic
//! families resolved as Chromium on Linux does, see `fonts`) and three caches
//! that live across frames, all keyed by [`Paragraph::layout_hash`]:
//! - prepared paragraphs: the white-space-processed text in a cosmic-text
//!   `Buffer`, shaped once; a new width only re-wraps it;
//! - measurements: (hash, width constraint) -> size;
//! - shaped output for paint: (hash, width) -> `Arc<ShapedParagraph>`.
//!
//! Line boxes are computed here, not by cosmic-text: each line is as tall as
//! the CSS inline formatting model says (the root's strut plus every span's
//! ascent/descent with half-leading, Chromium's rounded font metrics), and
//! cosmic-text is used for shaping, fallback and line breaking only.
//!
//! Caches are bounded: past a fixed number of entries a cache is emptied
//! whole (cheap, and a steady-state page refills it in one frame).

mod collapse;
mod fonts;
mod paragraph;
mod shaped;

pub use paragraph::{Paragraph, TextSpan, TextStyle};
pub use shaped::{DecorationKind, DecorationSegment, ShapedLine, ShapedParagraph};

use crate::error::LayoutError;
use crate::style::{FontStyle, LineHeight, TextDecorationLine, TextAlign, TextOverflow, WhiteSpace, WordBreak};
use collapse::{collapse, Piece};
use cosmic_text::{Align, Attrs, Buffer, Family, FontSystem, Metrics, Shaping, Weight, Wrap};
use fonts::{FaceMetrics, FontCatalog, SizedMetrics};
use std::collections::HashMap;
use std::sync::Arc;
use taffy::geometry::Size;
use taffy::style::AvailableSpace;

/// Wrapping widths get this much slack, so text measured at its own
/// max-content width is never wrapped again by float error in the sums.
const WRAP_SLACK: f32 = 1.0 / 64.0;
const MAX_PREPARED: usize = 2048;
const MAX_MEASURES: usize = 16384;
const MAX_SHAPED: usize = 2048;
const ELLIPSIS: &str = "\u{2026}";

/// Counters for tests and profiling.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TextStats {
    /// Every `measure` call (taffy's cache decides how many there are).
    pub measure_calls: u64,
    /// `measure` calls that had to lay text out (missed the measure cache).
    pub measure_misses: u64,
    /// Every `shape` call.
    pub shape_calls: u64,
    /// `shape` calls that missed the shaped cache.
    pub shape_misses: u64,
    /// Paragraphs whose text was handed to cosmic-text for shaping.
    pub paragraphs_prepared: u64,
}

/// What width the text is laid out in.
#[derive(Clone, Copy, Debug, PartialEq)]
enum WidthConstraint {
    MinContent,
    MaxContent,
    Definite(f32),
}

impl WidthConstraint {
    fn key(self) -> (u8, u32) {
        match self {
            WidthConstraint::MinContent => (0, 0),
            WidthConstraint::MaxContent => (1, 0),
            WidthConstraint::Definite(width) => (2, width.to_bits()),
        }
    }
}

/// Font and line metrics of one span, resolved once per prepared paragraph.
struct SpanFont {
    family: String,
    weight: u16,
    italic: bool,
    font_size: f32,
    letter_spacing: f32,
    word_spacing: f32,
    line_height: LineHeight,
    decoration: TextDecorationLine,
    /// Primary face metrics (em) and at this size (px, rounded).
    face: FaceMetrics,
    sized: SizedMetrics,
}

impl SpanFont {
    /// Space above and below the baseline this span's inline box needs
    /// with metrics `sized` (CSS 2 §10.8.1 half-leading).
    fn extent(&self, sized: SizedMetrics) -> (f32, f32) {
        let content = sized.ascent + sized.descent;
        let line_height = match self.line_height {
            LineHeight::Normal => content + sized.line_gap,
            LineHeight::Number(factor) => factor * self.font_size,
            LineHeight::Px(px) => px,
        };
        let half_leading = (line_height - content) / 2.0;
        (sized.ascent + half_leading, sized.descent + half_leading)
    }

    fn attrs(&self, span_index: usize, extra_spacing: f32) -> Attrs<'_> {
        Attrs::new()
            .family(Family::Name(&self.family))
            .weight(Weight(self.weight))
            .style(if self.italic { cosmic_text::Style::Italic } else { cosmic_text::Style::Normal })
            .metrics(Metrics::new(self.font_size, self.font_size * 1.2))
            // cosmic-text's letter spacing is in em.
            .letter_spacing((self.letter_spacing + extra_spacing) / self.font_size)
            .metadata(span_index)
    }
}

/// A paragraph after white-space processing, shaped into a cosmic-text buffer.
struct Prepared {
    pieces: Vec<Piece>,
    /// Byte offset in the joined text where each buffer line starts.
    line_starts: Vec<usize>,
    spans: Vec<SpanFont>,
    /// The root's strut: (above, below) the baseline.
    strut: (f32, f32),
    buffer: Buffer,
    allows_wrap: bool,
    /// Wrap mode used for definite widths.
    wrap: Wrap,
    /// Wrap mode used to find the min-content width.
    min_content_wrap: Wrap,
    text_len: usize,
}

/// A line box computed from a cosmic-text layout run.
struct LineBox {
    top: f32,
    height: f32,
    baseline: f32,
    width: f32,
    /// End of the line's text as a byte offset in the joined text.
    text_end: usize,
}

/// Owns fonts and the text caches. One per render thread.
pub struct TextSystem {
    font_system: FontSystem,
    catalog: FontCatalog,
    prepared: HashMap<u64, Prepared>,
    measures: HashMap<(u64, (u8, u32)), (f32, f32)>,
    shaped: HashMap<(u64, u32), Arc<ShapedParagraph>>,
    stats: TextStats,
    /// First span text of every measure call that reached the text system.
    #[cfg(test)]
    pub(crate) measured_log: Vec<String>,
}

impl Default for TextSystem {
    fn default() -> Self {
        TextSystem::new()
    }
}

impl TextSystem {
    /// Loads the system fonts (fontconfig) and sets up generic families.
    pub fn new() -> Self {
        TextSystem::with_font_system(FontSystem::new())
    }

    /// Uses a prepared font system (e.g. with fonts loaded from memory).
    pub fn with_font_system(mut font_system: FontSystem) -> Self {
        let catalog = FontCatalog::new(&mut font_system);
        TextSystem {
            font_system,
            catalog,
            prepared: HashMap::new(),
            measures: HashMap::new(),
            shaped: HashMap::new(),
            stats: TextStats::default(),
            #[cfg(test)]
            measured_log: Vec::new(),
        }
    }

    /// The font system, for the painter's glyph rasteriser.
    pub fn font_system(&mut self) -> &mut FontSystem {
        &mut self.font_system
    }

    pub fn stats(&self) -> TextStats {
        self.stats
    }

    /// Loads a font (e.g. a ttf from `@font-face`) and returns the family
    /// names it provides. Clears the text caches: a new face can change how
    /// existing text resolves.
    pub fn load_font(&mut self, data: Vec<u8>) -> Result<Vec<String>, LayoutError> {
        let len = data.len();
        let ids = self
            .font_system
            .db_mut()
            .load_font_source(cosmic_text::fontdb::Source::Binary(Arc::new(data)));
        let mut families = Vec::new();
        for id in ids {
            if let Some(face) = self.font_system.db().face(id) {
                for (name, _) in &face.families {
                    if !families.contains(name) {
                        families.push(name.clone());
                    }
                }
            }
        }
        if families.is_empty() {
            return Err(LayoutError::NoFontFace { len });
        }
        self.catalog.refresh(&mut self.font_system);
        self.clear_caches();
        Ok(families)
    }

    /// Empties every text cache.
    pub fn clear_caches(&mut self) {
        self.prepared.clear();
        self.measures.clear();
        self.shaped.clear();
    }

    /// The installed family a CSS `font-family` list resolves to.
    pub fn resolve_family(&self, families: &[String]) -> &str {
        self.catalog.resolve(families)
    }

    /// Measures `paragraph` for taffy's measure function: the size of its
    /// content box given the known dimensions and the available space.
    pub fn measure(
        &mut self,
        paragraph: &Paragraph,
        known: Size<Option<f32>>,
        available: Size<AvailableSpace>,
    ) -> Size<f32> {
        self.stats.measure_calls += 1;
        if let (Some(width), Some(height)) = (known.width, known.height) {
            return Size { width, height };
        }
        #[cfg(test)]
        self.measured_log.push(paragraph.spans.first().map(|s| s.text.clone()).unwrap_or_default());

        let constraint = match known.width {
            Some(width) => definite_or_max(width),
            None => match available.width {
                AvailableSpace::Definite(width) => definite_or_max(width),
                AvailableSpace::MinContent => WidthConstraint::MinContent,
                AvailableSpace::MaxContent => WidthConstraint::MaxContent,
            },
        };
        let hash = paragraph.layout_hash();
        let key = (hash, constraint.key());
        let (width, height) = match self.measures.get(&key) {
            Some(size) => *size,
            None => {
                self.stats.measure_misses += 1;
                let size = self.measure_uncached(paragraph, hash, constraint);
                if self.measures.len() >= MAX_MEASURES {
                    self.measures.clear();
                }
                self.measures.insert(key, size);
                size
            }
        };
        Size { width: known.width.unwrap_or(width), height: known.height.unwrap_or(height) }
    }

    fn measure_uncached(&mut self, paragraph: &Paragraph, hash: u64, constraint: WidthConstraint) -> (f32, f32) {
        let TextSystem { font_system, catalog, prepared, stats, .. } = self;
        let Some(prepared) = prepare(font_system, catalog, prepared, stats, paragraph, hash) else {
            return (0.0, 0.0);
        };
        let (wrap, width) = match constraint {
            WidthConstraint::MaxContent => (Wrap::None, None),
            WidthConstraint::MinContent if prepared.allows_wrap => (prepared.min_content_wrap, Some(0.0)),
            WidthConstraint::Definite(width) if prepared.allows_wrap => (prepared.wrap, Some(width + WRAP_SLACK)),
            WidthConstraint::MinContent | WidthConstraint::Definite(_) => (Wrap::None, None),
        };
        prepared.buffer.set_wrap(font_system, wrap);
        prepared.buffer.set_size(font_system, width, None);
        prepared.buffer.shape_until_scroll(font_system, false);
        let lines = line_boxes(font_system, catalog, &prepared.buffer, &prepared.spans, prepared.strut, &prepared.line_starts);
        let kept = paragraph.line_clamp.map_or(lines.len(), |clamp| lines.len().min(clamp as usize));
        let lines = &lines[..kept];
        let width = lines.iter().map(|line| line.width).fold(0.0f32, f32::max);
        let height = lines.last().map_or(0.0, |line| line.top + line.height);
        (ceil_to_layout_unit(width), height)
    }

    /// Shapes `paragraph` for paint at content-box width `width`: lines,
    /// glyphs, decorations, and the ellipsis of `line_clamp` or of
    /// `white-space: nowrap` + `text-overflow: ellipsis`. Cached.
    pub fn shape(&mut self, paragraph: &Paragraph, width: f32) -> Arc<ShapedParagraph> {
        self.stats.shape_calls += 1;
        let width = if width.is_finite() { width.max(0.0) } else { f32::MAX };
        let hash = paragraph.layout_hash();
        let key = (hash, width.to_bits());
        if let Some(shaped) = self.shaped.get(&key) {
            return Arc::clone(shaped);
        }
        self.stats.shape_misses += 1;
        let shaped = Arc::new(self.shape_uncached(paragraph, hash, width));
        if self.shaped.len() >= MAX_SHAPED {
            self.shaped.clear();
        }
        self.shaped.insert(key, Arc::clone(&shaped));
        shaped
    }

    fn shape_uncached(&mut self, paragraph: &Paragraph, hash: u64, width: f32) -> ShapedParagraph {
        let TextSystem { font_system, catalog, prepared, stats, .. } = self;
        let Some(prepared) = prepare(font_system, catalog, prepared, stats, paragraph, hash) else {
            return ShapedParagraph::default();
        };
        let buffer_width = if prepared.allows_wrap { width + WRAP_SLACK } else { width };
        let wrap = if prepared.allows_wrap { prepared.wrap } else { Wrap::None };
        prepared.buffer.set_wrap(font_system, wrap);
        prepared.buffer.set_size(font_system, Some(buffer_width), None);
        prepared.buffer.shape_until_scroll(font_system, false);
        let lines = line_boxes(font_system, catalog, &prepared.buffer, &prepared.spans, prepared.strut, &prepared.line_starts);

        // Decide whether (and where) the text must end in an ellipsis.
        let clamp = paragraph.line_clamp.map(|n| n as usize).filter(|n| lines.len() > *n);
        let overflowing_nowrap = !prepared.allows_wrap
            && paragraph.text_overflow == TextOverflow::Ellipsis
            && lines.first().is_some_and(|line| line.width > width + WRAP_SLACK);
        let max_lines = match (clamp, overflowing_nowrap) {
            (Some(n), _) => n,
            (None, true) => 1,
            (None, false) => return build_shaped(font_system, catalog, &prepared.buffer, prepared, width, None, false),
        };
        let cut = lines.get(max_lines.saturating_sub(1)).map_or(prepared.text_len, |line| line.text_end);

        // Binary search for the longest prefix that fits with "…" appended.
        let boundaries: Vec<usize> = joined_char_boundaries(&prepared.pieces, cut);
        let mut scratch = Buffer::new(font_system, prepared.buffer.metrics());
        scratch.set_wrap(font_system, wrap);
        scratch.set_size(font_system, Some(buffer_width), None);
        let fits = |scratch: &mut Buffer, font_system: &mut FontSystem, catalog: &mut FontCatalog, end: usize| {
            fill_buffer(font_system, scratch, &prepared.pieces, &prepared.spans, Some(end), true);
            scratch.shape_until_scroll(font_system, false);
            let probe = line_boxes(font_system, catalog, scratch, &prepared.spans, prepared.strut, &prepared.line_starts);
            probe.len() <= max_lines && (prepared.allows_wrap || probe.first().is_none_or(|l| l.width <= width + WRAP_SLACK))
        };
        let (mut low, mut high) = (0usize, boundaries.len().saturating_sub(1));
        while low < high {
            let middle = (low + high).div_ceil(2);
            if fits(&mut scratch, font_system, catalog, boundaries[middle]) {
                low = middle;
            } else {
                high = middle - 1;
            }
        }
        let end = boundaries.get(low).copied().unwrap_or(0);
        fill_buffer(font_system, &mut scratch, &prepared.pieces, &prepared.spans, Some(end), true);
        scratch.shape_until_scroll(font_system, false);
        build_shaped(font_system, catalog, &scratch, prepared, width, Some(max_lines), true)
    }
}

fn definite_or_max(width: f32) -> WidthConstraint {
    if width.is_finite() {
        WidthConstraint::Definite(width.max(0.0))
    } else {
        WidthConstraint::MaxContent
    }
}

/// Chromium keeps layout sizes in 1/64 px units and rounds text widths up.
fn ceil_to_layout_unit(value: f32) -> f32 {
    (value * 64.0 - 1e-3).ceil() / 64.0
}

/// Byte offsets (in the joined text) of every char boundary up to `cut`,
/// after dropping trailing spaces: candidates for where an ellipsis goes.
fn joined_char_boundaries(pieces: &[Piece], cut: usize) -> Vec<usize> {
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

/// Returns the prepared paragraph for `hash`, building it on a miss; `None`
/// for a paragraph without text.
fn prepare<'p>(
    font_system: &mut FontSystem,
    catalog: &mut FontCatalog,
    prepared: &'p mut HashMap<u64, Prepared>,
    stats: &mut TextStats,
    paragraph: &Paragraph,
    hash: u64,
) -> Option<&'p mut Prepared> {
    if !prepared.contains_key(&hash) {
        let pieces = collapse(paragraph.spans.iter().map(|s| s.text.as_str()), paragraph.white_space);
        if pieces.is_empty() {
            return None;
        }
        if prepared.len() >= MAX_PREPARED {
            prepared.clear();
        }
        stats.paragraphs_prepared += 1;
        let built = build_prepared(font_system, catalog, paragraph, pieces);
        prepared.insert(hash, built);
    }
    prepared.get_mut(&hash)
}

fn span_font(font_system: &mut FontSystem, catalog: &mut FontCatalog, style: &TextStyle) -> SpanFont {
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

fn finite_or_zero(value: f32) -> f32 {
    if value.is_finite() {
        value
    } else {
        0.0
    }
}

fn build_prepared(
    font_system: &mut FontSystem,
    catalog: &mut FontCatalog,
    paragraph: &Paragraph,
    pieces: Vec<Piece>,
) -> Prepared {
    let spans: Vec<SpanFont> =
        paragraph.spans.iter().map(|span| span_font(font_system, catalog, &span.style)).collect();
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
    fill_buffer_aligned(font_system, &mut buffer, &pieces, &spans, None, false, align);
    Prepared { text_len: offset, pieces, line_starts, spans, strut, buffer, allows_wrap, wrap, min_content_wrap }
}

/// Puts the pieces (cut at byte `end` of the joined text, plus "…" when
/// `ellipsis`) into `buffer`, keeping the buffer's current alignment.
fn fill_buffer(
    font_system: &mut FontSystem,
    buffer: &mut Buffer,
    pieces: &[Piece],
    spans: &[SpanFont],
    end: Option<usize>,
    ellipsis: bool,
) {
    let align = buffer.lines.first().and_then(|line| line.align()).unwrap_or(Align::Left);
    fill_buffer_aligned(font_system, buffer, pieces, spans, end, ellipsis, align);
}

fn fill_buffer_aligned(
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
        let Some(span) = spans.get(piece.span) else { continue };
        let limit = end.map_or(piece.text.len(), |end| end.saturating_sub(offset).min(piece.text.len()));
        offset += piece.text.len();
        let text = &piece.text[..limit];
        if text.is_empty() {
            continue;
        }
        last_span = piece.span;
        if span.word_spacing == 0.0 {
            rich.push((text, span.attrs(piece.span, 0.0)));
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
            rich.push((&text[start..run_end], span.attrs(piece.span, extra)));
            start = run_end;
        }
    }
    if ellipsis {
        if let Some(span) = spans.get(last_span) {
            rich.push((ELLIPSIS, span.attrs(last_span, 0.0)));
        }
    }
    let default_attrs = spans.first().map_or_else(Attrs::new, |span| span.attrs(0, 0.0));
    buffer.set_rich_text(font_system, rich, &default_attrs, Shaping::Advanced, Some(align));
}

/// Line boxes of the buffer's current layout (CSS 2 §10.8).
fn line_boxes(
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
            let Some(span) = spans.get(glyph.metadata) else { continue };
            let (span_above, span_below) = span.extent(span.sized);
            above = above.max(span_above);
            below = below.max(span_below);
            // With line-height: normal, fallback faces (CJK, emoji) can
            // make the line taller, as in Blink; a fixed line height ignores them.
            if span.line_height == LineHeight::Normal && last_face != Some((glyph.font_id, glyph.metadata)) {
                last_face = Some((glyph.font_id, glyph.metadata));
                let sized = catalog.face_metrics(font_system, glyph.font_id).at_size(glyph.font_size);
                let (face_above, face_below) = span.extent(sized);
                above = above.max(face_above);
                below = below.max(face_below);
            }
        }
        let line_start = line_starts.get(run.line_i).copied().unwrap_or(0);
        let width = trimmed_line_width(run.glyphs, run.text);
        lines.push(LineBox { top, height: above + below, baseline: top + above, width, text_end: line_start + text_end });
        top += above + below;
    }
    lines
}

/// The advance width of a line without its trailing spaces (CSS hangs them).
fn trimmed_line_width(glyphs: &[cosmic_text::LayoutGlyph], text: &str) -> f32 {
    let visible = glyphs.iter().filter(|glyph| {
        !text.get(glyph.start..glyph.end).is_some_and(|cluster| cluster.chars().all(char::is_whitespace))
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

fn build_shaped(
    font_system: &mut FontSystem,
    catalog: &mut FontCatalog,
    buffer: &Buffer,
    prepared: &Prepared,
    width: f32,
    max_lines: Option<usize>,
    ellipsized: bool,
) -> ShapedParagraph {
    let boxes = line_boxes(font_system, catalog, buffer, &prepared.spans, prepared.strut, &prepared.line_starts);
    let mut shaped = ShapedParagraph { ellipsized, ..ShapedParagraph::default() };
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
        push_decorations(&mut shaped.decorations, &glyphs, &prepared.spans, &line_box);
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

/// Decoration strokes for runs of consecutive glyphs of one decorated span.
fn push_decorations(
    out: &mut Vec<DecorationSegment>,
    glyphs: &[cosmic_text::LayoutGlyph],
    spans: &[SpanFont],
    line: &LineBox,
) {
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
            for (kind, y, thickness) in span.decoration_strokes(line.baseline) {
                out.push(DecorationSegment { kind, span: span_index, x: left, y, width: right - left, thickness });
            }
        }
        start = end;
    }
}

impl SpanFont {
    /// (kind, top y, thickness) of each decoration line this span draws,
    /// from its primary face's underline and strike-out metrics.
    fn decoration_strokes(&self, baseline: f32) -> Vec<(DecorationKind, f32, f32)> {
        let mut strokes = Vec::new();
        let size = self.font_size;
        if self.decoration.underline {
            let thickness = (self.face.underline_thickness * size).max(1.0);
            strokes.push((DecorationKind::Underline, baseline + self.face.underline_offset * size, thickness));
        }
        if self.decoration.overline {
            let thickness = (self.face.underline_thickness * size).max(1.0);
            strokes.push((DecorationKind::Overline, baseline - self.sized.ascent, thickness));
        }
        if self.decoration.line_through {
            let thickness = (self.face.strikeout_thickness * size).max(1.0);
            strokes.push((DecorationKind::LineThrough, baseline - self.face.strikeout_offset * size, thickness));
        }
        strokes
    }
}

#[cfg(test)]
mod tests;
