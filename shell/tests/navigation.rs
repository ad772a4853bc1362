//! The page stack driven end to end through `cirrus_shell::headless`: a
//! small package in a temporary folder (three pages, a tab bar with icons)
//! is launched, navigated by the app itself, by the navigation bar's back
//! button and by the tab bar, and after each step the top page's layout
//! and a few pixels of the chrome are checked.

mod common;

use cirrus_engine::chrome::{NAVIGATION_BAR_HEIGHT, TAB_BAR_BORDER_WIDTH, TAB_BAR_HEIGHT};
use cirrus_engine::package::Package;
use cirrus_shell::headless::{shot, HeadlessApp, ShotOptions};
use common::TempPackage;
use serde_json::Value;
use std::path::Path;
use std::time::Duration;

const WIDTH: f32 = 375.0;
const HEIGHT: f32 = 667.0;
const NAV_RED: [u8; 3] = [255, 0, 0];
const PAGE_BLUE: [u8; 3] = [0xdd, 0xdd, 0xff];
const ICON_GRAY: [u8; 3] = [0x88, 0x88, 0x88];
const ICON_GREEN: [u8; 3] = [0x00, 0xaa, 0x00];

fn write(root: &Path, path: &str, text: &str) {
    let file = root.join(path);
    std::fs::create_dir_all(file.parent().expect("files are in folders")).expect("mkdir");
    std::fs::write(file, text).expect("write");
}

fn icon(root: &Path, path: &str, rgb: [u8; 3]) {
    let file = root.join(path);
    std::fs::create_dir_all(file.parent().expect("in a folder")).expect("mkdir");
    image::RgbaImage::from_pixel(24, 24, image::Rgba([rgb[0], rgb[1], rgb[2], 255]))
        .save(file)
        .expect("write icon");
}

/// home (tab) navigates to detail from its first `onLoad` (after
/// `open_delay_ms`); other is the second tab.
fn package(name: &str, open_delay_ms: u32) -> TempPackage {
    let package = TempPackage::new(&format!("navigation-{name}"), &[]);
    let root = package.root.clone();
    write(
        &root,
        "app.json",
        r##"{
  "pages": ["pages/home/home", "pages/detail/detail", "pages/other/other"],
  "window": { "navigationBarTitleText": "Nav", "navigationBarBackgroundColor": "#ff0000",
              "navigationBarTextStyle": "white", "backgroundColor": "#ddddff" },
  "tabBar": { "color": "#888888", "selectedColor": "#00aa00", "backgroundColor": "#ffffff",
    "borderStyle": "black",
    "list": [
      { "pagePath": "pages/home/home", "text": "Home",
        "iconPath": "icons/home.png", "selectedIconPath": "icons/home-on.png" },
      { "pagePath": "pages/other/other", "text": "Other",
        "iconPath": "icons/other.png", "selectedIconPath": "icons/other-on.png" }
    ] }
}"##,
    );
    write(&root, "app.js", "App({ opened: false });");
    write(
        &root,
        "app.wxss",
        ".fill { height: 200px; background-color: #ddddff; } .row { height: 20px; }",
    );
    write(
        &root,
        "pages/home/home.js",
        &format!(
            r#"Page({{
  data: {{ shows: 0 }},
  onLoad() {{
    console.log('home loaded');
    const app = getApp();
    if (!app.opened) {{
      app.opened = true;
      setTimeout(() => wx.navigateTo({{ url: '../detail/detail?id=7' }}), {open_delay_ms});
    }}
  }},
  onShow() {{ this.setData({{ shows: this.data.shows + 1 }}); }},
}});"#
        ),
    );
    write(
        &root,
        "pages/home/home.wxml",
        r#"<view id="home" class="fill"><view id="shows-{{shows}}" class="row"/></view>"#,
    );
    write(
        &root,
        "pages/detail/detail.js",
        "Page({ data: { id: '' }, onLoad(query) { this.setData({ id: query.id }); } });",
    );
    write(
        &root,
        "pages/detail/detail.wxml",
        r#"<view id="detail-{{id}}" class="fill"/>"#,
    );
    write(
        &root,
        "pages/detail/detail.json",
        r#"{ "navigationBarTitleText": "Detail" }"#,
    );
    write(&root, "pages/other/other.js", "Page({});");
    write(
        &root,
        "pages/other/other.wxml",
        r#"<view id="other" class="fill"/>"#,
    );
    for (name, rgb) in [
        ("home", ICON_GRAY),
        ("home-on", ICON_GREEN),
        ("other", ICON_GRAY),
        ("other-on", ICON_GREEN),
    ] {
        icon(&root, &format!("icons/{name}.png"), rgb);
    }
    package
}

fn options() -> ShotOptions {
    ShotOptions {
        width: WIDTH,
        height: HEIGHT,
        dpr: 1.0,
        timeout: Duration::from_secs(20),
        ..Default::default()
    }
}

