//! Times both backends on one display list shaped like a mini program page
//! at 750x1334: 300 rounded rectangles (some translucent), 100 solid and 10
//! dashed borders, 10 box shadows, 10 rounded clips, 3 opacity layers, a
//! linear and a radial gradient, a scaled image and about 2000 glyphs.
//!
//! `cargo run --release -p cirrus-render --example cpu_bench [frames]`
//! prints the median and minimum frame time of the CPU backend and, where
//! there is an adapter, of the wgpu renderer (with read-back).
//! `CIRRUS_BENCH_SKIP` (a comma-separated list of glyphs, shadows, borders,
//! rects, clips, layers) leaves item kinds out; `CIRRUS_RENDER_DUMP` (a
//! folder) saves both frames as PNG.

use std::time::Instant;

use cirrus_layout::cosmic_text::{Attrs, Buffer, FontSystem, Metrics, Shaping};
use cirrus_layout::style::{BorderStyle, Color, Corners, Sides};
use cirrus_render::display_list::SQUARE_CORNERS;
use cirrus_render::{
    CpuRenderer, DisplayItem, DisplayList, GlyphInstance, ImageKey, Rect, RenderError, Renderer,
};

const W: u32 = 750;
const H: u32 = 1334;

/// A small deterministic generator, so every run draws the same page.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> f32 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) as f32) / (1u64 << 31) as f32
    }
}

fn page(fonts: &mut FontSystem) -> DisplayList {
    let mut rng = Lcg(7);
    let mut list = DisplayList::new();
    list.fill_rect(
        Rect::new(0.0, 0.0, W as f32, H as f32),
        Color::rgba8(245, 245, 245, 1.0),
    );
    list.push(DisplayItem::LinearGradient {
        rect: Rect::new(0.0, 0.0, 750.0, 200.0),
        radii: SQUARE_CORNERS,
        start: (0.0, 0.0),
        end: (750.0, 200.0),
        stops: vec![
            (0.0, Color::rgba8(255, 0, 128, 1.0)),
            (0.5, Color::rgba8(255, 160, 0, 1.0)),
            (1.0, Color::rgba8(255, 255, 0, 1.0)),
        ],
        repeating: false,
    });
    list.push(DisplayItem::RadialGradient {
        rect: Rect::new(40.0, 40.0, 160.0, 160.0),
        radii: Corners::all((80.0, 80.0)),
        center: (120.0, 120.0),
        radius: (80.0, 80.0),
        stops: vec![
            (0.0, Color::rgba8(0, 255, 255, 1.0)),
            (1.0, Color::rgba8(0, 0, 128, 1.0)),
        ],
        repeating: false,
    });
    list.push(DisplayItem::Image {
        rect: Rect::new(500.0, 20.0, 200.0, 200.0),
        key: ImageKey(1),
        src: Rect::new(0.0, 0.0, 256.0, 256.0),
        radii: Corners::all((24.0, 24.0)),
        tile: None,
        opacity: 1.0,
    });
    for group in 0..30 {
        let clip = group % 3 == 0;
        let layer = group % 10 == 5;
        if clip {
            list.push(DisplayItem::PushClip {
                rect: Rect::new(10.0, 200.0 + group as f32 * 35.0, 730.0, 300.0),
                radii: Corners::all((20.0, 20.0)),
            });
        }
        if layer {
            list.push(DisplayItem::PushLayer {
                opacity: 0.8,
                filter: None,
            });
        }
        for i in 0..10 {
            let w = 40.0 + rng.next() * 300.0;
            let h = 30.0 + rng.next() * 120.0;
            let x = rng.next() * (W as f32 - w);
            let y = 220.0 + rng.next() * (H as f32 - 240.0 - h);
            let r = (rng.next() * 24.0).floor();
            let rect = Rect::new(x, y, w, h);
            let radii = Corners::all((r, r));
            let color = Color::rgba8(
                (rng.next() * 255.0) as u8,
                (rng.next() * 255.0) as u8,
                200,
                if i % 4 == 0 { 0.9 } else { 1.0 },
            );
            if i == 0 && group % 3 == 1 {
                list.push(DisplayItem::BoxShadow {
                    rect,
                    radii,
                    offset: (0.0, 4.0),
                    blur: 12.0,
                    spread: 0.0,
                    color: Color::rgba8(0, 0, 0, 0.3),
                    inset: false,
                });
            }
            list.push(DisplayItem::Rect { rect, color, radii });
            if i % 3 == 0 {
                let dashed = i == 9 && group % 3 == 2;
                list.push(DisplayItem::Border {
                    rect,
                    widths: Sides::all(2.0),
                    colors: Sides::all(Color::rgba8(20, 20, 20, 1.0)),
                    styles: Sides::all(if dashed {
                        BorderStyle::Dashed
                    } else {
                        BorderStyle::Solid
                    }),
                    radii,
                });
            }
        }
        if layer {
            list.push(DisplayItem::PopLayer);
        }
        if clip {
            list.push(DisplayItem::PopClip);
        }
    }
    // 60 lines of text.
    let mut buffer = Buffer::new(fonts, Metrics::new(24.0, 18.0));
    buffer.set_size(fonts, Some(720.0), Some(40.0));
    buffer.set_text(
        fonts,
        "The quick brown fox jumps over a lazy dog 0123",
        &Attrs::new(),
        Shaping::Advanced,
    );
    buffer.shape_until_scroll(fonts, false);
    let line: Vec<_> = buffer
        .layout_runs()
        .take(1)
        .flat_map(|run| run.glyphs.to_vec())
        .collect();
    for row in 0..60 {
        let glyphs: Vec<GlyphInstance> = line
            .iter()
            .map(|g| {
                let p = g.physical((20.0, 250.0 + row as f32 * 18.0), 1.0);
                GlyphInstance {
                    key: p.cache_key,
                    x: p.x,
                    y: p.y,
                }
            })
            .collect();
        list.push(DisplayItem::Glyphs {
            glyphs,
            color: Color::rgba8(10, 10, 10, 1.0),
        });
    }
    list
}

