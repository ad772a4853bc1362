//! Custom components on the logic thread: the Rust half of
//! `js/component.js` (<https://developers.weixin.qq.com/miniprogram/dev/reference/api/Component.html>).
//!
//! This module owns, per page, the component instances' template side: for
//! each component its host element, its owner (the page, id 0, or the
//! component whose template holds the host), its `PageInstance` (the shadow
//! tree, built under the host) and the Rust mirror of its data. The JS side
//! owns the component objects (methods, lifetimes, observers, behaviors).
//!
//! Flow: a template build or update reports [`ComponentEvent`]s; the native
//! call that caused it converts them into *work items* (JSON) returned to
//! JS, which runs the component's JS (`created`, property observers, ...)
//! and calls back (`attach`, `setData`) with no Rust borrow held. Ops from
//! components, and those of the page's own setData ([`queue_page_ops`]),
//! collect in a per-page pending list that JS flushes as one batch at the
//! end of its outermost call (`flush`): one batch per setData or event.
//!
//! Events: [`event_path`] computes the propagation path of an event from a
//! node through the instance trees, crossing a shadow root only when the
//! event is composed or the path entered that shadow tree through a slot,
//! and retargets the target per listener (a node inside a shadow tree is
//! seen as its host from outside), as glass-easel does.
//!
//! Invariants: a component id is never reused; a component is in `comps`
//! exactly while its host is in its owner's tree; no `Shared` or world
//! borrow is held while JS runs.

use crate::natives::Shared;
pub use cirrus_package::checks::resolve_component;
use cirrus_package::package::{resolve_relative, Package};
use cirrus_protocol::messages::ToRender;
use cirrus_protocol::ops::{NodeId, Op, OpBatch, PageId};
use cirrus_protocol::Diagnostic;
use cirrus_style::{SelectorList, StyleElement};
use cirrus_template::{
    apply_set_data, scope_attrs, ComponentEvent, DataPath, EventKind, InstanceOptions,
    PageInstance, TemplateDiagnostic, TemplateGroup,
};
use rquickjs::{Ctx, Function, Object};
use serde_json::{json, Map, Value};
use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::rc::Rc;

/// The JS half, evaluated right after bootstrap.js.
pub(crate) const COMPONENT_JS: &str = include_str!("js/component.js");
/// Its name in stack traces.
pub(crate) const COMPONENT_JS_NAME: &str = "<cirrus>/component.js";

/// The owner id of page-owned nodes.
const PAGE_OWNER: u32 = 0;

/// Builds a page's template instance with the custom components of
/// app.json and the page's json (`usingComponents`).
pub(crate) fn build_page_instance(
    package: &Package,
    route: &str,
    group: &TemplateGroup,
    data: &Value,
    first_id: u32,
) -> (PageInstance, Vec<Op>, Vec<TemplateDiagnostic>) {
    let wxml_path = format!("{route}.wxml");
    let mut components = app_components(package);
    components.extend(using_components(package, &format!("{route}.json")));
    let options = InstanceOptions {
        root: NodeId::ROOT,
        ids: cirrus_template::NodeIdSource::new(first_id),
        components,
        scope: None,
    };
    PageInstance::with_options(group, &wxml_path, data, options)
}

/// app.json's `usingComponents` (global components), resolved.
fn app_components(package: &Package) -> HashMap<String, String> {
    package
        .app
        .using_components
        .iter()
        .map(|(tag, target)| (tag.clone(), resolve_component(package, "app.json", target)))
        .collect()
}

/// The `usingComponents` of one json file, resolved relative to it.
fn using_components(package: &Package, json_path: &str) -> HashMap<String, String> {
    let Some(Value::Object(config)) = read_json(package, json_path) else {
        return HashMap::new();
    };
    let Some(Value::Object(using)) = config.get("usingComponents") else {
        return HashMap::new();
    };
    using
        .iter()
        .filter_map(|(tag, target)| {
            let target = target.as_str()?;
            Some((tag.clone(), resolve_component(package, json_path, target)))
        })
        .collect()
}

fn read_json(package: &Package, path: &str) -> Option<Value> {
    serde_json::from_str(package.read(path)?).ok()
}

