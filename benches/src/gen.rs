//! Deterministic generators of synthetic mini program pages, shared by the
//! criterion micro-benchmarks (`benches/benches/*.rs`) and the end-to-end
//! `cirrus bench` scenarios.
//!
//! Everything here is a pure function of its arguments: no clock, no
//! randomness from the OS. Variation (class mix, text lengths, words) comes
//! from [`Rng`], a fixed-seed xorshift, so two runs (or two processes, or the
//! Chromium baseline built from the same generator) see byte-identical input.
//!
//! The page model is a feed list, the shape most mini program pages have:
//!
//! ```text
//! <view class="page">                       root (1 element)
//!   <view class="item item-{{index % 4}}"   per item: 6 elements +
//!         wx:for="{{items}}" data-id=...>              3 text nodes
//!     <image class="avatar" src="{{item.avatar}}" mode="aspectFill"/>
//!     <view class="body">
//!       <text class="title">{{item.title}}</text>
//!       <text class="desc">{{item.desc}}</text>
//!     </view>
//!     <view class="badge">{{item.count}}</view>
//!   </view>
//! </view>
//! ```
//!
//! Invariants:
//! - a page of `n` nodes has `items_for(n)` items and
//!   `1 + items * NODES_PER_ITEM` nodes (elements and text nodes counted);
//! - each item owns exactly one binding per changeable field, so
//!   [`ListPage::set_data_titles`] with `k` changes touches exactly `k`
//!   bindings (`items[i].title` is read only by that item's title text);
//! - [`wxss_sheet`] with `rules` returns exactly `rules` style rules, and
//!   every class the page uses is styled by its first rules, so the sheet
//!   both matches the page and carries realistic unmatched weight.

use serde_json::{json, Map, Value};

/// Nodes (elements and text nodes) that one list item adds to the tree.
pub const NODES_PER_ITEM: usize = 9;

/// Elements (no text nodes) that one list item adds to the tree.
pub const ELEMENTS_PER_ITEM: usize = 6;

/// The route of the generated page inside [`ListPage::package_files`].
pub const PAGE_ROUTE: &str = "pages/list/list";

/// A tiny fixed-seed xorshift64* generator: deterministic variation without
/// a dependency.
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    /// A generator from `seed` (0 is remapped: xorshift must not start at 0).
    pub fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number in `0..bound` (`bound` > 0).
    pub fn below(&mut self, bound: usize) -> usize {
        (self.next_u64() % bound.max(1) as u64) as usize
    }
}

const WORDS: &[&str] = &[
    "mini",
    "program",
    "skyline",
    "render",
    "layout",
    "cirrus",
    "native",
    "engine",
    "weixin",
    "flex",
    "style",
    "frame",
    "scroll",
    "list",
    "card",
    "image",
    "profile",
    "message",
    "today",
    "update",
    "coffee",
    "shanghai",
    "beijing",
    "travel",
    "photo",
    "music",
    "order",
    "delivery",
    "你好",
    "世界",
    "小程序",
    "渲染",
    "布局",
    "列表",
    "消息",
    "今天",
];

/// `words` space-separated words chosen by `rng` (mixed Latin and CJK, so
/// text shaping meets both scripts and line breaking rules).
pub fn sentence(rng: &mut Rng, words: usize) -> String {
    let mut out = String::new();
    for i in 0..words {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(WORDS[rng.below(WORDS.len())]);
    }
    out
}

/// `count` paragraphs of 8 to 60 words each, from a fixed seed: the input of
/// the text shaping benchmark.
pub fn paragraphs(count: usize) -> Vec<String> {
    let mut rng = Rng::new(0x7E47);
    (0..count)
        .map(|_| {
            let words = 8 + rng.below(53);
            sentence(&mut rng, words)
        })
        .collect()
}

/// How many list items a page of about `nodes` nodes holds (at least 1).
pub fn items_for(nodes: usize) -> usize {
    (nodes.saturating_sub(1) / NODES_PER_ITEM).max(1)
}

/// The feed list page described in the module docs.
#[derive(Clone, Debug)]
pub struct ListPage {
    /// Number of list items.
    pub items: usize,
}

impl ListPage {
    /// A page with about `nodes` nodes (see [`items_for`]).
    pub fn with_nodes(nodes: usize) -> ListPage {
        ListPage {
            items: items_for(nodes),
        }
    }

    /// Exact node count of the built tree (elements + text nodes, root
    /// included).
    pub fn node_count(&self) -> usize {
        1 + self.items * NODES_PER_ITEM
    }

