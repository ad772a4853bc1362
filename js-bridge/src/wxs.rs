//! WXS (<https://developers.weixin.qq.com/miniprogram/dev/reference/wxs/>): the scripts templates call, run in their own QuickJS
//! runtime, apart from the mini program's logic.
//!
//! [`WxsRuntime`] implements [`cirrus_template::WxsHost`]. Its context is
//! restricted: only the base objects, `Date`, `RegExp`, `JSON` and `Math`
//! exist (no `Promise`, no `Proxy`), and none of the logic thread's globals:
//! no `wx`, `getApp`, `getCurrentPages`, `Page`, `Component`, timers, nor a
//! `require` of `.js` files. WXS `require` loads other `.wxs` files only
//! (relative to the requiring file, or package-absolute). `getDate(...)` and
//! `getRegExp(pattern, flags)` are provided, and `console.log` etc. collect
//! lines for [`WxsRuntime::console_lines`].
//!
//! Modules are cached per file (per inline module: per WXML file and module
//! name): a module's code runs once, on first use. A module whose code
//! throws is not cached, so the next use retries it and reports again.
//!
//! Positions: a `.wxs` file is wrapped like a CommonJS module with the
//! wrapper's prefix on line 1 (see [`crate::script`]); an inline module is
//! padded with newlines so that its code sits on the WXML file's own lines.
//! Errors therefore name the `.wxs` (or `.wxml`) file, line and column.
//!
//! Every call is bounded by a watchdog (the logic thread's budget), so an
//! endless loop in WXS (or a backtracking regular expression: QuickJS's
//! regex engine polls the same interrupt handler) is interrupted and
//! reported like one in a handler. The runtime has its own heap and JS
//! stack limits ([`crate::js_limits`]), and its console keeps the last
//! [`crate::console::MAX_CONSOLE_LINES`] lines.
//!
//! Syntax: a module's code is checked against WXS's ES5-only subset
//! ([`crate::wxs_syntax`]) before it runs; a module that breaks it never
//! runs, and each use reports every violation at file:line:col. `Date` is
//! an object with `now`/`parse`/`UTC` only and `RegExp` is not a global, so
//! `getDate()`/`getRegExp()` are the only way to make dates and regexps.
//!
//! Values crossing into bindings follow WXS's types as JSON does: numbers,
//! strings, booleans, `null`, arrays and plain objects pass; functions never
//! reach the view (an exported function reads as undefined, one inside an
//! object is left out, one in an array becomes `null`); a date passes as
//! its ISO string and a regexp as `{}`.

use crate::script::{eval_named, JsFailure, MODULE_PREFIX};
use crate::wxs_syntax::check_wxs;
use crate::BridgeError;
use cirrus_package::package::{resolve_relative, Package};
use cirrus_protocol::Diagnostic;
use rquickjs::context::intrinsic;
use rquickjs::{Context, Ctx, Exception, Function, Object, Runtime, Value};
use std::cell::{Cell, RefCell};
use std::collections::{HashMap, VecDeque};
use std::rc::Rc;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The JS half: the module cache, `require`, `getDate`, `getRegExp`,
/// `console`. Runs once per runtime.
const PRELUDE: &str = r#"(function (global) {
  var native = global.__wxs_native;
  delete global.__wxs_native;
  var cache = Object.create(null);
  function load(path) {
    var cached = cache[path];
    if (cached) return cached.exports;
    var module = { exports: {} };
    cache[path] = module;
    try {
      var body = native.compile(path);
      body.call(null, function (target) {
        return load(native.resolve(path, String(target)));
      }, module, module.exports);
    } catch (e) {
      delete cache[path];
      throw e;
    }
    return module.exports;
  }
  var NativeDate = global.Date, NativeRegExp = global.RegExp;
  global.getDate = function () {
    var a = arguments;
    switch (a.length) {
      case 0: return new NativeDate();
      case 1: return new NativeDate(a[0]);
      default: return new NativeDate(a[0], a[1], a[2] || 1, a[3] || 0, a[4] || 0, a[5] || 0, a[6] || 0);
    }
  };
  global.getRegExp = function (pattern, flags) {
    return new NativeRegExp(pattern, flags);
  };
  // Dates and regexps are made with getDate/getRegExp only: `Date` keeps
  // its static functions, `RegExp` is not a WXS global.
  global.Date = { now: NativeDate.now, parse: NativeDate.parse, UTC: NativeDate.UTC };
  delete global.RegExp;
  function log(level) {
    return function () {
      var parts = [];
      for (var i = 0; i < arguments.length; i++) {
        var v = arguments[i];
        parts.push(typeof v === 'string' ? v : JSON.stringify(v));
      }
      native.console(level, parts.join(' '));
    };
  }
  global.console = { log: log('log'), info: log('info'), warn: log('warn'), error: log('error'), debug: log('debug') };
  return { load: load };
})(globalThis)"#;

