//! Pointer velocity as Flutter estimates it (`velocity_tracker.dart`,
//! `lsq_solver.dart`): a least-squares quadratic fit of the positions of
//! the last 100 ms, its slope at the newest sample.

use super::{Offset, Point, Velocity};
use std::time::Duration;

/// `_historySize`: the samples kept.
const HISTORY: usize = 20;
/// `_horizonMilliseconds`: older samples are ignored.
const HORIZON_MS: f64 = 100.0;
/// `_assumePointerMoveStoppedMilliseconds`: a gap this long between two
/// samples means the finger stopped; samples before it are ignored.
const STOPPED_MS: f64 = 40.0;
/// `_minSampleSize`: fewer samples give no estimate (zero velocity).
const MIN_SAMPLES: usize = 3;

/// `VelocityEstimate`: the velocity, and the span of samples it came from.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct VelocityEstimate {
    pub velocity: Velocity,
    /// From the oldest sample used to the newest (Flutter checks it
    /// against the slop before calling a release a fling).
    pub offset: Offset,
    pub duration: Duration,
}

/// The recent positions of one pointer.
#[derive(Clone, Debug, Default)]
pub struct VelocityTracker {
    samples: [Option<(Duration, Point)>; HISTORY],
    /// Where the newest sample is.
    index: usize,
}

impl VelocityTracker {
    pub fn new() -> VelocityTracker {
        VelocityTracker::default()
    }

    pub fn add(&mut self, time: Duration, position: Point) {
        self.index = (self.index + 1) % HISTORY;
        self.samples[self.index] = Some((time, position));
    }

    /// The estimate at `now`, `None` before any sample. A pointer that has
    /// not moved for 40 ms has stopped: zero (Flutter measures that with
    /// a stopwatch since the last sample; here the caller's clock).
    pub fn estimate(&self, now: Duration) -> Option<VelocityEstimate> {
        let (newest_time, newest_point) = self.samples[self.index]?;
        if ms(now.saturating_sub(newest_time)) > STOPPED_MS {
            return Some(VelocityEstimate {
                velocity: Velocity::ZERO,
                offset: Offset::ZERO,
                duration: Duration::ZERO,
            });
        }
        let mut times = Vec::with_capacity(HISTORY);
        let mut xs = Vec::with_capacity(HISTORY);
        let mut ys = Vec::with_capacity(HISTORY);
        let mut previous_time = newest_time;
        let (mut oldest_time, mut oldest_point) = (newest_time, newest_point);
        let mut index = self.index;
        for _ in 0..HISTORY {
            let Some((time, point)) = self.samples[index] else {
                break;
            };
            let age = ms(newest_time.saturating_sub(time));
            let gap = ms(time.abs_diff(previous_time));
            previous_time = time;
            if age > HORIZON_MS || gap > STOPPED_MS {
                break;
            }
            (oldest_time, oldest_point) = (time, point);
            times.push(-age);
            xs.push(f64::from(point.x));
            ys.push(f64::from(point.y));
            index = (index + HISTORY - 1) % HISTORY;
        }
        let offset = newest_point.minus(oldest_point);
        let duration = newest_time.saturating_sub(oldest_time);
        let velocity = if times.len() >= MIN_SAMPLES {
            match (slope_at_zero(&times, &xs), slope_at_zero(&times, &ys)) {
                // Positions per millisecond, to per second.
                (Some(vx), Some(vy)) => Velocity::new((vx * 1000.0) as f32, (vy * 1000.0) as f32),
                _ => Velocity::ZERO,
            }
        } else {
            Velocity::ZERO
        };
        Some(VelocityEstimate {
            velocity,
            offset,
            duration,
        })
    }
}

fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

