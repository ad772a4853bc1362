//! LESS compiled to WXSS, following lessc 4 (math: parens-division).
//!
//! Written by hand because no maintained Rust LESS compiler exists. It
//! covers what mini program projects use: variables (lazy, scoped, `@@`),
//! nesting and `&`, mixins (arguments, defaults, named, `@arguments`,
//! `!important`, guards, namespaces), operations with units, colour
//! functions, imports (`(reference)`), escapes, interpolation and `@media`
//! bubbling. Modules: `parser` (statements) and `expr` (values) build the
//! `ast`; `eval` walks it into `output` nodes, which print as CSS.

mod ast;
mod color;
mod eval;
mod expr;
mod functions;
mod named_colors;
mod output;
mod parser;
mod selector;
mod source;
mod value;

use std::collections::HashSet;

use ast::Stmt;
use source::SourceFile;

use crate::diagnostic::{Compiled, LangDiagnostic};
use crate::paths;

/// Compiles the `.less` package file at `path`; `read` loads imports.
pub fn compile_less(path: &str, source: &str, read: &dyn Fn(&str) -> Option<String>) -> Compiled {
    let path = paths::normalize(path);
    let mut diagnostics = Vec::new();
    let mut loaded = HashSet::from([path.clone()]);
    let file = SourceFile::new(&path, source);
    let statements = load(&file, read, &mut loaded, 0, &mut diagnostics);
    let nodes = eval::Evaluator::new(&mut diagnostics).evaluate(&statements, file.pos(0));
    let css = output::print(&output::hoist_media(nodes));
    Compiled { css, diagnostics }
}

/// How deeply `@import`s may chain (a imports b imports c...): 64. Each
/// file is loaded once, so this only bounds the loader's recursion over a
/// long chain of distinct files; real projects chain 2 or 3.
const MAX_IMPORT_DEPTH: usize = 64;

/// Parses a file and replaces its `@import`s with the imported statements
/// (each file once, so cycles end), or with plain CSS imports for
/// `.wxss`/`.css`. A file nested deeper than [`crate::MAX_NESTING`] is
/// reported and contributes nothing (the parser recurses per level).
fn load(
    file: &SourceFile,
    read: &dyn Fn(&str) -> Option<String>,
    loaded: &mut HashSet<String>,
    import_depth: usize,
    diagnostics: &mut Vec<LangDiagnostic>,
) -> Vec<Stmt> {
    if let Some(at) = crate::nesting::too_deep_at(&file.text) {
        diagnostics.push(parser::error_at(
            file.pos(at),
            crate::nesting::too_deep_message(),
        ));
        return Vec::new();
    }
    let statements = parser::parse(file, diagnostics);
    let mut out = Vec::new();
    for statement in statements {
        let Stmt::Import {
            target,
            options,
            pos,
        } = statement
        else {
            out.push(statement);
            continue;
        };
        let is_css = options.iter().any(|o| o == "css")
            || paths::is_plain_css_import(&target)
            || target.starts_with("http://")
            || target.starts_with("https://");
        if is_css {
            out.push(Stmt::AtStatement {
                text: format!("@import \"{target}\""),
                reference: false,
            });
            continue;
        }
        let resolved = paths::resolve(&file.path, &target);
        let candidates = [resolved.clone(), format!("{resolved}.less")];
        let found = candidates
            .iter()
            .find_map(|candidate| read(candidate).map(|text| (candidate.clone(), text)));
        let Some((import_path, text)) = found else {
            diagnostics.push(parser::error_at(
                pos,
                format!(
                    "cannot find the imported file `{target}` (tried {})",
                    candidates.join(", ")
                ),
            ));
            continue;
        };
        if !loaded.insert(import_path.clone()) {
            continue;
        }
        if import_depth >= MAX_IMPORT_DEPTH {
            diagnostics.push(parser::error_at(
                pos,
                format!(
                    "`@import`s chain more than {MAX_IMPORT_DEPTH} files deep; `{target}` is not imported"
                ),
            ));
            continue;
        }
        let imported = load(
            &SourceFile::new(&import_path, &text),
            read,
            loaded,
            import_depth + 1,
            diagnostics,
        );
        if options.iter().any(|o| o == "reference") {
            out.extend(imported.into_iter().filter_map(mark_reference));
        } else {
            out.extend(imported);
        }
    }
    out
}

/// Makes a statement from a `(reference)` import invisible unless a mixin
/// call pulls it in; comments from such files are dropped.
fn mark_reference(statement: Stmt) -> Option<Stmt> {
    Some(match statement {
        Stmt::Comment(_) => return None,
        Stmt::Rule {
            selector,
            guard,
            body,
            pos,
            ..
        } => Stmt::Rule {
            selector,
            guard,
            body,
            reference: true,
            pos,
        },
        Stmt::Media {
            keyword,
            params,
            body,
            pos,
            ..
        } => Stmt::Media {
            keyword,
            params,
            body,
            reference: true,
            pos,
        },
        Stmt::AtBlock {
            prelude, body, pos, ..
        } => Stmt::AtBlock {
            prelude,
            body,
            reference: true,
            pos,
        },
        Stmt::AtStatement { text, .. } => Stmt::AtStatement {
            text,
            reference: true,
        },
        other => other,
    })
}
