//! Paint conformance against Chromium screenshots (fixtures/README.md).
//!
//! Every `fixtures/paint/<name>.wxml` (+ `.wxss`, `.options.json`) is written
//! out as a one-page mini program in a temporary folder (with
//! `fixtures/paint/assets/` copied to `/assets`, since images are read from the
//! package root), rendered headless by the engine, and compared with
//! `<name>.png`, Chromium's screenshot of the same fixture.
//!
//! Tolerance: a pixel differs when any of its R, G, B channels differs by more
//! than `CHANNEL_TOLERANCE` (both images composited on white first); a fixture
//! fails when more than `MAX_DIFFERING_FRACTION` of its pixels differ. A
//! failing fixture leaves `<name>.actual.png` and `<name>.diff.png` (differing
//! pixels red over a faded copy of the expected image) beside it; both are
//! git-ignored and removed again once the fixture passes.
//!
//! `fixtures/paint/known_failures.txt` (`name: reason` lines) works as for the
//! layout fixtures. Set `CIRRUS_FIXTURE=name[,name...]` to run only some.

mod fixture_support;

use cirrus_engine::package::Package;
use fixture_support::{fixture_names, parse_known_failures, read_optional, rewrite_known_failures};
use image::{Rgba, RgbaImage};
use serde_json::{json, Value};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

/// Largest per-channel difference (0-255) that still counts as the same colour.
const CHANNEL_TOLERANCE: u8 = 24;
/// Largest fraction of differing pixels a passing fixture may have. Measured
/// with `CIRRUS_PAINT_REPORT=1` when the corpus was made: the engine's worst
/// passing fixture differed on 1.14% (a diagonal gradient), antialiased edges
/// on 0.0-0.8%; a missing 1px border around a 140px box is ~1.4%.
const MAX_DIFFERING_FRACTION: f64 = 0.015;

const PAGE_DIR: &str = "pages/index";
const ROUTE: &str = "pages/index/index";

fn paint_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/paint");
    // Canonical, so failure messages print a path a reader can open.
    dir.canonicalize().unwrap_or(dir)
}

#[derive(Clone, Copy, Debug, PartialEq)]
struct PaintOptions {
    width: f32,
    height: f32,
    dpr: f32,
    default_display_block: bool,
    default_content_box: bool,
}

impl PaintOptions {
    fn parse(text: Option<&str>) -> Result<PaintOptions, String> {
        let mut options = PaintOptions {
            width: 200.0,
            height: 200.0,
            dpr: 1.0,
            default_display_block: false,
            default_content_box: false,
        };
        let Some(text) = text else { return Ok(options) };
        let value: Value = serde_json::from_str(text).map_err(|e| format!("options.json: {e}"))?;
        let number = |key: &str| value.get(key).and_then(Value::as_f64).map(|v| v as f32);
        options.width = number("width").unwrap_or(options.width);
        options.height = number("height").unwrap_or(options.height);
        options.dpr = number("dpr").unwrap_or(options.dpr);
        if let Some(flag) = value.get("defaultDisplayBlock").and_then(Value::as_bool) {
            options.default_display_block = flag;
        }
        if let Some(flag) = value.get("defaultContentBox").and_then(Value::as_bool) {
            options.default_content_box = flag;
        }
        Ok(options)
    }
}

/// A temporary package folder, removed on drop.
struct TempPackage {
    root: PathBuf,
}

impl TempPackage {
    fn create(
        name: &str,
        wxml: &str,
        wxss: &str,
        options: &PaintOptions,
        assets: &Path,
    ) -> std::io::Result<Self> {
        let root = std::env::temp_dir().join(format!("cirrus-paint-{}-{name}", std::process::id()));
        let package = TempPackage { root };
        let _ = std::fs::remove_dir_all(&package.root);
        std::fs::create_dir_all(package.root.join(PAGE_DIR))?;
        let app_json = json!({
            "pages": [ROUTE],
            "window": { "navigationStyle": "custom" },
            "renderer": "skyline",
            "componentFramework": "glass-easel",
            "rendererOptions": { "skyline": {
                "defaultDisplayBlock": options.default_display_block,
                "defaultContentBox": options.default_content_box,
            } },
        });
        std::fs::write(package.root.join("app.json"), app_json.to_string())?;
        std::fs::write(package.root.join("app.js"), "App({})")?;
        std::fs::write(package.root.join(format!("{ROUTE}.json")), "{}")?;
        std::fs::write(package.root.join(format!("{ROUTE}.js")), "Page({})")?;
        std::fs::write(package.root.join(format!("{ROUTE}.wxml")), wxml)?;
        std::fs::write(package.root.join(format!("{ROUTE}.wxss")), wxss)?;
        if let Ok(entries) = std::fs::read_dir(assets) {
            std::fs::create_dir_all(package.root.join("assets"))?;
            for entry in entries.filter_map(Result::ok) {
                std::fs::copy(
                    entry.path(),
                    package.root.join("assets").join(entry.file_name()),
                )?;
            }
        }
        Ok(package)
    }
}

impl Drop for TempPackage {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.root);
    }
}

