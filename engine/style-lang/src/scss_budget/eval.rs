//! Runs one body (a mixin, a function or a file's top level) over
//! linear size estimates, once, in source order: what it costs to expand
//! (`count`), what it returns, outputs and writes into globals, each as a
//! [`Lin`] of its arguments and of the globals it finds.

use std::collections::{HashMap, HashSet};

use super::lin::{sat_pow, Lin, MAX_PARAM_DIMS};
use super::parse::{
    Body, Bound, Builtin, Def, Kind, NameId, Names, Parsed, Stmt, StmtKind, Tok, GLOBALS,
};
use super::{MAX_EXPANSIONS, MAX_OUTPUT_BYTES, MAX_VALUE_BYTES, MAX_VARIABLE_BYTES};
use crate::scss_limits::MAX_LOOP_ITERATIONS;

const LOOP_BOUND: u64 = MAX_LOOP_ITERATIONS as u64;

/// Blocks the evaluation descends into: the nesting limit.
const MAX_BLOCK_NESTING: usize = crate::nesting::MAX_NESTING;

/// What using a body costs, relative to its arguments and the globals.
#[derive(Clone, Debug, Default)]
pub(super) struct Summary {
    /// Bodies expanded per use, itself included.
    pub count: u64,
    pub ret: Lin,
    /// CSS (and `@debug` text) per use.
    pub out: Lin,
    /// The most one iteration of a loop whose count is unknown here
    /// outputs; such iterations are bounded by the loop counter for the
    /// whole compilation, not per use.
    pub glob: Lin,
    /// The largest global after a use, when it writes globals.
    pub side: Option<Lin>,
    /// How often `@content` runs per use.
    pub contents: u64,
    /// `@content` inside a loop of unknown count.
    pub content_unbounded: bool,
    pub params: Vec<NameId>,
    /// Several definitions share the name: arguments share one dimension.
    pub merged: bool,
    /// The globals it writes, by name, with their values.
    pub named: Vec<(NameId, Lin)>,
    /// A function that returns a number when its arguments are numbers.
    pub scalar_if_args: bool,
    /// It may write globals `named` does not list (through a body that
    /// does, or too many to list): readers must assume any global grew.
    pub wild: bool,
}

/// The most globals a body's writes are listed for, by name.
const MAX_NAMED: usize = 256;

fn collapse(lin: &mut Lin) {
    if lin.p.len() > 1 {
        let max = lin.p.iter().copied().max().unwrap_or(0);
        lin.p = vec![max];
    }
}

impl Summary {
    /// An upper bound of two definitions of one name.
    pub fn merge(mut self, mut other: Summary) -> Summary {
        if self.params != other.params || self.merged || other.merged {
            for s in [&mut self, &mut other] {
                s.merged = true;
                collapse(&mut s.ret);
                collapse(&mut s.out);
                collapse(&mut s.glob);
                if let Some(side) = &mut s.side {
                    collapse(side);
                }
                for (_, lin) in &mut s.named {
                    collapse(lin);
                }
            }
        }
        for (name, lin) in other.named {
            match self.named.iter_mut().find(|(n, _)| *n == name) {
                Some((_, existing)) => existing.max_with(&lin),
                None => self.named.push((name, lin)),
            }
        }
        self.wild |= other.wild || self.named.len() > MAX_NAMED;
        self.count = self.count.max(other.count);
        self.ret.max_with(&other.ret);
        self.out.max_with(&other.out);
        self.glob.max_with(&other.glob);
        self.side = match (self.side, other.side) {
            (Some(mut a), Some(b)) => {
                a.max_with(&b);
                Some(a)
            }
            (a, b) => a.or(b),
        };
        self.contents = self.contents.max(other.contents);
        self.content_unbounded |= other.content_unbounded;
        self.scalar_if_args &= other.scalar_if_args;
        self
    }
}

/// What the evaluation of one body can see.
pub(super) struct World<'w> {
    pub names: &'w Names,
    pub summaries: &'w HashMap<(Kind, NameId), Summary>,
    /// The upper bound of every function (for `call()`).
    pub any_function: Option<&'w Summary>,
}

pub(super) struct Outcome {
    pub summary: Summary,
    /// Where the body crosses a limit, and why.
    pub refusal: Option<(usize, String)>,
    /// Per loop and content block (by the offset of its `@`): the bodies
    /// one repetition expands, for the runtime loop counter.
    pub weights: Vec<(usize, u64)>,
    /// Loops whose count is not known here: each iteration is charged
    /// for its output at run time.
    pub charged: Vec<usize>,
    /// The most one such iteration outputs (at the entry: in bytes).
    pub glob: u64,
}

struct Entry {
    lin: Lin,
    generation: u64,
    global: bool,
}

#[derive(Clone, Copy)]
struct Ctx {
    /// Repetitions known here: literal `@for` counts, `@content` runs.
    mult: u64,
    /// The same, since the innermost loop or content block.
    loop_mult: u64,
    /// Assignments only raise estimates (conditional or scoped blocks).
    weak: bool,
    /// Selectors of the enclosing rule and their length.
    sel_count: u64,
    sel_bytes: u64,
}

#[derive(Default)]
struct Out {
    out: Lin,
    glob: Lin,
    big: (u64, usize),
    glob_big: (u64, usize),
}

impl Out {
    fn add(&mut self, lin: &Lin, at: usize) {
        self.out.add(lin);
        if lin.c >= self.big.0 {
            self.big = (lin.c, at);
        }
    }

    fn glob(&mut self, lin: &Lin, at: usize) {
        self.glob.max_with(lin);
        if lin.c >= self.glob_big.0 {
            self.glob_big = (lin.c, at);
        }
    }

    fn absorb(&mut self, other: Out) {
        self.add(&other.out, other.big.1);
        self.glob(&other.glob, other.glob_big.1);
    }
}

struct LoopFrame {
    depth: usize,
    direct: u64,
    /// The assignment that grows most per repetition: its pool
    /// coefficient, offset and variable.
    culprit: (u64, usize, NameId),
}

