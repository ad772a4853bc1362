//! The render thread: owns the [`Stage`] and the GPU renderer, applies op
//! batches as they arrive and draws frames. It never waits for the logic
//! thread: it polls its queues with a frame-length timeout and draws with
//! whatever state it has.

use crate::diagnostics::Diagnostic;
use crate::package::Package;
use crate::protocol::{ToLogic, ToRender};
use crate::stage::{FrameStats, Stage};
use crate::EngineError;
use cirrus_layout::Viewport;
use cirrus_render::{DisplayList, Renderer};
use crossbeam::channel::{self, Receiver, Sender};
use serde_json::Value;
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// A picture of the app, as `cirrus shot` writes it.
#[derive(Debug)]
pub struct Capture {
    pub image: image::RgbaImage,
    /// The layout file of DESIGN.md.
    pub layout: Value,
    /// Every diagnostic reported so far (errors and warnings).
    pub diagnostics: Vec<Diagnostic>,
    /// Whether the app had settled (false when the deadline forced the shot).
    pub settled: bool,
    /// Adapter used, e.g. "llvmpipe (Vulkan)".
    pub adapter: String,
}

/// Commands from the host (shell, tests, embedders) to the render thread.
pub enum HostCommand {
    /// The window or requested size changed.
    Resize(Viewport),
    /// Capture a frame once the app has settled and `not_before` has passed;
    /// at `deadline`, capture whatever is there.
    Capture {
        not_before: Instant,
        deadline: Instant,
        reply: Sender<Result<Capture, EngineError>>,
    },
    /// The window's contents were lost (exposed, restored): draw again.
    Redraw,
    /// A tap at a point in CSS px. When no dialog takes it, the render
    /// thread hit tests the top page's current layout and sends
    /// `ToLogic::Event` (name `tap`, detail `{x, y}`) for the topmost element.
    /// Dialogs take it first: a modal or action sheet button answers the
    /// logic thread, and while one is open (or a masked toast) the page gets
    /// nothing.
    Tap { x: f32, y: f32 },
    /// Scroll input at a point (CSS px, window coordinates): a wheel or a
    /// drag. `delta_x` / `delta_y` are CSS px towards the content's end
    /// (as a wheel event's `deltaY`). The innermost scroll-view under the
    /// point that can move along an axis takes that axis
    /// ([`Stage::scroll_by`]); the next frame only repaints, and one
    /// `scroll` event per scroll-view and frame goes to the logic thread.
    Scroll {
        x: f32,
        y: f32,
        delta_x: f32,
        delta_y: f32,
    },
    /// Stop the thread (after telling the logic thread to stop).
    Shutdown,
}

/// Where frames go.
pub enum FrameTarget {
    /// Nowhere until a capture is asked for.
    Headless,
    /// A window surface, presented every frame that changed.
    Surface(crate::surface::SurfaceTarget),
}

pub struct RenderThread {
    commands: Sender<HostCommand>,
    handle: Option<JoinHandle<()>>,
}

impl RenderThread {
    /// Starts the render thread for `package`. `from_logic` carries the logic
    /// thread's batches; `to_logic` lets the render thread forward events
    /// and the shutdown.
    pub fn spawn(
        package: Arc<Package>,
        viewport: Viewport,
        target: FrameTarget,
        from_logic: Receiver<ToRender>,
        to_logic: Sender<ToLogic>,
    ) -> Result<RenderThread, EngineError> {
        let (commands, command_rx) = channel::unbounded();
        let handle = std::thread::Builder::new()
            .name("render".into())
            .spawn(move || {
                let mut worker =
                    Worker::new(package, viewport, target, from_logic, to_logic, command_rx);
                worker.run();
            })
            .map_err(|e| EngineError::Io("render thread".into(), e))?;
        Ok(RenderThread {
            commands,
            handle: Some(handle),
        })
    }

    pub fn send(&self, command: HostCommand) -> Result<(), EngineError> {
        self.commands
            .send(command)
            .map_err(|_| EngineError::RenderThreadGone)
    }

    /// Blocks the calling (host) thread until a capture is ready.
    pub fn capture(&self, not_before: Instant, deadline: Instant) -> Result<Capture, EngineError> {
        let (reply, rx) = channel::bounded(1);
        self.send(HostCommand::Capture {
            not_before,
            deadline,
            reply,
        })?;
        rx.recv().map_err(|_| EngineError::RenderThreadGone)?
    }

    /// Stops the thread and waits for it.
    pub fn shutdown(mut self) {
        let _ = self.commands.send(HostCommand::Shutdown);
        if let Some(h) = self.handle.take() {
            let _ = h.join();
        }
    }
}

impl Drop for RenderThread {
    fn drop(&mut self) {
        let _ = self.commands.send(HostCommand::Shutdown);
        if let Some(h) = self.handle.take() {
            let _ = h.join();
        }
    }
}

/// A pending capture request.
struct PendingCapture {
    not_before: Instant,
    deadline: Instant,
    reply: Sender<Result<Capture, EngineError>>,
}

