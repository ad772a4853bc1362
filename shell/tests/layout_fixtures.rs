//! Layout conformance against Chromium (fixtures/README.md).
//!
//! Every `fixtures/layout/<name>.wxml` (+ `.wxss`, optional `.options.json`)
//! is loaded as a one-page mini program, laid out headless by the engine, and
//! compared with `<name>.json`, the boxes headless Chromium computed for the
//! same fixture with Skyline's default style. Elements are matched by document
//! order; each must have the same tag and an x/y/width/height within
//! `TOLERANCE_PX`. Text-run nodes (`#text`) the engine may report are ignored,
//! since the expected files hold element nodes only.
//!
//! `fixtures/layout/known_failures.txt` lists `name: reason` lines: those are
//! reported but do not fail the test; one that starts passing is reported so
//! that it can be taken off the list. Set `CIRRUS_FIXTURE=name[,name...]` to
//! run only some fixtures.

mod fixture_support;

use cirrus_engine::package::Package;
use fixture_support::{fixture_names, parse_known_failures, read_optional, rewrite_known_failures};
use serde_json::{json, Value};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

/// The largest difference, in CSS px, between an engine box edge or size and
/// Chromium's that still counts as equal.
const TOLERANCE_PX: f64 = 0.5;

/// The route every fixture is mounted at.
const ROUTE: &str = "pages/index/index";

fn layout_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/layout");
    // Canonical, so failure messages print a path a reader can open.
    dir.canonicalize().unwrap_or(dir)
}

/// `<name>.options.json`; absent keys take the defaults of fixtures/README.md.
#[derive(Clone, Copy, Debug, PartialEq)]
struct FixtureOptions {
    width: f32,
    height: f32,
    default_display_block: bool,
    default_content_box: bool,
}

impl FixtureOptions {
    fn parse(text: Option<&str>) -> Result<FixtureOptions, String> {
        let mut options = FixtureOptions {
            width: 375.0,
            height: 667.0,
            default_display_block: false,
            default_content_box: false,
        };
        let Some(text) = text else { return Ok(options) };
        let value: Value = serde_json::from_str(text).map_err(|e| format!("options.json: {e}"))?;
        if let Some(width) = value.get("width").and_then(Value::as_f64) {
            options.width = width as f32;
        }
        if let Some(height) = value.get("height").and_then(Value::as_f64) {
            options.height = height as f32;
        }
        if let Some(flag) = value.get("defaultDisplayBlock").and_then(Value::as_bool) {
            options.default_display_block = flag;
        }
        if let Some(flag) = value.get("defaultContentBox").and_then(Value::as_bool) {
            options.default_content_box = flag;
        }
        Ok(options)
    }
}

/// The files of the one-page package that mounts a fixture.
fn package_files(wxml: &str, wxss: &str, options: &FixtureOptions) -> Vec<(String, String)> {
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
    vec![
        ("app.json".to_owned(), app_json.to_string()),
        ("app.js".to_owned(), "App({})".to_owned()),
        (format!("{ROUTE}.json"), "{}".to_owned()),
        (format!("{ROUTE}.js"), "Page({})".to_owned()),
        (format!("{ROUTE}.wxml"), wxml.to_owned()),
        (format!("{ROUTE}.wxss"), wxss.to_owned()),
    ]
}

/// One element box of a layout file, flattened out of the tree.
#[derive(Clone, Debug, PartialEq)]
struct ElementBox {
    tag: String,
    id: String,
    class: String,
    rect: [f64; 4],
}

impl ElementBox {
    fn describe(&self) -> String {
        let mut name = self.tag.clone();
        if !self.id.is_empty() {
            name.push('#');
            name.push_str(&self.id);
        }
        for class in self.class.split_whitespace() {
            name.push('.');
            name.push_str(class);
        }
        let [x, y, w, h] = self.rect;
        format!("{name} (x {x}, y {y}, w {w}, h {h})")
    }
}

/// The element boxes of a layout tree in document order, text runs skipped.
fn flatten(node: &Value, out: &mut Vec<ElementBox>) {
    let text = |key: &str| {
        node.get(key)
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_owned()
    };
    let number = |key: &str| node.get(key).and_then(Value::as_f64).unwrap_or(f64::NAN);
    let tag = text("tag");
    if tag == "#text" {
        return;
    }
    out.push(ElementBox {
        tag,
        id: text("id"),
        class: text("class"),
        rect: [number("x"), number("y"), number("width"), number("height")],
    });
    for child in node
        .get("children")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        flatten(child, out);
    }
}

