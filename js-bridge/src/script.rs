//! Compiling the mini program's own `.js` files, and turning JS exceptions
//! into [`Diagnostic`]s that name the mini program's file, line and column.
//!
//! Every package file is evaluated as the body of a CommonJS wrapper
//! function whose prefix sits on the file's first line, so line numbers in
//! stack traces are the file's own; only columns on line 1 are shifted, by
//! [`MODULE_PREFIX`]'s length, and [`locate`] takes that back off.
//! Scripts are evaluated through `JS_Eval` directly because rquickjs 0.9's
//! safe `eval` names every script `eval_script`.
//!
//! A file that was transformed first (ES modules, TypeScript: see
//! [`crate::modules`]) runs as different code; its frames are mapped back
//! through the transform's map, so diagnostics and printed traces name the
//! author's line and column.

use crate::modules;
use cirrus_package::compile_cache::CompileCache;
use cirrus_package::package::Package;
use cirrus_protocol::Diagnostic;
use cirrus_transform::{Severity, Transformed};
use rquickjs::{qjs, CaughtError, Context, Ctx, Exception, Runtime, Value};
use std::ffi::CString;

/// Opens the CommonJS wrapper (the file's text follows on the same line).
pub(crate) const MODULE_PREFIX: &str =
    "(function (require, module, exports, __filename, __dirname) {";
/// Closes it on a line of its own, so a trailing `//` comment cannot eat it.
const MODULE_SUFFIX: &str = "\n})";

/// A JS exception (or engine error) caught on the Rust side.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct JsFailure {
    /// `Name: message`, as `String(error)` would print it.
    pub message: String,
    /// The `stack` property (QuickJS format: `    at fn (file:line:col)`).
    pub stack: String,
}

impl JsFailure {
    /// Reads the pending exception behind `error`, if it is one.
    pub fn from_error(ctx: &Ctx<'_>, error: rquickjs::Error) -> JsFailure {
        match CaughtError::from_error(ctx, error) {
            CaughtError::Exception(exception) => from_exception(&exception),
            CaughtError::Value(value) => JsFailure {
                message: describe_thrown_value(ctx, &value),
                stack: String::new(),
            },
            CaughtError::Error(error) => JsFailure {
                message: error.to_string(),
                stack: String::new(),
            },
        }
    }

    /// Describes a thrown (or rejected-with) value.
    pub fn from_value<'js>(ctx: &Ctx<'js>, value: Value<'js>) -> JsFailure {
        match value
            .as_object()
            .and_then(|object| Exception::from_object(object.clone()))
        {
            Some(exception) => from_exception(&exception),
            None => JsFailure {
                message: describe_thrown_value(ctx, &value),
                stack: String::new(),
            },
        }
    }

    /// A diagnostic at the innermost stack frame that is a package file.
    pub fn to_diagnostic(&self, package: &Package) -> Diagnostic {
        let message = self.message_with_trace(package);
        let located = locate(&self.stack, |file| package.read(file).is_some())
            .map(|location| to_original(location, modules::original_position));
        match located {
            Some(location) => {
                let source = package.read(&location.file);
                diagnostic_at(location, source, &message)
            }
            None => Diagnostic::error("", 0, 0, &message),
        }
    }

    /// The message followed by the stack frames that lie in the mini
    /// program's own files (engine frames are noise to its author).
    fn message_with_trace(&self, package: &Package) -> String {
        let own_frames: Vec<&str> = self
            .stack
            .lines()
            .map(str::trim)
            .filter(|frame| frame.starts_with("at "))
            .filter(|frame| {
                let inside = frame
                    .rsplit_once('(')
                    .map(|(_, rest)| rest)
                    .unwrap_or(&frame[3..]);
                let file = inside.split(':').next().unwrap_or_default();
                package.read(file).is_some()
            })
            .collect();
        if own_frames.is_empty() {
            return self.message.clone();
        }
        let mut text = self.message.clone();
        for frame in own_frames {
            text.push_str("\n    ");
            text.push_str(&original_frame(frame, modules::original_position));
        }
        text
    }
}

