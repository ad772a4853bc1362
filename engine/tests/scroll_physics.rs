//! Scroll physics (`cirrus_engine::scroll::physics`): the fling, bounce,
//! rubber band and eased `scrollTo` curves checked against their closed
//! forms, computed here independently (UIScrollView's 0.998 per ms, the
//! critically damped spring at ω = 16 rad/s, cubic ease-out), and against
//! reference numbers worked out by hand or published.

use cirrus_engine::scroll::physics::{
    rubber_band, rubber_band_inverse, AxisMotion, DECELERATION_RATE, MAX_FLING_VELOCITY,
    MIN_FLING_VELOCITY, REST_DISTANCE, RUBBER_BAND_COEFFICIENT, SPRING_ANGULAR_FREQUENCY,
};
use std::time::Duration;

/// UIScrollView's rate, written out (not read from the module).
const RATE: f64 = 0.998;
/// The spring's ω, written out.
const OMEGA: f64 = 16.0;

fn ms(value: f64) -> Duration {
    Duration::from_secs_f64(value / 1000.0)
}

/// The fling's closed form with time in milliseconds:
/// `x0 + v0·(r^t − 1)/(1000·ln r)` (velocities in px/s).
fn glide(x0: f64, v0: f64, t_ms: f64) -> f64 {
    x0 + v0 * (RATE.powf(t_ms) - 1.0) / (1000.0 * RATE.ln())
}

/// When a fling from `x0` at `v0` (> 0) reaches `edge`, in ms: solves
/// `glide(x0, v0, t) = edge` for `r^t`.
fn edge_time_ms(x0: f64, v0: f64, edge: f64) -> f64 {
    let power = 1.0 + (edge - x0) * 1000.0 * RATE.ln() / v0;
    power.ln() / RATE.ln()
}

/// Displacement of a critically damped spring from its edge `t_s` seconds
/// after starting `d0` px away at `v0` px/s.
fn spring(d0: f64, v0: f64, t_s: f64) -> f64 {
    (d0 + (v0 + OMEGA * d0) * t_s) * (-OMEGA * t_s).exp()
}

fn close(actual: f32, expected: f64, tolerance: f64, what: &str) {
    assert!(
        (f64::from(actual) - expected).abs() <= tolerance,
        "{what}: got {actual}, expected {expected} ± {tolerance}"
    );
}

/// `sample` every millisecond of the clock from `from_ms` to `to_ms`.
fn trace(motion: &AxisMotion, from_ms: u64, to_ms: u64) -> Vec<(f32, bool)> {
    (from_ms..=to_ms)
        .map(|t| motion.sample(Duration::from_millis(t)))
        .collect()
}

#[test]
fn constants_are_the_documented_ones() {
    assert_eq!(DECELERATION_RATE, 0.998);
    assert_eq!(RUBBER_BAND_COEFFICIENT, 0.55);
    assert_eq!(f64::from(SPRING_ANGULAR_FREQUENCY), OMEGA);
}

#[test]
fn fling_position_follows_the_uiscrollview_closed_form() {
    let motion = AxisMotion::fling(100.0, 2000.0, 10_000.0, true, Duration::ZERO).expect("moves");
    for t in [0.0, 16.0, 100.0, 333.0, 500.0, 1000.0, 2000.0] {
        let (position, finished) = motion.sample(ms(t));
        assert!(!finished, "still gliding at {t} ms");
        close(
            position,
            glide(100.0, 2000.0, t),
            0.05,
            &format!("x({t} ms)"),
        );
    }
    // Worked out by hand: 100 + 2000·(0.998^t − 1)/(1000·ln 0.998).
    close(motion.sample(ms(100.0)).0, 281.2517, 0.05, "x(100 ms)");
    close(motion.sample(ms(500.0)).0, 731.8560, 0.05, "x(500 ms)");
    close(motion.sample(ms(1000.0)).0, 964.0703, 0.05, "x(1000 ms)");
}

