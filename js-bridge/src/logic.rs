//! The logic thread: one QuickJS runtime running the mini program's JS,
//! driven by host messages and timers, talking to the render thread.
//!
//! A *turn* is one host message or one due timer, followed by the promise
//! jobs and ticks (wx.nextTick, setData callbacks) it queued. After a turn,
//! when no host message is queued and no timer is due, the thread sends
//! `ToRender::Idle`. A JS exception ends only the call that threw: it
//! becomes a `ToRender::Error` diagnostic and the thread keeps running.

use crate::clock::Clock;
use crate::console::{ConsoleBuffer, ConsoleLine};
use crate::natives::{self, PageRecord, Shared, TimeSource};
use crate::script::JsFailure;
use crate::timers::{Millis, TimerQueue};
use crate::view::PageView;
use crate::{BridgeError, LogicOptions};
use cirrus_package::package::{normalize, Package};
use cirrus_protocol::messages::{ToLogic, ToRender};
use cirrus_protocol::ops::{OpBatch, PageId};
use cirrus_protocol::Diagnostic;
use crossbeam::channel::{bounded, select, Receiver, Sender};
use rquickjs::{Context, Ctx, Function, Object, Runtime};
use serde_json::{json, Map, Value};
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

// The page stack and routing: extends `LogicLoop`, so it is a child module.
#[path = "router.rs"]
mod router;

/// The JS half of the logic thread.
const BOOTSTRAP_JS: &str = include_str!("bootstrap.js");
/// The name bootstrap code carries in stack traces (never a package path).
const BOOTSTRAP_NAME: &str = "<cirrus>/bootstrap.js";
/// How long one call into JS may run in the tests here (the app's limit is
/// [`LogicOptions::watchdog`]).
#[cfg(test)]
const TURN_BUDGET: Duration = Duration::from_secs(10);
/// The logic thread's native stack: 64 MiB of address space (only the
/// pages it touches are committed). JS itself stops at
/// [`crate::js_limits::JS_MAX_STACK_BYTES`] (4 MiB) below each entry from
/// Rust; the rest is for Rust's own recursion over untrusted input at its
/// depth limits: the template's walks over WXML nesting and component
/// nesting (cirrus-template's limits, with WXS calls from their innermost
/// frames adding their own JS stack), and parsing, comparing and dropping
/// setData values up to [`crate::data_json::MAX_SET_DATA_DEPTH`] levels,
/// with debug builds' large frames. Browsers' main threads have 8 MiB but
/// a compiled, non-recursive DOM; ours walks trees recursively.
pub(crate) const LOGIC_STACK_BYTES: usize = 64 << 20;
/// Timers fired in one pass before the loop looks at host messages again
/// (a zero-delay timer that re-arms itself must not starve the host).
const MAX_TIMERS_PER_PASS: usize = 10_000;
/// Rounds of promise jobs + ticks after a turn before yielding.
const MAX_DRAIN_ROUNDS: usize = 1_000;
/// Promise jobs run after a turn's watchdog budget has run out, before the
/// rest are left for the next turn: 100,000 (a few tens of ms of trivial
/// jobs). Past the deadline the interrupt handler stops every job at its
/// next interrupt poll, so an endless microtask chain dies within a few
/// thousand jobs; this cap bounds the pathological case of very many
/// chains at once.
const MAX_JOBS_AFTER_DEADLINE: usize = 100_000;
/// The scene WeChat reports for a launch from the chat list.
const LAUNCH_SCENE: u32 = 1001;

/// Starts logic threads.
pub struct LogicThread;

/// The running logic thread. Dropping it (or [`LogicHandle::shutdown`])
/// stops the thread and joins it.
pub struct LogicHandle {
    thread: Option<JoinHandle<()>>,
    stop: Sender<()>,
    console: ConsoleBuffer,
}

impl LogicThread {
    /// Spawns the thread named "logic", which creates its QuickJS runtime,
    /// then waits for `ToLogic::Launch`.
    pub fn spawn(
        package: std::sync::Arc<Package>,
        options: LogicOptions,
        to_render: Sender<ToRender>,
        from_host: Receiver<ToLogic>,
    ) -> Result<LogicHandle, BridgeError> {
        let watchdog = options.watchdog;
        Self::spawn_with_budget(package, options, to_render, from_host, watchdog)
    }