/// Compares two layout files; `Err` names the first differing node.
fn compare_layouts(expected: &Value, actual: &Value) -> Result<(), String> {
    let (mut want, mut got) = (Vec::new(), Vec::new());
    flatten(expected.get("root").unwrap_or(&Value::Null), &mut want);
    flatten(actual.get("root").unwrap_or(&Value::Null), &mut got);
    for (index, (w, g)) in want.iter().zip(&got).enumerate() {
        if w.tag != g.tag {
            return Err(format!(
                "node {index}: expected <{}>, engine has <{}>",
                w.tag, g.tag
            ));
        }
        const FIELDS: [&str; 4] = ["x", "y", "width", "height"];
        for (field, (a, b)) in FIELDS.iter().zip(w.rect.iter().zip(&g.rect)) {
            // NaN (a missing number) is never within tolerance.
            let within_tolerance = (a - b).abs() <= TOLERANCE_PX;
            if !within_tolerance {
                return Err(format!(
                    "node {index} {}: {field} expected {a}, engine {b}; engine box {}",
                    w.describe(),
                    g.describe()
                ));
            }
        }
    }
    if want.len() != got.len() {
        return Err(format!(
            "expected {} element nodes, engine has {}",
            want.len(),
            got.len()
        ));
    }
    Ok(())
}

fn run_fixture(dir: &Path, name: &str) -> Result<(), String> {
    let wxml = read_optional(&dir.join(format!("{name}.wxml"))).ok_or("cannot read .wxml")?;
    let wxss = read_optional(&dir.join(format!("{name}.wxss"))).unwrap_or_default();
    let options =
        FixtureOptions::parse(read_optional(&dir.join(format!("{name}.options.json"))).as_deref())?;
    let expected_text = read_optional(&dir.join(format!("{name}.json")))
        .ok_or("no expected .json (run tools/fixtures/generate)")?;
    let expected: Value =
        serde_json::from_str(&expected_text).map_err(|e| format!("expected .json: {e}"))?;
    let (package, _diagnostics) = Package::from_files(package_files(&wxml, &wxss, &options));
    let actual = catch_unwind(AssertUnwindSafe(|| {
        cirrus_shell::headless::layout_of(package, ROUTE, options.width, options.height)
    }))
    .map_err(|_| "the engine panicked".to_owned())?
    .map_err(|e| format!("layout_of failed: {e:#}"))?;
    compare_layouts(&expected, &actual)
}

#[test]
fn layout_fixtures_match_chromium() {
    let dir = layout_dir();
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
        println!("now passes     {name} (listed in fixtures/layout/known_failures.txt: remove the line if the pass is intended)");
    }
    for line in &unexpected {
        println!("FAILED         {line}");
    }
    println!(
        "layout fixtures: {passed} passed, {} failed, {} known failures",
        unexpected.len(),
        known_failed.len()
    );
    if std::env::var("CIRRUS_UPDATE_KNOWN_FAILURES").is_ok()
        && std::env::var("CIRRUS_FIXTURE").is_err()
    {
        rewrite_known_failures(&dir.join("known_failures.txt"), &known, &all_failures);
        println!(
            "rewrote fixtures/layout/known_failures.txt with the {} current failures",
            all_failures.len()
        );
        return;
    }
    assert!(
        unexpected.is_empty(),
        "{} layout fixtures failed (see the lines above)",
        unexpected.len()
    );
}

// The checks below run without the engine: they guard the corpus and the
// comparison itself, so a broken comparer cannot make every fixture "pass".

#[test]
fn every_layout_fixture_has_a_well_formed_expected_file() {
    let dir = layout_dir();
    let names = fixture_names(&dir);
    assert!(
        std::env::var("CIRRUS_FIXTURE").is_ok() || names.len() >= 160,
        "only {} layout fixtures",
        names.len()
    );
    for name in &names {
        let text = read_optional(&dir.join(format!("{name}.json")))
            .unwrap_or_else(|| panic!("{name}.json is missing: run tools/fixtures/generate"));
        let layout: Value =
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{name}.json: {e}"));
        let options = FixtureOptions::parse(
            read_optional(&dir.join(format!("{name}.options.json"))).as_deref(),
        )
        .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(
            layout["viewport"]["width"].as_f64(),
            Some(options.width as f64),
            "{name}: viewport width"
        );
        assert_eq!(
            layout["root"]["tag"], "page",
            "{name}: the root must be the page"
        );
        let mut boxes = Vec::new();
        flatten(&layout["root"], &mut boxes);
        assert!(
            boxes.len() >= 2,
            "{name}: a fixture lays out at least one element in the page"
        );
        assert!(
            boxes.iter().all(|b| b.rect.iter().all(|v| v.is_finite())),
            "{name}: a rect has a non-number"
        );
    }
}

