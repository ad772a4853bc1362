//! The configuration files of the bad-input corpus and of the samples, read
//! by this crate alone: the app.json and page json cases of
//! `fixtures/bad-input` give their expected diagnostics (the same rules as
//! `shell/tests/bad_input.rs`, which runs every case through `cirrus
//! check`), and the samples' configuration files give none.

use cirrus_package::chrome_layout::TabBarConfig;
use cirrus_package::compile_cache::CompileCache;
use cirrus_package::{Diagnostic, Package};
use std::path::{Path, PathBuf};

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Every diagnostic about the package's configuration: load, each page's
/// json, the tab bar.
fn config_diagnostics(dir: &Path) -> Vec<Diagnostic> {
    let (package, mut diags) =
        Package::load_with(dir, &CompileCache::disabled()).expect("the folder loads");
    for route in package.routes() {
        diags.extend(package.page_config(&route).1);
    }
    diags.extend(TabBarConfig::from_package(&package).1);
    diags
}

/// `FILE:LINE:COL` or `FILE:LINE:COL ~ TEXT`; `# any-column` before an
/// entry checks only the line.
fn expected(text: &str) -> Vec<(String, u32, Option<u32>, Option<String>)> {
    let mut out = Vec::new();
    let mut any_column = false;
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        if line.starts_with('#') {
            any_column |= line.contains("any-column");
            continue;
        }
        let (at, contains) = match line.split_once(" ~ ") {
            Some((at, text)) => (at.trim(), Some(text.trim().to_lowercase())),
            None => (line, None),
        };
        let mut parts = at.rsplitn(3, ':');
        let column: u32 = parts.next().unwrap().parse().unwrap();
        let line: u32 = parts.next().unwrap().parse().unwrap();
        let file = parts.next().unwrap().to_owned();
        out.push((file, line, (!any_column).then_some(column), contains));
        any_column = false;
    }
    out
}

#[test]
fn bad_input_configuration_cases_give_their_diagnostics() {
    let corpus = repo_root().join("fixtures/bad-input");
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&corpus)
        .expect("fixtures/bad-input exists")
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy();
            [
                "app-json-",
                "page-json-",
                "page-files-",
                "page-js-",
                "clean-baseline",
            ]
            .iter()
            .any(|prefix| name.starts_with(prefix))
        })
        .collect();
    cases.sort();
    assert!(cases.len() >= 10, "{cases:?}");
    let mut failures = Vec::new();
    for case in &cases {
        let diags = config_diagnostics(case);
        let expect = expected(&std::fs::read_to_string(case.join("expect.txt")).unwrap());
        if expect.is_empty() && !diags.is_empty() {
            failures.push(format!("{}: expected none, got {diags:#?}", case.display()));
        }
        let mut used = vec![false; diags.len()];
        for (file, line, column, contains) in &expect {
            let found = diags.iter().enumerate().position(|(i, d)| {
                !used[i]
                    && d.file == *file
                    && d.line == *line
                    && column.is_none_or(|c| c == d.column)
                    && contains
                        .as_ref()
                        .is_none_or(|t| d.message.to_lowercase().contains(t))
            });
            match found {
                Some(i) => used[i] = true,
                None => failures.push(format!(
                    "{}: no diagnostic at {file}:{line}:{column:?} ~ {contains:?} in {diags:#?}",
                    case.display()
                )),
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_samples_configuration_files_give_no_diagnostics() {
    let samples = repo_root().join("samples");
    let mut checked = 0;
    for entry in std::fs::read_dir(&samples).unwrap().flatten() {
        let dir = entry.path();
        if !dir.join("app.json").is_file() && !dir.join("project.config.json").is_file() {
            continue;
        }
        let diags: Vec<Diagnostic> = config_diagnostics(&dir)
            .into_iter()
            // Whether WeUI is installed depends on the machine (scripts/setup).
            .filter(|d| d.file.ends_with(".json") && !d.message.contains("not installed"))
            .collect();
        assert!(diags.is_empty(), "{}: {diags:#?}", dir.display());
        checked += 1;
    }
    assert!(checked >= 5, "only {checked} samples");
}
