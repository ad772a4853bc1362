//! Pixel tests of the renderer, headless (lavapipe where there is no GPU).
//! One renderer and one font system are shared by every test of this binary:
//! device creation and font loading are slow on software adapters.

use std::sync::{Mutex, MutexGuard, OnceLock};

use cirrus_layout::cosmic_text::{Attrs, Buffer, FontSystem, Metrics, Shaping};
use cirrus_layout::style::{BorderStyle, Color, Corners, Sides, TextDecorationStyle};
use cirrus_render::display_list::{translation_matrix, SQUARE_CORNERS};
use cirrus_render::{
    DisplayItem, DisplayList, FrameStats, GlyphInstance, ImageKey, ImageTiling, Rect, Renderer,
};

struct Shared {
    renderer: Renderer,
    fonts: FontSystem,
}

fn shared() -> MutexGuard<'static, Shared> {
    static SHARED: OnceLock<Mutex<Shared>> = OnceLock::new();
    let mutex = SHARED.get_or_init(|| {
        let renderer = match Renderer::new_headless() {
            Ok(r) => r,
            Err(e) => panic!("no renderer: {e}"),
        };
        eprintln!("adapter: {:?}", renderer.adapter_label());
        Mutex::new(Shared {
            renderer,
            fonts: FontSystem::new(),
        })
    });
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

const W: u32 = 100;
const H: u32 = 100;
const RED: Color = Color {
    r: 1.0,
    g: 0.0,
    b: 0.0,
    a: 1.0,
};
const BLUE: Color = Color {
    r: 0.0,
    g: 0.0,
    b: 1.0,
    a: 1.0,
};
const GREEN: Color = Color {
    r: 0.0,
    g: 1.0,
    b: 0.0,
    a: 1.0,
};

fn render(list: &DisplayList) -> image::RgbaImage {
    render_with_stats(list).0
}

/// Renders and returns the frame's stats, read under the same lock so that
/// parallel tests cannot interleave.
fn render_with_stats(list: &DisplayList) -> (image::RgbaImage, FrameStats) {
    let mut guard = shared();
    let Shared { renderer, fonts } = &mut *guard;
    match renderer.render_to_image(list, fonts, W, H, Color::WHITE) {
        Ok(image) => (image, renderer.last_frame_stats()),
        Err(e) => panic!("render failed: {e}"),
    }
}

fn px(image: &image::RgbaImage, x: u32, y: u32) -> [u8; 4] {
    image.get_pixel(x, y).0
}

fn near(actual: [u8; 4], expected: [u8; 4], tolerance: u8) -> bool {
    actual
        .iter()
        .zip(expected)
        .all(|(a, e)| a.abs_diff(e) <= tolerance)
}

#[track_caller]
fn assert_px(image: &image::RgbaImage, x: u32, y: u32, expected: [u8; 4], tolerance: u8) {
    let actual = px(image, x, y);
    assert!(
        near(actual, expected, tolerance),
        "pixel ({x}, {y}) is {actual:?}, expected {expected:?}"
    );
}

const WHITE_PX: [u8; 4] = [255, 255, 255, 255];
const RED_PX: [u8; 4] = [255, 0, 0, 255];

fn rect_item(rect: Rect, color: Color, radii: Corners<(f32, f32)>) -> DisplayItem {
    DisplayItem::Rect { rect, color, radii }
}

#[test]
fn red_rect_fills_inside_only() {
    let mut list = DisplayList::new();
    list.fill_rect(Rect::new(20.0, 20.0, 40.0, 40.0), RED);
    let image = render(&list);
    assert_px(&image, 40, 40, RED_PX, 1);
    assert_px(&image, 20, 20, RED_PX, 1);
    assert_px(&image, 59, 59, RED_PX, 1);
    assert_px(&image, 19, 40, WHITE_PX, 1);
    assert_px(&image, 60, 40, WHITE_PX, 1);
    assert_px(&image, 5, 5, WHITE_PX, 0);
}

#[test]
fn rounded_corner_pixel_stays_clear() {
    let mut list = DisplayList::new();
    list.push(rect_item(
        Rect::new(10.0, 10.0, 80.0, 80.0),
        RED,
        Corners::all((20.0, 20.0)),
    ));
    let image = render(&list);
    assert_px(&image, 11, 11, WHITE_PX, 0);
    assert_px(&image, 88, 88, WHITE_PX, 0);
    assert_px(&image, 50, 11, RED_PX, 1);
    assert_px(&image, 16, 16, RED_PX, 1);
}

#[test]
fn elliptical_radii_differ_per_axis() {
    // 40 wide, 10 high radii: at (x=18, y=16) we are 8 px from the left
    // edge but 6 px down, inside a 40x10 ellipse corner? (dx=32/40, dy=4/10)
    // -> 0.64 + 0.16 < 1: inside -> red. With a circular 10 px radius the
    // point (12, 30) is red; with a 40x40 one... we use a second probe.
    let mut list = DisplayList::new();
    list.push(rect_item(
        Rect::new(10.0, 10.0, 80.0, 80.0),
        RED,
        Corners::all((40.0, 10.0)),
    ));
    let image = render(&list);
    // Near the top edge, 12 px in from the left: outside the wide ellipse.
    assert_px(&image, 22, 11, WHITE_PX, 2);
    // 12 px down on the left edge: below the short ellipse, so inside.
    assert_px(&image, 11, 22, RED_PX, 2);
}

