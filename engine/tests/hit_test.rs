//! Hit testing (`Stage::hit_test`) and the error overlay, with hand-built
//! trees: the render thread's side of test-harness input.

mod common;

use cirrus_engine::layout::style::Color;
use cirrus_engine::layout::Viewport;
use cirrus_engine::ops::{NodeId, Op, OpBatch};
use cirrus_engine::paint::transform::apply;
use cirrus_engine::protocol::ToRender;
use cirrus_engine::render::display_list::{multiply_matrices, IDENTITY_MATRIX};
use cirrus_engine::render::{DisplayItem, DisplayList, Rect};
use cirrus_engine::stage::Stage;
use cirrus_engine::Diagnostic;
use common::{view, PAGE};
use serde_json::json;

fn staged(wxss: &str, tree: &[(u32, u32, &str)]) -> Stage {
    let mut stage = stage_with(wxss);
    let ops = tree
        .iter()
        .flat_map(|(id, parent, class)| view(*id, *parent, class))
        .collect();
    stage.handle(ToRender::Ops(OpBatch { page: PAGE, ops }));
    stage.update();
    stage
}

#[test]
fn the_deepest_box_under_the_point_wins() {
    let mut stage = staged(
        ".outer { height: 100px; padding: 10px } .inner { height: 20px }",
        &[(1, 0, "outer"), (2, 1, "inner")],
    );
    assert_eq!(stage.hit_test(15.0, 15.0), Some(NodeId(2)), "inside .inner");
    assert_eq!(
        stage.hit_test(5.0, 5.0),
        Some(NodeId(1)),
        "in .outer's padding"
    );
    assert_eq!(stage.hit_test(15.0, 50.0), Some(NodeId(1)), "below .inner");
    assert_eq!(
        stage.hit_test(15.0, 300.0),
        Some(NodeId(0)),
        "the page itself"
    );
    assert_eq!(stage.hit_test(-1.0, 5.0), None, "outside the page");
}

#[test]
fn later_siblings_and_higher_z_index_are_on_top() {
    let wxss = ".a, .b { position: absolute; left: 0; top: 0; width: 50px; height: 50px }";
    let mut stage = staged(wxss, &[(1, 0, "a"), (2, 0, "b")]);
    assert_eq!(
        stage.hit_test(10.0, 10.0),
        Some(NodeId(2)),
        "later sibling on top"
    );
    let mut stage = staged(
        &format!("{wxss} .a {{ z-index: 2 }}"),
        &[(1, 0, "a"), (2, 0, "b")],
    );
    assert_eq!(
        stage.hit_test(10.0, 10.0),
        Some(NodeId(1)),
        "z-index 2 on top"
    );
}

#[test]
fn pointer_events_none_visibility_hidden_and_display_none_are_skipped() {
    let base = ".under { height: 50px } .over { position: absolute; left: 0; top: 0; width: 50px; height: 50px }";
    for (rule, what) in [
        (".over { pointer-events: none }", "pointer-events: none"),
        (".over { visibility: hidden }", "visibility: hidden"),
        (".over { display: none }", "display: none"),
    ] {
        let mut stage = staged(
            &format!("{base} {rule}"),
            &[(1, 0, "under"), (2, 0, "over")],
        );
        assert_eq!(stage.hit_test(10.0, 10.0), Some(NodeId(1)), "{what}");
    }
    // A child that turns pointer events back on is a target again.
    let mut stage = staged(
        &format!("{base} .over {{ pointer-events: none }} .child {{ height: 10px; pointer-events: auto }}"),
        &[(1, 0, "under"), (2, 0, "over"), (3, 2, "child")],
    );
    assert_eq!(stage.hit_test(10.0, 5.0), Some(NodeId(3)));
    assert_eq!(stage.hit_test(10.0, 20.0), Some(NodeId(1)));
}

#[test]
fn overflow_hidden_clips_what_can_be_hit() {
    let mut stage = staged(
        ".clip { height: 20px; overflow: hidden } .tall { height: 100px; width: 30px }",
        &[(1, 0, "clip"), (2, 1, "tall")],
    );
    assert_eq!(stage.hit_test(10.0, 10.0), Some(NodeId(2)));
    assert_eq!(
        stage.hit_test(10.0, 50.0),
        Some(NodeId(0)),
        "the clipped part of .tall is not hit"
    );
}

