//! Synthetic mini programs for the scenarios, written to a folder, and the
//! same pages as HTML for the Chromium baseline. Every page starts with a
//! 20 px "driver" element whose `tap` handler is how the benchmark makes
//! the logic thread act (setData, navigateTo, navigateBack) with a
//! `detail` it chooses. Sizes are px (not rpx) so both engines lay out
//! the same boxes.

use anyhow::{Context, Result};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// The Skyline defaults as CSS, for the HTML baseline (<https://developers.weixin.qq.com/miniprogram/dev/framework/runtime/skyline/introduction.html>).
pub const SKYLINE_DEFAULTS_CSS: &str =
    ":where(*){display:flex;flex-direction:column;box-sizing:border-box;position:relative}";

const SHARED_WXSS: &str = "\
.driver{height:20px;background:#dddddd}
.row{flex-direction:row;align-items:center;padding:4px 8px;border-bottom:1px solid #eeeeee;background:#ffffff}
.pic{width:24px;height:24px;border-radius:4px;margin-right:8px}
.body{flex:1}
.t{font-size:14px;color:#222222}
.s{font-size:11px;color:#888888}
.field{flex-direction:row;flex-wrap:wrap}
.dot{width:8px;height:8px;margin:1px;background:#5b6cff;transition:transform 2s linear,opacity 2s linear}
.field.on .dot{transform:translateX(40px) rotate(360deg);opacity:0.2}
.item{height:40px;padding:8px;border-bottom:1px solid #eeeeee}
";

/// One generated app: its folder and the HTML twin of its home page.
pub struct GeneratedApp {
    pub dir: PathBuf,
    pub html: PathBuf,
}

fn write(path: &Path, text: &str) -> Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    std::fs::write(path, text).with_context(|| format!("writing {}", path.display()))
}

fn write_app(dir: &Path, pages: &[(&str, String, String)]) -> Result<()> {
    let _ = std::fs::remove_dir_all(dir);
    let names: Vec<String> = pages
        .iter()
        .map(|(n, _, _)| format!("\"pages/{n}/{n}\""))
        .collect();
    write(
        &dir.join("app.json"),
        &format!(
            "{{\"pages\":[{}],\"window\":{{\"navigationBarTitleText\":\"bench\"}},\"renderer\":\"skyline\",\"componentFramework\":\"glass-easel\"}}",
            names.join(",")
        ),
    )?;
    write(&dir.join("app.js"), "App({});\n")?;
    write(&dir.join("app.wxss"), SHARED_WXSS)?;
    for (name, wxml, js) in pages {
        let base = dir.join("pages").join(name);
        write(&base.join(format!("{name}.wxml")), wxml)?;
        write(&base.join(format!("{name}.js")), js)?;
        write(&base.join(format!("{name}.json")), "{}")?;
        write(&base.join(format!("{name}.wxss")), "")?;
    }
    let mut img = image::RgbaImage::new(24, 24);
    for (x, y, p) in img.enumerate_pixels_mut() {
        *p = image::Rgba([(x * 10) as u8, (y * 10) as u8, 200, 255]);
    }
    std::fs::create_dir_all(dir.join("img"))?;
    img.save(dir.join("img/pic.png"))
        .context("writing the image")?;
    Ok(())
}

fn html_page(body: &str) -> String {
    format!(
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><style>{SKYLINE_DEFAULTS_CSS}\nhtml,body{{margin:0}}\n{SHARED_WXSS}</style></head><body><div class=\"driver\"></div>{body}</body></html>"
    )
}

/// The `first-frame` page: `nodes` elements in rows of five (a row, an
/// image, a body, a title, a subtitle).
pub fn first_frame(dir: &Path, nodes: usize) -> Result<GeneratedApp> {
    let rows = (nodes / 5).max(1);
    let wxml = "<view class=\"driver\"></view>\n<view class=\"row\" wx:for=\"{{rows}}\" wx:key=\"id\"><image class=\"pic\" src=\"/img/pic.png\"></image><view class=\"body\"><text class=\"t\">{{item.title}}</text><text class=\"s\">{{item.sub}}</text></view></view>\n".to_owned();
    let js = format!(
        "const rows = [];\nfor (let i = 0; i < {rows}; i++) rows.push({{ id: i, title: 'Item ' + i, sub: 'Subtitle of item ' + i }});\nPage({{ data: {{ rows }} }});\n"
    );
    write_app(dir, &[("index", wxml, js)])?;
    let mut body = String::new();
    for i in 0..rows {
        let _ = write!(
            body,
            "<div class=\"row\"><img class=\"pic\" src=\"img/pic.png\"><div class=\"body\"><span class=\"t\">Item {i}</span><span class=\"s\">Subtitle of item {i}</span></div></div>"
        );
    }
    let html = dir.join("index.html");
    write(&html, &html_page(&body))?;
    Ok(GeneratedApp {
        dir: dir.to_owned(),
        html,
    })
}

/// The compiled `first-frame` project: the same page as [`first_frame`],
/// written as a devtools project writes it: `project.config.json` naming
/// the TypeScript and LESS plugins, a TypeScript page importing `modules`
/// ES-module utilities (a chain, each importing the one before), and LESS
/// styles with variables and a mixin.
pub fn compiled_project(dir: &Path, nodes: usize, modules: usize) -> Result<()> {
    let rows = (nodes / 5).max(1);
    let wxml = "<view class=\"driver\"></view>\n<view class=\"row\" wx:for=\"{{rows}}\" wx:key=\"id\"><image class=\"pic\" src=\"/img/pic.png\"></image><view class=\"body\"><text class=\"t\">{{item.title}}</text><text class=\"s\">{{item.sub}}</text></view></view>\n".to_owned();
    let ts = format!(
        "import {{ label }} from '../../utils/m{last}';\n\ninterface Row {{ id: number; title: string; sub: string }}\n\nenum Kind {{ Plain, Featured }}\n\nconst rows: Row[] = [];\nfor (let i = 0; i < {rows}; i++) rows.push({{ id: i, title: label(i), sub: `Subtitle of item ${{i}} (${{Kind[Kind.Plain]}})` }});\nPage({{ data: {{ rows }} }});\n",
        last = modules.saturating_sub(1)
    );
    write_app(dir, &[("index", wxml, String::new())])?;
    std::fs::remove_file(dir.join("pages/index/index.js"))?;
    write(&dir.join("pages/index/index.ts"), &ts)?;
    std::fs::remove_file(dir.join("pages/index/index.wxss"))?;
    write(
        &dir.join("pages/index/index.less"),
        "@gap: 8px;\n@ink: #333333;\n.title() { font-weight: bold; color: darken(@ink, 10%); }\n.row { padding: @gap (@gap * 2); .t { .title(); } .s { color: lighten(@ink, 30%); } }\n",
    )?;
    for i in 0..modules {
        let body = if i == 0 {
            "export const prefix: string = 'Item ';\nexport function label(i: number): string {\n  return prefix + i;\n}\n".to_owned()
        } else {
            format!(
                "import {{ label as previous }} from './m{}';\nexport const depth = {i};\nexport function label(i: number): string {{\n  return previous(i);\n}}\nexport default label;\n",
                i - 1
            )
        };
        write(&dir.join(format!("utils/m{i}.ts")), &body)?;
    }
    write(
        &dir.join("project.config.json"),
        "{\"compileType\":\"miniprogram\",\"setting\":{\"es6\":true,\"enhance\":true,\"useCompilerPlugins\":[\"typescript\",\"less\"]}}",
    )?;
    Ok(())
}

/// The `update` page: `rows` text bindings `v[i]`; a tap with detail
/// `{n, step}` sets the first `n` of them in one setData.
pub fn update(dir: &Path, rows: usize) -> Result<GeneratedApp> {
    let wxml = "<view class=\"driver\" bindtap=\"tick\"></view>\n<view class=\"row\" wx:for=\"{{v}}\"><text class=\"t v\">{{item}}</text></view>\n".to_owned();
    let js = format!(
        "const v = [];\nfor (let i = 0; i < {rows}; i++) v.push('0-' + i);\nPage({{\n  data: {{ v }},\n  tick(e) {{\n    const d = {{}};\n    for (let i = 0; i < e.detail.n; i++) d['v[' + i + ']'] = e.detail.step + '-' + i;\n    this.setData(d);\n  }},\n}});\n"
    );
    write_app(dir, &[("index", wxml, js)])?;
    let mut body = String::new();
    for i in 0..rows {
        let _ = write!(
            body,
            "<div class=\"row\"><span class=\"t v\">0-{i}</span></div>"
        );
    }
    let html = dir.join("index.html");
    write(&html, &html_page(&body))?;
    Ok(GeneratedApp {
        dir: dir.to_owned(),
        html,
    })
}

/// The `long-list` page: `items` rows (a label each) as the direct
/// children of a full-height `<scroll-view scroll-y type="list">`, which
/// the benchmark scrolls through the render thread's input path. No
/// driver: no JS runs while it scrolls. The page is made full height
/// (`page { height: 100% }`, the usual mini-program idiom) so that the
/// scroll-view's `height: 100%` resolves.
pub fn long_list(dir: &Path, items: usize) -> Result<PathBuf> {
    let wxml = "<scroll-view scroll-y type=\"list\" style=\"height: 100%\"><view class=\"item\" wx:for=\"{{items}}\"><text class=\"t\">{{item}}</text></view></scroll-view>\n".to_owned();
    let js = format!(
        "const items = [];\nfor (let i = 0; i < {items}; i++) items.push('List item ' + i);\nPage({{ data: {{ items }} }});\n"
    );
    write_app(dir, &[("index", wxml, js)])?;
    write(
        &dir.join("pages/index/index.wxss"),
        "page { height: 100%; }\n",
    )?;
    Ok(dir.to_owned())
}

/// The `animation` page: `dots` elements with CSS transitions on transform
/// and opacity (2 s, linear); a tap toggles the class that moves them.
pub fn animation(dir: &Path, dots: usize) -> Result<PathBuf> {
    let wxml = "<view class=\"driver\" bindtap=\"toggle\"></view>\n<view class=\"field {{on ? 'on' : ''}}\"><view class=\"dot\" wx:for=\"{{dots}}\"></view></view>\n".to_owned();
    let js = format!(
        "const dots = [];\nfor (let i = 0; i < {dots}; i++) dots.push(i);\nPage({{\n  data: {{ dots, on: false }},\n  toggle() {{ this.setData({{ on: !this.data.on }}); }},\n}});\n"
    );
    write_app(dir, &[("index", wxml, js)])?;
    Ok(dir.to_owned())
}

/// The `worklet` page: `dots` elements in two halves whose transforms
/// follow two shared values through `applyAnimatedStyle` (one binding per
/// half); a tap starts a `timing` on one and a `spring` on the other.
pub fn worklet(dir: &Path, dots: usize) -> Result<PathBuf> {
    let wxml = "<view class=\"driver\" bindtap=\"start\"></view>\n<view class=\"field\"><view class=\"dot {{index % 2 ? 'b' : 'a'}}\" wx:for=\"{{dots}}\"></view></view>\n".to_owned();
    let js = format!(
        "const {{ shared, timing, spring, Easing }} = wx.worklet;\nconst dots = [];\nfor (let i = 0; i < {dots}; i++) dots.push(i);\nPage({{\n  data: {{ dots }},\n  onLoad() {{\n    this.x = shared(0);\n    this.y = shared(0);\n    this.applyAnimatedStyle('.a', () => {{ 'worklet'; return {{ transform: `translateX(${{this.x.value}}px)`, opacity: 1 - this.x.value / 600 }}; }});\n    this.applyAnimatedStyle('.b', () => {{ 'worklet'; return {{ transform: `translateY(${{this.y.value}}px) scale(${{1 + this.y.value / 400}})` }}; }});\n  }},\n  start() {{\n    this.x.value = timing(300, {{ duration: 2000, easing: Easing.linear }});\n    this.y.value = spring(200, {{ damping: 4, stiffness: 20 }});\n  }},\n}});\n"
    );
    write_app(dir, &[("index", wxml, js)])?;
    Ok(dir.to_owned())
}

/// The `navigate` app: the home page's driver calls `wx.navigateTo` to a
/// second page of `rows` rows, whose driver calls `wx.navigateBack`.
pub fn navigate(dir: &Path, rows: usize) -> Result<PathBuf> {
    let index_wxml =
        "<view class=\"driver\" bindtap=\"go\"></view>\n<text class=\"t\">home</text>\n".to_owned();
    let index_js = "Page({ go() { wx.navigateTo({ url: '/pages/next/next' }); } });\n".to_owned();
    let next_wxml = "<view class=\"driver\" bindtap=\"back\"></view>\n<view class=\"row\" wx:for=\"{{rows}}\"><image class=\"pic\" src=\"/img/pic.png\"></image><view class=\"body\"><text class=\"t\">{{item}}</text></view></view>\n".to_owned();
    let next_js = format!(
        "const rows = [];\nfor (let i = 0; i < {rows}; i++) rows.push('Row ' + i);\nPage({{\n  data: {{ rows }},\n  back() {{ wx.navigateBack(); }},\n}});\n"
    );
    write_app(
        dir,
        &[
            ("index", index_wxml, index_js),
            ("next", next_wxml, next_js),
        ],
    )?;
    Ok(dir.to_owned())
}
