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

#[test]
fn scss_exponential_growth_is_refused_before_grass_runs() {
    let doubling = format!(
        "$s: \"ab\";\n{}.a {{ content: $s; }}\n",
        "$s: $s + $s;\n".repeat(64)
    );
    let mut fan_out = String::from("@mixin m0 { color: red; }\n");
    for i in 1..=40 {
        fan_out.push_str(&format!(
            "@mixin m{i} {{ @include m{p}; @include m{p}; }}\n",
            p = i - 1
        ));
    }
    fan_out.push_str(".a { @include m40; }\n");
    let mut functions = String::from("@function f0($x) { @return $x + 1; }\n");
    for i in 1..=40 {
        functions.push_str(&format!(
            "@function f{i}($x) {{ @return f{p}($x) + f{p}($x); }}\n",
            p = i - 1
        ));
    }
    functions.push_str(".a { width: f40(1px); }\n");
    let mut tripling = String::from("$a0: lol;\n");
    for i in 1..40 {
        tripling.push_str(&format!("$a{i}: $a{p} $a{p} $a{p};\n", p = i - 1));
    }
    tripling.push_str(".a { content: \"#{$a39}\"; }\n");
    let in_loop = "$s: ab;\n@for $i from 1 through 60 {\n  $s: $s + $s;\n}\n.a { content: $s; }";
    for (text, needle) in [
        (doubling.as_str(), "would hold more than"),
        (fan_out.as_str(), "would expand more than"),
        (functions.as_str(), "would expand more than"),
        (tripling.as_str(), "would hold more than"),
        (in_loop, "repeated into itself"),
    ] {
        let (compiled, elapsed) = compile_with(compile_scss, &[("a.scss", text)], "a.scss");
        assert!(elapsed < QUICK, "{elapsed:?}");
        let error = error_containing(&compiled, needle);
        assert_eq!(error.file, "a.scss");
        assert!(error.line > 1 && error.column >= 1, "{error:?}");
        assert!(compiled.css.is_empty());
    }
}

#[test]
fn scss_loop_steps_count_what_each_iteration_expands() {
    // 2^14 bodies per call: allowed once, but not 100,000 times.
    let mut text = String::from("@function f0($x) { @return $x + 1; }\n");
    for i in 1..=13 {
        text.push_str(&format!(
            "@function f{i}($x) {{ @return f{p}($x) + f{p}($x); }}\n",
            p = i - 1
        ));
    }
    text.push_str("$i: 0;\n@while true {\n  $x: f13(1);\n  $i: $i + 1;\n}\n");
    let (compiled, elapsed) = compile_with(compile_scss, &[("a.scss", &text)], "a.scss");
    assert!(elapsed < QUICK * 4, "{elapsed:?}");
    let error = error_containing(&compiled, "loop steps");
    assert_eq!(error.file, "a.scss");
    // Output of a loop of unknown count is charged per iteration: a
    // 32 KiB value printed by `@while true` stops after a few hundred.
    let text = "$s: ab;\n@for $i from 1 through 14 { $s: $s + $s; }\n$i: 0;\n\
                @while true {\n  .a-#{$i} { content: $s; }\n  $i: $i + 1;\n}\n";
    let (compiled, elapsed) = compile_with(compile_scss, &[("a.scss", text)], "a.scss");
    assert!(elapsed < QUICK * 4, "{elapsed:?}");
    error_containing(&compiled, "loop steps");
    // A function named in a string recurses too.
    let text = "@function g($n) { @return call(get-function(\"g\"), $n); }\n.a { w: g(1); }";
    let (compiled, elapsed) = compile_with(compile_scss, &[("a.scss", text)], "a.scss");
    assert!(elapsed < QUICK, "{elapsed:?}");
    error_containing(&compiled, "recursive");
}

#[test]
fn real_world_scss_still_compiles() {
    let files = [
        (
            "styles/_theme.scss",
            "$colors: (primary: #07c160, danger: #fa5151, warning: #ffc300, info: #10aeff);\n\
             $breakpoints: (sm: 576px, md: 768px, lg: 992px);\n\
             $spacers: (0: 0, 1: 4rpx, 2: 8rpx, 3: 16rpx, 4: 24rpx, 5: 48rpx);\n\
             $grid-columns: 12;\n",
        ),
        (
            "styles/_mixins.scss",
            "@mixin up($bp) { @media (min-width: map-get($breakpoints, $bp)) { @content; } }\n\
             @mixin make-col($size, $columns: $grid-columns) {\n\
               flex: 0 0 percentage($size / $columns); max-width: percentage($size / $columns);\n\
             }\n\
             @function rpx($n) { @return $n * 2rpx; }\n",
        ),
        (
            "pages/a/a.scss",
            "@import \"/styles/theme\";\n@import \"/styles/mixins\";\n\
             $list: ();\n@for $i from 1 through 100 { $list: append($list, $i); }\n\
             .list { content: \"#{length($list)}\"; }\n\
             $theme: ();\n\
             @each $name, $color in $colors {\n\
               $theme: map-merge($theme, ($name: $color));\n\
               .text-#{$name} { color: $color; }\n\
               .btn-#{$name} { background: $color; &:active { background: darken($color, 10%); } }\n\
             }\n\
             .keys { content: \"#{map-keys($theme)}\"; }\n\
             @each $bp, $w in $breakpoints {\n\
               @include up($bp) {\n\
                 @each $prop, $abbrev in (margin: m, padding: p) {\n\
                   @each $size, $length in $spacers {\n\
                     .#{$abbrev}-#{$bp}-#{$size} { #{$prop}: $length; }\n\
                   }\n\
                 }\n\
               }\n\
             }\n\
             @for $i from 1 through $grid-columns { .col-#{$i} { @include make-col($i); } }\n\
             $i: 1;\n@while $i <= 5 { .w-#{$i} { width: rpx($i * 10); } $i: $i + 1; }\n",
        ),
    ];
    let (compiled, elapsed) = compile_with(compile_scss, &files, "pages/a/a.scss");
    assert!(elapsed < QUICK, "{elapsed:?}");
    assert!(compiled.is_ok(), "{:?}", compiled.diagnostics);
    for expected in [
        "content: \"100\"",
        ".text-danger {\n  color: #fa5151;",
        ".btn-primary:active",
        "content: \"primary, danger, warning, info\"",
        ".p-lg-5 {\n    padding: 48rpx;",
        ".col-12 {\n  flex: 0 0 100%;",
        ".w-5 {\n  width: 100rpx;",
    ] {
        assert!(
            compiled.css.contains(expected),
            "{expected}\n{}",
            compiled.css
        );
    }
}