/// The outcome of comparing two images of the same size.
#[derive(Debug)]
struct ImageDiff {
    differing: usize,
    total: usize,
    /// Differing pixels red over a faded expected image.
    picture: RgbaImage,
}

impl ImageDiff {
    fn fraction(&self) -> f64 {
        self.differing as f64 / self.total.max(1) as f64
    }
}

/// A pixel composited over opaque white, as RGB.
fn on_white(pixel: &Rgba<u8>) -> [u8; 3] {
    let alpha = pixel[3] as u32;
    let blend = |c: u8| ((c as u32 * alpha + 255 * (255 - alpha) + 127) / 255) as u8;
    [blend(pixel[0]), blend(pixel[1]), blend(pixel[2])]
}

fn diff_images(expected: &RgbaImage, actual: &RgbaImage) -> Result<ImageDiff, String> {
    if expected.dimensions() != actual.dimensions() {
        return Err(format!(
            "size: expected {:?}, engine {:?}",
            expected.dimensions(),
            actual.dimensions()
        ));
    }
    let mut picture = RgbaImage::new(expected.width(), expected.height());
    let mut differing = 0;
    for ((want, got), out) in expected
        .pixels()
        .zip(actual.pixels())
        .zip(picture.pixels_mut())
    {
        let (want, got) = (on_white(want), on_white(got));
        let differs = want
            .iter()
            .zip(&got)
            .any(|(a, b)| a.abs_diff(*b) > CHANNEL_TOLERANCE);
        *out = if differs {
            differing += 1;
            Rgba([255, 0, 0, 255])
        } else {
            let fade = |c: u8| 191 + c / 4;
            Rgba([fade(want[0]), fade(want[1]), fade(want[2]), 255])
        };
    }
    Ok(ImageDiff {
        differing,
        total: (expected.width() * expected.height()) as usize,
        picture,
    })
}

/// Renders one fixture; on a mismatch writes the actual and diff images.
/// With `CIRRUS_PAINT_REPORT` set, prints the differing fraction of every
/// fixture (to tune the tolerance).
fn run_fixture(dir: &Path, name: &str) -> Result<(), String> {
    let actual_path = dir.join(format!("{name}.actual.png"));
    let diff_path = dir.join(format!("{name}.diff.png"));
    let _ = std::fs::remove_file(&actual_path);
    let _ = std::fs::remove_file(&diff_path);
    let wxml = read_optional(&dir.join(format!("{name}.wxml"))).ok_or("cannot read .wxml")?;
    let wxss = read_optional(&dir.join(format!("{name}.wxss"))).unwrap_or_default();
    let options =
        PaintOptions::parse(read_optional(&dir.join(format!("{name}.options.json"))).as_deref())?;
    let expected = image::open(dir.join(format!("{name}.png")))
        .map_err(|e| format!("expected .png: {e} (run tools/fixtures/generate)"))?
        .to_rgba8();
    let folder = TempPackage::create(name, &wxml, &wxss, &options, &dir.join("assets"))
        .map_err(|e| format!("writing the temporary package: {e}"))?;
    let (package, _diagnostics) =
        Package::load(&folder.root).map_err(|e| format!("loading the temporary package: {e}"))?;
    let actual = catch_unwind(AssertUnwindSafe(|| {
        cirrus_shell::headless::screenshot_of(
            package,
            ROUTE,
            options.width,
            options.height,
            options.dpr,
        )
    }))
    .map_err(|_| "the engine panicked".to_owned())?
    .map_err(|e| format!("screenshot_of failed: {e:#}"))?;
    let outcome = diff_images(&expected, &actual);
    let failure = match &outcome {
        Err(why) => Some(why.clone()),
        Ok(diff) if diff.fraction() > MAX_DIFFERING_FRACTION => Some(format!(
            "{:.2}% of pixels differ (limit {:.2}%)",
            diff.fraction() * 100.0,
            MAX_DIFFERING_FRACTION * 100.0
        )),
        Ok(_) => None,
    };
    if let (Ok(diff), true) = (&outcome, std::env::var("CIRRUS_PAINT_REPORT").is_ok()) {
        println!("differing      {name}: {:.3}%", diff.fraction() * 100.0);
    }
    let Some(why) = failure else { return Ok(()) };
    let _ = actual.save(&actual_path);
    if let Ok(diff) = outcome {
        let _ = diff.picture.save(&diff_path);
    }
    Err(format!("{why}; see {}", actual_path.display()))
}

