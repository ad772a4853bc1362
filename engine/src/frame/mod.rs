//! The frame driver: the one type that owns what a frame is. The render
//! thread (window and headless), `cirrus bench`, the embedding API and
//! every test harness drive an app through it, so they cannot drift apart.
//!
//! A frame is, in order:
//! 1. messages from the logic thread applied ([`FrameDriver::apply`]);
//! 2. input routed: touches, gestures, wheel, keys ([`FrameDriver::input`]);
//! 3. the clock moved to the host's time ([`FrameDriver::advance`]):
//!    longpress and hover delays, transitions and animations, image
//!    arrivals, query answers, scroll events;
//! 4. style, layout and paint into a display list, rasterised into the
//!    host's target ([`FrameDriver::render_image`], [`FrameDriver::present`]).
//!
//! The clock is the host's: a window passes the time since launch at each
//! vsync, a test or a scripted shot passes a controlled time. The driver
//! never reads the wall clock itself, so under a controlled clock a frame
//! depends only on what came before it.
//!
//! Every message for the logic thread goes through [`FrameDriver::send`],
//! which counts it: "settled" means the logic thread has reported `Idle`
//! after handling all of them ([`Stage::is_settled`]).

pub mod render_thread;
pub mod surface;

use crate::frame::surface::SurfaceTarget;
use crate::input::touch::TouchRouter;
use crate::input::{InputEvent, PointerPhase};
use crate::protocol::{ToLogic, ToRender};
use crate::stage::{FrameStats, Stage};
use crate::{Diagnostic, EngineError};
use cirrus_layout::Viewport;
use cirrus_protocol::{EventDetail, UiEvent};
use cirrus_render::{DisplayList, ImageKey, Rasterizer, Renderer, RendererChoice};
use crossbeam::channel::{Receiver, Sender};
use serde_json::Value;
use std::collections::HashSet;
use std::time::Duration;

/// A picture of the app, as `cirrus shot` writes it.
#[derive(Debug)]
pub struct Capture {
    pub image: image::RgbaImage,
    /// The layout file (the CLI contract).
    pub layout: Value,
    /// Every diagnostic reported so far (errors and warnings).
    pub diagnostics: Vec<Diagnostic>,
    /// Whether the app had settled (false when a deadline forced the shot).
    pub settled: bool,
    /// The rasteriser used, e.g. "llvmpipe (Vulkan, Cpu)".
    pub adapter: String,
}

/// The rasteriser: a window's GPU renderer, or for headless frames the
/// one `RendererChoice` picks, made on first use or in the background from
/// the start so its set-up (seconds of shader compiling on a software
/// adapter) overlaps the app's launch.
enum RendererSlot {
    Empty,
    Pending(Receiver<Result<Rasterizer, String>>),
    Ready(Box<Rasterizer>),
}

/// One app's render side, driven frame by frame by a host.
pub struct FrameDriver {
    stage: Stage,
    to_logic: Sender<ToLogic>,
    touches: TouchRouter,
    list: DisplayList,
    renderer: RendererSlot,
    /// Which rasteriser headless frames use.
    renderer_choice: RendererChoice,
    /// A window drawn by the CPU rasteriser: the GPU renderer made for its
    /// surface, used only to copy frames in.
    window_gpu: Option<Renderer>,
    /// Images already uploaded to the renderer.
    uploaded: HashSet<ImageKey>,
    /// The host's clock, as of the last [`advance`](Self::advance).
    now: Duration,
    /// The picture on screen is stale.
    dirty: bool,
}

impl FrameDriver {
    /// A driver for `stage`'s app; messages for the logic thread go to
    /// `to_logic`.
    pub fn new(stage: Stage, to_logic: Sender<ToLogic>) -> FrameDriver {
        FrameDriver {
            stage,
            to_logic,
            touches: TouchRouter::default(),
            list: DisplayList::new(),
            renderer: RendererSlot::Empty,
            renderer_choice: RendererChoice::Auto,
            window_gpu: None,
            uploaded: HashSet::new(),
            now: Duration::ZERO,
            dirty: true,
        }
    }

    /// Which rasteriser headless frames use (before the first one).
    pub fn set_renderer_choice(&mut self, choice: RendererChoice) {
        if self.renderer_choice != choice {
            self.renderer_choice = choice;
            self.renderer = RendererSlot::Empty;
            self.uploaded.clear();
        }
    }

