//! The dialogs the engine draws for `wx.showToast`, `wx.showModal` and
//! `wx.showActionSheet`, as the logic thread asks for them and as a tap
//! answers them ([`DialogOutcome`], spelt as WeChat's result object on the
//! logic side). Drawing and hit testing them is the engine's
//! (`cirrus_engine::ui::dialogs`).

use serde_json::{json, Value};
use std::time::Duration;

/// What a toast shows beside its title.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ToastIcon {
    Success,
    Error,
    Loading,
    None,
}

impl ToastIcon {
    /// WeChat's `icon` option; anything unknown is `success`, its default.
    pub fn from_name(name: &str) -> ToastIcon {
        match name {
            "error" => ToastIcon::Error,
            "loading" => ToastIcon::Loading,
            "none" => ToastIcon::None,
            _ => ToastIcon::Success,
        }
    }
}

/// `wx.showToast` / `wx.showLoading`.
#[derive(Clone, Debug, PartialEq)]
pub struct Toast {
    pub title: String,
    pub icon: ToastIcon,
    /// `None`: until hidden (`showLoading`).
    pub duration: Option<Duration>,
    /// A transparent mask that swallows taps on the page.
    pub mask: bool,
}

/// `wx.showModal`. Colours are CSS hex strings as the mini program gave them.
#[derive(Clone, Debug, PartialEq)]
pub struct Modal {
    /// Echoed in the `ToLogic::DialogResult` of the tap that closes it.
    pub id: u64,
    pub title: String,
    pub content: String,
    pub show_cancel: bool,
    pub cancel_text: String,
    pub cancel_color: String,
    pub confirm_text: String,
    pub confirm_color: String,
}

/// `wx.showActionSheet`.
#[derive(Clone, Debug, PartialEq)]
pub struct ActionSheet {
    pub id: u64,
    pub alert_text: String,
    pub items: Vec<String>,
    pub item_color: String,
}

/// Logic thread -> render thread: show or hide a dialog.
#[derive(Clone, Debug, PartialEq)]
pub enum DialogCommand {
    ShowToast(Toast),
    /// `hideToast` / `hideLoading`: hides the toast or loading indicator.
    HideToast,
    ShowModal(Modal),
    ShowActionSheet(ActionSheet),
}

/// How a tap closed a modal or an action sheet.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DialogOutcome {
    /// A modal's confirm (`true`) or cancel button: `showModal:ok` either
    /// way, with `confirm` and `cancel`.
    Modal { confirm: bool },
    /// An action sheet's item (0-based): `showActionSheet:ok`, `tapIndex`.
    ActionSheet { tap_index: usize },
    /// An action sheet's cancel button or the mask around it:
    /// `showActionSheet:fail cancel`.
    ActionSheetCancelled,
}

impl DialogOutcome {
    /// The result object the mini program's `success` (errMsg `…:ok`) or
    /// `fail` receives.
    pub fn to_json(&self) -> Value {
        match *self {
            DialogOutcome::Modal { confirm } => {
                json!({"errMsg": "showModal:ok", "confirm": confirm, "cancel": !confirm})
            }
            DialogOutcome::ActionSheet { tap_index } => {
                json!({"errMsg": "showActionSheet:ok", "tapIndex": tap_index})
            }
            DialogOutcome::ActionSheetCancelled => {
                json!({"errMsg": "showActionSheet:fail cancel"})
            }
        }
    }
}

/// A tap that closed a dialog: which request, and how.
#[derive(Clone, Debug, PartialEq)]
pub struct DialogAnswer {
    pub id: u64,
    pub outcome: DialogOutcome,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outcomes_spell_wechats_results() {
        assert_eq!(
            DialogOutcome::Modal { confirm: true }.to_json(),
            json!({"errMsg": "showModal:ok", "confirm": true, "cancel": false})
        );
        assert_eq!(
            DialogOutcome::Modal { confirm: false }.to_json(),
            json!({"errMsg": "showModal:ok", "confirm": false, "cancel": true})
        );
        assert_eq!(
            DialogOutcome::ActionSheet { tap_index: 2 }.to_json(),
            json!({"errMsg": "showActionSheet:ok", "tapIndex": 2})
        );
        assert_eq!(
            DialogOutcome::ActionSheetCancelled.to_json(),
            json!({"errMsg": "showActionSheet:fail cancel"})
        );
    }
}
