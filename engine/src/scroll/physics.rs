//! Scroll physics of a `<scroll-view>` on the render thread: what the
//! offset along one axis does after the finger lifts (a fling, a bounce
//! back from overscroll) or when a script asks for an animated
//! `scrollTo`, and how far content follows a finger dragged past an edge.
//!
//! Owns: the curves only. Every motion is a plain function of an explicit
//! clock (the render thread's controlled `Duration`), evaluated in closed
//! form at the instant asked for, never integrated frame by frame, so a
//! motion sampled at 30, 60 or 120 Hz (or once, in a test) passes through
//! the same positions. Who moves which scroll-view, clamping of the
//! resting offset by the caller's range and the events sent are the
//! parent module's business.
//!
//! Units: offsets in CSS px (`f32`, `0..=max` is the scroll range, below 0
//! or above `max` is overscroll), velocities in CSS px per second, positive
//! towards the content's end (increasing offset).
//!
//! Sources:
//! - Deceleration: `UIScrollView.DecelerationRate.normal` is 0.998, the
//!   fraction of its velocity a fling keeps per millisecond
//!   (<https://developer.apple.com/documentation/uikit/uiscrollview/decelerationrate>).
//!   As a continuous curve: `v(t) = v0·r^t` with `t` in ms, hence, with
//!   `k = 1000·ln r` (per second, about −2.002), `v(t) = v0·e^(k·t)` and
//!   `x(t) = x0 + v0·(e^(k·t) − 1)/k` with `t` in seconds. The whole
//!   glide would be `v0/|k|`, about half a second's worth of the release
//!   velocity.
//! - Rubber band: `f(x, d) = (1 − 1/(x·c/d + 1))·d` with `c` = 0.55, the
//!   formula Grant Paul (@chpwn) reverse-engineered from UIScrollView
//!   ("Analysis of Apple's rubber band scrolling",
//!   <http://squareb.wordpress.com/2013/01/06/31/>): `x` is how far the
//!   finger went past the edge, `d` the viewport's length along the axis.
//!   Content follows at rate `c` near the edge and can never be pulled a
//!   whole viewport away.
//! - Bounce back: a critically damped spring (as UIKit's bounce and
//!   Apple's "Designing Fluid Interfaces", WWDC 2018, recommend for motion
//!   that must not wobble), solved analytically: with `x0` the
//!   displacement from the edge and `v0` the velocity at the spring's
//!   start, `x(t) = edge + (x0 + (v0 + ω·x0)·t)·e^(−ω·t)`. Critical damping
//!   crosses the edge at most once and never oscillates.
//! - `scrollTo` with a duration: cubic ease-out, `1 − (1 − u)³`, fast start
//!   and gentle arrival, as a scroll the user did not start should look.

use std::time::Duration;

/// `UIScrollView.DecelerationRate.normal`: the fraction of its velocity a
/// fling keeps each millisecond.
pub const DECELERATION_RATE: f32 = 0.998;

/// The rubber band's `c`: how fast content follows the finger just past an
/// edge (0.55 px per px), UIScrollView's value.
pub const RUBBER_BAND_COEFFICIENT: f32 = 0.55;

/// Below this speed (px/s) a fling ends / does not start.
///
/// 20 px/s is a third of a CSS px per 60 Hz frame (one device pixel on a
/// 3x screen): stopping there is invisible, and a release slower than that
/// is a finger put down, not a flick. With [`DECELERATION_RATE`] the glide
/// left at that speed would be only about 10 px (`20/|k|`), so cutting it
/// costs nothing a reader could see.
pub const MIN_FLING_VELOCITY: f32 = 20.0;

/// The fastest release velocity (px/s) a fling starts with; faster ones
/// (a velocity estimate from two touch samples a fraction of a millisecond
/// apart, an infinite one) are taken at this speed. Android's
/// `ViewConfiguration` caps flings at 8000 dp/s for the same reason; at
/// 0.998/ms it is a glide of about 4000 px, several screens.
pub const MAX_FLING_VELOCITY: f32 = 8000.0;

/// When the motion is considered settled (px from its rest position).
///
/// Half a CSS px: the last jump to the exact rest position is at most a
/// device pixel or so, below what the eye tracks at the slow end of a
/// spring.
pub const REST_DISTANCE: f32 = 0.5;