    /// Starts making the headless renderer on a helper thread now, so it
    /// is ready by the first capture.
    pub fn prepare_headless_renderer(&mut self) {
        if !matches!(self.renderer, RendererSlot::Empty) {
            return;
        }
        let choice = self.renderer_choice;
        let (tx, rx) = crossbeam::channel::bounded(1);
        let spawned = std::thread::Builder::new()
            .name("renderer-setup".into())
            .spawn(move || {
                let _ = tx.send(Rasterizer::new_headless(choice).map_err(|e| e.to_string()));
            });
        // Without the thread, the first capture makes it in place.
        if spawned.is_ok() {
            self.renderer = RendererSlot::Pending(rx);
        }
    }

    /// Uses `renderer` (a window's, made for its surface's device).
    pub fn set_renderer(&mut self, renderer: Renderer) {
        self.renderer = RendererSlot::Ready(Box::new(Rasterizer::Gpu(renderer)));
        self.window_gpu = None;
        self.uploaded.clear();
    }

    /// A window: `renderer` was made for its surface. With `Cpu`, or
    /// `Auto` on a software adapter (where the CPU rasteriser is faster),
    /// frames are drawn on the CPU and copied to the surface.
    pub fn set_window_renderer(&mut self, renderer: Renderer, choice: RendererChoice) {
        let software = renderer.adapter_info().device_type == wgpu::DeviceType::Cpu;
        let cpu = match choice {
            RendererChoice::Cpu => true,
            RendererChoice::Gpu => false,
            RendererChoice::Auto => software,
        };
        if cpu {
            self.renderer =
                RendererSlot::Ready(Box::new(Rasterizer::Cpu(cirrus_render::CpuRenderer::new())));
            self.window_gpu = Some(renderer);
            self.uploaded.clear();
        } else {
            self.set_renderer(renderer);
        }
    }

    pub fn stage(&self) -> &Stage {
        &self.stage
    }

    pub fn stage_mut(&mut self) -> &mut Stage {
        &mut self.stage
    }

    /// The host's time as of the last [`advance`](Self::advance).
    pub fn now(&self) -> Duration {
        self.now
    }

    /// Whether the picture changed since it was last drawn.
    pub fn needs_redraw(&self) -> bool {
        self.dirty
    }

    /// Asks for a redraw (the window's contents were lost).
    pub fn invalidate(&mut self) {
        self.dirty = true;
    }

    /// The app has settled: see [`Stage::is_settled`]; and no finger is
    /// down (a gesture in progress is not a settled app).
    pub fn is_settled(&self) -> bool {
        self.stage.is_settled() && !self.touches.is_touching()
    }

    /// The logic thread has handled everything sent to it.
    pub fn logic_caught_up(&self) -> bool {
        self.stage.logic_caught_up()
    }

    /// Applies one message from the logic thread.
    pub fn apply(&mut self, message: ToRender) {
        self.stage.handle(message);
        self.dirty = true;
    }

    /// Applies every message already queued; how many there were.
    pub fn apply_queued(&mut self, from_logic: &Receiver<ToRender>) -> usize {
        let mut count = 0;
        while let Ok(message) = from_logic.try_recv() {
            self.apply(message);
            count += 1;
        }
        count
    }

    /// Sends `message` to the logic thread, counted so that the app is not
    /// settled until the logic thread reports having handled it.
    pub fn send(&mut self, message: ToLogic) {
        self.stage.note_sent_to_logic();
        // A stopped logic thread is seen through `ToRender::Stopped`.
        let _ = self.to_logic.send(message);
    }

    fn send_all(&mut self, messages: Vec<ToLogic>) {
        for message in messages {
            self.send(message);
        }
    }

    /// The window or requested size changed.
    pub fn resize(&mut self, viewport: Viewport) {
        self.stage.resize(viewport);
        self.send(ToLogic::Resize(viewport));
        self.dirty = true;
    }

    /// Switches the theme: the pages restyle and the logic thread's
    /// `onThemeChange` listeners run.
    pub fn set_dark_mode(&mut self, dark: bool) {
        if dark == self.stage.dark_mode() {
            return;
        }
        self.stage.set_dark_mode(dark);
        self.send(ToLogic::ThemeChanged { dark });
        self.dirty = true;
    }

    /// The host is short of memory: decoded pictures the last frame did not
    /// draw are dropped (they decode again when next drawn), and the logic
    /// thread collects its garbage and tells the app
    /// (`wx.onMemoryWarning`, `level` as in [`ToLogic::MemoryWarning`]).
    pub fn memory_warning(&mut self, level: u32) {
        self.stage.images_mut().trim();
        self.send(ToLogic::MemoryWarning { level });
    }

