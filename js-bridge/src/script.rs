//! Compiling the mini program's own `.js` files, and turning JS exceptions
//! into [`Diagnostic`]s that name the mini program's file, line and column.
//!
//! Every package file is evaluated as the body of a CommonJS wrapper
//! function whose prefix sits on the file's first line, so line numbers in
//! stack traces are the file's own; only columns on line 1 are shifted, by
//! [`MODULE_PREFIX`]'s length, and [`locate`] takes that back off.
//! Scripts are evaluated through `JS_Eval` directly because rquickjs 0.9's
//! safe `eval` names every script `eval_script`.

use cirrus_engine::package::Package;
use cirrus_engine::Diagnostic;
use rquickjs::{qjs, CaughtError, Context, Ctx, Exception, Runtime, Value};
use std::ffi::CString;

/// Opens the CommonJS wrapper (the file's text follows on the same line).
pub(crate) const MODULE_PREFIX: &str = "(function (require, module, exports, __filename, __dirname) {";
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
            CaughtError::Value(value) => JsFailure { message: describe_thrown_value(ctx, &value), stack: String::new() },
            CaughtError::Error(error) => JsFailure { message: error.to_string(), stack: String::new() },
        }
    }

    /// A diagnostic at the innermost stack frame that is a package file.
    pub fn to_diagnostic(&self, package: &Package) -> Diagnostic {
        match locate(&self.stack, |file| package.read(file).is_some()) {
            Some((file, line, column)) => Diagnostic::error(file, line, column, &self.message),
            None => Diagnostic::error("", 0, 0, &self.message),
        }
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
    JsFailure { message, stack: exception.stack().unwrap_or_default() }
}

/// `throw 'text'` or `throw {code: 1}`: describe the value as JS would print it.
fn describe_thrown_value(ctx: &Ctx<'_>, value: &Value<'_>) -> String {
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
    let mut wrapped = String::with_capacity(MODULE_PREFIX.len() + source.len() + MODULE_SUFFIX.len());
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
        return Err(Exception::throw_syntax(ctx, &format!("{file_name} contains a NUL character")));
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

/// The innermost frame of `stack` whose file `is_package_file` accepts, as
/// (file, line, column) with the wrapper's line-1 offset removed.
pub(crate) fn locate(stack: &str, is_package_file: impl Fn(&str) -> bool) -> Option<(String, u32, u32)> {
    stack.lines().filter_map(parse_frame).find(|(file, _, _)| is_package_file(file)).map(|(file, line, column)| {
        let column = if line == 1 { column.saturating_sub(MODULE_PREFIX.len() as u32).max(1) } else { column };
        (file, line, column)
    })
}

/// Parses `    at name (file:line:col)` or `    at file:line:col`.
fn parse_frame(frame: &str) -> Option<(String, u32, u32)> {
    let rest = frame.trim_start().strip_prefix("at ")?;
    let location = match (rest.rfind('('), rest.strip_suffix(')')) {
        (Some(open), Some(inner)) => &inner[open + 1..],
        _ => rest,
    };
    let (before_column, column) = location.rsplit_once(':')?;
    let (file, line) = before_column.rsplit_once(':')?;
    Some((file.to_owned(), line.parse().ok()?, column.parse().ok()?))
}

/// Compiles (without running) every `.js` file of the package and reports
/// syntax errors at their file:line:col. Used by `cirrus check`.
pub fn check_scripts(package: &Package) -> Vec<Diagnostic> {
    let runtime = match Runtime::new() {
        Ok(runtime) => runtime,
        Err(error) => return vec![Diagnostic::error("", 0, 0, format!("cannot start QuickJS: {error}"))],
    };
    let context = match Context::full(&runtime) {
        Ok(context) => context,
        Err(error) => return vec![Diagnostic::error("", 0, 0, format!("cannot start QuickJS: {error}"))],
    };
    let mut diagnostics = Vec::new();
    context.with(|ctx| {
        for path in package.paths().filter(|p| p.ends_with(".js")) {
            let Some(source) = package.read(path) else { continue };
            if let Err(error) = eval_named(&ctx, &wrap_module(source), path, true) {
                let failure = JsFailure::from_error(&ctx, error);
                diagnostics.push(syntax_diagnostic(path, source, &failure));
            }
        }
    });
    diagnostics
}

/// A compile error of `path`, located in `path` itself. An error at the
/// very end (a missing `}`) points past the wrapper's closing line; it is
/// clamped to the file's last line.
pub(crate) fn syntax_diagnostic(path: &str, source: &str, failure: &JsFailure) -> Diagnostic {
    let last_line = source.lines().count().max(1) as u32;
    match locate(&failure.stack, |file| file == path) {
        Some((file, line, column)) if line > last_line => {
            let last_len = source.lines().last().map(|l| l.chars().count()).unwrap_or(0) as u32;
            Diagnostic::error(file, last_line, last_len + 1, &failure.message)
        }
        Some((file, line, column)) => Diagnostic::error(file, line, column, &failure.message),
        None => Diagnostic::error(path, 0, 0, &failure.message),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_with_and_without_function_names() {
        let stack = "    at foo (<cirrus>:3:4)\n    at onLoad (pages/a/a.js:5:11)\n    at pages/a/a.js:1:70\n";
        assert_eq!(locate(stack, |f| f.ends_with(".js")), Some(("pages/a/a.js".into(), 5, 11)));
        let line_one = "    at pages/a/a.js:1:70\n";
        let expected_column = 70 - MODULE_PREFIX.len() as u32;
        assert_eq!(locate(line_one, |_| true), Some(("pages/a/a.js".into(), 1, expected_column)));
        assert_eq!(locate("    at setData (native)\n", |_| true), None);
    }
}