    /// [`Self::spawn`] with a different limit on one call into JS.
    pub(crate) fn spawn_with_budget(
        package: std::sync::Arc<Package>,
        options: LogicOptions,
        to_render: Sender<ToRender>,
        from_host: Receiver<ToLogic>,
        turn_budget: Duration,
    ) -> Result<LogicHandle, BridgeError> {
        let (stop_tx, stop_rx) = bounded(1);
        let (ready_tx, ready_rx) = bounded(1);
        let console = ConsoleBuffer::default();
        let thread_console = console.clone();
        let thread = std::thread::Builder::new()
            .name("logic".into())
            .stack_size(LOGIC_STACK_BYTES)
            .spawn(move || {
                let channels = LoopChannels {
                    to_render,
                    from_host,
                    stop: stop_rx,
                };
                match LogicLoop::new(package, options, channels, thread_console, turn_budget) {
                    Ok(logic) => {
                        let _ = ready_tx.send(Ok(()));
                        logic.run();
                    }
                    Err(error) => {
                        let _ = ready_tx.send(Err(error));
                    }
                }
            })
            .map_err(BridgeError::Spawn)?;
        match ready_rx.recv() {
            Ok(Ok(())) => Ok(LogicHandle {
                thread: Some(thread),
                stop: stop_tx,
                console,
            }),
            Ok(Err(error)) => {
                let _ = thread.join();
                Err(error)
            }
            Err(_) => {
                let _ = thread.join();
                Err(BridgeError::ThreadPanicked)
            }
        }
    }
}

impl LogicHandle {
    /// Every `console.*` line printed so far, in order.
    pub fn console_lines(&self) -> Vec<ConsoleLine> {
        self.console.snapshot()
    }

    /// Stops the thread (it sends `ToRender::Stopped`) and waits for it.
    pub fn shutdown(mut self) -> Result<(), BridgeError> {
        self.stop_and_join()
    }

    fn stop_and_join(&mut self) -> Result<(), BridgeError> {
        let Some(thread) = self.thread.take() else {
            return Ok(());
        };
        // Full means a stop is already queued; disconnected means it exited.
        let _ = self.stop.try_send(());
        thread.join().map_err(|_| BridgeError::ThreadPanicked)
    }
}

impl Drop for LogicHandle {
    fn drop(&mut self) {
        let _ = self.stop_and_join();
    }
}

/// The loop's ends of its channels.
struct LoopChannels {
    to_render: Sender<ToRender>,
    from_host: Receiver<ToLogic>,
    stop: Receiver<()>,
}

/// What woke the loop.
enum Wake {
    Host(ToLogic),
    /// Stop requested, the host hung up, or the host sent `Shutdown`.
    Stop,
    /// A timer may be due (the clock advanced or the wait timed out).
    Time,
    /// An HTTP request or download finished (wx.request, wx.downloadFile).
    Wx(crate::wx::Completion),
}

struct LogicLoop {
    // Field order is drop order: the context must go before its runtime.
    context: Context,
    runtime: Runtime,
    shared: Rc<RefCell<Shared>>,
    clock: Clock,
    from_host: Receiver<ToLogic>,
    stop: Receiver<()>,
    /// When the current call into JS must be interrupted.
    deadline: Rc<Cell<Option<Instant>>>,
    /// While a turn's promise jobs and ticks drain: the deadline they all
    /// share, so that no call inside the drain gets a fresh budget.
    drain_deadline: Cell<Option<Instant>>,
    /// The JS heap limit (for diagnostics).
    memory_limit: usize,
    /// The heap's allocator: whether it refused an allocation.
    heap: Rc<crate::heap_budget::HeapBudget>,
    /// Rejected promises with no handler yet, by the promise's address.
    /// Whatever is still here once a turn's jobs have run is reported.
    unhandled_rejections: Rc<RefCell<Vec<(usize, JsFailure)>>>,
    /// How long one call into JS may run.
    turn_budget: Duration,
    launched: bool,
    /// Messages taken from the queue, `Launch` and `Shutdown` aside (sent
    /// with `ToRender::Idle`).
    handled: u64,
    next_page_id: u32,
    /// The page stack (router.rs).
    router: router::Router,
    /// wx.* state: storage, HTTP workers (their completions wake the loop).
    wx: crate::wx::WxHost,
}

