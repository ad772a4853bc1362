//! Display-list building (`Stage::paint`) for a laid-out 10,000-node page:
//! the whole page is walked (the list is not culled to the viewport here),
//! text shaped through `TextSystem::shape` (cached by paragraph and width).
//! Also at 1,000 nodes (333 paragraphs, which fit the text caches) to show
//! how the cost scales when the page's paragraphs outnumber the caches.

use cirrus_benches::fixtures::laid_out_stage;
use cirrus_benches::gen::ListPage;
use cirrus_engine::render::DisplayList;
use criterion::{black_box, criterion_group, criterion_main, Criterion};

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("paint");
    group.sample_size(10);
    for nodes in [1_000, 10_000] {
        let page = ListPage::with_nodes(nodes);
        let mut stage = laid_out_stage(&page);
        let mut list = DisplayList::new();
        stage.paint(&mut list);
        println!("{nodes} nodes: display list of {} items", list.len());
        group.bench_function(format!("stage_paint_{nodes}_nodes"), |b| {
            b.iter(|| {
                stage.paint(&mut list);
                black_box(list.len())
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
