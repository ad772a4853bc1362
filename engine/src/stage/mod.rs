//! Everything the render thread owns, without the thread: the page stack,
//! the text system, the decoded images and the error overlay. The render
//! thread ([`crate::frame::render_thread`]) drives a `Stage`; tests drive one
//! directly, deterministically, with no threads at all.
//!
//! One frame is: apply the op batches received → style pass → layout (only
//! dirty subtrees) → paint into a display list.

mod dialogs;
pub(crate) mod gestures;
mod query;
mod scroll;
mod worklets;

use crate::diagnostics::Diagnostic;

/// The most diagnostics the stage keeps (errors included): a page that
/// sends a million bad ops, or an image feed of broken pictures, must not
/// grow its host's memory for ever. 1,000 is far more than anyone reads,
/// and the first ones are kept.
pub const MAX_KEPT_DIAGNOSTICS: usize = 1_000;
use crate::document::page::PageView;
use crate::document::tree::{NodeKind, PageTree};
use crate::images::ImageStore;
use crate::ops::{NodeId, PageId};
use crate::package::Package;
use crate::paint::hits::HitRegions;
use crate::paint::Painter;
use crate::protocol::{ToLogic, ToRender};
use crate::style::pass::{StylePass, StyleStats};
use cirrus_layout::text::TextSystem;
use cirrus_layout::{taffy, Viewport};
use cirrus_protocol::UiEvent;
use cirrus_render::DisplayList;
use serde_json::{json, Value};
use std::sync::Arc;

/// What the last frame's passes did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FrameStats {
    pub ops_applied: usize,
    pub style: StyleStats,
    /// Whether the layout pass ran at all (something was dirty).
    pub layout_ran: bool,
    /// Wall time of the style pass of this frame (for `cirrus bench`).
    pub style_time: std::time::Duration,
    /// Wall time of the layout pass of this frame (zero when it did not run).
    pub layout_time: std::time::Duration,
    /// What the transitions and animations did before the style pass.
    pub motion: crate::motion::TickStats,
    /// Wall time of moving the transitions and animations on.
    pub motion_time: std::time::Duration,
}

pub struct Stage {
    package: Arc<Package>,
    viewport: Viewport,
    dark_mode: bool,
    pages: Vec<PageView>,
    text: TextSystem,
    images: ImageStore,
    /// Errors shown in the overlay, newest last.
    errors: Vec<Diagnostic>,
    /// Every diagnostic seen (errors and warnings), for hosts and tests.
    diagnostics: Vec<Diagnostic>,
    /// The logic thread reported it had nothing pending, and no batch
    /// arrived since.
    logic_idle: bool,
    /// Messages the host sent the logic thread (see
    /// [`Stage::note_sent_to_logic`]), against `ToRender::Idle::handled`.
    sent_to_logic: u64,
    logic_stopped: bool,
    needs_layout: bool,
    pub last_frame: FrameStats,
    /// Tab pages hidden by `switchTab`: off the stack, trees kept.
    parked_tab_pages: Vec<PageView>,
    /// The navigation bar and the tab bar ([`crate::ui::chrome`]).
    chrome: crate::ui::chrome::Chrome,
    /// Toasts, modals and action sheets (`wx.show*`), painted over the page.
    pub(crate) dialogs: crate::ui::dialogs::Dialogs,
    /// Selector queries waiting for a layout, and intersection observers.
    pub(crate) queries: crate::query::Queries,
    /// Counts the layouts that ran, so observers see each one once.
    pub(crate) layout_generation: u64,
    /// The frame clock ([`Stage::set_time`]): transitions and animations
    /// sample it, so a test or benchmark controls time exactly.
    pub(crate) clock: std::time::Duration,
    /// Transition and animation events for the logic thread (and the
    /// `<image>` `load` / `error` events).
    motion_events: Vec<ToLogic>,
    /// Which `<image>` nodes were sent `load` / `error` for which source.
    image_events: crate::images::events::ImageEventLog,
    /// The last lazy-load scan found `lazy-load` images not yet started:
    /// scan again each frame (scrolling moves them without a layout).
    lazy_images_waiting: bool,
    /// The top page's hit regions, recorded by the last paint or hit test
    /// ([`crate::paint::hits`]).
    hits: HitRegions,
    /// What `hits` were recorded for; `None`: never, or before a layout.
    hits_for: Option<HitStamp>,
    /// Counts the motion ticks that wrote styles without a restyle (a
    /// moving transform repaints, and moves what is hit, but lays nothing
    /// out).
    motion_generation: u64,
    /// The UI runtime for worklets and the nodes animated styles bind.
    worklets: worklets::WorkletHost,
    /// Ops applied since the last [`Stage::update`] (its
    /// `FrameStats::ops_applied`).
    ops_since_frame: usize,
    /// The last layout left text for a later frame (the shaping budget).
    text_deferred: bool,
}

