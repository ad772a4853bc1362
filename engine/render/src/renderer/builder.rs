//! Turns a [`DisplayList`] into a [`FramePlan`]: instance data, transform,
//! clip and gradient-stop tables, and the passes and batches to draw them.
//!
//! Invariants of the plan:
//! - Passes are in execution order: a layer's pass comes before the pass
//!   that composites it; the root pass is last.
//! - Each batch is a contiguous instance range with one texture; consecutive
//!   items that need no texture (rects, borders, shadows, gradients) join
//!   whatever batch is open, so runs of mixed shapes cost one draw call.
//! - Index 0 of the transform table is the identity and index 0 of the clip
//!   table means "no clip"; both tables are never empty.

use std::ops::Range;

use cirrus_layout::cosmic_text::FontSystem;

use super::atlas::GlyphAtlas;
use super::filters::filter_matrix;
use super::geometry::{
    as_axis_aligned, clamp_radii, finite, inverse_affine, premultiply, rect_array, sane_rect,
    transformed_bounds,
};
use super::instance::*;
use super::textures::{ImageCache, LayerPool, TextureBinder};
use crate::display_list::{
    multiply_matrices, BorderStyle, Color, CornerRadii, DisplayItem, DisplayList, Filter,
    GlyphInstance, ImageKey, ImageTiling, Rect, TextDecorationStyle, IDENTITY_MATRIX,
};

/// The texture a batch samples.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TextureRef {
    /// The batch samples nothing (any texture may be bound).
    None,
    GlyphPage(u32),
    Image(ImageKey),
    /// Index into the layer pool.
    Layer(usize),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Batch {
    pub texture: TextureRef,
    /// The one instance kind of the batch when kinds are specialised
    /// (`BuildContext::specialise_kinds`), else `KIND_ANY`.
    pub kind: u32,
    pub instances: Range<u32>,
}

/// `Batch::kind` of a batch mixing kinds (drawn by the generic pipeline).
pub const KIND_ANY: u32 = 255;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PassTarget {
    /// The caller's view.
    Root,
    /// A pooled layer texture.
    Layer(usize),
}

#[derive(Clone, Debug)]
pub struct PassPlan {
    pub target: PassTarget,
    /// A Gaussian blur applied after drawing (layers with `filter: blur()`).
    pub blur: Option<BlurPlan>,
    /// Device position of the target's top-left pixel.
    pub origin: (f32, f32),
    /// Target size in pixels.
    pub size: (u32, u32),
    pub batches: Vec<Batch>,
}

/// Blur `PassPlan::target` horizontally into `temp`, then vertically into
/// `output` (layer pool slots); the composite samples `output`.
#[derive(Clone, Copy, Debug)]
pub struct BlurPlan {
    pub sigma: f32,
    pub temp: usize,
    pub output: usize,
}

#[derive(Default)]
pub struct FramePlan {
    pub instances: Vec<Instance>,
    pub transforms: Vec<[f32; 16]>,
    pub clips: Vec<GpuClip>,
    pub stops: Vec<GpuStop>,
    pub passes: Vec<PassPlan>,
    pub glyph_atlas_misses: u32,
}

impl FramePlan {
    pub fn draw_calls(&self) -> u32 {
        self.passes.iter().map(|p| p.batches.len() as u32).sum()
    }
}

/// Everything the builder needs besides the list.
pub struct BuildContext<'a> {
    pub binder: &'a TextureBinder,
    pub queue: &'a wgpu::Queue,
    pub fonts: &'a mut FontSystem,
    pub atlas: &'a mut GlyphAtlas,
    pub images: &'a ImageCache,
    pub layers: &'a mut LayerPool,
    pub width: u32,
    pub height: u32,
    /// One pipeline per kind, batches never mix kinds: software adapters
    /// (llvmpipe) run every branch of the generic shader for every pixel,
    /// so there a specialised shader is several times faster. GPUs branch
    /// cheaply and prefer fewer, mixed batches.
    pub specialise_kinds: bool,
}

struct ClipState {
    /// Two indices into the clip table packed as the shader reads them:
    /// the innermost clip (low 16 bits) and an enclosing clip in another
    /// space (high 16 bits); 0 = none.
    id: u32,
    /// Device-space bounds everything is clipped to.
    bounds: Rect,
    /// The innermost clip as stored, for merging nested clips.
    gpu: GpuClip,
}

