//! A native Rust host embedding a Cirrus page in part of its own window.
//!
//! The host draws its own UI (a toolbar and a sidebar) into a winit window
//! with softbuffer, and shows a mini program page in the region left,
//! rendered by the embedding API into a CPU buffer at the window's scale.
//! Mouse input inside the region is routed to the page as a touch, in the
//! region's coordinates; outside it, the host keeps it.
//!
//!   cargo run -p cirrus-embed --example winit_host -- APP [--frames N] [--tap X,Y]
//!
//! `--frames N` closes the window after N presented frames; `--tap X,Y`
//! clicks at window point (X, Y) (logical px) once the page has settled,
//! through the same routing as a real click. Events the engine reports
//! are printed (`navigated: ROUTE`, `title: …`).

use cirrus_embed::engine::{Engine, EngineOptions, HostEvent};
use cirrus_engine::input::PointerPhase;
use std::num::NonZeroU32;
use std::rc::Rc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use winit::application::ApplicationHandler;
use winit::dpi::LogicalSize;
use winit::event::{ElementState, MouseButton, WindowEvent};
use winit::event_loop::{ActiveEventLoop, ControlFlow, EventLoop};
use winit::window::{Window, WindowId};

/// The host's own UI around the page, logical px.
const TOOLBAR: f32 = 48.0;
const SIDEBAR: f32 = 200.0;
/// The page region's size, logical px.
const PAGE: (f32, f32) = (375.0, 667.0);

struct Args {
    app: String,
    frames: Option<u64>,
    tap: Option<(f32, f32)>,
}

fn parse_args() -> Result<Args, String> {
    let mut args = std::env::args().skip(1);
    let mut parsed = Args {
        app: String::new(),
        frames: None,
        tap: None,
    };
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--frames" => {
                let n = args.next().ok_or("--frames needs a number")?;
                parsed.frames = Some(n.parse().map_err(|_| "--frames needs a number")?);
            }
            "--tap" => {
                let at = args.next().ok_or("--tap needs X,Y")?;
                let (x, y) = at.split_once(',').ok_or("--tap needs X,Y")?;
                let x = x.trim().parse().map_err(|_| "--tap needs X,Y")?;
                let y = y.trim().parse().map_err(|_| "--tap needs X,Y")?;
                parsed.tap = Some((x, y));
            }
            _ if parsed.app.is_empty() => parsed.app = arg,
            other => return Err(format!("unexpected argument {other}")),
        }
    }
    if parsed.app.is_empty() {
        return Err("usage: winit_host APP [--frames N] [--tap X,Y]".into());
    }
    Ok(parsed)
}

struct Running {
    window: Rc<Window>,
    surface: softbuffer::Surface<Rc<Window>, Rc<Window>>,
    engine: Engine,
    /// The page's pixels, RGBA, at the window's scale.
    page_pixels: Vec<u8>,
    page_size: (u32, u32),
    cursor: (f32, f32),
    pressed_in_page: bool,
    frames: u64,
}

struct Host {
    args: Args,
    started: Instant,
    running: Option<Running>,
    events: Arc<Mutex<Vec<HostEvent>>>,
    settled_once: bool,
    tapped: bool,
    error: Option<String>,
}

impl Host {
    fn start(&mut self, event_loop: &ActiveEventLoop) -> Result<Running, String> {
        let size = LogicalSize::new(SIDEBAR + PAGE.0, TOOLBAR + PAGE.1);
        let window = Rc::new(
            event_loop
                .create_window(
                    Window::default_attributes()
                        .with_title("A host with a Cirrus page")
                        .with_inner_size(size),
                )
                .map_err(|e| e.to_string())?,
        );
        let context = softbuffer::Context::new(window.clone()).map_err(|e| e.to_string())?;
        let surface =
            softbuffer::Surface::new(&context, window.clone()).map_err(|e| e.to_string())?;
        let scale = window.scale_factor() as f32;
        let mut options = EngineOptions::new(&self.args.app);
        options.width = PAGE.0;
        options.height = PAGE.1;
        options.dpr = scale;
        let mut engine = Engine::new(options).map_err(|e| e.to_string())?;
        let sink = self.events.clone();
        engine.set_listener(Box::new(move |event| {
            match event {
                HostEvent::Navigated { route, .. } => println!("navigated: {route}"),
                HostEvent::Title(title) => println!("title: {title}"),
                HostEvent::Error(d) => eprintln!("app error: {d}"),
                _ => {}
            }
            if let Ok(mut events) = sink.lock() {
                events.push(event.clone());
            }
        }));
        let page_size = engine.size_px();
        Ok(Running {
            window,
            surface,
            engine,
            page_pixels: vec![0; page_size.0 as usize * page_size.1 as usize * 4],
            page_size,
            cursor: (0.0, 0.0),
            pressed_in_page: false,
            frames: 0,
        })
    }

    /// Routes a click of the host's mouse: inside the page region it is a
    /// touch of the page, in the region's coordinates.
    fn mouse(running: &mut Running, down: bool) {
        let (x, y) = (running.cursor.0 - SIDEBAR, running.cursor.1 - TOOLBAR);
        let inside = (0.0..PAGE.0).contains(&x) && (0.0..PAGE.1).contains(&y);
        if down && inside {
            running.pressed_in_page = true;
            running.engine.touch(0, PointerPhase::Down, x, y);
        } else if !down && running.pressed_in_page {
            running.pressed_in_page = false;
            running.engine.touch(0, PointerPhase::Up, x, y);
        }
    }

