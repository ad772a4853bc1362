//! [`StyleSheets`]: one page's rules, indexed for matching, and the cascade
//! that turns them into a [`ComputedStyle`] per node.
//!
//! Cascade order (ascending, the last applied wins): sheet rules by
//! (specificity, source order), then inline style, then `!important` sheet
//! rules in the same order, then `!important` inline declarations.
//!
//! Component style isolation: each rule remembers the sheet it came from
//! (its [`SheetOrigin`]); a [`ScopeQuery`] from the engine says which
//! origins may style an element, and a component's rules matching its own
//! elements see other scopes' elements as blank (no tag, id or classes).
//!
//! Matching uses a bucket index on the subject compound (id, else first
//! class, else tag, else universal), so a node only tests rules that could
//! match it. Not `Send`: float-pigment rules are `Rc`. Ship the binary form
//! (`compile_binary`) across threads instead.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;
use std::sync::Arc;

use cirrus_layout::style::{ComputedStyle, Display};
use float_pigment_css::property::{Property, PropertyMeta};
use float_pigment_css::sheet::Rule;
use float_pigment_css::typing::CustomPropertyType;

use crate::apply::{Applier, Phase};
use crate::binary::{CompiledRule, SharedDeclarations};
use crate::element::StyleElement;
use crate::inline::InlineStyle;
use crate::load::{guarded, LoadedRule, LoadedRules, Loader, Source};
use crate::media::{media_list_matches, MediaEnvironment};
use crate::motion::MotionAccumulator;
use crate::name_hash::NameMap;
use crate::selector::{parse_selector_list, AncestorFilter, ComplexSelector, Specificity};
use crate::vars::{compute_custom_properties, CustomProperties};
use crate::{initial_style, FontFaceRule, NodeStyle, Pseudo, StyleDiagnostic, StyleOptions};
use cirrus_layout::frame_cache::FrameCache;

/// Parsed inline styles and re-parsed `var()` values are kept while the last
/// two frames use them ([`StyleSheets::end_frame`]): setData can produce
/// them without end (an animated width), so a page that keeps changing
/// holds its working set, not its history. The caps bound callers that
/// never end frames.
const INLINE_CACHE_LIMIT: usize = 4096;
const REPARSE_CACHE_LIMIT: usize = 4096;

struct SelectorEntry {
    selector: ComplexSelector,
    rule: u32,
    specificity: Specificity,
    /// See [`ComplexSelector::ancestor_keys`]; empty when nothing is required.
    ancestor_keys: Vec<u32>,
    /// The sheet the rule came from (see [`SheetOrigin`]).
    origin: SheetOrigin,
    /// The subject has `:host`: the rule styles the host of the sheet's
    /// component, not the component's own elements.
    host: bool,
}

/// Which loaded sheet a rule came from: [`APP_ORIGIN`], [`PAGE_ORIGIN`], or
/// a component's sheet added with [`StyleSheets::add_sheet`].
pub type SheetOrigin = u32;
/// `app.wxss` and its imports.
pub const APP_ORIGIN: SheetOrigin = 0;
/// The page's own `.wxss` and its imports.
pub const PAGE_ORIGIN: SheetOrigin = 1;

/// Which sheets may style one element: component style isolation
/// (<https://developers.weixin.qq.com/miniprogram/dev/framework/custom-component/wxml-wxss.html>). The caller (the engine, which knows the component tree) decides;
/// the cascade only filters rules by origin.
#[derive(Clone, Copy, Debug, Default)]
pub struct ScopeQuery<'a> {
    /// Origins whose ordinary (non-`:host`) rules apply to the element.
    pub origins: &'a [SheetOrigin],
    /// Origins whose `:host` rules apply: the element hosts their component.
    pub host_of: &'a [SheetOrigin],
    /// External classes (`externalClasses`): these origins' rules also
    /// match the element as if it had `classes` (the parent's class names
    /// the element's external class names map to).
    pub external: Option<ExternalClasses<'a>>,
}

/// See [`ScopeQuery::external`].
#[derive(Clone, Copy, Debug)]
pub struct ExternalClasses<'a> {
    pub origins: &'a [SheetOrigin],
    pub classes: &'a [String],
}

impl ScopeQuery<'_> {
    fn allows(&self, entry: &SelectorEntry) -> bool {
        if entry.host {
            self.host_of.contains(&entry.origin)
        } else {
            self.origins.contains(&entry.origin)
        }
    }
}

#[derive(Default)]
struct Bucket {
    by_id: NameMap<Vec<u32>>,
    by_class: NameMap<Vec<u32>>,
    by_tag: NameMap<Vec<u32>>,
    universal: Vec<u32>,
}