#[test]
fn fling_velocity_decays_by_the_rate_every_millisecond() {
    let motion = AxisMotion::fling(0.0, 2000.0, 10_000.0, true, Duration::ZERO).expect("moves");
    close(motion.velocity(Duration::ZERO), 2000.0, 1e-3, "v(0)");
    for t in [1.0, 10.0, 100.0, 500.0, 1500.0] {
        close(
            motion.velocity(ms(t)),
            2000.0 * RATE.powf(t),
            0.01,
            &format!("v({t} ms)"),
        );
        let ratio = motion.velocity(ms(t + 1.0)) / motion.velocity(ms(t));
        close(ratio, RATE, 1e-5, &format!("v({t}+1 ms)/v({t} ms)"));
    }
    // 0.998^500 = 0.36751...
    close(motion.velocity(ms(500.0)), 735.03, 0.05, "v(500 ms)");
}

#[test]
fn fling_decelerates_monotonically() {
    let motion = AxisMotion::fling(50.0, 3000.0, 100_000.0, true, Duration::ZERO).expect("moves");
    let mut previous = (50.0f32, 3000.0f32);
    // An odd step, so no instant coincides with a round number.
    for step in 1..=400 {
        let now = ms(f64::from(step) * 7.3);
        let (position, finished) = motion.sample(now);
        let velocity = motion.velocity(now);
        assert!(position >= previous.0, "position went back at {now:?}");
        assert!(velocity <= previous.1, "sped up at {now:?}");
        assert!(velocity >= 0.0);
        if finished {
            assert_eq!(velocity, 0.0);
        } else {
            assert!(
                velocity >= MIN_FLING_VELOCITY,
                "still moving below the minimum"
            );
        }
        previous = (position, velocity);
    }
}

#[test]
fn fling_ends_when_its_speed_falls_below_the_minimum() {
    let motion = AxisMotion::fling(100.0, 2000.0, 10_000.0, true, Duration::ZERO).expect("moves");
    // 2000·0.998^t = 20  ⇔  t = ln(0.01)/ln(0.998) = 2300.28 ms.
    let end_ms = (20.0f64 / 2000.0).ln() / RATE.ln();
    close(end_ms as f32, 2300.2817, 1e-3, "end time (by hand)");
    // The glide so far: 100 + (2000 − 20)/(1000·|ln 0.998|) = 1089.0097.
    let rest = glide(100.0, 2000.0, end_ms);
    close(rest as f32, 1089.0097, 1e-3, "rest (by hand)");
    close(motion.rest_position(), rest, 0.02, "rest_position");

    let (before, finished_before) = motion.sample(ms(end_ms - 1.0));
    assert!(!finished_before, "finished a millisecond early");
    close(
        before,
        glide(100.0, 2000.0, end_ms - 1.0),
        0.02,
        "just before the end",
    );
    close(
        motion.velocity(ms(end_ms - 1.0)),
        20.0 / RATE,
        0.01,
        "speed before the end",
    );

    let (after, finished_after) = motion.sample(ms(end_ms + 1.0));
    assert!(finished_after, "not finished a millisecond late");
    assert_eq!(after, motion.rest_position());
    assert_eq!(motion.velocity(ms(end_ms + 1.0)), 0.0);
    assert_eq!(motion.sample(Duration::from_secs(3600)), (after, true));
}

#[test]
fn slow_releases_in_range_do_not_fling() {
    let below = MIN_FLING_VELOCITY * 0.95;
    assert_eq!(
        AxisMotion::fling(300.0, below, 1000.0, true, Duration::ZERO),
        None
    );
    assert_eq!(
        AxisMotion::fling(300.0, -below, 1000.0, true, Duration::ZERO),
        None
    );
    assert_eq!(
        AxisMotion::fling(300.0, 0.0, 1000.0, false, Duration::ZERO),
        None
    );
    let just_enough = AxisMotion::fling(300.0, 25.0, 1000.0, true, Duration::ZERO);
    let motion = just_enough.expect("25 px/s flings");
    // (25 − 20)/(1000·|ln 0.998|) = 2.4975 px.
    close(motion.rest_position(), 302.4975, 0.01, "a short glide");
}

