//! The `wx.*` APIs that are not routing, components or events: system
//! information, `canIUse`, base64, storage, network (`request`,
//! `downloadFile`), selector queries and intersection observers, and the
//! feedback dialogs (`showToast`, `showModal`...).
//!
//! The JS half is `js/wx.js`, evaluated right after bootstrap.js; it reaches
//! Rust through `__wxNative` (captured and deleted like `__native`). Work
//! that finishes later — an HTTP response, a query answered by the render
//! thread, a tapped modal button — comes back as a [`Completion`], which the
//! logic loop hands to [`deliver`] as its own turn. The sources are the HTTP
//! workers (the [`WxHost::completions`] channel, which the loop selects on)
//! and the render thread's `ToLogic::QueryResult` / `Intersection` /
//! `DialogResult` (turned into completions by [`completion_from_host`]).
//!
//! Invariants:
//! - Async ids are chosen by wx.js, unique per logic thread; a completion
//!   whose id JS no longer knows (an aborted request) is dropped.
//! - No native holds a borrow of [`WxState`] or `Shared` while JS runs.
//! - A failed call never throws into the mini program unless the API is a
//!   `*Sync` one; it reaches `fail` with WeChat's `errMsg`.

mod font;
mod http;
mod image_info;
pub(crate) mod storage;

use crate::natives::Shared;
use crate::script::eval_named;
use cirrus_package::package::Package;
use cirrus_protocol::dialogs::{ActionSheet, DialogCommand, Modal, Toast, ToastIcon};
use cirrus_protocol::messages::{ToLogic, ToRender};
use cirrus_protocol::ops::{NodeId, PageId};
use cirrus_protocol::query::{
    IntersectionObserve, Margins, QueryAnswer, QueryFields, QueryRequest, QueryTarget, RelativeTo,
};
use cirrus_protocol::Diagnostic;
use crossbeam::channel::{unbounded, Receiver};
use http::{HttpJob, HttpPool, JobKind};
use rquickjs::{ArrayBuffer, Ctx, Function, Object, Value as JsValue};
use serde_json::{json, Value};
use std::cell::RefCell;
use std::path::{Component, Path, PathBuf};
use std::rc::Rc;
use std::time::Duration;
use storage::Storage;

const WX_JS: &str = include_str!("../js/wx.js");
const WX_JS_NAME: &str = "<cirrus>/wx.js";
/// App events, launch info, the menu button, getImageInfo... (after wx.js).
const WX_APP_JS: &str = include_str!("../js/wx_app.js");
const WX_APP_JS_NAME: &str = "<cirrus>/wx_app.js";
/// wx.createAnimation and the pages' and components' `animate`.
const WX_ANIMATION_JS: &str = include_str!("../js/wx_animation.js");
const WX_ANIMATION_JS_NAME: &str = "<cirrus>/wx_animation.js";
/// wx.worklet and the pages' and components' `applyAnimatedStyle`.
const WX_WORKLET_JS: &str = include_str!("../js/wx_worklet.js");
const WX_WORKLET_JS_NAME: &str = "<cirrus>/wx_worklet.js";
/// The capability manifest's stubs; evaluated last.
const WX_MANIFEST_JS: &str = include_str!("../js/wx_manifest.js");
const WX_MANIFEST_JS_NAME: &str = "<cirrus>/wx_manifest.js";
/// Every wx API name of the seed API index, `works` or `unsupported`
/// (tools/wx-api/extract.py).
pub const API_MANIFEST: &str = include_str!("../js/wx_api.txt");
/// `wx.env.USER_DATA_PATH`, as WeChat spells it.
pub const USER_DATA_PATH: &str = "wxfile://usr";
/// Where `downloadFile` puts files without a `filePath`.
const TEMP_PREFIX: &str = "wxfile://tmp";
/// WeChat's default network timeout (app.json `networkTimeout` overrides).
const DEFAULT_TIMEOUT_MS: u64 = 60_000;

/// Work that finished outside JS, to be handed to its callbacks.
#[derive(Debug)]
pub(crate) struct Completion {
    pub id: u64,
    /// The result object (`errMsg` decides success or fail).
    pub result: Value,
    /// An ArrayBuffer `data` (`responseType: 'arraybuffer'`).
    pub bytes: Option<Vec<u8>>,
    /// For an intersection observer: the callback stays registered.
    pub observer: bool,
}

impl Completion {
    pub fn once(id: u64, result: Value) -> Completion {
        Completion {
            id,
            result,
            bytes: None,
            observer: false,
        }
    }
}