#[test]
fn border_sides_take_their_own_colours() {
    let mut list = DisplayList::new();
    list.push(DisplayItem::Border {
        rect: Rect::new(10.0, 10.0, 80.0, 80.0),
        widths: Sides::all(10.0),
        colors: Sides {
            top: RED,
            right: GREEN,
            bottom: BLUE,
            left: Color::BLACK,
        },
        styles: Sides::all(BorderStyle::Solid),
        radii: SQUARE_CORNERS,
    });
    let image = render(&list);
    assert_px(&image, 50, 14, RED_PX, 1);
    assert_px(&image, 85, 50, [0, 255, 0, 255], 1);
    assert_px(&image, 50, 85, [0, 0, 255, 255], 1);
    assert_px(&image, 14, 50, [0, 0, 0, 255], 1);
    // The padding box stays clear.
    assert_px(&image, 50, 50, WHITE_PX, 0);
}

#[test]
fn dashed_border_has_gaps() {
    let mut list = DisplayList::new();
    list.push(DisplayItem::Border {
        rect: Rect::new(0.0, 10.0, 100.0, 80.0),
        widths: Sides::all(4.0),
        colors: Sides::all(Color::BLACK),
        styles: Sides::all(BorderStyle::Dashed),
        radii: SQUARE_CORNERS,
    });
    let image = render(&list);
    let row: Vec<bool> = (0..100).map(|x| px(&image, x, 12)[0] < 64).collect();
    let dark = row.iter().filter(|d| **d).count();
    let light = row.iter().filter(|d| !**d).count();
    assert!(
        dark > 30 && light > 20,
        "dark {dark}, light {light}: {row:?}"
    );
    let transitions = row.windows(2).filter(|w| w[0] != w[1]).count();
    assert!(transitions >= 6, "only {transitions} dash edges");
}

#[test]
fn linear_gradient_ends_match_stops() {
    let mut list = DisplayList::new();
    list.push(DisplayItem::LinearGradient {
        rect: Rect::new(0.0, 0.0, 100.0, 100.0),
        radii: SQUARE_CORNERS,
        start: (0.0, 0.0),
        end: (100.0, 0.0),
        stops: vec![(0.0, RED), (1.0, BLUE)],
        repeating: false,
    });
    let image = render(&list);
    assert_px(&image, 0, 50, RED_PX, 4);
    assert_px(&image, 99, 50, [0, 0, 255, 255], 4);
    // Midway: half red, half blue (interpolated in sRGB, as browsers do).
    assert_px(&image, 50, 50, [127, 0, 127, 255], 4);
}

#[test]
fn radial_gradient_centre_has_first_stop() {
    let mut list = DisplayList::new();
    list.push(DisplayItem::RadialGradient {
        rect: Rect::new(0.0, 0.0, 100.0, 100.0),
        radii: SQUARE_CORNERS,
        center: (50.0, 50.0),
        radius: (50.0, 50.0),
        stops: vec![(0.0, GREEN), (1.0, BLUE)],
        repeating: false,
    });
    let image = render(&list);
    assert_px(&image, 50, 50, [0, 255, 0, 255], 6);
    assert_px(&image, 0, 0, [0, 0, 255, 255], 2);
}

#[test]
fn box_shadow_darkens_outside_and_fades() {
    let mut list = DisplayList::new();
    list.push(DisplayItem::BoxShadow {
        rect: Rect::new(30.0, 30.0, 40.0, 40.0),
        radii: SQUARE_CORNERS,
        offset: (0.0, 0.0),
        blur: 10.0,
        spread: 0.0,
        color: Color::BLACK,
        inset: false,
    });
    let image = render(&list);
    let near_edge = px(&image, 50, 27)[0];
    let further = px(&image, 50, 22)[0];
    let far = px(&image, 50, 5)[0];
    assert!(
        near_edge < further && further < far,
        "{near_edge} {further} {far}"
    );
    assert!(near_edge < 200, "shadow too light: {near_edge}");
    assert_eq!(far, 255);
    // The box itself is not painted by an outer shadow.
    assert_px(&image, 50, 50, WHITE_PX, 0);
}

#[test]
fn inset_box_shadow_darkens_inside_edges() {
    let mut list = DisplayList::new();
    list.push(DisplayItem::BoxShadow {
        rect: Rect::new(10.0, 10.0, 80.0, 80.0),
        radii: SQUARE_CORNERS,
        offset: (0.0, 0.0),
        blur: 0.0,
        spread: 5.0,
        color: Color::BLACK,
        inset: true,
    });
    let image = render(&list);
    assert_px(&image, 12, 50, [0, 0, 0, 255], 1);
    assert_px(&image, 50, 50, WHITE_PX, 0);
    assert_px(&image, 5, 50, WHITE_PX, 0);
}

#[test]
fn clip_cuts_a_rect() {
    let mut list = DisplayList::new();
    list.push(DisplayItem::PushClip {
        rect: Rect::new(0.0, 0.0, 50.0, 100.0),
        radii: SQUARE_CORNERS,
    });
    list.fill_rect(Rect::new(10.0, 10.0, 80.0, 80.0), RED);
    list.push(DisplayItem::PopClip);
    list.fill_rect(Rect::new(0.0, 95.0, 100.0, 5.0), BLUE);
    let image = render(&list);
    assert_px(&image, 40, 50, RED_PX, 1);
    assert_px(&image, 60, 50, WHITE_PX, 0);
    // After the pop, drawing is unclipped again.
    assert_px(&image, 90, 97, [0, 0, 255, 255], 1);
}

