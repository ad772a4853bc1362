//! Registered images: premultiplied vello pixmaps with a mip chain (as the
//! GPU's textures, so that strongly downscaled images do not alias), crops
//! of source rectangles (sprites, `aspectFill`), which vello needs as images
//! of their own to pad them, and bilinear sampling for the per-pixel path.
//!
//! Invariant: level 0 is the image as registered (downscaled to
//! `MAX_IMAGE_SIDE` if larger); level n is level n-1 halved, down to 1x1.

use std::collections::HashMap;
use std::sync::Arc;

use vello_cpu::peniko::ImageAlphaType;
use vello_cpu::{PixelMetadata, Pixmap};

use crate::display_list::{ImageKey, Rect};

/// Larger images are downscaled to fit (vello pixmaps are u16 on a side).
pub const MAX_IMAGE_SIDE: u32 = 16_384;
/// Crops kept per image before the oldest are dropped.
const MAX_CROPS: usize = 32;

/// Which part of which level a crop holds, in that level's texels.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
struct CropKey {
    level: usize,
    x0: u32,
    y0: u32,
    x1: u32,
    y1: u32,
}

pub struct StoredImage {
    levels: Vec<Arc<Pixmap>>,
    crops: HashMap<CropKey, Arc<Pixmap>>,
}

/// The pixels to paint for a source rectangle: `pixmap`, whose texel
/// (0, 0) is texel `origin` of level `level`, where the source rectangle is
/// `src` (level texels, fractional).
pub struct Source {
    pub pixmap: Arc<Pixmap>,
    pub origin: (f64, f64),
    pub src: (f64, f64, f64, f64),
}

fn premultiplied_pixmap(rgba: &image::RgbaImage) -> Option<Pixmap> {
    let (width, height) = rgba.dimensions();
    if width == 0 || height == 0 || width > u16::MAX as u32 || height > u16::MAX as u32 {
        return None;
    }
    Some(Pixmap::from_parts(
        rgba.as_raw().clone(),
        width as u16,
        height as u16,
        PixelMetadata {
            may_have_transparency: true,
            alpha_type: ImageAlphaType::AlphaPremultiplied,
        },
    ))
}

impl StoredImage {
    /// Level 0 and its mip chain from straight-alpha pixels.
    fn new(rgba: &image::RgbaImage) -> Option<StoredImage> {
        let scaled;
        let source = if rgba.width() > MAX_IMAGE_SIDE || rgba.height() > MAX_IMAGE_SIDE {
            let factor = MAX_IMAGE_SIDE as f32 / rgba.width().max(rgba.height()) as f32;
            let w = ((rgba.width() as f32 * factor) as u32).clamp(1, MAX_IMAGE_SIDE);
            let h = ((rgba.height() as f32 * factor) as u32).clamp(1, MAX_IMAGE_SIDE);
            scaled = image::imageops::resize(rgba, w, h, image::imageops::FilterType::Triangle);
            &scaled
        } else {
            rgba
        };
        let (width, height) = source.dimensions();
        if width == 0 || height == 0 {
            return None;
        }
        let mut premultiplied = source.clone();
        for px in premultiplied.pixels_mut() {
            let a = px.0[3] as u32;
            for channel in &mut px.0[..3] {
                *channel = ((*channel as u32 * a + 127) / 255) as u8;
            }
        }
        // Levels are box-filtered on premultiplied pixels, as the GPU's.
        let count = 32 - width.max(height).leading_zeros();
        let mut levels = Vec::with_capacity(count as usize);
        let mut current = premultiplied;
        for level in 0..count {
            levels.push(Arc::new(premultiplied_pixmap(&current)?));
            let (w, h) = (
                (width >> (level + 1)).max(1),
                (height >> (level + 1)).max(1),
            );
            if level + 1 < count {
                current =
                    image::imageops::resize(&current, w, h, image::imageops::FilterType::Triangle);
            }
        }
        Some(StoredImage {
            levels,
            crops: HashMap::new(),
        })
    }