/// The render thread's answers that belong to wx.* calls, spelt as the
/// objects WeChat hands their callbacks: the query results array, the
/// intersection entry, the dialog's `errMsg` and answer.
pub(crate) fn completion_from_host(message: &ToLogic) -> Option<Completion> {
    match message {
        ToLogic::QueryResult { id, results } => {
            Some(Completion::once(*id, QueryAnswer::list_to_json(results)))
        }
        ToLogic::DialogResult { id, outcome } => Some(Completion::once(*id, outcome.to_json())),
        ToLogic::Intersection { id, entry } => Some(Completion {
            observer: true,
            ..Completion::once(*id, entry.to_json())
        }),
        _ => None,
    }
}

/// Hands a completion to wx.js (`__cirrus.wxDeliver`), which runs the
/// callbacks or settles the promise.
pub(crate) fn deliver<'js>(
    ctx: &Ctx<'js>,
    cirrus: &Object<'js>,
    completion: Completion,
) -> rquickjs::Result<()> {
    let result = ctx.json_parse(completion.result.to_string())?;
    let bytes = match completion.bytes {
        Some(bytes) => ArrayBuffer::new(ctx.clone(), bytes)?.into_value(),
        None => JsValue::new_undefined(ctx.clone()),
    };
    cirrus.get::<_, Function>("wxDeliver")?.call::<_, ()>((
        completion.id as f64,
        result,
        bytes,
        completion.observer,
    ))
}

/// The wx state the logic loop owns.
pub(crate) struct WxHost {
    state: Rc<RefCell<WxState>>,
    completions: Receiver<Completion>,
    /// Keeps the channel connected even if no worker could start, so the
    /// loop's `select!` never spins on a disconnected receiver.
    _keepalive: crossbeam::channel::Sender<Completion>,
}

struct WxState {
    storage: Storage,
    http: HttpPool,
    /// The app's private folder: `usr/` is USER_DATA_PATH, `tmp/` temp files.
    files_root: PathBuf,
    next_temp_file: u64,
    request_timeout: Duration,
    download_timeout: Duration,
    /// Jobs submitted whose completion the loop has not received yet. Kept
    /// here, not by the workers, so "settled" cannot be seen between a
    /// worker finishing and its completion arriving.
    jobs_outstanding: usize,
}

impl WxHost {
    /// Opens the app's storage in `data_dir` (see `LogicOptions::data_dir`)
    /// and starts the HTTP workers. Problems are reported, never fatal.
    pub fn new(package: &Package, data_dir: Option<&Path>, shared: &Rc<RefCell<Shared>>) -> WxHost {
        let dir = data_dir
            .map(Path::to_path_buf)
            .or_else(|| default_data_dir(package));
        let (storage, problem) = match &dir {
            Some(dir) => Storage::open(dir),
            None => (Storage::in_memory(), None),
        };
        if let Some(problem) = problem {
            shared.borrow().report(Diagnostic::warning(
                "storage.json",
                0,
                0,
                format!("storage: {problem}"),
            ));
        }
        let files_root = dir
            .unwrap_or_else(|| std::env::temp_dir().join(format!("cirrus-{}", std::process::id())));
        let timeout = |kind: &str| {
            package.app.raw["networkTimeout"][kind]
                .as_u64()
                .filter(|&ms| ms > 0)
                .map_or(
                    Duration::from_millis(DEFAULT_TIMEOUT_MS),
                    Duration::from_millis,
                )
        };
        let (completion_tx, completions) = unbounded();
        WxHost {
            state: Rc::new(RefCell::new(WxState {
                storage,
                http: HttpPool::new(completion_tx.clone()),
                files_root,
                next_temp_file: 0,
                request_timeout: timeout("request"),
                download_timeout: timeout("downloadFile"),
                jobs_outstanding: 0,
            })),
            completions,
            _keepalive: completion_tx,
        }
    }

    /// Completions from the HTTP workers; the logic loop selects on it.
    pub fn completions(&self) -> &Receiver<Completion> {
        &self.completions
    }

    /// Requests or downloads are queued or running (the app has not settled).
    pub fn busy(&self) -> bool {
        self.state.borrow().jobs_outstanding > 0
    }

    /// The loop received one completion from [`Self::completions`].
    pub fn job_finished(&self) {
        let mut state = self.state.borrow_mut();
        state.jobs_outstanding = state.jobs_outstanding.saturating_sub(1);
    }

    /// Installs `__wxNative` and evaluates wx.js (after bootstrap.js).
    pub fn install(&self, ctx: &Ctx<'_>, shared: &Rc<RefCell<Shared>>) -> rquickjs::Result<()> {
        install_natives(ctx, shared, &self.state)?;
        eval_named(ctx, WX_JS, WX_JS_NAME, false)?;
        eval_named(ctx, WX_APP_JS, WX_APP_JS_NAME, false)?;
        eval_named(ctx, WX_ANIMATION_JS, WX_ANIMATION_JS_NAME, false)?;
        // The UI thread's animation library, here too: wx.worklet.Easing's
        // functions are the same ones on both threads.
        eval_named(
            ctx,
            cirrus_protocol::worklet::ANIMATIONS_JS,
            "<cirrus>/worklet_animations.js",
            false,
        )?;
        eval_named(ctx, WX_WORKLET_JS, WX_WORKLET_JS_NAME, false)?;
        eval_named(ctx, WX_MANIFEST_JS, WX_MANIFEST_JS_NAME, false)?;
        Ok(())
    }
}

