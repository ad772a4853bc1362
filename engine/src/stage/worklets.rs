//! The stage's side of worklets: the UI runtime
//! ([`crate::worklet::runtime`]), created when a page first uses it, fed by
//! the logic thread's messages and ticked by the frame clock; the nodes
//! each `applyAnimatedStyle` binding styles.
//!
//! Invariants: the runtime runs only on this thread and only within a
//! frame's budget; its style outputs are written as the nodes' animated
//! style, straight into their styles when they only repaint (transform,
//! opacity, non-inherited colours: no restyle, no layout), else by a
//! restyle of those nodes alone; what it produces for the logic thread
//! leaves with the frame's other events.

use super::Stage;
use crate::document::page::PageView;
use crate::motion::AnimatedProperty;
use crate::ops::{NodeId, PageId};
use crate::protocol::ToLogic;
use crate::worklet::runtime::WorkletRuntime;
use crate::Diagnostic;
use serde_json::Value;
use std::collections::HashMap;

/// Mapper ids of `derived` values: apart from animated-style bindings
/// (whose ids the logic thread numbers from 1).
const DERIVED_MAPPER_BASE: u64 = 1 << 62;

#[derive(Default)]
pub(crate) struct WorkletHost {
    runtime: Option<WorkletRuntime>,
    /// The runtime could not be created (reported once).
    failed: bool,
    /// Animated-style bindings: id -> the nodes they style.
    bindings: HashMap<u64, StyleBinding>,
    /// An animation or a UI timer ran at the last frame.
    busy: bool,
    /// `worklet:EVENT="method"` handlers: (page, node, event) -> worklet.
    handlers: HashMap<(PageId, NodeId, String), Value>,
}

struct StyleBinding {
    page: PageId,
    nodes: Vec<NodeId>,
    /// `immediate: false`: the first output is skipped.
    skip_first: bool,
}

impl WorkletHost {
    fn runtime(&mut self, errors: &mut Vec<Diagnostic>) -> Option<&mut WorkletRuntime> {
        if self.runtime.is_none() && !self.failed {
            match WorkletRuntime::new() {
                Ok(runtime) => self.runtime = Some(runtime),
                Err(message) => {
                    self.failed = true;
                    errors.push(Diagnostic::error(
                        "",
                        0,
                        0,
                        format!("the worklet runtime could not start: {message}"),
                    ));
                }
            }
        }
        self.runtime.as_mut()
    }

    /// Whether an animation or a UI timer was running at the last frame.
    pub fn is_busy(&self) -> bool {
        self.busy
    }

    /// The worklet bound as `worklet:EVENT` (or its legacy name) on `node`.
    pub fn handler(&self, page: PageId, node: NodeId, event: &str) -> Option<&Value> {
        self.handlers.get(&(page, node, event.to_owned()))
    }
}

impl Stage {
    fn now_ms(&self) -> f64 {
        self.clock.as_secs_f64() * 1000.0
    }

    pub(crate) fn worklet_shared(&mut self, values: Vec<(u64, Value)>) {
        let now = self.now_ms();
        let mut errors = Vec::new();
        if let Some(runtime) = self.worklets.runtime(&mut errors) {
            for (id, value) in values {
                runtime.set_shared(id, &value, now);
            }
            self.worklets.busy = true;
        }
        self.report_all(errors);
    }

    pub(crate) fn run_on_ui(&mut self, worklet: Value, args: Value) {
        let now = self.now_ms();
        let mut errors = Vec::new();
        if let Some(runtime) = self.worklets.runtime(&mut errors) {
            runtime.run(&worklet, &args, now);
            self.worklets.busy = true;
        }
        self.report_all(errors);
    }

    pub(crate) fn derived(&mut self, target: u64, updater: Value) {
        let now = self.now_ms();
        let mut errors = Vec::new();
        if let Some(runtime) = self.worklets.runtime(&mut errors) {
            runtime.add_mapper(DERIVED_MAPPER_BASE + target, &updater, Some(target), now);
            self.worklets.busy = true;
        }
        self.report_all(errors);
    }

