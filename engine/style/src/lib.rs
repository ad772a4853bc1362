//! cirrus-style: WXSS into [`ComputedStyle`].
//!
//! float-pigment-css (WeChat's own parser) parses and validates the source,
//! expands shorthands and reports warnings with positions; this crate loads
//! a page's sheets with their `@import`s (`load`), matches selectors
//! natively against the engine's nodes (`selector`, because float-pigment
//! 0.10.4 cannot match structural pseudo-classes or sibling combinators),
//! runs the cascade and converts the result into the layout contract
//! (`apply`, `values`), with CSS variables (`vars`),
//! `prefers-color-scheme` media (`media`), and the transition/animation
//! lists and `@keyframes` the layout contract has no room for (`motion`).
//!
//! The selector parser and matcher are the workspace's only ones:
//! [`SelectorList`] serves selector queries, intersection observers and
//! `this.animate` (the engine) and `selectComponent` (the logic thread),
//! over any tree that implements [`StyleElement`].
//!
//! Entry points: [`StyleSheets::load`] / [`StyleSheets::load_binary`], then
//! per node [`StyleSheets::compute`] (or [`StyleSheets::compute_node`] in a
//! top-down walk, which also carries variables and [`Motion`]) and
//! [`StyleSheets::compute_pseudo`] for `::before` / `::after`.
//!
//! Components (<https://developers.weixin.qq.com/miniprogram/dev/framework/view/wxss.html> style isolation): [`StyleSheets::add_sheet`] adds a
//! component's `.wxss` once, as its own [`SheetOrigin`];
//! [`StyleSheets::compute_scoped`] / [`StyleSheets::compute_pseudo_scoped`]
//! take a [`ScopeQuery`] naming the origins that may style the element
//! (decided by the engine from the tree's `wx:` attributes), the origins
//! whose `:host` rules apply, and external classes. `:host` matches an
//! element carrying [`HOST_ATTRIBUTE`].
//!
//! Threading: [`StyleSheets`] holds float-pigment's `Rc` rules and lives on
//! the render thread; [`compile_binary`] output (`Vec<u8>`) can cross threads.

mod apply;
mod balance;
mod binary;
mod element;
mod guard;
mod imports;
mod inline;
mod keyframes;
mod load;
mod media;
mod motion;
mod name_hash;
mod selector;
mod sheets;
mod values;
mod var_budget;
mod vars;

use cirrus_layout::style::{BoxSizing, ComputedStyle, Display, FlexDirection};
use cirrus_layout::Viewport;

pub use element::StyleElement;
pub use inline::{parse_inline_style, InlineStyle, INLINE_STYLE_FILE};
pub use motion::{Animation, AnimationDirection, FillMode, Motion, TimingFunction, Transition};
pub use selector::{SelectorList, HOST_ATTRIBUTE};
pub use sheets::StyleSheets;
pub use sheets::{ExternalClasses, ScopeQuery, SheetOrigin, APP_ORIGIN, PAGE_ORIGIN};
pub use sheets::{Keyframe, Keyframes};
pub use vars::CustomProperties;

/// A problem found in WXSS, with a 1-based position.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StyleDiagnostic {
    pub file: String,
    pub line: u32,
    pub column: u32,
    pub message: String,
    /// Errors break something (a missing import); warnings are dropped
    /// declarations or selectors.
    pub is_error: bool,
}

/// What a page's styles depend on besides the sheets.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct StyleOptions {
    pub viewport: Viewport,
    /// `rendererOptions.skyline.defaultDisplayBlock`: web-like block layout.
    pub default_display_block: bool,
    /// `rendererOptions.skyline.defaultContentBox`: content-box sizing.
    pub default_content_box: bool,
    pub dark_mode: bool,
}

/// A pseudo-element Skyline supports.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Pseudo {
    Before,
    After,
}

/// An `@font-face` rule: a family name and where its files are (package
/// paths resolved against the declaring sheet, or URLs as written).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FontFaceRule {
    pub family: String,
    pub sources: Vec<String>,
}

/// A computed style plus the custom properties its children inherit.
#[derive(Clone, Debug)]
pub struct NodeStyle {
    pub style: ComputedStyle,
    pub custom_properties: CustomProperties,
    /// `transition-*` / `animation-*`, which the layout contract lacks.
    pub motion: Motion,
}

/// Errors of this crate's fallible helpers. Loading and parsing never fail:
/// they report [`StyleDiagnostic`]s instead.
#[derive(Debug, thiserror::Error)]
pub enum StyleError {
    #[error("style sheet binary for {path} could not be decoded: {message}")]
    BadBinary { path: String, message: String },
}

/// The style of an element no rule touches, per the page's flags (<https://developers.weixin.qq.com/miniprogram/dev/framework/runtime/skyline/wxss.html>):
/// flex column, border-box, relative by default; with `default_display_block`
/// block, row and `align-items: normal`; with `default_content_box`
/// content-box.
pub fn initial_style(options: &StyleOptions) -> ComputedStyle {
    let mut style = ComputedStyle::default();
    if options.default_display_block {
        style.display = Display::Block;
        style.flex_direction = FlexDirection::Row;
        style.align_items = None;
    }
    if options.default_content_box {
        style.box_sizing = BoxSizing::ContentBox;
    }
    style
}

/// Compiles one WXSS file to cirrus-style's own precompiled form (its rule
/// index: selectors, declarations, media, keyframes, font faces, imports),
/// which loads without parsing. `path` is its package path (e.g.
/// `pages/a/a.wxss`), which relative `@import`s are resolved against at
/// load. The diagnostics are those loading the source would report for this
/// file (import problems are reported at load). Load with
/// [`StyleSheets::load_binary`].
pub fn compile_binary(path: &str, source: &str) -> (Vec<u8>, Vec<StyleDiagnostic>) {
    load::compile(path, source)
}

/// A style diagnostic is reported like any other problem of the mini program.
impl From<StyleDiagnostic> for cirrus_protocol::Diagnostic {
    fn from(d: StyleDiagnostic) -> Self {
        let severity = if d.is_error {
            cirrus_protocol::Severity::Error
        } else {
            cirrus_protocol::Severity::Warning
        };
        cirrus_protocol::Diagnostic {
            severity,
            file: d.file,
            line: d.line,
            column: d.column,
            message: d.message,
        }
    }
}