/// Where a module's code comes from (inline modules are defined by the
/// template; files are read from the package).
struct InlineModule {
    wxml_file: String,
    source: String,
    first_line: u32,
}

struct Shared {
    package: Arc<Package>,
    inline: HashMap<String, InlineModule>,
    /// The last lines printed (a ring: see [`crate::console`]).
    console: VecDeque<String>,
    /// Lines pushed out of `console`.
    console_dropped: u64,
    /// Set by `compile` when a module breaks WXS's syntax; taken by
    /// `WxsRuntime::guarded` as the failed call's diagnostics.
    syntax_violations: Vec<Diagnostic>,
}

/// A restricted QuickJS runtime for one logic thread's WXS modules.
pub struct WxsRuntime {
    // Field order: the context must go before its runtime.
    context: Context,
    _runtime: Runtime,
    shared: Rc<RefCell<Shared>>,
    deadline: Rc<Cell<Option<Instant>>>,
    budget: Duration,
    /// The heap's allocator: whether it refused an allocation.
    heap: Rc<crate::heap_budget::HeapBudget>,
    /// Diagnostics of failed calls, for the logic thread to forward.
    diagnostics: Vec<Diagnostic>,
}

impl WxsRuntime {
    /// A runtime reading `.wxs` files from `package`; each call into WXS may
    /// run for `budget` before it is interrupted.
    pub fn new(package: Arc<Package>, budget: Duration) -> Result<WxsRuntime, BridgeError> {
        let (runtime, heap) = crate::js_limits::limited_runtime(
            crate::js_limits::WXS_MEMORY_LIMIT_BYTES,
            crate::js_limits::WXS_MAX_STACK_BYTES,
        )
        .map_err(|e| BridgeError::QuickJs(e.to_string()))?;
        let deadline: Rc<Cell<Option<Instant>>> = Rc::new(Cell::new(None));
        let handler_deadline = deadline.clone();
        runtime.set_interrupt_handler(Some(Box::new(move || {
            handler_deadline
                .get()
                .is_some_and(|deadline| Instant::now() > deadline)
        })));
        type Allowed = (
            intrinsic::Date,
            intrinsic::Eval,
            intrinsic::RegExpCompiler,
            intrinsic::RegExp,
            intrinsic::Json,
        );
        let context = Context::custom::<Allowed>(&runtime)
            .map_err(|e| BridgeError::QuickJs(e.to_string()))?;
        let shared = Rc::new(RefCell::new(Shared {
            package,
            inline: HashMap::new(),
            console: VecDeque::new(),
            console_dropped: 0,
            syntax_violations: Vec::new(),
        }));
        context.with(|ctx| -> Result<(), BridgeError> {
            let setup = || -> rquickjs::Result<()> {
                install_natives(&ctx, &shared)?;
                let loader: Object = eval_named(&ctx, PRELUDE, "<cirrus>/wxs.js", false)?
                    .into_object()
                    .ok_or_else(|| {
                        Exception::throw_type(&ctx, "the WXS prelude returned no object")
                    })?;
                ctx.globals().set("__wxs_loader", loader)?;
                Ok(())
            };
            setup().map_err(|e| BridgeError::Bootstrap(JsFailure::from_error(&ctx, e).message))
        })?;
        Ok(WxsRuntime {
            context,
            _runtime: runtime,
            shared,
            deadline,
            budget,
            heap,
            diagnostics: Vec::new(),
        })
    }

