//! Headless rendering: `cirrus shot`, and the API the fixture tests use.

use crate::session::Session;
use crate::EmbedError;
use cirrus_engine::layout::Viewport;
use cirrus_engine::package::Package;
use cirrus_engine::render::RendererChoice;
use cirrus_engine::render_thread::{Capture, FrameTarget};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The options of `cirrus shot`.
#[derive(Clone, Debug)]
pub struct ShotOptions {
    /// Route with an optional query; `None` is the home page.
    pub page: Option<String>,
    pub width: f32,
    pub height: f32,
    pub dpr: f32,
    /// The shot is not taken before this long after launch.
    pub wait: Duration,
    /// The shot is taken at this point even if the app has not settled.
    pub timeout: Duration,
    /// Where the app's storage lives; `None` is the per-app default folder.
    pub data_dir: Option<PathBuf>,
    /// The app's JS heap limit in bytes; `None` is the default (256 MiB).
    pub memory_limit_bytes: Option<usize>,
    /// Which rasteriser draws (`--renderer`): the GPU where a hardware
    /// adapter exists, else the CPU one.
    pub renderer: RendererChoice,
}

impl ShotOptions {
    /// What the host grants the app (data folder, memory limit).
    pub fn resources(&self) -> crate::AppResources {
        crate::AppResources {
            data_dir: self.data_dir.clone(),
            memory_limit_bytes: self.memory_limit_bytes,
        }
    }
}

impl Default for ShotOptions {
    fn default() -> Self {
        ShotOptions {
            page: None,
            width: 375.0,
            height: 667.0,
            dpr: 2.0,
            wait: Duration::ZERO,
            timeout: Duration::from_secs(10),
            data_dir: None,
            memory_limit_bytes: None,
            renderer: RendererChoice::Auto,
        }
    }
}

/// Launches the app headless and captures the page on top of the stack once
/// it has settled (onReady done, nothing pending) and `wait` has passed.
pub fn shot(package: Arc<Package>, options: &ShotOptions) -> Result<Capture, EmbedError> {
    let session = headless_session(package, options)?;
    let not_before = session.started + options.wait;
    let deadline = Instant::now().max(not_before) + options.timeout;
    Ok(session.render.capture(not_before, deadline)?)
}

/// Both threads of `package`, headless, as `options` say.
fn headless_session(package: Arc<Package>, options: &ShotOptions) -> Result<Session, EmbedError> {
    Session::launch_with_renderer(
        package,
        options.page.as_deref(),
        Viewport::new(options.width, options.height, options.dpr),
        FrameTarget::Headless,
        options.resources(),
        options.renderer,
    )
}

/// The layout file (README, "The `cirrus` CLI") of `route` at the given viewport.
pub fn layout_of(
    package: Arc<Package>,
    route: &str,
    width: f32,
    height: f32,
) -> Result<serde_json::Value, EmbedError> {
    let options = ShotOptions {
        page: Some(route.to_owned()),
        width,
        height,
        dpr: 1.0,
        ..Default::default()
    };
    Ok(shot(package, &options)?.layout)
}

/// A screenshot of `route` at the given viewport and device pixel ratio.
pub fn screenshot_of(
    package: Arc<Package>,
    route: &str,
    width: f32,
    height: f32,
    dpr: f32,
) -> Result<image::RgbaImage, EmbedError> {
    let options = ShotOptions {
        page: Some(route.to_owned()),
        width,
        height,
        dpr,
        ..Default::default()
    };
    Ok(shot(package, &options)?.image)
}

/// A headless app driven step by step, for behaviour tests: capture the
/// settled frame, tap (the chrome first, then the page), capture again.
pub struct HeadlessApp {
    session: Session,
    timeout: Duration,
}

impl HeadlessApp {
    /// Launches the app as [`shot`] does (`options.page`, size, dpr).
    pub fn launch(package: Arc<Package>, options: &ShotOptions) -> Result<HeadlessApp, EmbedError> {
        let session = headless_session(package, options)?;
        Ok(HeadlessApp {
            session,
            timeout: options.timeout,
        })
    }

    /// The frame once the app has settled again (at the latest after the
    /// timeout: then `settled` is false).
    pub fn capture(&self) -> Result<Capture, EmbedError> {
        let now = Instant::now();
        Ok(self.session.render.capture(now, now + self.timeout)?)
    }

    /// A tap at `(x, y)`, CSS px from the window's top-left corner.
    pub fn tap(&self, x: f32, y: f32) -> Result<(), EmbedError> {
        self.session.tap(x, y)
    }

    /// Scrolls the scroll-view under `(x, y)` (CSS px from the window's
    /// top-left corner) by `(delta_x, delta_y)` CSS px towards its end, as
    /// a mouse wheel does; the `scroll` event follows.
    pub fn scroll(&self, x: f32, y: f32, delta_x: f32, delta_y: f32) -> Result<(), EmbedError> {
        self.session.scroll(x, y, delta_x, delta_y)
    }

    /// Everything the app printed with `console.*`, in order.
    pub fn console(&self) -> Vec<String> {
        let lines = self.session.logic.console_lines();
        lines.into_iter().map(|line| line.text).collect()
    }
}