#[test]
fn fixed_boxes_are_hit_where_they_are_painted() {
    let mut stage = staged(
        ".spacer { height: 300px } .bar { position: fixed; left: 0; top: 500px; width: 375px; height: 40px }",
        &[(1, 0, "spacer"), (2, 1, "bar")],
    );
    assert_eq!(stage.hit_test(100.0, 520.0), Some(NodeId(2)));
    assert_eq!(stage.hit_test(100.0, 100.0), Some(NodeId(1)));
}

/// The overlay's panel: a translucent red rect spanning the viewport width.
fn overlay_panel(list: &DisplayList) -> Option<cirrus_engine::render::Rect> {
    list.iter().find_map(|item| match item {
        DisplayItem::Rect { rect, color, .. }
            if color.r > 0.6 && color.g < 0.2 && color.b < 0.2 && rect.width == 750.0 =>
        {
            Some(*rect)
        }
        _ => None,
    })
}

#[test]
fn a_js_exception_shows_the_error_overlay_over_the_page() {
    let mut stage = staged(
        ".a { height: 10px; background-color: #0000ff }",
        &[(1, 0, "a")],
    );
    let mut list = DisplayList::new();
    stage.paint(&mut list);
    assert_eq!(overlay_panel(&list), None, "no overlay before an error");
    stage.handle(ToRender::Error(Diagnostic::error(
        "pages/index/index.js",
        3,
        11,
        "TypeError: cannot read property 'x' of undefined",
    )));
    stage.update();
    stage.paint(&mut list);
    let panel = overlay_panel(&list).expect("the overlay's red panel");
    // Full width, anchored to the bottom (device px, dpr 2), sized to the
    // header and the one entry: a few text lines, not the whole window.
    assert_eq!((panel.x, panel.width), (0.0, 750.0));
    assert_eq!(panel.y + panel.height, 1334.0);
    assert!(panel.height > 80.0 && panel.height < 300.0, "{panel:?}");
    let page_rect = list.iter().position(
        |i| matches!(i, DisplayItem::Rect { color, .. } if color.b > 0.9 && color.r < 0.1),
    );
    let panel_index = list
        .iter()
        .position(|i| matches!(i, DisplayItem::Rect { rect, .. } if *rect == panel));
    assert!(
        page_rect < panel_index,
        "the page still paints, under the overlay"
    );
    assert_eq!(stage.errors().len(), 1);
}

#[test]
fn a_slots_children_are_hit_and_stack_with_their_new_siblings() {
    let mut stage = stage_with(
        ".a, .b { position: absolute; left: 0; top: 0; width: 50px; height: 50px } .a { z-index: 1 }",
    );
    // page > [slot > a, b]: `a` (z-index 1, in the slot) is on top of `b`.
    let mut ops = vec![
        Op::CreateElement {
            id: NodeId(1),
            tag: "slot".into(),
        },
        Op::SetAttribute {
            id: NodeId(1),
            name: "wx:virtual".into(),
            value: json!(true),
        },
        Op::Insert {
            parent: NodeId(0),
            child: NodeId(1),
            before: None,
        },
    ];
    ops.extend(view(2, 1, "a"));
    ops.extend(view(3, 0, "b"));
    stage.handle(ToRender::Ops(OpBatch { page: PAGE, ops }));
    stage.update();
    assert_eq!(stage.hit_test(10.0, 10.0), Some(NodeId(2)));
    // A hidden slot hides what it holds.
    stage.handle(ToRender::Ops(OpBatch {
        page: PAGE,
        ops: vec![Op::SetAttribute {
            id: NodeId(1),
            name: "hidden".into(),
            value: json!(true),
        }],
    }));
    stage.update();
    assert_eq!(stage.hit_test(10.0, 10.0), Some(NodeId(3)));
}