/// With [`REST_DISTANCE`], when a spring is settled (px/s): slow enough
/// that the motion is not passing through its rest position at speed. At
/// half a px from rest the spring's own tail moves at about 7 px/s, so
/// this bound does not delay the end of an ordinary bounce.
pub const REST_VELOCITY: f32 = 10.0;

/// The bounce-back spring's natural angular frequency ω (rad/s); critically
/// damped, so its damping ratio is 1 (damping coefficient 2ω per unit
/// mass).
///
/// 16 rad/s settles a release 50 px past an edge in about 415 ms, 100 px
/// in about 465 ms and 200 px in about 515 ms (to [`REST_DISTANCE`]), the
/// 400–500 ms an iOS bounce takes. A fling reaching an edge at speed `v`
/// overshoots it by `v/(ω·e)`: 46 px at 2000 px/s.
pub const SPRING_ANGULAR_FREQUENCY: f32 = 16.0;

/// The share of the dimension [`rubber_band_inverse`] treats as the
/// largest displayed overscroll: [`rubber_band`] never reaches the
/// dimension itself, whose inverse would be an infinite finger distance.
const RUBBER_BAND_INVERSE_LIMIT: f64 = 0.999;

/// The rubber band: how far content moves (px) when the finger drags
/// `overscroll` px past an edge of a viewport `dimension` px long.
///
/// Odd (a negative overscroll, past the start edge, gives a negative
/// result), increasing, 0 at 0 with slope [`RUBBER_BAND_COEFFICIENT`], and
/// always less than `dimension` in magnitude. A `dimension` that is not a
/// positive finite length leaves no room to stretch: 0. A NaN overscroll
/// gives 0.
pub fn rubber_band(overscroll: f32, dimension: f32) -> f32 {
    let Some(d) = stretchable(dimension) else {
        return 0.0;
    };
    if overscroll.is_nan() {
        return 0.0;
    }
    let x = f64::from(overscroll.abs());
    let c = f64::from(RUBBER_BAND_COEFFICIENT);
    // (1 − 1/(x·c/d + 1))·d rewritten as x·c·d/(x·c + d): the same value,
    // without the cancellation of `1 − 1/(1 + tiny)` for a small pull.
    let moved = if x.is_infinite() {
        d
    } else {
        x * c * d / (x * c + d)
    };
    to_f32(moved).copysign(overscroll)
}

/// The inverse of [`rubber_band`]: given the displayed overscroll, the
/// finger distance past the edge that shows it, used to continue a drag
/// that starts while the content is already overscrolled.
///
/// Odd like the rubber band. A displayed overscroll at or beyond the
/// dimension (which no drag shows) is taken as 99.9% of it, so the answer
/// stays finite. A `dimension` that is not a positive finite length, or a
/// NaN displayed overscroll, gives 0.
pub fn rubber_band_inverse(displayed: f32, dimension: f32) -> f32 {
    let Some(d) = stretchable(dimension) else {
        return 0.0;
    };
    if displayed.is_nan() {
        return 0.0;
    }
    let y = f64::from(displayed.abs()).min(d * RUBBER_BAND_INVERSE_LIMIT);
    let c = f64::from(RUBBER_BAND_COEFFICIENT);
    // y = x·c·d/(x·c + d)  ⇔  x = y·d/(c·(d − y)).
    let finger = y * d / (c * (d - y));
    to_f32(finger).copysign(displayed)
}

/// A viewport length the rubber band can stretch against, as `f64`.
fn stretchable(dimension: f32) -> Option<f64> {
    (dimension.is_finite() && dimension > 0.0).then(|| f64::from(dimension))
}

/// One axis of a scroll-view in motion: a fling (decelerating, possibly
/// springing back from an edge), a bounce back from overscroll, or an
/// eased `scrollTo`.
#[derive(Clone, Debug, PartialEq)]
pub struct AxisMotion {
    /// The instant the motion begins, on the caller's clock.
    start: Duration,
    /// The position at (and before) `start`.
    origin: f32,
    /// The curves it runs through, one after the other, from `start`; none
    /// for a motion done at once.
    segments: Vec<Segment>,
    /// Where it rests once the last segment is over.
    rest: f32,
}