#[test]
fn fling_without_bounce_stops_exactly_at_the_edge() {
    let motion = AxisMotion::fling(0.0, 3000.0, 500.0, false, Duration::ZERO).expect("moves");
    let hit_ms = edge_time_ms(0.0, 3000.0, 500.0);
    close(hit_ms as f32, 202.7799, 1e-3, "edge time (by hand)");
    assert_eq!(motion.rest_position(), 500.0);

    let (position, finished) = motion.sample(ms(200.0));
    assert!(!finished);
    close(position, glide(0.0, 3000.0, 200.0), 0.05, "approaching");
    assert!(position < 500.0);
    assert!(!motion.sample(ms(hit_ms - 0.5)).1, "stopped early");
    assert_eq!(motion.sample(ms(hit_ms + 0.5)), (500.0, true));
    assert_eq!(motion.velocity(ms(hit_ms + 0.5)), 0.0);
    for (position, _) in trace(&motion, 0, 1000) {
        assert!(
            (0.0..=500.0).contains(&position),
            "left the range: {position}"
        );
    }
}

#[test]
fn fling_with_bounce_overshoots_and_returns_exactly_to_the_edge() {
    let motion = AxisMotion::fling(0.0, 3000.0, 500.0, true, Duration::ZERO).expect("moves");
    assert_eq!(motion.rest_position(), 500.0);
    let hit_ms = edge_time_ms(0.0, 3000.0, 500.0);
    // The speed at the edge: 3000·0.998^202.78 = 1999.0 px/s.
    let edge_speed = 3000.0 * RATE.powf(hit_ms);
    close(edge_speed as f32, 1998.9987, 1e-3, "edge speed (by hand)");
    close(
        motion.velocity(ms(hit_ms)),
        edge_speed,
        0.5,
        "velocity at the edge",
    );

    // Past the edge: the spring from the edge at that speed.
    for after in [10.0, 40.0, 62.5, 100.0, 200.0, 300.0] {
        let (position, finished) = motion.sample(ms(hit_ms + after));
        assert!(!finished);
        close(
            position,
            500.0 + spring(0.0, edge_speed, after / 1000.0),
            0.05,
            &format!("{after} ms past the edge"),
        );
    }
    // The farthest point, 1/ω after the edge: v/(ω·e) = 45.96 px out.
    close(
        motion.sample(ms(hit_ms + 62.5)).0,
        545.962,
        0.05,
        "the overshoot",
    );

    // Critically damped: crosses the edge once (going out), never back
    // below it, and rests exactly on it.
    let samples = trace(&motion, 0, 1500);
    let crossings = samples
        .windows(2)
        .filter(|w| (w[0].0 >= 500.0) != (w[1].0 >= 500.0))
        .count();
    assert_eq!(crossings, 1, "oscillated");
    let after_edge = hit_ms.ceil() as usize;
    assert!(samples[after_edge..].iter().all(|&(p, _)| p >= 500.0));
    // Settles about 471 ms after the edge (to half a px, slower than 10 px/s).
    assert!(!motion.sample(ms(hit_ms + 420.0)).1, "settled too soon");
    assert_eq!(motion.sample(ms(hit_ms + 520.0)), (500.0, true));
    assert_eq!(motion.velocity(ms(hit_ms + 520.0)), 0.0);
}

