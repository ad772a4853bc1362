//! The worklet animation library (`engine::worklet::animations`) against
//! analytic curves, driven by a controlled frame clock at 60 Hz and 120 Hz:
//! timing against its easing, springs against an RK4 integration of
//! `m x'' + c x' + k x = 0`, decay against its closed form, and the
//! combinators' timings and callbacks.

use cirrus_engine::worklet::animations::{install, GLOBAL};
use rquickjs::{Context, Ctx, FromJs, Runtime};

/// A UI context with the library installed, `A` = the library, `h` (and
/// `h2`) holders, and `cb(tag)` making callbacks that append
/// `[tag, finished, value]` to `log`.
struct Ui {
    _rt: Runtime,
    ctx: Context,
}

fn describe(ctx: &Ctx<'_>, error: rquickjs::Error, src: &str) -> String {
    if matches!(error, rquickjs::Error::Exception) {
        let caught = ctx.catch();
        if let Some(exception) = caught.as_exception() {
            return format!(
                "{src}\n  threw {:?}\n{}",
                exception.message(),
                exception.stack().unwrap_or_default()
            );
        }
        return format!("{src}\n  threw {caught:?}");
    }
    format!("{src}\n  failed: {error}")
}

impl Ui {
    fn new() -> Ui {
        let rt = Runtime::new().unwrap();
        let ctx = Context::full(&rt).unwrap();
        ctx.with(|ctx| install(&ctx).unwrap());
        let ui = Ui { _rt: rt, ctx };
        ui.run(&format!(
            "globalThis.A = globalThis.{GLOBAL};
             globalThis.h = {{ value: 0 }};
             globalThis.h2 = {{ value: 0 }};
             globalThis.log = [];
             globalThis.cb = (tag) => (finished, value) => {{ log.push([tag, finished, value]); }};"
        ));
        ui
    }

    fn eval<T: for<'js> FromJs<'js>>(&self, src: &str) -> T {
        self.ctx.with(|ctx| match ctx.eval::<T, _>(src) {
            Ok(value) => value,
            Err(error) => panic!("{}", describe(&ctx, error, src)),
        })
    }

    /// The error message `src` throws.
    fn eval_err(&self, src: &str) -> String {
        self.ctx.with(|ctx| match ctx.eval::<(), _>(src) {
            Ok(()) => panic!("{src} did not throw"),
            Err(rquickjs::Error::Exception) => {
                let caught = ctx.catch();
                match caught.as_exception() {
                    Some(e) => format!(
                        "{}: {}",
                        e.get::<_, String>("name").unwrap_or_default(),
                        e.message().unwrap_or_default()
                    ),
                    None => format!("{caught:?}"),
                }
            }
            Err(other) => panic!("{src}: {other}"),
        })
    }

    fn run(&self, src: &str) {
        self.eval::<()>(src)
    }

    /// `A.frame(now)`: whether any animation still runs.
    fn frame(&self, now: f64) -> bool {
        self.eval(&format!("A.frame({now:?})"))
    }

    fn value(&self, holder: &str) -> f64 {
        self.eval(&format!("{holder}.value"))
    }

    fn text(&self, holder: &str) -> String {
        self.eval(&format!("String({holder}.value)"))
    }

    fn animating(&self, holder: &str) -> bool {
        self.eval(&format!("A.isAnimating({holder})"))
    }

    /// The callbacks so far, as `(tag, finished, value)`. Read as JS
    /// values, not through JSON, so the numbers are the exact doubles.
    fn calls(&self) -> Vec<(String, bool, f64)> {
        let tags: Vec<String> = self.eval("log.map((c) => String(c[0]))");
        let finished: Vec<bool> = self.eval("log.map((c) => c[1] === true)");
        let values: Vec<f64> = self.eval("log.map((c) => Number(c[2]))");
        tags.into_iter()
            .zip(finished)
            .zip(values)
            .map(|((tag, finished), value)| (tag, finished, value))
            .collect()
    }
}

/// Frame times after `t0` at `hz`, up to and including `until`, each
/// computed from its index (no accumulated rounding): a vsync clock.
fn frames(t0: f64, hz: f64, until: f64) -> Vec<f64> {
    (1..)
        .map(|n| t0 + (n as f64 * 1000.0) / hz)
        .take_while(|&t| t <= until + 1e-9)
        .collect()
}

const RATES: [f64; 2] = [60.0, 120.0];

fn close(actual: f64, expected: f64, tol: f64, what: &str) {
    assert!(
        (actual - expected).abs() <= tol,
        "{what}: got {actual}, expected {expected} (diff {:e}, tol {tol:e})",
        (actual - expected).abs()
    );
}

// ---------------------------------------------------------------- references

