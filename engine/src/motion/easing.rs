//! `<easing-function>` evaluation: progress in, eased progress out.

use cirrus_style::TimingFunction;

/// The eased progress for linear progress `t` (0..=1).
pub fn ease(timing: TimingFunction, t: f32) -> f32 {
    let t = t.clamp(0.0, 1.0);
    match timing {
        TimingFunction::Linear => t,
        TimingFunction::Ease => cubic_bezier(0.25, 0.1, 0.25, 1.0, t),
        TimingFunction::EaseIn => cubic_bezier(0.42, 0.0, 1.0, 1.0, t),
        TimingFunction::EaseOut => cubic_bezier(0.0, 0.0, 0.58, 1.0, t),
        TimingFunction::EaseInOut => cubic_bezier(0.42, 0.0, 0.58, 1.0, t),
        TimingFunction::CubicBezier(x1, y1, x2, y2) => cubic_bezier(x1, y1, x2, y2, t),
        TimingFunction::Steps { count, jump_start } => steps(count.max(1), jump_start, t),
    }
}

/// CSS `steps(n, jump-start | jump-end)`.
fn steps(count: u32, jump_start: bool, t: f32) -> f32 {
    let n = count as f32;
    let mut step = (t * n).floor();
    if jump_start {
        step += 1.0;
    }
    // At t = 1 the last step is reached whichever way it jumps.
    if t >= 1.0 {
        step = n;
    }
    (step / n).clamp(0.0, 1.0)
}

/// The y of the cubic Bézier from (0,0) to (1,1) with control points
/// (x1,y1), (x2,y2) at the point whose x is `x`: Newton's method on x(s),
/// falling back to bisection where the slope is flat (as browsers do).
fn cubic_bezier(x1: f32, y1: f32, x2: f32, y2: f32, x: f32) -> f32 {
    if x <= 0.0 || x >= 1.0 {
        return x;
    }
    let (x1, y1, x2, y2) = (x1 as f64, y1 as f64, x2 as f64, y2 as f64);
    let x = x as f64;
    // B(s) = 3(1-s)^2 s p1 + 3(1-s) s^2 p2 + s^3, as a polynomial.
    let coefficients = |p1: f64, p2: f64| {
        let c = 3.0 * p1;
        let b = 3.0 * (p2 - p1) - c;
        let a = 1.0 - c - b;
        (a, b, c)
    };
    let (ax, bx, cx) = coefficients(x1, x2);
    let (ay, by, cy) = coefficients(y1, y2);
    let sample_x = |s: f64| ((ax * s + bx) * s + cx) * s;
    let slope_x = |s: f64| (3.0 * ax * s + 2.0 * bx) * s + cx;
    let sample_y = |s: f64| ((ay * s + by) * s + cy) * s;

    let mut s = x;
    for _ in 0..8 {
        let error = sample_x(s) - x;
        if error.abs() < 1e-7 {
            return sample_y(s) as f32;
        }
        let slope = slope_x(s);
        if slope.abs() < 1e-6 {
            break;
        }
        s -= error / slope;
    }
    let (mut lo, mut hi) = (0.0, 1.0);
    s = x;
    for _ in 0..60 {
        let value = sample_x(s);
        if (value - x).abs() < 1e-7 {
            break;
        }
        if value < x {
            lo = s;
        } else {
            hi = s;
        }
        s = (lo + hi) / 2.0;
    }
    sample_y(s) as f32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoints_are_fixed() {
        for timing in [
            TimingFunction::Linear,
            TimingFunction::Ease,
            TimingFunction::EaseIn,
            TimingFunction::EaseOut,
            TimingFunction::EaseInOut,
            TimingFunction::CubicBezier(0.1, 0.7, 1.0, 0.1),
        ] {
            assert_eq!(ease(timing, 0.0), 0.0, "{timing:?}");
            assert_eq!(ease(timing, 1.0), 1.0, "{timing:?}");
        }
    }

    #[test]
    fn ease_matches_browser_values() {
        // `ease` at 25%, 50%, 75%, solved by bisection to 1e-15.
        assert!((ease(TimingFunction::Ease, 0.25) - 0.4085).abs() < 1e-3);
        assert!((ease(TimingFunction::Ease, 0.5) - 0.8024).abs() < 1e-3);
        assert!((ease(TimingFunction::Ease, 0.75) - 0.9604).abs() < 1e-3);
        // ease-in-out is symmetric.
        let a = ease(TimingFunction::EaseInOut, 0.3);
        let b = ease(TimingFunction::EaseInOut, 0.7);
        assert!((a + b - 1.0).abs() < 1e-4);
        // A linear curve given as a Bézier is the identity.
        let linear = TimingFunction::CubicBezier(0.0, 0.0, 1.0, 1.0);
        assert!((ease(linear, 0.37) - 0.37).abs() < 1e-4);
    }

    #[test]
    fn steps_jump_where_told() {
        let end = TimingFunction::Steps {
            count: 4,
            jump_start: false,
        };
        assert_eq!(ease(end, 0.0), 0.0);
        assert_eq!(ease(end, 0.24), 0.0);
        assert_eq!(ease(end, 0.25), 0.25);
        assert_eq!(ease(end, 0.99), 0.75);
        assert_eq!(ease(end, 1.0), 1.0);
        let start = TimingFunction::Steps {
            count: 4,
            jump_start: true,
        };
        assert_eq!(ease(start, 0.0), 0.25);
        assert_eq!(ease(start, 0.8), 1.0);
    }
}
