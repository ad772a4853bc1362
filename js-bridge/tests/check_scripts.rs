//! `check_scripts`: every `.js` file compiled, none run.

use cirrus_engine::package::Package;
use cirrus_js_bridge::check_scripts;

fn package(files: &[(&str, &str)]) -> std::sync::Arc<Package> {
    Package::from_files(files.iter().map(|(a, b)| (a.to_string(), b.to_string()))).0
}

#[test]
fn syntax_errors_carry_file_line_and_column() {
    let p = package(&[
        ("app.json", r#"{"pages":["pages/index/index"]}"#),
        (
            "app.js",
            "App({ onLaunch() { throw new Error('never runs'); } })",
        ),
        ("pages/index/index.js", "Page({})"),
        ("pages/index/index.wxml", "<view/>"),
        ("utils/bad.js", "const ok = 1;\nconst broken = ;\n"),
        ("utils/first.js", "let x = 1 +* 2;"),
    ]);
    let mut diagnostics = check_scripts(&p);
    diagnostics.sort_by(|a, b| a.file.cmp(&b.file));
    assert_eq!(diagnostics.len(), 2, "{diagnostics:?}");
    assert_eq!(
        (diagnostics[0].file.as_str(), diagnostics[0].line),
        ("utils/bad.js", 2)
    );
    assert_eq!(diagnostics[0].column, 16, "{}", diagnostics[0]);
    assert!(
        diagnostics[0].message.starts_with("SyntaxError"),
        "{}",
        diagnostics[0]
    );
    assert!(diagnostics[0].is_error());
    assert_eq!(
        (
            diagnostics[1].file.as_str(),
            diagnostics[1].line,
            diagnostics[1].column
        ),
        ("utils/first.js", 1, 12)
    );
}

#[test]
fn an_unclosed_block_points_at_the_files_last_line() {
    let p = package(&[
        ("app.json", "{}"),
        ("a.js", "function f() {\n  return 1;\n"),
    ]);
    let diagnostics = check_scripts(&p);
    assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
    assert_eq!(
        (diagnostics[0].file.as_str(), diagnostics[0].line),
        ("a.js", 2)
    );
}

#[test]
fn clean_package_has_no_diagnostics() {
    let p = package(&[
        ("app.json", "{}"),
        ("app.js", "'use strict';\nApp({});\n// trailing comment"),
    ]);
    assert!(check_scripts(&p).is_empty());
}
