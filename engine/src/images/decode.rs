//! Bytes to a picture. The format is sniffed from the bytes (PNG, JPEG,
//! GIF, WebP... by their signatures; SVG by its first element), never from
//! a file name, URL or content type: servers and CDNs often get those wrong.
//!
//! Raster pictures are bounded before any pixel is allocated: the header's
//! dimensions are read first (a few bytes of a PNG, the markers of a JPEG)
//! and a picture past [`MAX_IMAGE_SIDE`] or [`MAX_IMAGE_PIXELS`] is refused
//! as too large; the decode itself runs under `image`'s [`image::Limits`]
//! (the same dimensions, and [`MAX_DECODE_ALLOC`]). A 0.5 MB PNG declaring
//! 20,000x20,000 pixels (a decompression bomb: 1.6 GB as RGBA) costs only
//! its header. A GIF decodes its first frame only (`<image>` shows it still),
//! so no animation's frames are ever held.

use super::svg::{looks_like_svg, SvgPicture};
use std::io::Cursor;

/// The longest side a raster picture may have, in pixels. 16,384 is the
/// largest texture side of current phone and desktop GPUs (and Chromium's
/// own limit for a GPU-rasterised image side); long "poster" pictures of
/// 1080x16000 still load.
pub const MAX_IMAGE_SIDE: u32 = 16_384;

/// The most pixels a raster picture may have: 32 Mi (128 MiB as RGBA, e.g.
/// 4096x8192 or a 1080x16000 poster twice over). A phone camera photo is
/// 12-50 M pixels; past this a picture costs more memory than a mini
/// program page should (WeChat's own `<image>` downsamples such pictures).
pub const MAX_IMAGE_PIXELS: u64 = 32 << 20;

/// The most a decoder may allocate at once: the RGBA output of the largest
/// allowed picture plus as much again for the decoder's own buffers (a
/// 16-bit PNG's rows, a JPEG's planes).
pub const MAX_DECODE_ALLOC: u64 = 2 * MAX_IMAGE_PIXELS * 4;

/// A decoded picture, before it gets a renderer key.
#[derive(Debug)]
pub enum Decoded {
    /// Pixels of a raster format (GIF: its first frame).
    Raster(image::RgbaImage),
    /// A vector picture, rasterised later at the size it is drawn.
    Svg(SvgPicture),
}

impl Decoded {
    /// Natural size in CSS px (a raster pixel is one CSS px, as in WeChat).
    pub fn natural_size(&self) -> (f32, f32) {
        match self {
            Decoded::Raster(img) => (img.width() as f32, img.height() as f32),
            Decoded::Svg(svg) => svg.natural_size(),
        }
    }

    /// Bytes its pixels take once decoded (SVG: its source tree is small;
    /// its rasterisation is counted by the store).
    pub fn raster_bytes(&self) -> usize {
        match self {
            Decoded::Raster(img) => img.as_raw().len(),
            Decoded::Svg(_) => 0,
        }
    }
}

/// The limits every raster decode runs under.
fn limits() -> image::Limits {
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(MAX_IMAGE_SIDE);
    limits.max_image_height = Some(MAX_IMAGE_SIDE);
    limits.max_alloc = Some(MAX_DECODE_ALLOC);
    limits
}

/// Why a picture of `width` x `height` pixels is refused, if it is.
pub fn too_large(width: u32, height: u32) -> Option<String> {
    let pixels = u64::from(width) * u64::from(height);
    (width > MAX_IMAGE_SIDE || height > MAX_IMAGE_SIDE || pixels > MAX_IMAGE_PIXELS).then(|| {
        format!(
            "is too large: {width}x{height} pixels (at most {MAX_IMAGE_SIDE} on a side and \
             {} million pixels)",
            MAX_IMAGE_PIXELS >> 20
        )
    })
}

/// Decodes `bytes`; the error is a short reason for a diagnostic.
pub fn decode(bytes: &[u8]) -> Result<Decoded, String> {
    if let Ok(format) = image::guess_format(bytes) {
        return decode_raster(bytes, format).map(Decoded::Raster);
    }
    if looks_like_svg(bytes) {
        return SvgPicture::parse(bytes).map(Decoded::Svg);
    }
    Err("is not a known image format".to_owned())
}

fn decode_raster(bytes: &[u8], format: image::ImageFormat) -> Result<image::RgbaImage, String> {
    let reader = |limits: image::Limits| {
        let mut reader = image::ImageReader::with_format(Cursor::new(bytes), format);
        reader.limits(limits);
        reader
    };
    // The header first: a bomb is refused before its pixels exist. (Its
    // reader leaves the sides unlimited, so that the refusal can say how
    // large the picture claims to be; reading a header allocates nothing
    // that depends on them.)
    let mut header_limits = image::Limits::default();
    header_limits.max_alloc = Some(MAX_DECODE_ALLOC);
    let (width, height) = reader(header_limits)
        .into_dimensions()
        .map_err(|e| describe(&e))?;
    if let Some(reason) = too_large(width, height) {
        return Err(reason);
    }
    let image = reader(limits()).decode().map_err(|e| describe(&e))?;
    Ok(match image {
        image::DynamicImage::ImageRgba8(rgba) => rgba,
        other => other.to_rgba8(),
    })
}

fn describe(error: &image::ImageError) -> String {
    match error {
        image::ImageError::Limits(_) => format!("is too large to decode ({error})"),
        _ => format!("cannot be decoded: {error}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(width: u32, height: u32) -> Vec<u8> {
        let mut bytes = Vec::new();
        image::RgbaImage::new(width, height)
            .write_to(&mut Cursor::new(&mut bytes), image::ImageFormat::Png)
            .expect("encodes");
        bytes
    }

    #[test]
    fn ordinary_pictures_decode() {
        match decode(&png(3, 2)) {
            Ok(Decoded::Raster(img)) => assert_eq!(img.dimensions(), (3, 2)),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn limits_are_sides_and_area() {
        assert_eq!(too_large(MAX_IMAGE_SIDE, 1), None);
        assert!(too_large(MAX_IMAGE_SIDE + 1, 1).is_some());
        assert!(too_large(1, MAX_IMAGE_SIDE + 1).is_some());
        assert_eq!(too_large(4096, 8192), None);
        let message = too_large(8192, 8192).expect("64 M pixels is too many");
        assert!(message.contains("too large") && message.contains("8192x8192"));
    }
}