fn from_exception(exception: &Exception<'_>) -> JsFailure {
    let object = exception.as_object();
    let name: Option<String> = object.get("name").ok();
    let message = exception.message().unwrap_or_default();
    let message = match name {
        Some(name) if !name.is_empty() => format!("{name}: {message}"),
        _ => message,
    };
    JsFailure {
        message,
        stack: exception.stack().unwrap_or_default(),
    }
}

/// `throw 'text'` or `throw {code: 1}`: describe the value as JS would print it.
fn describe_thrown_value<'js>(ctx: &Ctx<'js>, value: &Value<'js>) -> String {
    if let Some(text) = value.as_string().and_then(|s| s.to_string().ok()) {
        return format!("Uncaught {text}");
    }
    match ctx.json_stringify(value.clone()) {
        Ok(Some(json)) => format!("Uncaught {}", json.to_string().unwrap_or_default()),
        _ => format!("Uncaught {}", value.type_name()),
    }
}

/// Wraps a package file's source as a CommonJS function expression.
pub(crate) fn wrap_module(source: &str) -> String {
    let mut wrapped =
        String::with_capacity(MODULE_PREFIX.len() + source.len() + MODULE_SUFFIX.len());
    wrapped.push_str(MODULE_PREFIX);
    wrapped.push_str(source);
    wrapped.push_str(MODULE_SUFFIX);
    wrapped
}

/// Evaluates (or only compiles) `source` as a sloppy-mode global script
/// named `file_name` in stack traces. An exception is left pending in
/// `ctx` and reported as `Err(Error::Exception)`, as rquickjs does.
pub(crate) fn eval_named<'js>(
    ctx: &Ctx<'js>,
    source: &str,
    file_name: &str,
    compile_only: bool,
) -> rquickjs::Result<Value<'js>> {
    let Ok(source) = CString::new(source) else {
        return Err(Exception::throw_syntax(
            ctx,
            &format!("{file_name} contains a NUL character"),
        ));
    };
    let file_name = CString::new(file_name.replace('\0', "")).unwrap_or_default();
    let mut flags = qjs::JS_EVAL_TYPE_GLOBAL;
    if compile_only {
        flags |= qjs::JS_EVAL_FLAG_COMPILE_ONLY;
    }
    // SAFETY: both strings are NUL-terminated and outlive the call; the
    // returned value is owned by us and handed to `Value`, which frees it.
    let value = unsafe {
        let raw = qjs::JS_Eval(
            ctx.as_raw().as_ptr(),
            source.as_ptr(),
            source.as_bytes().len() as _,
            file_name.as_ptr(),
            flags as i32,
        );
        Value::from_raw(ctx.clone(), raw)
    };
    if value.is_exception() {
        return Err(rquickjs::Error::Exception);
    }
    Ok(value)
}

/// Where an error happened in a package file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Location {
    pub file: String,
    pub line: u32,
    pub column: u32,
    /// The frame is the parser's (`at file:line:col`, no function name):
    /// its column is unreliable (see [`syntax_error_column`]).
    pub from_parser: bool,
}

/// The innermost frame of `stack` whose file `is_package_file` accepts,
/// with the wrapper's line-1 offset removed.
pub(crate) fn locate(stack: &str, is_package_file: impl Fn(&str) -> bool) -> Option<Location> {
    let mut location = stack
        .lines()
        .filter_map(parse_frame)
        .find(|l| is_package_file(&l.file))?;
    if location.line == 1 {
        location.column = location
            .column
            .saturating_sub(MODULE_PREFIX.len() as u32)
            .max(1);
    }
    Some(location)
}