/// The clip table holds at most this many entries (16-bit indices); later
/// clips reuse the enclosing one (their bounds still cull).
const MAX_CLIPS: usize = 0xffff;

struct TransformState {
    matrix: [f32; 16],
    id: u32,
}

enum LayerState {
    /// Drawn offscreen, then composited.
    Offscreen {
        opacity: f32,
        filter: Option<[f32; 20]>,
        /// Gaussian standard deviation of `filter: blur()`, 0 for none.
        blur_sigma: f32,
        batches: Vec<Batch>,
        /// Union of the device bounds of what was drawn.
        bounds: Option<Rect>,
    },
    /// Drawn directly with alpha multiplied in (opacity 1, or one item).
    Inline { alpha: f32 },
}

struct Builder<'a, 'b> {
    cx: &'a mut BuildContext<'b>,
    plan: FramePlan,
    root_batches: Vec<Batch>,
    root_bounds: Option<Rect>,
    clips: Vec<ClipState>,
    transforms: Vec<TransformState>,
    layers: Vec<LayerState>,
    /// Product of the inline layers' alphas.
    alpha: f32,
    viewport: Rect,
}

/// Builds the plan for one frame.
pub fn build(list: &DisplayList, cx: &mut BuildContext<'_>) -> FramePlan {
    let viewport = Rect::new(0.0, 0.0, cx.width as f32, cx.height as f32);
    let mut builder = Builder {
        cx,
        plan: FramePlan::default(),
        root_batches: Vec::new(),
        root_bounds: None,
        clips: Vec::new(),
        transforms: Vec::new(),
        layers: Vec::new(),
        alpha: 1.0,
        viewport,
    };
    builder.plan.transforms.push(IDENTITY_MATRIX);
    builder.plan.clips.push(GpuClip::default());
    builder.plan.stops.push(GpuStop::default());
    let items = &list.items;
    for (index, item) in items.iter().enumerate() {
        builder.item(item, items.get(index + 1), items.get(index + 2));
    }
    // Close what the painter left open.
    while !builder.layers.is_empty() {
        builder.pop_layer();
    }
    let root = PassPlan {
        target: PassTarget::Root,
        blur: None,
        origin: (0.0, 0.0),
        size: (builder.cx.width, builder.cx.height),
        batches: std::mem::take(&mut builder.root_batches),
    };
    builder.plan.passes.push(root);
    builder.plan
}

fn border_style_code(style: BorderStyle) -> u32 {
    match style {
        BorderStyle::None | BorderStyle::Hidden => 0,
        BorderStyle::Solid => 1,
        BorderStyle::Dashed => 2,
        BorderStyle::Dotted => 3,
    }
}

fn is_drawable(item: Option<&DisplayItem>) -> bool {
    !matches!(
        item,
        None | Some(
            DisplayItem::PushClip { .. }
                | DisplayItem::PopClip
                | DisplayItem::PushTransform { .. }
                | DisplayItem::PopTransform
                | DisplayItem::PushLayer { .. }
                | DisplayItem::PopLayer
        )
    )
}

fn union(a: Option<Rect>, b: Rect) -> Option<Rect> {
    match a {
        None => Some(b),
        Some(a) => {
            let x0 = a.x.min(b.x);
            let y0 = a.y.min(b.y);
            let x1 = a.right().max(b.right());
            let y1 = a.bottom().max(b.bottom());
            Some(Rect::new(x0, y0, x1 - x0, y1 - y0))
        }
    }
}

/// Per-corner radius of the intersection of two rounded clips: each corner
/// takes the radius of whichever clip's corner lies further inside (an
/// approximation: the exact intersection is not a rounded rectangle).
fn intersect_clips(outer: &GpuClip, inner: &GpuClip) -> GpuClip {
    let [ox, oy, ow, oh] = outer.rect;
    let [ix, iy, iw, ih] = inner.rect;
    let x0 = ox.max(ix);
    let y0 = oy.max(iy);
    let x1 = (ox + ow).min(ix + iw);
    let y1 = (oy + oh).min(iy + ih);
    let mut out = GpuClip::device(
        [x0, y0, (x1 - x0).max(0.0), (y1 - y0).max(0.0)],
        [0.0; 4],
        [0.0; 4],
    );
    // Corners: tl, tr, br, bl. "Inner wins" when its corner is at least as
    // far inside on both axes.
    let inner_wins = [
        ix >= ox && iy >= oy,
        ix + iw <= ox + ow && iy >= oy,
        ix + iw <= ox + ow && iy + ih <= oy + oh,
        ix >= ox && iy + ih <= oy + oh,
    ];
    for (corner, inner_wins) in inner_wins.into_iter().enumerate() {
        let source = if inner_wins { inner } else { outer };
        out.radii_x[corner] = source.radii_x[corner];
        out.radii_y[corner] = source.radii_y[corner];
    }
    out
}

