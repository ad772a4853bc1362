//! Property-based fuzzing of WXSS parsing and the cascade: random sheets
//! built from WXSS fragments (selectors, combinators, declarations,
//! at-rules, `calc()`, `var()`, nesting, unbalanced brackets, junk) and
//! random inline styles and selector queries. Never a panic, bounded time,
//! every diagnostic located.
//!
//! Case counts are small so `cargo test` stays quick in debug;
//! `PROPTEST_CASES=5000 cargo test -p cirrus-style --test fuzz` runs longer.

mod common;

use std::time::{Duration, Instant};

use cirrus_style::{
    compile_binary, parse_inline_style, SelectorList, StyleDiagnostic, StyleSheets,
};
use common::{load_files, options, Tree};
use proptest::prelude::*;

const FRAGMENTS: &[&str] = &[
    ".a",
    ".b",
    "#i",
    "view",
    "text",
    "*",
    " ",
    " > ",
    " + ",
    " ~ ",
    ", ",
    ":not(",
    ")",
    "(",
    "[",
    "]",
    ":nth-child(2n+1",
    " of .a)",
    ":first-child",
    ":empty",
    ":active",
    ":host",
    "::before",
    "::after",
    "[x=\"1\" i]",
    "[x",
    "{",
    "}",
    ";",
    "\n",
    "width:",
    "height: 10px",
    "margin: 1px 2px",
    "color: red",
    "--v:",
    "var(--v",
    "var(--w, ",
    "calc(",
    "100%",
    " - ",
    " * 2",
    " / 0",
    "1rpx",
    "2vw",
    "!important",
    "@media (min-width: 100px)",
    "@media (prefers-color-scheme: dark)",
    "@import \"other.wxss\";",
    "@import \"missing.wxss\";",
    "@keyframes k",
    "from",
    "to",
    "50%",
    "@font-face",
    "src: url(a.ttf)",
    "animation: k 1s",
    "transition: width 1s",
    "transform: rotate(",
    "10deg",
    "linear-gradient(",
    "\"",
    "'",
    "/*",
    "*/",
    "\\",
    "@",
    "é",
    "🌧",
    "\u{0}",
    "-webkit-line-clamp: 2",
    "display: flex",
    "font-size: 2em",
    "line-height: 1.5",
    "background: url(x.png)",
];

fn sheet() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(FRAGMENTS), 0..120).prop_map(|parts| parts.concat())
}

fn assert_located(diagnostics: &[StyleDiagnostic]) {
    for d in diagnostics {
        assert!(!d.file.is_empty() && d.line >= 1 && d.column >= 1, "{d:?}");
    }
}

/// A small tree with siblings, nesting and inline styles.
fn tree(inline: &str) -> Tree {
    let mut tree = Tree::new();
    let root = tree.add(None, "view.a");
    let first = tree.add(Some(root), "view#i.b");
    let second = tree.add(Some(root), "text.a.b");
    let deep = tree.add(Some(first), "view.b");
    tree.set_style(second, inline);
    tree.set_attribute(deep, "x", "1");
    tree.add_text(deep);
    tree
}

fn cascade(sheets: &StyleSheets, tree: &Tree) {
    tree.compute_all(sheets);
    for node in 0..tree.len() {
        let style = sheets.compute(&tree.el(node), None);
        sheets.compute_pseudo(&tree.el(node), &style, cirrus_style::Pseudo::After);
    }
}

proptest! {
    #![proptest_config(ProptestConfig {
        // Overridden by PROPTEST_CASES for longer local runs.
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(150),
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn random_sheets_load_and_cascade(page in sheet(), other in sheet(), inline in sheet()) {
        let started = Instant::now();
        let (sheets, diagnostics) = load_files(
            &[("pages/index/index.wxss", page.as_str()), ("pages/index/other.wxss", other.as_str())],
            options(),
        );
        assert_located(&diagnostics);
        cascade(&sheets, &tree(&inline));
        let (_, inline_diagnostics) = parse_inline_style(&inline);
        assert_located(&inline_diagnostics);
        prop_assert!(started.elapsed() < Duration::from_secs(5), "{:?}", started.elapsed());
    }

    #[test]
    fn random_sheets_compile_to_loadable_binaries(page in sheet()) {
        let (bytes, diagnostics) = compile_binary("pages/index/index.wxss", &page);
        assert_located(&diagnostics);
        let read = |path: &str| (path == "pages/index/index.wxss").then(|| bytes.clone());
        let (sheets, load_diagnostics) = StyleSheets::load_binary("pages/index/index", &read, options());
        assert_located(&load_diagnostics);
        cascade(&sheets, &tree("width: var(--v, 1px)"));
    }

    #[test]
    fn random_selector_queries_never_panic(query in sheet(), junk in ".{0,64}") {
        let tree = tree("");
        for text in [query.as_str(), junk.as_str()] {
            let list = SelectorList::parse(text);
            for node in 0..tree.len() {
                list.matches(&tree.el(node));
            }
        }
    }
}

/// Regression: deeply nested sheet fragments (found while writing the
/// fuzzers) are limited, never a stack overflow.
#[test]
fn deep_random_nesting_is_limited() {
    for fragment in [":not(", "calc(", "(", "[", "{", "var(--v, "] {
        let page = format!(".a {{ width: {} }}", fragment.repeat(20_000));
        let (sheets, diagnostics) =
            load_files(&[("pages/index/index.wxss", page.as_str())], options());
        assert_located(&diagnostics);
        assert!(
            diagnostics
                .iter()
                .any(|d| d.message.contains("nested too deeply")),
            "{fragment}"
        );
        cascade(&sheets, &tree(&page));
    }
}
