//! Odd input never makes the worklet transform panic or emit code that
//! does not parse: unterminated worklets, the word in strings, directives
//! in the wrong place, deep nesting, forms it declines to transform.

use cirrus_transform::{transform, Severity, TransformOptions, Transformed, MAX_WORKLET_NESTING};
use oxc::allocator::Allocator;
use oxc::parser::Parser;
use oxc::span::SourceType;
use proptest::prelude::*;

fn parses(code: &str) -> bool {
    let allocator = Allocator::default();
    let parsed = Parser::new(&allocator, code, SourceType::unambiguous()).parse();
    !parsed.panicked && !parsed.diagnostics.has_errors()
}

/// Transforms `source` and checks what holds for any input.
fn check(source: &str) -> Transformed {
    let out = transform("odd.js", source, &TransformOptions::default());
    assert!(
        !out.diagnostics
            .iter()
            .any(|d| d.message.contains("transform failed")),
        "the transform panicked on {source:?}"
    );
    if parses(source) {
        assert!(
            parses(&out.code),
            "unparsable output for {source:?}:\n{}",
            out.code
        );
        assert_eq!(
            out.code.lines().count(),
            source.lines().count(),
            "lines moved for {source:?}:\n{}",
            out.code
        );
    }
    out
}

fn warnings(out: &Transformed) -> Vec<&str> {
    out.diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Warning)
        .map(|d| d.message.as_str())
        .collect()
}

#[test]
fn odd_inputs() {
    for source in [
        "function f() { 'worklet'",
        "function f() { 'worklet'; return function () { 'worklet'",
        "const s = \"function f() { 'worklet'; }\";",
        "const t = `${() => { 'worklet' }}`;",
        "const r = /'worklet'/;",
        "'worklet'",
        "function f() { \"worklet\"; return 1 }",
        "function f() { 'use strict'; 'worklet'; return this }",
        "({ get x() { 'worklet'; return 1 }, set x(v) { 'worklet' } })",
        "class A { constructor() { 'worklet' } #p() { 'worklet' } [Symbol.iterator]() { 'worklet' } get g() { 'worklet' } }",
        "class A { x = 1 }\nclass B extends A { m() { 'worklet'; return super.m() } }",
        "const o = { __proto__: p, m() { 'worklet'; return super.m() } }",
        "class A { onPan = (e) => { 'worklet'; return this.y + e } }",
        "export default class { m() { 'worklet'; return 1 } }",
        "export default (e) => { 'worklet'; return e }",
        "if (x) function f() { 'worklet' }",
        "switch (k) { case 1: function g() { 'worklet'; return k } }",
        "label: { function h() { 'worklet' } }",
        "function f() { 'worklet'; for (a.b of list) {} for (c.d in o) {} delete e.f; g.h++; [i.j] = [1]; ({ k: l.m } = {}); }",
        "function f() { 'worklet'; return arguments.length + eval('1') }",
        "const f = async () => { 'worklet'; await a.b.value }",
        "function* g() { 'worklet'; yield this.x.bind(this); yield this.y.bind(this, 1) }",
        "function f() { 'worklet'; return a?.b.c + d.e?.f + g[h].i + (j).k }",
        "var x = function x() { 'worklet'; return x }",
        "with (o) { (function () { 'worklet'; return p })() }",
        "var f = () => { 'worklet' }, g = () => { 'worklet'; return f() }",
        "\u{feff}function é() { 'worklet'; return 'ü' + \u{2028}1 }",
    ] {
        check(source);
    }
}

#[test]
fn declined_forms_warn_and_stay_as_written() {
    let out = check("const o = { get x() { 'worklet'; return 1 } }\n");
    assert_eq!(warnings(&out).len(), 1);
    assert!(!out.code.contains("_cirrus$worklet("), "{}", out.code);
    let out = check("const o = { m() { 'worklet'; return super.m() } }\n");
    assert!(warnings(&out)[0].contains("super"));
    assert!(
        out.code.contains("m() { 'worklet'; return super.m() }"),
        "{}",
        out.code
    );
}

#[test]
fn deep_nesting() {
    // Worklets in worklets beyond the limit: a warning, no blow-up.
    let depth = MAX_WORKLET_NESTING + 8;
    let mut source = String::new();
    for _ in 0..depth {
        source.push_str("function f() { 'worklet'; return ");
    }
    source.push('1');
    for _ in 0..depth {
        source.push_str(" }");
    }
    let out = check(&source);
    assert_eq!(warnings(&out).len(), depth - MAX_WORKLET_NESTING);
    assert!(out.code.len() < 4_000_000, "{} bytes", out.code.len());
    // Plain functions, deeply nested, with a worklet at the bottom.
    let mut source = String::new();
    for _ in 0..150 {
        source.push_str("(function () { return ");
    }
    source.push_str("() => { 'worklet'; return a.b.c }");
    for _ in 0..150 {
        source.push_str(" })()");
    }
    check(&source);
    // A very long member chain.
    let chain = vec!["p"; 2_000].join(".");
    check(&format!("var f = () => {{ 'worklet'; return a.{chain} }}"));
}

fn fragment() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        Just("a.b.value".to_owned()),
        Just("this.x.y".to_owned()),
        Just("this.f.bind(this)".to_owned()),
        Just("shared.value = 1".to_owned()),
        Just("'worklet'".to_owned()),
        Just("\"worklet\"".to_owned()),
        Just("Math.max(1, x)".to_owned()),
        Just("wx.worklet.timing(1)".to_owned()),
        Just("`${y.z}`".to_owned()),
        Just("{ k: v.w }".to_owned()),
    ];
    leaf.prop_recursive(5, 48, 4, |inner| {
        prop_oneof![
            (any::<bool>(), inner.clone()).prop_map(|(w, e)| format!(
                "function f({}) {{ {}return {e} }}",
                "p = q.r",
                if w { "'worklet'; " } else { "" }
            )),
            (any::<bool>(), inner.clone()).prop_map(|(w, e)| format!(
                "(x) => {{ {}return {e} }}",
                if w { "'worklet'; " } else { "" }
            )),
            (any::<bool>(), inner.clone()).prop_map(|(w, e)| format!(
                "({{ m(e) {{ {}return {e} }} }})",
                if w { "'worklet'; " } else { "" }
            )),
            (any::<bool>(), inner.clone()).prop_map(|(w, e)| format!(
                "(class {{ m() {{ {}return {e} }} }})",
                if w { "'worklet'; " } else { "" }
            )),
            (inner.clone(), inner).prop_map(|(a, b)| format!("[{a},\n {b}]")),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn generated_programs(body in fragment(), cut in 0usize..400, module in any::<bool>()) {
        let program = format!(
            "{}var out = {body};\n",
            if module { "import { q } from './q';\n" } else { "" }
        );
        check(&program);
        // The same text cut short: unterminated worklets and strings.
        let mut end = cut.min(program.len());
        while !program.is_char_boundary(end) {
            end -= 1;
        }
        check(&program[..end]);
    }
}
