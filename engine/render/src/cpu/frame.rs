//! One frame: walks the display list in order with the transform, clip and
//! layer stacks of the GPU builder (`renderer/builder.rs`), and issues
//! vello draws into the current surface. The item kinds live in their own
//! modules (`shapes`, `shadow`, `fills`, `text`, `line`) as `impl Frame`
//! blocks; this module holds the stacks and the two ways of drawing:
//! `fill_with` (a path with a paint) and `draw_raster` (pixels shaded by
//! `raster`).
//!
//! Semantics kept from the GPU: unmatched pushes are closed at the end of
//! the list, stray pops are ignored, non-finite matrices are the identity,
//! layers with opacity 1 and no filter draw directly, a layer around a
//! single item multiplies its alpha into that item, a layer with opacity 0
//! draws nothing, and a filtered layer is composited through the clip in
//! force when it ends.

use std::sync::Arc;

use cirrus_layout::cosmic_text::FontSystem;
use vello_cpu::kurbo::{self, Affine, BezPath};
use vello_cpu::peniko::{Extend, Fill, ImageAlphaType, ImageQuality, ImageSampler};
use vello_cpu::{Image, ImageSource, PixelMetadata, Pixmap, RenderContext, RenderSettings};

use super::clip::ClipStack;
use super::filters;
use super::glyphs::GlyphCache;
use super::image_store::ImageStore;
use super::paint::Paint;
use super::path::{direct_affine, place, rounded_rect};
use super::raster::{PixelRect, Raster};
use super::surface::Surface;
use super::transform::Projective;
use crate::display_list::{
    multiply_matrices, DisplayItem, DisplayList, Filter, Rect, IDENTITY_MATRIX,
};
use crate::renderer::geometry::{finite, transformed_bounds};
use crate::FrameStats;

/// What a frame borrows from the renderer.
pub struct FrameContext<'a> {
    pub fonts: &'a mut FontSystem,
    pub glyphs: &'a mut GlyphCache,
    pub images: &'a mut ImageStore,
    pub resources: &'a mut vello_cpu::Resources,
    /// Reset contexts of the frame's size, for filtered layers.
    pub spare: &'a mut Vec<RenderContext>,
    pub settings: RenderSettings,
}

enum Layer {
    /// Opacity 1, no filter: nothing to do.
    Plain,
    /// Opacity multiplied into the one item inside.
    Inline(f32),
    /// Opacity 0: nothing inside is drawn.
    Hidden,
    /// A vello opacity layer in the current surface.
    Opacity,
    /// A surface of its own, filtered and composited when it ends.
    Filtered { opacity: f32, filter: Filter },
}

/// The shape of a fill, in local coordinates.
pub enum Shape<'p> {
    Rect(Rect),
    Path(&'p BezPath),
}

pub struct Frame<'a> {
    pub(super) cx: FrameContext<'a>,
    surfaces: Vec<Surface>,
    pub(super) clips: ClipStack,
    transforms: Vec<[f32; 16]>,
    layers: Vec<Layer>,
    /// Product of the inline layers' alphas.
    pub(super) alpha: f32,
    /// Open layers with opacity 0.
    hidden: u32,
    pub(super) viewport: Rect,
    width: u16,
    height: u16,
    pub(super) stats: FrameStats,
}

/// Draws `list` into `root` (a reset context of `width` x `height`) and
/// returns it, every layer closed, ready to render, with the frame's stats.
pub fn run(
    list: &DisplayList,
    cx: FrameContext<'_>,
    root: RenderContext,
    width: u16,
    height: u16,
) -> (RenderContext, FrameStats) {
    let mut frame = Frame {
        cx,
        surfaces: vec![Surface::new(root)],
        clips: ClipStack::default(),
        transforms: Vec::new(),
        layers: Vec::new(),
        alpha: 1.0,
        hidden: 0,
        viewport: Rect::new(0.0, 0.0, width as f32, height as f32),
        width,
        height,
        stats: FrameStats {
            items: list.len() as u32,
            passes: 1,
            ..FrameStats::default()
        },
    };
    let items = &list.items;
    for (index, item) in items.iter().enumerate() {
        frame.item(item, items.get(index + 1), items.get(index + 2));
    }
    // Close what the painter left open.
    while !frame.layers.is_empty() {
        frame.pop_layer();
    }
    let stats = frame.stats;
    let mut surfaces = frame.surfaces;
    // Only filtered layers push surfaces, and they are all closed now.
    let root = surfaces.swap_remove(0);
    for extra in surfaces {
        recycle(frame.cx.spare, extra.ctx);
    }
    (root.ctx, stats)
}

