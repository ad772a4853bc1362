//! Selector matching and cascade order.

mod common;

use cirrus_layout::style::{Color, Dimension};
use common::{sheets, Tree};

fn rgb(r: u8, g: u8, b: u8) -> Color {
    Color::rgba8(r, g, b, 1.0)
}
const RED: (u8, u8, u8) = (255, 0, 0);
const GREEN: (u8, u8, u8) = (0, 128, 0);
const BLUE: (u8, u8, u8) = (0, 0, 255);
fn c(t: (u8, u8, u8)) -> Color {
    rgb(t.0, t.1, t.2)
}

#[test]
fn tag_class_id_and_group() {
    let s = sheets(
        "view { color: red } .a { color: green } #x { color: blue } text, .g { width: 10px }",
    );
    let mut t = Tree::new();
    let root = t.add(None, "page");
    let v = t.add(Some(root), "view");
    let a = t.add(Some(root), "view.a");
    let x = t.add(Some(root), "view#x.a");
    let txt = t.add(Some(root), "text");
    let g = t.add(Some(root), "image.g");
    let other = t.add(Some(root), "image");
    let out = t.compute_all(&s);
    assert_eq!(out[v].color, c(RED));
    assert_eq!(out[a].color, c(GREEN), "class beats tag");
    assert_eq!(out[x].color, c(BLUE), "id beats class");
    assert_eq!(out[txt].width, Dimension::Px(10.0));
    assert_eq!(out[g].width, Dimension::Px(10.0));
    assert_eq!(out[other].width, Dimension::Auto);
}

#[test]
fn child_and_descendant_combinators() {
    let s = sheets(".p > .c { width: 1px } .p .d { height: 2px }");
    let mut t = Tree::new();
    let p = t.add(None, "view.p");
    let c1 = t.add(Some(p), "view.c.d");
    let mid = t.add(Some(p), "view");
    let c2 = t.add(Some(mid), "view.c.d");
    let out = t.compute_all(&s);
    assert_eq!(out[c1].width, Dimension::Px(1.0));
    assert_eq!(out[c2].width, Dimension::Auto, "grandchild is not a child");
    assert_eq!(out[c1].height, Dimension::Px(2.0));
    assert_eq!(
        out[c2].height,
        Dimension::Px(2.0),
        "descendant at any depth"
    );
}

#[test]
fn sibling_combinators() {
    let s = sheets(".a + .b { width: 1px } .a ~ .c { height: 2px }");
    let mut t = Tree::new();
    let root = t.add(None, "view");
    let _a = t.add(Some(root), "view.a");
    let b1 = t.add(Some(root), "view.b");
    let b2 = t.add(Some(root), "view.b");
    let c1 = t.add(Some(root), "view.c");
    let lone = t.add(None, "view.c");
    let out = t.compute_all(&s);
    assert_eq!(out[b1].width, Dimension::Px(1.0));
    assert_eq!(
        out[b2].width,
        Dimension::Auto,
        "+ needs the immediate previous sibling"
    );
    assert_eq!(out[c1].height, Dimension::Px(2.0));
    assert_eq!(out[lone].height, Dimension::Auto);
}

#[test]
fn structural_pseudo_classes() {
    let s = sheets(
        ".i:first-child { width: 1px } .i:last-child { height: 2px } .i:nth-child(2n+1) { order: 7 } \
         .i:not(.skip) { flex-grow: 3 } .o:only-child { width: 9px } .e:empty { height: 5px }",
    );
    let mut t = Tree::new();
    let root = t.add(None, "view");
    let items: Vec<usize> = (0..4).map(|_| t.add(Some(root), "view.i")).collect();
    let skip = t.add(Some(root), "view.i.skip");
    let holder = t.add(None, "view");
    let only = t.add(Some(holder), "view.o");
    let empty = t.add(None, "view.e");
    let with_text = t.add(None, "view.e");
    t.add_text(with_text);
    let out = t.compute_all(&s);
    assert_eq!(out[items[0]].width, Dimension::Px(1.0));
    assert_eq!(out[items[1]].width, Dimension::Auto);
    assert_eq!(out[skip].height, Dimension::Px(2.0), "last child");
    assert_eq!(out[items[3]].height, Dimension::Auto);
    assert_eq!(out[items[0]].order, 7, "1st is odd");
    assert_eq!(out[items[1]].order, 0);
    assert_eq!(out[items[2]].order, 7, "3rd is odd");
    assert_eq!(out[skip].order, 7, "5th is odd");
    assert_eq!(out[items[0]].flex_grow, 3.0);
    assert_eq!(out[skip].flex_grow, 0.0, ":not(.skip)");
    assert_eq!(out[only].width, Dimension::Px(9.0));
    assert_eq!(out[empty].height, Dimension::Px(5.0));
    assert_eq!(
        out[with_text].height,
        Dimension::Auto,
        "text makes it non-empty"
    );
}

#[test]
fn specificity_source_order_and_important() {
    let s = sheets(
        ".a { color: red } view { color: blue } .a { width: 1px } .a { width: 2px } \
         view { height: 3px !important } #x.a { height: 4px }",
    );
    let mut t = Tree::new();
    let n = t.add(None, "view#x.a");
    let out = t.compute_all(&s);
    assert_eq!(out[n].color, c(RED), "specificity beats source order");
    assert_eq!(
        out[n].width,
        Dimension::Px(2.0),
        "later wins at equal specificity"
    );
    assert_eq!(
        out[n].height,
        Dimension::Px(3.0),
        "!important beats specificity"
    );
}

