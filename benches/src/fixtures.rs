//! Ready-made engine inputs built from [`crate::gen`] pages, so that each
//! benchmark times one stage of the pipeline and nothing before it.
//!
//! All fixtures use the same page (a [`ListPage`]) and the same viewport
//! ([`viewport`]: 375 x 667 CSS px at DPR 2), so figures from different
//! benchmarks describe the same tree.

use crate::gen::{ListPage, PAGE_ROUTE};
use cirrus_engine::layout::Viewport;
use cirrus_engine::ops::{Op, OpBatch, PageId};
use cirrus_engine::package::Package;
use cirrus_engine::protocol::ToRender;
use cirrus_engine::stage::Stage;
use cirrus_layout::text::{Paragraph, TextSystem};
use cirrus_layout::tree::LayoutHost;
use cirrus_style::{StyleElement, StyleOptions, StyleSheets};
use cirrus_template::{PageInstance, TemplateGroup};
use serde_json::Value;
use std::collections::HashMap;

/// The page id the fixtures push.
pub const PAGE: PageId = PageId(1);

/// First node id the template allocates (`NodeId::ROOT` is 0).
pub const FIRST_NODE_ID: u32 = 1;

/// The viewport every fixture lays out in: an iPhone 8 sized window.
pub fn viewport() -> Viewport {
    Viewport::new(375.0, 667.0, 2.0)
}

/// The WXML path of the generated page inside a [`TemplateGroup`].
pub fn wxml_path() -> String {
    format!("{PAGE_ROUTE}.wxml")
}

/// A template group holding the page's WXML.
pub fn template_group(page: &ListPage) -> TemplateGroup {
    let mut group = TemplateGroup::new();
    let diags = group.add_file(&wxml_path(), page.wxml());
    debug_assert!(diags.is_empty(), "{diags:?}");
    group
}

/// The page instantiated from its initial data: the instance, the ops that
/// build its tree, and the data it was built from.
pub fn instantiate(page: &ListPage, group: &TemplateGroup) -> (PageInstance, Vec<Op>, Value) {
    let data = page.data();
    let (instance, ops, _diags) = PageInstance::new(group, &wxml_path(), &data, FIRST_NODE_ID);
    (instance, ops, data)
}

/// A stage with the page pushed and its whole tree applied as one op batch,
/// not yet styled or laid out (call [`Stage::update`]).
pub fn stage_with_tree(page: &ListPage) -> Stage {
    let (package, _diags) = Package::from_files(page.package_files());
    let mut stage = Stage::new(package, viewport());
    stage.handle(ToRender::PushPage {
        page: PAGE,
        route: PAGE_ROUTE.into(),
    });
    let group = template_group(page);
    let (_instance, ops, _data) = instantiate(page, &group);
    stage.handle(ToRender::Ops(OpBatch { page: PAGE, ops }));
    stage
}

/// [`stage_with_tree`], styled and laid out once.
pub fn laid_out_stage(page: &ListPage) -> Stage {
    let mut stage = stage_with_tree(page);
    stage.update();
    stage
}

/// The page's style sheets (empty `app.wxss` + the page sheet), from source.
pub fn page_sheets(page: &ListPage) -> StyleSheets {
    let wxss = page.wxss();
    let page_sheet = format!("{PAGE_ROUTE}.wxss");
    let read = |path: &str| -> Option<String> {
        if path == page_sheet {
            Some(wxss.clone())
        } else if path == "app.wxss" {
            Some(String::new())
        } else {
            None
        }
    };
    StyleSheets::load(PAGE_ROUTE, &read, StyleOptions::default()).0
}

/// A minimal arena element tree implementing [`StyleElement`], for timing
/// selector matching and the cascade without the engine's tree around it.
/// Holds elements only (text nodes are not style elements).
#[derive(Debug, Default)]
pub struct ElementTree {
    pub nodes: Vec<ElementData>,
}

/// One element of an [`ElementTree`].
#[derive(Debug, Default)]
pub struct ElementData {
    pub tag: String,
    pub classes: Vec<String>,
    pub attributes: HashMap<String, String>,
    pub parent: Option<usize>,
    pub children: Vec<usize>,
    /// Position among the parent's children.
    pub index: usize,
}