struct Worker {
    stage: Stage,
    target: FrameTarget,
    renderer: Option<Renderer>,
    /// Headless: the renderer being created on a helper thread from the
    /// start, so GPU set-up (adapter, device, pipelines; seconds of shader
    /// compiling on a software rasterizer) overlaps the app's launch
    /// instead of following it.
    pending_renderer: Option<Receiver<Result<Renderer, String>>>,
    list: DisplayList,
    from_logic: Receiver<ToRender>,
    to_logic: Sender<ToLogic>,
    commands: Receiver<HostCommand>,
    captures: Vec<PendingCapture>,
    /// Images already uploaded to the renderer.
    uploaded: std::collections::HashSet<cirrus_render::ImageKey>,
    /// The picture on screen is stale.
    dirty: bool,
    /// Time zero of the dialogs' clock (toast durations).
    started: Instant,
}

/// How long the loop waits for input before drawing anyway (one 120 Hz frame).
const FRAME: Duration = Duration::from_micros(8_333);

impl Worker {
    fn new(
        package: Arc<Package>,
        viewport: Viewport,
        target: FrameTarget,
        from_logic: Receiver<ToRender>,
        to_logic: Sender<ToLogic>,
        commands: Receiver<HostCommand>,
    ) -> Worker {
        let pending_renderer = match &target {
            FrameTarget::Headless => {
                let (tx, rx) = channel::bounded(1);
                let spawned =
                    std::thread::Builder::new()
                        .name("gpu-setup".into())
                        .spawn(move || {
                            let _ = tx.send(Renderer::new_headless().map_err(|e| e.to_string()));
                        });
                // Without the thread, capture() creates it in place.
                spawned.is_ok().then_some(rx)
            }
            FrameTarget::Surface(_) => None,
        };
        let renderer = match &target {
            FrameTarget::Surface(s) => Some(s.renderer()),
            FrameTarget::Headless => None,
        }
        .flatten();
        Worker {
            stage: Stage::new(package, viewport),
            target,
            renderer,
            pending_renderer,
            list: DisplayList::new(),
            from_logic,
            to_logic,
            commands,
            captures: Vec::new(),
            uploaded: Default::default(),
            dirty: true,
            started: Instant::now(),
        }
    }

    fn run(&mut self) {
        loop {
            channel::select! {
                recv(self.from_logic) -> msg => match msg {
                    Ok(m) => self.on_logic(m),
                    // The logic thread is gone: keep drawing what we have.
                    Err(_) => self.on_logic(ToRender::Stopped),
                },
                recv(self.commands) -> cmd => match cmd {
                    Ok(HostCommand::Shutdown) | Err(_) => {
                        let _ = self.to_logic.send(ToLogic::Shutdown);
                        return;
                    }
                    Ok(c) => self.on_command(c),
                },
                default(FRAME) => {}
            }
            // Apply everything already queued before drawing, so one frame
            // shows whole turns.
            while let Ok(m) = self.from_logic.try_recv() {
                self.on_logic(m);
            }
            // Network images that arrived: repaint, and send their
            // `load` / `error` events now (counted before any capture).
            if self.stage.poll_images() {
                self.dirty = true;
                self.send_motion_events();
            }
            let elapsed = self.started.elapsed();
            if self.stage.set_time(elapsed) {
                self.dirty = true;
            }
            for reply in self.stage.answer_queries(elapsed.as_secs_f64() * 1000.0) {
                self.send_to_logic(reply);
            }
            // At most one `scroll` per scroll-view per frame.
            for event in self.stage.take_scroll_events() {
                self.send_to_logic(event);
            }
            if self.dirty {
                if let FrameTarget::Surface(_) = self.target {
                    self.present();
                }
            }
            self.serve_captures();
            self.send_motion_events();
        }
    }

    fn on_logic(&mut self, message: ToRender) {
        // A window shows errors in its overlay; print them too, since a
        // window's user may be watching the terminal. Headless hosts print
        // the capture's diagnostics themselves.
        if let (ToRender::Error(d), FrameTarget::Surface(_)) = (&message, &self.target) {
            eprintln!("{d}");
        }
        self.stage.handle(message);
        self.dirty = true;
    }

