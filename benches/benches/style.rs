//! Selector matching and the cascade for 10,000 elements: a top-down
//! `StyleSheets::compute_node` walk over a generated element tree (no
//! engine tree around it), against the page's 200-rule sheet and against a
//! 2,000-rule sheet; and the engine's own full style pass over the same
//! page (`cirrus_engine::style::pass::StylePass`, what `Stage::update` runs).

use cirrus_benches::fixtures::{ElementTree, EnginePage};
use cirrus_benches::gen::{wxss_sheet, ListPage, ELEMENTS_PER_ITEM, PAGE_ROUTE};
use cirrus_style::{NodeStyle, StyleOptions, StyleSheets};
use criterion::{black_box, criterion_group, criterion_main, BatchSize, Criterion};

/// Items for 10,000 style elements (6 per item, plus the page roots).
const ITEMS: usize = 10_000 / ELEMENTS_PER_ITEM;

fn sheets(rules: usize) -> StyleSheets {
    let source = wxss_sheet(rules);
    let page_sheet = format!("{PAGE_ROUTE}.wxss");
    let read = |path: &str| -> Option<String> {
        if path == page_sheet {
            Some(source.clone())
        } else {
            (path == "app.wxss").then(String::new)
        }
    };
    StyleSheets::load(PAGE_ROUTE, &read, StyleOptions::default()).0
}

/// Computes every element's style top-down (parents before children, the
/// order `ElementTree` stores them in); returns the styles.
fn cascade(tree: &ElementTree, sheets: &StyleSheets, out: &mut Vec<Option<NodeStyle>>) {
    out.clear();
    out.resize(tree.nodes.len(), None);
    for index in 0..tree.nodes.len() {
        let parent = tree.nodes[index].parent.and_then(|p| out[p].as_ref());
        let style = sheets.compute_node(&tree.get(index), parent);
        out[index] = Some(style);
    }
}

fn bench(c: &mut Criterion) {
    let page = ListPage { items: ITEMS };
    let tree = ElementTree::from_page(&page);
    let mut group = c.benchmark_group("cascade_10k_elements");
    group.sample_size(10);
    for rules in [200, 2_000] {
        let sheets = sheets(rules);
        let mut out = Vec::new();
        group.bench_function(format!("compute_node_{rules}_rules"), |b| {
            b.iter(|| {
                cascade(&tree, &sheets, &mut out);
                black_box(out.len())
            })
        });
    }
    group.bench_function("engine_style_pass_200_rules", |b| {
        b.iter_batched(
            || EnginePage::new(&page),
            |mut engine| black_box(engine.style()),
            BatchSize::LargeInput,
        )
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