impl Bucket {
    fn insert(&mut self, selector: &ComplexSelector, entry: u32) {
        // Looked up before inserting: the key is copied only when new.
        fn add(map: &mut NameMap<Vec<u32>>, key: &str, entry: u32) {
            match map.get_mut(key) {
                Some(entries) => entries.push(entry),
                None => {
                    map.insert(key.to_owned(), vec![entry]);
                }
            }
        }
        let subject = selector.subject();
        if let Some(id) = &subject.id {
            add(&mut self.by_id, id, entry);
        } else if let Some(class) = subject.classes.first() {
            add(&mut self.by_class, class, entry);
        } else if let Some(tag) = &subject.tag {
            add(&mut self.by_tag, tag, entry);
        } else {
            self.universal.push(entry);
        }
    }

    fn candidates<E: StyleElement>(&self, element: &E, mut visit: impl FnMut(u32)) {
        if let Some(id) = element.id() {
            self.by_id
                .get(id)
                .into_iter()
                .flatten()
                .for_each(|e| visit(*e));
        }
        if !self.by_class.is_empty() {
            for class in element.classes() {
                self.by_class
                    .get(class)
                    .into_iter()
                    .flatten()
                    .for_each(|e| visit(*e));
            }
        }
        self.by_tag
            .get(element.tag_name())
            .into_iter()
            .flatten()
            .for_each(|e| visit(*e));
        self.universal.iter().for_each(|e| visit(*e));
    }
}

/// One `@keyframes` block.
#[derive(Clone, Debug)]
pub struct Keyframes {
    pub name: String,
    pub frames: Vec<Keyframe>,
}

/// One frame: its offsets (0..=1; `from, 50%` gives two) and declarations.
/// Turn it into a style with [`StyleSheets::keyframe_style`].
#[derive(Clone, Debug)]
pub struct Keyframe {
    pub offsets: Vec<f32>,
    pub(crate) declarations: Vec<PropertyMeta>,
}

impl Keyframe {
    /// The animatable longhands this frame declares (`opacity`,
    /// `transform`, `border-top-color`...): an animation interpolates a
    /// property only between the frames that declare it.
    pub fn declared_properties(&self) -> Vec<String> {
        self.declarations
            .iter()
            .flat_map(|pm| pm.iter())
            .filter_map(animatable_name)
            .map(str::to_owned)
            .collect()
    }
}

/// The CSS name of a longhand the engine animates (transitions and
/// keyframes interpolate these; see cirrus-engine's `motion`).
fn animatable_name(p: &Property) -> Option<&'static str> {
    Some(match p {
        Property::Opacity(_) => "opacity",
        Property::Transform(_) => "transform",
        Property::BackgroundColor(_) => "background-color",
        Property::Color(_) => "color",
        Property::BorderTopColor(_) => "border-top-color",
        Property::BorderRightColor(_) => "border-right-color",
        Property::BorderBottomColor(_) => "border-bottom-color",
        Property::BorderLeftColor(_) => "border-left-color",
        Property::Width(_) => "width",
        Property::Height(_) => "height",
        Property::Left(_) => "left",
        Property::Top(_) => "top",
        Property::Right(_) => "right",
        Property::Bottom(_) => "bottom",
        Property::MarginTop(_) => "margin-top",
        Property::MarginRight(_) => "margin-right",
        Property::MarginBottom(_) => "margin-bottom",
        Property::MarginLeft(_) => "margin-left",
        Property::PaddingTop(_) => "padding-top",
        Property::PaddingRight(_) => "padding-right",
        Property::PaddingBottom(_) => "padding-bottom",
        Property::PaddingLeft(_) => "padding-left",
        _ => return None,
    })
}

/// A matched rule: its specificity and its index (= source order).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Matched {
    specificity: Specificity,
    rule: u32,
}

/// The style sheets of one page (app.wxss, the page's wxss, their imports).
pub struct StyleSheets {
    options: StyleOptions,
    initial: ComputedStyle,
    pseudo_initial: ComputedStyle,
    /// Each indexed rule's declarations, by rule index.
    rules: Vec<Declarations>,
    /// Component sheets added so far, by package path.
    added_sheets: HashMap<String, SheetOrigin>,
    /// The component (sheet path without `.wxss`) of each added sheet.
    origin_scopes: HashMap<SheetOrigin, String>,
    next_origin: SheetOrigin,
    font_faces: Vec<FontFaceRule>,
    /// Every loaded `@keyframes`, in load order (the last one named wins).
    keyframes: Vec<Keyframes>,
    entries: Vec<SelectorEntry>,
    /// Indexed by pseudo-element: none, ::before, ::after; then the
    /// custom-property declaring rules again.
    buckets: [Bucket; 4],
    /// Whether any rule declares a custom property (`--x: ...`).
    declares_custom_properties: bool,
    /// Shared empty map, so nodes without variables allocate nothing.
    no_custom_properties: CustomProperties,
    inline_cache: RefCell<FrameCache<String, Rc<InlineStyle>>>,
    reparse_cache: RefCell<FrameCache<String, Rc<Vec<Property>>>>,
    scratch: RefCell<Vec<Matched>>,
}

