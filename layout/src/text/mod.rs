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
//!
//! Submodules: `paragraph` (the input types), `collapse` (white-space),
//! `fonts` (family resolution, Chromium-rounded metrics), `span_font` (a
//! span's resolved font), `prepared` (text in a shaped buffer), `lines`
//! (line boxes and paint output), `shaped` (the output types).

mod collapse;
mod fonts;
mod lines;
mod paragraph;
mod prepared;
mod shaped;
mod span_font;

pub use paragraph::{Paragraph, TextSpan, TextStyle, MAX_FONT_SIZE_PX};
pub use prepared::{MAX_SHAPED_CHARS, MAX_SHAPED_CHARS_PER_FRAME};
pub use shaped::{DecorationKind, DecorationSegment, ShapedLine, ShapedParagraph, SpanFragment};

use crate::error::LayoutError;
use crate::style::TextOverflow;
use cosmic_text::{Buffer, FontSystem, Wrap};
use fonts::FontCatalog;

/// The family names a font file provides; empty when the bytes are not a
/// font (TrueType, OpenType, WOFF is not supported by fontdb). Lets the
/// logic thread answer `wx.loadFontFace` without the render thread's
/// font system.
pub fn families_in_font(data: &[u8]) -> Vec<String> {
    let mut db = cosmic_text::fontdb::Database::new();
    db.load_font_data(data.to_vec());
    let mut families: Vec<String> = Vec::new();
    for face in db.faces() {
        for (name, _) in &face.families {
            if !families.contains(name) {
                families.push(name.clone());
            }
        }
    }
    families
}
use lines::{build_shaped, line_boxes};
use prepared::{fill_buffer, joined_char_boundaries, prepare, Prepared};
use std::sync::Arc;
use taffy::geometry::Size;
use taffy::style::AvailableSpace;

/// Wrapping widths get this much slack, so text measured at its own
/// max-content width is never wrapped again by float error in the sums.
const WRAP_SLACK: f32 = 1.0 / 64.0;
/// Hard caps for callers that never end frames (see `frame_cache`).
const MAX_PREPARED: usize = 16384;
const MAX_MEASURES: usize = 16384;
const MAX_SHAPED: usize = 16384;
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

/// A cached measurement.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Measured {
    width: f32,
    height: f32,
    /// Baseline of the first line from the top, if there is a line.
    first_baseline: Option<f32>,
}

/// Owns fonts and the text caches. One per render thread.
pub struct TextSystem {
    font_system: FontSystem,
    catalog: FontCatalog,
    prepared: crate::frame_cache::FrameCache<u64, Prepared>,
    /// Keys are already hashes: a fast hasher suffices.
    measures: crate::frame_cache::FrameCache<(u64, (u8, u32)), Measured>,
    shaped: crate::frame_cache::FrameCache<(u64, u32), Arc<ShapedParagraph>>,
    stats: TextStats,
    /// Characters this frame may still shape.
    budget: prepared::ShapingBudget,
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
            prepared: crate::frame_cache::FrameCache::new(MAX_PREPARED),
            measures: crate::frame_cache::FrameCache::new(MAX_MEASURES),
            shaped: crate::frame_cache::FrameCache::new(MAX_SHAPED),
            stats: TextStats::default(),
            budget: Default::default(),
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

    /// Loads a font under the family name a mini program gave it
    /// (`wx.loadFontFace({family})`, `@font-face { font-family }`): CSS
    /// naming `family` then uses this face, whatever its own names are.
    pub fn load_font_as(
        &mut self,
        family: &str,
        data: Vec<u8>,
    ) -> Result<Vec<String>, LayoutError> {
        let families = self.load_font(data)?;
        if let Some(installed) = families.first() {
            self.catalog.alias(family, installed);
        }
        self.clear_caches();
        Ok(families)
    }

    /// Ends a frame: measurements, prepared and shaped paragraphs that
    /// neither this frame nor the previous one used are freed (a page whose
    /// text keeps changing, a clock or a ticker, would otherwise fill them
    /// to their caps). The engine calls this after each paint; without it
    /// the caches are bounded by hard caps only. Text that did not change
    /// is not measured again anyway: taffy keeps its own layout cache.
    pub fn end_frame(&mut self) {
        self.budget.end_frame();
        self.measures.end_frame();
        self.prepared.end_frame();
        self.shaped.end_frame();
    }