/// The page `id` of the stack or among the hidden tab pages (both still
/// receive the logic thread's messages).
fn live_page<'a>(
    pages: &'a mut [PageView],
    parked_tab_pages: &'a mut [PageView],
    id: PageId,
) -> Option<&'a mut PageView> {
    pages
        .iter_mut()
        .chain(parked_tab_pages)
        .find(|p| p.id == id)
}

/// Everything a page's hit regions depend on besides the tree: when it is
/// unchanged and no op arrived since, the tree is as it was painted too
/// (ops mark `needs_layout`, a restyle or a layout counts in
/// `layout_generation`, scrolling in the queries' `scroll_generation`, a
/// style written by a running animation in `motion_generation`).
#[derive(Clone, Copy, Debug, PartialEq)]
struct HitStamp {
    page: PageId,
    depth: usize,
    viewport: Viewport,
    page_area: cirrus_render::Rect,
    layout: u64,
    scroll: u64,
    motion: u64,
}

impl Stage {
    pub fn new(package: Arc<Package>, viewport: Viewport) -> Stage {
        let (chrome, chrome_diagnostics) = crate::ui::chrome::Chrome::new(&package);
        Stage {
            package,
            viewport,
            dark_mode: false,
            pages: Vec::new(),
            text: TextSystem::new(),
            images: {
                let mut images = ImageStore::default();
                images.set_device_pixel_ratio(viewport.dpr);
                images
            },
            errors: Vec::new(),
            diagnostics: chrome_diagnostics,
            logic_idle: false,
            sent_to_logic: 0,
            logic_stopped: false,
            needs_layout: true,
            last_frame: FrameStats::default(),
            parked_tab_pages: Vec::new(),
            chrome,
            dialogs: crate::ui::dialogs::Dialogs::new(),
            queries: crate::query::Queries::default(),
            layout_generation: 0,
            clock: std::time::Duration::ZERO,
            motion_events: Vec::new(),
            image_events: Default::default(),
            lazy_images_waiting: false,
            hits: HitRegions::new(),
            hits_for: None,
            motion_generation: 0,
            worklets: Default::default(),
            ops_since_frame: 0,
            text_deferred: false,
        }
    }

    /// Where network images are cached ([`crate::images::ImageOptions`]);
    /// call before the first frame (the pictures loaded so far are dropped).
    pub fn set_image_options(&mut self, options: crate::images::ImageOptions) {
        self.images = ImageStore::new(options);
        self.images.set_device_pixel_ratio(self.viewport.dpr);
    }

    /// Takes the network images that finished loading, without waiting:
    /// their `<image>` nodes restyle (intrinsic sizes) and get `load` /
    /// `error` events ([`Stage::take_events`]). Returns whether any
    /// finished (the picture changed). The render thread calls it once per
    /// loop; [`Stage::update`] calls it too.
    pub fn poll_images(&mut self) -> bool {
        let resolved = self.images.poll();
        if resolved.is_empty() {
            return false;
        }
        let diagnostics = self.images.take_diagnostics();
        self.report_all(diagnostics);
        if let Some(page) = self.pages.last_mut() {
            crate::images::events::mark_images_using(&mut page.tree, &page.files.wxml, &resolved);
            self.image_events.collect(
                page.id,
                &page.tree,
                &page.files.wxml,
                &self.images,
                &mut self.motion_events,
            );
        }
        true
    }

    /// Starts the `lazy-load` images of the top page that are now within a
    /// screen of the visible area; then queues the `load` / `error` events
    /// of its `<image>` nodes that have an outcome.
    fn start_lazy_images_and_collect_events(&mut self, scan_lazy: bool) {
        if scan_lazy {
            self.sync_scroll();
            let viewport = self.top_page_viewport();
            if let Some(page) = self.pages.last() {
                let near = crate::images::lazy::lazy_images_near_view(
                    &page.tree,
                    (viewport.width.0, viewport.height.0),
                );
                let mut waiting = false;
                for id in near {
                    let Some(src) = page.tree.get(id).and_then(|n| n.attrs.get_str("src")) else {
                        continue;
                    };
                    let _ = self.images.get(&self.package, &page.files.wxml, src);
                }
                for id in page.tree.descendants(NodeId::ROOT) {
                    let Some(node) = page.tree.get(id) else {
                        continue;
                    };
                    if node.tag() == Some("image") && crate::images::lazy::is_lazy(node) {
                        let src = node.attrs.get_str("src").unwrap_or("");
                        waiting |= self.images.status(&page.files.wxml, src)
                            == crate::images::ImageStatus::Unrequested;
                    }
                }
                self.lazy_images_waiting = waiting;
            }
        }
        if let Some(page) = self.pages.last() {
            self.image_events.collect(
                page.id,
                &page.tree,
                &page.files.wxml,
                &self.images,
                &mut self.motion_events,
            );
        }
    }

    pub fn viewport(&self) -> Viewport {
        self.viewport
    }

    pub fn package(&self) -> &Arc<Package> {
        &self.package
    }

    pub fn text_system(&mut self) -> &mut TextSystem {
        &mut self.text
    }

