//! Evaluates the LESS tree into flat CSS nodes: variable scopes (lazy,
//! last definition wins), selector nesting, mixin calls and guards,
//! operations, functions, and `@media` bubbling out of rules.

use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use super::ast::{Condition, Expr, Guard, MixinArg, MixinParam, Stmt};
use super::color::{apply, Color};
use super::functions;
use super::output::{CssNode, Item};
use super::parser::error_at;
use super::selector;
use super::source::Pos;
use super::value::{Separator, Value};
use crate::diagnostic::LangDiagnostic;

/// Mixin calls nested deeper than this are reported as recursion: 64
/// (lessc has no limit and overflows its stack instead). Also bounds how
/// deeply lazily evaluated variables may refer to each other.
const MAX_DEPTH: usize = 64;

/// The most evaluation steps (statements, values, scopes searched,
/// selectors and copied values) one LESS compilation may take: 1,000,000,
/// about a second in a debug build. A large real file takes well under
/// 100,000; without a bound, a mixin that
/// calls itself twice per level (2^64 calls under [`MAX_DEPTH`]) or a
/// "billion laughs" of variables that each repeat the previous one would
/// run for ever and exhaust memory.
const MAX_STEPS: usize = 1_000_000;

/// One scope: the variables and mixins a body defines.
struct Frame<'s> {
    variables: HashMap<&'s str, Binding<'s>>,
    mixins: Vec<&'s Stmt>,
    parent: Option<Rc<Frame<'s>>>,
    /// For a mixin call: the caller's scope, searched after the definition's.
    caller: Option<Rc<Frame<'s>>>,
}

enum Binding<'s> {
    Lazy(&'s Expr),
    Ready(Value),
}

impl<'s> Frame<'s> {
    fn for_body(body: &'s [Stmt], parent: Option<Rc<Frame<'s>>>) -> Rc<Frame<'s>> {
        let mut variables = HashMap::new();
        let mut mixins = Vec::new();
        for stmt in body {
            match stmt {
                Stmt::Variable { name, value, .. } => {
                    variables.insert(name.as_str(), Binding::Lazy(value));
                }
                Stmt::MixinDef { .. } | Stmt::Rule { .. } => mixins.push(stmt),
                _ => {}
            }
        }
        Rc::new(Frame {
            variables,
            mixins,
            parent,
            caller: None,
        })
    }

    /// The scopes to search, innermost first: the definition chain, then
    /// the callers' chains (each caller's in turn, depth first), each
    /// scope once. Iterative, with a set of the scopes seen, so a deep
    /// mixin recursion costs one step per distinct scope, not a new list
    /// per level and a linear search per scope.
    fn chain(self: &Rc<Self>) -> Vec<Rc<Frame<'s>>> {
        let mut frames = Vec::new();
        let mut seen: HashSet<*const Frame<'s>> = HashSet::new();
        let mut pending = vec![self.clone()];
        while let Some(start) = pending.pop() {
            let mut callers = Vec::new();
            let mut current = Some(start);
            while let Some(frame) = current {
                // A scope seen before was walked to the root then, with
                // its callers queued.
                if !seen.insert(Rc::as_ptr(&frame)) {
                    break;
                }
                if let Some(caller) = &frame.caller {
                    callers.push(caller.clone());
                }
                current = frame.parent.clone();
                frames.push(frame);
            }
            pending.extend(callers.into_iter().rev());
        }
        frames
    }
}

/// Where evaluation is: the selectors of the enclosing rule and the scope.
#[derive(Clone)]
struct Context<'s> {
    selectors: Vec<String>,
    frame: Rc<Frame<'s>>,
    /// Inside a rule or a declaration block (`@font-face`).
    in_block: bool,
    important: bool,
    /// Inside a mixin call: reference-imported rules are output.
    called: bool,
    depth: usize,
    pos: Pos,
}

pub struct Evaluator<'d> {
    diagnostics: &'d mut Vec<LangDiagnostic>,
    /// Variables being evaluated, to report `@a: @a` instead of looping.
    evaluating: Vec<String>,
    /// Steps taken so far (see [`MAX_STEPS`]).
    steps: usize,
    /// The budget ran out (reported once); evaluation then produces nothing.
    exhausted: bool,
    /// The last position with a file (some values carry none), where the
    /// budget diagnostic goes.
    last_located: Option<Pos>,
}