/// A handle to one element of an [`ElementTree`] (cheap to copy).
#[derive(Clone, Copy, Debug)]
pub struct ElementRef<'a> {
    pub tree: &'a ElementTree,
    pub index: usize,
}

impl ElementTree {
    /// The elements of `page`'s tree, built from the template's ops
    /// (`CreateElement`, `SetAttribute`, `Insert`), in creation order:
    /// parents always come before their children.
    pub fn from_page(page: &ListPage) -> ElementTree {
        let group = template_group(page);
        let (_instance, ops, _data) = instantiate(page, &group);
        let mut tree = ElementTree::default();
        tree.nodes.push(ElementData {
            tag: "page".into(),
            ..Default::default()
        });
        let mut slot: HashMap<u32, usize> = HashMap::from([(0, 0)]);
        for op in ops {
            match op {
                Op::CreateElement { id, tag } => {
                    slot.insert(id.0, tree.nodes.len());
                    tree.nodes.push(ElementData {
                        tag: tag.to_string(),
                        ..Default::default()
                    });
                }
                Op::SetAttribute { id, name, value } => {
                    let Some(&at) = slot.get(&id.0) else { continue };
                    let text = match &value {
                        Value::String(s) => s.clone(),
                        other => other.to_string(),
                    };
                    let node = &mut tree.nodes[at];
                    if name.as_str() == "class" {
                        node.classes = text.split_whitespace().map(str::to_string).collect();
                    } else {
                        node.attributes.insert(name.to_string(), text);
                    }
                }
                Op::Insert { parent, child, .. } => {
                    let (Some(&p), Some(&c)) = (slot.get(&parent.0), slot.get(&child.0)) else {
                        continue;
                    };
                    tree.nodes[c].parent = Some(p);
                    tree.nodes[c].index = tree.nodes[p].children.len();
                    tree.nodes[p].children.push(c);
                }
                _ => {}
            }
        }
        tree
    }

    pub fn get(&self, index: usize) -> ElementRef<'_> {
        ElementRef { tree: self, index }
    }

    fn data(&self, index: usize) -> &ElementData {
        &self.nodes[index]
    }
}

impl<'a> StyleElement for ElementRef<'a> {
    fn tag_name(&self) -> &str {
        &self.tree.data(self.index).tag
    }
    fn id(&self) -> Option<&str> {
        self.attribute("id")
    }
    fn classes(&self) -> impl Iterator<Item = &str> + '_ {
        self.tree
            .data(self.index)
            .classes
            .iter()
            .map(String::as_str)
    }
    fn inline_style(&self) -> Option<&str> {
        self.attribute("style")
    }
    fn attribute(&self, name: &str) -> Option<&str> {
        self.tree
            .data(self.index)
            .attributes
            .get(name)
            .map(String::as_str)
    }
    fn parent_element(&self) -> Option<Self> {
        let parent = self.tree.data(self.index).parent?;
        Some(self.tree.get(parent))
    }
    fn previous_sibling_element(&self) -> Option<Self> {
        let data = self.tree.data(self.index);
        let parent = self.tree.data(data.parent?);
        let before = data.index.checked_sub(1)?;
        Some(self.tree.get(parent.children[before]))
    }
    fn next_sibling_element(&self) -> Option<Self> {
        let data = self.tree.data(self.index);
        let parent = self.tree.data(data.parent?);
        let after = *parent.children.get(data.index + 1)?;
        Some(self.tree.get(after))
    }
    fn has_child_nodes(&self) -> bool {
        !self.tree.data(self.index).children.is_empty()
    }
    fn element_index(&self) -> usize {
        self.tree.data(self.index).index
    }
}

/// The engine's render-side pipeline for one page without the [`Stage`]
/// around it: the same [`PageView`](cirrus_engine::page::PageView), style
/// pass and `cirrus_layout::compute_layout` call that `Stage::update` makes,
/// exposed step by step so style and layout can be timed apart.
pub struct EnginePage {
    pub package: std::sync::Arc<Package>,
    pub page: cirrus_engine::page::PageView,
    pub images: cirrus_engine::images::ImageStore,
    pub text: TextSystem,
}