/// A location in running code moved to the author's file, when `lookup`
/// (file, line, column -> original line, column) knows the file.
pub(crate) fn to_original(
    mut location: Location,
    lookup: impl Fn(&str, u32, u32) -> Option<(u32, u32)>,
) -> Location {
    if let Some((line, column)) = lookup(&location.file, location.line, location.column) {
        location.line = line;
        location.column = column;
        // A parser frame's column is repaired against the source line; a
        // mapped one already is the author's.
        location.from_parser = false;
    }
    location
}

/// `at name (file:line:col)` with the position moved to the author's file
/// when the file was transformed; other frames as they are.
fn original_frame(frame: &str, lookup: impl Fn(&str, u32, u32) -> Option<(u32, u32)>) -> String {
    let Some(location) = locate(frame, |_| true) else {
        return frame.to_owned();
    };
    let Some((line, column)) = lookup(&location.file, location.line, location.column) else {
        return frame.to_owned();
    };
    let running = parse_frame(frame).map(|l| format!("{}:{}:{}", l.file, l.line, l.column));
    match running {
        Some(running) => frame.replacen(&running, &format!("{}:{line}:{column}", location.file), 1),
        None => frame.to_owned(),
    }
}

/// Parses `    at name (file:line:col)` or `    at file:line:col`.
fn parse_frame(frame: &str) -> Option<Location> {
    let rest = frame.trim_start().strip_prefix("at ")?;
    let (location, from_parser) = match (rest.rfind('('), rest.strip_suffix(')')) {
        (Some(open), Some(inner)) => (&inner[open + 1..], false),
        _ => (rest, true),
    };
    let (before_column, column) = location.rsplit_once(':')?;
    let (file, line) = before_column.rsplit_once(':')?;
    Some(Location {
        file: file.to_owned(),
        line: line.parse().ok()?,
        column: column.parse().ok()?,
        from_parser,
    })
}

/// QuickJS-ng 0.8 reports a syntax error's line correctly but not its
/// column (its parser does not keep the column of the offending token).
/// The message usually names the token (`unexpected token in expression:
/// ';'`): point at its first occurrence on the line, else at the line's
/// first non-blank character.
pub(crate) fn syntax_error_column(line_text: &str, message: &str) -> u32 {
    let quoted_token = message
        .strip_suffix('\'')
        .and_then(|m| m.rsplit_once(": '"))
        .map(|(_, token)| token);
    let byte_offset = quoted_token
        .filter(|token| !token.is_empty())
        .and_then(|token| line_text.find(token))
        .or_else(|| line_text.find(|c: char| !c.is_whitespace()))
        .unwrap_or(0);
    line_text[..byte_offset].chars().count() as u32 + 1
}

/// A diagnostic for `failure` at `location` in `source`, with the line
/// clamped to the file (an error at the very end, such as a missing `}`,
/// points past the wrapper's closing line) and a parser column repaired.
fn diagnostic_at(location: Location, source: Option<&str>, message: &str) -> Diagnostic {
    let Some(source) = source else {
        return Diagnostic::error(location.file, location.line, location.column, message);
    };
    let last_line = source.lines().count().max(1) as u32;
    let line = location.line.min(last_line);
    let line_text = source.lines().nth(line as usize - 1).unwrap_or_default();
    let column = if location.line > last_line {
        line_text.chars().count() as u32 + 1
    } else if location.from_parser {
        syntax_error_column(line_text, message)
    } else {
        location.column
    };
    Diagnostic::error(location.file, line, column, message)
}