/// One curve of a motion, over `length` seconds.
#[derive(Clone, Debug, PartialEq)]
struct Segment {
    length: f64,
    curve: Curve,
}

/// The closed forms a motion is made of; `t` is seconds since the
/// segment's own start.
#[derive(Clone, Debug, PartialEq)]
enum Curve {
    /// UIScrollView's deceleration: `x = from + velocity·(e^(k·t) − 1)/k`.
    Decelerate { from: f64, velocity: f64 },
    /// The critically damped spring towards `edge`, starting `displacement`
    /// px from it at `velocity`.
    Spring {
        edge: f64,
        displacement: f64,
        velocity: f64,
    },
    /// Cubic ease-out from `from` to `to` over the segment's length.
    EaseOut { from: f64, to: f64 },
}

impl Curve {
    /// Position (px) and velocity (px/s) `t` seconds into a segment
    /// `length` seconds long.
    fn state(&self, t: f64, length: f64) -> (f64, f64) {
        match *self {
            Curve::Decelerate { from, velocity } => {
                let k = deceleration_exponent();
                let decay = (k * t).exp();
                (from + velocity * (decay - 1.0) / k, velocity * decay)
            }
            Curve::Spring {
                edge,
                displacement,
                velocity,
            } => {
                let (offset, speed) = spring_state(displacement, velocity, t);
                (edge + offset, speed)
            }
            Curve::EaseOut { from, to } => {
                let u = (t / length).clamp(0.0, 1.0);
                let left = 1.0 - u;
                let distance = to - from;
                (
                    from + distance * (1.0 - left * left * left),
                    distance * 3.0 * left * left / length,
                )
            }
        }
    }
}

/// `k = 1000·ln r`: the per-second exponent of the deceleration
/// (`r^(1000·t) = e^(k·t)`), negative.
fn deceleration_exponent() -> f64 {
    1000.0 * f64::from(DECELERATION_RATE).ln()
}

/// The spring's displacement from its edge and its velocity `t` seconds
/// after it started `displacement` px away at `velocity`:
/// `d(t) = (A + B·t)·e^(−ω·t)` with `A = displacement`, `B = velocity +
/// ω·A`, and `d'(t) = (velocity − ω·B·t)·e^(−ω·t)`.
fn spring_state(displacement: f64, velocity: f64, t: f64) -> (f64, f64) {
    let omega = f64::from(SPRING_ANGULAR_FREQUENCY);
    let b = velocity + omega * displacement;
    let decay = (-omega * t).exp();
    if decay == 0.0 {
        // Long settled; also keeps `huge · 0` from meeting an infinity.
        return (0.0, 0.0);
    }
    (
        (displacement + b * t) * decay,
        (velocity - omega * b * t) * decay,
    )
}

/// How long (s) a spring starting `displacement` px from its edge at
/// `velocity` takes to settle: from then on it stays within
/// [`REST_DISTANCE`] of the edge, slower than [`REST_VELOCITY`].
///
/// A critically damped spring crosses its edge at most once, then peaks,
/// then creeps back; its speed peaks once more (at the inflection, `1/ω`
/// after the displacement's peak) and then only falls. From that instant
/// on both distance and speed shrink monotonically, so "settled" is
/// monotonic there and a bisection finds its first instant. The search is
/// a fixed number of steps: the same inputs give the same time.
fn spring_settle_time(displacement: f64, velocity: f64) -> f64 {
    let omega = f64::from(SPRING_ANGULAR_FREQUENCY);
    let settled = |t: f64| {
        let (offset, speed) = spring_state(displacement, velocity, t);
        offset.abs() < f64::from(REST_DISTANCE) && speed.abs() < f64::from(REST_VELOCITY)
    };
    if settled(0.0) {
        return 0.0;
    }
    let b = velocity + omega * displacement;
    // The displacement's extremum (d' = 0) and the inflection 1/ω later.
    let peak = if b == 0.0 {
        0.0
    } else {
        velocity / (omega * b)
    };
    let monotonic_from = (peak + 1.0 / omega).max(0.0);
    if settled(monotonic_from) {
        // Settled by then (perhaps a little earlier): end here, where it
        // is sure to stay settled.
        return monotonic_from;
    }
    let (mut unsettled, mut hi) = (monotonic_from, monotonic_from + 1.0 / omega);
    // Doubling reaches any finite start: e^(−ω·t) outruns every displacement
    // an f32 can hold within a few seconds.
    for _ in 0..128 {
        if settled(hi) {
            break;
        }
        unsettled = hi;
        hi *= 2.0;
    }
    for _ in 0..64 {
        let mid = 0.5 * (unsettled + hi);
        if settled(mid) {
            hi = mid;
        } else {
            unsettled = mid;
        }
    }
    hi
}

