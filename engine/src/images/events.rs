//! `<image>` `load` and `error` events (<https://developers.weixin.qq.com/miniprogram/dev/component/>): once per node and
//! source, when its picture is decoded (`detail: {width, height}`, the
//! natural size) or has failed (`detail: {errMsg}`), for package, data and
//! network images alike. Only `<image>` elements get them.

use super::{ImageStatus, ImageStore};
use crate::document::tree::PageTree;
use crate::ops::{NodeId, PageId};
use crate::protocol::ToLogic;
use cirrus_protocol::{EventDetail, UiEvent};
use std::collections::HashMap;

/// Which `src` each `<image>` node was last told about.
#[derive(Debug, Default)]
pub struct ImageEventLog {
    told: HashMap<(PageId, NodeId), String>,
}

impl ImageEventLog {
    /// Appends to `out` the events of `page`'s `<image>` nodes whose
    /// source loaded or failed since they were last told.
    pub fn collect(
        &mut self,
        page: PageId,
        tree: &PageTree,
        wxml: &str,
        store: &ImageStore,
        out: &mut Vec<ToLogic>,
    ) {
        for id in tree.descendants(NodeId::ROOT) {
            let Some(node) = tree.get(id) else { continue };
            if node.tag() != Some("image") {
                continue;
            }
            let Some(src) = node.attrs.get_str("src").filter(|s| !s.trim().is_empty()) else {
                continue;
            };
            if self.told.get(&(page, id)).is_some_and(|told| told == src) {
                continue;
            }
            let (name, detail) = match store.status(wxml, src) {
                ImageStatus::Loaded { width, height } => {
                    ("load", EventDetail::ImageLoad { width, height })
                }
                ImageStatus::Failed(message) => ("error", EventDetail::ImageError { message }),
                ImageStatus::Unrequested | ImageStatus::Pending => continue,
            };
            self.told.insert((page, id), src.to_owned());
            out.push(ToLogic::Event(UiEvent::new(page, id, name, detail)));
        }
    }

    /// Forgets closed pages.
    pub fn forget_pages(&mut self, pages: &[PageId]) {
        self.told.retain(|(page, _), _| !pages.contains(page));
    }
}

/// Marks the `<image>` nodes showing one of `sources` (keys of
/// [`super::ImageSource::key`]) for restyling: their intrinsic size
/// (`widthFix`, `heightFix`) may follow from the picture that arrived.
pub fn mark_images_using(tree: &mut PageTree, wxml: &str, sources: &[String]) {
    if sources.is_empty() {
        return;
    }
    let users: Vec<NodeId> = tree
        .descendants(NodeId::ROOT)
        .into_iter()
        .filter(|&id| {
            tree.get(id).is_some_and(|node| {
                node.tag() == Some("image")
                    && node
                        .attrs
                        .get_str("src")
                        .and_then(|src| super::ImageSource::parse(wxml, src))
                        .is_some_and(|source| sources.iter().any(|s| s == source.key()))
            })
        })
        .collect();
    for id in users {
        if let Some(node) = tree.get_mut(id) {
            node.restyle_self = true;
        }
        tree.mark_visit(id);
        tree.changed = true;
    }
}