    /// What WXS printed with `console.*`, oldest first (the last
    /// [`crate::console::MAX_CONSOLE_LINES`], after a marker line when
    /// older ones were dropped).
    pub fn console_lines(&self) -> Vec<String> {
        let shared = self.shared.borrow();
        let marker = (shared.console_dropped > 0)
            .then(|| crate::console::dropped_marker(shared.console_dropped));
        marker
            .into_iter()
            .chain(shared.console.iter().cloned())
            .collect()
    }

    /// Diagnostics of failed calls since the last call (file:line:col of
    /// the WXS code).
    pub fn take_diagnostics(&mut self) -> Vec<Diagnostic> {
        std::mem::take(&mut self.diagnostics)
    }

    /// Runs `body` with the watchdog armed; a JS failure becomes a
    /// diagnostic (kept) and its text (returned).
    fn guarded<T>(
        &mut self,
        body: impl for<'js> FnOnce(&Ctx<'js>) -> rquickjs::Result<T>,
    ) -> Result<T, String> {
        self.deadline.set(Some(Instant::now() + self.budget));
        let package = self.shared.borrow().package.clone();
        let result = self.context.with(|ctx| {
            body(&ctx).map_err(|error| {
                let failure = JsFailure::from_error(&ctx, error);
                failure.to_diagnostic(&package)
            })
        });
        self.deadline.set(None);
        let violations = std::mem::take(&mut self.shared.borrow_mut().syntax_violations);
        if result.is_ok() {
            // A rejected `require` the module caught is still reported.
            self.diagnostics.extend(violations);
        } else if !violations.is_empty() {
            // The module was rejected before it ran: report where its code
            // breaks WXS's syntax, not where the rejection was thrown.
            let text = violations
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("\n");
            self.diagnostics.extend(violations);
            return Err(text);
        }
        let out_of_memory = self.heap.take_refusal();
        result.map_err(|mut diagnostic| {
            if out_of_memory && !crate::js_limits::is_out_of_memory(&diagnostic.message) {
                diagnostic.message =
                    format!("InternalError: out of memory ({})", diagnostic.message);
            }
            if diagnostic.message.contains("interrupted") {
                diagnostic.message = format!(
                    "{} (a WXS call ran longer than {} ms)",
                    diagnostic.message,
                    self.budget.as_millis()
                );
            } else {
                diagnostic.message = crate::js_limits::explain(
                    &diagnostic.message,
                    self.budget,
                    crate::js_limits::WXS_MEMORY_LIMIT_BYTES,
                );
            }
            let text = diagnostic.to_string();
            self.diagnostics.push(diagnostic);
            text
        })
    }
}

/// The module's exports object, loading it on first use.
fn module_exports<'js>(ctx: &Ctx<'js>, module_path: &str) -> rquickjs::Result<Object<'js>> {
    let loader: Object = ctx.globals().get("__wxs_loader")?;
    let load: Function = loader.get("load")?;
    let exports: Value = load.call((module_path,))?;
    exports
        .into_object()
        .ok_or_else(|| Exception::throw_type(ctx, &format!("{module_path} exports no object")))
}

fn to_js<'js>(ctx: &Ctx<'js>, value: &serde_json::Value) -> rquickjs::Result<Value<'js>> {
    ctx.json_parse(value.to_string())
}

