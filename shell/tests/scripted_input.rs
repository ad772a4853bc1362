//! `cirrus shot --input STEPS.json` (the CLI contract): steps played on the
//! controlled clock, intermediate shots and layout files with `visual`
//! boxes, located errors for a bad step file.

mod common;

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

/// A small project: a card that slides right over 400 ms when tapped (a
/// transform transition: its layout box stays, its visual box moves), and
/// a scroll-view list.
fn write_app(dir: &Path) {
    let files = [
        (
            "app.json",
            r#"{"pages":["pages/index/index"],"window":{"navigationStyle":"custom"}}"#,
        ),
        ("app.js", "App({})"),
        (
            "pages/index/index.js",
            r#"Page({
  data: { moved: false, taps: 0 },
  slide() { this.setData({ moved: true, taps: this.data.taps + 1 }); },
});"#,
        ),
        (
            "pages/index/index.wxml",
            r#"<view id="card" class="card {{moved ? 'moved' : ''}}" bindtap="slide">{{taps}}</view>
<scroll-view id="list" scroll-y class="list">
  <view wx:for="{{[0,1,2,3,4,5,6,7,8,9]}}" wx:key="*this" class="row">row {{item}}</view>
</scroll-view>"#,
        ),
        (
            "pages/index/index.wxss",
            r#".card { width: 100px; height: 100px; background: #07c160; transition: transform 400ms linear; }
.card.moved { transform: translateX(200px); }
.list { height: 200px; margin-top: 20px; }
.row { height: 60px; }"#,
        ),
    ];
    for (name, text) in files {
        let path = dir.join(name);
        std::fs::create_dir_all(path.parent().expect("a parent")).expect("mkdir");
        std::fs::write(path, text).expect("write");
    }
}

struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        let dir = std::env::temp_dir().join(format!("cirrus-input-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("temp dir");
        TempDir(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn shot(app: &Path, steps: &Path, out: &Path, cwd: &Path) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_cirrus"))
        .current_dir(cwd)
        .arg("shot")
        .arg(app)
        .args(["--dpr", "1", "--input"])
        .arg(steps)
        .arg("--out")
        .arg(out)
        .output()
        .expect("cirrus runs")
}

fn read_layout(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).expect("layout written")).expect("JSON")
}

#[test]
fn steps_play_on_the_controlled_clock_and_write_intermediate_frames() {
    let dir = TempDir::new("play");
    let app = dir.0.join("app");
    write_app(&app);
    let steps = dir.0.join("steps.json");
    std::fs::write(
        &steps,
        r#"[
  {"tap": [50, 50]},
  {"wait": 200},
  {"shot": "mid.png", "layout": "mid.json"},
  {"wait": 300},
  {"layout": "end.json"},
  {"drag": {"from": [100, 250], "to": [100, 150], "ms": 200}},
  {"layout": "scrolled.json"}
]"#,
    )
    .expect("steps");
    let output = shot(&app, &steps, &dir.0.join("final.png"), &dir.0);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(dir.0.join("mid.png").exists() && dir.0.join("final.png").exists());
    let mid = read_layout(&dir.0.join("mid.json"));
    let card = common::find_node(&mid["root"], "card").expect("the card");
    // The layout box stays; the visual box is half way (linear, 200/400 ms).
    assert_eq!(card["x"], 0.0);
    let visual_x = card["visual"]["x"].as_f64().expect("a visual box");
    assert!((visual_x - 100.0).abs() <= 10.0, "half way: {visual_x}");
    let end = read_layout(&dir.0.join("end.json"));
    let card = common::find_node(&end["root"], "card").expect("the card");
    assert_eq!(card["visual"]["x"], 200.0);
    // The drag scrolled the list by about the distance dragged past the
    // slop: the first row moved up.
    let scrolled = read_layout(&dir.0.join("scrolled.json"));
    let list = common::find_node(&scrolled["root"], "list").expect("the list");
    let first_row = &list["children"][0];
    let moved_up = list["y"].as_f64().unwrap() - first_row["y"].as_f64().unwrap();
    assert!(moved_up > 50.0, "the list scrolled by {moved_up}");
}

#[test]
fn a_bad_step_file_is_reported_with_its_place_and_nothing_runs() {
    let dir = TempDir::new("bad");
    let app = dir.0.join("app");
    write_app(&app);
    let steps = dir.0.join("steps.json");
    std::fs::write(&steps, "[\n  {\"tap\": [1, 2]},\n  {\"swipe\": [1, 2]}\n]").expect("steps");
    let output = shot(&app, &steps, &dir.0.join("final.png"), &dir.0);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("steps.json:3:13: step 2: unknown step `swipe`"),
        "{stderr}"
    );
    assert!(!dir.0.join("final.png").exists());
}
