//! Worklets: functions whose body starts with the `'worklet'` directive,
//! made ready at load time to be copied to the UI thread when they are
//! dispatched (`runOnUI`, `applyAnimatedStyle`, `worklet:` gesture
//! handlers, `derived`...).
//!
//! The scheme is that of WeChat's compiler, the public
//! `wechat-miniprogram/babel-plugin-worklet` (`lib/index.js`), itself
//! derived from Reanimated's Babel plugin (`software-mansion/
//! react-native-reanimated`, `plugin/`): each worklet keeps its code for
//! the JS thread, and gains its source for the UI thread, a description of
//! the free variables it captures, a hash and a location. Capturing
//! follows the plugin:
//!
//! - a free variable is captured narrowed by its member path: `a.b.c`
//!   captures `{a: {b: {c: a.b.c}}}`; a path stops at `.value` (a shared
//!   value is read on the UI thread: `a.b.c.value` captures `a.b.c`), at a
//!   computed or optional member, at a member that is assigned to, and at
//!   the plugin's method names (`list.map(...)` captures `list`);
//! - globals of its list are not captured (see [`helpers::GLOBALS`]); `wx`
//!   is not on it: `wx.worklet.timing` is captured like any path;
//! - parameters, locals, and the function's own name are not captured;
//! - nested worklets are transformed too: a worklet returning a worklet (an
//!   easing factory) returns one that carries its own captures;
//! - `this.x.bind(this)` captures the bound function, as the plugin's
//!   `_x_` does.
//!
//! It differs from the plugin in three ways:
//!
//! - captures are read when the worklet is dispatched, not when the file
//!   loads: `__closure` is a function (pages assign what their worklets
//!   read in `onLoad` or `attached`);
//! - `this` is captured like a variable, narrowed (`this.data.x`), per
//!   call: page and component methods are shared by every instance, so
//!   `__closure(receiver)` takes the instance. A sync call of another
//!   worklet method, `this.other()`, captures `this.other`, bound to the
//!   instance. (The plugin instead adds `_name_worklet_factory_` members
//!   to object literals; Cirrus's runtime has no use for them.)
//! - every function form is covered, object and class methods included
//!   (the plugin relies on an ES5 pass having turned methods into
//!   function expressions).
//!
//! # Output contract (what the runtime consumes)
//!
//! Every worklet function value gets, when it is created, these
//! non-enumerable own properties (read-only but `bind`):
//!
//! - `__worklet`: `true`.
//! - `__closure`: a function `(receiver) -> object`, called on the JS
//!   thread when the worklet is dispatched; `receiver` is the `this` the
//!   worklet runs with (the page or component instance for its methods;
//!   an arrow worklet ignores it and uses its lexical `this`). The object
//!   maps each captured name to its narrowed value: variables by name,
//!   the worklet's `this` under `"this"`, `this.x.bind(this)` under
//!   `"$bind$x"` (`$bind$a$b` for `this.a.b`). Intermediate objects of a
//!   path are fresh objects holding only the captured properties, so the
//!   runtime may freeze all of it; a `null` or `undefined` on the way is
//!   kept as it is. An undeclared global that is not on the list reads as
//!   `undefined` when it does not exist; a captured `let` still in its
//!   temporal dead zone makes `__closure` throw, as reading it would. A
//!   worklet found at a member path is already bound to its object (see
//!   `bind` below); a worklet found anywhere in the object is dispatched
//!   the same way, recursively, with `__closure()` (a worklet may reach
//!   itself that way: `const f = () => { 'worklet'; f() }`).
//! - `__workletSource`: the text of a JavaScript expression whose value is
//!   the factory `function (closure) { ...; return <the worklet>; }`. The
//!   runtime evaluates it on the UI thread (`(0, eval)(source)`) and calls
//!   it with the copied capture object; the factory declares each captured
//!   name from it and returns the worklet, whose `this` is the captured
//!   `this` whatever it is called with. Strict worklets have a strict
//!   factory. Nested worklets are plain functions inside it (they run on
//!   the UI thread already). The function's text keeps its line breaks:
//!   for a `.js` file, line N of the source is line
//!   `__location`'s line + N - 1 of the author's file.
//! - `__workletHash`: a number below 2^53, FNV-1a of `__workletSource`:
//!   equal sources, equal hashes (a cache key for compiled factories).
//! - `__location`: `"path:line:column"`, 1-based, of the function in the
//!   author's file (through the TypeScript map for `.ts`).
//! - `bind`: a worklet's `bind(receiver)` returns a bound function that is
//!   still a worklet (same source, hash and location), whose `__closure`
//!   reads `this` from `receiver`; with more arguments, a plain bound
//!   function.
//!
//! A worklet called normally runs on the JS thread with its original code:
//! it stays a normal function (an object method becomes a property holding
//! a function expression, with its name). Helpers are function
//! declarations put before the file's first statement; a function
//! declaration gets its properties at the start of the block it is hoisted
//! to, a class method in a static block at the end of its class, anything
//! else where it is created. Nothing adds a line: the rest of the file keeps
//! its lines, and the edits' map keeps columns.
//!
//! Not transformed, with a warning: worklet getters and setters,
//! constructors, class methods with a computed or private name, object
//! methods that use `super`, and worklets nested more than
//! [`MAX_NESTING`] deep in other worklets (those still run inside the
//! outer worklet on the UI thread). Transformed with a warning: a worklet
//! that captures `this` or `this.data` whole (WeChat's documented trap:
//! the runtime freezes it, and setData fails), and one that uses `super`
//! (it cannot run on the UI thread).