fn from_js<'js>(ctx: &Ctx<'js>, value: Value<'js>) -> rquickjs::Result<Option<serde_json::Value>> {
    if value.is_undefined() || value.is_function() {
        return Ok(None);
    }
    match ctx.json_stringify(value)? {
        // Deeper than setData accepts, or unreadable: nothing reaches the view.
        Some(text) => Ok(crate::data_json::parse(
            &text.to_string()?,
            crate::data_json::MAX_SET_DATA_DEPTH,
        )
        .ok()),
        None => Ok(None),
    }
}

impl cirrus_template::WxsHost for WxsRuntime {
    fn call(
        &mut self,
        module_path: &str,
        function: &str,
        args: &[serde_json::Value],
    ) -> Result<serde_json::Value, String> {
        self.guarded(|ctx| {
            let exports = module_exports(ctx, module_path)?;
            let callee: Value = exports.get(function)?;
            let Some(callee) = callee.into_function() else {
                return Err(Exception::throw_type(
                    ctx,
                    &format!("{function} is not a function of {module_path}"),
                ));
            };
            let mut js_args = rquickjs::function::Args::new(ctx.clone(), args.len());
            js_args.this(exports.clone())?;
            for arg in args {
                js_args.push_arg(to_js(ctx, arg)?)?;
            }
            let result: Value = callee.call_arg(js_args)?;
            Ok(from_js(ctx, result)?.unwrap_or(serde_json::Value::Null))
        })
    }

    fn export(
        &mut self,
        module_path: &str,
        name: &str,
    ) -> Result<Option<serde_json::Value>, String> {
        self.guarded(|ctx| {
            let exports = module_exports(ctx, module_path)?;
            let value: Value = exports.get(name)?;
            from_js(ctx, value)
        })
    }

    fn define_inline(&mut self, module_path: &str, wxml_file: &str, source: &str, first_line: u32) {
        self.shared
            .borrow_mut()
            .inline
            .entry(module_path.to_owned())
            .or_insert_with(|| InlineModule {
                wxml_file: wxml_file.to_owned(),
                source: source.to_owned(),
                first_line: first_line.max(1),
            });
    }
}

/// A module's WXS source, where it sits and how QuickJS compiles it.
struct ModuleCode {
    /// The file its positions name (the `.wxml` file of an inline module).
    file: String,
    source: String,
    /// The line of `file` its first line is.
    first_line: u32,
    /// `source` wrapped like a CommonJS module, its lines kept in place.
    wrapped: String,
}

fn module_code(shared: &Shared, path: &str) -> Option<ModuleCode> {
    if let Some(inline) = shared.inline.get(path) {
        // Pad so the code sits on the WXML file's own lines.
        let padding = "\n".repeat(inline.first_line as usize - 1);
        return Some(ModuleCode {
            file: inline.wxml_file.clone(),
            source: inline.source.clone(),
            first_line: inline.first_line,
            wrapped: format!("{MODULE_PREFIX}{padding}{}\n}})", inline.source),
        });
    }
    let source = shared.package.read(path)?;
    Some(ModuleCode {
        file: path.to_owned(),
        source: source.to_owned(),
        first_line: 1,
        wrapped: crate::script::wrap_module(source),
    })
}

