//! `samples/city-guide`, Skyline's worklets and gesture handlers in a real
//! app, driven through `cirrus shot --input` (the CLI contract): scripted
//! drags, pinches and taps on the controlled clock, with layout files
//! (their `visual` boxes: where transforms put things) and pixels read at
//! intermediate instants and at rest. Geometry: samples/README.md.

mod common;

use serde_json::Value;
use std::path::PathBuf;
use std::process::Command;

/// The sheet's top when half open (the start), expanded and collapsed.
const SHEET_HALF: f64 = 333.0;
const SHEET_FULL: f64 = 72.0;
const SHEET_COLLAPSED: f64 = 539.0;

struct Run {
    dir: PathBuf,
}

impl Drop for Run {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

impl Run {
    /// Plays `steps` (a JSON array) on `route`; the final layout is `end.json`.
    fn play(name: &str, route: &str, steps: &str) -> Run {
        let dir = std::env::temp_dir().join(format!("cirrus-city-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("temp dir");
        std::fs::write(dir.join("steps.json"), steps).expect("steps");
        let app = common::repo_root().join("samples/city-guide");
        let output = Command::new(env!("CARGO_BIN_EXE_cirrus"))
            .current_dir(&dir)
            .arg("shot")
            .arg(&app)
            .args(["--page", route])
            .args(["--dpr", "1", "--renderer", "cpu", "--input", "steps.json"])
            .args(["--out", "end.png", "--layout", "end.json"])
            .output()
            .expect("cirrus runs");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(output.status.success(), "{stderr}");
        assert!(
            !stderr.contains("error"),
            "no diagnostics expected: {stderr}"
        );
        Run { dir }
    }

    fn layout(&self, name: &str) -> Value {
        let text = std::fs::read_to_string(self.dir.join(name)).expect("layout written");
        serde_json::from_str(&text).expect("JSON")
    }

    /// The `visual` box of element `id` in layout file `name`: (x, y, w, h).
    fn visual(&self, name: &str, id: &str) -> Option<(f64, f64, f64, f64)> {
        let layout = self.layout(name);
        let node = common::find_node(&layout["root"], id)?;
        let v = &node["visual"];
        Some((
            v["x"].as_f64()?,
            v["y"].as_f64()?,
            v["width"].as_f64()?,
            v["height"].as_f64()?,
        ))
    }

    fn top(&self, name: &str, id: &str) -> f64 {
        self.visual(name, id)
            .unwrap_or_else(|| panic!("{id} in {name}"))
            .1
    }

    fn pixel(&self, png: &str, x: u32, y: u32) -> [u8; 4] {
        let image = image::open(self.dir.join(png)).expect("a PNG").to_rgba8();
        image.get_pixel(x, y).0
    }
}

fn close(actual: f64, expected: f64, tolerance: f64) -> bool {
    (actual - expected).abs() <= tolerance
}

/// Whether a pixel is the sheet's white (not the map's greens and blues).
fn is_sheet_white(pixel: [u8; 4]) -> bool {
    pixel[0] > 240 && pixel[1] > 240 && pixel[2] > 240
}

#[test]
fn the_sheet_follows_the_drag_in_its_frame_and_springs_to_the_nearest_snap_point() {
    let run = Run::play(
        "expand",
        "pages/map/map",
        r#"[
  {"layout": "start.json"},
  {"drag": {"from": [187, 369], "to": [187, 269], "ms": 400}},
  {"shot": "released.png", "layout": "released.json"},
  {"wait": 100},
  {"layout": "settling.json"},
  {"wait": 1500}
]"#,
    );
    assert!(close(run.top("start.json", "sheet"), SHEET_HALF, 0.5));
    // Released 100 px up: the sheet was at the finger when it left (at
    // most the pan's 36 px slop behind it).
    let released = run.top("released.json", "sheet");
    assert!(
        (SHEET_HALF - 102.0..=SHEET_HALF - 100.0 + 40.0).contains(&released),
        "released at {released}"
    );
    // The pixels agree with the visual box: just below the sheet's top
    // edge is the sheet's white, just above it the map.
    let edge = released.round() as u32;
    assert!(is_sheet_white(run.pixel("released.png", 30, edge + 4)));
    assert!(!is_sheet_white(run.pixel("released.png", 30, edge - 4)));
    // Its layout box never moved: only the transform did.
    let layout = run.layout("released.json");
    assert_eq!(
        common::find_node(&layout["root"], "sheet").expect("sheet")["y"],
        SHEET_FULL
    );
    // Then the spring: moving up, past half of the way 100 ms later.
    let settling = run.top("settling.json", "sheet");
    assert!(settling < released, "{settling} after {released}");
    // At rest at the snap point nearest to where the release was heading.
    assert!(close(run.top("end.json", "sheet"), SHEET_FULL, 0.5));
}

#[test]
fn the_list_scrolls_only_when_the_sheet_is_open_and_a_pull_at_its_top_moves_the_sheet() {
    let run = Run::play(
        "list",
        "pages/map/map",
        r#"[
  {"drag": {"from": [187, 500], "to": [187, 400], "ms": 300}},
  {"wait": 1500},
  {"layout": "half.json"},
  {"layout": "open.json"},
  {"drag": {"from": [187, 500], "to": [187, 300], "ms": 400}},
  {"layout": "scrolled.json"},
  {"wait": 2000},
  {"layout": "flung.json"},
  {"drag": {"from": [187, 300], "to": [187, 400], "ms": 500}},
  {"wait": 2000},
  {"layout": "back.json"}
]"#,
    );
    // Half open: a drag on the list moves the sheet (up: the release
    // springs it open), and the list does not scroll: its first row stays
    // at the list's top.
    let sheet = run.top("half.json", "sheet");
    let row = run.top("half.json", "place-0");
    assert!(close(sheet, SHEET_FULL, 0.5), "sheet at {sheet}");
    assert!(close(row - sheet, 72.0, 0.5), "row at {row}, sheet {sheet}");
    // Open: a drag on the list scrolls it; the sheet stays.
    assert!(close(run.top("open.json", "sheet"), SHEET_FULL, 0.5));
    let scrolled = run.top("scrolled.json", "place-0");
    assert!(close(run.top("scrolled.json", "sheet"), SHEET_FULL, 0.5));
    assert!(scrolled < 144.0 - 150.0, "first row at {scrolled}");
    // The release flings it on, decelerating.
    let flung = run.top("flung.json", "place-0");
    assert!(flung < scrolled - 50.0, "fling: {scrolled} -> {flung}");
    // Scrolled: a pull down scrolls the list back and leaves the sheet.
    let back = run.top("back.json", "place-0");
    assert!(close(run.top("back.json", "sheet"), SHEET_FULL, 0.5));
    assert!(back > flung + 50.0, "scrolled back: {flung} -> {back}");
}

#[test]
fn a_pull_down_at_the_top_of_the_open_list_moves_the_sheet() {
    let run = Run::play(
        "pull",
        "pages/map/map",
        r#"[
  {"drag": {"from": [187, 369], "to": [187, 69], "ms": 300}},
  {"wait": 1500},
  {"drag": {"from": [187, 300], "to": [187, 500], "ms": 400}},
  {"layout": "pulled.json"},
  {"wait": 1500}
]"#,
    );
    let pulled = run.top("pulled.json", "sheet");
    assert!(
        pulled > SHEET_FULL + 100.0,
        "the sheet came down to {pulled}"
    );
    // The list stayed at its top, inside the moving sheet.
    let row = run.top("pulled.json", "place-0");
    assert!(close(row - pulled, 72.0, 0.5), "row {row}, sheet {pulled}");
    let rest = run.top("end.json", "sheet");
    assert!(
        close(rest, SHEET_HALF, 0.5) || close(rest, SHEET_COLLAPSED, 0.5),
        "rests at {rest}"
    );
}