#[test]
fn transformed_boxes_are_hit_where_they_are_drawn() {
    let mut stage = staged(
        ".moved { width: 50px; height: 50px; transform: translateX(100px) } .big { width: 20px; height: 20px; transform: scale(2); transform-origin: 0 0 }",
        &[(1, 0, "moved"), (2, 0, "big")],
    );
    assert_eq!(
        stage.hit_test(120.0, 10.0),
        Some(NodeId(1)),
        "drawn at x 100..150"
    );
    assert_eq!(
        stage.hit_test(10.0, 10.0),
        Some(NodeId(0)),
        "no longer at x 0..50"
    );
    // .big is laid out at y 50..70 and drawn at 50..90, x 0..40.
    assert_eq!(stage.hit_test(35.0, 85.0), Some(NodeId(2)));
}

/// The harness stage with the default navigation bar over the page.
fn stage_with(wxss: &str) -> Stage {
    common::stage_for(
        r#"{"pages":["pages/index/index"]}"#,
        wxss,
        Viewport::new(375.0, 667.0, 2.0),
    )
}

// Paint and hit testing agree: the hit regions are recorded by the painting
// walk, so each box is hit exactly where the display list draws it. The
// oracle below reads only the display list: the topmost `Rect` item whose
// quad (its rect through the transforms in force) and clips (the same)
// contain a point is what a finger there touches.

/// One background the display list draws: its colour, its rect and the
/// transform in force, its corners on screen (device px) and those of the
/// clips in force, innermost last.
struct Drawn {
    color: Color,
    rect: Rect,
    matrix: [f32; 16],
    quad: [(f32, f32); 4],
    clips: Vec<[(f32, f32); 4]>,
}

fn quad(m: &[f32; 16], r: &Rect) -> [(f32, f32); 4] {
    [
        (r.x, r.y),
        (r.right(), r.y),
        (r.right(), r.bottom()),
        (r.x, r.bottom()),
    ]
    .map(|p| apply(m, p))
}

/// Inside a convex quad, either winding (points on an edge are avoided).
fn in_quad(q: &[(f32, f32); 4], p: (f32, f32)) -> bool {
    let side = |a: (f32, f32), b: (f32, f32)| (b.0 - a.0) * (p.1 - a.1) - (b.1 - a.1) * (p.0 - a.0);
    let sides = [
        side(q[0], q[1]),
        side(q[1], q[2]),
        side(q[2], q[3]),
        side(q[3], q[0]),
    ];
    sides.iter().all(|&s| s > 0.0) || sides.iter().all(|&s| s < 0.0)
}

/// The `Rect` items of `list` with the transforms and clips in force.
fn drawn(list: &DisplayList) -> Vec<Drawn> {
    let mut transforms = vec![IDENTITY_MATRIX];
    let mut clips: Vec<[(f32, f32); 4]> = Vec::new();
    let mut out = Vec::new();
    for item in list.iter() {
        let current = *transforms.last().expect("the identity stays");
        match item {
            DisplayItem::PushTransform { matrix } => {
                transforms.push(multiply_matrices(&current, matrix))
            }
            DisplayItem::PopTransform => drop(transforms.pop()),
            DisplayItem::PushClip { rect, .. } => clips.push(quad(&current, rect)),
            DisplayItem::PopClip => drop(clips.pop()),
            DisplayItem::Rect { rect, color, .. } => out.push(Drawn {
                color: *color,
                rect: *rect,
                matrix: current,
                quad: quad(&current, rect),
                clips: clips.clone(),
            }),
            _ => {}
        }
    }
    out
}

/// The colour drawn on top at `p` (device px of the window).
fn drawn_at(drawn: &[Drawn], p: (f32, f32)) -> Option<Color> {
    drawn
        .iter()
        .rev()
        .find(|d| in_quad(&d.quad, p) && d.clips.iter().all(|c| in_quad(c, p)))
        .map(|d| d.color)
}

fn same_color(a: Color, b: Color) -> bool {
    (a.r - b.r).abs() < 0.02 && (a.g - b.g).abs() < 0.02 && (a.b - b.b).abs() < 0.02
}

/// The scene: every box has its own background colour (`COLORS[i]` is
/// node `i + 1`'s):
/// - 1 rotated, 2 scaled and over it by `z-index`, 3 under the page's
///   flow by a negative `z-index`;
/// - 4 a rotated `overflow: hidden` box whose child 5 reaches out of it;
/// - 6 a scroll-view scrolled by 45px holding 10..=15;
/// - 7 a rotated and scaled box holding 8, `position: fixed`, drawn
///   through 7's transform;
/// - 9 a rounded `overflow: hidden` box with 16 filling it.
const COLORS: [&str; 16] = [
    "#ff0000", "#00ff00", "#0000ff", "#ffff00", "#ff00ff", "#00ffff", "#808080", "#800000",
    "#008000", "#000080", "#808000", "#800080", "#008080", "#c0c0c0", "#400000", "#004000",
];