/// The page root's height and the ids of its element children.
fn top_page(layout: &Value) -> (f64, Vec<String>) {
    let root = &layout["root"];
    let ids = root["children"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|child| {
            let mut ids = vec![child["id"].as_str().unwrap_or("").to_owned()];
            for grandchild in child["children"].as_array().into_iter().flatten() {
                ids.push(grandchild["id"].as_str().unwrap_or("").to_owned());
            }
            ids
        })
        .collect();
    (root["height"].as_f64().unwrap_or(f64::NAN), ids)
}

/// The pixel at (x, y) CSS px (dpr 1), without alpha.
fn pixel(image: &image::RgbaImage, x: f32, y: f32) -> [u8; 3] {
    let p = image.get_pixel(x as u32, y as u32).0;
    [p[0], p[1], p[2]]
}

fn close(actual: [u8; 3], expected: [u8; 3]) -> bool {
    actual
        .iter()
        .zip(expected)
        .all(|(a, e)| (i32::from(*a) - i32::from(e)).abs() <= 8)
}

#[track_caller]
fn assert_pixel(image: &image::RgbaImage, x: f32, y: f32, expected: [u8; 3], what: &str) {
    let actual = pixel(image, x, y);
    assert!(
        close(actual, expected),
        "{what}: pixel ({x}, {y}) is {actual:?}, expected {expected:?}"
    );
}

#[test]
fn navigate_to_back_and_tabs_show_the_top_page_below_the_bars() {
    let folder = package("steps", 0);
    let (package, diagnostics) = Package::load(&folder.root).expect("package loads");
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    let app = HeadlessApp::launch(package, &options()).expect("launch");
    let tab_bar_top = HEIGHT - TAB_BAR_HEIGHT - TAB_BAR_BORDER_WIDTH;
    let tab_page_height = f64::from(tab_bar_top - NAVIGATION_BAR_HEIGHT);
    let plain_page_height = f64::from(HEIGHT - NAVIGATION_BAR_HEIGHT);
    let icon_y = tab_bar_top + TAB_BAR_BORDER_WIDTH + 6.0 + 12.0;

    // 1. home opened detail at load: detail is on top, no tab bar.
    let first = app.capture().expect("capture");
    assert!(first.settled);
    assert!(
        first.diagnostics.iter().all(|d| !d.is_error()),
        "{:?}",
        first.diagnostics
    );
    assert_eq!(
        top_page(&first.layout),
        (plain_page_height, vec!["detail-7".to_owned()])
    );
    let image = &first.image;
    assert_pixel(image, 300.0, 43.0, NAV_RED, "navigation bar");
    assert_pixel(image, 300.0, 45.0, PAGE_BLUE, "page right below the bar");
    assert_pixel(
        image,
        187.0,
        HEIGHT - 10.0,
        PAGE_BLUE,
        "no tab bar on detail",
    );

    // 2. The back button: home again, shown a second time, with its tab bar.
    app.tap(12.0, 22.0).expect("tap");
    let back = app.capture().expect("capture");
    assert!(back.settled);
    assert_eq!(
        top_page(&back.layout),
        (
            tab_page_height,
            vec!["home".to_owned(), "shows-2".to_owned()]
        )
    );
    assert_pixel(&back.image, 300.0, 43.0, NAV_RED, "navigation bar");
    assert_pixel(&back.image, 300.0, HEIGHT - 3.0, [255, 255, 255], "tab bar");
    assert_pixel(
        &back.image,
        93.75,
        icon_y,
        ICON_GREEN,
        "home icon, selected",
    );
    assert_pixel(&back.image, 281.25, icon_y, ICON_GRAY, "other icon");

    // 3. The second tab.
    app.tap(281.0, HEIGHT - 20.0).expect("tap");
    let other = app.capture().expect("capture");
    assert_eq!(
        top_page(&other.layout),
        (tab_page_height, vec!["other".to_owned()])
    );
    assert_pixel(&other.image, 93.75, icon_y, ICON_GRAY, "home icon");
    assert_pixel(
        &other.image,
        281.25,
        icon_y,
        ICON_GREEN,
        "other icon, selected",
    );

    // 4. Back to the first tab: the same page instance, shown a third time.
    app.tap(90.0, HEIGHT - 20.0).expect("tap");
    let home = app.capture().expect("capture");
    assert_eq!(
        top_page(&home.layout),
        (
            tab_page_height,
            vec!["home".to_owned(), "shows-3".to_owned()]
        )
    );
    assert_eq!(
        app.console()
            .iter()
            .filter(|line| *line == "home loaded")
            .count(),
        1,
        "tab pages are kept, not reloaded"
    );
}

#[test]
fn a_shot_waits_for_navigations_started_at_load() {
    let folder = package("wait", 150);
    let (package, _) = Package::load(&folder.root).expect("package loads");
    let options = ShotOptions {
        page: Some("pages/home/home".into()),
        wait: Duration::from_millis(800),
        ..options()
    };
    let capture = shot(package, &options).expect("shot");
    assert!(capture.settled);
    assert_eq!(
        top_page(&capture.layout),
        (
            f64::from(HEIGHT - NAVIGATION_BAR_HEIGHT),
            vec!["detail-7".to_owned()]
        )
    );
}