fn install_natives<'js>(ctx: &Ctx<'js>, shared: &Rc<RefCell<Shared>>) -> rquickjs::Result<()> {
    let native = Object::new(ctx.clone())?;
    let s = shared.clone();
    native.set(
        "compile",
        Function::new(
            ctx.clone(),
            move |ctx: Ctx<'js>, path: String| -> rquickjs::Result<Value<'js>> {
                let code = module_code(&s.borrow(), &path);
                let Some(code) = code else {
                    return Err(Exception::throw_message(
                        &ctx,
                        &format!("WXS module \"{path}\" is not defined"),
                    ));
                };
                // Code outside WXS's syntax never runs: its violations are
                // the call's diagnostics (see `WxsRuntime::guarded`).
                let violations = check_wxs(&code.file, &code.source, code.first_line);
                if !violations.is_empty() {
                    let message = format!(
                        "WXS module \"{path}\" is not valid WXS ({} problem(s))",
                        violations.len()
                    );
                    s.borrow_mut().syntax_violations = violations;
                    return Err(Exception::throw_syntax(&ctx, &message));
                }
                eval_named(&ctx, &code.wrapped, &code.file, false)
            },
        )?,
    )?;
    native.set(
        "resolve",
        Function::new(
            ctx.clone(),
            move |ctx: Ctx<'js>, from: String, target: String| -> rquickjs::Result<String> {
                if !target.ends_with(".wxs") {
                    return Err(Exception::throw_message(
                        &ctx,
                        &format!("WXS can only require .wxs files, not \"{target}\""),
                    ));
                }
                // An inline module resolves against its WXML file.
                let from_file = from.split('#').next().unwrap_or(&from);
                Ok(resolve_relative(from_file, &target))
            },
        )?,
    )?;
    let s = shared.clone();
    native.set(
        "console",
        Function::new(ctx.clone(), move |level: String, text: String| {
            let line = if level == "log" {
                text
            } else {
                format!("[{level}] {text}")
            };
            let shared = &mut *s.borrow_mut();
            crate::console::push_bounded(
                &mut shared.console,
                &mut shared.console_dropped,
                crate::console::truncate_line(line),
            );
        })?,
    )?;
    ctx.globals().set("__wxs_native", native)
}

#[cfg(test)]
mod tests {
    use super::*;
    use cirrus_template::WxsHost;
    use serde_json::json;

    fn runtime(files: &[(&str, &str)]) -> WxsRuntime {
        let (package, _) = Package::from_files(
            files
                .iter()
                .map(|(path, text)| (path.to_string(), text.to_string())),
        );
        WxsRuntime::new(package, Duration::from_millis(200)).expect("the WXS runtime starts")
    }

    #[test]
    fn wxs_runs_within_its_limits_and_survives_them() {
        let module = "module.exports.backtrack = function () { return getRegExp('(a+)+$').test('aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa' + 'b'); };\n\
            module.exports.hoard = function () { var a = []; for (;;) a.push(new Array(65536).fill(a.length)); };\n\
            module.exports.recurse = function r(n) { return r(n + 1) + 1; };\n\
            module.exports.log = function (n) { for (var i = 0; i < n; i++) console.log('line ' + i); return n; };\n\
            module.exports.ok = function () { return 'ok'; };";
        let mut wxs = runtime(&[("m.wxs", module)]);
        let backtrack = wxs.call("m.wxs", "backtrack", &[]);
        assert!(
            backtrack.as_ref().is_err_and(|e| e.contains("interrupted")),
            "{backtrack:?}"
        );
        let hoard = wxs.call("m.wxs", "hoard", &[]);
        assert!(
            hoard.as_ref().is_err_and(|e| e.contains("out of memory")),
            "{hoard:?}"
        );
        let recurse = wxs.call("m.wxs", "recurse", &[json!(0)]);
        assert!(
            recurse.as_ref().is_err_and(|e| e.contains("RangeError")),
            "{recurse:?}"
        );
        for diagnostic in wxs.take_diagnostics() {
            assert_eq!(diagnostic.file, "m.wxs", "{diagnostic}");
            assert!(diagnostic.line >= 1, "{diagnostic}");
        }
        assert_eq!(
            wxs.call(
                "m.wxs",
                "log",
                &[json!(crate::console::MAX_CONSOLE_LINES + 2)]
            ),
            Ok(json!(crate::console::MAX_CONSOLE_LINES + 2))
        );
        let console = wxs.console_lines();
        assert_eq!(console.len(), crate::console::MAX_CONSOLE_LINES + 1);
        assert!(
            console[0].contains("2 earlier line(s) dropped"),
            "{}",
            console[0]
        );
        assert_eq!(wxs.call("m.wxs", "ok", &[]), Ok(json!("ok")));
    }

