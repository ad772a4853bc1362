//! The stage's query entry points (see `crate::query`).

use super::Stage;
use cirrus_layout::Viewport;

impl Stage {
    /// Answers the selector queries received since the last call and runs
    /// the intersection observers, laying out first when anything is dirty
    /// (so the answers describe the batches already applied). `time_ms` is
    /// the `time` of intersection entries. Cheap when there is nothing to
    /// answer: no layout, no allocation beyond the empty vector.
    pub fn answer_queries(&mut self, time_ms: f64) -> Vec<crate::protocol::ToLogic> {
        // Boxes move with layouts and with scrolls; both counters only grow.
        let geometry = |stage: &Self| stage.layout_generation + stage.queries.scroll_generation;
        let wanted = self.queries.wants_layout(geometry(self));
        if !wanted && !self.queries.has_observers() {
            return Vec::new();
        }
        self.update();
        self.sync_scroll();
        if !self.queries.wants_layout(geometry(self)) {
            return Vec::new();
        }
        let generation = geometry(self);
        // The page's window: the viewport less the navigation and tab bars.
        let area = self.page_area();
        let viewport = Viewport::new(area.width, area.height, self.viewport().dpr);
        let mut queries = std::mem::take(&mut self.queries);
        let pages = self.pages();
        let replies = queries.answer(generation, viewport, time_ms, |page| {
            pages.iter().find(|p| p.id == page).map(|p| &p.tree)
        });
        self.queries = queries;
        replies
    }
}