/// One component instance's template side.
struct Comp {
    path: String,
    host: NodeId,
    owner: u32,
    /// Built on `attach` (after `created`, with the data it left).
    instance: Option<PageInstance>,
    data: Value,
    /// `generic:` implementations chosen by the owner: name -> path.
    generics: HashMap<String, String>,
    external_classes: Vec<String>,
    /// The owner's current values of the external class attributes.
    external_values: Map<String, Value>,
}

#[derive(Default)]
struct PageComponents {
    comps: HashMap<u32, Comp>,
    by_host: HashMap<NodeId, u32>,
    pending: Vec<Op>,
}

#[derive(Default)]
struct World {
    pages: HashMap<u32, PageComponents>,
    next_id: u32,
}

type WorldRef = Rc<RefCell<World>>;

thread_local! {
    /// The world of the logic thread running on this thread, so that a
    /// page's own setData can join the batch of its component updates.
    static CURRENT_WORLD: RefCell<Option<WorldRef>> = const { RefCell::new(None) };
    /// Counts the logic loop's turns; component.js resets its batch depth
    /// when a new turn starts (see [`end_turn`]).
    static TURN: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

/// Ends a turn of the logic loop: sends whatever a batch left pending and
/// starts a new turn number. Normally nothing is pending here, but an
/// interrupted script (the watchdog) unwinds without running `finally`
/// blocks, so component.js may never have reached its flush.
pub(crate) fn end_turn(shared: &Rc<RefCell<Shared>>) {
    TURN.with(|turn| turn.set(turn.get() + 1));
    let Some(world) = CURRENT_WORLD.with(|current| current.borrow().clone()) else {
        return;
    };
    let batches: Vec<(u32, Vec<Op>)> = world
        .borrow_mut()
        .pages
        .iter_mut()
        .filter(|(_, comps)| !comps.pending.is_empty())
        .map(|(&page, comps)| (page, std::mem::take(&mut comps.pending)))
        .collect();
    let shared = shared.borrow();
    for (page, ops) in batches {
        shared.send(ToRender::Ops(OpBatch {
            page: PageId(page),
            ops,
        }));
    }
}

/// Queues a page setData's ops in front of the component ops that follow
/// from it: component.js flushes both as one batch when the setData (or
/// the event or lifecycle it runs in) ends. Without components installed,
/// sends them at once.
pub(crate) fn queue_page_ops(shared: &Shared, page: PageId, ops: Vec<Op>) {
    let world = CURRENT_WORLD.with(|current| current.borrow().clone());
    match world {
        Some(world) => world
            .borrow_mut()
            .pages
            .entry(page.0)
            .or_default()
            .pending
            .extend(ops),
        None => shared.send(ToRender::Ops(OpBatch { page, ops })),
    }
}

/// Installs `globalThis.__cirrusComponentNative`, which component.js
/// captures and deletes.
pub(crate) fn install<'js>(ctx: &Ctx<'js>, shared: &Rc<RefCell<Shared>>) -> rquickjs::Result<()> {
    let world: WorldRef = Rc::default();
    CURRENT_WORLD.with(|current| *current.borrow_mut() = Some(world.clone()));
    let native = Object::new(ctx.clone())?;

    let (s, w) = (shared.clone(), world.clone());
    native.set(
        "pageWork",
        Function::new(ctx.clone(), move |page: u32| -> String {
            page_work(&s, &w, page).to_string()
        })?,
    )?;
    let (s, w) = (shared.clone(), world.clone());
    native.set(
        "attach",
        Function::new(
            ctx.clone(),
            move |page: u32, id: u32, data: String, options: String| -> String {
                attach(&s, &w, page, id, &data, &options).to_string()
            },
        )?,
    )?;
    let (s, w) = (shared.clone(), world.clone());
    native.set(
        "setData",
        Function::new(
            ctx.clone(),
            move |page: u32, id: u32, keys_json: String, value_texts: Vec<String>| -> String {
                set_data(&s, &w, page, id, &keys_json, value_texts).to_string()
            },
        )?,
    )?;
    let (s, w) = (shared.clone(), world.clone());
    native.set(
        "flush",
        Function::new(ctx.clone(), move |page: u32| flush(&s, &w, page))?,
    )?;
    let (s, w) = (shared.clone(), world.clone());
    native.set(
        "eventPath",
        Function::new(
            ctx.clone(),
            move |page: u32, node: u32, composed: bool| -> String {
                event_path(&s, &w, page, NodeId(node), composed).to_string()
            },
        )?,
    )?;
    let (s, w) = (shared.clone(), world.clone());
    native.set(
        "select",
        Function::new(
            ctx.clone(),
            move |page: u32, owner: u32, selector: String| -> Vec<u32> {
                select(&s, &w, page, owner, &selector)
            },
        )?,
    )?;
    let s = shared.clone();
    native.set(
        "componentJson",
        Function::new(ctx.clone(), move |path: String| -> String {
            let package = s.borrow().package.clone();
            read_json(&package, &format!("{path}.json"))
                .unwrap_or(Value::Null)
                .to_string()
        })?,
    )?;
    native.set(
        "turn",
        Function::new(ctx.clone(), || TURN.with(|turn| turn.get() as f64))?,
    )?;
    native.set(
        "resolvePath",
        Function::new(ctx.clone(), |from: String, target: String| {
            resolve_relative(&from, &target)
        })?,
    )?;
    let w = world.clone();
    native.set(
        "forgetPage",
        Function::new(ctx.clone(), move |page: u32| {
            w.borrow_mut().pages.remove(&page);
        })?,
    )?;
    ctx.globals().set("__cirrusComponentNative", native)
}

