//! CSS custom properties (`--name: value`) and `var()` substitution.
//!
//! float-pigment keeps a declaration that contains `var()` as its raw text
//! (`Var(expr)`, or `VarInShorthand(shorthand, expr)` for each longhand of a
//! shorthand); the host substitutes and re-parses it. Custom property values
//! stored in a [`CustomProperties`] map are already substituted, so a child
//! inherits the value its parent computed (CSS computed-value semantics).
//!
//! Invariants, so that no sheet can make substitution loop or explode:
//! - each custom property of an element is resolved once (memoised), so a
//!   "billion laughs" chain (`--b: var(--a) var(--a)`, `--c: var(--b)
//!   var(--b)`, ...) costs the length of its output, not 2^n lookups;
//! - a reference cycle makes every property on it invalid (CSS Variables
//!   1, section 2.3), found by marking properties being resolved;
//! - a substituted value longer than [`MAX_SUBSTITUTED_LEN`] is invalid;
//! - references and fallbacks nest at most [`MAX_DEPTH`] deep;
//! - a reference with neither a value nor a fallback makes the whole
//!   declaration invalid (`None`), which the cascade treats as `unset`.

use std::collections::HashMap;
use std::sync::Arc;

/// Resolved custom properties of one element (inherited ones included).
pub type CustomProperties = Arc<HashMap<String, String>>;

/// How deep `var()` references (a property whose value names another)
/// and fallbacks (`var(--a, var(--b, ...))`) may nest: 32. Real themes
/// chain a few levels; the limit bounds the resolver's recursion. Values
/// already resolved (in name order) are reused without descending again,
/// so a longer chain may still resolve; the outcome depends only on the
/// declarations, never on hash order.
pub(crate) const MAX_DEPTH: u32 = 32;

/// The longest a value may grow by substitution: 64 KiB. Chrome and
/// Firefox likewise make a custom property invalid past a size limit
/// (Chrome: 2 MiB of tokens; ours is smaller because every element that
/// redeclares a property keeps its own copy). Real values are well under
/// 1 KiB.
pub(crate) const MAX_SUBSTITUTED_LEN: usize = 64 * 1024;

/// Substitutes every `var(--name[, fallback])` in `text`; `lookup` returns
/// already substituted values, which are inserted as they are.
pub(crate) fn substitute(text: &str, lookup: &dyn Fn(&str) -> Option<String>) -> Option<String> {
    let mut out = String::new();
    let mut too_deep = false;
    substitute_into(
        text,
        &mut |name, _| lookup(name),
        0,
        &mut too_deep,
        &mut out,
    )?;
    Some(out)
}

/// Where a `var(` starts (case-insensitive), from `from` on.
fn find_var(text: &str, from: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    (from..bytes.len().saturating_sub(3)).find(|&i| {
        bytes[i..i + 4].eq_ignore_ascii_case(b"var(")
            // `avar(` is another function.
            && (i == 0 || !(bytes[i - 1].is_ascii_alphanumeric() || matches!(bytes[i - 1], b'-' | b'_')))
    })
}

/// Appends `text` with its references substituted to `out`; `None` when a
/// reference cannot be resolved or the result is too long (`too_deep` is
/// set when it is because of [`MAX_DEPTH`]). `resolve` gets a name and the
/// depth its value is resolved at.
fn substitute_into(
    text: &str,
    resolve: &mut dyn FnMut(&str, u32) -> Option<String>,
    depth: u32,
    too_deep: &mut bool,
    out: &mut String,
) -> Option<()> {
    if depth > MAX_DEPTH {
        *too_deep = true;
        return None;
    }
    let bytes = text.as_bytes();
    let mut copied = 0;
    while let Some(start) = find_var(text, copied) {
        out.push_str(&text[copied..start]);
        let args_start = start + 4;
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
        match resolve(name, depth + 1) {
            Some(value) => out.push_str(&value),
            None => {
                let fallback = comma.map(|c| text[c + 1..end].trim())?;
                substitute_into(fallback, resolve, depth + 1, too_deep, out)?;
            }
        }
        if out.len() > MAX_SUBSTITUTED_LEN {
            return None;
        }
        copied = end + 1;
    }
    out.push_str(&text[copied..]);
    (out.len() <= MAX_SUBSTITUTED_LEN).then_some(())
}

/// The state of one declared custom property while an element's are
/// resolved.
enum Resolution {
    InProgress,
    Done(Option<String>),
}

/// Resolves an element's declared custom properties against each other
/// and the inherited ones.
struct Resolver<'a> {
    declared: HashMap<&'a str, &'a str>,
    parent: &'a HashMap<String, String>,
    state: HashMap<&'a str, Resolution>,
    /// The properties being resolved, outermost first.
    stack: Vec<&'a str>,
    /// Properties found on a reference cycle: invalid, fallbacks or not.
    cyclic: std::collections::HashSet<&'a str>,
    /// Set when a resolution failed on [`MAX_DEPTH`]: such a failure
    /// depends on how deep the property was reached, so it is not cached
    /// (the result must not depend on the order properties are visited).
    too_deep: bool,
}

