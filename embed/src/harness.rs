//! The test harness, after Masonry's: the app's logic thread on a
//! controlled clock, the engine's frame driver on the caller's thread, and
//! input synthesised as a phone delivers it. `cirrus shot --input` plays
//! its steps on it, and behaviour tests drive it directly.
//!
//! Determinism: time moves only when the harness moves it, in frames of
//! 1/120 s. After each move the harness sends the logic thread a counted
//! `Sync` and waits for the `Idle` that answers it, so every timer that
//! became due has run and its op batches are applied before the frame is
//! built. Input is routed at the frame's time and waited for the same way.
//! A run therefore depends only on the app and the steps, not on how fast
//! the machine is (network replies excepted).

use crate::headless::ShotOptions;
use crate::EmbedError;
use cirrus_engine::frame::{Capture, FrameDriver};
use cirrus_engine::input::InputEvent;
use cirrus_engine::layout::Viewport;
use cirrus_engine::package::Package;
use cirrus_engine::protocol::{ToLogic, ToRender};
use cirrus_engine::stage::Stage;
use cirrus_js_bridge::{Clock, ControlledClock, LogicHandle};
use crossbeam::channel::{Receiver, RecvTimeoutError};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// One touch's straight path: where it goes down and where it is lifted
/// (CSS px).
pub type TouchPath = ((f32, f32), (f32, f32));

/// One frame at 120 Hz.
pub const FRAME: Duration = Duration::from_nanos(8_333_333);
/// How long (wall time) the logic thread may take to answer one step
/// before the harness gives up: a script that never returns is stopped
/// by the logic thread's own watchdog well before.
const PATIENCE: Duration = Duration::from_secs(30);
/// How long (virtual time) [`Harness::settle`] steps frames at most.
pub const SETTLE_LIMIT: Duration = Duration::from_secs(10);

/// An app on a controlled clock, driven frame by frame.
pub struct Harness {
    driver: FrameDriver,
    from_logic: Receiver<ToRender>,
    logic: Option<LogicHandle>,
    clock: ControlledClock,
    /// Virtual time since launch.
    now: Duration,
    /// Milliseconds already handed to the logic thread's clock (its
    /// resolution).
    logic_ms: u64,
}

impl Harness {
    /// Launches the app as `cirrus shot` does (`options.page`, size, dpr,
    /// data folder) and steps frames until it has settled.
    pub fn launch(package: Arc<Package>, options: &ShotOptions) -> Result<Harness, EmbedError> {
        let viewport = Viewport::new(options.width, options.height, options.dpr);
        let clock = ControlledClock::new();
        let launched = crate::launch::start_logic(
            &package,
            options.page.as_deref(),
            viewport,
            Clock::Controlled(clock.clone()),
            &options.resources(),
        )?;
        let (logic, from_logic, to_logic) =
            (launched.logic, launched.from_logic, launched.to_logic);
        let mut driver = FrameDriver::new(Stage::new(package, viewport), to_logic);
        driver.set_renderer_choice(options.renderer);
        driver.prepare_headless_renderer();
        let mut harness = Harness {
            driver,
            from_logic,
            logic: Some(logic),
            clock,
            now: Duration::ZERO,
            logic_ms: 0,
        };
        harness.wait_for_launch()?;
        harness.settle(SETTLE_LIMIT)?;
        Ok(harness)
    }

    /// The frame driver (its stage, its display list).
    pub fn driver(&mut self) -> &mut FrameDriver {
        &mut self.driver
    }

    /// Virtual time since launch.
    pub fn now(&self) -> Duration {
        self.now
    }

