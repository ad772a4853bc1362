//! Worklets end to end, through the frame driver on the controlled clock:
//! a bottom sheet whose `applyAnimatedStyle` follows a shared value that a
//! `timing` animation moves on the UI thread. The sheet moves frame by
//! frame without a layout pass, the completion worklet calls back to the JS
//! thread through `runOnJS`, and the JS thread's mirror of the shared value
//! reads the end value.

use cirrus_embed::harness::{Harness, FRAME};
use cirrus_embed::headless::ShotOptions;
use cirrus_engine::package::Package;
use serde_json::Value;
use std::time::Duration;

const SHEET_JS: &str = r#"
import { clampTo } from '../../utils/motion'

const { shared, timing, Easing, runOnJS } = wx.worklet

Page({
  data: { state: 'closed' },
  onLoad() {
    this.lift = shared(0)
    this.applyAnimatedStyle('.sheet', () => {
      'worklet'
      return { transform: `translateY(${-this.lift.value}px)`, opacity: clampTo(0.5 + this.lift.value / 400, 1) }
    })
  },
  open() {
    const done = this.opened.bind(this)
    this.lift.value = timing(200, { duration: 200, easing: Easing.linear }, (finished) => {
      'worklet'
      if (finished) runOnJS(done)()
    })
  },
  opened() {
    this.setData({ state: 'open' })
    console.log('sheet open, lifted ' + this.lift.value)
  },
})
"#;

const MOTION_JS: &str = r#"
export function clampTo(value, max) {
  'worklet'
  return value > max ? max : value
}
"#;

const SHEET_WXML: &str = r#"
<view class="map">Map</view>
<view class="sheet" bindtap="open"><text class="title">Nearby · {{state}}</text></view>
"#;

const SHEET_WXSS: &str = r#"
.map { height: 400px; background: #dde8d0; }
.sheet { position: absolute; left: 0; top: 400px; width: 375px; height: 260px; background: #ffffff; }
.title { font-size: 16px; }
"#;

/// Launches a package of `files` (path, text) on the controlled clock.
fn launch(files: &[(&str, &str)]) -> Harness {
    let (package, diagnostics) =
        Package::from_files(files.iter().map(|(a, b)| (a.to_string(), b.to_string())));
    assert!(diagnostics.iter().all(|d| !d.is_error()), "{diagnostics:?}");
    let options = ShotOptions {
        dpr: 1.0,
        ..ShotOptions::default()
    };
    Harness::launch(package, &options).expect("the app launches")
}

fn harness() -> Harness {
    launch(&[
        (
            "app.json",
            r#"{"pages":["pages/sheet/sheet"],"renderer":"skyline","componentFramework":"glass-easel"}"#,
        ),
        ("app.js", "App({})"),
        ("utils/motion.js", MOTION_JS),
        ("pages/sheet/sheet.js", SHEET_JS),
        (
            "pages/sheet/sheet.json",
            r#"{"navigationStyle":"custom","usingComponents":{}}"#,
        ),
        ("pages/sheet/sheet.wxml", SHEET_WXML),
        ("pages/sheet/sheet.wxss", SHEET_WXSS),
    ])
}

fn find<'a>(node: &'a Value, class: &str) -> Option<&'a Value> {
    if node["class"]
        .as_str()
        .is_some_and(|c| c.split(' ').any(|c| c == class))
    {
        return Some(node);
    }
    node["children"]
        .as_array()?
        .iter()
        .find_map(|child| find(child, class))
}

/// The sheet's top edge as drawn (its `visual` box, or its layout box).
fn sheet_top(h: &mut Harness) -> f64 {
    let layout = h.layout();
    let root = layout.get("root").unwrap_or(&layout);
    let sheet = find(root, "sheet").unwrap_or_else(|| panic!("no .sheet in {layout}"));
    sheet["visual"]["y"]
        .as_f64()
        .or_else(|| sheet["y"].as_f64())
        .expect("a y")
}