    /// The whole shaping budget again (each layout pass starts with it).
    pub fn renew_shaping_budget(&mut self) {
        self.budget.end_frame();
    }

    /// How many paragraphs the frame's shaping budget put off since the
    /// last call ([`MAX_SHAPED_CHARS_PER_FRAME`]): their nodes lay out again
    /// in a later frame.
    pub fn take_deferred(&mut self) -> usize {
        self.budget.take_deferred()
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
        self.measured_log.push(
            paragraph
                .spans
                .first()
                .map(|s| s.text.clone())
                .unwrap_or_default(),
        );

        let constraint = match known.width {
            Some(width) => definite_or_max(width),
            None => match available.width {
                AvailableSpace::Definite(width) => definite_or_max(width),
                AvailableSpace::MinContent => WidthConstraint::MinContent,
                AvailableSpace::MaxContent => WidthConstraint::MaxContent,
            },
        };
        let measured = self.measured(paragraph, constraint);
        Size {
            width: known.width.unwrap_or(measured.width),
            height: known.height.unwrap_or(measured.height),
        }
    }

    /// The baseline of the paragraph's first line, from the top of its
    /// content box, when laid out at content-box width `width`; `None` for
    /// a paragraph without text. Shares the measure cache (layout has just
    /// measured at that width), for flex `align-items: baseline`.
    pub fn first_baseline(&mut self, paragraph: &Paragraph, width: f32) -> Option<f32> {
        self.measured(paragraph, definite_or_max(width))
            .first_baseline
    }

    fn measured(&mut self, paragraph: &Paragraph, constraint: WidthConstraint) -> Measured {
        let hash = paragraph.layout_hash();
        let key = (hash, constraint.key());
        if let Some(measured) = self.measures.get_mut(&key) {
            return *measured;
        }
        self.stats.measure_misses += 1;
        let deferred_before = self.budget.deferred;
        let measured = self.measure_uncached(paragraph, hash, constraint);
        // A paragraph the frame's budget put off is measured empty for now,
        // and not remembered: the layout asks again in a later frame.
        if self.budget.deferred == deferred_before {
            self.measures.insert(key, measured);
        }
        measured
    }

    fn measure_uncached(
        &mut self,
        paragraph: &Paragraph,
        hash: u64,
        constraint: WidthConstraint,
    ) -> Measured {
        let TextSystem {
            font_system,
            catalog,
            prepared,
            stats,
            budget,
            ..
        } = self;
        let Some(prepared) = prepare(
            font_system,
            catalog,
            prepared,
            stats,
            budget,
            paragraph,
            hash,
        ) else {
            return Measured {
                width: 0.0,
                height: 0.0,
                first_baseline: None,
            };
        };
        let (wrap, width) = match constraint {
            WidthConstraint::MaxContent => (Wrap::None, None),
            WidthConstraint::MinContent if prepared.allows_wrap => {
                (prepared.min_content_wrap, Some(0.0))
            }
            WidthConstraint::Definite(width) if prepared.allows_wrap => {
                (prepared.wrap, Some(width + WRAP_SLACK))
            }
            WidthConstraint::MinContent | WidthConstraint::Definite(_) => (Wrap::None, None),
        };
        prepared.buffer.set_wrap(font_system, wrap);
        prepared.buffer.set_size(font_system, width, None);
        prepared.buffer.shape_until_scroll(font_system, false);
        let lines = line_boxes(
            font_system,
            catalog,
            &prepared.buffer,
            &prepared.spans,
            prepared.strut,
            &prepared.line_starts,
        );
        let kept = paragraph
            .line_clamp
            .map_or(lines.len(), |clamp| lines.len().min(clamp as usize));
        let lines = &lines[..kept];
        let width = lines.iter().map(|line| line.width).fold(0.0f32, f32::max);
        let height = lines.last().map_or(0.0, |line| line.top + line.height);
        Measured {
            width: ceil_to_layout_unit(width),
            height,
            first_baseline: lines.first().map(|line| line.baseline),
        }
    }

