//! The chrome the engine draws around pages, driven through a `Stage`
//! without threads: the navigation bar and the tab bar are painted at their
//! rectangles, the page is laid out and painted below them, and taps on
//! them become routing requests.

use cirrus_engine::layout::style::Color;
use cirrus_engine::layout::Viewport;
use cirrus_engine::ops::{NodeId, Op, OpBatch, PageId};
use cirrus_engine::package::Package;
use cirrus_engine::protocol::{NavigationBarUpdate, RouteRequest, ToLogic, ToRender};
use cirrus_engine::render::{DisplayItem, DisplayList, Rect};
use cirrus_engine::stage::Stage;
use serde_json::json;

const DPR: f32 = 2.0;
const RED: Color = Color {
    r: 1.0,
    g: 0.0,
    b: 0.0,
    a: 1.0,
};

/// A stage for a package with `app_json` and pages `pages/a/a`,
/// `pages/b/b`, `pages/c/c` (each page's json from `page_json`).
fn stage(app_json: &str, page_json: &str) -> Stage {
    let mut files = vec![
        ("app.json".to_owned(), app_json.to_owned()),
        ("app.js".to_owned(), "App({})".to_owned()),
    ];
    for name in ["a", "b", "c"] {
        let base = format!("pages/{name}/{name}");
        files.push((format!("{base}.js"), "Page({})".into()));
        files.push((format!("{base}.wxml"), "<view/>".into()));
        files.push((
            format!("{base}.wxss"),
            ".box { height: 100px; background-color: #0000ff; }".into(),
        ));
        files.push((format!("{base}.json"), page_json.to_owned()));
    }
    let (package, diagnostics) = Package::from_files(files);
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    Stage::new(package, Viewport::new(375.0, 667.0, DPR))
}

const APP: &str = r##"{"pages":["pages/a/a","pages/b/b","pages/c/c"],
  "window":{"navigationBarTitleText":"Hello","navigationBarBackgroundColor":"#ff0000",
            "navigationBarTextStyle":"white"}}"##;

const TABS: &str = r##"{"pages":["pages/a/a","pages/b/b","pages/c/c"],
  "window":{"navigationBarTitleText":"Tabs","navigationBarBackgroundColor":"#ffffff",
            "navigationBarTextStyle":"black"},
  "tabBar":{"color":"#00ff00","selectedColor":"#ff0000","backgroundColor":"#0000ff",
            "borderStyle":"white",
            "list":[{"pagePath":"pages/a/a","text":"Home"},{"pagePath":"pages/b/b","text":"Me"}]}}"##;

/// Pushes `page` at `route` with one `.box` view.
fn push(stage: &mut Stage, page: u32, route: &str) {
    let page = PageId(page);
    stage.handle(ToRender::PushPage {
        page,
        route: route.into(),
    });
    stage.handle(ToRender::Ops(OpBatch {
        page,
        ops: vec![
            Op::CreateElement {
                id: NodeId(1),
                tag: "view".into(),
            },
            Op::SetAttribute {
                id: NodeId(1),
                name: "class".into(),
                value: json!("box"),
            },
            Op::Insert {
                parent: NodeId::ROOT,
                child: NodeId(1),
                before: None,
            },
        ],
    }));
    stage.handle(ToRender::PageReady { page });
}

fn frame(stage: &mut Stage) -> DisplayList {
    stage.update();
    let mut list = DisplayList::new();
    stage.paint(&mut list);
    list
}

fn device(x: f32, y: f32, width: f32, height: f32) -> Rect {
    Rect::new(x * DPR, y * DPR, width * DPR, height * DPR)
}

/// The filled rectangles of the list, in order.
fn rects(list: &DisplayList) -> Vec<(Rect, Color)> {
    list.iter()
        .filter_map(|item| match item {
            DisplayItem::Rect { rect, color, .. } => Some((*rect, *color)),
            _ => None,
        })
        .collect()
}

/// The glyphs drawn in `color` whose origin lies inside `area`.
fn glyphs_in(list: &DisplayList, area: Rect, color: Color) -> usize {
    list.iter()
        .filter_map(|item| match item {
            DisplayItem::Glyphs { glyphs, color: c } if *c == color => Some(glyphs),
            _ => None,
        })
        .flatten()
        .filter(|g| {
            let (x, y) = (g.x as f32, g.y as f32);
            x >= area.x && x < area.right() && y >= area.y && y < area.bottom()
        })
        .count()
}

/// A stroke: from, to, colour.
type Stroke = ((f32, f32), (f32, f32), Color);

fn lines(list: &DisplayList) -> Vec<Stroke> {
    list.iter()
        .filter_map(|item| match item {
            DisplayItem::Line {
                from, to, color, ..
            } => Some((*from, *to, *color)),
            _ => None,
        })
        .collect()
}

