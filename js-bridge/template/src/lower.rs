//! Lowering of glass-easel's WXML AST into the IR ([`crate::ir`]).
//!
//! glass-easel has already nested `wx:if` chains and `wx:for` around their
//! elements, dropped whitespace-only text, inlined plain `<block>`s and
//! resolved `item`/`index` names to scope indices (counting `<wxs>` modules
//! first); this pass removes the WXS offset, turns attributes into the op
//! vocabulary (class/style/hidden/data-*/events) and resolves file paths.

use crate::diagnostic::TemplateDiagnostic;
use crate::events::EventKind;
use crate::ir::*;
use glass_easel_template_compiler::parse::expr::{ArrayFieldKind, Expression, ObjectFieldKind};
use glass_easel_template_compiler::parse::tag::{
    ClassAttribute, Element, ElementKind, Node, NormalAttributePrefix, StyleAttribute, Template,
    Value,
};
use glass_easel_template_compiler::parse::Position;
use std::collections::HashMap;
use std::sync::Arc;

fn pos(p: Position) -> Pos {
    (p.line + 1, p.utf16_col + 1)
}

/// The package path of a WXML file named by `src` in `from_file`.
pub(crate) fn resolve_wxml(from_file: &str, src: &str) -> String {
    let resolved = cirrus_package::package::resolve_relative(from_file, src);
    wxml_key(&resolved)
}

/// The key a WXML file is stored under: normalized, with `.wxml`.
pub(crate) fn wxml_key(path: &str) -> String {
    let normalized = cirrus_package::package::normalize(path);
    if normalized.ends_with(".wxml") {
        normalized
    } else {
        format!("{normalized}.wxml")
    }
}

struct Lowerer<'d> {
    file: Arc<str>,
    /// `<wxs>` modules occupy the first scope indices of every expression.
    script_count: usize,
    /// The file's `<wxs>` modules, by scope index.
    wxs_modules: Vec<Arc<crate::wxs_call::WxsModuleRef>>,
    diags: &'d mut Vec<TemplateDiagnostic>,
}

/// Lowers one parsed file.
pub(crate) fn lower_template(
    path: &str,
    template: &Template,
    diags: &mut Vec<TemplateDiagnostic>,
) -> CompiledFile {
    let file: Arc<str> = Arc::from(path);
    let script_count = template.globals.scripts.len();
    let wxs_modules = template
        .globals
        .scripts
        .iter()
        .map(|script| {
            use glass_easel_template_compiler::parse::tag::Script;
            let name = script.module_name().name.to_string();
            Arc::new(match script {
                Script::Inline {
                    content,
                    content_location,
                    ..
                } => crate::wxs_call::WxsModuleRef::new(
                    path,
                    &name,
                    None,
                    Some((content.clone(), content_location.start.line + 1)),
                ),
                Script::GlobalRef { src, .. } => {
                    crate::wxs_call::WxsModuleRef::new(path, &name, Some(src.name.as_str()), None)
                }
                // A future kind of <wxs>: an empty inline module.
                _ => {
                    crate::wxs_call::WxsModuleRef::new(path, &name, None, Some((String::new(), 1)))
                }
            })
        })
        .collect();
    let mut lowerer = Lowerer {
        file: file.clone(),
        script_count,
        wxs_modules,
        diags,
    };
    let content = lowerer.nodes(&template.content);
    let mut templates = HashMap::new();
    for def in &template.globals.sub_templates {
        let content = lowerer.nodes(&def.content);
        templates.insert(
            def.name.name.to_string(),
            Arc::new(TemplateDef {
                file: file.clone(),
                content,
            }),
        );
    }
    let file_ref = |src: &str, at: Position| FileRef {
        path: resolve_wxml(path, src),
        pos: pos(at),
    };
    let imports = template
        .globals
        .imports
        .iter()
        .map(|i| file_ref(&i.src.name, opening_quote(i.src.location.start)))
        .collect();
    let includes = template
        .globals
        .includes
        .iter()
        .map(|i| file_ref(&i.src.name, opening_quote(i.src.location.start)))
        .collect();
    CompiledFile {
        path: file,
        content: Arc::new(content),
        templates,
        imports,
        includes,
    }
}