/// `pages/a/a` (possibly `/pages/a/a?id=3`) -> `pages/a/a.wxss`.
fn page_sheet_path(page: &str) -> String {
    let route = page.split('?').next().unwrap_or(page);
    format!("{}.wxss", route.trim_start_matches('/'))
}

/// The bucket of (non-pseudo) rules that declare custom properties, used
/// when recomputing an ancestor's variables.
const CUSTOM_PROPERTY_BUCKET: usize = 3;

fn bucket_index(pseudo: Option<Pseudo>) -> usize {
    match pseudo {
        None => 0,
        Some(Pseudo::Before) => 1,
        Some(Pseudo::After) => 2,
    }
}

/// A rule's declarations: float-pigment's parsed rule (text loads keep it
/// shared, uncopied) or a precompiled rule's slice of its file's list.
enum Declarations {
    Parsed(Rc<Rule>),
    Compiled(SharedDeclarations),
}

impl Declarations {
    fn for_each(&self, f: impl FnMut(&PropertyMeta)) {
        match self {
            Declarations::Parsed(rule) => rule.properties().for_each(f),
            Declarations::Compiled(shared) => shared.as_slice().iter().for_each(f),
        }
    }

    fn declares_custom(&self) -> bool {
        let mut found = false;
        self.for_each(|pm| {
            found |= pm.iter().any(|p| matches!(p, Property::CustomProperty(_)));
        });
        found
    }
}

impl StyleSheets {
    /// No rules: every node gets the Skyline defaults for `options`.
    pub fn empty(options: StyleOptions) -> StyleSheets {
        StyleSheets::from_rules(LoadedRules::default(), options, 0)
    }

    /// Adds a component's sheet (`path`, e.g. `components/card/card.wxss`,
    /// with its `@import`s) once; later calls return the same origin. Its
    /// rules come after every rule loaded before, so at equal specificity
    /// they win over the page's. Rules match only where a [`ScopeQuery`]
    /// names the returned origin.
    pub fn add_sheet(
        &mut self,
        path: &str,
        read: &dyn Fn(&str) -> Option<String>,
    ) -> (SheetOrigin, Vec<StyleDiagnostic>) {
        if let Some(origin) = self.added_sheets.get(path) {
            return (*origin, Vec::new());
        }
        let origin = self.next_origin;
        self.next_origin += 1;
        self.added_sheets.insert(path.to_owned(), origin);
        let component = path.strip_suffix(".wxss").unwrap_or(path);
        self.origin_scopes
            .insert(origin, component.trim_start_matches('/').to_owned());
        let mut loader = Loader::new(Source::Text(read));
        loader.load_root(path);
        let mut out = loader.out;
        let diagnostics = std::mem::take(&mut out.diagnostics);
        self.append_loaded(out, |_| origin);
        (origin, diagnostics)
    }

    /// The origin of a sheet added with [`add_sheet`](Self::add_sheet).
    pub fn sheet_origin(&self, path: &str) -> Option<SheetOrigin> {
        self.added_sheets.get(path).copied()
    }

    /// Adds one rule (that passed media filtering) to the index.
    fn index_rule(
        &mut self,
        selectors: impl IntoIterator<Item = ComplexSelector>,
        declarations: Declarations,
        origin: SheetOrigin,
    ) {
        let rule_index = self.rules.len() as u32;
        let rule_declares_custom = declarations.declares_custom();
        self.declares_custom_properties |= rule_declares_custom;
        for selector in selectors {
            let entry = self.entries.len() as u32;
            let pseudo = selector.subject().pseudo_element;
            self.buckets[bucket_index(pseudo)].insert(&selector, entry);
            if rule_declares_custom && pseudo.is_none() {
                self.buckets[CUSTOM_PROPERTY_BUCKET].insert(&selector, entry);
            }
            let specificity = selector.specificity();
            let ancestor_keys = selector.ancestor_keys();
            let host = selector.subject_is_host();
            self.entries.push(SelectorEntry {
                selector,
                rule: rule_index,
                specificity,
                ancestor_keys,
                origin,
                host,
            });
        }
        self.rules.push(declarations);
    }

