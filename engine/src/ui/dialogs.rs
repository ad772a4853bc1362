//! The dialogs the engine draws on top of the page for `wx.showToast`,
//! `wx.showLoading`, `wx.showModal` and `wx.showActionSheet`: their state,
//! their timers, their painting and the hit test of their buttons.
//!
//! Invariants:
//! - At most one toast (a loading indicator is a toast without a duration),
//!   one modal and one action sheet are shown; a new one replaces the old.
//! - Time is whatever the owner says it is ([`Dialogs::set_time`]): the
//!   render thread passes its monotonic clock, tests a controlled one. A
//!   toast disappears at the first `set_time` at or past its end.
//! - Geometry is computed by one function per dialog ([`modal_layout`],
//!   [`sheet_layout`]) that painting and hit testing both use, so a tap
//!   lands on exactly the button that was drawn there.
//! - Painting is in device px, after the page and before the error overlay.

use crate::paint::{emit_paragraph, paint_plain_text};
use crate::ui::truncate::{
    truncate_chars, MAX_LABEL_CHARS, MAX_MODAL_CONTENT_CHARS, MAX_MODAL_TITLE_CHARS,
    MAX_TOAST_TITLE_CHARS,
};
use cirrus_layout::style::{Color, ComputedStyle, TextAlign};
use cirrus_layout::text::{Paragraph, TextSystem};
use cirrus_layout::Viewport;
use cirrus_render::display_list::{Corners, TextDecorationStyle, SQUARE_CORNERS};
use cirrus_render::{DisplayItem, DisplayList, Rect};
use std::time::Duration;

pub use cirrus_protocol::dialogs::{
    ActionSheet, DialogAnswer, DialogCommand, DialogOutcome, Modal, Toast, ToastIcon,
};

/// The dialogs on screen.
#[derive(Debug, Default)]
pub struct Dialogs {
    now: Duration,
    toast: Option<(Toast, Duration)>,
    modal: Option<Modal>,
    sheet: Option<ActionSheet>,
}

/// WeChat's colours.
const TOAST_BACKGROUND: (u8, u8, u8, f32) = (17, 17, 17, 0.7);
const MASK: (u8, u8, u8, f32) = (0, 0, 0, 0.6);
const LINK_BLUE: &str = "#576B95";
/// Size of an icon toast (a square) and of its icon, CSS px.
const ICON_TOAST_SIZE: f32 = 120.0;
const ICON_SIZE: f32 = 40.0;
const MODAL_MAX_WIDTH: f32 = 320.0;
const BUTTON_HEIGHT: f32 = 56.0;

fn rgba(c: (u8, u8, u8, f32)) -> Color {
    Color::rgba8(c.0, c.1, c.2, c.3)
}

fn css_color(text: &str, fallback: Color) -> Color {
    Color::from_hex(text).unwrap_or(fallback)
}

impl Dialogs {
    pub fn new() -> Dialogs {
        Dialogs::default()
    }

    /// Applies a command at the current time.
    /// Strings are cut to the caps of [`crate::ui::truncate`] first, so
    /// that measuring and painting them is bounded.
    pub fn apply(&mut self, command: DialogCommand) {
        match command {
            DialogCommand::ShowToast(mut toast) => {
                truncate_chars(&mut toast.title, MAX_TOAST_TITLE_CHARS);
                self.toast = Some((toast, self.now));
            }
            DialogCommand::HideToast => self.toast = None,
            DialogCommand::ShowModal(mut modal) => {
                truncate_chars(&mut modal.title, MAX_MODAL_TITLE_CHARS);
                truncate_chars(&mut modal.content, MAX_MODAL_CONTENT_CHARS);
                truncate_chars(&mut modal.cancel_text, MAX_LABEL_CHARS);
                truncate_chars(&mut modal.confirm_text, MAX_LABEL_CHARS);
                self.modal = Some(modal);
            }
            DialogCommand::ShowActionSheet(mut sheet) => {
                truncate_chars(&mut sheet.alert_text, MAX_MODAL_TITLE_CHARS);
                for item in &mut sheet.items {
                    truncate_chars(item, MAX_LABEL_CHARS);
                }
                self.sheet = Some(sheet);
            }
        }
    }