    pub fn images(&self) -> &ImageStore {
        &self.images
    }

    pub fn images_mut(&mut self) -> &mut ImageStore {
        &mut self.images
    }

    /// The page on top of the stack.
    pub fn top_page(&self) -> Option<&PageView> {
        self.pages.last()
    }

    pub fn pages(&self) -> &[PageView] {
        &self.pages
    }

    pub fn errors(&self) -> &[Diagnostic] {
        &self.errors
    }

    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.diagnostics
    }

    /// The app has settled: the top page's `onReady` ran, the logic thread
    /// has nothing pending and every batch it sent has been applied.
    pub fn is_settled(&self) -> bool {
        let ready = self.pages.last().is_some_and(|p| p.ready);
        let moving = self
            .pages
            .last()
            .is_some_and(|p| p.motion.has_finite_motion());
        // Network images still loading keep a capture waiting (they end:
        // the fetcher times out).
        let loading = self.images.is_pending();
        let scrolling = self.is_scrolling();
        (ready && self.logic_idle && !moving && !loading && !self.text_deferred && !scrolling)
            || self.logic_stopped
    }

    /// Applies one message from the logic thread.
    pub fn handle(&mut self, message: ToRender) {
        match message {
            ToRender::PushPage { page, route } => {
                self.logic_idle = false;
                let page_viewport = self.page_viewport_of(&route);
                let (view, diags) =
                    PageView::new(&self.package, page, &route, page_viewport, self.dark_mode);
                self.report_all(diags);
                self.pages.push(view);
                self.needs_layout = true;
            }
            ToRender::Ops(batch) => {
                self.logic_idle = false;
                let Some(page) = live_page(&mut self.pages, &mut self.parked_tab_pages, batch.page)
                else {
                    self.report(Diagnostic::warning(
                        "",
                        0,
                        0,
                        format!("op batch for unknown page {:?}", batch.page),
                    ));
                    return;
                };
                let mut problems = Vec::new();
                for op in batch.ops {
                    self.ops_since_frame += 1;
                    if let Err(e) = page.tree.apply(op) {
                        // Content that is missing from the page is an error
                        // (the overlay shows it); the logic side reports the
                        // same limit at the WXML's location.
                        let mut problem = Diagnostic::warning(
                            page.files.wxml.clone(),
                            0,
                            0,
                            format!("op skipped: {e}"),
                        );
                        if matches!(e, crate::tree::TreeError::NestedTooDeeply { .. }) {
                            problem.severity = crate::diagnostics::Severity::Error;
                        }
                        problems.push(problem);
                    }
                }
                self.needs_layout = true;
                self.report_all(problems);
            }
            ToRender::PageReady { page } => {
                if let Some(p) = live_page(&mut self.pages, &mut self.parked_tab_pages, page) {
                    p.ready = true;
                }
            }
            ToRender::PopPages { pages } => {
                self.pages.retain(|p| !pages.contains(&p.id));
                self.parked_tab_pages.retain(|p| !pages.contains(&p.id));
                self.chrome.forget(&pages);
                self.queries.forget_pages(&pages);
                self.image_events.forget_pages(&pages);
                self.needs_layout = true;
            }
            ToRender::HideTabPages { pages } => self.hide_tab_pages(&pages),
            ToRender::ShowTabPage { page } => self.show_tab_page(page),
            ToRender::SetNavigationBar { page, update } => {
                self.chrome.update_navigation_bar(page, update);
            }
            ToRender::Dialog(command) => self.dialogs.apply(command),
            ToRender::Query { id, page, requests } => self.queries.push_query(id, page, requests),
            ToRender::ObserveIntersection(spec) => self.queries.observe(spec),
            ToRender::DisconnectObserver { id } => self.queries.disconnect(id),
            ToRender::Animate {
                page,
                scope,
                selector,
                animation,
            } => {
                // Played by the page's motion::steps, like a bound `animation`.
                let view = live_page(&mut self.pages, &mut self.parked_tab_pages, page);
                if let Some(view) = view {
                    for id in crate::query::select_scoped(&view.tree, scope, &selector) {
                        let _ = view.tree.apply(crate::ops::Op::SetAttribute {
                            id,
                            name: "animation".into(),
                            value: animation.clone(),
                        });
                    }
                }
            }
            ToRender::WorkletShared { values } => self.worklet_shared(values),
            ToRender::RunOnUi { worklet, args } => self.run_on_ui(worklet, args),
            ToRender::Derived { target, updater } => self.derived(target, updater),
            ToRender::ApplyAnimatedStyle {
                page,
                scope,
                selector,
                id,
                updater,
                immediate,
            } => self.apply_animated_style(page, scope, &selector, id, updater, immediate),
            ToRender::ClearAnimatedStyle { page, id } => self.clear_animated_style(page, id),
            ToRender::WorkletHandler {
                page,
                node,
                event,
                worklet,
            } => self.worklet_handler(page, node, event, worklet),
            ToRender::LoadFont { family, data } => self.load_font(&family, data.to_vec()),
            ToRender::Error(d) => self.report(d),
            ToRender::Idle { handled } => self.logic_idle = handled >= self.sent_to_logic,
            ToRender::Stopped => self.logic_stopped = true,
        }
    }

    fn report(&mut self, d: Diagnostic) {
        if self.diagnostics.len() >= MAX_KEPT_DIAGNOSTICS {
            // Say once that more were dropped; the first ones are kept (the
            // first problem is the one to fix).
            if self.diagnostics.len() == MAX_KEPT_DIAGNOSTICS {
                self.diagnostics.push(Diagnostic::warning(
                    d.file.clone(),
                    d.line,
                    d.column,
                    format!(
                        "too many problems: only the first {MAX_KEPT_DIAGNOSTICS} are reported"
                    ),
                ));
            }
            return;
        }
        if d.is_error() {
            self.errors.push(d.clone());
        }
        self.diagnostics.push(d);
    }

    fn report_all(&mut self, ds: Vec<Diagnostic>) {
        for d in ds {
            self.report(d);
        }
    }

    /// A font loaded by `wx.loadFontFace`: text may now resolve to it, so
    /// every page restyles and every cached measurement is dropped.
    pub fn load_font(&mut self, family: &str, data: Vec<u8>) {
        if let Err(error) = self.text.load_font_as(family, data) {
            self.report(Diagnostic::warning(
                "",
                0,
                0,
                format!("loadFontFace `{family}`: {error}"),
            ));
            return;
        }
        for page in self
            .pages
            .iter_mut()
            .chain(self.parked_tab_pages.iter_mut())
        {
            for id in page.tree.descendants(NodeId::ROOT) {
                if let Some(node) = page.tree.get_mut(id) {
                    node.layout.mark_dirty();
                }
            }
            mark_all_restyle(&mut page.tree);
        }
        self.needs_layout = true;
    }

    /// The window changed size: rpx and vw/vh follow, so everything restyles.
    pub fn resize(&mut self, viewport: Viewport) {
        if viewport == self.viewport {
            return;
        }
        self.viewport = viewport;
        self.images.set_device_pixel_ratio(viewport.dpr);
        self.reload_pages();
    }

    /// Switches between the light and dark theme (`@media
    /// (prefers-color-scheme)`, theme variables): every page restyles.
    pub fn set_dark_mode(&mut self, dark: bool) {
        if dark == self.dark_mode {
            return;
        }
        self.dark_mode = dark;
        self.reload_pages();
    }

    pub fn dark_mode(&self) -> bool {
        self.dark_mode
    }

    /// Reloads every page's style sheets (they resolve rpx and media at
    /// load) and restyles their trees.
    fn reload_pages(&mut self) {
        let viewport = self.viewport;
        let package = self.package.clone();
        for page in self
            .pages
            .iter_mut()
            .chain(self.parked_tab_pages.iter_mut())
        {
            // Style sheets resolve rpx at load, so they are reloaded.
            let page_viewport = crate::ui::chrome::page_area(
                &package,
                self.chrome.tab_bar(),
                &page.route,
                viewport,
            );
            let page_viewport = Viewport::new(viewport.width.0, page_viewport.height, viewport.dpr);
            let (mut view, _) = PageView::new(
                &package,
                page.id,
                &page.route,
                page_viewport,
                self.dark_mode,
            );
            std::mem::swap(&mut view.tree, &mut page.tree);
            view.ready = page.ready;
            *page = view;
            mark_all_restyle(&mut page.tree);
        }
        self.needs_layout = true;
    }

    /// Style and layout of the top page, where dirty.
    pub fn update(&mut self) -> FrameStats {
        self.poll_images();
        let mut stats = FrameStats {
            ops_applied: std::mem::take(&mut self.ops_since_frame),
            ..Default::default()
        };
        let viewport = self.top_page_viewport();
        let Some(page) = self.pages.last_mut() else {
            self.last_frame = stats;
            return stats;
        };
        // Motion first: a moving layout or inherited property marks its
        // node for the style pass below.
        let motion_started = std::time::Instant::now();
        stats.motion = page.motion.tick(&mut page.tree, self.clock);
        stats.motion_time = motion_started.elapsed();
        if stats.motion.repainted > 0 {
            self.motion_generation += 1;
        }
        let mut pass = StylePass {
            package: &self.package,
            images: &mut self.images,
            viewport,
            stats: StyleStats::default(),
            now: self.clock,
        };
        let style_started = std::time::Instant::now();
        let restyled = pass.run(page);
        stats.style_time = style_started.elapsed();
        stats.style = pass.stats;
        let mut image_diags = self.images.take_diagnostics();
        image_diags.extend(page.scopes.take_diagnostics());
        let page = self.pages.last_mut().expect("checked above");
        let page_id = page.id;
        self.motion_events.extend(
            page.motion
                .take_events()
                .into_iter()
                .map(|e| ToLogic::Event(UiEvent::new(page_id, e.node, e.name, e.detail))),
        );
        // A restyle that cleared no layout cache (transform, opacity and
        // colour changes: the style pass clears a box's cache, and with it
        // every ancestor's, only when its layout inputs changed) leaves the
        // root's cache whole: no layout pass, only a repaint.
        let layout_dirty = (page.tree.get(NodeId::ROOT)).is_some_and(|root| root.layout.is_dirty());
        if restyled && !layout_dirty && !self.needs_layout {
            // What is hit moves with a transform: hit regions are recorded
            // anew (see `HitStamp`).
            self.motion_generation += 1;
        }
        if layout_dirty || self.needs_layout {
            let layout_started = std::time::Instant::now();
            let deferred = cirrus_layout::tree::compute_layout(
                &mut page.tree,
                taffy::NodeId::from(0u64),
                viewport,
                &mut self.text,
            );
            // Text the frame's shaping budget put off lays out next frame.
            self.text_deferred = !deferred.is_empty();
            for node in deferred {
                let id = u32::try_from(u64::from(node)).unwrap_or(u32::MAX);
                page.tree.mark_layout_dirty(NodeId(id));
            }
            stats.layout_ran = true;
            stats.layout_time = layout_started.elapsed();
            self.layout_generation += 1;
            self.needs_layout = self.text_deferred;
        }
        let scan_lazy = stats.layout_ran || self.lazy_images_waiting;
        if restyled || scan_lazy {
            self.start_lazy_images_and_collect_events(scan_lazy);
        }
        image_diags.extend(self.images.take_diagnostics());
        self.report_all(image_diags);
        self.last_frame = stats;
        stats
    }

    /// Transition and animation events since the last call, for the logic
    /// thread (`transitionend`, `animationstart`, ...).
    pub fn take_events(&mut self) -> Vec<ToLogic> {
        std::mem::take(&mut self.motion_events)
    }

    /// Whether a transition or animation on the top page is moving: the
    /// host keeps drawing frames while it is.
    pub fn is_animating(&self) -> bool {
        self.pages.last().is_some_and(|p| p.motion.is_animating())
            || self.worklets.is_busy()
            || self.text_deferred
            || self.is_scrolling()
    }

    /// Paints the top page (and the error overlay) into `list`, in device
    /// px, recording the page's hit regions on the way.
    pub fn paint(&mut self, list: &mut DisplayList) {
        list.clear();
        self.sync_scroll();
        self.hits_for = self.hit_stamp();
        if let Some(page) = self.pages.last() {
            let depth = self.pages.len();
            let area = self.chrome.layout(page, depth, self.viewport).page;
            page_painter(
                list,
                page,
                (&mut self.text, &mut self.images, &self.package),
                &mut self.hits,
                area,
                self.viewport,
            )
            .paint_page((area.x, area.y));
            let (text, images) = (&mut self.text, &mut self.images);
            self.chrome.paint(
                list,
                text,
                images,
                &self.package,
                page,
                depth,
                self.viewport,
            );
        } else {
            self.hits.clear();
        }
        self.dialogs.paint(list, self.viewport, &mut self.text);
        if !self.errors.is_empty() {
            crate::ui::overlay::paint_error_overlay(
                list,
                &self.errors,
                self.viewport,
                &mut self.text,
            );
        }
        // Text that no frame painted lately is freed, and so are inline
        // styles no style pass used lately.
        self.text.end_frame();
        for page in self.pages.iter_mut().chain(&mut self.parked_tab_pages) {
            page.sheets.end_frame();
        }
    }

    /// The topmost element of the top page under `(x, y)` (CSS px from the
    /// page's top-left corner), as painted: the answer comes from the hit
    /// regions the painter recorded ([`crate::paint::hits`],
    /// [`crate::input::hit_test`] for what counts). Asked after
    /// [`update`](Self::update); when no frame was painted since the last
    /// layout, scroll or moving transform, the painting walk runs again for
    /// the regions alone first, so the answer is never stale.
    pub fn hit_test(&mut self, x: f32, y: f32) -> Option<NodeId> {
        self.hit_regions();
        let area = self.page_area();
        let dpr = self.viewport.dpr;
        let point = ((x + area.x) * dpr, (y + area.y) * dpr);
        crate::input::hit_test::hit_test(&self.hits, point)
    }

    /// The top page's hit regions as the page is now (device px of the
    /// window): the last paint's, or recorded afresh by the painting walk
    /// when something changed since.
    pub fn hit_regions(&mut self) -> &HitRegions {
        self.sync_scroll();
        let stamp = self.hit_stamp();
        if stamp.is_none() || stamp != self.hits_for {
            self.record_hit_regions();
            self.hits_for = stamp;
        }
        &self.hits
    }

    /// What hit regions recorded now would be recorded for; `None` while
    /// ops wait for a layout (regions recorded then are never reused).
    fn hit_stamp(&self) -> Option<HitStamp> {
        let page = self.pages.last().filter(|_| !self.needs_layout)?;
        Some(HitStamp {
            page: page.id,
            depth: self.pages.len(),
            viewport: self.viewport,
            page_area: self.page_area(),
            layout: self.layout_generation,
            scroll: self.queries.scroll_generation,
            motion: self.motion_generation,
        })
    }

    /// Runs the painting walk of the top page for its hit regions alone.
    fn record_hit_regions(&mut self) {
        let Some(page) = self.pages.last() else {
            self.hits.clear();
            return;
        };
        let area = self.page_area();
        // Nothing is drawn into it (`regions_only`).
        let mut unused = DisplayList::new();
        page_painter(
            &mut unused,
            page,
            (&mut self.text, &mut self.images, &self.package),
            &mut self.hits,
            area,
            self.viewport,
        )
        .regions_only()
        .paint_page((area.x, area.y));
    }

    /// The page background (`window.backgroundColor`), the clear colour.
    pub fn background(&self) -> cirrus_layout::style::Color {
        let css = self
            .pages
            .last()
            .map(|p| p.config.window.background_color.as_str())
            .unwrap_or("#ffffff");
        cirrus_layout::style::Color::from_hex(css).unwrap_or(cirrus_layout::style::Color::WHITE)
    }

    /// The layout file (README, "The `cirrus` CLI") for the top page:
    /// `{"viewport":{"width","height"},"root":NODE}`. Virtual nodes
    /// (`wx:virtual`: slots, virtualHost hosts) have no box: they are not
    /// listed, their children are, in their place.
    pub fn layout_json(&mut self) -> Value {
        self.layout_file(true)
    }

    fn layout_file(&mut self, visual: bool) -> Value {
        self.sync_scroll();
        let text = &mut self.text;
        let root = self
            .pages
            .last()
            .map(|p| {
                node_json(
                    &p.tree,
                    NodeId::ROOT,
                    (0.0, 0.0),
                    &mut JsonContext {
                        text,
                        paragraph: None,
                        visual: visual.then_some(cirrus_render::display_list::IDENTITY_MATRIX),
                    },
                )
            })
            .unwrap_or(Value::Null);
        json!({
            "viewport": { "width": self.viewport.width.0, "height": self.viewport.height.0 },
            "root": root,
        })
    }
}

