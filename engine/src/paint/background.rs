//! Backgrounds: colour, gradients and `url()` images, as CSS Backgrounds §3
//! places them (positioning area: the padding box; painting area: the
//! border box).

use super::{corner_radii, to_device, Painter};
use cirrus_layout::style::{
    BackgroundRepeat, BackgroundSize, ComputedStyle, Dimension, GradientStop, Image,
    LengthPercentage, RadialExtent, RadialShape,
};
use cirrus_render::{DisplayItem, ImageTiling, Rect};

/// Box geometry in CSS px, absolute within the page.
#[derive(Clone, Copy, Debug)]
pub struct BoxRects {
    pub border: Rect,
    pub padding: Rect,
    pub content: Rect,
}

impl Painter<'_> {
    pub(super) fn paint_background(
        &mut self,
        style: &ComputedStyle,
        rects: &BoxRects,
        style_file: &str,
    ) {
        let radii = corner_radii(style, rects.border, self.dpr);
        let border_dev = to_device(rects.border, self.dpr);
        if !style.background_color.is_transparent() {
            self.list.push(DisplayItem::Rect {
                rect: border_dev,
                color: style.background_color,
                radii,
            });
        }
        let Some(image) = &style.background_image else {
            return;
        };
        let area = rects.padding;
        match image {
            Image::LinearGradient {
                angle_deg,
                stops,
                repeating,
            } => {
                let a = angle_deg.to_radians();
                let (w, h) = (area.width, area.height);
                let len = (w * a.sin()).abs() + (h * a.cos()).abs();
                let (cx, cy) = (area.x + w / 2.0, area.y + h / 2.0);
                let (dx, dy) = (a.sin() * len / 2.0, -a.cos() * len / 2.0);
                let d = self.dpr;
                self.list.push(DisplayItem::LinearGradient {
                    rect: border_dev,
                    radii,
                    start: ((cx - dx) * d, (cy - dy) * d),
                    end: ((cx + dx) * d, (cy + dy) * d),
                    stops: resolve_stops(stops, len),
                    repeating: *repeating,
                });
            }
            Image::RadialGradient {
                shape,
                extent,
                center,
                stops,
                repeating,
            } => {
                let c = (
                    area.x + center.0.resolve(area.width),
                    area.y + center.1.resolve(area.height),
                );
                let radius = radial_radius(*shape, *extent, area, c);
                let d = self.dpr;
                self.list.push(DisplayItem::RadialGradient {
                    rect: border_dev,
                    radii,
                    center: (c.0 * d, c.1 * d),
                    radius: (radius.0 * d, radius.1 * d),
                    stops: resolve_stops(stops, radius.0),
                    repeating: *repeating,
                });
            }
            Image::Url(url) => {
                let Some(img) = self.images.get(self.package, style_file, url) else {
                    return;
                };
                let (iw, ih) = img.size();
                let (tw, th) = background_tile_size(style.background_size, area, (iw, ih));
                if tw <= 0.0 || th <= 0.0 {
                    return;
                }
                // SVG is rasterised at the device size of one tile.
                let d = self.dpr;
                let Some(img) =
                    (self.images).get_at_size(self.package, style_file, url, (tw * d, th * d))
                else {
                    return;
                };
                let (key, (pw, ph)) = (img.key, img.pixel_size());
                let (px, py) = style.background_position;
                let ox = area.x + px.resolve(area.width - tw);
                let oy = area.y + py.resolve(area.height - th);
                // The painting area shrinks to one row/column of tiles for
                // repeat-x / repeat-y / no-repeat.
                let mut paint_area = rects.border;
                let repeat = style.background_repeat;
                if matches!(
                    repeat,
                    BackgroundRepeat::NoRepeat | BackgroundRepeat::RepeatX
                ) {
                    paint_area =
                        paint_area.intersect(&Rect::new(paint_area.x, oy, paint_area.width, th));
                }
                if matches!(
                    repeat,
                    BackgroundRepeat::NoRepeat | BackgroundRepeat::RepeatY
                ) {
                    paint_area =
                        paint_area.intersect(&Rect::new(ox, paint_area.y, tw, paint_area.height));
                }
                if paint_area.is_empty() {
                    return;
                }
                self.list.push(DisplayItem::Image {
                    rect: to_device(paint_area, d),
                    key,
                    src: Rect::new(0.0, 0.0, pw, ph),
                    radii,
                    tile: Some(ImageTiling {
                        size: (tw * d, th * d),
                        origin: (ox * d, oy * d),
                    }),
                    opacity: 1.0,
                });
            }
        }
    }
}

/// The size of one background tile (CSS Backgrounds §3.9).
fn background_tile_size(size: BackgroundSize, area: Rect, image: (f32, f32)) -> (f32, f32) {
    let (iw, ih) = image;
    if iw <= 0.0 || ih <= 0.0 {
        return (0.0, 0.0);
    }
    match size {
        BackgroundSize::Auto => (iw, ih),
        BackgroundSize::Cover | BackgroundSize::Contain => {
            let sx = area.width / iw;
            let sy = area.height / ih;
            let s = if size == BackgroundSize::Cover {
                sx.max(sy)
            } else {
                sx.min(sy)
            };
            (iw * s, ih * s)
        }
        BackgroundSize::Explicit(w, h) => {
            let resolve = |d: Dimension, basis: f32| match d {
                Dimension::Auto => None,
                Dimension::Px(v) => Some(v),
                Dimension::Percent(p) => Some(p * basis),
                Dimension::Calc { px, percent } => Some(px + percent * basis),
            };
            match (resolve(w, area.width), resolve(h, area.height)) {
                (Some(w), Some(h)) => (w, h),
                (Some(w), None) => (w, w * ih / iw),
                (None, Some(h)) => (h * iw / ih, h),
                (None, None) => (iw, ih),
            }
        }
    }
}

