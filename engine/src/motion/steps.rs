//! The `animation` attribute (`<view animation="{{ani}}">`, the value of
//! `wx.createAnimation(...).export()`): its steps play one after another on
//! the CSS transition machinery of this module's parent.
//!
//! Each exported action becomes a step: at its start time the node's
//! inline style gets the step's declarations appended (a `transition` for
//! the properties it moves, with its duration, timing function and delay,
//! then their target values), and the node is restyled; the ordinary
//! transition logic then moves from the value on screen to the target.
//! Step `k` starts when step `k - 1` has ended (its delay plus duration
//! after its own start). The last step's values stay, as in WeChat.
//!
//! Invariants:
//! - The inline style the logic thread set is kept apart ([`NodeSteps::base`]):
//!   a new `style` from setData is taken as the base and the current step is
//!   appended to it again, so setData and animation compose.
//! - A node's steps restart only when the attribute's value changes.
//!
//! Written by hand: the action format is WeChat's own (wx.js Animation);
//! no crate knows it.

use crate::document::tree::Attributes;
use crate::ops::NodeId;
use serde_json::Value;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::time::Duration;

/// The steps of every node with an `animation` attribute, on one page.
#[derive(Default)]
pub struct StepPlayer {
    nodes: BTreeMap<NodeId, NodeSteps>,
}

struct NodeSteps {
    /// The attribute value these steps were built from.
    source: Value,
    steps: Vec<Step>,
    /// How many steps have started (their declarations are applied).
    started: usize,
    /// The inline style as the logic thread set it.
    base: String,
    /// What this player last wrote into the node's inline style.
    written: String,
}

/// One exported action.
#[derive(Clone, Debug, PartialEq)]
pub struct Step {
    /// When it starts, on the stage's clock.
    pub start: Duration,
    /// CSS declarations: the transition, then the target values.
    pub declarations: String,
}

impl StepPlayer {
    /// Before the style pass computes element `id`: takes a new `animation`
    /// value, and writes the declarations of the steps started by `now`
    /// into the inline style. Returns whether the inline style changed.
    pub fn prepare(&mut self, id: NodeId, attrs: &mut Attributes, now: Duration) -> bool {
        let animation = attrs.other.get("animation").filter(|v| !v.is_null());
        let tracked = self.nodes.get(&id);
        let is_new = match (animation, tracked) {
            (Some(value), Some(entry)) => *value != entry.source,
            (Some(_), None) => true,
            (None, _) => false,
        };
        if is_new {
            let value = animation.cloned().unwrap_or(Value::Null);
            let base = match tracked {
                // The logic thread's style, not one this player wrote.
                Some(entry) if attrs.style == entry.written => entry.base.clone(),
                _ => attrs.style.clone(),
            };
            let steps = steps_of(&value, now);
            self.nodes.insert(
                id,
                NodeSteps {
                    source: value,
                    steps,
                    started: 0,
                    written: base.clone(),
                    base,
                },
            );
        }
        let Some(entry) = self.nodes.get_mut(&id) else {
            return false;
        };
        if attrs.style != entry.written {
            entry.base = attrs.style.clone(); // setData changed the style
        }
        entry.started = entry.steps.iter().filter(|s| s.start <= now).count();
        let mut style = entry.base.clone();
        if let Some(step) = entry.started.checked_sub(1).map(|i| &entry.steps[i]) {
            if !style.trim().is_empty() && !style.trim_end().ends_with(';') {
                style.push(';');
            }
            style.push_str(&step.declarations);
        }
        entry.written = style.clone();
        if attrs.style == style {
            return false;
        }
        attrs.set_style(style);
        true
    }

    /// Nodes with a step that has come due by `now` but is not applied yet.
    pub fn due(&self, now: Duration) -> Vec<NodeId> {
        self.nodes
            .iter()
            .filter(|(_, e)| e.steps.get(e.started).is_some_and(|s| s.start <= now))
            .map(|(&id, _)| id)
            .collect()
    }

    /// Whether some step has not started yet.
    pub fn is_playing(&self) -> bool {
        self.nodes.values().any(|e| e.started < e.steps.len())
    }

    /// `id` left the page.
    pub fn forget(&mut self, id: NodeId) {
        self.nodes.remove(&id);
    }
}

