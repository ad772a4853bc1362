//! Glyphs too large to rasterise at their own size.
//!
//! Both rasterisers cache glyph images (the GPU atlas has 1,024-texel pages;
//! the CPU cache holds RGBA pixmaps), and rasterising is proportional to the
//! glyph's area: one glyph at `font-size: 20000px` was a 20,000-pixel-square
//! mask (over 60 s and 1 GB). A glyph whose font size exceeds
//! [`MAX_RASTER_FONT_PX`] is rasterised at that size and drawn scaled up to
//! its real size. Text that large is a display heading at most, where the
//! softer edges of a scaled mask are the accepted cost (browsers do the same
//! for very large glyphs that do not fit their glyph caches: Skia draws them
//! as paths, Chromium's GPU path as scaled distance fields).

use cirrus_layout::cosmic_text::CacheKey;

/// The largest font size, in device pixels, at which a glyph is rasterised
/// as itself. 256 px keeps a glyph's image at most about 256x320 texels
/// (a few per 1,024-texel atlas page, 320 KiB of RGBA in the CPU cache),
/// and covers every text size a phone page really uses (headings are under
/// 100 CSS px, 300 device px at dpr 3 only for the rare hero digit).
pub const MAX_RASTER_FONT_PX: f32 = 256.0;

/// The key to rasterise for `key` and the factor its image is drawn scaled
/// by (1 for every glyph at or under [`MAX_RASTER_FONT_PX`]).
pub fn raster_key(key: CacheKey) -> (CacheKey, f32) {
    let size = f32::from_bits(key.font_size_bits);
    if size.is_nan() || size <= MAX_RASTER_FONT_PX {
        // NaN: swash rasterises nothing for it, as before.
        return (key, 1.0);
    }
    let scaled = CacheKey {
        font_size_bits: MAX_RASTER_FONT_PX.to_bits(),
        ..key
    };
    // Infinite sizes never get here from layout (the font size is clamped to
    // 10,000 CSS px); the factor is clamped all the same so that placement
    // arithmetic stays finite.
    (scaled, (size / MAX_RASTER_FONT_PX).min(1.0e4))
}

/// A glyph image's placement (`left`, `top`, `width`, `height` in pixels,
/// as swash gives it for the rasterised key) at the drawn size.
pub fn scaled_placement(left: i32, top: i32, width: u32, height: u32, scale: f32) -> [f32; 4] {
    [
        left as f32 * scale,
        top as f32 * scale,
        width as f32 * scale,
        height as f32 * scale,
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use cirrus_layout::cosmic_text::{fontdb, CacheKeyFlags};

    fn key(size: f32) -> CacheKey {
        CacheKey::new(
            fontdb::ID::dummy(),
            7,
            size,
            (0.0, 0.0),
            CacheKeyFlags::empty(),
        )
        .0
    }

    #[test]
    fn small_glyphs_are_their_own_raster() {
        let k = key(16.0);
        assert_eq!(raster_key(k), (k, 1.0));
        let k = key(MAX_RASTER_FONT_PX);
        assert_eq!(raster_key(k), (k, 1.0));
    }

    #[test]
    fn huge_glyphs_share_one_capped_raster() {
        let (raster, scale) = raster_key(key(20_000.0));
        assert_eq!(f32::from_bits(raster.font_size_bits), MAX_RASTER_FONT_PX);
        assert_eq!(scale, 20_000.0 / MAX_RASTER_FONT_PX);
        assert_eq!(raster.glyph_id, 7);
        assert_eq!(raster_key(key(10_000.0)).0, raster);
    }
}
