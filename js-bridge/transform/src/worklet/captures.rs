//! What one worklet captures: a trie of member paths per captured base
//! (a variable, `this`, or a `this.x.bind(this)` call), and the code built
//! from it: the `__closure` object literal run on the JS thread at
//! dispatch, and the variables the UI-thread factory declares from it.

use crate::text::{js_string, member};

/// A captured base: what its paths start from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum BaseKind {
    /// A variable; `read` is the expression that reads it where the
    /// closure runs (an imported binding reads its module's property, an
    /// undeclared global is read without a ReferenceError).
    Variable { read: String },
    /// The worklet's `this`.
    This,
    /// `this.<path>.bind(this)`: the bound function, made at dispatch.
    Bound { path: Vec<String> },
}

/// Paths below one base: a leaf captures the whole value there.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Node {
    Leaf,
    Branch(Vec<(String, Node)>),
}

impl Node {
    /// Adds `path`; a shorter path already captured covers a longer one,
    /// and a shorter one replaces the longer ones below it (the plugin's
    /// trie, order-independent).
    fn insert(&mut self, path: &[String]) {
        let Node::Branch(children) = self else {
            return;
        };
        let Some((first, rest)) = path.split_first() else {
            *self = Node::Leaf;
            return;
        };
        let index = match children.iter().position(|(name, _)| name == first) {
            Some(index) => index,
            None => {
                children.push((first.clone(), Node::Branch(Vec::new())));
                children.len() - 1
            }
        };
        children[index].1.insert(rest);
    }

    fn paths(&self, prefix: &str, out: &mut Vec<String>) {
        match self {
            Node::Leaf => out.push(prefix.to_owned()),
            Node::Branch(children) => {
                for (name, child) in children {
                    child.paths(&format!("{prefix}.{name}"), out);
                }
            }
        }
    }

    /// The expression for this node's value, given the expression `read`
    /// that reads it. Intermediate objects are rebuilt with only the
    /// captured properties; a null or undefined one is kept as it is, so
    /// that the worklet, not the dispatch, fails on it, as it would have.
    /// A leaf below a base is passed with its parent object, so that a
    /// worklet method read through an object stays bound to it.
    fn value(&self, read: &str, depth: usize) -> String {
        match self {
            Node::Leaf if depth == 0 => read.to_owned(),
            Node::Leaf => format!("_cirrus$member({read}, __v)"),
            Node::Branch(children) => {
                let properties: Vec<String> = children
                    .iter()
                    .map(|(name, child)| {
                        format!("{name}: {}", child.value(&member("__v", name), depth + 1))
                    })
                    .collect();
                format!(
                    "_cirrus$narrow({read}, function (__v) {{return {{{}}};}})",
                    properties.join(", ")
                )
            }
        }
    }
}

#[derive(Clone, Debug)]
struct Base {
    /// The capture object's key, and the name the UI-thread factory
    /// declares (`__cirrus$this` for `this`).
    key: String,
    kind: BaseKind,
    tree: Node,
}

/// Everything one worklet captures, bases in the order first met.
#[derive(Clone, Debug, Default)]
pub(super) struct Captures {
    bases: Vec<Base>,
}

/// The UI-thread name of the worklet's `this`.
pub(super) const THIS_VARIABLE: &str = "__cirrus$this";

/// The capture key of `this.<path>.bind(this)`.
pub(super) fn bound_key(path: &[String]) -> String {
    format!("$bind${}", path.join("$"))
}

impl Captures {
    pub fn add(&mut self, key: &str, kind: impl FnOnce() -> BaseKind, path: &[String]) {
        let index = match self.bases.iter().position(|base| base.key == key) {
            Some(index) => index,
            None => {
                self.bases.push(Base {
                    key: key.to_owned(),
                    kind: kind(),
                    tree: Node::Branch(Vec::new()),
                });
                self.bases.len() - 1
            }
        };
        self.bases[index].tree.insert(path);
    }

    pub fn add_this(&mut self, path: &[String]) {
        self.add("this", || BaseKind::This, path);
    }

    pub fn add_bound(&mut self, path: &[String]) {
        let key = bound_key(path);
        self.add(
            &key,
            || BaseKind::Bound {
                path: path.to_vec(),
            },
            &[],
        );
    }