    #[test]
    fn an_inline_module_exports_values_and_functions() {
        let mut wxs = runtime(&[("p.wxml", "")]);
        wxs.define_inline(
            "p.wxml#m1",
            "p.wxml",
            "var msg = \"hello world\";\nmodule.exports.message = msg;\nmodule.exports.getMax = function (a) { var m = a[0]; for (var i = 1; i < a.length; ++i) { if (a[i] > m) m = a[i]; } return m; };",
            1,
        );
        assert_eq!(
            wxs.export("p.wxml#m1", "message"),
            Ok(Some(json!("hello world")))
        );
        assert_eq!(
            wxs.call("p.wxml#m1", "getMax", &[json!([1, 2, 3, 4, 5, 1, 2, 3, 4])]),
            Ok(json!(5))
        );
    }

    #[test]
    fn src_modules_require_other_wxs_files_once() {
        let mut wxs = runtime(&[
            ("utils/a.wxs", "var b = require('./b.wxs');\nmodule.exports.twice = function (x) { return b.double(x) + '/' + b.loads; };"),
            ("utils/b.wxs", "var loads = 0; loads += 1; console.log('loading b');\nmodule.exports = { loads: loads, double: function (x) { return x * 2; } };"),
            ("pages/p.wxs", "var a = require('/utils/a.wxs'); module.exports.go = function (x) { return a.twice(x); };"),
        ]);
        assert_eq!(
            wxs.call("pages/p.wxs", "go", &[json!(21)]),
            Ok(json!("42/1"))
        );
        assert_eq!(
            wxs.call("utils/a.wxs", "twice", &[json!(1)]),
            Ok(json!("2/1"))
        );
        assert_eq!(wxs.console_lines(), vec!["loading b"], "b ran once");
    }

    #[test]
    fn wxs_has_no_logic_thread_globals_and_no_js_require() {
        let mut wxs = runtime(&[
            ("m.wxs", "module.exports.kinds = function () { return [typeof wx, typeof getApp, typeof setTimeout, typeof Promise, typeof getDate, typeof getRegExp, typeof Math, typeof JSON]; };\nmodule.exports.js = function () { return require('./util.js'); };"),
            ("util.js", "module.exports = 1;"),
        ]);
        assert_eq!(
            wxs.call("m.wxs", "kinds", &[]),
            Ok(json!([
                "undefined",
                "undefined",
                "undefined",
                "undefined",
                "function",
                "function",
                "object",
                "object"
            ]))
        );
        let error = wxs.call("m.wxs", "js", &[]).unwrap_err();
        assert!(error.contains("can only require .wxs files"), "{error}");
        let diagnostic = &wxs.take_diagnostics()[0];
        assert_eq!((diagnostic.file.as_str(), diagnostic.line), ("m.wxs", 2));
    }

    #[test]
    fn get_date_and_get_reg_exp_work() {
        let mut wxs = runtime(&[(
            "m.wxs",
            "module.exports.year = function () { return getDate(2020, 0, 15).getFullYear(); };\nmodule.exports.test = function (s) { return getRegExp('^a+$', 'i').test(s); };",
        )]);
        assert_eq!(wxs.call("m.wxs", "year", &[]), Ok(json!(2020)));
        assert_eq!(wxs.call("m.wxs", "test", &[json!("AAA")]), Ok(json!(true)));
    }