    /// Shapes `paragraph` for paint at content-box width `width`: lines,
    /// glyphs, decorations, and the ellipsis of `line_clamp` or of
    /// `white-space: nowrap` + `text-overflow: ellipsis`. Cached.
    pub fn shape(&mut self, paragraph: &Paragraph, width: f32) -> Arc<ShapedParagraph> {
        self.stats.shape_calls += 1;
        let width = if width.is_finite() {
            width.max(0.0)
        } else {
            f32::MAX
        };
        let hash = paragraph.layout_hash();
        let key = (hash, width.to_bits());
        if let Some(shaped) = self.shaped.get_mut(&key) {
            return Arc::clone(shaped);
        }
        self.stats.shape_misses += 1;
        let deferred_before = self.budget.deferred;
        let shaped = Arc::new(self.shape_uncached(paragraph, hash, width));
        if self.budget.deferred == deferred_before {
            self.shaped.insert(key, Arc::clone(&shaped));
        }
        shaped
    }

    fn shape_uncached(&mut self, paragraph: &Paragraph, hash: u64, width: f32) -> ShapedParagraph {
        let TextSystem {
            font_system,
            catalog,
            prepared,
            stats,
            budget,
            ..
        } = self;
        let Some(prepared) = prepare(
            font_system,
            catalog,
            prepared,
            stats,
            budget,
            paragraph,
            hash,
        ) else {
            return ShapedParagraph::default();
        };
        let buffer_width = if prepared.allows_wrap {
            width + WRAP_SLACK
        } else {
            width
        };
        let wrap = if prepared.allows_wrap {
            prepared.wrap
        } else {
            Wrap::None
        };
        prepared.buffer.set_wrap(font_system, wrap);
        prepared
            .buffer
            .set_size(font_system, Some(buffer_width), None);
        prepared.buffer.shape_until_scroll(font_system, false);
        let lines = line_boxes(
            font_system,
            catalog,
            &prepared.buffer,
            &prepared.spans,
            prepared.strut,
            &prepared.line_starts,
        );

        // Decide whether (and where) the text must end in an ellipsis.
        let clamp = paragraph
            .line_clamp
            .map(|n| n as usize)
            .filter(|n| lines.len() > *n);
        let overflowing_nowrap = !prepared.allows_wrap
            && paragraph.text_overflow == TextOverflow::Ellipsis
            && lines
                .first()
                .is_some_and(|line| line.width > width + WRAP_SLACK);
        let max_lines = match (clamp, overflowing_nowrap) {
            (Some(n), _) => n,
            (None, true) => 1,
            (None, false) => {
                return build_shaped(
                    font_system,
                    catalog,
                    &prepared.buffer,
                    prepared,
                    width,
                    None,
                    false,
                )
            }
        };
        let cut = lines
            .get(max_lines.saturating_sub(1))
            .map_or(prepared.text_len, |line| line.text_end);

        // Binary search for the longest prefix that fits with "…" appended.
        let boundaries: Vec<usize> = joined_char_boundaries(&prepared.pieces, cut);
        let mut scratch = Buffer::new(font_system, prepared.buffer.metrics());
        scratch.set_wrap(font_system, wrap);
        scratch.set_size(font_system, Some(buffer_width), None);
        let fits = |scratch: &mut Buffer,
                    font_system: &mut FontSystem,
                    catalog: &mut FontCatalog,
                    end: usize| {
            fill_buffer(
                font_system,
                scratch,
                &prepared.pieces,
                &prepared.spans,
                Some(end),
                true,
                prepared.align,
            );
            scratch.shape_until_scroll(font_system, false);
            let probe = line_boxes(
                font_system,
                catalog,
                scratch,
                &prepared.spans,
                prepared.strut,
                &prepared.line_starts,
            );
            probe.len() <= max_lines
                && (prepared.allows_wrap
                    || probe.first().is_none_or(|l| l.width <= width + WRAP_SLACK))
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
        fill_buffer(
            font_system,
            &mut scratch,
            &prepared.pieces,
            &prepared.spans,
            Some(end),
            true,
            prepared.align,
        );
        scratch.shape_until_scroll(font_system, false);
        build_shaped(
            font_system,
            catalog,
            &scratch,
            prepared,
            width,
            Some(max_lines),
            true,
        )
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

#[cfg(test)]
mod fonts_tests;
#[cfg(test)]
mod tests;
