//! cirrus-render: the display list (plain data produced by the painter) and
//! the two backends that draw it.
//!
//! The painter builds a [`DisplayList`] in device pixels. The [`Renderer`]
//! (wgpu) batches consecutive items by texture (and by kind on software
//! adapters) into instanced draws of signed-distance-field quads, on a
//! window surface or headless into an image; see `renderer/mod.rs` for the
//! frame's stages. The [`CpuRenderer`] (`cpu/`, on vello_cpu) draws the same
//! list into an image without a graphics adapter. [`Rasterizer`] holds
//! either, chosen by [`RendererChoice`].

pub mod cpu;
pub mod display_list;
pub mod glyph_size;
mod rasterizer;
mod renderer;

pub use cpu::CpuRenderer;
pub use display_list::{
    CornerRadii, DisplayItem, DisplayList, GlyphInstance, ImageKey, ImageTiling, Rect,
};
pub use rasterizer::{ParseRendererChoiceError, Rasterizer, RendererChoice};
pub use renderer::{quiet_start, AdapterLabel, FrameStats, RenderError, Renderer};
pub use wgpu;