    /// Width and height of level 0.
    pub fn size(&self) -> (u32, u32) {
        self.levels
            .first()
            .map_or((0, 0), |p| (p.width() as u32, p.height() as u32))
    }

    /// Level `level` and its size relative to level 0 (x, y factors).
    pub fn level(&self, level: usize) -> Option<(&Pixmap, f64, f64)> {
        let (w0, h0) = self.size();
        let pixmap = self.levels.get(level)?;
        Some((
            pixmap,
            pixmap.width() as f64 / w0.max(1) as f64,
            pixmap.height() as f64 / h0.max(1) as f64,
        ))
    }

    /// The mip level for `texels_per_pixel` level-0 texels per device pixel
    /// (the nearest level; the GPU blends the two nearest).
    pub fn level_for(&self, texels_per_pixel: f64) -> usize {
        // NaN compares false: level 0.
        if texels_per_pixel.is_nan() || texels_per_pixel <= 1.0 || !texels_per_pixel.is_finite() {
            return 0;
        }
        let lod = texels_per_pixel.log2().round().max(0.0) as usize;
        lod.min(self.levels.len().saturating_sub(1))
    }

    /// The pixels for `src` (level-0 texels) at `level`; `None` when `src`
    /// lies outside the image.
    pub fn source(&mut self, level: usize, src: &Rect) -> Option<Source> {
        let (w0, h0) = self.size();
        let pixmap = self.levels.get(level)?.clone();
        let (lw, lh) = (pixmap.width() as f64, pixmap.height() as f64);
        let (sx, sy) = (lw / w0 as f64, lh / h0 as f64);
        let s = (
            src.x as f64 * sx,
            src.y as f64 * sy,
            src.width as f64 * sx,
            src.height as f64 * sy,
        );
        let whole = s.0.abs() < 1e-3
            && s.1.abs() < 1e-3
            && (s.2 - lw).abs() < 1e-3
            && (s.3 - lh).abs() < 1e-3;
        if whole {
            return Some(Source {
                pixmap,
                origin: (0.0, 0.0),
                src: s,
            });
        }
        // The texels the source rectangle touches, within the level.
        let x0 = s.0.floor().clamp(0.0, lw) as u32;
        let y0 = s.1.floor().clamp(0.0, lh) as u32;
        let x1 = (s.0 + s.2).ceil().clamp(0.0, lw) as u32;
        let y1 = (s.1 + s.3).ceil().clamp(0.0, lh) as u32;
        if x1 <= x0 || y1 <= y0 {
            return None;
        }
        let key = CropKey {
            level,
            x0,
            y0,
            x1,
            y1,
        };
        if !self.crops.contains_key(&key) {
            if self.crops.len() >= MAX_CROPS {
                self.crops.clear();
            }
            let (cw, ch) = (x1 - x0, y1 - y0);
            let stride = pixmap.width() as usize * 4;
            let bytes = pixmap.data_as_u8_slice();
            let mut data = Vec::with_capacity(cw as usize * ch as usize * 4);
            for row in y0..y1 {
                let start = row as usize * stride + x0 as usize * 4;
                let end = start + cw as usize * 4;
                data.extend_from_slice(bytes.get(start..end)?);
            }
            let crop = Pixmap::from_parts(
                data,
                cw as u16,
                ch as u16,
                PixelMetadata {
                    may_have_transparency: true,
                    alpha_type: ImageAlphaType::AlphaPremultiplied,
                },
            );
            self.crops.insert(key, Arc::new(crop));
        }
        Some(Source {
            pixmap: self.crops.get(&key)?.clone(),
            origin: (x0 as f64, y0 as f64),
            src: s,
        })
    }
}