    /// Moves time to `now` (never backwards). Returns whether something
    /// disappeared, i.e. the picture changed.
    pub fn set_time(&mut self, now: Duration) -> bool {
        self.now = self.now.max(now);
        let expired = self.toast.as_ref().is_some_and(|(toast, shown_at)| {
            toast
                .duration
                .is_some_and(|duration| self.now >= *shown_at + duration)
        });
        if expired {
            self.toast = None;
        }
        expired
    }

    /// When the next toast ends, for a render loop that wants to wake then.
    pub fn next_deadline(&self) -> Option<Duration> {
        let (toast, shown_at) = self.toast.as_ref()?;
        toast.duration.map(|d| *shown_at + d)
    }

    pub fn toast(&self) -> Option<&Toast> {
        self.toast.as_ref().map(|(toast, _)| toast)
    }

    pub fn modal(&self) -> Option<&Modal> {
        self.modal.as_ref()
    }

    pub fn action_sheet(&self) -> Option<&ActionSheet> {
        self.sheet.as_ref()
    }

    pub fn is_empty(&self) -> bool {
        self.toast.is_none() && self.modal.is_none() && self.sheet.is_none()
    }

    /// Whether taps must not reach the page (a modal, a sheet, or a toast
    /// with `mask`).
    pub fn blocks_page(&self) -> bool {
        self.modal.is_some() || self.sheet.is_some() || self.toast().is_some_and(|t| t.mask)
    }

    /// A tap at `point` (CSS px). Returns the answer when it hit a button
    /// of the modal or the action sheet (the dialog then closes). The
    /// modal is on top of the sheet, so it is tested first.
    pub fn tap(
        &mut self,
        point: (f32, f32),
        viewport: Viewport,
        text: &mut TextSystem,
    ) -> Option<DialogAnswer> {
        if let Some(modal) = &self.modal {
            let layout = modal_layout(modal, viewport, text);
            let confirm = if contains(&layout.confirm, point) {
                Some(true)
            } else if layout.cancel.as_ref().is_some_and(|r| contains(r, point)) {
                Some(false)
            } else {
                None
            };
            let id = modal.id;
            return confirm.map(|confirm| {
                self.modal = None;
                DialogAnswer {
                    id,
                    outcome: DialogOutcome::Modal { confirm },
                }
            });
        }
        if let Some(sheet) = &self.sheet {
            let layout = sheet_layout(sheet, viewport, text);
            let id = sheet.id;
            let outcome = if let Some(index) = layout.items.iter().position(|r| contains(r, point))
            {
                DialogOutcome::ActionSheet { tap_index: index }
            } else if contains(&layout.cancel, point) || !contains(&layout.panel, point) {
                // The cancel button or the mask outside the sheet.
                DialogOutcome::ActionSheetCancelled
            } else {
                return None; // the alert text or the gap: nothing happens
            };
            self.sheet = None;
            return Some(DialogAnswer { id, outcome });
        }
        None
    }

    /// Paints the dialogs: the action sheet, then the modal, then the toast
    /// (a toast shows above a modal, as in WeChat).
    pub fn paint(&self, list: &mut DisplayList, viewport: Viewport, text: &mut TextSystem) {
        if let Some(sheet) = &self.sheet {
            paint_sheet(list, sheet, viewport, text);
        }
        if let Some(modal) = &self.modal {
            paint_modal(list, modal, viewport, text);
        }
        if let Some((toast, _)) = &self.toast {
            paint_toast(list, toast, viewport, text);
        }
    }
}

fn contains(rect: &Rect, (x, y): (f32, f32)) -> bool {
    x >= rect.x && x < rect.x + rect.width && y >= rect.y && y < rect.y + rect.height
}

/// A rect in CSS px scaled to device px.
fn device(rect: &Rect, dpr: f32) -> Rect {
    Rect::new(
        rect.x * dpr,
        rect.y * dpr,
        rect.width * dpr,
        rect.height * dpr,
    )
}

fn rounded(list: &mut DisplayList, rect: &Rect, radius: f32, color: Color, dpr: f32) {
    let r = (radius * dpr, radius * dpr);
    list.push(DisplayItem::Rect {
        rect: device(rect, dpr),
        color,
        radii: Corners {
            top_left: r,
            top_right: r,
            bottom_right: r,
            bottom_left: r,
        },
    });
}

