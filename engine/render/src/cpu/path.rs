//! Paths for vello: rounded rectangles with elliptical per-corner radii
//! (kurbo's `RoundedRect` has circular corners only, so the corners are
//! built by hand as cubic quarter-ellipses, kappa = 0.5523), and placing a
//! local path on the device.
//!
//! Placement goes through vello's affine transform when that is exact (no
//! perspective) and safe (the shape's device bounds are of a size vello's
//! f32 rasteriser handles). Otherwise the path is flattened in local space,
//! clipped to w > 0 (the part in front of the eye), projected with the
//! perspective division and clipped to the viewport by hand: exact geometry
//! under perspective, and no runaway flattening of absurdly large shapes.

use std::borrow::Cow;

use vello_cpu::kurbo::{self, Affine, BezPath, PathEl};

use super::transform::{max_scale, Projective, MIN_W};
use crate::display_list::Rect;

/// 4/3 (sqrt(2) - 1): cubic control-point distance of a quarter ellipse.
pub const KAPPA: f64 = 0.552_284_749_830_793_4;

/// Shapes whose device bounds reach beyond this many pixels from the origin
/// are clipped by hand before vello sees them.
const SAFE_EXTENT: f64 = 32_768.0;

/// How far outside the viewport hand-clipped geometry may extend (so that
/// antialiased edges at the viewport's border stay right).
const CLIP_MARGIN: f64 = 16.0;

/// Appends `rect` with corner radii (x: tl, tr, br, bl; y: same order) as a
/// closed subpath, clockwise from the top edge. Radii must already be
/// clamped (`geometry::clamp_radii`): a corner is square unless both its
/// radii are positive.
pub fn push_rounded_rect(path: &mut BezPath, rect: &Rect, rx: &[f32; 4], ry: &[f32; 4]) {
    let (x0, y0) = (rect.x as f64, rect.y as f64);
    let (x1, y1) = (x0 + rect.width as f64, y0 + rect.height as f64);
    // A corner with one zero radius is square (as `clamp_radii` and the
    // GPU's distance function have it); a half-zero corner would otherwise
    // cut the corner with a diagonal.
    let r = |i: usize| {
        if rx[i] > 0.0 && ry[i] > 0.0 {
            (rx[i] as f64, ry[i] as f64)
        } else {
            (0.0, 0.0)
        }
    };
    let k = 1.0 - KAPPA;
    let (tlx, tly) = r(0);
    let (trx, try_) = r(1);
    let (brx, bry) = r(2);
    let (blx, bly) = r(3);
    path.move_to((x0 + tlx, y0));
    path.line_to((x1 - trx, y0));
    if trx > 0.0 && try_ > 0.0 {
        path.curve_to((x1 - trx * k, y0), (x1, y0 + try_ * k), (x1, y0 + try_));
    }
    path.line_to((x1, y1 - bry));
    if brx > 0.0 && bry > 0.0 {
        path.curve_to((x1, y1 - bry * k), (x1 - brx * k, y1), (x1 - brx, y1));
    }
    path.line_to((x0 + blx, y1));
    if blx > 0.0 && bly > 0.0 {
        path.curve_to((x0 + blx * k, y1), (x0, y1 - bly * k), (x0, y1 - bly));
    }
    path.line_to((x0, y0 + tly));
    if tlx > 0.0 && tly > 0.0 {
        path.curve_to((x0, y0 + tly * k), (x0 + tlx * k, y0), (x0 + tlx, y0));
    }
    path.close_path();
}

/// A rounded rectangle as a path of its own.
pub fn rounded_rect(rect: &Rect, rx: &[f32; 4], ry: &[f32; 4]) -> BezPath {
    let mut path = BezPath::new();
    push_rounded_rect(&mut path, rect, rx, ry);
    path
}

/// A path ready for vello: draw `path` with `ctx.set_transform(transform)`
/// and paints with `paint_transform` (local paint space to what `transform`
/// expects) before the paint's own transform.
pub struct Placed<'a> {
    pub path: Cow<'a, BezPath>,
    pub transform: Affine,
    pub paint_transform: Affine,
}

