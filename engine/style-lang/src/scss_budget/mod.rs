//! What SCSS would cost to compile, estimated before `grass` runs.
//!
//! Why this exists: grass 0.13 has no resource limits to set, and Sass can
//! grow exponentially without recursion or loops: `$s: $s + $s` written 64
//! times asks for 2^64 characters; mixins that each include the one below
//! twice (a DAG, not a cycle) expand 2^depth bodies; `$b: $a $a $a;
//! $c: $b $b $b` multiplies sizes; a doubling inside `@for $i from 1
//! through 60` does it in one line; nested selector lists (`.a, .b {
//! .a, .b { ... } }`) multiply selectors. grass allocates until the
//! process aborts, or runs for ever. ([`crate::scss_limits`] already
//! refuses recursion and bounds the number of loop iterations.)
//!
//! So every SCSS file is read once more (linearly, [`parse`]) into
//! statements and expression tokens, and each body (the file's top level,
//! each `@mixin`, each `@function`) is run once over *estimates*
//! ([`eval`]), in dependency order, callees first:
//!
//! - **Expansions.** `count(body) = 1 + Σ count(callee)` over its
//!   `@include`s, function calls and `@import`s, multiplied by literal
//!   `@for` counts and by how often a mixin runs its `@content`
//!   (saturating). Past [`MAX_EXPANSIONS`] the body is refused at the
//!   reference that crosses. Loops whose count is not literal are bounded
//!   at run time instead: their counter ([`crate::scss_limits::bound_loops`])
//!   advances by `1 + ` the expansions of one iteration, so at most
//!   [`crate::scss_limits::MAX_LOOP_ITERATIONS`] steps run in all.
//! - **Values.** Each variable's size is a linear form (`lin`) of the
//!   sizes of the arguments and globals a body sees: literal bytes plus
//!   the sizes of the variables and calls it names (a function's form is
//!   applied to its arguments; `map-get`, `nth` and the like are bounded
//!   by their first argument, or by its largest item when that is a
//!   literal). Numbers, colours and booleans are [`lin::SCALAR_BYTES`]
//!   whatever arithmetic makes them (a product of two variables may
//!   multiply units, so it is not a number here). A loop runs its body
//!   once with every variable it carries over standing for their maximum
//!   `M`; one iteration maps `M` to `a·M + b`, and the loop to `M + n·b`
//!   (`a = 1`: growth by addition, as `append($list, $i)`) or
//!   `a^n·(M + b)` (`a ≥ 2`: the variable repeats itself), with `n` the
//!   literal count, the items of a list when known (literals, and what
//!   `map-merge`/`join`/`append`/`map-keys` make of them), the most items
//!   a list of that size can have, or the loop bound. The items an `@each`
//!   walks add up to its list, not to `n` times it. Past
//!   [`MAX_VALUE_BYTES`] (per value) or [`MAX_VARIABLE_BYTES`] (a file's
//!   globals together) the assignment that crosses (in a loop: the one
//!   that grows most; through a mixin that writes a global: the
//!   `@include`) is refused. Globals a body reads keep their names, so a
//!   mixin is estimated with the theme variables it reads, not with the
//!   largest global.
//! - **Output.** Declarations, `@debug` text and selectors (a nested
//!   rule's selector count is the product of its parents' lists, `&`
//!   repeated is a power) add up, times repetitions, to at most
//!   [`MAX_OUTPUT_BYTES`]. Iterations of loops whose count is not known
//!   statically (`@while`, `@for` to a variable, `@each` over an argument)
//!   are bounded at run time instead, like their number: each is charged
//!   extra loop steps for the most one of them outputs (one step per
//!   `MAX_OUTPUT_BYTES / MAX_LOOP_ITERATIONS` bytes), so together they too
//!   stay under [`MAX_OUTPUT_BYTES`]; one iteration past it is refused.
//!
//! Every estimate is an upper bound of what grass builds, up to what is
//! left out: `@extend`, selector functions on arguments (a sum, not a
//! product), `&` in an expression, and the indented syntax (`.sass`),
//! which is not read here. Conditionals count both branches; a variable
//! assigned in a nested block keeps the larger of its values. The
//! estimate is linear in the files: the entry and the files it imports
//! are read (and estimated) together before grass runs, each statement
//! once, each body run once (a loop once, whatever its count; a function
//! twice, to learn whether it returns a number), with at most 64 nested
//! blocks (the nesting limit) of bookkeeping each.

mod eval;
mod lin;
mod parse;

use std::collections::{HashMap, HashSet};

use eval::{evaluate, Summary, World};
use parse::{file_key, Kind, NameId, Names, Parsed};

/// How many @mixin/@function bodies one body may expand, counting what
/// the ones it includes and calls expand in turn: 100,000. Real style
/// sheets expand a few thousand (a utility generator with a few mixins
/// per class); a mixin DAG doubling at each of 17 levels passes it, well
/// before grass's time becomes noticeable.
pub const MAX_EXPANSIONS: u64 = 100_000;

