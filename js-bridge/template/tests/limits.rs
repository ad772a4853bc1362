//! Depth limits and size bounds: each limit works at its value, refuses one
//! past it with a located diagnostic, and hostile sizes (100,000 levels,
//! 1,000,000 items) end quickly without overflowing a stack.
//!
//! Everything runs on a thread with the logic thread's 16 MiB stack, the
//! stack the engine gives the threads that build templates.

mod common;

use cirrus_protocol::ops::Op;
use cirrus_template::{
    ComponentEvent, InstanceOptions, NodeIdSource, PageInstance, TemplateDiagnostic, TemplateGroup,
    MAX_COMPONENT_DEPTH, MAX_ELEMENT_DEPTH, MAX_LIST_ITEMS, MAX_PAGE_NODES, MAX_TEMPLATE_NESTING,
};
use common::{Tree, PAGE};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::time::{Duration, Instant};

const LOGIC_STACK: usize = 16 << 20;

fn on_logic_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    on_stack(LOGIC_STACK, f)
}

fn on_stack<T: Send + 'static>(bytes: usize, f: impl FnOnce() -> T + Send + 'static) -> T {
    match std::thread::Builder::new()
        .stack_size(bytes)
        .spawn(f)
        .expect("spawn test thread")
        .join()
    {
        Ok(value) => value,
        Err(panic) => std::panic::resume_unwind(panic),
    }
}

fn group_of(files: &[(&str, &str)]) -> (TemplateGroup, Vec<TemplateDiagnostic>) {
    let mut group = TemplateGroup::new();
    let mut diags = Vec::new();
    for (path, source) in files {
        diags.extend(group.add_file(path, source));
    }
    (group, diags)
}

/// Builds `PAGE` from `files` with `data`: (tree, all diagnostics).
fn build(files: &[(&str, &str)], data: Value) -> (Tree, Vec<TemplateDiagnostic>) {
    let (group, mut diags) = group_of(files);
    let (_instance, ops, more) = PageInstance::new(&group, PAGE, &data, 1);
    diags.extend(more);
    let mut tree = Tree::new();
    tree.apply(&ops);
    (tree, diags)
}

fn nested_views(depth: usize) -> String {
    let mut source = String::new();
    for level in 0..depth {
        source.push_str(&format!("<view class=\"l{level}\">"));
    }
    source.push_str("{{leaf}}");
    source.push_str(&"</view>".repeat(depth));
    source
}

fn only_message<'a>(diags: &'a [TemplateDiagnostic], needle: &str) -> &'a TemplateDiagnostic {
    let found: Vec<_> = diags
        .iter()
        .filter(|d| d.message.contains(needle))
        .collect();
    assert_eq!(found.len(), 1, "expected one `{needle}` in {diags:#?}");
    found[0]
}

