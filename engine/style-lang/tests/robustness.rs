//! Hostile LESS and SCSS: deep nesting, recursive mixins and functions,
//! expansion bombs, import chains and cycles. Each must end quickly
//! without overflowing the (small, unoptimised) test thread's stack, with
//! an error at the right file, line and column.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use cirrus_style_lang::{compile_less, compile_scss, Compiled, Severity, MAX_NESTING};

/// Generous for a debug build on a loaded machine.
const QUICK: Duration = Duration::from_secs(5);

type Compiler = fn(&str, &str, &dyn Fn(&str) -> Option<String>) -> Compiled;

fn compile_with(compiler: Compiler, files: &[(&str, &str)], path: &str) -> (Compiled, Duration) {
    let map: HashMap<String, String> = files
        .iter()
        .map(|(p, t)| (p.to_string(), t.to_string()))
        .collect();
    let started = Instant::now();
    let compiled = compiler(path, &map[path], &|p: &str| map.get(p).cloned());
    (compiled, started.elapsed())
}

fn error_containing<'c>(
    compiled: &'c Compiled,
    text: &str,
) -> &'c cirrus_style_lang::LangDiagnostic {
    compiled
        .diagnostics
        .iter()
        .find(|d| d.severity == Severity::Error && d.message.contains(text))
        .unwrap_or_else(|| panic!("no error containing {text:?}: {:?}", compiled.diagnostics))
}

#[test]
fn deep_nesting_is_refused_at_the_bracket_that_crosses_the_limit() {
    for (compiler, path) in [
        (compile_less as Compiler, "a.less"),
        (compile_scss as Compiler, "a.scss"),
    ] {
        for opener in ["{", "(", "["] {
            let text = format!(".a {{ color: red; }}\n.b {}", opener.repeat(100_000));
            let (compiled, elapsed) = compile_with(compiler, &[(path, &text)], path);
            assert!(elapsed < QUICK, "{path} {opener}: {elapsed:?}");
            let error = error_containing(&compiled, "nested too deeply");
            // `.b ` then the openers: the first past the limit.
            assert_eq!(
                (error.file.as_str(), error.line, error.column),
                (path, 2, 4 + MAX_NESTING as u32),
                "{path} {opener}"
            );
        }
    }
}

#[test]
fn deep_nesting_in_an_import_points_into_the_import() {
    let deep = format!("\n.x {}", "{".repeat(10_000));
    for (compiler, path, partial, import) in [
        (
            compile_less as Compiler,
            "a.less",
            "deep.less",
            "@import \"deep\";",
        ),
        (
            compile_scss as Compiler,
            "a.scss",
            "deep.scss",
            "@import \"deep\";",
        ),
    ] {
        let text = format!("{import}\n.a {{ color: red; }}");
        let (compiled, elapsed) = compile_with(compiler, &[(path, &text), (partial, &deep)], path);
        assert!(elapsed < QUICK, "{path}: {elapsed:?}");
        let error = error_containing(&compiled, "nested too deeply");
        assert_eq!((error.file.as_str(), error.line), (partial, 2), "{path}");
    }
}

#[test]
fn less_recursive_and_branching_mixins_end() {
    // Self-recursion without a guard stops at the mixin depth limit.
    let (compiled, elapsed) = compile_with(
        compile_less,
        &[("a.less", ".m() { .m(); }\n.a { .m(); }")],
        "a.less",
    );
    assert!(elapsed < QUICK, "{elapsed:?}");
    error_containing(&compiled, "calls itself");
    // Two calls per level: 2^60 calls unless the step budget stops it.
    let text = ".m(@n) when (@n > 0) { .m(@n - 1); .m(@n - 1); w: @n; }\n.a { .m(60); }";
    let (compiled, elapsed) = compile_with(compile_less, &[("a.less", text)], "a.less");
    assert!(elapsed < QUICK, "{elapsed:?}");
    let error = error_containing(&compiled, "steps");
    assert_eq!(error.file, "a.less");
}

