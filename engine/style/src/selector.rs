//! Selectors: parsing float-pigment's normalized selector text and matching
//! it against a [`StyleElement`].
//!
//! Why not float-pigment's own matcher: in 0.10.4 it ignores every
//! pseudo-class except `:host` (so `:first-child`, `:not()`, `:nth-child()`
//! never match) and treats `+` / `~` as if they were parent relations.
//! float-pigment still does the parsing and validation of the source (its
//! warnings are reported); we re-read the selector from
//! `Rule::get_selector_string()`, whose format is fixed by its `Display`
//! impl: `a > b + c ~ d e`, `tag#id.c1.c2:pseudo-class::pseudo-element[attr]`,
//! `not(x, y)`, `nth-child(An + B of x)`, an empty compound for `*`.
//!
//! The same parser and matcher serve selectors written outside style
//! sheets ([`SelectorList`]: selector queries, intersection observers,
//! `this.animate`, `selectComponent`), read as the mini program wrote them
//! ([`Source::Query`]).
//!
//! Invariant: parsing never fails; anything unreadable becomes a selector
//! that never matches.

use crate::element::StyleElement;

/// The attribute that marks a component's host element (its value is the
/// component's path); `:host` matches elements that carry it.
pub const HOST_ATTRIBUTE: &str = "wx:host-of";
use crate::Pseudo;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Combinator {
    Descendant,
    Child,
    NextSibling,
    SubsequentSibling,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum AttrOp {
    Exists,
    Equals,
    Includes,
    DashMatch,
    Prefix,
    Suffix,
    Substring,
}

#[derive(Clone, Debug)]
pub(crate) struct AttrSelector {
    pub(crate) name: String,
    pub(crate) op: AttrOp,
    pub(crate) value: String,
    pub(crate) case_insensitive: bool,
}

#[derive(Clone, Debug)]
pub(crate) enum PseudoClass {
    FirstChild,
    LastChild,
    OnlyChild,
    Empty,
    Not(Vec<ComplexSelector>),
    NthChild {
        a: i32,
        b: i32,
        of: Option<Vec<ComplexSelector>>,
    },
    NthOfType {
        a: i32,
        b: i32,
    },
    /// `:host`: the element is a component's host (it carries the
    /// `wx:host-of` attribute). Which component's sheet may style it is
    /// decided by the caller's scope filter (see `sheets::ScopeQuery`).
    Host,
    /// `:active`: the element is being pressed (a finger is down on it or
    /// on a descendant, and has not moved off into a scroll or gesture).
    Active,
    /// Anything unknown: never matches.
    NeverMatches,
}

#[derive(Clone, Debug, Default)]
pub(crate) struct Compound {
    pub(crate) tag: Option<String>,
    pub(crate) id: Option<String>,
    pub(crate) classes: Vec<String>,
    pub(crate) pseudo_classes: Vec<PseudoClass>,
    pub(crate) attributes: Vec<AttrSelector>,
    pub(crate) pseudo_element: Option<Pseudo>,
    pub(crate) never_matches: bool,
}

/// One complex selector, stored right to left: `parts[0]` is the subject,
/// `combinators[i]` links `parts[i]` to `parts[i + 1]` (to its left).
#[derive(Clone, Debug)]
pub(crate) struct ComplexSelector {
    pub(crate) parts: Vec<Compound>,
    pub(crate) combinators: Vec<Combinator>,
}

/// CSS specificity packed so that integer order is specificity order:
/// ids, then classes/attributes/pseudo-classes, then tags/pseudo-elements.
pub(crate) type Specificity = u32;

fn pack(ids: u32, classes: u32, tags: u32) -> Specificity {
    (ids.min(0x3ff) << 20) | (classes.min(0x3ff) << 10) | tags.min(0x3ff)
}

impl ComplexSelector {
    /// Whether the subject compound has `:host` (the rule styles a host).
    pub(crate) fn subject_is_host(&self) -> bool {
        self.subject()
            .pseudo_classes
            .iter()
            .any(|pc| matches!(pc, PseudoClass::Host))
    }

    pub(crate) fn subject(&self) -> &Compound {
        // parts is never empty: the parser always pushes the subject.
        &self.parts[0]
    }

    /// Compounds in this selector and in its pseudo-class arguments (the
    /// matcher's recursion depth is bounded by it).
    pub(crate) fn compound_count(&self) -> usize {
        self.parts.len()
            + self
                .nested_lists()
                .flatten()
                .map(ComplexSelector::compound_count)
                .sum::<usize>()
    }

    /// How deeply pseudo-class arguments nest (0 without any).
    pub(crate) fn nesting_depth(&self) -> usize {
        self.nested_lists()
            .flatten()
            .map(|s| 1 + s.nesting_depth())
            .max()
            .unwrap_or(0)
    }

    /// The selector lists of the pseudo-class arguments of every compound.
    fn nested_lists(&self) -> impl Iterator<Item = &[ComplexSelector]> {
        self.parts
            .iter()
            .flat_map(|part| &part.pseudo_classes)
            .filter_map(|pc| match pc {
                PseudoClass::Not(list) | PseudoClass::NthChild { of: Some(list), .. } => {
                    Some(list.as_slice())
                }
                _ => None,
            })
    }

    pub(crate) fn specificity(&self) -> Specificity {
        let (mut ids, mut classes, mut tags) = (0, 0, 0);
        for part in &self.parts {
            let (i, c, t) = part.specificity_parts();
            ids += i;
            classes += c;
            tags += t;
        }
        pack(ids, classes, tags)
    }

    /// Keys (see [`ancestor_key`]) that some ancestor of any matching
    /// element must carry: the id, classes and tag of every compound that
    /// sits left of a child or descendant combinator.
    pub(crate) fn ancestor_keys(&self) -> Vec<u32> {
        let mut keys = Vec::new();
        let mut past_ancestor_combinator = false;
        for (index, part) in self.parts.iter().enumerate().skip(1) {
            if matches!(
                self.combinators[index - 1],
                Combinator::Child | Combinator::Descendant
            ) {
                past_ancestor_combinator = true;
            }
            if !past_ancestor_combinator {
                continue;
            }
            if let Some(id) = &part.id {
                keys.push(ancestor_key(KeyKind::Id, id));
            }
            keys.extend(part.classes.iter().map(|c| ancestor_key(KeyKind::Class, c)));
            if let Some(tag) = &part.tag {
                keys.push(ancestor_key(KeyKind::Tag, tag));
            }
        }
        keys
    }

    /// Whether the element matches, with the subject compound ignoring its
    /// pseudo-element (the caller decides which pseudo-element it asks for).
    pub(crate) fn matches<E: StyleElement>(&self, element: &E) -> bool {
        self.match_from(0, element) == MatchOutcome::Matched
    }

    /// Matches `parts[index..]` with `element` as the element for
    /// `parts[index]`. Recursion depth is the number of compounds (bounded
    /// by [`MAX_SELECTOR_COMPOUNDS`]); the outcome says how far a failure
    /// reaches, so a descendant or sibling combinator does not retry
    /// candidates that cannot help, which keeps matching linear in the
    /// tree depth per compound instead of exponential in the compounds
    /// (`.a .a .a .a .b` over a deep chain of `.a`s).
    fn match_from<E: StyleElement>(&self, index: usize, element: &E) -> MatchOutcome {
        if !self.parts[index].matches(element) {
            return MatchOutcome::RestartFromClosestLaterSibling;
        }
        let Some(&combinator) = self.combinators.get(index) else {
            return MatchOutcome::Matched;
        };
        let next = index + 1;
        // No candidate left for this combinator: for an ancestor
        // combinator no other starting point can do better; for a sibling
        // one, a later ancestor combinator may still find another element.
        let exhausted = match combinator {
            Combinator::Child | Combinator::Descendant => MatchOutcome::NotMatchedGlobally,
            Combinator::NextSibling | Combinator::SubsequentSibling => {
                MatchOutcome::RestartFromClosestDescendant
            }
        };
        let step = |e: &E| match combinator {
            Combinator::Child | Combinator::Descendant => e.parent_element(),
            Combinator::NextSibling | Combinator::SubsequentSibling => e.previous_sibling_element(),
        };
        let mut candidate = step(element);
        loop {
            let Some(current) = candidate else {
                return exhausted;
            };
            let outcome = self.match_from(next, &current);
            match (outcome, combinator) {
                (MatchOutcome::Matched, _)
                | (MatchOutcome::NotMatchedGlobally, _)
                | (_, Combinator::NextSibling) => return outcome,
                (_, Combinator::Child) => return MatchOutcome::RestartFromClosestDescendant,
                (MatchOutcome::RestartFromClosestDescendant, Combinator::SubsequentSibling) => {
                    return outcome
                }
                // Descendant: try the next ancestor; subsequent sibling
                // after a compound mismatch: try the next sibling.
                _ => {}
            }
            candidate = step(&current);
        }
    }
}

/// How a failed match constrains the candidates still worth trying (the
/// scheme browsers use, e.g. Servo's `SelectorMatchingResult`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum MatchOutcome {
    Matched,
    /// A compound did not match this element: the closest `~` to the
    /// right may try its next sibling.
    RestartFromClosestLaterSibling,
    /// Only the closest descendant combinator to the right may try
    /// another (higher) ancestor.
    RestartFromClosestDescendant,
    /// No element further up can match either: stop.
    NotMatchedGlobally,
}

