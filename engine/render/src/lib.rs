//! cirrus-render: the display list (plain data produced by the painter) and
//! the wgpu renderer that draws it.
//!
//! The painter builds a [`DisplayList`] in device pixels; the [`Renderer`]
//! batches consecutive items by texture (and by kind on software adapters)
//! into instanced draws of signed-distance-field quads, on a window surface
//! or headless into an image. See `renderer/mod.rs` for the frame's stages.

pub mod display_list;
mod renderer;

pub use display_list::{
    CornerRadii, DisplayItem, DisplayList, GlyphInstance, ImageKey, ImageTiling, Rect,
};
pub use renderer::{AdapterLabel, FrameStats, RenderError, Renderer};
pub use wgpu;
