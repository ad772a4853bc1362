//! Located diagnostics and package-path behaviour of both compilers.

use std::collections::HashMap;

use cirrus_style_lang::{compile_less, compile_scss, Compiled, LangDiagnostic, Severity};

/// A package held in memory: path → contents.
fn package(files: &[(&str, &str)]) -> HashMap<String, String> {
    files
        .iter()
        .map(|(path, text)| (path.to_string(), text.to_string()))
        .collect()
}

fn less(files: &HashMap<String, String>, path: &str) -> Compiled {
    compile_less(path, &files[path], &|p: &str| files.get(p).cloned())
}

fn scss(files: &HashMap<String, String>, path: &str) -> Compiled {
    compile_scss(path, &files[path], &|p: &str| files.get(p).cloned())
}

fn only_error(compiled: &Compiled) -> &LangDiagnostic {
    let errors: Vec<&LangDiagnostic> = compiled
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    assert_eq!(
        errors.len(),
        1,
        "expected exactly one error, got {:?}",
        compiled.diagnostics
    );
    errors[0]
}

#[test]
fn less_undefined_variable_is_located() {
    let files = package(&[(
        "pages/a/a.less",
        ".a {\n  color: red;\n  width: @missing;\n}\n",
    )]);
    let compiled = less(&files, "pages/a/a.less");
    let error = only_error(&compiled);
    assert_eq!(
        (error.file.as_str(), error.line, error.column),
        ("pages/a/a.less", 3, 10)
    );
    assert!(error.message.contains("@missing"), "{}", error.message);
    // The rest of the file still compiles.
    assert!(compiled.css.contains("color: red;"), "{}", compiled.css);
}

#[test]
fn less_syntax_error_in_a_partial_points_into_the_partial() {
    let files = package(&[
        (
            "pages/a/a.less",
            "@import \"../../common/broken\";\n.a {\n  color: @c;\n}\n",
        ),
        (
            "common/broken.less",
            "@c: blue;\n\n.oops {\n  color: red;\n",
        ),
    ]);
    let compiled = less(&files, "pages/a/a.less");
    let error = only_error(&compiled);
    assert_eq!(
        (error.file.as_str(), error.line, error.column),
        ("common/broken.less", 3, 7)
    );
    assert!(error.message.contains("unmatched"), "{}", error.message);
    assert!(compiled.css.contains("color: blue;"), "{}", compiled.css);
}

#[test]
fn less_unknown_mixin_and_stray_brace_are_reported() {
    let files = package(&[("a.less", ".a {\n  .nope();\n}\n}\n.b { top: 0; }\n")]);
    let compiled = less(&files, "a.less");
    let located: Vec<(u32, u32)> = compiled
        .diagnostics
        .iter()
        .map(|d| (d.line, d.column))
        .collect();
    assert_eq!(located, vec![(4, 1), (2, 3)], "{:?}", compiled.diagnostics);
    assert!(
        compiled.css.contains(".b {\n  top: 0;\n}"),
        "{}",
        compiled.css
    );
}

#[test]
fn less_missing_import_is_an_error_at_the_import() {
    let files = package(&[("a.less", "\n@import \"nowhere\";\n")]);
    let error = only_error(&less(&files, "a.less")).clone();
    assert_eq!((error.line, error.column), (2, 1));
}

#[test]
fn less_imports_resolve_from_the_package_root_and_keep_wxss_imports() {
    let files = package(&[
        (
            "pages/a/a.less",
            "@import \"/styles/vars\";\n@import \"../../app.wxss\";\n.a { width: @w * 2; }\n",
        ),
        ("styles/vars.less", "@w: 10rpx;\n"),
    ]);
    let compiled = less(&files, "pages/a/a.less");
    assert!(compiled.is_ok(), "{:?}", compiled.diagnostics);
    assert_eq!(
        compiled.css,
        "@import \"../../app.wxss\";\n.a {\n  width: 20rpx;\n}\n"
    );
}

#[test]
fn less_never_panics_on_garbage() {
    for source in [
        "{{{",
        "}}}",
        ".a(",
        "@",
        "@x:",
        ".m() when (",
        "a { b: ~\"unterminated }",
        ".a { .b(@x: ; }",
        "@media {",
    ] {
        let files = package(&[("g.less", source)]);
        let _ = less(&files, "g.less");
    }
}

#[test]
fn scss_error_is_located_at_its_line() {
    let files = package(&[(
        "pages/a/a.scss",
        ".a {\n  color: red;\n  width: $missing;\n}\n",
    )]);
    let compiled = scss(&files, "pages/a/a.scss");
    let error = only_error(&compiled);
    assert_eq!(
        (error.file.as_str(), error.line, error.column),
        ("pages/a/a.scss", 3, 10)
    );
    assert!(
        error.message.contains("Undefined variable"),
        "{}",
        error.message
    );
}

#[test]
fn scss_error_in_a_partial_points_into_the_partial() {
    let files = package(&[
        (
            "pages/a/a.scss",
            "@import \"../../common/vars\";\n.a { color: $c; }\n",
        ),
        ("common/_vars.scss", "$c: blue;\n.x {\n  width: 1px +;\n}\n"),
    ]);
    let error = only_error(&scss(&files, "pages/a/a.scss")).clone();
    assert_eq!((error.file.as_str(), error.line), ("common/_vars.scss", 3));
}

#[test]
fn scss_resolves_partials_index_and_root_and_keeps_wxss_imports() {
    let files = package(&[
        ("pages/a/a.scss", "@import \"/styles/vars\";\n@import \"../../theme\";\n@import \"../../app.wxss\";\n.a { width: $w * 2; color: $bg; }\n"),
        ("styles/_vars.scss", "$w: 10rpx;\n"),
        ("theme/_index.scss", "$bg: #fff;\n"),
    ]);
    let compiled = scss(&files, "pages/a/a.scss");
    assert!(compiled.is_ok(), "{:?}", compiled.diagnostics);
    assert_eq!(
        compiled.css,
        "@import \"../../app.wxss\";\n.a {\n  width: 20rpx;\n  color: #fff;\n}\n"
    );
}

#[test]
fn indented_sass_compiles_by_extension() {
    let files = package(&[("a.sass", ".a\n  width: 10rpx * 2\n")]);
    let compiled = scss(&files, "a.sass");
    assert!(compiled.is_ok(), "{:?}", compiled.diagnostics);
    assert_eq!(compiled.css, ".a {\n  width: 20rpx;\n}\n");
}