/// What wx_worklet.js sends the render thread: worklets and values as JSON
/// with the UI runtime's markers (`cirrus_engine::worklet::runtime`).
fn install_worklet_natives<'js>(
    ctx: &Ctx<'js>,
    native: &Object<'js>,
    shared: &Rc<RefCell<Shared>>,
) -> rquickjs::Result<()> {
    let parse = |json: &str| serde_json::from_str(json).unwrap_or(Value::Null);
    let s = shared.clone();
    native.set(
        "workletShared",
        Function::new(ctx.clone(), move |id: f64, json: String| {
            s.borrow().send(ToRender::WorkletShared {
                values: vec![(id as u64, parse(&json))],
            });
        })?,
    )?;
    let s = shared.clone();
    native.set(
        "workletDerived",
        Function::new(ctx.clone(), move |target: f64, json: String| {
            s.borrow().send(ToRender::Derived {
                target: target as u64,
                updater: parse(&json),
            });
        })?,
    )?;
    let s = shared.clone();
    native.set(
        "workletRunOnUi",
        Function::new(ctx.clone(), move |worklet: String, args: String| {
            s.borrow().send(ToRender::RunOnUi {
                worklet: parse(&worklet),
                args: parse(&args),
            });
        })?,
    )?;
    let s = shared.clone();
    native.set(
        "workletApplyStyle",
        Function::new(
            ctx.clone(),
            move |page: u32,
                  scope: JsValue<'js>,
                  selector: String,
                  id: f64,
                  json: String,
                  immediate: bool| {
                s.borrow().send(ToRender::ApplyAnimatedStyle {
                    page: PageId(page),
                    scope: node_id(&scope),
                    selector,
                    id: id as u64,
                    updater: parse(&json),
                    immediate,
                });
            },
        )?,
    )?;
    let s = shared.clone();
    native.set(
        "workletHandler",
        Function::new(
            ctx.clone(),
            move |page: u32, node: u32, event: String, json: String| {
                s.borrow().send(ToRender::WorkletHandler {
                    page: PageId(page),
                    node: NodeId(node),
                    event,
                    worklet: parse(&json),
                });
            },
        )?,
    )?;
    let s = shared.clone();
    native.set(
        "workletClearStyle",
        Function::new(ctx.clone(), move |page: u32, id: f64| {
            s.borrow().send(ToRender::ClearAnimatedStyle {
                page: PageId(page),
                id: id as u64,
            });
        })?,
    )?;
    Ok(())
}

/// A component host's node id as JS passes it (`null` for a page).
fn node_id(value: &JsValue<'_>) -> Option<NodeId> {
    value.as_number().and_then(|n| {
        (0.0..=f64::from(u32::MAX))
            .contains(&n)
            .then_some(NodeId(n as u32))
    })
}

/// `$XDG_DATA_HOME/cirrus/<app>` (else `~/.local/share/cirrus/<app>`) for a
/// package loaded from disk; `<app>` is the appid of project.config.json
/// (not the devtools' shared `touristappid`) or a stable hash of the
/// package's path. In-memory packages get none.
fn default_data_dir(package: &Package) -> Option<PathBuf> {
    if package.root.as_os_str().is_empty() {
        return None;
    }
    let base = std::env::var_os("XDG_DATA_HOME")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| {
            std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".local/share"))
        })?;
    let appid = package
        .read("project.config.json")
        .and_then(|text| serde_json::from_str::<Value>(text).ok())
        .and_then(|config| config["appid"].as_str().map(str::to_owned))
        // `touristappid` is the devtools' shared placeholder: not an identity.
        .filter(|id| id != "touristappid")
        .filter(|id| !id.is_empty() && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'));
    let key = appid.unwrap_or_else(|| {
        let path = package
            .root
            .canonicalize()
            .unwrap_or_else(|_| package.root.clone());
        format!("path-{:016x}", fnv1a(path.to_string_lossy().as_bytes()))
    });
    Some(base.join("cirrus").join(key))
}