impl LogicLoop {
    fn new(
        package: std::sync::Arc<Package>,
        options: LogicOptions,
        channels: LoopChannels,
        console: ConsoleBuffer,
        turn_budget: Duration,
    ) -> Result<LogicLoop, BridgeError> {
        let LoopChannels {
            to_render,
            from_host,
            stop,
        } = channels;
        let (runtime, heap) = crate::js_limits::limited_runtime(
            options.memory_limit_bytes,
            crate::js_limits::JS_MAX_STACK_BYTES,
        )
        .map_err(|e| BridgeError::QuickJs(e.to_string()))?;
        let context = Context::full(&runtime).map_err(|e| BridgeError::QuickJs(e.to_string()))?;
        let deadline: Rc<Cell<Option<Instant>>> = Rc::new(Cell::new(None));
        let handler_deadline = deadline.clone();
        runtime.set_interrupt_handler(Some(Box::new(move || {
            handler_deadline
                .get()
                .is_some_and(|deadline| Instant::now() > deadline)
        })));
        let unhandled_rejections: Rc<RefCell<Vec<(usize, JsFailure)>>> = Rc::default();
        let tracked = unhandled_rejections.clone();
        runtime.set_host_promise_rejection_tracker(Some(Box::new(
            move |ctx, promise, reason, is_handled| {
                // SAFETY: a promise is an object, so its JSValue holds a pointer;
                // the address is only used as an identity key.
                let key = unsafe { rquickjs::qjs::JS_VALUE_GET_PTR(promise.as_raw()) } as usize;
                let mut pending = tracked.borrow_mut();
                if is_handled {
                    pending.retain(|(address, _)| *address != key);
                } else {
                    pending.push((key, JsFailure::from_value(&ctx, reason)));
                }
            },
        )));
        let router = router::Router::new(&package);
        let time = match &options.clock {
            Clock::Real => TimeSource::Real(Instant::now()),
            Clock::Controlled(clock) => TimeSource::Virtual(clock.now_ms()),
        };
        let shared = Rc::new(RefCell::new(Shared {
            package,
            to_render,
            viewport: options.viewport,
            time,
            timers: TimerQueue::default(),
            pages: Vec::new(),
            console,
            worklet_attributes: Default::default(),
        }));
        let app_package = shared.borrow().package.clone();
        let wx = crate::wx::WxHost::new(&app_package, options.data_dir.as_deref(), &shared);
        context.with(|ctx| -> Result<(), BridgeError> {
            let bootstrap = |ctx: &Ctx<'_>| -> rquickjs::Result<()> {
                natives::install(ctx, &shared)?;
                crate::wx_config::install(ctx, &app_package)?;
                crate::script::eval_named(ctx, BOOTSTRAP_JS, BOOTSTRAP_NAME, false)?;
                crate::component::install(ctx, &shared)?;
                crate::script::eval_named(
                    ctx,
                    crate::component::COMPONENT_JS,
                    crate::component::COMPONENT_JS_NAME,
                    false,
                )?;
                // Before wx.js, whose system info builds on router.js's
                // getWindowInfo (windowHeight less the bars).
                router::install(ctx, &router, &shared)?;
                crate::script::eval_named(ctx, router::ROUTER_JS, router::ROUTER_JS_NAME, false)?;
                wx.install(ctx, &shared)?;
                Ok(())
            };
            bootstrap(&ctx)
                .map_err(|error| BridgeError::Bootstrap(JsFailure::from_error(&ctx, error).message))
        })?;
        // Templates evaluated on this thread call WXS here (crate::wxs).
        let wxs = crate::wxs::WxsRuntime::new(shared.borrow().package.clone(), turn_budget)?;
        cirrus_template::set_thread_wxs_host(Some(Rc::new(RefCell::new(wxs))));
        Ok(LogicLoop {
            context,
            runtime,
            shared,
            clock: options.clock,
            from_host,
            stop,
            deadline,
            drain_deadline: Cell::new(None),
            memory_limit: options.memory_limit_bytes,
            heap,
            unhandled_rejections,
            turn_budget,
            launched: false,
            handled: 0,
            next_page_id: 1,
            router,
            wx,
        })
    }

    fn run(mut self) {
        loop {
            match self.wait() {
                Wake::Stop => break,
                Wake::Host(message) => {
                    if !matches!(message, ToLogic::Launch { .. }) {
                        self.handled += 1;
                    }
                    self.handle(message)
                }
                Wake::Time => {}
                Wake::Wx(done) => {
                    self.wx.job_finished();
                    self.deliver_wx(done);
                }
            }
            self.drain_jobs_and_ticks();
            self.run_due_timers();
            self.run_routes();
            // Ops a call left queued (its JS was interrupted mid-batch).
            crate::component::end_turn(&self.shared);
            self.send_worklet_handlers();
            if self.settled() {
                let handled = self.handled;
                self.shared.borrow().send(ToRender::Idle { handled });
            }
        }
        self.shared.borrow().send(ToRender::Stopped);
    }

    fn wait(&self) -> Wake {
        let host = |message: Result<ToLogic, _>| match message {
            Ok(ToLogic::Shutdown) | Err(_) => Wake::Stop,
            Ok(message) => Wake::Host(message),
        };
        match &self.clock {
            Clock::Real => {
                let next_due = self.shared.borrow().timers.next_due();
                let now = self.shared.borrow().now();
                // No timer: wake up now and then anyway; it costs nothing.
                let timeout = next_due.map_or(Duration::from_secs(3600), |due| {
                    Duration::from_millis(due.saturating_sub(now))
                });
                select! {
                    recv(self.from_host) -> message => host(message),
                    recv(self.stop) -> _ => Wake::Stop,
                    recv(self.wx.completions()) -> done => done.map_or(Wake::Time, Wake::Wx),
                    default(timeout) => Wake::Time,
                }
            }
            Clock::Controlled(clock) => select! {
                recv(self.from_host) -> message => host(message),
                recv(self.stop) -> _ => Wake::Stop,
                recv(clock.wake_receiver()) -> _ => Wake::Time,
                recv(self.wx.completions()) -> done => done.map_or(Wake::Time, Wake::Wx),
            },
        }
    }

    fn handle(&mut self, message: ToLogic) {
        match message {
            ToLogic::Launch { route, query } => self.launch(&route, &query),
            ToLogic::Resize(viewport) => {
                self.shared.borrow_mut().viewport = viewport;
                // The top page's onResize and its components'
                // pageLifetimes.resize (component.js).
                self.call_js(
                    |_, cirrus| match cirrus.get::<_, Option<Function>>("resize")? {
                        Some(resize) => resize.call::<_, ()>(()),
                        None => Ok(()),
                    },
                );
            }
            // Handlers run in component.js (propagation through the
            // page's and components' trees: component.rs).
            ToLogic::Event(event) => {
                let payload = crate::events::payload(&event).to_string();
                self.call_js(|ctx, cirrus| {
                    let payload = ctx.json_parse(payload.as_str())?;
                    cirrus.get::<_, Function>("dispatchEvent")?.call::<_, ()>((
                        event.page.0,
                        event.node.0,
                        event.name.as_str(),
                        payload,
                    ))
                });
            }
            ToLogic::Route(request) => self.handle_route_request(request),
            ToLogic::ThemeChanged { dark } => {
                let theme = if dark { "dark" } else { "light" };
                self.call_js(|ctx, cirrus| {
                    cirrus.set("theme", theme)?;
                    let arg = ctx.json_parse(format!("{{\"theme\":\"{theme}\"}}"))?;
                    cirrus
                        .get::<_, Function>("callApp")?
                        .call::<_, ()>(("onThemeChange", arg))
                });
            }
            ToLogic::MemoryWarning { level } => {
                // Garbage first (cycles wait for QuickJS's collector, which
                // otherwise runs when the heap has grown by half), then the
                // app's listeners (wx_app.js), which may free more.
                self.runtime.run_gc();
                self.call_js(|ctx, cirrus| {
                    match cirrus.get::<_, Option<Function>>("memoryWarning")? {
                        Some(warn) => {
                            let arg = ctx.json_parse(format!("{{\"level\":{level}}}"))?;
                            warn.call::<_, ()>((arg,))
                        }
                        None => Ok(()),
                    }
                });
            }
            // The UI thread's side of worklets (wx_worklet.js).
            ToLogic::WorkletShared { values } => {
                let payload = serde_json::Value::from(
                    values
                        .into_iter()
                        .map(|(id, value)| serde_json::json!([id, value]))
                        .collect::<Vec<_>>(),
                )
                .to_string();
                self.call_worklet_hook("sharedFromUi", payload);
            }
            ToLogic::RunOnJs { id, args } => {
                let payload = serde_json::json!([id, args]).to_string();
                self.call_worklet_hook("runOnJs", payload);
            }
            // Counted above; the timers it waits for run after it.
            ToLogic::Sync | ToLogic::Shutdown => {}
            // The render thread's answers to wx.* calls (queries, dialogs).
            message @ (ToLogic::QueryResult { .. }
            | ToLogic::Intersection { .. }
            | ToLogic::DialogResult { .. }) => {
                if let Some(done) = crate::wx::completion_from_host(&message) {
                    self.deliver_wx(done);
                }
            }
        }
    }

    /// Hands finished wx.* work to its callbacks, as a turn of its own.
    fn deliver_wx(&mut self, done: crate::wx::Completion) {
        self.call_js(|ctx, cirrus| crate::wx::deliver(ctx, &cirrus, done));
    }

    // ---- launch and pages ------------------------------------------------

    fn launch(&mut self, route: &str, query: &str) {
        if self.launched {
            self.report(Diagnostic::warning(
                "",
                0,
                0,
                "the app was launched twice; the second launch is ignored",
            ));
            return;
        }
        self.launched = true;
        let (route, query) = split_route(route, query);
        let route = match route {
            Some(route) => route,
            None => match self.shared.borrow().package.home() {
                Some(home) => home.to_owned(),
                None => String::new(),
            },
        };
        let query = Value::Object(parse_query(&query));
        self.call_js(|_, cirrus| cirrus.get::<_, Function>("loadApp")?.call::<_, ()>(()));
        let launch_options =
            json!({ "path": route, "query": query, "scene": LAUNCH_SCENE, "referrerInfo": {} });
        self.call_app("onLaunch", &launch_options);
        self.call_app("onShow", &launch_options);
        self.open_page(&route, &query);
    }

    fn open_page(&mut self, route: &str, query: &Value) {
        if !self.shared.borrow().package.has_page(route) {
            self.report(Diagnostic::error(
                "app.json",
                0,
                0,
                format!("page `{route}` is not listed in app.json"),
            ));
            // Routes check their page before opening it (router.rs), so a
            // missing page here is the entry page.
            let not_found = json!({ "path": route, "query": query, "isEntryPage": true });
            self.call_app("onPageNotFound", &not_found);
            return;
        }
        let registered = self.call_js(|_, cirrus| {
            cirrus
                .get::<_, Function>("loadPage")?
                .call::<_, bool>((route,))
        });
        if registered == Some(false) {
            let file = self.page_script(route);
            self.report(Diagnostic::error(
                file.as_str(),
                0,
                0,
                format!("{file} did not call Page()"),
            ));
        }
        let page = PageId(self.next_page_id);
        self.next_page_id += 1;
        let query_json = query.to_string();
        let data_json = self.call_js(|ctx, cirrus| {
            let query = ctx.json_parse(query_json.as_str())?;
            cirrus
                .get::<_, Function>("createPage")?
                .call::<_, String>((route, page.0, query))
        });
        let data = data_json
            .and_then(|json| self.read_initial_data(route, &json))
            .filter(Value::is_object)
            .unwrap_or_else(|| Value::Object(Map::new()));
        self.shared.borrow().send(ToRender::PushPage {
            page,
            route: route.to_owned(),
        });

        let package = self.shared.borrow().package.clone();
        let (view, ops, diagnostics) = PageView::build(&package, route, data);
        {
            let mut shared = self.shared.borrow_mut();
            shared.pages.push(PageRecord { id: page, view });
            shared.send(ToRender::Ops(OpBatch { page, ops }));
            for diagnostic in diagnostics {
                shared.report(diagnostic);
            }
        }
        self.page_created(page, route);
        self.call_page(page, "onLoad", query);
        self.call_page(page, "onShow", &Value::Null);
        // The first batch is queued for the render thread; WeChat's onReady
        // means "first render done", which the render thread does not
        // report back yet, so it follows the initial batch directly.
        self.call_page(page, "onReady", &Value::Null);
        self.shared.borrow().send(ToRender::PageReady { page });
    }

    /// The script file of the page at `route` (`.js`, else `.ts`), for
    /// diagnostics about the page as a whole.
    fn page_script(&self, route: &str) -> String {
        let package = self.shared.borrow().package.clone();
        package
            .script_of(route)
            .unwrap_or_else(|| format!("{route}.js"))
    }

    /// A page's initial `data` (JSON from JS); data nested deeper than
    /// [`crate::data_json::MAX_SET_DATA_DEPTH`] is reported at the page's
    /// script, and the page starts with empty data.
    fn read_initial_data(&self, route: &str, json: &str) -> Option<Value> {
        match crate::data_json::parse(json, crate::data_json::MAX_SET_DATA_DEPTH) {
            Ok(data) => Some(data),
            Err(error) => {
                let file = self.page_script(route);
                self.report(Diagnostic::error(
                    file.as_str(),
                    1,
                    1,
                    format!("the initial data of {route} {error}; the page starts with empty data"),
                ));
                None
            }
        }
    }

    fn call_app(&self, hook: &str, argument: &Value) {
        let argument = argument.to_string();
        self.call_js(|ctx, cirrus| {
            let argument = ctx.json_parse(argument.as_str())?;
            cirrus
                .get::<_, Function>("callApp")?
                .call::<_, ()>((hook, argument))
        });
    }

    fn call_page(&self, page: PageId, hook: &str, argument: &Value) {
        let argument = argument.to_string();
        self.call_js(|ctx, cirrus| {
            let argument = ctx.json_parse(argument.as_str())?;
            cirrus
                .get::<_, Function>("callPage")?
                .call::<_, ()>((page.0, hook, argument))
        });
    }

    // ---- calling into JS -------------------------------------------------

    /// Runs `f` with `globalThis.__cirrus` under the turn budget. An
    /// exception is reported (and forwarded to App.onError); `None` then.
    fn call_js<T>(
        &self,
        f: impl for<'js> FnOnce(&Ctx<'js>, Object<'js>) -> rquickjs::Result<T>,
    ) -> Option<T> {
        self.arm_deadline();
        let outcome = self.context.with(|ctx| {
            let result = ctx
                .globals()
                .get::<_, Object>("__cirrus")
                .and_then(|cirrus| f(&ctx, cirrus));
            result.map_err(|error| JsFailure::from_error(&ctx, error))
        });
        self.deadline.set(None);
        match outcome {
            Ok(value) => Some(value),
            Err(failure) => {
                self.report_failure(&failure);
                None
            }
        }
    }

    /// Arms the watchdog for one call: the turn budget from now, or what is
    /// left of the drain's shared budget.
    fn arm_deadline(&self) {
        // A refusal the previous call caught and survived is over; its
        // reserve is returned.
        self.heap.take_refusal();
        let fresh = Instant::now() + self.turn_budget;
        let deadline = match self.drain_deadline.get() {
            Some(shared) => shared.min(fresh),
            None => fresh,
        };
        self.deadline.set(Some(deadline));
    }

    /// The handlers named by `worklet:*` attributes of this turn's ops go to
    /// the render thread (wx_worklet.js resolves each method on the page or
    /// component that owns the node, and sends it as a worklet).
    fn send_worklet_handlers(&mut self) {
        let found = std::mem::take(&mut *self.shared.borrow().worklet_attributes.borrow_mut());
        if found.is_empty() {
            return;
        }
        let entries: Vec<Value> = found
            .into_iter()
            .filter_map(|a| {
                let owner = crate::component::owner_of_node(&self.shared, a.page, a.node)?;
                Some(serde_json::json!([
                    a.page, a.node, a.event, a.method, owner
                ]))
            })
            .collect();
        self.call_worklet_hook("bindHandlers", Value::from(entries).to_string());
    }

    /// Calls `__cirrus.worklet[name](JSON.parse(payload))`, when the
    /// worklet API is installed.
    fn call_worklet_hook(&mut self, name: &'static str, payload: String) {
        self.call_js(|ctx, cirrus| {
            let Some(worklet) = cirrus.get::<_, Option<rquickjs::Object>>("worklet")? else {
                return Ok(());
            };
            match worklet.get::<_, Option<Function>>(name)? {
                Some(hook) => {
                    let arg = ctx.json_parse(payload)?;
                    hook.call::<_, ()>((arg,))
                }
                None => Ok(()),
            }
        });
    }

    fn deadline_passed(&self) -> bool {
        self.deadline
            .get()
            .is_some_and(|deadline| Instant::now() > deadline)
    }

    fn report_failure(&self, failure: &JsFailure) {
        let mut message = failure.message.clone();
        if self.heap.take_refusal() && !crate::js_limits::is_out_of_memory(&message) {
            // The heap ran out while the error itself was being made (QuickJS
            // then throws `null`), or the app caught the error and threw
            // another: say what happened first.
            message = format!("InternalError: out of memory ({message})");
        }
        let failure = JsFailure {
            message: crate::js_limits::explain(&message, self.turn_budget, self.memory_limit),
            stack: failure.stack.clone(),
        };
        if crate::js_limits::is_out_of_memory(&failure.message) {
            // What the failed call allocated is garbage now (or held by the
            // app, which then keeps failing, each time with a diagnostic):
            // collect cycles before App.onError and the next call run.
            self.runtime.run_gc();
        }
        let mut diagnostic = failure.to_diagnostic(&self.shared.borrow().package);
        if diagnostic.file.is_empty() {
            // No package frame on the stack: QuickJS interrupts a promise
            // job at its function's entry, before the frame exists, and an
            // error it could not allocate has no stack. The script of the
            // page on screen (else app.js) is where the app's code ran.
            diagnostic.file = self.running_script();
            diagnostic.line = 1;
            diagnostic.column = 1;
        }
        self.report(diagnostic);
        let text = if failure.stack.is_empty() {
            failure.message.clone()
        } else {
            format!("{}\n{}", failure.message, failure.stack)
        };
        // App.onError gets a budget of its own (the failed call's may be
        // spent), and the caller's deadline is restored after it.
        let caller_deadline = self.deadline.get();
        self.deadline.set(Some(Instant::now() + self.turn_budget));
        // App.onError itself throwing is reported once, not forwarded again.
        let nested = self.context.with(|ctx| {
            let result = ctx
                .globals()
                .get::<_, Object>("__cirrus")
                .and_then(|cirrus| {
                    cirrus
                        .get::<_, Function>("appError")?
                        .call::<_, ()>((text,))
                });
            result.map_err(|error| JsFailure::from_error(&ctx, error))
        });
        self.deadline.set(caller_deadline);
        if let Err(nested) = nested {
            let diagnostic = nested.to_diagnostic(&self.shared.borrow().package);
            self.report(diagnostic);
        }
    }

    /// The script of the page on screen, else the app's.
    fn running_script(&self) -> String {
        let package = self.shared.borrow().package.clone();
        let page_script = self.router.top_route().map(|route| {
            package
                .script_of(route)
                .unwrap_or_else(|| format!("{route}.js"))
        });
        page_script.unwrap_or_else(|| package.script_of("app").unwrap_or_else(|| "app.js".into()))
    }

    fn report(&self, diagnostic: Diagnostic) {
        self.shared.borrow().report(diagnostic);
    }

    /// Runs promise jobs and queued ticks until none are left, then reports
    /// the promise rejections nobody handled.
    fn drain_jobs_and_ticks(&self) {
        self.run_jobs_and_ticks();
        let unhandled = std::mem::take(&mut *self.unhandled_rejections.borrow_mut());
        for (_, mut failure) in unhandled {
            failure.message = format!("Unhandled promise rejection: {}", failure.message);
            self.report_failure(&failure);
        }
    }

    /// Promise jobs and ticks share one watchdog budget: a chain of them
    /// that never ends is interrupted like an endless loop.
    fn run_jobs_and_ticks(&self) {
        self.drain_deadline
            .set(Some(Instant::now() + self.turn_budget));
        self.run_jobs_and_ticks_within_budget();
        self.drain_deadline.set(None);
    }

    fn run_jobs_and_ticks_within_budget(&self) {
        for _ in 0..MAX_DRAIN_ROUNDS {
            let expired = self
                .drain_deadline
                .get()
                .is_some_and(|deadline| Instant::now() > deadline);
            if expired {
                // What is still queued runs in a later turn, with a budget.
                return;
            }
            self.run_promise_jobs();
            let more_ticks = self
                .call_js(|_, cirrus| cirrus.get::<_, Function>("hasTicks")?.call::<_, bool>(()));
            if more_ticks != Some(true) {
                if !self.runtime.is_job_pending() {
                    return;
                }
                continue;
            }
            self.call_js(|_, cirrus| cirrus.get::<_, Function>("runTicks")?.call::<_, bool>(()));
        }
    }

    /// Runs promise jobs until none is left, all under one deadline. Once
    /// it has passed, the interrupt handler stops each job at its next
    /// poll; the first interruption is reported, the jobs it takes down
    /// with it are not (one endless chain, one diagnostic), and after
    /// [`MAX_JOBS_AFTER_DEADLINE`] more jobs the rest wait for a later turn.
    fn run_promise_jobs(&self) {
        self.arm_deadline();
        let mut jobs_after_deadline = 0;
        let mut reported_interruption = false;
        loop {
            let expired = self.deadline_passed();
            if expired {
                jobs_after_deadline += 1;
                if jobs_after_deadline > MAX_JOBS_AFTER_DEADLINE {
                    break;
                }
            }
            match self.runtime.execute_pending_job() {
                Ok(true) => continue,
                Ok(false) => break,
                Err(job) => {
                    let failure = job
                        .0
                        .with(|ctx| JsFailure::from_error(&ctx, rquickjs::Error::Exception));
                    if !(expired && reported_interruption) {
                        reported_interruption |= self.deadline_passed();
                        self.report_failure(&failure);
                    }
                }
            }
        }
        self.deadline.set(None);
    }

    // ---- timers ----------------------------------------------------------

    /// Fires every timer due by now (by the controlled clock's time), each
    /// as its own turn, in due order.
    fn run_due_timers(&mut self) {
        let horizon = self.horizon();
        for _ in 0..MAX_TIMERS_PER_PASS {
            let due = self.shared.borrow_mut().timers.pop_due(horizon);
            let Some((id, due_at)) = due else { break };
            self.set_virtual_now(due_at);
            self.call_js(|_, cirrus| cirrus.get::<_, Function>("fireTimer")?.call::<_, ()>((id,)));
            self.drain_jobs_and_ticks();
        }
        let next_due = self.shared.borrow().timers.next_due();
        if next_due.is_none_or(|due| due > horizon) {
            self.set_virtual_now(horizon);
        }
    }

    /// The time up to which timers fire in this pass.
    fn horizon(&self) -> Millis {
        match &self.clock {
            Clock::Real => self.shared.borrow().now(),
            Clock::Controlled(clock) => clock.now_ms(),
        }
    }

    fn set_virtual_now(&self, now: Millis) {
        let mut shared = self.shared.borrow_mut();
        if let TimeSource::Virtual(current) = &mut shared.time {
            *current = (*current).max(now);
        }
    }

    /// Nothing left to do: no host message queued, no timer due.
    fn settled(&self) -> bool {
        let shared = self.shared.borrow();
        let now = match &self.clock {
            Clock::Real => shared.now(),
            Clock::Controlled(clock) => clock.now_ms(),
        };
        self.from_host.is_empty()
            && shared.timers.next_due().is_none_or(|due| due > now)
            && !self.wx.busy()
    }
}

