//! The flat CSS the evaluator produces, and printing it the way lessc
//! does (two-space indents, one declaration per line, no blank lines).

#[derive(Debug, Clone)]
pub enum Item {
    Declaration(String, String),
    Comment(String),
}

#[derive(Debug, Clone)]
pub enum CssNode {
    Rule {
        selectors: Vec<String>,
        items: Vec<Item>,
    },
    /// An at-rule with a block; `media` holds the query of `@media` blocks
    /// so nested ones can be joined with `and` when hoisted.
    Block {
        prelude: String,
        media: Option<String>,
        items: Vec<Item>,
        children: Vec<CssNode>,
    },
    Comment(String),
    Statement(String),
}

/// Hoists `@media` blocks nested in `@media` blocks next to their parent,
/// with the queries joined by `and`, as lessc does.
pub fn hoist_media(nodes: Vec<CssNode>) -> Vec<CssNode> {
    let mut out = Vec::new();
    for node in nodes {
        match node {
            CssNode::Block {
                prelude,
                media: Some(query),
                items,
                children,
            } => {
                let mut kept = Vec::new();
                let mut hoisted = Vec::new();
                for child in hoist_media(children) {
                    match child {
                        CssNode::Block {
                            media: Some(inner),
                            items,
                            children,
                            ..
                        } => {
                            let joined = format!("{query} and {inner}");
                            hoisted.push(CssNode::Block {
                                prelude: format!("@media {joined}"),
                                media: Some(joined),
                                items,
                                children,
                            });
                        }
                        other => kept.push(other),
                    }
                }
                out.push(CssNode::Block {
                    prelude,
                    media: Some(query),
                    items,
                    children: kept,
                });
                out.extend(hoist_media(hoisted));
            }
            CssNode::Block {
                prelude,
                media: None,
                items,
                children,
            } => {
                out.push(CssNode::Block {
                    prelude,
                    media: None,
                    items,
                    children: hoist_media(children),
                });
            }
            other => out.push(other),
        }
    }
    out
}

pub fn print(nodes: &[CssNode]) -> String {
    let mut out = String::new();
    print_nodes(nodes, 0, &mut out);
    out
}

fn print_nodes(nodes: &[CssNode], depth: usize, out: &mut String) {
    let indent = "  ".repeat(depth);
    for node in nodes {
        match node {
            CssNode::Rule { selectors, items } => {
                if items.is_empty() || selectors.is_empty() {
                    continue;
                }
                let joined: Vec<String> =
                    selectors.iter().map(|s| format!("{indent}{s}")).collect();
                out.push_str(&joined.join(",\n"));
                out.push_str(" {\n");
                print_items(items, depth + 1, out);
                out.push_str(&indent);
                out.push_str("}\n");
            }
            CssNode::Block {
                prelude,
                items,
                children,
                ..
            } => {
                if items.is_empty() && children.is_empty() {
                    continue;
                }
                out.push_str(&format!("{indent}{prelude} {{\n"));
                print_items(items, depth + 1, out);
                print_nodes(children, depth + 1, out);
                out.push_str(&indent);
                out.push_str("}\n");
            }
            CssNode::Comment(text) => {
                out.push_str(&indent);
                out.push_str(text);
                out.push('\n');
            }
            CssNode::Statement(text) => {
                out.push_str(&indent);
                out.push_str(text);
                out.push('\n');
            }
        }
    }
}

fn print_items(items: &[Item], depth: usize, out: &mut String) {
    let indent = "  ".repeat(depth);
    for item in items {
        match item {
            Item::Declaration(name, value) => out.push_str(&format!("{indent}{name}: {value};\n")),
            Item::Comment(text) => out.push_str(&format!("{indent}{text}\n")),
        }
    }
}