impl Builder<'_, '_> {
    fn transform(&self) -> (&[f32; 16], u32) {
        match self.transforms.last() {
            Some(t) => (&t.matrix, t.id),
            None => (&IDENTITY_MATRIX, 0),
        }
    }

    fn clip_bounds(&self) -> Rect {
        match self.clips.last() {
            Some(c) => c.bounds,
            None => self.viewport,
        }
    }

    fn clip_id(&self) -> u32 {
        self.clips.last().map_or(0, |c| c.id)
    }

    fn item(
        &mut self,
        item: &DisplayItem,
        next: Option<&DisplayItem>,
        after_next: Option<&DisplayItem>,
    ) {
        match item {
            DisplayItem::PushClip { rect, radii } => self.push_clip(rect, radii),
            DisplayItem::PopClip => {
                self.clips.pop();
            }
            DisplayItem::PushTransform { matrix } => self.push_transform(matrix),
            DisplayItem::PopTransform => {
                self.transforms.pop();
            }
            DisplayItem::PushLayer { opacity, filter } => {
                let opacity = finite(*opacity).clamp(0.0, 1.0);
                let matrix = filter.as_ref().and_then(filter_matrix);
                // CSS blur(r): r is the standard deviation.
                let blur_sigma = match filter {
                    Some(Filter::Blur(radius)) => finite(*radius).max(0.0),
                    _ => 0.0,
                };
                let single_item =
                    is_drawable(next) && matches!(after_next, Some(DisplayItem::PopLayer));
                let plain = matrix.is_none() && blur_sigma <= 0.0;
                if plain && (opacity >= 1.0 || single_item || opacity <= 0.0) {
                    self.alpha *= opacity;
                    self.layers.push(LayerState::Inline { alpha: opacity });
                } else {
                    self.layers.push(LayerState::Offscreen {
                        opacity,
                        filter: matrix,
                        blur_sigma,
                        batches: Vec::new(),
                        bounds: None,
                    });
                }
            }
            DisplayItem::PopLayer => {
                if !self.layers.is_empty() {
                    self.pop_layer();
                }
            }
            DisplayItem::Rect { rect, color, radii } => self.rect(rect, *color, radii),
            DisplayItem::Border {
                rect,
                widths,
                colors,
                styles,
                radii,
            } => self.border(rect, widths, colors, styles, radii),
            DisplayItem::BoxShadow {
                rect,
                radii,
                offset,
                blur,
                spread,
                color,
                inset,
            } => self.box_shadow(rect, radii, *offset, *blur, *spread, *color, *inset),
            DisplayItem::LinearGradient {
                rect,
                radii,
                start,
                end,
                stops,
                repeating,
            } => {
                let p0 = [
                    finite(start.0),
                    finite(start.1),
                    finite(end.0),
                    finite(end.1),
                ];
                self.gradient(KIND_LINEAR, rect, radii, p0, stops, *repeating)
            }
            DisplayItem::RadialGradient {
                rect,
                radii,
                center,
                radius,
                stops,
                repeating,
            } => {
                let p0 = [
                    finite(center.0),
                    finite(center.1),
                    finite(radius.0),
                    finite(radius.1),
                ];
                self.gradient(KIND_RADIAL, rect, radii, p0, stops, *repeating)
            }
            DisplayItem::Image {
                rect,
                key,
                src,
                radii,
                tile,
                opacity,
            } => self.image(rect, *key, src, radii, tile.as_ref(), *opacity),
            DisplayItem::Glyphs { glyphs, color } => self.glyphs(glyphs, *color),
            DisplayItem::Line {
                from,
                to,
                width,
                color,
                style,
            } => self.line(*from, *to, *width, *color, *style),
        }
    }

