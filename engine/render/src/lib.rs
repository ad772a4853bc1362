//! cirrus-render: the display list (plain data produced by the painter) and
//! the wgpu renderer that draws it.
//!
//! The painter builds a [`DisplayList`] in device pixels; the [`Renderer`]
//! batches its items by pipeline and texture and draws them with wgpu, on a
//! window surface or headless into an image.

pub mod display_list;

pub use display_list::{
    CornerRadii, DisplayItem, DisplayList, GlyphInstance, ImageKey, ImageTiling, Rect,
};
