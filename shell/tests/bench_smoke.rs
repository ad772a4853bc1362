//! `cirrus bench --quick`: every scenario runs in a tiny configuration and
//! the JSON report holds every figure with a finite value for Cirrus.

use serde_json::Value;
use std::process::Command;

/// The figures each scenario must report (quick sizes: updates of 1, 10
/// and 50 bindings, 50 animated dots).
const EXPECTED: [(&str, &[&str]); 6] = [
    (
        "first-frame",
        &[
            "launch to PNG written",
            "peak Pss",
            "launch to PNG written, cpu renderer",
            "peak Pss, cpu renderer",
            "launch to PNG written, gpu renderer",
            "peak Pss, gpu renderer",
            "TS + ES modules + LESS, cold cache",
            "TS + ES modules + LESS, warm cache",
        ],
    ),
    (
        "update",
        &[
            "p50, 1 binding",
            "p99, 1 binding",
            "p99 CPU part, 1 binding",
            "p99 logic turn, 1 binding",
            "p99 render CPU, 1 binding",
            "p99 style, 1 binding",
            "p99 layout, 1 binding",
            "p99 paint, 1 binding",
            "p50, 10 bindings",
            "p99, 10 bindings",
            "p99 CPU part, 10 bindings",
            "p99 logic turn, 10 bindings",
            "p99 render CPU, 10 bindings",
            "p99 style, 10 bindings",
            "p99 layout, 10 bindings",
            "p99 paint, 10 bindings",
            "p50, 50 bindings",
            "p99, 50 bindings",
            "p99 CPU part, 50 bindings",
            "p99 logic turn, 50 bindings",
            "p99 render CPU, 50 bindings",
            "p99 style, 50 bindings",
            "p99 layout, 50 bindings",
            "p99 paint, 50 bindings",
        ],
    ),
    (
        "long-list",
        &[
            "render CPU p50",
            "render CPU p95",
            "render CPU p99",
            "style p99",
            "layout p99",
            "paint p99",
            "scroll input p99",
            "GPU submit+readback p99",
            "frames entering layout pass",
            "display items per frame p50",
        ],
    ),
    (
        "animation",
        &[
            "start frame (restyle)",
            "transitions started",
            "frame p50",
            "frame p99",
            "render CPU p99",
            "nodes animated per frame",
            "nodes restyled per frame",
            "layout caches invalidated",
            "frames entering layout pass",
        ],
    ),
    (
        "worklet",
        &[
            "frame p50",
            "frame p99",
            "render CPU p99",
            "UI runtime tick p99",
            "nodes restyled after the first frame",
            "ops from the logic thread",
            "frames entering layout pass",
        ],
    ),
    (
        "navigate",
        &[
            "navigateTo p50",
            "navigateBack p50",
            "navigateTo p99",
            "RSS after first 10",
            "RSS after last 10",
            "RSS growth",
        ],
    ),
];

fn cirrus_median(figure: &Value) -> f64 {
    figure["cirrus"]["median"].as_f64().unwrap_or(f64::NAN)
}

#[test]
fn quick_bench_reports_every_figure() {
    let json = std::env::temp_dir().join(format!("cirrus-bench-smoke-{}.json", std::process::id()));
    let out = Command::new(env!("CARGO_BIN_EXE_cirrus"))
        .args(["bench", "--quick", "--runs", "1", "--no-baseline", "--json"])
        .arg(&json)
        .output()
        .expect("cirrus runs");
    assert!(
        out.status.success(),
        "cirrus bench failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = std::fs::read_to_string(&json).expect("the JSON report was written");
    let _ = std::fs::remove_file(&json);
    let report: Value = serde_json::from_str(&text).expect("valid JSON");
    assert_eq!(report["runs"], 1);
    assert!(report["machine"]["nproc"].as_u64().unwrap_or(0) >= 1);
    assert!(!report["adapter"].as_str().unwrap_or("").is_empty());
    let scenarios = report["scenarios"].as_array().expect("scenarios");
    let names: Vec<&str> = scenarios
        .iter()
        .filter_map(|s| s["scenario"].as_str())
        .collect();
    assert_eq!(
        names,
        [
            "first-frame",
            "update",
            "long-list",
            "animation",
            "worklet",
            "navigate"
        ]
    );
    for (scenario, (name, figures)) in scenarios.iter().zip(EXPECTED) {
        let got: Vec<&str> = scenario["figures"]
            .as_array()
            .expect("figures")
            .iter()
            .filter_map(|f| f["figure"].as_str())
            .collect();
        assert_eq!(got, figures, "figures of {name}");
        for f in scenario["figures"].as_array().expect("figures") {
            let v = cirrus_median(f);
            assert!(v.is_finite() && v >= 0.0, "{name}/{}: {v}", f["figure"]);
            // With --no-baseline no baseline figure may appear.
            assert!(
                f["baseline"].is_null(),
                "{name}/{} has a baseline",
                f["figure"]
            );
        }
        assert!(
            scenario["baseline_note"].is_string(),
            "{name} says why no baseline"
        );
    }
    let by_name = |s: usize, f: &str| {
        scenarios[s]["figures"]
            .as_array()
            .and_then(|a| a.iter().find(|x| x["figure"] == f))
            .map(cirrus_median)
            .unwrap_or(f64::NAN)
    };
    // Transform and opacity changes must not invalidate any layout cache.
    assert_eq!(by_name(3, "layout caches invalidated"), 0.0);
    assert!(by_name(0, "launch to PNG written") > 0.0);
    // Pss of `cirrus shot`'s whole process tree, sampled while it ran.
    assert!(
        by_name(0, "peak Pss") > 1.0,
        "a process uses more than 1 MiB"
    );
    // CSS transitions run on the render thread: every dot moves each
    // frame, and nothing is restyled or laid out for it.
    assert_eq!(by_name(3, "transitions started"), 50.0, "one per dot");
    assert_eq!(by_name(3, "nodes animated per frame"), 50.0);
    assert_eq!(by_name(3, "nodes restyled per frame"), 0.0);
    assert_eq!(by_name(3, "frames entering layout pass"), 0.0);
    // Worklets move the bound nodes on the render thread: after the first
    // frame their transforms are written in (no restyle), the logic thread
    // sends nothing, and nothing is laid out.
    assert_eq!(by_name(4, "nodes restyled after the first frame"), 0.0);
    assert_eq!(by_name(4, "ops from the logic thread"), 0.0);
    assert_eq!(by_name(4, "frames entering layout pass"), 0.0);
}
