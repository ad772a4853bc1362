//! A per-pixel rasteriser for the items vello has no primitive for (border
//! styles other than one solid colour, box shadows, dashed, dotted and wavy
//! lines): every device pixel of the item's area is mapped back to local
//! coordinates and shaded with the GPU's formulas (`sdf`), into a small
//! premultiplied image that vello then draws pixel-aligned (nearest
//! sampling, so unchanged). Mapping back per pixel makes these items exact
//! under any transform, perspective included.

use super::transform::Projective;
use crate::display_list::Rect;

/// Premultiplied RGBA8 pixels of a device-space rectangle.
pub struct Raster {
    pub x: i32,
    pub y: i32,
    pub width: u32,
    pub height: u32,
    pub pixels: Vec<u8>,
}

/// A rectangle of device pixels, `x0..x1` by `y0..y1`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PixelRect {
    pub x0: i32,
    pub y0: i32,
    pub x1: i32,
    pub y1: i32,
}

impl PixelRect {
    /// The pixels `bounds` touches, within `limit`; `None` when empty.
    pub fn covering(bounds: &Rect, limit: &Rect) -> Option<PixelRect> {
        let b = bounds.intersect(limit);
        if b.is_empty() {
            return None;
        }
        let out = PixelRect {
            x0: b.x.floor() as i32,
            y0: b.y.floor() as i32,
            x1: b.right().ceil() as i32,
            y1: b.bottom().ceil() as i32,
        };
        (out.x1 > out.x0 && out.y1 > out.y0).then_some(out)
    }

    /// The pixels wholly inside `bounds` (possibly empty).
    pub fn inside(bounds: &Rect) -> PixelRect {
        PixelRect {
            x0: bounds.x.ceil() as i32,
            y0: bounds.y.ceil() as i32,
            x1: bounds.right().floor() as i32,
            y1: bounds.bottom().floor() as i32,
        }
    }

    pub fn width(&self) -> u32 {
        (self.x1 - self.x0).max(0) as u32
    }

    pub fn height(&self) -> u32 {
        (self.y1 - self.y0).max(0) as u32
    }
}

/// Shades `area` (device pixels) with `shader(local_x, local_y, aa)`, which
/// returns a premultiplied colour (0..=1); `aa` is local units per device
/// pixel, as the GPU's derivatives give it. Pixels inside `hole` are known
/// to be transparent and skipped. `None` when nothing is visible.
pub fn shade(
    area: PixelRect,
    map: &Projective,
    hole: Option<PixelRect>,
    mut shader: impl FnMut(f32, f32, f32) -> [f32; 4],
) -> Option<Raster> {
    let inverse = map.inverse()?;
    let (width, height) = (area.width(), area.height());
    if width == 0 || height == 0 {
        return None;
    }
    let mut pixels = vec![0u8; width as usize * height as usize * 4];
    let affine = inverse.affine().map(|a| a.as_coeffs());
    // Local units per device pixel: constant without perspective.
    let constant_aa = affine
        .map(|[a, b, c, d, _, _]| (0.5 * ((a * a + b * b).sqrt() + (c * c + d * d).sqrt())) as f32);
    let mut any = false;
    for py in area.y0..area.y1 {
        let row = (py - area.y0) as usize * width as usize * 4;
        let skip = hole.filter(|h| py >= h.y0 && py < h.y1 && h.x1 > h.x0);
        let mut px = area.x0;
        while px < area.x1 {
            if let Some(h) = skip {
                if px >= h.x0 && px < h.x1 {
                    px = h.x1;
                    continue;
                }
            }
            let (dx, dy) = (px as f64 + 0.5, py as f64 + 0.5);
            let sample = match (affine, constant_aa) {
                (Some([a, b, c, d, e, f]), Some(aa)) => Some((
                    (a * dx + c * dy + e) as f32,
                    (b * dx + d * dy + f) as f32,
                    aa,
                )),
                _ => inverse.map(dx, dy).map(|(lx, ly)| {
                    // Per-pixel derivatives: the scale changes across the
                    // item under perspective.
                    let step = |ox: f64, oy: f64| {
                        inverse
                            .map(dx + ox, dy + oy)
                            .map_or(0.0, |(x, y)| ((x - lx).powi(2) + (y - ly).powi(2)).sqrt())
                    };
                    (
                        lx as f32,
                        ly as f32,
                        (0.5 * (step(1.0, 0.0) + step(0.0, 1.0))) as f32,
                    )
                }),
            };
            if let Some((lx, ly, aa)) = sample {
                let color = shader(lx, ly, aa);
                let at = row + (px - area.x0) as usize * 4;
                let to_byte = |v: f32| (v.clamp(0.0, 1.0) * 255.0 + 0.5) as u8;
                let alpha = to_byte(color[3]);
                if alpha > 0 {
                    any = true;
                    // Premultiplied: a channel never exceeds alpha.
                    pixels[at] = to_byte(color[0]).min(alpha);
                    pixels[at + 1] = to_byte(color[1]).min(alpha);
                    pixels[at + 2] = to_byte(color[2]).min(alpha);
                    pixels[at + 3] = alpha;
                }
            }
            px += 1;
        }
    }
    any.then_some(Raster {
        x: area.x0,
        y: area.y0,
        width,
        height,
        pixels,
    })
}

/// The device pixels of a local rectangle known to be transparent (the
/// inside of a ring), when `map` keeps rectangles axis-aligned; shrunk by a
/// pixel so that antialiased edges are always shaded.
pub fn device_hole(map: &Projective, local: &Rect) -> Option<PixelRect> {
    let (sx, sy, tx, ty) = map.axis_aligned()?;
    if local.is_empty() {
        return None;
    }
    let device = Rect::new(
        (local.x as f64 * sx + tx) as f32,
        (local.y as f64 * sy + ty) as f32,
        (local.width as f64 * sx) as f32,
        (local.height as f64 * sy) as f32,
    )
    .inflate(-1.0);
    let hole = PixelRect::inside(&device);
    (hole.x1 > hole.x0 && hole.y1 > hole.y0).then_some(hole)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::display_list::IDENTITY_MATRIX;

    #[test]
    fn shades_pixel_centres_in_local_space() {
        let mut m = IDENTITY_MATRIX;
        m[0] = 2.0;
        m[5] = 2.0;
        let map = Projective::from_matrix(&m);
        let area = PixelRect {
            x0: 0,
            y0: 0,
            x1: 4,
            y1: 1,
        };
        let mut seen = Vec::new();
        let raster = shade(area, &map, None, |x, _, aa| {
            seen.push((x, aa));
            [1.0; 4]
        });
        assert!(raster.is_some());
        assert_eq!(seen[0], (0.25, 0.5));
        assert_eq!(seen[3], (1.75, 0.5));
    }

    #[test]
    fn hole_pixels_are_skipped() {
        let map = Projective::IDENTITY;
        let area = PixelRect {
            x0: 0,
            y0: 0,
            x1: 10,
            y1: 10,
        };
        let hole = device_hole(&map, &Rect::new(2.0, 2.0, 6.0, 6.0));
        let mut count = 0;
        let _ = shade(area, &map, hole, |_, _, _| {
            count += 1;
            [0.0; 4]
        });
        assert_eq!(count, 100 - 16);
    }
}
