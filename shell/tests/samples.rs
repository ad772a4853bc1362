//! The samples as screenshot tests: each sample's home page is rendered
//! headless and compared with the engine's own reviewed snapshot in
//! `shell/tests/snapshots/` (regenerate with `CIRRUS_BLESS=1`).
//!
//! Each sample is drawn by both rasterisers (wgpu and the CPU one) and
//! compared with the same snapshot. Tolerance: a pixel differs when a
//! channel differs by more than 16; at most 0.5% of pixels may differ
//! (rasterisers differ slightly in antialiasing).

mod common;

use cirrus_engine::package::Package;
use cirrus_engine::render::RendererChoice;
use cirrus_shell::headless::{shot, ShotOptions};
use std::time::Instant;

const CHANNEL_THRESHOLD: u8 = 16;
const MAX_DIFFERING: f64 = 0.005;

fn check_sample(name: &str, min_nodes: usize) {
    for renderer in [RendererChoice::Gpu, RendererChoice::Cpu] {
        check_sample_on(name, min_nodes, renderer);
    }
}

fn check_sample_on(name: &str, min_nodes: usize, renderer: RendererChoice) {
    let root = common::repo_root();
    let dir = root.join("samples").join(name);
    let (package, diags) = Package::load(&dir).expect("sample loads");
    assert!(diags.iter().all(|d| !d.is_error()), "{name}: {diags:?}");
    let started = Instant::now();
    // A fresh storage folder: the shot must not depend on earlier runs.
    let data_dir =
        std::env::temp_dir().join(format!("cirrus-sample-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&data_dir);
    let options = ShotOptions {
        dpr: 1.0,
        data_dir: Some(data_dir.clone()),
        renderer,
        ..Default::default()
    };
    let capture = shot(package, &options).expect("shot");
    let _ = std::fs::remove_dir_all(&data_dir);
    eprintln!(
        "{name}: shot in {} ms on {}",
        started.elapsed().as_millis(),
        capture.adapter
    );
    assert!(capture.settled, "{name} did not settle");
    let errors: Vec<_> = capture
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .collect();
    assert!(errors.is_empty(), "{name}: {errors:?}");
    let nodes = count_nodes(&capture.layout["root"]);
    assert!(nodes >= min_nodes, "{name}: only {nodes} elements laid out");

    let snapshot = root
        .join("shell/tests/snapshots")
        .join(format!("{name}.png"));
    // Snapshots are blessed from the wgpu renderer's picture.
    let may_bless = renderer == RendererChoice::Gpu;
    if may_bless && (common::blessing() || !snapshot.exists() && std::env::var_os("CI").is_none()) {
        capture.image.save(&snapshot).expect("write snapshot");
        eprintln!("{name}: snapshot written to {}", snapshot.display());
        return;
    }
    let expected = image::open(&snapshot)
        .expect("snapshot exists (bless with CIRRUS_BLESS=1)")
        .to_rgba8();
    let (differing, total) = common::differing_pixels(&capture.image, &expected, CHANNEL_THRESHOLD);
    if differing as f64 > total as f64 * MAX_DIFFERING {
        let actual = snapshot.with_extension(format!("{renderer}.actual.png"));
        let _ = capture.image.save(&actual);
        panic!(
            "{name} ({renderer}): {differing} of {total} pixels differ from {}; see {}",
            snapshot.display(),
            actual.display()
        );
    }
}

fn count_nodes(node: &serde_json::Value) -> usize {
    1 + node["children"]
        .as_array()
        .map(|c| c.iter().map(count_nodes).sum())
        .unwrap_or(0)
}

#[test]
fn profile_card() {
    check_sample("profile-card", 10);
}

#[test]
fn product_grid() {
    check_sample("product-grid", 20);
}

#[test]
fn article() {
    check_sample("article", 10);
}

#[test]
fn shop() {
    check_sample("shop", 20);
}
