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
use crate::scss_budget::Budget;
use crate::scss_limits::{recursion_message, CallGraph};

/// Compiles a `.scss` (or, by extension, indented `.sass`) package file.
pub fn compile_scss(path: &str, source: &str, read: &dyn Fn(&str) -> Option<String>) -> Compiled {
    let entry = paths::normalize(path);
    let fs = PackageFs {
        read,
        cache: RefCell::new(HashMap::new()),
        graph: RefCell::new(CallGraph::default()),
        budget: RefCell::new(Budget::default()),
        refusal: RefCell::new(None),
    };
    // Checked before grass runs: a refused entry is never handed to it.
    if let Some(refusal) = fs.refusal_for(&entry, source) {
        return Compiled {
            css: String::new(),
            diagnostics: vec![refusal],
        };
    }
    let prepared = fs.prepare(&entry, source);
    fs.cache.borrow_mut().insert(entry.clone(), Some(prepared));
    let logger = CollectingLogger::default();
    let options = grass::Options::default()
        .fs(&fs)
        .logger(&logger)
        .style(grass::OutputStyle::Expanded)
        .quiet(false);
    // grass is third-party code over untrusted input: a panic inside it
    // must not cross into the engine (the pre-scans above rule out the
    // stack overflows a panic guard cannot catch).
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        grass::from_path(&entry, &options)
    }));
    let Ok(result) = result else {
        let mut diagnostics = logger.diagnostics.into_inner();
        diagnostics.push(whole_file_error(
            &entry,
            "the SCSS compiler failed on this file; it is not compiled".to_string(),
        ));
        return Compiled {
            css: String::new(),
            diagnostics,
        };
    };
    let mut diagnostics = logger.diagnostics.into_inner();
    // An import refused by the pre-scan shows up in grass as a missing
    // file; the refusal is the real reason.
    if let Some(refusal) = fs.refusal.into_inner() {
        diagnostics.push(refusal);
        return Compiled {
            css: String::new(),
            diagnostics,
        };
    }
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

fn refusal(file: &str, line: u32, column: u32, message: String) -> LangDiagnostic {
    LangDiagnostic {
        file: file.to_string(),
        line,
        column,
        severity: Severity::Error,
        message,
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

/// How many imported files one compilation reads ahead of grass for the
/// estimate: as many as a package can hold style files, in practice.
const MAX_PRELOADED_FILES: usize = 10_000;

/// `grass`'s view of the package: paths are normalised package paths.
struct PackageFs<'a> {
    read: &'a dyn Fn(&str) -> Option<String>,
    /// Every path asked for, read once (grass asks `is_file` then `read`).
    cache: RefCell<HashMap<String, Option<String>>>,
    /// The `@mixin`/`@function` references of every file read so far.
    graph: RefCell<CallGraph>,
    /// What the files read so far would cost grass (sizes, expansions).
    budget: RefCell<Budget>,
    /// Why a file was withheld from grass (the first reason found).
    refusal: RefCell<Option<LangDiagnostic>>,
}

impl fmt::Debug for PackageFs<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PackageFs").finish_non_exhaustive()
    }
}

impl PackageFs<'_> {
    /// Why `text` (the file `path`) must not reach grass: nesting deeper
    /// than its recursion can take, a recursive mixin or function, or a
    /// value, expansion or output estimated past its bound.
    fn refusal_for(&self, path: &str, text: &str) -> Option<LangDiagnostic> {
        let (offset, message) = if let Some(at) = crate::nesting::too_deep_at(text) {
            (at, crate::nesting::too_deep_message())
        } else {
            let cycle = self.graph.borrow_mut().add_file(path, text);
            let Some((name, site)) = cycle else {
                let over = self.estimate(path, text)?;
                return Some(refusal(&over.file, over.line, over.column, over.message));
            };
            if site.file != path {
                // The cycle closes in an earlier file: report it there.
                let earlier = self.cache.borrow().get(&site.file).cloned().flatten();
                let (line, column) = crate::nesting::line_column(
                    earlier.as_deref().unwrap_or_default(),
                    site.offset,
                );
                return Some(refusal(&site.file, line, column, recursion_message(&name)));
            }
            (site.offset, recursion_message(&name))
        };
        let (line, column) = crate::nesting::line_column(text, offset);
        Some(refusal(path, line, column, message))
    }

    /// Adds `path` and the files it imports (read here, ahead of grass,
    /// so that one estimate covers them) to the budget, then checks it.
    fn estimate(&self, path: &str, text: &str) -> Option<crate::scss_budget::Refusal> {
        let mut budget = self.budget.borrow_mut();
        if budget.knows(path) {
            return None;
        }
        let mut pending = budget.add_file(path, text);
        let mut read = 0usize;
        while let Some(key) = pending.pop() {
            if budget.looked_for(&key) || read >= MAX_PRELOADED_FILES {
                continue;
            }
            for candidate in crate::scss_budget::candidates(&key) {
                let Some(text) = (self.read)(&candidate) else {
                    continue;
                };
                read += 1;
                // Too deep a file is refused when grass asks for it; the
                // estimate must not walk it.
                if crate::nesting::too_deep_at(&text).is_none() {
                    pending.extend(budget.add_file(&candidate, &text));
                }
                break;
            }
        }
        budget.check()
    }

    fn contents(&self, path: &Path) -> Option<String> {
        let key = paths::normalize(&path.to_string_lossy());
        if let Some(cached) = self.cache.borrow().get(&key) {
            return cached.clone();
        }
        let loaded = (self.read)(&key).and_then(|text| {
            if let Some(diagnostic) = self.refusal_for(&key, &text) {
                self.refusal.borrow_mut().get_or_insert(diagnostic);
                return None;
            }
            Some(self.prepare(&key, &text))
        });
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

impl PackageFs<'_> {
    /// What grass is given for a file: in SCSS syntax (not the indented
    /// one), loops and content blocks bounded (each repetition counted
    /// with the bodies it expands), then `.wxss` imports as CSS imports.
    fn prepare(&self, path: &str, text: &str) -> String {
        if path.to_ascii_lowercase().ends_with(".sass") {
            return wxss_imports_to_url(text);
        }
        let weights = self.budget.borrow().weights(path);
        wxss_imports_to_url(&crate::scss_limits::bound_loops(text, &weights))
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