/// Runs `f` with the page's template parts and its components. `None` when
/// the page is gone.
fn with_page<T>(
    shared: &Rc<RefCell<Shared>>,
    world: &WorldRef,
    page: u32,
    f: impl FnOnce(&Package, &mut TemplateGroup, &mut PageInstance, &mut PageComponents, &mut u32) -> T,
) -> Option<T> {
    let mut shared = shared.borrow_mut();
    let package = shared.package.clone();
    let record = shared.pages.iter_mut().find(|p| p.id == PageId(page))?;
    let (group, instance) = record.view.template_parts();
    let mut world = world.borrow_mut();
    let World { pages, next_id } = &mut *world;
    let components = pages.entry(page).or_default();
    Some(f(&package, group, instance, components, next_id))
}

fn report_all(shared: &Rc<RefCell<Shared>>, diagnostics: Vec<TemplateDiagnostic>) {
    let shared = shared.borrow();
    for d in diagnostics {
        shared.report(if d.is_error {
            Diagnostic::error(d.file, d.line, d.column, d.message)
        } else {
            Diagnostic::warning(d.file, d.line, d.column, d.message)
        });
    }
}

/// Work from the page's own template (after its build or a page setData).
fn page_work(shared: &Rc<RefCell<Shared>>, world: &WorldRef, page: u32) -> Value {
    let work = with_page(shared, world, page, |_, _, instance, comps, next_id| {
        let events = instance.take_component_events();
        let mut work = Vec::new();
        convert_events(comps, next_id, PAGE_OWNER, instance, events, &mut work);
        work
    });
    Value::Array(work.unwrap_or_default())
}

