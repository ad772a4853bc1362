//! Matching at the benchmark's scale: 10,000 nodes against a few hundred
//! rules. Prints the time; asserts only on results (timing is the bench's job).

mod common;

use std::time::Instant;

use cirrus_layout::style::Dimension;
use common::{sheets, Tree};

#[test]
fn ten_thousand_nodes() {
    let mut css = String::new();
    for i in 0..300 {
        css.push_str(&format!(".c{i} {{ width: {i}px }} .list > .c{i}:nth-child(2n+1) {{ height: 1px }} view.c{i} text {{ color: red }}\n"));
    }
    css.push_str(
        ".item:first-child { order: 1 } .item + .item { order: 2 } #special { width: 999px }",
    );
    let s = sheets(&css);
    let mut t = Tree::new();
    let root = t.add(None, "view.list");
    let mut rows = Vec::new();
    for i in 0..5000 {
        let row = t.add(Some(root), &format!("view.item.c{}", i % 300));
        t.add(Some(row), "text");
        rows.push(row);
    }
    let start = Instant::now();
    let out = t.compute_all(&s);
    let elapsed = start.elapsed();
    eprintln!("computed {} nodes in {:?}", out.len(), elapsed);
    assert_eq!(out.len(), 10_001);
    assert_eq!(out[rows[7]].width, Dimension::Px(7.0));
    assert_eq!(out[rows[0]].order, 1);
    assert_eq!(out[rows[1]].order, 2);
}

#[test]
fn ten_thousand_nodes_with_variables() {
    let mut css = String::from("page { --gap: 4px } .deep { --gap: 8px }\n");
    for i in 0..300 {
        css.push_str(&format!(
            ".c{i} {{ width: {i}px; margin-top: var(--gap) }}\n"
        ));
    }
    let s = sheets(&css);
    let mut t = Tree::new();
    let page = t.add(None, "page");
    let mut parent = page;
    for depth in 0..9 {
        parent = t.add(Some(parent), if depth == 5 { "view.deep" } else { "view" });
    }
    let mut rows = Vec::new();
    for i in 0..9990 {
        rows.push(t.add(Some(parent), &format!("view.c{}", i % 300)));
    }
    let start = Instant::now();
    let out = t.compute_all(&s);
    eprintln!(
        "computed {} nodes with variables in {:?}",
        out.len(),
        start.elapsed()
    );
    assert_eq!(out[rows[3]].margin.top, Dimension::Px(8.0));
}