    fn push_clip(&mut self, rect: &Rect, radii: &CornerRadii) {
        let parent_bounds = self.clip_bounds();
        let (matrix, _) = self.transform();
        let rect = sane_rect(rect).unwrap_or_default();
        let (rx, ry) = clamp_radii(radii, rect.width, rect.height);
        let own = match as_axis_aligned(matrix) {
            Some((sx, sy, tx, ty)) => GpuClip::device(
                [
                    rect.x * sx + tx,
                    rect.y * sy + ty,
                    rect.width * sx,
                    rect.height * sy,
                ],
                rx.map(|r| r * sx),
                ry.map(|r| r * sy),
            ),
            None => match inverse_affine(matrix) {
                // Rotated or skewed: evaluated in the clip's own space.
                Some((linear, offset)) => GpuClip {
                    rect: rect_array(&rect),
                    radii_x: rx,
                    radii_y: ry,
                    inverse_linear: linear,
                    inverse_offset: offset,
                },
                // Perspective: approximated by the device bounds.
                None => GpuClip::device(
                    rect_array(&transformed_bounds(matrix, &rect).unwrap_or(self.viewport)),
                    [0.0; 4],
                    [0.0; 4],
                ),
            },
        };
        let own_bounds = if own.is_device_space() {
            Rect::new(own.rect[0], own.rect[1], own.rect[2], own.rect[3])
        } else {
            transformed_bounds(matrix, &rect).unwrap_or(self.viewport)
        };
        let bounds = own_bounds.intersect(&parent_bounds);
        let (gpu, outer_id) = match self.clips.last() {
            Some(parent) if parent.gpu.is_device_space() && own.is_device_space() => {
                (intersect_clips(&parent.gpu, &own), parent.id >> 16)
            }
            // Different spaces: keep the parent's innermost clip as the
            // second clip (an older second clip is dropped: culling keeps
            // its bounds, its rounded corners are lost).
            Some(parent) => (own, parent.id & 0xffff),
            None => (own, 0),
        };
        let id = if self.plan.clips.len() < MAX_CLIPS {
            self.plan.clips.push(gpu);
            (self.plan.clips.len() - 1) as u32
        } else {
            self.clips.last().map_or(0, |c| c.id & 0xffff)
        };
        self.clips.push(ClipState {
            id: id | outer_id << 16,
            bounds,
            gpu,
        });
    }

    fn push_transform(&mut self, matrix: &[f32; 16]) {
        let matrix = if matrix.iter().all(|v| v.is_finite()) {
            *matrix
        } else {
            IDENTITY_MATRIX
        };
        let (current, _) = self.transform();
        let combined = multiply_matrices(current, &matrix);
        let id = self.plan.transforms.len() as u32;
        self.plan.transforms.push(combined);
        self.transforms.push(TransformState {
            matrix: combined,
            id,
        });
    }

    fn pop_layer(&mut self) {
        let Some(layer) = self.layers.pop() else {
            return;
        };
        match layer {
            LayerState::Inline { alpha } => {
                self.alpha = if alpha > 0.0 {
                    self.alpha / alpha
                } else {
                    self.layers.iter().fold(1.0, |acc, l| match l {
                        LayerState::Inline { alpha } => acc * alpha,
                        LayerState::Offscreen { .. } => acc,
                    })
                };
            }
            LayerState::Offscreen {
                opacity,
                filter,
                blur_sigma,
                batches,
                bounds,
            } => {
                let Some(bounds) = bounds else { return };
                // A blur spreads the content by about 3 sigma.
                let area = bounds.inflate(3.0 * blur_sigma).intersect(&self.viewport);
                if area.is_empty() || opacity <= 0.0 {
                    return;
                }
                let x0 = area.x.floor();
                let y0 = area.y.floor();
                let width = (area.right().ceil() - x0).max(1.0) as u32;
                let height = (area.bottom().ceil() - y0).max(1.0) as u32;
                let slot = self.cx.layers.acquire(self.cx.binder, width, height);
                let (tex_w, tex_h) = match self.cx.layers.get(slot) {
                    Some(t) => (t.width, t.height),
                    None => (width, height),
                };
                let blur = (blur_sigma > 0.0).then(|| BlurPlan {
                    sigma: blur_sigma,
                    temp: self.cx.layers.acquire(self.cx.binder, tex_w, tex_h),
                    output: self.cx.layers.acquire(self.cx.binder, tex_w, tex_h),
                });
                let (slot, tex_w, tex_h) =
                    match blur.and_then(|b| self.cx.layers.get(b.output).map(|t| (b.output, t))) {
                        Some((output, t)) => {
                            self.plan.passes.push(PassPlan {
                                target: PassTarget::Layer(slot),
                                blur,
                                origin: (x0, y0),
                                size: (tex_w, tex_h),
                                batches,
                            });
                            (output, t.width, t.height)
                        }
                        None => {
                            self.plan.passes.push(PassPlan {
                                target: PassTarget::Layer(slot),
                                blur: None,
                                origin: (x0, y0),
                                size: (tex_w, tex_h),
                                batches,
                            });
                            (slot, tex_w, tex_h)
                        }
                    };
                // Composite: a device-space quad over the layer's area,
                // untransformed (the content already is), clipped by the
                // clip in force around the layer.
                let mut instance = Instance {
                    bounds: [x0, y0, width as f32, height as f32],
                    shape: [1.0, 0.0, 0.0, 0.0],
                    radii_x: [0.0, 1.0, 0.0, 0.0],
                    radii_y: [0.0, 0.0, 1.0, 0.0],
                    color: [opacity; 4],
                    p0: [x0, y0, tex_w as f32, tex_h as f32],
                    p1: [0.0, 0.0, 0.0, 1.0],
                    ids: [KIND_LAYER, 0, self.clip_id(), 0],
                    ..Instance::default()
                };
                if let Some(m) = filter {
                    instance.shape = [m[0], m[1], m[2], m[3]];
                    instance.radii_x = [m[5], m[6], m[7], m[8]];
                    instance.radii_y = [m[10], m[11], m[12], m[13]];
                    instance.p1 = [m[15], m[16], m[17], m[18]];
                    instance.p2 = [m[4], m[9], m[14], m[19]];
                    instance.ids[3] = 1;
                }
                let composite_bounds = Rect::new(x0, y0, width as f32, height as f32);
                self.emit_device(instance, TextureRef::Layer(slot), composite_bounds);
            }
        }
    }