const SCENE: &str = "
.a { position: absolute; left: 20px; top: 20px; width: 80px; height: 60px; transform: rotate(30deg) }
.b { position: absolute; left: 60px; top: 40px; width: 80px; height: 60px; z-index: 2; transform: scale(1.5) }
.c { position: absolute; left: 150px; top: 10px; width: 50px; height: 50px; z-index: -1 }
.clip { position: absolute; left: 20px; top: 160px; width: 100px; height: 60px; overflow: hidden; transform: rotate(-10deg) }
.out { margin-left: 70px; margin-top: 10px; width: 100px; height: 40px }
.sv { position: absolute; left: 200px; top: 150px; width: 120px; height: 100px; border-top: 6px solid #000000 }
.item { height: 30px; flex-shrink: 0 }
.rot { position: absolute; left: 40px; top: 300px; width: 100px; height: 100px; transform: rotate(20deg) scale(0.8) }
.fixed { position: fixed; left: 200px; top: 320px; width: 60px; height: 40px }
.round { position: absolute; left: 220px; top: 20px; width: 100px; height: 100px; border-radius: 50px; overflow: hidden }
.fill { width: 100px; height: 100px }
";

fn color_rule(id: u32) -> String {
    format!(".n{id} {{ background-color: {} }}", COLORS[id as usize - 1])
}

fn scene() -> Stage {
    let rules: Vec<String> = (1..=16).map(color_rule).collect();
    let mut stage = stage_with(&format!("{SCENE} {}", rules.join(" ")));
    let node = |id: u32, parent: u32, class: &str| view(id, parent, &format!("{class} n{id}"));
    let mut ops = Vec::new();
    ops.extend(node(1, 0, "a"));
    ops.extend(node(2, 0, "b"));
    ops.extend(node(3, 0, "c"));
    ops.extend(node(4, 0, "clip"));
    ops.extend(node(5, 4, "out"));
    ops.extend(common::element(
        6,
        0,
        "scroll-view",
        &[
            ("class", json!("sv n6")),
            ("scroll-y", json!(true)),
            ("scroll-top", json!(45)),
        ],
    ));
    for (i, id) in (10..=15).enumerate() {
        let class = format!("item n{}", [10, 11, 12, 13, 14, 15][i]);
        ops.extend(view(id, 6, &class));
    }
    ops.extend(node(7, 0, "rot"));
    ops.extend(node(8, 7, "fixed"));
    ops.extend(node(9, 0, "round"));
    ops.extend(node(16, 9, "fill"));
    stage.handle(ToRender::Ops(OpBatch { page: PAGE, ops }));
    stage.update();
    stage
}

/// The node whose colour `color` is.
fn node_of(color: Color) -> NodeId {
    let index = COLORS
        .iter()
        .position(|hex| same_color(Color::from_hex(hex).expect("a colour"), color))
        .unwrap_or_else(|| panic!("an unknown colour {color:?}"));
    NodeId(index as u32 + 1)
}

/// Page CSS px -> device px of the window.
fn to_window(stage: &Stage, (x, y): (f32, f32)) -> (f32, f32) {
    let area = stage.page_area();
    let dpr = stage.viewport().dpr;
    ((x + area.x) * dpr, (y + area.y) * dpr)
}

#[test]
fn every_point_hits_the_box_drawn_on_top_of_it() {
    let mut stage = scene();
    let mut list = DisplayList::new();
    stage.paint(&mut list);
    let drawn = drawn(&list);
    let mut seen = std::collections::BTreeSet::new();
    let mut checked = 0;
    // A grid over the scene, at offsets that land on no edge.
    for i in 0..110 {
        for j in 0..140 {
            let p = (0.37 + 3.3 * i as f32, 0.61 + 3.1 * j as f32);
            let expected = drawn_at(&drawn, to_window(&stage, p))
                .map(node_of)
                .unwrap_or(NodeId::ROOT);
            // Node 16 fills the rounded box 9; the display list's clips
            // here are rectangles, so the corners are checked below.
            if expected == NodeId(16) {
                continue;
            }
            assert_eq!(stage.hit_test(p.0, p.1), Some(expected), "at {p:?}");
            seen.insert(expected.0);
            checked += 1;
        }
    }
    assert!(checked > 10_000);
    // Every box of the scene was hit somewhere (the fixed box through its
    // ancestor's transform, the scrolled items, the clipped child).
    for id in [0, 1, 2, 3, 4, 5, 6, 7, 8, 11, 12, 13, 14] {
        assert!(seen.contains(&id), "node {id} never hit: {seen:?}");
    }
    assert!(!seen.contains(&10), "item 10 is scrolled out of the clip");
    assert!(!seen.contains(&15), "item 15 is below the clip");
}

#[test]
fn hit_regions_are_the_rects_the_display_list_draws() {
    let mut stage = scene();
    let mut list = DisplayList::new();
    stage.paint(&mut list);
    let drawn = drawn(&list);
    let regions = stage.hit_regions().clone();
    for d in &drawn {
        let Some(node) = COLORS
            .iter()
            .position(|hex| same_color(Color::from_hex(hex).expect("a colour"), d.color))
        else {
            continue;
        };
        let node = NodeId(node as u32 + 1);
        let region = regions
            .regions()
            .iter()
            .find(|r| r.node == node)
            .unwrap_or_else(|| panic!("no region for {node:?}"));
        assert_eq!(region.rect, d.rect, "{node:?}: the painted rect");
        assert_eq!(
            regions.transform(region.transform).matrix,
            d.matrix,
            "{node:?}: the transform in force"
        );
        assert_eq!(
            regions.clip_chain(region.clip).count(),
            d.clips.len(),
            "{node:?}: the clips in force"
        );
    }
    // Regions follow painting order: 3 (z-index -1) first among the page's
    // children, 2 (z-index 2) last of them.
    let order: Vec<u32> = regions.regions().iter().map(|r| r.node.0).collect();
    let pos = |id: u32| order.iter().position(|&n| n == id).expect("a region");
    assert!(
        pos(3) < pos(1) && pos(1) < pos(4) && pos(9) < pos(2),
        "{order:?}"
    );
    // The walk without drawing (a hit test before any paint) records the
    // same regions.
    stage.handle(ToRender::Ops(OpBatch {
        page: PAGE,
        ops: vec![],
    }));
    stage.update();
    assert_eq!(stage.hit_regions(), &regions);
}

#[test]
fn the_scenes_boxes_are_hit_where_they_are_drawn() {
    let mut stage = scene();
    // 1 is rotated 30deg about its centre (60, 50): its centre is hit, its
    // layout box's top-left corner (rotated away) is the page.
    assert_eq!(stage.hit_test(35.0, 52.0), Some(NodeId(1)));
    assert_eq!(stage.hit_test(22.0, 22.0), Some(NodeId(0)));
    // 2 is scaled 1.5 about its centre (100, 70): drawn at 40..160 x
    // 25..115, over 1 by its z-index.
    assert_eq!(stage.hit_test(45.0, 30.0), Some(NodeId(2)));
    assert_eq!(stage.hit_test(155.0, 110.0), Some(NodeId(2)));
    assert_eq!(stage.hit_test(165.0, 110.0), Some(NodeId(0)));
    // 3 (z-index -1) is under 2 where they overlap, itself elsewhere.
    assert_eq!(stage.hit_test(155.0, 30.0), Some(NodeId(2)));
    assert_eq!(stage.hit_test(190.0, 30.0), Some(NodeId(3)));
    // 5 is laid out at x 90..190 in 4 (20..120, rotated -10deg about
    // (70, 190)): what sticks out of 4 is clipped away and not hit.
    assert_eq!(stage.hit_test(110.0, 185.0), Some(NodeId(5)));
    assert_eq!(stage.hit_test(140.0, 180.0), Some(NodeId(0)));
    // The scroll-view's content starts at y 156 (below its border), moved
    // up by 45: item 11 (30..60) is at 141..171, item 10 clipped away
    // above y 156, the border is the scroll-view's.
    assert_eq!(stage.hit_test(210.0, 160.0), Some(NodeId(11)));
    assert_eq!(stage.hit_test(210.0, 153.0), Some(NodeId(6)));
    assert_eq!(stage.hit_test(210.0, 246.0), Some(NodeId(14)));
    // 8 is fixed at (200, 320), then drawn through 7's transform (rotate
    // 20deg, scale 0.8 about 7's centre (90, 350)): hit where it is drawn.
    let m = {
        let mut list = DisplayList::new();
        stage.paint(&mut list);
        drawn(&list)
            .into_iter()
            .find(|d| node_of(d.color) == NodeId(8))
            .expect("8 is drawn")
    };
    let centre = apply(&m.matrix, to_window(&stage, (230.0, 340.0)));
    let area = stage.page_area();
    let (x, y) = (centre.0 / 2.0 - area.x, centre.1 / 2.0 - area.y);
    assert!((x - 230.0).abs() > 5.0, "7's transform moves it");
    assert_eq!(stage.hit_test(x, y), Some(NodeId(8)));
    assert_ne!(
        stage.hit_test(201.0, 321.0),
        Some(NodeId(8)),
        "not at its untransformed corner"
    );
}

#[test]
fn a_rounded_clip_cuts_its_corners_off_the_children() {
    let mut stage = scene();
    // 9 is a 100px circle at (220, 20) filled by 16: near its corner the
    // point is outside the circle, so 16 is not hit there, 9 itself is
    // (its own box is not clipped by its own overflow).
    assert_eq!(stage.hit_test(270.0, 70.0), Some(NodeId(16)));
    assert_eq!(stage.hit_test(223.0, 23.0), Some(NodeId(9)));
    assert_eq!(stage.hit_test(317.0, 117.0), Some(NodeId(9)));
    assert_eq!(stage.hit_test(240.0, 30.0), Some(NodeId(16)));
}

#[test]
fn hit_testing_before_a_paint_sees_the_page_as_it_is_now() {
    let mut stage = staged(
        ".m { width: 50px; height: 50px; transition: transform 1s linear } \
         .m.on { transform: translateX(100px) } .x { width: 50px; height: 50px }",
        &[(1, 0, "m")],
    );
    let mut list = DisplayList::new();
    stage.paint(&mut list);
    assert_eq!(stage.hit_test(10.0, 10.0), Some(NodeId(1)));
    // A class change, laid out but not painted: the hit test records again.
    stage.handle(ToRender::Ops(OpBatch {
        page: PAGE,
        ops: vec![Op::SetAttribute {
            id: NodeId(1),
            name: "class".into(),
            value: json!("m on"),
        }],
    }));
    stage.update();
    assert_eq!(stage.hit_test(10.0, 10.0), Some(NodeId(1)), "still at 0");
    // The transition moves it without a layout: at 500ms it is at x 50.
    stage.set_time(std::time::Duration::from_millis(500));
    let frame = stage.update();
    assert!(!frame.layout_ran);
    assert_eq!(stage.hit_test(10.0, 10.0), Some(NodeId(0)));
    assert_eq!(stage.hit_test(60.0, 10.0), Some(NodeId(1)));
    stage.set_time(std::time::Duration::from_millis(1000));
    stage.update();
    assert_eq!(stage.hit_test(60.0, 10.0), Some(NodeId(0)));
    assert_eq!(stage.hit_test(110.0, 10.0), Some(NodeId(1)));
    // New nodes, not yet painted, are hit after the update that lays
    // them out.
    stage.handle(ToRender::Ops(OpBatch {
        page: PAGE,
        ops: view(2, 0, "x"),
    }));
    stage.update();
    assert_eq!(stage.hit_test(10.0, 60.0), Some(NodeId(2)));
}

#[test]
fn a_generated_box_hits_its_owner() {
    let mut stage = staged(
        ".owner { width: 50px; height: 50px } \
         .owner::after { content: ''; position: absolute; left: 100px; top: 0; width: 30px; height: 30px }",
        &[(1, 0, "owner")],
    );
    assert_eq!(stage.hit_test(110.0, 10.0), Some(NodeId(1)));
    assert_eq!(stage.hit_test(80.0, 10.0), Some(NodeId(0)));
}
