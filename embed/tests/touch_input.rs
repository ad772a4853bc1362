//! Touch input as a phone delivers it (<https://developers.weixin.qq.com/miniprogram/dev/framework/view/wxml/event.html>), through the frame
//! driver on the controlled-clock harness: touch sequences with
//! identifiers, tap below the slop only, longpress at 350 ms suppressing a
//! tap its handler took, multi-touch, hover-class timing, `:active`,
//! target offsets, a touch surviving the removal of its target, and the
//! determinism of a scripted run.

use cirrus_embed::harness::Harness;
use cirrus_embed::headless::ShotOptions;
use cirrus_engine::input::InputEvent;
use cirrus_engine::package::Package;
use std::time::Duration;

const PAGE_JS: &str = r#"
Page({
  data: { show: true, pressed: 0 },
  log(tag, e) {
    const t = e.changedTouches[0] || {};
    console.log(tag + ' ' + e.type + ' id=' + t.identifier + ' at=' + Math.round(t.pageX) + ',' + Math.round(t.pageY) +
      ' touches=' + e.touches.length + ' target=' + e.target.id +
      ' offset=' + e.target.offsetLeft + ',' + e.target.offsetTop);
  },
  onStart(e) { this.log('pad', e); },
  onMove(e) { this.log('pad', e); },
  onEnd(e) { this.log('pad', e); },
  onCancel(e) { this.log('pad', e); },
  onTap(e) { console.log('tap ' + e.currentTarget.id + ' detail=' + Math.round(e.detail.x) + ',' + Math.round(e.detail.y)); },
  onLong(e) { console.log('longpress ' + e.currentTarget.id); },
  onTapPlain(e) { console.log('tap ' + e.currentTarget.id); },
  onRemoveStart() { this.setData({ show: false }); },
  onOuterEnd(e) { console.log('outer ' + e.type + ' target=' + e.target.id); },
});
"#;

// A custom navigation bar keeps page and window coordinates equal.
const PAGE_JSON: &str = r#"{ "navigationStyle": "custom" }"#;

const PAGE_WXML: &str = r#"
<view id="pad" class="pad" bindtouchstart="onStart" bindtouchmove="onMove"
      bindtouchend="onEnd" bindtouchcancel="onCancel" bindtap="onTap"></view>
<view id="long" class="long" bindlongpress="onLong" bindtap="onTapPlain"></view>
<view id="plain" class="plain" bindtap="onTapPlain"></view>
<view id="outer" class="outer" bindtouchend="onOuterEnd">
  <view wx:if="{{show}}" id="doomed" class="doomed" bindtouchstart="onRemoveStart"></view>
</view>
<view id="hover" class="hover" hover-class="lit" hover-start-time="100" hover-stay-time="200"></view>
<view id="press" class="press"></view>
<view id="card" class="card" hover-class="card-lit" hover-start-time="0">
  <view id="chip" class="chip" hover-class="chip-lit" hover-start-time="0" hover-stop-propagation></view>
</view>
<view id="row" class="row" hover-class="row-lit" hover-start-time="0">
  <view id="cell" class="cell" hover-class="cell-lit" hover-start-time="0"></view>
</view>
"#;

