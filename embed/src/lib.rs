//! cirrus-embed: a mini program running in a host. Both threads wired
//! together ([`session`]), headless shots ([`headless`]), the
//! controlled-clock harness that tests and scripted shots drive
//! ([`harness`]), the `--input` step format ([`script`]), and the
//! embedding API for native hosts ([`engine`]).
//!
//! Every host here drives the engine through its one frame driver
//! (`cirrus_engine::frame::FrameDriver`): the render thread does for
//! sessions, the harness does on the caller's thread.

pub mod engine;
pub mod harness;
pub mod headless;
mod launch;

pub use launch::AppResources;
pub mod script;
pub mod session;

use cirrus_engine::EngineError;
use cirrus_js_bridge::BridgeError;

/// Why an app could not be run or driven.
#[derive(Debug, thiserror::Error)]
pub enum EmbedError {
    #[error(transparent)]
    Engine(#[from] EngineError),
    #[error(transparent)]
    Bridge(#[from] BridgeError),
    #[error("app.json names no page")]
    NoPage,
    #[error("the logic thread stopped")]
    LogicGone,
    #[error("the app did not settle within {0:?}")]
    NotSettled(std::time::Duration),
    #[error("{0}")]
    Script(#[from] script::ScriptError),
    #[error("the pixel buffer holds {given} bytes; the frame needs {needed}")]
    BufferTooSmall { needed: usize, given: usize },
}
