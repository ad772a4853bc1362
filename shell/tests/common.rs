//! Helpers shared by the shell's integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// The repository root.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("shell/ has a parent")
        .to_path_buf()
}

/// Pixels whose largest channel difference exceeds `threshold`, and the
/// total pixel count.
pub fn differing_pixels(
    a: &image::RgbaImage,
    b: &image::RgbaImage,
    threshold: u8,
) -> (usize, usize) {
    if a.dimensions() != b.dimensions() {
        let total = (a.width() * a.height()) as usize;
        return (total, total);
    }
    let differing = a
        .pixels()
        .zip(b.pixels())
        .filter(|(p, q)| {
            p.0.iter()
                .zip(q.0.iter())
                .any(|(x, y)| x.abs_diff(*y) > threshold)
        })
        .count();
    (differing, (a.width() * a.height()) as usize)
}

/// Whether `CIRRUS_BLESS` asks tests to rewrite the engine's own snapshots.
pub fn blessing() -> bool {
    std::env::var_os("CIRRUS_BLESS").is_some_and(|v| !v.is_empty() && v != "0")
}
