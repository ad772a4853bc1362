//! The bad-input corpus (`fixtures/bad-input/`): each case is a small broken
//! package with the diagnostics it must produce in `expect.txt`, as
//! `file:line:col` (optionally ` ~ text` the message must contain; a
//! `# any-column` line before an entry checks only file and line). Every
//! case is checked statically (`cirrus check`) and run headless: nothing
//! may panic, and the engine must still produce a frame.

mod common;

use cirrus_engine::diagnostics::Diagnostic;
use cirrus_engine::package::Package;
use cirrus_shell::check::check_package;
use cirrus_shell::headless::{shot, ShotOptions};
use common::{parse_expect, Expected};
use std::time::Duration;

fn matches(d: &Diagnostic, e: &Expected) -> bool {
    d.file == e.file
        && d.line == e.line
        && e.column.is_none_or(|c| c == d.column)
        && e.contains
            .as_ref()
            .is_none_or(|t| d.message.to_lowercase().contains(&t.to_lowercase()))
}

#[test]
fn every_bad_input_case_gives_its_diagnostics_without_panicking() {
    let dir = common::repo_root().join("fixtures/bad-input");
    let mut cases: Vec<_> = std::fs::read_dir(&dir)
        .expect("fixtures/bad-input exists")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.join("expect.txt").exists())
        .collect();
    cases.sort();
    assert!(cases.len() >= 16, "only {} bad-input cases", cases.len());
    let mut failures = Vec::new();
    for case in &cases {
        let name = case
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        let expect =
            parse_expect(&std::fs::read_to_string(case.join("expect.txt")).expect("expect.txt"));
        let (package, mut diags) = Package::load(case).expect("case folder loads");
        diags.extend(check_package(&package));
        if package.home().is_some() {
            let options = ShotOptions {
                dpr: 1.0,
                width: 200.0,
                height: 200.0,
                timeout: Duration::from_secs(5),
                ..Default::default()
            };
            match shot(package, &options) {
                Ok(capture) => diags.extend(capture.diagnostics),
                Err(e) => {
                    failures.push(format!("{name}: the engine did not produce a frame: {e:#}"))
                }
            }
        }
        // The same finding may come from the static check and the run.
        diags.sort_by_key(|d| d.to_string());
        diags.dedup();
        if expect.is_empty() && !diags.is_empty() {
            failures.push(format!(
                "{name}: expected no diagnostic, got {:#?}",
                diags.iter().map(|d| d.to_string()).collect::<Vec<_>>()
            ));
        }
        // Every entry needs a diagnostic of its own.
        let mut used = vec![false; diags.len()];
        for e in &expect {
            let found = diags
                .iter()
                .enumerate()
                .position(|(i, d)| !used[i] && matches(d, e));
            if let Some(i) = found {
                used[i] = true;
            } else {
                let col = e
                    .column
                    .map(|c| c.to_string())
                    .unwrap_or_else(|| "*".into());
                let got: Vec<String> = diags.iter().map(|d| d.to_string()).collect();
                failures.push(format!(
                    "{name}: expected {}:{}:{} — got {got:#?}",
                    e.file, e.line, col
                ));
            }
        }
    }
    eprintln!(
        "bad-input: {} passed, {} failed",
        cases.len() - failures.len().min(cases.len()),
        failures.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