impl<'d> Evaluator<'d> {
    pub fn new(diagnostics: &'d mut Vec<LangDiagnostic>) -> Self {
        Evaluator {
            diagnostics,
            evaluating: Vec::new(),
            steps: 0,
            exhausted: false,
            last_located: None,
        }
    }

    /// Spends `cost` steps; false (with one diagnostic at `pos`) once the
    /// budget is gone.
    fn charge(&mut self, cost: usize, pos: &Pos) -> bool {
        if self.exhausted {
            return false;
        }
        if !pos.file.is_empty() {
            self.last_located = Some(pos.clone());
        }
        self.steps = self.steps.saturating_add(cost);
        if self.steps > MAX_STEPS {
            self.exhausted = true;
            let at = self.last_located.clone().unwrap_or_else(|| pos.clone());
            self.diagnostics.push(error_at(
                at,
                format!(
                    "evaluation needs more than {MAX_STEPS} steps (a mixin or variable that \
                     expands without bound); the output stops here"
                ),
            ));
            return false;
        }
        true
    }

    /// Steps left before the budget runs out.
    fn steps_left(&self) -> usize {
        MAX_STEPS.saturating_sub(self.steps)
    }

    pub fn evaluate(&mut self, root: &[Stmt], file_pos: Pos) -> Vec<CssNode> {
        let context = Context {
            selectors: Vec::new(),
            frame: Frame::for_body(root, None),
            in_block: false,
            important: false,
            called: false,
            depth: 0,
            pos: file_pos,
        };
        let mut items = Vec::new();
        let mut out = Vec::new();
        self.body(root, &context, &mut items, &mut out);
        out
    }

    fn error(&mut self, pos: &Pos, fallback: &Pos, message: String) {
        let pos = if pos.file.is_empty() {
            fallback.clone()
        } else {
            pos.clone()
        };
        self.diagnostics.push(error_at(pos, message));
    }