struct Arg {
    keyword: Option<NameId>,
    rest: bool,
    lin: Lin,
}

struct Frame {
    call: Option<(NameId, u32, usize)>,
    /// Commas of a comma list or map.
    commas: u64,
    /// Where the current item started (bytes of `cur`), the largest item
    /// so far, and whether every item was of known size.
    item_start: u64,
    max_item: u64,
    items_concrete: bool,
    /// Keys with a colon: a map.
    map: bool,
    args: Vec<Arg>,
    cur: Lin,
    keyword: Option<NameId>,
    rest: bool,
    any: bool,
    operands_scalar: bool,
    nonscalar: bool,
}

impl Frame {
    fn new(call: Option<(NameId, u32, usize)>) -> Frame {
        Frame {
            call,
            commas: 0,
            item_start: 0,
            max_item: 0,
            items_concrete: true,
            map: false,
            args: Vec::new(),
            cur: Lin::default(),
            keyword: None,
            rest: false,
            any: false,
            operands_scalar: true,
            nonscalar: false,
        }
    }

    /// Adds an operand's value (kept whole, number or not, when it is the
    /// first thing in this argument).
    fn push_operand(&mut self, value: Lin) {
        self.operands_scalar &= value.scalar;
        if self.any {
            self.cur.add(&value);
        } else {
            self.cur = value;
        }
        self.any = true;
    }

    /// Closes a comma-separated item of a list or map.
    fn end_item(&mut self) {
        self.items_concrete &= self.cur.is_concrete();
        self.max_item = self
            .max_item
            .max(self.cur.c.saturating_sub(self.item_start));
        self.item_start = self.cur.c;
    }

    fn finish_arg(&mut self) {
        if self.any || self.keyword.is_some() || self.rest {
            self.args.push(Arg {
                keyword: self.keyword.take(),
                rest: std::mem::take(&mut self.rest),
                lin: std::mem::take(&mut self.cur),
            });
            self.any = false;
        }
    }
}

enum Times {
    Literal(u64),
    Each(Lin),
    Unknown,
}

/// A loop between its symbolic repetition's start and end.
struct Repetition {
    times: Times,
    depth: usize,
    saved_vars: Vec<(NameId, Option<Entry>)>,
    sorted: Vec<NameId>,
    nonscalar: HashSet<NameId>,
    start: Lin,
    unknown: bool,
    at: usize,
    inner: Ctx,
}

struct Eval<'e> {
    world: &'e World<'e>,
    parsed: &'e Parsed,
    stmts: &'e [Stmt],
    file_node: bool,
    entry: bool,
    env: HashMap<NameId, Entry>,
    generation: u64,
    depth: usize,
    nesting: usize,
    frames: Vec<LoopFrame>,
    unknown_loops: usize,
    count: u64,
    contents: u64,
    content_unbounded: bool,
    ret: Option<Lin>,
    ret_site: (u64, usize),
    globals_written: bool,
    /// A body that writes unlisted globals ran.
    wild: bool,
    live: u64,
    refusal: Option<(usize, String)>,
    weights: Vec<(usize, u64)>,
    charged: Vec<usize>,
    label: String,
}

fn sum_args(args: &[Arg]) -> Lin {
    let mut out = Lin::default();
    for arg in args {
        out.add(&arg.lin);
    }
    out.add_constant(args.len() as u64);
    out
}

/// How many items a list function returns and the largest, when its
/// arguments' are known.
fn sum_items(name: &str, args: &[Arg]) -> (Option<u64>, Option<u64>) {
    let count = |i: usize| args.get(i).and_then(|a| a.lin.items);
    let largest = |i: usize| args.get(i).and_then(|a| a.lin.max_item);
    let size = |i: usize| args.get(i).filter(|a| a.lin.is_concrete()).map(|a| a.lin.c);
    let both = |a: Option<u64>, b: Option<u64>| Some(a?.max(b?));
    match name {
        "append" => (
            count(0).map(|n| n.saturating_add(1)),
            both(largest(0), size(1)),
        ),
        "join" | "map-merge" | "merge" => (
            count(0).zip(count(1)).map(|(a, b)| a.saturating_add(b)),
            both(largest(0), largest(1)),
        ),
        "zip" => (
            args.iter()
                .map(|a| a.lin.items)
                .try_fold(0u64, |m, n| Some(m.max(n?))),
            args.iter()
                .map(|a| a.lin.max_item)
                .try_fold(0u64, |m, n| Some(m.saturating_add(n?).saturating_add(1))),
        ),
        _ => (None, None),
    }
}

/// Binds call arguments to a body's argument dimensions.
fn bind(summary: &Summary, args: &[Arg]) -> Vec<Lin> {
    let dims = if summary.merged {
        1
    } else {
        summary.params.len().clamp(1, MAX_PARAM_DIMS)
    };
    let mut bound = vec![Lin::default(); dims];
    let mut position = 0usize;
    for arg in args {
        let index = if arg.rest || summary.merged {
            None
        } else if let Some(keyword) = arg.keyword {
            summary.params.iter().position(|p| *p == keyword)
        } else {
            position += 1;
            Some(position - 1)
        };
        match index {
            Some(i) => bound[i.min(dims - 1)].add(&arg.lin),
            None => {
                for b in &mut bound {
                    b.add(&arg.lin);
                }
            }
        }
    }
    bound
}

/// All the items an `@each` walks, together (nothing for other loops).
fn items_of(times: &Times) -> Lin {
    match times {
        Times::Each(total) => {
            let mut total = total.clone();
            total.items = None;
            total.max_item = None;
            total
        }
        _ => Lin::default(),
    }
}

/// The most one item of an `@each` can be: its largest, when known.
fn item_bound(times: &Times) -> Lin {
    match times {
        Times::Each(Lin {
            max_item: Some(largest),
            ..
        }) => Lin::constant(*largest),
        _ => items_of(times),
    }
}

