use super::*;

fn budget(files: &[(&str, &str)]) -> Option<Refusal> {
    let mut budget = Budget::default();
    for (path, text) in files {
        budget.add_file(path, text);
    }
    budget.check()
}

fn refused(text: &str) -> Refusal {
    budget(&[("a.scss", text)]).unwrap_or_else(|| panic!("not refused:\n{text}"))
}

fn accepted(text: &str) {
    if let Some(refusal) = budget(&[("a.scss", text)]) {
        panic!("refused: {refusal:?}\n{text}");
    }
}

/// The 1-based line of the first line containing `needle` after
/// `skip` such lines.
fn line_of(text: &str, needle: &str, skip: usize) -> u32 {
    text.lines()
        .enumerate()
        .filter(|(_, l)| l.contains(needle))
        .nth(skip)
        .map(|(n, _)| n as u32 + 1)
        .expect("needle")
}

#[test]
fn doubling_a_string_is_refused_at_the_assignment_that_crosses() {
    let text = format!(
        "$s: \"ab\";\n{}.a {{ content: $s; }}\n",
        "$s: $s + $s;\n".repeat(64)
    );
    let refusal = refused(&text);
    assert!(
        refusal.message.contains("`$s` would hold more than 4 MiB"),
        "{refusal:?}"
    );
    assert_eq!(refusal.file, "a.scss");
    // 2^20 copies of "ab" are 2 MiB: the estimate crosses 4 MiB within a
    // couple of doublings of the real size.
    // The estimate counts quotes and the ` + ` of each step: 4x the
    // real size.
    assert!((19..=24).contains(&refusal.line), "{refusal:?}");
    assert_eq!(refusal.column, 1);
    // A few doublings are fine.
    accepted(&format!(
        "$s: \"ab\";\n{}.a {{ content: $s; }}\n",
        "$s: $s + $s;\n".repeat(10)
    ));
}

#[test]
fn variables_built_from_big_variables_are_refused() {
    let mut text = String::from("$v0: abc;\n");
    for i in 1..40 {
        text.push_str(&format!("$v{i}: $v{p} $v{p} $v{p};\n", p = i - 1));
    }
    let refusal = refused(&text);
    assert!(
        refusal.message.contains("would hold more than"),
        "{refusal:?}"
    );
    // 3^13 * 3 bytes is about 4.8 MB.
    assert!((12..=16).contains(&refusal.line), "{refusal:?}");
    // Interpolation, lists and maps repeat values too.
    refused(&format!("$s: x;\n{}", "$s: \"#{$s}#{$s}\";\n".repeat(40)));
    refused(&format!(
        "$l: (a, b);\n{}",
        "$l: join($l, $l);\n".repeat(40)
    ));
    refused(&format!("$m: (a: 1);\n{}", "$m: ($m, $m);\n".repeat(40)));
}

#[test]
fn doubling_in_a_loop_is_refused_at_the_doubling() {
    let text =
        "$s: ab;\n.a { width: 1px; }\n@for $i from 1 through 60 {\n  $t: $i;\n  $s: $s + $s;\n}\n";
    let refusal = refused(text);
    assert!(refusal.message.contains("`$s`"), "{refusal:?}");
    assert!(
        refusal.message.contains("repeated into itself"),
        "{refusal:?}"
    );
    assert_eq!((refusal.line, refusal.column), (5, 3));
    for text in [
        "$s: ab;\n@each $x in a, b, c, d {\n  $s: $s $s;\n}\n@while true { $s: $s $s; }",
        "$s: ab;\n@while $i < 10 {\n  $s: join($s, $s);\n}",
        // Two variables feeding each other double together.
        "$a: x; $b: y;\n@for $i from 1 through 100 {\n  $a: $a $b;\n  $b: $b $a;\n}",
    ] {
        let refusal = refused(text);
        assert!(
            refusal.message.contains("repeated into itself"),
            "{refusal:?}"
        );
    }
    // Ten doublings are 1,024 copies: fine.
    accepted("$s: ab;\n@for $i from 1 through 10 { $s: $s $s; }\n.a { b: $s; }");
}

