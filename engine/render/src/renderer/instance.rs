//! The GPU instance record shared by every display item, and the kind codes
//! that select the shading branch in `shader.wgsl`.
//!
//! Invariant: the field order and the `KIND_*` values match the `Instance`
//! struct and constants of `shader.wgsl` exactly; `ATTRIBUTES` describes the
//! same layout to wgpu.

use bytemuck::{Pod, Zeroable};

pub const KIND_RECT: u32 = 0;
pub const KIND_BORDER: u32 = 1;
pub const KIND_SHADOW: u32 = 2;
pub const KIND_LINEAR: u32 = 3;
pub const KIND_RADIAL: u32 = 4;
pub const KIND_IMAGE: u32 = 5;
pub const KIND_GLYPH: u32 = 6;
pub const KIND_LAYER: u32 = 7;
pub const KIND_LINE: u32 = 8;

/// One quad. The meaning of `p0..p3` and `ids[3]` depends on the kind; see
/// the comments of each branch in `shader.wgsl`.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, Pod, Zeroable)]
pub struct Instance {
    /// The quad drawn, in the item's local coordinates (x, y, w, h).
    pub bounds: [f32; 4],
    /// The shape evaluated by the fragment shader (x, y, w, h).
    pub shape: [f32; 4],
    /// Horizontal corner radii: top-left, top-right, bottom-right, bottom-left.
    pub radii_x: [f32; 4],
    /// Vertical corner radii, same order.
    pub radii_y: [f32; 4],
    /// Premultiplied sRGB colour.
    pub color: [f32; 4],
    pub p0: [f32; 4],
    pub p1: [f32; 4],
    pub p2: [f32; 4],
    pub p3: [f32; 4],
    /// kind, transform index, clip index, kind-specific integer.
    pub ids: [u32; 4],
}

pub const ATTRIBUTES: [wgpu::VertexAttribute; 10] = wgpu::vertex_attr_array![
    0 => Float32x4,
    1 => Float32x4,
    2 => Float32x4,
    3 => Float32x4,
    4 => Float32x4,
    5 => Float32x4,
    6 => Float32x4,
    7 => Float32x4,
    8 => Float32x4,
    9 => Uint32x4,
];

/// A gradient stop as the shader reads it: premultiplied colour and offset.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, Pod, Zeroable)]
pub struct GpuStop {
    pub color: [f32; 4],
    pub offset: [f32; 4],
}

/// A clip as the shader reads it: a rounded rectangle in the clip's own
/// space, and the affine map from device pixels to that space.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Pod, Zeroable)]
pub struct GpuClip {
    pub rect: [f32; 4],
    pub radii_x: [f32; 4],
    pub radii_y: [f32; 4],
    /// Device -> clip space: (a, b, c, d) of x' = a x + c y + e,
    /// y' = b x + d y + f.
    pub inverse_linear: [f32; 4],
    /// (e, f, clip-space units per device pixel, unused).
    pub inverse_offset: [f32; 4],
}

impl GpuClip {
    /// A clip whose rectangle is in device pixels.
    pub fn device(rect: [f32; 4], radii_x: [f32; 4], radii_y: [f32; 4]) -> GpuClip {
        GpuClip {
            rect,
            radii_x,
            radii_y,
            inverse_linear: [1.0, 0.0, 0.0, 1.0],
            inverse_offset: [0.0, 0.0, 1.0, 0.0],
        }
    }

    pub fn is_device_space(&self) -> bool {
        self.inverse_linear == [1.0, 0.0, 0.0, 1.0] && self.inverse_offset[..2] == [0.0, 0.0]
    }
}

impl Default for GpuClip {
    fn default() -> GpuClip {
        GpuClip::device([0.0; 4], [0.0; 4], [0.0; 4])
    }
}

/// Per-pass uniforms, padded to the 256-byte dynamic offset alignment.
#[repr(C)]
#[derive(Clone, Copy, Debug, Pod, Zeroable)]
pub struct Globals {
    /// Target width, height, and the device position of its top-left pixel.
    pub target: [f32; 4],
    pub _pad: [f32; 60],
}

pub const GLOBALS_STRIDE: u64 = std::mem::size_of::<Globals>() as u64;