#[test]
fn a_real_page_200_elements_deep_renders_completely() {
    on_logic_stack(|| {
        let (tree, diags) = build(&[(PAGE, &nested_views(200))], json!({ "leaf": "bottom" }));
        assert!(diags.is_empty(), "{diags:?}");
        let markup = tree.render();
        assert_eq!(markup.matches("<view").count(), 200);
        assert!(markup.contains(r#"<view class="l199">"bottom"</view>"#));
    });
}

#[test]
fn elements_at_the_depth_limit_render_and_one_more_is_refused_where_written() {
    on_logic_stack(|| {
        let (tree, diags) = build(
            &[(PAGE, &nested_views(MAX_ELEMENT_DEPTH))],
            json!({ "leaf": "x" }),
        );
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(tree.render().matches("<view").count(), MAX_ELEMENT_DEPTH);

        let source = nested_views(MAX_ELEMENT_DEPTH + 1);
        let (tree, diags) = build(&[(PAGE, &source)], json!({ "leaf": "x" }));
        let d = only_message(&diags, "nested too deeply");
        let offset = source
            .find(&format!("<view class=\"l{MAX_ELEMENT_DEPTH}\">"))
            .expect("the first element past the limit");
        assert_eq!(
            (d.file.as_str(), d.line, d.column),
            (PAGE, 1, offset as u32 + 1)
        );
        assert!(d.is_error);
        assert_eq!(tree.render().matches("<view").count(), MAX_ELEMENT_DEPTH);
    });
}

#[test]
fn thousands_of_nested_elements_end_in_a_diagnostic_not_a_crash() {
    on_logic_stack(|| {
        for depth in [1_000, 5_000, 100_000] {
            let started = Instant::now();
            let source = "<view>".repeat(depth) + &"</view>".repeat(depth);
            let (tree, diags) = build(&[(PAGE, &source)], json!({}));
            only_message(&diags, "nested too deeply");
            assert_eq!(tree.render().matches("<view").count(), MAX_ELEMENT_DEPTH);
            // Unclosed tags nest just the same.
            let (_, diags) = build(&[(PAGE, &"<view>".repeat(depth))], json!({}));
            assert!(diags
                .iter()
                .any(|d| d.message.contains("nested too deeply")));
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "{depth}: {:?}",
                started.elapsed()
            );
        }
    });
}

#[test]
fn deep_expressions_are_refused_quickly_with_a_located_diagnostic() {
    on_logic_stack(|| {
        let n = 100_000;
        for expression in [
            "(".repeat(n) + "a" + &")".repeat(n),
            "a".to_owned() + &".a".repeat(n),
            "a".to_owned() + &"[0]".repeat(n),
            "1".to_owned() + &" + 1".repeat(n),
            "!".repeat(n) + "a",
            "[".repeat(n) + &"]".repeat(n),
            "{a:".repeat(n) + "1" + &"}".repeat(n),
            "a ? ".repeat(n) + "1" + &" : 2".repeat(n),
        ] {
            let started = Instant::now();
            let source = format!("<view>\n  <text>{{{{{expression}}}}}</text>\n</view>");
            let (tree, diags) = build(&[(PAGE, &source)], json!({ "a": 1 }));
            let d = only_message(&diags, "nested too deeply");
            assert_eq!((d.line, d.column), (2, 9), "{}", &expression[..20]);
            assert_eq!(tree.render(), "<view><text></text></view>");
            assert!(
                started.elapsed() < Duration::from_secs(5),
                "{:?}",
                started.elapsed()
            );
        }
    });
}

#[test]
fn an_expression_at_the_depth_limit_still_evaluates() {
    on_logic_stack(|| {
        // A parenthesis counts as a level and a step.
        let depth = cirrus_template::MAX_EXPRESSION_DEPTH / 2 - 2;
        let expression = "(".repeat(depth) + "a" + &")".repeat(depth);
        let source = format!("<text>{{{{{expression}}}}}</text>");
        let (tree, diags) = build(&[(PAGE, &source)], json!({ "a": 7 }));
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(tree.render(), r#"<text>"7"</text>"#);
    });
}

#[test]
fn many_bindings_in_one_text_are_bounded() {
    on_logic_stack(|| {
        let source = format!("<text>{}</text>", "{{a}}".repeat(100_000));
        let (tree, diags) = build(&[(PAGE, &source)], json!({ "a": "x" }));
        only_message(&diags, "bindings in one value");
        // The refused bindings leave blanks behind.
        assert_eq!(
            tree.render().replace(' ', ""),
            format!(
                r#"<text>"{}"</text>"#,
                "x".repeat(cirrus_template::MAX_INTERPOLATIONS_PER_VALUE)
            )
        );
    });
}

#[test]
fn a_recursive_template_stops_at_the_nesting_limit() {
    on_logic_stack(|| {
        let source =
            r#"<template name="t"><view><template is="t"/></view></template><template is="t"/>"#;
        let (tree, diags) = build(&[(PAGE, source)], json!({}));
        let d = only_message(&diags, "templates nested too deeply");
        assert_eq!((d.file.as_str(), d.line, d.column), (PAGE, 1, 26));
        assert_eq!(tree.render().matches("<view").count(), MAX_TEMPLATE_NESTING);
    });
}

#[test]
fn a_recursive_template_without_elements_stops_too() {
    on_logic_stack(|| {
        let source = r#"<template name="t"><block wx:if="{{true}}"><template is="t"/></block></template><template is="t"/>"#;
        let (_, diags) = build(&[(PAGE, source)], json!({}));
        only_message(&diags, "templates nested too deeply");
    });
}

#[test]
fn include_and_import_cycles_end_with_diagnostics() {
    on_logic_stack(|| {
        let files = [
            (PAGE, r#"<include src="a.wxml"/>"#),
            (
                "pages/index/a.wxml",
                r#"<view>a</view><include src="b.wxml"/>"#,
            ),
            (
                "pages/index/b.wxml",
                r#"<import src="a.wxml"/><include src="a.wxml"/>"#,
            ),
        ];
        let mut group = TemplateGroup::new();
        let sources: HashMap<&str, &str> = files.iter().copied().collect();
        let diags = group.load_with(PAGE, &|path| sources.get(path).map(|s| s.to_string()));
        assert!(diags.is_empty(), "{diags:?}");
        let (_, ops, diags) = PageInstance::new(&group, PAGE, &json!({}), 1);
        let d = only_message(&diags, "include cycle");
        assert_eq!(d.file, "pages/index/b.wxml");
        assert_eq!((d.line, d.column), (1, 23));
        let mut tree = Tree::new();
        tree.apply(&ops);
        assert_eq!(
            tree.render().matches("<view>").count(),
            MAX_TEMPLATE_NESTING / 2
        );
    });
}

/// Plays the logic thread's part for components: instantiates every
/// component host reported, recursively through the work queue, with the
/// page's shared id source. Returns the tree, the diagnostics and how many
/// component instances were built.
fn instantiate_components(
    files: &[(&str, &str)],
    tags: &[(&str, &str)],
) -> (Tree, Vec<TemplateDiagnostic>, usize) {
    let (group, mut diags) = group_of(files);
    let components: HashMap<String, String> = tags
        .iter()
        .map(|(tag, path)| (tag.to_string(), path.to_string()))
        .collect();
    let ids = NodeIdSource::new(1);
    let options = InstanceOptions {
        components: components.clone(),
        ..InstanceOptions::page(ids.clone())
    };
    let (mut page, ops, more) = PageInstance::with_options(&group, PAGE, &json!({}), options);
    diags.extend(more);
    let mut tree = Tree::new();
    tree.apply(&ops);
    let mut queue: Vec<ComponentEvent> = page.take_component_events();
    let mut instances = vec![page];
    while let Some(event) = queue.pop() {
        let ComponentEvent::Created { host, path, .. } = event else {
            continue;
        };
        let options = InstanceOptions {
            root: host,
            ids: ids.clone(),
            components: components.clone(),
            scope: Some(path.clone()),
        };
        let (mut instance, ops, more) =
            PageInstance::with_options(&group, &format!("{path}.wxml"), &json!({}), options);
        diags.extend(more);
        tree.apply(&ops);
        queue.extend(instance.take_component_events());
        instances.push(instance);
    }
    let built = instances.len() - 1;
    (tree, diags, built)
}

#[test]
fn a_component_rendering_itself_stops_at_the_component_limit() {
    on_logic_stack(|| {
        let (tree, diags, built) = instantiate_components(
            &[
                (PAGE, "<me/>"),
                ("components/me/me.wxml", "<text>x</text>\n<me/>"),
            ],
            &[("me", "components/me/me")],
        );
        assert_eq!(built, MAX_COMPONENT_DEPTH);
        let d = only_message(&diags, "component <me> nested too deeply");
        assert_eq!(
            (d.file.as_str(), d.line, d.column),
            ("components/me/me.wxml", 2, 1)
        );
        assert_eq!(tree.render().matches("<me").count(), MAX_COMPONENT_DEPTH);
    });
}

#[test]
fn two_components_rendering_each_other_stop_too() {
    on_logic_stack(|| {
        let (_, diags, built) = instantiate_components(
            &[
                (PAGE, "<ping/>"),
                ("components/ping/ping.wxml", "<view><pong/></view>"),
                ("components/pong/pong.wxml", "<view><ping/></view>"),
            ],
            &[
                ("ping", "components/ping/ping"),
                ("pong", "components/pong/pong"),
            ],
        );
        assert_eq!(built, MAX_COMPONENT_DEPTH);
        let d = only_message(&diags, "nested too deeply");
        assert!(d.file.starts_with("components/p"), "{d:?}");
    });
}

#[test]
fn element_depth_counts_across_components() {
    on_logic_stack(|| {
        // Each level adds a host and 20 views: the element limit ends the
        // recursion before the component limit does.
        let inner = "<view>".repeat(20) + "<deep/>" + &"</view>".repeat(20);
        let (tree, diags, built) = instantiate_components(
            &[(PAGE, "<deep/>"), ("components/deep/deep.wxml", &inner)],
            &[("deep", "components/deep/deep")],
        );
        assert!(built < MAX_COMPONENT_DEPTH, "{built}");
        only_message(
            &diags,
            "nested too deeply (more than 512 levels of elements",
        );
        let elements =
            tree.render().matches("<view").count() + tree.render().matches("<deep").count();
        assert!(elements <= MAX_ELEMENT_DEPTH, "{elements}");
        assert!(elements > MAX_ELEMENT_DEPTH - 21, "{elements}");
    });
}

#[test]
fn a_million_item_list_is_cut_with_a_diagnostic_at_its_wx_for() {
    on_logic_stack(|| {
        let items: Vec<Value> = (0..1_000_000).map(Value::from).collect();
        let data = json!({ "items": items });
        let source =
            "<view>\n  <text wx:for=\"{{items}}\" wx:key=\"*this\">{{item}}</text>\n</view>";
        let started = Instant::now();
        let (tree, diags) = build(&[(PAGE, source)], data);
        let d = only_message(&diags, "wx:for over 1000000 items");
        assert_eq!((d.line, d.column), (2, 9));
        assert_eq!(tree.render().matches("<text>").count(), MAX_LIST_ITEMS);
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "{:?}",
            started.elapsed()
        );

        // A number and a string expand the same way.
        let (tree, diags) = build(
            &[(PAGE, r#"<text wx:for="{{1000000}}">{{index}}</text>"#)],
            json!({}),
        );
        only_message(&diags, "only the first 10000");
        assert_eq!(tree.render().matches("<text>").count(), MAX_LIST_ITEMS);
        let (tree, diags) = build(
            &[(PAGE, r#"<text wx:for="{{s}}">{{item}}</text>"#)],
            json!({ "s": "y".repeat(20_000) }),
        );
        only_message(&diags, "wx:for over 20000 items");
        assert_eq!(tree.render().matches("<text>").count(), MAX_LIST_ITEMS);
    });
}

#[test]
fn a_truncated_list_is_reported_once_across_updates() {
    on_logic_stack(|| {
        let group = common::group(&[(PAGE, r#"<text wx:for="{{n}}">{{index}}</text>"#)]);
        let mut data = json!({ "n": 20_000 });
        let (mut instance, _, diags) = PageInstance::new(&group, PAGE, &data, 1);
        assert_eq!(diags.len(), 1, "{diags:?}");
        data["n"] = json!(30_000);
        let changed = [cirrus_template::parse_data_path("n").unwrap()];
        let (_, diags) = instance.update(&group, &data, &changed);
        assert!(diags.is_empty(), "{diags:?}");
    });
}

#[test]
fn the_page_node_budget_stops_building_with_one_diagnostic() {
    on_logic_stack(|| {
        let source = r#"<view wx:for="{{1000}}"><text wx:for="{{1000}}">{{index}}</text></view>"#;
        let (group, _) = group_of(&[(PAGE, source)]);
        let ids = NodeIdSource::new(1);
        let (instance, ops, diags) = PageInstance::with_options(
            &group,
            PAGE,
            &json!({}),
            InstanceOptions::page(ids.clone()),
        );
        let d = only_message(&diags, "more than 100000 nodes");
        assert_eq!(d.line, 1);
        let created = ops
            .iter()
            .filter(|op| matches!(op, Op::CreateElement { .. } | Op::CreateText { .. }))
            .count();
        assert_eq!(created, MAX_PAGE_NODES);
        assert_eq!(ids.live_nodes(), MAX_PAGE_NODES);
        // The budget is the page's: dropping the instance returns it.
        drop(instance);
        assert_eq!(ids.live_nodes(), 0);
    });
}

#[test]
fn nodes_removed_by_updates_return_to_the_budget() {
    on_logic_stack(|| {
        let group = common::group(&[(PAGE, r#"<view wx:if="{{on}}"><text>a</text></view>"#)]);
        let ids = NodeIdSource::new(1);
        let mut data = json!({ "on": true });
        let (mut instance, _, _) =
            PageInstance::with_options(&group, PAGE, &data, InstanceOptions::page(ids.clone()));
        assert_eq!(ids.live_nodes(), 3);
        data["on"] = json!(false);
        let changed = [cirrus_template::parse_data_path("on").unwrap()];
        instance.update(&group, &data, &changed);
        assert_eq!(ids.live_nodes(), 0);
    });
}

#[test]
fn deep_data_is_cut_and_reported_without_overflow() {
    on_logic_stack(|| {
        let group = common::group(&[(PAGE, "<text>{{a.b}}</text>")]);
        let mut data = json!({});
        let (mut instance, _, _) = PageInstance::new(&group, PAGE, &data, 1);
        let mut deep = json!("leaf");
        for _ in 0..200_000 {
            deep = Value::Array(vec![deep]);
        }
        let updates = vec![(cirrus_template::parse_data_path("a.b").unwrap(), deep)];
        let (_, diags) = instance.set_data(&group, &mut data, &updates);
        for (_, value) in updates {
            cirrus_template::drop_iteratively(value);
        }
        let d = only_message(&diags, "nested more than 2048 levels");
        assert_eq!(d.file, PAGE);
        // Data exactly at the limit is kept whole.
        let mut at_limit = json!("leaf");
        for _ in 0..cirrus_template::MAX_DATA_DEPTH - 2 {
            at_limit = Value::Array(vec![at_limit]);
        }
        let path = cirrus_template::parse_data_path("a.b").unwrap();
        let (_, diags) = instance.set_data(&group, &mut data, &[(path, at_limit.clone())]);
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(data["a"]["b"], at_limit);
    });
}

/// The worst content within every limit at once: elements at the depth
/// limit, each level a `wx:for` item under a `wx:if`, the deepest
/// expression, the most bindings in one value, templates nested to their
/// limit. It must build and update on a stack of `STACK_MIB` MiB.
fn worst_case_within_limits() {
    let depth = MAX_ELEMENT_DEPTH / 2;
    let mut page = String::new();
    for _ in 0..depth {
        page.push_str(r#"<view wx:for="{{[1]}}" wx:if="{{on}}">"#);
    }
    let parens = cirrus_template::MAX_EXPRESSION_DEPTH / 2 - 2;
    page.push_str(&format!(
        "<text>{}</text>",
        "{{".to_owned() + &"(".repeat(parens) + "a" + &")".repeat(parens) + "}}"
    ));
    page.push_str(&format!(
        "<text>{}</text>",
        "{{a}}".repeat(cirrus_template::MAX_INTERPOLATIONS_PER_VALUE)
    ));
    page.push_str(
        r#"<template name="t"><view><template is="t"/></view></template><template is="t"/>"#,
    );
    page.push_str(&"</view>".repeat(depth));
    let (group, _) = group_of(&[(PAGE, &page)]);
    let mut data = json!({ "a": 1, "on": true });
    let (mut instance, ops, diags) = PageInstance::new(&group, PAGE, &data, 1);
    assert!(!ops.is_empty());
    assert!(
        diags
            .iter()
            .all(|d| d.message.contains("nested too deeply")),
        "{diags:?}"
    );
    for value in [json!(2), json!("x")] {
        data["a"] = value;
        let changed = [cirrus_template::parse_data_path("a").unwrap()];
        instance.update(&group, &data, &changed);
    }
    data["on"] = json!(false);
    let changed = [cirrus_template::parse_data_path("on").unwrap()];
    instance.update(&group, &data, &changed);
}

/// The stack the worst cases are checked on: 16 MiB, a quarter of the
/// logic thread's 64 MiB (`LOGIC_STACK_BYTES`), in a debug build, whose
/// frames are the largest (they need 8-16 MiB; release builds far less).
const STACK_MIB: usize = 16;

#[test]
fn the_worst_case_within_the_limits_fits_a_small_stack() {
    on_stack(STACK_MIB << 20, worst_case_within_limits);
}

/// Fragments chained through templates without elements between them
/// (`<block wx:if>` 500 deep, in a template that uses itself) stop at the
/// instance depth limit, on the same stack, and rebuild when toggled.
#[test]
fn fragments_chained_through_templates_stop_at_the_instance_depth_limit() {
    on_stack(STACK_MIB << 20, || {
        let levels = 500;
        let source = format!(
            r#"<template name="t">{}<text>x</text><template is="t" data="{{{{on}}}}"/>{}</template><template is="t" data="{{{{on}}}}"/>"#,
            r#"<block wx:if="{{on}}">"#.repeat(levels),
            "</block>".repeat(levels)
        );
        let (group, diags) = group_of(&[(PAGE, &source)]);
        assert!(diags.is_empty(), "{diags:?}");
        let mut data = json!({ "on": true });
        let (mut instance, ops, diags) = PageInstance::new(&group, PAGE, &data, 1);
        only_message(&diags, "content nested too deeply");
        let mut tree = Tree::new();
        tree.apply(&ops);
        let texts = tree.render().matches("<text>").count();
        assert!(
            texts >= cirrus_template::MAX_INSTANCE_DEPTH / (levels + 1),
            "{texts}"
        );
        for on in [false, true] {
            data["on"] = json!(on);
            let changed = [cirrus_template::parse_data_path("on").unwrap()];
            let (ops, _) = instance.update(&group, &data, &changed);
            tree.apply(&ops);
        }
        assert_eq!(tree.render().matches("<text>").count(), texts);
    });
}

#[test]
fn a_template_using_itself_twice_stops_at_the_fragment_budget() {
    on_logic_stack(|| {
        let started = Instant::now();
        let source = r#"<template name="t"><template is="t"/><template is="t"/></template><template is="t"/>"#;
        let (_, diags) = build(&[(PAGE, source)], json!({}));
        only_message(&diags, "wx:if, wx:for, template and include instances");
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "{:?}",
            started.elapsed()
        );
    });
}

/// Plays the logic thread's part for components with slots, in its order:
/// each host reported (first come, first built) gets its instance, then
/// its light children are distributed into that instance's slots by the
/// instance that owns the host. Returns the tree, every diagnostic, and
/// the instances (the page first).
fn instantiate_with_slots(
    files: &[(&str, &str)],
    tags: &[(&str, &str)],
    data: Value,
) -> (
    Tree,
    Vec<TemplateDiagnostic>,
    Vec<PageInstance>,
    TemplateGroup,
) {
    let (group, mut diags) = group_of(files);
    let components: HashMap<String, String> = tags
        .iter()
        .map(|(tag, path)| (tag.to_string(), path.to_string()))
        .collect();
    let ids = NodeIdSource::new(1);
    let options = InstanceOptions {
        components: components.clone(),
        ..InstanceOptions::page(ids.clone())
    };
    let (mut page, ops, more) = PageInstance::with_options(&group, PAGE, &data, options);
    diags.extend(more);
    let mut tree = Tree::new();
    tree.apply(&ops);
    let mut queue: std::collections::VecDeque<(usize, ComponentEvent)> = page
        .take_component_events()
        .into_iter()
        .map(|e| (0, e))
        .collect();
    let mut instances = vec![page];
    while let Some((owner, event)) = queue.pop_front() {
        let ComponentEvent::Created { host, path, .. } = event else {
            continue;
        };
        // A host cut meanwhile gets no instance.
        if !instances[owner].owns(host) {
            continue;
        }
        let options = InstanceOptions {
            root: host,
            ids: ids.clone(),
            components: components.clone(),
            scope: Some(path.clone()),
        };
        let (mut instance, ops, more) =
            PageInstance::with_options(&group, &format!("{path}.wxml"), &json!({}), options);
        diags.extend(more);
        tree.apply(&ops);
        let slots = instance.slot_nodes().clone();
        let ops = instances[owner].distribute_slots(host, &slots, false);
        tree.apply(&ops);
        diags.extend(instances[owner].take_diagnostics());
        let index = instances.len();
        queue.extend(
            instance
                .take_component_events()
                .into_iter()
                .map(|e| (index, e)),
        );
        instances.push(instance);
    }
    (tree, diags, instances, group)
}

/// The most nodes on one path down from the page (elements, then text).
fn tree_depth(tree: &Tree) -> usize {
    let mut deepest = 0;
    let mut stack = vec![(cirrus_protocol::ops::NodeId::ROOT, 0usize)];
    while let Some((id, depth)) = stack.pop() {
        deepest = deepest.max(depth);
        for child in tree.children(id) {
            stack.push((child, depth + 1));
        }
    }
    deepest
}

fn views_around(depth: usize, inner: &str) -> String {
    format!(
        "{}{inner}{}",
        "<view>".repeat(depth),
        "</view>".repeat(depth)
    )
}

#[test]
fn light_children_in_a_deep_slot_count_the_slot_depth() {
    on_logic_stack(|| {
        // 300 views around the slot, 300 around the light content: 602
        // levels without counting the slot's depth.
        let page = format!(
            "<wrap>{}</wrap>\n<text>after</text>",
            views_around(300, "<text>deepest</text>")
        );
        let wrap = views_around(300, "<slot/>");
        let (tree, diags, _, _) = instantiate_with_slots(
            &[(PAGE, &page), ("components/wrap/wrap.wxml", &wrap)],
            &[("wrap", "components/wrap/wrap")],
            json!({}),
        );
        let d = only_message(&diags, "and the slots they fill included");
        // <wrap>, 300 views and the <slot> enclose the first light view:
        // the light view 211th deep (enclosed by 511 + 1) is the first cut.
        assert_eq!(
            (d.file.as_str(), d.line, d.column),
            (
                PAGE,
                1,
                1 + "<wrap>".len() as u32 + 210 * "<view>".len() as u32
            )
        );
        assert!(d.message.starts_with("<view> nested too deeply"), "{d:?}");
        assert_eq!(
            tree_depth(&tree),
            MAX_ELEMENT_DEPTH,
            "{}",
            tree_depth(&tree)
        );
        let render = tree.render();
        assert!(!render.contains("deepest"));
        // The rest of the page renders.
        assert!(
            render.ends_with("<text>\"after\"</text>"),
            "…{}",
            &render[render.len() - 80..]
        );
    });
}

#[test]
fn light_children_within_the_limit_render_whole() {
    on_logic_stack(|| {
        let page = format!("<wrap>{}</wrap>", views_around(200, "<text>deepest</text>"));
        let wrap = views_around(200, "<slot/>");
        let (tree, diags, _, _) = instantiate_with_slots(
            &[(PAGE, &page), ("components/wrap/wrap.wxml", &wrap)],
            &[("wrap", "components/wrap/wrap")],
            json!({}),
        );
        assert!(diags.is_empty(), "{diags:?}");
        // wrap + 200 + slot + 200 + <text> and its text node.
        assert_eq!(tree_depth(&tree), 1 + 200 + 1 + 200 + 2);
        assert!(tree.render().contains("deepest"));
    });
}

#[test]
fn content_built_later_in_a_slot_counts_its_depth_too() {
    on_logic_stack(|| {
        let page = format!(
            "<wrap><view wx:if=\"{{{{more}}}}\">{}</view></wrap>",
            views_around(300, "<text>deepest</text>")
        );
        let wrap = views_around(300, "<slot/>");
        let (mut tree, diags, mut instances, group) = instantiate_with_slots(
            &[(PAGE, &page), ("components/wrap/wrap.wxml", &wrap)],
            &[("wrap", "components/wrap/wrap")],
            json!({ "more": false }),
        );
        assert!(diags.is_empty(), "{diags:?}");
        let mut data = json!({ "more": false });
        let (ops, diags) = instances[0].set_data(
            &group,
            &mut data,
            &[(
                cirrus_template::parse_data_path("more").unwrap(),
                json!(true),
            )],
        );
        tree.apply(&ops);
        only_message(&diags, "nested too deeply");
        assert!(
            tree_depth(&tree) <= MAX_ELEMENT_DEPTH + 1,
            "{}",
            tree_depth(&tree)
        );
        assert!(!tree.render().contains("deepest"));
    });
}

#[test]
fn components_nested_through_slots_stop_at_the_element_limit() {
    on_logic_stack(|| {
        // Each <box> is 3 levels (host, view, slot) around its light
        // children: 200 boxes written inside each other are 600 deep.
        let page = format!(
            "{}<text>deepest</text>{}\n<text>after</text>",
            "<box>".repeat(200),
            "</box>".repeat(200)
        );
        let (tree, diags, instances, _) = instantiate_with_slots(
            &[
                (PAGE, &page),
                ("components/box/box.wxml", "<view><slot/></view>"),
            ],
            &[("box", "components/box/box")],
            json!({}),
        );
        // The 171st box is enclosed by 170 x 3 = 510 levels: its view is
        // the 512th, its slot would be the 513th and is not rendered (so
        // the 172nd box is kept detached), and the 173rd box, enclosed by
        // 512 levels, is cut where it is written.
        let slot = only_message(&diags, "<slot> nested too deeply");
        assert_eq!(slot.file, "components/box/box.wxml");
        let cut = only_message(&diags, "<box> nested too deeply");
        assert_eq!(
            (cut.file.as_str(), cut.line, cut.column),
            (PAGE, 1, 1 + 172 * "<box>".len() as u32)
        );
        assert!(cut.message.contains("slots they fill"), "{cut:?}");
        assert!(
            tree_depth(&tree) <= MAX_ELEMENT_DEPTH,
            "{}",
            tree_depth(&tree)
        );
        assert!(instances.len() < 200, "{}", instances.len());
        let render = tree.render();
        assert!(!render.contains("deepest"));
        assert!(render.ends_with("<text>\"after\"</text>"));
        // A component rendering itself inside its own slot content stops
        // too (the component limit or the element limit, whichever first).
        let (tree, diags, _, _) = instantiate_with_slots(
            &[
                (PAGE, "<me><text>x</text></me>"),
                (
                    "components/me/me.wxml",
                    &format!(
                        "{}<me><slot/></me>{}",
                        "<view>".repeat(20),
                        "</view>".repeat(20)
                    ),
                ),
            ],
            &[("me", "components/me/me")],
            json!({}),
        );
        only_message(&diags, "nested too deeply");
        assert!(
            tree_depth(&tree) <= MAX_ELEMENT_DEPTH + 1,
            "{}",
            tree_depth(&tree)
        );
    });
}
