//! Pixel tests of the CPU backend (`cirrus_render::CpuRenderer`), one or
//! more per display item kind, and a comparison with the wgpu renderer
//! (llvmpipe where there is no GPU) on a set of scenes.
//!
//! One renderer and one font system (system fonts, loaded once through
//! fontdb) are shared by the tests of this binary; set CIRRUS_RENDER_DUMP
//! to a folder to write each comparison scene from both backends as PNG.

use std::sync::{Mutex, MutexGuard, OnceLock};

use cirrus_layout::cosmic_text::{fontdb, Attrs, Buffer, FontSystem, Metrics, Shaping};
use cirrus_layout::style::{BorderStyle, Color, Corners, Filter, Sides, TextDecorationStyle};
use cirrus_render::display_list::{multiply_matrices, translation_matrix, SQUARE_CORNERS};
use cirrus_render::{
    CpuRenderer, DisplayItem, DisplayList, FrameStats, GlyphInstance, ImageKey, ImageTiling,
    Rasterizer, Rect, RenderError, Renderer, RendererChoice,
};

struct Shared {
    renderer: CpuRenderer,
    fonts: FontSystem,
}

fn load_fonts() -> FontSystem {
    let mut db = fontdb::Database::new();
    db.load_system_fonts();
    FontSystem::new_with_locale_and_db("en-US".into(), db)
}

fn shared() -> MutexGuard<'static, Shared> {
    static SHARED: OnceLock<Mutex<Shared>> = OnceLock::new();
    SHARED
        .get_or_init(|| {
            Mutex::new(Shared {
                renderer: CpuRenderer::new(),
                fonts: load_fonts(),
            })
        })
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
const WHITE_PX: [u8; 4] = [255, 255, 255, 255];
const RED_PX: [u8; 4] = [255, 0, 0, 255];
const BLUE_PX: [u8; 4] = [0, 0, 255, 255];
const GREEN_PX: [u8; 4] = [0, 255, 0, 255];

fn render(list: &DisplayList) -> image::RgbaImage {
    render_with_stats(list, W, H, Color::WHITE).0
}

