//! The embedding API: a mini program inside a native host, which owns the
//! window, the clock and the event loop.
//!
//! The host creates an [`Engine`] for an app folder, then each frame (at
//! its own vsync) calls [`Engine::frame`] with its clock and renders into
//! one of three targets:
//! - a CPU RGBA buffer ([`Engine::render_rgba`]);
//! - a wgpu texture on the host's own device ([`Engine::use_host_gpu`],
//!   then [`Engine::render_to_texture`]);
//! - a surface made from the host's raw window handle
//!   ([`Engine::attach_window`], then [`Engine::present`]).
//!
//! Input goes in as touches, wheel, keys and IME text; what the host may
//! show around the page (title, navigation, logs, errors, "settled") comes
//! back through a listener ([`Engine::set_listener`]).
//!
//! Threads: the app's JavaScript runs on a logic thread of the engine's
//! own; everything else (applying its changes, style, layout, paint,
//! rasterising) runs inside the host's calls, on the host's thread, through
//! the engine's one frame driver. An `Engine` is `Send` but not `Sync`:
//! call it from one thread at a time.

use crate::EmbedError;
use cirrus_engine::diagnostics::Diagnostic;
use cirrus_engine::frame::surface::SurfaceTarget;
use cirrus_engine::frame::FrameDriver;
use cirrus_engine::input::{InputEvent, PointerPhase};
use cirrus_engine::layout::Viewport;
use cirrus_engine::package::Package;
use cirrus_engine::protocol::{NavigationKind, RouteRequest, ToLogic, ToRender};
use cirrus_engine::render::{wgpu, Renderer, RendererChoice};
use cirrus_engine::stage::Stage;
use cirrus_engine::EngineError;
use cirrus_js_bridge::{Clock, ConsoleLevel, LogicHandle};
use crossbeam::channel::Receiver;
use std::path::PathBuf;
use std::time::Duration;

/// How an [`Engine`] starts.
#[derive(Clone, Debug)]
pub struct EngineOptions {
    /// The devtools project folder or the mini program root.
    pub app: PathBuf,
    /// The page to open with its query (`pages/a/a?id=3`); `None` is the
    /// home page.
    pub page: Option<String>,
    /// The viewport in CSS px, and the device pixel ratio.
    pub width: f32,
    pub height: f32,
    pub dpr: f32,
    /// Where the app's storage lives; `None` is the per-app default.
    pub data_dir: Option<PathBuf>,
    /// The app's JS heap limit in bytes; `None` is the default (256 MiB).
    /// Past it the app gets `out of memory` errors; the host is unharmed.
    pub memory_limit_bytes: Option<usize>,
    /// Start in the dark theme.
    pub dark: bool,
    /// Which rasteriser draws: the GPU where a hardware adapter exists,
    /// else the CPU one.
    pub renderer: RendererChoice,
}

impl EngineOptions {
    pub fn new(app: impl Into<PathBuf>) -> EngineOptions {
        EngineOptions {
            app: app.into(),
            page: None,
            width: 375.0,
            height: 667.0,
            dpr: 2.0,
            data_dir: None,
            memory_limit_bytes: None,
            dark: false,
            renderer: RendererChoice::Auto,
        }
    }
}

/// What the engine tells its host.
#[derive(Clone, Debug, PartialEq)]
pub enum HostEvent {
    /// The top page's navigation bar title changed (a route, or
    /// `wx.setNavigationBarTitle`).
    Title(String),
    /// The page stack changed: the route on top and the stack's depth.
    Navigated { route: String, depth: usize },
    /// A `console.*` line of the app.
    Log { level: ConsoleLevel, text: String },
    /// An error in the app (a script exception, a template or style error),
    /// located. The engine keeps running and shows it in its overlay.
    Error(Diagnostic),
    /// The app has settled: nothing pending, the top page ready, no
    /// transition running. Sent once each time it becomes settled.
    Settled,
}

/// Receives [`HostEvent`]s, on the host's thread, during [`Engine::frame`].
pub type Listener = Box<dyn FnMut(&HostEvent) + Send>;

