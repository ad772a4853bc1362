//! Layout of small trees through a test [`LayoutHost`]. Expected boxes are
//! what CSS (and Chromium) give for the same styles with Skyline's defaults
//! (flex column, border-box).

use super::*;
use crate::style::{
    Align, ComputedStyle, Dimension, Display, FlexDirection, FlexWrap, LengthPercentage, Overflow,
    Position, Sides,
};
use crate::taffy_style::{sort_by_order, to_taffy};
use crate::text::Paragraph;

#[derive(Default)]
struct TestTree {
    boxes: Vec<LayoutBox>,
    children: Vec<Vec<NodeId>>,
    parents: Vec<Option<NodeId>>,
}

impl TestTree {
    fn add(&mut self, parent: Option<NodeId>, style: ComputedStyle) -> NodeId {
        let id = NodeId::from(self.boxes.len());
        self.boxes.push(LayoutBox::new(to_taffy(&style)));
        self.children.push(Vec::new());
        self.parents.push(parent);
        if let Some(parent) = parent {
            self.children[usize::from(parent)].push(id);
        }
        id
    }

    fn add_text(&mut self, parent: NodeId, text: &str) -> NodeId {
        let style = ComputedStyle {
            display: Display::Inline,
            font_family: vec!["sans-serif".into()],
            ..ComputedStyle::default()
        };
        let id = self.add(Some(parent), style.clone());
        self.boxes[usize::from(id)].paragraph = Some(Paragraph::plain(&style, text));
        id
    }

    /// The page root as the engine makes it: min-height = viewport height.
    fn root(&mut self, style: ComputedStyle) -> NodeId {
        self.add(
            None,
            ComputedStyle {
                min_height: Dimension::Px(667.0),
                ..style
            },
        )
    }

    fn layout(&mut self, root: NodeId, text: &mut TextSystem) {
        compute_layout(self, root, Viewport::new(375.0, 667.0, 2.0), text);
    }

    /// (x, y, width, height) relative to the parent's border box.
    fn rect(&self, node: NodeId) -> (f32, f32, f32, f32) {
        let layout = self.boxes[usize::from(node)].layout();
        (
            layout.location.x,
            layout.location.y,
            layout.size.width,
            layout.size.height,
        )
    }
}

impl LayoutHost for TestTree {
    fn layout_children(&self, node: NodeId) -> &[NodeId] {
        &self.children[usize::from(node)]
    }
    fn layout_box(&self, node: NodeId) -> &LayoutBox {
        &self.boxes[usize::from(node)]
    }
    fn layout_box_mut(&mut self, node: NodeId) -> &mut LayoutBox {
        &mut self.boxes[usize::from(node)]
    }
}

fn px(v: f32) -> Dimension {
    Dimension::Px(v)
}

fn sized(width: f32, height: f32) -> ComputedStyle {
    ComputedStyle {
        width: px(width),
        height: px(height),
        ..ComputedStyle::default()
    }
}

fn row() -> ComputedStyle {
    ComputedStyle {
        flex_direction: FlexDirection::Row,
        ..ComputedStyle::default()
    }
}

#[test]
fn root_fills_the_viewport_width_and_at_least_its_height() {
    let mut tree = TestTree::default();
    let mut text = TextSystem::new();
    let root = tree.root(ComputedStyle::default());
    let child = tree.add(
        Some(root),
        ComputedStyle {
            height: px(100.0),
            ..ComputedStyle::default()
        },
    );
    tree.layout(root, &mut text);
    assert_eq!(tree.rect(root), (0.0, 0.0, 375.0, 667.0));
    // Column flex: the child stretches across.
    assert_eq!(tree.rect(child), (0.0, 0.0, 375.0, 100.0));

    // Taller content grows the page past the viewport.
    let mut tree = TestTree::default();
    let root = tree.root(ComputedStyle::default());
    tree.add(
        Some(root),
        ComputedStyle {
            height: px(1000.0),
            flex_shrink: 0.0,
            ..ComputedStyle::default()
        },
    );
    tree.layout(root, &mut text);
    assert_eq!(tree.rect(root).3, 1000.0);
}

