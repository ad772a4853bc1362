//! Where the engine-drawn chrome sits around a page: the navigation bar
//! and the `tabBar` of app.json, and the *page area* left for the page.
//! Both threads use it: the engine to paint and hit test the chrome, the
//! logic thread for `windowHeight`, so both agree by construction.
//!
//! Geometry (CSS px, from the window's top-left corner):
//! - status bar inset: [`STATUS_BAR_HEIGHT`] = 0 (a desktop window has no
//!   status bar; a mobile host would pass its own inset);
//! - navigation bar: [`NAVIGATION_BAR_HEIGHT`] = 44 below it, unless the
//!   page's `navigationStyle` is `custom`;
//! - tab bar, on tab pages only: [`TAB_BAR_HEIGHT`] = 50 plus a
//!   [`TAB_BAR_BORDER_WIDTH`] = 1 border line on the side facing the page,
//!   at the bottom of the window, or right below the navigation bar with
//!   `position: top`;
//! - the page area is the rest.

use crate::config::tab_bar_file;
use crate::lenient::{Lenient, Problem, Step};
use crate::package::{normalize, NavigationStyle, Package};
use cirrus_layout::{Rect, Viewport};
use cirrus_protocol::{Diagnostic, Severity};

/// The status bar above the navigation bar. 0 on the desktop: the window
/// has no system status bar inside it.
pub const STATUS_BAR_HEIGHT: f32 = 0.0;
/// The navigation bar's own height (WeChat's, on every platform).
pub const NAVIGATION_BAR_HEIGHT: f32 = 44.0;
/// The tab bar's height, without its border line.
pub const TAB_BAR_HEIGHT: f32 = 50.0;
/// The tab bar's border line, on the side facing the page.
pub const TAB_BAR_BORDER_WIDTH: f32 = 1.0;
/// Width of the back button's hit area, from the bar's left edge.
pub const BACK_BUTTON_WIDTH: f32 = 44.0;

/// `tabBar.position`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "lowercase", expecting = "`bottom` or `top`")]
pub enum TabBarPosition {
    #[default]
    Bottom,
    Top,
}

/// One entry of `tabBar.list`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TabBarItem {
    /// The page route (normalised, no extension).
    pub page_path: String,
    pub text: String,
    /// Package paths of the icons; empty when not given.
    pub icon_path: String,
    pub selected_icon_path: String,
}

/// The `tabBar` of app.json, with WeChat's defaults for missing keys.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TabBarConfig {
    pub color: String,
    pub selected_color: String,
    pub background_color: String,
    /// `black` or `white`: the colour of the border line.
    pub border_style: String,
    pub position: TabBarPosition,
    /// A custom tab bar: routing only, nothing drawn.
    pub custom: bool,
    pub items: Vec<TabBarItem>,
}

impl TabBarConfig {
    /// Reads app.json's `tabBar` (theme variables resolved). `None` when
    /// there is none (or its list is empty). Never fails: a bad value was
    /// reported when the package loaded and gets its default here; the
    /// warnings returned are about the list (an item that is not a page,
    /// too few or too many items).
    pub fn from_package(package: &Package) -> (Option<TabBarConfig>, Vec<Diagnostic>) {
        let mut diagnostics = Vec::new();
        let Some(raw) = package.app.tab_bar.as_ref().filter(|t| t.is_object()) else {
            return (None, diagnostics);
        };
        let file = tab_bar_file(raw);
        let app_json = package.read("app.json");
        let warning = |path: Vec<Step>, message: String| {
            let problem = Problem {
                path,
                message,
                severity: Severity::Warning,
            };
            problem.located("app.json", app_json)
        };
        let list_path = || vec![Step::key("tabBar"), Step::key("list")];
        let mut items = Vec::new();
        let entries = file.list.0.unwrap_or_default();
        for (index, entry) in entries.into_iter().enumerate() {
            // An entry that is not an object was reported at load.
            let Some(entry) = entry.0 else {
                continue;
            };
            let page_path = normalize(&entry.page_path.0.unwrap_or_default());
            if !package.has_page(&page_path) {
                let mut path = list_path();
                path.extend([Step::Index(index), Step::key("pagePath")]);
                diagnostics.push(warning(
                    path,
                    format!("tabBar item `{page_path}` is not a page listed in app.json"),
                ));
            }
            items.push(TabBarItem {
                page_path,
                text: entry.text.0.unwrap_or_default(),
                icon_path: entry.icon_path.0.unwrap_or_default(),
                selected_icon_path: entry.selected_icon_path.0.unwrap_or_default(),
            });
        }
        if items.is_empty() {
            return (None, diagnostics);
        }
        if !(2..=5).contains(&items.len()) {
            diagnostics.push(warning(
                list_path(),
                format!("tabBar.list should have 2 to 5 items (has {})", items.len()),
            ));
        }
        let text =
            |value: Lenient<String>, default: &str| value.0.unwrap_or_else(|| default.into());
        let config = TabBarConfig {
            color: text(file.color, "#7A7E83"),
            selected_color: text(file.selected_color, "#3cc51f"),
            background_color: text(file.background_color, "#ffffff"),
            border_style: file.border_style.0.unwrap_or_default().as_str().to_owned(),
            position: file.position.0.unwrap_or_default(),
            custom: file.custom.0.unwrap_or(false),
            items,
        };
        (Some(config), diagnostics)
    }

