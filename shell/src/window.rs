//! `cirrus run`: the desktop window (winit). The main thread runs the event
//! loop and owns the window; the render thread owns the surface and
//! presents frames; the logic thread runs the app's JS.
//!
//! Input: a left click is a tap; a left-button drag (past a few px) and
//! the mouse wheel (a line is 40 CSS px) scroll the scroll-view under the
//! cursor (`HostCommand::Scroll`).

use crate::session::Session;
use anyhow::{Context, Result};
use cirrus_engine::layout::Viewport;
use cirrus_engine::package::Package;
use cirrus_engine::render_thread::{FrameTarget, HostCommand};
use cirrus_engine::surface::SurfaceTarget;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;
use winit::application::ApplicationHandler;
use winit::dpi::LogicalSize;
use winit::event::WindowEvent;
use winit::event_loop::{ActiveEventLoop, ControlFlow, EventLoop};
use winit::window::{Window, WindowId};

/// Opens the window and runs until it is closed (or, with
/// `exit_after_frames`, until that many frames were presented).
pub fn run_window(
    package: Arc<Package>,
    page: Option<String>,
    width: f32,
    height: f32,
    exit_after_frames: Option<u64>,
) -> Result<()> {
    let event_loop =
        EventLoop::new().context("opening the display (is DISPLAY or WAYLAND_DISPLAY set?)")?;
    let mut app = WindowApp {
        package,
        page,
        size: (width, height),
        exit_after_frames,
        state: None,
        error: None,
    };
    event_loop
        .run_app(&mut app)
        .context("running the event loop")?;
    match app.error {
        Some(e) => Err(e),
        None => Ok(()),
    }
}

struct Running {
    window: Arc<Window>,
    session: Session,
    frames: Arc<AtomicU64>,
    /// The mouse position in CSS px, for clicks (taps).
    cursor: std::cell::Cell<(f32, f32)>,
    /// The left button is down: a tap, or a drag once it moved far enough.
    press: std::cell::Cell<Option<Press>>,
}

/// A left-button press in progress (CSS px).
#[derive(Clone, Copy, Debug)]
struct Press {
    /// Where it went down: the drag scrolls the scroll-view under it.
    start: (f32, f32),
    /// The cursor when the last scroll was sent.
    last: (f32, f32),
    /// It moved farther than [`DRAG_SLOP`]: a drag, not a tap.
    dragging: bool,
}

/// How far (CSS px) a press may move and still be a tap.
const DRAG_SLOP: f32 = 8.0;

/// CSS px per wheel line (winit `LineDelta`), as browsers scroll.
const WHEEL_LINE: f32 = 40.0;

impl Running {
    fn scroll(&self, at: (f32, f32), delta: (f32, f32)) {
        let _ = self.session.render.send(HostCommand::Scroll {
            x: at.0,
            y: at.1,
            delta_x: delta.0,
            delta_y: delta.1,
        });
    }

    /// The cursor moved with the button down: past the slop it is a drag,
    /// and the content follows the cursor.
    fn drag_to(&self, now: (f32, f32)) {
        let Some(mut press) = self.press.get() else {
            return;
        };
        let (dx, dy) = (now.0 - press.start.0, now.1 - press.start.1);
        if !press.dragging && dx.hypot(dy) > DRAG_SLOP {
            press.dragging = true;
        }
        if press.dragging {
            // Dragging up moves the content up: the scroll position grows.
            self.scroll(press.start, (press.last.0 - now.0, press.last.1 - now.1));
            press.last = now;
        }
        self.press.set(Some(press));
    }
}

struct WindowApp {
    package: Arc<Package>,
    page: Option<String>,
    size: (f32, f32),
    exit_after_frames: Option<u64>,
    state: Option<Running>,
    error: Option<anyhow::Error>,
}

