//! Package paths: resolving `@import` targets against the importing file.
//!
//! Package paths use `/` and have no leading slash ("pages/a/a.less"). An
//! import is relative to the importing file's folder unless it starts with
//! `/`, which means the package root.

/// Normalises a package path: drops `.` and empty segments, applies `..`
/// (never climbing above the root) and any leading `/`.
pub fn normalize(path: &str) -> String {
    let mut segments: Vec<&str> = Vec::new();
    for segment in path.split(['/', '\\']) {
        match segment {
            "" | "." => {}
            ".." => {
                segments.pop();
            }
            other => segments.push(other),
        }
    }
    segments.join("/")
}

/// The folder of a package path ("" for a file at the root).
pub fn folder_of(path: &str) -> &str {
    match path.rfind('/') {
        Some(index) => &path[..index],
        None => "",
    }
}

/// Resolves `target` as written in an `@import` of the file at `importer`.
pub fn resolve(importer: &str, target: &str) -> String {
    if target.starts_with('/') {
        normalize(target)
    } else {
        normalize(&format!("{}/{}", folder_of(importer), target))
    }
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
    }
}
