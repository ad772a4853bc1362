//! The chrome the engine draws around pages: the navigation bar (title,
//! colours, back button) from the page's `window` settings, and the
//! `tabBar` of app.json. It owns their geometry, their painting and their
//! hit areas; the page's content is laid out in what is left (the *page
//! area*), so the viewport a page sees is smaller than the window.
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
//!
//! `tabBar.custom: true` is recognised (tab pages still route as tab pages)
//! but nothing is drawn and the page area does not shrink: a custom tab bar
//! is a component of the mini program (out of scope here).
//!
//! Page coordinates (the layout file, page hit testing, selector queries)
//! stay relative to the page area's corner; the layout file's `viewport` is
//! the window. The logic thread uses [`page_area`] for `windowHeight`.
//!
//! Not drawn yet: the navigation bar's loading indicator and home button,
//! tab bar badges and red dots (`wx.setTabBarBadge` and friends), and
//! transitions between pages (a route shows its result at once).
//!
//! Invariant: painting and hit testing use the same [`ChromeLayout`], so a
//! tap lands on what is drawn.

use crate::diagnostics::Diagnostic;
use crate::images::ImageStore;
use crate::ops::PageId;
use crate::package::{normalize, Package};
use crate::page::PageView;
use crate::paint::{emit_paragraph, to_device};
use crate::protocol::NavigationBarUpdate;
use crate::stage::parse_hex_color;
use cirrus_layout::style::{
    Color, ComputedStyle, TextAlign, TextDecorationStyle, TextOverflow, WhiteSpace,
};
use cirrus_layout::text::{Paragraph, TextSystem};
use cirrus_layout::Viewport;
use cirrus_render::{DisplayItem, DisplayList, Rect};
use serde_json::Value;
use std::collections::HashMap;

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

const TITLE_FONT_SIZE: f32 = 17.0;
/// Bold: the sans faces installed with the engine's fonts have 400 and 700
/// only, and a 500 or 600 request would fall back to another family.
const TITLE_FONT_WEIGHT: u16 = 700;
/// The title is centred in the bar and kept clear of the back button.
const TITLE_SIDE_MARGIN: f32 = 60.0;
const TAB_ICON_SIZE: f32 = 24.0;
const TAB_ICON_TOP: f32 = 6.0;
const TAB_TEXT_SIZE: f32 = 10.0;
/// Text size of items without an icon (and of every item of a top bar).
const TAB_TEXT_ONLY_SIZE: f32 = 14.0;

/// `tabBar.position`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
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
    /// Reads app.json's `tabBar`. `None` when there is none (or its list is
    /// empty). Never fails: odd values get defaults and warnings.
    pub fn from_package(package: &Package) -> (Option<TabBarConfig>, Vec<Diagnostic>) {
        let mut diagnostics = Vec::new();
        let Some(Value::Object(raw)) = package.app.tab_bar.as_ref() else {
            return (None, diagnostics);
        };
        let text = |key: &str, default: &str| {
            raw.get(key)
                .and_then(Value::as_str)
                .unwrap_or(default)
                .to_owned()
        };
        let mut items = Vec::new();
        for entry in raw
            .get("list")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let field = |key: &str| {
                entry
                    .get(key)
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_owned()
            };
            let page_path = normalize(&field("pagePath"));
            if !package.has_page(&page_path) {
                diagnostics.push(Diagnostic::warning(
                    "app.json",
                    0,
                    0,
                    format!("tabBar item `{page_path}` is not a page listed in app.json"),
                ));
            }
            items.push(TabBarItem {
                page_path,
                text: field("text"),
                icon_path: field("iconPath"),
                selected_icon_path: field("selectedIconPath"),
            });
        }
        if items.is_empty() {
            return (None, diagnostics);
        }
        if !(2..=5).contains(&items.len()) {
            diagnostics.push(Diagnostic::warning(
                "app.json",
                0,
                0,
                format!("tabBar.list should have 2 to 5 items (has {})", items.len()),
            ));
        }
        let position = match raw.get("position").and_then(Value::as_str) {
            Some("top") => TabBarPosition::Top,
            _ => TabBarPosition::Bottom,
        };
        let config = TabBarConfig {
            color: text("color", "#7A7E83"),
            selected_color: text("selectedColor", "#3cc51f"),
            background_color: text("backgroundColor", "#ffffff"),
            border_style: text("borderStyle", "black"),
            position,
            custom: raw.get("custom").and_then(Value::as_bool).unwrap_or(false),
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
        config.window.navigation_style != "custom",
        tabs,
        false,
    )
    .page
}