/// The most one SCSS value (a variable, a return value) may be estimated
/// at: 4 MiB of text. Estimates count source bytes; grass keeps a list of
/// short items at up to ~30x that, so this keeps one value in the low
/// hundreds of MiB at worst. Above the brief's 1 MiB because a list that
/// grows by one number per iteration of an unbounded `@while` is
/// estimated at 100,000 x 16 bytes.
pub const MAX_VALUE_BYTES: u64 = 4 << 20;

/// The most a file's global variables may hold together: 16 MiB.
pub const MAX_VARIABLE_BYTES: u64 = 16 << 20;

/// The most CSS (with `@debug`/`@warn` text) one compilation may be
/// estimated to produce: 32 MiB, ten times a large real style sheet (the
/// estimate of a framework-style utility generator is a few MiB).
pub const MAX_OUTPUT_BYTES: u64 = 32 << 20;

/// A compilation refused: where, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub file: String,
    pub line: u32,
    pub column: u32,
    pub message: String,
}

/// Bodies by kind and name: each definition as (file, definition), the
/// definition `None` for a file's top level.
type Nodes = HashMap<(Kind, NameId), Vec<(usize, Option<usize>)>>;

struct File {
    path: String,
    key: NameId,
    text: String,
    parsed: Parsed,
}

/// The files of one compilation, read so far, and what they cost.
#[derive(Default)]
pub struct Budget {
    names: Names,
    files: Vec<File>,
    /// Import keys ([`parse::file_key`]) read or looked for.
    keys: HashSet<String>,
    /// Per file: loop (and content block) offsets and the steps one
    /// repetition counts for.
    weights: HashMap<String, HashMap<usize, u64>>,
    /// Per file: loops whose count is unknown, charged for output.
    charged: HashMap<String, HashSet<usize>>,
    /// The steps an iteration of those loops is charged for its output.
    output_steps: u64,
}

/// The output one loop step stands for: [`MAX_OUTPUT_BYTES`] over the
/// steps a compilation may make, so the iterations of loops of unknown
/// count, charged at this rate, output at most [`MAX_OUTPUT_BYTES`].
const OUTPUT_STEP_BYTES: u64 = MAX_OUTPUT_BYTES / crate::scss_limits::MAX_LOOP_ITERATIONS as u64;

/// The package paths grass may load for an import key (as grass looks
/// for them: the file, its partial, then a folder's index).
pub fn candidates(key: &str) -> Vec<String> {
    let (folder, name) = match key.rsplit_once('/') {
        Some((folder, name)) => (format!("{folder}/"), name),
        None => (String::new(), key),
    };
    let mut out = Vec::new();
    for ext in ["scss", "sass"] {
        out.push(format!("{folder}{name}.{ext}"));
        out.push(format!("{folder}_{name}.{ext}"));
    }
    for ext in ["scss", "sass"] {
        out.push(format!("{key}/index.{ext}"));
        out.push(format!("{key}/_index.{ext}"));
    }
    out
}

impl Budget {
    /// Whether `path` was added.
    pub fn knows(&self, path: &str) -> bool {
        self.files.iter().any(|f| f.path == path)
    }

    /// Whether the import `key` was read or looked for; marks it so.
    pub fn looked_for(&mut self, key: &str) -> bool {
        !self.keys.insert(key.to_string())
    }

    /// Adds a file of the compilation (the entry first); returns the
    /// import keys it names that were not looked for yet. Estimates run
    /// in [`Budget::check`], once the files it imports are added.
    pub fn add_file(&mut self, path: &str, text: &str) -> Vec<String> {
        self.keys.insert(file_key(path));
        if path.to_ascii_lowercase().ends_with(".sass") || self.knows(path) {
            return Vec::new();
        }
        let parsed = parse::parse(path, text, &mut self.names);
        let key = self
            .names
            .intern_normalized(format!("file:{}", file_key(path)));
        let imports = parsed
            .imports
            .iter()
            .filter(|k| !self.keys.contains(*k))
            .cloned()
            .collect();
        self.files.push(File {
            path: path.to_string(),
            key,
            text: text.to_string(),
            parsed,
        });
        imports
    }

    /// Why the compilation must not run, if the files added so far cross
    /// a limit.
    pub fn check(&mut self) -> Option<Refusal> {
        self.recompute()
    }

    /// How many loop steps one repetition of each loop and content block
    /// of `path` counts for (by the offset of its `@`).
    pub fn weights(&self, path: &str) -> HashMap<usize, u64> {
        let mut weights = self.weights.get(path).cloned().unwrap_or_default();
        for at in self.charged.get(path).into_iter().flatten() {
            let weight = weights.entry(*at).or_insert(1);
            *weight = weight.saturating_add(self.output_steps);
        }
        weights
    }