/// What an ancestor key names.
#[derive(Clone, Copy)]
pub(crate) enum KeyKind {
    Tag,
    Id,
    Class,
}

/// FNV-1a of the kind and the name: cheap, stable, good enough for a
/// Bloom filter.
pub(crate) fn ancestor_key(kind: KeyKind, name: &str) -> u32 {
    let mut hash: u32 = 0x811c_9dc5;
    let kind_byte = match kind {
        KeyKind::Tag => b't',
        KeyKind::Id => b'#',
        KeyKind::Class => b'.',
    };
    for byte in std::iter::once(kind_byte).chain(name.bytes()) {
        hash ^= byte as u32;
        hash = hash.wrapping_mul(0x0100_0193);
    }
    hash
}

/// A 256-bit Bloom filter of the keys of an element's ancestors: a rule
/// whose ancestor keys are not all in it cannot match, which skips most
/// descendant selectors without walking the tree.
#[derive(Default)]
pub(crate) struct AncestorFilter {
    bits: [u64; 4],
}

impl AncestorFilter {
    fn bit_positions(key: u32) -> [u32; 2] {
        [key & 0xff, (key >> 8) & 0xff]
    }

    fn insert(&mut self, key: u32) {
        for bit in Self::bit_positions(key) {
            self.bits[(bit / 64) as usize] |= 1 << (bit % 64);
        }
    }