fn render_with_stats(
    list: &DisplayList,
    width: u32,
    height: u32,
    clear: Color,
) -> (image::RgbaImage, FrameStats) {
    let mut guard = shared();
    let Shared { renderer, fonts } = &mut *guard;
    match renderer.render_to_image(list, fonts, width, height, clear) {
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

fn rect_item(rect: Rect, color: Color, radii: Corners<(f32, f32)>) -> DisplayItem {
    DisplayItem::Rect { rect, color, radii }
}

fn rotation(radians: f32) -> [f32; 16] {
    let (s, c) = radians.sin_cos();
    [
        c, s, 0.0, 0.0, //
        -s, c, 0.0, 0.0, //
        0.0, 0.0, 1.0, 0.0, //
        0.0, 0.0, 0.0, 1.0,
    ]
}

/// translate(o) * m * translate(-o), as the painter passes transforms.
fn around(origin: (f32, f32), m: &[f32; 16]) -> [f32; 16] {
    multiply_matrices(
        &multiply_matrices(&translation_matrix(origin.0, origin.1), m),
        &translation_matrix(-origin.0, -origin.1),
    )
}

// ---------------------------------------------------------------- rects

#[test]
fn rect_fills_inside_only() {
    let mut list = DisplayList::new();
    list.fill_rect(Rect::new(20.0, 20.0, 40.0, 40.0), RED);
    let image = render(&list);
    assert_px(&image, 40, 40, RED_PX, 0);
    assert_px(&image, 20, 20, RED_PX, 0);
    assert_px(&image, 59, 59, RED_PX, 0);
    assert_px(&image, 19, 40, WHITE_PX, 0);
    assert_px(&image, 60, 40, WHITE_PX, 0);
    assert_px(&image, 40, 60, WHITE_PX, 0);
}

#[test]
fn half_pixel_edges_are_antialiased() {
    let mut list = DisplayList::new();
    list.fill_rect(Rect::new(10.5, 10.0, 20.0, 20.0), Color::BLACK);
    let image = render(&list);
    let edge = px(&image, 10, 15);
    assert!(edge[0] > 100 && edge[0] < 155, "{edge:?}");
    assert_px(&image, 11, 15, [0, 0, 0, 255], 0);
}

#[test]
fn rounded_corners_stay_clear() {
    let mut list = DisplayList::new();
    list.push(rect_item(
        Rect::new(10.0, 10.0, 80.0, 80.0),
        RED,
        Corners::all((20.0, 20.0)),
    ));
    let image = render(&list);
    assert_px(&image, 11, 11, WHITE_PX, 0);
    assert_px(&image, 88, 88, WHITE_PX, 0);
    assert_px(&image, 88, 11, WHITE_PX, 0);
    assert_px(&image, 50, 11, RED_PX, 0);
    assert_px(&image, 16, 16, RED_PX, 1);
}

#[test]
fn elliptical_radii_differ_per_axis() {
    let mut list = DisplayList::new();
    list.push(rect_item(
        Rect::new(10.0, 10.0, 80.0, 80.0),
        RED,
        Corners::all((40.0, 10.0)),
    ));
    let image = render(&list);
    // Near the top edge, 12 px in: outside the wide, short ellipse.
    assert_px(&image, 22, 11, WHITE_PX, 2);
    // 12 px down the left edge: below the ellipse, inside the box.
    assert_px(&image, 11, 22, RED_PX, 2);
}

#[test]
fn per_corner_radii_are_independent() {
    let mut list = DisplayList::new();
    list.push(rect_item(
        Rect::new(10.0, 10.0, 80.0, 80.0),
        RED,
        Corners {
            top_left: (30.0, 30.0),
            top_right: (0.0, 0.0),
            bottom_right: (0.0, 0.0),
            bottom_left: (0.0, 0.0),
        },
    ));
    let image = render(&list);
    assert_px(&image, 13, 13, WHITE_PX, 0);
    assert_px(&image, 88, 11, RED_PX, 0);
    assert_px(&image, 11, 88, RED_PX, 0);
}

#[test]
fn overlapping_radii_scale_down_together() {
    // 50x100 with 100 px radii: scaled by 1/4 to 25 px circles (css
    // backgrounds §5.5), so the left edge is straight from y 25 to 75.
    let mut list = DisplayList::new();
    list.push(rect_item(
        Rect::new(0.0, 0.0, 50.0, 100.0),
        RED,
        Corners::all((100.0, 100.0)),
    ));
    let image = render(&list);
    assert_px(&image, 1, 50, RED_PX, 0);
    assert_px(&image, 4, 4, WHITE_PX, 0);
    assert_px(&image, 25, 1, RED_PX, 2);
}

// --------------------------------------------------------------- borders

fn border(
    rect: Rect,
    widths: Sides<f32>,
    colors: Sides<Color>,
    styles: Sides<BorderStyle>,
    radii: Corners<(f32, f32)>,
) -> DisplayItem {
    DisplayItem::Border {
        rect,
        widths,
        colors,
        styles,
        radii,
    }
}

#[test]
fn solid_border_is_a_ring_with_inner_radii() {
    let mut list = DisplayList::new();
    list.push(border(
        Rect::new(10.0, 10.0, 80.0, 80.0),
        Sides::all(10.0),
        Sides::all(BLUE),
        Sides::all(BorderStyle::Solid),
        Corners::all((30.0, 30.0)),
    ));
    let image = render(&list);
    assert_px(&image, 50, 14, BLUE_PX, 0);
    assert_px(&image, 50, 50, WHITE_PX, 0);
    // Inner radius 20 around (40, 40): (23, 23) is 24 px from it, inside
    // the border; a square inner corner would have left it white.
    assert_px(&image, 23, 23, BLUE_PX, 2);
    // Outside the outer 30 px corner.
    assert_px(&image, 12, 12, WHITE_PX, 0);
}

#[test]
fn border_sides_take_their_own_colours() {
    let mut list = DisplayList::new();
    list.push(border(
        Rect::new(10.0, 10.0, 80.0, 80.0),
        Sides::all(10.0),
        Sides {
            top: RED,
            right: GREEN,
            bottom: BLUE,
            left: Color::BLACK,
        },
        Sides::all(BorderStyle::Solid),
        SQUARE_CORNERS,
    ));
    let image = render(&list);
    assert_px(&image, 50, 14, RED_PX, 0);
    assert_px(&image, 85, 50, GREEN_PX, 0);
    assert_px(&image, 50, 85, BLUE_PX, 0);
    assert_px(&image, 14, 50, [0, 0, 0, 255], 0);
    assert_px(&image, 50, 50, WHITE_PX, 0);
    // Corners split along the diagonal: (12, 16) is left of it.
    assert_px(&image, 12, 16, [0, 0, 0, 255], 0);
    assert_px(&image, 16, 12, RED_PX, 0);
}

#[test]
fn dashed_border_has_gaps_and_whole_dashes_at_the_ends() {
    let mut list = DisplayList::new();
    list.push(border(
        Rect::new(0.0, 0.0, 100.0, 100.0),
        Sides::all(4.0),
        Sides::all(RED),
        Sides::all(BorderStyle::Dashed),
        SQUARE_CORNERS,
    ));
    let image = render(&list);
    let row: Vec<bool> = (0..100).map(|x| px(&image, x, 2)[1] < 128).collect();
    let red = row.iter().filter(|r| **r).count();
    let transitions = row.windows(2).filter(|w| w[0] != w[1]).count();
    // 4 px: dashes of 8, gaps stretched around 4 (Chromium's layout).
    assert!((55..80).contains(&red), "red {red}");
    assert!(transitions >= 12, "transitions {transitions}");
    assert!(row[1] && row[98], "dashes at both ends");
    assert_px(&image, 50, 50, WHITE_PX, 0);
}

#[test]
fn dotted_border_has_round_dots() {
    let mut list = DisplayList::new();
    list.push(border(
        Rect::new(0.0, 0.0, 100.0, 100.0),
        Sides::all(8.0),
        Sides::all(BLUE),
        Sides::all(BorderStyle::Dotted),
        SQUARE_CORNERS,
    ));
    let image = render(&list);
    // The first dot is centred at (4, 4) on the left/top sides' corner.
    let row_centre: usize = (0..100).filter(|x| px(&image, *x, 4)[0] < 128).count();
    let row_edge: usize = (0..100).filter(|x| px(&image, *x, 0)[0] < 128).count();
    assert!(row_centre > 30 && row_centre < 75, "{row_centre}");
    // Round dots are narrower at their top than across their middle.
    assert!(row_edge < row_centre, "{row_edge} vs {row_centre}");
}

#[test]
fn none_side_with_width_draws_nothing_there() {
    let mut list = DisplayList::new();
    list.push(border(
        Rect::new(10.0, 10.0, 80.0, 80.0),
        Sides::all(10.0),
        Sides::all(RED),
        Sides {
            top: BorderStyle::None,
            right: BorderStyle::Solid,
            bottom: BorderStyle::Solid,
            left: BorderStyle::Solid,
        },
        SQUARE_CORNERS,
    ));
    let image = render(&list);
    assert_px(&image, 50, 14, WHITE_PX, 0);
    assert_px(&image, 14, 50, RED_PX, 0);
}

// --------------------------------------------------------------- shadows

#[test]
fn box_shadow_falls_off_outside_and_spares_the_box() {
    let mut list = DisplayList::new();
    list.push(DisplayItem::BoxShadow {
        rect: Rect::new(30.0, 30.0, 40.0, 40.0),
        radii: SQUARE_CORNERS,
        offset: (0.0, 0.0),
        blur: 20.0,
        spread: 0.0,
        color: Color::BLACK,
        inset: false,
    });
    let image = render(&list);
    // Inside the box, up to its edge: untouched.
    assert_px(&image, 50, 50, WHITE_PX, 0);
    assert_px(&image, 69, 50, WHITE_PX, 0);
    assert_px(&image, 50, 30, WHITE_PX, 0);
    // At the edge the blurred box is about half covered.
    let edge = px(&image, 70, 50)[0];
    assert!((100..160).contains(&edge), "edge {edge}");
    // Darker near the box, fading out by 3 sigma (30 px).
    let samples: Vec<u8> = [72, 76, 80, 86, 94]
        .iter()
        .map(|x| px(&image, *x, 50)[0])
        .collect();
    assert!(samples.windows(2).all(|w| w[0] < w[1]), "{samples:?}");
    assert!(samples[4] > 245, "{samples:?}");
}

#[test]
fn shadow_offset_and_spread_move_and_grow_it() {
    let mut list = DisplayList::new();
    list.push(DisplayItem::BoxShadow {
        rect: Rect::new(20.0, 20.0, 40.0, 40.0),
        radii: SQUARE_CORNERS,
        offset: (20.0, 0.0),
        blur: 0.0,
        spread: 5.0,
        color: BLUE,
        inset: false,
    });
    let image = render(&list);
    // Shape 35..85 x 15..65; the box itself (20..60) stays clear.
    assert_px(&image, 80, 40, BLUE_PX, 0);
    assert_px(&image, 70, 17, BLUE_PX, 0);
    assert_px(&image, 88, 40, WHITE_PX, 0);
    assert_px(&image, 50, 40, WHITE_PX, 0);
}

#[test]
fn inset_shadow_darkens_inside_edges_only() {
    let mut list = DisplayList::new();
    list.push(DisplayItem::BoxShadow {
        rect: Rect::new(10.0, 10.0, 80.0, 80.0),
        radii: SQUARE_CORNERS,
        offset: (0.0, 0.0),
        blur: 10.0,
        spread: 0.0,
        color: Color::BLACK,
        inset: true,
    });
    let image = render(&list);
    assert!(px(&image, 11, 50)[0] < 160, "{:?}", px(&image, 11, 50));
    assert_px(&image, 50, 50, WHITE_PX, 1);
    assert_px(&image, 5, 50, WHITE_PX, 0);
}

// ------------------------------------------------------------- gradients

fn linear(rect: Rect, start: (f32, f32), end: (f32, f32), stops: Vec<(f32, Color)>) -> DisplayItem {
    DisplayItem::LinearGradient {
        rect,
        radii: SQUARE_CORNERS,
        start,
        end,
        stops,
        repeating: false,
    }
}

#[test]
fn linear_gradient_ends_and_middle() {
    let mut list = DisplayList::new();
    list.push(linear(
        Rect::new(0.0, 0.0, 100.0, 100.0),
        (0.0, 0.0),
        (100.0, 0.0),
        vec![(0.0, RED), (1.0, BLUE)],
    ));
    let image = render(&list);
    assert_px(&image, 0, 50, RED_PX, 3);
    assert_px(&image, 99, 50, BLUE_PX, 3);
    assert_px(&image, 50, 50, [127, 0, 128, 255], 3);
}

#[test]
fn gradient_offsets_outside_the_line_are_kept() {
    let mut list = DisplayList::new();
    // Red at -100%, blue at 200%: at x = 50 (t = 0.5) a quarter of the
    // way from red to blue.
    list.push(linear(
        Rect::new(0.0, 0.0, 100.0, 100.0),
        (0.0, 0.0),
        (100.0, 0.0),
        vec![(-1.0, RED), (2.0, BLUE)],
    ));
    let image = render(&list);
    assert_px(&image, 50, 50, [128, 0, 127, 255], 3);
    assert_px(&image, 0, 50, [170, 0, 85, 255], 3);
}

#[test]
fn hard_stops_switch_colour() {
    let mut list = DisplayList::new();
    list.push(linear(
        Rect::new(0.0, 0.0, 100.0, 100.0),
        (0.0, 0.0),
        (100.0, 0.0),
        vec![(0.0, RED), (0.5, RED), (0.5, BLUE), (1.0, BLUE)],
    ));
    let image = render(&list);
    assert_px(&image, 48, 50, RED_PX, 0);
    assert_px(&image, 52, 50, BLUE_PX, 0);
}

#[test]
fn repeating_gradient_repeats() {
    let mut list = DisplayList::new();
    list.push(DisplayItem::LinearGradient {
        rect: Rect::new(0.0, 0.0, 100.0, 100.0),
        radii: SQUARE_CORNERS,
        start: (0.0, 0.0),
        end: (100.0, 0.0),
        stops: vec![(0.0, RED), (0.2, BLUE)],
        repeating: true,
    });
    let image = render(&list);
    // Period 20 px: the same colour every 20 px.
    for x in [5, 25, 45, 65, 85] {
        assert_px(&image, x, 50, px(&image, 5, 50), 4);
    }
    assert!(px(&image, 1, 50)[0] > 200 && px(&image, 19, 50)[2] > 200);
}

#[test]
fn transparent_stops_interpolate_premultiplied() {
    let mut list = DisplayList::new();
    list.push(linear(
        Rect::new(0.0, 0.0, 100.0, 100.0),
        (0.0, 0.0),
        (100.0, 0.0),
        vec![(0.0, RED), (1.0, Color::TRANSPARENT)],
    ));
    let image = render(&list);
    // Half-transparent pure red over white, not a darkened red.
    assert_px(&image, 50, 50, [255, 128, 128, 255], 3);
}

#[test]
fn radial_gradient_centre_edge_and_ellipse() {
    let mut list = DisplayList::new();
    list.push(DisplayItem::RadialGradient {
        rect: Rect::new(0.0, 0.0, 100.0, 100.0),
        radii: SQUARE_CORNERS,
        center: (50.0, 50.0),
        radius: (40.0, 20.0),
        stops: vec![(0.0, RED), (1.0, BLUE)],
        repeating: false,
    });
    let image = render(&list);
    // The centre pixel's centre is a little off the centre: t = 0.03.
    assert_px(&image, 50, 50, RED_PX, 10);
    // Half the radius on each axis: the same colour.
    let on_x = px(&image, 70, 50);
    let on_y = px(&image, 50, 60);
    assert!(near(on_x, on_y, 8), "{on_x:?} vs {on_y:?}");
    assert!(near(on_x, [128, 0, 127, 255], 8), "{on_x:?}");
    // Beyond the ellipse: the last stop.
    assert_px(&image, 50, 75, BLUE_PX, 2);
    assert_px(&image, 95, 50, BLUE_PX, 2);
}

#[test]
fn gradient_follows_its_radii() {
    let mut list = DisplayList::new();
    list.push(DisplayItem::LinearGradient {
        rect: Rect::new(10.0, 10.0, 80.0, 80.0),
        radii: Corners::all((30.0, 30.0)),
        start: (10.0, 10.0),
        end: (90.0, 10.0),
        stops: vec![(0.0, RED), (1.0, RED)],
        repeating: false,
    });
    let image = render(&list);
    assert_px(&image, 12, 12, WHITE_PX, 0);
    assert_px(&image, 50, 50, RED_PX, 0);
}

// ------------------------------------------------------------ clips

#[test]
fn clip_edges_cut_a_rect() {
    let mut list = DisplayList::new();
    list.push(DisplayItem::PushClip {
        rect: Rect::new(20.0, 20.0, 30.0, 30.0),
        radii: SQUARE_CORNERS,
    });
    list.fill_rect(Rect::new(0.0, 0.0, 100.0, 100.0), RED);
    list.push(DisplayItem::PopClip);
    list.fill_rect(Rect::new(80.0, 80.0, 10.0, 10.0), BLUE);
    let image = render(&list);
    assert_px(&image, 20, 20, RED_PX, 0);
    assert_px(&image, 49, 49, RED_PX, 0);
    assert_px(&image, 19, 30, WHITE_PX, 0);
    assert_px(&image, 50, 30, WHITE_PX, 0);
    assert_px(&image, 30, 50, WHITE_PX, 0);
    // After the pop nothing is clipped.
    assert_px(&image, 85, 85, BLUE_PX, 0);
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
    assert_px(&image, 50, 12, RED_PX, 0);
    assert_px(&image, 50, 50, RED_PX, 0);
}

#[test]
fn nested_clips_intersect_exactly() {
    let mut list = DisplayList::new();
    list.push(DisplayItem::PushClip {
        rect: Rect::new(0.0, 0.0, 60.0, 60.0),
        radii: Corners::all((20.0, 20.0)),
    });
    list.push(DisplayItem::PushClip {
        rect: Rect::new(30.0, 30.0, 70.0, 70.0),
        radii: SQUARE_CORNERS,
    });
    list.fill_rect(Rect::new(0.0, 0.0, 100.0, 100.0), RED);
    list.push(DisplayItem::PopClip);
    list.push(DisplayItem::PopClip);
    let image = render(&list);
    assert_px(&image, 35, 35, RED_PX, 0);
    assert_px(&image, 25, 35, WHITE_PX, 0);
    assert_px(&image, 65, 45, WHITE_PX, 0);
    // The outer clip's rounded bottom-right corner cuts the inner square.
    assert_px(&image, 58, 58, WHITE_PX, 0);
}

#[test]
fn rotated_clip_is_exact() {
    let mut list = DisplayList::new();
    list.push(DisplayItem::PushTransform {
        matrix: around((50.0, 50.0), &rotation(std::f32::consts::FRAC_PI_4)),
    });
    list.push(DisplayItem::PushClip {
        rect: Rect::new(30.0, 30.0, 40.0, 40.0),
        radii: SQUARE_CORNERS,
    });
    list.push(DisplayItem::PopTransform);
    list.fill_rect(Rect::new(0.0, 0.0, 100.0, 100.0), RED);
    list.push(DisplayItem::PopClip);
    let image = render(&list);
    // A diamond around (50, 50) reaching 28 px out along the axes.
    assert_px(&image, 50, 50, RED_PX, 0);
    assert_px(&image, 50, 25, RED_PX, 0);
    assert_px(&image, 32, 32, WHITE_PX, 0);
    assert_px(&image, 68, 68, WHITE_PX, 0);
}

// ------------------------------------------------------------ layers

#[test]
fn opacity_layer_composites_as_a_group() {
    let mut list = DisplayList::new();
    list.push(DisplayItem::PushLayer {
        opacity: 0.5,
        filter: None,
    });
    list.fill_rect(Rect::new(10.0, 10.0, 50.0, 50.0), RED);
    list.fill_rect(Rect::new(30.0, 30.0, 50.0, 50.0), RED);
    list.push(DisplayItem::PopLayer);
    let image = render(&list);
    // Overlap and single coverage look the same: the group is blended once.
    assert_px(&image, 20, 20, [255, 128, 128, 255], 2);
    assert_px(&image, 40, 40, [255, 128, 128, 255], 2);
    assert_px(&image, 70, 70, [255, 128, 128, 255], 2);
}

#[test]
fn single_item_layer_multiplies_alpha() {
    let mut list = DisplayList::new();
    list.push(DisplayItem::PushLayer {
        opacity: 0.25,
        filter: None,
    });
    list.fill_rect(Rect::new(10.0, 10.0, 50.0, 50.0), Color::BLACK);
    list.push(DisplayItem::PopLayer);
    let (image, stats) = render_with_stats(&list, W, H, Color::WHITE);
    assert_px(&image, 20, 20, [191, 191, 191, 255], 2);
    assert_eq!(stats.passes, 1, "no layer of its own");
}

#[test]
fn zero_opacity_layer_hides_everything_inside() {
    let mut list = DisplayList::new();
    list.push(DisplayItem::PushLayer {
        opacity: 0.0,
        filter: None,
    });
    list.fill_rect(Rect::new(10.0, 10.0, 50.0, 50.0), RED);
    list.push(DisplayItem::PushClip {
        rect: Rect::new(0.0, 0.0, 100.0, 100.0),
        radii: SQUARE_CORNERS,
    });
    list.push(DisplayItem::PopClip);
    list.push(DisplayItem::PopLayer);
    list.fill_rect(Rect::new(70.0, 70.0, 10.0, 10.0), BLUE);
    let image = render(&list);
    assert_px(&image, 20, 20, WHITE_PX, 0);
    assert_px(&image, 75, 75, BLUE_PX, 0);
}

#[test]
fn grayscale_filter_removes_colour() {
    let mut list = DisplayList::new();
    list.push(DisplayItem::PushLayer {
        opacity: 1.0,
        filter: Some(Filter::Grayscale(1.0)),
    });
    list.fill_rect(Rect::new(10.0, 10.0, 50.0, 50.0), RED);
    list.push(DisplayItem::PopLayer);
    let image = render(&list);
    let p = px(&image, 30, 30);
    assert!(p[0] == p[1] && p[1] == p[2], "{p:?}");
    // Luma of red: 0.213.
    assert!(p[0].abs_diff(54) <= 2, "{p:?}");
    assert_px(&image, 80, 80, WHITE_PX, 0);
}

#[test]
fn blur_filter_spreads_a_rect() {
    let mut list = DisplayList::new();
    list.push(DisplayItem::PushLayer {
        opacity: 1.0,
        filter: Some(Filter::Blur(4.0)),
    });
    list.fill_rect(Rect::new(30.0, 30.0, 40.0, 40.0), Color::BLACK);
    list.push(DisplayItem::PopLayer);
    let image = render(&list);
    let outside = px(&image, 27, 50)[0];
    let edge = px(&image, 30, 50)[0];
    let inside = px(&image, 50, 50)[0];
    assert!(
        outside < 250 && outside > edge,
        "outside {outside} edge {edge}"
    );
    assert!(inside < 5, "inside {inside}");
    assert!((100..170).contains(&edge), "edge {edge}");
    assert_px(&image, 5, 5, WHITE_PX, 0);
}

#[test]
fn filtered_layer_is_clipped_where_it_ends() {
    let mut list = DisplayList::new();
    list.push(DisplayItem::PushClip {
        rect: Rect::new(0.0, 0.0, 50.0, 100.0),
        radii: SQUARE_CORNERS,
    });
    list.push(DisplayItem::PushLayer {
        opacity: 0.5,
        filter: Some(Filter::Invert(1.0)),
    });
    list.fill_rect(Rect::new(10.0, 10.0, 80.0, 80.0), Color::WHITE);
    list.push(DisplayItem::PopLayer);
    list.push(DisplayItem::PopClip);
    let image = render(&list);
    // Inverted white is black, at half opacity over white: grey.
    assert_px(&image, 30, 50, [128, 128, 128, 255], 2);
    assert_px(&image, 70, 50, WHITE_PX, 0);
}

// ------------------------------------------------------------ transforms

#[test]
fn translation_and_scale_move_pixels() {
    let mut list = DisplayList::new();
    let mut scale = translation_matrix(10.0, 20.0);
    scale[0] = 2.0;
    scale[5] = 2.0;
    list.push(DisplayItem::PushTransform { matrix: scale });
    list.fill_rect(Rect::new(0.0, 0.0, 10.0, 10.0), RED);
    list.push(DisplayItem::PopTransform);
    let image = render(&list);
    assert_px(&image, 10, 20, RED_PX, 0);
    assert_px(&image, 29, 39, RED_PX, 0);
    assert_px(&image, 31, 30, WHITE_PX, 0);
    assert_px(&image, 9, 25, WHITE_PX, 0);
}

#[test]
fn rotation_moves_pixels() {
    let mut list = DisplayList::new();
    list.push(DisplayItem::PushTransform {
        matrix: around((50.0, 50.0), &rotation(std::f32::consts::FRAC_PI_2)),
    });
    list.fill_rect(Rect::new(80.0, 45.0, 15.0, 10.0), RED);
    list.push(DisplayItem::PopTransform);
    let image = render(&list);
    // (90, 50) rotated by +90 degrees (y down: clockwise) is (50, 90).
    assert_px(&image, 50, 90, RED_PX, 1);
    assert_px(&image, 90, 50, WHITE_PX, 0);
}

#[test]
fn perspective_shrinks_the_far_side() {
    // rotateY with perspective(200) around the centre: the right half
    // recedes (smaller), the left half comes closer (larger).
    let angle = 0.6f32;
    let mut m = crate_identity();
    m[0] = angle.cos();
    m[2] = -angle.sin();
    m[8] = angle.sin();
    m[10] = angle.cos();
    let mut perspective = crate_identity();
    perspective[11] = -1.0 / 200.0;
    let matrix = around((50.0, 50.0), &multiply_matrices(&perspective, &m));
    let mut list = DisplayList::new();
    list.push(DisplayItem::PushTransform { matrix });
    list.fill_rect(Rect::new(20.0, 20.0, 60.0, 60.0), RED);
    list.push(DisplayItem::PopTransform);
    let image = render(&list);
    assert_px(&image, 50, 50, RED_PX, 0);
    let column_height = |x: u32| (0..100).filter(|y| px(&image, x, *y)[1] < 128).count();
    let (left, right) = (column_height(30), column_height(70));
    assert!(left > right + 4, "left {left} right {right}");
}

fn crate_identity() -> [f32; 16] {
    cirrus_render::display_list::IDENTITY_MATRIX
}

#[test]
fn nan_matrix_is_the_identity() {
    let mut list = DisplayList::new();
    list.push(DisplayItem::PushTransform {
        matrix: [f32::NAN; 16],
    });
    list.fill_rect(Rect::new(10.0, 10.0, 10.0, 10.0), RED);
    list.push(DisplayItem::PopTransform);
    let image = render(&list);
    assert_px(&image, 15, 15, RED_PX, 0);
}

// ------------------------------------------------------------ images

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

fn image_item(rect: Rect, key: u64, src: Rect, tile: Option<ImageTiling>) -> DisplayItem {
    DisplayItem::Image {
        rect,
        key: ImageKey(key),
        src,
        radii: SQUARE_CORNERS,
        tile,
        opacity: 1.0,
    }
}

#[test]
fn image_is_scaled_and_sub_rect_selects() {
    {
        let mut guard = shared();
        guard
            .renderer
            .register_image(ImageKey(7), &quadrant_image());
        assert!(guard.renderer.has_image(ImageKey(7)));
    }
    let mut list = DisplayList::new();
    list.push(image_item(
        Rect::new(0.0, 0.0, 40.0, 40.0),
        7,
        Rect::new(0.0, 0.0, 4.0, 4.0),
        None,
    ));
    list.push(image_item(
        Rect::new(50.0, 50.0, 40.0, 40.0),
        7,
        Rect::new(2.0, 2.0, 2.0, 2.0),
        None,
    ));
    // An unknown key draws nothing.
    list.push(image_item(
        Rect::new(50.0, 0.0, 40.0, 40.0),
        999,
        Rect::new(0.0, 0.0, 4.0, 4.0),
        None,
    ));
    let image = render(&list);
    assert_px(&image, 5, 5, RED_PX, 2);
    assert_px(&image, 35, 5, BLUE_PX, 2);
    assert_px(&image, 35, 35, GREEN_PX, 2);
    assert_px(&image, 55, 55, GREEN_PX, 2);
    assert_px(&image, 85, 85, GREEN_PX, 2);
    assert_px(&image, 70, 20, WHITE_PX, 0);
}

#[test]
fn tiled_image_repeats_from_its_origin() {
    {
        let mut guard = shared();
        guard
            .renderer
            .register_image(ImageKey(8), &quadrant_image());
    }
    let mut list = DisplayList::new();
    list.push(image_item(
        Rect::new(0.0, 0.0, 100.0, 40.0),
        8,
        Rect::new(0.0, 0.0, 4.0, 4.0),
        Some(ImageTiling {
            size: (20.0, 20.0),
            origin: (10.0, 0.0),
        }),
    ));
    let image = render(&list);
    // Tiles start at x = 10, 30, 50...: red left halves, blue right ones.
    for x0 in [10u32, 30, 50, 70] {
        assert_px(&image, x0 + 4, 5, RED_PX, 3);
        assert_px(&image, x0 + 15, 5, BLUE_PX, 3);
        assert_px(&image, x0 + 15, 15, GREEN_PX, 3);
    }
    // Left of the origin the grid continues: 0..10 is a right half.
    assert_px(&image, 5, 5, BLUE_PX, 3);
    assert_px(&image, 50, 45, WHITE_PX, 0);
}

#[test]
fn image_opacity_radii_and_unregister() {
    {
        let mut guard = shared();
        guard
            .renderer
            .register_image(ImageKey(9), &quadrant_image());
    }
    let mut list = DisplayList::new();
    list.push(DisplayItem::Image {
        rect: Rect::new(0.0, 0.0, 100.0, 100.0),
        key: ImageKey(9),
        src: Rect::new(0.0, 0.0, 2.0, 2.0),
        radii: Corners::all((30.0, 30.0)),
        tile: None,
        opacity: 0.5,
    });
    let image = render(&list);
    assert_px(&image, 50, 50, [255, 128, 128, 255], 2);
    assert_px(&image, 2, 2, WHITE_PX, 0);
    let mut guard = shared();
    assert!(guard.renderer.unregister_image(ImageKey(9)));
    assert!(!guard.renderer.has_image(ImageKey(9)));
    assert!(!guard.renderer.unregister_image(ImageKey(9)));
}

#[test]
fn downscaled_stripes_average_instead_of_aliasing() {
    // 1 px black/white stripes shown at 1/8 size: a mip level averages
    // them to grey; point sampling would give black or white.
    let stripes = image::RgbaImage::from_fn(512, 512, |x, _| {
        if x % 2 == 0 {
            image::Rgba([0, 0, 0, 255])
        } else {
            image::Rgba([255, 255, 255, 255])
        }
    });
    {
        let mut guard = shared();
        guard.renderer.register_image(ImageKey(10), &stripes);
    }
    let mut list = DisplayList::new();
    list.push(image_item(
        Rect::new(0.0, 0.0, 64.0, 64.0),
        10,
        Rect::new(0.0, 0.0, 512.0, 512.0),
        None,
    ));
    let image = render(&list);
    for x in [10, 11, 30, 31] {
        let v = px(&image, x, 30)[0];
        assert!((100..160).contains(&v), "x {x}: {v}");
    }
}

// ------------------------------------------------------------ text

/// Glyphs of `text` at `size` px with the baseline of the first line at
/// (x, y); `None` when no font at all is installed.
fn shape(
    fonts: &mut FontSystem,
    text: &str,
    size: f32,
    x: f32,
    y: f32,
) -> Option<Vec<GlyphInstance>> {
    if fonts.db().faces().next().is_none() {
        eprintln!("no system font at all: skipping glyph assertions");
        return None;
    }
    let mut buffer = Buffer::new(fonts, Metrics::new(size, size * 1.25));
    buffer.set_size(fonts, Some(1000.0), Some(size * 4.0));
    buffer.set_text(fonts, text, &Attrs::new(), Shaping::Advanced);
    buffer.shape_until_scroll(fonts, false);
    let mut glyphs = Vec::new();
    // One line: glyph positions are relative to its baseline.
    for run in buffer.layout_runs().take(1) {
        for glyph in run.glyphs {
            let p = glyph.physical((x, y), 1.0);
            glyphs.push(GlyphInstance {
                key: p.cache_key,
                x: p.x,
                y: p.y,
            });
        }
    }
    Some(glyphs)
}

#[test]
fn glyph_run_puts_ink_on_the_baseline() {
    let mut guard = shared();
    let Shared { renderer, fonts } = &mut *guard;
    let Some(glyphs) = shape(fonts, "Hx", 40.0, 10.0, 60.0) else {
        return;
    };
    assert!(!glyphs.is_empty(), "shaping produced no glyphs");
    let mut list = DisplayList::new();
    list.push(DisplayItem::Glyphs {
        glyphs,
        color: BLUE,
    });
    let image = match renderer.render_to_image(&list, fonts, W, H, Color::WHITE) {
        Ok(i) => i,
        Err(e) => panic!("{e}"),
    };
    let inked = |x0: u32, x1: u32, y0: u32, y1: u32| {
        (y0..y1)
            .flat_map(|y| (x0..x1).map(move |x| (x, y)))
            .filter(|&(x, y)| image.get_pixel(x, y).0[0] < 100)
            .count()
    };
    // Capital H: ink from the baseline (y 60) up about 0.7 em (28 px).
    assert!(inked(10, 40, 35, 60) > 100, "no ink above the baseline");
    assert!(inked(0, 100, 62, 100) == 0, "ink below the baseline");
    assert!(inked(0, 100, 0, 25) == 0, "ink far above the cap height");
    // Ink is in the run's colour (blue, antialiased towards white).
    let blue = image
        .pixels()
        .filter(|p| p.0[2] > 200 && p.0[0] < 60)
        .count();
    assert!(blue > 50, "{blue} blue pixels");
    let first = renderer.last_frame_stats();
    assert!(first.glyph_atlas_misses >= 1);
    let _ = renderer.render_to_image(&list, fonts, W, H, Color::WHITE);
    assert_eq!(renderer.last_frame_stats().glyph_atlas_misses, 0);
}

#[test]
fn glyph_cache_stays_within_its_budget() {
    let mut fonts = load_fonts();
    let mut renderer = CpuRenderer::with_glyph_cache_bytes(64 * 1024);
    let mut total_glyphs = 0;
    for (i, text) in ["abcdefghij", "klmnopqrst", "uvwxyzABCD", "EFGHIJKLMN"]
        .iter()
        .enumerate()
    {
        let Some(glyphs) = shape(&mut fonts, text, 60.0 + i as f32, 0.0, 80.0) else {
            return;
        };
        total_glyphs += glyphs.len();
        let mut list = DisplayList::new();
        list.push(DisplayItem::Glyphs {
            glyphs,
            color: Color::BLACK,
        });
        if let Err(e) = renderer.render_to_image(&list, &mut fonts, 200, 100, Color::WHITE) {
            panic!("{e}");
        }
        let (_, bytes) = renderer.glyph_cache_usage();
        // Over budget only by what this frame itself uses.
        assert!(bytes <= 64 * 1024 + 10 * 64 * 80 * 4, "{bytes} bytes");
    }
    let (entries, _) = renderer.glyph_cache_usage();
    assert!(entries < total_glyphs, "{entries} of {total_glyphs} kept");
}

// ------------------------------------------------------------ lines

fn line(from: (f32, f32), to: (f32, f32), width: f32, style: TextDecorationStyle) -> DisplayItem {
    DisplayItem::Line {
        from,
        to,
        width,
        color: Color::BLACK,
        style,
    }
}

#[test]
fn solid_and_double_lines() {
    let mut list = DisplayList::new();
    list.push(line(
        (10.0, 20.0),
        (90.0, 20.0),
        2.0,
        TextDecorationStyle::Solid,
    ));
    list.push(line(
        (10.0, 60.0),
        (90.0, 60.0),
        2.0,
        TextDecorationStyle::Double,
    ));
    let image = render(&list);
    assert_px(&image, 50, 19, [0, 0, 0, 255], 0);
    assert_px(&image, 50, 20, [0, 0, 0, 255], 0);
    assert_px(&image, 50, 22, WHITE_PX, 0);
    assert_px(&image, 9, 20, WHITE_PX, 0);
    // Double: two 2 px lines, 2 px apart, around y = 60.
    assert_px(&image, 50, 57, [0, 0, 0, 255], 0);
    assert_px(&image, 50, 60, WHITE_PX, 0);
    assert_px(&image, 50, 61, [0, 0, 0, 255], 0);
}

#[test]
fn dashed_and_dotted_lines_have_gaps() {
    let mut list = DisplayList::new();
    list.push(line(
        (0.0, 20.0),
        (100.0, 20.0),
        2.0,
        TextDecorationStyle::Dashed,
    ));
    list.push(line(
        (0.0, 60.0),
        (100.0, 60.0),
        2.0,
        TextDecorationStyle::Dotted,
    ));
    let image = render(&list);
    for y in [20, 60] {
        let row: Vec<bool> = (0..100).map(|x| px(&image, x, y)[0] < 128).collect();
        let dark = row.iter().filter(|d| **d).count();
        let transitions = row.windows(2).filter(|w| w[0] != w[1]).count();
        assert!(dark > 25 && dark < 80, "y {y}: dark {dark}");
        assert!(transitions >= 10, "y {y}: transitions {transitions}");
    }
}

#[test]
fn wavy_line_moves_up_and_down() {
    let mut list = DisplayList::new();
    list.push(line(
        (0.0, 50.0),
        (100.0, 50.0),
        2.0,
        TextDecorationStyle::Wavy,
    ));
    let image = render(&list);
    let centre_of_ink = |x: u32| {
        let ys: Vec<u32> = (0..100).filter(|y| px(&image, x, *y)[0] < 128).collect();
        ys.iter().sum::<u32>() as f32 / ys.len().max(1) as f32
    };
    // Amplitude 3 px, wavelength 12 px: crest and trough a quarter apart.
    let samples: Vec<f32> = (0..12).map(|x| centre_of_ink(24 + x)).collect();
    let (lo, hi) = samples
        .iter()
        .fold((f32::MAX, f32::MIN), |(lo, hi), v| (lo.min(*v), hi.max(*v)));
    assert!(hi - lo > 3.5, "{samples:?}");
    assert!((40.0..60.0).contains(&lo), "{samples:?}");
}

// ------------------------------------------------------------ robustness

#[test]
fn odd_input_does_not_panic() {
    let mut list = DisplayList::new();
    list.fill_rect(Rect::new(f32::NAN, 0.0, 10.0, 10.0), RED);
    list.fill_rect(Rect::new(0.0, 0.0, -10.0, 10.0), RED);
    list.fill_rect(Rect::new(-1e30, -1e30, 2e30, 2e30), Color { a: 0.1, ..RED });
    list.push(rect_item(
        Rect::new(-1e9, -1e9, 2e9, 2e9),
        Color { a: 0.1, ..BLUE },
        Corners::all((1e9, 1e9)),
    ));
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
    let mut huge = crate_identity();
    huge[0] = 1e20;
    huge[5] = -1e20;
    huge[3] = 1e-3;
    list.push(DisplayItem::PushTransform { matrix: huge });
    list.push(DisplayItem::PushClip {
        rect: Rect::new(0.0, 0.0, 10.0, 10.0),
        radii: Corners::all((3.0, 3.0)),
    });
    list.push(border(
        Rect::new(0.0, 0.0, 10.0, 10.0),
        Sides::all(f32::INFINITY),
        Sides::all(RED),
        Sides::all(BorderStyle::Dotted),
        SQUARE_CORNERS,
    ));
    list.push(DisplayItem::PopClip);
    list.push(DisplayItem::PopTransform);
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
    list.push(DisplayItem::PopClip);
    list.push(DisplayItem::RadialGradient {
        rect: Rect::new(0.0, 0.0, 50.0, 50.0),
        radii: SQUARE_CORNERS,
        center: (f32::NAN, 0.0),
        radius: (0.0, -5.0),
        stops: vec![(f32::NAN, RED), (-3.0, BLUE), (f32::INFINITY, GREEN)],
        repeating: true,
    });
    list.push(DisplayItem::BoxShadow {
        rect: Rect::new(0.0, 0.0, 1e30, 10.0),
        radii: Corners::all((f32::NAN, 3.0)),
        offset: (f32::INFINITY, 0.0),
        blur: 1e30,
        spread: -1e30,
        color: RED,
        inset: true,
    });
    list.push(line(
        (0.0, 0.0),
        (1e30, 1e30),
        1e30,
        TextDecorationStyle::Wavy,
    ));
    list.push(line(
        (5.0, 5.0),
        (5.0, 5.0),
        2.0,
        TextDecorationStyle::Dotted,
    ));
    list.push(DisplayItem::PushLayer {
        opacity: f32::NAN,
        filter: Some(Filter::Blur(f32::INFINITY)),
    });
    list.push(DisplayItem::PushLayer {
        opacity: 0.7,
        filter: Some(Filter::Blur(1e9)),
    });
    list.fill_rect(Rect::new(0.0, 0.0, 10.0, 10.0), RED);
    list.push(DisplayItem::Image {
        rect: Rect::new(0.0, 0.0, 1e30, 1e30),
        key: ImageKey(424242),
        src: Rect::new(f32::NAN, 0.0, 1.0, 1.0),
        radii: SQUARE_CORNERS,
        tile: Some(ImageTiling {
            size: (0.0, f32::NAN),
            origin: (1e30, 0.0),
        }),
        opacity: f32::INFINITY,
    });
    // Everything behind the eye (w = -1): the clip lets nothing through.
    let mut behind = crate_identity();
    behind[15] = -1.0;
    list.push(DisplayItem::PushTransform { matrix: behind });
    list.push(DisplayItem::PushClip {
        rect: Rect::new(0.0, 0.0, 50.0, 50.0),
        radii: Corners::all((5.0, 5.0)),
    });
    list.push(DisplayItem::PopTransform);
    list.fill_rect(Rect::new(0.0, 0.0, 100.0, 100.0), GREEN);
    list.push(DisplayItem::PopClip);
    // Layers and clips left open: closed at the end.
    list.push(DisplayItem::PushLayer {
        opacity: 0.5,
        filter: None,
    });
    list.push(DisplayItem::PushClip {
        rect: Rect::new(0.0, 0.0, 10.0, 10.0),
        radii: SQUARE_CORNERS,
    });
    let image = render(&list);
    assert!(
        image.pixels().all(|p| p.0 != GREEN_PX),
        "the clip behind the eye let green through"
    );
    let mut guard = shared();
    let Shared { renderer, fonts } = &mut *guard;
    let empty = renderer.render_to_image(&DisplayList::new(), fonts, 0, 0, Color::WHITE);
    assert!(matches!(empty, Ok(ref i) if i.width() == 0));
    let huge = renderer.render_to_image(&DisplayList::new(), fonts, 1_000_000, 10, Color::WHITE);
    assert!(
        matches!(huge, Err(RenderError::TargetTooLarge { .. })),
        "{huge:?}"
    );
}

/// Deterministic pseudo-random numbers for the fuzz test.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }

    /// Mostly ordinary coordinates, sometimes extreme or not finite.
    fn value(&mut self) -> f32 {
        match self.next() % 16 {
            0 => f32::NAN,
            1 => f32::INFINITY,
            2 => -1e30,
            3 => 1e9,
            4 => 0.0,
            5 => -3.5,
            _ => (self.next() % 2000) as f32 / 10.0 - 50.0,
        }
    }

    fn rect(&mut self) -> Rect {
        Rect::new(self.value(), self.value(), self.value(), self.value())
    }

    fn color(&mut self) -> Color {
        Color {
            r: self.value() / 100.0,
            g: 0.5,
            b: 0.2,
            a: (self.next() % 5) as f32 / 4.0,
        }
    }

    fn radii(&mut self) -> Corners<(f32, f32)> {
        Corners {
            top_left: (self.value(), self.value()),
            top_right: (self.value(), self.value()),
            bottom_right: (self.value(), self.value()),
            bottom_left: (self.value(), self.value()),
        }
    }

    fn matrix(&mut self) -> [f32; 16] {
        let mut m = crate_identity();
        for i in [0, 1, 3, 4, 5, 7, 12, 13, 15] {
            if self.next().is_multiple_of(3) {
                m[i] = self.value() / 50.0;
            }
        }
        m
    }
}

/// 400 random lists of 24 items; `CIRRUS_FUZZ_SEED` and
/// `CIRRUS_FUZZ_ROUNDS` explore further.
#[test]
fn random_display_lists_do_not_panic() {
    let env = |name: &str, default: u64| {
        std::env::var(name)
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(default)
    };
    let mut rng = Lcg(env("CIRRUS_FUZZ_SEED", 0x5eed));
    {
        let mut guard = shared();
        guard
            .renderer
            .register_image(ImageKey(31), &quadrant_image());
    }
    let styles = [
        BorderStyle::None,
        BorderStyle::Solid,
        BorderStyle::Dashed,
        BorderStyle::Dotted,
    ];
    let decorations = [
        TextDecorationStyle::Solid,
        TextDecorationStyle::Double,
        TextDecorationStyle::Dotted,
        TextDecorationStyle::Dashed,
        TextDecorationStyle::Wavy,
    ];
    for _ in 0..env("CIRRUS_FUZZ_ROUNDS", 400) {
        let mut list = DisplayList::new();
        for _ in 0..24 {
            let item = match rng.next() % 14 {
                0 => DisplayItem::PushClip {
                    rect: rng.rect(),
                    radii: rng.radii(),
                },
                1 => DisplayItem::PopClip,
                2 => DisplayItem::PushTransform {
                    matrix: rng.matrix(),
                },
                3 => DisplayItem::PopTransform,
                4 => DisplayItem::PushLayer {
                    opacity: rng.value() / 50.0,
                    filter: match rng.next() % 4 {
                        0 => None,
                        1 => Some(Filter::Blur(rng.value() / 10.0)),
                        2 => Some(Filter::HueRotate(rng.value())),
                        _ => Some(Filter::Contrast(rng.value() / 20.0)),
                    },
                },
                5 => DisplayItem::PopLayer,
                6 => rect_item(rng.rect(), rng.color(), rng.radii()),
                7 => border(
                    rng.rect(),
                    Sides::all(rng.value() / 10.0),
                    Sides::all(rng.color()),
                    Sides {
                        top: styles[(rng.next() % 4) as usize],
                        right: styles[(rng.next() % 4) as usize],
                        bottom: styles[(rng.next() % 4) as usize],
                        left: styles[(rng.next() % 4) as usize],
                    },
                    rng.radii(),
                ),
                8 => DisplayItem::BoxShadow {
                    rect: rng.rect(),
                    radii: rng.radii(),
                    offset: (rng.value(), rng.value()),
                    blur: rng.value() / 5.0,
                    spread: rng.value() / 5.0,
                    color: rng.color(),
                    inset: rng.next().is_multiple_of(2),
                },
                9 => DisplayItem::LinearGradient {
                    rect: rng.rect(),
                    radii: rng.radii(),
                    start: (rng.value(), rng.value()),
                    end: (rng.value(), rng.value()),
                    stops: (0..rng.next() % 4)
                        .map(|_| (rng.value() / 50.0, rng.color()))
                        .collect(),
                    repeating: rng.next().is_multiple_of(2),
                },
                10 => DisplayItem::RadialGradient {
                    rect: rng.rect(),
                    radii: rng.radii(),
                    center: (rng.value(), rng.value()),
                    radius: (rng.value(), rng.value()),
                    stops: (0..rng.next() % 4)
                        .map(|_| (rng.value() / 50.0, rng.color()))
                        .collect(),
                    repeating: rng.next().is_multiple_of(2),
                },
                11 => DisplayItem::Image {
                    rect: rng.rect(),
                    key: ImageKey(31),
                    src: rng.rect(),
                    radii: rng.radii(),
                    tile: (rng.next().is_multiple_of(2)).then(|| ImageTiling {
                        size: (rng.value(), rng.value()),
                        origin: (rng.value(), rng.value()),
                    }),
                    opacity: rng.value() / 50.0,
                },
                12 => DisplayItem::Line {
                    from: (rng.value(), rng.value()),
                    to: (rng.value(), rng.value()),
                    width: rng.value() / 10.0,
                    color: rng.color(),
                    style: decorations[(rng.next() % 5) as usize],
                },
                _ => DisplayItem::PopLayer,
            };
            list.push(item);
        }
        let mut guard = shared();
        let Shared { renderer, fonts } = &mut *guard;
        if let Err(e) = renderer.render_to_image(&list, fonts, 64, 48, Color::WHITE) {
            panic!("{e} on {list:?}");
        }
    }
}

#[test]
fn unbalanced_pops_are_ignored_and_pushes_closed() {
    let mut list = DisplayList::new();
    list.push(DisplayItem::PopLayer);
    list.push(DisplayItem::PopClip);
    list.push(DisplayItem::PushLayer {
        opacity: 0.5,
        filter: None,
    });
    list.fill_rect(Rect::new(0.0, 0.0, 50.0, 50.0), Color::BLACK);
    list.fill_rect(Rect::new(25.0, 25.0, 50.0, 50.0), Color::BLACK);
    // Clip pushed inside the layer and popped after it: allowed.
    list.push(DisplayItem::PushClip {
        rect: Rect::new(0.0, 0.0, 100.0, 30.0),
        radii: SQUARE_CORNERS,
    });
    list.push(DisplayItem::PopLayer);
    list.fill_rect(Rect::new(60.0, 0.0, 40.0, 100.0), RED);
    list.push(DisplayItem::PopClip);
    // Never closed.
    list.push(DisplayItem::PushLayer {
        opacity: 0.5,
        filter: Some(Filter::Sepia(1.0)),
    });
    list.fill_rect(Rect::new(0.0, 90.0, 10.0, 10.0), BLUE);
    let image = render(&list);
    assert_px(&image, 10, 10, [128, 128, 128, 255], 2);
    assert_px(&image, 30, 30, [128, 128, 128, 255], 2);
    // The red rect was clipped by the clip still open after the layer.
    assert_px(&image, 80, 10, RED_PX, 0);
    assert_px(&image, 80, 50, WHITE_PX, 0);
    // The unclosed filtered layer was still drawn.
    assert!(px(&image, 5, 95) != WHITE_PX);
}

#[test]
fn transparent_clear_reads_back_straight_alpha() {
    let mut list = DisplayList::new();
    list.fill_rect(Rect::new(0.0, 0.0, 10.0, 10.0), Color { a: 0.5, ..RED });
    let (image, _) = render_with_stats(&list, 20, 20, Color::TRANSPARENT);
    assert_px(&image, 5, 5, [255, 0, 0, 128], 2);
    assert_px(&image, 15, 15, [0, 0, 0, 0], 0);
}

#[test]
fn stats_count_items_and_fills() {
    let mut list = DisplayList::new();
    for i in 0..10 {
        list.fill_rect(Rect::new(i as f32 * 10.0, 0.0, 5.0, 5.0), RED);
    }
    list.fill_rect(Rect::new(500.0, 500.0, 5.0, 5.0), RED);
    let (_, stats) = render_with_stats(&list, W, H, Color::WHITE);
    assert_eq!(stats.items, 11);
    // The rect outside the target is culled.
    assert_eq!(stats.draw_calls, 10);
    assert_eq!(stats.passes, 1);
}

// ------------------------------------------------------------ both backends

/// Scenes that exercise every item kind, for the backend comparison.
fn comparison_scenes(fonts: &mut FontSystem) -> Vec<(&'static str, DisplayList)> {
    let mut scenes = Vec::new();

    let mut shapes = DisplayList::new();
    shapes.fill_rect(
        Rect::new(10.0, 10.0, 180.0, 60.0),
        Color::rgba8(240, 200, 40, 1.0),
    );
    shapes.push(rect_item(
        Rect::new(20.0, 80.0, 160.0, 100.0),
        Color::rgba8(30, 120, 220, 0.8),
        Corners::all((24.0, 16.0)),
    ));
    shapes.push(border(
        Rect::new(20.0, 80.0, 160.0, 100.0),
        Sides::all(3.0),
        Sides::all(Color::rgba8(10, 10, 10, 1.0)),
        Sides::all(BorderStyle::Solid),
        Corners::all((24.0, 16.0)),
    ));
    shapes.push(border(
        Rect::new(30.0, 20.0, 140.0, 40.0),
        Sides {
            top: 2.0,
            right: 6.0,
            bottom: 4.0,
            left: 1.0,
        },
        Sides {
            top: RED,
            right: GREEN,
            bottom: BLUE,
            left: Color::BLACK,
        },
        Sides {
            top: BorderStyle::Dashed,
            right: BorderStyle::Solid,
            bottom: BorderStyle::Dotted,
            left: BorderStyle::Solid,
        },
        Corners::all((8.0, 8.0)),
    ));
    scenes.push(("shapes", shapes));

    let mut shadows = DisplayList::new();
    shadows.push(DisplayItem::BoxShadow {
        rect: Rect::new(40.0, 40.0, 120.0, 80.0),
        radii: Corners::all((12.0, 12.0)),
        offset: (4.0, 8.0),
        blur: 16.0,
        spread: 2.0,
        color: Color::rgba8(0, 0, 0, 0.5),
        inset: false,
    });
    shadows.push(rect_item(
        Rect::new(40.0, 40.0, 120.0, 80.0),
        Color::WHITE,
        Corners::all((12.0, 12.0)),
    ));
    shadows.push(DisplayItem::BoxShadow {
        rect: Rect::new(40.0, 140.0, 120.0, 50.0),
        radii: SQUARE_CORNERS,
        offset: (0.0, 0.0),
        blur: 10.0,
        spread: 0.0,
        color: Color::rgba8(200, 0, 0, 0.8),
        inset: true,
    });
    scenes.push(("shadows", shadows));

    let mut gradients = DisplayList::new();
    gradients.push(DisplayItem::LinearGradient {
        rect: Rect::new(0.0, 0.0, 200.0, 90.0),
        radii: Corners::all((20.0, 20.0)),
        start: (0.0, 0.0),
        end: (200.0, 90.0),
        stops: vec![
            (0.0, Color::rgba8(255, 200, 0, 1.0)),
            (0.4, Color::rgba8(255, 60, 120, 0.6)),
            (1.0, Color::rgba8(40, 60, 255, 1.0)),
        ],
        repeating: false,
    });
    gradients.push(DisplayItem::RadialGradient {
        rect: Rect::new(0.0, 100.0, 200.0, 100.0),
        radii: SQUARE_CORNERS,
        center: (100.0, 150.0),
        radius: (80.0, 40.0),
        stops: vec![(0.0, Color::WHITE), (0.5, GREEN), (1.0, Color::TRANSPARENT)],
        repeating: false,
    });
    gradients.push(DisplayItem::LinearGradient {
        rect: Rect::new(120.0, 110.0, 70.0, 80.0),
        radii: SQUARE_CORNERS,
        start: (120.0, 110.0),
        end: (120.0, 190.0),
        stops: vec![(0.0, RED), (0.25, BLUE)],
        repeating: true,
    });
    scenes.push(("gradients", gradients));

    let mut layers = DisplayList::new();
    layers.push(DisplayItem::PushClip {
        rect: Rect::new(10.0, 10.0, 180.0, 180.0),
        radii: Corners::all((40.0, 40.0)),
    });
    layers.fill_rect(
        Rect::new(0.0, 0.0, 200.0, 200.0),
        Color::rgba8(220, 220, 240, 1.0),
    );
    layers.push(DisplayItem::PushLayer {
        opacity: 0.6,
        filter: None,
    });
    layers.fill_rect(Rect::new(30.0, 30.0, 80.0, 80.0), RED);
    layers.fill_rect(Rect::new(70.0, 70.0, 80.0, 80.0), BLUE);
    layers.push(DisplayItem::PopLayer);
    layers.push(DisplayItem::PushLayer {
        opacity: 1.0,
        filter: Some(Filter::Grayscale(1.0)),
    });
    layers.fill_rect(Rect::new(120.0, 20.0, 60.0, 40.0), GREEN);
    layers.push(DisplayItem::PopLayer);
    layers.push(DisplayItem::PushTransform {
        matrix: around((60.0, 160.0), &rotation(0.4)),
    });
    layers.push(rect_item(
        Rect::new(30.0, 145.0, 60.0, 30.0),
        Color::rgba8(255, 140, 0, 1.0),
        Corners::all((6.0, 6.0)),
    ));
    layers.push(DisplayItem::PopTransform);
    layers.push(DisplayItem::PopClip);
    scenes.push(("layers", layers));

    let mut media = DisplayList::new();
    media.push(DisplayItem::Image {
        rect: Rect::new(10.0, 10.0, 80.0, 80.0),
        key: ImageKey(77),
        src: Rect::new(0.0, 0.0, 4.0, 4.0),
        radii: Corners::all((10.0, 10.0)),
        tile: None,
        opacity: 1.0,
    });
    media.push(image_item(
        Rect::new(100.0, 10.0, 90.0, 80.0),
        77,
        Rect::new(0.0, 0.0, 4.0, 4.0),
        Some(ImageTiling {
            size: (30.0, 30.0),
            origin: (100.0, 10.0),
        }),
    ));
    media.push(line(
        (10.0, 110.0),
        (190.0, 110.0),
        2.0,
        TextDecorationStyle::Solid,
    ));
    media.push(line(
        (10.0, 125.0),
        (190.0, 125.0),
        2.0,
        TextDecorationStyle::Dashed,
    ));
    media.push(line(
        (10.0, 140.0),
        (190.0, 140.0),
        4.0,
        TextDecorationStyle::Dotted,
    ));
    media.push(line(
        (10.0, 160.0),
        (190.0, 160.0),
        2.0,
        TextDecorationStyle::Wavy,
    ));
    if let Some(glyphs) = shape(fonts, "Cirrus 42", 28.0, 12.0, 192.0) {
        media.push(DisplayItem::Glyphs {
            glyphs,
            color: Color::rgba8(20, 20, 20, 1.0),
        });
    }
    scenes.push(("media", media));
    scenes
}

/// Share of pixels whose channels differ by more than `tolerance`.
fn differing_share(a: &image::RgbaImage, b: &image::RgbaImage, tolerance: u8) -> f64 {
    let differing = a
        .pixels()
        .zip(b.pixels())
        .filter(|(p, q)| !near(p.0, q.0, tolerance))
        .count();
    differing as f64 / (a.width() * a.height()) as f64
}

/// Antialiasing differs between the backends (vello's area coverage vs.
/// the shader's one-pixel ramp) and so does 8-bit rounding: a few pixels
/// along edges may differ by more than the tolerance, nothing else.
const CHANNEL_TOLERANCE: u8 = 12;
const MAX_DIFFERING_SHARE: f64 = 0.02;

#[test]
fn both_backends_draw_the_same_pictures() {
    let mut gpu = match Renderer::new_headless() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("skipping the backend comparison: no GPU adapter at all ({e})");
            return;
        }
    };
    eprintln!("comparing with {:?}", gpu.adapter_label());
    let mut fonts = load_fonts();
    let mut cpu = CpuRenderer::new();
    gpu.register_image(ImageKey(77), &quadrant_image());
    cpu.register_image(ImageKey(77), &quadrant_image());
    let dump = std::env::var_os("CIRRUS_RENDER_DUMP").map(std::path::PathBuf::from);
    let scenes = comparison_scenes(&mut fonts);
    let mut renders = Vec::new();
    for (name, list) in &scenes {
        let on_gpu = match gpu.render_to_image(list, &mut fonts, 200, 200, Color::WHITE) {
            Ok(i) => i,
            Err(e) => panic!("{name} on the GPU: {e}"),
        };
        let on_cpu = match cpu.render_to_image(list, &mut fonts, 200, 200, Color::WHITE) {
            Ok(i) => i,
            Err(e) => panic!("{name} on the CPU: {e}"),
        };
        if let Some(dir) = &dump {
            let _ = on_gpu.save(dir.join(format!("{name}-gpu.png")));
            let _ = on_cpu.save(dir.join(format!("{name}-cpu.png")));
        }
        let share = differing_share(&on_gpu, &on_cpu, CHANNEL_TOLERANCE);
        eprintln!("{name}: {:.2}% of pixels differ", share * 100.0);
        assert!(
            share <= MAX_DIFFERING_SHARE,
            "{name}: {:.2}% of pixels differ by more than {CHANNEL_TOLERANCE}",
            share * 100.0
        );
        renders.push((on_gpu, on_cpu));
    }
    // The measure can fail: different scenes are far apart by it.
    for i in 0..renders.len() {
        let other = (i + 1) % renders.len();
        let share = differing_share(&renders[i].0, &renders[other].1, CHANNEL_TOLERANCE);
        assert!(
            share > MAX_DIFFERING_SHARE * 5.0,
            "scenes {i} and {other}: {share}"
        );
    }
}