fn test_image() -> image::RgbaImage {
    image::RgbaImage::from_fn(256, 256, |x, y| {
        image::Rgba([x as u8, y as u8, ((x ^ y) & 0xff) as u8, 255])
    })
}

fn time(
    frames: usize,
    mut render: impl FnMut() -> Result<image::RgbaImage, RenderError>,
) -> Result<(f64, f64), RenderError> {
    // One frame to warm caches (glyphs, pipelines).
    render()?;
    let mut times = Vec::with_capacity(frames);
    for _ in 0..frames {
        let start = Instant::now();
        render()?;
        times.push(start.elapsed().as_secs_f64() * 1000.0);
    }
    times.sort_by(|a, b| a.total_cmp(b));
    Ok((times[times.len() / 2], times[0]))
}

fn main() {
    let frames = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(20usize)
        .max(1);
    let mut fonts = FontSystem::new();
    let mut list = page(&mut fonts);
    // CIRRUS_BENCH_SKIP=glyphs,shadows,... leaves kinds out, to see what
    // each costs.
    if let Ok(skip) = std::env::var("CIRRUS_BENCH_SKIP") {
        list.items.retain(|item| {
            let kind = match item {
                DisplayItem::Glyphs { .. } => "glyphs",
                DisplayItem::BoxShadow { .. } => "shadows",
                DisplayItem::Border { .. } => "borders",
                DisplayItem::Rect { .. } => "rects",
                DisplayItem::PushClip { .. } | DisplayItem::PopClip => "clips",
                DisplayItem::PushLayer { .. } | DisplayItem::PopLayer => "layers",
                _ => "other",
            };
            !skip.split(',').any(|s| s == kind)
        });
    }
    let glyphs: usize = list
        .iter()
        .map(|item| match item {
            DisplayItem::Glyphs { glyphs, .. } => glyphs.len(),
            _ => 0,
        })
        .sum();
    println!("page: {} items, {glyphs} glyphs, {W}x{H}", list.len());

    let mut cpu = CpuRenderer::new();
    cpu.register_image(ImageKey(1), &test_image());
    match time(frames, || {
        cpu.render_to_image(&list, &mut fonts, W, H, Color::WHITE)
    }) {
        Ok((median, min)) => println!(
            "{}: median {median:.2} ms, min {min:.2} ms ({:?})",
            cpu.label(),
            cpu.last_frame_stats()
        ),
        Err(e) => println!("{}: {e}", cpu.label()),
    }
    if let Ok(dir) = std::env::var("CIRRUS_RENDER_DUMP") {
        if let Ok(image) = cpu.render_to_image(&list, &mut fonts, W, H, Color::WHITE) {
            let _ = image.save(std::path::Path::new(&dir).join("cpu_bench-cpu.png"));
        }
    }

    match Renderer::new_headless() {
        Ok(mut gpu) => {
            gpu.register_image(ImageKey(1), &test_image());
            let label = gpu.adapter_label();
            match time(frames, || {
                gpu.render_to_image(&list, &mut fonts, W, H, Color::WHITE)
            }) {
                Ok((median, min)) => println!(
                    "gpu {} ({}, {}): median {median:.2} ms, min {min:.2} ms",
                    label.name, label.backend, label.device_type
                ),
                Err(e) => println!("gpu: {e}"),
            }
            if let Ok(dir) = std::env::var("CIRRUS_RENDER_DUMP") {
                if let Ok(image) = gpu.render_to_image(&list, &mut fonts, W, H, Color::WHITE) {
                    let _ = image.save(std::path::Path::new(&dir).join("cpu_bench-gpu.png"));
                }
            }
        }
        Err(e) => println!("gpu: {e}"),
    }
}