#[test]
fn inline_style_beats_rules_but_not_important() {
    let s = sheets("#x { width: 1px; height: 1px !important }");
    let mut t = Tree::new();
    let n = t.add(None, "view#x");
    t.set_style(n, "width: 20px; height: 20px; color: green");
    let out = t.compute_all(&s);
    assert_eq!(out[n].width, Dimension::Px(20.0));
    assert_eq!(out[n].height, Dimension::Px(1.0));
    assert_eq!(out[n].color, c(GREEN));
    let mut t2 = Tree::new();
    let m = t2.add(None, "view#x");
    t2.set_style(m, "height: 30px !important");
    assert_eq!(
        t2.compute_all(&s)[m].height,
        Dimension::Px(30.0),
        "inline !important wins"
    );
}

#[test]
fn pseudo_elements_with_content() {
    let s = sheets(".q::before { content: \"«\"; color: red } .q::after { content: '»' } .n::before { color: red }");
    let mut t = Tree::new();
    let q = t.add(None, "view.q");
    let n = t.add(None, "view.n");
    let out = t.compute_all(&s);
    let (before, text) = s
        .compute_pseudo(&t.el(q), &out[q], cirrus_style::Pseudo::Before)
        .expect("::before");
    assert_eq!(text, "«");
    assert_eq!(before.color, c(RED));
    assert_eq!(before.display, cirrus_layout::style::Display::Inline);
    let (_, after) = s
        .compute_pseudo(&t.el(q), &out[q], cirrus_style::Pseudo::After)
        .expect("::after");
    assert_eq!(after, "»");
    assert!(
        s.compute_pseudo(&t.el(n), &out[n], cirrus_style::Pseudo::Before)
            .is_none(),
        "no content, no box"
    );
    assert_eq!(
        out[q].color,
        Color::BLACK,
        "pseudo rules do not apply to the element"
    );
}

#[test]
fn attribute_selectors_match() {
    let s = sheets("[data-k=\"v\"] { width: 4px } view[hidden] { height: 1px }");
    let mut t = Tree::new();
    let a = t.add(None, "view");
    t.set_attribute(a, "data-k", "v");
    t.set_attribute(a, "hidden", "");
    let b = t.add(None, "view");
    let out = t.compute_all(&s);
    assert_eq!(out[a].width, Dimension::Px(4.0));
    assert_eq!(out[a].height, Dimension::Px(1.0));
    assert_eq!(out[b].width, Dimension::Auto);
}

#[test]
fn universal_selector() {
    let s = sheets("* { order: 2 } .p > * { order: 3 }");
    let mut t = Tree::new();
    let p = t.add(None, "view.p");
    let c = t.add(Some(p), "text");
    let out = t.compute_all(&s);
    assert_eq!(out[p].order, 2);
    assert_eq!(out[c].order, 3);
}

#[test]
fn unused_color_constant_guard() {
    // Keeps the palette honest: blue is what `blue` parses to.
    let s = sheets("view { color: blue }");
    let mut t = Tree::new();
    let n = t.add(None, "view");
    assert_eq!(t.compute_all(&s)[n].color, c(BLUE));
}

#[test]
fn active_pseudo_class_keeps_its_rule_and_never_matches() {
    let s = sheets(".btn, .btn:active { width: 5px } .btn:active { height: 9px }");
    let mut t = Tree::new();
    let b = t.add(None, "view.btn");
    let out = t.compute_all(&s);
    assert_eq!(
        out[b].width,
        Dimension::Px(5.0),
        "the rest of the selector list still applies"
    );
    assert_eq!(out[b].height, Dimension::Auto);
}

/// `SelectorList`: the same parser and matcher, for selectors a mini
/// program writes to queries (`SelectorQuery`, `selectComponent`...).
#[test]
fn selector_lists_of_queries_match_as_sheets_do() {
    use cirrus_style::SelectorList;
    let mut t = Tree::new();
    let root = t.add(None, "page");
    let list = t.add(Some(root), "view.list");
    let first = t.add(Some(list), "view.row");
    let second = t.add(Some(list), "view#chosen.row.second");
    t.set_attribute(second, "data-kind", "b");
    let third = t.add(Some(list), "view.row");
    let header = t.add(Some(root), "view.header");
    let matching = |selector: &str| -> Vec<usize> {
        let list = SelectorList::parse(selector);
        (0..t.len()).filter(|&i| list.matches(&t.el(i))).collect()
    };
    // What SelectorQuery documents.
    assert_eq!(matching("#chosen"), vec![second]);
    assert_eq!(matching(".row.second"), vec![second]);
    assert_eq!(matching(".list .row"), vec![first, second, third]);
    assert_eq!(matching(".list>.row"), vec![first, second, third]);
    assert_eq!(matching(".header .row"), Vec::<usize>::new());
    assert_eq!(matching(" .second , .header "), vec![second, header]);
    assert_eq!(matching("*").len(), t.len());
    // What WXSS adds.
    assert_eq!(matching(".row:first-child"), vec![first]);
    assert_eq!(matching(".row + .row"), vec![second, third]);
    assert_eq!(matching(".row:not(.second)"), vec![first, third]);
    assert_eq!(matching("[data-kind=b]"), vec![second]);
    // Hand-written text: incomplete items match nothing, the rest does.
    assert!(matching("").is_empty());
    assert!(matching(".list >").is_empty());
    assert_eq!(matching(".list >, .header"), vec![header]);
    assert!(matching(".row:not()").is_empty());
    assert!(matching(".row:not(*)").is_empty(), "not :active here");
    assert!(
        matching(".row::before").is_empty(),
        "no element is a pseudo-element"
    );
    assert!(matching(".row:hover").is_empty());
}