    /// Routes one input event (window CSS px) at the current time.
    pub fn input(&mut self, event: InputEvent) {
        let now = self.now;
        let mut out = Vec::new();
        match event {
            InputEvent::Pointer { id, phase, x, y } => {
                let stage = &mut self.stage;
                match phase {
                    PointerPhase::Down => self.touches.down(stage, id, (x, y), now, &mut out),
                    PointerPhase::Move => self.touches.moved(stage, id, (x, y), now, &mut out),
                    PointerPhase::Up => self.touches.up(stage, id, (x, y), now, &mut out),
                    PointerPhase::Cancel => self.touches.cancel(stage, id, &mut out),
                }
                self.dirty = true;
            }
            InputEvent::Wheel { x, y, dx, dy } => {
                // Scroll what the frame shows, with applied batches laid out.
                self.stage.update();
                if self.stage.scroll_by(x, y, dx, dy) {
                    self.dirty = true;
                }
            }
            InputEvent::Key { key } => {
                if let Some((page, node)) = self.touches.focused() {
                    out.push(ToLogic::Event(UiEvent::new(
                        page,
                        node,
                        "keydown",
                        EventDetail::Key { key },
                    )));
                }
            }
            InputEvent::Text { text, composing } => {
                if let Some((page, node)) = self.touches.focused() {
                    out.push(ToLogic::Event(UiEvent::new(
                        page,
                        node,
                        if composing {
                            "compositionupdate"
                        } else {
                            "textinput"
                        },
                        EventDetail::Text { text, composing },
                    )));
                }
            }
        }
        self.send_all(out);
    }

    /// A tap at `(x, y)` (window CSS px): a touch down and up at once.
    pub fn tap(&mut self, x: f32, y: f32) {
        self.input(InputEvent::down(0, x, y));
        self.input(InputEvent::up(0, x, y));
    }

    /// Moves the clock to the host's `now` (never backwards) and does what
    /// became due: gestures and pressed states, network images, motion,
    /// query answers, scroll events. True when the picture changed.
    pub fn advance(&mut self, now: Duration) -> bool {
        self.now = self.now.max(now);
        let now = self.now;
        let mut out = Vec::new();
        if self.touches.advance(&mut self.stage, now, &mut out) {
            self.dirty = true;
        }
        // Network images that arrived: repaint, and send their `load` /
        // `error` events now (counted before any capture).
        if self.stage.poll_images() {
            self.dirty = true;
        }
        if self.stage.set_time(now) {
            self.dirty = true;
        }
        out.extend(self.stage.answer_queries(now.as_secs_f64() * 1000.0));
        // At most one `scroll` per scroll-view per frame; the scroll
        // worklets (`worklet:onscrollupdate`) run in this frame.
        let scrolls = self.stage.take_scroll_events();
        if self
            .stage
            .run_scroll_worklets(&scrolls, self.touches.is_dragging())
        {
            self.dirty = true;
        }
        out.extend(scrolls);
        out.extend(self.stage.take_events());
        self.send_all(out);
        self.dirty
    }

    /// The next instant the driver has something due without input (a
    /// longpress, a hover delay), for hosts that sleep between frames.
    pub fn next_deadline(&self) -> Option<Duration> {
        self.touches.next_deadline()
    }

    /// Runs the passes a capture needs even when nothing is drawn:
    /// transitions the last batches started move, and the events they
    /// raise are sent, so "settled" waits for them and their handlers.
    pub fn update(&mut self) -> FrameStats {
        let stats = self.stage.update();
        let events = self.stage.take_events();
        self.send_all(events);
        stats
    }

    /// Style, layout and paint into the display list.
    pub fn build_frame(&mut self) -> FrameStats {
        let stats = self.stage.update();
        let mut list = std::mem::take(&mut self.list);
        self.stage.paint(&mut list);
        self.list = list;
        let events = self.stage.take_events();
        self.send_all(events);
        stats
    }

    /// The display list of the last frame built.
    pub fn display_list(&self) -> &DisplayList {
        &self.list
    }

    fn renderer(&mut self) -> Result<&mut Rasterizer, EngineError> {
        let slot = std::mem::replace(&mut self.renderer, RendererSlot::Empty);
        let renderer = match slot {
            RendererSlot::Ready(r) => r,
            RendererSlot::Pending(rx) => Box::new(
                rx.recv()
                    .unwrap_or_else(|_| Err("the renderer set-up thread stopped".to_owned()))
                    .map_err(EngineError::NoAdapter)?,
            ),
            RendererSlot::Empty => Box::new(
                Rasterizer::new_headless(self.renderer_choice)
                    .map_err(|e| EngineError::NoAdapter(e.to_string()))?,
            ),
        };
        self.renderer = RendererSlot::Ready(renderer);
        match &mut self.renderer {
            RendererSlot::Ready(r) => Ok(r),
            _ => unreachable!("set just above"),
        }
    }

