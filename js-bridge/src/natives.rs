//! The Rust functions bootstrap.js reaches through `__native`, and the
//! state they share with the logic loop.
//!
//! Invariant: nothing holds a `RefCell` borrow of [`Shared`] while JS runs.
//! Natives borrow, do their work, and release before returning; the loop
//! borrows only between calls into JS.

use crate::console::{ConsoleBuffer, ConsoleLevel};
use crate::script::{eval_named, wrap_module, JsFailure};
use crate::timers::{Millis, TimerQueue};
use crate::view::PageView;
use cirrus_layout::Viewport;
use cirrus_package::package::{normalize, resolve_relative, Package};
use cirrus_protocol::messages::ToRender;
use cirrus_protocol::ops::PageId;
use cirrus_protocol::Diagnostic;
use crossbeam::channel::Sender;
use rquickjs::{Ctx, Function, Object, Value};
use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;
use std::time::Instant;

/// A page on the stack: its id and template view.
pub(crate) struct PageRecord {
    pub id: PageId,
    pub view: PageView,
}

/// Where "now" comes from for timers scheduled by JS.
pub(crate) enum TimeSource {
    Real(Instant),
    /// The virtual time of the timer being fired (or the clock's time
    /// between timers).
    Virtual(Millis),
}

pub(crate) struct Shared {
    pub package: Arc<Package>,
    pub to_render: Sender<ToRender>,
    pub viewport: Viewport,
    pub time: TimeSource,
    pub timers: TimerQueue,
    pub pages: Vec<PageRecord>,
    pub console: ConsoleBuffer,
    /// `worklet:*` attributes seen in ops sent this turn: their handlers
    /// go to the render thread at the end of the turn (logic.rs).
    pub worklet_attributes: RefCell<Vec<WorkletAttribute>>,
}

/// A `worklet:NAME="method"` attribute set on `node` of `page`.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct WorkletAttribute {
    pub page: u32,
    pub node: u32,
    pub event: String,
    pub method: String,
}

/// The worklet an attribute binds, by the name the render thread knows it
/// under, kebab case: `worklet:NAME` (the template parser hands the name
/// over camel-cased: `shouldResponseOnMove`), and the legacy spellings of
/// Skyline's first gesture API, written without the prefix, in camel or
/// kebab case (`onGestureEvent`, `should-response-on-move`,
/// `adjustDecelerationVelocity`, ...).
fn worklet_event(attribute: &str) -> Option<String> {
    let (prefixed, name) = match attribute.strip_prefix("worklet:") {
        Some(name) => (true, name),
        None => (false, attribute),
    };
    let kebab = cirrus_template::camel_to_dash(name);
    match kebab.as_str() {
        "on-gesture-event" | "ongesture" => Some("ongesture".to_owned()),
        "should-accept-gesture" | "should-response-on-move" | "adjust-deceleration-velocity" => {
            Some(kebab)
        }
        _ if prefixed => Some(kebab),
        _ => None,
    }
}

impl Shared {
    pub fn now(&self) -> Millis {
        match self.time {
            TimeSource::Real(start) => {
                u64::try_from(start.elapsed().as_millis()).unwrap_or(u64::MAX)
            }
            TimeSource::Virtual(now) => now,
        }
    }

    /// Sends to the render thread. A render thread that has gone away is
    /// not the logic thread's problem: the host will shut us down.
    pub fn send(&self, message: ToRender) {
        if let ToRender::Ops(batch) = &message {
            self.note_worklet_attributes(batch);
        }
        let _ = self.to_render.send(message);
    }

    fn note_worklet_attributes(&self, batch: &cirrus_protocol::ops::OpBatch) {
        for op in &batch.ops {
            if let cirrus_protocol::ops::Op::SetAttribute { id, name, value } = op {
                let (Some(event), Some(method)) = (worklet_event(name), value.as_str()) else {
                    continue;
                };
                if method.is_empty() {
                    continue;
                }
                self.worklet_attributes.borrow_mut().push(WorkletAttribute {
                    page: batch.page.0,
                    node: id.0,
                    event,
                    method: method.to_owned(),
                });
            }
        }
    }