    fn body<'s>(
        &mut self,
        body: &'s [Stmt],
        context: &Context<'s>,
        items: &mut Vec<Item>,
        out: &mut Vec<CssNode>,
    ) {
        for stmt in body {
            self.statement(stmt, context, items, out);
        }
    }

    fn statement<'s>(
        &mut self,
        stmt: &'s Stmt,
        context: &Context<'s>,
        items: &mut Vec<Item>,
        out: &mut Vec<CssNode>,
    ) {
        // Each statement copies the enclosing selectors into its context.
        if !self.charge(1 + context.selectors.len(), &context.pos) {
            return;
        }
        match stmt {
            Stmt::Comment(text) => {
                if context.in_block {
                    items.push(Item::Comment(text.clone()));
                } else {
                    out.push(CssNode::Comment(text.clone()));
                }
            }
            Stmt::Variable { .. } | Stmt::MixinDef { .. } | Stmt::Import { .. } => {}
            Stmt::Declaration {
                name,
                value,
                important,
                pos,
            } => {
                let context = Context {
                    pos: pos.clone(),
                    ..context.clone()
                };
                if !context.in_block {
                    self.error(pos, pos, format!("declaration `{name}` outside of a rule"));
                    return;
                }
                let name = self.interpolate(name, &context);
                let mut text = self.value(value, &context).to_css();
                if *important || context.important {
                    text.push_str(" !important");
                }
                items.push(Item::Declaration(name, text));
            }
            Stmt::Rule {
                selector,
                guard,
                body,
                reference,
                pos,
            } => {
                if *reference && !context.called {
                    return;
                }
                let context = Context {
                    pos: pos.clone(),
                    ..context.clone()
                };
                if let Some(guard) = guard {
                    if !self.guard(guard, &context) {
                        return;
                    }
                }
                let own = selector::split(&self.interpolate(selector, &context));
                let Some(selectors) = selector::nest(&context.selectors, &own, self.steps_left())
                else {
                    self.charge(self.steps_left().saturating_add(1), pos);
                    return;
                };
                if !self.charge(selectors.len(), pos) {
                    return;
                }
                let inner = Context {
                    selectors: selectors.clone(),
                    frame: Frame::for_body(body, Some(context.frame.clone())),
                    in_block: true,
                    ..context.clone()
                };
                let mut rule_items = Vec::new();
                let mut nested = Vec::new();
                self.body(body, &inner, &mut rule_items, &mut nested);
                if !rule_items.is_empty() {
                    out.push(CssNode::Rule {
                        selectors,
                        items: rule_items,
                    });
                }
                out.extend(nested);
            }
            Stmt::Media {
                keyword,
                params,
                body,
                reference,
                pos,
            } => {
                if *reference && !context.called {
                    return;
                }
                let context = Context {
                    pos: pos.clone(),
                    ..context.clone()
                };
                let params =
                    selector::normalize_media(&self.interpolate_variables(params, &context, false));
                let inner = Context {
                    frame: Frame::for_body(body, Some(context.frame.clone())),
                    ..context.clone()
                };
                let mut media_items = Vec::new();
                let mut children = Vec::new();
                self.body(body, &inner, &mut media_items, &mut children);
                if !media_items.is_empty() {
                    children.insert(
                        0,
                        CssNode::Rule {
                            selectors: context.selectors.clone(),
                            items: media_items,
                        },
                    );
                }
                out.push(CssNode::Block {
                    prelude: format!("@{keyword} {params}"),
                    media: (keyword == "media").then_some(params),
                    items: Vec::new(),
                    children,
                });
            }
            Stmt::AtBlock {
                prelude,
                body,
                reference,
                pos,
            } => {
                if *reference && !context.called {
                    return;
                }
                let context = Context {
                    pos: pos.clone(),
                    ..context.clone()
                };
                let prelude = self.interpolate_variables(prelude, &context, true);
                let inner = Context {
                    selectors: Vec::new(),
                    frame: Frame::for_body(body, Some(context.frame.clone())),
                    in_block: true,
                    ..context.clone()
                };
                let mut block_items = Vec::new();
                let mut children = Vec::new();
                self.body(body, &inner, &mut block_items, &mut children);
                out.push(CssNode::Block {
                    prelude,
                    media: None,
                    items: block_items,
                    children,
                });
            }
            Stmt::AtStatement { text, reference } => {
                if !*reference || context.called {
                    out.push(CssNode::Statement(format!("{text};")));
                }
            }
            Stmt::MixinCall {
                path,
                args,
                important,
                pos,
            } => {
                let context = Context {
                    pos: pos.clone(),
                    ..context.clone()
                };
                self.mixin_call(path, args, *important, &context, items, out);
            }
        }
    }

    fn mixin_call<'s>(
        &mut self,
        path: &[String],
        args: &[MixinArg],
        important: bool,
        context: &Context<'s>,
        items: &mut Vec<Item>,
        out: &mut Vec<CssNode>,
    ) {
        let pos = context.pos.clone();
        let call_name = path.join(" ");
        if context.depth >= MAX_DEPTH {
            self.error(
                &pos,
                &pos,
                format!("mixin `{call_name}` calls itself without end"),
            );
            return;
        }
        let chain = context.frame.chain();
        if !self.charge(chain.len(), &pos) {
            return;
        }
        let candidates = find_mixins(&chain, path);
        if candidates.is_empty() {
            self.error(&pos, &pos, format!("mixin `{call_name}` is undefined"));
            return;
        }
        let values: Vec<(Option<String>, Value)> = args
            .iter()
            .map(|arg| (arg.name.clone(), self.value(&arg.value, context)))
            .collect();
        // Arguments that fit a definition whose guard fails are not an error.
        let mut arguments_fit = false;
        for (stmt, definition_frame) in candidates {
            let (params, guard, body): (&[MixinParam], Option<&Guard>, &'s [Stmt]) = match stmt {
                Stmt::MixinDef {
                    params,
                    guard,
                    body,
                    ..
                } => (params, guard.as_ref(), body),
                Stmt::Rule { body, guard, .. } if values.is_empty() => (&[], guard.as_ref(), body),
                _ => continue,
            };
            let Some(bindings) = self.bind(params, &values, context) else {
                continue;
            };
            arguments_fit = true;
            let arguments = Frame {
                variables: bindings
                    .into_iter()
                    .map(|(name, value)| (name, Binding::Ready(value)))
                    .collect(),
                mixins: Vec::new(),
                parent: Some(definition_frame.clone()),
                caller: Some(context.frame.clone()),
            };
            let arguments = Rc::new(arguments);
            let inner = Context {
                frame: Frame::for_body(body, Some(arguments)),
                important: context.important || important,
                called: true,
                depth: context.depth + 1,
                ..context.clone()
            };
            if let Some(guard) = guard {
                if !self.guard(guard, &inner) {
                    continue;
                }
            }
            self.body(body, &inner, items, out);
        }
        if !arguments_fit {
            let shown: Vec<String> = values.iter().map(|(_, v)| v.to_css()).collect();
            self.error(
                &pos,
                &pos,
                format!(
                    "no matching definition was found for `{call_name}({})`",
                    shown.join(", ")
                ),
            );
        }
    }

    /// Binds call arguments to parameters; None when they do not fit.
    fn bind<'s>(
        &mut self,
        params: &'s [MixinParam],
        values: &[(Option<String>, Value)],
        context: &Context<'s>,
    ) -> Option<Vec<(&'s str, Value)>> {
        let positional: Vec<&Value> = values
            .iter()
            .filter(|(name, _)| name.is_none())
            .map(|(_, v)| v)
            .collect();
        let variadic = params.iter().any(|p| p.variadic);
        let fixed = params.iter().filter(|p| !p.variadic).count();
        if positional.len() > fixed && !variadic {
            return None;
        }
        let mut bindings: Vec<(&'s str, Value)> = Vec::new();
        let mut all = Vec::new();
        let mut next = 0;
        for param in params {
            if param.variadic {
                let rest: Vec<Value> = positional.iter().skip(next).map(|v| (*v).clone()).collect();
                all.extend(rest.iter().cloned());
                if let Some(name) = &param.name {
                    bindings.push((name, Value::List(rest, Separator::Space)));
                }
                next = positional.len();
                continue;
            }
            if let Some(pattern) = &param.pattern {
                let expected = self.value(pattern, context);
                let given = positional.get(next)?;
                next += 1;
                if expected.to_css() != given.to_css() {
                    return None;
                }
                all.push((*given).clone());
                continue;
            }
            let name = param.name.as_deref().unwrap_or_default();
            let named = values
                .iter()
                .find(|(n, _)| n.as_deref() == Some(name))
                .map(|(_, v)| v.clone());
            let value = match named {
                Some(value) => value,
                None if next < positional.len() => {
                    next += 1;
                    positional[next - 1].clone()
                }
                None => {
                    let default = param.default.as_ref()?;
                    // Defaults see the parameters bound before them.
                    let scope = Rc::new(Frame {
                        variables: bindings
                            .iter()
                            .map(|(n, v)| (*n, Binding::Ready(v.clone())))
                            .collect(),
                        mixins: Vec::new(),
                        parent: Some(context.frame.clone()),
                        caller: None,
                    });
                    self.value(
                        default,
                        &Context {
                            frame: scope,
                            ..context.clone()
                        },
                    )
                }
            };
            all.push(value.clone());
            bindings.push((name, value));
        }
        bindings.push(("arguments", Value::List(all, Separator::Space)));
        Some(bindings)
    }

    fn guard(&mut self, guard: &Guard, context: &Context<'_>) -> bool {
        guard.alternatives.iter().any(|conditions| {
            conditions
                .iter()
                .all(|condition| self.condition(condition, context))
        })
    }

    fn condition(&mut self, condition: &Condition, context: &Context<'_>) -> bool {
        let left = self.value(&condition.left, context);
        let holds = match &condition.compare {
            None => left.to_css() == "true",
            Some((op, right)) => {
                let right = self.value(right, context);
                compare(&left, op, &right)
            }
        };
        holds != condition.negated
    }

    fn lookup<'s>(&mut self, name: &str, context: &Context<'s>, pos: &Pos) -> Value {
        // Searching costs a step per scope (deep mixin calls have long chains).
        let chain = context.frame.chain();
        if !self.charge(chain.len(), pos) {
            return Value::Raw(String::new());
        }
        for frame in chain {
            match frame.variables.get(name) {
                Some(Binding::Ready(value)) => {
                    // A copy costs its size: a mixin argument may be huge.
                    if !self.charge(value_size(value), pos) {
                        return Value::Raw(String::new());
                    }
                    return value.clone();
                }
                Some(Binding::Lazy(expr)) => {
                    if self.evaluating.len() >= MAX_DEPTH {
                        self.error(
                            pos,
                            &context.pos,
                            format!(
                                "variables refer to each other more than {MAX_DEPTH} levels deep at @{name}"
                            ),
                        );
                        return Value::Raw(String::new());
                    }
                    if self.evaluating.iter().any(|n| n == name) {
                        self.error(
                            pos,
                            &context.pos,
                            format!("recursive variable definition for @{name}"),
                        );
                        return Value::Raw(String::new());
                    }
                    self.evaluating.push(name.to_string());
                    let scope = Context {
                        frame: frame.clone(),
                        ..context.clone()
                    };
                    let value = self.value(expr, &scope);
                    self.evaluating.pop();
                    return value;
                }
                None => {}
            }
        }
        self.error(pos, &context.pos, format!("variable @{name} is undefined"));
        Value::Raw(String::new())
    }

    fn value(&mut self, expr: &Expr, context: &Context<'_>) -> Value {
        if !self.charge(1, &context.pos) {
            return Value::Raw(String::new());
        }
        match expr {
            Expr::Number(number, unit) => Value::Number(*number, unit.clone()),
            Expr::Color(text) => {
                Color::from_literal(text).map_or_else(|| Value::Keyword(text.clone()), Value::Color)
            }
            Expr::Quoted {
                text,
                quote,
                escaped,
            } => Value::Quoted {
                text: self.interpolate(text, context),
                quote: *quote,
                escaped: *escaped,
            },
            Expr::Keyword(word) => Value::Keyword(word.clone()),
            Expr::Variable {
                name,
                indirect,
                pos,
            } => {
                let value = self.lookup(name, context, pos);
                if *indirect {
                    let target = value.to_interpolated();
                    self.lookup(&target, context, pos)
                } else {
                    value
                }
            }
            Expr::Call { name, args, pos } => {
                let values: Vec<Value> = args.iter().map(|arg| self.value(arg, context)).collect();
                match functions::call(name, &values) {
                    Some(Ok(value)) => value,
                    Some(Err(message)) => {
                        self.error(pos, &context.pos, message);
                        Value::Raw(String::new())
                    }
                    None => {
                        let shown: Vec<String> = values.iter().map(Value::to_css).collect();
                        Value::Raw(format!("{name}({})", shown.join(", ")))
                    }
                }
            }
            Expr::Url(raw) => Value::Raw(format!("url({})", self.interpolate(raw, context))),
            Expr::Operation { op, left, right } => {
                let left = self.value(left, context);
                let right = self.value(right, context);
                operate(*op, left, right)
            }
            Expr::Slash {
                left,
                right,
                spaced,
            } => {
                let left = self.value(left, context);
                let right = self.value(right, context);
                Value::List(vec![left, right], Separator::Slash { spaced: *spaced })
            }
            Expr::Negate(inner) => match self.value(inner, context) {
                Value::Number(number, unit) => Value::Number(-number, unit),
                other => Value::Raw(format!("-{}", other.to_css())),
            },
            Expr::Paren(inner) => self.value(inner, context),
            Expr::Space(items) => Value::List(
                items.iter().map(|item| self.value(item, context)).collect(),
                Separator::Space,
            ),
            Expr::Comma(items) => Value::List(
                items.iter().map(|item| self.value(item, context)).collect(),
                Separator::Comma,
            ),
            Expr::Raw(text) => Value::Raw(self.interpolate_variables(text, context, false)),
        }
    }

    /// Replaces `@{name}` with the variable's value (strings unquoted).
    fn interpolate(&mut self, text: &str, context: &Context<'_>) -> String {
        let mut out = String::new();
        let mut rest = text;
        while let Some(start) = rest.find("@{") {
            let Some(length) = rest[start..].find('}') else {
                break;
            };
            out.push_str(&rest[..start]);
            let name = &rest[start + 2..start + length];
            let pos = context.pos.clone();
            out.push_str(&self.lookup(name, context, &pos).to_interpolated());
            rest = &rest[start + length + 1..];
        }
        out.push_str(rest);
        out
    }

    /// Like [`Self::interpolate`], and also replaces bare `@name` (after
    /// the leading at-keyword of a prelude such as `@keyframes @name`).
    fn interpolate_variables(
        &mut self,
        text: &str,
        context: &Context<'_>,
        is_prelude: bool,
    ) -> String {
        let text = self.interpolate(text, context);
        let keyword_length = if is_prelude && text.starts_with('@') {
            1 + text[1..]
                .chars()
                .take_while(|c| super::expr::is_name_char(*c))
                .map(char::len_utf8)
                .sum::<usize>()
        } else {
            0
        };
        let mut out = text[..keyword_length].to_string();
        let mut rest = &text[keyword_length..];
        while let Some(at) = rest.find('@') {
            out.push_str(&rest[..at]);
            let name: String = rest[at + 1..]
                .chars()
                .take_while(|c| super::expr::is_name_char(*c))
                .collect();
            if name.is_empty() {
                out.push('@');
                rest = &rest[at + 1..];
                continue;
            }
            let pos = context.pos.clone();
            out.push_str(&self.lookup(&name, context, &pos).to_interpolated());
            rest = &rest[at + 1 + name.len()..];
        }
        out.push_str(rest);
        out
    }
}