/// y of the cubic Bezier through (0,0), (x1,y1), (x2,y2), (1,1) at x, by
/// bisection on the (monotone) x polynomial to full precision.
fn cubic_bezier(x1: f64, y1: f64, x2: f64, y2: f64, x: f64) -> f64 {
    let coord = |s: f64, p1: f64, p2: f64| {
        3.0 * (1.0 - s) * (1.0 - s) * s * p1 + 3.0 * (1.0 - s) * s * s * p2 + s * s * s
    };
    let (mut lo, mut hi) = (0.0_f64, 1.0_f64);
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if coord(mid, x1, x2) < x {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    coord(0.5 * (lo + hi), y1, y2)
}

/// A damped oscillator m x'' + c x' + k x = 0 (x: displacement from the
/// target, t in seconds), integrated with classical RK4 at a fine step.
#[derive(Clone, Copy, Debug)]
struct Oscillator {
    mass: f64,
    damping: f64,
    stiffness: f64,
}

impl Oscillator {
    fn accel(&self, x: f64, v: f64) -> f64 {
        -(self.damping * v + self.stiffness * x) / self.mass
    }

    /// (x, v) at each of `times` (seconds, ascending) from (x0, v0) at 0.
    fn rk4(&self, x0: f64, v0: f64, times: &[f64]) -> Vec<(f64, f64)> {
        const STEP: f64 = 1e-5;
        let (mut t, mut x, mut v) = (0.0_f64, x0, v0);
        let mut out = Vec::with_capacity(times.len());
        for &target in times {
            while t < target {
                let h = STEP.min(target - t);
                let (k1x, k1v) = (v, self.accel(x, v));
                let (k2x, k2v) = (
                    v + 0.5 * h * k1v,
                    self.accel(x + 0.5 * h * k1x, v + 0.5 * h * k1v),
                );
                let (k3x, k3v) = (
                    v + 0.5 * h * k2v,
                    self.accel(x + 0.5 * h * k2x, v + 0.5 * h * k2v),
                );
                let (k4x, k4v) = (v + h * k3v, self.accel(x + h * k3x, v + h * k3v));
                x += h / 6.0 * (k1x + 2.0 * k2x + 2.0 * k3x + k4x);
                v += h / 6.0 * (k1v + 2.0 * k2v + 2.0 * k3v + k4v);
                t = if target - t <= STEP { target } else { t + h };
            }
            out.push((x, v));
        }
        out
    }
}

/// Reanimated 1's decay law: position `ms` after the start.
fn decay_position(x0: f64, velocity: f64, deceleration: f64, factor: f64, ms: f64) -> f64 {
    x0 + factor * (velocity / 1000.0) * deceleration * (1.0 - deceleration.powf(ms))
        / (1.0 - deceleration)
}

// ---------------------------------------------------------------- timing

#[test]
fn timing_linear_follows_the_line_and_ends_exactly_at_duration() {
    for hz in RATES {
        let ui = Ui::new();
        let t0 = 1000.0;
        ui.run("h.value = 10");
        let animating: bool = ui.eval(&format!(
            "A.animateTo(h, A.timing(110, {{ duration: 500, easing: A.Easing.linear }}, cb('t')), {t0:?})"
        ));
        assert!(animating);
        assert_eq!(ui.value("h"), 10.0, "the first step is at runtime 0");
        for t in frames(t0, hz, t0 + 700.0) {
            let running = ui.frame(t);
            let v = ui.value("h");
            let progress = ((t - t0) / 500.0).min(1.0);
            close(v, 10.0 + 100.0 * progress, 1e-9, &format!("{hz} Hz at {t}"));
            if t >= t0 + 500.0 {
                assert_eq!(v, 110.0, "exactly the target from the duration on");
                assert!(!running);
                assert_eq!(ui.calls(), vec![("t".to_owned(), true, 110.0)]);
            } else {
                assert!(running, "{hz} Hz: still running at {t}");
                assert!(ui.calls().is_empty());
            }
        }
        assert!(!ui.animating("h"));
    }
}

#[test]
fn timing_defaults_to_300_ms_in_out_quad() {
    let in_out_quad = |x: f64| {
        if x < 0.5 {
            2.0 * x * x
        } else {
            1.0 - 2.0 * (1.0 - x) * (1.0 - x)
        }
    };
    for hz in RATES {
        let ui = Ui::new();
        ui.run("A.animateTo(h, A.timing(-40, undefined, cb('t')), 0)");
        for t in frames(0.0, hz, 400.0) {
            ui.frame(t);
            let x = (t / 300.0).min(1.0);
            close(
                ui.value("h"),
                -40.0 * in_out_quad(x),
                1e-9,
                &format!("{hz} Hz at {t}"),
            );
        }
        assert_eq!(ui.value("h"), -40.0);
        assert_eq!(ui.calls(), vec![("t".to_owned(), true, -40.0)]);
    }
}

#[test]
fn timing_with_bezier_easing_follows_the_css_curve() {
    // Easing.bezier in both of its forms: the `{ factory }` object
    // Reanimated's timing takes, and Easing.bezierFn's plain function.
    let cases = [
        (
            "A.Easing.bezier(0.25, 0.1, 0.25, 1)",
            (0.25, 0.1, 0.25, 1.0),
        ),
        (
            "A.Easing.bezierFn(0.42, 0, 0.58, 1)",
            (0.42, 0.0, 0.58, 1.0),
        ),
        (
            "{ factory: () => A.Easing.bezierFn(0.68, -0.55, 0.265, 1.55) }",
            (0.68, -0.55, 0.265, 1.55),
        ),
    ];
    for hz in RATES {
        for (easing, (x1, y1, x2, y2)) in cases {
            let ui = Ui::new();
            ui.run(&format!(
                "A.animateTo(h, A.timing(200, {{ duration: 400, easing: {easing} }}, cb('b')), 100)"
            ));
            for t in frames(100.0, hz, 600.0) {
                ui.frame(t);
                let x = ((t - 100.0) / 400.0).min(1.0);
                let expected = 200.0 * cubic_bezier(x1, y1, x2, y2, x);
                close(
                    ui.value("h"),
                    expected,
                    200.0 * 1e-6,
                    &format!("{easing} {hz} Hz at {t}"),
                );
            }
            assert_eq!(ui.value("h"), 200.0);
            assert_eq!(ui.calls(), vec![("b".to_owned(), true, 200.0)]);
        }
    }
}

#[test]
fn timing_edge_cases() {
    let ui = Ui::new();
    // Zero duration: done in the assignment's own step.
    let animating: bool =
        ui.eval("h.value = 3; A.animateTo(h, A.timing(7, { duration: 0 }, cb('zero')), 50)");
    assert!(!animating);
    assert_eq!(ui.value("h"), 7.0);
    // Already at the target: finished at once, no animation (valueSetter.ts).
    let animating: bool = ui.eval("A.animateTo(h, A.timing(7, {}, cb('same')), 60)");
    assert!(!animating);
    assert_eq!(
        ui.calls(),
        vec![
            ("zero".to_owned(), true, 7.0),
            ("same".to_owned(), true, 7.0)
        ]
    );
    // A frame stamped before the start re-baselines instead of extrapolating.
    ui.run("A.animateTo(h, A.timing(17, { duration: 100, easing: A.Easing.linear }), 100)");
    ui.frame(90.0);
    assert_eq!(ui.value("h"), 7.0);
    ui.frame(140.0);
    close(
        ui.value("h"),
        12.0,
        1e-9,
        "50 ms after the re-baselined start",
    );
    // Bad configs fail where the worklet builds the animation.
    assert!(ui
        .eval_err("A.timing(1, { easing: 3 })")
        .starts_with("TypeError"));
    assert!(ui
        .eval_err("A.timing(1, { duration: 'long' })")
        .starts_with("TypeError"));
    assert!(ui
        .eval_err("A.Easing.bezier(1.5, 0, 0.5, 1)")
        .starts_with("RangeError"));
}

#[test]
fn retargeting_a_timing_to_the_same_target_keeps_its_timeline() {
    let ui = Ui::new();
    ui.run("A.animateTo(h, A.timing(100, { duration: 200, easing: A.Easing.linear }, cb('a')), 0)");
    for t in frames(0.0, 60.0, 50.0) {
        ui.frame(t);
    }
    ui.run(
        "A.animateTo(h, A.timing(100, { duration: 200, easing: A.Easing.linear }, cb('b')), 50)",
    );
    assert_eq!(ui.calls(), vec![("a".to_owned(), false, 25.0)]);
    for t in frames(50.0, 60.0, 250.0) {
        ui.frame(t);
        close(
            ui.value("h"),
            100.0 * (t / 200.0).min(1.0),
            1e-9,
            "the original line",
        );
    }
    assert_eq!(ui.calls()[1], ("b".to_owned(), true, 100.0));
}

// ---------------------------------------------------------------- spring

struct SpringCase {
    damping: f64,
    mass: f64,
    stiffness: f64,
    velocity: f64,
    from: f64,
    to: f64,
}

impl SpringCase {
    fn oscillator(&self) -> Oscillator {
        Oscillator {
            mass: self.mass,
            damping: self.damping,
            stiffness: self.stiffness,
        }
    }

    fn zeta(&self) -> f64 {
        self.damping / (2.0 * (self.stiffness * self.mass).sqrt())
    }
}

/// Runs the spring to rest at `hz`, comparing every frame with RK4.
/// Returns the time it came to rest, relative to its start.
fn check_spring(case: &SpringCase, hz: f64, config_extra: &str) -> f64 {
    let ui = Ui::new();
    let t0 = 500.0;
    ui.run(&format!("h.value = {:?}", case.from));
    ui.run(&format!(
        "A.animateTo(h, A.spring({:?}, {{ damping: {:?}, mass: {:?}, stiffness: {:?}, velocity: {:?}{config_extra} }}, cb('s')), {t0:?})",
        case.to, case.damping, case.mass, case.stiffness, case.velocity
    ));
    let times = frames(t0, hz, t0 + 20_000.0);
    let seconds: Vec<f64> = times.iter().map(|t| (t - t0) / 1000.0).collect();
    let reference = case
        .oscillator()
        .rk4(case.from - case.to, case.velocity, &seconds);
    let scale = (case.from - case.to).abs().max(case.velocity.abs() / 10.0);
    let resting = |x: f64, v: f64, slack: f64| x.abs() < 0.01 + slack && v.abs() < 2.0 + slack;
    for (i, &t) in times.iter().enumerate() {
        let running = ui.frame(t);
        let v = ui.value("h");
        let (x_ref, v_ref) = reference[i];
        let what = format!("zeta {} at {hz} Hz, {} ms", case.zeta(), t - t0);
        if running {
            close(v, case.to + x_ref, scale * 1e-7, &what);
            assert!(
                !resting(x_ref, v_ref, -1e-6),
                "{what}: the reference is at rest but the spring runs"
            );
            continue;
        }
        assert_eq!(v, case.to, "{what}: snaps to the target at rest");
        assert!(
            resting(x_ref, v_ref, 1e-6),
            "{what}: stopped but the reference moves: x {x_ref}, v {v_ref}"
        );
        assert_eq!(ui.calls(), vec![("s".to_owned(), true, case.to)]);
        return t - t0;
    }
    panic!("the spring never came to rest");
}

#[test]
fn spring_matches_rk4_under_critically_and_over_damped() {
    let cases = [
        // Defaults (WeChat's and Reanimated 2's): zeta = 0.5.
        SpringCase {
            damping: 10.0,
            mass: 1.0,
            stiffness: 100.0,
            velocity: 0.0,
            from: 0.0,
            to: 100.0,
        },
        // Under-damped with an initial velocity against the motion.
        SpringCase {
            damping: 12.0,
            mass: 3.0,
            stiffness: 300.0,
            velocity: -800.0,
            from: 20.0,
            to: 320.0,
        },
        // Critically damped (zeta = 1 exactly).
        SpringCase {
            damping: 20.0,
            mass: 1.0,
            stiffness: 100.0,
            velocity: 0.0,
            from: 0.0,
            to: 100.0,
        },
        SpringCase {
            damping: 40.0,
            mass: 2.0,
            stiffness: 200.0,
            velocity: 300.0,
            from: 50.0,
            to: -50.0,
        },
        // Over-damped.
        SpringCase {
            damping: 30.0,
            mass: 1.0,
            stiffness: 100.0,
            velocity: 0.0,
            from: 0.0,
            to: 100.0,
        },
        SpringCase {
            damping: 60.0,
            mass: 1.0,
            stiffness: 100.0,
            velocity: 1000.0,
            from: 100.0,
            to: 0.0,
        },
    ];
    for case in &cases {
        let rested: Vec<f64> = RATES.iter().map(|&hz| check_spring(case, hz, "")).collect();
        // The same curve at both rates: rest within one 60 Hz frame.
        assert!(
            (rested[0] - rested[1]).abs() <= 1000.0 / 60.0,
            "zeta {}: rest at {:?}",
            case.zeta(),
            rested
        );
    }
}

#[test]
fn spring_defaults_are_damping_10_mass_1_stiffness_100() {
    let ui = Ui::new();
    ui.run("A.animateTo(h, A.spring(100, undefined, cb('s')), 0)");
    let default = Oscillator {
        mass: 1.0,
        damping: 10.0,
        stiffness: 100.0,
    };
    let times = frames(0.0, 60.0, 400.0);
    let seconds: Vec<f64> = times.iter().map(|t| t / 1000.0).collect();
    let reference = default.rk4(-100.0, 0.0, &seconds);
    for (i, &t) in times.iter().enumerate() {
        ui.frame(t);
        close(ui.value("h"), 100.0 + reference[i].0, 1e-5, "defaults");
    }
}

#[test]
fn spring_overshoot_clamping_stops_at_the_target() {
    for hz in RATES {
        let ui = Ui::new();
        ui.run("A.animateTo(h, A.spring(100, { overshootClamping: true }, cb('s')), 0)");
        let times = frames(0.0, hz, 3000.0);
        let seconds: Vec<f64> = times.iter().map(|t| t / 1000.0).collect();
        let reference = Oscillator {
            mass: 1.0,
            damping: 10.0,
            stiffness: 100.0,
        }
        .rk4(-100.0, 0.0, &seconds);
        let mut stopped = false;
        for (i, &t) in times.iter().enumerate() {
            let running = ui.frame(t);
            let v = ui.value("h");
            assert!(v <= 100.0, "{hz} Hz: {v} overshoots at {t}");
            if running {
                close(v, 100.0 + reference[i].0, 1e-5, "before the crossing");
                continue;
            }
            assert_eq!(v, 100.0);
            assert!(
                reference[i].0 > 0.0,
                "{hz} Hz: stopped at {t} before the reference crossed"
            );
            assert_eq!(ui.calls(), vec![("s".to_owned(), true, 100.0)]);
            stopped = true;
            break;
        }
        assert!(stopped);
    }
}

#[test]
fn spring_interrupting_a_spring_keeps_its_velocity() {
    let ui = Ui::new();
    let first = Oscillator {
        mass: 1.0,
        damping: 10.0,
        stiffness: 100.0,
    };
    let second = Oscillator {
        mass: 1.0,
        damping: 20.0,
        stiffness: 100.0,
    };
    ui.run("A.animateTo(h, A.spring(100, {}, cb('first')), 0)");
    let before = frames(0.0, 60.0, 200.0);
    for &t in &before {
        ui.frame(t);
    }
    let switch = *before.last().unwrap();
    let (x_sw, v_sw) = first.rk4(-100.0, 0.0, &[switch / 1000.0])[0];
    let value_sw = ui.value("h");
    close(value_sw, 100.0 + x_sw, 1e-6, "at the switch");
    ui.run(&format!(
        "A.animateTo(h, A.spring(-50, {{ damping: 20 }}, cb('second')), {switch:?})"
    ));
    // The replaced spring hears `false` with the value after the new one's
    // first (zero-length) step: the same value, up to rounding.
    let calls = ui.calls();
    assert_eq!(calls.len(), 1);
    assert_eq!((calls[0].0.as_str(), calls[0].1), ("first", false));
    close(calls[0].2, value_sw, 1e-12, "the interrupted value");
    let after = frames(switch, 60.0, switch + 400.0);
    let seconds: Vec<f64> = after.iter().map(|t| (t - switch) / 1000.0).collect();
    let reference = second.rk4(value_sw + 50.0, v_sw, &seconds);
    for (i, &t) in after.iter().enumerate() {
        ui.frame(t);
        close(
            ui.value("h"),
            -50.0 + reference[i].0,
            1e-5,
            "the second spring from the first one's state",
        );
    }
}

#[test]
fn spring_with_an_invalid_config_jumps_to_the_target() {
    let ui = Ui::new();
    let animating: bool = ui.eval("A.animateTo(h, A.spring(40, { mass: 0 }, cb('s')), 0)");
    assert!(!animating);
    assert_eq!(ui.value("h"), 40.0);
    assert_eq!(ui.calls(), vec![("s".to_owned(), true, 40.0)]);
}

// ---------------------------------------------------------------- decay

#[test]
fn decay_follows_its_closed_form_and_stops_below_1_unit_per_second() {
    // (velocity, deceleration, velocityFactor, from)
    let cases = [
        (1000.0, 0.998, 1.0, 20.0),
        (-600.0, 0.995, 1.0, 0.0),
        (250.0, 0.99, 2.0, -10.0),
    ];
    for hz in RATES {
        for (velocity, deceleration, factor, from) in cases {
            let ui = Ui::new();
            let t0 = 250.0;
            ui.run(&format!("h.value = {from:?}"));
            ui.run(&format!(
                "A.animateTo(h, A.decay({{ velocity: {velocity:?}, deceleration: {deceleration:?}, velocityFactor: {factor:?} }}, cb('d')), {t0:?})"
            ));
            let mut stopped = false;
            for t in frames(t0, hz, t0 + 20_000.0) {
                let running = ui.frame(t);
                let v = ui.value("h");
                let ms = t - t0;
                let what = format!("v0 {velocity} at {hz} Hz, {ms} ms");
                close(
                    v,
                    decay_position(from, velocity, deceleration, factor, ms),
                    1e-9 * velocity.abs(),
                    &what,
                );
                let speed = (velocity * deceleration.powf(ms)).abs();
                if running {
                    assert!(speed >= 1.0 - 1e-9, "{what}: still running at {speed}/s");
                    continue;
                }
                assert!(speed < 1.0 + 1e-9, "{what}: stopped at {speed}/s");
                assert_eq!(ui.calls(), vec![("d".to_owned(), true, v)]);
                stopped = true;
                break;
            }
            assert!(stopped);
        }
    }
}

#[test]
fn decay_defaults_and_zero_velocity() {
    let ui = Ui::new();
    // velocity 0 (the default): at rest in the assignment's own step.
    let animating: bool = ui.eval("h.value = 5; A.animateTo(h, A.decay({}, cb('d')), 0)");
    assert!(!animating);
    assert_eq!(ui.calls(), vec![("d".to_owned(), true, 5.0)]);
    // deceleration 0.998 by default.
    ui.run("A.animateTo(h, A.decay({ velocity: 400 }), 0)");
    for t in frames(0.0, 60.0, 100.0) {
        ui.frame(t);
    }
    close(
        ui.value("h"),
        decay_position(5.0, 400.0, 0.998, 1.0, 100.0),
        1e-9,
        "default deceleration",
    );
    // A stalled frame moves a decay (or a spring) by at most 64 ms, as
    // Reanimated clamps its frame delta.
    ui.run("A.animateTo(h2, A.decay({ velocity: 400 }), 0)");
    ui.frame(500.0);
    close(
        ui.value("h2"),
        decay_position(0.0, 400.0, 0.998, 1.0, 64.0),
        1e-9,
        "a 500 ms frame counts as 64 ms",
    );
    assert!(ui
        .eval_err("A.decay({ velocity: 1, clamp: [0] })")
        .starts_with("TypeError"));
    assert!(ui
        .eval_err("A.decay({ velocity: 1, deceleration: 1 })")
        .starts_with("RangeError"));
}

#[test]
fn decay_stops_at_the_clamp_it_heads_for() {
    // (velocity, clamp, bound hit)
    let cases = [
        (1000.0, (-50.0, 200.0), 200.0),
        (-1000.0, (-100.0, 500.0), -100.0),
    ];
    for hz in RATES {
        for (velocity, (min, max), bound) in cases {
            let ui = Ui::new();
            ui.run(&format!(
                "A.animateTo(h, A.decay({{ velocity: {velocity:?}, clamp: [{min:?}, {max:?}] }}, cb('d')), 0)"
            ));
            let mut stopped = false;
            for t in frames(0.0, hz, 5000.0) {
                let running = ui.frame(t);
                let v = ui.value("h");
                assert!((min..=max).contains(&v), "{v} outside the clamp");
                let free = decay_position(0.0, velocity, 0.998, 1.0, t);
                if running {
                    close(v, free, 1e-6, "inside the clamp");
                    continue;
                }
                assert_eq!(v, bound);
                assert!(
                    (free - bound) * velocity.signum() >= 0.0,
                    "stopped at {t} before the free motion reached the bound"
                );
                assert_eq!(ui.calls(), vec![("d".to_owned(), true, bound)]);
                stopped = true;
                break;
            }
            assert!(stopped);
        }
    }
}

// ---------------------------------------------------------------- combinators

fn linear_timing(to: f64, ms: f64, tag: &str) -> String {
    format!("A.timing({to:?}, {{ duration: {ms:?}, easing: A.Easing.linear }}, cb('{tag}'))")
}

#[test]
fn sequence_runs_each_animation_from_where_the_last_ended() {
    for hz in RATES {
        let ui = Ui::new();
        ui.run(&format!(
            "A.animateTo(h, A.sequence({}, {}), 0)",
            linear_timing(100.0, 100.0, "a"),
            linear_timing(50.0, 200.0, "b")
        ));
        let times = frames(0.0, hz, 500.0);
        // The second starts in the frame the first reaches its duration.
        let t1 = *times.iter().find(|&&t| t >= 100.0).unwrap();
        let mut done_at = None;
        for &t in &times {
            let running = ui.frame(t);
            let expected = if t <= t1 {
                100.0 * (t / 100.0).min(1.0)
            } else {
                100.0 - 50.0 * ((t - t1) / 200.0).min(1.0)
            };
            close(ui.value("h"), expected, 1e-9, &format!("{hz} Hz at {t}"));
            if t == t1 {
                assert_eq!(ui.calls(), vec![("a".to_owned(), true, 100.0)]);
            }
            if !running && done_at.is_none() {
                done_at = Some(t);
            }
        }
        let done_at = done_at.unwrap();
        assert!(done_at >= t1 + 200.0 && done_at < t1 + 200.0 + 1000.0 / hz);
        assert_eq!(
            ui.calls(),
            vec![("a".to_owned(), true, 100.0), ("b".to_owned(), true, 50.0)]
        );
    }
}

#[test]
fn cancelling_a_sequence_tells_every_unfinished_animation() {
    let ui = Ui::new();
    ui.run(&format!(
        "A.animateTo(h, A.sequence({}, {}, {}), 0)",
        linear_timing(100.0, 100.0, "a"),
        linear_timing(0.0, 100.0, "b"),
        linear_timing(30.0, 100.0, "c")
    ));
    for t in frames(0.0, 60.0, 150.0) {
        ui.frame(t);
    }
    let v = ui.value("h");
    assert!(ui.eval::<bool>("A.cancel(h)"));
    assert_eq!(
        ui.calls(),
        vec![
            ("a".to_owned(), true, 100.0),
            ("b".to_owned(), false, v),
            ("c".to_owned(), false, v)
        ]
    );
    assert!(!ui.frame(200.0));
    assert_eq!(ui.value("h"), v, "a cancelled value stays");
}

#[test]
fn repeat_restarts_from_the_start_value() {
    for hz in RATES {
        let ui = Ui::new();
        ui.run(&format!(
            "A.animateTo(h, A.repeat({}, 3, false, cb('all')), 0)",
            linear_timing(100.0, 100.0, "rep")
        ));
        let times = frames(0.0, hz, 600.0);
        let mut rep_start = 0.0;
        let mut reps = 0;
        for &t in &times {
            let running = ui.frame(t);
            let expected = 100.0 * ((t - rep_start) / 100.0).min(1.0);
            close(ui.value("h"), expected, 1e-9, &format!("{hz} Hz at {t}"));
            if t - rep_start >= 100.0 {
                // The rep ends this frame at 100; the next starts from 0 now.
                reps += 1;
                rep_start = t;
                assert_eq!(running, reps < 3);
                if reps == 3 {
                    break;
                }
            }
        }
        let rep = ("rep".to_owned(), true, 100.0);
        assert_eq!(
            ui.calls(),
            vec![
                rep.clone(),
                rep.clone(),
                rep,
                ("all".to_owned(), true, 100.0)
            ]
        );
        assert!(!ui.animating("h"));
    }
}

#[test]
fn repeat_reverse_goes_back_and_forth() {
    for hz in RATES {
        let ui = Ui::new();
        ui.run(&format!(
            "h.value = 20; A.animateTo(h, A.repeat({}, 4, true, cb('all')), 0)",
            linear_timing(100.0, 100.0, "rep")
        ));
        let mut leg_start = 0.0;
        let (mut from, mut to) = (20.0, 100.0);
        let mut legs = 0;
        for t in frames(0.0, hz, 1000.0) {
            let running = ui.frame(t);
            let expected = from + (to - from) * ((t - leg_start) / 100.0).min(1.0);
            close(ui.value("h"), expected, 1e-9, &format!("{hz} Hz at {t}"));
            if t - leg_start >= 100.0 {
                legs += 1;
                leg_start = t;
                std::mem::swap(&mut from, &mut to);
                assert_eq!(running, legs < 4);
                if legs == 4 {
                    break;
                }
            }
        }
        assert_eq!(ui.value("h"), 20.0, "an even count ends where it began");
        let calls = ui.calls();
        let values: Vec<f64> = calls.iter().map(|c| c.2).collect();
        assert_eq!(values, vec![100.0, 20.0, 100.0, 20.0, 20.0]);
        assert_eq!(calls[4], ("all".to_owned(), true, 20.0));
    }
}

#[test]
fn repeat_reverse_works_for_springs() {
    let ui = Ui::new();
    ui.run("A.animateTo(h, A.repeat(A.spring(100, {}, cb('rep')), 2, true, cb('all')), 0)");
    let mut t = 0.0;
    while ui.animating("h") {
        t += 1000.0 / 60.0;
        ui.frame(t);
        assert!(t < 10_000.0);
    }
    assert_eq!(ui.value("h"), 0.0);
    assert_eq!(
        ui.calls(),
        vec![
            ("rep".to_owned(), true, 100.0),
            ("rep".to_owned(), true, 0.0),
            ("all".to_owned(), true, 0.0)
        ]
    );
}

#[test]
fn repeat_forever_until_cancelled() {
    // n < 0 (WeChat's docs) and n = 0 (Reanimated's `numberOfReps > 0` test)
    // both repeat forever; cancel(), cancelAnimation() and a new assignment
    // all end it with finished = false for both callbacks.
    let stops = [
        ("-1", "A.cancel(h)"),
        ("0", "A.cancelAnimation(h)"),
        ("-1", "A.animateTo(h, 7, 1234)"),
    ];
    for (n, stop) in stops {
        let ui = Ui::new();
        ui.run(&format!(
            "A.animateTo(h, A.repeat({}, {n}, true, cb('all')), 0)",
            linear_timing(100.0, 100.0, "rep")
        ));
        for t in frames(0.0, 120.0, 1050.0) {
            assert!(ui.frame(t), "{n}: still repeating at {t}");
        }
        let reps = ui.calls().len();
        assert_eq!(reps, 10, "one inner callback per rep");
        let v = ui.value("h");
        ui.run(stop);
        assert!(!ui.animating("h"));
        let calls = ui.calls();
        let after = if stop.starts_with("A.animateTo") {
            7.0
        } else {
            v
        };
        assert_eq!(
            calls[reps..].to_vec(),
            vec![
                ("all".to_owned(), false, after),
                ("rep".to_owned(), false, after)
            ],
            "{stop}"
        );
        assert!(!ui.frame(1100.0));
        assert_eq!(ui.value("h"), after);
    }
}

#[test]
fn delay_holds_the_value_then_runs() {
    for hz in RATES {
        let ui = Ui::new();
        ui.run(&format!(
            "h.value = 10; A.animateTo(h, A.delay(100, {}), 0)",
            linear_timing(100.0, 200.0, "d")
        ));
        let times = frames(0.0, hz, 500.0);
        // delay.ts: the inner animation starts in the first frame *more*
        // than the delay after the start.
        let ts = *times.iter().find(|&&t| t > 100.0).unwrap();
        for &t in &times {
            let running = ui.frame(t);
            let expected = if t < ts {
                10.0
            } else {
                10.0 + 90.0 * ((t - ts) / 200.0).min(1.0)
            };
            close(ui.value("h"), expected, 1e-9, &format!("{hz} Hz at {t}"));
            // The same arithmetic as timing.ts's `now - startTime >= duration`.
            assert_eq!(running, t < ts || t - ts < 200.0);
        }
        assert_eq!(ui.calls(), vec![("d".to_owned(), true, 100.0)]);
    }
}

#[test]
fn delayed_animations_in_a_sequence() {
    let ui = Ui::new();
    ui.run(&format!(
        "A.animateTo(h, A.sequence({}, A.delay(50, {})), 0)",
        linear_timing(10.0, 50.0, "a"),
        linear_timing(0.0, 50.0, "b")
    ));
    let mut trace = Vec::new();
    for n in 1..=20 {
        ui.frame(n as f64 * 10.0);
        trace.push(ui.value("h"));
    }
    // a: 0..50 ms; the delay starts at 50 and its child at the first frame
    // after 100 (110), ending 50 ms later.
    let expected = [
        2.0, 4.0, 6.0, 8.0, 10.0, 10.0, 10.0, 10.0, 10.0, 10.0, 10.0, 8.0, 6.0, 4.0, 2.0, 0.0, 0.0,
        0.0, 0.0, 0.0,
    ];
    for (i, (&got, &want)) in trace.iter().zip(expected.iter()).enumerate() {
        close(got, want, 1e-9, &format!("frame {}", i + 1));
    }
    assert!(!ui.frame(210.0));
    assert_eq!(
        ui.calls(),
        vec![("a".to_owned(), true, 10.0), ("b".to_owned(), true, 0.0)]
    );
}

// ---------------------------------------------------------------- the driver

#[test]
fn an_interrupted_animation_gets_finished_false() {
    let ui = Ui::new();
    ui.run(&format!(
        "A.animateTo(h, {}, 0)",
        linear_timing(100.0, 100.0, "a")
    ));
    ui.frame(40.0);
    assert_eq!(ui.value("h"), 40.0);
    // A new animation starts from the current value.
    ui.run(&format!(
        "A.animateTo(h, {}, 40)",
        linear_timing(0.0, 80.0, "b")
    ));
    assert_eq!(ui.calls(), vec![("a".to_owned(), false, 40.0)]);
    ui.frame(60.0);
    close(ui.value("h"), 30.0, 1e-9, "b a quarter in");
    // A plain value interrupts too, and is written at once.
    ui.run("A.animateTo(h, -3, 61)");
    assert_eq!(ui.value("h"), -3.0);
    assert_eq!(ui.calls()[1], ("b".to_owned(), false, -3.0));
    assert!(!ui.frame(70.0));
    // cancel: stays where it is; false when nothing runs.
    ui.run(&format!(
        "A.animateTo(h, {}, 100)",
        linear_timing(97.0, 100.0, "c")
    ));
    ui.frame(150.0);
    assert!(ui.eval::<bool>("A.cancel(h)"));
    assert!(!ui.eval::<bool>("A.cancel(h)"));
    assert_eq!(ui.calls()[2], ("c".to_owned(), false, 47.0));
    ui.frame(200.0);
    assert_eq!(ui.value("h"), 47.0);
    assert_eq!(ui.calls().len(), 3);
}

#[test]
fn holders_animate_independently() {
    let ui = Ui::new();
    ui.run(&format!(
        "A.animateTo(h, {}, 0); A.animateTo(h2, {}, 0)",
        linear_timing(100.0, 100.0, "h"),
        linear_timing(-100.0, 200.0, "h2")
    ));
    ui.frame(100.0);
    assert_eq!(ui.value("h"), 100.0);
    assert_eq!(ui.value("h2"), -50.0);
    assert!(ui.animating("h2") && !ui.animating("h"));
    assert!(ui.eval::<bool>("A.isAnimating()"));
    assert!(!ui.frame(200.0));
    assert!(!ui.eval::<bool>("A.isAnimating()"));
}

#[test]
fn a_callback_may_start_the_next_animation() {
    let ui = Ui::new();
    ui.run(&format!(
        "A.animateTo(h, A.timing(10, {{ duration: 100, easing: A.Easing.linear }}, (finished) => {{
            if (finished) A.animateTo(h, {}, 100);
        }}), 0)",
        linear_timing(0.0, 100.0, "back")
    ));
    assert!(ui.frame(100.0), "the callback's animation runs");
    assert_eq!(ui.value("h"), 10.0);
    ui.frame(150.0);
    close(ui.value("h"), 5.0, 1e-9, "halfway back");
    assert!(!ui.frame(200.0));
    assert_eq!(ui.calls(), vec![("back".to_owned(), true, 0.0)]);
}