    fn refusal(&self, file: usize, at: usize, message: String) -> Refusal {
        let file = &self.files[file];
        let (line, column) = crate::nesting::line_column(&file.text, at);
        Refusal {
            file: file.path.clone(),
            line,
            column,
            message,
        }
    }

    fn record_weights(&mut self, file: usize, outcome: &eval::Outcome) {
        let path = self.files[file].path.clone();
        let entry = self.weights.entry(path.clone()).or_default();
        for &(at, weight) in &outcome.weights {
            let slot = entry.entry(at).or_insert(1);
            *slot = (*slot).max(weight);
        }
        self.charged
            .entry(path)
            .or_default()
            .extend(outcome.charged.iter().copied());
    }

    /// Every body again, callees first (files read later may define what
    /// earlier ones use), then the entry with no globals yet.
    fn recompute(&mut self) -> Option<Refusal> {
        // Nodes: (kind, name) -> the definitions (file, def; None = top).
        let mut nodes: Nodes = HashMap::new();
        for (f, file) in self.files.iter().enumerate() {
            for (d, def) in file.parsed.defs.iter().enumerate() {
                nodes
                    .entry((def.kind, def.name))
                    .or_default()
                    .push((f, Some(d)));
            }
            if f > 0 {
                nodes
                    .entry((Kind::File, file.key))
                    .or_default()
                    .push((f, None));
            }
        }
        let order = self.postorder(&nodes);
        self.weights.clear();
        self.charged.clear();
        let mut summaries: HashMap<(Kind, NameId), Summary> = HashMap::new();
        let mut any_function: Option<Summary> = None;
        for key in order {
            let mut merged: Option<Summary> = None;
            for &(f, d) in nodes.get(&key).map(Vec::as_slice).unwrap_or_default() {
                let file = &self.files[f];
                let def = d.map_or(&file.parsed.top, |d| &file.parsed.defs[d]);
                let label = match key.0 {
                    Kind::Mixin => format!("@mixin `{}`", self.names.spelled(key.1)),
                    Kind::Function => format!("@function `{}`", self.names.spelled(key.1)),
                    Kind::File => "this file".to_string(),
                };
                let world = World {
                    names: &self.names,
                    summaries: &summaries,
                    any_function: any_function.as_ref(),
                };
                let outcome = evaluate(&world, &file.parsed, def, label, false);
                self.record_weights(f, &outcome);
                if let Some((at, message)) = outcome.refusal {
                    return Some(self.refusal(f, at, message));
                }
                merged = Some(match merged {
                    Some(m) => m.merge(outcome.summary),
                    None => outcome.summary,
                });
            }
            if let Some(summary) = merged {
                if key.0 == Kind::Function {
                    any_function = Some(match any_function {
                        Some(a) => a.merge(summary.clone()),
                        None => summary.clone(),
                    });
                }
                summaries.insert(key, summary);
            }
        }
        let entry = self.files.first()?;
        let world = World {
            names: &self.names,
            summaries: &summaries,
            any_function: any_function.as_ref(),
        };
        let outcome = evaluate(
            &world,
            &entry.parsed,
            &entry.parsed.top,
            "this file".to_string(),
            true,
        );
        self.record_weights(0, &outcome);
        self.output_steps = outcome.glob.div_ceil(OUTPUT_STEP_BYTES);
        let (at, message) = outcome.refusal?;
        Some(self.refusal(0, at, message))
    }

    /// Callees before callers (an iterative depth-first search; an edge
    /// back into the path, which the recursion check refuses anyway, is
    /// skipped).
    fn postorder(&self, nodes: &Nodes) -> Vec<(Kind, NameId)> {
        let mut edges: HashMap<(Kind, NameId), Vec<(Kind, NameId)>> = HashMap::new();
        for (key, defs) in nodes {
            let out = edges.entry(*key).or_default();
            for &(f, d) in defs {
                let file = &self.files[f];
                let def = d.map_or(&file.parsed.top, |d| &file.parsed.defs[d]);
                out.extend(def.refs.iter().filter(|r| nodes.contains_key(r)));
            }
        }
        let mut roots: Vec<(Kind, NameId)> = nodes.keys().copied().collect();
        roots.sort_unstable();
        let mut seen: HashMap<(Kind, NameId), bool> = HashMap::new();
        let mut order = Vec::with_capacity(roots.len());
        for root in roots {
            if seen.contains_key(&root) {
                continue;
            }
            seen.insert(root, false);
            let mut stack = vec![(root, 0usize)];
            while let Some((node, next)) = stack.last_mut() {
                let node = *node;
                let targets = edges.get(&node).map(Vec::as_slice).unwrap_or_default();
                let Some(target) = targets.get(*next).copied() else {
                    seen.insert(node, true);
                    order.push(node);
                    stack.pop();
                    continue;
                };
                *next += 1;
                if let std::collections::hash_map::Entry::Vacant(slot) = seen.entry(target) {
                    slot.insert(false);
                    stack.push((target, 0));
                }
            }
        }
        order
    }
}

#[cfg(test)]
mod tests;
