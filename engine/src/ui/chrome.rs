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
use crate::document::page::PageView;
use crate::images::ImageStore;
use crate::ops::PageId;
use crate::package::Package;
use crate::paint::{emit_paragraph, to_device};
use crate::protocol::NavigationBarUpdate;
use cirrus_layout::style::{
    Color, ComputedStyle, TextAlign, TextDecorationStyle, TextOverflow, WhiteSpace,
};
use cirrus_layout::text::{Paragraph, TextSystem};
use cirrus_layout::Viewport;
pub use cirrus_package::chrome_layout::*;
use cirrus_render::{DisplayItem, DisplayList, Rect};
use std::collections::HashMap;

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
        if let Some(mut title) = update.title {
            // Bounded before it is ever shaped (see crate::ui::truncate).
            crate::ui::truncate::truncate_chars(
                &mut title,
                crate::ui::truncate::MAX_NAVIGATION_TITLE_CHARS,
            );
            entry.title = Some(title);
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
        let title = update.and_then(|u| u.title.clone()).unwrap_or_else(|| {
            let mut title = window.navigation_bar_title_text.clone();
            crate::ui::truncate::truncate_chars(
                &mut title,
                crate::ui::truncate::MAX_NAVIGATION_TITLE_CHARS,
            );
            title
        });
        let background = update
            .and_then(|u| u.background_color.as_deref())
            .and_then(Color::from_hex)
            .or_else(|| Color::from_hex(&window.navigation_bar_background_color))
            .unwrap_or(Color::BLACK);
        let front = match update.and_then(|u| u.front_color.as_deref()) {
            Some(color) => Color::from_hex(color).unwrap_or(Color::WHITE),
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
            let background = Color::from_hex(&tabs.background_color).unwrap_or(Color::WHITE);
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
                let color = Color::from_hex(color_text).unwrap_or(Color::BLACK);
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