#[test]
fn flex_row_with_grow() {
    let mut tree = TestTree::default();
    let mut text = TextSystem::new();
    let root = tree.root(ComputedStyle::default());
    let bar = tree.add(
        Some(root),
        ComputedStyle {
            height: px(50.0),
            ..row()
        },
    );
    let a = tree.add(
        Some(bar),
        ComputedStyle {
            width: px(50.0),
            ..ComputedStyle::default()
        },
    );
    let b = tree.add(
        Some(bar),
        ComputedStyle {
            flex_grow: 1.0,
            ..ComputedStyle::default()
        },
    );
    let c = tree.add(
        Some(bar),
        ComputedStyle {
            width: px(75.0),
            ..ComputedStyle::default()
        },
    );
    tree.layout(root, &mut text);
    assert_eq!(tree.rect(a), (0.0, 0.0, 50.0, 50.0));
    assert_eq!(tree.rect(b), (50.0, 0.0, 250.0, 50.0));
    assert_eq!(tree.rect(c), (300.0, 0.0, 75.0, 50.0));
}

#[test]
fn padding_border_margin_and_content_box() {
    let mut tree = TestTree::default();
    let mut text = TextSystem::new();
    let root = tree.root(ComputedStyle::default());
    let outer = tree.add(
        Some(root),
        ComputedStyle {
            padding: Sides::all(LengthPercentage::Px(10.0)),
            border_width: Sides::all(2.0),
            margin: Sides::all(px(5.0)),
            ..ComputedStyle::default()
        },
    );
    let inner = tree.add(
        Some(outer),
        ComputedStyle {
            height: px(20.0),
            ..ComputedStyle::default()
        },
    );
    let content_box = tree.add(
        Some(root),
        ComputedStyle {
            box_sizing: crate::style::BoxSizing::ContentBox,
            width: px(100.0),
            height: px(10.0),
            padding: Sides::all(LengthPercentage::Px(5.0)),
            align_self: Some(Align::FlexStart),
            ..ComputedStyle::default()
        },
    );
    tree.layout(root, &mut text);
    assert_eq!(tree.rect(outer), (5.0, 5.0, 365.0, 44.0));
    assert_eq!(tree.rect(inner), (12.0, 12.0, 341.0, 20.0));
    assert_eq!(tree.rect(content_box), (0.0, 54.0, 110.0, 20.0));
}

#[test]
fn auto_margins_push_and_centre() {
    let mut tree = TestTree::default();
    let mut text = TextSystem::new();
    let root = tree.root(ComputedStyle::default());
    let bar = tree.add(
        Some(root),
        ComputedStyle {
            height: px(40.0),
            ..row()
        },
    );
    let pushed = tree.add(
        Some(bar),
        ComputedStyle {
            margin: Sides {
                left: Dimension::Auto,
                ..Sides::all(px(0.0))
            },
            ..sized(100.0, 20.0)
        },
    );
    let centred = tree.add(
        Some(root),
        ComputedStyle {
            margin: Sides::all(Dimension::Auto),
            ..sized(75.0, 20.0)
        },
    );
    tree.layout(root, &mut text);
    assert_eq!(tree.rect(pushed), (275.0, 0.0, 100.0, 20.0));
    // Column: auto margins share the free space (667 - 40 - 20) equally.
    assert_eq!(tree.rect(centred), (150.0, 40.0 + 303.5, 75.0, 20.0));
}

