//! Toasts, modals and action sheets drawn by the Stage over the page, with
//! a controlled clock, and resolved by taps on their buttons.

use cirrus_engine::dialogs::{
    modal_layout, sheet_layout, ActionSheet, DialogCommand, Modal, Toast, ToastIcon,
};
use cirrus_engine::layout::style::Color;
use cirrus_engine::layout::Viewport;
use cirrus_engine::ops::PageId;
use cirrus_engine::package::Package;
use cirrus_engine::protocol::{ToLogic, ToRender};
use cirrus_engine::render::{DisplayItem, DisplayList, Rect};
use cirrus_engine::stage::Stage;
use serde_json::json;
use std::time::Duration;

fn stage() -> Stage {
    let files = [
        ("app.json", r#"{"pages":["p/p"]}"#),
        ("app.js", "App({})"),
        ("p/p.js", "Page({})"),
        ("p/p.wxml", "<view/>"),
    ];
    let (package, diags) =
        Package::from_files(files.iter().map(|(a, b)| (a.to_string(), b.to_string())));
    assert!(diags.is_empty(), "{diags:?}");
    let mut stage = Stage::new(package, Viewport::new(375.0, 667.0, 2.0));
    stage.handle(ToRender::PushPage {
        page: PageId(1),
        route: "p/p".into(),
    });
    stage.update();
    stage
}

fn paint(stage: &mut Stage) -> DisplayList {
    let mut list = DisplayList::new();
    stage.paint(&mut list);
    list
}

fn glyph_count(items: &[DisplayItem]) -> usize {
    items
        .iter()
        .map(|item| match item {
            DisplayItem::Glyphs { glyphs, .. } => glyphs.len(),
            _ => 0,
        })
        .sum()
}

#[test]
fn a_toast_is_painted_over_the_page_and_disappears_after_its_duration() {
    let mut stage = stage();
    let page_only = paint(&mut stage);
    stage.set_time(Duration::from_millis(1_000));
    stage.handle(ToRender::Dialog(DialogCommand::ShowToast(Toast {
        title: "Saved".into(),
        icon: ToastIcon::Success,
        duration: Some(Duration::from_millis(1_500)),
        mask: false,
    })));
    let with_toast = paint(&mut stage);
    assert_eq!(
        &with_toast.items[..page_only.len()],
        &page_only.items[..],
        "the toast is painted after the page"
    );
    let toast = &with_toast.items[page_only.len()..];
    // A 120 px square centred in 375 x 667, in device px (dpr 2).
    match &toast[0] {
        DisplayItem::Rect { rect, color, .. } => {
            assert_eq!(*rect, Rect::new(255.0, 547.0, 240.0, 240.0));
            assert_eq!(*color, Color::rgba8(17, 17, 17, 0.7));
        }
        other => panic!("the toast starts with its panel, not {other:?}"),
    }
    // The tick (two lines) and the five glyphs of "Saved", inside the panel.
    let lines = toast
        .iter()
        .filter(|i| matches!(i, DisplayItem::Line { .. }))
        .count();
    assert_eq!(lines, 2);
    assert_eq!(glyph_count(toast), 5);
    for item in toast {
        if let DisplayItem::Glyphs { glyphs, color } = item {
            assert_eq!(*color, Color::WHITE);
            for g in glyphs {
                assert!(
                    (255..495).contains(&g.x) && (547..787).contains(&g.y),
                    "{g:?}"
                );
            }
        }
    }

    assert!(!stage.set_time(Duration::from_millis(2_499)), "still shown");
    assert_eq!(paint(&mut stage).len(), with_toast.len());
    assert!(
        stage.set_time(Duration::from_millis(2_500)),
        "gone at 1500 ms"
    );
    assert_eq!(paint(&mut stage), page_only);
}

#[test]
fn loading_stays_until_hidden() {
    let mut stage = stage();
    let page_only = paint(&mut stage);
    stage.handle(ToRender::Dialog(DialogCommand::ShowToast(Toast {
        title: "加载中".into(),
        icon: ToastIcon::Loading,
        duration: None,
        mask: true,
    })));
    assert!(!stage.set_time(Duration::from_secs(3_600)));
    assert!(
        stage.dialogs().blocks_page(),
        "a masked loading swallows taps"
    );
    let spinner = paint(&mut stage);
    let spokes = spinner.items[page_only.len()..]
        .iter()
        .filter(|i| matches!(i, DisplayItem::Line { .. }))
        .count();
    assert_eq!(spokes, 12);
    assert_eq!(glyph_count(&spinner.items[page_only.len()..]), 3);
    stage.handle(ToRender::Dialog(DialogCommand::HideToast));
    assert_eq!(paint(&mut stage), page_only);
}

/// The dialog answer in a tap's message, if any.
fn answer(message: Option<ToLogic>) -> Option<(u64, serde_json::Value)> {
    match message {
        Some(ToLogic::DialogResult { id, outcome }) => Some((id, outcome.to_json())),
        Some(other) => panic!("a tap on a dialog sent {other:?}"),
        None => None,
    }
}

fn centre(r: &Rect) -> (f32, f32) {
    (r.x + r.width / 2.0, r.y + r.height / 2.0)
}

#[test]
fn tapping_a_modal_button_answers_and_closes_it() {
    let mut stage = stage();
    let modal = Modal {
        id: 7,
        title: "Delete?".into(),
        content: "This cannot be undone".into(),
        show_cancel: true,
        cancel_text: "Cancel".into(),
        cancel_color: "#000000".into(),
        confirm_text: "Delete".into(),
        confirm_color: "#fa5151".into(),
    };
    stage.handle(ToRender::Dialog(DialogCommand::ShowModal(modal.clone())));
    let viewport = stage.viewport();
    let layout = modal_layout(&modal, viewport, stage.text_system());
    assert_eq!(layout.panel.width, 311.0, "375 - 2 x 32, under the 320 cap");
    let mask_and_panel = paint(&mut stage);
    assert!(mask_and_panel.items.iter().any(|i| matches!(i,
        DisplayItem::Rect { rect, color, .. } if *rect == Rect::new(0.0, 0.0, 750.0, 1334.0)
            && *color == Color::rgba8(0, 0, 0, 0.6))));
    // The confirm label is painted in its colour.
    assert!(mask_and_panel.items.iter().any(|i| matches!(i,
        DisplayItem::Glyphs { color, .. } if *color == Color::rgba8(0xfa, 0x51, 0x51, 1.0))));

    // Taps on the panel's text or outside do nothing.
    assert_eq!(
        answer(stage.tap_dialogs((layout.panel.x + 5.0, layout.panel.y + 5.0))),
        None
    );
    assert_eq!(answer(stage.tap_dialogs((2.0, 2.0))), None);
    assert!(stage.dialogs().modal().is_some());

    let tapped = answer(stage.tap_dialogs(centre(&layout.confirm)));
    assert_eq!(
        tapped,
        Some((
            7,
            json!({"errMsg": "showModal:ok", "confirm": true, "cancel": false})
        ))
    );
    assert!(stage.dialogs().is_empty());

    stage.handle(ToRender::Dialog(DialogCommand::ShowModal(Modal {
        id: 8,
        ..modal
    })));
    let cancel = layout.cancel.expect("showCancel");
    assert_eq!(
        answer(stage.tap_dialogs(centre(&cancel))),
        Some((
            8,
            json!({"errMsg": "showModal:ok", "confirm": false, "cancel": true})
        ))
    );
}

#[test]
fn an_action_sheet_answers_the_tapped_index_or_cancel() {
    let mut stage = stage();
    let sheet = ActionSheet {
        id: 3,
        alert_text: String::new(),
        items: vec!["A".into(), "B".into(), "C".into()],
        item_color: "#000000".into(),
    };
    stage.handle(ToRender::Dialog(DialogCommand::ShowActionSheet(
        sheet.clone(),
    )));
    let viewport = stage.viewport();
    let layout = sheet_layout(&sheet, viewport, stage.text_system());
    // 3 items of 56 px, an 8 px gap and the 56 px cancel at the bottom.
    assert_eq!(layout.panel, Rect::new(0.0, 667.0 - 232.0, 375.0, 232.0));
    assert_eq!(
        answer(stage.tap_dialogs(centre(&layout.items[1]))),
        Some((3, json!({"errMsg": "showActionSheet:ok", "tapIndex": 1})))
    );
    stage.handle(ToRender::Dialog(DialogCommand::ShowActionSheet(sheet)));
    assert_eq!(
        answer(stage.tap_dialogs(centre(&layout.cancel))),
        Some((3, json!({"errMsg": "showActionSheet:fail cancel"})))
    );
}
