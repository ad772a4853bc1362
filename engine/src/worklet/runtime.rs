//! The UI context: a small QuickJS runtime owned by the render thread, in
//! which worklets run in the frame of the input or the clock tick that
//! drives them, never waiting for the logic thread.
//!
//! What crosses between the threads is JSON with markers (made by the logic
//! thread's `wx.worklet`, materialised by `runtime.js`):
//!
//! | marker | becomes, on the UI thread |
//! | --- | --- |
//! | `{"__cirrusShared": id}` | the shared value `id` (`.value` reads and writes it) |
//! | `{"__cirrusWorklet": {hash, source, location, closure}}` | the worklet, rebuilt: `source` is a factory taking the materialised `closure` and returning the function; `location` (`file:line:column`) is where the author wrote it |
//! | `{"__cirrusRemote": {id, name}}` | a JS-thread function a worklet captured: only `runOnJS(f)(...)` calls it (directly, it throws naming `name`) |
//! | `{"__cirrusBuiltin": name}` | a `wx.worklet` built-in (`timing`, `spring`, `Easing`, `runOnJS`, ...) |
//! | `{"__cirrusAnimation": {name, args}}` | an animation made on the JS thread (`sv.value = timing(100)` in a page method), built here |
//!
//! Captured objects are frozen. Worklet sources are compiled once per hash,
//! at their author's line and column (the source is padded so QuickJS's
//! positions are the file's), so an error names the original place.
//!
//! Limits: every call into the context runs under a deadline
//! ([`FRAME_BUDGET`], enforced by QuickJS's interrupt handler), so a worklet
//! that never returns costs one frame's budget and an error, and the render
//! thread goes on; the heap is limited to [`MEMORY_LIMIT_BYTES`] and the
//! stack to [`STACK_BYTES`].

use super::animations;
use crate::Diagnostic;
use rquickjs::context::EvalOptions;
use rquickjs::{CaughtError, Context, Ctx, Function, Object, Runtime};
use serde_json::Value;
use std::cell::Cell;
use std::rc::Rc;
use std::time::{Duration, Instant};

/// How long worklet code may run within one call (a frame's timers,
/// animations and mappers together, or one dispatched worklet). A frame
/// at 60 Hz has 16 ms in all; a worklet past this is stopped with an
/// error instead of freezing the UI.
pub const FRAME_BUDGET: Duration = Duration::from_millis(50);

/// The UI context's heap: worklets hold a few shared values, closures and
/// animation states; 32 MiB is far above that and stops a runaway.
pub const MEMORY_LIMIT_BYTES: usize = 32 << 20;

/// The UI context's JS stack (the render thread's own stack is larger).
pub const STACK_BYTES: usize = 1 << 20;

/// The runtime half written in JS.
const RUNTIME_JS: &str = include_str!("runtime.js");
const RUNTIME_FILE: &str = "cirrus:worklet/runtime.js";

/// What one frame of the UI context produced.
#[derive(Debug, Default, PartialEq)]
pub struct WorkletFrame {
    /// Shared values written on the UI thread (by worklets or animations),
    /// for the logic thread's mirror: `(id, value)`.
    pub shared: Vec<(u64, Value)>,
    /// Mapper outputs that changed (an animated style's new style object).
    pub outputs: Vec<(u64, Value)>,
    /// `runOnJS` calls: `(remote function id, arguments)`.
    pub js_calls: Vec<(u64, Value)>,
    /// Errors of worklets, located at their author's file, line and column.
    pub errors: Vec<Diagnostic>,
}

pub struct WorkletRuntime {
    // Declared before `runtime`: the context is dropped first.
    context: Context,
    _runtime: Runtime,
    deadline: Rc<Cell<Option<Instant>>>,
    /// Errors of calls made between frames (dispatches, mappers added),
    /// reported with the next frame.
    pending_errors: Vec<Diagnostic>,
}

