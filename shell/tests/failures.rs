//! Failure end to end (issue 3 "Failure"): a page whose `onLoad` throws
//! still renders under the error overlay, and an endless loop in a tap
//! handler is interrupted by the logic thread's watchdog while the app
//! stays usable. Taps go through the test-harness input
//! (`HostCommand::Tap`), which the render thread hit tests.

mod common;

use cirrus_engine::chrome::{NAVIGATION_BAR_HEIGHT, STATUS_BAR_HEIGHT};
use cirrus_engine::layout::Viewport;
use cirrus_engine::package::Package;
use cirrus_engine::protocol::ToLogic;
use cirrus_engine::render_thread::{Capture, FrameTarget, HostCommand, RenderThread};
use cirrus_js_bridge::{Clock, LogicHandle, LogicOptions, LogicThread};
use crossbeam::channel;
use serde_json::Value;
use std::sync::Arc;
use std::time::{Duration, Instant};

const WIDTH: f32 = 375.0;
const HEIGHT: f32 = 667.0;
const PATIENCE: Duration = Duration::from_secs(10);
/// The watchdog for these tests: long enough for real work, short enough
/// to keep the test quick.
const WATCHDOG: Duration = Duration::from_millis(500);

struct App {
    /// Declared before `_logic` so it stops first.
    render: RenderThread,
    _logic: LogicHandle,
}

impl App {
    fn launch(files: &[(&str, &str)]) -> App {
        let mut all = vec![(
            "app.json".to_owned(),
            r#"{"pages":["pages/index/index"]}"#.to_owned(),
        )];
        all.push(("app.js".to_owned(), "App({})".to_owned()));
        all.extend(files.iter().map(|(p, t)| (p.to_string(), t.to_string())));
        let (package, diags): (Arc<Package>, _) = Package::from_files(all);
        assert!(diags.iter().all(|d| !d.is_error()), "{diags:?}");
        let viewport = Viewport::new(WIDTH, HEIGHT, 1.0);
        let (to_render, from_logic) = channel::unbounded();
        let (to_logic, from_host) = channel::unbounded();
        let options = LogicOptions {
            viewport,
            clock: Clock::Real,
            watchdog: WATCHDOG,
            ..Default::default()
        };
        let logic = LogicThread::spawn(package.clone(), options, to_render, from_host)
            .expect("the logic thread starts");
        to_logic
            .send(ToLogic::Launch {
                route: "pages/index/index".into(),
                query: String::new(),
            })
            .expect("the logic thread is alive");
        let render = RenderThread::spawn(
            package,
            viewport,
            FrameTarget::Headless,
            from_logic,
            to_logic,
        )
        .expect("the render thread starts");
        App {
            render,
            _logic: logic,
        }
    }

    fn capture(&self) -> Capture {
        let now = Instant::now();
        self.render.capture(now, now + PATIENCE).expect("a frame")
    }