#[test]
fn a_gentle_fling_from_the_edge_still_bounces() {
    // At the end already, pushed on at 500 px/s: the spring starts on the
    // edge (displacement 0) but moving, so it is not at rest.
    let motion = AxisMotion::fling(500.0, 500.0, 500.0, true, Duration::ZERO).expect("moves");
    assert_eq!(motion.rest_position(), 500.0);
    close(
        motion.velocity(Duration::ZERO),
        500.0,
        1e-3,
        "starts moving",
    );
    // Peak v/(ω·e) = 11.496 px out, 1/ω = 62.5 ms after the start.
    close(motion.sample(ms(62.5)).0, 511.496, 0.01, "peak");
    close(
        motion.sample(ms(200.0)).0,
        500.0 + spring(0.0, 500.0, 0.2),
        0.01,
        "200 ms",
    );
    assert_eq!(motion.sample(Duration::from_secs(1)), (500.0, true));
}

#[test]
fn fling_towards_the_start_mirrors_one_towards_the_end() {
    let down = AxisMotion::fling(700.0, 2000.0, 1000.0, true, Duration::ZERO).expect("moves");
    let up = AxisMotion::fling(300.0, -2000.0, 1000.0, true, Duration::ZERO).expect("moves");
    assert_eq!(up.rest_position(), 0.0);
    assert_eq!(down.rest_position(), 1000.0);
    let mut went_past_start = false;
    for t in (0..1500).step_by(5) {
        let now = Duration::from_millis(t);
        let (a, done_a) = down.sample(now);
        let (b, done_b) = up.sample(now);
        assert_eq!(done_a, done_b, "at {t} ms");
        close(b, 1000.0 - f64::from(a), 1e-3, &format!("mirror at {t} ms"));
        close(
            up.velocity(now),
            -f64::from(down.velocity(now)),
            1e-3,
            "velocity",
        );
        went_past_start |= b < 0.0;
    }
    assert!(went_past_start, "the bounce overshoots the start");
}

#[test]
fn release_while_overscrolled_springs_back_to_the_nearest_edge() {
    // Pulled 80 px down past the top and let go.
    let start = Duration::from_secs(2);
    let motion = AxisMotion::fling(-80.0, 0.0, 1000.0, true, start).expect("moves");
    assert_eq!(motion.rest_position(), 0.0);
    // −80·(1 + 16·t)·e^(−16·t): −41.994 at 100 ms, −7.326 at 250 ms.
    close(motion.sample(start + ms(100.0)).0, -41.9945, 0.01, "100 ms");
    close(motion.sample(start + ms(250.0)).0, -7.3263, 0.01, "250 ms");
    for t in [30.0, 150.0, 333.0] {
        close(
            motion.sample(start + ms(t)).0,
            spring(-80.0, 0.0, t / 1000.0),
            0.01,
            &format!("{t} ms"),
        );
    }
    let mut previous = -80.0f32;
    for (position, _) in trace(&motion, 2000, 3000) {
        assert!(position >= previous && position <= 0.0, "went past the top");
        previous = position;
    }
    assert_eq!(motion.sample(start + ms(600.0)), (0.0, true));

    // Past the end, still moving outwards: goes farther, then comes back.
    let motion = AxisMotion::fling(1060.0, 500.0, 1000.0, true, Duration::ZERO).expect("moves");
    assert_eq!(motion.rest_position(), 1000.0);
    let farthest = trace(&motion, 0, 1000)
        .iter()
        .map(|s| s.0)
        .fold(f32::MIN, f32::max);
    // The peak of (60 + (500 + 960)·t)·e^(−16·t), at t = 500/(16·1460) s.
    let peak_t = 500.0 / (OMEGA * 1460.0);
    close(farthest, 1000.0 + spring(60.0, 500.0, peak_t), 0.05, "peak");
    assert!(farthest > 1060.0);
    assert_eq!(motion.sample(Duration::from_secs(1)), (1000.0, true));

    // Without `bounces` the content is still out of range: same spring.
    let no_bounce = AxisMotion::fling(-80.0, 0.0, 1000.0, false, start).expect("moves");
    close(
        no_bounce.sample(start + ms(100.0)).0,
        -41.9945,
        0.01,
        "no bounce, 100 ms",
    );
    assert_eq!(no_bounce.sample(start + ms(600.0)), (0.0, true));
}

