//! The glyph cache: glyph images rasterised by swash (through cosmic-text's
//! `SwashCache`, exactly as the GPU atlas does) and kept as small vello
//! pixmaps, bounded by a byte budget.
//!
//! Mask glyphs are stored as premultiplied white with their coverage
//! (drawn with an alpha-mask tint in the run's colour); colour glyphs
//! (emoji) premultiplied. Invariant: entries used in the current frame are
//! never evicted (their pixmaps are shared with the frame's draw list).

use std::collections::HashMap;
use std::sync::Arc;

use cirrus_layout::cosmic_text::{CacheKey, FontSystem, SwashCache, SwashContent};
use vello_cpu::peniko::ImageAlphaType;
use vello_cpu::{PixelMetadata, Pixmap};

/// Default budget: about the GPU atlas's first pages' worth of glyphs.
pub const DEFAULT_BUDGET_BYTES: usize = 32 << 20;
/// Bookkeeping cost charged per entry, so that blank glyphs count too.
const ENTRY_OVERHEAD: usize = 64;

/// A rasterised glyph and where it goes relative to the pen position.
#[derive(Clone)]
pub struct GlyphImage {
    /// Offset of the image's left edge from the pen x, in pixels.
    pub left: i32,
    /// Offset of the image's top edge above the baseline, in pixels.
    pub top: i32,
    pub width: u32,
    pub height: u32,
    pub pixmap: Arc<Pixmap>,
    pub is_color: bool,
}

struct Entry {
    /// `None`: the glyph has no image (a space, or rasterisation failed).
    image: Option<GlyphImage>,
    last_used: u64,
    bytes: usize,
}

pub struct GlyphCache {
    swash: SwashCache,
    entries: HashMap<CacheKey, Entry>,
    bytes: usize,
    budget: usize,
    frame: u64,
}

impl GlyphCache {
    pub fn new(budget: usize) -> GlyphCache {
        GlyphCache {
            swash: SwashCache::new(),
            entries: HashMap::new(),
            bytes: 0,
            budget,
            frame: 0,
        }
    }

    pub fn begin_frame(&mut self) {
        self.frame += 1;
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Bytes held (pixels plus per-entry overhead).
    pub fn bytes(&self) -> usize {
        self.bytes
    }

    /// The image of `key` (rasterising it on a miss) and whether it missed.
    pub fn get(&mut self, fonts: &mut FontSystem, key: CacheKey) -> (Option<GlyphImage>, bool) {
        if let Some(entry) = self.entries.get_mut(&key) {
            entry.last_used = self.frame;
            return (entry.image.clone(), false);
        }
        let image = rasterise(&mut self.swash, fonts, key);
        let bytes = ENTRY_OVERHEAD
            + image
                .as_ref()
                .map_or(0, |i| (i.width * i.height * 4) as usize);
        self.bytes += bytes;
        self.entries.insert(
            key,
            Entry {
                image: image.clone(),
                last_used: self.frame,
                bytes,
            },
        );
        (image, true)
    }

    /// Evicts the least recently used glyphs not used this frame until the
    /// cache is back under three quarters of its budget.
    pub fn trim(&mut self) {
        if self.bytes <= self.budget {
            return;
        }
        let mut old: Vec<(u64, CacheKey)> = self
            .entries
            .iter()
            .filter(|(_, e)| e.last_used < self.frame)
            .map(|(k, e)| (e.last_used, *k))
            .collect();
        old.sort_unstable_by_key(|(used, _)| *used);
        let target = self.budget / 4 * 3;
        for (_, key) in old {
            if self.bytes <= target {
                break;
            }
            if let Some(entry) = self.entries.remove(&key) {
                self.bytes -= entry.bytes;
            }
        }
    }
}

fn rasterise(swash: &mut SwashCache, fonts: &mut FontSystem, key: CacheKey) -> Option<GlyphImage> {
    let image = swash.get_image_uncached(fonts, key)?;
    let (width, height) = (image.placement.width, image.placement.height);
    // vello pixmaps are at most u16 on a side; no real glyph comes close.
    if width == 0 || height == 0 || width > u16::MAX as u32 || height > u16::MAX as u32 {
        return None;
    }
    let pixel_count = (width * height) as usize;
    let (rgba, is_color) = match image.content {
        SwashContent::Mask => {
            let mut out = Vec::with_capacity(pixel_count * 4);
            for &coverage in image.data.iter().take(pixel_count) {
                out.extend_from_slice(&[coverage; 4]);
            }
            (out, false)
        }
        SwashContent::SubpixelMask => {
            // Collapse per-channel coverage to one alpha: grey AA, as the GPU.
            let mut out = Vec::with_capacity(pixel_count * 4);
            for px in image.data.chunks_exact(4).take(pixel_count) {
                let a = ((px[0] as u32 + px[1] as u32 + px[2] as u32) / 3) as u8;
                out.extend_from_slice(&[a; 4]);
            }
            (out, false)
        }
        SwashContent::Color => {
            let mut out = Vec::with_capacity(pixel_count * 4);
            for px in image.data.chunks_exact(4).take(pixel_count) {
                let a = px[3] as u32;
                let pm = |c: u8| ((c as u32 * a + 127) / 255) as u8;
                out.extend_from_slice(&[pm(px[0]), pm(px[1]), pm(px[2]), px[3]]);
            }
            (out, true)
        }
    };
    if rgba.len() != pixel_count * 4 {
        return None;
    }
    let pixmap = Pixmap::from_parts(
        rgba,
        width as u16,
        height as u16,
        PixelMetadata {
            may_have_transparency: true,
            alpha_type: ImageAlphaType::AlphaPremultiplied,
        },
    );
    Some(GlyphImage {
        left: image.placement.left,
        top: image.placement.top,
        width,
        height,
        pixmap: Arc::new(pixmap),
        is_color,
    })
}
