//! The corpus: every fixture under `fixtures/style-lang/{less,scss}` compiled
//! by this crate must match the CSS the reference compilers (lessc, dart-sass)
//! wrote beside it (`tools/style-lang/generate`), up to whitespace: blank
//! lines are dropped and line ends trimmed; everything else must be exact.

use std::path::{Path, PathBuf};

use cirrus_style_lang::{compile_less, compile_scss, Compiled, Severity};

fn fixture_root(language: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/style-lang")
        .join(language)
}

fn normalize_whitespace(css: &str) -> String {
    css.lines()
        .map(str::trim_end)
        .filter(|line| !line.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

fn compile_fixture(language: &str, file: &str) -> (Compiled, String) {
    let root = fixture_root(language);
    let source = std::fs::read_to_string(root.join(file))
        .unwrap_or_else(|error| panic!("fixture {language}/{file}: {error}"));
    let read = |package_path: &str| std::fs::read_to_string(root.join(package_path)).ok();
    let compiled = if language == "less" {
        compile_less(file, &source, &read)
    } else {
        compile_scss(file, &source, &read)
    };
    let stem = file.rsplit_once('.').map_or(file, |(stem, _)| stem);
    let expected = std::fs::read_to_string(root.join(format!("{stem}.css")))
        .unwrap_or_else(|error| panic!("expected output of {language}/{file}: {error}"));
    (compiled, expected)
}

fn check(language: &str, file: &str) {
    let (compiled, expected) = compile_fixture(language, file);
    let errors: Vec<String> = compiled
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(ToString::to_string)
        .collect();
    assert!(
        errors.is_empty(),
        "fixture {language}/{file} reported errors:\n{}",
        errors.join("\n")
    );
    let actual = normalize_whitespace(&compiled.css);
    let expected = normalize_whitespace(&expected);
    if actual != expected {
        let first_difference = actual
            .lines()
            .zip(expected.lines())
            .position(|(a, e)| a != e)
            .unwrap_or_else(|| actual.lines().count().min(expected.lines().count()));
        panic!(
            "fixture {language}/{file} differs from the reference at line {}\n--- expected\n{expected}\n--- actual\n{actual}",
            first_difference + 1
        );
    }
}

macro_rules! corpus {
    ($language:literal, $extension:literal: $($name:ident),* $(,)?) => {
        $(
            #[test]
            fn $name() {
                check($language, concat!(stringify!($name), ".", $extension));
            }
        )*
    };
}

mod less {
    use super::check;
    corpus!("less", "less": colors, comments, component, escapes, guards, important, imports,
        keyframes, media, mixins, namespaces, nesting, operations, realworld, variables);
}

mod scss {
    use super::check;
    corpus!("scss", "scss": colors, control, imports, nesting, placeholders, variables);
    corpus!("scss", "sass": indented);
}

/// Every compiled fixture has a test above (partials excepted), so a new
/// fixture cannot be silently skipped.
#[test]
fn every_fixture_is_listed() {
    let listed_less = [
        "colors",
        "comments",
        "component",
        "escapes",
        "guards",
        "important",
        "imports",
        "keyframes",
        "media",
        "mixins",
        "namespaces",
        "nesting",
        "operations",
        "realworld",
        "variables",
    ];
    let listed_scss = [
        "colors",
        "control",
        "imports",
        "nesting",
        "placeholders",
        "variables",
        "indented",
    ];
    for (language, listed) in [("less", &listed_less[..]), ("scss", &listed_scss[..])] {
        let entries = std::fs::read_dir(fixture_root(language)).expect("fixture folder");
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            let Some((stem, extension)) = name.rsplit_once('.') else {
                continue;
            };
            if matches!(extension, "less" | "scss" | "sass") && !stem.starts_with('_') {
                assert!(
                    listed.contains(&stem),
                    "fixture {language}/{name} has no corpus test"
                );
            }
        }
    }
}
