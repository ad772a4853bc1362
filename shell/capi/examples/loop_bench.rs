//! A host-driven 60 Hz loop through the C ABI into a CPU buffer, for
//! `benches/README.md`: for each sample page, the host calls
//! `cirrus_engine_frame` with a 60 Hz clock and `cirrus_engine_render_rgba`
//! into its own buffer, every frame, as a host that redraws at vsync would.
//! It reports the per-frame CPU time (frame + render) and the frames per
//! second the loop could sustain (1 / mean frame time, capped by nothing).
//!
//!   cargo run --release -p cirrus-capi --example loop_bench [-- FRAMES]

use cirrus::{
    cirrus_engine_frame, cirrus_engine_free, cirrus_engine_is_settled, cirrus_engine_new,
    cirrus_engine_render_rgba, cirrus_engine_size, cirrus_last_error, CirrusEngine, CirrusOptions,
    CirrusStatus,
};
use std::ffi::{CStr, CString};
use std::path::Path;
use std::time::{Duration, Instant};

const SAMPLES: [&str; 4] = ["profile-card", "product-grid", "article", "shop"];

fn check(status: CirrusStatus, what: &str) {
    if status != CirrusStatus::Ok {
        // SAFETY: the library's last-error string, valid until the next call.
        let message = unsafe { CStr::from_ptr(cirrus_last_error()) };
        panic!("{what} failed: {status:?}: {}", message.to_string_lossy());
    }
}

fn main() {
    let frames: usize = std::env::args()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(300);
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../samples");
    println!("| sample | frames | frame CPU p50 | p99 | mean | sustainable fps |");
    println!("| --- | --- | --- | --- | --- | --- |");
    for sample in SAMPLES {
        let app = CString::new(root.join(sample).to_string_lossy().into_owned()).expect("path");
        let options = CirrusOptions {
            app: app.as_ptr(),
            page: std::ptr::null(),
            width: 375.0,
            height: 667.0,
            dpr: 2.0,
            data_dir: std::ptr::null(),
            dark: false,
            memory_limit_mib: 0,
        };
        let mut engine: *mut CirrusEngine = std::ptr::null_mut();
        // SAFETY: valid options and out pointer; the engine is freed below.
        unsafe {
            check(
                cirrus_engine_new(&options, &mut engine),
                "cirrus_engine_new",
            );
            let (mut width, mut height) = (0u32, 0u32);
            check(cirrus_engine_size(engine, &mut width, &mut height), "size");
            let stride = width as usize * 4;
            let mut pixels = vec![0u8; stride * height as usize];
            // Settle first (the launch is the first-frame benchmark's job).
            let started = Instant::now();
            let mut settled = false;
            while !settled && started.elapsed() < Duration::from_secs(30) {
                check(
                    cirrus_engine_frame(
                        engine,
                        started.elapsed().as_micros() as u64,
                        std::ptr::null_mut(),
                    ),
                    "frame",
                );
                check(cirrus_engine_is_settled(engine, &mut settled), "is_settled");
                std::thread::sleep(Duration::from_millis(5));
            }
            let clock = started.elapsed().as_micros() as u64;
            let mut times = Vec::with_capacity(frames);
            for i in 0..frames {
                let t = Instant::now();
                check(
                    cirrus_engine_frame(engine, clock + i as u64 * 16_667, std::ptr::null_mut()),
                    "frame",
                );
                check(
                    cirrus_engine_render_rgba(engine, pixels.as_mut_ptr(), pixels.len(), stride),
                    "render",
                );
                times.push(t.elapsed().as_secs_f64() * 1000.0);
            }
            cirrus_engine_free(engine);
            let mean = times.iter().sum::<f64>() / times.len() as f64;
            times.sort_by(|a, b| a.total_cmp(b));
            let at = |q: f64| times[((times.len() - 1) as f64 * q).round() as usize];
            println!(
                "| {sample} | {frames} | {:.2} ms | {:.2} ms | {:.2} ms | {:.0} |",
                at(0.5),
                at(0.99),
                mean,
                1000.0 / mean
            );
        }
    }
}