    /// Appends an instance whose quad is in local coordinates (current
    /// transform), culling it when it lies outside the clip.
    fn emit(&mut self, mut instance: Instance, texture: TextureRef, local_bounds: Rect) {
        if self.alpha <= 0.0 {
            return;
        }
        let (matrix, transform_id) = self.transform();
        let device_bounds = transformed_bounds(matrix, &local_bounds).unwrap_or(self.viewport);
        let visible = device_bounds.intersect(&self.clip_bounds());
        if visible.is_empty() {
            return;
        }
        instance.ids[1] = transform_id;
        instance.ids[2] = self.clip_id();
        self.append(instance, texture, visible);
    }

    /// Appends an instance already in device coordinates (identity transform).
    fn emit_device(&mut self, instance: Instance, texture: TextureRef, device_bounds: Rect) {
        let visible = device_bounds.intersect(&self.clip_bounds());
        if visible.is_empty() {
            return;
        }
        self.append(instance, texture, visible);
    }

    fn append(&mut self, instance: Instance, texture: TextureRef, visible: Rect) {
        let index = self.plan.instances.len() as u32;
        self.plan.instances.push(instance);
        let (batches, bounds) = match self.layers.iter_mut().rev().find_map(|l| match l {
            LayerState::Offscreen {
                batches, bounds, ..
            } => Some((batches, bounds)),
            LayerState::Inline { .. } => None,
        }) {
            Some(found) => found,
            None => (&mut self.root_batches, &mut self.root_bounds),
        };
        *bounds = union(*bounds, visible);
        let kind = if self.cx.specialise_kinds {
            instance.ids[0]
        } else {
            KIND_ANY
        };
        if let Some(last) = batches.last_mut() {
            let compatible = last.kind == kind
                && (last.texture == texture
                    || texture == TextureRef::None
                    || last.texture == TextureRef::None);
            if compatible && last.instances.end == index {
                last.instances.end = index + 1;
                if last.texture == TextureRef::None {
                    last.texture = texture;
                }
                return;
            }
        }
        batches.push(Batch {
            texture,
            kind,
            instances: index..index + 1,
        });
    }

    fn color(&self, color: Color) -> [f32; 4] {
        premultiply(color, self.alpha)
    }

    fn rect(&mut self, rect: &Rect, color: Color, radii: &CornerRadii) {
        let Some(rect) = sane_rect(rect) else { return };
        let color = self.color(color);
        if color[3] <= 0.0 {
            return;
        }
        let (radii_x, radii_y) = clamp_radii(radii, rect.width, rect.height);
        let bounds = rect.inflate(1.0);
        let instance = Instance {
            bounds: rect_array(&bounds),
            shape: rect_array(&rect),
            radii_x,
            radii_y,
            color,
            ids: [KIND_RECT, 0, 0, 0],
            ..Instance::default()
        };
        self.emit(instance, TextureRef::None, bounds);
    }