#[test]
fn overscrolled_release_thrown_inwards_crosses_the_edge_at_most_once() {
    // 20 px above the top, thrown down into the content at 2000 px/s.
    let motion = AxisMotion::fling(-20.0, 2000.0, 1000.0, true, Duration::ZERO).expect("moves");
    assert_eq!(motion.rest_position(), 0.0);
    // Crosses when −20 + (2000 − 320)·t = 0: t = 11.9 ms.
    assert!(motion.sample(ms(11.0)).0 < 0.0);
    assert!(motion.sample(ms(13.0)).0 > 0.0);
    let samples = trace(&motion, 0, 1500);
    for (t, &(position, finished)) in samples.iter().enumerate().step_by(37) {
        let expected = spring(-20.0, 2000.0, t as f64 / 1000.0);
        if finished {
            // Settled: on the edge, where the spring is within rest distance.
            assert_eq!(position, 0.0);
            assert!(expected.abs() < f64::from(REST_DISTANCE), "{t} ms");
        } else {
            close(position, expected, 0.05, &format!("{t} ms"));
        }
    }
    let crossings = samples
        .windows(2)
        .filter(|w| (w[0].0 >= 0.0) != (w[1].0 >= 0.0))
        .count();
    assert_eq!(crossings, 1, "oscillated");
    // Once in, it never goes back above the top before resting on it.
    let first_in = samples.iter().position(|s| s.0 > 0.0).expect("crosses");
    assert!(samples[first_in..].iter().all(|s| s.0 >= 0.0));
    assert_eq!(samples.last(), Some(&(0.0, true)));
}

#[test]
fn a_bounce_back_settles_in_400_to_500_ms() {
    // 100 px out, released still: (1 + 16·t)·e^(−16·t)·100 < 0.5 from 464 ms.
    let motion = AxisMotion::fling(-100.0, 0.0, 800.0, true, Duration::ZERO).expect("moves");
    assert!(!motion.sample(ms(455.0)).1, "settled early");
    let (position, finished) = motion.sample(ms(470.0));
    assert!(finished, "not settled at 470 ms");
    assert_eq!(position, 0.0);
    // It finishes at the first millisecond the closed form is within the
    // rest distance (the speed, ~7 px/s there, is already below 10 px/s):
    // the jump onto the edge is never more than that distance.
    let first_done = trace(&motion, 0, 1000)
        .iter()
        .position(|s| s.1)
        .expect("finishes") as f64;
    let rest = f64::from(REST_DISTANCE);
    assert!(spring(-100.0, 0.0, first_done / 1000.0).abs() < rest);
    assert!(spring(-100.0, 0.0, (first_done - 1.0) / 1000.0).abs() >= rest);
    close(
        motion.sample(ms(463.0)).0,
        spring(-100.0, 0.0, 0.463),
        0.01,
        "tail",
    );
}

#[test]
fn rubber_band_matches_the_published_values() {
    // "Analysis of Apple's rubber band scrolling" (2013), d = 960.
    for (pull, moved) in [
        (5.0, 2.74),
        (10.0, 5.47),
        (100.0, 52.02),
        (400.0, 178.98),
        (960.0, 340.65),
    ] {
        // Published to two decimals.
        close(
            rubber_band(pull, 960.0),
            moved,
            0.0051,
            &format!("f({pull}, 960)"),
        );
    }
    // (1 − 1/(x·c/d + 1))·d written out for another viewport.
    let d = 667.0f64;
    for pull in [1.0, 37.5, 250.0, 1200.0] {
        let expected = (1.0 - 1.0 / (pull * 0.55 / d + 1.0)) * d;
        close(rubber_band(pull as f32, 667.0), expected, 1e-3, "formula");
    }
}

