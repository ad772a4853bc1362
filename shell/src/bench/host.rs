//! An in-process, single-threaded host of the engine's [`FrameDriver`], for
//! timing: a real logic thread (QuickJS, templates, op batches) feeds the
//! driver, which this host steps frame by frame, rendering each frame
//! headless. Unlike the render thread it never draws on a timer: a frame is
//! made exactly when the benchmark asks, so the time from an event to its
//! frame can be measured without polling slack.
//!
//! Invariant: every `ToRender` message received is applied in order before
//! the next frame, and every message to the logic thread is counted by the
//! driver, so "settled" cannot be fooled by a stale `Idle`.

use anyhow::{bail, Context, Result};
use cirrus_engine::frame::FrameDriver;
use cirrus_engine::layout::Viewport;
use cirrus_engine::ops::{NodeId, PageId};
use cirrus_engine::package::Package;
use cirrus_engine::protocol::{EventDetail, UiEvent};
use cirrus_engine::protocol::{ToLogic, ToRender};
use cirrus_engine::render::RendererChoice;
use cirrus_engine::stage::{FrameStats, Stage};
use cirrus_js_bridge::{Clock, LogicHandle, LogicOptions, LogicThread};
use crossbeam::channel::{self, Receiver, RecvTimeoutError};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// How long any one wait for the logic thread may take before the
/// benchmark gives up (a broken generated app must not hang `cirrus bench`).
const PATIENCE: Duration = Duration::from_secs(60);

/// Where the time of one frame went.
#[derive(Clone, Copy, Debug, Default)]
pub struct FrameTiming {
    pub stats: FrameStats,
    pub paint: Duration,
    /// Encoding, submitting and reading the frame back (headless).
    pub gpu: Duration,
}

impl FrameTiming {
    /// The render thread's CPU part: motion + style + layout + paint.
    pub fn cpu(&self) -> Duration {
        self.stats.motion_time + self.stats.style_time + self.stats.layout_time + self.paint
    }
}

pub struct BenchHost {
    driver: FrameDriver,
    from_logic: Receiver<ToRender>,
    logic: Option<LogicHandle>,
    /// The last tap: from sending it until the logic thread's `Idle`, and
    /// the part of that spent applying its op batches to the stage.
    turn: Duration,
    applying: Duration,
}

impl BenchHost {
    /// Launches the app's home page and waits until it has settled.
    pub fn launch(
        package: Arc<Package>,
        viewport: Viewport,
        renderer: RendererChoice,
    ) -> Result<BenchHost> {
        let route = package.home().context("app.json names no page")?.to_owned();
        let (to_render, from_logic) = channel::unbounded();
        let (to_logic, from_host) = channel::unbounded();
        let options = LogicOptions {
            viewport,
            clock: Clock::Real,
            data_dir: Some(std::env::temp_dir().join("cirrus-bench-data")),
            ..LogicOptions::default()
        };
        let logic = LogicThread::spawn(package.clone(), options, to_render, from_host)
            .context("starting the logic thread")?;
        to_logic
            .send(ToLogic::Launch {
                route,
                query: String::new(),
            })
            .context("the logic thread stopped at once")?;
        let mut driver = FrameDriver::new(Stage::new(package, viewport), to_logic);
        driver.set_renderer_choice(renderer);
        driver.prepare_headless_renderer();
        let mut host = BenchHost {
            driver,
            from_logic,
            logic: Some(logic),
            turn: Duration::ZERO,
            applying: Duration::ZERO,
        };
        host.wait_settled()?;
        host.frame()?;
        Ok(host)
    }

    /// "llvmpipe (Vulkan, Cpu)".
    pub fn adapter(&mut self) -> String {
        self.driver
            .renderer_label()
            .unwrap_or_else(|e| format!("no renderer: {e}"))
    }

    pub fn stage(&self) -> &Stage {
        self.driver.stage()
    }

    fn apply(&mut self, message: ToRender) -> Result<()> {
        match &message {
            ToRender::Error(d) if d.is_error() => bail!("the generated app failed: {d}"),
            ToRender::Stopped => bail!("the logic thread stopped"),
            _ => {}
        }
        let started = Instant::now();
        self.driver.apply(message);
        self.applying += started.elapsed();
        Ok(())
    }