    fn draw(running: &mut Running) -> Result<(), String> {
        let size = running.window.inner_size();
        let (Some(width), Some(height)) =
            (NonZeroU32::new(size.width), NonZeroU32::new(size.height))
        else {
            return Ok(());
        };
        running
            .surface
            .resize(width, height)
            .map_err(|e| e.to_string())?;
        let stride = running.page_size.0 as usize * 4;
        running
            .engine
            .render_rgba(&mut running.page_pixels, stride)
            .map_err(|e| e.to_string())?;
        let scale = running.window.scale_factor() as f32;
        let (left, top) = ((SIDEBAR * scale) as usize, (TOOLBAR * scale) as usize);
        let mut buffer = running.surface.buffer_mut().map_err(|e| e.to_string())?;
        let (w, h) = (width.get() as usize, height.get() as usize);
        for y in 0..h {
            for x in 0..w {
                // The host's own UI: a dark toolbar, a grey sidebar.
                let mut pixel = if y < top {
                    0x0020_2630
                } else if x < left {
                    0x00e8_eaed
                } else {
                    0x00ff_ffff
                };
                let (px, py) = (x.wrapping_sub(left), y.wrapping_sub(top));
                if px < running.page_size.0 as usize && py < running.page_size.1 as usize {
                    let i = py * stride + px * 4;
                    let p = &running.page_pixels[i..i + 4];
                    pixel = (u32::from(p[0]) << 16) | (u32::from(p[1]) << 8) | u32::from(p[2]);
                }
                buffer[y * w + x] = pixel;
            }
        }
        buffer.present().map_err(|e| e.to_string())?;
        running.frames += 1;
        Ok(())
    }
}

impl ApplicationHandler for Host {
    fn resumed(&mut self, event_loop: &ActiveEventLoop) {
        if self.running.is_some() {
            return;
        }
        match self.start(event_loop) {
            Ok(running) => self.running = Some(running),
            Err(e) => {
                self.error = Some(e);
                event_loop.exit();
            }
        }
        event_loop.set_control_flow(ControlFlow::wait_duration(Duration::from_millis(16)));
    }

    fn window_event(&mut self, event_loop: &ActiveEventLoop, _: WindowId, event: WindowEvent) {
        let Some(running) = &mut self.running else {
            return;
        };
        match event {
            WindowEvent::CloseRequested => event_loop.exit(),
            WindowEvent::CursorMoved { position, .. } => {
                let logical = position.to_logical::<f32>(running.window.scale_factor());
                running.cursor = (logical.x, logical.y);
                if running.pressed_in_page {
                    let (x, y) = (running.cursor.0 - SIDEBAR, running.cursor.1 - TOOLBAR);
                    running.engine.touch(0, PointerPhase::Move, x, y);
                }
            }
            WindowEvent::MouseInput {
                state,
                button: MouseButton::Left,
                ..
            } => Host::mouse(running, state == ElementState::Pressed),
            WindowEvent::RedrawRequested => {
                if let Err(e) = Host::draw(running) {
                    self.error = Some(e);
                    event_loop.exit();
                }
            }
            _ => {}
        }
    }

    fn about_to_wait(&mut self, event_loop: &ActiveEventLoop) {
        let Some(running) = &mut self.running else {
            return;
        };
        // The host's clock drives the page's frames.
        let changed = running.engine.frame(self.started.elapsed());
        if changed || running.frames == 0 {
            running.window.request_redraw();
        }
        if running.engine.is_settled() {
            self.settled_once = true;
        }
        // A scripted click, through the same routing as the mouse's.
        if let (Some((x, y)), true, false) = (self.args.tap, self.settled_once, self.tapped) {
            self.tapped = true;
            running.cursor = (x, y);
            Host::mouse(running, true);
            Host::mouse(running, false);
        }
        let tap_done = self.args.tap.is_none()
            || self.events.lock().is_ok_and(|events| {
                events
                    .iter()
                    .filter(|e| matches!(e, HostEvent::Navigated { .. }))
                    .count()
                    >= 2
            });
        if let Some(limit) = self.args.frames {
            let timed_out = self.started.elapsed() > Duration::from_secs(60);
            if (running.frames >= limit && self.settled_once && tap_done) || timed_out {
                event_loop.exit();
            }
        }
    }
}

fn main() -> std::process::ExitCode {
    let args = match parse_args() {
        Ok(args) => args,
        Err(e) => {
            eprintln!("{e}");
            return std::process::ExitCode::from(2);
        }
    };
    let event_loop = match EventLoop::new() {
        Ok(event_loop) => event_loop,
        Err(e) => {
            eprintln!("no display: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    let mut host = Host {
        args,
        started: Instant::now(),
        running: None,
        events: Arc::default(),
        settled_once: false,
        tapped: false,
        error: None,
    };
    if let Err(e) = event_loop.run_app(&mut host) {
        eprintln!("event loop: {e}");
        return std::process::ExitCode::FAILURE;
    }
    if let Some(e) = host.error {
        eprintln!("{e}");
        return std::process::ExitCode::FAILURE;
    }
    let frames = host.running.as_ref().map_or(0, |r| r.frames);
    println!("host closed after {frames} frame(s)");
    std::process::ExitCode::SUCCESS
}