/// Turns template events of `owner`'s instance into work items for JS.
fn convert_events(
    comps: &mut PageComponents,
    next_id: &mut u32,
    owner: u32,
    owner_instance: &PageInstance,
    events: Vec<ComponentEvent>,
    work: &mut Vec<Value>,
) {
    for event in events {
        match event {
            ComponentEvent::Created {
                host,
                path,
                properties,
                generics,
            } => {
                *next_id += 1;
                let id = *next_id;
                // `generic:name="tag"`: `tag` as the owner's template knows it.
                let owner_tags = owner_instance.component_tags();
                let generics = generics
                    .into_iter()
                    .filter_map(|(name, tag)| Some((name, owner_tags.get(&tag)?.clone())))
                    .collect();
                comps.comps.insert(
                    id,
                    Comp {
                        path: path.clone(),
                        host,
                        owner,
                        instance: None,
                        data: Value::Object(Map::new()),
                        generics,
                        external_classes: Vec::new(),
                        external_values: properties.clone(),
                    },
                );
                comps.by_host.insert(host, id);
                work.push(json!({
                    "t": "create",
                    "id": id,
                    "path": path,
                    "owner": owner,
                    "host": host.0,
                    "hostId": owner_instance.attribute(host, "id").cloned().unwrap_or(Value::String(String::new())),
                    "dataset": owner_instance.dataset(host),
                    "props": properties,
                }));
            }
            ComponentEvent::PropertyChanged { host, name, value } => {
                let Some(&id) = comps.by_host.get(&host) else {
                    continue;
                };
                let Some(comp) = comps.comps.get_mut(&id) else {
                    continue;
                };
                comp.external_values.insert(name.clone(), value.clone());
                if comp.external_classes.contains(&name) {
                    let op = external_classes_op(comp);
                    comps.pending.push(op);
                    continue;
                }
                work.push(json!({ "t": "props", "id": id, "name": name, "value": value }));
            }
            ComponentEvent::Moved { host } => {
                if let Some(&id) = comps.by_host.get(&host) {
                    work.push(json!({ "t": "move", "id": id }));
                }
            }
            ComponentEvent::Removed { host } => {
                if let Some(id) = comps.by_host.get(&host).copied() {
                    remove_component(comps, id, work);
                }
            }
        }
    }
}

/// Drops component `id` and every component in its shadow tree (their
/// hosts went with it), reporting each, outermost first.
fn remove_component(comps: &mut PageComponents, id: u32, work: &mut Vec<Value>) {
    let Some(comp) = comps.comps.remove(&id) else {
        return;
    };
    comps.by_host.remove(&comp.host);
    work.push(json!({ "t": "remove", "id": id }));
    let mut inner: Vec<u32> = comps
        .comps
        .iter()
        .filter(|(_, c)| c.owner == id)
        .map(|(&inner, _)| inner)
        .collect();
    inner.sort_unstable();
    for inner in inner {
        remove_component(comps, inner, work);
    }
}

fn external_classes_op(comp: &Comp) -> Op {
    let mapping: Map<String, Value> = comp
        .external_classes
        .iter()
        .map(|name| {
            let value = match comp.external_values.get(name) {
                Some(Value::String(classes)) => classes.clone(),
                _ => String::new(),
            };
            (name.clone(), Value::String(value))
        })
        .collect();
    Op::SetAttribute {
        id: comp.host,
        name: scope_attrs::EXTERNAL_CLASSES.into(),
        value: Value::Object(mapping),
    }
}

