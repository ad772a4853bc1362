//! CSS gradients as vello paints. The display list's stop offsets are
//! fractions of the gradient line (or radius) and may lie outside 0..=1;
//! vello wants 0..=1, so the geometry is moved instead: the line's ends go
//! to the first and last stop (the radial gradient becomes a concentric
//! two-circle one), which keeps every point's colour. Interpolation is in
//! premultiplied sRGB, as CSS and the GPU shader do (peniko's default).

use vello_cpu::kurbo::{Affine, Point};
use vello_cpu::peniko::{ColorStop, Extend, Gradient};

use super::paint::css_color;
use crate::display_list::Color;
use crate::renderer::geometry::{finite, premultiply};

/// What to fill with: one colour where the gradient degenerates, else a
/// gradient in the space `transform` maps to the item's local space.
pub enum GradientPaint {
    Solid(vello_cpu::peniko::Color),
    Gradient(Gradient, Affine),
}

/// Stops as the GPU stores them: offsets made finite and non-decreasing
/// (CSS: a stop before an earlier one moves up to it), colours
/// premultiplied with the inherited `alpha`.
fn clean_stops(stops: &[(f32, Color)], alpha: f32) -> Vec<(f32, [f32; 4])> {
    let mut previous = f32::NEG_INFINITY;
    stops
        .iter()
        .take(0xffff)
        .map(|(offset, color)| {
            let offset = finite(*offset).max(previous);
            previous = offset;
            (offset, premultiply(*color, alpha))
        })
        .collect()
}

/// The premultiplied colour at `t`, as the GPU's `gradient_color`.
fn color_at(stops: &[(f32, [f32; 4])], t: f32, repeating: bool) -> [f32; 4] {
    let (Some(first), Some(last)) = (stops.first(), stops.last()) else {
        return [0.0; 4];
    };
    let mut t = t;
    if repeating {
        let span = last.0 - first.0;
        if span > 1e-5 {
            let f = (t - first.0) / span;
            t = first.0 + (f - f.floor()) * span;
        }
    }
    if t <= first.0 {
        return first.1;
    }
    if t >= last.0 {
        return last.1;
    }
    for pair in stops.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        if t <= b.0 {
            let span = b.0 - a.0;
            if span <= 1e-6 {
                return b.1;
            }
            let k = (t - a.0) / span;
            return std::array::from_fn(|i| a.1[i] + (b.1[i] - a.1[i]) * k);
        }
    }
    last.1
}

fn straight(premultiplied: [f32; 4]) -> vello_cpu::peniko::Color {
    let a = premultiplied[3];
    if a <= 0.0 {
        return vello_cpu::peniko::Color::TRANSPARENT;
    }
    css_color(Color {
        r: premultiplied[0] / a,
        g: premultiplied[1] / a,
        b: premultiplied[2] / a,
        a,
    })
}

/// Stops rescaled from `first..first + span` to 0..=1, colours straight.
fn unit_stops(stops: &[(f32, [f32; 4])], first: f32, span: f32) -> Vec<ColorStop> {
    let mut previous = 0.0f32;
    stops
        .iter()
        .map(|(offset, color)| {
            // max/min, not clamp: NaN (from infinite offsets) must not
            // panic; it becomes the previous offset.
            let t = ((offset - first) / span).max(previous).min(1.0);
            previous = t;
            ColorStop::from((t, straight(*color)))
        })
        .collect()
}

/// Gradient geometry beyond this many pixels from the origin is not drawn
/// as a gradient: vello's gradient tables are indexed by t computed in f32,
/// and t must stay finite for every pixel (the fill falls back to one
/// colour; no real page comes near).
const GEOMETRY_LIMIT: f64 = 1e7;

fn sane(values: &[f64]) -> bool {
    values
        .iter()
        .all(|v| v.is_finite() && v.abs() < GEOMETRY_LIMIT)
}

/// Shortest span kept between the first and last stop: a hard colour
/// change ("red 50%, blue 50%") becomes a ramp this long, in fractions of
/// the gradient line.
const MIN_SPAN: f32 = 1e-4;

/// Makes a hard edge between the first and last stop (all stops at one
/// offset) a very short ramp, as vello needs a non-empty gradient.
fn widen(stops: &mut Vec<(f32, [f32; 4])>, min_span: f32) {
    let (Some(first), Some(last)) = (stops.first().copied(), stops.last().copied()) else {
        return;
    };
    if last.0 - first.0 < min_span {
        *stops = vec![first, (first.0 + min_span, last.1)];
    }
}

