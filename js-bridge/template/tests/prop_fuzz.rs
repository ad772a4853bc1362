//! Property-based fuzzing (proptest) of everything a mini program feeds
//! this crate: WXML (tag soups with bindings, control attributes,
//! templates, includes, deep nesting), expressions (random token streams),
//! data paths (random strings) and setData (random paths and values).
//! Properties: nothing panics or overflows the stack, every diagnostic is
//! located, and the stored data stays within its depth limit.
//!
//! Each test runs `DEFAULT_CASES` cases (a few seconds in a debug build).
//! For a longer local run set `PROPTEST_CASES`, e.g.
//! `PROPTEST_CASES=5000 cargo test -p cirrus-template --test prop_fuzz --release`.
//! A failure prints the minimal input; keep it as a regression test in
//! `tests/limits.rs`.

mod common;

use cirrus_template::{
    parse_data_path, DataPath, PageInstance, PathSegment, TemplateDiagnostic, TemplateGroup,
    MAX_DATA_DEPTH,
};
use common::{Tree, PAGE};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use serde_json::{json, Value};

/// Cases per test unless `PROPTEST_CASES` says otherwise.
const DEFAULT_CASES: u32 = 48;

/// The logic thread's stack is larger (64 MiB); 16 MiB is what the worst
/// case within the limits needs in a debug build (see `tests/limits.rs`).
const STACK: usize = 16 << 20;

fn config() -> Config {
    let mut config = Config {
        failure_persistence: None,
        ..Config::default()
    };
    // `Config::default()` reads PROPTEST_CASES; keep it when set.
    if std::env::var_os("PROPTEST_CASES").is_none() {
        config.cases = DEFAULT_CASES;
    }
    config
}

/// Runs `test` over the strategy `make` builds, on a thread with the
/// template stack (strategies are built there: recursive ones are not
/// `Send`).
fn fuzz<S>(make: fn() -> S, test: fn(S::Value))
where
    S: Strategy + 'static,
{
    let result = std::thread::Builder::new()
        .stack_size(STACK)
        .spawn(move || {
            let mut runner = TestRunner::new(config());
            runner
                .run(&make(), |value| {
                    test(value);
                    Ok(())
                })
                .map_err(|failure| failure.to_string())
        })
        .expect("spawn fuzz thread")
        .join();
    match result {
        Ok(Ok(())) => {}
        Ok(Err(failure)) => panic!("{failure}"),
        Err(panic) => std::panic::resume_unwind(panic),
    }
}

fn assert_located(diags: &[TemplateDiagnostic]) {
    for d in diags {
        assert!(
            !d.file.is_empty() && d.line >= 1 && d.column >= 1 && !d.message.is_empty(),
            "unlocated diagnostic: {d:?}"
        );
    }
}

/// Pieces of WXML: structure, control attributes, bindings, and the
/// characters a lexer can trip on.
fn wxml_piece() -> impl Strategy<Value = String> {
    let fixed = prop::sample::select(vec![
        "<view>",
        "</view>",
        "<view class=\"{{a}} b\">",
        "<text wx:for=\"{{list}}\" wx:key=\"id\">",
        "<text wx:for=\"{{n}}\">",
        "</text>",
        "<block wx:if=\"{{a}}\">",
        "<block wx:elif=\"{{b.c}}\">",
        "<block wx:else>",
        "</block>",
        "<view wx:if=\"{{!a}}\"/>",
        "<template name=\"t\">",
        "</template>",
        "<template is=\"t\" data=\"{{a, list}}\"/>",
        "<template is=\"{{a ? 't' : 'u'}}\"/>",
        "<include src=\"other.wxml\"/>",
        "<import src=\"other.wxml\"/>",
        "<wxs module=\"m\">var x = '<view>';</wxs>",
        "<slot/>",
        "<!-- <view> -->",
        "<!--",
        "-->",
        "{{a}}",
        "{{list[0].id + n}}",
        "{{ {x: a, y: [1, 2]} }}",
        "{{",
        "}}",
        "{{(",
        ")}}",
        "((((((((",
        "))))))))",
        ".a.a.a.a",
        "[0][0][0]",
        "+1+1+1+1",
        "'",
        "\"",
        "/*",
        "*/",
        "<",
        ">",
        "/>",
        "=",
        "</",
        "<!",
        "wx:for-item=\"x\"",
        "bindtap=\"{{h}}\"",
        "text é 中文 ",
        "\n",
    ]);
    prop_oneof![
        8 => fixed.prop_map(str::to_owned),
        1 => "[a-z<>/{}()\\[\\].'\"=! ]{0,12}",
        // Deep runs: the same piece many times over.
        1 => (prop::sample::select(vec!["<view>", "(", "{{", "<block wx:if=\"{{a}}\">", ".a", "[", "{a:", "!"]), 100usize..1500)
            .prop_map(|(piece, n)| piece.repeat(n)),
    ]
}