/// The navigation bar of one page as drawn.
#[derive(Clone, Debug, PartialEq)]
pub struct NavigationBarState {
    pub title: String,
    pub background: Color,
    /// The title and back arrow colour (`navigationBarTextStyle`).
    pub front: Color,
}

/// What a tap on the chrome hit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChromeHit {
    Back,
    TabItem(usize),
    /// The bars themselves, nothing active: the tap goes no further.
    Bar,
}

/// The chrome's state: the tab bar config and the per-page changes made
/// by `wx.setNavigationBarTitle/Color`.
#[derive(Debug, Default)]
pub struct Chrome {
    tab_bar: Option<TabBarConfig>,
    bar_updates: HashMap<PageId, NavigationBarUpdate>,
}

impl Chrome {
    pub fn new(package: &Package) -> (Chrome, Vec<Diagnostic>) {
        let (tab_bar, diagnostics) = TabBarConfig::from_package(package);
        let chrome = Chrome {
            tab_bar,
            bar_updates: HashMap::new(),
        };
        (chrome, diagnostics)
    }

    pub fn tab_bar(&self) -> Option<&TabBarConfig> {
        self.tab_bar.as_ref()
    }

    /// Records a `setNavigationBar*` change (fields left `None` keep theirs).
    pub fn update_navigation_bar(&mut self, page: PageId, update: NavigationBarUpdate) {
        let entry = self.bar_updates.entry(page).or_default();
        if update.title.is_some() {
            entry.title = update.title;
        }
        if update.front_color.is_some() {
            entry.front_color = update.front_color;
        }
        if update.background_color.is_some() {
            entry.background_color = update.background_color;
        }
    }

    /// Drops the state of unloaded pages.
    pub fn forget(&mut self, pages: &[PageId]) {
        for page in pages {
            self.bar_updates.remove(page);
        }
    }

    /// The page's navigation bar: its window settings with the updates made
    /// since; `None` with `navigationStyle: custom`.
    pub fn navigation_bar(&self, page: &PageView) -> Option<NavigationBarState> {
        let window = &page.config.window;
        if window.navigation_style == "custom" {
            return None;
        }
        let update = self.bar_updates.get(&page.id);
        let title = update
            .and_then(|u| u.title.clone())
            .unwrap_or_else(|| window.navigation_bar_title_text.clone());
        let background = update
            .and_then(|u| u.background_color.as_deref())
            .and_then(parse_hex_color)
            .or_else(|| parse_hex_color(&window.navigation_bar_background_color))
            .unwrap_or(Color::BLACK);
        let front = match update.and_then(|u| u.front_color.as_deref()) {
            Some(color) => parse_hex_color(color).unwrap_or(Color::WHITE),
            None if window.navigation_bar_text_style == "black" => Color::BLACK,
            None => Color::WHITE,
        };
        Some(NavigationBarState {
            title,
            background,
            front,
        })
    }

    /// The tab bar to draw on `page` (a tab page, bar not custom).
    fn tab_bar_on(&self, page: &PageView) -> Option<&TabBarConfig> {
        self.tab_bar
            .as_ref()
            .filter(|t| t.is_drawn() && t.index_of(&page.route).is_some())
    }

    /// The chrome's layout around `page` when `stack_depth` pages are on
    /// the stack.
    pub fn layout(&self, page: &PageView, stack_depth: usize, window: Viewport) -> ChromeLayout {
        chrome_layout(
            window,
            page.config.window.navigation_style != "custom",
            self.tab_bar_on(page),
            stack_depth > 1,
        )
    }

    /// What a tap at `point` (CSS px, window coordinates) hits, if anything
    /// of the chrome.
    pub fn hit_test(
        &self,
        page: &PageView,
        stack_depth: usize,
        window: Viewport,
        point: (f32, f32),
    ) -> Option<ChromeHit> {
        let layout = self.layout(page, stack_depth, window);
        let inside = |r: &Rect| {
            point.0 >= r.x && point.0 < r.right() && point.1 >= r.y && point.1 < r.bottom()
        };
        if layout.back_button.as_ref().is_some_and(inside) {
            return Some(ChromeHit::Back);
        }
        if let Some(index) = layout.tab_items.iter().position(inside) {
            return Some(ChromeHit::TabItem(index));
        }
        let on_bar = layout.navigation_bar.as_ref().is_some_and(inside)
            || layout.tab_bar.as_ref().is_some_and(inside)
            || point.1 < STATUS_BAR_HEIGHT;
        on_bar.then_some(ChromeHit::Bar)
    }

