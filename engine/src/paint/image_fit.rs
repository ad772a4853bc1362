//! The `mode` attribute of `<image>` (<https://developers.weixin.qq.com/miniprogram/dev/component/>): which part of the picture is
//! drawn where inside the element's content box.

use cirrus_render::Rect;

/// The `<image mode>` values.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ImageMode {
    ScaleToFill,
    AspectFit,
    AspectFill,
    WidthFix,
    HeightFix,
    Top,
    Bottom,
    Center,
    Left,
    Right,
    TopLeft,
    TopRight,
    BottomLeft,
    BottomRight,
}

impl ImageMode {
    /// Parses the attribute; unknown values fall back to `scaleToFill` (the
    /// component's default).
    pub fn parse(mode: Option<&str>) -> ImageMode {
        match mode.map(str::trim) {
            Some("aspectFit") => ImageMode::AspectFit,
            Some("aspectFill") => ImageMode::AspectFill,
            Some("widthFix") => ImageMode::WidthFix,
            Some("heightFix") => ImageMode::HeightFix,
            Some("top") => ImageMode::Top,
            Some("bottom") => ImageMode::Bottom,
            Some("center") => ImageMode::Center,
            Some("left") => ImageMode::Left,
            Some("right") => ImageMode::Right,
            Some("top left") => ImageMode::TopLeft,
            Some("top right") => ImageMode::TopRight,
            Some("bottom left") => ImageMode::BottomLeft,
            Some("bottom right") => ImageMode::BottomRight,
            _ => ImageMode::ScaleToFill,
        }
    }

    /// `(destination, source)`: the destination rectangle inside `content`
    /// (which the caller clips to) and the source rectangle in image pixels.
    pub fn fit(self, content: Rect, image_size: (f32, f32)) -> (Rect, Rect) {
        let (iw, ih) = image_size;
        let whole = Rect::new(0.0, 0.0, iw, ih);
        if iw <= 0.0 || ih <= 0.0 || content.is_empty() {
            return (content, whole);
        }
        let (cw, ch) = (content.width, content.height);
        match self {
            ImageMode::ScaleToFill | ImageMode::WidthFix | ImageMode::HeightFix => (content, whole),
            ImageMode::AspectFit | ImageMode::AspectFill => {
                let scale = if self == ImageMode::AspectFit {
                    (cw / iw).min(ch / ih)
                } else {
                    (cw / iw).max(ch / ih)
                };
                let (w, h) = (iw * scale, ih * scale);
                let dest = Rect::new(content.x + (cw - w) / 2.0, content.y + (ch - h) / 2.0, w, h);
                (dest, whole)
            }
            // The crop modes draw the picture unscaled, anchored as named.
            _ => {
                let (ax, ay) = self.anchor();
                let dest = Rect::new(
                    content.x + (cw - iw) * ax,
                    content.y + (ch - ih) * ay,
                    iw,
                    ih,
                );
                (dest, whole)
            }
        }
    }

    /// Horizontal and vertical anchor (0 = start, 0.5 = centre, 1 = end).
    fn anchor(self) -> (f32, f32) {
        match self {
            ImageMode::Top => (0.5, 0.0),
            ImageMode::Bottom => (0.5, 1.0),
            ImageMode::Left => (0.0, 0.5),
            ImageMode::Right => (1.0, 0.5),
            ImageMode::TopLeft => (0.0, 0.0),
            ImageMode::TopRight => (1.0, 0.0),
            ImageMode::BottomLeft => (0.0, 1.0),
            ImageMode::BottomRight => (1.0, 1.0),
            _ => (0.5, 0.5),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aspect_fit_letterboxes_and_fill_overflows() {
        let content = Rect::new(0.0, 0.0, 100.0, 100.0);
        let (d, _) = ImageMode::AspectFit.fit(content, (200.0, 100.0));
        assert_eq!(d, Rect::new(0.0, 25.0, 100.0, 50.0));
        let (d, _) = ImageMode::AspectFill.fit(content, (200.0, 100.0));
        assert_eq!(d, Rect::new(-50.0, 0.0, 200.0, 100.0));
    }

    #[test]
    fn crop_modes_keep_pixels_unscaled() {
        let content = Rect::new(10.0, 10.0, 50.0, 50.0);
        let (d, _) = ImageMode::BottomRight.fit(content, (100.0, 80.0));
        assert_eq!(d, Rect::new(-40.0, -20.0, 100.0, 80.0));
        assert_eq!(ImageMode::parse(Some("top left")), ImageMode::TopLeft);
        assert_eq!(ImageMode::parse(Some("bogus")), ImageMode::ScaleToFill);
    }
}