    /// Whether the closure needs the worklet's `this`.
    pub fn uses_this(&self) -> bool {
        self.bases
            .iter()
            .any(|base| matches!(base.kind, BaseKind::This | BaseKind::Bound { .. }))
    }

    /// Every captured path, as written in the source (`a.b.c`,
    /// `this.data.x`, `this.show.bind(this)`), sorted.
    pub fn paths(&self) -> Vec<String> {
        let mut out = Vec::new();
        for base in &self.bases {
            match &base.kind {
                BaseKind::Bound { path } => out.push(format!("this.{}.bind(this)", path.join("."))),
                _ => base.tree.paths(&base.key, &mut out),
            }
        }
        out.sort();
        out
    }

    /// Whether `this` itself or `this.data` is captured whole: the runtime
    /// freezes what it captures, and a frozen `this.data` breaks setData.
    pub fn freezes_page_data(&self) -> Option<&'static str> {
        let this = self.bases.iter().find(|base| base.kind == BaseKind::This)?;
        match &this.tree {
            Node::Leaf => Some("this"),
            Node::Branch(children) => children
                .iter()
                .any(|(name, child)| name == "data" && *child == Node::Leaf)
                .then_some("this.data"),
        }
    }

    /// The capture object literal, reading `this` through `receiver`.
    pub fn object(&self, receiver: &str) -> String {
        let properties: Vec<String> = self
            .bases
            .iter()
            .map(|base| {
                let read = match &base.kind {
                    BaseKind::Variable { read } => read.clone(),
                    BaseKind::This => receiver.to_owned(),
                    BaseKind::Bound { path } => {
                        let target = path
                            .iter()
                            .fold(receiver.to_owned(), |object, name| member(&object, name));
                        format!("{target}.bind({receiver})")
                    }
                };
                format!("{}: {}", base.key, base.tree.value(&read, 0))
            })
            .collect();
        format!("{{{}}}", properties.join(", "))
    }

    /// `var a = C.a, ...;` for the UI-thread factory whose parameter is `C`
    /// (empty when nothing is captured).
    pub fn declarations(&self, closure: &str) -> String {
        if self.bases.is_empty() {
            return String::new();
        }
        let declarations: Vec<String> = self
            .bases
            .iter()
            .map(|base| {
                let name = match base.kind {
                    BaseKind::This => THIS_VARIABLE,
                    _ => base.key.as_str(),
                };
                format!("{name} = {closure}[{}]", js_string(&base.key))
            })
            .collect();
        format!("var {};", declarations.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(text: &str) -> Vec<String> {
        text.split('.')
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect()
    }

    #[test]
    fn shorter_paths_cover_longer_ones_in_any_order() {
        let variable = || BaseKind::Variable { read: "obj".into() };
        let mut first = Captures::default();
        first.add("obj", variable, &path("x.y"));
        first.add("obj", variable, &path("x"));
        first.add("obj", variable, &path("z"));
        let mut second = Captures::default();
        second.add("obj", variable, &path("x"));
        second.add("obj", variable, &path("x.y"));
        second.add("obj", variable, &path("z"));
        assert_eq!(first.paths(), vec!["obj.x", "obj.z"]);
        assert_eq!(second.paths(), first.paths());
    }

    #[test]
    fn the_object_rebuilds_only_captured_properties() {
        let mut captures = Captures::default();
        captures.add(
            "obj",
            || BaseKind::Variable { read: "obj".into() },
            &path("x.y"),
        );
        captures.add_this(&path("data"));
        captures.add_bound(&path("show"));
        assert_eq!(
            captures.object("r"),
            "{obj: _cirrus$narrow(obj, function (__v) {return {x: _cirrus$narrow(__v.x, function (__v) {return {y: _cirrus$member(__v.y, __v)};})};}), \
             this: _cirrus$narrow(r, function (__v) {return {data: _cirrus$member(__v.data, __v)};}), \
             $bind$show: r.show.bind(r)}"
        );
        assert_eq!(captures.freezes_page_data(), Some("this.data"));
        assert_eq!(
            captures.declarations("c"),
            "var obj = c[\"obj\"], __cirrus$this = c[\"this\"], $bind$show = c[\"$bind$show\"];"
        );
    }
}