/// A running mini program, driven by its host.
///
/// Frames are built on the host's thread (style, layout and paint walk the
/// node tree recursively, up to the engine's depth limit): call it from a
/// thread with at least 8 MiB of stack, as a process's main thread has
/// (`cirrus_engine::render_thread::RENDER_STACK_BYTES` is what the engine
/// gives its own render thread).
pub struct Engine {
    driver: FrameDriver,
    from_logic: Receiver<ToRender>,
    logic: Option<LogicHandle>,
    listener: Option<Listener>,
    /// Events not yet given to the listener (or polled).
    pending: Vec<HostEvent>,
    console_seen: usize,
    settled: bool,
    title: Option<String>,
    top: Option<(String, usize)>,
    /// Problems found loading the package.
    load_diagnostics: Vec<Diagnostic>,
    /// The window surface of [`Engine::attach_window`].
    window: Option<SurfaceTarget>,
    renderer_choice: RendererChoice,
}

impl Engine {
    /// Loads the app and starts its logic thread; the first frame shows it.
    pub fn new(options: EngineOptions) -> Result<Engine, EmbedError> {
        let (package, load_diagnostics) = Package::load(&options.app)
            .map_err(|e| EmbedError::Engine(cirrus_engine::EngineError::Package(e)))?;
        let viewport = Viewport::new(options.width, options.height, options.dpr);
        let launched = crate::launch::start_logic(
            &package,
            options.page.as_deref(),
            viewport,
            Clock::Real,
            &crate::AppResources {
                data_dir: options.data_dir.clone(),
                memory_limit_bytes: options.memory_limit_bytes,
            },
        )?;
        let (logic, from_logic, to_logic) =
            (launched.logic, launched.from_logic, launched.to_logic);
        let mut driver = FrameDriver::new(Stage::new(package, viewport), to_logic);
        driver.set_renderer_choice(options.renderer);
        driver.prepare_headless_renderer();
        if options.dark {
            driver.set_dark_mode(true);
        }
        let pending = load_diagnostics
            .iter()
            .filter(|d| d.is_error())
            .cloned()
            .map(HostEvent::Error)
            .collect();
        Ok(Engine {
            driver,
            from_logic,
            logic: Some(logic),
            listener: None,
            pending,
            console_seen: 0,
            settled: false,
            title: None,
            top: None,
            load_diagnostics,
            window: None,
            renderer_choice: options.renderer,
        })
    }

    /// Where [`HostEvent`]s go from now on (events already pending too).
    pub fn set_listener(&mut self, listener: Listener) {
        self.listener = Some(listener);
        self.deliver();
    }

    /// Takes the events not delivered to a listener (for hosts that poll).
    pub fn take_events(&mut self) -> Vec<HostEvent> {
        std::mem::take(&mut self.pending)
    }

    /// The problems found loading the package (warnings included).
    pub fn load_diagnostics(&self) -> &[Diagnostic] {
        &self.load_diagnostics
    }

    /// One frame at the host's `time` (since it created the engine, from
    /// its own clock: vsync, a test's counter). Applies what the app did,
    /// moves animations and gestures, and reports events. True when the
    /// picture changed and should be rendered.
    pub fn frame(&mut self, time: Duration) -> bool {
        while let Ok(message) = self.from_logic.try_recv() {
            if let ToRender::Error(d) = &message {
                self.pending.push(HostEvent::Error(d.clone()));
            }
            self.driver.apply(message);
        }
        let changed = self.driver.advance(time);
        self.driver.update();
        self.note_changes();
        self.deliver();
        changed || self.driver.needs_redraw()
    }

    /// Renders the current frame into `out`: RGBA8, straight alpha, rows
    /// of `stride` bytes (at least 4 × width). Returns the size in
    /// pixels ([`Engine::size_px`]); `out` must hold `stride × height`.
    pub fn render_rgba(&mut self, out: &mut [u8], stride: usize) -> Result<(u32, u32), EmbedError> {
        let (width, height) = self.size_px();
        let row = width as usize * 4;
        if stride < row || out.len() < stride * height as usize {
            return Err(EmbedError::BufferTooSmall {
                needed: stride.max(row) * height as usize,
                given: out.len(),
            });
        }
        let image = self.driver.render_image()?;
        for (y, source) in image.chunks_exact(row).enumerate() {
            out[y * stride..y * stride + row].copy_from_slice(source);
        }
        Ok((width, height))
    }