/// The steps of an exported animation (`{actions: [...]}`, or the actions
/// array itself) starting at `now`. Malformed actions are skipped.
pub fn steps_of(value: &Value, now: Duration) -> Vec<Step> {
    let actions = value
        .get("actions")
        .and_then(Value::as_array)
        .or_else(|| value.as_array());
    let mut start = now;
    let mut steps = Vec::new();
    for action in actions.into_iter().flatten() {
        let transition = &action["option"]["transition"];
        let ms = |v: &Value, default: f64| v.as_f64().filter(|x| x.is_finite()).unwrap_or(default);
        let duration = ms(&transition["duration"], 400.0).max(0.0);
        let delay = ms(&transition["delay"], 0.0);
        let timing = transition["timingFunction"]
            .as_str()
            .filter(|t| TIMING_FUNCTIONS.contains(t))
            .unwrap_or("linear");
        let origin = action["option"]["transformOrigin"]
            .as_str()
            .filter(|o| is_plain(o))
            .unwrap_or("50% 50% 0");
        let (transform, styles) = targets(&action["animates"]);
        let mut properties: Vec<&str> = styles.iter().map(|(n, _)| n.as_str()).collect();
        if !transform.is_empty() {
            properties.insert(0, "transform");
        }
        let mut css = String::new();
        if !properties.is_empty() {
            let _ = write!(
                css,
                "transition-property:{};transition-duration:{duration}ms;transition-timing-function:{timing};transition-delay:{delay}ms;",
                properties.join(",")
            );
        }
        if !transform.is_empty() {
            let _ = write!(
                css,
                "transform-origin:{origin};transform:{};",
                transform.join(" ")
            );
        }
        for (name, value) in &styles {
            let _ = write!(css, "{name}:{value};");
        }
        steps.push(Step {
            start,
            declarations: css,
        });
        let elapsed = (delay + duration).max(0.0);
        start += Duration::from_secs_f64(elapsed / 1000.0);
    }
    steps
}

const TIMING_FUNCTIONS: [&str; 7] = [
    "linear",
    "ease",
    "ease-in",
    "ease-in-out",
    "ease-out",
    "step-start",
    "step-end",
];

/// Style properties an action may set (Animation's style methods).
const STYLE_PROPERTIES: [&str; 8] = [
    "opacity",
    "background-color",
    "width",
    "height",
    "top",
    "left",
    "right",
    "bottom",
];

/// A value that cannot break out of its declaration.
fn is_plain(text: &str) -> bool {
    !text.contains([';', '{', '}', '!'])
}

/// An action's transform functions (CSS text, in order) and style targets.
fn targets(animates: &Value) -> (Vec<String>, Vec<(String, String)>) {
    let mut transform = Vec::new();
    let mut styles = Vec::new();
    for animate in animates.as_array().into_iter().flatten() {
        let Some(kind) = animate["type"].as_str() else {
            continue;
        };
        let args = animate["args"].as_array().cloned().unwrap_or_default();
        if kind == "style" {
            let name = args.first().and_then(Value::as_str);
            if let (Some(name), Some(raw)) = (name, args.get(1)) {
                let unit = match name {
                    "opacity" | "background-color" => "",
                    _ => "px",
                };
                let value = css_value(raw, unit);
                if STYLE_PROPERTIES.contains(&name) && !value.is_empty() && is_plain(&value) {
                    styles.push((name.to_owned(), value));
                }
            }
            continue;
        }
        if let Some(function) = transform_function(kind, &args) {
            transform.push(function);
        }
    }
    (transform, styles)
}

/// A number gets `unit`; a string is taken as written.
fn css_value(value: &Value, unit: &str) -> String {
    match value {
        Value::Number(n) => format!("{}{unit}", n.as_f64().unwrap_or(0.0)),
        Value::String(s) => s.clone(),
        _ => String::new(),
    }
}