    pub(crate) fn may_contain_all(&self, keys: &[u32]) -> bool {
        keys.iter().all(|&key| {
            Self::bit_positions(key)
                .iter()
                .all(|bit| self.bits[(bit / 64) as usize] & (1 << (bit % 64)) != 0)
        })
    }

    /// Collects the ancestors of `element` (not the element itself).
    pub(crate) fn for_ancestors_of<E: StyleElement>(element: &E) -> AncestorFilter {
        let mut filter = AncestorFilter::default();
        let mut cursor = element.parent_element();
        while let Some(node) = cursor {
            filter.insert(ancestor_key(KeyKind::Tag, node.tag_name()));
            if let Some(id) = node.id() {
                filter.insert(ancestor_key(KeyKind::Id, id));
            }
            for class in node.classes() {
                filter.insert(ancestor_key(KeyKind::Class, class));
            }
            cursor = node.parent_element();
        }
        filter
    }
}

fn max_specificity(list: &[ComplexSelector]) -> (u32, u32, u32) {
    let best = list.iter().map(|s| s.specificity()).max().unwrap_or(0);
    (best >> 20, (best >> 10) & 0x3ff, best & 0x3ff)
}

impl Compound {
    fn specificity_parts(&self) -> (u32, u32, u32) {
        let mut ids = self.id.is_some() as u32;
        let mut classes = (self.classes.len() + self.attributes.len()) as u32;
        let mut tags = self.tag.is_some() as u32 + self.pseudo_element.is_some() as u32;
        for pc in &self.pseudo_classes {
            match pc {
                // Selectors level 4: :not() counts as its most specific argument.
                PseudoClass::Not(list) => {
                    let (i, c, t) = max_specificity(list);
                    ids += i;
                    classes += c;
                    tags += t;
                }
                PseudoClass::NthChild { of: Some(list), .. } => {
                    let (i, c, t) = max_specificity(list);
                    ids += i;
                    classes += c + 1;
                    tags += t;
                }
                _ => classes += 1,
            }
        }
        (ids, classes, tags)
    }