/// FNV-1a: a hash that stays the same across Rust versions (folder names
/// must survive upgrades).
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &b| {
        (hash ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// `wxfile://usr/a/b.png` -> `usr/a/b.png`, the path inside the data
/// folder; `None` for other schemes, `..`, or a first folder other than
/// `usr` (USER_DATA_PATH) and `tmp`.
fn sandbox_relative(virtual_path: &str) -> Option<&str> {
    let rest = virtual_path.strip_prefix("wxfile://")?;
    let relative = Path::new(rest);
    let inside = relative
        .components()
        .all(|c| matches!(c, Component::Normal(_)));
    let first = relative.components().next()?;
    let allowed = matches!(first, Component::Normal(name) if name == "usr" || name == "tmp");
    (inside && allowed).then_some(rest)
}

/// `wxfile://usr/a/b.png` -> `<root>/usr/a/b.png`; `None` outside the
/// sandbox: other schemes, `..`, and, once the data folder exists, a path
/// whose links lead out of it or loop, or that names a FIFO, socket or
/// device (`cirrus_package::sandbox::Sandbox::locate`).
fn sandbox_path(root: &Path, virtual_path: &str) -> Option<PathBuf> {
    let relative = sandbox_relative(virtual_path)?;
    match cirrus_package::sandbox::Sandbox::data_folder(root) {
        Ok(sandbox) => sandbox.locate(relative).ok(),
        // No data folder yet: nothing in it can be a link.
        Err(_) => Some(root.join(relative)),
    }
}

fn headers_of(json: &str) -> Vec<(String, String)> {
    let Ok(Value::Object(map)) = serde_json::from_str::<Value>(json) else {
        return Vec::new();
    };
    map.into_iter()
        .map(|(name, value)| {
            let value = match value {
                Value::String(s) => s,
                other => other.to_string(),
            };
            (name, value)
        })
        .collect()
}

fn timeout_of(ms: f64, default: Duration) -> Duration {
    if ms.is_finite() && ms > 0.0 {
        Duration::from_millis(ms as u64)
    } else {
        default
    }
}

fn install_natives<'js>(
    ctx: &Ctx<'js>,
    shared: &Rc<RefCell<Shared>>,
    state: &Rc<RefCell<WxState>>,
) -> rquickjs::Result<()> {
    let native = Object::new(ctx.clone())?;

    let s = shared.clone();
    native.set(
        "appConfig",
        Function::new(ctx.clone(), move || s.borrow().package.app.raw.to_string())?,
    )?;

    // ---- storage: "" is success, anything else the fail reason ----------
    let st = state.clone();
    native.set(
        "storageSet",
        Function::new(ctx.clone(), move |key: String, json: String| {
            match st.borrow_mut().storage.set(&key, json) {
                Ok(()) => String::new(),
                Err(error) => error.to_string(),
            }
        })?,
    )?;
    let st = state.clone();
    native.set(
        "storageGet",
        Function::new(ctx.clone(), move |key: String| {
            st.borrow().storage.get(&key).map(str::to_owned)
        })?,
    )?;
    let st = state.clone();
    native.set(
        "storageRemove",
        Function::new(ctx.clone(), move |key: String| {
            match st.borrow_mut().storage.remove(&key) {
                Ok(()) => String::new(),
                Err(error) => error.to_string(),
            }
        })?,
    )?;
    let st = state.clone();
    native.set(
        "storageClear",
        Function::new(ctx.clone(), move || match st.borrow_mut().storage.clear() {
            Ok(()) => String::new(),
            Err(error) => error.to_string(),
        })?,
    )?;
    let st = state.clone();
    native.set(
        "storageInfo",
        Function::new(ctx.clone(), move || {
            let state = st.borrow();
            json!({
                "keys": state.storage.keys(),
                "currentSize": state.storage.bytes().div_ceil(1024),
                "limitSize": storage::MAX_TOTAL_BYTES / 1024,
            })
            .to_string()
        })?,
    )?;

    // ---- network ---------------------------------------------------------
    let st = state.clone();
    native.set(
        "request",
        Function::new(
            ctx.clone(),
            move |id: f64,
                  method: String,
                  url: String,
                  headers: String,
                  body: JsValue<'js>,
                  timeout_ms: f64,
                  binary: bool| {
                let body = if let Some(text) = body.as_string() {
                    Some(text.to_string()?.into_bytes())
                } else if let Some(buffer) = ArrayBuffer::from_value(body.clone()) {
                    // SAFETY: the bytes are copied out at once; no JS runs
                    // (and so nothing can detach or resize the buffer) while
                    // the slice is borrowed.
                    unsafe { buffer.as_bytes() }.map(<[u8]>::to_vec)
                } else {
                    None
                };
                let mut state = st.borrow_mut();
                state.jobs_outstanding += 1;
                state.http.submit(HttpJob {
                    id: id as u64,
                    method,
                    url,
                    headers: headers_of(&headers),
                    body,
                    timeout: timeout_of(timeout_ms, state.request_timeout),
                    kind: JobKind::Request { binary },
                });
                rquickjs::Result::Ok(())
            },
        )?,
    )?;
    let st = state.clone();
    native.set(
        "download",
        Function::new(
            ctx.clone(),
            move |id: f64, url: String, headers: String, timeout_ms: f64, file_path: String| {
                let mut state = st.borrow_mut();
                let virtual_path = if file_path.is_empty() {
                    state.next_temp_file += 1;
                    let extension = Path::new(url.split(['?', '#']).next().unwrap_or(""))
                        .extension()
                        .and_then(|e| e.to_str())
                        .filter(|e| e.len() <= 5 && e.chars().all(|c| c.is_ascii_alphanumeric()))
                        .map(|e| format!(".{e}"))
                        .unwrap_or_default();
                    format!(
                        "{TEMP_PREFIX}/download-{}-{}{extension}",
                        std::process::id(),
                        state.next_temp_file
                    )
                } else {
                    file_path
                };
                // User files must live under USER_DATA_PATH (<https://developers.weixin.qq.com/miniprogram/dev/api/>).
                let writable = virtual_path.starts_with(&format!("{USER_DATA_PATH}/"))
                    || virtual_path.starts_with(&format!("{TEMP_PREFIX}/"));
                let relative = sandbox_relative(&virtual_path).map(str::to_owned);
                let Some(relative) = relative.filter(|_| {
                    writable && sandbox_path(&state.files_root, &virtual_path).is_some()
                }) else {
                    return format!("permission denied, open \"{virtual_path}\"");
                };
                let timeout = timeout_of(timeout_ms, state.download_timeout);
                state.jobs_outstanding += 1;
                state.http.submit(HttpJob {
                    id: id as u64,
                    method: "GET".into(),
                    url,
                    headers: headers_of(&headers),
                    body: None,
                    timeout,
                    kind: JobKind::Download {
                        root: state.files_root.clone(),
                        relative,
                        virtual_path,
                        api: "downloadFile",
                    },
                });
                String::new()
            },
        )?,
    )?;
    let st = state.clone();
    native.set(
        "abort",
        Function::new(ctx.clone(), move |id: f64| {
            st.borrow().http.abort(id as u64)
        })?,
    )?;
    let st = state.clone();
    native.set(
        "localPath",
        Function::new(ctx.clone(), move |virtual_path: String| {
            sandbox_path(&st.borrow().files_root, &virtual_path)
                .map(|p| p.to_string_lossy().into_owned())
        })?,
    )?;

    // ---- app-level -----------------------------------------------------------
    native.set("apiManifest", Function::new(ctx.clone(), || API_MANIFEST)?)?;
    let s = shared.clone();
    native.set(
        "menuButton",
        Function::new(ctx.clone(), move || {
            menu_button_rect(s.borrow().viewport.width.0).to_string()
        })?,
    )?;
    let s = shared.clone();
    let st = state.clone();
    native.set(
        "imageInfo",
        Function::new(ctx.clone(), move |src: String, page_route: String| {
            let bytes = if src.starts_with("wxfile://") {
                sandbox_path(&st.borrow().files_root, &src).and_then(|p| {
                    let limit = cirrus_package::sandbox::MAX_IMAGE_BYTES;
                    cirrus_package::sandbox::read_regular(&p, &src, limit).ok()
                })
            } else {
                let path = cirrus_package::package::resolve_relative(&page_route, &src);
                s.borrow().package.read_binary(&path)
            };
            match bytes {
                Some(bytes) => image_info::describe(&bytes, &src),
                None => image_info::fail(&format!("file not found: \"{src}\"")),
            }
            .to_string()
        })?,
    )?;
    let st = state.clone();
    native.set(
        "imageInfoRemote",
        Function::new(ctx.clone(), move |id: f64, url: String| {
            let kind = JobKind::ImageInfo { src: url.clone() };
            submit_get(&mut st.borrow_mut(), id, url, kind);
        })?,
    )?;

    // `wx.loadFontFace`: a package font answers now (its result as JSON);
    // a URL starts a download and answers `null`, the result coming back
    // as the completion of `id`.
    let s = shared.clone();
    let st = state.clone();
    native.set(
        "loadFontFace",
        Function::new(
            ctx.clone(),
            move |id: f64, family: String, source: String, page_route: String| -> Option<String> {
                match font::parse_source(&source) {
                    font::FontSource::Remote(url) => {
                        let to_render = s.borrow().to_render.clone();
                        let kind = JobKind::FontFace { family, to_render };
                        submit_get(&mut st.borrow_mut(), id, url, kind);
                        None
                    }
                    font::FontSource::Package(path) => {
                        let shared = s.borrow();
                        let path = cirrus_package::package::resolve_relative(&page_route, &path);
                        let result = match shared.package.read_binary(&path) {
                            Some(bytes) => font::install(&family, bytes, &shared.to_render),
                            None => font::fail(&format!("file not found: \"{source}\"")),
                        };
                        Some(result.to_string())
                    }
                }
            },
        )?,
    )?;

    // ---- base64 ----------------------------------------------------------
    native.set(
        "base64ToArrayBuffer",
        Function::new(ctx.clone(), |ctx: Ctx<'js>, text: String| {
            use base64::Engine;
            // WeChat tolerates whitespace and missing padding.
            let cleaned: String = text.chars().filter(|c| !c.is_whitespace()).collect();
            let bytes = base64::engine::general_purpose::STANDARD_NO_PAD
                .decode(cleaned.trim_end_matches('='))
                .unwrap_or_default();
            ArrayBuffer::new(ctx, bytes)
        })?,
    )?;
    native.set(
        "arrayBufferToBase64",
        Function::new(ctx.clone(), |buffer: JsValue<'js>| {
            use base64::Engine;
            let bytes = ArrayBuffer::from_value(buffer)
                // SAFETY: copied out at once, with no JS running meanwhile.
                .and_then(|b| unsafe { b.as_bytes() }.map(<[u8]>::to_vec))
                .unwrap_or_default();
            base64::engine::general_purpose::STANDARD.encode(bytes)
        })?,
    )?;

    // ---- render thread -----------------------------------------------------
    let s = shared.clone();
    native.set(
        "showDialog",
        Function::new(ctx.clone(), move |json: String| {
            if let Some(command) = dialog_command(&json) {
                s.borrow().send(ToRender::Dialog(command));
            }
        })?,
    )?;
    let s = shared.clone();
    native.set(
        "query",
        Function::new(ctx.clone(), move |id: f64, page: u32, json: String| {
            let requests = query_requests(&json);
            s.borrow().send(ToRender::Query {
                id: id as u64,
                page: PageId(page),
                requests,
            });
        })?,
    )?;
    let s = shared.clone();
    native.set(
        "observe",
        Function::new(ctx.clone(), move |json: String| {
            if let Some(spec) = observe_spec(&json) {
                s.borrow().send(ToRender::ObserveIntersection(spec));
            }
        })?,
    )?;
    let s = shared.clone();
    native.set(
        "animate",
        Function::new(
            ctx.clone(),
            move |page: u32, scope: JsValue<'js>, selector: String, json: String| {
                let animation = serde_json::from_str(&json).unwrap_or(Value::Null);
                let scope = scope.as_number().and_then(|n| {
                    (0.0..=f64::from(u32::MAX))
                        .contains(&n)
                        .then_some(NodeId(n as u32))
                });
                s.borrow().send(ToRender::Animate {
                    page: PageId(page),
                    scope,
                    selector,
                    animation,
                });
            },
        )?,
    )?;
    install_worklet_natives(ctx, &native, shared)?;
    let s = shared.clone();
    native.set(
        "disconnect",
        Function::new(ctx.clone(), move |id: f64| {
            s.borrow()
                .send(ToRender::DisconnectObserver { id: id as u64 });
        })?,
    )?;

    ctx.globals().set("__wxNative", native)
}

