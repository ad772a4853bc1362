//! The window path: under Xvfb, `cirrus run` presents frames of a sample
//! and exits cleanly when asked.

mod common;

use std::process::Command;

#[test]
fn run_presents_frames_under_xvfb_and_exits_cleanly() {
    for renderer in ["gpu", "cpu"] {
        run_window_with(renderer);
    }
}

/// `cirrus run --renderer RENDERER`: the GPU draws into the surface, or
/// the CPU rasteriser's frames are copied into it.
fn run_window_with(renderer: &str) {
    let xvfb_run = ["/usr/bin/xvfb-run", "/bin/xvfb-run"]
        .into_iter()
        .find(|p| std::path::Path::new(p).exists());
    let Some(xvfb_run) = xvfb_run else {
        panic!("xvfb-run is not installed: run scripts/setup");
    };
    let sample = common::repo_root().join("samples/profile-card");
    let output = Command::new(xvfb_run)
        .args(["-a", "-s", "-screen 0 800x900x24"])
        .arg(env!("CARGO_BIN_EXE_cirrus"))
        .arg("run")
        .arg(&sample)
        .args(["--exit-after-frames", "1", "--renderer", renderer])
        .output()
        .expect("xvfb-run starts");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "cirrus run --renderer {renderer} failed: {stderr}"
    );
    let frames: u64 = stderr
        .lines()
        .find_map(|l| l.strip_prefix("cirrus: window closed after "))
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no frame count in: {stderr}"));
    assert!(frames >= 1, "no frame presented ({renderer}): {stderr}");
    assert!(
        !stderr.contains("frame not presented"),
        "({renderer}): {stderr}"
    );
}
