//! A `<scroll-view>` in a running app, headless: scroll input through the
//! render thread moves the content (layout file and pixels), the `scroll`
//! and `scrolltolower` handlers run on the logic thread with WeChat's
//! detail, and `scroll-into-view` set through setData scrolls too.

mod common;

use cirrus_engine::package::Package;
use cirrus_shell::headless::{HeadlessApp, ShotOptions};
use common::TempPackage;
use serde_json::Value;
use std::time::Duration;

const GRAY: [u8; 3] = [0xcc, 0xcc, 0xcc];
const GREEN: [u8; 3] = [0x00, 0xff, 0x00];

/// Ten 100px items in a 300px scroll-view; item 5 is green, the others
/// gray. Below it, a button that sets `scroll-into-view` to item 9.
fn package() -> TempPackage {
    TempPackage::new(
        "scroll-view",
        &[
            (
                "app.json",
                r#"{"pages":["pages/index/index"],"window":{"navigationStyle":"custom"}}"#,
            ),
            ("app.js", "App({})"),
            (
                "pages/index/index.wxml",
                r#"<scroll-view id="sv" class="sv" scroll-y scroll-into-view="{{into}}" bindscroll="onScroll" bindscrolltolower="onLower">
  <view wx:for="{{colors}}" wx:key="*this" id="item{{index}}" class="item" style="background-color: {{item}}"></view>
</scroll-view>
<view id="button" class="button" bindtap="jump"></view>
"#,
            ),
            (
                "pages/index/index.wxss",
                ".sv { height: 300px } .item { height: 100px } .button { height: 50px; background-color: #0000ff }",
            ),
            (
                "pages/index/index.js",
                r#"const colors = [];
for (let i = 0; i < 10; i++) colors.push(i === 5 ? '#00ff00' : '#cccccc');
Page({
  data: { colors, into: '' },
  onScroll(e) {
    const d = e.detail;
    console.log(`scroll ${d.scrollTop} ${d.deltaY} ${d.scrollHeight} ${e.currentTarget.id}`);
  },
  onLower(e) { console.log(`lower ${e.detail.direction}`); },
  jump() { this.setData({ into: 'item9' }); },
});
"#,
            ),
        ],
    )
}

fn launch(folder: &TempPackage) -> HeadlessApp {
    let (package, diagnostics) = Package::load(&folder.root).expect("package loads");
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    let options = ShotOptions {
        width: 200.0,
        height: 400.0,
        dpr: 1.0,
        timeout: Duration::from_secs(20),
        ..Default::default()
    };
    HeadlessApp::launch(package, &options).expect("launch")
}

fn pixel(image: &image::RgbaImage, x: u32, y: u32) -> [u8; 3] {
    let p = image.get_pixel(x, y).0;
    [p[0], p[1], p[2]]
}

/// The `y` of the scroll-view's item `index` in the layout file.
fn item_y(layout: &Value, index: usize) -> f64 {
    layout["root"]["children"][0]["children"][index]["y"]
        .as_f64()
        .expect("the item is in the layout file")
}

#[test]
fn scrolling_moves_the_content_and_runs_the_handlers() {
    let folder = package();
    let app = launch(&folder);
    let before = app.capture().expect("capture");
    assert!(before.settled);
    assert_eq!(pixel(&before.image, 50, 50), GRAY);
    assert_eq!(item_y(&before.layout, 5), 500.0);

    // A wheel turn over the list: item 5 comes to the top.
    app.scroll(50.0, 50.0, 0.0, 500.0).expect("scroll");
    let after = app.capture().expect("capture");
    assert!(after.settled);
    assert_eq!(item_y(&after.layout, 5), 0.0, "the layout file is scrolled");
    assert_eq!(pixel(&after.image, 50, 50), GREEN);
    assert_eq!(pixel(&after.image, 50, 150), GRAY, "item 6 below it");
    assert_eq!(
        pixel(&after.image, 50, 325),
        [0, 0, 255],
        "the button below the scroll-view stays put"
    );
    let console = app.console();
    assert!(
        console.contains(&"scroll 500 -500 1000 sv".to_owned()),
        "{console:?}"
    );

    // To the end (700 = 1000 - 300), inside the 50px lower threshold.
    app.scroll(50.0, 50.0, 0.0, 1000.0).expect("scroll");
    let end = app.capture().expect("capture");
    assert_eq!(item_y(&end.layout, 9), 200.0);
    let console = app.console();
    assert!(console.contains(&"lower bottom".to_owned()), "{console:?}");

    // Back to the top, then scroll-into-view (item 9: clamped to the end).
    app.scroll(50.0, 50.0, 0.0, -1000.0).expect("scroll");
    let top = app.capture().expect("capture");
    assert_eq!(item_y(&top.layout, 0), 0.0);
    app.tap(50.0, 325.0).expect("tap");
    let jumped = app.capture().expect("capture");
    assert_eq!(item_y(&jumped.layout, 9), 200.0, "{:?}", app.console());
}