#[test]
fn rubber_band_is_odd_monotonic_and_bounded() {
    assert_eq!(rubber_band(0.0, 600.0), 0.0);
    // Slope c at the edge.
    close(rubber_band(0.01, 600.0) / 0.01, 0.55, 1e-4, "slope at 0");
    let mut previous = 0.0f32;
    for step in 1..=2000 {
        let pull = step as f32 * 2.5;
        let moved = rubber_band(pull, 600.0);
        assert_eq!(rubber_band(-pull, 600.0), -moved, "odd at {pull}");
        assert!(moved > previous, "not increasing at {pull}");
        assert!(moved < pull * 0.55 + 1e-3, "faster than c at {pull}");
        assert!(moved < 600.0);
        previous = moved;
    }
    // Never a whole viewport, however far the finger goes.
    assert!(rubber_band(1e30, 600.0) <= 600.0);
    assert!(rubber_band(1e30, 600.0) > 599.0);
    assert_eq!(rubber_band(f32::INFINITY, 600.0), 600.0);
    assert_eq!(rubber_band(f32::NEG_INFINITY, 600.0), -600.0);
}

#[test]
fn rubber_band_inverse_round_trips() {
    for dimension in [320.0f32, 667.0, 1024.0] {
        for step in -40..=40 {
            let pull = step as f32 * 25.0;
            let back = rubber_band_inverse(rubber_band(pull, dimension), dimension);
            close(
                back,
                f64::from(pull),
                1e-3 * f64::from(pull.abs()).max(1.0),
                "round trip",
            );
        }
    }
    // Independently: a displayed 52.02 px in 960 came from a 100 px pull.
    close(rubber_band_inverse(52.02, 960.0), 100.0, 0.01, "inverse");
    close(
        rubber_band_inverse(-52.02, 960.0),
        -100.0,
        0.01,
        "odd inverse",
    );
    // At or past the dimension (never displayed): large but finite.
    for displayed in [960.0f32, 5000.0, f32::INFINITY] {
        let finger = rubber_band_inverse(displayed, 960.0);
        assert!(
            finger.is_finite() && finger > 10_000.0,
            "{displayed} → {finger}"
        );
    }
}

#[test]
fn rubber_band_degenerate_inputs_are_finite() {
    for dimension in [0.0f32, -10.0, f32::NAN, f32::INFINITY] {
        assert_eq!(rubber_band(50.0, dimension), 0.0);
        assert_eq!(rubber_band_inverse(50.0, dimension), 0.0);
    }
    assert_eq!(rubber_band(f32::NAN, 500.0), 0.0);
    assert_eq!(rubber_band_inverse(f32::NAN, 500.0), 0.0);
    assert!(rubber_band(1.0, f32::MAX).is_finite());
    assert!(rubber_band_inverse(1.0, f32::MIN_POSITIVE).is_finite());
}

#[test]
fn scroll_to_eases_out_from_start_to_target() {
    let start = Duration::from_secs(1);
    let motion = AxisMotion::scroll_to(100.0, 500.0, ms(300.0), start);
    assert_eq!(motion.rest_position(), 500.0);
    assert_eq!(motion.sample(start), (100.0, false));
    // 1 − (1 − u)³: 19/27 of the way at a third of the time, 7/8 at half.
    close(
        motion.sample(start + ms(100.0)).0,
        381.4815,
        1e-3,
        "a third",
    );
    close(motion.sample(start + ms(150.0)).0, 450.0, 1e-3, "half");
    // Velocity: 400·3·(1 − u)²/0.3 s.
    close(motion.velocity(start), 4000.0, 0.01, "initial speed");
    close(
        motion.velocity(start + ms(150.0)),
        1000.0,
        0.01,
        "speed at half",
    );
    assert_eq!(motion.sample(start + ms(300.0)), (500.0, true));
    assert_eq!(motion.velocity(start + ms(300.0)), 0.0);

    let mut previous = 100.0f32;
    for (position, _) in trace(&motion, 1000, 1300) {
        assert!(position >= previous, "went back");
        previous = position;
    }
    // Eased out: more than half the way in the first half of the time.
    let upwards = AxisMotion::scroll_to(800.0, 200.0, ms(400.0), Duration::ZERO);
    let (midway, _) = upwards.sample(ms(200.0));
    close(midway, 800.0 - 600.0 * 0.875, 1e-3, "upwards, half");
    assert!(upwards.velocity(ms(200.0)) < 0.0);
}