    fn matches<E: StyleElement>(&self, element: &E) -> bool {
        if self.never_matches {
            return false;
        }
        if let Some(tag) = &self.tag {
            if element.tag_name() != tag {
                return false;
            }
        }
        if let Some(id) = &self.id {
            if element.id() != Some(id.as_str()) {
                return false;
            }
        }
        if !self.classes.iter().all(|c| element.has_class(c)) {
            return false;
        }
        if !self.attributes.iter().all(|a| a.matches(element)) {
            return false;
        }
        self.pseudo_classes.iter().all(|pc| pc.matches(element))
    }
}

impl AttrSelector {
    fn matches<E: StyleElement>(&self, element: &E) -> bool {
        let Some(actual) = element.attribute(&self.name) else {
            return false;
        };
        let fold = |s: &str| {
            if self.case_insensitive {
                s.to_ascii_lowercase()
            } else {
                s.to_owned()
            }
        };
        let (actual, wanted) = (fold(actual), fold(&self.value));
        match self.op {
            AttrOp::Exists => true,
            AttrOp::Equals => actual == wanted,
            AttrOp::Includes => {
                !wanted.is_empty() && actual.split_ascii_whitespace().any(|w| w == wanted)
            }
            AttrOp::DashMatch => actual == wanted || actual.starts_with(&format!("{wanted}-")),
            AttrOp::Prefix => !wanted.is_empty() && actual.starts_with(&wanted),
            AttrOp::Suffix => !wanted.is_empty() && actual.ends_with(&wanted),
            AttrOp::Substring => !wanted.is_empty() && actual.contains(&wanted),
        }
    }
}

/// Whether a 1-based position `n` is `a*k + b` for some k >= 0.
fn nth_matches(a: i32, b: i32, n: i32) -> bool {
    if a == 0 {
        return n == b;
    }
    let diff = n - b;
    diff % a == 0 && diff / a >= 0
}

impl PseudoClass {
    fn matches<E: StyleElement>(&self, element: &E) -> bool {
        match self {
            PseudoClass::FirstChild => element.previous_sibling_element().is_none(),
            PseudoClass::LastChild => element.next_sibling_element().is_none(),
            PseudoClass::OnlyChild => {
                element.previous_sibling_element().is_none()
                    && element.next_sibling_element().is_none()
            }
            PseudoClass::Empty => !element.has_child_nodes(),
            PseudoClass::Host => element.attribute(HOST_ATTRIBUTE).is_some(),
            PseudoClass::Active => element.is_active(),
            PseudoClass::Not(list) => !list.iter().any(|s| s.matches(element)),
            PseudoClass::NthChild { a, b, of: None } => {
                nth_matches(*a, *b, element.element_index() as i32 + 1)
            }
            PseudoClass::NthChild {
                a,
                b,
                of: Some(list),
            } => {
                if !list.iter().any(|s| s.matches(element)) {
                    return false;
                }
                let mut position = 1;
                let mut cursor = element.previous_sibling_element();
                while let Some(sibling) = cursor {
                    if list.iter().any(|s| s.matches(&sibling)) {
                        position += 1;
                    }
                    cursor = sibling.previous_sibling_element();
                }
                nth_matches(*a, *b, position)
            }
            PseudoClass::NthOfType { a, b } => {
                let tag = element.tag_name();
                let mut position = 1;
                let mut cursor = element.previous_sibling_element();
                while let Some(sibling) = cursor {
                    if sibling.tag_name() == tag {
                        position += 1;
                    }
                    cursor = sibling.previous_sibling_element();
                }
                nth_matches(*a, *b, position)
            }
            PseudoClass::NeverMatches => false,
        }
    }
}