impl EnginePage {
    /// The page with its whole tree applied (unstyled, not laid out).
    pub fn new(page: &ListPage) -> EnginePage {
        let (package, _diags) = Package::from_files(page.package_files());
        let (mut view, _diags) =
            cirrus_engine::page::PageView::new(&package, PAGE, PAGE_ROUTE, viewport(), false);
        let group = template_group(page);
        let (_instance, ops, _data) = instantiate(page, &group);
        for op in ops {
            // The generated page is valid: every op applies.
            let _ = view.tree.apply(op);
        }
        EnginePage {
            package,
            page: view,
            images: Default::default(),
            text: TextSystem::new(),
        }
    }

    /// The style pass over whatever is marked for restyle. Returns whether
    /// anything changed.
    pub fn style(&mut self) -> bool {
        let mut pass = cirrus_engine::style::pass::StylePass {
            package: &self.package,
            images: &mut self.images,
            viewport: viewport(),
            stats: Default::default(),
            // No transitions run in these benches: time stands still.
            now: std::time::Duration::ZERO,
        };
        pass.run(&mut self.page)
    }

    /// The layout pass over the dirty boxes.
    pub fn layout(&mut self) {
        cirrus_layout::tree::compute_layout(
            &mut self.page.tree,
            taffy::NodeId::from(0u64),
            viewport(),
            &mut self.text,
        );
    }

    /// The `n`th element with tag `tag` in document order.
    pub fn nth_element(&self, tag: &str, n: usize) -> Option<cirrus_engine::ops::NodeId> {
        let tree = &self.page.tree;
        tree.descendants(cirrus_engine::ops::NodeId::ROOT)
            .into_iter()
            .filter(|id| tree.get(*id).and_then(|node| node.tag()) == Some(tag))
            .nth(n)
    }

    /// Clears every box's layout cache, so the next [`Self::layout`] is a
    /// full layout.
    pub fn mark_all_layout_dirty(&mut self) {
        let root = cirrus_engine::ops::NodeId::ROOT;
        // `descendants` includes `root` itself.
        for id in self.page.tree.descendants(root) {
            if let Some(node) = self.page.tree.get_mut(id) {
                node.layout.mark_dirty();
            }
        }
    }
}

/// The engine's laid-out tree copied into a bare `taffy::TaffyTree`: the same
/// `taffy::Style` per box (the engine's `to_taffy` output) and the same
/// paragraphs as measure contexts, so that laying it out with
/// [`layout_bare_taffy`] does exactly the engine's layout work minus the
/// engine (its tree host, dirty tracking and style-to-layout plumbing).
pub struct BareTaffy {
    pub tree: taffy::TaffyTree<Option<Paragraph>>,
    pub root: taffy::NodeId,
    /// Engine layout node -> the copy's node.
    pub copies: HashMap<taffy::NodeId, taffy::NodeId>,
}

/// Copies the top page of a laid-out `stage` into a [`BareTaffy`].
pub fn bare_taffy_from(stage: &Stage) -> BareTaffy {
    match stage.top_page() {
        Some(page) => bare_taffy_from_tree(&page.tree),
        None => {
            let mut tree = taffy::TaffyTree::new();
            let root = tree
                .new_leaf(taffy::Style::default())
                .unwrap_or_else(|_| unreachable!("TaffyTree::new_leaf never fails"));
            BareTaffy {
                tree,
                root,
                copies: HashMap::new(),
            }
        }
    }
}

