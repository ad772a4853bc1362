//! A glyph far larger than any raster cache (`font-size: 20000px`) is drawn
//! from a capped raster, scaled (`cirrus_render::glyph_size`): in bounded
//! time and memory, with its ink where the real glyph's would be. Its own
//! test binary, so that the peak memory it reads is this case's alone.

use std::time::{Duration, Instant};

use cirrus_layout::cosmic_text::{fontdb, Attrs, Buffer, FontSystem, Metrics, Shaping};
use cirrus_layout::style::Color;
use cirrus_render::glyph_size::MAX_RASTER_FONT_PX;
use cirrus_render::{CpuRenderer, DisplayItem, DisplayList, GlyphInstance};

/// The whole case, font loading excluded, must take less than this (before
/// the cap, one such glyph took over 60 s).
const TIME_BOUND: Duration = Duration::from_secs(1);
/// Peak resident memory may grow by at most this much while drawing it
/// (before the cap: over 1 GB).
const MEMORY_GROWTH_BOUND_KB: u64 = 100 * 1024;

/// The process's peak resident set (`VmHWM`) in KiB; `None` off Linux.
fn peak_rss_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn shape_one(fonts: &mut FontSystem, text: &str, size: f32) -> Vec<GlyphInstance> {
    let mut buffer = Buffer::new(fonts, Metrics::new(size, size * 1.25));
    buffer.set_size(fonts, None, None);
    buffer.set_text(fonts, text, &Attrs::new(), Shaping::Advanced);
    buffer.shape_until_scroll(fonts, false);
    let mut glyphs = Vec::new();
    for run in buffer.layout_runs().take(1) {
        for glyph in run.glyphs {
            // The baseline well below the view, so the glyph's lower body
            // (the bottom of the H's stems) covers it.
            let p = glyph.physical((0.0, size * 0.1), 1.0);
            glyphs.push(GlyphInstance {
                key: p.cache_key,
                x: p.x,
                y: p.y,
            });
        }
    }
    glyphs
}

#[test]
fn a_20000px_glyph_is_drawn_scaled_in_bounded_time_and_memory() {
    let mut db = fontdb::Database::new();
    db.load_system_fonts();
    let mut fonts = FontSystem::new_with_locale_and_db("en-US".into(), db);
    if fonts.db().faces().next().is_none() {
        eprintln!("no system font at all: skipping");
        return;
    }
    let size = 20_000.0;
    assert!(size > MAX_RASTER_FONT_PX);
    let before = peak_rss_kb();
    let started = Instant::now();
    let glyphs = shape_one(&mut fonts, "H", size);
    assert!(!glyphs.is_empty(), "shaping produced no glyph");
    let mut list = DisplayList::new();
    list.push(DisplayItem::Glyphs {
        glyphs,
        color: Color::BLACK,
    });
    let mut renderer = CpuRenderer::new();
    let image = renderer
        .render_to_image(&list, &mut fonts, 400, 400, Color::WHITE)
        .unwrap_or_else(|e| panic!("{e}"));
    let elapsed = started.elapsed();
    assert!(elapsed < TIME_BOUND, "took {elapsed:?}");
    if let (Some(before), Some(after)) = (before, peak_rss_kb()) {
        let growth = after.saturating_sub(before);
        eprintln!("peak RSS {before} KiB -> {after} KiB in {elapsed:?}");
        assert!(growth < MEMORY_GROWTH_BOUND_KB, "peak grew {growth} KiB");
    }
    let (entries, bytes) = renderer.glyph_cache_usage();
    assert!(
        entries <= 1 && bytes < 1 << 20,
        "{entries} glyphs, {bytes} bytes"
    );
    assert_eq!(image.dimensions(), (400, 400));
}

/// Top and bottom rows (inclusive) with ink, and the leftmost ink column.
fn ink_box(image: &image::RgbaImage) -> Option<(u32, u32, u32)> {
    let inked: Vec<(u32, u32)> = image
        .enumerate_pixels()
        .filter(|(_, _, p)| p.0[0] < 128)
        .map(|(x, y, _)| (x, y))
        .collect();
    let top = inked.iter().map(|p| p.1).min()?;
    let bottom = inked.iter().map(|p| p.1).max()?;
    let left = inked.iter().map(|p| p.0).min()?;
    Some((top, bottom, left))
}

/// A glyph past the cap lands where the real glyph would: its ink is the
/// capped raster's ink scaled about the pen.
#[test]
fn a_scaled_glyph_keeps_its_size_and_place() {
    let mut db = fontdb::Database::new();
    db.load_system_fonts();
    let mut fonts = FontSystem::new_with_locale_and_db("en-US".into(), db);
    if fonts.db().faces().next().is_none() {
        eprintln!("no system font at all: skipping");
        return;
    }
    let mut draw = |size: f32, view: u32| {
        let mut buffer = Buffer::new(&mut fonts, Metrics::new(size, size * 1.25));
        buffer.set_text(&mut fonts, "H", &Attrs::new(), Shaping::Advanced);
        buffer.shape_until_scroll(&mut fonts, false);
        let baseline = view as f32 * 0.9;
        let glyphs: Vec<GlyphInstance> = buffer
            .layout_runs()
            .take(1)
            .flat_map(|run| run.glyphs.iter())
            .map(|glyph| {
                let p = glyph.physical((0.0, baseline), 1.0);
                GlyphInstance {
                    key: p.cache_key,
                    x: p.x,
                    y: p.y,
                }
            })
            .collect();
        let mut list = DisplayList::new();
        list.push(DisplayItem::Glyphs {
            glyphs,
            color: Color::BLACK,
        });
        let image = CpuRenderer::new()
            .render_to_image(&list, &mut fonts, view, view, Color::WHITE)
            .unwrap_or_else(|e| panic!("{e}"));
        let (top, bottom, left) = ink_box(&image).expect("the glyph has ink");
        (baseline - top as f32, baseline - bottom as f32, left as f32)
    };
    let (cap_top, cap_bottom, cap_left) = draw(MAX_RASTER_FONT_PX, 400);
    let (top, bottom, left) = draw(MAX_RASTER_FONT_PX * 2.0, 800);
    assert!((top - 2.0 * cap_top).abs() <= 4.0, "{top} vs 2 x {cap_top}");
    assert!(
        (bottom - 2.0 * cap_bottom).abs() <= 4.0,
        "{bottom} vs 2 x {cap_bottom}"
    );
    assert!(
        (left - 2.0 * cap_left).abs() <= 4.0,
        "{left} vs 2 x {cap_left}"
    );
}