    /// Hands a diagnostic to the render thread (the overlay); the host
    /// decides whether to print it, so it is printed once.
    pub fn report(&self, diagnostic: Diagnostic) {
        self.send(ToRender::Error(diagnostic));
    }
}

/// Installs `globalThis.__native`, which bootstrap.js captures and deletes.
pub(crate) fn install<'js>(ctx: &Ctx<'js>, shared: &Rc<RefCell<Shared>>) -> rquickjs::Result<()> {
    let native = Object::new(ctx.clone())?;

    let s = shared.clone();
    native.set(
        "log",
        Function::new(ctx.clone(), move |level: String, text: String| {
            s.borrow()
                .console
                .push(ConsoleLevel::from_name(&level), text);
        })?,
    )?;

    let s = shared.clone();
    native.set(
        "setTimer",
        Function::new(ctx.clone(), move |id: u32, delay: f64, repeat: bool| {
            let mut shared = s.borrow_mut();
            let now = shared.now();
            // NaN, negative and fractional delays behave as in browsers.
            let delay = if delay.is_finite() && delay > 0.0 {
                delay as Millis
            } else {
                0
            };
            shared.timers.schedule(id, now, delay, repeat);
        })?,
    )?;

    let s = shared.clone();
    native.set(
        "clearTimer",
        Function::new(ctx.clone(), move |id: u32| {
            s.borrow_mut().timers.cancel(id);
        })?,
    )?;

    let s = shared.clone();
    native.set(
        "viewport",
        Function::new(ctx.clone(), move || {
            let v = s.borrow().viewport;
            vec![v.width.0 as f64, v.height.0 as f64, v.dpr as f64]
        })?,
    )?;

    let s = shared.clone();
    native.set(
        "hasModule",
        Function::new(ctx.clone(), move |path: String| {
            crate::modules::module_file(&s.borrow().package, &path).is_some()
        })?,
    )?;

    let s = shared.clone();
    native.set(
        "moduleFile",
        Function::new(ctx.clone(), move |path: String| {
            crate::modules::module_file(&s.borrow().package, &path)
        })?,
    )?;

    let s = shared.clone();
    native.set(
        "resolveModule",
        Function::new(ctx.clone(), move |from: String, target: String| {
            resolve_module(&s.borrow().package, &from, &target)
        })?,
    )?;

    let s = shared.clone();
    native.set(
        "compileModule",
        Function::new(
            ctx.clone(),
            move |ctx: Ctx<'js>, path: String| -> rquickjs::Result<Value<'js>> {
                // The package is shared (Arc): no borrow is held while JS runs.
                let package = s.borrow().package.clone();
                let code = package
                    .read(&path)
                    .filter(|_| crate::modules::is_script(&path))
                    .map(|source| wrap_module(&crate::modules::load(&path, source).code));
                match code {
                    Some(code) => eval_named(&ctx, &code, &path, false),
                    None => Err(rquickjs::Exception::throw_message(
                        &ctx,
                        &format!("module \"{path}\" is not defined"),
                    )),
                }
            },
        )?,
    )?;

    let s = shared.clone();
    native.set(
        "setData",
        Function::new(
            ctx.clone(),
            move |page: u32, keys_json: String, value_texts: Vec<String>| -> String {
                set_data(&s, PageId(page), &keys_json, value_texts)
            },
        )?,
    )?;

    let s = shared.clone();
    native.set(
        "reportError",
        Function::new(ctx.clone(), move |message: String, stack: String| {
            let shared = s.borrow();
            let diagnostic = JsFailure { message, stack }.to_diagnostic(&shared.package);
            shared.report(diagnostic);
        })?,
    )?;

    // A problem that does not stop the caller (a refused setData key),
    // located like an error by the caller's stack.
    let s = shared.clone();
    native.set(
        "reportWarning",
        Function::new(ctx.clone(), move |message: String, stack: String| {
            let shared = s.borrow();
            let mut diagnostic = JsFailure { message, stack }.to_diagnostic(&shared.package);
            diagnostic.severity = cirrus_protocol::diagnostics::Severity::Warning;
            shared.report(diagnostic);
        })?,
    )?;

    ctx.globals().set("__native", native)
}