    /// The page's WXML (the same for every size: the list comes from data).
    pub fn wxml(&self) -> &'static str {
        PAGE_WXML
    }

    /// The page's WXSS: [`wxss_sheet`] of 200 rules (a typical page sheet).
    pub fn wxss(&self) -> String {
        wxss_sheet(200)
    }

    /// Initial page data: `{ "items": [ {id, title, desc, count, avatar}, ... ] }`.
    pub fn data(&self) -> Value {
        let mut rng = Rng::new(0xDA7A);
        let items: Vec<Value> = (0..self.items)
            .map(|i| {
                let title_words = 2 + rng.below(5);
                let desc_words = 6 + rng.below(20);
                json!({
                    "id": i,
                    "title": sentence(&mut rng, title_words),
                    "desc": sentence(&mut rng, desc_words),
                    "count": rng.below(100),
                    "avatar": image_path(i),
                })
            })
            .collect();
        json!({ "items": items })
    }

    /// setData updates changing `changed` item titles (spread evenly over the
    /// list, capped at the item count): exactly `changed` bindings change.
    /// Paths use setData syntax (`items[12].title`); `round` varies the new
    /// values so that repeated updates are real changes, not no-ops.
    pub fn set_data_titles(&self, changed: usize, round: u64) -> Vec<(String, Value)> {
        let changed = changed.min(self.items);
        let stride = (self.items / changed.max(1)).max(1);
        (0..changed)
            .map(|k| {
                let index = k * stride;
                (
                    format!("items[{index}].title"),
                    Value::String(format!("title {index} r{round}")),
                )
            })
            .collect()
    }

    /// The same updates as a setData object (`{"items[3].title": "..."}`),
    /// for JS (`this.setData(...)`) or the logic thread protocol.
    pub fn set_data_object(&self, changed: usize, round: u64) -> Value {
        let map: Map<String, Value> = self.set_data_titles(changed, round).into_iter().collect();
        Value::Object(map)
    }

    /// The text files of a whole mini program showing this page (route
    /// [`PAGE_ROUTE`]): `app.json` (custom navigation, so the page has the
    /// whole window), `app.js`, `app.wxss` (empty), and the page's
    /// `.wxml`/`.wxss`/`.js`/`.json`. The page's JS sets the data on load
    /// from an inline JSON literal, so the logic thread does real work.
    /// Images named in the data ([`ListPage::image_paths`]) are not included
    /// (they are binary): write PNGs there, or expect "not found" warnings.
    pub fn package_files(&self) -> Vec<(String, String)> {
        let data = self.data();
        vec![
            (
                "app.json".into(),
                format!(r#"{{"pages":["{PAGE_ROUTE}"],"window":{{"navigationStyle":"custom"}}}}"#),
            ),
            ("app.js".into(), "App({})".into()),
            ("app.wxss".into(), String::new()),
            (format!("{PAGE_ROUTE}.wxml"), self.wxml().into()),
            (format!("{PAGE_ROUTE}.wxss"), self.wxss()),
            (format!("{PAGE_ROUTE}.json"), "{}".into()),
            (
                format!("{PAGE_ROUTE}.js"),
                format!("Page({{ data: {data} }})"),
            ),
        ]
    }

    /// The distinct image paths the data refers to (package paths, no
    /// leading slash), for writing placeholder images.
    pub fn image_paths(&self) -> Vec<String> {
        (0..AVATARS.min(self.items))
            .map(|i| image_path(i).trim_start_matches('/').to_string())
            .collect()
    }
}

/// How many distinct avatar images the list cycles through.
const AVATARS: usize = 8;

fn image_path(item: usize) -> String {
    format!("/images/avatar-{}.png", item % AVATARS)
}

const PAGE_WXML: &str = r#"<view class="page">
  <view wx:for="{{items}}" wx:key="id" class="item item-{{index % 4}}" data-id="{{item.id}}">
    <image class="avatar" src="{{item.avatar}}" mode="aspectFill"/>
    <view class="body">
      <text class="title">{{item.title}}</text>
      <text class="desc">{{item.desc}}</text>
    </view>
    <view class="badge">{{item.count}}</view>
  </view>
</view>
"#;