fn recycle(spare: &mut Vec<RenderContext>, mut ctx: RenderContext) {
    ctx.reset();
    spare.push(ctx);
}

/// Largest coefficient of a paint map (and of its inverse) vello is given.
const PAINT_MAP_LIMIT: f64 = 1e8;

/// Whether a paint-to-device map and its inverse have finite, moderate
/// coefficients, so that paint coordinates stay finite for every pixel.
fn sane_paint_map(map: &Affine) -> bool {
    let moderate = |a: &Affine| {
        a.as_coeffs()
            .iter()
            .all(|v| v.is_finite() && v.abs() < PAINT_MAP_LIMIT)
    };
    let [a, b, c, d, ..] = map.as_coeffs();
    moderate(map) && (a * d - b * c).abs() > 1e-12 && moderate(&map.inverse())
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

impl Frame<'_> {
    pub(super) fn matrix(&self) -> [f32; 16] {
        self.transforms.last().copied().unwrap_or(IDENTITY_MATRIX)
    }

    /// Whether items are drawn now (not inside an invisible layer).
    pub(super) fn drawing(&self) -> bool {
        self.hidden == 0 && self.alpha > 0.0
    }

    pub(super) fn clip_bounds(&self) -> Rect {
        self.clips.bounds(&self.viewport)
    }

    fn item(
        &mut self,
        item: &DisplayItem,
        next: Option<&DisplayItem>,
        after_next: Option<&DisplayItem>,
    ) {
        match item {
            DisplayItem::PushClip { rect, radii } => {
                let matrix = self.matrix();
                self.clips.push(rect, radii, &matrix, &self.viewport);
            }
            DisplayItem::PopClip => self.clips.pop(),
            DisplayItem::PushTransform { matrix } => {
                let matrix = if matrix.iter().all(|v| v.is_finite()) {
                    *matrix
                } else {
                    IDENTITY_MATRIX
                };
                let combined = multiply_matrices(&self.matrix(), &matrix);
                self.transforms.push(combined);
            }
            DisplayItem::PopTransform => {
                self.transforms.pop();
            }
            DisplayItem::PushLayer { opacity, filter } => {
                let single_item =
                    is_drawable(next) && matches!(after_next, Some(DisplayItem::PopLayer));
                self.push_layer(*opacity, filter.as_ref(), single_item);
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
                let paint = super::gradient::linear(*start, *end, stops, *repeating, self.alpha);
                self.gradient(rect, radii, paint);
            }
            DisplayItem::RadialGradient {
                rect,
                radii,
                center,
                radius,
                stops,
                repeating,
            } => {
                let paint =
                    super::gradient::radial(*center, *radius, stops, *repeating, self.alpha);
                self.gradient(rect, radii, paint);
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

    fn push_layer(&mut self, opacity: f32, filter: Option<&Filter>, single_item: bool) {
        let opacity = finite(opacity).clamp(0.0, 1.0);
        // `blur(0)` filters nothing (as on the GPU); every other function
        // is a colour matrix, applied even at its identity value.
        let filter = filter.filter(|f| !matches!(f, Filter::Blur(r) if finite(*r) <= 0.0));
        let layer = if opacity <= 0.0 {
            self.hidden += 1;
            Layer::Hidden
        } else if let Some(filter) = filter {
            let ctx = self.cx.spare.pop().unwrap_or_else(|| {
                RenderContext::new_with(self.width, self.height, self.cx.settings)
            });
            self.surfaces.push(Surface::new(ctx));
            Layer::Filtered {
                opacity,
                filter: *filter,
            }
        } else if opacity >= 1.0 {
            Layer::Plain
        } else if single_item {
            self.alpha *= opacity;
            Layer::Inline(opacity)
        } else {
            if let Some(surface) = self.surfaces.last_mut() {
                surface.ctx.push_opacity_layer(opacity);
            }
            self.stats.passes += 1;
            Layer::Opacity
        };
        self.layers.push(layer);
    }

    fn pop_layer(&mut self) {
        let Some(layer) = self.layers.pop() else {
            return;
        };
        match layer {
            Layer::Plain => {}
            Layer::Inline(_) => {
                self.alpha = self
                    .layers
                    .iter()
                    .map(|l| match l {
                        Layer::Inline(a) => *a,
                        _ => 1.0,
                    })
                    .product();
            }
            Layer::Hidden => self.hidden = self.hidden.saturating_sub(1),
            Layer::Opacity => {
                if let Some(surface) = self.surfaces.last_mut() {
                    surface.ctx.pop_layer();
                }
            }
            Layer::Filtered { opacity, filter } => self.finish_filtered(opacity, &filter),
        }
    }

    /// Renders a filtered layer's surface, filters it on the CPU and draws
    /// the result into the surface below, through the clips in force now.
    fn finish_filtered(&mut self, opacity: f32, filter: &Filter) {
        if self.surfaces.len() < 2 {
            return;
        }
        let Some(surface) = self.surfaces.pop() else {
            return;
        };
        let Surface { mut ctx, drawn, .. } = surface;
        let raster = drawn.and_then(|drawn| {
            // A blur spreads the content by about 3 sigma.
            let spread = match filter {
                Filter::Blur(sigma) => 3.0 * finite(*sigma).max(0.0),
                _ => 0.0,
            };
            let area = PixelRect::covering(&drawn.inflate(spread.ceil()), &self.viewport)?;
            ctx.flush();
            let mut pixmap = Pixmap::new(self.width, self.height);
            ctx.render(&mut pixmap, self.cx.resources);
            self.stats.passes += 1;
            filters::filtered_raster(&pixmap, area, filter, opacity)
        });
        recycle(self.cx.spare, ctx);
        if let Some(raster) = raster {
            if self.drawing() {
                self.draw_raster(raster);
            }
        }
    }

    /// The projective map, device bounds (when known) and visible device
    /// area of a local rectangle drawn under `matrix`; `None` when culled.
    fn target(&self, matrix: &[f32; 16], local: &Rect) -> Option<(Projective, Option<Rect>, Rect)> {
        let device = transformed_bounds(matrix, local);
        let visible = device
            .unwrap_or(self.viewport)
            .intersect(&self.clip_bounds());
        if visible.is_empty() {
            return None;
        }
        Some((Projective::from_matrix(matrix), device, visible))
    }

    /// The pixels to shade for a local rectangle drawn under `matrix`.
    pub(super) fn raster_area(&self, matrix: &[f32; 16], local: &Rect) -> Option<PixelRect> {
        let device = transformed_bounds(matrix, local).unwrap_or(self.viewport);
        PixelRect::covering(&device, &self.clip_bounds())
    }

    /// Fills `shape` (inside `local_bounds`) drawn under the current matrix.
    pub(super) fn fill(&mut self, shape: Shape<'_>, local_bounds: &Rect, rule: Fill, paint: Paint) {
        let matrix = self.matrix();
        self.fill_with(&matrix, shape, local_bounds, rule, paint);
    }

    /// Fills `shape` (inside `local_bounds`) drawn under `matrix`.
    pub(super) fn fill_with(
        &mut self,
        matrix: &[f32; 16],
        shape: Shape<'_>,
        local_bounds: &Rect,
        rule: Fill,
        paint: Paint,
    ) {
        if !self.drawing() {
            return;
        }
        let Some((map, device, visible)) = self.target(matrix, local_bounds) else {
            return;
        };
        // Plain rectangles go through vello's rectangle fast path.
        let direct_rect = match &shape {
            Shape::Rect(rect) => direct_affine(&map, device.as_ref()).map(|a| (a, *rect)),
            Shape::Path(_) => None,
        };
        let built;
        let path = match shape {
            Shape::Path(path) => path,
            Shape::Rect(rect) => {
                built = if direct_rect.is_some() {
                    BezPath::new()
                } else {
                    rounded_rect(&rect, &[0.0; 4], &[0.0; 4])
                };
                &built
            }
        };
        let placed = match direct_rect {
            Some(_) => None,
            None => match place(path, local_bounds, &map, device.as_ref(), &self.viewport) {
                Some(placed) => Some(placed),
                None => return,
            },
        };
        let (transform, paint_transform) = match (&direct_rect, &placed) {
            (Some((affine, _)), _) => (*affine, Affine::IDENTITY),
            (None, Some(placed)) => (placed.transform, placed.paint_transform),
            (None, None) => return,
        };
        // vello indexes gradient tables and images with coordinates it
        // computes in f32 through the inverse of this map: an absurd map
        // (from absurd input) would make them infinite, so it draws nothing.
        let paint_map = match &paint {
            Paint::Solid(_) => None,
            Paint::Gradient(_, to_local) => Some(transform * paint_transform * *to_local),
            Paint::Image {
                transform: to_local,
                ..
            } => Some(transform * paint_transform * *to_local),
        };
        if paint_map.is_some_and(|m| !sane_paint_map(&m)) {
            return;
        }
        let Some(surface) = self.surfaces.last_mut() else {
            return;
        };
        surface.sync_clips(self.clips.entries());
        let ctx = &mut surface.ctx;
        ctx.set_transform(transform);
        ctx.set_fill_rule(rule);
        match paint {
            Paint::Solid(color) => {
                ctx.set_tint(None);
                ctx.set_paint(color);
                ctx.set_paint_transform(Affine::IDENTITY);
            }
            Paint::Gradient(gradient, to_local) => {
                ctx.set_tint(None);
                ctx.set_paint(gradient);
                ctx.set_paint_transform(paint_transform * to_local);
            }
            Paint::Image {
                image,
                transform: to_local,
                tint,
            } => {
                ctx.set_tint(tint);
                ctx.set_paint(image);
                ctx.set_paint_transform(paint_transform * to_local);
            }
        }
        match (direct_rect, placed) {
            (Some((_, r)), _) => ctx.fill_rect(&kurbo::Rect::new(
                r.x as f64,
                r.y as f64,
                r.right() as f64,
                r.bottom() as f64,
            )),
            (None, Some(placed)) => ctx.fill_path(&placed.path),
            (None, None) => {}
        }
        surface.note_drawn(visible);
        self.stats.draw_calls += 1;
        self.stats.batches += 1;
        self.stats.instances += 1;
    }

    /// Draws shaded device pixels, pixel-aligned.
    pub(super) fn draw_raster(&mut self, raster: Raster) {
        let (x, y) = (raster.x, raster.y);
        let (w, h) = (raster.width, raster.height);
        let bounds = Rect::new(x as f32, y as f32, w as f32, h as f32);
        let visible = bounds.intersect(&self.clip_bounds());
        if visible.is_empty()
            || w > u16::MAX as u32
            || h > u16::MAX as u32
            || raster.pixels.len() != w as usize * h as usize * 4
        {
            return;
        }
        let pixmap = Pixmap::from_parts(
            raster.pixels,
            w as u16,
            h as u16,
            PixelMetadata {
                may_have_transparency: true,
                alpha_type: ImageAlphaType::AlphaPremultiplied,
            },
        );
        let image = Image {
            image: ImageSource::Pixmap(Arc::new(pixmap)),
            sampler: ImageSampler {
                x_extend: Extend::Pad,
                y_extend: Extend::Pad,
                // Pixel-aligned: nearest sampling copies the pixels as shaded.
                quality: ImageQuality::Low,
                alpha: 1.0,
            },
        };
        let Some(surface) = self.surfaces.last_mut() else {
            return;
        };
        surface.sync_clips(self.clips.entries());
        let ctx = &mut surface.ctx;
        ctx.set_transform(Affine::IDENTITY);
        ctx.set_tint(None);
        ctx.set_paint(image);
        ctx.set_paint_transform(Affine::translate((x as f64, y as f64)));
        ctx.fill_rect(&kurbo::Rect::new(
            x as f64,
            y as f64,
            (x as i64 + w as i64) as f64,
            (y as i64 + h as i64) as f64,
        ));
        surface.note_drawn(visible);
        self.stats.draw_calls += 1;
        self.stats.batches += 1;
        self.stats.instances += 1;
    }
}