#[test]
fn rounded_clip_cuts_corners() {
    let mut list = DisplayList::new();
    list.push(DisplayItem::PushClip {
        rect: Rect::new(10.0, 10.0, 80.0, 80.0),
        radii: Corners::all((30.0, 30.0)),
    });
    list.fill_rect(Rect::new(0.0, 0.0, 100.0, 100.0), RED);
    list.push(DisplayItem::PopClip);
    let image = render(&list);
    assert_px(&image, 12, 12, WHITE_PX, 0);
    assert_px(&image, 50, 12, RED_PX, 1);
    assert_px(&image, 50, 50, RED_PX, 0);
}

#[test]
fn nested_clips_intersect() {
    let mut list = DisplayList::new();
    list.push(DisplayItem::PushClip {
        rect: Rect::new(0.0, 0.0, 60.0, 100.0),
        radii: SQUARE_CORNERS,
    });
    list.push(DisplayItem::PushClip {
        rect: Rect::new(40.0, 0.0, 60.0, 100.0),
        radii: SQUARE_CORNERS,
    });
    list.fill_rect(Rect::new(0.0, 0.0, 100.0, 100.0), RED);
    list.push(DisplayItem::PopClip);
    list.push(DisplayItem::PopClip);
    let image = render(&list);
    assert_px(&image, 50, 50, RED_PX, 0);
    assert_px(&image, 30, 50, WHITE_PX, 0);
    assert_px(&image, 70, 50, WHITE_PX, 0);
}

#[test]
fn opacity_layer_blends_half() {
    let mut list = DisplayList::new();
    list.push(DisplayItem::PushLayer {
        opacity: 0.5,
        filter: None,
    });
    // Two overlapping rects: group opacity must not double-blend the overlap.
    list.fill_rect(Rect::new(10.0, 10.0, 60.0, 60.0), RED);
    list.fill_rect(Rect::new(30.0, 30.0, 60.0, 60.0), RED);
    list.push(DisplayItem::PopLayer);
    let (image, stats) = render_with_stats(&list);
    let half = [255, 127, 127, 255];
    assert_px(&image, 20, 20, half, 2);
    assert_px(&image, 50, 50, half, 2);
    assert_px(&image, 5, 5, WHITE_PX, 0);
    assert_eq!(stats.passes, 2, "{stats:?}");
}

#[test]
fn single_item_layer_skips_offscreen() {
    let mut list = DisplayList::new();
    list.push(DisplayItem::PushLayer {
        opacity: 0.5,
        filter: None,
    });
    list.fill_rect(Rect::new(10.0, 10.0, 60.0, 60.0), RED);
    list.push(DisplayItem::PopLayer);
    let (image, stats) = render_with_stats(&list);
    assert_px(&image, 20, 20, [255, 127, 127, 255], 2);
    assert_eq!(stats.passes, 1, "{stats:?}");
}

#[test]
fn grayscale_filter_layer_removes_colour() {
    let mut list = DisplayList::new();
    list.push(DisplayItem::PushLayer {
        opacity: 1.0,
        filter: Some(cirrus_layout::style::Filter::Grayscale(1.0)),
    });
    list.fill_rect(Rect::new(10.0, 10.0, 60.0, 60.0), RED);
    list.push(DisplayItem::PopLayer);
    let image = render(&list);
    let [r, g, b, _] = px(&image, 20, 20);
    assert!(
        r.abs_diff(g) <= 2 && g.abs_diff(b) <= 2,
        "not grey: {r} {g} {b}"
    );
    assert!(r.abs_diff(54) <= 3, "luma {r}");
}

#[test]
fn rotation_moves_pixels() {
    // Rotate 90 degrees about (50, 50): a bar on the right becomes a bar at the bottom.
    let (s, c) = (1.0f32, 0.0f32);
    let rotate = [
        c, s, 0.0, 0.0, -s, c, 0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 1.0,
    ];
    let matrix = cirrus_render::display_list::multiply_matrices(
        &translation_matrix(50.0, 50.0),
        &cirrus_render::display_list::multiply_matrices(&rotate, &translation_matrix(-50.0, -50.0)),
    );
    let mut list = DisplayList::new();
    list.push(DisplayItem::PushTransform { matrix });
    list.fill_rect(Rect::new(80.0, 40.0, 20.0, 20.0), RED);
    list.push(DisplayItem::PopTransform);
    let image = render(&list);
    // (90, 50) -> rotated by +90deg (y down: clockwise) -> (50, 90).
    assert_px(&image, 50, 90, RED_PX, 2);
    assert_px(&image, 90, 50, WHITE_PX, 0);
}

#[test]
fn glyph_run_draws_dark_pixels() {
    let mut guard = shared();
    let Shared { renderer, fonts } = &mut *guard;
    let mut buffer = Buffer::new(fonts, Metrics::new(32.0, 40.0));
    buffer.set_size(fonts, Some(200.0), Some(100.0));
    buffer.set_text(fonts, "Hi", &Attrs::new(), Shaping::Advanced);
    buffer.shape_until_scroll(fonts, false);
    let mut glyphs = Vec::new();
    for run in buffer.layout_runs() {
        for glyph in run.glyphs {
            let physical = glyph.physical((10.0, run.line_y), 1.0);
            glyphs.push(GlyphInstance {
                key: physical.cache_key,
                x: physical.x,
                y: physical.y,
            });
        }
    }
    assert!(!glyphs.is_empty(), "shaping produced no glyphs");
    let mut list = DisplayList::new();
    list.push(DisplayItem::Glyphs {
        glyphs,
        color: Color::BLACK,
    });
    let image = match renderer.render_to_image(&list, fonts, W, H, Color::WHITE) {
        Ok(i) => i,
        Err(e) => panic!("{e}"),
    };
    let dark = image.pixels().filter(|p| p.0[0] < 100).count();
    assert!(dark > 50, "only {dark} dark pixels");
    let first = renderer.last_frame_stats();
    // Same text again: every glyph comes from the atlas.
    let _ = renderer.render_to_image(&list, fonts, W, H, Color::WHITE);
    assert!(first.glyph_atlas_misses <= 2);
    assert_eq!(renderer.last_frame_stats().glyph_atlas_misses, 0);
    assert_eq!(renderer.last_frame_stats().draw_calls, 1);
}

