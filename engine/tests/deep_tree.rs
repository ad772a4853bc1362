//! Depth: the node tree refuses nodes past `MAX_TREE_DEPTH`, and a tree at
//! that depth goes through style, layout, paint and hit testing on a thread
//! with the render thread's stack (`RENDER_STACK_BYTES`), which is measured
//! here against what a walk really uses.

mod common;

use cirrus_engine::ops::{NodeId, Op};
use cirrus_engine::render::DisplayList;
use cirrus_engine::render_thread::RENDER_STACK_BYTES;
use cirrus_engine::stage::Stage;
use cirrus_engine::tree::MAX_TREE_DEPTH;
use common::{batch, stage_with};
use serde_json::json;

/// Ops for a chain of `depth` nested views under the page, ids 1..=depth,
/// each 1 px padded on the left, the innermost holding a text.
fn chain(depth: u32) -> Vec<Op> {
    let mut ops = Vec::new();
    for id in 1..=depth {
        ops.push(Op::CreateElement {
            id: NodeId(id),
            tag: "view".into(),
        });
        ops.push(Op::SetAttribute {
            id: NodeId(id),
            name: "class".into(),
            value: json!("level"),
        });
        ops.push(Op::Insert {
            parent: NodeId(id - 1),
            child: NodeId(id),
            before: None,
        });
    }
    let text = depth + 1;
    ops.push(Op::CreateText {
        id: NodeId(text),
        text: "deep".into(),
    });
    ops.push(Op::Insert {
        parent: NodeId(depth),
        child: NodeId(text),
        before: None,
    });
    ops
}

const WXSS: &str = ".level { padding-left: 1px; min-height: 10px; display: flex; \
                    flex-direction: column } .level::after { content: ''; height: 1px }";

/// Builds a `depth`-deep page and runs a whole frame over it plus a hit
/// test of its innermost box; returns the innermost view's x.
fn frame_at_depth(depth: u32) -> f64 {
    let started = std::time::Instant::now();
    let mut stage = stage_with(WXSS);
    stage.handle(batch(chain(depth)));
    stage.update();
    let styled = started.elapsed();
    let mut list = DisplayList::new();
    stage.paint(&mut list);
    eprintln!(
        "depth {depth}: ops, style and layout {styled:?}, paint {:?}",
        started.elapsed() - styled
    );
    assert!(!list.is_empty());
    // Every level pads 1 px: the innermost box starts `depth - 1` px in
    // (its own padding is inside it).
    let x = innermost_x(&mut stage, depth);
    let hit = stage.hit_test(x as f32 + 0.5, 1.0);
    assert!(hit.is_some(), "nothing hit at depth {depth}");
    x
}

fn innermost_x(stage: &mut Stage, depth: u32) -> f64 {
    let json = stage.layout_json();
    let mut node = &json["root"];
    let mut x = 0.0;
    for _ in 0..depth {
        node = &node["children"][0];
        x = node["x"].as_f64().unwrap_or(f64::NAN);
    }
    x
}

/// Runs `job` on a thread with `stack` bytes of stack and returns its result
/// and how much of that stack it touched (resident stack pages, read from
/// `/proc/self/smaps`; `None` where that is not available).
fn on_stack<T: Send + 'static>(
    stack: usize,
    job: impl FnOnce() -> T + Send + 'static,
) -> (T, Option<usize>) {
    std::thread::Builder::new()
        .stack_size(stack)
        .spawn(move || {
            let result = job();
            let marker = 0u8;
            (
                result,
                resident_bytes_of_mapping(&marker as *const u8 as usize),
            )
        })
        .expect("spawns")
        .join()
        .expect("the job did not panic")
}

/// Resident bytes of the memory mapping holding `address`.
fn resident_bytes_of_mapping(address: usize) -> Option<usize> {
    let smaps = std::fs::read_to_string("/proc/self/smaps").ok()?;
    let mut inside = false;
    for line in smaps.lines() {
        let first = line.split_whitespace().next().unwrap_or("");
        if let Some((start, end)) = first.split_once('-') {
            if let (Ok(start), Ok(end)) = (
                usize::from_str_radix(start, 16),
                usize::from_str_radix(end, 16),
            ) {
                inside = (start..end).contains(&address);
                continue;
            }
        }
        if inside {
            if let Some(rest) = line.strip_prefix("Rss:") {
                let kb: usize = rest.trim().trim_end_matches("kB").trim().parse().ok()?;
                return Some(kb * 1024);
            }
        }
    }
    None
}

/// The whole frame at the maximum depth on the render thread's stack, and
/// the stack it used per level (the difference from a 200-deep page, so the
/// stage's fixed cost cancels out); run with `--nocapture` to read it.
#[test]
fn a_tree_at_the_maximum_depth_renders_on_the_render_stack() {
    let depth = MAX_TREE_DEPTH as u32 - 1; // the text leaf is one deeper
    let (x, deep) = on_stack(RENDER_STACK_BYTES, move || frame_at_depth(depth));
    assert_eq!(x, f64::from(depth - 1));
    let (x, shallow) = on_stack(RENDER_STACK_BYTES, || frame_at_depth(200));
    assert_eq!(x, 199.0);
    if let (Some(deep), Some(shallow)) = (deep, shallow) {
        let per_level = deep.saturating_sub(shallow) / (depth as usize - 200);
        eprintln!("stack: {deep} bytes at depth {depth}, {per_level} per level");
        // The margin RENDER_STACK_BYTES promises.
        assert!(
            deep * 4 < RENDER_STACK_BYTES,
            "{deep} of {RENDER_STACK_BYTES}"
        );
        assert!(per_level * MAX_TREE_DEPTH * 4 < RENDER_STACK_BYTES);
    }
}

/// A real deep page (200 levels) renders even on a host thread with the
/// usual 2 MiB stack (the harness, an embedder's own thread).
#[test]
fn a_real_200_deep_page_renders_on_an_ordinary_stack() {
    let (x, _) = on_stack(2 << 20, || frame_at_depth(200));
    assert_eq!(x, 199.0);
}

#[test]
fn nodes_past_the_maximum_depth_are_refused_with_a_diagnostic() {
    let result = on_stack(RENDER_STACK_BYTES, || {
        let mut stage = stage_with(WXSS);
        stage.handle(batch(chain(MAX_TREE_DEPTH as u32 + 50)));
        stage.update();
        let mut list = DisplayList::new();
        stage.paint(&mut list);
        let refused: Vec<String> = (stage.errors().iter())
            .filter(|d| d.message.contains("nested too deeply"))
            .map(|d| format!("{}:{}:{} {}", d.file, d.line, d.column, d.message))
            .collect();
        let deepest_attached = (1..=MAX_TREE_DEPTH as u32 + 51)
            .take_while(|&id| {
                let tree = &stage.top_page().expect("a page").tree;
                tree.get(NodeId(id)).and_then(|n| n.parent).is_some()
            })
            .count();
        (refused, deepest_attached)
    });
    let (refused, attached) = result.0;
    assert_eq!(
        attached, MAX_TREE_DEPTH,
        "every level up to the limit is kept"
    );
    assert_eq!(refused.len(), 1, "{refused:?}");
    assert!(
        refused[0].starts_with("pages/index/index.wxml:"),
        "{refused:?}"
    );
    assert!(refused[0].contains(&format!("NodeId({})", MAX_TREE_DEPTH + 1)));
}
