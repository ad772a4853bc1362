//! cirrus-engine: package loading, the node tree, the op protocol, the render
//! thread, paint and the embedding API.
//!
//! The WXSS cascade is the `cirrus-style` crate and the display list and GPU
//! renderer are `cirrus-render`, both under this folder; layout and text are
//! `cirrus-layout`.

pub mod chrome;
pub mod dialogs;
pub mod frame;
pub mod hit_test;
pub mod images;
pub mod input;
pub mod motion;
pub mod overlay;
pub mod page;
pub mod paint;
pub mod query;
pub mod render_thread;
pub mod scopes;
pub mod scroll;
pub mod stage;
pub mod style_element;
pub mod style_pass;
pub mod surface;
pub mod tree;

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
