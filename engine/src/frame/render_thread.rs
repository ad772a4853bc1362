//! The render thread: owns the [`Stage`] and the GPU renderer, applies op
//! batches as they arrive and draws frames. It never waits for the logic
//! thread: it polls its queues with a frame-length timeout and draws with
//! whatever state it has.

use crate::frame::FrameDriver;
use crate::package::Package;
use crate::protocol::{ToLogic, ToRender};
use crate::stage::Stage;
use crate::EngineError;
use cirrus_layout::Viewport;
use cirrus_render::RendererChoice;
use crossbeam::channel::{self, Receiver, Sender};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

pub use crate::frame::Capture;

/// The render thread's stack. The style pass, taffy's layout (a flex or
/// block container lays out each child through a nested call) and paint
/// recurse once per level of the node tree, whose depth the tree caps at
/// [`crate::tree::MAX_TREE_DEPTH`] (1,024) levels. Measured in a debug build
/// (the worst case; release frames are smaller) by
/// `engine/tests/deep_tree.rs`: about 4.8 KiB per level for style, layout,
/// paint, hit testing and the layout file together, 4.9 MiB for a whole
/// frame at the maximum depth. 32 MiB is six times that, for walks and
/// styles the test does not exercise; it is address space reserved, not
/// memory used: only the pages a walk touches are ever committed. (A
/// thread's default 2 MiB holds about 300 levels in a debug build.)
pub const RENDER_STACK_BYTES: usize = 32 << 20;

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
    /// Touch, wheel, key or text input ([`crate::input`]).
    Input(crate::input::InputEvent),
    /// Stop the thread (after telling the logic thread to stop).
    Shutdown,
}

/// Where frames go.
pub enum FrameTarget {
    /// Nowhere until a capture is asked for.
    Headless,
    /// A window surface, presented every frame that changed.
    Surface(crate::frame::surface::SurfaceTarget),
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
        RenderThread::spawn_with(
            package,
            viewport,
            target,
            RendererChoice::Auto,
            from_logic,
            to_logic,
        )
    }

    /// As [`RenderThread::spawn`], drawing with the rasteriser `renderer`
    /// picks (`--renderer`).
    pub fn spawn_with(
        package: Arc<Package>,
        viewport: Viewport,
        target: FrameTarget,
        renderer: RendererChoice,
        from_logic: Receiver<ToRender>,
        to_logic: Sender<ToLogic>,
    ) -> Result<RenderThread, EngineError> {
        let (commands, command_rx) = channel::unbounded();
        let handle = std::thread::Builder::new()
            .name("render".into())
            .stack_size(RENDER_STACK_BYTES)
            .spawn(move || {
                let mut worker = Worker::new(
                    package, viewport, target, renderer, from_logic, to_logic, command_rx,
                );
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

/// The render thread's host loop around a [`FrameDriver`]: the real clock,
/// a window surface or headless captures.
struct Worker {
    driver: FrameDriver,
    target: FrameTarget,
    from_logic: Receiver<ToRender>,
    commands: Receiver<HostCommand>,
    captures: Vec<PendingCapture>,
    /// Time zero of the frame clock.
    started: Instant,
}

/// How long the loop waits for input before drawing anyway (one 120 Hz frame).
const FRAME: Duration = Duration::from_micros(8_333);

impl Worker {
    fn new(
        package: Arc<Package>,
        viewport: Viewport,
        target: FrameTarget,
        renderer: RendererChoice,
        from_logic: Receiver<ToRender>,
        to_logic: Sender<ToLogic>,
        commands: Receiver<HostCommand>,
    ) -> Worker {
        let mut driver = FrameDriver::new(Stage::new(package, viewport), to_logic);
        match &target {
            FrameTarget::Headless => {
                driver.set_renderer_choice(renderer);
                driver.prepare_headless_renderer();
            }
            FrameTarget::Surface(s) => {
                if let Some(gpu) = s.renderer() {
                    driver.set_window_renderer(gpu, renderer);
                }
            }
        }
        Worker {
            driver,
            target,
            from_logic,
            commands,
            captures: Vec::new(),
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
                        self.driver.send(ToLogic::Shutdown);
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
            self.driver.advance(self.started.elapsed());
            if self.driver.needs_redraw() {
                if let FrameTarget::Surface(surface) = &mut self.target {
                    if let Err(e) = self.driver.present(surface) {
                        eprintln!("cirrus: frame not presented: {e}");
                    }
                }
            }
            self.serve_captures();
        }
    }

    fn on_logic(&mut self, message: ToRender) {
        // A window shows errors in its overlay; print them too, since a
        // window's user may be watching the terminal. Headless hosts print
        // the capture's diagnostics themselves.
        if let (ToRender::Error(d), FrameTarget::Surface(_)) = (&message, &self.target) {
            eprintln!("{d}");
        }
        self.driver.apply(message);
    }

    fn on_command(&mut self, command: HostCommand) {
        // Input happens at the time it arrives.
        self.driver.advance(self.started.elapsed());
        match command {
            HostCommand::Resize(viewport) => {
                self.driver.resize(viewport);
                if let FrameTarget::Surface(s) = &mut self.target {
                    s.resize(viewport);
                }
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
            HostCommand::Redraw => self.driver.invalidate(),
            HostCommand::Tap { x, y } => self.driver.tap(x, y),
            HostCommand::Scroll {
                x,
                y,
                delta_x,
                delta_y,
            } => self.driver.input(crate::input::InputEvent::Wheel {
                x,
                y,
                dx: delta_x,
                dy: delta_y,
            }),
            HostCommand::Input(event) => self.driver.input(event),
            HostCommand::Shutdown => {}
        }
    }

    fn serve_captures(&mut self) {
        if self.captures.is_empty() {
            return;
        }
        let now = Instant::now();
        if self.driver.is_settled() || self.driver.stage().is_animating() {
            // Headless, frames are only built for captures: run the passes
            // now so transitions the last batches started (and running
            // ones) move, and "settled" waits for them to end (and for the
            // handlers of the events they raise).
            self.driver.update();
        }
        let settled = self.driver.is_settled();
        let (due, waiting): (Vec<_>, Vec<_>) = self
            .captures
            .drain(..)
            .partition(|c| (settled && now >= c.not_before) || now >= c.deadline);
        self.captures = waiting;
        for c in due {
            let result = self.driver.capture(settled);
            let _ = c.reply.send(result);
        }
    }
}
