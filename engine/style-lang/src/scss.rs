//! SCSS and indented Sass with `grass`, over the package's files.
//!
//! `grass` resolves `@import`/`@use` through its `Fs` trait; [`PackageFs`]
//! answers it from the `read` callback, so partials resolve against package
//! paths (a leading `/` is the package root). Imports of `.wxss` files are
//! not Sass imports: they are rewritten to `url(...)` imports, which Sass
//! passes through, and printed back as plain `@import "x.wxss";`.

use std::cell::RefCell;
use std::collections::HashMap;
use std::fmt;
use std::path::Path;

use crate::diagnostic::{Compiled, LangDiagnostic, Severity};
use crate::paths;

/// Compiles a `.scss` (or, by extension, indented `.sass`) package file.
pub fn compile_scss(path: &str, source: &str, read: &dyn Fn(&str) -> Option<String>) -> Compiled {
    let entry = paths::normalize(path);
    let fs = PackageFs {
        read,
        cache: RefCell::new(HashMap::new()),
    };
    fs.cache
        .borrow_mut()
        .insert(entry.clone(), Some(wxss_imports_to_url(source)));
    let logger = CollectingLogger::default();
    let options = grass::Options::default()
        .fs(&fs)
        .logger(&logger)
        .style(grass::OutputStyle::Expanded)
        .quiet(false);
    let result = grass::from_path(&entry, &options);
    let mut diagnostics = logger.diagnostics.into_inner();
    let css = match result {
        Ok(css) => url_wxss_imports_to_plain(&css),
        Err(error) => {
            diagnostics.push(error_to_diagnostic(&entry, *error));
            String::new()
        }
    };
    Compiled { css, diagnostics }
}

fn error_to_diagnostic(entry: &str, error: grass::Error) -> LangDiagnostic {
    match error.kind() {
        grass::ErrorKind::ParseError { message, loc, .. } => LangDiagnostic {
            file: paths::normalize(loc.file.name()),
            line: to_u32(loc.begin.line + 1),
            column: to_u32(loc.begin.column + 1),
            severity: Severity::Error,
            message,
        },
        grass::ErrorKind::IoError(io) => whole_file_error(entry, io.to_string()),
        grass::ErrorKind::FromUtf8Error(message) => whole_file_error(entry, message),
        other => whole_file_error(entry, format!("{other:?}")),
    }
}

fn whole_file_error(entry: &str, message: String) -> LangDiagnostic {
    LangDiagnostic {
        file: entry.to_string(),
        line: 1,
        column: 1,
        severity: Severity::Error,
        message,
    }
}

fn to_u32(value: usize) -> u32 {
    u32::try_from(value).unwrap_or(u32::MAX)
}

/// `grass`'s view of the package: paths are normalised package paths.
struct PackageFs<'a> {
    read: &'a dyn Fn(&str) -> Option<String>,
    /// Every path asked for, read once (grass asks `is_file` then `read`).
    cache: RefCell<HashMap<String, Option<String>>>,
}

impl fmt::Debug for PackageFs<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PackageFs").finish_non_exhaustive()
    }
}

impl PackageFs<'_> {
    fn contents(&self, path: &Path) -> Option<String> {
        let key = paths::normalize(&path.to_string_lossy());
        if let Some(cached) = self.cache.borrow().get(&key) {
            return cached.clone();
        }
        let loaded = (self.read)(&key).map(|text| wxss_imports_to_url(&text));
        self.cache.borrow_mut().insert(key, loaded.clone());
        loaded
    }
}

impl grass::Fs for PackageFs<'_> {
    fn is_dir(&self, path: &Path) -> bool {
        ["_index.scss", "index.scss", "_index.sass", "index.sass"]
            .iter()
            .any(|index| self.contents(&path.join(index)).is_some())
    }

    fn is_file(&self, path: &Path) -> bool {
        self.contents(path).is_some()
    }

    fn read(&self, path: &Path) -> std::io::Result<Vec<u8>> {
        self.contents(path).map(String::into_bytes).ok_or_else(|| {
            std::io::Error::new(
                std::io::ErrorKind::NotFound,
                format!("no package file {}", path.display()),
            )
        })
    }
}

/// Warnings and `@debug` output from grass, as diagnostics.
#[derive(Debug, Default)]
struct CollectingLogger {
    diagnostics: RefCell<Vec<LangDiagnostic>>,
}

impl grass::Logger for CollectingLogger {
    fn debug(&self, location: codemap::SpanLoc, message: &str) {
        self.warn(location, message);
    }

    fn warn(&self, location: codemap::SpanLoc, message: &str) {
        self.diagnostics.borrow_mut().push(LangDiagnostic {
            file: paths::normalize(location.file.name()),
            line: to_u32(location.begin.line + 1),
            column: to_u32(location.begin.column + 1),
            severity: Severity::Warning,
            message: message.to_string(),
        });
    }
}

/// Rewrites `@import "x.wxss";` to `@import url("x.wxss");` (same length
/// of lines, so error positions stay right), which Sass keeps as CSS.
fn wxss_imports_to_url(source: &str) -> String {
    let mut out = String::with_capacity(source.len() + 16);
    let mut rest = source;
    while let Some(at) = rest.find("@import") {
        let (before, from_import) = rest.split_at(at);
        out.push_str(before);
        let after_keyword = &from_import["@import".len()..];
        let trimmed = after_keyword.trim_start();
        let spaces = &after_keyword[..after_keyword.len() - trimmed.len()];
        let quoted = trimmed
            .chars()
            .next()
            .filter(|quote| *quote == '"' || *quote == '\'')
            .and_then(|quote| {
                let close = trimmed[1..].find(quote)? + 1;
                Some((quote, &trimmed[1..close], close))
            });
        match quoted {
            Some((quote, target, close)) if target.to_ascii_lowercase().ends_with(".wxss") => {
                out.push_str("@import");
                out.push_str(spaces);
                out.push_str(&format!("url({quote}{target}{quote})"));
                rest = &trimmed[close + 1..];
            }
            _ => {
                out.push_str("@import");
                rest = after_keyword;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Turns the `url()` imports of [`wxss_imports_to_url`] back into plain ones.
fn url_wxss_imports_to_plain(css: &str) -> String {
    css.lines()
        .map(|line| {
            let trimmed = line.trim();
            let inner = trimmed
                .strip_prefix("@import url(")
                .and_then(|rest| rest.strip_suffix(");"));
            match inner {
                Some(target)
                    if target
                        .to_ascii_lowercase()
                        .trim_end_matches(['"', '\''])
                        .ends_with(".wxss") =>
                {
                    let bare = target.trim_matches(['"', '\'']);
                    format!("@import \"{bare}\";")
                }
                _ => line.to_string(),
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
        + if css.ends_with('\n') { "\n" } else { "" }
}
