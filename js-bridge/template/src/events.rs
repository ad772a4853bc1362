//! Event bindings recorded per node (`bindtap`, `catch:tap`, ...). They are
//! not ops: the logic thread resolves handlers when the render thread reports
//! an event on a node.

/// How a handler takes part in propagation (<https://developers.weixin.qq.com/miniprogram/dev/framework/view/wxml/event.html>).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EventKind {
    /// `bind` / `bind:`: bubble phase.
    Bind,
    /// `catch`: bubble phase, stops propagation.
    Catch,
    /// `mut-bind`: only one mut-bind handler fires along the path.
    MutBind,
    /// `capture-bind`: capture phase.
    CaptureBind,
    /// `capture-catch`: capture phase, aborts capture and bubble.
    CaptureCatch,
    /// `capture-mut-bind`.
    CaptureMutBind,
}

impl EventKind {
    pub(crate) fn from_flags(is_catch: bool, is_mut: bool, is_capture: bool) -> Self {
        match (is_capture, is_catch, is_mut) {
            (false, true, _) => EventKind::Catch,
            (false, false, true) => EventKind::MutBind,
            (false, false, false) => EventKind::Bind,
            (true, true, _) => EventKind::CaptureCatch,
            (true, false, true) => EventKind::CaptureMutBind,
            (true, false, false) => EventKind::CaptureBind,
        }
    }

    /// Splits an attribute written without a colon (`bindtap`,
    /// `capture-catchtouchstart`) into its kind and event name.
    pub(crate) fn split_attribute(name: &str) -> Option<(EventKind, &str)> {
        // Longest prefixes first: `capture-bind` must not be read as `capture-` + ...
        const PREFIXES: [(&str, EventKind); 6] = [
            ("capture-mut-bind", EventKind::CaptureMutBind),
            ("capture-catch", EventKind::CaptureCatch),
            ("capture-bind", EventKind::CaptureBind),
            ("mut-bind", EventKind::MutBind),
            ("catch", EventKind::Catch),
            ("bind", EventKind::Bind),
        ];
        PREFIXES.iter().find_map(|(prefix, kind)| {
            let event = name.strip_prefix(prefix)?;
            let event = event.strip_prefix(':').unwrap_or(event);
            (!event.is_empty()).then_some((*kind, event))
        })
    }
}

/// One handler on one node.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventBinding {
    /// The event type (`tap`, `touchstart`, a component's custom event).
    pub event: String,
    pub kind: EventKind,
    /// The handler's method name: the attribute text, or the current value of
    /// its `{{expr}}` (empty when that is not a string, e.g. a WXS function).
    pub handler: String,
    /// Whether the handler came from a `{{ }}` expression (kept up to date by
    /// [`crate::PageInstance::update`]).
    pub is_dynamic: bool,
}