    /// Paints the chrome of `page` (drawn after, so over, the page).
    #[allow(clippy::too_many_arguments)]
    pub fn paint(
        &self,
        list: &mut DisplayList,
        text: &mut TextSystem,
        images: &mut ImageStore,
        package: &Package,
        page: &PageView,
        stack_depth: usize,
        window: Viewport,
    ) {
        let layout = self.layout(page, stack_depth, window);
        let dpr = window.dpr;
        if let (Some(rect), Some(bar)) = (layout.navigation_bar, self.navigation_bar(page)) {
            if STATUS_BAR_HEIGHT > 0.0 {
                let status = Rect::new(0.0, 0.0, rect.width, STATUS_BAR_HEIGHT);
                list.fill_rect(to_device(status, dpr), bar.background);
            }
            list.fill_rect(to_device(rect, dpr), bar.background);
            if layout.back_button.is_some() {
                paint_back_arrow(list, rect, bar.front, dpr);
            }
            let title_box = Rect::new(
                TITLE_SIDE_MARGIN,
                rect.y,
                (rect.width - 2.0 * TITLE_SIDE_MARGIN).max(0.0),
                rect.height,
            );
            paint_centred_text(
                list,
                text,
                &bar.title,
                title_box,
                TITLE_FONT_SIZE,
                TITLE_FONT_WEIGHT,
                bar.front,
                dpr,
            );
        }
        if let (Some(rect), Some(tabs)) = (layout.tab_bar, self.tab_bar_on(page)) {
            let background = parse_hex_color(&tabs.background_color).unwrap_or(Color::WHITE);
            list.fill_rect(to_device(rect, dpr), background);
            let border_y = match tabs.position {
                TabBarPosition::Bottom => rect.y,
                TabBarPosition::Top => rect.bottom() - TAB_BAR_BORDER_WIDTH,
            };
            let border_color = if tabs.border_style == "white" {
                Color::WHITE
            } else {
                Color::rgba8(0, 0, 0, 0.2)
            };
            list.fill_rect(
                to_device(
                    Rect::new(0.0, border_y, rect.width, TAB_BAR_BORDER_WIDTH),
                    dpr,
                ),
                border_color,
            );
            let selected = tabs.index_of(&page.route);
            for (index, (item, area)) in tabs.items.iter().zip(&layout.tab_items).enumerate() {
                let is_selected = selected == Some(index);
                let color_text = if is_selected {
                    &tabs.selected_color
                } else {
                    &tabs.color
                };
                let color = parse_hex_color(color_text).unwrap_or(Color::BLACK);
                let icon = if is_selected && !item.selected_icon_path.is_empty() {
                    &item.selected_icon_path
                } else {
                    &item.icon_path
                };
                let drew_icon = tabs.position == TabBarPosition::Bottom
                    && !icon.is_empty()
                    && paint_icon(list, images, package, icon, *area, dpr);
                if drew_icon {
                    let text_box = Rect::new(
                        area.x,
                        area.y + TAB_ICON_TOP + TAB_ICON_SIZE,
                        area.width,
                        area.height - TAB_ICON_TOP - TAB_ICON_SIZE,
                    );
                    paint_centred_text(
                        list,
                        text,
                        &item.text,
                        text_box,
                        TAB_TEXT_SIZE,
                        400,
                        color,
                        dpr,
                    );
                } else {
                    paint_centred_text(
                        list,
                        text,
                        &item.text,
                        *area,
                        TAB_TEXT_ONLY_SIZE,
                        400,
                        color,
                        dpr,
                    );
                }
            }
        }
    }
}

/// The back button's chevron: two strokes meeting at a point on the left.
fn paint_back_arrow(list: &mut DisplayList, bar: Rect, color: Color, dpr: f32) {
    let tip = (16.0, bar.y + bar.height / 2.0);
    let arm = 8.5;
    for dy in [-arm, arm] {
        list.push(DisplayItem::Line {
            from: (tip.0 * dpr, tip.1 * dpr),
            to: ((tip.0 + arm) * dpr, (tip.1 + dy) * dpr),
            width: 2.0 * dpr,
            color,
            style: TextDecorationStyle::Solid,
        });
    }
}