#[test]
fn a_utility_api_in_the_style_of_css_frameworks_compiles() {
    let mut utilities = String::from("$utilities: ();\n");
    for (name, property, values) in [
        ("align", "vertical-align", "baseline top middle bottom text-bottom text-top"),
        ("opacity", "opacity", "(0: 0, 25: .25, 50: .5, 75: .75, 100: 1)"),
        ("overflow", "overflow", "auto hidden visible scroll"),
        ("display", "display", "inline inline-block block grid flex inline-flex none"),
        ("position", "position", "static relative absolute fixed sticky"),
        ("width", "width", "(25: 25%, 50: 50%, 75: 75%, 100: 100%, auto: auto)"),
        ("flex-direction", "flex-direction", "row column row-reverse column-reverse"),
        ("justify-content", "justify-content", "(start: flex-start, end: flex-end, center: center, between: space-between, around: space-around)"),
        ("margin", "margin", "$spacers"),
        ("margin-x", "margin-right margin-left", "$spacers"),
        ("padding", "padding", "$spacers"),
        ("padding-y", "padding-top padding-bottom", "$spacers"),
        ("gap", "gap", "$spacers"),
        ("font-size", "font-size", "(1: 40rpx, 2: 36rpx, 3: 32rpx, 4: 28rpx, 5: 24rpx, 6: 20rpx)"),
        ("text-color", "color", "$theme-colors"),
        ("background-color", "background-color", "$theme-colors"),
        ("rounded", "border-radius", "(0: 0, 1: 4rpx, 2: 8rpx, 3: 16rpx, circle: 50%, pill: 999rpx)"),
    ] {
        utilities.push_str(&format!(
            "$utilities: map-merge($utilities, (\"{name}\": (property: {property}, class: {name}, \
             responsive: true, values: {values})));\n"
        ));
    }
    let text = format!(
        "$spacers: (0: 0, 1: 8rpx, 2: 16rpx, 3: 32rpx, 4: 48rpx, 5: 96rpx, auto: auto);\n\
         $theme-colors: (primary: #07c160, secondary: #6c757d, success: #198754, info: #0dcaf0, \
           warning: #ffc107, danger: #dc3545, light: #f8f9fa, dark: #212529);\n\
         $breakpoints: (xs: 0, sm: 576px, md: 768px, lg: 992px, xl: 1200px);\n\
         {utilities}\
         @function infix($bp) {{ @return if(map-get($breakpoints, $bp) == 0, \"\", \"-#{{$bp}}\"); }}\n\
         @mixin up($bp) {{\n\
           $min: map-get($breakpoints, $bp);\n\
           @if $min != 0 {{ @media (min-width: $min) {{ @content; }} }} @else {{ @content; }}\n\
         }}\n\
         @mixin generate-utility($utility, $infix) {{\n\
           $values: map-get($utility, values);\n\
           @if type-of($values) == \"string\" or type-of(nth($values, 1)) != \"list\" {{\n\
             $values: zip($values, $values);\n\
           }}\n\
           @each $key, $value in $values {{\n\
             $properties: map-get($utility, property);\n\
             @if type-of($properties) == \"string\" {{ $properties: append((), $properties); }}\n\
             $class: if(map-has-key($utility, class), map-get($utility, class), nth($properties, 1));\n\
             $modifier: if($key, \"-\" + $key, \"\");\n\
             .#{{$class + $infix + $modifier}} {{\n\
               @each $property in $properties {{ #{{$property}}: $value !important; }}\n\
             }}\n\
           }}\n\
         }}\n\
         @each $bp in map-keys($breakpoints) {{\n\
           @include up($bp) {{\n\
             $infix: infix($bp);\n\
             @each $key, $utility in $utilities {{\n\
               @if map-get($utility, responsive) or $infix == \"\" {{\n\
                 @include generate-utility($utility, $infix);\n\
               }}\n\
             }}\n\
           }}\n\
         }}\n"
    );
    let (compiled, elapsed) = compile_with(compile_scss, &[("app.scss", &text)], "app.scss");
    assert!(elapsed < QUICK * 4, "{elapsed:?}");
    assert!(compiled.is_ok(), "{:?}", compiled.diagnostics);
    for expected in [
        ".margin-x-3 {\n  margin-right: 32rpx !important;\n  margin-left: 32rpx !important;",
        ".text-color-md-danger {",
        ".display-xl-flex {",
    ] {
        assert!(compiled.css.contains(expected), "{expected}");
    }
    assert!(compiled.css.len() > 20_000, "{}", compiled.css.len());
}
