//! CSS custom properties (`--name: value`) and `var()` substitution.
//!
//! float-pigment keeps a declaration that contains `var()` as its raw text
//! (`Var(expr)`, or `VarInShorthand(shorthand, expr)` for each longhand of a
//! shorthand); the host substitutes and re-parses it. Custom property values
//! stored in a [`CustomProperties`] map are already substituted, so a child
//! inherits the value its parent computed (CSS computed-value semantics).
//!
//! Invariants: substitution never loops (depth limit doubles as the cycle
//! guard) and a reference with neither a value nor a fallback makes the
//! whole declaration invalid (`None`), which the cascade treats as `unset`.

use std::collections::HashMap;
use std::sync::Arc;

/// Resolved custom properties of one element (inherited ones included).
pub type CustomProperties = Arc<HashMap<String, String>>;

/// How deep `var()` references may nest before we call it a cycle.
const MAX_DEPTH: u32 = 32;

/// Substitutes every `var(--name[, fallback])` in `text`.
pub(crate) fn substitute(text: &str, lookup: &dyn Fn(&str) -> Option<String>) -> Option<String> {
    substitute_at(text, lookup, 0)
}

fn substitute_at(
    text: &str,
    lookup: &dyn Fn(&str) -> Option<String>,
    depth: u32,
) -> Option<String> {
    if depth > MAX_DEPTH {
        return None;
    }
    let lower = text.to_ascii_lowercase();
    let Some(start) = lower.find("var(") else {
        return Some(text.to_owned());
    };
    let args_start = start + 4;
    let bytes = text.as_bytes();
    let mut nesting = 1;
    let mut end = None;
    let mut comma = None;
    for (offset, &b) in bytes[args_start..].iter().enumerate() {
        match b {
            b'(' => nesting += 1,
            b')' => {
                nesting -= 1;
                if nesting == 0 {
                    end = Some(args_start + offset);
                    break;
                }
            }
            b',' if nesting == 1 && comma.is_none() => comma = Some(args_start + offset),
            _ => {}
        }
    }
    let end = end?;
    let name = text[args_start..comma.unwrap_or(end)].trim();
    let fallback = comma.map(|c| text[c + 1..end].trim());
    let replacement = match lookup(name) {
        Some(value) => substitute_at(&value, lookup, depth + 1)?,
        None => substitute_at(fallback?, lookup, depth + 1)?,
    };
    let rest = substitute_at(&text[end + 1..], lookup, depth + 1)?;
    Some(format!("{}{}{}", &text[..start], replacement, rest))
}

/// Computes an element's custom properties: the parent's, overridden by the
/// element's own declarations (given in cascade order, later wins), each
/// substituted against the element's other declarations and the parent's.
pub(crate) fn compute_custom_properties(
    parent: &CustomProperties,
    declared: &[(String, String)],
) -> CustomProperties {
    if declared.is_empty() {
        return parent.clone();
    }
    let mut own: HashMap<&str, &str> = HashMap::new();
    for (name, value) in declared {
        own.insert(name.as_str(), value.as_str());
    }
    let mut resolved: HashMap<String, String> = (**parent).clone();
    for (&name, &raw) in &own {
        let lookup = |n: &str| -> Option<String> {
            if n == name {
                return None; // self-reference is a cycle
            }
            match own.get(n) {
                Some(v) => Some((*v).to_owned()),
                None => parent.get(n).cloned(),
            }
        };
        match substitute(raw, &lookup) {
            // An empty custom property is valid and substitutes to nothing.
            Some(value) => {
                resolved.insert(name.to_owned(), value.trim().to_owned());
            }
            None => {
                resolved.remove(name);
            }
        }
    }
    Arc::new(resolved)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(pairs: &[(&str, &str)]) -> CustomProperties {
        Arc::new(
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        )
    }

    #[test]
    fn substitutes_with_fallback() {
        let vars = map(&[("--a", "10px")]);
        let lookup = |n: &str| vars.get(n).cloned();
        assert_eq!(
            substitute("var(--a) var(--b, 3px)", &lookup).as_deref(),
            Some("10px 3px")
        );
        assert_eq!(
            substitute("calc(var(--a) * 2)", &lookup).as_deref(),
            Some("calc(10px * 2)")
        );
        assert_eq!(substitute("var(--missing)", &lookup), None);
        assert_eq!(
            substitute("var(--x, var(--a))", &lookup).as_deref(),
            Some("10px")
        );
    }

    #[test]
    fn cycles_are_invalid() {
        let parent = map(&[]);
        let declared = vec![
            ("--a".to_owned(), "var(--b)".to_owned()),
            ("--b".to_owned(), "var(--a)".to_owned()),
        ];
        let computed = compute_custom_properties(&parent, &declared);
        assert!(computed.get("--a").is_none());
        let chained = vec![
            ("--a".to_owned(), "var(--b)".to_owned()),
            ("--b".to_owned(), "red".to_owned()),
        ];
        let computed = compute_custom_properties(&parent, &chained);
        assert_eq!(computed.get("--a").map(String::as_str), Some("red"));
    }
}