/// A selector list as a mini program writes it outside its style sheets:
/// `SelectorQuery.select(All)`, `IntersectionObserver.observe` and
/// `relativeTo`, `this.animate(selector)`, `selectComponent`. Parsed and
/// matched exactly as WXSS selectors are (ids, classes, tags, `*`,
/// attributes, structural pseudo-classes, `:not()`, all four
/// combinators, lists); a selector naming a pseudo-element matches no
/// element, and an item that does not parse (an empty one, a trailing
/// combinator) matches nothing while the rest of the list still does.
#[derive(Clone, Debug)]
pub struct SelectorList(Vec<ComplexSelector>);

impl SelectorList {
    /// Parses `text`. Never fails.
    pub fn parse(text: &str) -> SelectorList {
        SelectorList(parse_list(text, Source::Query))
    }

    /// Whether `element` matches any selector of the list. Combinators
    /// look as far up (and aside) as `element`'s tree lets them: a caller
    /// that scopes a query hands in elements whose parents stop at the
    /// scope.
    pub fn matches<E: StyleElement>(&self, element: &E) -> bool {
        self.0
            .iter()
            .any(|s| s.subject().pseudo_element.is_none() && s.matches(element))
    }
}

// ---------------------------------------------------------------------------
// Parsing of the normalized selector text.

/// Who wrote the selector text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Source {
    /// float-pigment's normalized text of a style sheet's rule: `a > *`
    /// arrives as `a > `, `*` as an empty compound and `:active` as
    /// `:not()` (see `load::preprocess`).
    Sheet,
    /// A mini program's own text ([`SelectorList`]): items are trimmed,
    /// an empty item or a trailing combinator matches nothing, and
    /// `:not()` is only ever itself.
    Query,
}

/// Parses a comma-separated selector list of a style sheet. Never fails.
pub(crate) fn parse_selector_list(text: &str) -> Vec<ComplexSelector> {
    parse_list(text, Source::Sheet)
}

/// How deeply selector arguments (`:not()`, `:nth-child(... of ...)`) may
/// nest: 32, the same as `guard::MAX_NESTING` for style sheets (whose
/// selectors never get here deeper). A deeper selector matches nothing.
pub(crate) const MAX_SELECTOR_NESTING: usize = 32;

/// How many compounds one selector of a list may have, those in its
/// `:not()` arguments included: `guard::MAX_SELECTOR_COMPOUNDS` (256),
/// which the matcher's recursion depth is bounded by. A longer selector
/// matches nothing.
pub(crate) const MAX_SELECTOR_COMPOUNDS: usize = crate::guard::MAX_SELECTOR_COMPOUNDS;

/// What one top-level selector may still spend while being parsed.
struct Budget {
    compounds: usize,
    depth: usize,
    exceeded: bool,
}

impl Budget {
    fn new() -> Budget {
        Budget {
            compounds: 0,
            depth: 0,
            exceeded: false,
        }
    }

    fn add_compound(&mut self) {
        self.compounds += 1;
        if self.compounds > MAX_SELECTOR_COMPOUNDS {
            self.exceeded = true;
        }
    }
}

fn parse_list(text: &str, source: Source) -> Vec<ComplexSelector> {
    split_top_level(text, ',')
        .into_iter()
        .map(|item| {
            let mut budget = Budget::new();
            let selector = parse_item(item, source, &mut budget);
            if budget.exceeded {
                never_matching()
            } else {
                selector
            }
        })
        .collect()
}

/// A selector list inside a pseudo-class argument: its items spend the
/// enclosing selector's budget.
fn parse_nested_list(text: &str, source: Source, budget: &mut Budget) -> Vec<ComplexSelector> {
    let mut list = Vec::new();
    for item in split_top_level(text, ',') {
        if budget.exceeded {
            break;
        }
        list.push(parse_item(item, source, budget));
    }
    list
}