/// The package path `target` names when required from `from`: relative
/// (`./x`, `../x`), package-absolute (`/x`), or bare (`utils/x`: relative
/// first, then from the package root, then `miniprogram_npm/`, where a
/// package's folder is entered through its package.json `main`, else
/// `index`). `.js` and `/index.js` are optional; a `.ts` file stands for
/// the `.js` of the same name when there is none (`.d.ts` never does).
pub(crate) fn resolve_module(package: &Package, from: &str, target: &str) -> Option<String> {
    let explicit = target.starts_with("./") || target.starts_with("../") || target.starts_with('/');
    let mut bases = vec![resolve_relative(from, target)];
    if !explicit {
        bases.push(normalize(target));
        // As the devtools resolve npm packages: the `miniprogram_npm/` of
        // the requiring file's folder, then of each folder above it (a
        // package ships its own dependencies this way, e.g. TDesign's
        // `miniprogram_npm/tslib`), up to the package root's.
        for folder in ancestor_folders(from) {
            let npm = normalize(&format!("{folder}/miniprogram_npm/{target}"));
            if let Some(main) = npm_main(package, &npm) {
                bases.push(main);
            }
            bases.push(npm);
        }
    }
    bases.into_iter().find_map(|base| {
        let stem = base.strip_suffix(".js").unwrap_or(&base).to_owned();
        [
            base.clone(),
            format!("{stem}.js"),
            format!("{base}/index.js"),
        ]
        .into_iter()
        .find_map(|candidate| crate::modules::module_file(package, &candidate))
    })
}

/// The folders containing `file`, nearest first, ending with the root (`""`).
fn ancestor_folders(file: &str) -> Vec<String> {
    let file = normalize(file);
    let mut folders = Vec::new();
    let mut rest = file.as_str();
    while let Some((folder, _)) = rest.rsplit_once('/') {
        // Never look inside a `miniprogram_npm/` folder itself for another one.
        if !folder.ends_with("miniprogram_npm") {
            folders.push(folder.to_owned());
        }
        rest = folder;
    }
    folders.push(String::new());
    folders
}

/// `folder/<main>` when `folder/package.json` names a `main`.
fn npm_main(package: &Package, folder: &str) -> Option<String> {
    let manifest = package.read(&format!("{folder}/package.json"))?;
    let manifest: serde_json::Value = serde_json::from_str(manifest).ok()?;
    let main = manifest.get("main")?.as_str()?;
    Some(normalize(&format!("{folder}/{main}")))
}