    /// Captures until `ready` holds, or fails after `PATIENCE`.
    fn wait_for(&self, what: &str, ready: impl Fn(&Capture) -> bool) -> Capture {
        let start = Instant::now();
        loop {
            let capture = self.capture();
            if ready(&capture) {
                return capture;
            }
            assert!(
                start.elapsed() < PATIENCE,
                "timed out waiting for {what}: {:#?}",
                capture.diagnostics
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Taps the centre of the element with `id` (from the layout file, in
    /// page coordinates, below the navigation bar).
    fn tap(&self, layout: &Value, id: &str) {
        let node = common::find_node(&layout["root"], id)
            .unwrap_or_else(|| panic!("no #{id} in {layout}"));
        let f = |k: &str| node[k].as_f64().unwrap_or(f64::NAN) as f32;
        let x = f("x") + f("width") / 2.0;
        let y = f("y") + f("height") / 2.0 + STATUS_BAR_HEIGHT + NAVIGATION_BAR_HEIGHT;
        self.render
            .send(HostCommand::Tap { x, y })
            .expect("the render thread is alive");
    }
}

/// Whether the layout file holds a text run or element whose text we can
/// see: the layout file has no text, so tests look at ids set from data.
fn has_id(capture: &Capture, id: &str) -> bool {
    common::find_node(&capture.layout["root"], id).is_some()
}

fn is_overlay_red(pixel: &image::Rgba<u8>) -> bool {
    let [r, g, b, _] = pixel.0;
    r > 150 && g < 80 && b < 80
}

#[test]
fn a_page_whose_on_load_throws_still_renders_under_the_error_overlay() {
    let app = App::launch(&[
        (
            "pages/index/index.js",
            "Page({\n  onLoad() {\n    const user = undefined;\n    console.log(user.name);\n  },\n});",
        ),
        ("pages/index/index.wxml", "<view id=\"box\" class=\"box\"></view>"),
        (
            "pages/index/index.wxss",
            ".box { height: 100px; background-color: #0000ff; }",
        ),
    ]);
    let capture = app.wait_for("the page and the error", |c| {
        has_id(c, "box") && c.diagnostics.iter().any(|d| d.is_error())
    });
    let error = capture
        .diagnostics
        .iter()
        .find(|d| d.is_error())
        .expect("an error");
    assert_eq!(
        (error.file.as_str(), error.line),
        ("pages/index/index.js", 4),
        "{error}"
    );
    assert!(error.message.starts_with("TypeError"), "{error}");
    // The page rendered: its blue box sits below the navigation bar...
    let top = (STATUS_BAR_HEIGHT + NAVIGATION_BAR_HEIGHT) as u32;
    assert_eq!(capture.image.get_pixel(100, top + 50).0, [0, 0, 255, 255]);
    // ...and the overlay's red panel covers the bottom of the window.
    assert!(
        is_overlay_red(capture.image.get_pixel(200, HEIGHT as u32 - 5)),
        "{:?}",
        capture.image.get_pixel(200, HEIGHT as u32 - 5)
    );
}

#[test]
fn an_endless_loop_in_a_handler_is_interrupted_and_the_app_stays_usable() {
    let page_js = r#"Page({
  data: { count: 0 },
  spin() {
    let turns = 0;
    while (true) { turns += 1; }
  },
  bump() {
    this.setData({ count: this.data.count + 1 });
  },
});"#;
    let wxml = r#"<view id="spin" class="button" bindtap="spin">spin</view>
<view id="bump" class="button" bindtap="bump">bump</view>
<view id="count-{{count}}">{{count}}</view>"#;
    let app = App::launch(&[
        ("pages/index/index.js", page_js),
        ("pages/index/index.wxml", wxml),
        ("pages/index/index.wxss", ".button { height: 80px; }"),
    ]);
    let ready = app.wait_for("the page", |c| has_id(c, "count-0"));
    let started = Instant::now();
    app.tap(&ready.layout, "spin");
    let interrupted = app.wait_for("the watchdog's report", |c| {
        c.diagnostics
            .iter()
            .any(|d| d.is_error() && d.message.contains("interrupted"))
    });
    let elapsed = started.elapsed();
    assert!(
        elapsed >= WATCHDOG && elapsed < PATIENCE,
        "interrupted after {elapsed:?}"
    );
    let report = interrupted
        .diagnostics
        .iter()
        .find(|d| d.message.contains("interrupted"))
        .expect("checked");
    assert_eq!(report.file, "pages/index/index.js", "{report}");
    // The app goes on: another tap runs its handler and the page updates.
    app.tap(&interrupted.layout, "bump");
    let after = app.wait_for("the bumped count", |c| has_id(c, "count-1"));
    assert!(
        is_overlay_red(after.image.get_pixel(200, HEIGHT as u32 - 5)),
        "the report stays in the overlay"
    );
}

#[test]
fn session_tap_hit_tests_and_runs_the_handler() {
    let files = [
        ("app.json", r#"{"pages":["pages/index/index"]}"#),
        ("app.js", "App({})"),
        (
            "pages/index/index.js",
            "Page({ data: { taps: 0 }, onTap(e) { this.setData({ taps: this.data.taps + 1 }); } });",
        ),
        (
            "pages/index/index.wxml",
            "<view id=\"target\" class=\"target\" bindtap=\"onTap\"></view><view id=\"taps-{{taps}}\"></view>",
        ),
        (
            "pages/index/index.wxss",
            ".target { margin-top: 100px; height: 50px; }",
        ),
    ];
    let (package, _) =
        Package::from_files(files.iter().map(|(p, t)| (p.to_string(), t.to_string())));
    let session = cirrus_shell::session::Session::launch(
        package,
        None,
        Viewport::new(WIDTH, HEIGHT, 1.0),
        FrameTarget::Headless,
    )
    .expect("the app starts");
    let capture = |what: &str, id: &str| {
        let start = Instant::now();
        loop {
            let now = Instant::now();
            let c = session
                .render
                .capture(now, now + PATIENCE)
                .expect("a frame");
            if has_id(&c, id) {
                return c;
            }
            assert!(start.elapsed() < PATIENCE, "timed out waiting for {what}");
            std::thread::sleep(Duration::from_millis(20));
        }
    };
    capture("the page", "taps-0");
    let bar = STATUS_BAR_HEIGHT + NAVIGATION_BAR_HEIGHT;
    // Above the target (its margin): the page is hit, no handler runs.
    session.tap(50.0, bar + 50.0).expect("tap");
    // On the target.
    session.tap(50.0, bar + 120.0).expect("tap");
    capture("one tap handled", "taps-1");
    // Both taps were sent before; give a wrongly hit first tap time to show.
    std::thread::sleep(Duration::from_millis(100));
    let after = capture("the settled page", "taps-1");
    assert!(
        !has_id(&after, "taps-2"),
        "the tap on the margin ran the handler"
    );
}
