//! Helpers shared by the shell's integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// The repository root.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("shell/ has a parent")
        .to_path_buf()
}

/// Pixels whose largest channel difference exceeds `threshold`, and the
/// total pixel count.
pub fn differing_pixels(
    a: &image::RgbaImage,
    b: &image::RgbaImage,
    threshold: u8,
) -> (usize, usize) {
    if a.dimensions() != b.dimensions() {
        let total = (a.width() * a.height()) as usize;
        return (total, total);
    }
    let differing = a
        .pixels()
        .zip(b.pixels())
        .filter(|(p, q)| {
            p.0.iter()
                .zip(q.0.iter())
                .any(|(x, y)| x.abs_diff(*y) > threshold)
        })
        .count();
    (differing, (a.width() * a.height()) as usize)
}

/// Whether `CIRRUS_BLESS` asks tests to rewrite the engine's own snapshots.
pub fn blessing() -> bool {
    std::env::var_os("CIRRUS_BLESS").is_some_and(|v| !v.is_empty() && v != "0")
}

/// A mini program written to a temporary folder, removed when dropped.
pub struct TempPackage {
    pub root: PathBuf,
}

impl TempPackage {
    /// Writes `files` (package path, text) under a fresh folder named after
    /// `name` and the test process.
    pub fn new(name: &str, files: &[(&str, &str)]) -> TempPackage {
        let root = std::env::temp_dir().join(format!("cirrus-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        for (path, text) in files {
            let file = root.join(path);
            std::fs::create_dir_all(file.parent().expect("files are in folders")).expect("mkdir");
            std::fs::write(file, text).expect("write");
        }
        TempPackage { root }
    }
}

impl Drop for TempPackage {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.root);
    }
}

/// One diagnostic an `expect.txt` entry asks for (the bad-input and
/// hostile corpora): `FILE:LINE:COL`, optionally ` ~ TEXT` the message
/// contains; `# any-column` before an entry checks only file and line.
pub struct Expected {
    pub file: String,
    pub line: u32,
    pub column: Option<u32>,
    pub contains: Option<String>,
}

pub fn parse_expect(text: &str) -> Vec<Expected> {
    let mut out = Vec::new();
    let mut any_column = false;
    for line in text.lines().map(str::trim) {
        if line.is_empty() {
            continue;
        }
        if line.starts_with('#') {
            any_column |= line.contains("any-column");
            continue;
        }
        let (loc, contains) = match line.split_once(" ~ ") {
            Some((l, c)) => (l.trim(), Some(c.trim().to_owned())),
            None => (line, None),
        };
        let mut parts = loc.rsplitn(3, ':');
        let col: u32 = parts.next().and_then(|c| c.parse().ok()).expect("column");
        let ln: u32 = parts.next().and_then(|c| c.parse().ok()).expect("line");
        let file = parts.next().expect("file").to_owned();
        out.push(Expected {
            file,
            line: ln,
            column: if any_column { None } else { Some(col) },
            contains,
        });
        any_column = false;
    }
    out
}

/// The element with `id` in a layout file's tree (depth first).
pub fn find_node<'a>(node: &'a serde_json::Value, id: &str) -> Option<&'a serde_json::Value> {
    if node["id"] == id {
        return Some(node);
    }
    node["children"]
        .as_array()?
        .iter()
        .find_map(|child| find_node(child, id))
}
