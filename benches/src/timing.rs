//! Side-by-side timing for the ratios the targets are stated in
//! (binary WXSS vs parse, engine layout vs bare taffy). Criterion times each
//! function on its own; a ratio needs both measured in the same run,
//! interleaved so that machine noise (other builds on a shared box) hits
//! both alike.

use std::time::{Duration, Instant};

/// Medians of `rounds` interleaved timings of `a` and `b` (one call each per
/// round, after one untimed warm-up call of each). What a call returns is
/// dropped after its timer stops, so freeing a result is not timed.
pub fn interleaved_medians<A, B>(
    rounds: usize,
    mut a: impl FnMut() -> A,
    mut b: impl FnMut() -> B,
) -> (Duration, Duration) {
    drop(a());
    drop(b());
    let mut times_a = Vec::with_capacity(rounds);
    let mut times_b = Vec::with_capacity(rounds);
    for _ in 0..rounds.max(1) {
        let start = Instant::now();
        let result = std::hint::black_box(a());
        times_a.push(start.elapsed());
        drop(result);
        let start = Instant::now();
        let result = std::hint::black_box(b());
        times_b.push(start.elapsed());
        drop(result);
    }
    (median(&mut times_a), median(&mut times_b))
}

fn median(times: &mut [Duration]) -> Duration {
    times.sort_unstable();
    times[times.len() / 2]
}

/// Prints one ratio line, the form `benches/README.md` quotes:
/// `RATIO <name>: <a> / <b> = <x> (target <target>)`.
pub fn report_ratio(name: &str, a: (&str, Duration), b: (&str, Duration), target: &str) {
    let ratio = a.1.as_secs_f64() / b.1.as_secs_f64().max(1e-12);
    println!(
        "RATIO {name}: {} {:.3?} / {} {:.3?} = {ratio:.2}x (target {target})",
        a.0, a.1, b.0, b.1
    );
}
