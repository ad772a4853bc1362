//! cirrus-engine: package loading, the node tree, the op protocol, the render
//! thread, paint and the embedding API.
//!
//! The WXSS cascade is the `cirrus-style` crate and the display list and GPU
//! renderer are `cirrus-render`, both under this folder; layout and text are
//! `cirrus-layout`.

// A frame's steps. Dependency order, each using only those before it:
// document, style, motion, images, paint, ui, query, scroll -> stage (all
// render-side state) -> input (drives the stage) -> frame (the driver and
// its hosts: the render thread, window surfaces).
pub mod document;
pub mod frame;
pub mod images;
pub mod input;
pub mod motion;
pub mod paint;
pub mod query;
pub mod scroll;
pub mod stage;
pub mod style;
pub mod ui;
pub mod worklet;

// The paths hosts and tests have used.
pub use document::{page, tree};
pub use frame::{render_thread, surface};
pub use input::hit_test;
pub use style::scopes;
pub use ui::{chrome, dialogs, overlay};

pub use cirrus_layout as layout;
pub use cirrus_package::{
    compile_cache, json_locate, npm, package, project, style_sources, PackageError,
};
pub use cirrus_protocol::messages as protocol;
pub use cirrus_protocol::{diagnostics, ops};
pub use cirrus_render as render;
pub use diagnostics::{Diagnostic, Severity};

/// Errors of the engine's own operation (not of the mini program, which are
/// [`Diagnostic`]s).
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    #[error("cannot read {0}: {1}")]
    Io(String, #[source] std::io::Error),
    #[error(transparent)]
    Package(#[from] PackageError),
    #[error("no GPU adapter is available: {0}")]
    NoAdapter(String),
    #[error("GPU error: {0}")]
    Gpu(String),
    #[error("the render thread has stopped")]
    RenderThreadGone,
}