/// The linear coefficient of the least-squares quadratic through
/// `(t, v)`: the slope at `t = 0` (the newest sample). `None` when the
/// system is degenerate (fewer than three distinct times), where Flutter's
/// QR solver also gives up.
fn slope_at_zero(t: &[f64], v: &[f64]) -> Option<f64> {
    // Normal equations of the fit c0 + c1 t + c2 t^2, unit weights.
    let mut s = [0.0f64; 5];
    let mut r = [0.0f64; 3];
    for (&t, &v) in t.iter().zip(v) {
        let mut power = 1.0;
        for (k, sum) in s.iter_mut().enumerate() {
            *sum += power;
            if k < 3 {
                r[k] += power * v;
            }
            power *= t;
        }
    }
    let mut m = [
        [s[0], s[1], s[2], r[0]],
        [s[1], s[2], s[3], r[1]],
        [s[2], s[3], s[4], r[2]],
    ];
    // Gaussian elimination with partial pivoting.
    let scale = s.iter().fold(0.0f64, |a, b| a.max(b.abs())).max(1.0);
    for col in 0..3 {
        let pivot = (col..3).max_by(|&a, &b| m[a][col].abs().total_cmp(&m[b][col].abs()))?;
        if m[pivot][col].abs() < 1e-9 * scale {
            return None;
        }
        m.swap(col, pivot);
        for row in col + 1..3 {
            let factor = m[row][col] / m[col][col];
            let pivot_row = m[col];
            for (cell, pivot_cell) in m[row].iter_mut().zip(pivot_row).skip(col) {
                *cell -= factor * pivot_cell;
            }
        }
    }
    let mut c = [0.0f64; 3];
    for row in (0..3).rev() {
        let mut value = m[row][3];
        for (k, coefficient) in c.iter().enumerate().skip(row + 1) {
            value -= m[row][k] * coefficient;
        }
        c[row] = value / m[row][row];
    }
    c[1].is_finite().then_some(c[1])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(ms: u64) -> Duration {
        Duration::from_millis(ms)
    }

    #[test]
    fn constant_speed_is_exact() {
        let mut tracker = VelocityTracker::new();
        for i in 0..10u64 {
            tracker.add(
                at(i * 10),
                Point::new(i as f32 * 5.0, 100.0 - i as f32 * 2.0),
            );
        }
        let estimate = tracker.estimate(at(90)).expect("samples");
        assert!((estimate.velocity.x - 500.0).abs() < 0.01, "{estimate:?}");
        assert!((estimate.velocity.y + 200.0).abs() < 0.01, "{estimate:?}");
    }

    #[test]
    fn only_the_last_100_ms_count() {
        let mut tracker = VelocityTracker::new();
        // Fast, then (for the last 100 ms) slow.
        for i in 0..5u64 {
            tracker.add(at(i * 10), Point::new(i as f32 * 50.0, 0.0));
        }
        let base = 200.0;
        for i in 0..=10u64 {
            tracker.add(at(50 + i * 10), Point::new(base + i as f32, 0.0));
        }
        let estimate = tracker.estimate(at(150)).expect("samples");
        assert!((estimate.velocity.x - 100.0).abs() < 0.01, "{estimate:?}");
    }

    #[test]
    fn a_pause_or_too_few_samples_is_no_velocity() {
        let mut tracker = VelocityTracker::new();
        tracker.add(at(0), Point::new(0.0, 0.0));
        tracker.add(at(10), Point::new(10.0, 0.0));
        assert_eq!(
            tracker.estimate(at(10)).map(|e| e.velocity),
            Some(Velocity::ZERO)
        );
        tracker.add(at(20), Point::new(20.0, 0.0));
        assert!(tracker
            .estimate(at(20))
            .is_some_and(|e| e.velocity.x > 900.0));
        // No sample for 41 ms: the finger stopped.
        assert_eq!(
            tracker.estimate(at(61)).map(|e| e.velocity),
            Some(Velocity::ZERO)
        );
        // The finger rested 50 ms before this sample: it stopped.
        tracker.add(at(70), Point::new(20.0, 0.0));
        assert_eq!(
            tracker.estimate(at(70)).map(|e| e.velocity),
            Some(Velocity::ZERO)
        );
        assert_eq!(VelocityTracker::new().estimate(at(0)), None);
    }
}