/// Places `path` (local coordinates, inside `local_bounds`) through `map`.
/// `device_bounds` is `map`'s image of `local_bounds` when known (`None`
/// when part of it is behind the eye). `None`: nothing to draw.
pub fn place<'a>(
    path: &'a BezPath,
    local_bounds: &Rect,
    map: &Projective,
    device_bounds: Option<&Rect>,
    viewport: &Rect,
) -> Option<Placed<'a>> {
    if let Some(affine) = direct_affine(map, device_bounds) {
        return Some(Placed {
            path: Cow::Borrowed(path),
            transform: affine,
            paint_transform: Affine::IDENTITY,
        });
    }
    // Paints follow the best affine approximation (exact without
    // perspective). Without one (a corner behind the eye) the shape is
    // still drawn; its paint is then only approximately placed.
    let fit = map
        .affine_fit(local_bounds)
        .or_else(|| map.affine())
        .unwrap_or(Affine::IDENTITY);
    let tolerance = local_tolerance(&fit, device_bounds);
    let projected = project(path, map, tolerance, viewport);
    if projected.elements().is_empty() {
        return None;
    }
    Some(Placed {
        path: Cow::Owned(projected),
        transform: Affine::IDENTITY,
        paint_transform: fit,
    })
}

/// The affine map to hand vello as is: `map` without perspective, for a
/// shape whose device bounds are of a size vello handles.
pub fn direct_affine(map: &Projective, device_bounds: Option<&Rect>) -> Option<Affine> {
    let safe = device_bounds.is_some_and(|b| {
        let (x0, y0) = (b.x as f64, b.y as f64);
        let (x1, y1) = (x0 + b.width as f64, y0 + b.height as f64);
        [x0, y0, x1, y1].iter().all(|v| v.abs() < SAFE_EXTENT)
    });
    if safe {
        map.affine()
    } else {
        None
    }
}

/// Flattening tolerance in local units: a tenth of a device pixel, relaxed
/// for gigantic shapes so that the number of segments stays bounded
/// (their curves are far outside the viewport anyway).
fn local_tolerance(fit: &Affine, device_bounds: Option<&Rect>) -> f64 {
    let extent = device_bounds.map_or(SAFE_EXTENT, |b| b.width.max(b.height) as f64);
    let device_tolerance = (extent * 1e-5).max(0.1);
    let scale = max_scale(fit);
    if scale.is_finite() && scale > 1e-9 {
        device_tolerance / scale
    } else {
        device_tolerance
    }
}

/// Flattens `path`, clips each subpath to the half-space in front of the
/// eye, projects it and clips it to the viewport (plus a margin). Clipping
/// each closed polygon to a convex region keeps winding numbers inside it,
/// so both fill rules still hold.
pub fn project(path: &BezPath, map: &Projective, tolerance: f64, viewport: &Rect) -> BezPath {
    let mut polygons: Vec<Vec<(f64, f64)>> = Vec::new();
    let mut current: Vec<(f64, f64)> = Vec::new();
    kurbo::flatten(path.iter(), tolerance.max(1e-6), |el| match el {
        PathEl::MoveTo(p) => {
            if current.len() > 2 {
                polygons.push(std::mem::take(&mut current));
            }
            current.clear();
            current.push((p.x, p.y));
        }
        PathEl::LineTo(p) => current.push((p.x, p.y)),
        PathEl::ClosePath => {
            if current.len() > 2 {
                polygons.push(std::mem::take(&mut current));
            }
            current.clear();
        }
        // flatten only emits the three above.
        PathEl::QuadTo(..) | PathEl::CurveTo(..) => {}
    });
    if current.len() > 2 {
        polygons.push(current);
    }
    let (vx0, vy0) = (
        viewport.x as f64 - CLIP_MARGIN,
        viewport.y as f64 - CLIP_MARGIN,
    );
    let vx1 = viewport.x as f64 + viewport.width as f64 + CLIP_MARGIN;
    let vy1 = viewport.y as f64 + viewport.height as f64 + CLIP_MARGIN;
    let mut out = BezPath::new();
    for polygon in polygons {
        // In front of the eye: w >= MIN_W, w linear in local coordinates.
        let homogeneous: Vec<(f64, f64, f64)> = polygon
            .iter()
            .map(|&(x, y)| map.map_homogeneous(x, y))
            .collect();
        let front = clip_polygon(&homogeneous, |p| p.2 - MIN_W);
        let mut device: Vec<(f64, f64, f64)> =
            front.iter().map(|&(x, y, w)| (x / w, y / w, 1.0)).collect();
        for edge in 0..4 {
            device = clip_polygon(&device, |p| match edge {
                0 => p.0 - vx0,
                1 => vx1 - p.0,
                2 => p.1 - vy0,
                _ => vy1 - p.1,
            });
        }
        let mut points = device.iter().filter(|p| p.0.is_finite() && p.1.is_finite());
        let Some(first) = points.next() else { continue };
        out.move_to((first.0, first.1));
        for p in points {
            out.line_to((p.0, p.1));
        }
        out.close_path();
    }
    out
}

