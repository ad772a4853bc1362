//! Randomized setData sequences: after every update, the incrementally
//! updated tree must equal the tree a fresh instance builds from the final
//! data, and must hold no leaked nodes.

mod common;

use common::{Page, PAGE};
use serde_json::{json, Value};

/// xorshift64*: deterministic, dependency-free randomness.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
    fn word(&mut self) -> String {
        const WORDS: [&str; 6] = ["a", "bb", "c c", "", "dd", "é"];
        WORDS[self.below(WORDS.len())].to_owned()
    }
}

const MAIN: &str = r#"<import src="/common/tpl.wxml"/>
<view class="head {{flag ? 'on' : ''}}" style="width: {{n}}px" hidden="{{!flag}}">{{title}} ({{rows.length}})</view>
<view wx:if="{{n > 6}}" class="big">big {{n}}</view>
<block wx:elif="{{n > 3}}"><text>mid</text><text>{{n}}</text></block>
<text wx:else>small</text>
<view wx:for="{{rows}}" wx:key="id" class="row {{item.on ? 'on' : 'off'}}" data-id="{{item.id}}">
  <text>{{index}}:{{item.name}}</text>
  <text wx:if="{{item.on}}">!</text>
  <text wx:for="{{item.tags}}" wx:for-item="tag" wx:for-index="j">{{index}}.{{j}}={{tag}}</text>
  <template is="badge" data="{{...item, n}}"/>
</view>
<block wx:for="{{rows}}" wx:for-item="r"><text wx:if="{{r.on}}">{{r.name}}</text></block>
<template is="{{flag ? 'badge' : 'plain'}}" data="{{name: title, n, id: obj.a.b}}"/>
<include src="/common/footer.wxml"/>
<text wx:for="{{[title, n]}}">{{item}}</text>
<view wx:for="{{[{id: 1, v: title}, {id: n, v: 'x'}, {id: flag ? 3 : 4, v: obj.a.b}]}}" wx:key="id"><text>{{item.v}}{{index}}</text></view>
<text wx:for="{{n > 4 ? rows : obj.list}}">{{index}}{{item.name || item}}</text>
<text>{{obj.a.b}}|{{obj.list[1]}}</text>"#;

const TPL: &str = r#"<template name="badge"><text class="badge">{{id}}-{{name}}-{{n}}</text></template>
<template name="plain"><view>plain {{name}}</view></template>"#;

const FOOTER: &str = r#"<view wx:for="{{obj.list}}" wx:key="*this">{{item}}</view>"#;

fn random_row(rng: &mut Rng, id: u64) -> Value {
    let tags: Vec<Value> = (0..rng.below(3))
        .map(|_| Value::String(rng.word()))
        .collect();
    json!({"id": id, "name": rng.word(), "on": rng.chance(50), "tags": tags})
}

fn random_update(rng: &mut Rng, data: &Value, next_id: &mut u64) -> Vec<(String, Value)> {
    let len = data["rows"].as_array().map_or(0, Vec::len);
    let i = rng.below(len.max(1));
    match rng.below(16) {
        0 => vec![(format!("rows[{i}].name"), Value::String(rng.word()))],
        1 => vec![(format!("rows[{i}].on"), Value::Bool(rng.chance(50)))],
        2 => {
            // Shuffle, drop some, add some.
            let mut rows: Vec<Value> = data["rows"].as_array().cloned().unwrap_or_default();
            for k in (1..rows.len()).rev() {
                let j = rng.below(k + 1);
                rows.swap(k, j);
            }
            rows.retain(|_| rng.chance(80));
            for _ in 0..rng.below(3) {
                *next_id += 1;
                let at = rng.below(rows.len() + 1);
                rows.insert(at, random_row(rng, *next_id));
            }
            vec![("rows".into(), Value::Array(rows))]
        }
        3 => {
            *next_id += 1;
            vec![(format!("rows[{len}]"), random_row(rng, *next_id))]
        }
        4 => {
            let id = if rng.chance(50) {
                data["rows"][i]["id"].as_u64().unwrap_or(0)
            } else {
                *next_id + 1
            };
            *next_id += 1;
            vec![(format!("rows[{i}]"), random_row(rng, id))]
        }
        5 => vec![(format!("rows[{i}].tags"), json!([rng.word(), rng.word()]))],
        6 => vec![(
            format!("rows[{i}].tags[{}]", rng.below(3)),
            Value::String(rng.word()),
        )],
        7 => vec![("n".into(), json!(rng.below(10)))],
        8 => vec![("flag".into(), Value::Bool(rng.chance(50)))],
        9 => vec![("title".into(), Value::String(rng.word()))],
        10 => vec![("obj.a.b".into(), json!(rng.below(4)))],
        11 => vec![(
            "obj".into(),
            json!({"a": {"b": rng.word()}, "list": [rng.word(), rng.word(), "x"]}),
        )],
        12 => vec![(
            format!("obj.list[{}]", rng.below(4)),
            Value::String(rng.word()),
        )],
        13 => {
            // Change an item's key in place.
            *next_id += 1;
            vec![(format!("rows[{i}].id"), json!(*next_id))]
        }
        14 => {
            // Reverse the whole list.
            let mut rows: Vec<Value> = data["rows"].as_array().cloned().unwrap_or_default();
            rows.reverse();
            vec![("rows".into(), Value::Array(rows))]
        }
        _ => vec![
            ("n".into(), json!(rng.below(10))),
            (format!("rows[{i}].name"), Value::String(rng.word())),
            ("flag".into(), Value::Bool(rng.chance(50))),
        ],
    }
}

#[test]
fn random_set_data_sequences_match_a_fresh_build() {
    for seed in 1..=40u64 {
        let mut rng = Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
        let mut next_id = 100;
        let rows: Vec<Value> = (0..4).map(|k| random_row(&mut rng, k)).collect();
        let data = json!({
            "rows": rows, "n": 5, "flag": true, "title": "T",
            "obj": {"a": {"b": 1}, "list": ["p", "q"]},
        });
        let mut page = Page::with_files(
            &[
                (PAGE, MAIN),
                ("common/tpl.wxml", TPL),
                ("common/footer.wxml", FOOTER),
            ],
            data,
        );
        assert!(page.diags.iter().all(|d| !d.is_error), "{:?}", page.diags);
        assert_eq!(page.render(), page.fresh_render());
        for step in 0..60 {
            let update = random_update(&mut rng, &page.data, &mut next_id);
            let refs: Vec<(&str, Value)> = update
                .iter()
                .map(|(p, v)| (p.as_str(), v.clone()))
                .collect();
            page.set(&refs);
            let fresh = page.fresh_render();
            assert_eq!(
                page.render(),
                fresh,
                "seed {seed} step {step} after {update:?}"
            );
            let (_, fresh_ops, _) =
                cirrus_template::PageInstance::new(&page.group, PAGE, &page.data, 1);
            let mut fresh_tree = common::Tree::new();
            fresh_tree.apply(&fresh_ops);
            assert_eq!(
                page.tree.live_nodes(),
                fresh_tree.live_nodes(),
                "leaked nodes: seed {seed} step {step}"
            );
        }
    }
}