    /// Draws with a renderer on the host's own wgpu device from now on, so
    /// [`Engine::render_to_texture`] can draw into the host's textures.
    pub fn use_host_gpu(
        &mut self,
        adapter: &wgpu::Adapter,
        device: wgpu::Device,
        queue: wgpu::Queue,
    ) -> Result<(), EmbedError> {
        let renderer = Renderer::for_host_device(adapter, device, queue)
            .map_err(|e| EmbedError::Engine(EngineError::Gpu(e.to_string())))?;
        self.driver.set_renderer(renderer);
        Ok(())
    }

    /// Renders the current frame into `view`, a texture of the host's
    /// device (after [`Engine::use_host_gpu`]) of `format` and `width` x
    /// `height` pixels (normally [`Engine::size_px`]). Colours are sRGB
    /// values blended as browsers do: give a non-sRGB view.
    pub fn render_to_texture(
        &mut self,
        view: &wgpu::TextureView,
        format: wgpu::TextureFormat,
        width: u32,
        height: u32,
    ) -> Result<(), EmbedError> {
        Ok(self.driver.render_to_view(view, format, width, height)?)
    }

    /// Shows the app in the host's window (or a child view of it), through
    /// a surface made from its raw handles; `width` x `height` is the
    /// surface's size in physical pixels. Frames then go there with
    /// [`Engine::present`].
    ///
    /// # Safety
    /// The handles must be valid and stay valid until the engine is
    /// dropped or another window is attached (wgpu's
    /// `SurfaceTargetUnsafe::RawHandle` rules).
    pub unsafe fn attach_window(
        &mut self,
        display: wgpu::rwh::RawDisplayHandle,
        window: wgpu::rwh::RawWindowHandle,
        width: u32,
        height: u32,
    ) -> Result<(), EmbedError> {
        let instance = Renderer::create_instance();
        // SAFETY: the caller's promise above.
        let surface = unsafe {
            instance.create_surface_unsafe(wgpu::SurfaceTargetUnsafe::RawHandle {
                raw_display_handle: display,
                raw_window_handle: window,
            })
        }
        .map_err(|e| EmbedError::Engine(EngineError::Gpu(e.to_string())))?;
        let target = SurfaceTarget::new(instance, surface, (width, height));
        let renderer = target
            .renderer()
            .ok_or_else(|| EmbedError::Engine(EngineError::NoAdapter("for the window".into())))?;
        self.driver
            .set_window_renderer(renderer, self.renderer_choice);
        self.window = Some(target);
        Ok(())
    }

    /// Draws the current frame to the attached window
    /// ([`Engine::attach_window`]).
    pub fn present(&mut self) -> Result<(), EmbedError> {
        let Some(window) = self.window.as_mut() else {
            return Err(EmbedError::Engine(EngineError::NoAdapter(
                "no window is attached".into(),
            )));
        };
        Ok(self.driver.present(window)?)
    }

    /// The frame's size in device pixels.
    pub fn size_px(&self) -> (u32, u32) {
        self.driver.device_size()
    }

    /// A touch (a finger or the mouse) at `(x, y)`, CSS px of the viewport.
    pub fn touch(&mut self, id: u32, phase: PointerPhase, x: f32, y: f32) {
        self.driver.input(InputEvent::Pointer { id, phase, x, y });
    }

    /// A wheel scroll at `(x, y)` by `(dx, dy)` CSS px towards the end.
    pub fn wheel(&mut self, x: f32, y: f32, dx: f32, dy: f32) {
        self.driver.input(InputEvent::Wheel { x, y, dx, dy });
    }

    /// A key by its W3C name (`Enter`, `Backspace`, `a`).
    pub fn key(&mut self, key: &str) {
        self.driver.input(InputEvent::Key {
            key: key.to_owned(),
        });
    }