fn mib(bytes: u64) -> u64 {
    bytes >> 20
}

impl Eval<'_> {
    /// A body's estimate at a use here: its arguments, and the globals as
    /// they are here, put in.
    fn substitute(&self, template: &Lin, globals: &Lin, bound: &[Lin]) -> Lin {
        if template.is_concrete() {
            return template.clone();
        }
        let mut out = Lin::constant(template.c);
        if template.f > 0 {
            out.add(&globals.scaled(template.f));
        }
        for &(name, coef) in &template.g {
            if coef > 0 {
                out.add(&self.read(name).scaled(coef));
            }
        }
        for (coef, arg) in template.p.iter().zip(bound) {
            if *coef > 0 {
                out.add(&arg.scaled(*coef));
            }
        }
        out.scalar = template.scalar;
        out
    }

    fn refuse(&mut self, at: usize, message: String) {
        if self.refusal.is_none() {
            self.refusal = Some((at, message));
        }
    }

    fn name(&self, id: NameId) -> &str {
        self.world.names.spelled(id)
    }

    fn globals(&self) -> Lin {
        self.env
            .get(&GLOBALS)
            .map(|e| e.lin.clone())
            .unwrap_or_default()
    }

    fn read_opt(&self, name: NameId) -> Option<Lin> {
        let entry = self.env.get(&name)?;
        let mut lin = entry.lin.clone();
        if name != GLOBALS && entry.global && entry.generation < self.generation {
            // A body that writes globals ran since: it may have written this.
            lin.max_with(&self.globals());
        }
        Some(lin)
    }

    fn read(&self, name: NameId) -> Lin {
        match self.read_opt(name) {
            Some(lin) => lin,
            // At the entry, a name not assigned yet is defined by a file
            // not read yet: grass reads it (and this estimate runs again)
            // before anything after its import runs.
            None if self.entry && !self.wild => Lin::default(),
            None if self.entry || self.wild => self.globals(),
            // A global as the body finds it.
            None => Lin::global(name),
        }
    }

    fn raise_globals(&mut self, lin: &Lin) {
        let mut globals = self.globals();
        globals.max_with(lin);
        self.env.insert(
            GLOBALS,
            Entry {
                lin: globals,
                generation: self.generation,
                global: true,
            },
        );
        self.globals_written = true;
    }

    fn set(&mut self, name: NameId, lin: Lin, global: bool, at: usize) {
        if global && self.file_node {
            let old = self
                .env
                .get(&name)
                .filter(|e| e.global)
                .map_or(0, |e| e.lin.c);
            self.live = self.live.saturating_sub(old).saturating_add(lin.c);
            if self.live > MAX_VARIABLE_BYTES {
                self.refuse(
                    at,
                    format!(
                        "the variables of this file would hold more than {} MiB together \
                         (estimated from the values they repeat); the SCSS compiler has no \
                         memory limit, so this file is not compiled",
                        mib(MAX_VARIABLE_BYTES)
                    ),
                );
            }
        }
        self.env.insert(
            name,
            Entry {
                lin,
                generation: self.generation,
                global,
            },
        );
    }

    fn value_message(&self, name: NameId, why: &str) -> String {
        format!(
            "`${}` would hold more than {} MiB ({why}); the SCSS compiler has no memory \
             limit, so this file is not compiled",
            self.name(name),
            mib(MAX_VALUE_BYTES)
        )
    }

    fn assign(&mut self, name: NameId, lin: Lin, global: bool, weak: bool, at: usize) {
        let global = global || self.file_node || self.env.get(&name).is_some_and(|e| e.global);
        let lin = match (weak, self.read_opt(name)) {
            (true, Some(mut old)) => {
                old.max_with(&lin);
                old
            }
            _ => lin,
        };
        if lin.exceeds(MAX_VALUE_BYTES) {
            let message = self.value_message(name, "estimated from the values it repeats");
            self.refuse(at, message);
        }
        self.note_growth(name, &lin, at);
        if global {
            self.raise_globals(&lin);
        }
        self.set(name, lin, global, at);
    }

    /// Remembers, per open loop, the write that grows most per iteration.
    fn note_growth(&mut self, name: NameId, lin: &Lin, at: usize) {
        for frame in &mut self.frames {
            let coef = lin.pool.get(frame.depth).copied().unwrap_or(0);
            if coef > frame.culprit.0 {
                frame.culprit = (coef, at, name);
            }
        }
    }

    fn add_count(&mut self, n: u64, at: usize, ctx: &Ctx) {
        self.count = self.count.saturating_add(ctx.mult.saturating_mul(n));
        if let Some(frame) = self.frames.last_mut() {
            frame.direct = frame.direct.saturating_add(ctx.loop_mult.saturating_mul(n));
        }
        if self.count >= MAX_EXPANSIONS {
            let message = format!(
                "{} would expand more than {MAX_EXPANSIONS} @mixin and @function bodies \
                 (each @include and call counted with those it makes in turn); the SCSS \
                 compiler has no limit, so this file is not compiled",
                self.label
            );
            self.refuse(at, message);
        }
    }

    /// Runs an expression; with `capture`, returns the arguments of its
    /// outermost call instead of calling.
    fn machine(&mut self, toks: &[Tok], ctx: &Ctx, capture: bool) -> (Lin, Vec<Arg>) {
        let mut stack = vec![Frame::new(None)];
        let mut captured = Vec::new();
        for tok in toks {
            match tok {
                Tok::Lit(n) => {
                    if let Some(top) = stack.last_mut() {
                        top.cur.add_constant(u64::from(*n));
                        top.any = true;
                    }
                }
                Tok::Var(name) => {
                    let value = self.read(*name);
                    if let Some(top) = stack.last_mut() {
                        top.push_operand(value);
                    }
                }
                Tok::Group => stack.push(Frame::new(None)),
                Tok::Call { name, len, at } => stack.push(Frame::new(Some((*name, *len, *at)))),
                Tok::Comma => {
                    if let Some(top) = stack.last_mut() {
                        top.finish_arg();
                    }
                }
                Tok::Keyword(name) => {
                    if let Some(top) = stack.last_mut() {
                        top.finish_arg();
                        top.keyword = Some(*name);
                    }
                }
                Tok::Rest => {
                    if let Some(top) = stack.last_mut() {
                        top.rest = true;
                    }
                }
                Tok::NonScalar => {
                    if let Some(top) = stack.last_mut() {
                        top.nonscalar = true;
                    }
                }
                Tok::Item => {
                    if let Some(top) = stack.last_mut() {
                        top.end_item();
                        top.commas += 1;
                    }
                }
                Tok::MapColon => {
                    if let Some(top) = stack.last_mut() {
                        top.map = true;
                    }
                }
                Tok::Close => {
                    if stack.len() <= 1 {
                        continue;
                    }
                    let Some(mut frame) = stack.pop() else { break };
                    if capture && stack.len() == 1 && captured.is_empty() {
                        frame.finish_arg();
                        captured = frame.args;
                        continue;
                    }
                    let value = self.finish(frame, ctx);
                    if let Some(top) = stack.last_mut() {
                        top.push_operand(value);
                    }
                }
            }
        }
        while stack.len() > 1 {
            if let Some(frame) = stack.pop() {
                let value = self.finish(frame, ctx);
                if let Some(top) = stack.last_mut() {
                    top.cur.add(&value);
                }
            }
        }
        let root = stack.pop().map(|f| f.cur).unwrap_or_default();
        (root, captured)
    }

    fn expr(&mut self, toks: &[Tok], ctx: &Ctx) -> Lin {
        // A lone group: its value (and whether it is a number) as is.
        self.machine(toks, ctx, false).0
    }

    fn finish(&mut self, mut frame: Frame, ctx: &Ctx) -> Lin {
        let scalar_shape = !frame.nonscalar && frame.operands_scalar;
        let Some((name, len, at)) = frame.call else {
            if scalar_shape {
                return Lin::scalar();
            }
            frame.end_item();
            let mut value = frame.cur;
            value.scalar = false;
            if frame.commas > 0 || frame.map {
                value.items = Some(frame.commas + 1);
                value.max_item = frame.items_concrete.then_some(frame.max_item);
            }
            return value;
        };
        frame.finish_arg();
        let world = self.world;
        if let Some(summary) = world.summaries.get(&(Kind::Function, name)) {
            let value = self.apply_function(summary, &frame.args, at, ctx);
            if summary.scalar_if_args && scalar_shape {
                return Lin::scalar();
            }
            return value;
        }
        match world.names.builtin(name) {
            Some(Builtin::AlwaysScalar) => Lin::scalar(),
            Some(Builtin::ScalarIfArgs | Builtin::Multiplies) if scalar_shape => Lin::scalar(),
            Some(Builtin::ScalarIfArgs | Builtin::Multiplies) => sum_args(&frame.args),
            Some(Builtin::Sum) => {
                let mut value = sum_args(&frame.args);
                (value.items, value.max_item) = sum_items(world.names.spelled(name), &frame.args);
                value
            }
            Some(Builtin::First) => {
                let first = frame
                    .args
                    .first()
                    .map(|a| a.lin.clone())
                    .unwrap_or_default();
                match world.names.spelled(name) {
                    "map-keys" | "keys" | "map-values" | "values" | "map-remove" | "remove" => {
                        let mut value = first.clone();
                        value.add_constant(2);
                        value.items = first.items;
                        value.max_item = first.max_item;
                        value
                    }
                    // One item (of a map, possibly nested: still one item).
                    "nth" | "map-get" | "get" if first.max_item.is_some() => {
                        Lin::constant(first.max_item.unwrap_or_default())
                    }
                    _ => {
                        let mut value = first;
                        value.add_constant(2);
                        value
                    }
                }
            }
            Some(Builtin::If) => {
                let mut value = Lin::default();
                for arg in frame.args.iter().skip(1) {
                    value.max_with(&arg.lin);
                }
                if frame.args.len() < 2 {
                    value = sum_args(&frame.args);
                }
                value
            }
            Some(Builtin::Product) => {
                if frame.args.iter().all(|a| a.lin.is_concrete()) {
                    let product = frame
                        .args
                        .iter()
                        .fold(1u64, |acc, a| acc.saturating_mul(a.lin.c.max(1)));
                    Lin::constant(product)
                } else {
                    sum_args(&frame.args)
                }
            }
            Some(Builtin::Call) => match world.any_function {
                Some(summary) => self.apply_function(summary, &frame.args, at, ctx),
                None => sum_args(&frame.args),
            },
            None => {
                let mut value = sum_args(&frame.args);
                value.add_constant(u64::from(len) + 2);
                value
            }
        }
    }

    fn apply_function(&mut self, summary: &Summary, args: &[Arg], at: usize, ctx: &Ctx) -> Lin {
        self.add_count(summary.count, at, ctx);
        let bound = bind(summary, args);
        let globals = self.globals();
        self.side_effect(summary, &globals, &bound, at);
        self.substitute(&summary.ret, &globals, &bound)
    }

    /// What a body used here writes into globals.
    fn side_effect(&mut self, summary: &Summary, globals: &Lin, bound: &[Lin], at: usize) {
        let Some(side) = &summary.side else { return };
        let written = self.substitute(side, globals, bound);
        if summary.wild {
            self.wild = true;
            self.generation += 1;
        } else {
            for (name, lin) in &summary.named {
                let mut value = self.substitute(lin, globals, bound);
                if let Some(old) = self.read_opt(*name) {
                    value.max_with(&old);
                }
                self.note_growth(*name, &value, at);
                self.set(*name, value, true, at);
            }
        }
        if written.exceeds(MAX_VALUE_BYTES) {
            self.refuse(
                at,
                format!(
                    "a global variable this writes would hold more than {} MiB (estimated \
                     from the values it repeats); the SCSS compiler has no memory limit, so \
                     this file is not compiled",
                    mib(MAX_VALUE_BYTES)
                ),
            );
        }
        self.raise_globals(&written);
    }

    fn block(&mut self, body: &Body, ctx: &Ctx) -> Out {
        let mut out = Out::default();
        // Files are checked for nesting before they get here; this only
        // keeps the recursion bounded whatever it is given.
        if self.nesting >= MAX_BLOCK_NESTING {
            return out;
        }
        self.nesting += 1;
        let stmts = self.stmts;
        for &id in &body.stmts {
            if self.refusal.is_some() {
                break;
            }
            let Some(stmt) = stmts.get(id) else { continue };
            self.stmt(stmt, ctx, &mut out);
        }
        self.nesting -= 1;
        out
    }

    /// One statement. The recursive cases (blocks) keep their own frame
    /// small: a block nests up to the nesting limit, on whatever stack the
    /// compilation runs, so the work is done in helpers that return first.
    fn stmt(&mut self, stmt: &Stmt, ctx: &Ctx, out: &mut Out) {
        let at = stmt.at;
        match &stmt.kind {
            StmtKind::Rule { body, .. } => {
                let inner = self.rule_selectors(stmt, ctx, out);
                let body_out = self.block(body, &inner);
                out.absorb(body_out);
            }
            StmtKind::Block { prelude, body }
            | StmtKind::If {
                cond: prelude,
                body,
            } => {
                self.prelude(
                    prelude,
                    matches!(stmt.kind, StmtKind::Block { .. }),
                    ctx,
                    at,
                    out,
                );
                let inner = Ctx { weak: true, ..*ctx };
                let body_out = self.block(body, &inner);
                out.absorb(body_out);
            }
            StmtKind::Each { vars, body, .. } => {
                let times = self.times(stmt, ctx);
                let looped = self.repeat(times, body, vars, None, ctx, at, false);
                out.absorb(looped);
            }
            StmtKind::For { var, body, .. } => {
                let times = self.times(stmt, ctx);
                let looped = self.repeat(times, body, &[*var], None, ctx, at, false);
                out.absorb(looped);
            }
            StmtKind::While { cond, body } => {
                let looped = self.repeat(Times::Unknown, body, &[], Some(cond), ctx, at, false);
                out.absorb(looped);
            }
            StmtKind::Include { content, .. } => {
                if let Some(times) = self.include(stmt, ctx, out) {
                    if let Some(body) = content {
                        let looped = self.repeat(times, body, &[], None, ctx, at, true);
                        out.absorb(looped);
                    }
                }
            }
            _ => self.simple_stmt(stmt, ctx, out),
        }
    }

    #[inline(never)]
    fn simple_stmt(&mut self, stmt: &Stmt, ctx: &Ctx, out: &mut Out) {
        let at = stmt.at;
        match &stmt.kind {
            StmtKind::Assign {
                name,
                expr,
                global,
                default,
                int,
                items,
            } => {
                let mut value = self.expr(expr, ctx);
                if let Some((count, largest)) = items {
                    value.items = Some(*count);
                    value.max_item = Some(*largest);
                }
                value.int = *int;
                self.assign(*name, value, *global, ctx.weak || *default, at);
            }
            StmtKind::Return(expr) => {
                let value = self.expr(expr, ctx);
                if value.c >= self.ret_site.0 {
                    self.ret_site = (value.c, at);
                }
                match &mut self.ret {
                    Some(ret) => ret.max_with(&value),
                    None => self.ret = Some(value),
                }
            }
            StmtKind::Content(args) => {
                self.machine(args, ctx, false);
                self.contents = self.contents.saturating_add(ctx.mult);
                self.content_unbounded |= self.unknown_loops > 0;
            }
            StmtKind::Output(expr) => {
                let mut value = self.expr(expr, ctx);
                value.scalar = false;
                value.add_constant(1);
                out.add(&value, at);
            }
            StmtKind::Import(keys) => {
                for key in keys {
                    let world = self.world;
                    let Some(summary) = world.summaries.get(&(Kind::File, *key)) else {
                        continue;
                    };
                    self.add_count(summary.count, at, ctx);
                    let globals = self.globals();
                    self.side_effect(summary, &globals, &[], at);
                    let mut file_out = self.substitute(&summary.out, &globals, &[]);
                    file_out.scale(ctx.sel_count);
                    out.add(&file_out, at);
                    let mut glob = self.substitute(&summary.glob, &globals, &[]);
                    glob.scale(ctx.sel_count);
                    out.glob(&glob, at);
                }
            }
            _ => {}
        }
    }

    /// A rule's selectors: their output, and the context of its body.
    #[inline(never)]
    fn rule_selectors(&mut self, stmt: &Stmt, ctx: &Ctx, out: &mut Out) -> Ctx {
        let StmtKind::Rule { prelude, amps, .. } = &stmt.kind else {
            return *ctx;
        };
        let prelude = self.expr(prelude, ctx);
        let count = amps.iter().fold(0u64, |acc, amps| {
            acc.saturating_add(sat_pow(ctx.sel_count, u64::from((*amps).max(1))))
        });
        let bytes = ctx.sel_bytes.saturating_add(prelude.c);
        let mut selectors = prelude;
        selectors.c = bytes.saturating_add(2);
        selectors.scalar = false;
        selectors.scale(count);
        out.add(&selectors, stmt.at);
        Ctx {
            weak: true,
            sel_count: count,
            sel_bytes: bytes,
            ..*ctx
        }
    }

    /// An at-rule's prelude (output) or a condition (evaluated only).
    #[inline(never)]
    fn prelude(&mut self, prelude: &[Tok], output: bool, ctx: &Ctx, at: usize, out: &mut Out) {
        let mut value = self.expr(prelude, ctx);
        if output {
            value.scalar = false;
            out.add(&value, at);
        }
    }

    /// How often a loop runs, as far as it is known here.
    #[inline(never)]
    fn times(&mut self, stmt: &Stmt, ctx: &Ctx) -> Times {
        match &stmt.kind {
            StmtKind::Each { list, items, .. } => {
                let mut total = self.expr(list, ctx);
                if let Some((count, largest)) = items {
                    total.items = Some(*count);
                    total.max_item = Some(*largest);
                }
                Times::Each(total)
            }
            StmtKind::For {
                bounds,
                from,
                to,
                inclusive,
                ..
            } => {
                self.expr(bounds, ctx);
                let int = |bound: &Bound| match bound {
                    Bound::Int(n) => Some(*n),
                    Bound::Var(name) => self.read(*name).int,
                    Bound::Other => None,
                };
                match (int(from), int(to)) {
                    (Some(a), Some(b)) => {
                        let span = a.abs_diff(b).saturating_add(u64::from(*inclusive));
                        Times::Literal(span.min(LOOP_BOUND + 1))
                    }
                    _ => Times::Unknown,
                }
            }
            _ => Times::Unknown,
        }
    }

    /// An `@include`: its cost here; how often its content block runs.
    #[inline(never)]
    fn include(&mut self, stmt: &Stmt, ctx: &Ctx, out: &mut Out) -> Option<Times> {
        let StmtKind::Include { name, args, .. } = &stmt.kind else {
            return None;
        };
        let at = stmt.at;
        let (_, args) = self.machine(args, ctx, true);
        let world = self.world;
        let Some(summary) = world.summaries.get(&(Kind::Mixin, *name)) else {
            self.add_count(1, at, ctx);
            out.add(&sum_args(&args), at);
            return Some(Times::Literal(1));
        };
        self.add_count(summary.count, at, ctx);
        let bound = bind(summary, &args);
        let globals = self.globals();
        self.side_effect(summary, &globals, &bound, at);
        let mut mixin_out = self.substitute(&summary.out, &globals, &bound);
        mixin_out.scale(ctx.sel_count);
        out.add(&mixin_out, at);
        let mut glob = self.substitute(&summary.glob, &globals, &bound);
        glob.scale(ctx.sel_count);
        out.glob(&glob, at);
        Some(if summary.content_unbounded {
            Times::Unknown
        } else {
            Times::Literal(summary.contents.max(1))
        })
    }

    /// Which variables a repeated block carries from one repetition to
    /// the next that may not be numbers.
    fn classify(&self, body: &Body, carried: &HashSet<NameId>) -> HashSet<NameId> {
        let repeated = &body.repeated;
        let parsed = self.parsed;
        let assigns = &parsed.assigns[repeated.assigns.clone()];
        let for_vars: HashSet<NameId> = parsed.for_vars[repeated.for_vars.clone()]
            .iter()
            .copied()
            .collect();
        let mut first_assign: HashMap<NameId, usize> = HashMap::new();
        for (index, assign) in assigns.iter().enumerate() {
            first_assign.entry(assign.name).or_insert(index);
        }
        let mut nonscalar: HashSet<NameId> = HashSet::new();
        for &name in carried {
            if self.read_opt(name).is_some_and(|l| l.scalar) {
                continue;
            }
            // Not known to be a number before: fine only when every
            // repetition assigns it (directly, first) before reading it.
            let Some(&first) = first_assign.get(&name) else {
                // Written by a body it uses.
                nonscalar.insert(name);
                continue;
            };
            let direct = assigns[first].depth == repeated.depth;
            let read_before = assigns[..=first].iter().any(|a| a.refs.contains(&name));
            if !direct || read_before {
                nonscalar.insert(name);
            }
        }
        let mut edges: HashMap<NameId, Vec<NameId>> = HashMap::new();
        for assign in assigns {
            if !assign.shape_scalar {
                nonscalar.insert(assign.name);
                continue;
            }
            for r in &assign.refs {
                if carried.contains(r) {
                    edges.entry(*r).or_default().push(assign.name);
                } else if !for_vars.contains(r) && !self.read(*r).scalar {
                    nonscalar.insert(assign.name);
                }
            }
        }
        let mut work: Vec<NameId> = nonscalar.iter().copied().collect();
        while let Some(name) = work.pop() {
            if let Some(targets) = edges.get(&name) {
                for t in targets {
                    if nonscalar.insert(*t) {
                        work.push(*t);
                    }
                }
            }
        }
        nonscalar
    }

    /// A loop body or content block run `times` times: one symbolic
    /// repetition, then the closed form of its growth.
    #[allow(clippy::too_many_arguments)]
    fn repeat(
        &mut self,
        times: Times,
        body: &Body,
        vars: &[NameId],
        cond: Option<&Vec<Tok>>,
        ctx: &Ctx,
        at: usize,
        content: bool,
    ) -> Out {
        let state = self.repeat_start(times, body, vars, ctx, at, content);
        if let Some(cond) = cond {
            self.expr(cond, &state.inner);
        }
        let body_out = self.block(body, &state.inner);
        self.repeat_finish(state, body_out)
    }

    /// Before the symbolic repetition: the loop's variables bound, what it
    /// carries over standing for their maximum.
    #[inline(never)]
    fn repeat_start(
        &mut self,
        times: Times,
        body: &Body,
        vars: &[NameId],
        ctx: &Ctx,
        at: usize,
        content: bool,
    ) -> Box<Repetition> {
        let d = self.depth;
        self.depth += 1;
        // The loop's own variables.
        let mut saved_vars = Vec::new();
        for &var in vars {
            let lin = match times {
                Times::Each(_) => Lin::item(d),
                _ => Lin::scalar(),
            };
            saved_vars.push((var, self.env.remove(&var)));
            self.env.insert(
                var,
                Entry {
                    lin,
                    generation: self.generation,
                    global: false,
                },
            );
        }
        // What repetitions carry over.
        let world = self.world;
        let parsed = self.parsed;
        let callees = &parsed.callees[body.repeated.callees.clone()];
        let assigns = &parsed.assigns[body.repeated.assigns.clone()];
        let callee_writes = callees
            .iter()
            .any(|key| world.summaries.get(key).is_some_and(|s| s.side.is_some()));
        let mut carried: HashSet<NameId> = assigns.iter().map(|a| a.name).collect();
        for key in callees {
            if let Some(summary) = world.summaries.get(key) {
                carried.extend(summary.named.iter().map(|(name, _)| *name));
            }
        }
        let writes_globals =
            body.repeated.global_writes || callee_writes || (self.file_node && !carried.is_empty());
        let nonscalar = self.classify(body, &carried);
        if writes_globals {
            carried.insert(GLOBALS);
        }
        let mut start: Option<Lin> = None;
        let mut sorted: Vec<NameId> = carried.iter().copied().collect();
        sorted.sort_unstable();
        for &name in &sorted {
            let pool = name == GLOBALS || nonscalar.contains(&name);
            let before = if name == GLOBALS {
                self.globals()
            } else {
                self.read(name)
            };
            let global = self.env.get(&name).is_some_and(|e| e.global) || name == GLOBALS;
            let lin = if pool {
                match &mut start {
                    Some(m) => m.max_with(&before),
                    None => start = Some(before),
                }
                Lin::pool(d)
            } else {
                Lin::scalar()
            };
            self.env.insert(
                name,
                Entry {
                    lin,
                    generation: self.generation,
                    global,
                },
            );
        }
        let start = start.unwrap_or_default();
        let unknown = matches!(times, Times::Unknown)
            || matches!(&times, Times::Each(total) if !total.is_concrete() && total.items.is_none());
        self.frames.push(LoopFrame {
            depth: d,
            direct: 0,
            culprit: (0, at, GLOBALS),
        });
        if unknown {
            self.unknown_loops += 1;
        }
        let literal = match times {
            Times::Literal(n) => n,
            _ => 1,
        };
        let inner = Ctx {
            mult: ctx.mult.saturating_mul(literal),
            loop_mult: literal,
            weak: content,
            ..*ctx
        };
        Box::new(Repetition {
            times,
            depth: d,
            saved_vars,
            sorted,
            nonscalar,
            start,
            unknown,
            at,
            inner,
        })
    }

    /// After it: the closed form of the growth, the loop's output.
    #[inline(never)]
    fn repeat_finish(&mut self, state: Box<Repetition>, mut body_out: Out) -> Out {
        let Repetition {
            times,
            depth: d,
            saved_vars,
            sorted,
            nonscalar,
            start,
            unknown,
            at,
            ..
        } = *state;
        let frame = self.frames.pop().unwrap_or(LoopFrame {
            depth: d,
            direct: 0,
            culprit: (0, at, GLOBALS),
        });
        if unknown {
            self.unknown_loops -= 1;
        }
        // One repetition maps the carried maximum M to at most
        // max(a·M + b, fixed): `b` from the variables that carry M over,
        // `fixed` from those assigned afresh.
        let mut growth = 1u64;
        let mut step = Lin::default();
        let mut fixed = Lin::default();
        for &name in &sorted {
            if name != GLOBALS && !nonscalar.contains(&name) {
                continue;
            }
            let mut after = if name == GLOBALS {
                self.globals()
            } else {
                self.read(name)
            };
            let coef = after.take_pool(d);
            if coef == 0 {
                fixed.max_with(&after);
            } else {
                growth = growth.max(coef);
                step.max_with(&after);
            }
        }
        let mut start = start;
        let items = items_of(&times);
        let one_item = item_bound(&times);
        fixed.substitute_item(d, &one_item);
        start.max_with(&fixed);
        let n = match &times {
            Times::Literal(n) => *n,
            Times::Each(Lin {
                items: Some(items), ..
            }) => (*items).clamp(1, LOOP_BOUND),
            Times::Each(total) if total.is_concrete() => {
                (total.c.saturating_add(1) / 2).clamp(1, LOOP_BOUND)
            }
            _ => LOOP_BOUND,
        };
        let item_coef = step.take_item(d);
        let mut end = start.clone();
        if growth <= 1 {
            end.add(&step.scaled(n));
            end.add(&items.scaled(item_coef));
        } else {
            end.add(&step);
            end.add(&one_item.scaled(item_coef));
            end.scale(sat_pow(growth, n));
        }
        end.scalar = false;
        if end.exceeds(MAX_VALUE_BYTES) {
            let (_, culprit_at, culprit) = frame.culprit;
            let why = if growth > 1 {
                "it is repeated into itself on every loop iteration"
            } else {
                "it grows on every loop iteration"
            };
            let message = if culprit == GLOBALS {
                format!(
                    "a variable of this loop would hold more than {} MiB ({why}); the SCSS \
                     compiler has no memory limit, so this file is not compiled",
                    mib(MAX_VALUE_BYTES)
                )
            } else {
                self.value_message(culprit, why)
            };
            self.refuse(culprit_at, message);
        }
        for &name in &sorted {
            if name == GLOBALS {
                let mut globals = self.globals();
                globals.substitute_pool(d, &end);
                globals.max_with(&end);
                self.env.insert(
                    GLOBALS,
                    Entry {
                        lin: globals,
                        generation: self.generation,
                        global: true,
                    },
                );
                self.globals_written = true;
                continue;
            }
            let global = self.env.get(&name).is_some_and(|e| e.global);
            let lin = if nonscalar.contains(&name) {
                end.clone()
            } else {
                Lin::scalar()
            };
            self.set(name, lin, global, frame.culprit.1);
        }
        for (var, old) in saved_vars {
            match old {
                Some(entry) => {
                    self.env.insert(var, entry);
                }
                None => {
                    self.env.remove(&var);
                }
            }
        }
        if let Some(ret) = &mut self.ret {
            ret.substitute_pool(d, &end);
            ret.substitute_item(d, &one_item);
        }
        // Output: repetitions times one repetition's output.
        let mut per = std::mem::take(&mut body_out.out);
        per.substitute_pool(d, &end);
        let mut glob = std::mem::take(&mut body_out.glob);
        glob.substitute_pool(d, &end);
        glob.substitute_item(d, &one_item);
        let mut looped = Out {
            glob_big: body_out.glob_big,
            ..Out::default()
        };
        match &times {
            Times::Literal(n) => {
                per.substitute_item(d, &items);
                looped.add(&per.scaled(*n), body_out.big.1);
            }
            Times::Each(total) if total.is_concrete() || total.items.is_some() => {
                let coef = per.take_item(d);
                let mut total_out = per.scaled(n);
                total_out.add(&total.scaled(coef));
                looped.add(&total_out, body_out.big.1);
            }
            Times::Each(total) => {
                // At most (I + 1) / 2 items: the constant part scales with
                // the list's size, the rest is bounded per iteration.
                let coef = per.take_item(d);
                let half = per.c.saturating_add(1) / 2;
                let mut total_out = total.scaled(half);
                total_out.add_constant(half);
                total_out.add(&total.scaled(coef));
                looped.add(&total_out, body_out.big.1);
                looped.glob(&per.symbolic(), body_out.big.1);
                self.charged.push(at);
            }
            Times::Unknown => {
                per.substitute_item(d, &one_item);
                looped.glob(&per, body_out.big.1);
                self.charged.push(at);
            }
        }
        looped.glob(&glob, body_out.glob_big.1);
        let weight = frame.direct.saturating_add(1).min(LOOP_BOUND + 1);
        self.weights.push((at, weight));
        self.depth -= 1;
        looped
    }
}