#[test]
fn a_throwing_easing_drops_only_its_animation() {
    let ui = Ui::new();
    ui.run(&format!(
        "A.animateTo(h, A.timing(1, {{ duration: 100, easing: (t) => {{ if (t > 0.5) throw new Error('bad easing'); return t; }} }}, cb('bad')), 0);
         A.animateTo(h2, {}, 0)",
        linear_timing(100.0, 100.0, "good")
    ));
    ui.frame(40.0);
    let error = ui.eval_err("A.frame(60)");
    assert_eq!(error, "Error: bad easing");
    assert_eq!(ui.value("h2"), 60.0, "the other holder still advanced");
    assert!(!ui.animating("h"));
    assert!(!ui.frame(100.0));
    assert_eq!(ui.calls(), vec![("good".to_owned(), true, 100.0)]);
    // Not a finite time: refused.
    assert!(ui.eval_err("A.frame(NaN)").starts_with("TypeError"));
}

// ---------------------------------------------------------------- Easing

#[test]
fn easings_at_0_half_and_1() {
    use std::f64::consts::PI;
    let bounce = |t: f64| {
        if t < 1.0 / 2.75 {
            7.5625 * t * t
        } else if t < 2.0 / 2.75 {
            let t2 = t - 1.5 / 2.75;
            7.5625 * t2 * t2 + 0.75
        } else if t < 2.5 / 2.75 {
            let t2 = t - 2.25 / 2.75;
            7.5625 * t2 * t2 + 0.9375
        } else {
            let t2 = t - 2.625 / 2.75;
            7.5625 * t2 * t2 + 0.984375
        }
    };
    let elastic = |b: f64| move |t: f64| 1.0 - (t * PI / 2.0).cos().powi(3) * (t * b * PI).cos();
    let back = |s: f64| move |t: f64| t * t * ((s + 1.0) * t - s);
    type Curve = Box<dyn Fn(f64) -> f64>;
    let cases: Vec<(&str, Curve)> = vec![
        ("A.Easing.linear", Box::new(|t| t)),
        (
            "A.Easing.ease",
            Box::new(|t| cubic_bezier(0.42, 0.0, 1.0, 1.0, t)),
        ),
        ("A.Easing.quad", Box::new(|t| t * t)),
        ("A.Easing.cubic", Box::new(|t| t * t * t)),
        ("A.Easing.poly(4)", Box::new(|t| t.powi(4))),
        ("A.Easing.sin", Box::new(|t| 1.0 - (t * PI / 2.0).cos())),
        ("A.Easing.circle", Box::new(|t| 1.0 - (1.0 - t * t).sqrt())),
        ("A.Easing.exp", Box::new(|t| 2f64.powf(10.0 * (t - 1.0)))),
        ("A.Easing.elastic()", Box::new(elastic(1.0))),
        ("A.Easing.elastic(2)", Box::new(elastic(2.0))),
        ("A.Easing.back()", Box::new(back(1.70158))),
        ("A.Easing.back(3)", Box::new(back(3.0))),
        ("A.Easing.bounce", Box::new(bounce)),
        (
            "A.Easing.bezier(0.25, 0.1, 0.25, 1)",
            Box::new(|t| cubic_bezier(0.25, 0.1, 0.25, 1.0, t)),
        ),
        (
            "A.Easing.bezier(0.25, 0.1, 0.25, 1).factory()",
            Box::new(|t| cubic_bezier(0.25, 0.1, 0.25, 1.0, t)),
        ),
        (
            "A.Easing.bezierFn(0.42, 0, 0.58, 1)",
            Box::new(|t| cubic_bezier(0.42, 0.0, 0.58, 1.0, t)),
        ),
        ("A.Easing.in(A.Easing.quad)", Box::new(|t| t * t)),
        (
            "A.Easing.out(A.Easing.quad)",
            Box::new(|t| 1.0 - (1.0 - t) * (1.0 - t)),
        ),
        (
            "A.Easing.inOut(A.Easing.cubic)",
            Box::new(|t| {
                if t < 0.5 {
                    (2.0 * t).powi(3) / 2.0
                } else {
                    1.0 - (2.0 * (1.0 - t)).powi(3) / 2.0
                }
            }),
        ),
        (
            "A.Easing.out(A.Easing.bounce)",
            Box::new(move |t| 1.0 - bounce(1.0 - t)),
        ),
        (
            "A.Easing.steps(4)",
            Box::new(|t: f64| (t.clamp(0.0, 1.0) * 4.0).ceil() / 4.0),
        ),
    ];
    let ui = Ui::new();
    for (easing, formula) in &cases {
        for t in [0.0, 0.5, 1.0] {
            let got: f64 = ui.eval(&format!("({easing})({t:?})"));
            close(got, formula(t), 1e-7, &format!("{easing} at {t}"));
        }
        // A few points between too.
        for t in [0.1, 0.37, 0.8] {
            let got: f64 = ui.eval(&format!("({easing})({t:?})"));
            close(got, formula(t), 1e-6, &format!("{easing} at {t}"));
        }
    }
    // CSS `ease` (cubic-bezier(0.25, 0.1, 0.25, 1)) at 0.5.
    let css_ease_half = 0.802403387584857;
    close(
        cubic_bezier(0.25, 0.1, 0.25, 1.0, 0.5),
        css_ease_half,
        1e-12,
        "reference",
    );
    let got: f64 = ui.eval("A.Easing.bezier(0.25, 0.1, 0.25, 1)(0.5)");
    close(got, css_ease_half, 1e-7, "Easing.bezier as CSS ease");
    // Exact ends, so a bezier timing lands on its target.
    let ends: Vec<f64> = ui.eval(
        "[A.Easing.bezierFn(0.1, 0.7, 0.9, 0.2)(0), A.Easing.bezierFn(0.1, 0.7, 0.9, 0.2)(1)]",
    );
    assert_eq!(ends, vec![0.0, 1.0]);
}

