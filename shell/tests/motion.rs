//! CSS transitions and animations end to end: a tap's setData starts a
//! transition on the render thread, the settled frame shows where it
//! ended, and `transitionend` / `animationend` reach the page's handlers
//! on the logic thread.

mod common;

use cirrus_engine::package::Package;
use cirrus_shell::headless::{HeadlessApp, ShotOptions};
use common::TempPackage;
use std::time::Duration;

const WXML: &str = r#"<view class="box {{on ? 'on' : ''}}" bindtap="toggle" bindtransitionend="ended"></view>
<view class="pulse" bindanimationstart="began" bindanimationend="ended"></view>"#;

const WXSS: &str = "
.box { width: 100px; height: 100px; background-color: #ff0000;
       transition: background-color 150ms linear, transform 150ms ease-out }
.box.on { background-color: #0000ff; transform: translateX(100px) }
@keyframes grow { from { opacity: 0 } to { opacity: 1 } }
.pulse { width: 50px; height: 50px; background-color: #00ff00; animation: grow 100ms linear }
";

const JS: &str = "Page({
  data: { on: false },
  toggle() { this.setData({ on: !this.data.on }); },
  began(e) { console.log(e.type + ' ' + e.detail.animationName); },
  ended(e) { console.log(e.type + ' ' + (e.detail.propertyName || e.detail.animationName)); },
});";

fn pixel(capture: &cirrus_engine::render_thread::Capture, x: u32, y: u32) -> [u8; 3] {
    let p = capture.image.get_pixel(x, y).0;
    [p[0], p[1], p[2]]
}

#[test]
fn a_tap_starts_a_transition_that_settles_at_its_end_and_reports_it() {
    let app = TempPackage::new(
        "motion",
        &[
            (
                "app.json",
                r#"{"pages":["pages/index/index"],"window":{"navigationStyle":"custom"}}"#,
            ),
            ("app.js", "App({})"),
            ("pages/index/index.wxml", WXML),
            ("pages/index/index.wxss", WXSS),
            ("pages/index/index.js", JS),
            ("pages/index/index.json", "{}"),
        ],
    );
    let (package, diags) = Package::load(&app.root).expect("package loads");
    assert!(diags.is_empty(), "{diags:?}");
    let options = ShotOptions {
        dpr: 1.0,
        timeout: Duration::from_secs(20),
        ..ShotOptions::default()
    };
    let app = HeadlessApp::launch(package, &options).expect("launch");
    let first = app.capture().expect("capture");
    assert!(first.settled);
    assert_eq!(pixel(&first, 50, 50), [255, 0, 0]);
    // The keyframe animation ran from load and ended.
    let console = app.console();
    assert!(
        console.iter().any(|l| l == "animationstart grow"),
        "{console:?}"
    );

    app.tap(50.0, 50.0).expect("tap");
    let moved = app.capture().expect("capture");
    assert!(moved.settled, "the transition ended within the timeout");
    // Moved 100px right and blue: its end, not a frame on the way.
    assert_eq!(pixel(&moved, 150, 50), [0, 0, 255]);
    assert_eq!(pixel(&moved, 50, 50), [255, 255, 255]);

    // The events reach the handlers shortly after the frame.
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    loop {
        let console = app.console();
        let has = |line: &str| console.iter().any(|l| l == line);
        if has("transitionend background-color")
            && has("transitionend transform")
            && has("animationend grow")
        {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "{console:?}");
        std::thread::sleep(Duration::from_millis(20));
    }
}
