//! Component style isolation and virtual nodes (<https://developers.weixin.qq.com/miniprogram/dev/reference/api/Component.html>), driven
//! with hand-built op batches carrying the attributes cirrus-template emits:
//! `wx:scope` on a component's elements, `wx:host-of` /
//! `wx:style-isolation` / `wx:add-global-class` / `wx:external-classes` on
//! its host, `wx:virtual` on slots and virtualHost hosts.

mod common;

use cirrus_engine::layout::style::Color;
use cirrus_engine::layout::Viewport;
use cirrus_engine::ops::{NodeId, Op};
use cirrus_engine::package::Package;
use cirrus_engine::protocol::ToRender;
use cirrus_engine::stage::Stage;
use common::{batch, PAGE};
use serde_json::{json, Value};

const CARD: &str = "components/card/card";

/// A page at 375x667 with `app.wxss`, the page's wxss and the card
/// component's wxss.
fn stage_with(app_wxss: &str, page_wxss: &str, card_wxss: &str) -> Stage {
    let files = [
        ("app.json", r#"{"pages":["pages/index/index"]}"#.to_owned()),
        ("app.js", "App({})".to_owned()),
        ("app.wxss", app_wxss.to_owned()),
        ("pages/index/index.js", "Page({})".to_owned()),
        (
            "pages/index/index.json",
            r#"{"usingComponents":{"card":"/components/card/card"}}"#.to_owned(),
        ),
        ("pages/index/index.wxml", "<card/>".to_owned()),
        ("pages/index/index.wxss", page_wxss.to_owned()),
        (
            "components/card/card.json",
            r#"{"component":true}"#.to_owned(),
        ),
        ("components/card/card.js", "Component({})".to_owned()),
        ("components/card/card.wxml", "<view/>".to_owned()),
        ("components/card/card.wxss", card_wxss.to_owned()),
    ];
    let (package, diags) = Package::from_files(files.into_iter().map(|(a, b)| (a.to_string(), b)));
    assert!(
        diags.iter().all(|d| !d.is_error()),
        "package diagnostics: {diags:?}"
    );
    let mut stage = Stage::new(package, Viewport::new(375.0, 667.0, 1.0));
    stage.handle(ToRender::PushPage {
        page: PAGE,
        route: "pages/index/index".into(),
    });
    stage
}

/// Ops creating element `id` (tag `tag`, classes `class`) under `parent`
/// with extra attributes.
fn element(id: u32, parent: u32, tag: &str, class: &str, attrs: &[(&str, Value)]) -> Vec<Op> {
    let mut all: Vec<(&str, Value)> = Vec::new();
    if !class.is_empty() {
        all.push(("class", json!(class)));
    }
    all.extend(attrs.iter().cloned());
    common::element(id, parent, tag, &all)
}

/// The page: a page-owned `.title` (1), the card's host (2, with
/// `host_attrs`) and inside it the card's own `.title` (3).
fn page_with_card(stage: &mut Stage, host_attrs: &[(&str, Value)], inner_class: &str) {
    let mut ops = element(1, 0, "view", "title", &[]);
    let mut host = vec![("wx:host-of", json!(CARD))];
    host.extend(host_attrs.iter().cloned());
    ops.extend(element(2, 0, "card", "card-host", &host));
    ops.extend(element(
        3,
        2,
        "view",
        inner_class,
        &[("wx:scope", json!(CARD))],
    ));
    stage.handle(batch(ops));
    stage.update();
}

fn color_of(stage: &Stage, id: u32) -> Color {
    stage
        .top_page()
        .expect("a page")
        .tree
        .get(NodeId(id))
        .expect("node")
        .style
        .color
}

fn height_of(stage: &Stage, id: u32) -> f32 {
    stage
        .top_page()
        .expect("a page")
        .tree
        .get(NodeId(id))
        .expect("node")
        .layout
        .layout()
        .size
        .height
}

fn red() -> Color {
    Color::rgba8(255, 0, 0, 1.0)
}
fn blue() -> Color {
    Color::rgba8(0, 0, 255, 1.0)
}
fn green() -> Color {
    Color::rgba8(0, 128, 0, 1.0)
}
fn black() -> Color {
    Color::rgba8(0, 0, 0, 1.0)
}

#[test]
fn isolated_component_and_page_do_not_style_each_other() {
    let mut stage = stage_with(
        ".app-only { height: 7px }",
        ".title { color: red }",
        ".title { color: blue }",
    );
    page_with_card(&mut stage, &[], "title");
    assert_eq!(color_of(&stage, 1), red(), "the page's .title");
    assert_eq!(color_of(&stage, 3), blue(), "the card's .title");
    assert!(stage.errors().is_empty(), "{:?}", stage.errors());
}

#[test]
fn isolated_component_ignores_app_wxss_too() {
    let mut stage = stage_with(".title { color: green }", "", "");
    page_with_card(&mut stage, &[], "title");
    assert_eq!(color_of(&stage, 1), green(), "app.wxss styles the page");
    assert_eq!(
        color_of(&stage, 3),
        black(),
        "app.wxss must not reach an isolated component (v2.32.3)"
    );
}

#[test]
fn inherited_properties_still_flow_into_an_isolated_component() {
    let mut stage = stage_with("", ".card-host { color: red }", "");
    page_with_card(&mut stage, &[], "inner");
    assert_eq!(
        color_of(&stage, 3),
        red(),
        "color inherits through the host"
    );
}

#[test]
fn apply_shared_lets_page_styles_in_but_not_out() {
    let mut stage = stage_with(
        ".box { height: 11px }",
        ".title { color: red } .only-page { height: 5px }",
        ".title { color: blue } .own { height: 3px }",
    );
    page_with_card(
        &mut stage,
        &[("wx:style-isolation", json!("apply-shared"))],
        "only-page box",
    );
    // Page and app rules reach the component's element...
    assert_eq!(
        height_of(&stage, 3),
        5.0,
        "page .only-page applies (later than app)"
    );
    assert_eq!(
        color_of(&stage, 1),
        red(),
        "the component's .title does not leak out"
    );
    // ...and the component's own rules still win at equal specificity.
    let mut stage = stage_with("", ".title { color: red }", ".title { color: blue }");
    page_with_card(
        &mut stage,
        &[("wx:style-isolation", json!("apply-shared"))],
        "title",
    );
    assert_eq!(color_of(&stage, 3), blue());
    assert_eq!(color_of(&stage, 1), red());
}

#[test]
fn shared_styles_go_both_ways() {
    let mut stage = stage_with(
        "",
        ".from-page { color: red }",
        ".from-card { color: blue }",
    );
    let mut ops = element(1, 0, "view", "from-card", &[]);
    ops.extend(element(
        2,
        0,
        "card",
        "",
        &[
            ("wx:host-of", json!(CARD)),
            ("wx:style-isolation", json!("shared")),
        ],
    ));
    ops.extend(element(
        3,
        2,
        "view",
        "from-page",
        &[("wx:scope", json!(CARD))],
    ));
    stage.handle(batch(ops));
    stage.update();
    assert_eq!(
        color_of(&stage, 1),
        blue(),
        "the card's sheet styles the page"
    );
    assert_eq!(
        color_of(&stage, 3),
        red(),
        "the page's sheet styles the card"
    );
}

#[test]
fn add_global_class_applies_app_wxss_only() {
    let mut stage = stage_with(".global { color: green }", ".page-rule { height: 9px }", "");
    page_with_card(
        &mut stage,
        &[("wx:add-global-class", json!(true))],
        "global page-rule",
    );
    assert_eq!(
        color_of(&stage, 3),
        green(),
        "app.wxss reaches the component"
    );
    assert_eq!(height_of(&stage, 3), 0.0, "the page's wxss does not");
}

#[test]
fn host_selector_styles_the_host_element_only() {
    let mut stage = stage_with(
        "",
        "",
        ":host { height: 40px; color: blue } .title { height: 10px }",
    );
    page_with_card(&mut stage, &[], "title");
    assert_eq!(height_of(&stage, 2), 40.0, ":host sizes the host");
    assert_eq!(color_of(&stage, 2), blue());
    assert_eq!(
        height_of(&stage, 3),
        10.0,
        "the inner element keeps its own rule"
    );
    assert_eq!(color_of(&stage, 3), blue(), "and inherits from the host");
    assert_eq!(
        height_of(&stage, 1),
        0.0,
        ":host does not match page elements"
    );
}

#[test]
fn external_classes_let_the_parent_style_an_inner_element() {
    let mut stage = stage_with(
        "",
        ".red-text { color: red } .title { height: 50px }",
        ".my-class { height: 2px }",
    );
    page_with_card(
        &mut stage,
        &[(
            "wx:external-classes",
            json!({ "my-class": "red-text" }).to_string().into(),
        )],
        "my-class",
    );
    assert_eq!(
        color_of(&stage, 3),
        red(),
        "the page's .red-text via my-class"
    );
    assert_eq!(
        height_of(&stage, 3),
        2.0,
        "the component's own .my-class still applies"
    );
    // The mapping may also arrive as a JSON object with a list of names.
    let mut stage = stage_with("", ".red-text { color: red }", "");
    page_with_card(
        &mut stage,
        &[("wx:external-classes", json!({ "my-class": ["red-text"] }))],
        "my-class",
    );
    assert_eq!(color_of(&stage, 3), red());
}

#[test]
fn tag_and_id_selectors_in_component_wxss_stay_inside_it() {
    let mut stage = stage_with("", "", "view { color: blue } #x { height: 4px }");
    page_with_card(&mut stage, &[], "inner");
    assert_eq!(
        color_of(&stage, 3),
        blue(),
        "tag selector styles the card's view"
    );
    assert_eq!(color_of(&stage, 1), black(), "but not the page's view");
    assert!(stage.errors().is_empty(), "{:?}", stage.errors());
}

#[test]
fn a_component_sheet_is_reported_with_its_file() {
    let mut stage = stage_with("", "", "@import \"./missing.wxss\";\n.a { color: red }");
    page_with_card(&mut stage, &[], "a");
    assert_eq!(color_of(&stage, 3), red());
    let problem = stage
        .diagnostics()
        .iter()
        .find(|d| d.message.contains("missing"))
        .expect("the missing import is reported");
    assert_eq!(problem.file, "components/card/card.wxss");
    assert_eq!(problem.line, 1);
}

/// The layout file's children of a node, as (class, x, y, width, height).
fn children_of(node: &Value) -> Vec<(String, f64, f64, f64, f64)> {
    node["children"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|c| {
            let f = |k: &str| c[k].as_f64().unwrap_or(f64::NAN);
            (
                c["class"].as_str().unwrap_or("").to_owned(),
                f("x"),
                f("y"),
                f("width"),
                f("height"),
            )
        })
        .collect()
}

#[test]
fn a_slots_children_are_laid_out_as_its_parents_children() {
    let mut stage = stage_with(
        "",
        ".row { flex-direction: row; height: 30px } .cell { width: 50px } .first { width: 20px }",
        "",
    );
    // row > [first, slot > [cell, cell]]: the slot has no box, its cells
    // are flex items of the row.
    let mut ops = element(1, 0, "view", "row", &[]);
    ops.extend(element(2, 1, "view", "first", &[]));
    ops.extend(element(3, 1, "slot", "", &[("wx:virtual", json!(true))]));
    ops.extend(element(4, 3, "view", "cell", &[]));
    ops.extend(element(5, 3, "view", "cell", &[]));
    stage.handle(batch(ops));
    stage.update();
    let layout = stage.layout_json();
    let row = &layout["root"]["children"][0];
    assert_eq!(
        children_of(row),
        vec![
            ("first".to_owned(), 0.0, 0.0, 20.0, 30.0),
            ("cell".to_owned(), 20.0, 0.0, 50.0, 30.0),
            ("cell".to_owned(), 70.0, 0.0, 50.0, 30.0),
        ],
        "the slot is skipped and its children listed in its place"
    );
    // Removing a slotted child re-flattens the row.
    stage.handle(batch(vec![Op::Remove { id: NodeId(4) }]));
    stage.update();
    let layout = stage.layout_json();
    assert_eq!(
        children_of(&layout["root"]["children"][0]),
        vec![
            ("first".to_owned(), 0.0, 0.0, 20.0, 30.0),
            ("cell".to_owned(), 20.0, 0.0, 50.0, 30.0),
        ]
    );
}

#[test]
fn styles_inherit_through_a_virtual_host() {
    let mut stage = stage_with("", ".host { color: red }", ".inner { height: 6px }");
    let mut ops = element(
        1,
        0,
        "card",
        "host",
        &[("wx:host-of", json!(CARD)), ("wx:virtual", json!(true))],
    );
    ops.extend(element(2, 1, "view", "inner", &[("wx:scope", json!(CARD))]));
    stage.handle(batch(ops));
    stage.update();
    assert_eq!(
        color_of(&stage, 2),
        red(),
        "inherits through the virtual host"
    );
    let layout = stage.layout_json();
    assert_eq!(
        children_of(&layout["root"]),
        vec![("inner".to_owned(), 0.0, 0.0, 375.0, 6.0)]
    );
}

#[test]
fn a_virtual_nodes_children_paint_where_they_were_laid_out() {
    use cirrus_engine::render::{DisplayItem, DisplayList};
    let mut stage = stage_with(
        "",
        ".pad { padding-top: 10px } .cell { height: 5px; background-color: #00ff00 }",
        "",
    );
    let mut ops = element(1, 0, "view", "pad", &[]);
    ops.extend(element(2, 1, "slot", "", &[("wx:virtual", json!(true))]));
    ops.extend(element(3, 2, "view", "cell", &[]));
    stage.handle(batch(ops));
    stage.update();
    let mut list = DisplayList::new();
    stage.paint(&mut list);
    let green: Vec<_> = list
        .iter()
        .filter_map(|item| match item {
            DisplayItem::Rect { rect, color, .. } if color.g > 0.9 && color.r < 0.1 => Some(*rect),
            _ => None,
        })
        .collect();
    assert_eq!(green.len(), 1, "{:?}", list.items);
    // The page starts below the navigation bar; dpr 1.
    let page_top = stage.page_area().y;
    assert_eq!(
        (green[0].x, green[0].y - page_top, green[0].height),
        (0.0, 10.0, 5.0),
        "laid out inside .pad's padding, not at the slot's (empty) box"
    );
}

#[test]
fn component_selectors_do_not_see_page_ancestors() {
    // `.container .title` in the card: the page's .container must not
    // count as the ancestor; the card's own .container does.
    let mut stage = stage_with("", "", ".container .title { color: blue }");
    let mut ops = element(1, 0, "view", "container", &[]);
    ops.extend(element(2, 1, "card", "", &[("wx:host-of", json!(CARD))]));
    ops.extend(element(3, 2, "view", "title", &[("wx:scope", json!(CARD))]));
    ops.extend(element(
        4,
        2,
        "view",
        "container",
        &[("wx:scope", json!(CARD))],
    ));
    ops.extend(element(5, 4, "view", "title", &[("wx:scope", json!(CARD))]));
    stage.handle(batch(ops));
    stage.update();
    assert_eq!(color_of(&stage, 3), black(), "page .container is invisible");
    assert_eq!(color_of(&stage, 5), blue(), "the card's own .container");
}