/// The routing request of a chrome tap (`ToLogic` is not `PartialEq`).
fn route_of(message: Option<ToLogic>) -> Option<RouteRequest> {
    match message {
        Some(ToLogic::Route(request)) => Some(request),
        Some(other) => panic!("not a route request: {other:?}"),
        None => None,
    }
}

fn root_box(stage: &mut Stage) -> (f64, f64, f64, f64) {
    let layout = stage.layout_json();
    let root = &layout["root"];
    let f = |k: &str| root[k].as_f64().unwrap_or(f64::NAN);
    (f("x"), f("y"), f("width"), f("height"))
}

#[test]
fn the_navigation_bar_is_painted_from_the_window_settings_and_the_page_below_it() {
    let mut stage = stage(APP, "{}");
    push(&mut stage, 1, "pages/a/a");
    let list = frame(&mut stage);
    let rects = rects(&list);
    // The page's box, 44 px down, then the bar over it.
    assert_eq!(
        rects[0],
        (
            device(0.0, 44.0, 375.0, 100.0),
            Color::rgba8(0, 0, 255, 1.0)
        )
    );
    assert_eq!(rects[1], (device(0.0, 0.0, 375.0, 44.0), RED));
    assert_eq!(rects.len(), 2, "{rects:?}");
    assert_eq!(
        glyphs_in(&list, device(0.0, 0.0, 375.0, 44.0), Color::WHITE),
        5
    );
    assert!(lines(&list).is_empty(), "no back button on the only page");
    // Page coordinates stay relative to the page; the page sees 667 - 44.
    assert_eq!(root_box(&mut stage), (0.0, 0.0, 375.0, 623.0));
    assert_eq!(stage.page_area(), Rect::new(0.0, 44.0, 375.0, 623.0));
    // The page is clipped to its area.
    assert_eq!(
        list.items[0],
        DisplayItem::PushClip {
            rect: device(0.0, 44.0, 375.0, 623.0),
            radii: cirrus_engine::render::display_list::SQUARE_CORNERS,
        }
    );
}