/// `rotate` + `[45]` -> `rotate(45deg)`; unknown types and bad arguments
/// are dropped.
fn transform_function(kind: &str, args: &[Value]) -> Option<String> {
    let unit_of = |index: usize| -> &'static str {
        match kind {
            "rotate" | "rotateX" | "rotateY" | "rotateZ" | "skew" | "skewX" | "skewY" => "deg",
            "rotate3d" if index == 3 => "deg",
            "translate" | "translateX" | "translateY" | "translateZ" | "translate3d" => "px",
            _ => "",
        }
    };
    let arity = match kind {
        "rotate" | "rotateX" | "rotateY" | "rotateZ" | "skewX" | "skewY" | "scaleX" | "scaleY"
        | "scaleZ" | "translateX" | "translateY" | "translateZ" => 1,
        "skew" | "scale" | "translate" => 2,
        "scale3d" | "translate3d" => 3,
        "rotate3d" => 4,
        "matrix" => 6,
        "matrix3d" => 16,
        _ => return None,
    };
    if args.len() < arity {
        return None;
    }
    let parts: Vec<String> = args[..arity]
        .iter()
        .enumerate()
        .map(|(i, v)| css_value(v, unit_of(i)))
        .collect();
    if parts.iter().any(|p| p.is_empty() || !is_plain(p)) {
        return None;
    }
    Some(format!("{kind}({})", parts.join(",")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    #[test]
    fn actions_become_timed_steps() {
        let exported = json!({"actions": [
            {"animates": [{"type": "rotate", "args": [45]}, {"type": "style", "args": ["opacity", 0.5]}],
             "option": {"transition": {"duration": 400, "timingFunction": "ease", "delay": 100}, "transformOrigin": "50% 50% 0"}},
            {"animates": [{"type": "translate", "args": [10, 20]}, {"type": "style", "args": ["width", 30]}],
             "option": {"transition": {"duration": 200, "timingFunction": "nonsense", "delay": 0}, "transformOrigin": "0 0"}},
        ]});
        let steps = steps_of(&exported, ms(1000));
        assert_eq!(steps.len(), 2);
        assert_eq!(steps[0].start, ms(1000));
        assert_eq!(
            steps[0].declarations,
            "transition-property:transform,opacity;transition-duration:400ms;transition-timing-function:ease;transition-delay:100ms;transform-origin:50% 50% 0;transform:rotate(45deg);opacity:0.5;"
        );
        // After the first step's delay and duration.
        assert_eq!(steps[1].start, ms(1500));
        assert!(steps[1]
            .declarations
            .contains("transition-timing-function:linear;"));
        assert!(steps[1]
            .declarations
            .contains("transform:translate(10px,20px);"));
        assert!(steps[1].declarations.contains("width:30px;"));
    }

    #[test]
    fn the_inline_style_gets_the_started_step_and_keeps_its_base() {
        let mut player = StepPlayer::default();
        let mut attrs = Attributes::default();
        attrs.set_style("color: red".into());
        attrs.other.insert(
            "animation".into(),
            json!({"actions": [
                {"animates": [{"type": "scale", "args": [2, 2]}], "option": {"transition": {"duration": 100}}},
                {"animates": [{"type": "scale", "args": [3, 3]}], "option": {"transition": {"duration": 100}}},
            ]}),
        );
        assert!(player.prepare(NodeId(1), &mut attrs, ms(0)));
        assert!(attrs
            .style
            .starts_with("color: red;transition-property:transform;"));
        assert!(attrs.style.ends_with("transform:scale(2,2);"));
        assert!(player.is_playing());
        assert_eq!(player.due(ms(99)), Vec::<NodeId>::new());
        assert_eq!(player.due(ms(100)), vec![NodeId(1)]);
        // setData replaces the style: the running step is appended again.
        attrs.set_style("color: blue".into());
        assert!(player.prepare(NodeId(1), &mut attrs, ms(100)));
        assert!(attrs.style.starts_with("color: blue;"));
        assert!(attrs.style.ends_with("transform:scale(3,3);"));
        assert!(!player.is_playing());
        // Same value again: nothing restarts.
        assert!(!player.prepare(NodeId(1), &mut attrs, ms(500)));
    }

    #[test]
    fn malformed_actions_play_nothing_and_never_panic() {
        for bad in [
            json!(null),
            json!("x"),
            json!({"actions": 3}),
            json!({"actions": [{"animates": [{"type": "rotate"}, {"type": "style", "args": ["position", "fixed"]}, {"type": "style", "args": ["width", "1px;color:red"]}]}]}),
        ] {
            let steps = steps_of(&bad, ms(0));
            assert!(
                steps.iter().all(|s| s.declarations.is_empty()),
                "{bad}: {steps:?}"
            );
        }
    }
}
