//! What the layout and paint fixture harnesses share: finding fixtures and
//! reading and rewriting their `known_failures.txt`.

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
    if let Ok(only) = std::env::var("CIRRUS_FIXTURE") {
        let only: Vec<&str> = only.split(',').map(str::trim).collect();
        names.retain(|n| only.contains(&n.as_str()));
    }
    names
}

pub fn read_optional(path: &Path) -> Option<String> {
    std::fs::read_to_string(path).ok()
}
