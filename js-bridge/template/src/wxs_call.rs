//! The template side of WXS (<https://developers.weixin.qq.com/miniprogram/dev/reference/wxs/>): `<wxs module="m">` modules named in
//! a WXML file, and bindings that call `m.fn(args)` or read `m.value`.
//!
//! The template crate does not run WXS: it hands calls to a [`WxsHost`]
//! (the logic thread's restricted WXS context, `cirrus-js-bridge`'s `wxs`
//! module), installed for the current thread with [`set_thread_wxs_host`].
//! Every binding evaluated on that thread (pages and components alike)
//! reaches the same host, which caches modules per file.
//!
//! Module paths (the host's keys):
//! - `src` modules: the package path of the `.wxs` file (`src` resolved
//!   against the WXML file), e.g. `pages/index/util.wxs`;
//! - inline modules: `{wxml path}#{module name}`, e.g.
//!   `pages/index/index.wxml#m1`; their code is handed to the host with
//!   [`WxsHost::define_inline`] before the first use.
//!
//! Dependency tracking needs nothing special: a call's arguments are
//! evaluated like any other expression, so the binding re-evaluates when
//! the data they read changes. Without a host (or when it fails), the
//! result is undefined with a diagnostic at the call.

use serde_json::Value;
use std::cell::RefCell;
use std::rc::Rc;

/// Runs WXS for templates. Implemented by the logic thread.
pub trait WxsHost {
    /// Calls `module_path`'s exported function `function` with `args`.
    /// `Ok(Value::Null)` stands for `undefined` too. `Err` carries a message
    /// for the diagnostic (a WXS exception, a missing function...).
    fn call(&mut self, module_path: &str, function: &str, args: &[Value]) -> Result<Value, String>;

    /// Reads `module_path`'s exported non-function value `name`
    /// (`{{m1.message}}`). `Ok(None)` is undefined.
    fn export(&mut self, module_path: &str, name: &str) -> Result<Option<Value>, String> {
        let _ = (module_path, name);
        Ok(None)
    }

    /// The code of an inline `<wxs module>`: `source` starts on line
    /// `first_line` (1-based) of `wxml_file`. Called before the module's
    /// first use; the host keeps the first definition of a path.
    fn define_inline(&mut self, module_path: &str, wxml_file: &str, source: &str, first_line: u32);
}

/// A `<wxs>` module as a binding refers to it.
#[derive(Debug)]
pub(crate) struct WxsModuleRef {
    /// See the module docs.
    pub path: String,
    /// Inline code and the 1-based line it starts on in the WXML file.
    pub inline: Option<(String, u32)>,
    /// The WXML file that declares it.
    pub wxml_file: String,
}

impl WxsModuleRef {
    /// A module of `wxml_file`: inline code, or a `src` to resolve.
    pub(crate) fn new(
        wxml_file: &str,
        name: &str,
        src: Option<&str>,
        inline: Option<(String, u32)>,
    ) -> Self {
        let path = match src {
            // glass-easel drops the extension of `src`; the host wants the file.
            Some(src) => {
                let resolved = cirrus_package::package::resolve_relative(wxml_file, src);
                if resolved.ends_with(".wxs") {
                    resolved
                } else {
                    format!("{resolved}.wxs")
                }
            }
            None => format!("{wxml_file}#{name}"),
        };
        WxsModuleRef {
            path,
            inline,
            wxml_file: wxml_file.to_owned(),
        }
    }
}

thread_local! {
    static HOST: RefCell<Option<Rc<RefCell<dyn WxsHost>>>> = const { RefCell::new(None) };
}

/// Installs (or with `None` removes) the WXS host for templates evaluated on
/// this thread. The logic thread installs its own once at start.
pub fn set_thread_wxs_host(host: Option<Rc<RefCell<dyn WxsHost>>>) {
    HOST.with(|slot| *slot.borrow_mut() = host);
}

fn with_host<T>(
    module: &WxsModuleRef,
    run: impl FnOnce(&mut dyn WxsHost) -> Result<T, String>,
) -> Result<T, String> {
    let host = HOST.with(|slot| slot.borrow().clone()).ok_or_else(|| {
        "WXS is not available here (no WXS host); the call reads as undefined".to_owned()
    })?;
    // A host that is already busy (a WXS function cannot re-enter a
    // template) is reported rather than panicking.
    let mut host = host
        .try_borrow_mut()
        .map_err(|_| "WXS re-entered itself".to_owned())?;
    if let Some((source, line)) = &module.inline {
        host.define_inline(&module.path, &module.wxml_file, source, *line);
    }
    run(&mut *host)
}

/// `m.function(args)`.
pub(crate) fn call(module: &WxsModuleRef, function: &str, args: &[Value]) -> Result<Value, String> {
    with_host(module, |host| host.call(&module.path, function, args)).and_then(within_data_depth)
}

/// `m.name` (not called).
pub(crate) fn export(module: &WxsModuleRef, name: &str) -> Result<Option<Value>, String> {
    with_host(module, |host| host.export(&module.path, name))?
        .map(within_data_depth)
        .transpose()
}

/// A WXS result is data like any other: refused (and dropped without
/// recursing) when it nests deeper than [`crate::MAX_DATA_DEPTH`].
fn within_data_depth(value: Value) -> Result<Value, String> {
    if crate::data_depth::deeper_than(&value, crate::MAX_DATA_DEPTH) {
        crate::drop_iteratively(value);
        return Err(format!(
            "the WXS result is nested more than {} levels deep (nested too deeply): it reads as undefined",
            crate::MAX_DATA_DEPTH
        ));
    }
    Ok(value)
}