/// The native half of `this.setData`: apply to the mirror, send one batch.
/// `keys_json` is the JSON array of the keys (JSON, so a key holding a lone
/// surrogate arrives intact) and `value_texts[i]` the JSON text of key
/// `i`'s value. Returns, as JSON, a [`crate::view::SetDataReply`]: each
/// key's parsed path segments or the reason it was refused, for JS to
/// apply the same updates to `this.data` and report the refusals at the
/// setData call.
fn set_data(
    shared: &Rc<RefCell<Shared>>,
    page: PageId,
    keys_json: &str,
    value_texts: Vec<String>,
) -> String {
    let mut shared = shared.borrow_mut();
    let Some(updates) = crate::view::read_updates(keys_json, value_texts) else {
        shared.report(Diagnostic::error(
            "",
            0,
            0,
            "setData: the payload could not be read back as JSON",
        ));
        return crate::view::SetDataReply::default().to_json();
    };
    // A page that has been unloaded ignores setData (its JS data still
    // changes, as in WeChat).
    let Some(record) = shared.pages.iter_mut().find(|p| p.id == page) else {
        return crate::view::SetDataReply::paths_only(updates).to_json();
    };
    let update = record.view.set_data(updates);
    if !update.ops.is_empty() {
        // Sent with the component updates it causes (component.js flushes).
        crate::component::queue_page_ops(&shared, page, update.ops);
    }
    for diagnostic in update.diagnostics {
        shared.report(diagnostic);
    }
    update.reply.to_json()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn module_resolution_tries_js_and_index() {
        let (package, _) = Package::from_files(
            [
                ("app.json", "{}"),
                ("utils/util.js", ""),
                ("lib/index.js", ""),
                ("miniprogram_npm/dayjs/index.js", ""),
            ]
            .map(|(a, b)| (a.to_string(), b.to_string())),
        );
        assert_eq!(
            resolve_module(&package, "pages/a/a.js", "../../utils/util"),
            Some("utils/util.js".into())
        );
        assert_eq!(
            resolve_module(&package, "pages/a/a.js", "/utils/util.js"),
            Some("utils/util.js".into())
        );
        assert_eq!(
            resolve_module(&package, "pages/a/a.js", "utils/util"),
            Some("utils/util.js".into())
        );
        assert_eq!(
            resolve_module(&package, "app.js", "./lib"),
            Some("lib/index.js".into())
        );
        assert_eq!(
            resolve_module(&package, "app.js", "dayjs"),
            Some("miniprogram_npm/dayjs/index.js".into())
        );
        assert_eq!(resolve_module(&package, "app.js", "./missing"), None);
    }

    #[test]
    fn npm_packages_resolve_from_the_nearest_miniprogram_npm() {
        let (package, _) = Package::from_files(
            [
                ("app.json", "{}"),
                ("miniprogram_npm/tslib/index.js", "root copy"),
                ("miniprogram_npm/ui/button/button.js", ""),
                (
                    "miniprogram_npm/ui/miniprogram_npm/tslib/index.js",
                    "ui's own copy",
                ),
            ]
            .map(|(a, b)| (a.to_string(), b.to_string())),
        );
        assert_eq!(
            resolve_module(&package, "miniprogram_npm/ui/button/button.js", "tslib"),
            Some("miniprogram_npm/ui/miniprogram_npm/tslib/index.js".into())
        );
        assert_eq!(
            resolve_module(&package, "pages/a/a.js", "tslib"),
            Some("miniprogram_npm/tslib/index.js".into())
        );
    }

    #[test]
    fn module_resolution_finds_typescript_and_npm_main() {
        let (package, _) = Package::from_files(
            [
                ("app.json", "{}"),
                ("utils/only-ts.ts", ""),
                ("utils/both.js", ""),
                ("utils/both.ts", ""),
                ("typings/index.d.ts", ""),
                (
                    "miniprogram_npm/lodash/package.json",
                    r#"{"main": "dist/lodash.js"}"#,
                ),
                ("miniprogram_npm/lodash/dist/lodash.js", ""),
                ("miniprogram_npm/lodash/fp.js", ""),
            ]
            .map(|(a, b)| (a.to_string(), b.to_string())),
        );
        let resolve = |target: &str| resolve_module(&package, "pages/a/a.js", target);
        assert_eq!(
            resolve("../../utils/only-ts"),
            Some("utils/only-ts.ts".into())
        );
        assert_eq!(
            resolve("../../utils/only-ts.js"),
            Some("utils/only-ts.ts".into())
        );
        assert_eq!(resolve("/utils/both"), Some("utils/both.js".into()));
        assert_eq!(resolve("/typings/index"), None);
        assert_eq!(
            resolve("lodash"),
            Some("miniprogram_npm/lodash/dist/lodash.js".into())
        );
        assert_eq!(
            resolve("lodash/fp"),
            Some("miniprogram_npm/lodash/fp.js".into())
        );
    }
}