fn parse_item(item: &str, source: Source, budget: &mut Budget) -> ComplexSelector {
    match source {
        Source::Sheet => parse_complex(item, source, budget),
        Source::Query if item.trim().is_empty() => never_matching(),
        Source::Query => parse_complex(item.trim(), source, budget),
    }
}

/// A selector that matches nothing.
fn never_matching() -> ComplexSelector {
    ComplexSelector {
        parts: vec![Compound {
            never_matches: true,
            ..Compound::default()
        }],
        combinators: Vec::new(),
    }
}

/// Splits on `separator` outside parentheses, brackets and quotes.
fn split_top_level(text: &str, separator: char) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut depth = 0i32;
    let mut quote: Option<char> = None;
    let mut start = 0;
    for (i, c) in text.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"') | (None, '\'') => quote = Some(c),
            (None, '(') | (None, '[') => depth += 1,
            (None, ')') | (None, ']') => depth -= 1,
            (None, c) if c == separator && depth == 0 => {
                parts.push(&text[start..i]);
                start = i + c.len_utf8();
            }
            _ => {}
        }
    }
    parts.push(&text[start..]);
    parts
}

const NAME_STOPS: &[char] = &['#', '.', ':', '[', '>', '+', '~', ',', '(', ')', ']'];

fn parse_complex(text: &str, source: Source, budget: &mut Budget) -> ComplexSelector {
    let mut compounds: Vec<Compound> = Vec::new();
    let mut combinators: Vec<Combinator> = Vec::new();
    let mut current = Compound::default();
    let mut current_started = false;
    let mut pending: Option<Combinator> = None;
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    let read_name = |i: &mut usize| -> String {
        let start = *i;
        while *i < chars.len() && !chars[*i].is_whitespace() && !NAME_STOPS.contains(&chars[*i]) {
            *i += 1;
        }
        chars[start..*i].iter().collect()
    };
    // Reads a parenthesized argument (after `(`), returning its inner text.
    let read_parens = |i: &mut usize| -> String {
        let mut depth = 1;
        let start = *i;
        while *i < chars.len() {
            match chars[*i] {
                '(' => depth += 1,
                ')' => {
                    depth -= 1;
                    if depth == 0 {
                        let inner: String = chars[start..*i].iter().collect();
                        *i += 1;
                        return inner;
                    }
                }
                _ => {}
            }
            *i += 1;
        }
        chars[start..].iter().collect()
    };
    macro_rules! begin_compound {
        () => {
            if let Some(c) = pending.take() {
                if current_started {
                    compounds.push(std::mem::take(&mut current));
                    combinators.push(c);
                    budget.add_compound();
                }
            }
            current_started = true;
        };
    }
    while i < chars.len() && !budget.exceeded {
        let c = chars[i];
        if c.is_whitespace() {
            if current_started && pending.is_none() {
                pending = Some(Combinator::Descendant);
            }
            i += 1;
            continue;
        }
        match c {
            '>' | '+' | '~' => {
                let comb = match c {
                    '>' => Combinator::Child,
                    '+' => Combinator::NextSibling,
                    _ => Combinator::SubsequentSibling,
                };
                if !current_started {
                    current.never_matches = true;
                }
                pending = Some(comb);
                current_started = true;
                i += 1;
            }
            '*' => {
                begin_compound!();
                i += 1;
            }
            '#' => {
                begin_compound!();
                i += 1;
                current.id = Some(read_name(&mut i));
            }
            '.' => {
                begin_compound!();
                i += 1;
                current.classes.push(read_name(&mut i));
            }
            '[' => {
                begin_compound!();
                i += 1;
                let start = i;
                while i < chars.len() && chars[i] != ']' {
                    i += 1;
                }
                let inner: String = chars[start..i.min(chars.len())].iter().collect();
                i += 1;
                match parse_attribute(&inner) {
                    Some(a) => current.attributes.push(a),
                    None => current.never_matches = true,
                }
            }
            ':' => {
                begin_compound!();
                i += 1;
                if chars.get(i) == Some(&':') {
                    i += 1;
                    let name = read_name(&mut i).to_ascii_lowercase();
                    current.pseudo_element = match name.as_str() {
                        "before" => Some(Pseudo::Before),
                        "after" => Some(Pseudo::After),
                        _ => {
                            current.never_matches = true;
                            None
                        }
                    };
                    continue;
                }
                let name = read_name(&mut i).to_ascii_lowercase();
                let argument = if chars.get(i) == Some(&'(') {
                    i += 1;
                    Some(read_parens(&mut i))
                } else {
                    None
                };
                let pseudo_class = if argument.is_some() && budget.depth >= MAX_SELECTOR_NESTING {
                    budget.exceeded = true;
                    PseudoClass::NeverMatches
                } else {
                    budget.depth += 1;
                    let parsed = parse_pseudo_class(&name, argument.as_deref(), source, budget);
                    budget.depth -= 1;
                    parsed
                };
                current.pseudo_classes.push(pseudo_class);
            }
            _ => {
                begin_compound!();
                let name = read_name(&mut i);
                if name.is_empty() {
                    // A stray character we do not understand.
                    current.never_matches = true;
                    i += 1;
                } else {
                    current.tag = Some(name);
                }
            }
        }
    }
    if let Some(c) = pending {
        if source == Source::Query {
            // Written by hand, `a >` is incomplete.
            return never_matching();
        }
        // A trailing combinator: float-pigment prints `a > *` as `a > `.
        compounds.push(std::mem::take(&mut current));
        combinators.push(c);
        budget.add_compound();
    }
    compounds.push(current);
    budget.add_compound();
    compounds.reverse();
    combinators.reverse();
    ComplexSelector {
        parts: compounds,
        combinators,
    }
}