    fn border(
        &mut self,
        rect: &Rect,
        widths: &crate::display_list::Sides<f32>,
        colors: &crate::display_list::Sides<Color>,
        styles: &crate::display_list::Sides<BorderStyle>,
        radii: &CornerRadii,
    ) {
        let Some(rect) = sane_rect(rect) else { return };
        let w = |v: f32| finite(v).max(0.0);
        let widths = [
            w(widths.top),
            w(widths.right),
            w(widths.bottom),
            w(widths.left),
        ];
        let codes = [styles.top, styles.right, styles.bottom, styles.left].map(border_style_code);
        let visible = (0..4).any(|i| widths[i] > 0.0 && codes[i] != 0);
        if !visible {
            return;
        }
        let packed_styles = codes[0] | codes[1] << 8 | codes[2] << 16 | codes[3] << 24;
        let (radii_x, radii_y) = clamp_radii(radii, rect.width, rect.height);
        let bounds = rect.inflate(1.0);
        let instance = Instance {
            bounds: rect_array(&bounds),
            shape: rect_array(&rect),
            radii_x,
            radii_y,
            color: self.color(colors.top),
            p0: widths,
            p1: self.color(colors.right),
            p2: self.color(colors.bottom),
            p3: self.color(colors.left),
            ids: [KIND_BORDER, 0, 0, packed_styles],
        };
        // The padding box away from the corners has no border pixels: only
        // the ring around it is drawn.
        let max4 = |a: f32, b: f32, c: f32| a.max(b).max(c);
        let left = max4(widths[3], radii_x[0], radii_x[3]);
        let right = max4(widths[1], radii_x[1], radii_x[2]);
        let top = max4(widths[0], radii_y[0], radii_y[1]);
        let bottom = max4(widths[2], radii_y[2], radii_y[3]);
        let hole = Rect::new(
            rect.x + left + 1.0,
            rect.y + top + 1.0,
            rect.width - left - right - 2.0,
            rect.height - top - bottom - 2.0,
        );
        self.emit_ring(instance, bounds, hole);
    }