/// The page stack's chrome: the navigation bar, the tab bar, and the tab
/// pages `switchTab` hid ([`crate::ui::chrome`]).
impl Stage {
    /// Where the top page is drawn in the window (CSS px): below the
    /// navigation bar, above (or below) the tab bar. Page coordinates (the
    /// layout file, [`Stage::hit_test`]) are relative to its corner.
    pub fn page_area(&self) -> cirrus_render::Rect {
        match self.pages.last() {
            Some(page) => {
                self.chrome
                    .layout(page, self.pages.len(), self.viewport)
                    .page
            }
            None => {
                cirrus_render::Rect::new(0.0, 0.0, self.viewport.width.0, self.viewport.height.0)
            }
        }
    }

    /// The chrome's geometry around the top page.
    pub fn chrome_layout(&self) -> Option<crate::ui::chrome::ChromeLayout> {
        let page = self.pages.last()?;
        Some(self.chrome.layout(page, self.pages.len(), self.viewport))
    }

    pub fn chrome(&self) -> &crate::ui::chrome::Chrome {
        &self.chrome
    }

    /// Tab pages hidden by `switchTab`, oldest first.
    pub fn hidden_tab_pages(&self) -> &[PageView] {
        &self.parked_tab_pages
    }

    /// A tap at `(x, y)` (CSS px, window coordinates) on the chrome: the
    /// routing request for the logic thread, if it hit a button. `None`
    /// also when the tap missed the chrome (it belongs to the page then;
    /// see [`Stage::on_chrome`]).
    pub fn chrome_tap(&mut self, x: f32, y: f32) -> Option<crate::protocol::ToLogic> {
        use crate::protocol::{RouteRequest, ToLogic};
        use crate::ui::chrome::ChromeHit;
        let page = self.pages.last()?;
        let hit = self
            .chrome
            .hit_test(page, self.pages.len(), self.viewport, (x, y))?;
        let request = match hit {
            ChromeHit::Back => RouteRequest::NavigateBack { delta: 1 },
            ChromeHit::TabItem(index) => RouteRequest::TabItemTap { index },
            ChromeHit::Bar => return None,
        };
        // Not settled until the logic thread has answered the request.
        self.logic_idle = false;
        Some(ToLogic::Route(request))
    }

