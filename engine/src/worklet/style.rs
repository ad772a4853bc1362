//! The style object an `applyAnimatedStyle` updater returns, as CSS
//! declarations for the node's animated style.
//!
//! Updaters return what Skyline's take: `{ opacity: 0.5, transform:
//! 'translateY(20px)', backgroundColor: '#f00' }`. Keys are camelCase or
//! kebab-case; a number is in px for lengths and unitless otherwise (as in
//! Skyline and React Native's style objects); `transform` may also be an
//! array of one-key objects (`[{ translateX: 10 }, { scale: 2 }]`, the
//! Reanimated form), where a number is px for translations and deg for
//! rotations and skews. `null`/`undefined` values are left out, so the
//! cascaded value shows again.

use serde_json::Value;

/// Properties whose numbers have no unit.
const UNITLESS: &[&str] = &[
    "opacity",
    "z-index",
    "flex",
    "flex-grow",
    "flex-shrink",
    "order",
    "font-weight",
    "line-height",
    "aspect-ratio",
];

/// `{opacity: 0.5, backgroundColor: 'red'}` -> `opacity:0.5;background-color:red;`.
/// Anything but an object gives no declarations.
pub fn declarations(style: &Value) -> String {
    let Value::Object(map) = style else {
        return String::new();
    };
    let mut out = String::new();
    for (key, value) in map {
        let property = kebab(key);
        let Some(text) = value_text(&property, value) else {
            continue;
        };
        // A value that could end the declaration is not one.
        if text.contains([';', '{', '}']) {
            continue;
        }
        out.push_str(&property);
        out.push(':');
        out.push_str(&text);
        out.push(';');
    }
    out
}

fn kebab(key: &str) -> String {
    if key.starts_with("--") {
        return key.to_owned();
    }
    let mut out = String::with_capacity(key.len() + 4);
    for c in key.chars() {
        if c.is_ascii_uppercase() {
            out.push('-');
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

fn value_text(property: &str, value: &Value) -> Option<String> {
    match value {
        Value::Null | Value::Object(_) => None,
        Value::Bool(_) => None,
        Value::String(text) => Some(text.clone()),
        Value::Number(n) => {
            let n = n.as_f64()?;
            Some(if UNITLESS.contains(&property) || n == 0.0 {
                number(n)
            } else {
                format!("{}px", number(n))
            })
        }
        Value::Array(items) if property == "transform" => Some(transform_list(items)),
        Value::Array(_) => None,
    }
}

/// `[{translateX: 10}, {rotate: '45deg'}, {scale: 2}]` -> CSS functions.
fn transform_list(items: &[Value]) -> String {
    let mut out = Vec::new();
    for item in items {
        let Value::Object(step) = item else { continue };
        for (name, argument) in step {
            let text = match argument {
                Value::String(text) => text.clone(),
                Value::Number(n) => {
                    let n = n.as_f64().unwrap_or(0.0);
                    if name.starts_with("translate") || name == "perspective" {
                        format!("{}px", number(n))
                    } else if name.starts_with("rotate") || name.starts_with("skew") {
                        format!("{}deg", number(n))
                    } else {
                        number(n)
                    }
                }
                _ => continue,
            };
            out.push(format!("{name}({text})"));
        }
    }
    if out.is_empty() {
        "none".to_owned()
    } else {
        out.join(" ")
    }
}

/// A number as CSS writes it: no exponent, no trailing zeros.
fn number(n: f64) -> String {
    if !n.is_finite() {
        return "0".to_owned();
    }
    let text = format!("{n:.4}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    if text == "-0" {
        "0".to_owned()
    } else {
        text.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn objects_become_declarations_with_px_for_lengths() {
        assert_eq!(
            declarations(
                &json!({"opacity": 0.5, "width": 120, "backgroundColor": "#ff0000", "zIndex": 3, "top": 0})
            ),
            // (serde_json's maps are sorted by key.)
            "background-color:#ff0000;opacity:0.5;top:0;width:120px;z-index:3;"
        );
    }

    #[test]
    fn transform_arrays_are_written_as_css_functions() {
        assert_eq!(
            declarations(
                &json!({"transform": [{"translateY": 20.5}, {"rotate": 45}, {"scale": 1.25}]})
            ),
            "transform:translateY(20.5px) rotate(45deg) scale(1.25);"
        );
        assert_eq!(
            declarations(&json!({"transform": "translateX(3px)"})),
            "transform:translateX(3px);"
        );
    }

    #[test]
    fn nothing_can_escape_the_declaration() {
        assert_eq!(
            declarations(&json!({"color": "red;} .x{color:blue", "left": null, "height": 1e-7})),
            "height:0px;"
        );
        assert_eq!(declarations(&json!([1, 2])), "");
    }
}