#[test]
fn scroll_to_with_zero_duration_is_done_at_once() {
    let start = Duration::from_millis(500);
    let motion = AxisMotion::scroll_to(100.0, 640.0, Duration::ZERO, start);
    assert_eq!(motion.rest_position(), 640.0);
    assert_eq!(motion.sample(start), (640.0, true));
    assert_eq!(motion.sample(start + ms(16.0)), (640.0, true));
    assert_eq!(motion.velocity(start), 0.0);
    // Not begun yet: still where it starts.
    assert_eq!(motion.sample(Duration::from_millis(100)), (100.0, false));
}

#[test]
fn sampling_before_the_start_gives_the_start_position() {
    let start = Duration::from_secs(5);
    let fling = AxisMotion::fling(250.0, 1500.0, 5000.0, true, start).expect("moves");
    assert_eq!(fling.sample(Duration::from_secs(1)), (250.0, false));
    assert_eq!(fling.sample(Duration::ZERO), (250.0, false));
    close(
        fling.velocity(Duration::from_secs(1)),
        1500.0,
        1e-3,
        "velocity before",
    );
    // And the clock starts at `start`, not at 0.
    close(
        fling.sample(start + ms(100.0)).0,
        glide(250.0, 1500.0, 100.0),
        0.05,
        "100 ms in",
    );
    let spring_back = AxisMotion::fling(-30.0, 0.0, 100.0, true, start).expect("moves");
    assert_eq!(spring_back.sample(ms(10.0)), (-30.0, false));
}

#[test]
fn sampling_is_a_function_of_the_instant_only() {
    let motion = AxisMotion::fling(0.0, 4000.0, 1200.0, true, Duration::ZERO).expect("moves");
    // A sampler every 8 ms and one every 12 ms (the second walking the
    // clock backwards) agree wherever their instants meet (every 24 ms).
    let every_8: Vec<_> = (0..=150u64)
        .map(|i| motion.sample(Duration::from_millis(i * 8)))
        .collect();
    let every_12: Vec<_> = (0..=100u64)
        .rev()
        .map(|i| (i * 12, motion.sample(Duration::from_millis(i * 12))))
        .collect();
    for (t, sample) in every_12 {
        if t % 24 == 0 {
            assert_eq!(every_8[(t / 8) as usize], sample, "at {t} ms");
        }
    }
    // And they are the closed form, whatever came before.
    close(
        motion.sample(ms(96.0)).0,
        glide(0.0, 4000.0, 96.0),
        0.05,
        "96 ms",
    );
    let copy = motion.clone();
    assert_eq!(copy.sample(ms(321.0)), motion.sample(ms(321.0)));
}