mod captures;
mod helpers;

use crate::edits::Edit;
use crate::text::js_string;
use crate::{Severity, TransformDiagnostic};
use captures::{BaseKind, Captures, THIS_VARIABLE};
use oxc::ast::ast::{
    Argument, AssignmentTarget, CallExpression, Directive, Expression, MethodDefinitionKind,
    Program, PropertyKey, PropertyKind, Statement, UnaryOperator,
};
use oxc::ast::AstKind;
use oxc::semantic::{AstNodes, NodeId, Semantic, SymbolId};
use oxc::span::{GetSpan, Span};

/// How deep worklets may nest in worklets: each level's UI source holds
/// the text of every level inside it, so the output grows with the square
/// of the depth.
pub const MAX_NESTING: usize = 16;

/// How long a captured member path may get (longer ones are cut there).
const MAX_PATH: usize = 32;

/// The factory's parameter in `__workletSource`.
const CLOSURE_PARAMETER: &str = "__cirrus$closure";
/// The `__closure` parameter.
const RECEIVER_PARAMETER: &str = "__cirrus$receiver";

/// One worklet of a file, as the transform saw it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WorkletInfo {
    /// The function's name, or the name JavaScript infers for it (a
    /// variable, a property, a method); empty when it has none.
    pub name: String,
    /// 1-based position in the author's file.
    pub line: u32,
    pub column: u32,
    /// The captured paths, as in the source (`a.b`, `this.data.x`,
    /// `this.show.bind(this)`), sorted.
    pub captures: Vec<String>,
}

/// Where the file comes from, to name positions.
pub(crate) struct Context<'c> {
    pub path: &'c str,
    /// The author's 1-based (line, column) of a byte offset of the text
    /// being lowered.
    pub locate: &'c dyn Fn(u32) -> (u32, u32),
}

/// The transform's result for one file.
#[derive(Default)]
pub(crate) struct Found {
    /// Edits to the lowered text, in the order they must be applied at
    /// equal offsets.
    pub edits: Vec<Edit>,
    pub infos: Vec<WorkletInfo>,
    pub diagnostics: Vec<TransformDiagnostic>,
}

/// How a worklet is given its properties in the JS-thread code.
#[derive(Clone, Debug)]
enum Form {
    /// `function f() {}`: an attach statement at `attach_at`, the start of
    /// the list it is hoisted in, or right after it (`after`) where there
    /// is no such list (a switch case, an `if` body).
    Declaration { name: String, attach_at: u32 },
    /// A function or arrow expression: wrapped in a call.
    Expression,
    /// `key(...) {}` in an object literal: becomes `key: wrapped(function
    /// (...) {})`. `prefix_start..key_start` holds `async`/`*`,
    /// `key_end..` (the function's start) what follows the key.
    ObjectMethod {
        prefix_start: u32,
        key_start: u32,
        key_end: u32,
    },
    /// A class method: attached in a static block before `body_end`.
    ClassMethod {
        key: String,
        is_static: bool,
        body_end: u32,
    },
}

