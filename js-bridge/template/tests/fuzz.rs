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

// ---- the same with custom components ----------------------------------------

/// Rows of components whose light children are bound to the page and go
/// into the component's slots; a conditional component; a component in a
/// template; components inside a component.
const COMPONENT_PAGE: &str = r#"<template name="boxed"><card label="{{name}}"><text>{{n}}</text></card></template>
<view wx:for="{{rows}}" wx:key="id">
  <card label="{{item.name}}" on="{{item.on}}">
    <text slot="head">{{index}}</text>
    <text wx:if="{{item.on}}">on {{item.name}}</text>
    <text wx:for="{{item.tags}}" wx:for-item="tag">{{tag}}</text>
  </card>
</view>
<card wx:if="{{flag}}" label="{{title}}"><view wx:for="{{obj.list}}" wx:key="*this">{{item}}</view></card>
<template is="boxed" data="{{name: title, n}}"/>
<pair wx:if="{{n > 3}}" left="{{title}}" right="{{obj.a.b}}"/>"#;

const CARD_WXML: &str = r#"<view class="card {{on ? 'on' : ''}}"><view class="head"><slot name="head"/></view>{{label}}<slot/></view>"#;
const PAIR_WXML: &str = r#"<card label="{{left}}"><text>{{right}}</text></card><card label="{{right}}" on="{{true}}"/>"#;

/// A page and its components, driven the way the logic thread drives them:
/// every `Created` builds the component's instance under its host and
/// distributes the host's light children; property changes update the
/// component's data.
struct ComponentWorld {
    group: cirrus_template::TemplateGroup,
    page: cirrus_template::PageInstance,
    data: Value,
    /// host -> (owner host or None for the page, instance, data)
    comps: std::collections::HashMap<
        cirrus_protocol::ops::NodeId,
        (
            Option<cirrus_protocol::ops::NodeId>,
            cirrus_template::PageInstance,
            Value,
        ),
    >,
    tree: common::Tree,
}

impl ComponentWorld {
    fn new(data: Value) -> ComponentWorld {
        let group = common::group(&[
            (PAGE, COMPONENT_PAGE),
            ("c/card.wxml", CARD_WXML),
            ("c/pair.wxml", PAIR_WXML),
        ]);
        let options = cirrus_template::InstanceOptions {
            components: Self::tags(),
            ..cirrus_template::InstanceOptions::page(cirrus_template::NodeIdSource::new(1))
        };
        let (page, ops, diags) =
            cirrus_template::PageInstance::with_options(&group, PAGE, &data, options);
        assert!(diags.iter().all(|d| !d.is_error), "{diags:?}");
        let mut world = ComponentWorld {
            group,
            page,
            data,
            comps: Default::default(),
            tree: common::Tree::new(),
        };
        world.tree.apply(&ops);
        world.pump(None);
        world
    }

    fn tags() -> std::collections::HashMap<String, String> {
        [("card", "c/card"), ("pair", "c/pair")]
            .into_iter()
            .map(|(t, p)| (t.to_string(), p.to_string()))
            .collect()
    }

    fn instance_mut(
        &mut self,
        owner: Option<cirrus_protocol::ops::NodeId>,
    ) -> &mut cirrus_template::PageInstance {
        match owner {
            None => &mut self.page,
            Some(host) => &mut self.comps.get_mut(&host).expect("owner alive").1,
        }
    }

    /// Handles the component events of `owner`'s instance, recursively.
    fn pump(&mut self, owner: Option<cirrus_protocol::ops::NodeId>) {
        let events = self.instance_mut(owner).take_component_events();
        for event in events {
            match event {
                cirrus_template::ComponentEvent::Created {
                    host,
                    path,
                    properties,
                    ..
                } => {
                    let data = Value::Object(properties);
                    let options = cirrus_template::InstanceOptions {
                        root: host,
                        ids: self.page.node_ids(),
                        components: Self::tags(),
                        scope: Some(path.clone()),
                    };
                    let (instance, ops, diags) = cirrus_template::PageInstance::with_options(
                        &self.group,
                        &format!("{path}.wxml"),
                        &data,
                        options,
                    );
                    assert!(diags.iter().all(|d| !d.is_error), "{diags:?}");
                    self.tree.apply(&ops);
                    let slots = instance.slot_nodes().clone();
                    self.comps.insert(host, (owner, instance, data));
                    let ops = self
                        .instance_mut(owner)
                        .distribute_slots(host, &slots, true);
                    self.tree.apply(&ops);
                    self.pump(Some(host));
                }
                cirrus_template::ComponentEvent::PropertyChanged { host, name, value } => {
                    let Some((_, mut instance, mut data)) = self.comps.remove(&host) else {
                        continue;
                    };
                    let path = cirrus_template::parse_data_path(&name).unwrap();
                    let (ops, _) = instance.set_data(&self.group, &mut data, &[(path, value)]);
                    self.tree.apply(&ops);
                    self.comps.insert(host, (owner, instance, data));
                    self.pump(Some(host));
                }
                cirrus_template::ComponentEvent::Removed { host } => self.forget(host),
                cirrus_template::ComponentEvent::Moved { .. } => {}
            }
        }
    }

    fn forget(&mut self, host: cirrus_protocol::ops::NodeId) {
        self.comps.remove(&host);
        let inner: Vec<_> = self
            .comps
            .iter()
            .filter(|(_, (owner, _, _))| *owner == Some(host))
            .map(|(h, _)| *h)
            .collect();
        for h in inner {
            self.forget(h);
        }
    }

    fn set(&mut self, updates: &[(String, Value)]) {
        let parsed: Vec<_> = updates
            .iter()
            .map(|(p, v)| (cirrus_template::parse_data_path(p).unwrap(), v.clone()))
            .collect();
        let (ops, _) = self.page.set_data(&self.group, &mut self.data, &parsed);
        self.tree.apply(&ops);
        self.pump(None);
    }
}

#[test]
fn random_set_data_sequences_with_components_match_a_fresh_build() {
    for seed in 1..=25u64 {
        let mut rng = Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
        let mut next_id = 100;
        let rows: Vec<Value> = (0..4).map(|k| random_row(&mut rng, k)).collect();
        let data = json!({
            "rows": rows, "n": 5, "flag": true, "title": "T",
            "obj": {"a": {"b": 1}, "list": ["p", "q"]},
        });
        let mut world = ComponentWorld::new(data);
        let start = world.tree.render();
        assert!(
            start.contains(r#"<slot name="head""#) && start.contains("<pair"),
            "{start}"
        );
        for step in 0..50 {
            let update = random_update(&mut rng, &world.data, &mut next_id);
            world.set(&update);
            let fresh = ComponentWorld::new(world.data.clone());
            assert_eq!(
                world.tree.render(),
                fresh.tree.render(),
                "seed {seed} step {step} after {update:?}"
            );
            assert_eq!(
                world.tree.live_nodes(),
                fresh.tree.live_nodes(),
                "leaked nodes: seed {seed} step {step}"
            );
            assert_eq!(
                world.comps.len(),
                fresh.comps.len(),
                "seed {seed} step {step}"
            );
        }
    }
}