/// Builds component `id`'s shadow tree with `data_json` (its data after
/// `created`, pure fields left out) and `options_json` (`multipleSlots`,
/// `virtualHost`, `styleIsolation`, `addGlobalClass`, `externalClasses`).
fn attach(
    shared: &Rc<RefCell<Shared>>,
    world: &WorldRef,
    page: u32,
    id: u32,
    data_json: &str,
    options_json: &str,
) -> Value {
    // Initial data too deep to read renders as empty (as unreadable data
    // always did); its setData keys are refused with a located diagnostic.
    let data = crate::data_json::parse(data_json, crate::data_json::MAX_SET_DATA_DEPTH)
        .ok()
        .filter(Value::is_object)
        .unwrap_or_else(|| Value::Object(Map::new()));
    let options = serde_json::from_str::<Value>(options_json).unwrap_or(Value::Null);
    let mut diagnostics = Vec::new();
    let work = with_page(
        shared,
        world,
        page,
        |package, group, page_instance, comps, next_id| {
            let mut work = Vec::new();
            let Some(comp) = comps.comps.get_mut(&id) else {
                return work;
            };
            if comp.instance.is_some() {
                return work;
            }
            // A host cut for depth (by its owner's slot distribution) after
            // its creation was queued: nothing to build under it.
            let (host, owner) = (comp.host, comp.owner);
            let still_owned = if owner == PAGE_OWNER {
                page_instance.owns(host)
            } else {
                (comps.comps.get(&owner))
                    .and_then(|o| o.instance.as_ref())
                    .is_some_and(|o| o.owns(host))
            };
            if !still_owned {
                return work;
            }
            let Some(comp) = comps.comps.get_mut(&id) else {
                return work;
            };
            let path = comp.path.clone();
            let wxml = format!("{path}.wxml");
            let read = |p: &str| package.read(p).map(str::to_owned);
            if package.read(&wxml).is_some() || group.contains(&wxml) {
                diagnostics.extend(group.load_with(&wxml, &read));
            }
            let component_json = read_json(package, &format!("{path}.json"));
            let mut tags = app_components(package);
            tags.extend(using_components(package, &format!("{path}.json")));
            tags.extend(comp.generics.clone());
            // Generic names the owner left unset use the json's default.
            if let Some(Value::Object(generics)) = component_json
                .as_ref()
                .and_then(|c| c.get("componentGenerics").cloned())
            {
                for (name, spec) in generics {
                    if tags.contains_key(&name) && comp.generics.contains_key(&name) {
                        continue;
                    }
                    if let Some(default) = spec.get("default").and_then(Value::as_str) {
                        tags.insert(
                            name,
                            resolve_component(package, &format!("{path}.json"), default),
                        );
                    }
                }
            }
            comp.external_classes = options
                .get("externalClasses")
                .and_then(Value::as_array)
                .map(|list| {
                    list.iter()
                        .filter_map(|v| v.as_str().map(str::to_owned))
                        .collect()
                })
                .unwrap_or_default();
            let host = comp.host;
            let mut host_ops = vec![
                set_attr(host, scope_attrs::HOST_OF, Value::String(path.clone())),
                set_attr(
                    host,
                    scope_attrs::STYLE_ISOLATION,
                    options
                        .get("styleIsolation")
                        .filter(|v| v.is_string())
                        .or(component_json
                            .as_ref()
                            .and_then(|c| c.get("styleIsolation")))
                        .filter(|v| v.is_string())
                        .cloned()
                        .unwrap_or_else(|| Value::String("isolated".into())),
                ),
                set_attr(
                    host,
                    scope_attrs::ADD_GLOBAL_CLASS,
                    Value::Bool(
                        options
                            .get("addGlobalClass")
                            .and_then(Value::as_bool)
                            .unwrap_or(false),
                    ),
                ),
            ];
            if !comp.external_classes.is_empty() {
                host_ops.push(external_classes_op(comp));
            }
            if options.get("virtualHost").and_then(Value::as_bool) == Some(true) {
                host_ops.push(set_attr(host, scope_attrs::VIRTUAL, Value::Bool(true)));
            }
            let instance_options = InstanceOptions {
                root: host,
                ids: page_instance.node_ids(),
                components: tags,
                scope: Some(path.clone()),
            };
            let (mut instance, ops, more) =
                PageInstance::with_options(group, &wxml, &data, instance_options);
            diagnostics.extend(more);
            comps.pending.extend(host_ops);
            comps.pending.extend(ops);
            let multiple = options.get("multipleSlots").and_then(Value::as_bool) == Some(true);
            let slots = instance.slot_nodes().clone();
            let owner = comp.owner;
            comp.data = data;
            let events = instance.take_component_events();
            comp.instance = Some(instance);
            // Light children move into the slots of the new shadow tree.
            // Light children too deep once placed in the slots are cut,
            // with a diagnostic each.
            let slot_ops = if owner == PAGE_OWNER {
                let ops = page_instance.distribute_slots(host, &slots, multiple);
                diagnostics.extend(page_instance.take_diagnostics());
                ops
            } else {
                match comps
                    .comps
                    .get_mut(&owner)
                    .and_then(|o| o.instance.as_mut())
                {
                    Some(owner_instance) => {
                        let ops = owner_instance.distribute_slots(host, &slots, multiple);
                        diagnostics.extend(owner_instance.take_diagnostics());
                        ops
                    }
                    None => Vec::new(),
                }
            };
            comps.pending.extend(slot_ops);
            // The new instance's own hosts.
            with_instance(comps, id, |comps, instance| {
                convert_events(comps, next_id, id, instance, events, &mut work)
            });
            work
        },
    );
    report_all(shared, diagnostics);
    Value::Array(work.unwrap_or_default())
}