/// Starts a GET of `url` on the HTTP workers for the call `id`; its
/// completion comes back like a download's.
fn submit_get(state: &mut WxState, id: f64, url: String, kind: JobKind) {
    state.jobs_outstanding += 1;
    let timeout = state.download_timeout;
    state.http.submit(HttpJob {
        id: id as u64,
        method: "GET".into(),
        url,
        headers: Vec::new(),
        body: None,
        timeout,
        kind,
    });
}

/// `wx.getMenuButtonBoundingClientRect()` for a window `window_width` wide:
/// WeChat's capsule on an iPhone is 87 x 32 px with a 7 px right margin,
/// centred vertically in the 44 px navigation bar below the status bar.
/// The engine draws no capsule; the numbers follow its own bar
/// (`cirrus_package::chrome_layout`), so `top = statusBarHeight + (44 - 32) / 2`.
pub(crate) fn menu_button_rect(window_width: f32) -> Value {
    use cirrus_package::chrome_layout::{NAVIGATION_BAR_HEIGHT, STATUS_BAR_HEIGHT};
    const WIDTH: f32 = 87.0;
    const HEIGHT: f32 = 32.0;
    const RIGHT_MARGIN: f32 = 7.0;
    let top = STATUS_BAR_HEIGHT + (NAVIGATION_BAR_HEIGHT - HEIGHT) / 2.0;
    let right = window_width - RIGHT_MARGIN;
    json!({
        "width": WIDTH,
        "height": HEIGHT,
        "top": top,
        "right": right,
        "bottom": top + HEIGHT,
        "left": right - WIDTH,
    })
}

