//! Property-based fuzzing of the configuration files: JSON-ish text built
//! from JSON fragments, and JSON values shaped like app.json, page and
//! component `.json`, `tabBar` and theme files (their real keys, values
//! of every type), go through `Package::from_files` and every reader of
//! the configuration. Never a panic, and every diagnostic names its file.
//!
//! Case counts are small so `cargo test` stays quick in debug;
//! `PROPTEST_CASES=5000 cargo test -p cirrus-package --test config_fuzz`
//! runs longer.

use cirrus_package::chrome_layout::TabBarConfig;
use cirrus_package::{Diagnostic, Package};
use proptest::prelude::*;
use serde_json::{Map, Value};

/// Pieces of JSON (and of broken JSON) that text cases are made of.
const FRAGMENTS: &[&str] = &[
    "{",
    "}",
    "[",
    "]",
    ":",
    ",",
    "\"",
    "\\",
    "\\\"",
    "\\u12",
    "\\ud800",
    "null",
    "true",
    "false",
    "0",
    "-1",
    "1e999",
    "0.5",
    " ",
    "\n",
    "\t",
    "\"pages\"",
    "\"pages/a/a\"",
    "\"usingComponents\"",
    "\"window\"",
    "\"tabBar\"",
    "\"list\"",
    "\"subpackages\"",
    "\"root\"",
    "\"@v\"",
    "\"c\"",
    "\"/comp/c\"",
    "\"../x\"",
    "é",
    "🌧",
    "\u{0}",
    "/*",
    "//",
    "\u{feff}",
];

/// The keys configuration files use (and a few they do not).
const KEYS: &[&str] = &[
    "pages",
    "subpackages",
    "subPackages",
    "root",
    "independent",
    "usingComponents",
    "window",
    "tabBar",
    "list",
    "pagePath",
    "text",
    "iconPath",
    "color",
    "borderStyle",
    "position",
    "custom",
    "navigationStyle",
    "navigationBarTitleText",
    "navigationBarTextStyle",
    "backgroundColor",
    "renderer",
    "rendererOptions",
    "skyline",
    "defaultDisplayBlock",
    "darkmode",
    "themeLocation",
    "light",
    "dark",
    "useExtendedLib",
    "weui",
    "style",
    "component",
    "componentGenerics",
    "default",
    "componentPlaceholder",
    "styleIsolation",
    "networkTimeout",
    "request",
    "lazyCodeLoading",
    "x",
    "__proto__",
];

/// Strings that mean something somewhere in a configuration.
const STRINGS: &[&str] = &[
    "",
    "pages/a/a",
    "/pages/a/a",
    "pages/b/b",
    "../../etc/passwd",
    "/comp/c",
    "./c",
    "comp/c",
    "plugin://p/c",
    "theme.json",
    "@v",
    "@missing",
    "custom",
    "skyline",
    "black",
    "white",
    "#ffffff",
    "v2",
    "top",
    "apply-shared",
    "weui",
    "é🌧",
    "a\"b",
    "\u{0}",
];

fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(FRAGMENTS), 0..80).prop_map(|parts| parts.concat())
}

fn value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i32>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        prop::sample::select(STRINGS).prop_map(Value::from),
    ];
    leaf.prop_recursive(6, 80, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..8).prop_map(Value::Array),
            prop::collection::vec((prop::sample::select(KEYS), inner), 0..8).prop_map(|entries| {
                Value::Object(
                    entries
                        .into_iter()
                        .map(|(k, v)| (k.to_owned(), v))
                        .collect::<Map<String, Value>>(),
                )
            }),
        ]
    })
}

/// A JSON value as text, compact or pretty (positions differ).
fn written(value: &Value, pretty: bool) -> String {
    if pretty {
        serde_json::to_string_pretty(value).unwrap_or_default()
    } else {
        value.to_string()
    }
}

fn assert_named(diagnostics: &[Diagnostic]) {
    for d in diagnostics {
        assert!(!d.file.is_empty(), "{d:?}");
    }
}

/// Loads the files and asks every configuration question of them.
fn exercise(files: Vec<(String, String)>) {
    let (package, diagnostics) = Package::from_files(files);
    assert_named(&diagnostics);
    for route in package.routes() {
        assert_named(&package.page_config(&route).1);
        assert!(package.has_page(&route));
    }
    for stem in ["comp/c", "pages/a/a"] {
        assert_named(&package.component_config(stem).1);
    }
    assert_named(&TabBarConfig::from_package(&package).1);
    let _ = package.app.for_theme(true);
}

fn package_files(
    app: String,
    page: String,
    component: String,
    theme: String,
) -> Vec<(String, String)> {
    [
        ("app.json", app),
        ("app.js", "App({})".to_owned()),
        ("pages/a/a.json", page),
        ("pages/a/a.js", "Page({})".to_owned()),
        ("pages/a/a.wxml", "<view/>".to_owned()),
        ("comp/c.json", component),
        ("comp/c.js", "Component({})".to_owned()),
        ("theme.json", theme),
    ]
    .into_iter()
    .map(|(path, text)| (path.to_owned(), text))
    .collect()
}

proptest! {
    #![proptest_config(ProptestConfig {
        // Overridden by PROPTEST_CASES for longer local runs.
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(500),
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn json_ish_text_never_panics(app in text(), page in text(), component in text(), theme in text()) {
        exercise(package_files(app, page, component, theme));
    }

    #[test]
    fn configuration_shaped_values_never_panic(
        app in value(),
        pages in prop::collection::vec(prop::sample::select(STRINGS), 0..4),
        page in value(),
        component in value(),
        theme in value(),
        pretty in any::<bool>(),
    ) {
        // Half the cases get a usable `pages`, so the page readers run.
        let mut app = app;
        if let Value::Object(object) = &mut app {
            object.entry("pages").or_insert_with(|| Value::from(pages));
            object.insert("themeLocation".into(), Value::from("theme.json"));
            object.insert("darkmode".into(), Value::Bool(true));
        }
        exercise(package_files(
            written(&app, pretty),
            written(&page, pretty),
            written(&component, !pretty),
            written(&theme, pretty),
        ));
    }
}

/// Regression cases: a page listed twice, a page named like a folder of
/// another, and a lone surrogate escape.
#[test]
fn odd_but_valid_configurations_load() {
    exercise(package_files(
        r#"{"pages": ["pages/a/a", "pages/a/a", "", "/", "pages/a/a/"]}"#.to_owned(),
        r#"{"usingComponents": {"x": "", "y": "/", "z": "\ud800"}}"#.to_owned(),
        r#"{"componentGenerics": {"g": {"default": 5}}, "usingComponents": []}"#.to_owned(),
        r#"{"light": [], "dark": {"v": {"deep": [1]}}}"#.to_owned(),
    ));
}
