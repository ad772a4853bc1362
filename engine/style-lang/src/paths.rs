//! Package paths, for the whole workspace: the one normaliser the package
//! loader, module resolution, templates, style sheets and images use
//! (`cirrus_package::package::{normalize, resolve_relative}` re-export it).
//! It lives in this crate because it is the lowest one that needs it.
//!
//! Package paths use `/` and have no leading slash ("pages/a/a.less"). A
//! target is relative to the referring file's folder unless it starts with
//! `/`, which means the package root. `\` counts as `/`.

/// Applies `relative`'s segments to `base` (dropping `.` and empty ones).
/// `..` above the root is dropped when `clamp`, else it is `None`.
fn walk<'a>(mut base: Vec<&'a str>, relative: &'a str, clamp: bool) -> Option<Vec<&'a str>> {
    for segment in relative.split(['/', '\\']) {
        match segment {
            "" | "." => {}
            ".." => {
                if base.pop().is_none() && !clamp {
                    return None;
                }
            }
            other => base.push(other),
        }
    }
    Some(base)
}

/// The folder segments of the file at `path`.
fn folder_segments(path: &str) -> Vec<&str> {
    let mut segments = walk(Vec::new(), path, true).unwrap_or_default();
    segments.pop();
    segments
}

/// Normalises a package path: drops `.` and empty segments, applies `..`
/// (never climbing above the root) and any leading `/`.
pub fn normalize(path: &str) -> String {
    walk(Vec::new(), path, true).unwrap_or_default().join("/")
}

/// The folder of a package path ("" for a file at the root).
pub fn folder_of(path: &str) -> &str {
    match path.rfind('/') {
        Some(index) => &path[..index],
        None => "",
    }
}

/// Resolves `target` as written in the file at `importer` (relative, or
/// package-absolute with a leading `/`); `..` stops at the root.
pub fn resolve(importer: &str, target: &str) -> String {
    resolve_within(importer, target, true).unwrap_or_default()
}

/// As [`resolve`], but `None` when a `..` climbs above the package root
/// (style sheets refuse such an `@import`).
pub fn resolve_strict(importer: &str, target: &str) -> Option<String> {
    resolve_within(importer, target, false)
}

fn resolve_within(importer: &str, target: &str, clamp: bool) -> Option<String> {
    let base = if target.starts_with(['/', '\\']) {
        Vec::new()
    } else {
        folder_segments(importer)
    };
    walk(base, target, clamp).map(|segments| segments.join("/"))
}

/// True for imports WXSS resolves itself (kept as plain `@import`).
pub fn is_plain_css_import(target: &str) -> bool {
    let lower = target.to_ascii_lowercase();
    lower.ends_with(".wxss") || lower.ends_with(".css")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_relative_and_root_paths() {
        assert_eq!(
            resolve("pages/a/a.less", "../common/vars"),
            "pages/common/vars"
        );
        assert_eq!(resolve("pages/a/a.less", "/styles/vars"), "styles/vars");
        assert_eq!(resolve("app.less", "./vars.less"), "vars.less");
        assert_eq!(resolve("a.less", "../../x"), "x");
        assert_eq!(resolve("./pages\\a\\a.wxml", "b.wxs"), "pages/a/b.wxs");
    }

    #[test]
    fn strict_resolution_refuses_to_climb_above_the_root() {
        assert_eq!(
            resolve_strict("a/b.wxss", "../c.wxss"),
            Some("c.wxss".into())
        );
        assert_eq!(resolve_strict("a/b.wxss", "../../c.wxss"), None);
        assert_eq!(
            resolve_strict("a/b.wxss", "/x/../y.wxss"),
            Some("y.wxss".into())
        );
        assert_eq!(normalize("/a/./b//../c"), "a/c");
    }
}