/// Splits `pages/a/a?id=3` into the route and its query, appending the
/// separate `query` argument. An empty route means the home page.
fn split_route(route: &str, query: &str) -> (Option<String>, String) {
    let (path, inline_query) = route.split_once('?').unwrap_or((route, ""));
    let query = match (
        inline_query.is_empty(),
        query.trim_start_matches('?').is_empty(),
    ) {
        (true, _) => query.trim_start_matches('?').to_owned(),
        (false, true) => inline_query.to_owned(),
        (false, false) => format!("{inline_query}&{}", query.trim_start_matches('?')),
    };
    let path = normalize(path);
    (if path.is_empty() { None } else { Some(path) }, query)
}

/// `a=1&b=x` -> `{"a":"1","b":"x"}`. Values stay as written (WeChat hands
/// `onLoad` the raw strings; pages decode them themselves).
fn parse_query(query: &str) -> Map<String, Value> {
    query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            (key.to_owned(), Value::String(value.to_owned()))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_carry_their_query() {
        assert_eq!(
            split_route("pages/a/a?id=3", ""),
            (Some("pages/a/a".into()), "id=3".into())
        );
        assert_eq!(
            split_route("/pages/a/a?id=3", "x=1"),
            (Some("pages/a/a".into()), "id=3&x=1".into())
        );
        assert_eq!(split_route("", "x=1"), (None, "x=1".into()));
        let query = parse_query("id=3&flag&name=a%20b");
        assert_eq!(
            Value::Object(query),
            json!({"id": "3", "flag": "", "name": "a%20b"})
        );
    }
}