/// Runs `f` with component `id`'s instance taken out of the map (so that
/// the map can change meanwhile), then puts it back.
fn with_instance<T>(
    comps: &mut PageComponents,
    id: u32,
    f: impl FnOnce(&mut PageComponents, &mut PageInstance) -> T,
) -> Option<T> {
    let mut instance = comps.comps.get_mut(&id)?.instance.take()?;
    let result = f(comps, &mut instance);
    if let Some(comp) = comps.comps.get_mut(&id) {
        comp.instance = Some(instance);
    }
    Some(result)
}

fn set_attr(id: NodeId, name: &str, value: Value) -> Op {
    Op::SetAttribute {
        id,
        name: name.into(),
        value,
    }
}

/// A component's setData: applies the (non-pure) updates to its mirror and
/// template. Returns `{ "paths": [...], "problems": [...], "work": [...] }`
/// (paths and problems as in `view::SetDataReply`).
fn set_data(
    shared: &Rc<RefCell<Shared>>,
    world: &WorldRef,
    page: u32,
    id: u32,
    keys_json: &str,
    value_texts: Vec<String>,
) -> Value {
    let Some(updates) = crate::view::read_updates(keys_json, value_texts) else {
        return json!({ "paths": [], "problems": [], "work": [] });
    };
    let (mut reply, parsed) = crate::view::plan_updates(updates);
    let mut problems = Vec::new();
    let mut diagnostics = Vec::new();
    let work = with_page(shared, world, page, |_, group, _, comps, next_id| {
        let mut work = Vec::new();
        let Some(comp) = comps.comps.get_mut(&id) else {
            return work;
        };
        problems = apply_set_data(&mut comp.data, &parsed);
        let data = comp.data.clone();
        let changed: Vec<DataPath> = parsed.iter().map(|(path, _)| path.clone()).collect();
        with_instance(comps, id, |comps, instance| {
            let (ops, more) = instance.update(group, &data, &changed);
            diagnostics.extend(more);
            comps.pending.extend(ops);
            let events = instance.take_component_events();
            convert_events(comps, next_id, id, instance, events, &mut work);
        });
        work
    });
    report_all(shared, diagnostics);
    reply.add_problems(problems);
    let mut answer = reply.as_value();
    answer["work"] = Value::Array(work.unwrap_or_default());
    answer
}

/// Sends the page's pending component ops as one batch.
fn flush(shared: &Rc<RefCell<Shared>>, world: &WorldRef, page: u32) {
    let ops = {
        let mut world = world.borrow_mut();
        match world.pages.get_mut(&page) {
            Some(comps) => std::mem::take(&mut comps.pending),
            None => return,
        }
    };
    if !ops.is_empty() {
        shared.borrow().send(ToRender::Ops(OpBatch {
            page: PageId(page),
            ops,
        }));
    }
}

/// Which instance owns `node` of `page`: `PAGE_OWNER` (0) or a component id.
pub(crate) fn owner_of_node(shared: &Rc<RefCell<Shared>>, page: u32, node: u32) -> Option<u32> {
    let world = CURRENT_WORLD.with(|current| current.borrow().clone());
    match world {
        Some(world) => with_page(shared, &world, page, |_, _, instance, comps, _| {
            owner_of(instance, comps, NodeId(node))
        })
        .flatten(),
        // Without components, every node is the page's.
        None => Some(PAGE_OWNER),
    }
}

/// Which instance owns `node`: `PAGE_OWNER` or a component id.
fn owner_of(page_instance: &PageInstance, comps: &PageComponents, node: NodeId) -> Option<u32> {
    if page_instance.owns(node) {
        return Some(PAGE_OWNER);
    }
    comps
        .comps
        .iter()
        .find(|(_, c)| c.instance.as_ref().is_some_and(|i| i.owns(node)))
        .map(|(&id, _)| id)
}

fn instance_of<'a>(
    page_instance: &'a PageInstance,
    comps: &'a PageComponents,
    owner: u32,
) -> Option<&'a PageInstance> {
    if owner == PAGE_OWNER {
        Some(page_instance)
    } else {
        comps.comps.get(&owner)?.instance.as_ref()
    }
}