struct Worklet {
    span: Span,
    /// Where `__location` points: the method's key, else the function.
    anchor: u32,
    arrow: bool,
    is_async: bool,
    generator: bool,
    own_symbol: Option<SymbolId>,
    name: String,
    form: Form,
    parent: Option<usize>,
    strict: bool,
    captures: Captures,
    /// Edits of the UI-thread text (`this`, bound calls), absolute.
    ui_edits: Vec<Edit>,
    uses_super: bool,
}

const NONE: u32 = u32::MAX;

/// Finds the worklets of a parsed file and the edits that make them.
/// `import_access` gives the expression that reads an imported binding
/// after the module lowering (`_cirrus$m0.clamp`), which the closure must
/// use since it is code the lowering does not see.
pub(crate) fn collect(
    source: &str,
    program: &Program<'_>,
    semantic: &Semantic<'_>,
    import_access: &dyn Fn(SymbolId) -> Option<String>,
    context: &Context<'_>,
) -> Found {
    let mut found = Found::default();
    let nodes = semantic.nodes();
    let scoping = semantic.scoping();
    // Cheap exit for the common case: a file that only mentions the word.
    let has_worklet = nodes.iter().any(|node| worklet_body(node.kind()).is_some());
    if !has_worklet {
        return found;
    }
    let mut worklets: Vec<Worklet> = Vec::new();
    // Per node (by index): the innermost worklet it is in (or is), and the
    // innermost node that decides what `this` is there. Nodes come parents
    // first, so one forward pass fills both.
    let mut enclosing = vec![NONE; nodes.len()];
    let mut boundary = vec![0u32; nodes.len()];
    for node in nodes.iter() {
        let id = node.id();
        let index = id.index();
        if id != NodeId::ROOT {
            let parent = nodes.parent_id(id).index();
            enclosing[index] = enclosing[parent];
            boundary[index] = boundary[parent];
        }
        let kind = node.kind();
        if matches!(
            kind,
            AstKind::Function(_)
                | AstKind::StaticBlock(_)
                | AstKind::PropertyDefinition(_)
                | AstKind::AccessorProperty(_)
        ) {
            boundary[index] = index as u32;
        }
        match kind {
            kind if worklet_body(kind).is_some() => {
                let parent = (enclosing[index] != NONE).then_some(enclosing[index] as usize);
                let depth = nesting(&worklets, parent);
                let position = kind.span().start;
                let made = if depth >= MAX_NESTING {
                    Err(format!(
                        "this worklet is nested more than {MAX_NESTING} deep in other worklets: it runs inside them on the UI thread but is not a worklet of its own"
                    ))
                } else {
                    new_worklet(source, nodes, semantic, id, kind, parent)
                };
                match made {
                    Ok(worklet) => {
                        enclosing[index] = worklets.len() as u32;
                        worklets.push(worklet);
                    }
                    Err(message) => warn(&mut found, context, position, message),
                }
            }
            AstKind::ThisExpression(this) => {
                let owners = this_owners(nodes, &worklets, &enclosing, &boundary, id);
                if owners.is_empty() {
                    continue;
                }
                match this_role(nodes, id, this.span) {
                    ThisRole::BindArgument => {}
                    ThisRole::BindCallee { path, call } => {
                        let key = captures::bound_key(&path);
                        for owner in owners {
                            let worklet = &mut worklets[owner];
                            worklet.captures.add_bound(&path);
                            worklet
                                .ui_edits
                                .push(Edit::replace(call.start, call.end, key.clone()));
                        }
                    }
                    ThisRole::Plain => {
                        let path = narrow(nodes, id, this.span);
                        for owner in owners {
                            let worklet = &mut worklets[owner];
                            worklet.captures.add_this(&path);
                            worklet.ui_edits.push(Edit::replace(
                                this.span.start,
                                this.span.end,
                                THIS_VARIABLE,
                            ));
                        }
                    }
                }
            }
            AstKind::Super(_) => {
                // `super` belongs to the same function as `this` would.
                for owner in this_owners(nodes, &worklets, &enclosing, &boundary, id) {
                    worklets[owner].uses_super = true;
                }
            }
            AstKind::IdentifierReference(reference) => {
                if enclosing[index] == NONE {
                    continue;
                }
                let name = reference.name.as_str();
                let symbol = reference
                    .reference_id
                    .get()
                    .and_then(|id| scoping.get_reference(id).symbol_id());
                if symbol.is_none() && helpers::GLOBALS.contains(&name) {
                    continue;
                }
                let declared_in = symbol.map(|symbol| {
                    let scope = scoping.symbol_scope_id(symbol);
                    nodes.kind(scoping.get_node_id(scope)).span()
                });
                let mut path: Option<Vec<String>> = None;
                let mut current = enclosing[index];
                while current != NONE {
                    let worklet = &mut worklets[current as usize];
                    current = worklet.parent.map_or(NONE, |p| p as u32);
                    if symbol.is_some() && symbol == worklet.own_symbol {
                        continue;
                    }
                    if declared_in.is_some_and(|scope| contains(worklet.span, scope)) {
                        break; // local here, so in every worklet around it too
                    }
                    let path = path.get_or_insert_with(|| narrow(nodes, id, reference.span));
                    let read = || BaseKind::Variable {
                        read: match symbol {
                            Some(symbol) => {
                                import_access(symbol).unwrap_or_else(|| name.to_owned())
                            }
                            None => format!("(typeof {name} === \"undefined\" ? void 0 : {name})"),
                        },
                    };
                    worklet.captures.add(name, read, path);
                }
            }
            _ => {}
        }
    }
    if worklets.is_empty() {
        return found;
    }
    // Helpers first, so that attach statements at the same offset follow
    // them.
    let helpers_at = program
        .body
        .first()
        .map_or(program.span.end, |statement| statement.span().start);
    found
        .edits
        .push(Edit::replace(helpers_at, helpers_at, helpers::HELPERS));
    let mut declarations = Vec::new();
    let mut others = Vec::new();
    for worklet in &worklets {
        emit(
            source,
            worklet,
            context,
            &mut found,
            &mut declarations,
            &mut others,
        );
    }
    found.edits.extend(declarations);
    found.edits.extend(others);
    found
}

