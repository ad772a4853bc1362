//! Huge strings are bounded before shaping: a 1,000,000-char toast, modal
//! or navigation bar title (cut by `cirrus_engine::ui::truncate`) and text
//! node (only its first `MAX_SHAPED_CHARS` chars are shaped) settle in
//! bounded time.

mod common;

use cirrus_engine::dialogs::{DialogCommand, Modal, Toast, ToastIcon};
use cirrus_engine::layout::text::MAX_SHAPED_CHARS;
use cirrus_engine::ops::{NodeId, Op};
use cirrus_engine::protocol::{NavigationBarUpdate, ToRender};
use cirrus_engine::render::DisplayList;
use cirrus_engine::stage::Stage;
use common::{batch, stage_for, stage_with, PAGE};
use std::time::{Duration, Instant};

const HUGE: usize = 1_000_000;

fn frame(stage: &mut Stage) -> Duration {
    let started = Instant::now();
    stage.update();
    let mut list = DisplayList::new();
    stage.paint(&mut list);
    started.elapsed()
}

#[test]
fn a_million_char_toast_modal_and_title_settle_within_a_second() {
    let huge = "字".repeat(HUGE);
    let viewport = cirrus_engine::layout::Viewport::new(375.0, 667.0, 2.0);
    let mut stage = stage_for(r#"{"pages":["pages/index/index"]}"#, "", viewport);
    frame(&mut stage);
    let started = Instant::now();
    stage.handle(ToRender::Dialog(DialogCommand::ShowToast(Toast {
        title: huge.clone(),
        icon: ToastIcon::None,
        duration: None,
        mask: false,
    })));
    stage.handle(ToRender::Dialog(DialogCommand::ShowModal(Modal {
        id: 1,
        title: huge.clone(),
        content: huge.clone(),
        show_cancel: true,
        cancel_text: huge.clone(),
        cancel_color: "#000000".into(),
        confirm_text: huge.clone(),
        confirm_color: "#576B95".into(),
    })));
    stage.handle(ToRender::SetNavigationBar {
        page: PAGE,
        update: NavigationBarUpdate {
            title: Some(huge.clone()),
            ..Default::default()
        },
    });
    frame(&mut stage);
    let elapsed = started.elapsed();
    assert!(elapsed < Duration::from_secs(1), "took {elapsed:?}");
}

#[test]
fn a_million_char_text_node_shapes_only_its_cap() {
    let mut stage = stage_with("");
    frame(&mut stage);
    stage.handle(batch(vec![
        Op::CreateElement {
            id: NodeId(1),
            tag: "text".into(),
        },
        Op::CreateText {
            id: NodeId(2),
            text: "word ".repeat(HUGE / 5),
        },
        Op::Insert {
            parent: NodeId(1),
            child: NodeId(2),
            before: None,
        },
        Op::Insert {
            parent: NodeId(0),
            child: NodeId(1),
            before: None,
        },
    ]));
    let elapsed = frame(&mut stage);
    eprintln!("1 M chars ({MAX_SHAPED_CHARS} shaped): {elapsed:?}");
    // A debug build; a release frame is ~10x faster.
    assert!(elapsed < Duration::from_secs(20), "took {elapsed:?}");
    // A later frame changes nothing and costs nothing.
    assert!(frame(&mut stage) < Duration::from_secs(1));
}