/// Whether component `ancestor`'s shadow tree contains the tree of `owner`
/// (`owner` is `ancestor` or is owned, transitively, by it).
fn shadow_contains(comps: &PageComponents, ancestor: u32, mut owner: u32) -> bool {
    loop {
        if owner == ancestor {
            return true;
        }
        match comps.comps.get(&owner) {
            Some(comp) => owner = comp.owner,
            None => return false,
        }
    }
}

fn kind_name(kind: EventKind) -> &'static str {
    match kind {
        EventKind::Bind => "bind",
        EventKind::Catch => "catch",
        EventKind::MutBind => "mut-bind",
        EventKind::CaptureBind => "capture-bind",
        EventKind::CaptureCatch => "capture-catch",
        EventKind::CaptureMutBind => "capture-mut-bind",
    }
}

/// The propagation path of an event raised on `target`, innermost first:
/// `[{ node, owner, id, dataset, mark, atTarget, target: {id, dataset},
/// handlers: [{event, kind, handler}] }]`.
fn event_path(
    shared: &Rc<RefCell<Shared>>,
    world: &WorldRef,
    page: u32,
    target: NodeId,
    composed: bool,
) -> Value {
    let shared = shared.borrow();
    let Some(record) = shared.pages.iter().find(|p| p.id == PageId(page)) else {
        return Value::Array(Vec::new());
    };
    let page_instance = record.view.instance();
    let world = world.borrow();
    let empty = PageComponents::default();
    let comps = world.pages.get(&page).unwrap_or(&empty);
    let mut nodes: Vec<(NodeId, u32)> = Vec::new();
    let mut entered: HashSet<u32> = HashSet::new();
    let mut cur = target;
    // Bounded: a path is never longer than the page has nodes.
    for _ in 0..1_000_000 {
        let Some(owner) = owner_of(page_instance, comps, cur) else {
            break;
        };
        nodes.push((cur, owner));
        let Some(parent) =
            instance_of(page_instance, comps, owner).and_then(|i| i.dom_parent_of(cur))
        else {
            break;
        };
        if owner == PAGE_OWNER && parent == NodeId::ROOT {
            break;
        }
        if let Some(comp) = comps.comps.get(&owner) {
            if parent == comp.host {
                if composed || entered.contains(&owner) {
                    cur = comp.host;
                    continue;
                }
                break;
            }
        }
        if let Some(parent_owner) = owner_of(page_instance, comps, parent) {
            if parent_owner != owner {
                entered.insert(parent_owner);
            }
        }
        cur = parent;
    }
    let target_owner = nodes.first().map(|&(_, o)| o).unwrap_or(PAGE_OWNER);
    let describe = |node: NodeId, owner: u32| -> Value {
        let instance = instance_of(page_instance, comps, owner);
        json!({
            "node": node.0,
            "id": instance.and_then(|i| i.attribute(node, "id")).cloned().unwrap_or(Value::String(String::new())),
            "dataset": instance.map(|i| i.dataset(node)).unwrap_or_default(),
        })
    };
    let entries = nodes
        .iter()
        .map(|&(node, owner)| {
            // Retarget: seen from `owner`'s tree, a target inside a shadow
            // tree that does not contain this listener is that tree's host.
            let (mut t, mut t_owner) = (target, target_owner);
            while t_owner != PAGE_OWNER && !shadow_contains(comps, t_owner, owner) {
                match comps.comps.get(&t_owner) {
                    Some(comp) => {
                        t = comp.host;
                        t_owner = comp.owner;
                    }
                    None => break,
                }
            }
            let instance = instance_of(page_instance, comps, owner);
            let handlers: Vec<Value> = instance
                .map(|i| i.event_handlers(node))
                .unwrap_or(&[])
                .iter()
                .map(|b| json!({ "event": b.event, "kind": kind_name(b.kind), "handler": b.handler }))
                .collect();
            let mut entry = describe(node, owner);
            if let Value::Object(map) = &mut entry {
                map.insert("node".into(), Value::from(node.0));
                map.insert("owner".into(), Value::from(owner));
                map.insert("atTarget".into(), Value::Bool(t == node));
                map.insert("target".into(), describe(t, t_owner));
                map.insert(
                    "mark".into(),
                    Value::Object(instance.map(|i| i.marks(node)).unwrap_or_default()),
                );
                map.insert("handlers".into(), Value::Array(handlers));
            }
            entry
        })
        .collect();
    Value::Array(entries)
}

