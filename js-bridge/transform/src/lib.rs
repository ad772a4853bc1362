//! cirrus-transform: the load-time JavaScript transform of a mini program's
//! scripts, as the WeChat devtools do it when compiling (`es6`/`enhance`,
//! `useCompilerPlugins: ["typescript"]`).
//!
//! - ES modules become CommonJS bodies for the logic thread's module
//!   wrapper ([`esm`]), keeping every line where it was;
//! - TypeScript is compiled by oxc first ([`typescript`]), with a map;
//! - worklets (functions starting with `'worklet'`) gain what the UI
//!   thread needs to run them ([`worklet`], whose doc is the contract
//!   with the runtime), in the same pass and keeping lines too;
//! - files with none of these pass through untouched (no parse at all when
//!   the text does not even contain `import`, `export` or `worklet`).
//!
//! [`transform`] never fails: a syntax error yields diagnostics at
//! file:line:column and code that throws a `SyntaxError` naming them.
//! [`Transformed::original_position`] maps a position in the output back to
//! the author's file; [`Transformed::serialize`] is the disk cache's form.

mod cache_format;
mod edits;
mod esm;
mod source_map;
mod text;
mod typescript;
mod worklet;

pub use source_map::{Anchor, MapStep, SourceMapData};
pub use worklet::{WorkletInfo, MAX_NESTING as MAX_WORKLET_NESTING};

use oxc::diagnostics::OxcDiagnostic;
use std::sync::atomic::{AtomicU64, Ordering};

/// Changes whenever the output for a given input may change: part of every
/// cache key, with the engine's version.
pub const TRANSFORM_VERSION: &str = "cirrus-transform 2";

/// How one file is transformed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TransformOptions {
    /// The file is TypeScript.
    pub typescript: bool,
}

impl TransformOptions {
    /// The options a file's name implies (`.ts` is TypeScript).
    pub fn for_path(path: &str) -> TransformOptions {
        TransformOptions {
            typescript: path.ends_with(".ts"),
        }
    }

    /// The options as bytes, for cache keys.
    pub fn cache_tag(&self) -> &'static [u8] {
        if self.typescript {
            b"ts"
        } else {
            b"js"
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Severity {
    Error,
    Warning,
}

/// A problem found while transforming, at a 1-based line and column of
/// the original file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TransformDiagnostic {
    pub file: String,
    pub line: u32,
    pub column: u32,
    pub message: String,
    pub severity: Severity,
}

/// The result of [`transform`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Transformed {
    /// A CommonJS body, for the module wrapper.
    pub code: String,
    /// `None` when `code` is the original text.
    pub source_map: Option<SourceMapData>,
    pub diagnostics: Vec<TransformDiagnostic>,
}

impl Transformed {
    /// The original 1-based position of a 1-based position in `code`.
    pub fn original_position(&self, line: u32, column: u32) -> Option<(u32, u32)> {
        match &self.source_map {
            Some(map) => map.original_position(line, column),
            None => Some((line, column)),
        }
    }

    pub fn has_errors(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|diagnostic| diagnostic.severity == Severity::Error)
    }

    /// A compact form for the disk cache.
    pub fn serialize(&self) -> Vec<u8> {
        cache_format::write(self)
    }

    /// Reads [`Transformed::serialize`]'s form; `None` for anything else
    /// (a foreign, truncated or older entry is a cache miss).
    pub fn deserialize(bytes: &[u8]) -> Option<Transformed> {
        cache_format::read(bytes)
    }

    fn unchanged(source: &str) -> Transformed {
        Transformed {
            code: source.to_owned(),
            source_map: None,
            diagnostics: Vec::new(),
        }
    }
}

static TRANSFORMS_RUN: AtomicU64 = AtomicU64::new(0);

/// How many files [`transform`] has parsed in this process (pass-throughs
/// that needed no parse are not counted): lets a test prove that a cached
/// launch did no transform work.
pub fn transforms_run() -> u64 {
    TRANSFORMS_RUN.load(Ordering::Relaxed)
}

/// Whether `path` is a TypeScript declaration file, which is never run.
pub fn is_declaration_file(path: &str) -> bool {
    path.ends_with(".d.ts")
}

/// Whether `transform` could change `source` at all: TypeScript, or text
/// mentioning `import`/`export`/`worklet` (a cheap test; the parse
/// decides).
pub fn may_need_transform(path: &str, source: &str, options: &TransformOptions) -> bool {
    (options.typescript && !is_declaration_file(path))
        || source.contains("import")
        || source.contains("export")
        || source.contains("worklet")
}

/// Transforms one file. Never panics on any input: a panic inside oxc is
/// caught and reported as a diagnostic at 1:1.
pub fn transform(path: &str, source: &str, options: &TransformOptions) -> Transformed {
    guarded(path, source, options).0
}

/// The worklets [`transform`] finds in a file and what each captures (for
/// checks and tests; the transform itself needs no call to this).
pub fn worklets(path: &str, source: &str, options: &TransformOptions) -> Vec<WorkletInfo> {
    guarded(path, source, options).1
}