    pub(crate) fn apply_animated_style(
        &mut self,
        page: PageId,
        scope: Option<NodeId>,
        selector: &str,
        id: u64,
        updater: Value,
        immediate: bool,
    ) {
        let Some(view) = super::live_page(&mut self.pages, &mut self.parked_tab_pages, page) else {
            return;
        };
        let nodes = crate::query::select_scoped(&view.tree, scope, selector);
        let now = self.now_ms();
        let mut errors = Vec::new();
        if let Some(runtime) = self.worklets.runtime(&mut errors) {
            runtime.add_mapper(id, &updater, None, now);
            self.worklets.bindings.insert(
                id,
                StyleBinding {
                    page,
                    nodes,
                    skip_first: !immediate,
                },
            );
            self.worklets.busy = true;
        }
        self.report_all(errors);
    }

    /// Runs the worklet bound as `worklet:EVENT` on `node` with `args`, in
    /// this frame (its effects show when the frame ticks the runtime).
    /// False when none is bound.
    pub(crate) fn run_handler(
        &mut self,
        page: PageId,
        node: NodeId,
        event: &str,
        args: Value,
    ) -> bool {
        let Some(worklet) = self.worklets.handler(page, node, event).cloned() else {
            return false;
        };
        self.run_on_ui(worklet, args);
        true
    }

    /// Calls the worklet bound as `worklet:EVENT` on `node` synchronously
    /// and returns its answer. `None` when none is bound, or it threw (then
    /// the error is reported with the next frame).
    pub(crate) fn call_handler(
        &mut self,
        page: PageId,
        node: NodeId,
        event: &str,
        args: Value,
    ) -> Option<Value> {
        let worklet = self.worklets.handler(page, node, event)?.clone();
        let now = self.now_ms();
        let mut errors = Vec::new();
        let answer = (self.worklets.runtime(&mut errors)).and_then(|r| r.ask(&worklet, &args, now));
        // What it wrote shows at the next tick.
        self.worklets.busy = true;
        self.report_all(errors);
        answer
    }

    /// Whether a worklet is bound as `worklet:EVENT` on `node`.
    pub(crate) fn has_handler(&self, page: PageId, node: NodeId, event: &str) -> bool {
        self.worklets.handler(page, node, event).is_some()
    }

    pub(crate) fn worklet_handler(
        &mut self,
        page: PageId,
        node: NodeId,
        event: String,
        worklet: Value,
    ) {
        self.worklets.handlers.insert((page, node, event), worklet);
    }

    /// Runs the `worklet:onscrollstart`, `worklet:onscrollupdate` and
    /// `worklet:onscrollend` handlers of the scroll-views that scrolled
    /// (`events` are the frame's scroll events), with an event whose
    /// `detail` is `{scrollTop, scrollLeft, scrollHeight, scrollWidth,
    /// deltaX, deltaY, isDrag}`, then
    /// the UI runtime's frame, so what they moved shows in this frame. True
    /// when a style changed.
    pub(crate) fn run_scroll_worklets(&mut self, events: &[ToLogic], is_drag: bool) -> bool {
        if self.worklets.handlers.is_empty() {
            return false;
        }
        let mut calls = Vec::new();
        for event in events {
            let ToLogic::Event(event) = event else {
                continue;
            };
            let crate::protocol::EventDetail::Scroll {
                scroll_left,
                scroll_top,
                scroll_width,
                scroll_height,
                delta_x,
                delta_y,
            } = event.detail
            else {
                continue;
            };
            let handler = match event.name.as_str() {
                "scroll" => "onscrollupdate",
                "scrollstart" => "onscrollstart",
                "scrollend" => "onscrollend",
                _ => continue,
            };
            let key = (event.page, event.node, handler.to_owned());
            if let Some(worklet) = self.worklets.handlers.get(&key) {
                let detail = serde_json::json!({
                    "scrollTop": scroll_top,
                    "scrollLeft": scroll_left,
                    "scrollHeight": scroll_height,
                    "scrollWidth": scroll_width,
                    "deltaX": delta_x,
                    "deltaY": delta_y,
                    "isDrag": is_drag,
                });
                let event = serde_json::json!({ "type": event.name, "detail": detail });
                calls.push((worklet.clone(), serde_json::json!([event])));
            }
        }
        if calls.is_empty() {
            return false;
        }
        for (worklet, args) in calls {
            self.run_on_ui(worklet, args);
        }
        self.tick_worklets()
    }