/// Draws a tab icon centred at the top of `area`; false when the image
/// cannot be loaded (the item then shows its text only).
fn paint_icon(
    list: &mut DisplayList,
    images: &mut ImageStore,
    package: &Package,
    path: &str,
    area: Rect,
    dpr: f32,
) -> bool {
    // Paths in app.json are relative to the package root.
    let icon_device_px = TAB_ICON_SIZE * dpr;
    let Some(image) =
        images.get_at_size(package, "app.json", path, (icon_device_px, icon_device_px))
    else {
        return false;
    };
    // In pixels: an SVG icon's rasterisation is larger than its natural size.
    let (width, height) = image.pixel_size();
    let rect = Rect::new(
        area.x + (area.width - TAB_ICON_SIZE) / 2.0,
        area.y + TAB_ICON_TOP,
        TAB_ICON_SIZE,
        TAB_ICON_SIZE,
    );
    list.push(DisplayItem::Image {
        rect: to_device(rect, dpr),
        key: image.key,
        src: Rect::new(0.0, 0.0, width, height),
        radii: cirrus_render::display_list::SQUARE_CORNERS,
        tile: None,
        opacity: 1.0,
    });
    true
}

/// One line of text centred horizontally and vertically in `area`,
/// ellipsised when too long.
#[allow(clippy::too_many_arguments)]
fn paint_centred_text(
    list: &mut DisplayList,
    text: &mut TextSystem,
    s: &str,
    area: Rect,
    font_size: f32,
    font_weight: u16,
    color: Color,
    dpr: f32,
) {
    if s.is_empty() || area.width <= 0.0 {
        return;
    }
    let style = ComputedStyle {
        font_size,
        font_weight,
        color,
        text_align: TextAlign::Center,
        white_space: WhiteSpace::NoWrap,
        text_overflow: TextOverflow::Ellipsis,
        // The system UI face, as WeChat's own bars use.
        font_family: vec!["sans-serif".to_owned()],
        ..Default::default()
    };
    let paragraph = Paragraph::plain(&style, s);
    let shaped = text.shape(&paragraph, area.width);
    let top = area.y + ((area.height - shaped.height) / 2.0).max(0.0);
    emit_paragraph(list, &paragraph, &shaped, (area.x, top), dpr);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tabs(position: TabBarPosition, custom: bool) -> TabBarConfig {
        TabBarConfig {
            color: "#999999".into(),
            selected_color: "#ff0000".into(),
            background_color: "#ffffff".into(),
            border_style: "black".into(),
            position,
            custom,
            items: vec![TabBarItem::default(), TabBarItem::default()],
        }
    }

    #[test]
    fn the_page_area_is_what_the_bars_leave() {
        let window = Viewport::new(375.0, 667.0, 2.0);
        let plain = chrome_layout(window, false, None, false);
        assert_eq!(plain.page, Rect::new(0.0, 0.0, 375.0, 667.0));
        let nav = chrome_layout(window, true, None, true);
        assert_eq!(nav.page, Rect::new(0.0, 44.0, 375.0, 623.0));
        assert_eq!(nav.back_button, Some(Rect::new(0.0, 0.0, 44.0, 44.0)));
        let bottom = tabs(TabBarPosition::Bottom, false);
        let both = chrome_layout(window, true, Some(&bottom), false);
        assert_eq!(both.page, Rect::new(0.0, 44.0, 375.0, 572.0));
        assert_eq!(both.tab_bar, Some(Rect::new(0.0, 616.0, 375.0, 51.0)));
        assert_eq!(
            both.tab_items,
            [
                Rect::new(0.0, 617.0, 187.5, 50.0),
                Rect::new(187.5, 617.0, 187.5, 50.0)
            ]
        );
        let top = tabs(TabBarPosition::Top, false);
        let on_top = chrome_layout(window, true, Some(&top), false);
        assert_eq!(on_top.tab_bar, Some(Rect::new(0.0, 44.0, 375.0, 51.0)));
        assert_eq!(on_top.page, Rect::new(0.0, 95.0, 375.0, 572.0));
        let custom = tabs(TabBarPosition::Bottom, true);
        let custom_layout = chrome_layout(window, false, Some(&custom), false);
        assert_eq!(custom_layout.page, Rect::new(0.0, 0.0, 375.0, 667.0));
        assert!(custom_layout.tab_items.is_empty());
    }
}