#[test]
fn absolute_insets_and_fixed() {
    let mut tree = TestTree::default();
    let mut text = TextSystem::new();
    let root = tree.root(ComputedStyle::default());
    let parent = tree.add(
        Some(root),
        ComputedStyle {
            margin: Sides::all(px(10.0)),
            ..sized(200.0, 200.0)
        },
    );
    let stretched = tree.add(
        Some(parent),
        ComputedStyle {
            position: Position::Absolute,
            inset: Sides {
                left: px(10.0),
                top: px(20.0),
                right: px(30.0),
                bottom: Dimension::Auto,
            },
            height: px(50.0),
            ..ComputedStyle::default()
        },
    );
    let from_bottom_right = tree.add(
        Some(parent),
        ComputedStyle {
            position: Position::Fixed,
            inset: Sides {
                right: px(0.0),
                bottom: Dimension::Percent(0.1),
                ..Sides::all(Dimension::Auto)
            },
            ..sized(40.0, 40.0)
        },
    );
    let in_flow = tree.add(
        Some(parent),
        ComputedStyle {
            height: px(30.0),
            ..ComputedStyle::default()
        },
    );
    tree.layout(root, &mut text);
    assert_eq!(tree.rect(stretched), (10.0, 20.0, 160.0, 50.0));
    assert_eq!(tree.rect(from_bottom_right), (160.0, 140.0, 40.0, 40.0));
    // Absolute boxes take no room in the flow.
    assert_eq!(tree.rect(in_flow), (0.0, 0.0, 200.0, 30.0));
}

#[test]
fn percentages_resolve_against_the_parent() {
    let mut tree = TestTree::default();
    let mut text = TextSystem::new();
    let root = tree.root(ComputedStyle::default());
    let parent = tree.add(
        Some(root),
        ComputedStyle {
            align_items: Some(Align::FlexStart),
            ..sized(300.0, 200.0)
        },
    );
    let child = tree.add(
        Some(parent),
        ComputedStyle {
            width: Dimension::Percent(0.5),
            height: Dimension::Percent(0.25),
            margin: Sides {
                top: Dimension::Percent(0.1),
                ..Sides::all(px(0.0))
            },
            padding: Sides::all(LengthPercentage::Percent(0.1)),
            ..ComputedStyle::default()
        },
    );
    let grandchild = tree.add(
        Some(child),
        ComputedStyle {
            height: px(1.0),
            flex_shrink: 0.0,
            ..ComputedStyle::default()
        },
    );
    tree.layout(root, &mut text);
    // Vertical margins and padding percentages refer to the width, as in CSS;
    // the 25% height (50) is less than the padding (2 x 30), which wins.
    assert_eq!(tree.rect(child), (0.0, 30.0, 150.0, 60.0));
    assert_eq!(tree.rect(grandchild), (30.0, 30.0, 90.0, 1.0));
}

#[test]
fn display_none_takes_no_space() {
    let mut tree = TestTree::default();
    let mut text = TextSystem::new();
    let root = tree.root(ComputedStyle::default());
    let hidden = tree.add(
        Some(root),
        ComputedStyle {
            display: Display::None,
            ..sized(100.0, 100.0)
        },
    );
    let hidden_child = tree.add(Some(hidden), sized(10.0, 10.0));
    let shown = tree.add(
        Some(root),
        ComputedStyle {
            height: px(10.0),
            ..ComputedStyle::default()
        },
    );
    tree.layout(root, &mut text);
    assert_eq!(tree.rect(hidden), (0.0, 0.0, 0.0, 0.0));
    assert_eq!(tree.rect(hidden_child), (0.0, 0.0, 0.0, 0.0));
    assert_eq!(tree.rect(shown), (0.0, 0.0, 375.0, 10.0));
}

#[test]
fn gaps_between_items_and_lines() {
    let mut tree = TestTree::default();
    let mut text = TextSystem::new();
    let root = tree.root(ComputedStyle::default());
    let grid = tree.add(
        Some(root),
        ComputedStyle {
            flex_wrap: FlexWrap::Wrap,
            column_gap: LengthPercentage::Px(10.0),
            row_gap: LengthPercentage::Px(5.0),
            align_content: Some(Align::FlexStart),
            ..row()
        },
    );
    let items: Vec<NodeId> = (0..3)
        .map(|_| tree.add(Some(grid), sized(150.0, 20.0)))
        .collect();
    tree.layout(root, &mut text);
    assert_eq!(tree.rect(items[0]), (0.0, 0.0, 150.0, 20.0));
    assert_eq!(tree.rect(items[1]), (160.0, 0.0, 150.0, 20.0));
    // 150 + 10 + 150 + 10 + 150 > 375: the third item wraps.
    assert_eq!(tree.rect(items[2]), (0.0, 25.0, 150.0, 20.0));
    assert_eq!(tree.rect(grid).3, 45.0);
}