/// The size of `s` shaped at `font_size` within `width` (CSS px).
fn measure(text: &mut TextSystem, s: &str, font_size: f32, weight: u16, width: f32) -> (f32, f32) {
    let style = ComputedStyle {
        font_size,
        font_weight: weight,
        ..Default::default()
    };
    let shaped = text.shape(&Paragraph::plain(&style, s), width);
    (shaped.width, shaped.height)
}

/// Paints `s` centred horizontally in `[left, left + width)` from `top`,
/// each wrapped line on its own (`text-align: center`).
#[allow(clippy::too_many_arguments)]
fn centred_text(
    list: &mut DisplayList,
    text: &mut TextSystem,
    s: &str,
    (left, top): (f32, f32),
    width: f32,
    font_size: f32,
    color: Color,
    dpr: f32,
) {
    let style = ComputedStyle {
        font_size,
        color,
        text_align: TextAlign::Center,
        ..Default::default()
    };
    let paragraph = Paragraph::plain(&style, s);
    let shaped = text.shape(&paragraph, width);
    emit_paragraph(list, &paragraph, &shaped, (left, top), dpr);
}

// ---- toast -------------------------------------------------------------

/// Where the toast's panel lies (CSS px): an icon toast is a 120 px square,
/// a text toast fits its text; both centred a little above the middle.
pub fn toast_panel(toast: &Toast, viewport: Viewport, text: &mut TextSystem) -> Rect {
    let (w, h) = (viewport.width.0, viewport.height.0);
    if toast.icon == ToastIcon::None {
        let max_text = (w * 0.8 - 32.0).max(10.0);
        let (tw, th) = measure(text, &toast.title, 16.0, 400, max_text);
        let (pw, ph) = (tw + 32.0, th + 22.0);
        Rect::new((w - pw) / 2.0, (h - ph) / 2.0, pw, ph)
    } else {
        Rect::new(
            (w - ICON_TOAST_SIZE) / 2.0,
            (h - ICON_TOAST_SIZE) / 2.0,
            ICON_TOAST_SIZE,
            ICON_TOAST_SIZE,
        )
    }
}

fn paint_toast(list: &mut DisplayList, toast: &Toast, viewport: Viewport, text: &mut TextSystem) {
    let d = viewport.dpr;
    let panel = toast_panel(toast, viewport, text);
    rounded(list, &panel, 8.0, rgba(TOAST_BACKGROUND), d);
    if toast.icon == ToastIcon::None {
        paint_plain_text(
            list,
            text,
            &toast.title,
            (panel.x + 16.0, panel.y + 11.0),
            panel.width - 32.0,
            16.0,
            Color::WHITE,
            d,
        );
        return;
    }
    let icon = Rect::new(
        panel.x + (panel.width - ICON_SIZE) / 2.0,
        panel.y + 24.0,
        ICON_SIZE,
        ICON_SIZE,
    );
    paint_icon(list, toast.icon, &icon, d);
    centred_text(
        list,
        text,
        &toast.title,
        (panel.x + 8.0, icon.y + ICON_SIZE + 12.0),
        panel.width - 16.0,
        15.0,
        Color::WHITE,
        d,
    );
}

fn line(
    list: &mut DisplayList,
    from: (f32, f32),
    to: (f32, f32),
    width: f32,
    color: Color,
    d: f32,
) {
    list.push(DisplayItem::Line {
        from: (from.0 * d, from.1 * d),
        to: (to.0 * d, to.1 * d),
        width: width * d,
        color,
        style: TextDecorationStyle::Solid,
    });
}