    /// Where the time of the last [`tap`](Self::tap) went: (the logic
    /// thread's turn as seen from here, i.e. until its `Idle` arrived, less
    /// applying its batches; applying the batches to the tree).
    pub fn last_turn(&self) -> (Duration, Duration) {
        (self.turn.saturating_sub(self.applying), self.applying)
    }

    /// Applies messages until the logic thread is idle and the top page
    /// is ready (the state `cirrus shot` waits for).
    pub fn wait_settled(&mut self) -> Result<()> {
        let deadline = Instant::now() + PATIENCE;
        while !self.driver.is_settled() {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.from_logic.recv_timeout(left) {
                Ok(m) => self.apply(m)?,
                Err(RecvTimeoutError::Timeout) => bail!("the generated app never settled"),
                Err(RecvTimeoutError::Disconnected) => bail!("the logic thread is gone"),
            }
            while let Ok(m) = self.from_logic.try_recv() {
                self.apply(m)?;
            }
        }
        Ok(())
    }

    /// Applies the next message (waiting for it) and whatever else is queued.
    pub fn wait_more(&mut self) -> Result<()> {
        match self.from_logic.recv_timeout(PATIENCE) {
            Ok(m) => self.apply(m)?,
            Err(_) => bail!("the logic thread went quiet"),
        }
        while let Ok(m) = self.from_logic.try_recv() {
            self.apply(m)?;
        }
        Ok(())
    }

    /// Sends a `tap` with `detail` to `node` of the top page, then waits
    /// until the logic thread has finished the turn (its batches applied).
    pub fn tap(&mut self, node: NodeId, detail: serde_json::Value) -> Result<()> {
        let page = self.top_page()?;
        let started = Instant::now();
        self.applying = Duration::ZERO;
        self.driver.send(ToLogic::Event(UiEvent::new(
            page,
            node,
            "tap",
            EventDetail::Value(detail),
        )));
        self.wait_settled()?;
        self.turn = started.elapsed();
        Ok(())
    }

    pub fn top_page(&self) -> Result<PageId> {
        self.driver
            .stage()
            .top_page()
            .map(|p| p.id)
            .context("no page on the stack")
    }

    /// The stage's frame clock (transitions and animations follow it).
    pub fn clock(&self) -> Duration {
        self.driver.now()
    }

    /// Moves the frame clock to `t` (never backwards), as the render
    /// thread does before each frame.
    pub fn set_time(&mut self, t: Duration) {
        self.driver.advance(t);
    }

    /// The element at `(x, y)` of the top page, CSS px of the page.
    pub fn node_at(&mut self, x: f32, y: f32) -> Result<NodeId> {
        let stage = self.driver.stage_mut();
        stage.update();
        stage.sync_scroll();
        stage
            .hit_test(x, y)
            .with_context(|| format!("nothing at ({x}, {y}) of the generated page"))
    }

    /// Scroll input at `(x, y)` (window CSS px) through the render thread's
    /// own path ([`Stage::scroll_by`]), then the frame's scroll events sent
    /// to the logic thread as the render thread sends them. Returns whether
    /// a scroll-view moved.
    pub fn scroll(&mut self, x: f32, y: f32, delta_x: f32, delta_y: f32) -> Result<bool> {
        let moved = self.driver.stage_mut().scroll_by(x, y, delta_x, delta_y);
        let now = self.driver.now();
        self.driver.advance(now);
        Ok(moved)
    }

    /// How many items the last frame's display list held.
    pub fn display_items(&self) -> usize {
        self.driver.display_list().items.len()
    }

    /// Style, layout, paint and a headless render of the top page.
    pub fn frame(&mut self) -> Result<FrameTiming> {
        let started = Instant::now();
        let stats = self.driver.build_frame();
        let paint = started
            .elapsed()
            .saturating_sub(stats.motion_time + stats.style_time + stats.layout_time);
        let gpu_started = Instant::now();
        self.driver.rasterise().context("rendering the frame")?;
        Ok(FrameTiming {
            stats,
            paint,
            gpu: gpu_started.elapsed(),
        })
    }
}

impl Drop for BenchHost {
    fn drop(&mut self) {
        self.driver.send(ToLogic::Shutdown);
        if let Some(logic) = self.logic.take() {
            let _ = logic.shutdown();
        }
    }
}
