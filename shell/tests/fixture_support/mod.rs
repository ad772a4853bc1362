//! What the layout and paint fixture harnesses share: finding fixtures,
//! reading and rewriting their `known_failures.txt`, and the outcome of
//! one generated fixture test.
//!
//! `shell/build.rs` generates one `#[test]` per fixture (see `corpus`);
//! a fixture listed in `known_failures.txt` is generated `#[ignore]`d with
//! its reason.

mod corpus;

pub use corpus::{fixture_names, parse_known_failures};
use std::collections::BTreeMap;
use std::path::Path;

/// The verdict of one generated fixture test: a failure panics with the
/// fixture's name and first difference. A listed known failure only runs
/// when asked for (`-- --ignored`); one that passes then says so, since its
/// line can be taken off the list.
pub fn conclude(
    corpus: &str,
    name: &str,
    outcome: Result<(), String>,
    known_failure: Option<&str>,
) {
    match (outcome, known_failure) {
        (Ok(()), None) => {}
        (Ok(()), Some(reason)) => println!(
            "now passes: {corpus} fixture {name} is listed in fixtures/{corpus}/known_failures.txt \
             ({reason}); remove the line if the pass is intended"
        ),
        (Err(why), None) => panic!("{corpus} fixture {name}: {why}"),
        (Err(why), Some(reason)) => panic!("{corpus} fixture {name} ({reason}): {why}"),
    }
}

/// `CIRRUS_UPDATE_KNOWN_FAILURES=1` mode: lists exactly the fixtures that fail
/// now, keeping the comment lines and any reason already written.
pub fn rewrite_known_failures(
    path: &Path,
    known: &BTreeMap<String, String>,
    failures: &[(String, String)],
) {
    let old = read_optional(path).unwrap_or_default();
    let mut text: String = old
        .lines()
        .filter(|line| line.trim_start().starts_with('#'))
        .map(|line| format!("{line}\n"))
        .collect();
    for (name, why) in failures {
        let reason = known.get(name).cloned().unwrap_or_else(|| {
            let first_line = why.lines().next().unwrap_or("");
            format!(
                "not yet triaged - {}",
                first_line.chars().take(160).collect::<String>()
            )
        });
        text.push_str(&format!("{name}: {reason}\n"));
    }
    if let Err(error) = std::fs::write(path, text) {
        panic!("writing {}: {error}", path.display());
    }
}

/// Whether `CIRRUS_UPDATE_KNOWN_FAILURES` asks for the list to be rewritten.
pub fn updating_known_failures() -> bool {
    std::env::var_os("CIRRUS_UPDATE_KNOWN_FAILURES").is_some()
}

pub fn read_optional(path: &Path) -> Option<String> {
    std::fs::read_to_string(path).ok()
}