    /// Indexes `loaded`'s rules after the existing ones; `origin_of` gets
    /// each rule's index within `loaded`.
    fn append_loaded(&mut self, loaded: LoadedRules, origin_of: impl Fn(usize) -> SheetOrigin) {
        let env = MediaEnvironment {
            width: self.options.viewport.width.0,
            height: self.options.viewport.height.0,
            dark: self.options.dark_mode,
        };
        self.rules.reserve(loaded.rules.len());
        self.entries.reserve(loaded.rules.len());
        let mut compiled_selectors = loaded.compiled_selectors.into_iter();
        for (index, rule) in loaded.rules.into_iter().enumerate() {
            // Media depends only on load options, so it is decided once here.
            match rule {
                LoadedRule::Parsed(rule) => {
                    if !media_list_matches(&rule.get_media_query_string_list(), &env) {
                        continue;
                    }
                    let selectors = parse_selector_list(&rule.get_selector_string());
                    self.index_rule(selectors, Declarations::Parsed(rule), origin_of(index));
                }
                LoadedRule::Compiled(CompiledRule {
                    media,
                    selector_count,
                    declarations,
                }) => {
                    let selectors = compiled_selectors.by_ref().take(selector_count as usize);
                    if !media_list_matches(&media, &env) {
                        selectors.for_each(drop);
                        continue;
                    }
                    let declarations = Declarations::Compiled(declarations);
                    self.index_rule(selectors, declarations, origin_of(index));
                }
            }
        }
        self.keyframes.extend(loaded.keyframes);
        self.font_faces.extend(loaded.font_faces);
    }

    /// Loads `app.wxss` then `{page}.wxss` (with their imports) from source.
    pub fn load(
        page: &str,
        read: &dyn Fn(&str) -> Option<String>,
        options: StyleOptions,
    ) -> (StyleSheets, Vec<StyleDiagnostic>) {
        let mut loader = Loader::new(Source::Text(read));
        loader.load_root("app.wxss");
        let app_rules = loader.out.rules.len();
        loader.load_root(&page_sheet_path(page));
        let mut out = loader.out;
        let diagnostics = std::mem::take(&mut out.diagnostics);
        (
            StyleSheets::from_rules(out, options, app_rules),
            diagnostics,
        )
    }

    /// Like [`load`](Self::load), from binaries made by [`crate::compile_binary`]
    /// (`read` gets the same package paths, e.g. `app.wxss`).
    pub fn load_binary(
        page: &str,
        read: &dyn Fn(&str) -> Option<Vec<u8>>,
        options: StyleOptions,
    ) -> (StyleSheets, Vec<StyleDiagnostic>) {
        let mut loader = Loader::new(Source::Binary(read));
        loader.load_root("app.wxss");
        let app_rules = loader.out.rules.len();
        loader.load_root(&page_sheet_path(page));
        let mut out = loader.out;
        let diagnostics = std::mem::take(&mut out.diagnostics);
        (
            StyleSheets::from_rules(out, options, app_rules),
            diagnostics,
        )
    }

    /// `app_rules`: how many of `loaded`'s rules came from `app.wxss`.
    fn from_rules(loaded: LoadedRules, options: StyleOptions, app_rules: usize) -> StyleSheets {
        let initial = initial_style(&options);
        let mut pseudo_initial = initial.clone();
        pseudo_initial.display = Display::Inline;
        let mut sheets = StyleSheets {
            options,
            initial,
            pseudo_initial,
            rules: Vec::new(),
            added_sheets: HashMap::new(),
            origin_scopes: HashMap::new(),
            next_origin: PAGE_ORIGIN + 1,
            font_faces: Vec::new(),
            keyframes: Vec::new(),
            entries: Vec::new(),
            buckets: Default::default(),
            declares_custom_properties: false,
            no_custom_properties: Arc::new(HashMap::new()),
            inline_cache: RefCell::new(FrameCache::new(INLINE_CACHE_LIMIT)),
            reparse_cache: RefCell::new(FrameCache::new(REPARSE_CACHE_LIMIT)),
            scratch: RefCell::new(Vec::new()),
        };
        sheets.append_loaded(loaded, |index| {
            if index < app_rules {
                APP_ORIGIN
            } else {
                PAGE_ORIGIN
            }
        });
        sheets
    }

    /// The options the sheets were loaded with.
    pub fn options(&self) -> &StyleOptions {
        &self.options
    }

    /// Number of rules that survived media filtering.
    /// Ends a frame: parsed inline styles and `var()` values that neither
    /// this frame's style pass nor the last one used are freed.
    pub fn end_frame(&mut self) {
        self.inline_cache.get_mut().end_frame();
        self.reparse_cache.get_mut().end_frame();
    }

    pub fn rule_count(&self) -> usize {
        self.rules.len()
    }

    /// The `@font-face` rules of all loaded sheets, in source order.
    pub fn font_faces(&self) -> &[FontFaceRule] {
        &self.font_faces
    }

    /// The style of a node with no matching rules and no inline style.
    pub fn initial_style(&self) -> &ComputedStyle {
        &self.initial
    }