#[test]
fn min_and_max_sizes_clamp() {
    let mut tree = TestTree::default();
    let mut text = TextSystem::new();
    let root = tree.root(ComputedStyle {
        align_items: Some(Align::FlexStart),
        ..ComputedStyle::default()
    });
    let capped = tree.add(
        Some(root),
        ComputedStyle {
            max_width: px(100.0),
            min_height: px(50.0),
            ..sized(200.0, 10.0)
        },
    );
    let floored = tree.add(
        Some(root),
        ComputedStyle {
            min_width: px(120.0),
            max_height: px(5.0),
            ..sized(10.0, 10.0)
        },
    );
    tree.layout(root, &mut text);
    assert_eq!(tree.rect(capped), (0.0, 0.0, 100.0, 50.0));
    assert_eq!(tree.rect(floored), (0.0, 50.0, 120.0, 5.0));
}

#[test]
fn overflow_hidden_items_may_shrink_below_their_content() {
    let mut tree = TestTree::default();
    let mut text = TextSystem::new();
    let root = tree.root(ComputedStyle::default());
    let column = tree.add(
        Some(root),
        ComputedStyle {
            height: px(100.0),
            ..ComputedStyle::default()
        },
    );
    let visible = tree.add(Some(column), ComputedStyle::default());
    tree.add(
        Some(visible),
        ComputedStyle {
            height: px(200.0),
            ..ComputedStyle::default()
        },
    );
    let column2 = tree.add(
        Some(root),
        ComputedStyle {
            height: px(100.0),
            ..ComputedStyle::default()
        },
    );
    let clipped = tree.add(
        Some(column2),
        ComputedStyle {
            overflow: Overflow::Hidden,
            ..ComputedStyle::default()
        },
    );
    tree.add(
        Some(clipped),
        ComputedStyle {
            height: px(200.0),
            ..ComputedStyle::default()
        },
    );
    tree.layout(root, &mut text);
    assert_eq!(tree.rect(visible).3, 200.0);
    assert_eq!(tree.rect(clipped).3, 100.0);
}

#[test]
fn order_helper_reorders_children_for_taffy() {
    let mut tree = TestTree::default();
    let mut text = TextSystem::new();
    let root = tree.root(ComputedStyle::default());
    let bar = tree.add(
        Some(root),
        ComputedStyle {
            height: px(10.0),
            ..row()
        },
    );
    let styles = [(2, 10.0), (-1, 20.0), (0, 30.0)];
    let ids: Vec<NodeId> = styles
        .iter()
        .map(|(order, width)| {
            tree.add(
                Some(bar),
                ComputedStyle {
                    order: *order,
                    width: px(*width),
                    ..ComputedStyle::default()
                },
            )
        })
        .collect();
    let mut keyed: Vec<(i32, NodeId)> = styles
        .iter()
        .map(|(order, _)| *order)
        .zip(ids.iter().copied())
        .collect();
    sort_by_order(&mut keyed);
    tree.children[usize::from(bar)] = keyed.into_iter().map(|(_, id)| id).collect();
    tree.layout(root, &mut text);
    assert_eq!(tree.rect(ids[1]).0, 0.0);
    assert_eq!(tree.rect(ids[2]).0, 20.0);
    assert_eq!(tree.rect(ids[0]).0, 50.0);
}

#[test]
fn block_layout_stacks_and_fills_width() {
    let mut tree = TestTree::default();
    let mut text = TextSystem::new();
    let root = tree.root(ComputedStyle::default());
    let block = tree.add(
        Some(root),
        ComputedStyle {
            display: Display::Block,
            padding: Sides::all(LengthPercentage::Px(4.0)),
            ..ComputedStyle::default()
        },
    );
    let first = tree.add(
        Some(block),
        ComputedStyle {
            display: Display::Block,
            height: px(20.0),
            ..ComputedStyle::default()
        },
    );
    let second = tree.add(
        Some(block),
        ComputedStyle {
            display: Display::Block,
            height: px(30.0),
            width: px(50.0),
            ..ComputedStyle::default()
        },
    );
    tree.layout(root, &mut text);
    assert_eq!(tree.rect(first), (4.0, 4.0, 367.0, 20.0));
    assert_eq!(tree.rect(second), (4.0, 24.0, 50.0, 30.0));
    assert_eq!(tree.rect(block).3, 58.0);
}