/// The rules that style the classes [`ListPage`] uses (each is one rule).
const PAGE_RULES: &[&str] = &[
    ".page { display: flex; flex-direction: column; background-color: #f5f5f5; padding: 0 24rpx; }",
    ".item { display: flex; flex-direction: row; align-items: center; padding: 20rpx; margin-bottom: 16rpx; background-color: #ffffff; border-radius: 12rpx; }",
    ".item-0 { border-left: 4rpx solid #07c160; }",
    ".item-1 { border-left: 4rpx solid #10aeff; }",
    ".item-2 { border-left: 4rpx solid #fa5151; }",
    ".item-3 { border-left: 4rpx solid #ffc300; }",
    ".avatar { width: 96rpx; height: 96rpx; border-radius: 48rpx; flex-shrink: 0; }",
    ".body { flex: 1; display: flex; flex-direction: column; margin-left: 20rpx; min-width: 0; }",
    ".title { font-size: 32rpx; font-weight: bold; color: #191919; line-height: 1.4; }",
    ".desc { font-size: 26rpx; color: #7f7f7f; margin-top: 8rpx; line-height: 1.5; }",
    ".badge { min-width: 40rpx; height: 40rpx; padding: 0 10rpx; border-radius: 20rpx; background-color: #fa5151; color: #ffffff; font-size: 22rpx; text-align: center; line-height: 40rpx; }",
    ".item .title { letter-spacing: 0; }",
];

const COLORS: &[&str] = &[
    "#07c160", "#10aeff", "#fa5151", "#ffc300", "#191919", "#7f7f7f", "#ededed", "#576b95",
];
const TAGS: &[&str] = &["view", "text", "image", "button", "scroll-view", "swiper"];

/// A realistic WXSS sheet of exactly `rules` style rules: first the rules
/// that style [`ListPage`], then generated component-library-like rules
/// (`.c123-title`, `.c5 .c7-body`, `view.c9:first-child`, `.c2 > text`,
/// `[data-k="v"]`, rpx lengths, colours, flex and text properties) that
/// mostly do not match the page, as in a real app's shared sheet.
pub fn wxss_sheet(rules: usize) -> String {
    let mut rng = Rng::new(0x5EE7);
    let mut out = String::with_capacity(rules * 120);
    for rule in PAGE_RULES.iter().take(rules) {
        out.push_str(rule);
        out.push('\n');
    }
    for n in PAGE_RULES.len()..rules {
        let block = n / 8;
        let selector = match rng.below(6) {
            0 => format!(".c{block}-title"),
            1 => format!(".c{block} .c{}-body", rng.below(200)),
            2 => format!("{}.c{block}:first-child", TAGS[rng.below(TAGS.len())]),
            3 => format!(".c{block} > {}", TAGS[rng.below(TAGS.len())]),
            4 => format!("[data-k{block}=\"v{}\"]", rng.below(10)),
            _ => format!("#id{n}, .c{block}-alt"),
        };
        out.push_str(&selector);
        out.push_str(" { ");
        for _ in 0..(2 + rng.below(5)) {
            let decl = match rng.below(10) {
                0 => format!("width: {}rpx", 10 * (1 + rng.below(70))),
                1 => format!("height: {}rpx", 10 * (1 + rng.below(40))),
                2 => format!("margin: {}rpx {}rpx", 4 * rng.below(10), 4 * rng.below(10)),
                3 => format!("padding: {}px", 2 * rng.below(12)),
                4 => format!("color: {}", COLORS[rng.below(COLORS.len())]),
                5 => format!("background-color: {}", COLORS[rng.below(COLORS.len())]),
                6 => format!("font-size: {}rpx", 20 + 2 * rng.below(10)),
                7 => "display: flex; flex-direction: column".to_string(),
                8 => format!("border-radius: {}rpx", 2 * rng.below(20)),
                _ => format!("opacity: 0.{}", 1 + rng.below(9)),
            };
            out.push_str(&decl);
            out.push_str("; ");
        }
        out.push_str("}\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_and_determinism() {
        let page = ListPage::with_nodes(10_000);
        assert_eq!(page.items, 1_111);
        assert_eq!(page.node_count(), 10_000);
        assert_eq!(page.data(), page.data(), "data must be deterministic");
        assert_eq!(wxss_sheet(2_000), wxss_sheet(2_000));
        assert_eq!(wxss_sheet(2_000).lines().count(), 2_000);
        assert_eq!(paragraphs(1_000).len(), 1_000);
        let updates = page.set_data_titles(100, 1);
        assert_eq!(updates.len(), 100);
        assert_eq!(updates[1].0, "items[11].title");
    }
}