    /// Whether `(x, y)` (window coordinates) lies on the chrome, so a tap
    /// there never reaches the page.
    pub fn on_chrome(&self, x: f32, y: f32) -> bool {
        self.pages.last().is_some_and(|page| {
            self.chrome
                .hit_test(page, self.pages.len(), self.viewport, (x, y))
                .is_some()
        })
    }

    /// The viewport `route` sees: the window less its bars.
    fn page_viewport_of(&self, route: &str) -> Viewport {
        let area = crate::ui::chrome::page_area(
            &self.package,
            self.chrome.tab_bar(),
            route,
            self.viewport,
        );
        Viewport::new(self.viewport.width.0, area.height, self.viewport.dpr)
    }

    /// The page on top of the stack, to change (scrolling, see [`crate::scroll`]).
    pub(crate) fn pages_mut(&mut self) -> &mut [PageView] {
        &mut self.pages
    }

    /// The logic thread has handled everything sent to it and reported
    /// `Idle` since (or has stopped): nothing from it is on the way.
    pub fn logic_caught_up(&self) -> bool {
        self.logic_idle || self.logic_stopped
    }

    pub(crate) fn top_page_mut(&mut self) -> Option<&mut PageView> {
        self.pages.last_mut()
    }

    /// The host sent the logic thread a message (an event, a route
    /// request, a dialog's answer...): the app is not settled until an
    /// `Idle` says the logic thread has handled it.
    pub fn note_sent_to_logic(&mut self) {
        self.sent_to_logic += 1;
        self.logic_idle = false;
    }

