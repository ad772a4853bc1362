//! Starting an app's logic thread at a route: the one way every host here
//! (session, harness, embedding engine) does it.

use crate::EmbedError;
use cirrus_engine::layout::Viewport;
use cirrus_engine::package::Package;
use cirrus_engine::protocol::{ToLogic, ToRender};
use cirrus_js_bridge::{Clock, LogicHandle, LogicOptions, LogicThread};
use crossbeam::channel::{self, Receiver, Sender};
use std::path::PathBuf;
use std::sync::Arc;

/// What the host grants the app: where it may write, and how much memory
/// its JavaScript may hold. A package is untrusted; these are the host's
/// decisions, not the package's.
#[derive(Clone, Debug, Default)]
pub struct AppResources {
    /// Where the app's storage and files live; `None` is the per-app
    /// default folder.
    pub data_dir: Option<PathBuf>,
    /// The app's JS heap limit in bytes; `None` is the logic thread's
    /// default (`cirrus_js_bridge::js_limits::DEFAULT_MEMORY_LIMIT_BYTES`).
    pub memory_limit_bytes: Option<usize>,
}

/// A started logic thread and the two ends of its queues.
pub(crate) struct Launched {
    pub logic: LogicHandle,
    /// Messages for it (the launch is already sent).
    pub to_logic: Sender<ToLogic>,
    pub from_logic: Receiver<ToRender>,
}

/// Starts the logic thread for `package` on `clock` and launches `route`
/// (`pages/a/a?id=3`; `None` is the home page). `Launch` is sent here,
/// around any frame driver: the logic thread does not count it, and the
/// driver counts what it sends.
pub(crate) fn start_logic(
    package: &Arc<Package>,
    route: Option<&str>,
    viewport: Viewport,
    clock: Clock,
    resources: &AppResources,
) -> Result<Launched, EmbedError> {
    let route = match route {
        Some(route) => route.to_owned(),
        None => package.home().ok_or(EmbedError::NoPage)?.to_owned(),
    };
    let (path, query) = route.split_once('?').unwrap_or((route.as_str(), ""));
    let (to_render, from_logic) = channel::unbounded();
    let (to_logic, from_host) = channel::unbounded();
    let defaults = LogicOptions::default();
    let options = LogicOptions {
        viewport,
        clock,
        data_dir: resources.data_dir.clone(),
        memory_limit_bytes: resources
            .memory_limit_bytes
            .unwrap_or(defaults.memory_limit_bytes),
        ..defaults
    };
    let logic = LogicThread::spawn(package.clone(), options, to_render, from_host)?;
    to_logic
        .send(ToLogic::Launch {
            route: cirrus_engine::package::normalize(path),
            query: query.to_owned(),
        })
        .map_err(|_| EmbedError::LogicGone)?;
    Ok(Launched {
        logic,
        to_logic,
        from_logic,
    })
}