    /// Fills `out` with the rules matching `element` (for `pseudo`), sorted
    /// in ascending cascade order.
    fn match_rules<E: StyleElement>(
        &self,
        element: &E,
        pseudo: Option<Pseudo>,
        scope: Option<&ScopeQuery>,
        out: &mut Vec<Matched>,
    ) {
        self.match_bucket(bucket_index(pseudo), element, scope, out);
        let Some(external) = scope.and_then(|q| q.external) else {
            return;
        };
        // External classes: the parent's sheets see the mapped class names.
        let as_parent_sees_it = WithClasses {
            inner: element.clone(),
            classes: Some(external.classes),
        };
        let parent_scope = ScopeQuery {
            origins: external.origins,
            host_of: &[],
            external: None,
        };
        let mut extra = Vec::new();
        self.match_bucket(
            bucket_index(pseudo),
            &as_parent_sees_it,
            Some(&parent_scope),
            &mut extra,
        );
        if !extra.is_empty() {
            out.extend(extra);
            sort_matched(out);
        }
    }

    fn match_bucket<E: StyleElement>(
        &self,
        bucket: usize,
        element: &E,
        scope: Option<&ScopeQuery>,
        out: &mut Vec<Matched>,
    ) {
        out.clear();
        // Built on the first candidate that needs it, at most once per node.
        let mut ancestors: Option<AncestorFilter> = None;
        self.buckets[bucket].candidates(element, |entry| {
            let entry = &self.entries[entry as usize];
            if scope.is_some_and(|q| !q.allows(entry)) {
                return;
            }
            if !entry.ancestor_keys.is_empty() {
                let filter =
                    ancestors.get_or_insert_with(|| AncestorFilter::for_ancestors_of(element));
                if !filter.may_contain_all(&entry.ancestor_keys) {
                    return;
                }
            }
            // A component's own rules see only its own elements: ancestors
            // and siblings outside it look blank to them (WeChat scopes a
            // component's class names the same way).
            let component = scope
                .and(self.origin_scopes.get(&entry.origin))
                .filter(|c| !entry.host && element.scope() == Some(c.as_str()));
            let matches = match component {
                Some(component) => entry.selector.matches(&InScope {
                    inner: element.clone(),
                    scope: component,
                }),
                None => entry.selector.matches(element),
            };
            if matches {
                out.push(Matched {
                    specificity: entry.specificity,
                    rule: entry.rule,
                });
            }
        });
        sort_matched(out);
    }

    /// Parses (and caches) an inline `style` attribute.
    fn inline(&self, text: &str) -> Rc<InlineStyle> {
        if let Some(found) = self.inline_cache.borrow_mut().get_mut(text) {
            return found.clone();
        }
        let parsed = Rc::new(crate::inline::parse_inline_style(text).0);
        (self.inline_cache.borrow_mut()).insert(text.to_owned(), parsed.clone());
        parsed
    }

    fn reparse(&self, name: &str, value: &str) -> Vec<Property> {
        let key = format!("{name}\u{0}{value}");
        if let Some(found) = self.reparse_cache.borrow_mut().get_mut(&key) {
            return (**found).clone();
        }
        // A substituted value is new text: it gets the same nesting limits
        // as a sheet (its diagnostics were reported where it was declared).
        let limited = crate::guard::guard(crate::INLINE_STYLE_FILE, value);
        let (metas, _) =
            guarded(|| float_pigment_css::parser::parse_property_value_string(name, &limited.text))
                .unwrap_or_default();
        let properties: Vec<Property> = metas.iter().flat_map(|pm| pm.iter().cloned()).collect();
        (self.reparse_cache.borrow_mut()).insert(key, Rc::new(properties.clone()));
        properties
    }

    /// Calls `f` for every declaration in ascending cascade order.
    fn for_each_declaration(
        &self,
        matched: &[Matched],
        inline: Option<&InlineStyle>,
        mut f: impl FnMut(&Property),
    ) {
        for important in [false, true] {
            let mut visit = |pm: &PropertyMeta| {
                if pm.is_important() == important && !pm.is_disabled() {
                    pm.iter().for_each(&mut f);
                }
            };
            for m in matched {
                self.rules[m.rule as usize].for_each(&mut visit);
            }
            if let Some(inline) = inline {
                inline.declarations.iter().for_each(&mut visit);
            }
        }
    }

    fn declared_custom_properties(
        &self,
        matched: &[Matched],
        inline: Option<&InlineStyle>,
    ) -> Vec<(String, String)> {
        let mut declared = Vec::new();
        if self.declares_custom_properties || inline.is_some_and(|i| i.declares_custom_properties) {
            self.for_each_declaration(matched, inline, |p| {
                if let Property::CustomProperty(CustomPropertyType::Expr(name, value)) = p {
                    declared.push((name.as_str().to_owned(), value.as_str().to_owned()));
                }
            });
        }
        declared
    }