    /// Text committed by the keyboard or the IME.
    pub fn commit_text(&mut self, text: &str) {
        self.driver.input(InputEvent::Text {
            text: text.to_owned(),
            composing: false,
        });
    }

    /// The IME's preedit (composition) text.
    pub fn preedit_text(&mut self, text: &str) {
        self.driver.input(InputEvent::Text {
            text: text.to_owned(),
            composing: true,
        });
    }

    /// The host's view changed size (CSS px) or density.
    pub fn resize(&mut self, width: f32, height: f32, dpr: f32) {
        let viewport = Viewport::new(width, height, dpr);
        self.driver.resize(viewport);
        if let Some(window) = &mut self.window {
            window.resize(viewport);
        }
    }

    /// Switches the theme; the app's `onThemeChange` runs.
    pub fn set_dark_mode(&mut self, dark: bool) {
        self.driver.set_dark_mode(dark);
    }

    /// The host is short of memory (a phone's memory warning): the engine
    /// frees what it can rebuild (decoded pictures off screen, JS garbage)
    /// and the app's `wx.onMemoryWarning` listeners run with `{level}`
    /// (Android's trim levels: 5, 10, 15).
    pub fn memory_warning(&mut self, level: u32) {
        self.driver.memory_warning(level);
    }

    /// Opens `url` (package-absolute) as the `wx` route API `kind` would.
    pub fn navigate(&mut self, kind: NavigationKind, url: &str) {
        self.driver.send(ToLogic::Route(RouteRequest::Open {
            kind,
            url: url.to_owned(),
        }));
    }

    /// Closes `delta` pages, as the back button does.
    pub fn navigate_back(&mut self, delta: u32) {
        self.driver
            .send(ToLogic::Route(RouteRequest::NavigateBack { delta }));
    }

    /// The layout file (the CLI contract) of the current frame.
    pub fn layout(&mut self) -> serde_json::Value {
        self.driver.stage_mut().layout_json()
    }

    /// The app has settled (see [`HostEvent::Settled`]).
    pub fn is_settled(&self) -> bool {
        self.driver.is_settled()
    }

    /// The frame driver, for hosts that need more (display lists, stats).
    pub fn driver(&mut self) -> &mut FrameDriver {
        &mut self.driver
    }

    /// Stops the logic thread and waits for it.
    pub fn shutdown(mut self) {
        self.stop();
    }

    fn stop(&mut self) {
        self.driver.send(ToLogic::Shutdown);
        if let Some(logic) = self.logic.take() {
            let _ = logic.shutdown();
        }
    }

    /// Title, navigation, console and settledness since the last frame.
    fn note_changes(&mut self) {
        let stage = self.driver.stage();
        if let Some(page) = stage.top_page() {
            let top = (page.route.clone(), stage.pages().len());
            if self.top.as_ref() != Some(&top) {
                self.pending.push(HostEvent::Navigated {
                    route: top.0.clone(),
                    depth: top.1,
                });
                self.top = Some(top);
            }
            let title = stage
                .chrome()
                .navigation_bar(page)
                .map(|bar| bar.title)
                .unwrap_or_else(|| page.config.window.navigation_bar_title_text.clone());
            if self.title.as_ref() != Some(&title) {
                self.pending.push(HostEvent::Title(title.clone()));
                self.title = Some(title);
            }
        }
        if let Some(logic) = &self.logic {
            let lines = logic.console_lines();
            for line in lines.into_iter().skip(self.console_seen) {
                self.console_seen += 1;
                self.pending.push(HostEvent::Log {
                    level: line.level,
                    text: line.text,
                });
            }
        }
        let settled = self.driver.is_settled();
        if settled && !self.settled {
            self.pending.push(HostEvent::Settled);
        }
        self.settled = settled;
    }

    fn deliver(&mut self) {
        if let Some(listener) = &mut self.listener {
            for event in self.pending.drain(..) {
                listener(&event);
            }
        }
    }
}

impl Drop for Engine {
    fn drop(&mut self) {
        self.stop();
    }
}