#[test]
fn a_sheet_lifts_on_the_ui_thread_frame_by_frame_and_reports_back() {
    let mut h = harness();
    h.settle(Duration::from_secs(2)).expect("settles");
    assert_eq!(sheet_top(&mut h), 400.0);
    h.tap(100.0, 450.0).expect("tap");
    // 12 frames at 120 Hz: 100 ms of the 200 ms timing. Nothing reads the
    // layout meanwhile, so a layout pass would show in the frames' stats.
    let mut layouts = 0;
    for _ in 0..12 {
        h.step(FRAME).expect("step");
        layouts += usize::from(h.driver().stage().last_frame.layout_ran);
    }
    assert_eq!(layouts, 0, "a transform and an opacity never lay out");
    let halfway = sheet_top(&mut h);
    assert!((halfway - 300.0).abs() <= 1.0, "{halfway}");
    for _ in 0..18 {
        h.step(FRAME).expect("step");
    }
    assert_eq!(sheet_top(&mut h), 200.0);
    h.settle(Duration::from_secs(1)).expect("settles");
    let console = h.console();
    assert!(
        console.iter().any(|l| l == "sheet open, lifted 200"),
        "{console:#?}"
    );
    let errors: Vec<_> = h.driver().stage().diagnostics().to_vec();
    assert!(errors.is_empty(), "{errors:#?}");
}

const INBOX_JS: &str = r#"
const { shared } = wx.worklet
const rows = []
for (let i = 0; i < 40; i++) rows.push('Message ' + (i + 1))

Page({
  data: { rows },
  onLoad() {
    this.scrollTop = shared(0)
    // The header slides away with the first 60 px of scrolling.
    this.applyAnimatedStyle('.header', () => {
      'worklet'
      const lift = Math.min(this.scrollTop.value, 60)
      return { transform: `translateY(${-lift}px)` }
    })
  },
  onListScroll(e) {
    'worklet'
    this.scrollTop.value = e.detail.scrollTop
  },
})
"#;

const INBOX_WXML: &str = r#"
<scroll-view class="list" scroll-y type="list" worklet:onscrollupdate="onListScroll">
  <view class="row" wx:for="{{rows}}" wx:key="*this">{{item}}</view>
</scroll-view>
<view class="header">Inbox</view>
"#;

const INBOX_WXSS: &str = r#"
.header { position: absolute; left: 0; top: 0; width: 375px; height: 60px; background: #2b6cb0; color: #fff; }
.list { position: absolute; left: 0; top: 0; width: 375px; height: 667px; }
.row { height: 48px; }
"#;

#[test]
fn a_scroll_worklet_moves_the_header_in_the_frame_of_the_scroll() {
    let mut h = launch(&[
        (
            "app.json",
            r#"{"pages":["pages/inbox/inbox"],"renderer":"skyline"}"#,
        ),
        ("app.js", "App({})"),
        ("pages/inbox/inbox.js", INBOX_JS),
        ("pages/inbox/inbox.json", r#"{"navigationStyle":"custom"}"#),
        ("pages/inbox/inbox.wxml", INBOX_WXML),
        ("pages/inbox/inbox.wxss", INBOX_WXSS),
    ]);
    h.settle(Duration::from_secs(2)).expect("settles");
    let header_top = |h: &mut Harness| {
        let layout = h.layout();
        let root = layout.get("root").unwrap_or(&layout).clone();
        let header = find(&root, "header").expect("a header").clone();
        header["visual"]["y"]
            .as_f64()
            .or_else(|| header["y"].as_f64())
            .expect("a y")
    };
    assert_eq!(header_top(&mut h), 0.0);
    for (scroll, expected) in [(25.0, -25.0), (20.0, -45.0), (100.0, -60.0)] {
        h.driver().stage_mut().scroll_by(100.0, 300.0, 0.0, scroll);
        // One frame: the scroll event, the worklet, the header's style.
        h.step(FRAME).expect("step");
        assert_eq!(
            header_top(&mut h),
            expected,
            "after scrolling {scroll} more"
        );
    }
    let errors: Vec<_> = h.driver().stage().diagnostics().to_vec();
    assert!(errors.is_empty(), "{errors:#?}");
}