    fn top_page_viewport(&self) -> Viewport {
        match self.pages.last() {
            Some(page) => self
                .chrome
                .layout(page, self.pages.len(), self.viewport)
                .page_viewport(self.viewport),
            None => self.viewport,
        }
    }

    fn hide_tab_pages(&mut self, pages: &[PageId]) {
        let (hidden, kept): (Vec<PageView>, Vec<PageView>) = std::mem::take(&mut self.pages)
            .into_iter()
            .partition(|p| pages.contains(&p.id));
        self.pages = kept;
        self.parked_tab_pages.extend(hidden);
        self.needs_layout = true;
    }

    fn show_tab_page(&mut self, page: PageId) {
        let Some(index) = self.parked_tab_pages.iter().position(|p| p.id == page) else {
            self.report(Diagnostic::warning(
                "",
                0,
                0,
                format!("ShowTabPage for {page:?}, which is not a hidden tab page"),
            ));
            return;
        };
        let view = self.parked_tab_pages.remove(index);
        self.pages.push(view);
        self.needs_layout = true;
    }
}

/// The painter of `page` as the window shows it, `area` being where (CSS
/// px): culled to the area, clipped to it below the bars, recording the
/// hit regions into `hits`. Paint and hit testing both set it up here.
fn page_painter<'a>(
    list: &'a mut DisplayList,
    page: &'a PageView,
    (text, images, package): (&'a mut TextSystem, &'a mut ImageStore, &'a Package),
    hits: &'a mut HitRegions,
    area: cirrus_render::Rect,
    viewport: Viewport,
) -> Painter<'a> {
    let painter = Painter::new(
        list,
        &page.tree,
        text,
        images,
        package,
        &page.files,
        viewport.dpr,
    )
    .cull_to_window(area.width, area.height)
    .record_hits(hits);
    if area.y > 0.0 || area.height < viewport.height.0 {
        painter.clip_page_to(area)
    } else {
        painter
    }
}