fn node_id(index: u32) -> NodeId {
    NodeId::new(index as usize)
}

fn contains(outer: Span, inner: Span) -> bool {
    outer.start <= inner.start && inner.end <= outer.end
}

fn nesting(worklets: &[Worklet], mut parent: Option<usize>) -> usize {
    let mut depth = 0;
    while let Some(index) = parent {
        depth += 1;
        parent = worklets[index].parent;
    }
    depth
}

fn warn(found: &mut Found, context: &Context<'_>, offset: u32, message: String) {
    let (line, column) = (context.locate)(offset);
    found.diagnostics.push(TransformDiagnostic {
        file: context.path.to_owned(),
        line,
        column,
        message,
        severity: Severity::Warning,
    });
}

fn has_worklet_directive(directives: &[Directive<'_>]) -> bool {
    directives
        .iter()
        .any(|directive| directive.expression.value == "worklet")
}

/// The span of a function whose body starts with `'worklet'`.
fn worklet_body(kind: AstKind<'_>) -> Option<Span> {
    match kind {
        AstKind::Function(function) => function
            .body
            .as_ref()
            .filter(|body| has_worklet_directive(&body.directives))
            .map(|_| function.span),
        AstKind::ArrowFunctionExpression(arrow) => arrow
            .body
            .as_function_body()
            .is_some_and(|body| has_worklet_directive(&body.directives))
            .then_some(arrow.span),
        _ => None,
    }
}

fn new_worklet(
    source: &str,
    nodes: &AstNodes<'_>,
    semantic: &Semantic<'_>,
    id: NodeId,
    kind: AstKind<'_>,
    parent: Option<usize>,
) -> Result<Worklet, String> {
    let (span, arrow, is_async, generator, own_symbol, own_name, scope) = match kind {
        AstKind::Function(function) => (
            function.span,
            false,
            function.r#async,
            function.generator,
            function.id.as_ref().and_then(|id| id.symbol_id.get()),
            function.id.as_ref().map(|id| id.name.to_string()),
            function.scope_id.get(),
        ),
        AstKind::ArrowFunctionExpression(arrow) => (
            arrow.span,
            true,
            arrow.r#async,
            false,
            None,
            None,
            arrow.scope_id.get(),
        ),
        _ => return Err("not a function".into()),
    };
    let strict = scope.is_some_and(|scope| semantic.scoping().scope_flags(scope).is_strict_mode());
    let mut anchor = span.start;
    let form = match nodes.parent_kind(id) {
        AstKind::ObjectProperty(property)
            if property.value.span() == span
                && (property.method || property.kind != PropertyKind::Init) =>
        {
            if property.kind != PropertyKind::Init {
                return Err(
                    "a worklet getter or setter is not transformed: make it a method".into(),
                );
            }
            let key = property.key.span();
            anchor = key.start;
            let between = |from: u32, to: u32| source.get(from as usize..to as usize).unwrap_or("");
            let (key_start, key_end) = if property.computed {
                let open = between(property.span.start, key.start).rfind('[');
                let close = between(key.end, span.start).rfind(']');
                match (open, close) {
                    (Some(open), Some(close)) => (
                        property.span.start + open as u32,
                        key.end + close as u32 + 1,
                    ),
                    _ => return Err("this worklet method's name could not be read".into()),
                }
            } else {
                (key.start, key.end)
            };
            Form::ObjectMethod {
                prefix_start: property.span.start,
                key_start,
                key_end,
            }
        }
        AstKind::MethodDefinition(method) => {
            anchor = method.key.span().start;
            if method.kind != MethodDefinitionKind::Method {
                return Err(
                    "a worklet constructor, getter or setter is not transformed: make it a method"
                        .into(),
                );
            }
            let Some(key) = key_name(&method.key, method.computed) else {
                return Err(
                    "a worklet class method with a computed or private name is not transformed"
                        .into(),
                );
            };
            let body_end = nodes
                .ancestors(id)
                .find_map(|ancestor| match ancestor.kind() {
                    AstKind::ClassBody(body) => Some(body.span.end.saturating_sub(1)),
                    _ => None,
                })
                .ok_or_else(|| String::from("a class method outside a class"))?;
            Form::ClassMethod {
                key,
                is_static: method.r#static,
                body_end,
            }
        }
        _ => match (kind, &own_name) {
            (AstKind::Function(function), Some(name)) if function.is_declaration() => {
                Form::Declaration {
                    name: name.clone(),
                    attach_at: declaration_attach_point(nodes, id, span),
                }
            }
            _ => Form::Expression,
        },
    };
    let name = own_name.unwrap_or_else(|| inferred_name(nodes, id, span));
    Ok(Worklet {
        span,
        anchor,
        arrow,
        is_async,
        generator,
        own_symbol,
        name,
        form,
        parent,
        strict,
        captures: Captures::default(),
        ui_edits: Vec::new(),
        uses_super: false,
    })
}

/// Where a function declaration gets its properties: the start of the
/// statement list its binding is created in (so before any code of it
/// runs), or right after the declaration.
fn declaration_attach_point(nodes: &AstNodes<'_>, id: NodeId, span: Span) -> u32 {
    let mut statement = id;
    if matches!(
        nodes.parent_kind(id),
        AstKind::ExportDeclaration(_)
            | AstKind::ExportNamedDeclaration(_)
            | AstKind::ExportDefaultDeclaration(_)
    ) {
        statement = nodes.parent_id(id);
    }
    let first = |statements: &[Statement<'_>]| statements.first().map(|s| s.span().start);
    let start = match nodes.parent_kind(statement) {
        AstKind::Program(program) => first(&program.body),
        AstKind::FunctionBody(body) => first(&body.statements),
        AstKind::BlockStatement(block) => first(&block.body),
        AstKind::StaticBlock(block) => first(&block.body),
        _ => None,
    };
    start.unwrap_or(span.end)
}

/// The name JavaScript gives an anonymous function where it is defined.
fn inferred_name(nodes: &AstNodes<'_>, id: NodeId, span: Span) -> String {
    let name = match nodes.parent_kind(id) {
        AstKind::VariableDeclarator(declarator)
            if declarator
                .init
                .as_ref()
                .is_some_and(|init| init.span() == span) =>
        {
            declarator
                .id
                .get_identifier_name()
                .map(|name| name.to_string())
        }
        AstKind::ObjectProperty(property) => key_name(&property.key, property.computed),
        AstKind::MethodDefinition(method) => key_name(&method.key, method.computed),
        AstKind::PropertyDefinition(property) => key_name(&property.key, property.computed),
        AstKind::AssignmentExpression(assignment) if assignment.right.span() == span => {
            match &assignment.left {
                AssignmentTarget::AssignmentTargetIdentifier(target) => {
                    Some(target.name.to_string())
                }
                _ => None,
            }
        }
        AstKind::AssignmentPattern(pattern) if pattern.right.span() == span => pattern
            .left
            .get_identifier_name()
            .map(|name| name.to_string()),
        _ => None,
    };
    name.unwrap_or_default()
}

/// A property's name when it is known without running code (`a`, `'a'`,
/// `['a']`).
fn key_name(key: &PropertyKey<'_>, computed: bool) -> Option<String> {
    match key {
        PropertyKey::PrivateIdentifier(_) => None,
        PropertyKey::StringLiteral(literal) => Some(literal.value.to_string()),
        _ if computed => None,
        key => key.static_name().map(|name| name.to_string()),
    }
}

/// The worklets a `this` belongs to: those between it and the function
/// (or class member) that decides its value, that one included.
fn this_owners(
    nodes: &AstNodes<'_>,
    worklets: &[Worklet],
    enclosing: &[u32],
    boundary: &[u32],
    id: NodeId,
) -> Vec<usize> {
    let index = id.index();
    let scope = nodes.kind(node_id(boundary[index])).span();
    let mut owners = Vec::new();
    let mut current = enclosing[index];
    while current != NONE {
        let worklet = &worklets[current as usize];
        // The program's `this` has boundary 0, the program, whose span
        // contains every worklet: arrows at the top level own it.
        if !contains(scope, worklet.span) {
            break;
        }
        owners.push(current as usize);
        current = worklet.parent.map_or(NONE, |p| p as u32);
    }
    owners
}

enum ThisRole {
    /// `this` in `this.x.bind(this)`'s arguments: part of the bound call.
    BindArgument,
    /// `this` that starts `this.x.bind(this)`.
    BindCallee {
        path: Vec<String>,
        call: Span,
    },
    Plain,
}

/// `["x", "y"]` when `call` is `this.x.y.bind(this)`.
fn bind_path(call: &CallExpression<'_>) -> Option<Vec<String>> {
    if call.optional || call.arguments.len() != 1 {
        return None;
    }
    if !matches!(call.arguments[0], Argument::ThisExpression(_)) {
        return None;
    }
    let Expression::StaticMemberExpression(bind) = &call.callee else {
        return None;
    };
    if bind.optional || bind.property.name != "bind" {
        return None;
    }
    let mut names = Vec::new();
    let mut object = &bind.object;
    loop {
        match object {
            Expression::StaticMemberExpression(member) if !member.optional => {
                names.push(member.property.name.to_string());
                object = &member.object;
            }
            Expression::ThisExpression(_) => break,
            _ => return None,
        }
    }
    if names.is_empty() {
        return None;
    }
    names.reverse();
    Some(names)
}

fn this_role(nodes: &AstNodes<'_>, id: NodeId, span: Span) -> ThisRole {
    if let AstKind::CallExpression(call) = nodes.parent_kind(id) {
        if call.arguments.first().is_some_and(|a| a.span() == span) && bind_path(call).is_some() {
            return ThisRole::BindArgument;
        }
    }
    let mut current = id;
    let mut current_span = span;
    loop {
        let parent = nodes.parent_id(current);
        match nodes.kind(parent) {
            AstKind::StaticMemberExpression(member) if member.object.span() == current_span => {
                current = parent;
                current_span = member.span;
            }
            AstKind::CallExpression(call) if call.callee.span() == current_span => {
                return match bind_path(call) {
                    Some(path) => ThisRole::BindCallee {
                        path,
                        call: call.span,
                    },
                    None => ThisRole::Plain,
                };
            }
            _ => return ThisRole::Plain,
        }
    }
}

/// The member path read from the expression at `id`: `a.b.c` for `a` in
/// `a.b.c.value = 1`.
fn narrow(nodes: &AstNodes<'_>, id: NodeId, span: Span) -> Vec<String> {
    let mut path = Vec::new();
    let mut current = id;
    let mut current_span = span;
    while path.len() < MAX_PATH {
        let parent = nodes.parent_id(current);
        let AstKind::StaticMemberExpression(member) = nodes.kind(parent) else {
            break;
        };
        if member.object.span() != current_span || member.optional {
            break;
        }
        let name = member.property.name.as_str();
        if helpers::PATH_STOPS.contains(&name) || is_written(nodes, parent, member.span) {
            break;
        }
        path.push(name.to_owned());
        current = parent;
        current_span = member.span;
    }
    path
}

/// Whether the member at `id` is assigned to or deleted: its object is
/// what must be captured (`captured.newProp = 5` captures `captured`).
fn is_written(nodes: &AstNodes<'_>, id: NodeId, span: Span) -> bool {
    match nodes.parent_kind(id) {
        AstKind::AssignmentExpression(assignment) => assignment.left.span() == span,
        AstKind::UpdateExpression(_)
        | AstKind::ArrayAssignmentTarget(_)
        | AstKind::AssignmentTargetRest(_) => true,
        AstKind::UnaryExpression(unary) => unary.operator == UnaryOperator::Delete,
        AstKind::AssignmentTargetWithDefault(target) => target.binding.span() == span,
        AstKind::AssignmentTargetPropertyProperty(property) => property.binding.span() == span,
        AstKind::ForInStatement(statement) => statement.left.span() == span,
        AstKind::ForOfStatement(statement) => statement.left.span() == span,
        _ => false,
    }
}

/// 64-bit FNV-1a, kept to the integers a JS number holds exactly.
fn hash(text: &str) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in text.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash & ((1 << 53) - 1)
}

/// `text` with `edits` (absolute offsets, none overlapping) applied, where
/// `text` starts at `offset`.
fn apply_inside(text: &str, offset: u32, edits: &[Edit]) -> String {
    let mut sorted: Vec<&Edit> = edits.iter().collect();
    sorted.sort_by_key(|edit| (edit.start, edit.end));
    let mut out = String::with_capacity(text.len() + 64);
    let mut copied = 0usize;
    for edit in sorted {
        let (Some(start), Some(end)) = (
            edit.start.checked_sub(offset).map(|s| s as usize),
            edit.end.checked_sub(offset).map(|e| e as usize),
        ) else {
            continue;
        };
        if start < copied || end > text.len() {
            continue;
        }
        let (Some(kept), true) = (text.get(copied..start), text.is_char_boundary(end)) else {
            continue;
        };
        out.push_str(kept);
        out.push_str(&edit.text);
        copied = end;
    }
    out.push_str(text.get(copied..).unwrap_or(""));
    out
}

fn emit(
    source: &str,
    worklet: &Worklet,
    context: &Context<'_>,
    found: &mut Found,
    declarations: &mut Vec<Edit>,
    others: &mut Vec<Edit>,
) {
    let (line, column) = (context.locate)(worklet.anchor);
    if worklet.uses_super {
        if matches!(worklet.form, Form::ObjectMethod { .. }) {
            warn(
                found,
                context,
                worklet.anchor,
                "a worklet object method that uses `super` is not transformed: it cannot become a function expression".into(),
            );
            return;
        }
        warn(
            found,
            context,
            worklet.anchor,
            "this worklet uses `super`, which the UI thread cannot run: it works only when called on the JS thread".into(),
        );
    }
    if let Some(what) = worklet.captures.freezes_page_data() {
        warn(
            found,
            context,
            worklet.anchor,
            format!(
                "this worklet captures all of `{what}`, which is frozen when it runs on the UI thread, so setData fails afterwards: read the fields it needs (`this.data.x`) instead"
            ),
        );
    }
    let text = source
        .get(worklet.span.start as usize..worklet.span.end as usize)
        .unwrap_or("");
    let body = apply_inside(text, worklet.span.start, &worklet.ui_edits);
    let function_text = match worklet.form {
        // A method's span starts at its parameters.
        Form::ObjectMethod { .. } | Form::ClassMethod { .. } => format!(
            "{}function{} {body}",
            if worklet.is_async { "async " } else { "" },
            if worklet.generator { "*" } else { "" },
        ),
        _ => body,
    };
    let factory = format!(
        "(function ({CLOSURE_PARAMETER}) {{{}{}return {function_text};}})",
        if worklet.strict {
            "\"use strict\";"
        } else {
            ""
        },
        worklet.captures.declarations(CLOSURE_PARAMETER),
    );
    let location = format!("{}:{line}:{column}", context.path);
    // An arrow's `this` is lexical: its closure is an arrow made beside it.
    let closure = if worklet.arrow && worklet.captures.uses_this() {
        format!(
            "({RECEIVER_PARAMETER}) => ({})",
            worklet.captures.object("this")
        )
    } else {
        format!(
            "function ({RECEIVER_PARAMETER}) {{return {};}}",
            worklet.captures.object(RECEIVER_PARAMETER)
        )
    };
    let meta = format!(
        "{closure}, {}, {}, {}",
        js_string(&factory),
        hash(&factory),
        js_string(&location)
    );
    let span = worklet.span;
    match &worklet.form {
        Form::Declaration { name, attach_at } => {
            let attach = format!("_cirrus$worklet({name}, {meta});");
            let text = if *attach_at == span.end {
                format!(";{attach}")
            } else {
                attach
            };
            declarations.push(Edit::replace(*attach_at, *attach_at, text));
        }
        Form::Expression => {
            others.push(Edit::replace(span.start, span.start, "_cirrus$worklet("));
            others.push(Edit::replace(
                span.end,
                span.end,
                format!(", {meta}, {})", js_string(&worklet.name)),
            ));
        }
        Form::ObjectMethod {
            prefix_start,
            key_start,
            key_end,
        } => {
            if prefix_start < key_start {
                others.push(Edit::replace(*prefix_start, *key_start, ""));
            }
            others.push(Edit::replace(
                *key_end,
                span.start,
                format!(
                    ": _cirrus$worklet({}function{} ",
                    if worklet.is_async { "async " } else { "" },
                    if worklet.generator { "*" } else { "" },
                ),
            ));
            others.push(Edit::replace(
                span.end,
                span.end,
                format!(", {meta}, {})", js_string(&worklet.name)),
            ));
        }
        Form::ClassMethod {
            key,
            is_static,
            body_end,
        } => {
            let owner = if *is_static { "this" } else { "this.prototype" };
            others.push(Edit::replace(
                *body_end,
                *body_end,
                format!(
                    ";static {{_cirrus$worklet({owner}[{}], {meta});}}",
                    js_string(key)
                ),
            ));
        }
    }
    found.infos.push(WorkletInfo {
        name: worklet.name.clone(),
        line,
        column,
        captures: worklet.captures.paths(),
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_stable_and_fit_a_js_number() {
        assert_eq!(hash("a"), hash("a"));
        assert_ne!(hash("a"), hash("b"));
        assert!(hash("function () {}") < 1 << 53);
    }

    #[test]
    fn inner_edits_apply_relative_to_the_function() {
        let edits = vec![Edit::replace(14, 18, "T"), Edit::replace(10, 11, "X")];
        assert_eq!(
            apply_inside("0123456789abcdefghij", 5, &edits),
            "01234X678Tdefghij"
        );
    }
}
