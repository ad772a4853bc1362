//! Template instantiation of a 10,000-node page (`PageInstance::new`: WXML
//! IR + data -> ops) and setData diffs changing 1, 100 and 1,000 bindings
//! (`PageInstance::set_data`: apply, find the dependent bindings, emit ops).

use cirrus_benches::fixtures::{instantiate, template_group, wxml_path, FIRST_NODE_ID};
use cirrus_benches::gen::ListPage;
use cirrus_template::{parse_data_path, DataPath, PageInstance};
use criterion::{black_box, criterion_group, criterion_main, Criterion};
use serde_json::Value;

const NODES: usize = 10_000;

fn bench(c: &mut Criterion) {
    let page = ListPage::with_nodes(NODES);
    let group = template_group(&page);
    let data = page.data();

    let mut instantiation = c.benchmark_group("template_10k_nodes");
    instantiation.sample_size(10);
    instantiation.bench_function("instantiate", |b| {
        b.iter(|| {
            let (instance, ops, _diags) =
                PageInstance::new(&group, &wxml_path(), &data, FIRST_NODE_ID);
            black_box((instance.binding_count(), ops.len()))
        })
    });
    instantiation.finish();

    let mut diffs = c.benchmark_group("set_data_10k_nodes");
    for changed in [1usize, 100, 1_000] {
        let (mut instance, _ops, mut live_data) = instantiate(&page, &group);
        // Two alternating rounds of new values: every update is a change.
        let rounds: Vec<Vec<(DataPath, Value)>> = (0..2)
            .map(|round| {
                page.set_data_titles(changed, round)
                    .into_iter()
                    .filter_map(|(path, value)| Some((parse_data_path(&path).ok()?, value)))
                    .collect()
            })
            .collect();
        let (ops, _) = instance.set_data(&group, &mut live_data, &rounds[0]);
        assert_eq!(
            instance.last_update_visits(),
            changed,
            "bindings re-evaluated"
        );
        assert_eq!(ops.len(), changed, "one text op per changed binding");
        let mut turn = 0usize;
        diffs.bench_function(format!("changed_{changed}"), |b| {
            b.iter(|| {
                turn += 1;
                let (ops, _) = instance.set_data(&group, &mut live_data, &rounds[turn % 2]);
                black_box(ops.len())
            })
        });
    }
    diffs.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