/// The components whose hosts are in `owner`'s template and match
/// `selector`, in id (creation) order. Selectors are cirrus-style's (as in
/// WXSS: ids, classes, tags, attributes, pseudo-classes, combinators,
/// lists), matched within `owner`'s template: combinators never look into
/// another component's shadow tree nor above the template.
fn select(
    shared: &Rc<RefCell<Shared>>,
    world: &WorldRef,
    page: u32,
    owner: u32,
    selector: &str,
) -> Vec<u32> {
    let shared = shared.borrow();
    let Some(record) = shared.pages.iter().find(|p| p.id == PageId(page)) else {
        return Vec::new();
    };
    let page_instance = record.view.instance();
    let world = world.borrow();
    let Some(comps) = world.pages.get(&page) else {
        return Vec::new();
    };
    let Some(instance) = instance_of(page_instance, comps, owner) else {
        return Vec::new();
    };
    let selectors = SelectorList::parse(selector);
    let mut found: Vec<u32> = comps
        .comps
        .iter()
        .filter(|(_, comp)| comp.owner == owner)
        .filter(|(_, comp)| {
            selectors.matches(&TemplateElement {
                instance,
                node: comp.host,
            })
        })
        .map(|(&id, _)| id)
        .collect();
    found.sort_unstable();
    found
}

/// An element of one template instance as selectors see it: its parents
/// and siblings are those of the instance's own template (slots not
/// followed), its attributes the bound values.
#[derive(Clone, Copy)]
struct TemplateElement<'a> {
    instance: &'a PageInstance,
    node: NodeId,
}

impl<'a> TemplateElement<'a> {
    fn text_attribute(&self, name: &str) -> Option<&'a str> {
        self.instance
            .attribute(self.node, name)
            .and_then(Value::as_str)
    }

    /// The element nodes among the template children of `parent`.
    fn elements_under(&self, parent: Option<NodeId>) -> Vec<NodeId> {
        let mut children = self.instance.template_children_of(parent);
        children.retain(|&n| self.instance.owns(n));
        children
    }

    /// The nearest element sibling before (`forward` false) or after.
    fn sibling(&self, forward: bool) -> Option<Self> {
        let parent = self.instance.template_parent_of(self.node);
        let siblings = self.elements_under(parent);
        let position = siblings.iter().position(|&n| n == self.node)?;
        let index = if forward {
            position + 1
        } else {
            position.checked_sub(1)?
        };
        siblings.get(index).map(|&node| TemplateElement {
            instance: self.instance,
            node,
        })
    }
}

impl StyleElement for TemplateElement<'_> {
    fn tag_name(&self) -> &str {
        self.instance.tag_of(self.node).unwrap_or("")
    }

    fn id(&self) -> Option<&str> {
        self.text_attribute("id").filter(|id| !id.is_empty())
    }

    fn classes(&self) -> impl Iterator<Item = &str> + '_ {
        self.text_attribute("class")
            .unwrap_or_default()
            .split_whitespace()
    }

    fn inline_style(&self) -> Option<&str> {
        self.text_attribute("style").filter(|s| !s.is_empty())
    }

    fn attribute(&self, name: &str) -> Option<&str> {
        self.text_attribute(name)
    }

    fn parent_element(&self) -> Option<Self> {
        let node = self.instance.template_parent_of(self.node)?;
        Some(TemplateElement {
            instance: self.instance,
            node,
        })
    }

    fn previous_sibling_element(&self) -> Option<Self> {
        self.sibling(false)
    }

    fn next_sibling_element(&self) -> Option<Self> {
        self.sibling(true)
    }

    fn has_child_nodes(&self) -> bool {
        !self
            .instance
            .template_children_of(Some(self.node))
            .is_empty()
    }
}