#[test]
fn text_leaves_are_measured_and_wrap_in_their_box() {
    let mut tree = TestTree::default();
    let mut text = TextSystem::new();
    let root = tree.root(ComputedStyle::default());
    let narrow = tree.add(
        Some(root),
        ComputedStyle {
            width: px(100.0),
            ..ComputedStyle::default()
        },
    );
    let paragraph = tree.add_text(narrow, "Hello world this is a long text that wraps");
    let bar = tree.add(Some(root), row());
    let label = tree.add_text(bar, "Hello world");
    tree.layout(root, &mut text);
    assert_eq!(tree.rect(paragraph), (0.0, 0.0, 100.0, 72.0));
    let (x, y, width, height) = tree.rect(label);
    assert_eq!((x, y, height), (0.0, 0.0, 18.0));
    assert!((width - 79.140625).abs() < 0.5, "{width}");
}

#[test]
fn dirty_relayout_measures_only_the_touched_subtree() {
    let mut tree = TestTree::default();
    let mut text = TextSystem::new();
    let root = tree.root(ComputedStyle::default());
    let left = tree.add(Some(root), sized(200.0, 100.0));
    let left_text = tree.add_text(left, "left side");
    let right = tree.add(Some(root), sized(200.0, 100.0));
    let right_text = tree.add_text(right, "right side");
    tree.layout(root, &mut text);
    assert!(text.measured_log.iter().any(|t| t == "right side"));

    // Nothing dirty: taffy's caches answer everything.
    text.measured_log.clear();
    let calls = text.stats().measure_calls;
    tree.layout(root, &mut text);
    assert_eq!(text.stats().measure_calls, calls);
    assert!(text.measured_log.is_empty());

    // Change the left text: only it is measured again.
    let style = ComputedStyle {
        display: Display::Inline,
        font_family: vec!["sans-serif".into()],
        ..ComputedStyle::default()
    };
    tree.boxes[usize::from(left_text)]
        .set_paragraph(Some(Paragraph::plain(&style, "left side, longer now")));
    let parents = tree.parents.clone();
    mark_dirty_upwards(&mut tree, left_text, |node| parents[usize::from(node)]);
    tree.layout(root, &mut text);
    assert!(!text.measured_log.is_empty());
    assert!(
        text.measured_log
            .iter()
            .all(|t| t == "left side, longer now"),
        "{:?}",
        text.measured_log
    );
    assert!(tree.rect(left_text).2 > 100.0);
    assert_eq!(tree.rect(right_text).1, 0.0);
    assert_eq!(tree.rect(right).1, 100.0);
}

#[test]
fn text_leaves_align_on_their_first_baselines() {
    let mut tree = TestTree::default();
    let mut text = TextSystem::new();
    let root = tree.root(ComputedStyle::default());
    let bar = tree.add(
        Some(root),
        ComputedStyle {
            align_items: Some(Align::Baseline),
            ..row()
        },
    );
    let text_leaf = |tree: &mut TestTree, font_size: f32, padding_top: f32| {
        let style = ComputedStyle {
            display: Display::Inline,
            font_size,
            font_family: vec!["DejaVu Sans".into()],
            padding: Sides {
                top: LengthPercentage::Px(padding_top),
                ..Sides::all(LengthPercentage::Px(0.0))
            },
            ..ComputedStyle::default()
        };
        let id = tree.add(Some(bar), style.clone());
        tree.boxes[usize::from(id)].paragraph = Some(Paragraph::plain(&style, "Ag"));
        id
    };
    let small = text_leaf(&mut tree, 16.0, 0.0);
    let big = text_leaf(&mut tree, 32.0, 4.0);
    tree.layout(root, &mut text);
    // DejaVu Sans: 16px ascent rounds to 15, 32px to 30; the big box has 4px padding.
    assert_eq!(tree.rect(big).1, 0.0);
    assert_eq!(tree.rect(small).1, 30.0 + 4.0 - 15.0);
}