/// Radii of the ending shape of a radial gradient (CSS Images §3.2).
fn radial_radius(
    shape: RadialShape,
    extent: RadialExtent,
    area: Rect,
    c: (f32, f32),
) -> (f32, f32) {
    let dx = [(c.0 - area.x).abs(), (area.right() - c.0).abs()];
    let dy = [(c.1 - area.y).abs(), (area.bottom() - c.1).abs()];
    let (min_x, max_x) = (dx[0].min(dx[1]), dx[0].max(dx[1]));
    let (min_y, max_y) = (dy[0].min(dy[1]), dy[0].max(dy[1]));
    let circle = shape == RadialShape::Circle;
    match extent {
        RadialExtent::Explicit(x, y) => {
            let rx = x.resolve(area.width);
            let ry = if circle { rx } else { y.resolve(area.height) };
            (rx, ry)
        }
        RadialExtent::ClosestSide if circle => (min_x.min(min_y), min_x.min(min_y)),
        RadialExtent::FarthestSide if circle => (max_x.max(max_y), max_x.max(max_y)),
        RadialExtent::ClosestSide => (min_x, min_y),
        RadialExtent::FarthestSide => (max_x, max_y),
        RadialExtent::ClosestCorner | RadialExtent::FarthestCorner => {
            let (sx, sy) = if extent == RadialExtent::ClosestCorner {
                (min_x, min_y)
            } else {
                (max_x, max_y)
            };
            if circle {
                let r = (sx * sx + sy * sy).sqrt();
                (r, r)
            } else {
                // The ellipse keeps the side ratio and passes through the corner.
                let k = std::f32::consts::SQRT_2;
                (sx * k, sy * k)
            }
        }
    }
}

/// Stop positions as fractions of the gradient line, with CSS's fix-ups:
/// missing first/last are 0/1, missing middles are spread evenly, and each
/// position is at least the previous one.
pub fn resolve_stops(
    stops: &[GradientStop],
    line_length: f32,
) -> Vec<(f32, cirrus_layout::style::Color)> {
    let n = stops.len();
    let mut pos: Vec<Option<f32>> = stops
        .iter()
        .map(|s| {
            s.position.map(|p| match p {
                LengthPercentage::Percent(p) => p,
                // Lengths are fractions of the gradient line.
                other if line_length > 0.0 => other.resolve(line_length) / line_length,
                _ => 0.0,
            })
        })
        .collect();
    if n == 0 {
        return Vec::new();
    }
    if pos[0].is_none() {
        pos[0] = Some(0.0);
    }
    if pos[n - 1].is_none() {
        pos[n - 1] = Some(1.0);
    }
    let mut last = f32::MIN;
    for p in pos.iter_mut().flatten() {
        if *p < last {
            *p = last;
        }
        last = *p;
    }
    let mut i = 0;
    while i < n {
        if pos[i].is_none() {
            let start = i - 1;
            let mut end = i;
            while pos[end].is_none() {
                end += 1;
            }
            let (a, b) = (pos[start].unwrap_or(0.0), pos[end].unwrap_or(1.0));
            for (k, slot) in pos.iter_mut().enumerate().take(end).skip(i) {
                *slot = Some(a + (b - a) * (k - start) as f32 / (end - start) as f32);
            }
            i = end;
        }
        i += 1;
    }
    stops
        .iter()
        .zip(pos)
        .map(|(s, p)| (p.unwrap_or(0.0), s.color))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use cirrus_layout::style::Color;

    #[test]
    fn missing_stop_positions_are_spread_evenly() {
        let s = |p: Option<f32>| GradientStop {
            color: Color::BLACK,
            position: p.map(LengthPercentage::Percent),
        };
        let r = resolve_stops(
            &[s(None), s(None), s(Some(0.8)), s(None), s(Some(0.5))],
            100.0,
        );
        let p: Vec<f32> = r.iter().map(|x| x.0).collect();
        assert_eq!(p, vec![0.0, 0.4, 0.8, 0.8, 0.8]);
    }

    #[test]
    fn cover_and_contain_scale_the_tile() {
        let area = Rect::new(0.0, 0.0, 100.0, 50.0);
        assert_eq!(
            background_tile_size(BackgroundSize::Cover, area, (10.0, 10.0)),
            (100.0, 100.0)
        );
        assert_eq!(
            background_tile_size(BackgroundSize::Contain, area, (10.0, 10.0)),
            (50.0, 50.0)
        );
        let explicit = BackgroundSize::Explicit(Dimension::Px(20.0), Dimension::Auto);
        assert_eq!(
            background_tile_size(explicit, area, (10.0, 5.0)),
            (20.0, 10.0)
        );
    }
}
