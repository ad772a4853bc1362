//! The pressed look of what a finger is on: `hover-class` and `:active`.
//!
//! `hover-class` (on `view`, `button`, `navigator`; after
//! <https://developers.weixin.qq.com/miniprogram/dev/component/view.html>):
//! the class is added [`hover-start-time`](DEFAULT_START) after the finger
//! goes down and stays [`hover-stay-time`](DEFAULT_STAY) after it is
//! lifted. An element with `hover-stop-propagation` keeps its ancestors
//! from showing theirs. `hover-class="none"` shows nothing. A finger that
//! moves beyond the tap slop, a second finger or a cancel ends the pressed
//! look at once, as on a phone (the press became a scroll or a gesture).
//!
//! `:active` applies to the pressed element and its ancestors while the
//! finger is down, with no delays.

use crate::ops::{NodeId, PageId};
use crate::stage::Stage;
use std::time::Duration;

/// WeChat's default `hover-start-time`.
pub const DEFAULT_START: Duration = Duration::from_millis(50);
/// WeChat's default `hover-stay-time`.
pub const DEFAULT_STAY: Duration = Duration::from_millis(400);

#[derive(Clone, Debug)]
struct HoverTarget {
    node: NodeId,
    class: String,
    show_at: Duration,
    stay: Duration,
    shown: bool,
    /// Set on release: when the class goes.
    hide_at: Option<Duration>,
}

/// The pressed state of the current (or just released) touch.
#[derive(Debug, Default)]
pub struct Pressed {
    page: Option<PageId>,
    hovers: Vec<HoverTarget>,
    active: Vec<NodeId>,
}

impl Pressed {
    /// A single finger went down on `chain` (the target first, then its
    /// ancestors) of `page`.
    pub fn press(&mut self, stage: &mut Stage, page: PageId, chain: &[NodeId], now: Duration) {
        self.clear(stage);
        self.page = Some(page);
        let Some(view) = stage.pages().iter().find(|p| p.id == page) else {
            return;
        };
        for &node in chain {
            let Some(n) = view.tree.get(node) else {
                continue;
            };
            let class = n.attrs.get_str("hover-class").unwrap_or("");
            if !class.is_empty() && class != "none" {
                self.hovers.push(HoverTarget {
                    node,
                    class: class.to_owned(),
                    show_at: now + millis(n.attrs.other.get("hover-start-time"), DEFAULT_START),
                    stay: millis(n.attrs.other.get("hover-stay-time"), DEFAULT_STAY),
                    shown: false,
                    hide_at: None,
                });
            }
            if truthy(n.attrs.other.get("hover-stop-propagation")) {
                break;
            }
        }
        self.active = chain.to_vec();
        self.with_tree(stage, |tree, nodes| {
            for &node in nodes {
                tree.set_pressed(node, |p| p.active = true);
            }
        });
        self.advance(stage, now);
    }

    /// The finger was lifted (`tapped`: as a tap, so hover classes stay
    /// their stay time, shown now if their start time had not come yet),
    /// or the press ended otherwise (everything goes at once).
    pub fn release(&mut self, stage: &mut Stage, now: Duration, tapped: bool) {
        let active = std::mem::take(&mut self.active);
        self.with_tree(stage, |tree, _| {
            for &node in &active {
                tree.set_pressed(node, |p| p.active = false);
            }
        });
        if !tapped {
            self.clear(stage);
            return;
        }
        for hover in &mut self.hovers {
            hover.show_at = hover.show_at.min(now);
            hover.hide_at.get_or_insert(now + hover.stay);
        }
        self.advance(stage, now);
    }

    /// Shows and hides hover classes whose time came. True when one did.
    pub fn advance(&mut self, stage: &mut Stage, now: Duration) -> bool {
        if self.hovers.is_empty() {
            return false;
        }
        let Some(page) = self.page else {
            return false;
        };
        let Some(view) = stage.pages_mut().iter_mut().find(|p| p.id == page) else {
            self.hovers.clear();
            return false;
        };
        let mut changed = false;
        self.hovers.retain_mut(|hover| {
            if hover.hide_at.is_some_and(|at| now >= at) {
                changed |= view.tree.set_pressed(hover.node, |p| {
                    p.hover_classes.retain(|c| *c != hover.class)
                });
                return false;
            }
            if !hover.shown && now >= hover.show_at {
                hover.shown = true;
                changed |= view
                    .tree
                    .set_pressed(hover.node, |p| p.hover_classes.push(hover.class.clone()));
            }
            true
        });
        changed
    }

    /// The next instant a hover class shows or goes.
    pub fn next_deadline(&self) -> Option<Duration> {
        self.hovers
            .iter()
            .filter_map(|h| if h.shown { h.hide_at } else { Some(h.show_at) })
            .min()
    }

    /// Removes every pressed class and `:active` at once.
    fn clear(&mut self, stage: &mut Stage) {
        let hovers = std::mem::take(&mut self.hovers);
        let active = std::mem::take(&mut self.active);
        self.with_tree(stage, |tree, _| {
            for hover in hovers.iter().filter(|h| h.shown) {
                tree.set_pressed(hover.node, |p| {
                    p.hover_classes.retain(|c| *c != hover.class)
                });
            }
            for &node in &active {
                tree.set_pressed(node, |p| p.active = false);
            }
        });
    }

    fn with_tree(
        &self,
        stage: &mut Stage,
        f: impl FnOnce(&mut crate::document::tree::PageTree, &[NodeId]),
    ) {
        let Some(page) = self.page else { return };
        if let Some(view) = stage.pages_mut().iter_mut().find(|p| p.id == page) {
            f(&mut view.tree, &self.active);
        }
    }
}

/// A `hover-*-time` attribute in ms (a number or numeric text).
fn millis(value: Option<&serde_json::Value>, default: Duration) -> Duration {
    let ms = match value {
        Some(serde_json::Value::Number(n)) => n.as_f64(),
        Some(serde_json::Value::String(s)) => s.trim().parse::<f64>().ok(),
        _ => None,
    };
    match ms {
        Some(ms) if ms.is_finite() && ms >= 0.0 => {
            Duration::from_secs_f64(ms.min(60_000.0) / 1000.0)
        }
        _ => default,
    }
}

/// A boolean attribute as WXML gives it (`true`, `"true"`, or present and
/// empty).
fn truthy(value: Option<&serde_json::Value>) -> bool {
    match value {
        Some(serde_json::Value::Bool(b)) => *b,
        Some(serde_json::Value::String(s)) => s != "false",
        Some(serde_json::Value::Null) | None => false,
        Some(_) => true,
    }
}