/// A tick, a cross or a spinner (twelve spokes fading around), in white.
fn paint_icon(list: &mut DisplayList, icon: ToastIcon, r: &Rect, d: f32) {
    let at = |fx: f32, fy: f32| (r.x + r.width * fx, r.y + r.height * fy);
    match icon {
        ToastIcon::Success => {
            line(list, at(0.12, 0.52), at(0.4, 0.8), 3.0, Color::WHITE, d);
            line(list, at(0.4, 0.8), at(0.9, 0.22), 3.0, Color::WHITE, d);
        }
        ToastIcon::Error => {
            line(list, at(0.2, 0.2), at(0.8, 0.8), 3.0, Color::WHITE, d);
            line(list, at(0.8, 0.2), at(0.2, 0.8), 3.0, Color::WHITE, d);
        }
        ToastIcon::Loading => {
            let (cx, cy) = at(0.5, 0.5);
            for spoke in 0..12 {
                let angle = spoke as f32 * std::f32::consts::TAU / 12.0;
                let (s, c) = angle.sin_cos();
                let alpha = 0.25 + 0.75 * (spoke as f32 / 11.0);
                line(
                    list,
                    (cx + c * r.width * 0.25, cy + s * r.height * 0.25),
                    (cx + c * r.width * 0.45, cy + s * r.height * 0.45),
                    3.0,
                    Color::rgba8(255, 255, 255, alpha),
                    d,
                );
            }
        }
        ToastIcon::None => {}
    }
}

// ---- modal -------------------------------------------------------------

/// Where the parts of a modal lie, CSS px.
#[derive(Clone, Debug, PartialEq)]
pub struct ModalLayout {
    pub panel: Rect,
    pub title_top: f32,
    pub content_top: f32,
    pub text_width: f32,
    pub cancel: Option<Rect>,
    pub confirm: Rect,
}

/// The modal's geometry: a white panel centred on the screen, 320 px wide
/// at most, title and content with 24 px sides, a 56 px button row.
pub fn modal_layout(modal: &Modal, viewport: Viewport, text: &mut TextSystem) -> ModalLayout {
    let (w, h) = (viewport.width.0, viewport.height.0);
    let width = MODAL_MAX_WIDTH.min(w - 2.0 * 32.0).max(100.0);
    let text_width = width - 48.0;
    let title_height = if modal.title.is_empty() {
        0.0
    } else {
        measure(text, &modal.title, 17.0, 700, text_width).1
    };
    let content_height = if modal.content.is_empty() {
        0.0
    } else {
        measure(text, &modal.content, 17.0, 400, text_width).1
    };
    let gap = if title_height > 0.0 && content_height > 0.0 {
        16.0
    } else {
        0.0
    };
    let body = 32.0 + title_height + gap + content_height + 32.0;
    let height = body + BUTTON_HEIGHT;
    let panel = Rect::new((w - width) / 2.0, (h - height) / 2.0, width, height);
    let buttons_top = panel.y + body;
    let (cancel, confirm) = if modal.show_cancel {
        let half = width / 2.0;
        (
            Some(Rect::new(panel.x, buttons_top, half, BUTTON_HEIGHT)),
            Rect::new(panel.x + half, buttons_top, width - half, BUTTON_HEIGHT),
        )
    } else {
        (None, Rect::new(panel.x, buttons_top, width, BUTTON_HEIGHT))
    };
    ModalLayout {
        title_top: panel.y + 32.0,
        content_top: panel.y + 32.0 + title_height + gap,
        text_width,
        panel,
        cancel,
        confirm,
    }
}

fn paint_modal(list: &mut DisplayList, modal: &Modal, viewport: Viewport, text: &mut TextSystem) {
    let d = viewport.dpr;
    let screen = Rect::new(0.0, 0.0, viewport.width.0, viewport.height.0);
    list.fill_rect(device(&screen, d), rgba(MASK));
    let layout = modal_layout(modal, viewport, text);
    rounded(list, &layout.panel, 12.0, Color::WHITE, d);
    let left = layout.panel.x + 24.0;
    if !modal.title.is_empty() {
        centred_text(
            list,
            text,
            &modal.title,
            (left, layout.title_top),
            layout.text_width,
            17.0,
            Color::rgba8(0, 0, 0, 0.9),
            d,
        );
    }
    if !modal.content.is_empty() {
        centred_text(
            list,
            text,
            &modal.content,
            (left, layout.content_top),
            layout.text_width,
            17.0,
            Color::rgba8(0, 0, 0, 0.5),
            d,
        );
    }
    let hairline = Color::rgba8(0, 0, 0, 0.1);
    let top = layout.confirm.y;
    list.fill_rect(
        device(&Rect::new(layout.panel.x, top, layout.panel.width, 0.5), d),
        hairline,
    );
    if let Some(cancel) = &layout.cancel {
        list.fill_rect(
            device(
                &Rect::new(cancel.x + cancel.width, top, 0.5, BUTTON_HEIGHT),
                d,
            ),
            hairline,
        );
        button_label(
            list,
            text,
            &modal.cancel_text,
            cancel,
            &modal.cancel_color,
            Color::BLACK,
            d,
        );
    }
    let blue = css_color(LINK_BLUE, Color::BLACK);
    button_label(
        list,
        text,
        &modal.confirm_text,
        &layout.confirm,
        &modal.confirm_color,
        blue,
        d,
    );
}