impl WorkletRuntime {
    /// Creates the UI context with the animation library and the runtime.
    pub fn new() -> Result<WorkletRuntime, String> {
        let runtime = Runtime::new().map_err(|e| e.to_string())?;
        runtime.set_memory_limit(MEMORY_LIMIT_BYTES);
        runtime.set_max_stack_size(STACK_BYTES);
        let deadline: Rc<Cell<Option<Instant>>> = Rc::new(Cell::new(None));
        let handler_deadline = deadline.clone();
        runtime.set_interrupt_handler(Some(Box::new(move || {
            handler_deadline
                .get()
                .is_some_and(|deadline| Instant::now() > deadline)
        })));
        let context = Context::full(&runtime).map_err(|e| e.to_string())?;
        context.with(|ctx| -> Result<(), String> {
            let failure = |ctx: &Ctx<'_>, e| describe(ctx, e).message;
            animations::install(&ctx).map_err(|e| failure(&ctx, e))?;
            let compile = Function::new(ctx.clone(), compile_worklet).map_err(|e| e.to_string())?;
            ctx.globals()
                .set("__cirrusCompile", compile)
                .map_err(|e| e.to_string())?;
            let mut options = EvalOptions::default();
            options.global = true;
            options.strict = true;
            options.filename = Some(RUNTIME_FILE.to_owned());
            ctx.eval_with_options::<(), _>(RUNTIME_JS, options)
                .map_err(|e| failure(&ctx, e))
        })?;
        Ok(WorkletRuntime {
            context,
            _runtime: runtime,
            deadline,
            pending_errors: Vec::new(),
        })
    }

    /// The logic thread set shared value `id` (JSON with markers; an
    /// animation starts at `now_ms`).
    pub fn set_shared(&mut self, id: u64, value: &Value, now_ms: f64) {
        let json = value.to_string();
        self.call("setTime", (now_ms,));
        self.call("setShared", (id, json));
    }

    /// Runs a worklet (`runOnUI(f)(...args)` from the logic thread, or a
    /// handler the engine calls): `worklet` and `args` are JSON with
    /// markers. Errors are reported with the next frame.
    pub fn run(&mut self, worklet: &Value, args: &Value, now_ms: f64) {
        self.call("setTime", (now_ms,));
        self.call("run", (worklet.to_string(), args.to_string()));
    }

    /// Runs a worklet that answers (`worklet:should-accept-gesture`,
    /// `worklet:adjust-deceleration-velocity`) and returns its answer;
    /// `None` when it threw or ran out of time (the error is reported with
    /// the next frame).
    pub fn ask(&mut self, worklet: &Value, args: &Value, now_ms: f64) -> Option<Value> {
        self.call("setTime", (now_ms,));
        let answer = self.call("ask", (worklet.to_string(), args.to_string()))?;
        serde_json::from_str(&answer).ok()
    }

    /// Registers mapper `id`: `worklet` runs now and again whenever a
    /// shared value it read changes; its result is assigned to shared
    /// value `target` (`derived`) or, without one, is an output of
    /// [`frame`](Self::frame) (an animated style). The first output comes
    /// with the next frame.
    pub fn add_mapper(&mut self, id: u64, worklet: &Value, target: Option<u64>, now_ms: f64) {
        self.call("setTime", (now_ms,));
        self.call("addMapper", (id, worklet.to_string(), target));
    }

    pub fn remove_mapper(&mut self, id: u64) {
        self.call("removeMapper", (id,));
    }

    /// One frame at `now_ms`: due UI timers, running animations, then the
    /// mappers whose inputs changed; returns what it produced.
    pub fn frame(&mut self, now_ms: f64) -> WorkletFrame {
        self.call("frame", (now_ms,));
        let taken = self.call("take", ()).unwrap_or_default();
        let mut frame = parse_frame(&taken);
        frame.errors.splice(0..0, self.pending_errors.drain(..));
        frame
    }

    /// Whether an animation or a UI timer still runs (the host keeps
    /// drawing frames while it does).
    pub fn is_busy(&mut self) -> bool {
        self.call("isBusy", ()).is_some_and(|busy| busy == "true")
    }

    /// Calls `__cirrusUi[name](...args)` within the frame budget; an error
    /// becomes a located diagnostic. Returns the result as text (JSON
    /// strings as they are, other values `String()`ed).
    fn call<A>(&mut self, name: &str, args: A) -> Option<String>
    where
        A: for<'js> rquickjs::function::IntoArgs<'js>,
    {
        self.deadline.set(Some(Instant::now() + FRAME_BUDGET));
        let result = self.context.with(|ctx| {
            let outcome = (|| {
                let ui: Object = ctx.globals().get("__cirrusUi")?;
                let function: Function = ui.get(name)?;
                let value: rquickjs::Value = function.call(args)?;
                let text = match value.as_string() {
                    Some(text) => text.to_string().ok(),
                    None => value.as_bool().map(|flag| flag.to_string()),
                };
                Ok::<_, rquickjs::Error>(text)
            })();
            outcome.map_err(|e| describe(&ctx, e))
        });
        self.deadline.set(None);
        match result {
            Ok(text) => text,
            Err(failure) => {
                self.pending_errors.push(failure.into_diagnostic());
                None
            }
        }
    }
}