fn parse_pseudo_class(
    name: &str,
    argument: Option<&str>,
    source: Source,
    budget: &mut Budget,
) -> PseudoClass {
    match (name, argument) {
        ("host", None) => PseudoClass::Host,
        ("active", None) => PseudoClass::Active,
        // `load::preprocess` hands float-pigment `:active` as `:not(*)`
        // (same length, so positions hold), which it gives back as
        // `:not()`; nothing else writes either, since as itself it could
        // never match.
        ("not", Some(arg)) if source == Source::Sheet && matches!(arg.trim(), "" | "*") => {
            PseudoClass::Active
        }
        ("not", Some(arg)) if arg.trim().is_empty() => PseudoClass::NeverMatches,
        ("first-child", None) => PseudoClass::FirstChild,
        ("last-child", None) => PseudoClass::LastChild,
        ("only-child", None) => PseudoClass::OnlyChild,
        ("empty", None) => PseudoClass::Empty,
        ("not", Some(arg)) => PseudoClass::Not(parse_nested_list(arg, source, budget)),
        ("nth-child", Some(arg)) => {
            let (formula, of) = match arg.find(" of ") {
                Some(pos) => (
                    &arg[..pos],
                    Some(parse_nested_list(&arg[pos + 4..], source, budget)),
                ),
                None => (arg, None),
            };
            match parse_nth(formula) {
                Some((a, b)) => PseudoClass::NthChild { a, b, of },
                None => PseudoClass::NeverMatches,
            }
        }
        ("nth-of-type", Some(arg)) => match parse_nth(arg) {
            Some((a, b)) => PseudoClass::NthOfType { a, b },
            None => PseudoClass::NeverMatches,
        },
        _ => PseudoClass::NeverMatches,
    }
}

/// Parses `An + B` (float-pigment normalizes odd/even/`2n+1` to this form).
pub(crate) fn parse_nth(text: &str) -> Option<(i32, i32)> {
    let compact: String = text
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_lowercase();
    match compact.as_str() {
        "odd" => return Some((2, 1)),
        "even" => return Some((2, 0)),
        _ => {}
    }
    match compact.split_once('n') {
        Some((a, b)) => {
            let a = match a {
                "" | "+" => 1,
                "-" => -1,
                other => other.parse().ok()?,
            };
            let b = if b.is_empty() {
                0
            } else {
                b.replace("+-", "-").trim_start_matches('+').parse().ok()?
            };
            Some((a, b))
        }
        None => Some((0, compact.parse().ok()?)),
    }
}