    /// Whether inherited custom properties can be non-empty for `element`.
    fn custom_properties_possible<E: StyleElement>(&self, element: &E) -> bool {
        if self.declares_custom_properties {
            return true;
        }
        let mut cursor = Some(element.clone());
        while let Some(node) = cursor {
            if node.inline_style().is_some_and(|s| s.contains("--")) {
                return true;
            }
            cursor = node.parent_element();
        }
        false
    }

    /// Computes the custom properties of `element` by walking from the root
    /// (used when the caller has no parent [`NodeStyle`] to inherit from).
    fn custom_properties_of<E: StyleElement>(&self, element: &E) -> CustomProperties {
        let mut chain = vec![element.clone()];
        while let Some(parent) = chain.last().and_then(|n| n.parent_element()) {
            chain.push(parent);
        }
        let mut vars: CustomProperties = self.no_custom_properties.clone();
        let mut matched = Vec::new();
        for node in chain.iter().rev() {
            // Only rules that declare custom properties matter here.
            self.match_bucket(CUSTOM_PROPERTY_BUCKET, node, None, &mut matched);
            let inline = node.inline_style().map(|s| self.inline(s));
            let declared = self.declared_custom_properties(&matched, inline.as_deref());
            vars = compute_custom_properties(&vars, &declared);
        }
        vars
    }

    /// The computed style of `element`, inheriting from `parent` (the
    /// parent element's computed style; `None` for the page root).
    ///
    /// Custom properties inherited from ancestors are recomputed by walking
    /// the ancestors when the page uses any; [`compute_node`](Self::compute_node)
    /// avoids that walk by carrying them from the parent.
    pub fn compute<E: StyleElement>(
        &self,
        element: &E,
        parent: Option<&ComputedStyle>,
    ) -> ComputedStyle {
        let parent_vars = match element.parent_element() {
            Some(p) if self.custom_properties_possible(&p) => self.custom_properties_of(&p),
            _ => self.no_custom_properties.clone(),
        };
        self.compute_with(element, parent, &parent_vars, None).style
    }

    /// Like [`compute`](Self::compute), with only the rules `scope` allows
    /// (component style isolation). Custom properties inherited from
    /// ancestors are computed without the filter.
    pub fn compute_scoped<E: StyleElement>(
        &self,
        element: &E,
        parent: Option<&ComputedStyle>,
        scope: &ScopeQuery,
    ) -> ComputedStyle {
        let parent_vars = match element.parent_element() {
            Some(p) if self.custom_properties_possible(&p) => self.custom_properties_of(&p),
            _ => self.no_custom_properties.clone(),
        };
        self.compute_with(element, parent, &parent_vars, Some(scope))
            .style
    }

    /// Like [`compute`](Self::compute) / [`compute_scoped`](Self::compute_scoped)
    /// (when `scope` is given), with the element's transitions and
    /// animations ([`NodeStyle::motion`]) beside the computed style.
    pub fn compute_with_motion<E: StyleElement>(
        &self,
        element: &E,
        parent: Option<&ComputedStyle>,
        scope: Option<&ScopeQuery>,
    ) -> NodeStyle {
        let parent_vars = match element.parent_element() {
            Some(p) if self.custom_properties_possible(&p) => self.custom_properties_of(&p),
            _ => self.no_custom_properties.clone(),
        };
        self.compute_with(element, parent, &parent_vars, scope)
    }

    /// Like [`compute`](Self::compute), carrying custom properties from the
    /// parent's [`NodeStyle`]: the fast path for a top-down tree walk.
    pub fn compute_node<E: StyleElement>(
        &self,
        element: &E,
        parent: Option<&NodeStyle>,
    ) -> NodeStyle {
        match parent {
            Some(p) => self.compute_with(element, Some(&p.style), &p.custom_properties, None),
            None => self.compute_with(element, None, &self.no_custom_properties, None),
        }
    }

    fn compute_with<E: StyleElement>(
        &self,
        element: &E,
        parent: Option<&ComputedStyle>,
        parent_vars: &CustomProperties,
        scope: Option<&ScopeQuery>,
    ) -> NodeStyle {
        let mut matched = std::mem::take(&mut *self.scratch.borrow_mut());
        self.match_rules(element, None, scope, &mut matched);
        let inline = element.inline_style().map(|s| self.inline(s));
        let declared = self.declared_custom_properties(&matched, inline.as_deref());
        let vars = compute_custom_properties(parent_vars, &declared);
        let mut motion = MotionAccumulator::default();
        let (mut style, _) = self.cascade(
            &matched,
            inline.as_deref(),
            &self.initial,
            parent,
            &vars,
            Some(&mut motion),
        );
        *self.scratch.borrow_mut() = matched;

        // Skyline: a <text> inside a <text> is inline content of its parent.
        if element.tag_name() == "text"
            && style.display != Display::None
            && element
                .parent_element()
                .is_some_and(|p| p.tag_name() == "text")
        {
            style.display = Display::Inline;
        }
        NodeStyle {
            style,
            custom_properties: vars,
            motion: motion.finish(),
        }
    }