/// Sutherland-Hodgman: the part of the closed polygon where `side` >= 0,
/// with `side` affine in the coordinates (so crossings interpolate).
fn clip_polygon(
    points: &[(f64, f64, f64)],
    side: impl Fn(&(f64, f64, f64)) -> f64,
) -> Vec<(f64, f64, f64)> {
    let mut out = Vec::with_capacity(points.len() + 4);
    let Some(mut previous) = points.last() else {
        return out;
    };
    let mut previous_side = side(previous);
    for point in points {
        let point_side = side(point);
        if (point_side >= 0.0) != (previous_side >= 0.0) {
            let t = previous_side / (previous_side - point_side);
            if t.is_finite() {
                out.push((
                    previous.0 + (point.0 - previous.0) * t,
                    previous.1 + (point.1 - previous.1) * t,
                    previous.2 + (point.2 - previous.2) * t,
                ));
            }
        }
        if point_side >= 0.0 {
            out.push(*point);
        }
        previous = point;
        previous_side = point_side;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::display_list::IDENTITY_MATRIX;

    #[test]
    fn square_corners_have_no_curves() {
        let path = rounded_rect(&Rect::new(0.0, 0.0, 10.0, 10.0), &[0.0; 4], &[0.0; 4]);
        assert!(!path
            .elements()
            .iter()
            .any(|el| matches!(el, PathEl::CurveTo(..))));
    }

    #[test]
    fn elliptical_corner_reaches_both_radii() {
        let path = rounded_rect(
            &Rect::new(0.0, 0.0, 100.0, 100.0),
            &[40.0, 0.0, 0.0, 0.0],
            &[10.0, 0.0, 0.0, 0.0],
        );
        let start = match path.elements().first() {
            Some(PathEl::MoveTo(p)) => *p,
            other => panic!("{other:?}"),
        };
        assert_eq!((start.x, start.y), (40.0, 0.0));
        let last_curve_end = path.elements().iter().rev().find_map(|el| match el {
            PathEl::CurveTo(_, _, p) => Some(*p),
            _ => None,
        });
        assert_eq!(last_curve_end.map(|p| (p.x, p.y)), Some((40.0, 0.0)));
    }

    #[test]
    fn huge_shapes_are_clipped_to_the_viewport() {
        let rect = Rect::new(-1e20, -1e20, 2e20, 2e20);
        let path = rounded_rect(&rect, &[1e19; 4], &[1e19; 4]);
        let viewport = Rect::new(0.0, 0.0, 100.0, 100.0);
        let map = Projective::from_matrix(&IDENTITY_MATRIX);
        let Some(placed) = place(&path, &rect, &map, Some(&rect), &viewport) else {
            panic!("covers the viewport")
        };
        let bounds = kurbo::Shape::bounding_box(placed.path.as_ref());
        assert!(bounds.x0 >= -17.0 && bounds.x1 <= 117.0, "{bounds:?}");
    }

    #[test]
    fn geometry_behind_the_eye_is_cut_off() {
        let mut m = IDENTITY_MATRIX;
        // w = 1 - x / 50: behind the eye for x > 50.
        m[3] = -0.02;
        let map = Projective::from_matrix(&m);
        let rect = Rect::new(0.0, 0.0, 100.0, 10.0);
        let path = rounded_rect(&rect, &[0.0; 4], &[0.0; 4]);
        let viewport = Rect::new(0.0, 0.0, 1000.0, 1000.0);
        let Some(placed) = place(&path, &rect, &map, None, &viewport) else {
            panic!("part is in front")
        };
        assert!(placed.path.elements().iter().all(|el| el
            .end_point()
            .is_none_or(|p| p.x.is_finite() && p.y.is_finite())));
    }
}