impl AxisMotion {
    /// The finger left at `position` (unclamped offset: < 0 or > max is
    /// overscroll) with `velocity`.
    ///
    /// Range is `[0, max]` (a negative or NaN `max` is 0). In range, the
    /// motion decelerates as UIScrollView until its speed falls below
    /// [`MIN_FLING_VELOCITY`] (a release faster than [`MAX_FLING_VELOCITY`]
    /// is taken at that speed). With `bounces`, a fling that reaches an
    /// edge overshoots: the spring starts at the edge with the velocity
    /// the fling had there (decelerating much harder than the glide, like
    /// iOS) and brings it back to the edge; without `bounces`, it stops at
    /// the edge. A release while overscrolled springs back to the nearest
    /// edge, with the release velocity as the spring's initial velocity,
    /// whatever `bounces` says (the content is out of range either way).
    ///
    /// Returns `None` when nothing moves: in range and slower than
    /// [`MIN_FLING_VELOCITY`], or, without `bounces`, already at the edge
    /// the fling heads for. A NaN position is taken as 0 and an infinite
    /// one as the edge it is beyond; a NaN velocity as 0.
    pub fn fling(
        position: f32,
        velocity: f32,
        max: f32,
        bounces: bool,
        start: Duration,
    ) -> Option<AxisMotion> {
        let max = if max > 0.0 { max.min(f32::MAX) } else { 0.0 };
        let position = if position.is_nan() {
            0.0
        } else if position.is_infinite() {
            position.clamp(0.0, max)
        } else {
            position
        };
        let velocity = if velocity.is_nan() {
            0.0
        } else {
            velocity.clamp(-MAX_FLING_VELOCITY, MAX_FLING_VELOCITY)
        };
        let (x0, v0, top) = (f64::from(position), f64::from(velocity), f64::from(max));

        if x0 < 0.0 || x0 > top {
            let edge = if x0 < 0.0 { 0.0 } else { top };
            return Some(Self::spring(
                start,
                position,
                edge,
                x0 - edge,
                v0,
                Vec::new(),
            ));
        }
        if velocity.abs() < MIN_FLING_VELOCITY {
            return None;
        }

        let k = deceleration_exponent();
        let min_speed = f64::from(MIN_FLING_VELOCITY);
        // v(t) = v0·e^(k·t) = ±vmin  ⇔  t = ln(vmin/|v0|)/k.
        let glide_time = (min_speed / v0.abs()).ln() / k;
        // x(glide_time) − x0 = v0·(vmin/|v0| − 1)/k.
        let glide = (v0 - min_speed.copysign(v0)) / -k;
        let edge = if v0 > 0.0 { top } else { 0.0 };
        let room = edge - x0;

        if glide.abs() < room.abs() {
            let rest = to_f32(x0 + glide).clamp(0.0, max);
            return Some(AxisMotion {
                start,
                origin: position,
                segments: vec![Segment {
                    length: glide_time,
                    curve: Curve::Decelerate {
                        from: x0,
                        velocity: v0,
                    },
                }],
                rest,
            });
        }

        // x(t) = edge  ⇔  e^(k·t) = 1 + k·room/v0  ⇔  t = ln(1 + k·room/v0)/k.
        // Here |room| ≤ |glide| = (|v0| − vmin)/|k| and room has v0's sign
        // (or is 0), so the log's argument lies in [vmin/|v0|, 1]: the edge
        // is reached within the glide.
        let hit_time = ((1.0 + k * room / v0).ln() / k).clamp(0.0, glide_time);
        let approach = (hit_time > 0.0).then_some(Segment {
            length: hit_time,
            curve: Curve::Decelerate {
                from: x0,
                velocity: v0,
            },
        });
        if !bounces {
            let approach = approach?;
            return Some(AxisMotion {
                start,
                origin: position,
                segments: vec![approach],
                rest: to_f32(edge),
            });
        }
        let speed_at_edge = v0 * (k * hit_time).exp();
        let before: Vec<Segment> = approach.into_iter().collect();
        Some(Self::spring(
            start,
            position,
            edge,
            0.0,
            speed_at_edge,
            before,
        ))
    }