    /// Emits `instance` over `bounds` minus `hole` (as up to four bands),
    /// for shapes known to be empty inside `hole`: fewer pixels to shade.
    fn emit_ring(&mut self, instance: Instance, bounds: Rect, hole: Rect) {
        let inside = hole.width > 0.0
            && hole.height > 0.0
            && hole.x >= bounds.x
            && hole.y >= bounds.y
            && hole.right() <= bounds.right()
            && hole.bottom() <= bounds.bottom();
        // Small holes are not worth three more quads.
        if !inside || hole.width * hole.height < 1024.0 {
            self.emit(instance, TextureRef::None, bounds);
            return;
        }
        let bands = [
            Rect::new(bounds.x, bounds.y, bounds.width, hole.y - bounds.y),
            Rect::new(
                bounds.x,
                hole.bottom(),
                bounds.width,
                bounds.bottom() - hole.bottom(),
            ),
            Rect::new(bounds.x, hole.y, hole.x - bounds.x, hole.height),
            Rect::new(
                hole.right(),
                hole.y,
                bounds.right() - hole.right(),
                hole.height,
            ),
        ];
        for band in bands {
            if !band.is_empty() {
                let mut part = instance;
                part.bounds = rect_array(&band);
                self.emit(part, TextureRef::None, band);
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn box_shadow(
        &mut self,
        rect: &Rect,
        radii: &CornerRadii,
        offset: (f32, f32),
        blur: f32,
        spread: f32,
        color: Color,
        inset: bool,
    ) {
        let Some(rect) = sane_rect(rect) else { return };
        let color = self.color(color);
        if color[3] <= 0.0 {
            return;
        }
        let sigma = finite(blur).max(0.0) * 0.5;
        let spread = finite(spread);
        let (box_rx, box_ry) = clamp_radii(radii, rect.width, rect.height);
        // The shadow shape: the box moved by the offset and grown by the
        // spread (shrunk for inset shadows); radii follow the spread.
        let grow = if inset { -spread } else { spread };
        let moved = Rect::new(
            rect.x + finite(offset.0),
            rect.y + finite(offset.1),
            rect.width,
            rect.height,
        );
        let shape = moved.inflate(grow);
        let adjust = |r: f32| if r > 0.0 { (r + grow).max(0.0) } else { 0.0 };
        let shape_rx = box_rx.map(adjust);
        let shape_ry = box_ry.map(adjust);
        let shape = if shape.width > 0.0 && shape.height > 0.0 {
            shape
        } else if inset {
            // The hole vanished: an inset shadow then fills the whole box.
            Rect::new(
                moved.x + moved.width * 0.5,
                moved.y + moved.height * 0.5,
                0.0,
                0.0,
            )
        } else {
            return;
        };
        let bounds = if inset {
            rect.inflate(1.0)
        } else {
            shape.inflate(3.0 * sigma + 1.0)
        };
        let instance = Instance {
            bounds: rect_array(&bounds),
            shape: rect_array(&shape),
            radii_x: shape_rx,
            radii_y: shape_ry,
            color,
            p0: [sigma, if inset { 1.0 } else { 0.0 }, 0.0, 0.0],
            p1: rect_array(&rect),
            p2: box_rx,
            p3: box_ry,
            ids: [KIND_SHADOW, 0, 0, 0],
        };
        if inset {
            self.emit(instance, TextureRef::None, bounds);
        } else {
            // An outer shadow is invisible inside the box.
            let corner_x = box_rx.iter().fold(0.0f32, |a, b| a.max(*b));
            let corner_y = box_ry.iter().fold(0.0f32, |a, b| a.max(*b));
            let hole = Rect::new(
                rect.x + corner_x + 1.0,
                rect.y + corner_y + 1.0,
                rect.width - 2.0 * corner_x - 2.0,
                rect.height - 2.0 * corner_y - 2.0,
            );
            self.emit_ring(instance, bounds, hole);
        }
    }

    fn gradient(
        &mut self,
        kind: u32,
        rect: &Rect,
        radii: &CornerRadii,
        p0: [f32; 4],
        stops: &[(f32, Color)],
        repeating: bool,
    ) {
        let Some(rect) = sane_rect(rect) else { return };
        if stops.is_empty() || self.alpha <= 0.0 {
            return;
        }
        let first = self.plan.stops.len() as u32;
        let mut previous = f32::NEG_INFINITY;
        for (offset, color) in stops.iter().take(0xffff) {
            // CSS: a stop before an earlier one moves up to it.
            let offset = finite(*offset).max(previous);
            previous = offset;
            self.plan.stops.push(GpuStop {
                color: self.color(*color),
                offset: [offset, 0.0, 0.0, 0.0],
            });
        }
        let count = self.plan.stops.len() as u32 - first;
        let (radii_x, radii_y) = clamp_radii(radii, rect.width, rect.height);
        let bounds = rect.inflate(1.0);
        let instance = Instance {
            bounds: rect_array(&bounds),
            shape: rect_array(&rect),
            radii_x,
            radii_y,
            p0,
            p1: [first as f32, 0.0, 0.0, 0.0],
            ids: [kind, 0, 0, count | (repeating as u32) << 16],
            ..Instance::default()
        };
        self.emit(instance, TextureRef::None, bounds);
    }

    fn image(
        &mut self,
        rect: &Rect,
        key: ImageKey,
        src: &Rect,
        radii: &CornerRadii,
        tile: Option<&ImageTiling>,
        opacity: f32,
    ) {
        let Some(rect) = sane_rect(rect) else { return };
        let Some(texture) = self.cx.images.get(key) else {
            return;
        };
        let (tw, th) = (texture.width as f32, texture.height as f32);
        let Some(src) = sane_rect(src) else { return };
        let alpha = finite(opacity).clamp(0.0, 1.0) * self.alpha;
        if alpha <= 0.0 {
            return;
        }
        let tile = tile.and_then(|t| {
            let (w, h) = (finite(t.size.0), finite(t.size.1));
            (w > 0.0 && h > 0.0).then(|| [finite(t.origin.0), finite(t.origin.1), w, h])
        });
        let (radii_x, radii_y) = clamp_radii(radii, rect.width, rect.height);
        let bounds = rect.inflate(1.0);
        let instance = Instance {
            bounds: rect_array(&bounds),
            shape: rect_array(&rect),
            radii_x,
            radii_y,
            color: [alpha; 4],
            p0: [src.x / tw, src.y / th, src.width / tw, src.height / th],
            p1: tile.unwrap_or([0.0; 4]),
            ids: [KIND_IMAGE, 0, 0, 0],
            ..Instance::default()
        };
        self.emit(instance, TextureRef::Image(key), bounds);
    }

    fn glyphs(&mut self, glyphs: &[GlyphInstance], color: Color) {
        let color = self.color(color);
        if color[3] <= 0.0 {
            return;
        }
        let page_size = self.cx.atlas.page_size() as f32;
        for glyph in glyphs {
            // A glyph past the raster cap is drawn from a smaller atlas
            // entry, scaled (see crate::glyph_size).
            let (raster, scale) = crate::glyph_size::raster_key(glyph.key);
            let (entry, miss) =
                self.cx
                    .atlas
                    .lookup(self.cx.binder, self.cx.queue, self.cx.fonts, raster);
            if miss {
                self.plan.glyph_atlas_misses += 1;
            }
            let Some(entry) = entry else { continue };
            let [left, top, width, height] = crate::glyph_size::scaled_placement(
                entry.left,
                entry.top,
                entry.width,
                entry.height,
                scale,
            );
            let shape = Rect::new(glyph.x as f32 + left, glyph.y as f32 - top, width, height);
            let instance = Instance {
                bounds: rect_array(&shape),
                shape: rect_array(&shape),
                color,
                p0: [
                    entry.x as f32 / page_size,
                    entry.y as f32 / page_size,
                    entry.width as f32 / page_size,
                    entry.height as f32 / page_size,
                ],
                ids: [KIND_GLYPH, 0, 0, entry.is_color as u32],
                ..Instance::default()
            };
            self.emit(instance, TextureRef::GlyphPage(entry.page), shape);
        }
    }

    fn line(
        &mut self,
        from: (f32, f32),
        to: (f32, f32),
        width: f32,
        color: Color,
        style: TextDecorationStyle,
    ) {
        let (x0, y0, x1, y1) = (finite(from.0), finite(from.1), finite(to.0), finite(to.1));
        let width = finite(width);
        let length = ((x1 - x0).powi(2) + (y1 - y0).powi(2)).sqrt();
        let color = self.color(color);
        if length <= 0.0 || width <= 0.0 || color[3] <= 0.0 {
            return;
        }
        // Draw in the line's own frame: x along the line, y across it.
        let (sin, cos) = ((y1 - y0) / length, (x1 - x0) / length);
        let frame = [
            cos, sin, 0.0, 0.0, //
            -sin, cos, 0.0, 0.0, //
            0.0, 0.0, 1.0, 0.0, //
            x0, y0, 0.0, 1.0,
        ];
        self.push_transform(&frame);
        let centred = Rect::new(0.0, -0.5 * width, length, width);
        // Wavy: amplitude and wavelength proportional to the thickness, close
        // to what Chromium draws.
        let amplitude = 1.5 * width;
        let wavelength = 6.0 * width;
        let (style_code, shapes, margin): (u32, Vec<Rect>, f32) = match style {
            TextDecorationStyle::Double => (
                1,
                vec![
                    Rect::new(0.0, -1.5 * width, length, width),
                    Rect::new(0.0, 0.5 * width, length, width),
                ],
                1.0,
            ),
            TextDecorationStyle::Dashed => (2, vec![centred], 1.0),
            TextDecorationStyle::Dotted => (3, vec![centred], 1.0),
            TextDecorationStyle::Wavy => (4, vec![centred], amplitude + 1.0),
            TextDecorationStyle::Solid => (1, vec![centred], 1.0),
        };
        for shape in shapes {
            let bounds = Rect::new(
                shape.x - 1.0,
                shape.y - margin,
                shape.width + 2.0,
                shape.height + 2.0 * margin,
            );
            let instance = Instance {
                bounds: rect_array(&bounds),
                shape: rect_array(&shape),
                color,
                p0: [amplitude, wavelength, 0.0, 0.0],
                ids: [KIND_LINE, 0, 0, style_code],
                ..Instance::default()
            };
            self.emit(instance, TextureRef::None, bounds);
        }
        self.transforms.pop();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nested_clip_takes_inner_corner_radius() {
        let outer = GpuClip::device([0.0, 0.0, 100.0, 100.0], [10.0; 4], [10.0; 4]);
        let inner = GpuClip::device([50.0, 50.0, 100.0, 100.0], [3.0; 4], [3.0; 4]);
        let both = intersect_clips(&outer, &inner);
        assert_eq!(both.rect, [50.0, 50.0, 50.0, 50.0]);
        // Top-left corner comes from the inner clip, bottom-right from the outer.
        assert_eq!(both.radii_x[0], 3.0);
        assert_eq!(both.radii_x[2], 10.0);
    }
}