fn quadrant_image() -> image::RgbaImage {
    // 4x4: left half red, right half blue; bottom-right quadrant green.
    image::RgbaImage::from_fn(4, 4, |x, y| {
        if x < 2 {
            image::Rgba([255, 0, 0, 255])
        } else if y < 2 {
            image::Rgba([0, 0, 255, 255])
        } else {
            image::Rgba([0, 255, 0, 255])
        }
    })
}

#[test]
fn image_is_scaled_and_sub_rect_selects() {
    let mut guard = shared();
    let Shared { renderer, fonts } = &mut *guard;
    renderer.register_image(ImageKey(7), &quadrant_image());
    let mut list = DisplayList::new();
    // Whole image scaled to 40x40 at (0, 0).
    list.push(DisplayItem::Image {
        rect: Rect::new(0.0, 0.0, 40.0, 40.0),
        key: ImageKey(7),
        src: Rect::new(0.0, 0.0, 4.0, 4.0),
        radii: SQUARE_CORNERS,
        tile: None,
        opacity: 1.0,
    });
    // Only the bottom-right (green) quadrant, at (50, 50).
    list.push(DisplayItem::Image {
        rect: Rect::new(50.0, 50.0, 40.0, 40.0),
        key: ImageKey(7),
        src: Rect::new(2.0, 2.0, 2.0, 2.0),
        radii: SQUARE_CORNERS,
        tile: None,
        opacity: 1.0,
    });
    // Unknown key: nothing, no error.
    list.push(DisplayItem::Image {
        rect: Rect::new(0.0, 50.0, 40.0, 40.0),
        key: ImageKey(8),
        src: Rect::new(0.0, 0.0, 4.0, 4.0),
        radii: SQUARE_CORNERS,
        tile: None,
        opacity: 1.0,
    });
    let image = match renderer.render_to_image(&list, fonts, W, H, Color::WHITE) {
        Ok(i) => i,
        Err(e) => panic!("{e}"),
    };
    assert_px(&image, 5, 20, RED_PX, 2);
    assert_px(&image, 35, 5, [0, 0, 255, 255], 2);
    assert_px(&image, 35, 35, [0, 255, 0, 255], 2);
    assert_px(&image, 55, 55, [0, 255, 0, 255], 2);
    assert_px(&image, 85, 85, [0, 255, 0, 255], 2);
    assert_px(&image, 20, 70, WHITE_PX, 0);
    assert!(renderer.unregister_image(ImageKey(7)));
}

#[test]
fn tiled_image_repeats() {
    let mut guard = shared();
    let Shared { renderer, fonts } = &mut *guard;
    renderer.register_image(ImageKey(9), &quadrant_image());
    let mut list = DisplayList::new();
    list.push(DisplayItem::Image {
        rect: Rect::new(0.0, 0.0, 100.0, 20.0),
        key: ImageKey(9),
        src: Rect::new(0.0, 0.0, 4.0, 4.0),
        radii: SQUARE_CORNERS,
        tile: Some(ImageTiling {
            size: (20.0, 20.0),
            origin: (0.0, 0.0),
        }),
        opacity: 1.0,
    });
    let image = match renderer.render_to_image(&list, fonts, W, H, Color::WHITE) {
        Ok(i) => i,
        Err(e) => panic!("{e}"),
    };
    for tile in 0..5 {
        assert_px(&image, tile * 20 + 4, 5, RED_PX, 2);
        assert_px(&image, tile * 20 + 15, 5, [0, 0, 255, 255], 2);
    }
    renderer.unregister_image(ImageKey(9));
}

#[test]
fn thousand_rects_are_one_draw_call() {
    let mut list = DisplayList::new();
    for i in 0..1000 {
        let (x, y) = ((i % 50) as f32 * 2.0, (i / 50) as f32 * 5.0);
        list.fill_rect(
            Rect::new(x, y, 2.0, 4.0),
            if i % 2 == 0 { RED } else { BLUE },
        );
    }
    let (_, stats) = render_with_stats(&list);
    assert_eq!(stats.draw_calls, 1, "{stats:?}");
    assert_eq!(stats.items, 1000);
    assert_eq!(stats.instances, 1000);
}

#[test]
fn text_decoration_line_is_drawn_and_dotted_has_gaps() {
    let mut list = DisplayList::new();
    list.push(DisplayItem::Line {
        from: (0.0, 20.0),
        to: (100.0, 20.0),
        width: 2.0,
        color: Color::BLACK,
        style: TextDecorationStyle::Solid,
    });
    list.push(DisplayItem::Line {
        from: (0.0, 60.0),
        to: (100.0, 60.0),
        width: 4.0,
        color: Color::BLACK,
        style: TextDecorationStyle::Dotted,
    });
    let image = render(&list);
    assert!(
        (0..100).all(|x| px(&image, x, 20)[0] < 20),
        "solid line has holes"
    );
    let light = (0..100).filter(|x| px(&image, *x, 60)[0] > 200).count();
    let dark = (0..100).filter(|x| px(&image, *x, 60)[0] < 60).count();
    assert!(light > 20 && dark > 20, "dotted: light {light} dark {dark}");
}