/// Compiles (without running) every script of the package (`.js`, and
/// `.ts` but not `.d.ts`), after the load-time transform, and reports
/// syntax errors at their file:line:col. Used by `cirrus check`.
pub fn check_scripts(package: &Package) -> Vec<Diagnostic> {
    let runtime = match Runtime::new() {
        Ok(runtime) => runtime,
        Err(error) => {
            return vec![Diagnostic::error(
                "",
                0,
                0,
                format!("cannot start QuickJS: {error}"),
            )]
        }
    };
    let context = match Context::full(&runtime) {
        Ok(context) => context,
        Err(error) => {
            return vec![Diagnostic::error(
                "",
                0,
                0,
                format!("cannot start QuickJS: {error}"),
            )]
        }
    };
    let mut diagnostics = Vec::new();
    let cache = CompileCache::from_env();
    context.with(|ctx| {
        for path in package.paths().filter(|p| modules::is_script(p)) {
            let Some(source) = package.read(path) else {
                continue;
            };
            let transformed = modules::transform_cached(&cache, path, source);
            if transformed.has_errors() {
                diagnostics.extend(transform_diagnostics(&transformed));
                continue;
            }
            if let Err(error) = eval_named(&ctx, &wrap_module(&transformed.code), path, true) {
                let failure = JsFailure::from_error(&ctx, error);
                diagnostics.push(mapped_syntax_diagnostic(
                    path,
                    source,
                    &failure,
                    &transformed,
                ));
            }
        }
    });
    diagnostics
}

/// The transform's own diagnostics (oxc's syntax errors) as Cirrus's.
fn transform_diagnostics(transformed: &Transformed) -> impl Iterator<Item = Diagnostic> + '_ {
    transformed.diagnostics.iter().map(|d| {
        let diagnostic = Diagnostic::error(d.file.clone(), d.line, d.column, d.message.clone());
        match d.severity {
            Severity::Error => diagnostic,
            Severity::Warning => {
                Diagnostic::warning(d.file.clone(), d.line, d.column, d.message.clone())
            }
        }
    })
}

/// A compile error of the transformed code of `path`, located in `path`.
fn mapped_syntax_diagnostic(
    path: &str,
    source: &str,
    failure: &JsFailure,
    transformed: &Transformed,
) -> Diagnostic {
    if transformed.source_map.is_none() {
        return syntax_diagnostic(path, source, failure);
    }
    match locate(&failure.stack, |file| file == path) {
        Some(location) => {
            let location = to_original(location, |_, line, column| {
                transformed.original_position(line, column)
            });
            diagnostic_at(location, Some(source), &failure.message)
        }
        None => Diagnostic::error(path, 0, 0, &failure.message),
    }
}

/// A compile error of `path`, located in `path` itself.
pub(crate) fn syntax_diagnostic(path: &str, source: &str, failure: &JsFailure) -> Diagnostic {
    match locate(&failure.stack, |file| file == path) {
        Some(location) => diagnostic_at(location, Some(source), &failure.message),
        None => Diagnostic::error(path, 0, 0, &failure.message),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_with_and_without_function_names() {
        let stack = "    at foo (<cirrus>:3:4)\n    at onLoad (pages/a/a.js:5:11)\n    at pages/a/a.js:1:70\n";
        let location = locate(stack, |f| f.ends_with(".js"))
            .map(|l| (l.file, l.line, l.column, l.from_parser));
        assert_eq!(location, Some(("pages/a/a.js".into(), 5, 11, false)));
        let line_one = "    at pages/a/a.js:1:70\n";
        let expected_column = 70 - MODULE_PREFIX.len() as u32;
        let location = locate(line_one, |_| true).map(|l| (l.line, l.column, l.from_parser));
        assert_eq!(location, Some((1, expected_column, true)));
        assert_eq!(locate("    at setData (native)\n", |_| true), None);
    }

    #[test]
    fn syntax_error_column_points_at_the_named_token() {
        assert_eq!(
            syntax_error_column(
                "const broken = ;",
                "SyntaxError: unexpected token in expression: ';'"
            ),
            16
        );
        assert_eq!(
            syntax_error_column("  var = 1;", "SyntaxError: variable name expected"),
            3
        );
        assert_eq!(syntax_error_column("", "SyntaxError: x"), 1);
    }
}