fn mark_all_restyle(tree: &mut PageTree) {
    for id in tree.descendants(NodeId::ROOT) {
        if let Some(n) = tree.get_mut(id) {
            n.restyle = true;
            n.needs_visit = true;
        }
    }
    tree.changed = true;
}

/// While writing the layout file inside a paragraph: the paragraph's
/// shaped fragments, to give nested `<text>` elements their inline boxes.
struct JsonContext<'t> {
    text: &'t mut TextSystem,
    paragraph: Option<OpenParagraph>,
    /// Writing `visual` boxes: the ancestors' accumulated transform (CSS px).
    visual: Option<[f32; 16]>,
}

/// The paragraph whose spans are being written.
struct OpenParagraph {
    /// The text run behind each span.
    span_nodes: Vec<NodeId>,
    shaped: Arc<cirrus_layout::text::ShapedParagraph>,
    /// The paragraph root's content-box corner.
    content: (f32, f32),
}

/// One node of the layout file; `origin` is the parent's border-box corner.
fn node_json(tree: &PageTree, id: NodeId, origin: (f32, f32), cx: &mut JsonContext) -> Value {
    let Some(node) = tree.get(id) else {
        return Value::Null;
    };
    let layout = node.layout.layout();
    let (x, y, width, height) = match &cx.paragraph {
        // A span inside a paragraph: the union of its inline fragments.
        Some(OpenParagraph {
            span_nodes,
            shaped,
            content,
        }) => {
            let mine: Vec<usize> = span_nodes
                .iter()
                .enumerate()
                .filter(|(_, &t)| is_descendant(tree, t, id))
                .map(|(i, _)| i)
                .collect();
            let frags = shaped.fragments.iter().filter(|f| mine.contains(&f.span));
            let (mut x0, mut y0, mut x1, mut y1) = (f32::MAX, f32::MAX, f32::MIN, f32::MIN);
            for f in frags {
                x0 = x0.min(f.x);
                y0 = y0.min(f.y);
                x1 = x1.max(f.x + f.width);
                y1 = y1.max(f.y + f.height);
            }
            if x0 > x1 {
                (content.0, content.1, 0.0, 0.0)
            } else {
                (content.0 + x0, content.1 + y0, x1 - x0, y1 - y0)
            }
        }
        None => {
            let base = if node.style.position == cirrus_layout::style::Position::Fixed {
                (0.0, 0.0)
            } else {
                origin
            };
            (
                base.0 + layout.location.x,
                base.1 + layout.location.y,
                layout.size.width,
                layout.size.height,
            )
        }
    };
    let entering_paragraph =
        cx.paragraph.is_none() && node.is_element() && node.layout.paragraph.is_some();
    if entering_paragraph {
        let p = node.layout.paragraph.as_ref().expect("checked");
        let content = (
            x + layout.border.left + layout.padding.left,
            y + layout.border.top + layout.padding.top,
        );
        let content_width = layout.content_box_width();
        let shaped = cx.text.shape(p, content_width);
        cx.paragraph = Some(OpenParagraph {
            span_nodes: node.span_nodes.clone(),
            shaped,
            content,
        });
    }
    let parent_matrix = cx.visual;
    let visual = parent_matrix.map(|parent| {
        let mut matrix = parent;
        if !node.style.transform.is_empty() {
            let origin = (
                x + node.style.transform_origin.0.resolve(width),
                y + node.style.transform_origin.1.resolve(height),
            );
            let own = crate::paint::transform::transform_matrix(
                &node.style.transform,
                (width, height),
                origin,
                1.0,
            );
            matrix = cirrus_render::display_list::multiply_matrices(&parent, &own);
        }
        cx.visual = Some(matrix);
        transformed_bounds(&matrix, (x, y, width, height))
    });
    // Virtual nodes (slots, virtualHost hosts) have no box: their children
    // are listed in their place, as the children of the parent's box.
    let mut listed = Vec::with_capacity(node.children.len());
    for &child in &node.children {
        crate::style::scopes::push_layout_child(tree, child, &mut listed);
    }
    let children: Vec<Value> = listed
        .iter()
        .filter(|&&c| tree.get(c).is_some_and(|n| n.is_element()))
        .map(|&c| node_json(tree, c, scrolled_origin(node, (x, y)), cx))
        .collect();
    if entering_paragraph {
        cx.paragraph = None;
    }
    let tag = match &node.kind {
        NodeKind::Element { tag } => tag.as_str(),
        NodeKind::Text { .. } => "#text",
    };
    cx.visual = parent_matrix;
    let mut entry = json!({
        "tag": tag,
        "id": node.attrs.id,
        "class": node.attrs.classes.join(" "),
        "x": round64(x),
        "y": round64(y),
        "width": round64(width),
        "height": round64(height),
        "children": children,
    });
    if let (Some((vx, vy, vw, vh)), Value::Object(map)) = (visual, &mut entry) {
        map.insert(
            "visual".into(),
            json!({ "x": round64(vx), "y": round64(vy), "width": round64(vw), "height": round64(vh) }),
        );
    }
    entry
}

