//! A fixture folder as files: which fixtures it holds and which are known
//! to fail. Plain std only: `shell/build.rs` includes this file too (it
//! generates one test per fixture from it), so the generated tests and the
//! harnesses' own checks read a folder the same way.

use std::collections::BTreeMap;
use std::path::Path;

/// `name: reason` lines; `#` starts a comment line.
pub fn parse_known_failures(text: &str) -> BTreeMap<String, String> {
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .map(|line| match line.split_once(':') {
            Some((name, reason)) => (name.trim().to_owned(), reason.trim().to_owned()),
            None => (line.to_owned(), String::new()),
        })
        .collect()
}

/// The fixtures of `dir` (one per `<name>.wxml`), sorted; none when the
/// folder cannot be read.
pub fn fixture_names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .filter_map(|e| {
                    e.file_name()
                        .to_str()
                        .and_then(|n| n.strip_suffix(".wxml"))
                        .map(str::to_owned)
                })
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}