/// `linear-gradient()` along `start`..`end` (local coordinates).
pub fn linear(
    start: (f32, f32),
    end: (f32, f32),
    stops: &[(f32, Color)],
    repeating: bool,
    alpha: f32,
) -> Option<GradientPaint> {
    let mut stops = clean_stops(stops, alpha);
    let first = stops.first()?;
    if stops.len() == 1 {
        return Some(GradientPaint::Solid(straight(first.1)));
    }
    let (sx, sy, ex, ey) = (
        finite(start.0),
        finite(start.1),
        finite(end.0),
        finite(end.1),
    );
    let (dx, dy) = ((ex - sx) as f64, (ey - sy) as f64);
    let length = (dx * dx + dy * dy).sqrt();
    if length < 1e-3 {
        // No direction: the GPU's t is 0 everywhere.
        return Some(GradientPaint::Solid(straight(color_at(
            &stops, 0.0, repeating,
        ))));
    }
    // At least half a pixel of ramp for hard edges.
    widen(&mut stops, MIN_SPAN.max((0.5 / length) as f32));
    let (first, last) = (stops[0].0, stops[stops.len() - 1].0);
    let span = last - first;
    let at = |t: f32| Point::new(sx as f64 + dx * t as f64, sy as f64 + dy * t as f64);
    let (p0, p1) = (at(first), at(last));
    if !sane(&[p0.x, p0.y, p1.x, p1.y]) {
        return Some(GradientPaint::Solid(straight(color_at(
            &stops, 0.5, repeating,
        ))));
    }
    let gradient = Gradient::new_linear(p0, p1)
        .with_extend(if repeating {
            Extend::Repeat
        } else {
            Extend::Pad
        })
        .with_stops(unit_stops(&stops, first, span).as_slice());
    Some(GradientPaint::Gradient(gradient, Affine::IDENTITY))
}

/// `radial-gradient()`: an ellipse at `center` with radii `radius`; stop
/// offsets are fractions of the radius.
pub fn radial(
    center: (f32, f32),
    radius: (f32, f32),
    stops: &[(f32, Color)],
    repeating: bool,
    alpha: f32,
) -> Option<GradientPaint> {
    let mut stops = clean_stops(stops, alpha);
    let first = stops.first()?;
    if stops.len() == 1 {
        return Some(GradientPaint::Solid(straight(first.1)));
    }
    widen(&mut stops, MIN_SPAN);
    let span = stops[stops.len() - 1].0 - stops[0].0;
    let first = stops[0].0;
    // t = |p - c| / r is never negative: move the stops to t >= 0.
    if first < 0.0 {
        if repeating {
            // A whole number of periods changes nothing.
            let shift = (-first / span).ceil() * span;
            for stop in &mut stops {
                stop.0 += shift;
            }
        } else {
            let at_zero = color_at(&stops, 0.0, false);
            let mut kept = vec![(0.0, at_zero)];
            kept.extend(stops.iter().filter(|s| s.0 > 0.0).copied());
            if kept.len() == 1 {
                return Some(GradientPaint::Solid(straight(at_zero)));
            }
            stops = kept;
            widen(&mut stops, MIN_SPAN);
        }
    }
    let (first, last) = (stops[0].0, stops[stops.len() - 1].0);
    let span = last - first;
    let rx = finite(radius.0).max(1e-4) as f64;
    let ry = finite(radius.1).max(1e-4) as f64;
    let (cx, cy) = (finite(center.0) as f64, finite(center.1) as f64);
    if !sane(&[cx, cy, rx, ry, first as f64, last as f64]) {
        return Some(GradientPaint::Solid(straight(color_at(
            &stops, 0.5, repeating,
        ))));
    }
    // In a unit space where the ellipse is a circle of radius 1.
    let gradient = Gradient::new_two_point_radial(Point::ZERO, first, Point::ZERO, last)
        .with_extend(if repeating {
            Extend::Repeat
        } else {
            Extend::Pad
        })
        .with_stops(unit_stops(&stops, first, span).as_slice());
    let to_local = Affine::translate((cx, cy)) * Affine::scale_non_uniform(rx, ry);
    Some(GradientPaint::Gradient(gradient, to_local))
}

#[cfg(test)]
mod tests {
    use super::*;

    const RED: Color = Color {
        r: 1.0,
        g: 0.0,
        b: 0.0,
        a: 1.0,
    };
    const BLUE: Color = Color {
        r: 0.0,
        g: 0.0,
        b: 1.0,
        a: 1.0,
    };

    #[test]
    fn offsets_outside_the_line_move_its_ends() {
        let Some(GradientPaint::Gradient(gradient, _)) = linear(
            (0.0, 0.0),
            (100.0, 0.0),
            &[(-0.5, RED), (1.5, BLUE)],
            false,
            1.0,
        ) else {
            panic!("a gradient")
        };
        match gradient.kind {
            vello_cpu::peniko::GradientKind::Linear(line) => {
                assert_eq!((line.start.x, line.end.x), (-50.0, 150.0));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn colour_between_stops_is_premultiplied_mix() {
        let stops = clean_stops(&[(0.0, RED), (1.0, Color::TRANSPARENT)], 1.0);
        let mid = color_at(&stops, 0.5, false);
        // Premultiplied: half-transparent pure red, not darkened.
        assert!((mid[0] - 0.5).abs() < 1e-6 && (mid[3] - 0.5).abs() < 1e-6);
    }

    #[test]
    fn one_stop_is_a_solid_colour() {
        assert!(matches!(
            radial((0.0, 0.0), (10.0, 10.0), &[(0.3, RED)], false, 1.0),
            Some(GradientPaint::Solid(_))
        ));
    }
}
