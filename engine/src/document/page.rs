//! One page on the render thread: its tree, its style sheets and its config.

use crate::document::tree::PageTree;
use crate::ops::PageId;
use crate::package::{Package, PageConfig};
use crate::paint::PageFiles;
use crate::Diagnostic;
use cirrus_layout::Viewport;
use cirrus_style::{StyleOptions, StyleSheets};

pub struct PageView {
    pub id: PageId,
    pub route: String,
    pub config: PageConfig,
    pub tree: PageTree,
    pub sheets: StyleSheets,
    /// Component sheets and style isolation (see [`crate::style::scopes`]).
    pub scopes: crate::style::scopes::ComponentScopes,
    pub files: PageFiles,
    /// `onReady` has run on the logic thread.
    pub ready: bool,
    /// The page's running transitions and animations.
    pub motion: crate::motion::Animator,
}

impl PageView {
    /// Creates the page and loads its style sheets (app.wxss + page wxss).
    pub fn new(
        package: &Package,
        id: PageId,
        route: &str,
        viewport: Viewport,
        dark_mode: bool,
    ) -> (PageView, Vec<Diagnostic>) {
        let (config, mut diags) = package.page_config(route);
        let options = StyleOptions {
            viewport,
            default_display_block: config.skyline.default_display_block,
            default_content_box: config.skyline.default_content_box,
            dark_mode,
        };
        let read = |path: &str| package.read(path).map(str::to_owned);
        let (sheets, style_diags) = StyleSheets::load(route, &read, options);
        diags.extend(style_diags.into_iter().map(|d| Diagnostic {
            severity: if d.is_error {
                crate::Severity::Error
            } else {
                crate::Severity::Warning
            },
            file: d.file,
            line: d.line,
            column: d.column,
            message: d.message,
        }));
        let files = PageFiles {
            wxml: format!("{route}.wxml"),
            wxss: format!("{route}.wxss"),
        };
        let page = PageView {
            id,
            route: route.to_owned(),
            config,
            tree: PageTree::new(),
            sheets,
            scopes: Default::default(),
            files,
            ready: false,
            motion: Default::default(),
        };
        (page, diags)
    }
}
