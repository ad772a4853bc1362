//! The harness the engine's integration tests share: a one-page package
//! held in memory, driven through a [`Stage`] with hand-built op batches
//! (no threads, no logic thread).
#![allow(dead_code)]

use cirrus_engine::layout::Viewport;
use cirrus_engine::ops::{NodeId, Op, OpBatch, PageId};
use cirrus_engine::package::Package;
use cirrus_engine::protocol::ToRender;
use cirrus_engine::stage::Stage;
use serde_json::{json, Value};

/// The page every harness stage shows.
pub const PAGE: PageId = PageId(1);

/// app.json without a navigation bar: the page fills the window.
pub const NO_NAVIGATION_BAR: &str =
    r#"{"pages":["pages/index/index"],"window":{"navigationStyle":"custom"}}"#;

/// A stage whose package is `app_json` and a page `pages/index/index`
/// styled by `wxss`, with that page pushed (its tree is just the root).
pub fn stage_for(app_json: &str, wxss: &str, viewport: Viewport) -> Stage {
    let files = [
        ("app.json", app_json),
        ("app.js", "App({})"),
        ("pages/index/index.js", "Page({})"),
        ("pages/index/index.wxml", "<view/>"),
        ("pages/index/index.wxss", wxss),
    ];
    let (package, diags) =
        Package::from_files(files.iter().map(|(a, b)| (a.to_string(), b.to_string())));
    assert!(diags.is_empty(), "{diags:?}");
    let mut stage = Stage::new(package, viewport);
    stage.handle(ToRender::PushPage {
        page: PAGE,
        route: "pages/index/index".into(),
    });
    stage
}

/// [`stage_for`] without a navigation bar, in a `viewport`-sized window.
pub fn stage_sized(wxss: &str, viewport: Viewport) -> Stage {
    stage_for(NO_NAVIGATION_BAR, wxss, viewport)
}

/// [`stage_sized`] in a 375x667 window at device pixel ratio 2.
pub fn stage_with(wxss: &str) -> Stage {
    stage_sized(wxss, Viewport::new(375.0, 667.0, 2.0))
}

/// Ops creating element `id` (`tag`, with `attrs`) as the last child of
/// `parent`.
pub fn element(id: u32, parent: u32, tag: &str, attrs: &[(&str, Value)]) -> Vec<Op> {
    let mut ops = vec![Op::CreateElement {
        id: NodeId(id),
        tag: tag.into(),
    }];
    for (name, value) in attrs {
        ops.push(Op::SetAttribute {
            id: NodeId(id),
            name: (*name).into(),
            value: value.clone(),
        });
    }
    ops.push(Op::Insert {
        parent: NodeId(parent),
        child: NodeId(id),
        before: None,
    });
    ops
}

/// A `<view class="...">` as the last child of `parent`.
pub fn view(id: u32, parent: u32, class: &str) -> Vec<Op> {
    element(id, parent, "view", &[("class", json!(class))])
}

/// One op batch for [`PAGE`].
pub fn batch(ops: Vec<Op>) -> ToRender {
    ToRender::Ops(OpBatch { page: PAGE, ops })
}