#[test]
fn rasterizer_cpu_choice_renders() {
    let Ok(mut rasterizer) = Rasterizer::new_headless(RendererChoice::Cpu) else {
        panic!("the CPU backend needs no adapter")
    };
    assert!(rasterizer.is_cpu());
    rasterizer.register_image(ImageKey(1), &quadrant_image());
    assert!(rasterizer.has_image(ImageKey(1)));
    let mut list = DisplayList::new();
    list.push(image_item(
        Rect::new(0.0, 0.0, 10.0, 10.0),
        1,
        Rect::new(0.0, 0.0, 4.0, 4.0),
        None,
    ));
    let mut fonts = FontSystem::new_with_locale_and_db("en-US".into(), fontdb::Database::new());
    let image = match rasterizer.render_to_image(&list, &mut fonts, 10, 10, Color::WHITE) {
        Ok(i) => i,
        Err(e) => panic!("{e}"),
    };
    assert_px(&image, 1, 1, RED_PX, 2);
    assert_eq!(rasterizer.last_frame_stats().items, 1);
    assert!(rasterizer.unregister_image(ImageKey(1)));
}

#[test]
fn auto_choice_prefers_hardware_only() {
    let Ok(rasterizer) = Rasterizer::new_headless(RendererChoice::Auto) else {
        panic!("auto never fails for want of an adapter")
    };
    eprintln!("auto chose {}", rasterizer.label());
    // Software adapters never win: auto is the CPU backend or real hardware.
    assert!(
        rasterizer.is_cpu() || !rasterizer.is_software(),
        "{}",
        rasterizer.label()
    );
}