// ---------------------------------------------------------------- values

#[test]
fn colours_animate_in_linear_space() {
    let ui = Ui::new();
    ui.run("h.value = '#ff0000'; A.animateTo(h, A.timing('rgba(0, 0, 255, 0.5)', { duration: 100, easing: A.Easing.linear }, cb('c')), 0)");
    ui.frame(50.0);
    // Half way in linear light: 0.5^(1/2.2) * 255 = 186.
    assert_eq!(ui.text("h"), "rgba(186, 0, 186, 0.75)");
    ui.frame(100.0);
    assert_eq!(ui.text("h"), "rgba(0, 0, 255, 0.5)");
    assert!(!ui.animating("h"));
    // Named colours, #rgb and a spring.
    ui.run("h2.value = 'white'; A.animateTo(h2, A.spring('#000', {}), 0)");
    let mut t = 0.0;
    while ui.animating("h2") {
        t += 1000.0 / 60.0;
        ui.frame(t);
        assert!(t < 5000.0);
    }
    assert_eq!(ui.text("h2"), "rgba(0, 0, 0, 1)");
}

#[test]
fn numbers_with_units_animate() {
    let ui = Ui::new();
    ui.run("h.value = '0deg'; A.animateTo(h, A.repeat(A.timing('90deg', { duration: 100, easing: A.Easing.linear }), 2, true), 0)");
    ui.frame(50.0);
    assert_eq!(ui.text("h"), "45deg");
    ui.frame(100.0);
    assert_eq!(ui.text("h"), "90deg");
    ui.frame(175.0);
    assert_eq!(ui.text("h"), "22.5deg");
    ui.frame(200.0);
    assert_eq!(ui.text("h"), "0deg");
    // A bare number takes the target's unit; a value that is neither a
    // number nor a colour is refused when the animation starts.
    ui.run("h2.value = 0; A.animateTo(h2, A.timing('50%', { duration: 100, easing: A.Easing.linear }), 0)");
    ui.frame(50.0);
    assert_eq!(ui.text("h2"), "25%");
    assert!(ui
        .eval_err("A.animateTo(h2, A.timing('auto'), 60)")
        .starts_with("TypeError"));
    assert!(!ui.animating("h2"));
}

// ---------------------------------------------------------------- install

#[test]
fn install_defines_one_frozen_global_and_is_idempotent() {
    let ui = Ui::new();
    ui.ctx.with(|ctx| install(&ctx).unwrap());
    let frozen: bool = ui.eval(&format!(
        "Object.isFrozen(globalThis.{GLOBAL}) && Object.isFrozen(globalThis.{GLOBAL}.Easing)"
    ));
    assert!(frozen);
    let kept: bool = ui.eval(&format!(
        "(function () {{ try {{ globalThis.{GLOBAL} = null; }} catch (e) {{}} return globalThis.{GLOBAL} === A; }})()"
    ));
    assert!(kept);
    let keys: String = ui.eval("Object.keys(A).sort().join(' ')");
    assert_eq!(
        keys,
        "Easing animateTo cancel cancelAnimation decay delay frame isAnimating isAnimation repeat sequence spring timing"
    );
}