fn text(value: &Value, key: &str, default: &str) -> String {
    value[key].as_str().unwrap_or(default).to_owned()
}

/// wx.js's normalised dialog options -> the engine's command.
fn dialog_command(json: &str) -> Option<DialogCommand> {
    let v: Value = serde_json::from_str(json).ok()?;
    let id = v["id"].as_u64().unwrap_or(0);
    Some(match v["kind"].as_str()? {
        "toast" => DialogCommand::ShowToast(Toast {
            title: text(&v, "title", ""),
            icon: ToastIcon::from_name(v["icon"].as_str().unwrap_or("success")),
            duration: v["duration"]
                .as_f64()
                .filter(|d| *d >= 0.0)
                .map(|ms| Duration::from_millis(ms as u64)),
            mask: v["mask"].as_bool().unwrap_or(false),
        }),
        "hideToast" => DialogCommand::HideToast,
        "modal" => DialogCommand::ShowModal(Modal {
            id,
            title: text(&v, "title", ""),
            content: text(&v, "content", ""),
            show_cancel: v["showCancel"].as_bool().unwrap_or(true),
            cancel_text: text(&v, "cancelText", "取消"),
            cancel_color: text(&v, "cancelColor", "#000000"),
            confirm_text: text(&v, "confirmText", "确定"),
            confirm_color: text(&v, "confirmColor", "#576B95"),
        }),
        "actionSheet" => DialogCommand::ShowActionSheet(ActionSheet {
            id,
            alert_text: text(&v, "alertText", ""),
            items: v["itemList"]
                .as_array()
                .map(|items| {
                    items
                        .iter()
                        .map(|i| i.as_str().map_or_else(|| i.to_string(), str::to_owned))
                        .collect()
                })
                .unwrap_or_default(),
            item_color: text(&v, "itemColor", "#000000"),
        }),
        _ => return None,
    })
}