/// The cost of copying `value`: one step per value and per 16 bytes of
/// text. Lists nest only as deeply as the expression they came from,
/// which the pre-scan bounds.
fn value_size(value: &Value) -> usize {
    match value {
        Value::List(items, _) => 1 + items.iter().map(value_size).sum::<usize>(),
        Value::Quoted { text, .. } | Value::Keyword(text) | Value::Raw(text) => 1 + text.len() / 16,
        Value::Number(..) | Value::Color(_) => 1,
    }
}

/// Mixins (and plain rulesets) named by `path`, with the scope each was
/// defined in. Searches scopes innermost first and stops at the first
/// scope that has any.
fn find_mixins<'s>(chain: &[Rc<Frame<'s>>], path: &[String]) -> Vec<(&'s Stmt, Rc<Frame<'s>>)> {
    let Some((first, rest)) = path.split_first() else {
        return Vec::new();
    };
    for scope in chain {
        let mut found = Vec::new();
        for stmt in &scope.mixins {
            if mixin_name(stmt) != Some(first.as_str()) {
                continue;
            }
            if rest.is_empty() {
                found.push((*stmt, scope.clone()));
            } else if let Stmt::Rule { body, .. } | Stmt::MixinDef { body, .. } = stmt {
                let inner = Frame::for_body(body, Some(scope.clone()));
                found.extend(find_in_namespace(&inner, rest));
            }
        }
        if !found.is_empty() {
            return found;
        }
    }
    Vec::new()
}