#[test]
fn odd_input_does_not_panic() {
    let mut list = DisplayList::new();
    list.fill_rect(Rect::new(f32::NAN, 0.0, 10.0, 10.0), RED);
    list.fill_rect(Rect::new(0.0, 0.0, -10.0, 10.0), RED);
    list.push(rect_item(
        Rect::new(0.0, 0.0, 10.0, 10.0),
        RED,
        Corners::all((1e9, f32::INFINITY)),
    ));
    list.push(DisplayItem::PopClip);
    list.push(DisplayItem::PopLayer);
    list.push(DisplayItem::PopTransform);
    list.push(DisplayItem::PushTransform {
        matrix: [f32::NAN; 16],
    });
    list.push(DisplayItem::PushClip {
        rect: Rect::new(0.0, 0.0, 0.0, 0.0),
        radii: SQUARE_CORNERS,
    });
    list.push(DisplayItem::LinearGradient {
        rect: Rect::new(0.0, 0.0, 10.0, 10.0),
        radii: SQUARE_CORNERS,
        start: (0.0, 0.0),
        end: (0.0, 0.0),
        stops: vec![],
        repeating: true,
    });
    list.push(DisplayItem::PushLayer {
        opacity: f32::NAN,
        filter: None,
    });
    let _ = render(&list);
    let mut guard = shared();
    let Shared { renderer, fonts } = &mut *guard;
    let empty = renderer.render_to_image(&DisplayList::new(), fonts, 0, 0, Color::WHITE);
    assert!(matches!(empty, Ok(ref i) if i.width() == 0));
    let huge = renderer.render_to_image(&DisplayList::new(), fonts, 1_000_000, 10, Color::WHITE);
    assert!(huge.is_err());
}

#[test]
fn transparent_clear_reads_back_straight_alpha() {
    let mut guard = shared();
    let Shared { renderer, fonts } = &mut *guard;
    let mut list = DisplayList::new();
    list.fill_rect(Rect::new(0.0, 0.0, 10.0, 10.0), Color { a: 0.5, ..RED });
    let image = match renderer.render_to_image(&list, fonts, 20, 20, Color::TRANSPARENT) {
        Ok(i) => i,
        Err(e) => panic!("{e}"),
    };
    assert_px(&image, 5, 5, [255, 0, 0, 128], 2);
    assert_px(&image, 15, 15, [0, 0, 0, 0], 0);
}

/// A scene with every item kind; set CIRRUS_RENDER_DUMP=/path.png to look
/// at it. Asserts only that it renders and batches sensibly.
#[test]
fn mixed_scene_renders() {
    let mut guard = shared();
    let Shared { renderer, fonts } = &mut *guard;
    renderer.register_image(ImageKey(11), &quadrant_image());
    let mut list = DisplayList::new();
    list.push(DisplayItem::BoxShadow {
        rect: Rect::new(20.0, 20.0, 160.0, 100.0),
        radii: Corners::all((16.0, 16.0)),
        offset: (0.0, 6.0),
        blur: 16.0,
        spread: 0.0,
        color: Color {
            a: 0.4,
            ..Color::BLACK
        },
        inset: false,
    });
    list.push(DisplayItem::LinearGradient {
        rect: Rect::new(20.0, 20.0, 160.0, 100.0),
        radii: Corners::all((16.0, 16.0)),
        start: (20.0, 20.0),
        end: (180.0, 120.0),
        stops: vec![
            (0.0, Color::rgba8(255, 200, 0, 1.0)),
            (0.5, Color::rgba8(255, 80, 120, 1.0)),
            (1.0, Color::rgba8(80, 60, 255, 1.0)),
        ],
        repeating: false,
    });
    list.push(DisplayItem::Border {
        rect: Rect::new(20.0, 20.0, 160.0, 100.0),
        widths: Sides {
            top: 2.0,
            right: 6.0,
            bottom: 2.0,
            left: 6.0,
        },
        colors: Sides::all(Color::rgba8(20, 20, 20, 1.0)),
        styles: Sides::all(BorderStyle::Solid),
        radii: Corners::all((16.0, 16.0)),
    });
    list.push(DisplayItem::Border {
        rect: Rect::new(200.0, 20.0, 80.0, 80.0),
        widths: Sides::all(3.0),
        colors: Sides::all(BLUE),
        styles: Sides {
            top: BorderStyle::Dashed,
            right: BorderStyle::Dotted,
            bottom: BorderStyle::Dashed,
            left: BorderStyle::Dotted,
        },
        radii: SQUARE_CORNERS,
    });
    list.push(DisplayItem::RadialGradient {
        rect: Rect::new(200.0, 120.0, 80.0, 80.0),
        radii: Corners::all((40.0, 40.0)),
        center: (240.0, 160.0),
        radius: (40.0, 40.0),
        stops: vec![(0.0, Color::WHITE), (1.0, GREEN)],
        repeating: false,
    });
    list.push(DisplayItem::PushTransform {
        matrix: cirrus_render::display_list::multiply_matrices(
            &translation_matrix(60.0, 200.0),
            &{
                let (s, c) = (0.3f32.sin(), 0.3f32.cos());
                [
                    c, s, 0.0, 0.0, -s, c, 0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 1.0,
                ]
            },
        ),
    });
    list.push(DisplayItem::PushClip {
        rect: Rect::new(0.0, 0.0, 80.0, 60.0),
        radii: Corners::all((12.0, 12.0)),
    });
    list.push(DisplayItem::Image {
        rect: Rect::new(-10.0, -10.0, 100.0, 80.0),
        key: ImageKey(11),
        src: Rect::new(0.0, 0.0, 4.0, 4.0),
        radii: SQUARE_CORNERS,
        tile: None,
        opacity: 1.0,
    });
    list.push(DisplayItem::PopClip);
    list.push(DisplayItem::PopTransform);
    let mut buffer = Buffer::new(fonts, Metrics::new(28.0, 34.0));
    buffer.set_size(fonts, Some(260.0), Some(60.0));
    buffer.set_text(fonts, "Cirrus 云 ✓", &Attrs::new(), Shaping::Advanced);
    buffer.shape_until_scroll(fonts, false);
    let mut glyphs = Vec::new();
    for run in buffer.layout_runs() {
        for glyph in run.glyphs {
            let p = glyph.physical((20.0, 280.0 + run.line_y - 34.0), 1.0);
            glyphs.push(GlyphInstance {
                key: p.cache_key,
                x: p.x,
                y: p.y,
            });
        }
    }
    list.push(DisplayItem::Glyphs {
        glyphs,
        color: Color::rgba8(30, 30, 30, 1.0),
    });
    list.push(DisplayItem::Line {
        from: (20.0, 284.0),
        to: (150.0, 284.0),
        width: 2.0,
        color: RED,
        style: TextDecorationStyle::Dashed,
    });
    let default_mode = renderer.specialise_kinds();
    let mut images = Vec::new();
    for specialise in [false, true] {
        renderer.set_specialise_kinds(specialise);
        let rendered =
            renderer.render_to_image(&list, fonts, 300, 300, Color::rgba8(240, 240, 240, 1.0));
        let stats = renderer.last_frame_stats();
        match rendered {
            Ok(image) => images.push((image, stats)),
            Err(e) => {
                renderer.set_specialise_kinds(default_mode);
                panic!("{e}")
            }
        }
    }
    renderer.set_specialise_kinds(default_mode);
    let (generic, generic_stats) = &images[0];
    let (specialised, specialised_stats) = &images[1];
    if let Ok(path) = std::env::var("CIRRUS_RENDER_DUMP") {
        let _ = generic.save(path);
    }
    // Generic: shapes share one batch; the image and the glyph page each
    // need their own. Specialised: one batch per run of one kind.
    assert!(generic_stats.draw_calls <= 4, "{generic_stats:?}");
    assert!(specialised_stats.draw_calls <= 12, "{specialised_stats:?}");
    // Both pipelines draw the same picture.
    let differing = generic
        .pixels()
        .zip(specialised.pixels())
        .filter(|(a, b)| !near(a.0, b.0, 2))
        .count();
    assert_eq!(differing, 0);
    renderer.unregister_image(ImageKey(11));
}