    #[test]
    fn a_syntax_error_is_reported_at_its_file_and_line() {
        let mut wxs = runtime(&[("bad.wxs", "var ok = 1;\nvar x = ;\n")]);
        assert!(wxs.call("bad.wxs", "f", &[]).is_err());
        let diagnostic = &wxs.take_diagnostics()[0];
        assert_eq!((diagnostic.file.as_str(), diagnostic.line), ("bad.wxs", 2));
        assert!(
            diagnostic.message.starts_with("SyntaxError"),
            "{diagnostic}"
        );
        // Inline modules are reported on the WXML file's lines.
        let mut wxs = runtime(&[(
            "p.wxml",
            "<view/>\n<wxs module=\"m\">\nvar y = 1;\nthrow new Error('boom');\n</wxs>",
        )]);
        wxs.define_inline(
            "p.wxml#m",
            "p.wxml",
            "\nvar y = 1;\nthrow new Error('boom');\n",
            2,
        );
        assert!(wxs.call("p.wxml#m", "f", &[]).is_err());
        let diagnostic = &wxs.take_diagnostics()[0];
        assert_eq!((diagnostic.file.as_str(), diagnostic.line), ("p.wxml", 4));
        assert_eq!(diagnostic.message.lines().next(), Some("Error: boom"));
    }

    #[test]
    fn a_module_outside_wxs_syntax_never_runs_and_reports_every_violation() {
        let mut wxs = runtime(&[
            (
                "bad.wxs",
                "console.log('ran');\nmodule.exports.f = function () { return 1; };\nvar pair = [1, 2], [a, b] = pair;\nclass Point {}\n",
            ),
            (
                "guard.wxs",
                "var loaded = 'no';\ntry { require('./bad.wxs'); loaded = 'yes'; } catch (e) {}\nmodule.exports.loaded = loaded;",
            ),
        ]);
        let error = wxs.call("bad.wxs", "f", &[]).unwrap_err();
        assert_eq!(
            error,
            "bad.wxs:3:20: error: destructuring is not WXS: read properties one by one\n\
             bad.wxs:4:1: error: classes are not WXS: use functions and objects"
        );
        assert!(wxs.console_lines().is_empty(), "the module never ran");
        let positions: Vec<(String, u32, u32)> = wxs
            .take_diagnostics()
            .into_iter()
            .map(|d| (d.file, d.line, d.column))
            .collect();
        assert_eq!(
            positions,
            vec![("bad.wxs".to_owned(), 3, 20), ("bad.wxs".to_owned(), 4, 1)]
        );
        // A module that catches the rejected require still runs, and the
        // violations are still reported.
        assert_eq!(wxs.export("guard.wxs", "loaded"), Ok(Some(json!("no"))));
        assert_eq!(wxs.take_diagnostics().len(), 2);
    }

    #[test]
    fn dates_and_regexps_come_from_get_date_and_get_reg_exp_only() {
        let mut wxs = runtime(&[(
            "m.wxs",
            "var D = Date;\nmodule.exports.kinds = function () { return [typeof Date.now(), typeof RegExp, typeof getRegExp('a').test]; };\nmodule.exports.indirect = function () { return new D(); };\nmodule.exports.epoch = function () { return getDate(0); };\nmodule.exports.pattern = function () { return getRegExp('a+', 'g'); };",
        )]);
        assert_eq!(
            wxs.call("m.wxs", "kinds", &[]),
            Ok(json!(["number", "undefined", "function"]))
        );
        let error = wxs.call("m.wxs", "indirect", &[]).unwrap_err();
        assert!(error.contains("TypeError"), "{error}");
        // Dates reach bindings as their ISO text, regexps as plain objects.
        assert_eq!(
            wxs.call("m.wxs", "epoch", &[]),
            Ok(json!("1970-01-01T00:00:00.000Z"))
        );
        assert_eq!(wxs.call("m.wxs", "pattern", &[]), Ok(json!({})));
    }

    #[test]
    fn an_endless_loop_in_wxs_is_interrupted() {
        let mut wxs = runtime(&[(
            "m.wxs",
            "module.exports.spin = function () { while (true) {} };\nmodule.exports.ok = function () { return 1; };",
        )]);
        let error = wxs.call("m.wxs", "spin", &[]).unwrap_err();
        assert!(error.contains("interrupted"), "{error}");
        assert_eq!(wxs.call("m.wxs", "ok", &[]), Ok(json!(1)), "still usable");
    }
}