    /// The index of the item whose page is `route`.
    pub fn index_of(&self, route: &str) -> Option<usize> {
        let route = normalize(route);
        self.items.iter().position(|item| item.page_path == route)
    }

    /// Whether the engine draws this bar (not `custom`).
    pub fn is_drawn(&self) -> bool {
        !self.custom
    }
}

/// Where everything is for one page, in CSS px from the window's corner.
#[derive(Clone, Debug, PartialEq)]
pub struct ChromeLayout {
    /// The navigation bar (status bar inset excluded); `None` with
    /// `navigationStyle: custom`.
    pub navigation_bar: Option<Rect>,
    /// The back button's hit area, when the stack has more than one page.
    pub back_button: Option<Rect>,
    /// The tab bar including its border line; `None` off tab pages.
    pub tab_bar: Option<Rect>,
    /// The hit areas of the tab bar items, in list order.
    pub tab_items: Vec<Rect>,
    /// What the page is laid out in.
    pub page: Rect,
}

impl ChromeLayout {
    /// The viewport the page sees: the window's width and dpr, the page
    /// area's height.
    pub fn page_viewport(&self, window: Viewport) -> Viewport {
        Viewport::new(window.width.0, self.page.height, window.dpr)
    }
}

/// Lays out the chrome in `window`.
pub fn chrome_layout(
    window: Viewport,
    navigation_bar: bool,
    tab_bar: Option<&TabBarConfig>,
    back_button: bool,
) -> ChromeLayout {
    let width = window.width.0;
    let height = window.height.0;
    let mut top = 0.0;
    let mut bottom = height;
    let mut bar = None;
    let mut back = None;
    if navigation_bar {
        let rect = Rect::new(0.0, STATUS_BAR_HEIGHT, width, NAVIGATION_BAR_HEIGHT);
        if back_button {
            back = Some(Rect::new(0.0, rect.y, BACK_BUTTON_WIDTH, rect.height));
        }
        top = rect.bottom();
        bar = Some(rect);
    }
    let mut tab_rect = None;
    let mut tab_items = Vec::new();
    if let Some(tabs) = tab_bar.filter(|t| t.is_drawn()) {
        let total = TAB_BAR_HEIGHT + TAB_BAR_BORDER_WIDTH;
        let (rect, items_top) = match tabs.position {
            TabBarPosition::Bottom => {
                let rect = Rect::new(0.0, (bottom - total).max(top), width, total);
                bottom = rect.y;
                (rect, rect.y + TAB_BAR_BORDER_WIDTH)
            }
            TabBarPosition::Top => {
                let rect = Rect::new(0.0, top, width, total);
                top = rect.bottom();
                (rect, rect.y)
            }
        };
        let count = tabs.items.len().max(1) as f32;
        let item_width = width / count;
        tab_items = (0..tabs.items.len())
            .map(|i| Rect::new(i as f32 * item_width, items_top, item_width, TAB_BAR_HEIGHT))
            .collect();
        tab_rect = Some(rect);
    }
    ChromeLayout {
        navigation_bar: bar,
        back_button: back,
        tab_bar: tab_rect,
        tab_items,
        page: Rect::new(0.0, top, width, (bottom - top).max(0.0)),
    }
}

/// The page area of `route` in `window`, as the logic thread needs it for
/// `windowHeight` (same rules as the render thread's chrome).
pub fn page_area(
    package: &Package,
    tab_bar: Option<&TabBarConfig>,
    route: &str,
    window: Viewport,
) -> Rect {
    let (config, _) = package.page_config(route);
    let tabs = tab_bar.filter(|t| t.index_of(route).is_some());
    chrome_layout(
        window,
        config.window.navigation_style != NavigationStyle::Custom,
        tabs,
        false,
    )
    .page
}