    pub(crate) fn clear_animated_style(&mut self, page: PageId, id: u64) {
        let Some(binding) = self.worklets.bindings.remove(&id) else {
            return;
        };
        if let Some(runtime) = self.worklets.runtime.as_mut() {
            runtime.remove_mapper(id);
        }
        if binding.page != page {
            return;
        }
        if let Some(view) = super::live_page(&mut self.pages, &mut self.parked_tab_pages, page) {
            for node in binding.nodes {
                view.tree.set_animated_style(node, String::new());
            }
        }
    }

    /// One frame of the UI runtime at the stage's clock: animations and
    /// timers move, changed animated styles are written to their nodes, and
    /// what the logic thread must hear is queued. True when a style changed.
    pub(crate) fn tick_worklets(&mut self) -> bool {
        if !self.worklets.busy {
            return false;
        }
        let now = self.now_ms();
        let Some(runtime) = self.worklets.runtime.as_mut() else {
            return false;
        };
        let frame = runtime.frame(now);
        self.worklets.busy = runtime.is_busy();
        let mut changed = false;
        for (id, style) in frame.outputs {
            let Some(binding) = self.worklets.bindings.get_mut(&id) else {
                continue;
            };
            if std::mem::take(&mut binding.skip_first) {
                continue;
            }
            let declarations = crate::worklet::style::declarations(&style);
            let page = binding.page;
            let Some(view) = super::live_page(&mut self.pages, &mut self.parked_tab_pages, page)
            else {
                continue;
            };
            let repaints = repaint_only(&declarations);
            for &node in &binding.nodes {
                changed |= write_animated_style(view, node, &declarations, repaints);
            }
        }
        if changed {
            // What is hit moves with a transform (see `HitStamp`).
            self.motion_generation += 1;
        }
        if !frame.shared.is_empty() {
            self.motion_events.push(ToLogic::WorkletShared {
                values: frame.shared,
            });
        }
        for (id, args) in frame.js_calls {
            self.motion_events.push(ToLogic::RunOnJs { id, args });
        }
        self.report_all(frame.errors);
        changed
    }
}

/// Gives `node` its new animated style. When the declarations only repaint
/// and name the same properties as before (an updater returns the same
/// keys every frame), the new style is computed on top of the node's own
/// and written straight in, as running CSS transitions are: no restyle, no
/// layout. Otherwise the node is restyled (a layout property relayouts its
/// subtree; an inherited one restyles its children). True when it changed.
/// `repaints`: [`repaint_only`] of `declarations` (one answer for every
/// node of a binding).
fn write_animated_style(
    view: &mut PageView,
    node: NodeId,
    declarations: &str,
    repaints: bool,
) -> bool {
    let Some(previous) = view.tree.animated_style(node) else {
        return false;
    };
    if previous == declarations {
        return false;
    }
    let fast = repaints && same_properties(previous, declarations);
    if fast {
        let tree = &view.tree;
        let Some(current) = tree.get(node) else {
            return false;
        };
        let parent = current.parent.and_then(|p| tree.get(p)).map(|p| &p.style);
        let style = view
            .sheets
            .apply_declarations(declarations, &current.style, parent);
        return view
            .tree
            .write_animated_style(node, declarations.to_owned(), style);
    }
    view.tree.set_animated_style(node, declarations.to_owned())
}

/// The property names of `name:value;` declarations.
fn property_names(declarations: &str) -> impl Iterator<Item = &str> {
    declarations
        .split(';')
        .filter_map(|d| d.split_once(':').map(|(name, _)| name.trim()))
}

/// Whether every declaration only repaints: an animatable property that
/// neither lays out nor is inherited.
fn repaint_only(declarations: &str) -> bool {
    property_names(declarations).all(|name| {
        let properties = AnimatedProperty::from_name(name);
        !properties.is_empty()
            && name != "background"
            && properties
                .iter()
                .all(|p| !p.affects_layout() && !p.inherited())
    })
}

fn same_properties(a: &str, b: &str) -> bool {
    property_names(a).eq(property_names(b))
}
