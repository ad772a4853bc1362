//! One running app: a logic thread and a render thread wired together by
//! crossbeam channels (ARCHITECTURE.md "Threads").

use crate::{AppResources, EmbedError};
use cirrus_engine::layout::Viewport;
use cirrus_engine::package::Package;
use cirrus_engine::render::RendererChoice;
use cirrus_engine::render_thread::{FrameTarget, RenderThread};
use cirrus_js_bridge::{Clock, LogicHandle};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

pub struct Session {
    /// Declared before `logic` so it stops first (it tells the logic thread
    /// to stop on its way out).
    pub render: RenderThread,
    pub logic: LogicHandle,
    pub started: Instant,
}

impl Session {
    /// Starts the app at `route` (`pages/a/a?id=3`; `None` is the home page),
    /// keeping its storage in the default per-app data directory.
    pub fn launch(
        package: Arc<Package>,
        route: Option<&str>,
        viewport: Viewport,
        target: FrameTarget,
    ) -> Result<Session, EmbedError> {
        Session::launch_with_data(package, route, viewport, target, None)
    }

    /// As [`Session::launch`], with storage and downloads under `data_dir`
    /// (tests and `cirrus shot --data-dir` use a fresh folder so a shot never
    /// depends on what earlier runs stored).
    pub fn launch_with_data(
        package: Arc<Package>,
        route: Option<&str>,
        viewport: Viewport,
        target: FrameTarget,
        data_dir: Option<PathBuf>,
    ) -> Result<Session, EmbedError> {
        Session::launch_with_renderer(
            package,
            route,
            viewport,
            target,
            AppResources {
                data_dir,
                ..AppResources::default()
            },
            RendererChoice::Auto,
        )
    }

    /// As [`Session::launch_with_data`], with the data folder and memory
    /// limit of `resources`, drawing with the rasteriser `renderer` picks.
    pub fn launch_with_renderer(
        package: Arc<Package>,
        route: Option<&str>,
        viewport: Viewport,
        target: FrameTarget,
        resources: AppResources,
        renderer: RendererChoice,
    ) -> Result<Session, EmbedError> {
        let started = Instant::now();
        let launched =
            crate::launch::start_logic(&package, route, viewport, Clock::Real, &resources)?;
        let (logic, from_logic, to_logic) =
            (launched.logic, launched.from_logic, launched.to_logic);
        let render =
            RenderThread::spawn_with(package, viewport, target, renderer, from_logic, to_logic)?;
        Ok(Session {
            render,
            logic,
            started,
        })
    }

    /// Test-harness input: a tap at `(x, y)` (CSS px of the top page). The
    /// render thread hit tests and sends the `tap` event to the logic thread.
    pub fn tap(&self, x: f32, y: f32) -> Result<(), EmbedError> {
        Ok(self
            .render
            .send(cirrus_engine::render_thread::HostCommand::Tap { x, y })?)
    }

    /// Test-harness input: scrolls the scroll-view under `(x, y)` (CSS px,
    /// window coordinates) by `(delta_x, delta_y)` CSS px towards its end.
    pub fn scroll(&self, x: f32, y: f32, delta_x: f32, delta_y: f32) -> Result<(), EmbedError> {
        Ok(self
            .render
            .send(cirrus_engine::render_thread::HostCommand::Scroll {
                x,
                y,
                delta_x,
                delta_y,
            })?)
    }
}
