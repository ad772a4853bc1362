//! What `grass` must not be given: recursive `@mixin`s and `@function`s.
//!
//! Why this exists: grass 0.13 has no recursion limit. `@mixin m {
//! @include m; }` (or a function that calls itself) recurses until the
//! thread's stack overflows, which aborts the whole process; even a
//! terminating recursion costs a large native frame per level. So every
//! SCSS file is scanned (linearly) before grass evaluates it: the
//! `@include`s inside each `@mixin` and the calls inside each `@function`
//! make a graph across all the files of one compilation, and a cycle in it
//! refuses the compilation, located at the reference that closes the
//! cycle. This refuses legitimate self-recursion too (rare in mini program
//! styles; lessc-style loops are written with `@for`/`@each` in Sass).
//! Sass treats `-` and `_` in names as the same, and so does this graph.
//!
//! A function named in a string (`call(get-function("f"))`) is a call of
//! it here too.
//!
//! Loops (`@while`, `@for`, `@each`) are bounded another way: grass would
//! run `@while true {}` or `@for $i from 1 through 1e9` for ever, so each
//! loop body gets a counter inserted right after its `{` ([`bound_loops`]),
//! which stops the compilation with an `@error` located at the loop. A
//! mixin's content block (`@include m { ... }`) gets one too, since a mixin
//! may run its `@content` in a loop. The counter advances by what one
//! repetition costs: 1 plus the @mixin/@function bodies it expands, as
//! estimated by [`crate::scss_budget`], so a loop that includes a big mixin
//! stops after proportionally fewer iterations.

use std::borrow::Cow;
use std::collections::HashMap;

/// How many loop steps one SCSS compilation may make, all `@while`,
/// `@for` and `@each` iterations and content-block runs of a module
/// together, each counted as 1 plus the @mixin/@function bodies it
/// expands: 100,000. Utility-class generators in real projects run a few
/// hundred to a few thousand; the bound keeps a runaway loop to well under
/// a second.
pub const MAX_LOOP_ITERATIONS: u32 = 100_000;

/// Where a reference was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Site {
    pub file: String,
    pub offset: usize,
}

/// Mixins and functions are separate namespaces.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Kind {
    Mixin,
    Function,
}

/// Definitions seen so far and what each refers to.
#[derive(Default)]
pub struct CallGraph {
    edges: HashMap<(Kind, String), Vec<(String, Site)>>,
}

/// Sass names: `-` and `_` are the same character; a module prefix
/// (`lib.name`) does not change which definition is meant here.
fn normalize(name: &str) -> String {
    let local = name.rsplit('.').next().unwrap_or(name);
    local.replace('_', "-")
}

fn is_name_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.') || b >= 0x80
}

/// Skips a comment or string starting at `i`; returns the next index, or
/// `None` when nothing opaque starts there.
fn skip_opaque(bytes: &[u8], i: usize) -> Option<usize> {
    match (bytes[i], bytes.get(i + 1)) {
        (b'/', Some(b'*')) => Some(find(bytes, i + 2, b"*/").map_or(bytes.len(), |end| end + 2)),
        (b'/', Some(b'/')) => Some(
            bytes[i..]
                .iter()
                .position(|&b| b == b'\n')
                .map_or(bytes.len(), |n| i + n),
        ),
        (quote @ (b'"' | b'\''), _) => {
            let mut j = i + 1;
            while j < bytes.len() && bytes[j] != quote && bytes[j] != b'\n' {
                j += if bytes[j] == b'\\' { 2 } else { 1 };
            }
            Some((j + 1).min(bytes.len()))
        }
        _ => None,
    }
}

fn find(bytes: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    bytes
        .get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|n| from + n)
}

fn name_at(bytes: &[u8], mut i: usize) -> (usize, usize) {
    while i < bytes.len() && bytes[i].is_ascii_whitespace() {
        i += 1;
    }
    let start = i;
    while i < bytes.len() && is_name_byte(bytes[i]) {
        i += 1;
    }
    (start, i)
}

/// An open definition body: its key and the brace depth it closes at.
struct OpenDefinition {
    key: (Kind, String),
    depth: usize,
}

