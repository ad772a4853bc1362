//! Property-based fuzzing of precompiled WXSS decoding: mutations of valid
//! encodings with the checksum repaired (so the decoder itself, not the
//! checksum, meets the damage), decoded and then cascaded over a small
//! tree, must never panic nor take long.
//!
//! Case counts are small so `cargo test` stays quick in debug;
//! `PROPTEST_CASES=5000 cargo test -p cirrus-style fuzz` runs longer.

use std::time::{Duration, Instant};

use proptest::prelude::*;

use super::{checksum, HEADER_LEN};
use crate::element::StyleElement;
use crate::{StyleOptions, StyleSheets};

/// Sheets whose encodings get mutated: every kind of section and value.
const SEEDS: &[&str] = &[
    ".a { width: calc(100% - 20px + 1px * 2 - 3rpx); color: red } #b > .c:not(.d) + view { height: 1px !important }",
    "@import \"x.wxss\"; @media (prefers-color-scheme: dark) { .a::before { content: 'x'; margin: 1px 2px } }",
    "@keyframes k { from { opacity: 0 } 50% { transform: rotate(10deg) } to { opacity: 1 } } .k { animation: k 1s }",
    "@font-face { font-family: f; src: url(f.ttf) } .a:nth-child(2n + 1 of .b) ~ [x=\"1\" i] { --v: 3px; width: var(--v) }",
    ".g { background: linear-gradient(45deg, red 10%, blue); box-shadow: 1px 2px 3px #000; filter: blur(2px) }",
];

/// A tiny tree for the cascade: `view.a > view#b.c > text.d`.
#[derive(Clone, Copy)]
struct Node(usize);

const SPECS: [(&str, Option<&str>, &str); 3] = [
    ("view", None, "a"),
    ("view", Some("b"), "c"),
    ("text", None, "d"),
];

impl StyleElement for Node {
    fn tag_name(&self) -> &str {
        SPECS[self.0].0
    }
    fn id(&self) -> Option<&str> {
        SPECS[self.0].1
    }
    fn classes(&self) -> impl Iterator<Item = &str> + '_ {
        std::iter::once(SPECS[self.0].2)
    }
    fn inline_style(&self) -> Option<&str> {
        (self.0 == 2).then_some("width: var(--v, 1px)")
    }
    fn attribute(&self, name: &str) -> Option<&str> {
        (name == "x").then_some("1")
    }
    fn parent_element(&self) -> Option<Self> {
        self.0.checked_sub(1).map(Node)
    }
    fn previous_sibling_element(&self) -> Option<Self> {
        None
    }
    fn next_sibling_element(&self) -> Option<Self> {
        None
    }
    fn has_child_nodes(&self) -> bool {
        self.0 < 2
    }
}

/// One change to a byte string.
#[derive(Debug, Clone)]
enum Mutation {
    Set(usize, u8),
    Insert(usize, Vec<u8>),
    Remove(usize, usize),
    Truncate(usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        4 => (any::<usize>(), any::<u8>()).prop_map(|(at, b)| Mutation::Set(at, b)),
        1 => (any::<usize>(), prop::collection::vec(any::<u8>(), 1..8)).prop_map(|(at, b)| Mutation::Insert(at, b)),
        1 => (any::<usize>(), 1usize..16).prop_map(|(at, n)| Mutation::Remove(at, n)),
        1 => any::<usize>().prop_map(Mutation::Truncate),
    ]
}

/// Applies the mutations to the body and repairs the checksum.
fn mutate(encoded: &[u8], mutations: &[Mutation]) -> Vec<u8> {
    let mut body = encoded[HEADER_LEN..].to_vec();
    for m in mutations {
        let len = body.len().max(1);
        match m {
            Mutation::Set(at, b) if !body.is_empty() => body[at % len] = *b,
            Mutation::Insert(at, bytes) => {
                let at = at % (body.len() + 1);
                body.splice(at..at, bytes.iter().copied());
            }
            Mutation::Remove(at, n) if !body.is_empty() => {
                let start = at % len;
                let end = (start + n).min(body.len());
                body.drain(start..end);
            }
            Mutation::Truncate(at) => body.truncate(at % len),
            _ => {}
        }
    }
    let mut out = encoded[..HEADER_LEN].to_vec();
    out[HEADER_LEN - 8..].copy_from_slice(&checksum(&body).to_le_bytes());
    out.extend_from_slice(&body);
    out
}

/// Loads `bytes` as a page's precompiled sheet and cascades the tree.
fn load_and_cascade(bytes: Vec<u8>) {
    let read = move |path: &str| (path == "p.wxss").then(|| bytes.clone());
    let (sheets, diagnostics) = StyleSheets::load_binary("p", &read, StyleOptions::default());
    for d in &diagnostics {
        assert!(!d.file.is_empty() && d.line >= 1 && d.column >= 1, "{d:?}");
    }
    let mut parent = None;
    for index in 0..SPECS.len() {
        let style = sheets.compute_node(&Node(index), parent.as_ref());
        sheets.compute_pseudo(&Node(index), &style.style, crate::Pseudo::Before);
        parent = Some(style);
    }
}

proptest! {
    #![proptest_config(ProptestConfig {
        // Overridden by PROPTEST_CASES for longer local runs.
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(200),
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn mutated_binaries_never_panic(
        seed in 0..SEEDS.len(),
        mutations in prop::collection::vec(mutation(), 1..6),
    ) {
        let (encoded, _) = crate::compile_binary("p.wxss", SEEDS[seed]);
        let started = Instant::now();
        load_and_cascade(mutate(&encoded, &mutations));
        prop_assert!(started.elapsed() < Duration::from_secs(2));
    }

    #[test]
    fn random_bodies_never_panic(body in prop::collection::vec(any::<u8>(), 0..512)) {
        let (encoded, _) = crate::compile_binary("p.wxss", "");
        let mut bytes = encoded[..HEADER_LEN].to_vec();
        bytes[HEADER_LEN - 8..].copy_from_slice(&checksum(&body).to_le_bytes());
        bytes.extend_from_slice(&body);
        load_and_cascade(bytes);
    }

    #[test]
    fn random_files_are_refused(bytes in prop::collection::vec(any::<u8>(), 0..256)) {
        load_and_cascade(bytes);
    }
}