#[test]
fn a_second_page_gets_a_back_button_that_navigates_back() {
    let mut stage = stage(APP, r##"{"navigationBarTitleText":"Detail"}"##);
    push(&mut stage, 1, "pages/a/a");
    push(&mut stage, 2, "pages/b/b");
    let list = frame(&mut stage);
    assert_eq!(
        glyphs_in(&list, device(0.0, 0.0, 375.0, 44.0), Color::WHITE),
        6
    );
    let arrow = lines(&list);
    assert_eq!(arrow.len(), 2, "two strokes of a chevron: {arrow:?}");
    for (from, to, color) in arrow {
        assert_eq!(color, Color::WHITE);
        assert_eq!(from, (16.0 * DPR, 22.0 * DPR), "the tip");
        assert!(to.0 > from.0 && to.1 >= 0.0 && to.1 <= 44.0 * DPR);
    }
    assert_eq!(
        route_of(stage.chrome_tap(10.0, 20.0)),
        Some(RouteRequest::NavigateBack { delta: 1 })
    );
    assert!(!stage.is_settled(), "waits for the logic thread's answer");
    // The title is not a button, and the page is not chrome.
    assert_eq!(route_of(stage.chrome_tap(187.0, 20.0)), None);
    assert!(stage.on_chrome(187.0, 20.0));
    assert!(!stage.on_chrome(187.0, 300.0));
    // Popping the top page shows the first one again, without its button.
    stage.handle(ToRender::PopPages {
        pages: vec![PageId(2)],
    });
    let list = frame(&mut stage);
    assert!(lines(&list).is_empty());
    // (Every page of this package is titled "Detail".)
    assert_eq!(
        glyphs_in(&list, device(0.0, 0.0, 375.0, 44.0), Color::WHITE),
        6
    );
}

#[test]
fn navigation_style_custom_draws_no_bar_and_the_page_fills_the_window() {
    let mut stage = stage(APP, r#"{"navigationStyle":"custom"}"#);
    push(&mut stage, 1, "pages/a/a");
    push(&mut stage, 2, "pages/b/b");
    let list = frame(&mut stage);
    assert_eq!(
        rects(&list),
        [(device(0.0, 0.0, 375.0, 100.0), Color::rgba8(0, 0, 255, 1.0))]
    );
    assert!(lines(&list).is_empty());
    assert!(!list.iter().any(|i| matches!(i, DisplayItem::Glyphs { .. })));
    assert_eq!(root_box(&mut stage), (0.0, 0.0, 375.0, 667.0));
    assert_eq!(route_of(stage.chrome_tap(10.0, 20.0)), None);
}

#[test]
fn set_navigation_bar_changes_title_and_colours_live() {
    let mut stage = stage(APP, "{}");
    push(&mut stage, 1, "pages/a/a");
    stage.handle(ToRender::SetNavigationBar {
        page: PageId(1),
        update: NavigationBarUpdate {
            title: Some("Changed!".into()),
            front_color: Some("#000000".into()),
            background_color: Some("#00ff00".into()),
        },
    });
    let list = frame(&mut stage);
    let bar = device(0.0, 0.0, 375.0, 44.0);
    assert_eq!(rects(&list)[1], (bar, Color::rgba8(0, 255, 0, 1.0)));
    assert_eq!(glyphs_in(&list, bar, Color::BLACK), 8);
    assert_eq!(glyphs_in(&list, bar, Color::WHITE), 0);
    // A title-only update keeps the colours.
    stage.handle(ToRender::SetNavigationBar {
        page: PageId(1),
        update: NavigationBarUpdate {
            title: Some("Hi".into()),
            ..Default::default()
        },
    });
    let list = frame(&mut stage);
    assert_eq!(glyphs_in(&list, bar, Color::BLACK), 2);
}

#[test]
fn the_tab_bar_is_painted_on_tab_pages_with_the_current_item_selected() {
    let mut stage = stage(TABS, "{}");
    push(&mut stage, 1, "pages/a/a");
    let list = frame(&mut stage);
    let rects = rects(&list);
    let blue = Color::rgba8(0, 0, 255, 1.0);
    assert_eq!(
        rects[0],
        (device(0.0, 44.0, 375.0, 100.0), blue),
        "the page"
    );
    assert_eq!(
        rects[1],
        (device(0.0, 0.0, 375.0, 44.0), Color::WHITE),
        "nav bar"
    );
    assert_eq!(rects[2], (device(0.0, 616.0, 375.0, 51.0), blue), "tab bar");
    assert_eq!(
        rects[3],
        (device(0.0, 616.0, 375.0, 1.0), Color::WHITE),
        "border"
    );
    let item_a = device(0.0, 617.0, 187.5, 50.0);
    let item_b = device(187.5, 617.0, 187.5, 50.0);
    assert_eq!(glyphs_in(&list, item_a, RED), 4, "Home, selected");
    assert_eq!(
        glyphs_in(&list, item_b, Color::rgba8(0, 255, 0, 1.0)),
        2,
        "Me"
    );
    assert_eq!(root_box(&mut stage), (0.0, 0.0, 375.0, 572.0));
    assert_eq!(
        route_of(stage.chrome_tap(300.0, 640.0)),
        Some(RouteRequest::TabItemTap { index: 1 })
    );
    assert_eq!(
        route_of(stage.chrome_tap(20.0, 660.0)),
        Some(RouteRequest::TabItemTap { index: 0 })
    );
    // A page that is not in the list has no tab bar.
    push(&mut stage, 2, "pages/c/c");
    let list = frame(&mut stage);
    assert_eq!(self::rects(&list).len(), 2, "page box and nav bar only");
    assert_eq!(root_box(&mut stage), (0.0, 0.0, 375.0, 623.0));
    assert_eq!(route_of(stage.chrome_tap(300.0, 640.0)), None);
}

#[test]
fn switch_tab_hides_tab_pages_with_their_trees_and_shows_them_again() {
    let mut stage = stage(TABS, "{}");
    push(&mut stage, 1, "pages/a/a");
    stage.handle(ToRender::HideTabPages {
        pages: vec![PageId(1)],
    });
    push(&mut stage, 2, "pages/b/b");
    assert_eq!(stage.top_page().map(|p| p.id), Some(PageId(2)));
    assert_eq!(stage.pages().len(), 1);
    let list = frame(&mut stage);
    let selected = device(187.5, 617.0, 187.5, 50.0);
    assert_eq!(glyphs_in(&list, selected, RED), 2, "Me is selected now");
    // A hidden page still takes op batches.
    stage.handle(ToRender::Ops(OpBatch {
        page: PageId(1),
        ops: vec![Op::SetAttribute {
            id: NodeId(1),
            name: "id".into(),
            value: json!("changed"),
        }],
    }));
    assert!(stage.errors().is_empty() && stage.diagnostics().is_empty());
    stage.handle(ToRender::HideTabPages {
        pages: vec![PageId(2)],
    });
    stage.handle(ToRender::ShowTabPage { page: PageId(1) });
    assert_eq!(stage.top_page().map(|p| p.id), Some(PageId(1)));
    assert_eq!(
        stage
            .hidden_tab_pages()
            .iter()
            .map(|p| p.id)
            .collect::<Vec<_>>(),
        [PageId(2)]
    );
    stage.update();
    let layout = stage.layout_json();
    assert_eq!(layout["root"]["children"][0]["id"], "changed");
    assert_eq!(layout["root"]["children"][0]["y"], 0.0);
    // reLaunch pops hidden pages as well.
    stage.handle(ToRender::PopPages {
        pages: vec![PageId(1), PageId(2)],
    });
    assert!(stage.pages().is_empty() && stage.hidden_tab_pages().is_empty());
}
