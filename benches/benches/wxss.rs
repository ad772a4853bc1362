//! WXSS: parsing a realistic 2,000-rule sheet from source vs loading its
//! precompiled form (cirrus-style's own compiled rule index, <https://developers.weixin.qq.com/miniprogram/dev/framework/runtime/skyline/introduction.html>),
//! both through the public API (`StyleSheets::load` /
//! `StyleSheets::load_binary`, everything a page load does). Target: the
//! binary loads at least 5 times faster.
//!
//! Timings exclude freeing the result (`iter_with_large_drop`).
//! `float_pigment_parse_only` times float-pigment's text parse alone, the
//! part of `parse_source` the binary skips.

use cirrus_benches::gen::{wxss_sheet, PAGE_ROUTE};
use cirrus_benches::timing::{interleaved_medians, report_ratio};
use cirrus_style::{compile_binary, StyleOptions, StyleSheets};
use criterion::{black_box, criterion_group, Criterion};
use float_pigment_css::StyleSheetResource;

const RULES: usize = 2_000;

struct Inputs {
    page_sheet: String,
    source: String,
    binary: Vec<u8>,
    empty_binary: Vec<u8>,
}

fn inputs() -> Inputs {
    let page_sheet = format!("{PAGE_ROUTE}.wxss");
    let source = wxss_sheet(RULES);
    let (binary, _) = compile_binary(&page_sheet, &source);
    let (empty_binary, _) = compile_binary("app.wxss", "");
    Inputs {
        page_sheet,
        source,
        binary,
        empty_binary,
    }
}

fn parse(inputs: &Inputs) -> StyleSheets {
    let read = |path: &str| -> Option<String> {
        if path == inputs.page_sheet {
            Some(inputs.source.clone())
        } else {
            (path == "app.wxss").then(String::new)
        }
    };
    StyleSheets::load(PAGE_ROUTE, &read, StyleOptions::default()).0
}

fn load_binary(inputs: &Inputs) -> StyleSheets {
    let read = |path: &str| -> Option<Vec<u8>> {
        if path == inputs.page_sheet {
            Some(inputs.binary.clone())
        } else {
            (path == "app.wxss").then(|| inputs.empty_binary.clone())
        }
    };
    StyleSheets::load_binary(PAGE_ROUTE, &read, StyleOptions::default()).0
}

fn bench(c: &mut Criterion) {
    let inputs = inputs();
    assert_eq!(parse(&inputs).rule_count(), RULES);
    assert_eq!(load_binary(&inputs).rule_count(), RULES);
    let mut group = c.benchmark_group("wxss_2000_rules");
    group.bench_function("parse_source", |b| {
        b.iter_with_large_drop(|| parse(&inputs))
    });
    group.bench_function("load_binary", |b| {
        b.iter_with_large_drop(|| load_binary(&inputs))
    });
    group.bench_function("float_pigment_parse_only", |b| {
        b.iter_with_large_drop(|| {
            let mut resource = StyleSheetResource::new();
            let warnings = resource.add_source("pages/list/list", &inputs.source);
            (resource, warnings)
        })
    });
    group.bench_function("compile_binary", |b| {
        b.iter(|| black_box(compile_binary(&inputs.page_sheet, &inputs.source)))
    });
    group.finish();
}

fn ratio() {
    let inputs = inputs();
    let (parse_time, binary_time) =
        interleaved_medians(15, || parse(&inputs), || load_binary(&inputs));
    report_ratio(
        "wxss_parse_over_binary_load",
        ("parse", parse_time),
        ("load_binary", binary_time),
        ">= 5x",
    );
    println!(
        "  binary size {} bytes, source {} bytes",
        inputs.binary.len(),
        inputs.source.len()
    );
}

criterion_group!(benches, bench);

fn main() {
    benches();
    ratio();
    criterion::Criterion::default()
        .configure_from_args()
        .final_summary();
}