#[test]
fn a_card_swiped_past_its_threshold_flies_out_and_leaves_the_list() {
    let run = Run::play(
        "dismiss",
        "pages/inbox/inbox",
        r#"[
  {"drag": {"from": [187, 152], "to": [17, 152], "ms": 300}},
  {"layout": "released.json"},
  {"wait": 1000}
]"#,
    );
    // It followed the finger left (at most the drag's 18 px slop behind).
    let (x, ..) = run.visual("released.json", "card-0-face").expect("card 0");
    let finger = 16.0 - 170.0;
    assert!(
        x >= finger - 2.0 && x <= finger + 22.0,
        "released at x = {x}"
    );
    // Gone: the page removed it from its data, the next card took its slot.
    assert!(run.visual("end.json", "card-0-face").is_none());
    let (_, y, ..) = run.visual("end.json", "card-1-face").expect("card 1");
    assert!(close(y, 108.0, 0.5), "card 1 moved up to {y}");
}

#[test]
fn a_short_swipe_springs_the_card_back() {
    let run = Run::play(
        "spring",
        "pages/inbox/inbox",
        r#"[
  {"drag": {"from": [187, 252], "to": [127, 252], "ms": 800}},
  {"layout": "released.json"},
  {"wait": 60},
  {"layout": "springing.json"},
  {"wait": 1500}
]"#,
    );
    let released = run.visual("released.json", "card-1-face").expect("card").0;
    let springing = run.visual("springing.json", "card-1-face").expect("card").0;
    assert!(released < 16.0 - 30.0, "dragged to {released}");
    assert!(springing > released, "{released} -> {springing}");
    let rest = run.visual("end.json", "card-1-face").expect("card").0;
    assert!(close(rest, 16.0, 0.5), "rests at {rest}");
}