    fn cascade(
        &self,
        matched: &[Matched],
        inline: Option<&InlineStyle>,
        initial: &ComputedStyle,
        parent: Option<&ComputedStyle>,
        vars: &CustomProperties,
        mut motion: Option<&mut MotionAccumulator>,
    ) -> (ComputedStyle, Option<String>) {
        let lookup = |name: &str| vars.get(name).cloned();
        let reparse = |name: &str, value: &str| self.reparse(name, value);
        let mut applier = Applier::new(initial, parent, self.viewport(), &lookup, &reparse);
        for phase in [Phase::Early, Phase::Late] {
            self.for_each_declaration(matched, inline, |p| {
                if Phase::of(p) != Some(phase) {
                    return;
                }
                match motion.as_deref_mut() {
                    Some(m) if MotionAccumulator::handles(p) => m.apply(p),
                    _ => applier.apply(p),
                }
            });
        }
        applier.finish()
    }

    fn viewport(&self) -> (f32, f32) {
        (
            self.options.viewport.width.0,
            self.options.viewport.height.0,
        )
    }

    /// The `@keyframes` block named `name` (the last one defined wins).
    pub fn keyframes(&self, name: &str) -> Option<Keyframes> {
        self.keyframes
            .iter()
            .rev()
            .find(|k| k.name == name)
            .cloned()
    }

    /// `base` with one keyframe's declarations applied (what the animation
    /// driver interpolates between). `parent` is the element's parent style.
    pub fn keyframe_style(
        &self,
        frame: &Keyframe,
        base: &ComputedStyle,
        parent: Option<&ComputedStyle>,
    ) -> ComputedStyle {
        self.apply_metas(&frame.declarations, base, parent)
    }

    /// `base` with `declarations` (an inline declaration block, cached like
    /// inline styles) applied on top, inheriting from `parent`: what a
    /// restyle would give a node whose only change is those declarations,
    /// when they name properties no selector or transition depends on (the
    /// render thread's animated styles use it to skip the cascade).
    pub fn apply_declarations(
        &self,
        declarations: &str,
        base: &ComputedStyle,
        parent: Option<&ComputedStyle>,
    ) -> ComputedStyle {
        self.apply_metas(&self.inline(declarations).declarations, base, parent)
    }

    /// `base` with `metas` applied in cascade phase order (no selectors).
    fn apply_metas(
        &self,
        metas: &[PropertyMeta],
        base: &ComputedStyle,
        parent: Option<&ComputedStyle>,
    ) -> ComputedStyle {
        let lookup = |_: &str| None;
        let reparse = |name: &str, value: &str| self.reparse(name, value);
        let mut applier = Applier::from_style(
            base,
            &self.initial,
            parent,
            self.viewport(),
            &lookup,
            &reparse,
        );
        for phase in [Phase::Early, Phase::Late] {
            for pm in metas {
                for p in pm.iter() {
                    if Phase::of(p) == Some(phase) {
                        applier.apply(p);
                    }
                }
            }
        }
        applier.finish().0
    }

    /// The style and text of `element`'s `::before` / `::after`, or `None`
    /// when no rule gives it a `content` string. It inherits from
    /// `element_style`; its initial display is inline.
    pub fn compute_pseudo<E: StyleElement>(
        &self,
        element: &E,
        element_style: &ComputedStyle,
        which: Pseudo,
    ) -> Option<(ComputedStyle, String)> {
        self.compute_pseudo_with(element, element_style, which, None)
    }

    /// [`compute_pseudo`](Self::compute_pseudo) with only the rules `scope`
    /// allows.
    pub fn compute_pseudo_scoped<E: StyleElement>(
        &self,
        element: &E,
        element_style: &ComputedStyle,
        which: Pseudo,
        scope: &ScopeQuery,
    ) -> Option<(ComputedStyle, String)> {
        self.compute_pseudo_with(element, element_style, which, Some(scope))
    }