#[test]
fn mixin_fan_out_is_refused_at_the_include_that_crosses() {
    let mut text = String::from("@mixin m0 { color: red; }\n");
    for i in 1..=40 {
        text.push_str(&format!(
            "@mixin m{i} {{\n  @include m{p};\n  @include m{p};\n}}\n",
            p = i - 1
        ));
    }
    text.push_str(".a { @include m40; }\n");
    let refusal = refused(&text);
    // m16 expands 2^17 - 1 bodies: its second include crosses 100,000.
    assert!(
        refusal
            .message
            .contains("@mixin `m16` would expand more than 100000"),
        "{refusal:?}"
    );
    assert_eq!(refusal.line, line_of(&text, "@include m15;", 1));
    assert_eq!(refusal.column, 3);
    // @content run twice per level is the same fan-out.
    let text = format!(
        "@mixin twice {{ @content; @content; }}\n.a {{ {}color: red;{} }}",
        "@include twice { ".repeat(30),
        " }".repeat(30)
    );
    let refusal = refused(&text);
    assert!(
        refusal.message.contains("would expand more than"),
        "{refusal:?}"
    );
    // Ten levels are 2,047 bodies: fine.
    let mut text = String::from("@mixin m0 { color: red; }\n");
    for i in 1..=10 {
        text.push_str(&format!(
            "@mixin m{i} {{ @include m{p}; @include m{p}; }}\n",
            p = i - 1
        ));
    }
    text.push_str(".a { @include m10; }\n");
    accepted(&text);
}

#[test]
fn function_fan_out_and_growth_are_refused() {
    let mut text = String::from("@function f0($x) { @return $x + 1; }\n");
    for i in 1..=40 {
        text.push_str(&format!(
            "@function f{i}($x) {{ @return f{p}($x) + f{p}($x); }}\n",
            p = i - 1
        ));
    }
    text.push_str(".a { width: f40(1px); }\n");
    let refusal = refused(&text);
    assert!(refusal.message.contains("@function `f16`"), "{refusal:?}");
    assert_eq!(refusal.line, 17);
    // A function that repeats its argument, applied in a chain.
    let mut text = String::from("@function d($x) { @return $x $x; }\n$v0: ab;\n");
    for i in 1..40 {
        text.push_str(&format!("$v{i}: d($v{});\n", i - 1));
    }
    let refusal = refused(&text);
    assert!(
        refusal.message.contains("would hold more than"),
        "{refusal:?}"
    );
    // ... or nested in one expression.
    let text = format!(
        "@function d($x) {{ @return $x $x; }}\n$v: {}a{};",
        "d(".repeat(40),
        ")".repeat(40)
    );
    refused(&text);
    // ... or writing a global on every call.
    let text = format!(
        "$g: ab;\n@mixin grow {{ $g: $g $g !global; }}\n{}",
        ".a { @include grow; }\n".repeat(40)
    );
    refused(&text);
    // ... also from a loop.
    let refusal = refused(
        "$g: ab;\n@mixin grow { $g: $g $g !global; }\n@for $i from 1 through 50 {\n  @include grow;\n}",
    );
    assert!(refusal.message.contains("`$g`"), "{refusal:?}");
    assert_eq!((refusal.line, refusal.column), (4, 3));
    let refusal = refused(
        "$g: ab;\n@function grow() { $g: $g $g !global; @return 1; }\n@while true {\n  $x: grow();\n}",
    );
    assert!(
        refusal.message.contains("would hold more than"),
        "{refusal:?}"
    );
}

#[test]
fn growth_across_files_is_seen() {
    // Each partial doubles once; a chain of imports doubles 40 times.
    let mut files: Vec<(String, String)> = vec![(
        "a.scss".into(),
        "$s: ab;\n@import \"p1\";\n.a { content: $s; }".into(),
    )];
    for i in 1..=40 {
        files.push((
            format!("_p{i}.scss"),
            format!("$s: $s $s;\n@import \"p{}\";\n", i + 1),
        ));
    }
    let borrowed: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    let refusal = budget(&borrowed).expect("refused");
    assert!(
        refusal.message.contains("would hold more than"),
        "{refusal:?}"
    );
    // One partial imported many times.
    let text = format!("$s: ab;\n{}", "@import \"double\";\n".repeat(40));
    let refusal = budget(&[("a.scss", &text), ("_double.scss", "$s: $s $s;\n")]).expect("refused");
    assert!(refusal.message.contains("would"), "{refusal:?}");
    // Imports that fan out: each level imports the next twice.
    let mut files: Vec<(String, String)> = vec![("a.scss".into(), "@import \"f1\";".into())];
    for i in 1..=30 {
        files.push((
            format!("_f{i}.scss"),
            format!(
                ".c{i} {{ top: 0; }}\n@import \"f{n}\";\n@import \"f{n}\";\n",
                n = i + 1
            ),
        ));
    }
    let borrowed: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    let refusal = budget(&borrowed).expect("refused");
    assert!(
        refusal.message.contains("would expand more than"),
        "{refusal:?}"
    );
}