#[test]
fn rotated_clip_is_exact_not_its_bounding_box() {
    // A 60x60 square clip rotated 45 degrees about its centre (50, 50) is a
    // diamond: (22, 50) is inside, (25, 25) near the old corner is outside.
    let (s, c) = (
        std::f32::consts::FRAC_1_SQRT_2,
        std::f32::consts::FRAC_1_SQRT_2,
    );
    let rotate = [
        c, s, 0.0, 0.0, -s, c, 0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 1.0,
    ];
    let matrix = cirrus_render::display_list::multiply_matrices(
        &translation_matrix(50.0, 50.0),
        &cirrus_render::display_list::multiply_matrices(&rotate, &translation_matrix(-50.0, -50.0)),
    );
    let mut list = DisplayList::new();
    list.push(DisplayItem::PushTransform { matrix });
    list.push(DisplayItem::PushClip {
        rect: Rect::new(20.0, 20.0, 60.0, 60.0),
        radii: SQUARE_CORNERS,
    });
    list.push(DisplayItem::PopTransform);
    list.fill_rect(Rect::new(0.0, 0.0, 100.0, 100.0), RED);
    list.push(DisplayItem::PopClip);
    let image = render(&list);
    assert_px(&image, 50, 50, RED_PX, 0);
    assert_px(&image, 15, 50, RED_PX, 2);
    assert_px(&image, 25, 25, WHITE_PX, 0);
    assert_px(&image, 75, 75, WHITE_PX, 0);
}

#[test]
fn wavy_line_moves_up_and_down() {
    let mut list = DisplayList::new();
    list.push(DisplayItem::Line {
        from: (0.0, 50.0),
        to: (100.0, 50.0),
        width: 2.0,
        color: Color::BLACK,
        style: TextDecorationStyle::Wavy,
    });
    let image = render(&list);
    // The darkest row of each column varies along the line.
    let rows: Vec<u32> = (0..100)
        .map(|x| (40..61).min_by_key(|y| px(&image, x, *y)[0]).unwrap_or(0))
        .collect();
    let (lo, hi) = (
        rows.iter().min().copied().unwrap_or(0),
        rows.iter().max().copied().unwrap_or(0),
    );
    assert!(hi - lo >= 4, "wave too flat: {lo}..{hi}");
    assert!(lo >= 44 && hi <= 56, "wave too tall: {lo}..{hi}");
}

#[test]
fn blur_filter_spreads_a_rect() {
    let mut list = DisplayList::new();
    list.push(DisplayItem::PushLayer {
        opacity: 1.0,
        filter: Some(cirrus_layout::style::Filter::Blur(4.0)),
    });
    list.fill_rect(Rect::new(30.0, 30.0, 40.0, 40.0), Color::BLACK);
    list.push(DisplayItem::PopLayer);
    let (image, stats) = render_with_stats(&list);
    // Centre still black, the edge half-grey, outside the box darkened.
    assert_px(&image, 50, 50, [0, 0, 0, 255], 3);
    let edge = px(&image, 30, 50)[0];
    assert!((100..160).contains(&edge), "edge {edge}");
    let outside = px(&image, 25, 50)[0];
    assert!(outside < 250 && outside > edge, "outside {outside}");
    assert_px(&image, 5, 5, WHITE_PX, 0);
    assert_eq!(stats.passes, 2, "{stats:?}");
}

