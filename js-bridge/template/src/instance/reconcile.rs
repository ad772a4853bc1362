//! `wx:for` reconciliation: turning a list's new items into the fewest ops.
//!
//! Keyed lists match items by key. Matched items keep their nodes; those
//! outside the longest run already in order (a longest increasing
//! subsequence of old positions) are moved with `Insert` of their existing
//! ids; unmatched old items are removed and new ones built. Unkeyed lists
//! reuse items by position. An item whose data path or index changed has its
//! content re-evaluated, which emits ops only for values that differ.

use super::build::Place;
use super::{Cx, InstId, InstKind, PageInstance};
use crate::eval::ListItem;
use crate::ir::KeySpec;
use std::collections::{HashMap, HashSet};

impl PageInstance {
    pub(super) fn reconcile(&mut self, cx: &Cx, for_inst: InstId, items: Vec<ListItem>) {
        let InstKind::For { ir } = &self.inst(for_inst).kind else {
            return;
        };
        let ir = ir.clone();
        let dom_parent = self.dom_parent(for_inst);
        let tail = self.dom_after(for_inst);
        let old = std::mem::take(&mut self.inst_mut(for_inst).children);
        let mut rescoped = Vec::new();
        let new_children = if ir.key == KeySpec::None {
            // Reuse by position.
            let kept = old.len().min(items.len());
            for &extra in &old[kept..] {
                self.remove_inst(extra);
            }
            let mut children = Vec::with_capacity(items.len());
            for (position, item) in items.into_iter().enumerate() {
                if position < kept {
                    let inst = old[position];
                    if self.rescope_item(inst, item) {
                        rescoped.push(inst);
                    }
                    children.push(inst);
                } else {
                    let place = Place {
                        dom_parent,
                        before: tail,
                    };
                    children.push(self.build_item(cx, &ir, for_inst, item, place));
                }
            }
            children
        } else {
            self.reconcile_keyed(cx, for_inst, old, items, dom_parent, tail, &mut rescoped)
        };
        self.inst_mut(for_inst).children = new_children;
        // Only now is the tree consistent enough for content updates that
        // look for their DOM neighbours.
        for inst in rescoped {
            self.refresh(cx.group, cx.data, inst);
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn reconcile_keyed(
        &mut self,
        cx: &Cx,
        for_inst: InstId,
        old: Vec<InstId>,
        items: Vec<ListItem>,
        dom_parent: cirrus_protocol::ops::NodeId,
        tail: Option<cirrus_protocol::ops::NodeId>,
        rescoped: &mut Vec<InstId>,
    ) -> Vec<InstId> {
        let ir = match &self.inst(for_inst).kind {
            InstKind::For { ir } => ir.clone(),
            _ => return Vec::new(),
        };
        // Old items by key; a repeated or missing key never matches.
        let mut by_key: HashMap<String, InstId> = HashMap::new();
        let mut old_position: HashMap<InstId, usize> = HashMap::new();
        let mut unmatched: HashSet<InstId> = HashSet::new();
        for (position, &inst) in old.iter().enumerate() {
            old_position.insert(inst, position);
            let key = match &self.inst(inst).kind {
                InstKind::Item { key, .. } => key.clone(),
                _ => None,
            };
            match key {
                Some(key) if !by_key.contains_key(&key) => {
                    by_key.insert(key, inst);
                }
                _ => {
                    unmatched.insert(inst);
                }
            }
        }
        let matched: Vec<Option<InstId>> = items
            .iter()
            .map(|item| item.key.as_ref().and_then(|key| by_key.remove(key)))
            .collect();
        unmatched.extend(by_key.into_values());
        for &inst in &old {
            if unmatched.contains(&inst) {
                self.remove_inst(inst);
            }
        }

        // Matched items already in relative order stay where they are.
        let sequence: Vec<(usize, usize)> = matched
            .iter()
            .enumerate()
            .filter_map(|(new_pos, inst)| inst.map(|i| (new_pos, old_position[&i])))
            .collect();
        let stay: HashSet<usize> =
            longest_increasing_run(&sequence.iter().map(|&(_, old)| old).collect::<Vec<_>>())
                .into_iter()
                .map(|k| sequence[k].0)
                .collect();

        let mut children = vec![usize::MAX; items.len()];
        let mut before = tail;
        for (position, item) in items.into_iter().enumerate().rev() {
            let inst = match matched[position] {
                Some(inst) => {
                    if !stay.contains(&position) {
                        let mut nodes = Vec::new();
                        self.top_dom_nodes(inst, &mut nodes);
                        for node in nodes {
                            self.push_insert(dom_parent, node, before);
                        }
                        self.report_moved_hosts(inst);
                    }
                    if self.rescope_item(inst, item) {
                        rescoped.push(inst);
                    }
                    inst
                }
                None => self.build_item(cx, &ir, for_inst, item, Place { dom_parent, before }),
            };
            if let Some(first) = self.first_dom_node(inst) {
                before = Some(first);
            }
            children[position] = inst;
        }
        children
    }

    /// Gives a kept item its new source and index; true when they changed
    /// (its content must be re-evaluated).
    fn rescope_item(&mut self, inst: InstId, item: ListItem) -> bool {
        let InstKind::Item { source, index, key } = &mut self.inst_mut(inst).kind else {
            return false;
        };
        let changed = *source != item.source || *index != item.index;
        *source = item.source;
        *index = item.index;
        *key = item.key;
        changed
    }
}

/// Indices (into `values`) of one longest strictly increasing subsequence.
fn longest_increasing_run(values: &[usize]) -> Vec<usize> {
    // Patience sorting: tails[k] = index of the smallest tail of a run of
    // length k + 1; previous[i] links runs back.
    let mut tails: Vec<usize> = Vec::new();
    let mut previous: Vec<Option<usize>> = vec![None; values.len()];
    for (i, &v) in values.iter().enumerate() {
        let k = tails.partition_point(|&t| values[t] < v);
        if k > 0 {
            previous[i] = Some(tails[k - 1]);
        }
        if k == tails.len() {
            tails.push(i);
        } else {
            tails[k] = i;
        }
    }
    let mut run = Vec::with_capacity(tails.len());
    let mut cur = tails.last().copied();
    while let Some(i) = cur {
        run.push(i);
        cur = previous[i];
    }
    run.reverse();
    run
}

#[cfg(test)]
mod tests {
    use super::longest_increasing_run;

    #[test]
    fn longest_run_finds_items_already_in_order() {
        assert_eq!(longest_increasing_run(&[0, 1, 2]), vec![0, 1, 2]);
        assert_eq!(longest_increasing_run(&[2, 1, 0]).len(), 1);
        // Moving item 0 to the end: [1, 2, 3, 0] keeps 1, 2, 3.
        assert_eq!(longest_increasing_run(&[1, 2, 3, 0]), vec![0, 1, 2]);
        assert!(longest_increasing_run(&[]).is_empty());
    }
}