#[test]
fn import_candidates_are_as_grass_looks_for_them() {
    assert_eq!(
        candidates("styles/b")[..4],
        [
            "styles/b.scss",
            "styles/_b.scss",
            "styles/b.sass",
            "styles/_b.sass"
        ]
    );
    assert!(candidates("b").contains(&"b/_index.scss".to_string()));
    let mut budget = Budget::default();
    assert_eq!(
        budget.add_file("pages/a/a.scss", "@import \"../../styles/b\", \"c\";"),
        ["styles/b", "pages/a/c"]
    );
    assert!(!budget.looked_for("styles/b"));
    assert!(budget.looked_for("styles/b"));
    assert!(
        budget
            .add_file("styles/_b.scss", "@import \"../pages/a/c\";")
            .len()
            == 1
    );
}

#[test]
fn selector_products_are_refused() {
    let text = format!("{}color: red;{}", ".a, .b { ".repeat(40), " }".repeat(40));
    let refusal = refused(&text);
    assert!(refusal.message.contains("MiB of CSS"), "{refusal:?}");
    let text = format!(".a, .b, .c {{ {} {{ color: red; }} }}", "& ".repeat(30));
    refused(&text);
    accepted(&format!(
        "{}color: red;{}",
        ".a, .b { ".repeat(6),
        " }".repeat(6)
    ));
}

#[test]
fn loops_of_unknown_count_are_charged_for_their_output() {
    let text = "$s: ab;\n@for $i from 1 through 18 { $s: $s $s; }\n@while true {\n  .a { content: $s; }\n}";
    let mut budget = Budget::default();
    budget.add_file("a.scss", text);
    assert_eq!(budget.check(), None);
    let weights = budget.weights("a.scss");
    let at = text.find("@while").expect("loop");
    // 2^18 copies of `ab` (estimated at about 1 MiB) per iteration: a few
    // thousand steps each, so the loop stops after a few dozen.
    let weight = weights[&at];
    assert!((2_000..=10_000).contains(&weight), "{weight}");
    // The literal loop outputs nothing: one step per iteration.
    assert_eq!(weights[&text.find("@for").expect("loop")], 1);
    // A single iteration past the bound is refused outright.
    let text = "$s: ab;\n@for $i from 1 through 23 { $s: $s $s; }\n@while true {\n  .a { content: $s; }\n}";
    assert!(refused(text).message.contains("would hold more than"));
}