impl Lowerer<'_> {
    fn nodes(&mut self, nodes: &[Node]) -> Vec<IrNode> {
        let mut out = Vec::with_capacity(nodes.len());
        for node in nodes {
            self.node(node, &mut out);
        }
        out
    }

    fn node(&mut self, node: &Node, out: &mut Vec<IrNode>) {
        match node {
            Node::Text(value) => out.push(IrNode::Text(self.value(value))),
            Node::Element(element) => self.element(element, out),
            // Comments and `<!meta>` tags render nothing.
            _ => {}
        }
    }

    fn element(&mut self, element: &Element, out: &mut Vec<IrNode>) {
        let at = pos(element.tag_location.start.0.start);
        match &element.kind {
            ElementKind::Normal {
                tag_name,
                attributes,
                class,
                style,
                children,
                common,
                generics,
                worklet_attributes,
                ..
            } => {
                let mut attrs = Vec::new();
                let mut events = Vec::new();
                if let Some((_, id)) = &common.id {
                    attrs.push(IrAttr {
                        name: "id".into(),
                        source: AttrSource::Value(self.value(id)),
                        role: AttrRole::Plain,
                    });
                }
                if let Some((_, slot)) = &common.slot {
                    attrs.push(IrAttr {
                        name: "slot".into(),
                        source: AttrSource::Value(self.value(slot)),
                        role: AttrRole::Plain,
                    });
                }
                match class {
                    ClassAttribute::String(_, v) => attrs.push(IrAttr {
                        name: "class".into(),
                        source: AttrSource::Value(self.value(v)),
                        role: AttrRole::Plain,
                    }),
                    ClassAttribute::Multiple(list) => {
                        let list = list
                            .iter()
                            .map(|(_, name, cond)| {
                                (name.name.to_string(), cond.as_ref().map(|c| self.value(c)))
                            })
                            .collect();
                        attrs.push(IrAttr {
                            name: "class".into(),
                            source: AttrSource::ClassList(list),
                            role: AttrRole::Plain,
                        });
                    }
                    _ => {}
                }
                match style {
                    StyleAttribute::String(_, v) => attrs.push(IrAttr {
                        name: "style".into(),
                        source: AttrSource::Value(self.value(v)),
                        role: AttrRole::Plain,
                    }),
                    StyleAttribute::Multiple(list) => {
                        let list = list
                            .iter()
                            .map(|(_, name, v)| (name.name.to_string(), self.value(v)))
                            .collect();
                        attrs.push(IrAttr {
                            name: "style".into(),
                            source: AttrSource::StyleList(list),
                            role: AttrRole::Plain,
                        });
                    }
                    _ => {}
                }
                for attr in attributes {
                    let name = attr.name.name.as_str();
                    let is_plain_prefix = matches!(attr.prefix, NormalAttributePrefix::None);
                    if is_plain_prefix {
                        if let Some((kind, event)) = EventKind::split_attribute(name) {
                            let handler = attr
                                .value
                                .as_ref()
                                .map_or(IrValue::Static(String::new()), |v| self.value(v));
                            events.push(IrEvent {
                                event: event.to_owned(),
                                kind,
                                handler,
                            });
                            continue;
                        }
                    }
                    let source = match &attr.value {
                        Some(v) => AttrSource::Value(self.value(v)),
                        None => AttrSource::Present,
                    };
                    let role = if name == "hidden" {
                        AttrRole::Hidden
                    } else {
                        AttrRole::Plain
                    };
                    attrs.push(IrAttr {
                        name: name.to_owned(),
                        source,
                        role,
                    });
                }
                for attr in &common.data {
                    let key = attr.name.name.to_string();
                    let source = match &attr.value {
                        Some(v) => AttrSource::Value(self.value(v)),
                        None => AttrSource::Present,
                    };
                    attrs.push(IrAttr {
                        name: format!("data-{}", camel_to_dash(&key)),
                        source,
                        role: AttrRole::Dataset(key),
                    });
                }
                for attr in &common.marks {
                    let key = attr.name.name.to_string();
                    let source = match &attr.value {
                        Some(v) => AttrSource::Value(self.value(v)),
                        None => AttrSource::Present,
                    };
                    attrs.push(IrAttr {
                        name: format!("mark:{key}"),
                        source,
                        role: AttrRole::Mark(key),
                    });
                }
                // `worklet:onscrollupdate="onScroll"`: a handler the render
                // thread runs in its UI context; the method name travels as
                // an attribute, and the logic thread sends the worklet
                // itself when it sees it (js/wx_worklet.js).
                for attr in worklet_attributes {
                    attrs.push(IrAttr {
                        name: format!("worklet:{}", attr.name.name),
                        source: AttrSource::Value(IrValue::Static(attr.value.name.to_string())),
                        role: AttrRole::Plain,
                    });
                }
                for binding in &common.event_bindings {
                    let handler = binding
                        .value
                        .as_ref()
                        .map_or(IrValue::Static(String::new()), |v| self.value(v));
                    events.push(IrEvent {
                        event: binding.name.name.to_string(),
                        kind: EventKind::from_flags(
                            binding.is_catch,
                            binding.is_mut,
                            binding.is_capture,
                        ),
                        handler,
                    });
                }
                let children = self.nodes(children);
                out.push(IrNode::Element(Arc::new(IrElement {
                    tag: tag_name.name.to_string(),
                    pos: at,
                    attrs,
                    events,
                    generics: generics
                        .iter()
                        .map(|g| (g.name.name.to_string(), g.value.name.to_string()))
                        .collect(),
                    children,
                })));
            }
            ElementKind::Pure { children, .. } => {
                // A `<block>` that kept `slot`/`let:` attributes still renders
                // only its children.
                for child in children {
                    self.node(child, out);
                }
            }
            ElementKind::For {
                list,
                key,
                children,
                ..
            } => {
                let key = match key.1.name.as_str().trim() {
                    "" => {
                        self.diags.push(TemplateDiagnostic::warning(
                            &self.file,
                            at,
                            "wx:for without wx:key: items are matched by position",
                        ));
                        KeySpec::None
                    }
                    "*this" => KeySpec::This,
                    name => {
                        // `wx:key="{{id}}"` is a common slip for `wx:key="id"`.
                        let bare = name.strip_prefix("{{").and_then(|n| n.strip_suffix("}}"));
                        match bare.map(str::trim) {
                            Some(inner) => {
                                self.diags.push(TemplateDiagnostic::warning(
                                    &self.file,
                                    at,
                                    format!(
                                        "wx:key takes a property name: read `{name}` as `{inner}`"
                                    ),
                                ));
                                KeySpec::Property(inner.to_owned())
                            }
                            None => KeySpec::Property(name.to_owned()),
                        }
                    }
                };
                let for_pos = pos(list.0.start);
                let list = self.value(&list.1);
                let children = self.nodes(children);
                out.push(IrNode::For(Arc::new(IrFor {
                    pos: for_pos,
                    list,
                    key,
                    children,
                })));
            }
            ElementKind::If {
                branches,
                else_branch,
                ..
            } => {
                let branches = branches
                    .iter()
                    .map(|(_, cond, children)| (self.value(cond), self.nodes(children)))
                    .collect();
                let else_branch = else_branch
                    .as_ref()
                    .map(|(_, children)| self.nodes(children));
                out.push(IrNode::If(Arc::new(IrIf {
                    branches,
                    else_branch,
                })));
            }
            ElementKind::TemplateRef { target, data, .. } => {
                let target = self.value(&target.1);
                let data = match self.value(&data.1) {
                    IrValue::Dynamic(expr) => Some(expr),
                    IrValue::Static(_) => None,
                };
                out.push(IrNode::TemplateRef(Arc::new(IrTemplateRef {
                    target,
                    data,
                    file: self.file.clone(),
                    pos: at,
                })));
            }
            ElementKind::Include { path, .. } => {
                out.push(IrNode::Include(Arc::new(IrInclude {
                    path: resolve_wxml(&self.file, &path.1.name),
                    pos: at,
                })));
            }
            ElementKind::Slot { name, common, .. } => {
                // A component template's `<slot>`: an element the light
                // children of its host are distributed into (the instance
                // registers it by `name`; `""` is the default slot).
                let mut attrs = Vec::new();
                match self.value(&name.1) {
                    IrValue::Static(text) if text.is_empty() => {}
                    value => attrs.push(IrAttr {
                        name: "name".into(),
                        source: AttrSource::Value(value),
                        role: AttrRole::Plain,
                    }),
                }
                if let Some((_, id)) = &common.id {
                    attrs.push(IrAttr {
                        name: "id".into(),
                        source: AttrSource::Value(self.value(id)),
                        role: AttrRole::Plain,
                    });
                }
                out.push(IrNode::Element(Arc::new(IrElement {
                    tag: "slot".into(),
                    pos: at,
                    attrs,
                    events: Vec::new(),
                    generics: Vec::new(),
                    children: Vec::new(),
                })));
            }
            _ => {}
        }
    }

    fn value(&mut self, value: &Value) -> IrValue {
        match value {
            Value::Static { value, .. } => IrValue::Static(value.to_string()),
            Value::Dynamic { expression, .. } => IrValue::Dynamic(Arc::new(self.expr(expression))),
            _ => IrValue::Static(String::new()),
        }
    }

    fn expr(&mut self, e: &Expression) -> Expr {
        use Expression as E;
        let bin = |this: &mut Self, op: BinaryOp, l: &Expression, r: &Expression| {
            Expr::Binary(op, Box::new(this.expr(l)), Box::new(this.expr(r)))
        };
        let un =
            |this: &mut Self, op: UnaryOp, v: &Expression| Expr::Unary(op, Box::new(this.expr(v)));
        match e {
            E::ScopeRef { index, .. } => {
                if *index < self.script_count {
                    match self.wxs_modules.get(*index) {
                        Some(module) => Expr::WxsModule(module.clone()),
                        None => Expr::Undefined,
                    }
                } else {
                    Expr::Scope(index - self.script_count)
                }
            }
            E::DataField { name, .. } => Expr::Data(name.to_string()),
            E::ToStringWithoutUndefined { value, .. } => Expr::Display(Box::new(self.expr(value))),
            E::LitUndefined { .. } => Expr::Undefined,
            E::LitNull { .. } => Expr::Null,
            E::LitStr { value, .. } => Expr::Str(value.to_string()),
            E::LitInt { value, .. } => Expr::Num(*value as f64),
            E::LitFloat { value, .. } => Expr::Num(*value),
            E::LitBool { value, .. } => Expr::Bool(*value),
            E::LitObj { fields, .. } => Expr::Object(
                fields
                    .iter()
                    .map(|f| match f {
                        ObjectFieldKind::Named { name, value, .. } => {
                            ObjectField::Named(name.to_string(), self.expr(value))
                        }
                        ObjectFieldKind::Spread { value, .. } => {
                            ObjectField::Spread(self.expr(value))
                        }
                    })
                    .collect(),
            ),
            E::LitArr { fields, .. } => Expr::Array(
                fields
                    .iter()
                    .map(|f| match f {
                        ArrayFieldKind::Normal { value } => ArrayField::Item(self.expr(value)),
                        ArrayFieldKind::Spread { value, .. } => {
                            ArrayField::Spread(self.expr(value))
                        }
                        ArrayFieldKind::EmptySlot => ArrayField::Hole,
                    })
                    .collect(),
            ),
            E::StaticMember {
                obj, field_name, ..
            } => Expr::Member(Box::new(self.expr(obj)), field_name.to_string()),
            E::DynamicMember {
                obj, field_name, ..
            } => Expr::Index(Box::new(self.expr(obj)), Box::new(self.expr(field_name))),
            E::FuncCall { func, args, .. } => {
                use glass_easel_template_compiler::parse::TemplateStructure;
                Expr::Call {
                    at: pos(func.location_start()),
                    callee: Box::new(self.expr(func)),
                    args: args.iter().map(|a| self.expr(a)).collect(),
                }
            }
            E::Reverse { value, .. } => un(self, UnaryOp::Not, value),
            E::BitReverse { value, .. } => un(self, UnaryOp::BitNot, value),
            E::Positive { value, .. } => un(self, UnaryOp::Plus, value),
            E::Negative { value, .. } => un(self, UnaryOp::Minus, value),
            E::TypeOf { value, .. } => un(self, UnaryOp::TypeOf, value),
            E::Void { value, .. } => un(self, UnaryOp::Void, value),
            E::Multiply { left, right, .. } => bin(self, BinaryOp::Mul, left, right),
            E::Divide { left, right, .. } => bin(self, BinaryOp::Div, left, right),
            E::Remainer { left, right, .. } => bin(self, BinaryOp::Rem, left, right),
            E::Plus { left, right, .. } => bin(self, BinaryOp::Add, left, right),
            E::Minus { left, right, .. } => bin(self, BinaryOp::Sub, left, right),
            E::LeftShift { left, right, .. } => bin(self, BinaryOp::Shl, left, right),
            E::RightShift { left, right, .. } => bin(self, BinaryOp::Shr, left, right),
            E::UnsignedRightShift { left, right, .. } => bin(self, BinaryOp::UShr, left, right),
            E::Lt { left, right, .. } => bin(self, BinaryOp::Lt, left, right),
            E::Gt { left, right, .. } => bin(self, BinaryOp::Gt, left, right),
            E::Lte { left, right, .. } => bin(self, BinaryOp::Le, left, right),
            E::Gte { left, right, .. } => bin(self, BinaryOp::Ge, left, right),
            E::InstanceOf { left, right, .. } => bin(self, BinaryOp::InstanceOf, left, right),
            E::Eq { left, right, .. } => bin(self, BinaryOp::Eq, left, right),
            E::Ne { left, right, .. } => bin(self, BinaryOp::Ne, left, right),
            E::EqFull { left, right, .. } => bin(self, BinaryOp::StrictEq, left, right),
            E::NeFull { left, right, .. } => bin(self, BinaryOp::StrictNe, left, right),
            E::BitAnd { left, right, .. } => bin(self, BinaryOp::BitAnd, left, right),
            E::BitXor { left, right, .. } => bin(self, BinaryOp::BitXor, left, right),
            E::BitOr { left, right, .. } => bin(self, BinaryOp::BitOr, left, right),
            E::LogicAnd { left, right, .. } => bin(self, BinaryOp::And, left, right),
            E::LogicOr { left, right, .. } => bin(self, BinaryOp::Or, left, right),
            E::NullishCoalescing { left, right, .. } => bin(self, BinaryOp::Nullish, left, right),
            E::Cond {
                cond,
                true_br,
                false_br,
                ..
            } => Expr::Cond(
                Box::new(self.expr(cond)),
                Box::new(self.expr(true_br)),
                Box::new(self.expr(false_br)),
            ),
            _ => Expr::Undefined,
        }
    }
}

/// `elementType` -> `element-type` (the parser camel-cases `data-*` and
/// `worklet:*` names; the op keeps the attribute's written form).
pub fn camel_to_dash(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 4);
    for c in name.chars() {
        if c.is_ascii_uppercase() {
            out.push('-');
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// The position of the quote that opens an attribute value, given where the
/// value's text starts: diagnostics about a `src` point at the string.
fn opening_quote(value_start: Position) -> Position {
    Position {
        line: value_start.line,
        utf16_col: value_start.utf16_col.saturating_sub(1),
    }
}