/// Rough frame timing on whatever adapter is present; run with
/// `cargo test -p cirrus-render --release -- --ignored --nocapture timing`.
#[test]
#[ignore]
fn timing_of_a_phone_sized_frame() {
    let mut guard = shared();
    let Shared { renderer, fonts } = &mut *guard;
    let mut buffer = Buffer::new(fonts, Metrics::new(28.0, 34.0));
    buffer.set_size(fonts, Some(600.0), Some(40.0));
    buffer.set_text(
        fonts,
        "列表项 List item 12345",
        &Attrs::new(),
        Shaping::Advanced,
    );
    buffer.shape_until_scroll(fonts, false);
    let mut list = DisplayList::new();
    for row in 0..40 {
        let y = row as f32 * 110.0;
        list.push(DisplayItem::BoxShadow {
            rect: Rect::new(20.0, y + 10.0, 710.0, 90.0),
            radii: Corners::all((16.0, 16.0)),
            offset: (0.0, 4.0),
            blur: 12.0,
            spread: 0.0,
            color: Color {
                a: 0.2,
                ..Color::BLACK
            },
            inset: false,
        });
        list.push(rect_item(
            Rect::new(20.0, y + 10.0, 710.0, 90.0),
            Color::WHITE,
            Corners::all((16.0, 16.0)),
        ));
        list.push(DisplayItem::Border {
            rect: Rect::new(20.0, y + 10.0, 710.0, 90.0),
            widths: Sides::all(2.0),
            colors: Sides::all(Color::rgba8(220, 220, 220, 1.0)),
            styles: Sides::all(BorderStyle::Solid),
            radii: Corners::all((16.0, 16.0)),
        });
        let mut glyphs = Vec::new();
        for run in buffer.layout_runs() {
            for glyph in run.glyphs {
                let p = glyph.physical((40.0, y + 30.0 + run.line_y), 1.0);
                glyphs.push(GlyphInstance {
                    key: p.cache_key,
                    x: p.x,
                    y: p.y,
                });
            }
        }
        list.push(DisplayItem::Glyphs {
            glyphs,
            color: Color::BLACK,
        });
    }
    let _ = renderer.render_to_image(&list, fonts, 750, 1334, Color::WHITE);
    let start = std::time::Instant::now();
    let frames = 20;
    for _ in 0..frames {
        let _ = renderer.render_to_image(&list, fonts, 750, 1334, Color::WHITE);
    }
    let per_frame = start.elapsed() / frames;
    eprintln!(
        "{:?}: {} items, {:?} per frame (incl. readback), {:?}",
        renderer.adapter_label(),
        list.len(),
        per_frame,
        renderer.last_frame_stats()
    );
}

/// Frame cost of an empty list (clear + readback) on this adapter.
#[test]
#[ignore]
fn timing_of_an_empty_frame() {
    let mut guard = shared();
    let Shared { renderer, fonts } = &mut *guard;
    let list = DisplayList::new();
    let _ = renderer.render_to_image(&list, fonts, 750, 1334, Color::WHITE);
    let start = std::time::Instant::now();
    for _ in 0..20 {
        let _ = renderer.render_to_image(&list, fonts, 750, 1334, Color::WHITE);
    }
    eprintln!("empty 750x1334 frame: {:?}", start.elapsed() / 20);
}

/// Frame cost of an empty list without readback.
#[test]
#[ignore]
fn timing_of_an_empty_frame_without_readback() {
    let mut guard = shared();
    let Shared { renderer, fonts } = &mut *guard;
    let texture = renderer
        .device()
        .create_texture(&cirrus_render::wgpu::TextureDescriptor {
            label: None,
            size: cirrus_render::wgpu::Extent3d {
                width: 750,
                height: 1334,
                depth_or_array_layers: 1,
            },
            mip_level_count: 1,
            sample_count: 1,
            dimension: cirrus_render::wgpu::TextureDimension::D2,
            format: cirrus_render::wgpu::TextureFormat::Rgba8Unorm,
            usage: cirrus_render::wgpu::TextureUsages::RENDER_ATTACHMENT,
            view_formats: &[],
        });
    let view = texture.create_view(&Default::default());
    let list = DisplayList::new();
    let start = std::time::Instant::now();
    for _ in 0..20 {
        let _ = renderer.render_to_view(
            &list,
            fonts,
            &view,
            cirrus_render::wgpu::TextureFormat::Rgba8Unorm,
            750,
            1334,
            Color::WHITE,
        );
    }
    renderer.device().poll(cirrus_render::wgpu::Maintain::Wait);
    eprintln!(
        "empty 750x1334 frame without readback: {:?}",
        start.elapsed() / 20
    );
}