#[test]
fn a_pinch_zooms_the_photo_and_a_double_tap_toggles_the_zoom() {
    let run = Run::play(
        "zoom",
        "pages/photo/photo",
        r#"[
  {"pinch": {"center": [187, 264], "from": 100, "to": 200, "ms": 400}},
  {"layout": "pinched.json"},
  {"wait": 800},
  {"layout": "zoomed.json"},
  {"tap": [187, 264]},
  {"wait": 100},
  {"tap": [187, 264]},
  {"wait": 800}
]"#,
    );
    let (_, _, width, _) = run.visual("zoomed.json", "photo").expect("photo");
    // The span doubled; the scale counts from the start of the gesture
    // (the slop the spread took before it was recognised is not counted).
    assert!(width > 375.0 * 1.5 && width <= 375.0 * 2.0 + 1.0, "{width}");
    // A double tap on a zoomed photo goes back to 100 %.
    let (x, _, width, _) = run.visual("end.json", "photo").expect("photo");
    assert!(
        close(width, 375.0, 0.5) && close(x, 0.0, 0.5),
        "{x} {width}"
    );
}

#[test]
fn the_tab_indicator_slides_under_the_tapped_tab() {
    let run = Run::play(
        "tabs",
        "pages/tabs/tabs",
        r#"[
  {"tap": [187, 86]},
  {"wait": 100},
  {"shot": "sliding.png", "layout": "sliding.json"},
  {"wait": 400}
]"#,
    );
    let (sliding, ..) = run.visual("sliding.json", "indicator").expect("indicator");
    // Ease-out cubic over 250 ms: well past half way at 100 ms (0.784).
    assert!(sliding > 40.0 + 125.0 * 0.6 && sliding < 165.0, "{sliding}");
    let (rest, y, ..) = run.visual("end.json", "indicator").expect("indicator");
    assert!(close(rest, 165.0, 0.5), "{rest}");
    // In the intermediate picture the bar is where its visual box says.
    let under = run.pixel("sliding.png", (sliding + 20.0) as u32, (y + 1.0) as u32);
    let before = run.pixel("sliding.png", 30, (y + 1.0) as u32);
    assert_ne!(under, before, "the bar is drawn at {sliding}");
}