    fn on_command(&mut self, command: HostCommand) {
        match command {
            HostCommand::Resize(viewport) => {
                self.stage.resize(viewport);
                if let FrameTarget::Surface(s) = &mut self.target {
                    s.resize(viewport);
                }
                self.send_to_logic(ToLogic::Resize(viewport));
                self.dirty = true;
            }
            HostCommand::Capture {
                not_before,
                deadline,
                reply,
            } => self.captures.push(PendingCapture {
                not_before,
                deadline,
                reply,
            }),
            HostCommand::Redraw => self.dirty = true,
            HostCommand::Tap { x, y } => {
                let blocked = self.stage.dialogs().blocks_page();
                if let Some(answer) = self.stage.tap_dialogs((x, y)) {
                    self.send_to_logic(answer);
                    self.dirty = true;
                } else if blocked {
                    // A modal, an action sheet or a masked toast swallows it.
                } else if self.stage.on_chrome(x, y) {
                    // The navigation bar and the tab bar come before the page.
                    if let Some(request) = self.stage.chrome_tap(x, y) {
                        self.send_to_logic(request);
                    }
                    self.dirty = true;
                } else {
                    // Hit test what the frame shows, with applied batches laid out.
                    self.stage.update();
                    self.stage.sync_scroll();
                    let page = self.stage.top_page().map(|p| p.id);
                    // The page's coordinates start below the navigation bar.
                    let area = self.stage.page_area();
                    let hit = self.stage.hit_test(x - area.x, y - area.y);
                    if let (Some(page), Some(node)) = (page, hit) {
                        self.send_to_logic(ToLogic::Event {
                            page,
                            node,
                            name: "tap".to_owned(),
                            detail: serde_json::json!({ "x": x, "y": y }),
                        });
                    }
                    self.dirty = true;
                }
            }
            HostCommand::Scroll {
                x,
                y,
                delta_x,
                delta_y,
            } => {
                // Scroll what the frame shows, with applied batches laid out.
                self.stage.update();
                if self.stage.scroll_by(x, y, delta_x, delta_y) {
                    self.dirty = true;
                }
            }
            HostCommand::Shutdown => {}
        }
    }

    /// Style, layout and paint into `self.list`.
    fn build_frame(&mut self) -> FrameStats {
        let stats = self.stage.update();
        let mut list = std::mem::take(&mut self.list);
        self.stage.paint(&mut list);
        self.list = list;
        stats
    }

    fn upload_images(&mut self) {
        let Some(renderer) = self.renderer.as_mut() else {
            return;
        };
        for img in self.stage.images().loaded() {
            if self.uploaded.insert(img.key) {
                renderer.register_image(img.key, &img.pixels);
            }
        }
    }

    fn present(&mut self) {
        self.build_frame();
        self.upload_images();
        let clear = self.stage.background();
        if let (FrameTarget::Surface(surface), Some(renderer)) =
            (&mut self.target, self.renderer.as_mut())
        {
            let fonts = self.stage.text_system().font_system();
            if let Err(e) = surface.present(renderer, &self.list, fonts, clear) {
                eprintln!("cirrus: frame not presented: {e}");
            }
        }
        self.dirty = false;
    }

    /// Sends `message` to the logic thread, counted so that the app is not
    /// settled until the logic thread reports having handled it.
    fn send_to_logic(&mut self, message: ToLogic) {
        self.stage.note_sent_to_logic();
        let _ = self.to_logic.send(message);
    }

    /// Sends the transition and animation events of the frames built.
    fn send_motion_events(&mut self) {
        for event in self.stage.take_events() {
            self.send_to_logic(event);
        }
    }

    fn serve_captures(&mut self) {
        if self.captures.is_empty() {
            return;
        }
        let now = Instant::now();
        if self.stage.is_settled() || self.stage.is_animating() {
            // Headless, frames are only built for captures: run the passes
            // now so transitions the last batches started (and running
            // ones) move, and "settled" waits for them to end (and for the
            // handlers of the events they raise).
            self.stage.update();
            self.send_motion_events();
        }
        let settled = self.stage.is_settled();
        let (due, waiting): (Vec<_>, Vec<_>) = self
            .captures
            .drain(..)
            .partition(|c| (settled && now >= c.not_before) || now >= c.deadline);
        self.captures = waiting;
        for c in due {
            let result = self.capture(settled);
            let _ = c.reply.send(result);
        }
    }

    fn capture(&mut self, settled: bool) -> Result<Capture, EngineError> {
        if let Some(pending) = self.pending_renderer.take() {
            let made = pending
                .recv()
                .unwrap_or_else(|_| Err("the GPU set-up thread stopped".to_owned()));
            self.renderer = Some(made.map_err(EngineError::NoAdapter)?);
        }
        if self.renderer.is_none() {
            self.renderer =
                Some(Renderer::new_headless().map_err(|e| EngineError::NoAdapter(e.to_string()))?);
        }
        self.build_frame();
        self.upload_images();
        let viewport = self.stage.viewport();
        let width = (viewport.width.0 * viewport.dpr).round().max(1.0) as u32;
        let height = (viewport.height.0 * viewport.dpr).round().max(1.0) as u32;
        let clear = self.stage.background();
        let renderer = self.renderer.as_mut().expect("created above");
        let fonts = self.stage.text_system().font_system();
        let image = renderer
            .render_to_image(&self.list, fonts, width, height, clear)
            .map_err(|e| EngineError::Gpu(e.to_string()))?;
        Ok(Capture {
            image,
            layout: self.stage.layout_json(),
            diagnostics: self.stage.diagnostics().to_vec(),
            settled,
            adapter: {
                let l = renderer.adapter_label();
                format!("{} ({}, {})", l.name, l.backend, l.device_type)
            },
        })
    }
}