impl CallGraph {
    /// Adds the definitions of one file; returns the reference closing a
    /// cycle, if the graph now has one.
    pub fn add_file(&mut self, file: &str, text: &str) -> Option<(String, Site)> {
        let bytes = text.as_bytes();
        let mut open: Vec<OpenDefinition> = Vec::new();
        let mut pending: Option<(Kind, String)> = None;
        let mut depth = 0usize;
        let mut i = 0;
        while i < bytes.len() {
            if let Some(next) = skip_opaque(bytes, i) {
                i = next;
                continue;
            }
            match bytes[i] {
                b'{' => {
                    depth += 1;
                    if let Some(key) = pending.take() {
                        self.edges.entry(key.clone()).or_default();
                        open.push(OpenDefinition { key, depth });
                    }
                    i += 1;
                }
                b'}' => {
                    if open.last().is_some_and(|d| d.depth == depth) {
                        open.pop();
                    }
                    depth = depth.saturating_sub(1);
                    i += 1;
                }
                b'@' => {
                    let (start, end) = name_at(bytes, i + 1);
                    let keyword = &text[start..end];
                    let (name_start, name_end) = name_at(bytes, end);
                    let name = normalize(&text[name_start..name_end]);
                    match keyword {
                        "mixin" if !name.is_empty() => pending = Some((Kind::Mixin, name)),
                        "function" if !name.is_empty() => pending = Some((Kind::Function, name)),
                        "include" if !name.is_empty() => {
                            let site = Site {
                                file: file.to_owned(),
                                offset: name_start,
                            };
                            for definition in &open {
                                if definition.key.0 == Kind::Mixin {
                                    self.edges
                                        .entry(definition.key.clone())
                                        .or_default()
                                        .push((name.clone(), site.clone()));
                                }
                            }
                        }
                        _ => {}
                    }
                    i = end.max(i + 1);
                }
                b if is_name_byte(b) => {
                    let (start, end) = name_at(bytes, i);
                    if bytes.get(end) == Some(&b'(')
                        && open.iter().any(|d| d.key.0 == Kind::Function)
                    {
                        let mut name = normalize(&text[start..end]);
                        if name == "get-function" {
                            // `get-function("f")`: a call of `f`.
                            let (quoted, _) = name_at(bytes, end + 1);
                            let arg_start = if matches!(bytes.get(quoted), Some(b'"' | b'\'')) {
                                quoted + 1
                            } else {
                                quoted
                            };
                            let (named_start, named_end) = name_at(bytes, arg_start);
                            if named_end > named_start {
                                name = normalize(&text[named_start..named_end]);
                            }
                        }
                        let site = Site {
                            file: file.to_owned(),
                            offset: start,
                        };
                        for definition in open.iter().filter(|d| d.key.0 == Kind::Function) {
                            self.edges
                                .entry(definition.key.clone())
                                .or_default()
                                .push((name.clone(), site.clone()));
                        }
                    }
                    i = end.max(i + 1);
                }
                _ => i += 1,
            }
        }
        self.find_cycle()
    }

    /// A reference on a cycle (iterative depth-first search, so a long
    /// chain of definitions cannot overflow the stack either).
    fn find_cycle(&self) -> Option<(String, Site)> {
        #[derive(Clone, Copy, PartialEq)]
        enum Mark {
            Active,
            Done,
        }
        let mut marks: HashMap<&(Kind, String), Mark> = HashMap::new();
        // Sorted, so the same files always report the same reference.
        let mut roots: Vec<&(Kind, String)> = self.edges.keys().collect();
        roots.sort();
        for root in roots {
            if marks.contains_key(root) {
                continue;
            }
            marks.insert(root, Mark::Active);
            let mut stack = vec![(root, 0usize)];
            while let Some((node, next_edge)) = stack.last_mut() {
                let node = *node;
                let edges = &self.edges[node];
                let Some((target, site)) = edges.get(*next_edge) else {
                    marks.insert(node, Mark::Done);
                    stack.pop();
                    continue;
                };
                *next_edge += 1;
                let Some((key, _)) = self.edges.get_key_value(&(node.0, target.clone())) else {
                    continue;
                };
                match marks.get(key) {
                    Some(Mark::Active) => return Some((target.clone(), site.clone())),
                    Some(Mark::Done) => {}
                    None => {
                        marks.insert(key, Mark::Active);
                        stack.push((key, 0));
                    }
                }
            }
        }
        None
    }
}