    /// Everything the app printed with `console.*`, in order.
    pub fn console(&self) -> Vec<String> {
        self.logic
            .as_ref()
            .map(|l| {
                l.console_lines()
                    .into_iter()
                    .map(|line| line.text)
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Waits until the launch's first page is on the stage.
    fn wait_for_launch(&mut self) -> Result<(), EmbedError> {
        let deadline = Instant::now() + PATIENCE;
        while self.driver.stage().top_page().is_none() || !self.driver.logic_caught_up() {
            self.receive(deadline)?;
        }
        Ok(())
    }

    /// Applies the next message (waiting until `deadline`) and whatever
    /// else is queued.
    fn receive(&mut self, deadline: Instant) -> Result<(), EmbedError> {
        let left = deadline.saturating_duration_since(Instant::now());
        match self.from_logic.recv_timeout(left) {
            Ok(message) => self.driver.apply(message),
            Err(RecvTimeoutError::Timeout) => return Err(EmbedError::NotSettled(PATIENCE)),
            Err(RecvTimeoutError::Disconnected) => return Err(EmbedError::LogicGone),
        }
        self.driver.apply_queued(&self.from_logic);
        Ok(())
    }

    /// Waits until the logic thread has handled everything sent to it
    /// (and applies what it sent back).
    fn catch_up(&mut self) -> Result<(), EmbedError> {
        let deadline = Instant::now() + PATIENCE;
        self.driver.apply_queued(&self.from_logic);
        while !self.driver.logic_caught_up() {
            self.receive(deadline)?;
        }
        Ok(())
    }

    /// Moves virtual time by `dt` (one frame or less): the logic thread's
    /// timers first, then the frame's own clock (gestures, motion, images).
    pub fn step(&mut self, dt: Duration) -> Result<(), EmbedError> {
        self.now += dt;
        let ms = u64::try_from(self.now.as_millis()).unwrap_or(u64::MAX);
        if ms > self.logic_ms {
            self.clock
                .advance(Duration::from_millis(ms - self.logic_ms));
            self.logic_ms = ms;
            self.driver.send(ToLogic::Sync);
        }
        self.catch_up()?;
        self.driver.advance(self.now);
        // Headless, frames are built for captures only: run the passes so
        // transitions started by the last batches move and raise events.
        self.driver.update();
        self.catch_up()
    }

    /// Advances virtual time by `duration`, frame by frame.
    pub fn wait(&mut self, duration: Duration) -> Result<(), EmbedError> {
        let end = self.now + duration;
        while self.now < end {
            self.step(FRAME.min(end - self.now))?;
        }
        Ok(())
    }

    /// Steps frames until the app has settled, for at most `limit` of
    /// virtual time. Whether it settled.
    pub fn settle(&mut self, limit: Duration) -> Result<bool, EmbedError> {
        let end = self.now + limit;
        loop {
            self.catch_up()?;
            self.driver.update();
            self.catch_up()?;
            if self.driver.is_settled() {
                return Ok(true);
            }
            if self.now >= end {
                return Ok(false);
            }
            self.step(FRAME)?;
        }
    }

    /// Routes one input event now, and waits for its handlers.
    pub fn input(&mut self, event: InputEvent) -> Result<(), EmbedError> {
        self.driver.input(event);
        self.catch_up()
    }

    /// A memory warning from the host (see `Engine::memory_warning`), and
    /// waits until the logic thread has collected and told the app.
    pub fn memory_warning(&mut self, level: u32) -> Result<(), EmbedError> {
        self.driver.memory_warning(level);
        self.catch_up()
    }

    /// A tap: down, one frame, up (CSS px from the window's corner).
    pub fn tap(&mut self, x: f32, y: f32) -> Result<(), EmbedError> {
        self.input(InputEvent::down(0, x, y))?;
        self.step(FRAME)?;
        self.input(InputEvent::up(0, x, y))
    }

    /// A long press: down, held past the longpress delay, up.
    pub fn longpress(&mut self, x: f32, y: f32) -> Result<(), EmbedError> {
        self.input(InputEvent::down(0, x, y))?;
        self.wait(cirrus_engine::input::touch::LONGPRESS_DELAY + Duration::from_millis(50))?;
        self.input(InputEvent::up(0, x, y))
    }

    /// Touches moving in straight lines at constant speed, 120 moves a
    /// second over `duration`, then lifted: `paths` gives each touch's
    /// start and end.
    pub fn gesture(&mut self, paths: &[TouchPath], duration: Duration) -> Result<(), EmbedError> {
        for (id, (from, _)) in paths.iter().enumerate() {
            self.input(InputEvent::down(id as u32, from.0, from.1))?;
        }
        let moves = (duration.as_secs_f64() * 120.0).ceil().max(1.0) as u32;
        let per_move = duration / moves;
        for i in 1..=moves {
            self.step(per_move)?;
            let t = i as f32 / moves as f32;
            for (id, (from, to)) in paths.iter().enumerate() {
                let x = from.0 + (to.0 - from.0) * t;
                let y = from.1 + (to.1 - from.1) * t;
                self.input(InputEvent::moved(id as u32, x, y))?;
            }
        }
        for (id, (_, to)) in paths.iter().enumerate() {
            self.input(InputEvent::up(id as u32, to.0, to.1))?;
        }
        Ok(())
    }

    /// The frame now, rendered, with its layout file and diagnostics.
    pub fn capture(&mut self) -> Result<Capture, EmbedError> {
        self.catch_up()?;
        let settled = self.driver.is_settled();
        Ok(self.driver.capture(settled)?)
    }

    /// The layout file of the frame now (each element with its
    /// transformed box as `visual` too).
    pub fn layout(&mut self) -> serde_json::Value {
        self.driver.build_frame();
        self.driver.stage_mut().layout_json()
    }
}

impl Drop for Harness {
    fn drop(&mut self) {
        self.driver.send(ToLogic::Shutdown);
        if let Some(logic) = self.logic.take() {
            let _ = logic.shutdown();
        }
    }
}