fn wxml() -> impl Strategy<Value = String> {
    prop::collection::vec(wxml_piece(), 0..60).prop_map(|pieces| pieces.concat())
}

fn page_data() -> Value {
    json!({
        "a": true,
        "b": { "c": 0 },
        "n": 3,
        "h": "tap",
        "list": [{ "id": 1 }, { "id": 2 }, { "id": 2 }],
    })
}

/// Parses `page` (and `other.wxml`), builds the page, toggles some data,
/// and checks the tree the ops make and the diagnostics.
fn build_and_update(page: &str, other: &str) {
    let mut group = TemplateGroup::new();
    let mut diags = group.add_file(PAGE, page);
    diags.extend(group.add_file("pages/index/other.wxml", other));
    assert_located(&diags);
    let mut data = page_data();
    let (mut instance, ops, diags) = PageInstance::new(&group, PAGE, &data, 1);
    assert_located(&diags);
    let mut tree = Tree::new();
    tree.apply(&ops);
    for (path, value) in [
        ("a", json!(false)),
        ("list[1]", json!({ "id": 5 })),
        ("b.c", json!("x")),
        ("a", json!(1)),
        ("list", json!([])),
    ] {
        let path = parse_data_path(path).expect("fixture path");
        let (ops, diags) = instance.set_data(&group, &mut data, &[(path, value)]);
        assert_located(&diags);
        tree.apply(&ops);
    }
}

#[test]
fn random_wxml_parses_builds_and_updates_without_panicking() {
    fuzz(
        || (wxml(), wxml()),
        |(page, other)| build_and_update(&page, &other),
    );
}

/// Tokens of template expressions, including unbalanced and misplaced
/// ones, and long runs of one token.
fn expression() -> impl Strategy<Value = String> {
    let token = prop::sample::select(vec![
        "a",
        "b",
        "list",
        "item",
        "index",
        "n",
        "0",
        "1.5",
        "-2",
        "'s'",
        "\"t\"",
        "'}}'",
        "true",
        "null",
        "undefined",
        "typeof",
        "void",
        "+",
        "-",
        "*",
        "/",
        "%",
        "==",
        "===",
        "!=",
        "<",
        ">=",
        "&&",
        "||",
        "??",
        "!",
        "~",
        "?",
        ":",
        ",",
        ".",
        "...",
        "(",
        ")",
        "[",
        "]",
        "{",
        "}",
        "}}",
        "{{",
        "/*",
        "*/",
        "m.f",
        " ",
        "\\",
        "'",
        "\"",
    ]);
    let run = (token.clone(), 1usize..3000).prop_map(|(t, n)| t.repeat(n));
    prop::collection::vec(
        prop_oneof![9 => token.prop_map(str::to_owned), 1 => run],
        0..40,
    )
    .prop_map(|tokens| tokens.concat())
}

#[test]
fn random_expressions_in_text_and_attributes_never_panic() {
    fuzz(expression, |expr| {
        let page = format!(
            "<wxs module=\"m\">module.exports = {{ f: function (x) {{ return x; }} }};</wxs>\
             <view class=\"{{{{{expr}}}}}\" data-x=\"{{{{{expr}}}}} tail\">{{{{{expr}}}}}</view>\
             <text wx:for=\"{{{{{expr}}}}}\">{{{{item}}}}</text>\
             <template is=\"{{{{{expr}}}}}\" data=\"{{{{{expr}}}}}\"/>"
        );
        build_and_update(&page, "");
    });
}