fn button_label(
    list: &mut DisplayList,
    text: &mut TextSystem,
    label: &str,
    button: &Rect,
    color: &str,
    fallback: Color,
    d: f32,
) {
    let (_, label_height) = measure(text, label, 17.0, 400, button.width);
    centred_text(
        list,
        text,
        label,
        (button.x, button.y + (button.height - label_height) / 2.0),
        button.width,
        17.0,
        css_color(color, fallback),
        d,
    );
}

// ---- action sheet ------------------------------------------------------

/// Where the parts of an action sheet lie, CSS px.
#[derive(Clone, Debug, PartialEq)]
pub struct SheetLayout {
    /// Everything white: alert text, items, the gap and cancel.
    pub panel: Rect,
    pub alert: Option<Rect>,
    pub items: Vec<Rect>,
    pub cancel: Rect,
}

/// The sheet's geometry: full width at the bottom, an optional alert line,
/// 56 px items, an 8 px gap, a 56 px cancel button.
pub fn sheet_layout(sheet: &ActionSheet, viewport: Viewport, text: &mut TextSystem) -> SheetLayout {
    let (w, h) = (viewport.width.0, viewport.height.0);
    let alert_height = if sheet.alert_text.is_empty() {
        0.0
    } else {
        measure(text, &sheet.alert_text, 14.0, 400, w - 48.0).1 + 32.0
    };
    let height = alert_height + BUTTON_HEIGHT * sheet.items.len() as f32 + 8.0 + BUTTON_HEIGHT;
    let top = h - height;
    let alert = (alert_height > 0.0).then(|| Rect::new(0.0, top, w, alert_height));
    let items = (0..sheet.items.len())
        .map(|i| {
            Rect::new(
                0.0,
                top + alert_height + BUTTON_HEIGHT * i as f32,
                w,
                BUTTON_HEIGHT,
            )
        })
        .collect();
    SheetLayout {
        panel: Rect::new(0.0, top, w, height),
        alert,
        items,
        cancel: Rect::new(0.0, h - BUTTON_HEIGHT, w, BUTTON_HEIGHT),
    }
}

fn paint_sheet(
    list: &mut DisplayList,
    sheet: &ActionSheet,
    viewport: Viewport,
    text: &mut TextSystem,
) {
    let d = viewport.dpr;
    let screen = Rect::new(0.0, 0.0, viewport.width.0, viewport.height.0);
    list.fill_rect(device(&screen, d), rgba(MASK));
    let layout = sheet_layout(sheet, viewport, text);
    list.push(DisplayItem::Rect {
        rect: device(&layout.panel, d),
        color: Color::WHITE,
        radii: SQUARE_CORNERS,
    });
    let hairline = Color::rgba8(0, 0, 0, 0.1);
    if let Some(alert) = &layout.alert {
        centred_text(
            list,
            text,
            &sheet.alert_text,
            (alert.x + 24.0, alert.y + 16.0),
            alert.width - 48.0,
            14.0,
            Color::rgba8(0, 0, 0, 0.5),
            d,
        );
    }
    let item_color = css_color(&sheet.item_color, Color::BLACK);
    for (i, (label, rect)) in sheet.items.iter().zip(&layout.items).enumerate() {
        if i > 0 || layout.alert.is_some() {
            list.fill_rect(
                device(&Rect::new(rect.x, rect.y, rect.width, 0.5), d),
                hairline,
            );
        }
        button_label(list, text, label, rect, &sheet.item_color, item_color, d);
    }
    let gap = Rect::new(0.0, layout.cancel.y - 8.0, layout.panel.width, 8.0);
    list.fill_rect(device(&gap, d), Color::rgba8(0, 0, 0, 0.04));
    button_label(
        list,
        text,
        "取消",
        &layout.cancel,
        "#000000",
        Color::BLACK,
        d,
    );
}