impl<'a> Resolver<'a> {
    /// The substituted value of `name` as this element sees it.
    fn value_of(&mut self, name: &str, depth: u32) -> Option<String> {
        let Some((&key, &raw)) = self.declared.get_key_value(name) else {
            return self.parent.get(name).cloned();
        };
        match self.state.get(key) {
            Some(Resolution::Done(value)) => return value.clone(),
            // A cycle: every property on it is invalid.
            Some(Resolution::InProgress) => {
                if let Some(at) = self.stack.iter().position(|&n| n == key) {
                    self.cyclic.extend(self.stack[at..].iter().copied());
                }
                return None;
            }
            None => {}
        }
        self.state.insert(key, Resolution::InProgress);
        self.stack.push(key);
        let outer_too_deep = std::mem::replace(&mut self.too_deep, false);
        let mut too_deep = false;
        let mut out = String::new();
        let value = substitute_into(
            raw,
            &mut |n, d| self.value_of(n, d),
            depth,
            &mut too_deep,
            &mut out,
        )
        .map(|()| out.trim().to_owned())
        .filter(|_| !self.cyclic.contains(key));
        self.stack.pop();
        let too_deep = too_deep || self.too_deep;
        self.too_deep = outer_too_deep || too_deep;
        if value.is_none() && too_deep {
            self.state.remove(key);
        } else {
            self.state.insert(key, Resolution::Done(value.clone()));
        }
        value
    }
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
    // Sorted: which chains the memo shortens past MAX_DEPTH (and which
    // member of a cycle is found first) must not depend on hash order.
    let mut names: Vec<&str> = own.keys().copied().collect();
    names.sort_unstable();
    let mut resolver = Resolver {
        declared: own,
        parent,
        state: HashMap::new(),
        stack: Vec::new(),
        cyclic: Default::default(),
        too_deep: false,
    };
    let mut resolved: HashMap<String, String> = (**parent).clone();
    for name in names {
        // An empty custom property is valid and substitutes to nothing.
        match resolver.value_of(name, 0) {
            Some(value) => {
                resolved.insert(name.to_owned(), value);
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

    #[test]
    fn many_references_in_one_value_are_fine() {
        let vars = map(&[("--a", "1px")]);
        let lookup = |n: &str| vars.get(n).cloned();
        let text = "var(--a) ".repeat(1000);
        let out = substitute(&text, &lookup).unwrap_or_default();
        assert_eq!(out.matches("1px").count(), 1000);
    }

    #[test]
    fn billion_laughs_is_cut_off_quickly() {
        let parent = map(&[]);
        let mut declared = vec![("--l0".to_owned(), "lol lol lol lol".to_owned())];
        for level in 1..40 {
            let previous = format!("var(--l{}) ", level - 1);
            declared.push((format!("--l{level}"), previous.repeat(10)));
        }
        let started = std::time::Instant::now();
        let computed = compute_custom_properties(&parent, &declared);
        assert!(started.elapsed().as_secs() < 2, "{:?}", started.elapsed());
        assert!(computed.get("--l3").is_some_and(|v| v.len() > 10_000));
        assert!(computed.get("--l5").is_none(), "over the size limit");
        assert!(computed.values().all(|v| v.len() <= MAX_SUBSTITUTED_LEN));
    }

    #[test]
    fn empty_billion_laughs_is_linear() {
        // No output to bound: memoisation is what keeps this fast.
        let parent = map(&[]);
        let mut declared = vec![("--e0".to_owned(), String::new())];
        for level in 1..30 {
            let previous = format!("var(--e{})", level - 1);
            declared.push((format!("--e{level}"), previous.repeat(10)));
        }
        let started = std::time::Instant::now();
        let computed = compute_custom_properties(&parent, &declared);
        assert!(started.elapsed().as_secs() < 2, "{:?}", started.elapsed());
        assert_eq!(computed.get("--e29").map(String::as_str), Some(""));
    }

    #[test]
    fn long_chains_resolve_the_same_in_any_order() {
        let parent = map(&[]);
        let mut declared = vec![("--c0".to_owned(), "red".to_owned())];
        for level in 1..100 {
            declared.push((format!("--c{level}"), format!("var(--c{})", level - 1)));
        }
        let first = compute_custom_properties(&parent, &declared);
        declared.reverse();
        let second = compute_custom_properties(&parent, &declared);
        assert_eq!(first, second);
        assert_eq!(first.get("--c10").map(String::as_str), Some("red"));
        // A three-way cycle next to it is invalid as a whole.
        let cycle = vec![
            ("--x".to_owned(), "var(--y)".to_owned()),
            ("--y".to_owned(), "var(--z)".to_owned()),
            ("--z".to_owned(), "var(--x) var(--x)".to_owned()),
            ("--ok".to_owned(), "var(--x, blue)".to_owned()),
        ];
        let computed = compute_custom_properties(&parent, &cycle);
        assert!(computed.get("--x").is_none() && computed.get("--z").is_none());
        assert_eq!(computed.get("--ok").map(String::as_str), Some("blue"));
        // Fallbacks do not rescue a property on a cycle, whichever is first.
        for order in [["--a", "--b"], ["--b", "--a"]] {
            let declared: Vec<(String, String)> = order
                .iter()
                .map(|&n| {
                    let other = if n == "--a" { "--b" } else { "--a" };
                    (n.to_owned(), format!("var({other}, 1px)"))
                })
                .collect();
            let computed = compute_custom_properties(&parent, &declared);
            assert!(computed.get("--a").is_none() && computed.get("--b").is_none());
        }
    }
}
