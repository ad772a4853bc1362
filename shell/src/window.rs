//! `cirrus run`: the desktop window (winit). The main thread runs the event
//! loop and owns the window; the render thread owns the surface and
//! presents frames; the logic thread runs the app's JS.
//!
//! Input: the mouse is a single touch (the left button down, moves, up:
//! the engine reads taps, long presses and drags from it, and a drag
//! scrolls the scroll-view under it); the wheel scrolls (a line is 40 CSS
//! px); keys and IME text go to the focused element.

use crate::session::Session;
use anyhow::{Context, Result};
use cirrus_embed::AppResources;
use cirrus_engine::input::{InputEvent, PointerPhase};
use cirrus_engine::layout::Viewport;
use cirrus_engine::package::Package;
use cirrus_engine::render::RendererChoice;
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
    renderer: RendererChoice,
    resources: AppResources,
) -> Result<()> {
    let event_loop =
        EventLoop::new().context("opening the display (is DISPLAY or WAYLAND_DISPLAY set?)")?;
    let mut app = WindowApp {
        package,
        page,
        size: (width, height),
        exit_after_frames,
        renderer,
        resources,
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
    /// The mouse position in CSS px.
    cursor: std::cell::Cell<(f32, f32)>,
    /// The left button is down: the mouse's touch is on the screen.
    pressed: std::cell::Cell<bool>,
}

/// CSS px per wheel line (winit `LineDelta`), as browsers scroll.
const WHEEL_LINE: f32 = 40.0;

/// The mouse's touch identifier.
const MOUSE_TOUCH: u32 = 0;

impl Running {
    fn input(&self, event: InputEvent) {
        let _ = self.session.render.send(HostCommand::Input(event));
    }

    fn pointer(&self, phase: PointerPhase) {
        let (x, y) = self.cursor.get();
        self.input(InputEvent::Pointer {
            id: MOUSE_TOUCH,
            phase,
            x,
            y,
        });
    }
}

struct WindowApp {
    package: Arc<Package>,
    page: Option<String>,
    size: (f32, f32),
    exit_after_frames: Option<u64>,
    renderer: RendererChoice,
    /// The data folder and memory limit the host grants the app.
    resources: AppResources,
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
        // Text from input methods (Chinese, Japanese...) arrives as
        // `Ime` events only when asked for.
        window.set_ime_allowed(true);
        let instance = cirrus_engine::render::Renderer::create_instance();
        let surface = instance
            .create_surface(window.clone())
            .context("creating the window surface")?;
        let viewport = viewport_of(&window);
        let physical = window.inner_size();
        let target = SurfaceTarget::new(instance, surface, (physical.width, physical.height));
        let frames = target.frames.clone();
        let session = Session::launch_with_renderer(
            self.package.clone(),
            self.page.as_deref(),
            viewport,
            FrameTarget::Surface(target),
            self.resources.clone(),
            self.renderer,
        )?;
        Ok(Running {
            window,
            session,
            frames,
            cursor: Default::default(),
            pressed: Default::default(),
        })
    }
}

/// The W3C name of a key (`Enter`, `Backspace`, `a`), as the `--input`
/// `key` step spells it.
fn key_name(key: &winit::keyboard::Key) -> Option<String> {
    use winit::keyboard::{Key, NamedKey};
    match key {
        Key::Character(c) => Some(c.to_string()),
        Key::Named(NamedKey::Space) => Some(" ".to_owned()),
        // winit's named keys are the W3C names.
        Key::Named(named) => Some(format!("{named:?}")),
        _ => None,
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
                if state.pressed.get() {
                    state.pointer(PointerPhase::Move);
                }
            }
            WindowEvent::MouseInput {
                state: button_state,
                button: winit::event::MouseButton::Left,
                ..
            } => {
                let down = button_state == winit::event::ElementState::Pressed;
                if down != state.pressed.get() {
                    state.pressed.set(down);
                    state.pointer(if down {
                        PointerPhase::Down
                    } else {
                        PointerPhase::Up
                    });
                }
            }
            // The pointer left the window with the button down: the system
            // took the touch.
            WindowEvent::CursorLeft { .. } | WindowEvent::Focused(false) if state.pressed.get() => {
                state.pressed.set(false);
                state.pointer(PointerPhase::Cancel);
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
                let (x, y) = state.cursor.get();
                state.input(InputEvent::Wheel { x, y, dx, dy });
            }
            WindowEvent::KeyboardInput { event, .. }
                if event.state == winit::event::ElementState::Pressed =>
            {
                if let Some(key) = key_name(&event.logical_key) {
                    state.input(InputEvent::Key { key });
                }
                // Plain typing without an IME arrives as the key's text.
                if let Some(text) = event
                    .text
                    .as_ref()
                    .filter(|t| !t.chars().any(char::is_control))
                {
                    state.input(InputEvent::Text {
                        text: text.to_string(),
                        composing: false,
                    });
                }
            }
            WindowEvent::Ime(winit::event::Ime::Preedit(text, _)) => {
                state.input(InputEvent::Text {
                    text,
                    composing: true,
                })
            }
            WindowEvent::Ime(winit::event::Ime::Commit(text)) => state.input(InputEvent::Text {
                text,
                composing: false,
            }),
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