impl WindowApp {
    fn start(&mut self, event_loop: &ActiveEventLoop) -> Result<Running> {
        let title = self.package.app.window.navigation_bar_title_text.clone();
        let attrs = Window::default_attributes()
            .with_title(if title.is_empty() {
                "Cirrus".to_owned()
            } else {
                format!("{title} — Cirrus")
            })
            .with_inner_size(LogicalSize::new(self.size.0, self.size.1));
        let window = Arc::new(
            event_loop
                .create_window(attrs)
                .context("creating the window")?,
        );
        let instance = cirrus_engine::render::Renderer::create_instance();
        let surface = instance
            .create_surface(window.clone())
            .context("creating the window surface")?;
        let viewport = viewport_of(&window);
        let physical = window.inner_size();
        let target = SurfaceTarget::new(instance, surface, (physical.width, physical.height));
        let frames = target.frames.clone();
        let session = Session::launch(
            self.package.clone(),
            self.page.as_deref(),
            viewport,
            FrameTarget::Surface(target),
        )?;
        Ok(Running {
            window,
            session,
            frames,
            cursor: Default::default(),
            press: Default::default(),
        })
    }
}

/// The viewport in CSS px: the window's logical size at its scale factor.
fn viewport_of(window: &Window) -> Viewport {
    let scale = window.scale_factor() as f32;
    let size = window.inner_size();
    Viewport::new(size.width as f32 / scale, size.height as f32 / scale, scale)
}

impl ApplicationHandler for WindowApp {
    fn resumed(&mut self, event_loop: &ActiveEventLoop) {
        if self.state.is_some() {
            return;
        }
        match self.start(event_loop) {
            Ok(r) => self.state = Some(r),
            Err(e) => {
                self.error = Some(e);
                event_loop.exit();
            }
        }
        // Poll so `exit_after_frames` is noticed without input events.
        event_loop.set_control_flow(ControlFlow::wait_duration(Duration::from_millis(16)));
    }

    fn window_event(&mut self, event_loop: &ActiveEventLoop, _id: WindowId, event: WindowEvent) {
        let Some(state) = &self.state else { return };
        match event {
            WindowEvent::CloseRequested => event_loop.exit(),
            WindowEvent::Resized(_) | WindowEvent::ScaleFactorChanged { .. } => {
                let _ = state
                    .session
                    .render
                    .send(HostCommand::Resize(viewport_of(&state.window)));
            }
            WindowEvent::RedrawRequested => {
                let _ = state.session.render.send(HostCommand::Redraw);
            }
            WindowEvent::CursorMoved { position, .. } => {
                let logical = position.to_logical::<f32>(state.window.scale_factor());
                state.cursor.set((logical.x, logical.y));
                state.drag_to((logical.x, logical.y));
            }
            WindowEvent::MouseInput {
                state: winit::event::ElementState::Pressed,
                button: winit::event::MouseButton::Left,
                ..
            } => {
                let at = state.cursor.get();
                state.press.set(Some(Press {
                    start: at,
                    last: at,
                    dragging: false,
                }));
            }
            // A left click is a tap: the chrome (back button, tab bar) first,
            // then the page. A drag is not.
            WindowEvent::MouseInput {
                state: winit::event::ElementState::Released,
                button: winit::event::MouseButton::Left,
                ..
            } => {
                let dragged = state.press.take().is_some_and(|p| p.dragging);
                if !dragged {
                    let (x, y) = state.cursor.get();
                    let _ = state.session.render.send(HostCommand::Tap { x, y });
                }
            }
            // winit's deltas move the content (positive: right and down);
            // a scroll position moves the other way.
            WindowEvent::MouseWheel { delta, .. } => {
                let (dx, dy) = match delta {
                    winit::event::MouseScrollDelta::LineDelta(x, y) => {
                        (-x * WHEEL_LINE, -y * WHEEL_LINE)
                    }
                    winit::event::MouseScrollDelta::PixelDelta(p) => {
                        let logical = p.to_logical::<f32>(state.window.scale_factor());
                        (-logical.x, -logical.y)
                    }
                };
                state.scroll(state.cursor.get(), (dx, dy));
            }
            _ => {}
        }
    }

    fn about_to_wait(&mut self, event_loop: &ActiveEventLoop) {
        if let (Some(limit), Some(state)) = (self.exit_after_frames, &self.state) {
            if state.frames.load(Ordering::Relaxed) >= limit {
                event_loop.exit();
            }
        }
    }

    fn exiting(&mut self, _event_loop: &ActiveEventLoop) {
        if let Some(state) = self.state.take() {
            let frames = state.frames.load(Ordering::Relaxed);
            state.session.render.shutdown();
            eprintln!("cirrus: window closed after {frames} frame(s)");
        }
    }
}
