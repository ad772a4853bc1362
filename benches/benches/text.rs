//! Text shaping of 1,000 paragraphs (8-60 mixed Latin/CJK words each)
//! through `TextSystem::measure` at a 300 px width: cold (caches cleared
//! before each pass, so every paragraph is shaped) and warm (every
//! paragraph already measured at that width: the cache lookup path a
//! relayout takes).

use cirrus_benches::gen::paragraphs;
use cirrus_layout::text::{Paragraph, TextSystem};
use cirrus_style::{initial_style, StyleOptions};
use criterion::{black_box, criterion_group, criterion_main, Criterion};
use taffy::{AvailableSpace, Size};

const WIDTH: f32 = 300.0;

fn measure_all(text: &mut TextSystem, paragraphs: &[Paragraph]) -> f32 {
    let known = Size {
        width: None,
        height: None,
    };
    let available = Size {
        width: AvailableSpace::Definite(WIDTH),
        height: AvailableSpace::MaxContent,
    };
    paragraphs
        .iter()
        .map(|p| text.measure(p, known, available).height)
        .sum()
}

fn bench(c: &mut Criterion) {
    let style = initial_style(&StyleOptions::default());
    let paragraphs: Vec<Paragraph> = paragraphs(1_000)
        .into_iter()
        .map(|text| Paragraph::plain(&style, text))
        .collect();
    // Font discovery happens once, outside the timings.
    let mut text = TextSystem::new();
    let total_height = measure_all(&mut text, &paragraphs);
    assert!(total_height > 1_000.0, "paragraphs measured {total_height}");

    let mut group = c.benchmark_group("text_1000_paragraphs");
    group.sample_size(10);
    group.bench_function("measure_cold", |b| {
        b.iter(|| {
            text.clear_caches();
            black_box(measure_all(&mut text, &paragraphs))
        })
    });
    measure_all(&mut text, &paragraphs);
    group.bench_function("measure_warm", |b| {
        b.iter(|| black_box(measure_all(&mut text, &paragraphs)))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
