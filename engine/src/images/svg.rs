//! SVG pictures: parsed once with `usvg`, rasterised with `resvg` at the
//! device-pixel size they are drawn at (an icon scaled up stays sharp).

use resvg::tiny_skia;
use resvg::usvg;
use std::sync::Arc;

/// The largest side a rasterisation may have, in pixels (a huge `width`
/// attribute or a giant box must not allocate gigabytes).
const MAX_SIDE: u32 = 4096;

/// A parsed SVG document.
#[derive(Clone)]
pub struct SvgPicture {
    tree: Arc<usvg::Tree>,
}

impl std::fmt::Debug for SvgPicture {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SvgPicture({:?})", self.natural_size())
    }
}

impl SvgPicture {
    pub fn parse(bytes: &[u8]) -> Result<SvgPicture, String> {
        let tree = usvg::Tree::from_data(bytes, &usvg::Options::default())
            .map_err(|e| format!("invalid SVG: {e}"))?;
        Ok(SvgPicture {
            tree: Arc::new(tree),
        })
    }

    /// The document's size in CSS px (its `width`/`height`, else its
    /// `viewBox`; usvg falls back to 100x100).
    pub fn natural_size(&self) -> (f32, f32) {
        let size = self.tree.size();
        (size.width(), size.height())
    }

    /// The picture stretched onto `width` x `height` pixels (each clamped
    /// to 1..=4096), straight (not premultiplied) RGBA like decoded files.
    pub fn rasterize(&self, width: u32, height: u32) -> image::RgbaImage {
        let (width, height) = (width.clamp(1, MAX_SIDE), height.clamp(1, MAX_SIDE));
        let Some(mut pixmap) = tiny_skia::Pixmap::new(width, height) else {
            return image::RgbaImage::new(width, height);
        };
        let (nw, nh) = self.natural_size();
        let transform = tiny_skia::Transform::from_scale(
            width as f32 / nw.max(f32::EPSILON),
            height as f32 / nh.max(f32::EPSILON),
        );
        resvg::render(&self.tree, transform, &mut pixmap.as_mut());
        let mut rgba = pixmap.take();
        for px in rgba.chunks_exact_mut(4) {
            let alpha = px[3];
            if alpha != 0 && alpha != 255 {
                for channel in &mut px[..3] {
                    *channel =
                        ((*channel as u32 * 255 + alpha as u32 / 2) / alpha as u32).min(255) as u8;
                }
            }
        }
        image::RgbaImage::from_raw(width, height, rgba)
            .unwrap_or_else(|| image::RgbaImage::new(width, height))
    }
}

/// Whether `bytes` look like an SVG document: XML whose first element is
/// `<svg` (after an optional BOM, XML declaration, comments, doctype).
pub fn looks_like_svg(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(4096)];
    let text = String::from_utf8_lossy(head);
    let text = text.trim_start_matches('\u{feff}').trim_start();
    if !text.starts_with('<') {
        return false;
    }
    let mut rest = text;
    // Skip prolog items (`<?xml …?>`, `<!-- … -->`, `<!DOCTYPE …>`).
    loop {
        rest = rest.trim_start();
        if let Some(after) = rest.strip_prefix("<?") {
            match after.find("?>") {
                Some(end) => rest = &after[end + 2..],
                None => return false,
            }
        } else if let Some(after) = rest.strip_prefix("<!--") {
            match after.find("-->") {
                Some(end) => rest = &after[end + 3..],
                None => return false,
            }
        } else if let Some(after) = rest.strip_prefix("<!") {
            match after.find('>') {
                Some(end) => rest = &after[end + 1..],
                None => return false,
            }
        } else {
            return rest.starts_with("<svg") || rest.starts_with("<svg:svg");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ICON: &str = r##"<svg xmlns="http://www.w3.org/2000/svg" width="24" height="24"><rect width="12" height="24" fill="#ff0000"/></svg>"##;

    #[test]
    fn sniffs_svg_documents() {
        assert!(looks_like_svg(ICON.as_bytes()));
        assert!(looks_like_svg(
            b"\xEF\xBB\xBF<?xml version=\"1.0\"?>\n<!-- x --><!DOCTYPE svg><svg/>"
        ));
        assert!(!looks_like_svg(b"<html><svg/></html>"));
        assert!(!looks_like_svg(b"\x89PNG\r\n"));
    }

    #[test]
    fn rasterises_at_the_requested_size() {
        let svg = SvgPicture::parse(ICON.as_bytes()).unwrap();
        assert_eq!(svg.natural_size(), (24.0, 24.0));
        let big = svg.rasterize(96, 96);
        assert_eq!(big.dimensions(), (96, 96));
        // Left half red, right half transparent, edges crisp at 4x.
        assert_eq!(big.get_pixel(10, 50).0, [255, 0, 0, 255]);
        assert_eq!(big.get_pixel(47, 50).0, [255, 0, 0, 255]);
        assert_eq!(big.get_pixel(48, 50).0[3], 0);
        assert!(SvgPicture::parse(b"<svg").is_err());
    }
}