fn path_text() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => "[a-c0-9_.\\[\\]'\"\\\\ ]{0,24}",
        1 => prop::sample::select(vec!["__proto__", "constructor", "prototype", "a.__proto__.b", "a['constructor']", "a[\"prototype\"]"]).prop_map(str::to_owned),
        1 => (prop::sample::select(vec!["a.", "[0]", "['k']", "\\."]), 1usize..5000).prop_map(|(p, n)| format!("x{}", p.repeat(n))),
    ]
}

#[test]
fn random_data_paths_parse_to_safe_round_tripping_paths_or_errors() {
    fuzz(path_text, |text| match parse_data_path(&text) {
        Ok(path) => {
            assert!(path.segments.len() <= MAX_DATA_DEPTH);
            for segment in &path.segments {
                if let PathSegment::Key(key) = segment {
                    assert!(
                        !matches!(key.as_str(), "__proto__" | "constructor" | "prototype"),
                        "{text:?} gave {key}"
                    );
                }
            }
            // An empty key (`['']`) has no plain spelling to print.
            let has_empty_key = path
                .segments
                .iter()
                .any(|s| matches!(s, PathSegment::Key(k) if k.is_empty()));
            if !has_empty_key {
                let again = parse_data_path(&path.to_string()).expect("display re-parses");
                assert_eq!(again, path, "{text:?}");
            }
        }
        Err(e) => assert!(e.to_string().contains(&text), "{e}"),
    });
}

/// A random JSON value, sometimes nested far past the data limit (built
/// as a chain so the strategy itself does not recurse).
fn value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i32>().prop_map(Value::from),
        "[a-z]{0,4}".prop_map(Value::from),
    ];
    let tree = leaf.clone().prop_recursive(4, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map("[a-c]", inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    });
    let chain = (leaf, 1usize..(3 * MAX_DATA_DEPTH)).prop_map(|(leaf, depth)| {
        let mut v = leaf;
        for level in 0..depth {
            v = if level % 2 == 0 {
                Value::Array(vec![v])
            } else {
                Value::Object([("k".to_owned(), v)].into_iter().collect())
            };
        }
        v
    });
    prop_oneof![4 => tree, 1 => chain]
}

fn data_path() -> impl Strategy<Value = DataPath> {
    prop::collection::vec(
        prop_oneof![
            prop::sample::select(vec!["list", "a", "b", "c", "k", "0"])
                .prop_map(|k| PathSegment::Key(k.to_owned())),
            (0usize..4).prop_map(PathSegment::Index),
        ],
        1..5,
    )
    .prop_map(DataPath::new)
}

#[test]
fn random_set_data_keeps_data_bounded_and_the_tree_consistent() {
    fuzz(
        || prop::collection::vec((data_path(), value()), 1..6),
        |updates| {
            let source = r#"<view wx:for="{{list}}" wx:key="id">{{item.id}}{{item}}</view>
<text>{{a.b.c}} {{b}} {{c[0]}}</text><text wx:for="{{a}}">{{index}}:{{item}}</text>"#;
            let group = common::group(&[(PAGE, source)]);
            let mut data = page_data();
            let (mut instance, ops, _) = PageInstance::new(&group, PAGE, &data, 1);
            let mut tree = Tree::new();
            tree.apply(&ops);
            let (ops, diags) = instance.set_data(&group, &mut data, &updates);
            assert_located(&diags);
            tree.apply(&ops);
            let mut check = data.clone();
            assert!(!cirrus_template::limit_data_depth(
                &mut check,
                MAX_DATA_DEPTH
            ));
            // The caller's deep values go without recursion too.
            for (_, value) in updates {
                cirrus_template::drop_iteratively(value);
            }
        },
    );
}
