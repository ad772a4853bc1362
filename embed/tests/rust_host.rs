//! The Rust example host (examples/winit_host.rs) runs under Xvfb: it draws
//! its own UI, shows a sample page in a region of its window, and a click
//! in that region reaches the page as a touch (the page navigates).

use cirrus_embed::headless::layout_of;
use cirrus_engine::package::Package;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Where cargo put the example (built with the tests).
fn example() -> PathBuf {
    let exe = std::env::current_exe().expect("the test's path");
    let profile = exe
        .parent()
        .and_then(Path::parent)
        .expect("target/<profile>/deps/<test>");
    profile.join("examples/winit_host")
}

fn find<'a>(node: &'a Value, class: &str) -> Option<&'a Value> {
    if node["class"] == class {
        return Some(node);
    }
    node["children"]
        .as_array()?
        .iter()
        .find_map(|c| find(c, class))
}

#[test]
fn a_click_in_the_embedded_region_reaches_the_page() {
    let xvfb_run = ["/usr/bin/xvfb-run", "/bin/xvfb-run"]
        .into_iter()
        .find(|p| Path::new(p).exists())
        .expect("xvfb-run is installed by scripts/setup");
    let app = Path::new(env!("CARGO_MANIFEST_DIR")).join("../samples/profile-card");
    // Where the About button is on the page (custom navigation bar: page
    // and region coordinates agree).
    let (package, _) = Package::load(&app).expect("the sample loads");
    let layout = layout_of(package, "pages/index/index", 375.0, 667.0).expect("a layout");
    let button = find(&layout["root"], "button button-ghost").expect("the About button");
    let centre = |x: &str, w: &str| button[x].as_f64().unwrap() + button[w].as_f64().unwrap() / 2.0;
    // The region starts right of the 200 px sidebar, under the 48 px toolbar.
    let tap = format!(
        "{},{}",
        200.0 + centre("x", "width"),
        48.0 + centre("y", "height")
    );
    let output = Command::new(xvfb_run)
        .args(["-a", "-s", "-screen 0 800x900x24"])
        .arg(example())
        .arg(&app)
        .args(["--frames", "3", "--tap", &tap])
        .output()
        .expect("xvfb-run starts");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "host failed: {stdout}\n{stderr}");
    assert!(stdout.contains("navigated: pages/index/index"), "{stdout}");
    assert!(
        stdout.contains("navigated: pages/about/about"),
        "the click did not reach the page: {stdout}\n{stderr}"
    );
}