/// Copies a styled (and laid-out, so paragraphs are built) engine tree into
/// a [`BareTaffy`].
pub fn bare_taffy_from_tree(host: &cirrus_engine::tree::PageTree) -> BareTaffy {
    fn copy(
        host: &cirrus_engine::tree::PageTree,
        node: taffy::NodeId,
        out: &mut taffy::TaffyTree<Option<Paragraph>>,
        copies: &mut HashMap<taffy::NodeId, taffy::NodeId>,
    ) -> taffy::NodeId {
        let layout_box = host.layout_box(node);
        let copied = if let Some(paragraph) = &layout_box.paragraph {
            // A paragraph box is a leaf (see cirrus_layout::tree's contract).
            out.new_leaf_with_context(layout_box.style.clone(), Some(paragraph.clone()))
                .unwrap_or_else(|_| unreachable!("TaffyTree::new_leaf never fails"))
        } else {
            let children: Vec<taffy::NodeId> = host
                .layout_children(node)
                .to_vec()
                .into_iter()
                .map(|child| copy(host, child, out, copies))
                .collect();
            out.new_with_children(layout_box.style.clone(), &children)
                .unwrap_or_else(|_| unreachable!("TaffyTree::new_with_children never fails"))
        };
        copies.insert(node, copied);
        copied
    }
    let mut tree = taffy::TaffyTree::new();
    let mut copies = HashMap::new();
    let root = copy(host, taffy::NodeId::from(0u64), &mut tree, &mut copies);
    BareTaffy { tree, root, copies }
}

impl BareTaffy {
    /// Clears every node's cache so the next layout is a full layout (the
    /// same work as [`EnginePage::mark_all_layout_dirty`]).
    pub fn mark_all_dirty(&mut self) {
        let mut stack = vec![self.root];
        while let Some(node) = stack.pop() {
            let _ = self.tree.mark_dirty(node);
            if let Ok(children) = self.tree.children(node) {
                stack.extend(children);
            }
        }
    }
}

/// Lays out a [`BareTaffy`] in the fixture viewport's width, measuring text
/// with `text` (the same [`TextSystem::measure`] the engine calls).
pub fn layout_bare_taffy(bare: &mut BareTaffy, text: &mut TextSystem) {
    let vp = viewport();
    let available = taffy::Size {
        width: taffy::AvailableSpace::Definite(vp.width.0),
        height: taffy::AvailableSpace::MaxContent,
    };
    let _ = bare.tree.compute_layout_with_measure(
        bare.root,
        available,
        |known, available, _node, context, _style| match context {
            Some(Some(paragraph)) => text.measure(paragraph, known, available),
            _ => taffy::Size::ZERO,
        },
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gen::{paragraphs, wxss_sheet};

    /// Builds every benchmark input once, small, so `cargo test` catches a
    /// generator or fixture that stopped working.
    #[test]
    fn every_fixture_builds() {
        let page = ListPage::with_nodes(100);
        assert_eq!(page.items, 11);

        let group = template_group(&page);
        let (_instance, ops, _data) = instantiate(&page, &group);
        let creates = ops
            .iter()
            .filter(|op| matches!(op, Op::CreateElement { .. }))
            .count();
        assert_eq!(creates, 1 + page.items * crate::gen::ELEMENTS_PER_ITEM);

        let elements = ElementTree::from_page(&page);
        assert_eq!(
            elements.nodes.len(),
            2 + page.items * crate::gen::ELEMENTS_PER_ITEM
        );
        let sheets = page_sheets(&page);
        assert_eq!(sheets.rule_count(), 200);

        let (binary, diags) = cirrus_style::compile_binary("a.wxss", &wxss_sheet(50));
        assert!(diags.is_empty(), "{diags:?}");
        assert!(!binary.is_empty());

        let mut stage = laid_out_stage(&page);
        let mut list = cirrus_engine::render::DisplayList::new();
        stage.paint(&mut list);
        assert!(list.len() > page.items, "painted {} items", list.len());

        let mut bare = bare_taffy_from(&stage);
        layout_bare_taffy(&mut bare, stage.text_system());
        let root = bare.tree.layout(bare.root).map(|l| l.size.width);
        assert_eq!(root.ok(), Some(375.0));

        // The engine's own layout and bare taffy agree on the page height.
        let mut engine = EnginePage::new(&page);
        assert!(engine.style());
        engine.layout();
        let engine_height = engine.page.tree.root().layout.layout().size.height;
        let mut bare = bare_taffy_from_tree(&engine.page.tree);
        layout_bare_taffy(&mut bare, &mut engine.text);
        let bare_height = bare
            .tree
            .layout(bare.root)
            .map(|l| l.size.height)
            .unwrap_or(0.0);
        assert!(
            (engine_height - bare_height).abs() < 0.5,
            "engine {engine_height} vs bare taffy {bare_height}"
        );

        assert_eq!(paragraphs(3).len(), 3);
    }
}
