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

#[test]
fn text_past_the_frames_shaping_budget_lays_out_in_the_next_frame() {
    use cirrus_engine::layout::text::MAX_SHAPED_CHARS_PER_FRAME;
    let mut stage = stage_with("");
    frame(&mut stage);
    // 40 paragraphs at the cap: 8 more than one frame may shape.
    let paragraphs = MAX_SHAPED_CHARS_PER_FRAME / MAX_SHAPED_CHARS + 8;
    let mut ops = Vec::new();
    for i in 0..paragraphs as u32 {
        let (element, text) = (NodeId(1 + 2 * i), NodeId(2 + 2 * i));
        ops.push(Op::CreateElement {
            id: element,
            tag: "text".into(),
        });
        ops.push(Op::CreateText {
            id: text,
            // Distinct texts: equal paragraphs are shaped once.
            text: format!("{i} {}", "word ".repeat(MAX_SHAPED_CHARS / 5 + 1)),
        });
        ops.push(Op::Insert {
            parent: element,
            child: text,
            before: None,
        });
        ops.push(Op::Insert {
            parent: NodeId(0),
            child: element,
            before: None,
        });
    }
    stage.handle(batch(ops));
    let empty = |stage: &Stage| {
        (0..paragraphs as u32)
            .filter(|i| {
                let node = stage
                    .top_page()
                    .unwrap()
                    .tree
                    .get(NodeId(1 + 2 * i))
                    .unwrap();
                node.layout.layout().size.height == 0.0
            })
            .count()
    };
    frame(&mut stage);
    assert_eq!(empty(&stage), 8, "the budget puts off the last 8");
    assert!(stage.is_animating(), "the host keeps drawing frames");
    assert!(!stage.is_settled(), "a capture waits for them");
    frame(&mut stage);
    assert_eq!(empty(&stage), 0);
    assert!(!stage.is_animating());
}