/// Bilinear sample of premultiplied `pixmap` at texel coordinates (u, v)
/// (texel centres at .5), clamped to the edge as the GPU's sampler.
pub fn sample_bilinear(pixmap: &Pixmap, u: f32, v: f32) -> [f32; 4] {
    let (w, h) = (pixmap.width() as i32, pixmap.height() as i32);
    let data = pixmap.data_as_u8_slice();
    let (x, y) = (u - 0.5, v - 0.5);
    let (x0, y0) = (x.floor(), y.floor());
    let (fx, fy) = (x - x0, y - y0);
    let texel = |tx: i32, ty: i32| {
        let at = (ty.clamp(0, h - 1) as usize * w as usize + tx.clamp(0, w - 1) as usize) * 4;
        data.get(at..at + 4).map_or([0.0; 4], |p| {
            [p[0] as f32, p[1] as f32, p[2] as f32, p[3] as f32]
        })
    };
    let (ix, iy) = (x0 as i32, y0 as i32);
    let (a, b) = (texel(ix, iy), texel(ix + 1, iy));
    let (c, d) = (texel(ix, iy + 1), texel(ix + 1, iy + 1));
    std::array::from_fn(|i| {
        let top = a[i] + (b[i] - a[i]) * fx;
        let bottom = c[i] + (d[i] - c[i]) * fx;
        (top + (bottom - top) * fy) / 255.0
    })
}

/// Registered images by key.
#[derive(Default)]
pub struct ImageStore {
    images: HashMap<ImageKey, StoredImage>,
}

impl ImageStore {
    /// Stores `rgba` (straight alpha) under `key`, replacing any previous
    /// image; an empty image unregisters the key, as on the GPU.
    pub fn insert(&mut self, key: ImageKey, rgba: &image::RgbaImage) {
        match StoredImage::new(rgba) {
            Some(stored) => {
                self.images.insert(key, stored);
            }
            None => {
                self.images.remove(&key);
            }
        }
    }

    pub fn remove(&mut self, key: ImageKey) -> bool {
        self.images.remove(&key).is_some()
    }

    pub fn contains(&self, key: ImageKey) -> bool {
        self.images.contains_key(&key)
    }

    pub fn get_mut(&mut self, key: ImageKey) -> Option<&mut StoredImage> {
        self.images.get_mut(&key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mip_chain_halves_down_to_one_pixel() {
        let rgba = image::RgbaImage::from_pixel(8, 2, image::Rgba([255, 0, 0, 128]));
        let Some(stored) = StoredImage::new(&rgba) else {
            panic!("stored")
        };
        let sizes: Vec<(u16, u16)> = stored
            .levels
            .iter()
            .map(|p| (p.width(), p.height()))
            .collect();
        assert_eq!(sizes, vec![(8, 2), (4, 1), (2, 1), (1, 1)]);
        // Premultiplied.
        assert_eq!(stored.levels[0].data_as_u8_slice()[..4], [128, 0, 0, 128]);
    }

    #[test]
    fn bilinear_sampling_blends_and_clamps() {
        let rgba = image::RgbaImage::from_fn(2, 1, |x, _| image::Rgba([x as u8 * 255, 0, 0, 255]));
        let Some(stored) = StoredImage::new(&rgba) else {
            panic!("stored")
        };
        let Some((level, _, _)) = stored.level(0) else {
            panic!("level 0")
        };
        assert!((sample_bilinear(level, 1.0, 0.5)[0] - 0.5).abs() < 1e-6);
        assert_eq!(sample_bilinear(level, -5.0, 0.5)[0], 0.0);
        assert_eq!(sample_bilinear(level, 9.0, 0.5)[0], 1.0);
    }

    #[test]
    fn crops_cover_the_source_texels() {
        let rgba = image::RgbaImage::from_fn(4, 4, |x, y| image::Rgba([x as u8, y as u8, 0, 255]));
        let Some(mut stored) = StoredImage::new(&rgba) else {
            panic!("stored")
        };
        let Some(source) = stored.source(0, &Rect::new(1.5, 2.0, 2.0, 1.0)) else {
            panic!("inside")
        };
        assert_eq!(source.origin, (1.0, 2.0));
        assert_eq!((source.pixmap.width(), source.pixmap.height()), (3, 1));
        assert!(stored.source(0, &Rect::new(10.0, 10.0, 2.0, 2.0)).is_none());
    }
}