#[test]
fn less_variable_bombs_end() {
    let mut text = String::from("@l0: lol lol lol lol lol lol lol lol lol lol;\n");
    for level in 1..30 {
        text.push_str(&format!(
            "@l{level}: {};\n",
            format!("@l{} ", level - 1).repeat(10)
        ));
    }
    text.push_str(".a { content: @l29; }\n");
    let (compiled, elapsed) = compile_with(compile_less, &[("a.less", &text)], "a.less");
    assert!(elapsed < QUICK, "{elapsed:?}");
    error_containing(&compiled, "steps");
    assert!(compiled.css.len() < 64 << 20);
    // A long chain of variables stops at the depth limit.
    let mut chain = String::from("@v0: 1px;\n");
    for level in 1..5_000 {
        chain.push_str(&format!("@v{level}: @v{};\n", level - 1));
    }
    chain.push_str(".a { width: @v4999; }\n");
    let (compiled, elapsed) = compile_with(compile_less, &[("a.less", &chain)], "a.less");
    assert!(elapsed < QUICK, "{elapsed:?}");
    error_containing(&compiled, "levels deep");
    // Ampersand combinations grow as parents^ampersands.
    let text = format!(".a, .b, .c, .d {{ {} {{ color: red; }} }}", "&".repeat(40));
    let (compiled, elapsed) = compile_with(compile_less, &[("a.less", &text)], "a.less");
    assert!(elapsed < QUICK, "{elapsed:?}");
    error_containing(&compiled, "steps");
}

#[test]
fn less_import_cycles_and_chains_end() {
    let (compiled, elapsed) = compile_with(
        compile_less,
        &[
            ("a.less", "@import \"b\";\n.a { color: red; }"),
            ("b.less", "@import \"a\";\n.b { color: blue; }"),
        ],
        "a.less",
    );
    assert!(elapsed < QUICK);
    assert!(
        compiled.css.contains(".a") && compiled.css.contains(".b"),
        "{}",
        compiled.css
    );
    let files: Vec<(String, String)> = (0..200)
        .map(|i| {
            (
                format!("f{i}.less"),
                format!("@import \"f{}\";\n.c{i} {{ top: 0; }}", i + 1),
            )
        })
        .collect();
    let borrowed: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    let (compiled, elapsed) = compile_with(compile_less, &borrowed, "f0.less");
    assert!(elapsed < QUICK, "{elapsed:?}");
    error_containing(&compiled, "chain more than");
}

#[test]
fn scss_recursion_is_refused_before_grass_runs() {
    for text in [
        "@mixin m { @include m; }\n.a { @include m; }",
        "@mixin a { @include b; }\n@mixin b { @include a; }\n.x { @include a; }",
        "@function f($n) { @return f($n + 1); }\n.a { width: f(1); }",
    ] {
        let (compiled, elapsed) = compile_with(compile_scss, &[("a.scss", text)], "a.scss");
        assert!(elapsed < QUICK, "{elapsed:?}");
        let error = error_containing(&compiled, "recursive");
        assert_eq!(error.file, "a.scss");
        assert!(error.line >= 1 && error.column > 1, "{error:?}");
        assert!(compiled.css.is_empty());
    }
    // Across files: the partial closes the cycle.
    let (compiled, _) = compile_with(
        compile_scss,
        &[
            (
                "a.scss",
                "@import \"b\";\n@mixin a { @include b; }\n.x { @include a; }",
            ),
            ("_b.scss", "@mixin b { @include a; }"),
        ],
        "a.scss",
    );
    let error = error_containing(&compiled, "recursive");
    assert!(
        error.file == "a.scss" || error.file == "_b.scss",
        "{error:?}"
    );
    // Ordinary mixins and functions still compile.
    let (compiled, _) = compile_with(
        compile_scss,
        &[("a.scss", "@function d($x) { @return $x * 2; }\n@mixin w($x) { width: d($x); }\n.a { @include w(2px); }")],
        "a.scss",
    );
    assert!(compiled.is_ok(), "{:?}", compiled.diagnostics);
    assert!(compiled.css.contains("width: 4px"), "{}", compiled.css);
}

#[test]
fn nesting_just_within_the_limit_compiles_on_a_small_stack() {
    // Test threads have 2 MiB stacks and unoptimised frames: the limit
    // must leave both compilers room at its edge.
    let depth = MAX_NESTING - 2;
    let rules: String = (0..depth).map(|i| format!(".r{i} {{ ")).collect();
    let text = format!("{rules}width: 1px; {}", "}".repeat(depth));
    let parens = format!(
        ".a {{ width: {}1px{}; }}",
        "(".repeat(depth),
        ")".repeat(depth)
    );
    for (compiler, path) in [
        (compile_less as Compiler, "a.less"),
        (compile_scss as Compiler, "a.scss"),
    ] {
        for source in [&text, &parens] {
            let (compiled, elapsed) = compile_with(compiler, &[(path, source.as_str())], path);
            assert!(elapsed < QUICK, "{path}: {elapsed:?}");
            assert!(compiled.is_ok(), "{path}: {:?}", compiled.diagnostics);
            assert!(compiled.css.contains("width"), "{path}: {}", compiled.css);
        }
    }
}