#[test]
fn known_layout_failures_name_existing_fixtures() {
    let dir = layout_dir();
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

fn layout_with(children: Vec<Value>) -> Value {
    json!({"viewport": {"width": 375, "height": 667}, "root": {
        "tag": "page", "id": "", "class": "", "x": 0, "y": 0, "width": 375, "height": 667, "children": children
    }})
}

fn view(class: &str, x: f64, y: f64, width: f64, height: f64) -> Value {
    json!({"tag": "view", "id": "", "class": class, "x": x, "y": y, "width": width, "height": height, "children": []})
}

#[test]
fn comparison_accepts_differences_within_tolerance() {
    let expected = layout_with(vec![view("a", 0.0, 10.0, 100.0, 20.0)]);
    let actual = layout_with(vec![view("a", 0.4, 9.6, 100.5, 19.5)]);
    assert_eq!(compare_layouts(&expected, &actual), Ok(()));
}

#[test]
fn comparison_rejects_a_difference_past_tolerance() {
    let expected = layout_with(vec![view("a", 0.0, 10.0, 100.0, 20.0)]);
    let actual = layout_with(vec![view("a", 0.0, 10.0, 100.0, 20.6)]);
    let error = compare_layouts(&expected, &actual).unwrap_err();
    assert!(
        error.contains("height expected 20") && error.contains("view.a"),
        "{error}"
    );
}

#[test]
fn comparison_rejects_a_tag_mismatch_and_a_missing_node() {
    let expected = layout_with(vec![
        view("a", 0.0, 0.0, 10.0, 10.0),
        view("b", 0.0, 10.0, 10.0, 10.0),
    ]);
    let mut renamed = view("a", 0.0, 0.0, 10.0, 10.0);
    renamed["tag"] = json!("text");
    let tag_error = compare_layouts(&expected, &layout_with(vec![renamed])).unwrap_err();
    assert!(
        tag_error.contains("<view>") && tag_error.contains("<text>"),
        "{tag_error}"
    );
    let count_error = compare_layouts(
        &expected,
        &layout_with(vec![view("a", 0.0, 0.0, 10.0, 10.0)]),
    )
    .unwrap_err();
    assert!(
        count_error.contains("expected 3 element nodes, engine has 2"),
        "{count_error}"
    );
}

#[test]
fn comparison_ignores_text_runs_and_rejects_missing_numbers() {
    let expected = layout_with(vec![view("a", 0.0, 0.0, 10.0, 10.0)]);
    let text_run = json!({"tag": "#text", "x": 0, "y": 0, "width": 5, "height": 5, "children": []});
    let mut with_text = view("a", 0.0, 0.0, 10.0, 10.0);
    with_text["children"] = json!([text_run]);
    assert_eq!(
        compare_layouts(&expected, &layout_with(vec![with_text])),
        Ok(())
    );
    let mut no_width = view("a", 0.0, 0.0, 10.0, 10.0);
    if let Some(node) = no_width.as_object_mut() {
        node.remove("width");
    }
    assert!(compare_layouts(&expected, &layout_with(vec![no_width])).is_err());
}

#[test]
fn options_default_and_override() {
    assert_eq!(
        FixtureOptions::parse(None),
        Ok(FixtureOptions {
            width: 375.0,
            height: 667.0,
            default_display_block: false,
            default_content_box: false
        })
    );
    let parsed = FixtureOptions::parse(Some(r#"{"width":320,"defaultContentBox":true}"#));
    assert_eq!(
        parsed,
        Ok(FixtureOptions {
            width: 320.0,
            height: 667.0,
            default_display_block: false,
            default_content_box: true
        })
    );
    assert!(FixtureOptions::parse(Some("{")).is_err());
}

#[test]
fn known_failures_parse_names_reasons_and_comments() {
    let known = parse_known_failures("# comment\n\nfoo: no margin collapse\n bar : x: y \n");
    assert_eq!(
        known.get("foo").map(String::as_str),
        Some("no margin collapse")
    );
    assert_eq!(known.get("bar").map(String::as_str), Some("x: y"));
    assert_eq!(known.len(), 2);
}