const PAGE_WXSS: &str = r#"
.pad { position: absolute; left: 20px; top: 30px; width: 100px; height: 100px; }
.long { position: absolute; left: 200px; top: 30px; width: 100px; height: 100px; }
.plain { position: absolute; left: 20px; top: 200px; width: 100px; height: 100px; }
.outer { position: absolute; left: 200px; top: 200px; width: 100px; height: 100px; }
.doomed { width: 100px; height: 100px; }
.hover { position: absolute; left: 20px; top: 400px; width: 100px; height: 100px; background: #0000ff; }
.hover.lit { background: #ff0000; }
.press { position: absolute; left: 200px; top: 400px; width: 100px; height: 100px; background: #00ff00; }
.press:active { background: #000000; }
.card { position: absolute; left: 20px; top: 540px; width: 150px; height: 60px; background: #0000ff; }
.card.card-lit { background: #ff0000; }
.chip { width: 40px; height: 40px; background: #00ff00; }
.chip.chip-lit { background: #000000; }
.row { position: absolute; left: 200px; top: 540px; width: 150px; height: 60px; background: #0000ff; }
.row.row-lit { background: #ff0000; }
.cell { width: 40px; height: 40px; background: #00ff00; }
.cell.cell-lit { background: #000000; }
"#;

fn harness() -> Harness {
    let files = vec![
        (
            "app.json".to_owned(),
            r#"{"pages":["pages/index/index"]}"#.to_owned(),
        ),
        ("app.js".to_owned(), "App({})".to_owned()),
        ("pages/index/index.js".to_owned(), PAGE_JS.to_owned()),
        ("pages/index/index.json".to_owned(), PAGE_JSON.to_owned()),
        ("pages/index/index.wxml".to_owned(), PAGE_WXML.to_owned()),
        ("pages/index/index.wxss".to_owned(), PAGE_WXSS.to_owned()),
    ];
    let (package, diagnostics) = Package::from_files(files);
    assert!(diagnostics.iter().all(|d| !d.is_error()), "{diagnostics:?}");
    let options = ShotOptions {
        dpr: 1.0,
        ..ShotOptions::default()
    };
    Harness::launch(package, &options).expect("the app launches")
}

fn lines_with(h: &Harness, prefix: &str) -> Vec<String> {
    h.console()
        .into_iter()
        .filter(|l| l.starts_with(prefix))
        .collect()
}

/// The colour at a point of the frame now.
fn pixel(h: &mut Harness, x: u32, y: u32) -> [u8; 4] {
    let capture = h.capture().expect("capture");
    capture.image.get_pixel(x, y).0
}

#[test]
fn a_touch_sequence_carries_identifiers_points_and_offsets() {
    let mut h = harness();
    h.input(InputEvent::down(7, 50.0, 60.0)).unwrap();
    h.wait(Duration::from_millis(20)).unwrap();
    h.input(InputEvent::moved(7, 53.0, 61.0)).unwrap();
    h.input(InputEvent::up(7, 53.0, 61.0)).unwrap();
    assert_eq!(
        lines_with(&h, "pad"),
        [
            "pad touchstart id=7 at=50,60 touches=1 target=pad offset=20,30",
            "pad touchmove id=7 at=53,61 touches=1 target=pad offset=20,30",
            "pad touchend id=7 at=53,61 touches=0 target=pad offset=20,30",
        ]
    );
    assert_eq!(lines_with(&h, "tap"), ["tap pad detail=53,61"]);
}

#[test]
fn moving_beyond_the_slop_is_not_a_tap() {
    let mut h = harness();
    h.gesture(&[((50.0, 60.0), (50.0, 90.0))], Duration::from_millis(100))
        .unwrap();
    let pad = lines_with(&h, "pad");
    assert!(pad.first().is_some_and(|l| l.contains("touchstart")));
    assert!(pad.iter().filter(|l| l.contains("touchmove")).count() >= 10);
    // Moves keep going to the element the touch started on.
    assert!(pad
        .last()
        .is_some_and(|l| l.contains("touchend") && l.contains("target=pad")));
    assert!(lines_with(&h, "tap").is_empty(), "{:?}", h.console());
}

#[test]
fn a_second_finger_cancels_the_tap() {
    let mut h = harness();
    h.input(InputEvent::down(0, 50.0, 60.0)).unwrap();
    h.input(InputEvent::down(1, 60.0, 70.0)).unwrap();
    h.input(InputEvent::up(1, 60.0, 70.0)).unwrap();
    h.input(InputEvent::up(0, 50.0, 60.0)).unwrap();
    let pad = lines_with(&h, "pad");
    assert!(
        pad.contains(&"pad touchstart id=1 at=60,70 touches=2 target=pad offset=20,30".to_owned()),
        "{pad:?}"
    );
    assert!(lines_with(&h, "tap").is_empty(), "{:?}", h.console());
}

#[test]
fn longpress_fires_at_350ms_and_takes_the_tap() {
    let mut h = harness();
    h.input(InputEvent::down(0, 250.0, 80.0)).unwrap();
    h.wait(Duration::from_millis(340)).unwrap();
    assert!(lines_with(&h, "longpress").is_empty(), "not before 350 ms");
    h.wait(Duration::from_millis(20)).unwrap();
    assert_eq!(lines_with(&h, "longpress"), ["longpress long"]);
    h.input(InputEvent::up(0, 250.0, 80.0)).unwrap();
    assert!(lines_with(&h, "tap").is_empty(), "{:?}", h.console());
}

#[test]
fn a_long_touch_without_a_longpress_handler_still_taps() {
    let mut h = harness();
    h.longpress(50.0, 250.0).unwrap();
    assert_eq!(lines_with(&h, "tap"), ["tap plain"]);
}

#[test]
fn a_touch_survives_the_removal_of_its_target() {
    let mut h = harness();
    // touchstart removes the element under the finger.
    h.input(InputEvent::down(0, 250.0, 250.0)).unwrap();
    h.wait(Duration::from_millis(20)).unwrap();
    h.input(InputEvent::up(0, 250.0, 250.0)).unwrap();
    // The end goes to the nearest ancestor still there.
    assert_eq!(lines_with(&h, "outer"), ["outer touchend target=outer"]);
}

#[test]
fn hover_class_follows_its_start_and_stay_times() {
    let mut h = harness();
    let blue = [0, 0, 255, 255];
    let red = [255, 0, 0, 255];
    h.input(InputEvent::down(0, 70.0, 450.0)).unwrap();
    h.wait(Duration::from_millis(50)).unwrap();
    assert_eq!(pixel(&mut h, 70, 450), blue, "not before hover-start-time");
    h.wait(Duration::from_millis(60)).unwrap();
    assert_eq!(pixel(&mut h, 70, 450), red, "after hover-start-time");
    h.input(InputEvent::up(0, 70.0, 450.0)).unwrap();
    h.wait(Duration::from_millis(150)).unwrap();
    assert_eq!(pixel(&mut h, 70, 450), red, "within hover-stay-time");
    h.wait(Duration::from_millis(80)).unwrap();
    assert_eq!(pixel(&mut h, 70, 450), blue, "after hover-stay-time");
}

#[test]
fn a_drag_away_ends_the_hover_at_once() {
    let mut h = harness();
    h.input(InputEvent::down(0, 70.0, 450.0)).unwrap();
    h.wait(Duration::from_millis(150)).unwrap();
    assert_eq!(pixel(&mut h, 70, 450), [255, 0, 0, 255]);
    h.input(InputEvent::moved(0, 70.0, 490.0)).unwrap();
    h.wait(Duration::from_millis(10)).unwrap();
    assert_eq!(pixel(&mut h, 70, 450), [0, 0, 255, 255]);
}

#[test]
fn active_styles_apply_while_pressed() {
    let mut h = harness();
    assert_eq!(pixel(&mut h, 250, 450), [0, 255, 0, 255]);
    h.input(InputEvent::down(0, 250.0, 450.0)).unwrap();
    h.wait(Duration::from_millis(10)).unwrap();
    assert_eq!(pixel(&mut h, 250, 450), [0, 0, 0, 255]);
    h.input(InputEvent::up(0, 250.0, 450.0)).unwrap();
    h.wait(Duration::from_millis(10)).unwrap();
    assert_eq!(pixel(&mut h, 250, 450), [0, 255, 0, 255]);
}

#[test]
fn a_scripted_run_is_deterministic() {
    let run = || {
        let mut h = harness();
        let steps = cirrus_embed::script::parse(
            "steps.json",
            r#"[{"tap": [50, 60]}, {"wait": 30}, {"drag": {"from": [50, 60], "to": [90, 60], "ms": 120}},
                {"longpress": [250, 80]}, {"wait": 100}]"#,
        )
        .expect("valid steps");
        cirrus_embed::script::play(&mut h, &steps).expect("played");
        (h.console(), h.capture().expect("capture").image.into_raw())
    };
    let (first_console, first_image) = run();
    let (second_console, second_image) = run();
    assert_eq!(first_console, second_console);
    assert!(first_image == second_image, "the pictures differ");
    assert!(first_console.iter().any(|l| l == "longpress long"));
}

#[test]
fn hover_stop_propagation_keeps_ancestors_unpressed() {
    let mut h = harness();
    // Without it, the ancestor with a hover-class shows its own too.
    h.input(InputEvent::down(0, 215.0, 555.0)).unwrap();
    h.wait(Duration::from_millis(20)).unwrap();
    assert_eq!(
        pixel(&mut h, 215, 555),
        [0, 0, 0, 255],
        "the cell is pressed"
    );
    assert_eq!(pixel(&mut h, 320, 590), [255, 0, 0, 255], "so is its row");
    h.input(InputEvent::up(0, 215.0, 555.0)).unwrap();
    h.wait(Duration::from_millis(500)).unwrap();
    // With it, only the pressed element.
    h.input(InputEvent::down(1, 35.0, 555.0)).unwrap();
    h.wait(Duration::from_millis(20)).unwrap();
    assert_eq!(
        pixel(&mut h, 35, 555),
        [0, 0, 0, 255],
        "the chip is pressed"
    );
    assert_eq!(pixel(&mut h, 140, 590), [0, 0, 255, 255], "its card is not");
}

#[test]
fn a_scripted_pinch_is_two_touches_and_no_tap() {
    let mut h = harness();
    let steps = cirrus_embed::script::parse(
        "steps.json",
        r#"[{"pinch": {"center": [70, 80], "from": 20, "to": 80, "ms": 100}}]"#,
    )
    .expect("valid steps");
    cirrus_embed::script::play(&mut h, &steps).expect("played");
    let pad = lines_with(&h, "pad");
    assert!(
        pad.iter()
            .any(|l| l.starts_with("pad touchstart id=1") && l.contains("touches=2")),
        "{pad:?}"
    );
    assert!(pad
        .iter()
        .any(|l| l.starts_with("pad touchmove") && l.contains("at=30,80")));
    assert!(lines_with(&h, "tap").is_empty(), "{:?}", h.console());
}
