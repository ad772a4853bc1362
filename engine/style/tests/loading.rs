//! Loading: app + page order, @import, diagnostics, binary form, bad input.

mod common;

use std::collections::HashMap;

use cirrus_layout::style::Dimension;
use cirrus_style::{compile_binary, parse_inline_style, StyleSheets};
use common::{load_files, options, Tree};

fn width_of(sheets: &StyleSheets, spec: &str) -> Dimension {
    let mut t = Tree::new();
    let n = t.add(None, spec);
    t.compute_all(sheets)[n].width
}

#[test]
fn page_sheet_overrides_app_sheet_at_equal_specificity() {
    let (s, diags) = load_files(
        &[
            ("app.wxss", ".a { width: 1px } .b { width: 5px }"),
            ("pages/index/index.wxss", ".a { width: 2px }"),
        ],
        options(),
    );
    assert!(diags.is_empty(), "{diags:?}");
    assert_eq!(width_of(&s, "view.a"), Dimension::Px(2.0));
    assert_eq!(width_of(&s, "view.b"), Dimension::Px(5.0));
}

#[test]
fn imports_relative_absolute_and_missing() {
    let page = "@import \"./local.wxss\";\n@import '/common/base.wxss';\n\n   @import \"nope.wxss\";\n.p { height: 1px }";
    let (s, diags) = load_files(
        &[
            ("pages/index/index.wxss", page),
            ("pages/index/local.wxss", ".l { width: 7px }"),
            (
                "common/base.wxss",
                "@import 'deep.wxss'; .base { width: 8px }",
            ),
            ("common/deep.wxss", ".deep { width: 9px }"),
        ],
        options(),
    );
    assert_eq!(width_of(&s, "view.l"), Dimension::Px(7.0));
    assert_eq!(width_of(&s, "view.base"), Dimension::Px(8.0));
    assert_eq!(width_of(&s, "view.deep"), Dimension::Px(9.0));
    let missing: Vec<_> = diags
        .iter()
        .filter(|d| d.message.contains("nope.wxss"))
        .collect();
    assert_eq!(missing.len(), 1, "{diags:?}");
    assert_eq!(
        (missing[0].file.as_str(), missing[0].line, missing[0].column),
        // At the target string, after `@import `.
        ("pages/index/index.wxss", 4, 12)
    );
    assert!(missing[0].is_error);
}

#[test]
fn imported_rules_come_before_the_importer() {
    let (s, _) = load_files(
        &[
            (
                "pages/index/index.wxss",
                "@import 'x.wxss'; .a { width: 2px }",
            ),
            ("pages/index/x.wxss", ".a { width: 1px }"),
        ],
        options(),
    );
    assert_eq!(width_of(&s, "view.a"), Dimension::Px(2.0));
}

#[test]
fn import_cycles_terminate() {
    let (s, diags) = load_files(
        &[
            (
                "pages/index/index.wxss",
                "@import 'a.wxss'; .i { width: 1px }",
            ),
            ("pages/index/a.wxss", "@import 'b.wxss'; .a { width: 2px }"),
            (
                "pages/index/b.wxss",
                "@import 'a.wxss'; @import 'index.wxss'; .b { width: 3px }",
            ),
        ],
        options(),
    );
    assert_eq!(width_of(&s, "view.b"), Dimension::Px(3.0));
    assert_eq!(width_of(&s, "view.i"), Dimension::Px(1.0));
    assert!(
        diags.iter().any(|d| d.message.contains("cycle")),
        "{diags:?}"
    );
}

#[test]
fn parser_warnings_carry_positions() {
    let (_, diags) = load_files(
        &[(
            "pages/index/index.wxss",
            ".a {\n  width: 10px;\n  colr: red;\n}",
        )],
        options(),
    );
    let d = diags
        .iter()
        .find(|d| d.message.contains("colr"))
        .expect("a warning for the unknown property");
    assert_eq!((d.file.as_str(), d.line), ("pages/index/index.wxss", 3));
    assert!(d.column >= 1);
    assert!(!d.is_error);
}

#[test]
fn malformed_wxss_never_panics() {
    let garbage = [
        "{{{{",
        ".a { width: 10px",
        ".a { width: ; color: }}}} .b {",
        "@media { .a { color: red }",
        "@import ;",
        "@import url(",
        "}}}}.a{width:calc(10px + )}",
        ".a:nth-child(foo) { width: 1px } .b::unknown { width: 2px } ::before{content:'x'}",
        "\u{0}\u{fffd}@@@ .a > > .b ~ { }",
        ".a { width: var(--x; height: var() }",
        ".a { --a: var(--b); --b: var(--a); width: var(--a) }",
        "/* unterminated comment",
        ".a { background: linear-gradient(; transform: rotate( }",
    ];
    for source in garbage {
        let (s, _) = load_files(&[("pages/index/index.wxss", source)], options());
        let mut t = Tree::new();
        let p = t.add(None, "view.a");
        let c = t.add(Some(p), "view.b");
        t.set_style(c, source);
        let out = t.compute_all(&s);
        let _ = s.compute_pseudo(&t.el(c), &out[c], cirrus_style::Pseudo::Before);
    }
}