    /// `scrollTo({top, duration})`: from `from` to `to` (clamped to
    /// `[0, max]` by the caller) over `duration`, with a cubic ease-out
    /// (`1 − (1 − u)³` of the way at `u` of the time). Zero duration: a
    /// motion that is done at once at `to`.
    ///
    /// A NaN `to` stays at `from`, a NaN `from` starts at `to`; infinities
    /// are taken as the largest finite `f32`.
    pub fn scroll_to(from: f32, to: f32, duration: Duration, start: Duration) -> AxisMotion {
        let to = if to.is_nan() { from } else { to };
        let (from, to) = (finite(from, to), finite(to, from));
        let length = duration.as_secs_f64();
        let segments = if length > 0.0 {
            vec![Segment {
                length,
                curve: Curve::EaseOut {
                    from: f64::from(from),
                    to: f64::from(to),
                },
            }]
        } else {
            Vec::new()
        };
        AxisMotion {
            start,
            origin: from,
            segments,
            rest: to,
        }
    }

    /// Position at `now` (before `start`: the start position, not finished)
    /// and whether the motion has finished (then the position is exactly
    /// its rest position: an edge, the fling's end, or `to`).
    pub fn sample(&self, now: Duration) -> (f32, bool) {
        if now < self.start {
            return (self.origin, false);
        }
        match self.state_at(now) {
            Some((position, _)) => (to_f32(position), false),
            None => (self.rest, true),
        }
    }

    /// Velocity (px/s) at `now` (0 once finished; before `start`, the
    /// velocity the motion starts with).
    pub fn velocity(&self, now: Duration) -> f32 {
        match self.state_at(now.max(self.start)) {
            Some((_, velocity)) => to_f32(velocity),
            None => 0.0,
        }
    }

    /// Where the motion will rest (fling end clamped / edge / `to`).
    pub fn rest_position(&self) -> f32 {
        self.rest
    }

    /// A motion whose last segment is the spring towards `edge` from
    /// `displacement` px away at `velocity`, after `before`; done at once
    /// when the spring starts settled.
    fn spring(
        start: Duration,
        origin: f32,
        edge: f64,
        displacement: f64,
        velocity: f64,
        mut segments: Vec<Segment>,
    ) -> AxisMotion {
        let length = spring_settle_time(displacement, velocity);
        if length > 0.0 {
            segments.push(Segment {
                length,
                curve: Curve::Spring {
                    edge,
                    displacement,
                    velocity,
                },
            });
        }
        AxisMotion {
            start,
            origin,
            segments,
            rest: to_f32(edge),
        }
    }

    /// Position and velocity at `now` (not before `start`), or `None` once
    /// every segment is over.
    fn state_at(&self, now: Duration) -> Option<(f64, f64)> {
        let mut t = now.saturating_sub(self.start).as_secs_f64();
        for segment in &self.segments {
            if t < segment.length {
                return Some(segment.curve.state(t, segment.length));
            }
            t -= segment.length;
        }
        None
    }
}

/// `value`, or `fallback` when NaN, with infinities brought to the largest
/// finite `f32`.
fn finite(value: f32, fallback: f32) -> f32 {
    let value = if value.is_nan() { fallback } else { value };
    if value.is_nan() {
        0.0
    } else {
        value.clamp(-f32::MAX, f32::MAX)
    }
}

/// An `f64` result as a finite `f32` (saturating; NaN, which the curves do
/// not produce from sanitized inputs, as 0).
fn to_f32(value: f64) -> f32 {
    if value.is_nan() {
        0.0
    } else {
        value.clamp(-f64::from(f32::MAX), f64::from(f32::MAX)) as f32
    }
}