/// Inserts a step counter at the start of every loop body and content
/// block of an SCSS (not indented Sass) file; `weights` (by the offset of
/// the loop's or `@include`'s `@`) says how many steps one run counts for
/// (1 where absent). The text goes on the loop's own line, so line numbers
/// stay right (columns after it on that line shift). Reading the counter
/// through `if(global-variable-exists(...))` needs no declaration at the
/// top of the file, where it would shift line 1 and could precede a `@use`.
pub fn bound_loops<'t>(text: &'t str, weights: &HashMap<usize, u64>) -> Cow<'t, str> {
    let bytes = text.as_bytes();
    let mut inserts: Vec<(usize, u64)> = Vec::new();
    let mut awaiting_body: Option<u64> = None;
    let mut i = 0;
    while i < bytes.len() {
        if let Some(next) = skip_opaque(bytes, i) {
            i = next;
            continue;
        }
        match bytes[i] {
            b'#' if bytes.get(i + 1) == Some(&b'{') => {
                // Interpolation: its braces are not a body.
                let mut depth = 0;
                while i < bytes.len() {
                    match bytes[i] {
                        b'{' => depth += 1,
                        b'}' => {
                            depth -= 1;
                            if depth == 0 {
                                break;
                            }
                        }
                        _ => {}
                    }
                    i += 1;
                }
                i += 1;
            }
            b'{' => {
                if let Some(weight) = awaiting_body.take() {
                    inserts.push((i + 1, weight));
                }
                i += 1;
            }
            b';' | b'}' => {
                awaiting_body = None;
                i += 1;
            }
            b'@' => {
                let (start, end) = name_at(bytes, i + 1);
                if start == i + 1
                    && matches!(&text[start..end], "while" | "for" | "each" | "include")
                {
                    let weight = weights.get(&i).copied().unwrap_or(1);
                    awaiting_body = Some(weight.clamp(1, u64::from(MAX_LOOP_ITERATIONS) + 1));
                }
                i = end.max(i + 1);
            }
            _ => i += 1,
        }
    }
    if inserts.is_empty() {
        return Cow::Borrowed(text);
    }
    let counter = |weight: u64| {
        format!(
            " $cirrus-loop-steps: if(global-variable-exists(cirrus-loop-steps), \
             $cirrus-loop-steps, 0) + {weight} !global; @if $cirrus-loop-steps > \
             {MAX_LOOP_ITERATIONS} {{ @error \"more than {MAX_LOOP_ITERATIONS} loop steps \
             (@while, @for, @each iterations and @content runs, with the mixins and functions \
             they expand): the loop does not end\"; }}"
        )
    };
    let mut out = String::with_capacity(text.len() + inserts.len() * 300);
    let mut copied = 0;
    for (at, weight) in inserts {
        out.push_str(&text[copied..at]);
        out.push_str(&counter(weight));
        copied = at;
    }
    out.push_str(&text[copied..]);
    Cow::Owned(out)
}

/// The message for a refused recursion.
pub fn recursion_message(name: &str) -> String {
    format!(
        "`{name}` is part of a recursive @mixin/@function chain; recursion is not supported \
         (the SCSS compiler has no recursion limit), so this file is not compiled"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_self_and_mutual_recursion() {
        let mut graph = CallGraph::default();
        assert_eq!(
            graph.add_file("a.scss", "@mixin m { @include n; } @mixin n { color: red }"),
            None
        );
        let (name, site) = graph
            .add_file(
                "b.scss",
                "// @include m\n@mixin n_2 { }\n@mixin n { @include lib.m; }",
            )
            .expect("cycle");
        assert_eq!(name, "m");
        assert_eq!(site.file, "b.scss");
        let mut graph = CallGraph::default();
        let (name, _) = graph
            .add_file(
                "f.scss",
                "@function f($n) { @if $n > 0 { @return f($n - 1); } @return 0; }",
            )
            .expect("cycle");
        assert_eq!(name, "f");
        // Through a function named in a string.
        let mut graph = CallGraph::default();
        let (name, _) = graph
            .add_file(
                "g.scss",
                "@function g($n) { @return call(get-function(\"g\"), $n); }",
            )
            .expect("cycle");
        assert_eq!(name, "g");
    }

    #[test]
    fn loop_bodies_get_a_counter_on_their_own_line() {
        let text = "@for $i from 1 through 3 {\n .a-#{$i} { w: 1 } }\n// @while x {\n@each $x in #{a}, b { }";
        let bounded = bound_loops(text, &HashMap::from([(0, 7)]));
        assert_eq!(bounded.matches("$cirrus-loop-steps: if(").count(), 2);
        assert_eq!(bounded.lines().count(), text.lines().count());
        assert!(bounded.starts_with("@for $i from 1 through 3 { $cirrus-loop-steps"));
        assert!(bounded.contains("$cirrus-loop-steps, 0) + 7 !global"));
        assert!(bounded.contains("$cirrus-loop-steps, 0) + 1 !global"));
        assert!(matches!(
            bound_loops(".a { @include for; }", &HashMap::new()),
            Cow::Borrowed(_)
        ));
        let content = bound_loops(".a { @include m(1px) { color: red; } }", &HashMap::new());
        assert!(
            content.contains("@include m(1px) { $cirrus-loop-steps"),
            "{content}"
        );
    }

    #[test]
    fn ordinary_code_has_no_cycle() {
        let mut graph = CallGraph::default();
        let text = "@function double($x) { @return $x * 2; }\n\
                    @mixin box($w) { width: double($w); @include other; }\n\
                    @mixin other { color: rgba(0, 0, 0, 0.5); }\n\
                    .a { @include box(2px); content: \"@include box\"; }";
        assert_eq!(graph.add_file("a.scss", text), None);
        let chain: String = (0..10_000)
            .map(|i| format!("@mixin m{i} {{ @include m{}; }}\n", i + 1))
            .collect();
        assert_eq!(graph.add_file("chain.scss", &chain), None);
    }
}
