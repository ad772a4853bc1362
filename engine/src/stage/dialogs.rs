//! The stage's dialogs entry points (see `crate::ui::dialogs`).

use super::Stage;
use crate::ui::dialogs::Dialogs;
use std::time::Duration;

impl Stage {
    /// The dialogs on screen.
    pub fn dialogs(&self) -> &Dialogs {
        &self.dialogs
    }

    /// Moves the frame clock to `now` (the render thread's time since it
    /// started; a test's controlled time), never backwards: toasts expire
    /// and transitions and animations move by it. Returns whether the
    /// picture changed (a toast ran out, or something is animating).
    pub fn set_time(&mut self, now: Duration) -> bool {
        self.clock = self.clock.max(now);
        let expired = self.dialogs.set_time(now);
        let scrolled = self.tick_scroll();
        let restyled = self.tick_worklets();
        expired || scrolled || restyled || self.is_animating()
    }

    /// A tap at `point` (CSS px) as the dialogs see it: `Some` with the
    /// message for the logic thread when it closed a modal or an action
    /// sheet. Check [`Dialogs::blocks_page`] before handing a tap to the page.
    pub fn tap_dialogs(&mut self, point: (f32, f32)) -> Option<crate::protocol::ToLogic> {
        let viewport = self.viewport();
        let mut dialogs = std::mem::take(&mut self.dialogs);
        let answer = dialogs.tap(point, viewport, self.text_system());
        self.dialogs = dialogs;
        answer.map(|a| crate::protocol::ToLogic::DialogResult {
            id: a.id,
            outcome: a.outcome,
        })
    }
}