/// `__cirrusCompile(source, location)`: evaluates a worklet's factory at
/// its author's position. The source is padded with the lines and columns
/// before it, so QuickJS's stack positions are the original file's.
fn compile_worklet<'js>(
    ctx: Ctx<'js>,
    source: String,
    location: String,
) -> rquickjs::Result<Function<'js>> {
    let (file, line, column) = split_location(&location);
    let mut padded = String::with_capacity(source.len() + line as usize + column as usize + 2);
    for _ in 1..line {
        padded.push('\n');
    }
    // The `(` takes one column.
    for _ in 2..column.max(2) {
        padded.push(' ');
    }
    padded.push('(');
    padded.push_str(&source);
    padded.push_str("\n)");
    let mut options = EvalOptions::default();
    // A script (not a module): its value is the factory.
    options.global = true;
    options.strict = true;
    options.filename = Some(file.to_owned());
    ctx.eval_with_options(padded, options)
}

/// `file:line:column` (1-based), tolerating a file name with colons.
fn split_location(location: &str) -> (&str, u32, u32) {
    let mut parts = location.rsplitn(3, ':');
    let column = parts.next().and_then(|c| c.parse().ok());
    let line = parts.next().and_then(|l| l.parse().ok());
    match (parts.next(), line, column) {
        (Some(file), Some(line), Some(column)) => (file, line, column),
        _ => (location, 1, 1),
    }
}

/// A JS error caught on the Rust side.
struct Failure {
    message: String,
    stack: String,
}

impl Failure {
    /// A diagnostic at the innermost stack frame in the package's files
    /// (not the runtime's own `cirrus:` sources).
    fn into_diagnostic(self) -> Diagnostic {
        let located = self.stack.lines().find_map(|frame| {
            let frame = frame.trim().strip_prefix("at ")?;
            let inside = frame
                .rsplit_once('(')
                .map_or(frame, |(_, rest)| rest.trim_end_matches(')'));
            let (file, line, column) = split_location(inside);
            (!file.starts_with("cirrus:") && !file.is_empty() && line > 0)
                .then(|| (file.to_owned(), line, column))
        });
        let message = format!("worklet: {}", self.message);
        match located {
            Some((file, line, column)) => Diagnostic::error(&file, line, column, &message),
            None => Diagnostic::error("", 0, 0, &message),
        }
    }
}

fn describe(ctx: &Ctx<'_>, error: rquickjs::Error) -> Failure {
    match CaughtError::from_error(ctx, error) {
        CaughtError::Exception(exception) => {
            let name: Option<String> = exception.as_object().get("name").ok();
            let message = exception.message().unwrap_or_default();
            Failure {
                message: match name {
                    Some(name) if !name.is_empty() => format!("{name}: {message}"),
                    _ => message,
                },
                stack: exception.stack().unwrap_or_default(),
            }
        }
        CaughtError::Value(value) => Failure {
            message: format!("Uncaught {}", value.type_name()),
            stack: String::new(),
        },
        CaughtError::Error(error) => Failure {
            message: error.to_string(),
            stack: String::new(),
        },
    }
}

fn parse_frame(taken: &str) -> WorkletFrame {
    let Ok(Value::Object(mut taken)) = serde_json::from_str::<Value>(taken) else {
        return WorkletFrame::default();
    };
    let mut pairs = |key: &str| -> Vec<(u64, Value)> {
        match taken.remove(key) {
            Some(Value::Array(items)) => items
                .into_iter()
                .filter_map(|item| match item {
                    Value::Array(mut pair) if pair.len() == 2 => {
                        let value = pair.pop()?;
                        Some((pair[0].as_u64()?, value))
                    }
                    _ => None,
                })
                .collect(),
            _ => Vec::new(),
        }
    };
    WorkletFrame {
        shared: pairs("shared"),
        outputs: pairs("outputs"),
        js_calls: pairs("calls"),
        errors: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn locations_split_from_the_right() {
        assert_eq!(split_location("pages/a/a.js:12:5"), ("pages/a/a.js", 12, 5));
        assert_eq!(split_location("odd"), ("odd", 1, 1));
    }

    #[test]
    fn a_frame_reads_back_its_pairs() {
        let frame =
            parse_frame(r#"{"shared":[[1,2.5]],"outputs":[[7,{"opacity":1}]],"calls":[[3,[1]]]}"#);
        assert_eq!(frame.shared, vec![(1, json!(2.5))]);
        assert_eq!(frame.outputs, vec![(7, json!({"opacity": 1}))]);
        assert_eq!(frame.js_calls, vec![(3, json!([1]))]);
    }
}