    /// Uploads the images that arrived since the last frame.
    fn upload_images(&mut self) -> Result<(), EngineError> {
        // Pixels the store dropped (least recently used, over its budget,
        // or an SVG rasterised again larger) take their textures with them.
        let dropped = self.stage.images_mut().end_frame();
        if !dropped.is_empty() {
            if let RendererSlot::Ready(renderer) = &mut self.renderer {
                for key in &dropped {
                    renderer.unregister_image(*key);
                }
            }
            for key in &dropped {
                self.uploaded.remove(key);
            }
        }
        let fresh: Vec<_> = (self.stage.images().loaded())
            .filter(|img| !self.uploaded.contains(&img.key))
            .map(|img| (img.key, img.pixels.clone()))
            .collect();
        if fresh.is_empty() {
            return Ok(());
        }
        let renderer = self.renderer()?;
        for (key, pixels) in &fresh {
            renderer.register_image(*key, pixels);
        }
        self.uploaded.extend(fresh.into_iter().map(|(key, _)| key));
        Ok(())
    }

    /// The frame's size in device pixels.
    pub fn device_size(&self) -> (u32, u32) {
        let viewport = self.stage.viewport();
        (
            (viewport.width.0 * viewport.dpr).round().max(1.0) as u32,
            (viewport.height.0 * viewport.dpr).round().max(1.0) as u32,
        )
    }

    /// Builds a frame and rasterises it into an RGBA image (straight alpha).
    pub fn render_image(&mut self) -> Result<image::RgbaImage, EngineError> {
        self.build_frame();
        self.rasterise()
    }

    /// Rasterises the display list already built.
    pub fn rasterise(&mut self) -> Result<image::RgbaImage, EngineError> {
        self.upload_images()?;
        let (width, height) = self.device_size();
        let clear = self.stage.background();
        self.renderer()?;
        let RendererSlot::Ready(renderer) = &mut self.renderer else {
            unreachable!("made just above");
        };
        let fonts = self.stage.text_system().font_system();
        let image = renderer
            .render_to_image(&self.list, fonts, width, height, clear)
            .map_err(|e| EngineError::Gpu(e.to_string()))?;
        self.dirty = false;
        Ok(image)
    }

    /// Builds a frame and presents it on a window surface.
    pub fn present(&mut self, surface: &mut SurfaceTarget) -> Result<(), EngineError> {
        if self.window_gpu.is_some() {
            let image = self.render_image()?;
            if let Some(gpu) = &self.window_gpu {
                surface.present_image(gpu, &image)?;
            }
            return Ok(());
        }
        self.build_frame();
        self.upload_images()?;
        let clear = self.stage.background();
        let RendererSlot::Ready(rasterizer) = &mut self.renderer else {
            return Err(EngineError::NoAdapter("the window has no renderer".into()));
        };
        let Rasterizer::Gpu(renderer) = rasterizer.as_mut() else {
            return Err(EngineError::NoAdapter(
                "a window surface needs the GPU renderer".into(),
            ));
        };
        let fonts = self.stage.text_system().font_system();
        surface.present(renderer, &self.list, fonts, clear)?;
        self.dirty = false;
        Ok(())
    }

    /// Builds a frame and draws it into `view` (of `format`, `width` x
    /// `height` pixels) on the device of the GPU renderer in use (the
    /// host's, see `Renderer::for_host_device`).
    pub fn render_to_view(
        &mut self,
        view: &wgpu::TextureView,
        format: wgpu::TextureFormat,
        width: u32,
        height: u32,
    ) -> Result<(), EngineError> {
        self.build_frame();
        self.upload_images()?;
        let clear = self.stage.background();
        let RendererSlot::Ready(rasterizer) = &mut self.renderer else {
            return Err(EngineError::NoAdapter("no GPU renderer was set".into()));
        };
        let Rasterizer::Gpu(renderer) = rasterizer.as_mut() else {
            return Err(EngineError::NoAdapter(
                "textures need the GPU renderer".into(),
            ));
        };
        let fonts = self.stage.text_system().font_system();
        renderer
            .render_to_view(&self.list, fonts, view, format, width, height, clear)
            .map_err(|e| EngineError::Gpu(e.to_string()))?;
        self.dirty = false;
        Ok(())
    }

    /// A description of the rasteriser ("cpu (vello_cpu)", "llvmpipe
    /// (Vulkan, Cpu)").
    pub fn renderer_label(&mut self) -> Result<String, EngineError> {
        Ok(self.renderer()?.label())
    }

    /// The current frame as a capture: picture, layout file, diagnostics.
    pub fn capture(&mut self, settled: bool) -> Result<Capture, EngineError> {
        let image = self.render_image()?;
        Ok(Capture {
            image,
            layout: self.stage.layout_json(),
            diagnostics: self.stage.diagnostics().to_vec(),
            settled,
            adapter: self.renderer_label()?,
        })
    }
}
