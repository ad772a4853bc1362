//! Property-based fuzzing of both compilers over random files built from
//! LESS and SCSS fragments (variables, mixins, functions, guards, loops,
//! nesting, imports, interpolation, unbalanced brackets, junk): never a
//! panic, bounded time, every diagnostic located.
//!
//! Case counts are small so `cargo test` stays quick in debug;
//! `PROPTEST_CASES=2000 cargo test -p cirrus-style-lang --test fuzz` runs
//! longer.

use std::time::{Duration, Instant};

use cirrus_style_lang::{compile_less, compile_scss, Compiled};
use proptest::prelude::*;

const LESS: &[&str] = &[
    ".a",
    ".b",
    "{",
    "}",
    ";",
    "\n",
    "@v: 1px;",
    "@v",
    "@@n",
    "@n: v;",
    ".m()",
    ".m(@x) when (@x > 0)",
    ".m(@x - 1);",
    ".m();",
    ".m(2);",
    "&",
    "&-x",
    "&:hover",
    ":extend(.a)",
    "@import \"b\";",
    "@import (reference) \"b\";",
    "(",
    ")",
    "[",
    "]",
    "~\"x@{v}\"",
    "@{v}",
    "e(\"x\")",
    "%(\"%d\", 1)",
    "calc(1px + 2px)",
    " + ",
    " * 2",
    " / 2",
    "!important",
    "@media (min-width: 1px)",
    "//",
    "/*",
    "*/",
    "\"",
    "'",
    "color: red;",
    "width: @v;",
    "darken(#fff, 10%)",
    ",",
    " > ",
    "when",
    "and",
    "not",
    "#ns",
    "#ns > .m();",
    "@plugin \"x\";",
    "@keyframes k",
    "from",
    "to",
    "\\",
    "é",
    "@",
];

const SCSS: &[&str] = &[
    ".a",
    ".b",
    "{",
    "}",
    ";",
    "\n",
    "$v: 1px;",
    "$v",
    "@mixin m($x) {",
    "@mixin n {",
    "@include m(1px);",
    "@include n;",
    "@function f($x) {",
    "@return $x * 2;",
    "f(2)",
    "@if $v > 0 {",
    "@else {",
    "@for $i from 1 through 3 {",
    "@each $x in a, b {",
    "@while $v < 3 {",
    "$v: $v + 1;",
    "#{$v}",
    "&",
    "&:hover",
    "%p",
    "@extend %p;",
    "@import \"b\";",
    "@use \"sass:math\";",
    "math.div(1, 2)",
    "(",
    ")",
    "[",
    "]",
    "\"",
    "'",
    "//",
    "/*",
    "*/",
    "color: red;",
    "width: $v;",
    ",",
    " > ",
    "@media (min-width: 1px)",
    "!default",
    "!global",
    "@debug 1;",
    "@warn \"w\";",
    "@error \"e\";",
    "@content;",
    "\\",
    "é",
    "@",
];

fn source(fragments: &'static [&'static str]) -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(fragments), 0..100).prop_map(|parts| parts.concat())
}

fn check(compiled: &Compiled, started: Instant) -> Result<(), TestCaseError> {
    for d in &compiled.diagnostics {
        prop_assert!(!d.file.is_empty() && d.line >= 1 && d.column >= 1, "{d:?}");
    }
    prop_assert!(
        started.elapsed() < Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig {
        // Overridden by PROPTEST_CASES for longer local runs.
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(100),
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn random_less_compiles_or_reports(main in source(LESS), imported in source(LESS)) {
        let started = Instant::now();
        let read = |path: &str| (path == "b.less").then(|| imported.clone());
        check(&compile_less("a.less", &main, &read), started)?;
    }

    #[test]
    fn random_scss_compiles_or_reports(main in source(SCSS), imported in source(SCSS)) {
        let started = Instant::now();
        let read = |path: &str| (path == "_b.scss").then(|| imported.clone());
        check(&compile_scss("a.scss", &main, &read), started)?;
    }
}