#[test]
fn binary_form_loads_like_source() {
    let app = "@import 'common.wxss'; .a { width: 1px } @media (prefers-color-scheme: dark) { .a { width: 2px } }";
    let common = ".c:first-child { height: 3px }";
    let page = ".a { height: 4px }";
    let mut binaries: HashMap<String, Vec<u8>> = HashMap::new();
    for (path, src) in [
        ("app.wxss", app),
        ("common.wxss", common),
        ("pages/index/index.wxss", page),
    ] {
        let (bytes, diags) = compile_binary(path, src);
        assert!(diags.is_empty(), "{diags:?}");
        assert!(!bytes.is_empty());
        binaries.insert(path.to_owned(), bytes);
    }
    // The bytes are plain data: they may be produced on another thread.
    let binaries = std::thread::spawn(move || binaries).join().expect("thread");
    let read = |p: &str| binaries.get(p).cloned();
    let (s, diags) = StyleSheets::load_binary("pages/index/index", &read, options());
    assert!(diags.is_empty(), "{diags:?}");
    let mut t = Tree::new();
    let n = t.add(None, "view.a");
    let out = t.compute_all(&s);
    assert_eq!(out[n].width, Dimension::Px(1.0));
    assert_eq!(out[n].height, Dimension::Px(4.0));
    let m = t.add(None, "view.c");
    let out = t.compute_all(&s);
    assert_eq!(
        out[m].height,
        Dimension::Px(3.0),
        "imported rule from binary"
    );

    let bad = |_: &str| Some(vec![1u8, 2, 3]);
    let (_, diags) = StyleSheets::load_binary("pages/index/index", &bad, options());
    assert!(
        diags.iter().any(|d| d.is_error),
        "undecodable binary is reported"
    );
}

#[test]
fn inline_style_parsing_reports_and_keeps_valid_declarations() {
    let (parsed, diags) = parse_inline_style("width: 10px; bogus: 1; height: 20rpx");
    assert_eq!(parsed.len(), 2);
    assert_eq!(diags.len(), 1);
    assert_eq!(diags[0].file, cirrus_style::INLINE_STYLE_FILE);
}

#[test]
fn font_faces_are_collected_with_resolved_sources() {
    let (s, _) = load_files(
        &[(
            "pages/index/index.wxss",
            "@font-face { font-family: 'Brand'; src: url('../../fonts/brand.ttf') format('truetype'), url('https://x.cn/a.ttf'); }",
        )],
        options(),
    );
    assert_eq!(s.font_faces().len(), 1);
    assert_eq!(s.font_faces()[0].family, "Brand");
    assert_eq!(
        s.font_faces()[0].sources,
        vec![
            "fonts/brand.ttf".to_owned(),
            "https://x.cn/a.ttf".to_owned()
        ]
    );
}

/// Deterministic token soup: a cheap fuzzer for "never panics".
#[test]
fn random_token_soup_never_panics() {
    const TOKENS: &[&str] = &[
        ".a",
        ".b",
        "view",
        "#i",
        "{",
        "}",
        ";",
        ":",
        "width",
        "color",
        "red",
        "10px",
        "calc(",
        ")",
        "var(--x",
        "--x:",
        "@media",
        "(prefers-color-scheme: dark)",
        "@import",
        "'",
        "\"",
        "/*",
        "*/",
        ">",
        "+",
        "~",
        ",",
        "::before",
        "::after",
        ":nth-child(",
        "2n+1",
        ":not(",
        "!important",
        "url(",
        "linear-gradient(",
        "radial-gradient(",
        "#fff",
        " ",
        "\n",
        "rpx",
        "%",
        "-",
        "0.5",
        "transform:",
        "rotate(",
        "deg",
        "border:",
        "solid",
        "none",
        "content:",
        "@keyframes",
        "from",
        "to",
        "animation:",
        "transition:",
        "1s",
        "@font-face",
        "src:",
        "font:",
        "/",
        "*",
        "-webkit-line-clamp:",
        ":active",
        "inherit",
        "initial",
        "unset",
        "env(",
        "safe-area-inset-top",
    ];
    let mut seed: u64 = 0x5eed;
    let mut next = move || {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (seed >> 33) as usize
    };
    for _ in 0..300 {
        let len = 1 + next() % 40;
        let source: String = (0..len).map(|_| TOKENS[next() % TOKENS.len()]).collect();
        let (s, _) = load_files(&[("pages/index/index.wxss", source.as_str())], options());
        let mut t = Tree::new();
        let p = t.add(None, "view.a#i");
        let c = t.add(Some(p), "view.b");
        t.set_style(c, &source);
        let out = t.compute_all(&s);
        let _ = s.compute_pseudo(&t.el(c), &out[c], cirrus_style::Pseudo::After);
        let _ = s.compute_node(&t.el(c), None);
        let _ = compile_binary("x.wxss", &source);
    }
}