fn guarded(
    path: &str,
    source: &str,
    options: &TransformOptions,
) -> (Transformed, Vec<WorkletInfo>) {
    let attempt = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        transform_unguarded(path, source, options)
    }));
    attempt.unwrap_or_else(|_| {
        let mut failed = syntax_failure(path, source, &[]);
        failed.diagnostics[0].message = "the JavaScript transform failed on this file".into();
        (failed, Vec::new())
    })
}

fn transform_unguarded(
    path: &str,
    source: &str,
    options: &TransformOptions,
) -> (Transformed, Vec<WorkletInfo>) {
    if is_declaration_file(path) {
        let empty = Transformed {
            code: String::new(),
            source_map: None,
            diagnostics: Vec::new(),
        };
        return (empty, Vec::new());
    }
    if !may_need_transform(path, source, options) {
        return (Transformed::unchanged(source), Vec::new());
    }
    TRANSFORMS_RUN.fetch_add(1, Ordering::Relaxed);
    if !options.typescript {
        let locate = |offset: u32| text::line_column(source, offset);
        let context = worklet::Context {
            path,
            locate: &locate,
        };
        return match esm::lower(source, "", &context) {
            esm::Lowered::Unchanged(worklets) => {
                let mut unchanged = Transformed::unchanged(source);
                unchanged.diagnostics = worklets.diagnostics;
                (unchanged, worklets.infos)
            }
            esm::Lowered::Rewritten(code, step, worklets) => (
                Transformed {
                    code,
                    source_map: Some(SourceMapData { steps: vec![step] }),
                    diagnostics: worklets.diagnostics,
                },
                worklets.infos,
            ),
            esm::Lowered::Failed(errors) => (syntax_failure(path, source, &errors), Vec::new()),
        };
    }
    let (javascript, type_step) = match typescript::strip_types(path, source) {
        Ok(stripped) => stripped,
        Err(errors) => return (syntax_failure(path, source, &errors), Vec::new()),
    };
    let helpers = if javascript.contains("babelHelpers.") {
        typescript::HELPERS
    } else {
        ""
    };
    // Worklet locations name the .ts file: through the type step's map.
    let type_map = SourceMapData {
        steps: vec![type_step.clone()],
    };
    let locate = |offset: u32| {
        let (line, column) = text::line_column(&javascript, offset);
        type_map
            .original_position(line, column)
            .unwrap_or((line, column))
    };
    let context = worklet::Context {
        path,
        locate: &locate,
    };
    match esm::lower(&javascript, helpers, &context) {
        esm::Lowered::Unchanged(worklets) => (
            Transformed {
                code: javascript.clone(),
                source_map: Some(SourceMapData {
                    steps: vec![type_step],
                }),
                diagnostics: worklets.diagnostics,
            },
            worklets.infos,
        ),
        esm::Lowered::Rewritten(code, module_step, worklets) => (
            Transformed {
                code,
                source_map: Some(SourceMapData {
                    steps: vec![type_step, module_step],
                }),
                diagnostics: worklets.diagnostics,
            },
            worklets.infos,
        ),
        // oxc printed something it cannot parse back: report it at 1:1.
        esm::Lowered::Failed(errors) => {
            let mut failed = syntax_failure(path, &javascript, &errors);
            for diagnostic in &mut failed.diagnostics {
                diagnostic.line = 1;
                diagnostic.column = 1;
            }
            failed.source_map = Some(SourceMapData {
                steps: vec![throw_step(1, 1)],
            });
            (failed, Vec::new())
        }
    }
}

/// Diagnostics for parse errors, and code that throws the first one when
/// run, mapped so that its frame lands on the error's position.
fn syntax_failure(path: &str, source: &str, errors: &[OxcDiagnostic]) -> Transformed {
    let mut diagnostics: Vec<TransformDiagnostic> = errors
        .iter()
        .map(|error| {
            let offset = error.labels.first().map_or(0, |label| label.offset());
            let (line, column) = text::line_column(source, offset);
            TransformDiagnostic {
                file: path.to_owned(),
                line,
                column,
                message: format!("SyntaxError: {}", error.message),
                severity: Severity::Error,
            }
        })
        .collect();
    if diagnostics.is_empty() {
        diagnostics.push(TransformDiagnostic {
            file: path.to_owned(),
            line: 1,
            column: 1,
            message: "SyntaxError: the file could not be parsed".into(),
            severity: Severity::Error,
        });
    }
    let first = &diagnostics[0];
    let message = first
        .message
        .strip_prefix("SyntaxError: ")
        .unwrap_or(&first.message);
    let code = format!(
        "throw new SyntaxError({});",
        text::js_string(&format!(
            "{message} ({path}:{}:{})",
            first.line, first.column
        ))
    );
    let step = throw_step(first.line, first.column);
    Transformed {
        code,
        source_map: Some(SourceMapData { steps: vec![step] }),
        diagnostics,
    }
}

/// A map sending every position of a one-line `throw` to `line:column`.
fn throw_step(line: u32, column: u32) -> MapStep {
    MapStep {
        lines_kept: false,
        anchors: vec![Anchor {
            generated_line: 0,
            generated_column: 0,
            original_line: line.saturating_sub(1),
            original_column: column.saturating_sub(1),
            verbatim: false,
        }],
    }
}