/// Evaluates `def` (a definition of `parsed`, or its top level).
pub(super) fn evaluate(
    world: &World<'_>,
    parsed: &Parsed,
    def: &Def,
    label: String,
    entry: bool,
) -> Outcome {
    let mut outcome = evaluate_with(world, parsed, def, label.clone(), entry, false);
    if def.kind == Kind::Function && !def.params.is_empty() && outcome.refusal.is_none() {
        // Once more with numbers for arguments: does it return a number?
        let numeric = evaluate_with(world, parsed, def, label, entry, true);
        outcome.summary.scalar_if_args = numeric.summary.ret.scalar;
    }
    outcome
}

fn evaluate_with(
    world: &World<'_>,
    parsed: &Parsed,
    def: &Def,
    label: String,
    entry: bool,
    numeric_params: bool,
) -> Outcome {
    let mut eval = Eval {
        world,
        parsed,
        stmts: &parsed.stmts,
        file_node: def.kind == Kind::File,
        entry,
        env: HashMap::new(),
        generation: 0,
        depth: 0,
        nesting: 0,
        frames: Vec::new(),
        unknown_loops: 0,
        count: 0,
        contents: 0,
        content_unbounded: false,
        ret: None,
        ret_site: (0, def.at),
        globals_written: false,
        wild: false,
        live: 0,
        refusal: None,
        weights: Vec::new(),
        charged: Vec::new(),
        label,
    };
    let globals = if entry {
        Lin::default()
    } else {
        Lin::free_global()
    };
    eval.env.insert(
        GLOBALS,
        Entry {
            lin: globals,
            generation: 0,
            global: true,
        },
    );
    let ctx = Ctx {
        mult: 1,
        loop_mult: 1,
        weak: false,
        sel_count: 1,
        sel_bytes: 0,
    };
    for (index, param) in def.params.iter().enumerate() {
        let mut lin = Lin::param(index);
        let mut scalar = numeric_params;
        if let Some(default) = &param.default {
            let default = eval.expr(default, &ctx);
            scalar &= default.scalar;
            lin.add(&default);
        }
        lin.scalar = scalar;
        eval.env.insert(
            param.name,
            Entry {
                lin,
                generation: 0,
                global: false,
            },
        );
    }
    let out = eval.block(&def.body, &ctx);
    let ret = eval.ret.take().unwrap_or_default();
    if eval.refusal.is_none() {
        if def.kind == Kind::Function && ret.exceeds(MAX_VALUE_BYTES) {
            let message = format!(
                "@function `{}` would return more than {} MiB (estimated from the values it \
                 repeats); the SCSS compiler has no memory limit, so this file is not compiled",
                eval.name(def.name),
                mib(MAX_VALUE_BYTES)
            );
            eval.refuse(eval.ret_site.1, message);
        }
        // The output of iterations of loops whose count is unknown is
        // bounded at run time (each is charged for it); one iteration must
        // fit, and so must everything else.
        let (over, at) = if out.out.exceeds(MAX_OUTPUT_BYTES) {
            (true, out.big.1)
        } else if out.glob.exceeds(MAX_OUTPUT_BYTES) {
            (true, out.glob_big.1)
        } else {
            (false, 0)
        };
        if over {
            let message = format!(
                "{} would produce more than {} MiB of CSS (estimated from the rules, \
                 repetitions and selector lists it expands); the SCSS compiler has no limit, \
                 so this file is not compiled",
                eval.label,
                mib(MAX_OUTPUT_BYTES)
            );
            eval.refuse(at, message);
        }
    }
    let side = eval.globals_written.then(|| eval.globals());
    let glob_bytes = out.glob.c;
    let mut named: Vec<(NameId, Lin)> = eval
        .env
        .iter()
        .filter(|(name, entry)| entry.global && **name != GLOBALS)
        .map(|(name, entry)| (*name, entry.lin.clone()))
        .collect();
    named.sort_unstable_by_key(|(name, _)| *name);
    let wild = eval.wild || named.len() > MAX_NAMED;
    if wild {
        named.clear();
    }
    Outcome {
        summary: Summary {
            count: eval.count.saturating_add(1),
            ret,
            out: out.out,
            glob: out.glob,
            side,
            contents: eval.contents,
            content_unbounded: eval.content_unbounded,
            params: def.params.iter().map(|p| p.name).collect(),
            merged: false,
            named,
            wild,
            scalar_if_args: false,
        },
        glob: glob_bytes,
        refusal: eval.refusal,
        weights: eval.weights,
        charged: eval.charged,
    }
}