    fn compute_pseudo_with<E: StyleElement>(
        &self,
        element: &E,
        element_style: &ComputedStyle,
        which: Pseudo,
        scope: Option<&ScopeQuery>,
    ) -> Option<(ComputedStyle, String)> {
        let mut matched = Vec::new();
        self.match_rules(element, Some(which), scope, &mut matched);
        if matched.is_empty() {
            return None;
        }
        let vars = if self.custom_properties_possible(element) {
            self.custom_properties_of(element)
        } else {
            self.no_custom_properties.clone()
        };
        let (style, content) = self.cascade(
            &matched,
            None,
            &self.pseudo_initial,
            Some(element_style),
            &vars,
            None,
        );
        content.map(|text| (style, text))
    }
}

/// Sorts matched rules into ascending cascade order. One rule may match
/// through several selectors of its list (or a duplicated class): it counts
/// once, at its highest specificity.
fn sort_matched(out: &mut Vec<Matched>) {
    if out.len() > 1 {
        out.sort_unstable_by(|a, b| a.rule.cmp(&b.rule).then(b.specificity.cmp(&a.specificity)));
        out.dedup_by_key(|m| m.rule);
        out.sort_unstable();
    }
}

/// An element seen with other class names (external classes); its
/// ancestors and siblings are seen as they are.
#[derive(Clone)]
struct WithClasses<'c, E> {
    inner: E,
    classes: Option<&'c [String]>,
}

impl<'c, E: StyleElement> WithClasses<'c, E> {
    fn plain(inner: E) -> Self {
        WithClasses {
            inner,
            classes: None,
        }
    }
}

impl<E: StyleElement> StyleElement for WithClasses<'_, E> {
    fn tag_name(&self) -> &str {
        self.inner.tag_name()
    }
    fn id(&self) -> Option<&str> {
        self.inner.id()
    }
    fn classes(&self) -> impl Iterator<Item = &str> + '_ {
        let (own, mapped) = match self.classes {
            Some(mapped) => (None, Some(mapped.iter().map(String::as_str))),
            None => (Some(self.inner.classes()), None),
        };
        own.into_iter()
            .flatten()
            .chain(mapped.into_iter().flatten())
    }
    fn inline_style(&self) -> Option<&str> {
        self.inner.inline_style()
    }
    fn attribute(&self, name: &str) -> Option<&str> {
        self.inner.attribute(name)
    }
    fn scope(&self) -> Option<&str> {
        self.inner.scope()
    }
    fn parent_element(&self) -> Option<Self> {
        self.inner.parent_element().map(WithClasses::plain)
    }
    fn previous_sibling_element(&self) -> Option<Self> {
        self.inner
            .previous_sibling_element()
            .map(WithClasses::plain)
    }
    fn next_sibling_element(&self) -> Option<Self> {
        self.inner.next_sibling_element().map(WithClasses::plain)
    }
    fn has_child_nodes(&self) -> bool {
        self.inner.has_child_nodes()
    }
    fn element_index(&self) -> usize {
        self.inner.element_index()
    }
    fn elements_after(&self) -> usize {
        self.inner.elements_after()
    }
}

/// An element seen by a component's own selectors: elements of other
/// scopes (the page, other components) keep their attributes (`:host`
/// reads one) but show no tag, id or classes.
#[derive(Clone)]
struct InScope<'s, E> {
    inner: E,
    scope: &'s str,
}

impl<'s, E: StyleElement> InScope<'s, E> {
    fn visible(&self) -> bool {
        self.inner.scope() == Some(self.scope)
    }

    fn wrap(&self, inner: E) -> Self {
        InScope {
            inner,
            scope: self.scope,
        }
    }
}

impl<E: StyleElement> StyleElement for InScope<'_, E> {
    fn tag_name(&self) -> &str {
        if self.visible() {
            self.inner.tag_name()
        } else {
            ""
        }
    }
    fn id(&self) -> Option<&str> {
        self.inner.id().filter(|_| self.visible())
    }
    fn classes(&self) -> impl Iterator<Item = &str> + '_ {
        let visible = self.visible();
        self.inner.classes().filter(move |_| visible)
    }
    fn inline_style(&self) -> Option<&str> {
        self.inner.inline_style()
    }
    fn attribute(&self, name: &str) -> Option<&str> {
        self.inner.attribute(name)
    }
    fn scope(&self) -> Option<&str> {
        self.inner.scope()
    }
    fn parent_element(&self) -> Option<Self> {
        self.inner.parent_element().map(|p| self.wrap(p))
    }
    fn previous_sibling_element(&self) -> Option<Self> {
        self.inner.previous_sibling_element().map(|p| self.wrap(p))
    }
    fn next_sibling_element(&self) -> Option<Self> {
        self.inner.next_sibling_element().map(|p| self.wrap(p))
    }
    fn has_child_nodes(&self) -> bool {
        self.inner.has_child_nodes()
    }
    fn element_index(&self) -> usize {
        self.inner.element_index()
    }
    fn elements_after(&self) -> usize {
        self.inner.elements_after()
    }
}
