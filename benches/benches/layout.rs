//! Layout of a 10,000-node page (1,111 feed items: flex rows, images, two
//! text paragraphs and a badge each, 375 px wide):
//! - `stage_first_update`: `Stage::update` on a freshly built tree (the
//!   first frame's style + layout);
//! - `engine_full_layout` vs `bare_taffy_full_layout`: every cache cleared,
//!   then the engine's layout pass (`cirrus_layout::compute_layout` over the
//!   engine's `PageTree`) vs the same styles and paragraphs in a bare
//!   `taffy::TaffyTree` measured by the same `TextSystem` (warm text caches
//!   on both sides): the engine's overhead (target at most 1.3x);
//! - incremental: one avatar's width changed, then relaid out: through the
//!   `Stage` (ops + restyle + layout), the engine's passes, and bare taffy.

use cirrus_benches::fixtures::{
    bare_taffy_from_tree, laid_out_stage, layout_bare_taffy, stage_with_tree, BareTaffy,
    EnginePage, PAGE,
};
use cirrus_benches::gen::ListPage;
use cirrus_benches::timing::{interleaved_medians, report_ratio};
use cirrus_engine::ops::{NodeId, Op, OpBatch};
use cirrus_engine::protocol::ToRender;
use cirrus_layout::text::TextSystem;
use criterion::{black_box, criterion_group, BatchSize, Criterion};
use serde_json::json;

const NODES: usize = 10_000;
/// Which avatar the incremental benchmarks resize: one in the middle.
const LEAF: usize = 500;

fn width_op(id: NodeId, turn: usize) -> Op {
    Op::SetAttribute {
        id,
        name: "style".into(),
        // Alternating widths: every turn is a real size change.
        value: json!(["width: 40px", "width: 56px"][turn % 2]),
    }
}

/// The engine page styled and laid out once, plus a bare-taffy copy laid
/// out once with its own warm text system.
fn prepared() -> (EnginePage, BareTaffy, TextSystem) {
    let page = ListPage::with_nodes(NODES);
    let mut engine = EnginePage::new(&page);
    engine.style();
    engine.layout();
    let mut bare = bare_taffy_from_tree(&engine.page.tree);
    let mut bare_text = TextSystem::new();
    layout_bare_taffy(&mut bare, &mut bare_text);
    let engine_height = engine.page.tree.root().layout.layout().size.height;
    let bare_height = bare
        .tree
        .layout(bare.root)
        .map(|l| l.size.height)
        .unwrap_or(0.0);
    assert!(
        (engine_height - bare_height).abs() < 0.5,
        "engine {engine_height} vs bare {bare_height}: not the same layout"
    );
    (engine, bare, bare_text)
}

fn engine_full(engine: &mut EnginePage) {
    engine.mark_all_layout_dirty();
    engine.layout();
}

fn bare_full(bare: &mut BareTaffy, text: &mut TextSystem) {
    bare.mark_all_dirty();
    layout_bare_taffy(bare, text);
}

/// The engine's and bare taffy's inputs for resizing the chosen avatar.
struct Leaf {
    engine_id: NodeId,
    bare_id: taffy::NodeId,
    bare_styles: [taffy::Style; 2],
}

fn leaf(engine: &EnginePage, bare: &BareTaffy) -> Leaf {
    let engine_id = engine
        .nth_element("image", LEAF)
        .unwrap_or_else(|| panic!("the page has {LEAF} images"));
    let bare_id = bare.copies[&taffy::NodeId::from(u64::from(engine_id.0))];
    let base = bare.tree.style(bare_id).cloned().unwrap_or_default();
    let sized = |px: f32| taffy::Style {
        size: taffy::Size {
            width: taffy::Dimension::length(px),
            ..base.size
        },
        ..base.clone()
    };
    Leaf {
        engine_id,
        bare_id,
        bare_styles: [sized(40.0), sized(56.0)],
    }
}

fn bench(c: &mut Criterion) {
    let page = ListPage::with_nodes(NODES);
    let mut group = c.benchmark_group("layout_10k_nodes");
    group.sample_size(10);
    group.bench_function("stage_first_update", |b| {
        b.iter_batched(
            || stage_with_tree(&page),
            |mut stage| black_box(stage.update()),
            BatchSize::LargeInput,
        )
    });

    let (mut engine, mut bare, mut bare_text) = prepared();
    group.bench_function("engine_full_layout", |b| {
        b.iter(|| engine_full(&mut engine))
    });
    group.bench_function("bare_taffy_full_layout", |b| {
        b.iter(|| bare_full(&mut bare, &mut bare_text))
    });

    let target = leaf(&engine, &bare);
    let mut turn = 0usize;
    group.bench_function("engine_incremental_one_leaf", |b| {
        b.iter(|| {
            turn += 1;
            let _ = engine.page.tree.apply(width_op(target.engine_id, turn));
            engine.style();
            engine.layout();
        })
    });
    group.bench_function("bare_taffy_incremental_one_leaf", |b| {
        b.iter(|| {
            turn += 1;
            let _ = bare
                .tree
                .set_style(target.bare_id, target.bare_styles[turn % 2].clone());
            layout_bare_taffy(&mut bare, &mut bare_text);
        })
    });

    let mut stage = laid_out_stage(&page);
    group.bench_function("stage_incremental_one_leaf", |b| {
        b.iter(|| {
            turn += 1;
            stage.handle(ToRender::Ops(OpBatch {
                page: PAGE,
                ops: vec![width_op(target.engine_id, turn)],
            }));
            black_box(stage.update())
        })
    });
    group.finish();
}

fn ratios() {
    let (mut engine, mut bare, mut bare_text) = prepared();
    let (engine_time, bare_time) = interleaved_medians(
        15,
        || engine_full(&mut engine),
        || bare_full(&mut bare, &mut bare_text),
    );
    report_ratio(
        "layout_full_engine_over_bare_taffy",
        ("engine", engine_time),
        ("bare_taffy", bare_time),
        "<= 1.3x",
    );
    let target = leaf(&engine, &bare);
    let mut engine_turn = 0usize;
    let mut bare_turn = 0usize;
    let (engine_time, bare_time) = interleaved_medians(
        101,
        || {
            engine_turn += 1;
            let _ = engine
                .page
                .tree
                .apply(width_op(target.engine_id, engine_turn));
            engine.style();
            engine.layout();
        },
        || {
            bare_turn += 1;
            let _ = bare
                .tree
                .set_style(target.bare_id, target.bare_styles[bare_turn % 2].clone());
            layout_bare_taffy(&mut bare, &mut bare_text);
        },
    );
    report_ratio(
        "layout_incremental_engine_over_bare_taffy",
        ("engine (restyle + layout)", engine_time),
        ("bare_taffy", bare_time),
        "<= 1.3x",
    );
}

criterion_group!(benches, bench);

fn main() {
    benches();
    ratios();
    Criterion::default().configure_from_args().final_summary();
}
