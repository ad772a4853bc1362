//! Bytes to a picture. The format is sniffed from the bytes (PNG, JPEG,
//! GIF, WebP... by their signatures; SVG by its first element), never from
//! a file name, URL or content type: servers and CDNs often get those wrong.

use super::svg::{looks_like_svg, SvgPicture};

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
}

/// Decodes `bytes`; the error is a short reason for a diagnostic.
pub fn decode(bytes: &[u8]) -> Result<Decoded, String> {
    if let Ok(format) = image::guess_format(bytes) {
        return image::load_from_memory_with_format(bytes, format)
            .map(|img| Decoded::Raster(img.to_rgba8()))
            .map_err(|e| format!("cannot be decoded: {e}"));
    }
    if looks_like_svg(bytes) {
        return SvgPicture::parse(bytes).map(Decoded::Svg);
    }
    Err("is not a known image format".to_owned())
}