fn parse_attribute(inner: &str) -> Option<AttrSelector> {
    let inner = inner.trim();
    let ops: [(&str, AttrOp); 6] = [
        ("~=", AttrOp::Includes),
        ("|=", AttrOp::DashMatch),
        ("^=", AttrOp::Prefix),
        ("$=", AttrOp::Suffix),
        ("*=", AttrOp::Substring),
        ("=", AttrOp::Equals),
    ];
    for (token, op) in ops {
        if let Some(pos) = inner.find(token) {
            let name = inner[..pos].trim().to_owned();
            let rest = inner[pos + token.len()..].trim();
            let (value, flags) = match rest.strip_prefix('"') {
                Some(quoted) => match quoted.find('"') {
                    Some(end) => (quoted[..end].to_owned(), quoted[end + 1..].trim()),
                    None => (quoted.to_owned(), ""),
                },
                None => match rest.split_once(char::is_whitespace) {
                    Some((v, f)) => (v.to_owned(), f.trim()),
                    None => (rest.to_owned(), ""),
                },
            };
            return Some(AttrSelector {
                name,
                op,
                value,
                case_insensitive: flags.eq_ignore_ascii_case("i"),
            });
        }
    }
    if inner.is_empty() {
        return None;
    }
    Some(AttrSelector {
        name: inner.to_owned(),
        op: AttrOp::Exists,
        value: String::new(),
        case_insensitive: false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_normalized_forms() {
        let list = parse_selector_list("view > .a.b:first-child, #x ~ text::before");
        assert_eq!(list.len(), 2);
        assert_eq!(list[0].parts.len(), 2);
        assert_eq!(list[0].combinators, vec![Combinator::Child]);
        assert_eq!(
            list[0].subject().classes,
            vec!["a".to_owned(), "b".to_owned()]
        );
        assert_eq!(list[1].subject().pseudo_element, Some(Pseudo::Before));
        assert_eq!(list[1].combinators, vec![Combinator::SubsequentSibling]);
    }

    #[test]
    fn nth_formulas() {
        assert_eq!(parse_nth("2n + 1"), Some((2, 1)));
        assert_eq!(parse_nth("2n + -1"), Some((2, -1)));
        assert_eq!(parse_nth("0n + 3"), Some((0, 3)));
        assert_eq!(parse_nth("-n + 3"), Some((-1, 3)));
        assert!(nth_matches(2, 1, 3));
        assert!(!nth_matches(2, 1, 2));
        assert!(nth_matches(-1, 3, 2));
        assert!(!nth_matches(-1, 3, 4));
    }

    #[test]
    fn ancestor_keys_skip_sibling_only_compounds() {
        let keys = parse_selector_list(".a + .b")[0].ancestor_keys();
        assert!(keys.is_empty());
        let keys = parse_selector_list("#p view.x > .b ~ .c .d")[0].ancestor_keys();
        // .c (ancestor of .d), .b (sibling of .c: also an ancestor), view.x, #p
        assert_eq!(keys.len(), 5);
        let mut filter = AncestorFilter::default();
        filter.insert(ancestor_key(KeyKind::Class, "c"));
        assert!(filter.may_contain_all(&[ancestor_key(KeyKind::Class, "c")]));
        assert!(!filter.may_contain_all(&[ancestor_key(KeyKind::Id, "zzz-not-there")]));
    }

    #[test]
    fn specificity_orders_id_class_tag() {
        let id = parse_selector_list("#a")[0].specificity();
        let classes = parse_selector_list(".a.b.c")[0].specificity();
        let tag = parse_selector_list("view text")[0].specificity();
        assert!(id > classes && classes > tag);
        let not = parse_selector_list("view:not(#x)")[0].specificity();
        assert!(not > classes);
    }
}