fn find_in_namespace<'s>(frame: &Rc<Frame<'s>>, path: &[String]) -> Vec<(&'s Stmt, Rc<Frame<'s>>)> {
    let Some((first, rest)) = path.split_first() else {
        return Vec::new();
    };
    let mut found = Vec::new();
    for stmt in &frame.mixins {
        if mixin_name(stmt) != Some(first.as_str()) {
            continue;
        }
        if rest.is_empty() {
            found.push((*stmt, frame.clone()));
        } else if let Stmt::Rule { body, .. } | Stmt::MixinDef { body, .. } = stmt {
            found.extend(find_in_namespace(
                &Frame::for_body(body, Some(frame.clone())),
                rest,
            ));
        }
    }
    found
}

fn mixin_name(stmt: &Stmt) -> Option<&str> {
    match stmt {
        Stmt::MixinDef { name, .. } => Some(name),
        Stmt::Rule { selector, .. } => {
            let selector = selector.trim();
            let simple = selector.len() > 1
                && (selector.starts_with('.') || selector.starts_with('#'))
                && selector[1..].chars().all(super::expr::is_name_char);
            simple.then_some(selector)
        }
        _ => None,
    }
}

fn operate(op: char, left: Value, right: Value) -> Value {
    match (&left, &right) {
        (Value::Number(a, unit_a), Value::Number(b, unit_b)) => {
            let unit = if unit_a.is_empty() { unit_b } else { unit_a };
            Value::Number(apply(op, *a, *b), unit.clone())
        }
        (Value::Color(a), Value::Color(b)) => Value::Color(a.operate(op, b)),
        (Value::Color(a), Value::Number(n, _)) => {
            Value::Color(a.operate(op, &Color::new([*n; 3], 1.0)))
        }
        _ => Value::Raw(format!("{} {op} {}", left.to_css(), right.to_css())),
    }
}

fn compare(left: &Value, op: &str, right: &Value) -> bool {
    if let (Some((a, _)), Some((b, _))) = (left.as_number(), right.as_number()) {
        return match op {
            "=" => a == b,
            "<" => a < b,
            ">" => a > b,
            "<=" | "=<" => a <= b,
            _ => a >= b,
        };
    }
    if let (Some(a), Some(b)) = (left.as_color(), right.as_color()) {
        return op == "=" && a.rgb == b.rgb && a.alpha == b.alpha;
    }
    match op {
        "=" | "<=" | "=<" | ">=" | "=>" => left.to_interpolated() == right.to_interpolated(),
        _ => false,
    }
}