/// Per-kind frame cost: 12 phone-wide cards of one kind each.
#[test]
#[ignore]
fn timing_per_kind() {
    let mut guard = shared();
    let Shared { renderer, fonts } = &mut *guard;
    let card = |row: usize| Rect::new(20.0, row as f32 * 110.0 + 10.0, 710.0, 90.0);
    let radii = Corners::all((16.0, 16.0));
    type MakeItem = Box<dyn Fn(usize) -> DisplayItem>;
    let kinds: Vec<(&str, MakeItem)> = vec![
        (
            "rect",
            Box::new(move |r| rect_item(card(r), Color::rgba8(200, 200, 250, 1.0), radii)),
        ),
        (
            "square rect",
            Box::new(move |r| rect_item(card(r), Color::rgba8(200, 200, 250, 1.0), SQUARE_CORNERS)),
        ),
        (
            "border",
            Box::new(move |r| DisplayItem::Border {
                rect: card(r),
                widths: Sides::all(2.0),
                colors: Sides::all(Color::BLACK),
                styles: Sides::all(BorderStyle::Solid),
                radii,
            }),
        ),
        (
            "shadow",
            Box::new(move |r| DisplayItem::BoxShadow {
                rect: card(r),
                radii,
                offset: (0.0, 4.0),
                blur: 12.0,
                spread: 0.0,
                color: Color {
                    a: 0.3,
                    ..Color::BLACK
                },
                inset: false,
            }),
        ),
        (
            "gradient",
            Box::new(move |r| DisplayItem::LinearGradient {
                rect: card(r),
                radii,
                start: (0.0, 0.0),
                end: (750.0, 0.0),
                stops: vec![(0.0, RED), (1.0, BLUE)],
                repeating: false,
            }),
        ),
    ];
    for (name, make) in kinds {
        let mut list = DisplayList::new();
        for row in 0..12 {
            list.push(make(row));
        }
        let _ = renderer.render_to_image(&list, fonts, 750, 1334, Color::WHITE);
        let start = std::time::Instant::now();
        for _ in 0..10 {
            let _ = renderer.render_to_image(&list, fonts, 750, 1334, Color::WHITE);
        }
        eprintln!("{name}: {:?}", start.elapsed() / 10);
    }
}

#[test]
fn downscaled_stripes_average_instead_of_aliasing() {
    // 1-px black/white vertical stripes drawn at 1/7.5 size: each device
    // pixel covers 7.5 stripes, so a browser shows mid-grey, not stripes.
    let stripes = image::RgbaImage::from_fn(240, 16, |x, _| {
        if x % 2 == 0 {
            image::Rgba([0, 0, 0, 255])
        } else {
            image::Rgba([255, 255, 255, 255])
        }
    });
    let mut guard = shared();
    let Shared { renderer, fonts } = &mut *guard;
    renderer.register_image(ImageKey(21), &stripes);
    let mut list = DisplayList::new();
    list.push(DisplayItem::Image {
        rect: Rect::new(0.0, 0.0, 32.0, 2.0),
        key: ImageKey(21),
        src: Rect::new(0.0, 0.0, 240.0, 16.0),
        radii: SQUARE_CORNERS,
        tile: None,
        opacity: 1.0,
    });
    let image = match renderer.render_to_image(&list, fonts, 40, 4, Color::WHITE) {
        Ok(i) => i,
        Err(e) => panic!("{e}"),
    };
    renderer.unregister_image(ImageKey(21));
    for x in 2..30 {
        let v = px(&image, x, 1)[0];
        assert!((100..160).contains(&v), "pixel {x} is {v}, not grey");
    }
}

/// The scene of a Chromium comparison page (see the report); writes
/// `$CIRRUS_CHROME_CMP` when set. Run with `-- --ignored chrome_comparison`.
#[test]
#[ignore]
fn chrome_comparison_scene() {
    let Ok(path) = std::env::var("CIRRUS_CHROME_CMP") else {
        return;
    };
    let mut list = DisplayList::new();
    let card = Rect::new(20.0, 20.0, 120.0, 80.0);
    list.push(DisplayItem::BoxShadow {
        rect: card,
        radii: Corners::all((16.0, 16.0)),
        offset: (0.0, 6.0),
        blur: 16.0,
        spread: 0.0,
        color: Color {
            a: 0.4,
            ..Color::BLACK
        },
        inset: false,
    });
    list.push(rect_item(card, Color::WHITE, Corners::all((16.0, 16.0))));
    list.push(DisplayItem::Border {
        rect: Rect::new(180.0, 20.0, 120.0, 80.0),
        widths: Sides::all(4.0),
        colors: Sides::all(BLUE),
        styles: Sides::all(BorderStyle::Dashed),
        radii: SQUARE_CORNERS,
    });
    list.push(DisplayItem::LinearGradient {
        rect: Rect::new(20.0, 140.0, 120.0, 80.0),
        radii: Corners::all((10.0, 10.0)),
        start: (20.0, 180.0),
        end: (140.0, 180.0),
        stops: vec![(0.0, RED), (1.0, BLUE)],
        repeating: false,
    });
    list.push(DisplayItem::Border {
        rect: Rect::new(180.0, 140.0, 100.0, 100.0),
        widths: Sides {
            top: 6.0,
            right: 12.0,
            bottom: 6.0,
            left: 12.0,
        },
        colors: Sides {
            top: RED,
            right: Color::rgba8(0, 170, 0, 1.0),
            bottom: BLUE,
            left: Color::BLACK,
        },
        styles: Sides::all(BorderStyle::Solid),
        radii: Corners::all((30.0, 30.0)),
    });
    list.push(DisplayItem::Border {
        rect: Rect::new(320.0, 140.0, 60.0, 60.0),
        widths: Sides::all(3.0),
        colors: Sides::all(Color::BLACK),
        styles: Sides::all(BorderStyle::Dotted),
        radii: SQUARE_CORNERS,
    });
    let mut guard = shared();
    let Shared { renderer, fonts } = &mut *guard;
    if let Ok(image) =
        renderer.render_to_image(&list, fonts, 400, 300, Color::rgba8(240, 240, 240, 1.0))
    {
        let _ = image.save(path);
    }
}