#[test]
fn paint_fixtures_match_chromium() {
    let dir = paint_dir();
    let known =
        parse_known_failures(&read_optional(&dir.join("known_failures.txt")).unwrap_or_default());
    let names = fixture_names(&dir);
    let (mut passed, mut unexpected, mut known_failed, mut fixed) =
        (0, Vec::new(), Vec::new(), Vec::new());
    let mut all_failures = Vec::new();
    for name in &names {
        let outcome = run_fixture(&dir, name);
        if let Err(why) = &outcome {
            all_failures.push((name.clone(), why.clone()));
        }
        match (outcome, known.get(name)) {
            (Ok(()), None) => passed += 1,
            (Ok(()), Some(_)) => {
                passed += 1;
                fixed.push(name.clone());
            }
            (Err(why), None) => unexpected.push(format!("{name}: {why}")),
            (Err(why), Some(reason)) => {
                known_failed.push(format!("{name}: {why} [known: {reason}]"))
            }
        }
    }
    for line in &known_failed {
        println!("known failure  {line}");
    }
    for name in &fixed {
        println!("now passes     {name} (listed in fixtures/paint/known_failures.txt: remove the line if the pass is intended)");
    }
    for line in &unexpected {
        println!("FAILED         {line}");
    }
    println!(
        "paint fixtures: {passed} passed, {} failed, {} known failures",
        unexpected.len(),
        known_failed.len()
    );
    if std::env::var("CIRRUS_UPDATE_KNOWN_FAILURES").is_ok()
        && std::env::var("CIRRUS_FIXTURE").is_err()
    {
        rewrite_known_failures(&dir.join("known_failures.txt"), &known, &all_failures);
        println!(
            "rewrote fixtures/paint/known_failures.txt with the {} current failures",
            all_failures.len()
        );
        return;
    }
    assert!(
        unexpected.is_empty(),
        "{} paint fixtures failed (see the lines above)",
        unexpected.len()
    );
}

// The checks below run without the engine.

#[test]
fn every_paint_fixture_has_a_reference_of_its_viewport_size() {
    let dir = paint_dir();
    let names = fixture_names(&dir);
    assert!(
        std::env::var("CIRRUS_FIXTURE").is_ok() || names.len() >= 24,
        "only {} paint fixtures",
        names.len()
    );
    for name in &names {
        let options = PaintOptions::parse(
            read_optional(&dir.join(format!("{name}.options.json"))).as_deref(),
        )
        .unwrap_or_else(|e| panic!("{name}: {e}"));
        let reference = image::open(dir.join(format!("{name}.png")))
            .unwrap_or_else(|e| panic!("{name}.png: {e} (run tools/fixtures/generate)"));
        let size = (
            (options.width * options.dpr).round() as u32,
            (options.height * options.dpr).round() as u32,
        );
        assert_eq!(
            (reference.width(), reference.height()),
            size,
            "{name}.png size"
        );
    }
}

#[test]
fn known_paint_failures_name_existing_fixtures() {
    let dir = paint_dir();
    let known =
        parse_known_failures(&read_optional(&dir.join("known_failures.txt")).unwrap_or_default());
    for (name, reason) in &known {
        assert!(
            dir.join(format!("{name}.wxml")).exists(),
            "known_failures.txt names a missing fixture: {name}"
        );
        assert!(
            !reason.is_empty(),
            "known_failures.txt: {name} needs a reason"
        );
    }
}

fn filled(width: u32, height: u32, colour: [u8; 4]) -> RgbaImage {
    RgbaImage::from_pixel(width, height, Rgba(colour))
}

#[test]
fn diff_counts_pixels_past_the_channel_tolerance_only() {
    let expected = filled(10, 10, [100, 100, 100, 255]);
    let mut actual = filled(10, 10, [100 + CHANNEL_TOLERANCE, 100, 100, 255]);
    assert_eq!(diff_images(&expected, &actual).map(|d| d.differing), Ok(0));
    actual.put_pixel(3, 4, Rgba([100, 100 + CHANNEL_TOLERANCE + 1, 100, 255]));
    actual.put_pixel(5, 5, Rgba([0, 0, 0, 255]));
    let diff = diff_images(&expected, &actual).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(diff.differing, 2);
    assert!((diff.fraction() - 0.02).abs() < 1e-9);
    assert_eq!(diff.picture.get_pixel(3, 4), &Rgba([255, 0, 0, 255]));
    assert_ne!(diff.picture.get_pixel(0, 0), &Rgba([255, 0, 0, 255]));
}

#[test]
fn diff_composites_transparency_on_white_and_rejects_size_mismatch() {
    let opaque_white = filled(4, 4, [255, 255, 255, 255]);
    let transparent = filled(4, 4, [0, 0, 0, 0]);
    assert_eq!(
        diff_images(&opaque_white, &transparent).map(|d| d.differing),
        Ok(0)
    );
    let half_black = filled(4, 4, [0, 0, 0, 128]);
    assert_eq!(
        diff_images(&opaque_white, &half_black).map(|d| d.differing),
        Ok(16)
    );
    assert!(diff_images(&opaque_white, &filled(4, 5, [255, 255, 255, 255])).is_err());
}

#[test]
fn paint_options_default_and_override() {
    let defaults = PaintOptions::parse(None);
    assert_eq!(
        defaults.map(|o| (o.width, o.height, o.dpr)),
        Ok((200.0, 200.0, 1.0))
    );
    let parsed = PaintOptions::parse(Some(r#"{"width":100,"dpr":2}"#));
    assert_eq!(
        parsed.map(|o| (o.width, o.height, o.dpr)),
        Ok((100.0, 200.0, 2.0))
    );
    assert!(PaintOptions::parse(Some("[")).is_err());
}