#[test]
fn real_world_scss_is_accepted() {
    accepted(
        "$list: ();\n@for $i from 1 through 100 { $list: append($list, $i * 2px); }\n\
         .a { margin: $list; }",
    );
    accepted(
        "$i: 1;\n$list: ();\n@while $i <= 12 {\n  $list: append($list, $i, comma);\n  \
         $i: $i + 1;\n}\n.a { x: $list; }",
    );
    accepted(
        "$colors: (primary: #07c160, danger: #fa5151, warning: #ffc300, info: #10aeff, \
         gray: #888, white: #fff, black: #000);\n\
         $theme: ();\n\
         @each $name, $color in $colors {\n\
           $theme: map-merge($theme, ($name: $color));\n\
           .text-#{$name} { color: $color !important; }\n\
           .bg-#{$name} { background-color: $color !important; }\n\
           .border-#{$name} { border-color: $color !important; }\n\
           .btn-#{$name} { color: #fff; background: $color; &:active { background: darken($color, 10%); } }\n\
         }\n\
         $keys: ();\n@each $k, $v in $theme { $keys: append($keys, $k); }\n\
         .all { content: \"#{$keys}\"; }",
    );
    accepted(
        "$breakpoints: (sm: 576px, md: 768px, lg: 992px, xl: 1200px);\n\
         $spacers: (0: 0, 1: 4rpx, 2: 8rpx, 3: 16rpx, 4: 24rpx, 5: 48rpx);\n\
         @mixin up($bp) { @media (min-width: map-get($breakpoints, $bp)) { @content; } }\n\
         @each $bp, $w in $breakpoints {\n\
           @include up($bp) {\n\
             @each $prop, $abbrev in (margin: m, padding: p) {\n\
               @each $size, $length in $spacers {\n\
                 .#{$abbrev}-#{$bp}-#{$size} { #{$prop}: $length !important; }\n\
                 .#{$abbrev}t-#{$bp}-#{$size} { #{$prop}-top: $length !important; }\n\
               }\n\
             }\n\
           }\n\
         }",
    );
    accepted(
        "$grid-columns: 12;\n\
         @function rpx($n) { @return $n * 2rpx; }\n\
         @mixin make-col($size, $columns: $grid-columns) {\n\
           flex: 0 0 percentage($size / $columns); max-width: percentage($size / $columns);\n\
         }\n\
         @mixin make-grid($columns) {\n\
           @for $i from 1 through $columns { .col-#{$i} { @include make-col($i, $columns); } }\n\
         }\n\
         @include make-grid($grid-columns);\n\
         @for $i from 1 through $grid-columns { .w-#{$i} { width: rpx($i * 10); } }\n\
         $offset: 0;\n$positions: ();\n\
         @for $i from 1 through 50 { $offset: $offset + $i * 4px; $positions: append($positions, $offset); }\n\
         .p { top: $positions; }",
    );
}

#[test]
fn any_text_is_read_without_panicking_in_linear_time() {
    use proptest::prelude::*;
    let fragments = prop::sample::select(vec![
        "$v",
        "$v: ",
        "$v $v",
        ";",
        "{",
        "}",
        "(",
        ")",
        "[",
        "]",
        "#{",
        "\"",
        "'",
        "\\",
        "é",
        "@mixin m($a, $b: 1) ",
        "@include m(1, $b: 2)",
        "@include m ",
        "@content;",
        "@function f($x) ",
        "@return $x $x;",
        "f(",
        "call(",
        "@for $i from 1 through 9 ",
        "@each $k, $v in (a: 1) ",
        "@while $v ",
        "@if $v ",
        "@else ",
        "@import \"b\";",
        ".a, .b ",
        "& & ",
        ":",
        ",",
        "+",
        "*",
        "/",
        "-",
        "!global",
        "!default",
        "//",
        "/*",
        "*/",
        "\n",
        "url(",
        "...",
        "1px",
        "#fff",
    ]);
    let mut runner = proptest::test_runner::TestRunner::default();
    runner
        .run(&prop::collection::vec(fragments, 0..200), |parts| {
            let text: String = parts.concat();
            let _ = budget(&[("a.scss", &text), ("_b.scss", &text)]);
            Ok(())
        })
        .expect("no panic");
    // Deeper than the nesting limit (never given by the compiler): bounded.
    let _ = budget(&[(
        "a.scss",
        &"{ $a: $a $a; @for $i from 1 through 9 ".repeat(20_000),
    )]);
    // A large ordinary file.
    let mut text = String::new();
    for i in 0..20_000 {
        text.push_str(&format!(
            "$v{i}: {i}px;\n@mixin m{i}($x) {{ width: $x + $v{i}; }}\n.c{i} {{ @include m{i}(1px); }}\n"
        ));
    }
    let started = std::time::Instant::now();
    assert_eq!(budget(&[("a.scss", &text)]), None);
    assert!(
        started.elapsed() < std::time::Duration::from_secs(20),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn nesting_at_the_limit_fits_a_small_stack() {
    // Half a test thread's stack, in a debug build.
    std::thread::Builder::new()
        .stack_size(1 << 20)
        .spawn(|| {
            let deep = |unit: &str| unit.repeat(20_000);
            let _ = budget(&[("a.scss", &deep("{ $a: $a $a; @for $i from 1 through 9 "))]);
            let _ = budget(&[("a.scss", &deep("@include m { @each $x in a "))]);
            let _ = budget(&[("a.scss", &deep(".a, & .b { @while $v "))]);
        })
        .expect("thread")
        .join()
        .expect("no overflow");
}