fn strings(value: &Value) -> Vec<String> {
    value
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|s| s.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

/// wx.js's query requests -> the engine's.
fn query_requests(json: &str) -> Vec<QueryRequest> {
    let Ok(Value::Array(requests)) = serde_json::from_str::<Value>(json) else {
        return Vec::new();
    };
    requests
        .iter()
        .map(|r| {
            let selector = text(r, "selector", "");
            let target = match r["target"].as_str() {
                Some("viewport") => QueryTarget::Viewport,
                Some("all") => QueryTarget::All(selector),
                _ => QueryTarget::First(selector),
            };
            let f = &r["fields"];
            let flag = |name: &str| f[name].as_bool().unwrap_or(false);
            QueryRequest {
                target,
                fields: QueryFields {
                    id: flag("id"),
                    dataset: flag("dataset"),
                    rect: flag("rect"),
                    size: flag("size"),
                    scroll_offset: flag("scrollOffset"),
                    properties: strings(&f["properties"]),
                    computed_style: strings(&f["computedStyle"]),
                },
                scope: scope_host(&r["scope"]),
            }
        })
        .collect()
}

fn margins(v: &Value) -> Margins {
    let side = |name: &str| v[name].as_f64().unwrap_or(0.0) as f32;
    Margins {
        left: side("left"),
        top: side("top"),
        right: side("right"),
        bottom: side("bottom"),
    }
}

fn observe_spec(json: &str) -> Option<IntersectionObserve> {
    let v: Value = serde_json::from_str(json).ok()?;
    let relative_to = v["relativeTo"]
        .as_array()
        .map(|list| {
            list.iter()
                .map(|r| match r["selector"].as_str() {
                    Some(selector) => RelativeTo::Node(selector.to_owned(), margins(&r["margins"])),
                    None => RelativeTo::Viewport(margins(&r["margins"])),
                })
                .collect()
        })
        .unwrap_or_default();
    let mut thresholds: Vec<f32> = v["thresholds"]
        .as_array()
        .map(|t| {
            t.iter()
                .filter_map(Value::as_f64)
                .map(|t| t.clamp(0.0, 1.0) as f32)
                .collect()
        })
        .unwrap_or_default();
    if thresholds.is_empty() {
        thresholds.push(0.0);
    }
    thresholds.sort_by(f32::total_cmp);
    Some(IntersectionObserve {
        id: v["id"].as_u64()?,
        page: PageId(u32::try_from(v["page"].as_u64()?).ok()?),
        target: text(&v, "target", ""),
        observe_all: v["observeAll"].as_bool().unwrap_or(false),
        relative_to,
        thresholds,
        initial_ratio: v["initialRatio"].as_f64().unwrap_or(0.0) as f32,
        scope: scope_host(&v["scope"]),
    })
}

/// The host node of the component a query or observer is scoped to
/// (wx.js sends its `__host__`); anything but a node id: the whole page.
fn scope_host(v: &Value) -> Option<NodeId> {
    v.as_u64().and_then(|id| u32::try_from(id).ok()).map(NodeId)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sandbox_paths_stay_inside() {
        let root = Path::new("/data/app");
        assert_eq!(
            sandbox_path(root, "wxfile://usr/a/b.txt"),
            Some(PathBuf::from("/data/app/usr/a/b.txt"))
        );
        assert_eq!(sandbox_path(root, "wxfile://usr/../../etc/passwd"), None);
        assert_eq!(sandbox_path(root, "wxfile://etc/passwd"), None);
        assert_eq!(sandbox_path(root, "/etc/passwd"), None);
    }

    #[test]
    fn sandbox_paths_do_not_follow_links_out() {
        let root = std::env::temp_dir().join(format!("cirrus-wx-links-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(root.join("data/usr")).unwrap();
        std::fs::create_dir_all(root.join("outside")).unwrap();
        let data = root.join("data");
        std::os::unix::fs::symlink(root.join("outside"), data.join("usr/out")).unwrap();
        std::os::unix::fs::symlink("loop", data.join("usr/loop")).unwrap();
        assert_eq!(sandbox_path(&data, "wxfile://usr/out/x.png"), None);
        assert_eq!(sandbox_path(&data, "wxfile://usr/loop"), None);
        let inside = sandbox_path(&data, "wxfile://usr/new/x.png").unwrap();
        assert!(inside.ends_with("data/usr/new/x.png"), "{inside:?}");
        let _ = std::fs::remove_dir_all(&root);
    }

    #[test]
    fn the_data_folder_is_named_by_appid_else_by_path() {
        let root = std::env::temp_dir().join(format!("cirrus-wx-appid-{}", std::process::id()));
        std::fs::create_dir_all(&root).unwrap();
        std::fs::write(root.join("app.json"), r#"{"pages":[]}"#).unwrap();
        let folder = |config: &str| {
            std::fs::write(root.join("project.config.json"), config).unwrap();
            let (package, _) = Package::load(&root).unwrap();
            default_data_dir(&package).map(|dir| dir.file_name().unwrap().to_owned())
        };
        if std::env::var_os("HOME").is_some() || std::env::var_os("XDG_DATA_HOME").is_some() {
            assert_eq!(
                folder(r#"{"appid":"wx0123abcd"}"#),
                Some("wx0123abcd".into())
            );
            let tourist = folder(r#"{"appid":"touristappid"}"#).unwrap();
            assert!(
                tourist.to_string_lossy().starts_with("path-"),
                "{tourist:?}"
            );
            assert_eq!(folder(r#"{"appid":"../x"}"#), Some(tourist));
        }
        let (in_memory, _) = Package::from_files([("app.json".to_string(), "{}".to_string())]);
        assert_eq!(default_data_dir(&in_memory), None);
        let _ = std::fs::remove_dir_all(root);
    }

    #[test]
    fn the_render_threads_typed_answers_become_wechats_result_objects() {
        use cirrus_protocol::dialogs::DialogOutcome;
        use cirrus_protocol::query::{BoxRect, IntersectionEntry, NodeFields};
        let query = completion_from_host(&ToLogic::QueryResult {
            id: 3,
            results: vec![
                QueryAnswer::One(Some(NodeFields {
                    id: Some("a".into()),
                    ..NodeFields::default()
                })),
                QueryAnswer::One(None),
                QueryAnswer::All(Vec::new()),
            ],
        })
        .expect("a completion");
        assert_eq!((query.id, query.observer), (3, false));
        assert_eq!(query.result, json!([{"id": "a"}, null, []]));

        let dialog = completion_from_host(&ToLogic::DialogResult {
            id: 4,
            outcome: DialogOutcome::ActionSheetCancelled,
        })
        .expect("a completion");
        assert_eq!(dialog.id, 4);
        assert_eq!(
            dialog.result,
            json!({"errMsg": "showActionSheet:fail cancel"})
        );

        let rect = BoxRect {
            left: 1.0,
            top: 2.0,
            width: 3.0,
            height: 4.0,
        };
        let entry = completion_from_host(&ToLogic::Intersection {
            id: 5,
            entry: IntersectionEntry {
                id: String::new(),
                dataset: serde_json::Map::new(),
                intersection_ratio: 1.0,
                intersection_rect: rect,
                bounding_client_rect: rect,
                relative_rect: BoxRect::ZERO,
                time: 8.0,
            },
        })
        .expect("a completion");
        assert!(entry.observer, "an observer's callback stays registered");
        assert_eq!(entry.result["intersectionRatio"], json!(1.0));
        assert_eq!(entry.result["boundingClientRect"]["right"], json!(4.0));
        assert_eq!(entry.result["relativeRect"]["bottom"], json!(0.0));
        assert!(completion_from_host(&ToLogic::Sync).is_none());
    }

    #[test]
    fn fnv_is_stable() {
        assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
    }
}