/// The axis-aligned bounds of `rect` (x, y, width, height) mapped by
/// `matrix` (column-major, with the perspective divide).
fn transformed_bounds(matrix: &[f32; 16], rect: (f32, f32, f32, f32)) -> (f32, f32, f32, f32) {
    let (x, y, w, h) = rect;
    let corners = [(x, y), (x + w, y), (x, y + h), (x + w, y + h)];
    let (mut x0, mut y0, mut x1, mut y1) = (f32::MAX, f32::MAX, f32::MIN, f32::MIN);
    for (px, py) in corners {
        let m = matrix;
        let tx = m[0] * px + m[4] * py + m[12];
        let ty = m[1] * px + m[5] * py + m[13];
        let tw = m[3] * px + m[7] * py + m[15];
        let tw = if tw.abs() < 1e-6 { 1.0 } else { tw };
        let (tx, ty) = (tx / tw, ty / tw);
        x0 = x0.min(tx);
        y0 = y0.min(ty);
        x1 = x1.max(tx);
        y1 = y1.max(ty);
    }
    (x0, y0, x1 - x0, y1 - y0)
}

/// Where the children of `node` start when its border box starts at
/// `origin`: a scroll-view shows them shifted by its scroll position.
fn scrolled_origin(node: &crate::document::tree::Node, origin: (f32, f32)) -> (f32, f32) {
    let (dx, dy) = crate::scroll::scroll_offset(node);
    (origin.0 - dx, origin.1 - dy)
}

/// Whether `node` is `ancestor` or lies below it.
fn is_descendant(tree: &PageTree, node: NodeId, ancestor: NodeId) -> bool {
    let mut cursor = Some(node);
    while let Some(c) = cursor {
        if c == ancestor {
            return true;
        }
        cursor = tree.get(c).and_then(|n| n.parent);
    }
    false
}

/// Rounds to 1/64 px, Chromium's layout unit.
fn round64(v: f32) -> f64 {
    ((v as f64) * 64.0).round() / 64.0
}