#[test]
fn degenerate_inputs_give_finite_results() {
    let zero = Duration::ZERO;
    // NaN velocity: in range nothing moves; overscrolled it springs back.
    assert_eq!(AxisMotion::fling(10.0, f32::NAN, 100.0, true, zero), None);
    let back = AxisMotion::fling(-10.0, f32::NAN, 100.0, true, zero).expect("moves");
    assert_eq!(back.sample(Duration::from_secs(2)), (0.0, true));
    close(back.velocity(zero), 0.0, 1e-6, "NaN velocity taken as 0");

    // An infinite velocity is capped.
    let wild = AxisMotion::fling(0.0, f32::INFINITY, 1e9, true, zero).expect("moves");
    close(
        wild.velocity(zero),
        f64::from(MAX_FLING_VELOCITY),
        1e-3,
        "capped",
    );
    close(
        wild.sample(ms(100.0)).0,
        glide(0.0, f64::from(MAX_FLING_VELOCITY), 100.0),
        0.1,
        "capped glide",
    );

    // Nothing to scroll: max = 0 bounces back to 0, or does not move.
    let bounce = AxisMotion::fling(0.0, 2000.0, 0.0, true, zero).expect("bounces");
    assert_eq!(bounce.rest_position(), 0.0);
    assert!(bounce.sample(ms(62.5)).0 > 40.0, "overshoots at once");
    assert_eq!(bounce.sample(Duration::from_secs(1)), (0.0, true));
    assert_eq!(AxisMotion::fling(0.0, 2000.0, 0.0, false, zero), None);
    assert_eq!(AxisMotion::fling(500.0, 2000.0, 500.0, false, zero), None);

    // A negative or NaN max is taken as 0: position 10 is past the end.
    for max in [-50.0f32, f32::NAN, f32::NEG_INFINITY] {
        let motion = AxisMotion::fling(10.0, 0.0, max, true, zero).expect("springs back");
        assert_eq!(motion.rest_position(), 0.0);
        close(
            motion.sample(ms(100.0)).0,
            spring(10.0, 0.0, 0.1),
            0.01,
            "spring",
        );
        assert_eq!(motion.sample(Duration::from_secs(2)), (0.0, true));
    }

    let odd_inputs = [
        AxisMotion::fling(f32::NAN, 3000.0, 100.0, true, zero),
        AxisMotion::fling(f32::INFINITY, -3000.0, 100.0, true, zero),
        AxisMotion::fling(f32::NEG_INFINITY, f32::NAN, 100.0, false, zero),
        AxisMotion::fling(f32::MAX, f32::MAX, 100.0, true, zero),
        AxisMotion::fling(-f32::MAX, f32::MIN, f32::INFINITY, true, zero),
        AxisMotion::fling(5.0, 1e-30, f32::MAX, true, zero),
        AxisMotion::fling(1e20, 5000.0, 1e20, true, zero),
        Some(AxisMotion::scroll_to(f32::NAN, f32::NAN, ms(100.0), zero)),
        Some(AxisMotion::scroll_to(0.0, f32::INFINITY, ms(100.0), zero)),
        Some(AxisMotion::scroll_to(
            f32::NEG_INFINITY,
            f32::MAX,
            Duration::from_nanos(1),
            zero,
        )),
        Some(AxisMotion::scroll_to(
            1.0,
            2.0,
            Duration::MAX,
            Duration::MAX,
        )),
    ];
    let instants = [
        Duration::ZERO,
        Duration::from_nanos(1),
        ms(16.0),
        ms(250.0),
        Duration::from_secs(10),
        Duration::MAX,
    ];
    for motion in odd_inputs.iter().flatten() {
        assert!(motion.rest_position().is_finite(), "{motion:?}");
        for &now in &instants {
            let (position, _) = motion.sample(now);
            assert!(position.is_finite(), "{motion:?} at {now:?}: {position}");
            assert!(motion.velocity(now).is_finite(), "{motion:?} at {now:?}");
        }
    }
    // A huge overscroll still settles, exactly on the edge.
    let far = AxisMotion::fling(f32::MAX, 0.0, 100.0, true, zero).expect("moves");
    assert_eq!(far.sample(Duration::from_secs(60)), (100.0, true));
    // NaN position: taken as 0, which is in range; the fling runs from there.
    let from_nan = odd_inputs[0].as_ref().expect("moves");
    assert_eq!(from_nan.sample(zero), (0.0, false));
    assert_eq!(from_nan.rest_position(), 100.0);
    // NaN scrollTo target stays put.
    assert_eq!(
        AxisMotion::scroll_to(40.0, f32::NAN, ms(100.0), zero).sample(ms(50.0)),
        (40.0, false)
    );
}