#[cfg(test)]
mod runaway_tests {
    use super::*;
    use crate::clock::ControlledClock;
    use crossbeam::channel::unbounded;

    /// Launches a one-page app whose page script is `page_js` and returns
    /// the errors of the launch turn, the console, and the clock.
    fn launch(
        page_js: &str,
        budget: Duration,
    ) -> (
        Vec<Diagnostic>,
        LogicHandle,
        ControlledClock,
        Receiver<ToRender>,
    ) {
        let files = [
            ("app.json", r#"{"pages":["p/p"]}"#),
            ("app.js", "App({})"),
            ("p/p.js", page_js),
            ("p/p.wxml", "<view/>"),
        ];
        let (package, _) = Package::from_files(files.map(|(a, b)| (a.to_string(), b.to_string())));
        let clock = ControlledClock::new();
        let (to_logic, from_host) = unbounded();
        let (to_render, from_logic) = unbounded();
        let options = LogicOptions {
            clock: Clock::Controlled(clock.clone()),
            ..LogicOptions::default()
        };
        let handle =
            LogicThread::spawn_with_budget(package, options, to_render, from_host, budget).unwrap();
        to_logic
            .send(ToLogic::Launch {
                route: "p/p".into(),
                query: String::new(),
            })
            .unwrap();
        let errors = until_idle(&from_logic);
        // The host's sender must outlive the test: a hung-up host stops the loop.
        std::mem::forget(to_logic);
        (errors, handle, clock, from_logic)
    }

    fn until_idle(from_logic: &Receiver<ToRender>) -> Vec<Diagnostic> {
        let mut errors = Vec::new();
        loop {
            match from_logic.recv_timeout(Duration::from_secs(30)).unwrap() {
                ToRender::Idle { .. } => return errors,
                ToRender::Error(d) => errors.push(d),
                _ => {}
            }
        }
    }

    #[test]
    fn an_endless_loop_is_interrupted_and_the_thread_goes_on() {
        let page_js = "Page({ onLoad() {\n  setTimeout(() => console.log('alive'), 5);\n  let spins = 0;\n  while (true) { spins += 1; }\n} });";
        let (errors, handle, clock, from_logic) = launch(page_js, Duration::from_millis(100));
        assert_eq!(errors.len(), 1, "{errors:?}");
        // QuickJS-ng records the frame's pc only at calls, so the line is
        // that of the last call before the loop (setTimeout's), not the loop's.
        assert_eq!(errors[0].file, "p/p.js", "{}", errors[0]);
        assert!(errors[0].message.contains("interrupted"), "{}", errors[0]);
        clock.advance(Duration::from_millis(5));
        until_idle(&from_logic);
        assert_eq!(
            handle.console_lines().last().map(|l| l.text.as_str()),
            Some("alive")
        );
    }

    #[test]
    fn endless_recursion_is_a_range_error() {
        let page_js =
            "function down(n) { return down(n + 1) + 1; }\nPage({ onLoad() { down(0); } });";
        let (errors, _handle, _, _) = launch(page_js, TURN_BUDGET);
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(errors[0].message.starts_with("RangeError"), "{}", errors[0]);
        assert_eq!(errors[0].file, "p/p.js");
    }
}
