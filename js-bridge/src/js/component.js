// Custom components, behaviors and events: the JS half of component.rs
// (https://developers.weixin.qq.com/miniprogram/dev/reference/api/Component.html). Evaluated right after bootstrap.js.
//
// Invariants:
// - Rust owns the template side of every component (its shadow tree, its
//   data mirror, node ids); this file owns the component objects. Rust
//   reports template changes as work items ({t: create|props|move|remove})
//   which are run here with no Rust borrow held.
// - Ops from components are flushed once per outermost entry (a setData,
//   an event, a page lifecycle): one batch per turn of work.
// - `this.data === this.properties`; pure fields (options.pureDataPattern)
//   live in this.data but never reach Rust.
// - Built-ins only through bootstrap.js's primordials (see its header):
//   app code may have replaced any of them by the time this code runs.
(function (global) {
  'use strict';
  const native = global.__cirrusComponentNative;
  delete global.__cirrusComponentNative;
  const cirrus = global.__cirrus;
  const I = cirrus.internals;
  const console = I.console;
  // Captured now: `__cirrus.internals` is reachable from app code.
  const copyJson = I.copyJson;
  const queueTick = I.queueTick;
  const reportRefusal = I.reportRefusal;
  const reportError = I.reportError;
  const setPath = I.setPath;
  const encodeUpdates = I.encodeUpdates;
  const keysJson = I.keysJson;
  const setPageData = I.setPageData;
  const hasOwn = I.hasOwn;
  const pagesById = I.pagesById;
  const pageStack = I.pageStack;
  const {
    ReflectApply, ObjectKeys, ObjectCreate, ObjectDefineProperty, ObjectAssign, ArrayIsArray,
    ArrayPrototypeIndexOf, arraySlice, arrayAppend, arrayMap, arrayFilter, arraySome, arrayRemove,
    StringCtor, NumberCtor, StringPrototypeSlice, StringPrototypeTrim, stringSplit, endsWith,
    RegExpCtor, RegExpPrototypeExec, regExpTest, JSONParse, JSONStringify, MathMin, DateNow,
    ErrorCtor, TypeErrorCtor, SafeMap, SafeSet,
  } = I.primordials;
  // Compared with the types components declare (`type: String`).
  const ArrayCtor = Array;
  const BooleanCtor = Boolean;
  const ObjectCtor = I.primordials.ObjectCtor;

  const LIFETIMES = ['created', 'attached', 'ready', 'moved', 'detached', 'error'];
  const PAGE_LIFETIMES = ['show', 'hide', 'resize', 'routeDone'];
  const BUBBLING_EVENTS = setOf(['touchstart', 'touchmove', 'touchcancel', 'touchend', 'tap',
    'longpress', 'longtap', 'transitionend', 'animationstart', 'animationiteration',
    'animationend', 'touchforcechange']);

  function setOf(list) {
    const set = new SafeSet();
    for (let i = 0; i < list.length; i++) set.add(list[i]);
    return set;
  }

  // ---- paths -------------------------------------------------------------
  // A relation key or similar, written in component `from`: resolved by
  // the package's own path rules (cirrus_package::package::resolve_relative).
  function resolvePath(from, target) {
    return native.resolvePath(StringCtor(from), StringCtor(target));
  }

  // 'a.b[1].c' -> ['a', 'b', 1, 'c'] (for pure keys, which Rust never sees).
  function parsePath(key) {
    const out = [];
    const re = /([^.[\]]+)|\[(\d+)\]/g;
    let m;
    while ((m = RegExpPrototypeExec(re, key)) !== null) {
      out[out.length] = m[2] !== undefined ? NumberCtor(m[2]) : m[1];
    }
    return out.length ? out : null;
  }

  function getPath(root, segments) {
    let value = root;
    for (let i = 0; i < segments.length; i++) {
      if (value === null || value === undefined) return undefined;
      value = value[segments[i]];
    }
    return value;
  }

  // ---- batches -----------------------------------------------------------
  let depth = 0;
  let batchTurn = -1;
  let dirtyPages = [];

  function batch(pageId, fn) {
    // An interrupted script (watchdog) skips `finally`: a depth left from an
    // earlier turn is stale (Rust flushed that turn's ops at its end).
    const turn = native.turn();
    if (turn !== batchTurn) {
      batchTurn = turn;
      depth = 0;
      dirtyPages = [];
    }
    depth++;
    if (ArrayPrototypeIndexOf(dirtyPages, pageId) < 0) dirtyPages[dirtyPages.length] = pageId;
    try {
      return fn();
    } finally {
      depth--;
      if (depth === 0) {
        const pages = dirtyPages;
        dirtyPages = [];
        for (let i = 0; i < pages.length; i++) native.flush(pages[i]);
      }
    }
  }

  // ---- definitions -------------------------------------------------------
  function defaultFor(type) {
    if (type === StringCtor) return '';
    if (type === NumberCtor) return 0;
    if (type === BooleanCtor) return false;
    if (type === ArrayCtor) return [];
    return null;
  }

  function normalizeProperty(spec) {
    if (spec === null || spec === undefined || typeof spec === 'function') {
      const type = spec === undefined ? null : spec;
      return { type: type, optionalTypes: [], value: defaultFor(type), observer: null };
    }
    if (typeof spec === 'object') {
      const type = spec.type === undefined ? null : spec.type;
      return {
        type: type,
        optionalTypes: ArrayIsArray(spec.optionalTypes) ? spec.optionalTypes : [],
        value: 'value' in spec ? spec.value : defaultFor(type),
        observer: spec.observer || null,
      };
    }
    return { type: null, optionalTypes: [], value: null, observer: null };
  }

  function matchesType(type, value) {
    if (type === null || type === undefined) return true;
    if (type === StringCtor) return typeof value === 'string';
    if (type === NumberCtor) return typeof value === 'number';
    if (type === BooleanCtor) return typeof value === 'boolean';
    if (type === ArrayCtor) return ArrayIsArray(value);
    if (type === ObjectCtor) return value !== null && typeof value === 'object';
    return true;
  }

  // A value from the owner, converted to the property's type as WeChat does.
  function coerce(prop, value) {
    if (matchesType(prop.type, value)) return value;
    const optional = prop.optionalTypes;
    for (let i = 0; i < optional.length; i++) if (matchesType(optional[i], value)) return value;
    if (value === null || value === undefined) return copyJson(prop.value);
    const type = prop.type;
    if (type === StringCtor) return typeof value === 'object' ? JSONStringify(value) : StringCtor(value);
    if (type === NumberCtor) {
      const n = NumberCtor(value);
      return n !== n ? 0 : n;
    }
    if (type === BooleanCtor) return !!value;
    if (type === ArrayCtor) return [];
    if (type === ObjectCtor) return null;
    return value;
  }

  // The fields of one declaration (a Component or Behavior), before merging.
  // Tables keyed by app-chosen names have no prototype: a name such as
  // `constructor` or one added to Object.prototype finds nothing.
  function emptyOwn() {
    return {
      properties: ObjectCreate(null),
      data: [], // objects (copied per instance) or factories
      methods: ObjectCreate(null),
      lifetimes: ObjectCreate(null),
      pageLifetimes: ObjectCreate(null),
      observers: [], // {fields: [segments...], raw: [string], fn}
      relations: ObjectCreate(null),
      externalClasses: [],
      options: null,
      behaviors: [],
      inits: [],
      exportFn: null,
    };
  }

  function pushLifetime(table, name, fn) {
    if (typeof fn !== 'function') return;
    const list = table[name] || (table[name] = []);
    list[list.length] = fn;
  }

  function parseObserverFields(spec) {
    const list = ArrayIsArray(spec) ? spec : stringSplit(StringCtor(spec), ',');
    return arrayMap(list, function (field) {
      const text = StringPrototypeTrim(StringCtor(field));
      if (text === '**') return { segments: [], deep: true, text: text };
      const deep = endsWith(text, '.**');
      const body = deep ? StringPrototypeSlice(text, 0, -3) : text;
      return { segments: parsePath(body) || [], deep: deep, text: text };
    });
  }

  // A classic definition object -> own fields.
  function ownFromDefinition(def) {
    const own = emptyOwn();
    const props = def.properties || {};
    const propNames = ObjectKeys(props);
    for (let i = 0; i < propNames.length; i++) {
      own.properties[propNames[i]] = normalizeProperty(props[propNames[i]]);
    }
    if (def.data !== undefined) own.data[own.data.length] = def.data;
    const methods = def.methods || {};
    const methodNames = ObjectKeys(methods);
    for (let i = 0; i < methodNames.length; i++) own.methods[methodNames[i]] = methods[methodNames[i]];
    const lifetimes = def.lifetimes || {};
    for (let i = 0; i < LIFETIMES.length; i++) {
      const name = LIFETIMES[i];
      // `lifetimes` wins over the legacy top-level form.
      pushLifetime(own.lifetimes, name, lifetimes[name] || def[name]);
    }
    const pageLifetimes = def.pageLifetimes || {};
    for (let i = 0; i < PAGE_LIFETIMES.length; i++) {
      pushLifetime(own.pageLifetimes, PAGE_LIFETIMES[i], pageLifetimes[PAGE_LIFETIMES[i]]);
    }
    const observers = def.observers || {};
    const observerKeys = ObjectKeys(observers);
    for (let i = 0; i < observerKeys.length; i++) {
      const key = observerKeys[i];
      if (typeof observers[key] === 'function') {
        own.observers[own.observers.length] = { fields: parseObserverFields(key), fn: observers[key] };
      }
    }
    const relations = def.relations || {};
    const relationKeys = ObjectKeys(relations);
    for (let i = 0; i < relationKeys.length; i++) own.relations[relationKeys[i]] = relations[relationKeys[i]];
    if (ArrayIsArray(def.externalClasses)) own.externalClasses = arraySlice(def.externalClasses, 0);
    if (def.options) own.options = def.options;
    if (ArrayIsArray(def.behaviors)) own.behaviors = arraySlice(def.behaviors, 0);
    if (typeof def.export === 'function') own.exportFn = def.export;
    return own;
  }

  function isPlainObject(v) {
    return v !== null && typeof v === 'object' && !ArrayIsArray(v);
  }

  // Same-named object fields merge; anything else is overwritten.
  function mergeData(target, source) {
    const keys = ObjectKeys(source);
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i];
      if (isPlainObject(target[key]) && isPlainObject(source[key])) {
        mergeData(target[key], source[key]);
      } else {
        target[key] = source[key];
      }
    }
    return target;
  }

  // Behaviors in execution order: a behavior's own behaviors first, earlier
  // before later, each once.
  function linearize(behaviors, out, seen) {
    for (let i = 0; i < behaviors.length; i++) {
      const b = behaviors[i];
      if (!b || b.__isBehavior__ !== true || seen.has(b)) continue;
      linearize(b.own.behaviors, out, seen);
      seen.add(b);
      out[out.length] = b;
    }
    return out;
  }

  // Runs the definitionFilters of the behaviors `def` uses (https://developers.weixin.qq.com/miniprogram/dev/framework/custom-component/behaviors.html).
  function runDefinitionFilters(def) {
    const behaviors = ArrayIsArray(def.behaviors) ? def.behaviors : [];
    for (let i = 0; i < behaviors.length; i++) {
      const b = behaviors[i];
      if (!b || b.__isBehavior__ !== true || typeof b.definitionFilter !== 'function') continue;
      const inner = arrayMap(arrayFilter(b.own.behaviors, function (x) {
        return x && x.__isBehavior__ && typeof x.definitionFilter === 'function';
      }), function (x) { return x.definitionFilter; });
      ReflectApply(b.definitionFilter, b, [def, inner]);
    }
  }

  // Behaviors + own fields -> the class an instance is made from.
  function mergeClass(path, own) {
    const behaviors = linearize(own.behaviors, [], new SafeSet());
    const chain = arrayMap(behaviors, function (b) { return b.own; });
    chain[chain.length] = own;
    const cls = emptyOwn();
    cls.path = path;
    cls.behaviorSet = setOf(behaviors);
    for (let c = 0; c < chain.length; c++) {
      const src = chain[c];
      ObjectAssign(cls.properties, src.properties);
      arrayAppend(cls.data, src.data);
      ObjectAssign(cls.methods, src.methods);
      const lifetimeNames = ObjectKeys(src.lifetimes);
      for (let i = 0; i < lifetimeNames.length; i++) {
        const fns = src.lifetimes[lifetimeNames[i]];
        for (let j = 0; j < fns.length; j++) pushLifetime(cls.lifetimes, lifetimeNames[i], fns[j]);
      }
      const pageLifetimeNames = ObjectKeys(src.pageLifetimes);
      for (let i = 0; i < pageLifetimeNames.length; i++) {
        const fns = src.pageLifetimes[pageLifetimeNames[i]];
        for (let j = 0; j < fns.length; j++) pushLifetime(cls.pageLifetimes, pageLifetimeNames[i], fns[j]);
      }
      arrayAppend(cls.observers, src.observers);
      ObjectAssign(cls.relations, src.relations);
      const external = src.externalClasses;
      for (let i = 0; i < external.length; i++) {
        if (ArrayPrototypeIndexOf(cls.externalClasses, external[i]) < 0) {
          cls.externalClasses[cls.externalClasses.length] = external[i];
        }
      }
      arrayAppend(cls.inits, src.inits);
      if (src.exportFn) cls.exportFn = src.exportFn;
    }
    cls.options = own.options || {};
    return cls;
  }

  // A fresh, deep-copied data object for one instance (https://developers.weixin.qq.com/miniprogram/dev/reference/api/Component.html: behaviors'
  // data is never shared between instances).
  function instanceData(cls, inst) {
    const data = {};
    for (let i = 0; i < cls.data.length; i++) {
      const source = cls.data[i];
      const value = typeof source === 'function' ? ReflectApply(source, inst, []) : source;
      if (isPlainObject(value)) mergeData(data, copyJson(value));
    }
    const names = ObjectKeys(cls.properties);
    for (let i = 0; i < names.length; i++) {
      if (!hasOwn(data, names[i])) data[names[i]] = copyJson(cls.properties[names[i]].value);
    }
    return data;
  }

  const definitions = ObjectCreate(null); // component path -> class
  let registeringComponent = null;

  function Behavior(def) {
    if (def === undefined) return chain('behavior');
    def = def || {};
    runDefinitionFilters(def);
    return makeBehavior(ownFromDefinition(def), def.definitionFilter);
  }

  function makeBehavior(own, filter) {
    return {
      __isBehavior__: true,
      own: own,
      definitionFilter: typeof filter === 'function' ? filter : null,
    };
  }

  function Component(def) {
    if (def === undefined) return chain('component');
    def = def || {};
    runDefinitionFilters(def);
    register(ownFromDefinition(def), def);
  }

  function register(own, classicDef) {
    if (registeringComponent !== null) {
      if (definitions[registeringComponent]) {
        throw new ErrorCtor('Component() was called twice for ' + registeringComponent);
      }
      definitions[registeringComponent] = mergeClass(registeringComponent, own);
      return;
    }
    const route = I.currentRoute();
    if (route !== null) {
      I.definePage(route, pageFromComponent(mergeClass(route, own), classicDef));
      return;
    }
    throw new ErrorCtor('Component() must be called while a component\'s or page\'s own .js file is loading');
  }

  // ---- Chaining API (glass-easel, https://developers.weixin.qq.com/miniprogram/dev/framework/custom-component/glass-easel/chaining-api.html) ------------------------------
  function chain(kind) {
    const own = emptyOwn();
    let options = null;
    const builder = {
      property: function (name, spec) { own.properties[name] = normalizeProperty(spec); return builder; },
      data: function (factory) { own.data[own.data.length] = factory; return builder; },
      externalClasses: function (list) {
        const names = list || [];
        for (let i = 0; i < names.length; i++) {
          if (ArrayPrototypeIndexOf(own.externalClasses, names[i]) < 0) {
            own.externalClasses[own.externalClasses.length] = names[i];
          }
        }
        return builder;
      },
      options: function (opts) { options = opts; return builder; }, // only the last counts
      methods: function (methods) { ObjectAssign(own.methods, methods || {}); return builder; },
      lifetime: function (name, fn) { pushLifetime(own.lifetimes, name, fn); return builder; },
      pageLifetime: function (name, fn) { pushLifetime(own.pageLifetimes, name, fn); return builder; },
      observer: function (fields, fn) {
        own.observers[own.observers.length] = { fields: parseObserverFields(fields), fn: fn };
        return builder;
      },
      relation: function (name, def) { own.relations[name] = def; return builder; },
      behavior: function (b) { own.behaviors[own.behaviors.length] = b; return builder; },
      init: function (fn) { if (typeof fn === 'function') own.inits[own.inits.length] = fn; return builder; },
      export: function (fn) { own.exportFn = fn; return builder; },
      register: function () {
        own.options = options;
        if (kind === 'behavior') return makeBehavior(own, null);
        register(own, null);
        return builder;
      },
    };
    return builder;
  }

  // ---- instances ---------------------------------------------------------
  const comps = new SafeMap(); // id -> instance
  const pageReady = new SafeMap(); // pageId -> components waiting for `ready`
  const pageOpenedAt = new SafeMap();

  function callLifetime(inst, name, args) {
    const fns = inst.__class__.lifetimes[name];
    if (!fns) return;
    for (let i = 0; i < fns.length; i++) guarded(inst, fns[i], args || []);
  }

  // Runs a component's code; an exception goes to its `error` lifetimes
  // first, then on to the usual report (stack, App.onError).
  function guarded(inst, fn, args) {
    try {
      return ReflectApply(fn, inst, args);
    } catch (e) {
      const handlers = inst && inst.__class__ && inst.__class__.lifetimes.error;
      if (handlers) for (let i = 0; i < handlers.length; i++) ReflectApply(handlers[i], inst, [e]);
      throw e;
    }
  }

  // Whether `key` (a data path) is pure: its first segment, up to a `.` or
  // `[`, matches options.pureDataPattern.
  function isPure(cls, key) {
    const pattern = cls.options.pureDataPattern;
    if (!pattern) return false;
    const text = StringCtor(key);
    let end = 0;
    while (end < text.length && text[end] !== '.' && text[end] !== '[') end++;
    const root = StringPrototypeSlice(text, 0, end);
    const re = pattern instanceof RegExpCtor ? pattern : new RegExpCtor(StringCtor(pattern));
    return regExpTest(re, root);
  }

  function renderData(inst) {
    const out = {};
    const keys = ObjectKeys(inst.data);
    for (let i = 0; i < keys.length; i++) {
      if (!isPure(inst.__class__, keys[i])) out[keys[i]] = inst.data[keys[i]];
    }
    return out;
  }

  // Does setting `changed` fire an observer field?
  function observerMatches(field, changed) {
    const n = MathMin(field.segments.length, changed.length);
    for (let i = 0; i < n; i++) {
      if (StringCtor(field.segments[i]) !== StringCtor(changed[i])) return false;
    }
    // An ancestor of the field, the field itself, or (with **) a descendant.
    return changed.length <= field.segments.length || field.deep;
  }

  // Applies updates (already validated) to a component: data, render,
  // observers, property observers, then the work Rust reported.
  // `texts`: the values' JSON texts when the caller has them (setData).
  function applyUpdates(inst, keys, values, callback, texts) {
    const cls = inst.__class__;
    const old = {};
    const propNames = ObjectKeys(cls.properties);
    for (let i = 0; i < propNames.length; i++) old[propNames[i]] = inst.data[propNames[i]];
    const renderKeys = [];
    const renderTexts = [];
    for (let i = 0; i < keys.length; i++) {
      if (!isPure(cls, keys[i])) {
        renderKeys[renderKeys.length] = keys[i];
        const text = texts ? texts[i] : JSONStringify(values[i]);
        renderTexts[renderTexts.length] = text === undefined ? 'null' : text;
      }
    }
    let result = { paths: [], problems: [], work: [] };
    if (inst.__built__ && !inst.__detached__ && renderKeys.length) {
      // Keys travel as JSON so that any JS string arrives (view.rs).
      result = JSONParse(native.setData(inst.__page__, inst.__id__, keysJson(renderKeys), renderTexts));
    }
    const problems = result.problems || [];
    for (let i = 0; i < problems.length; i++) reportRefusal(problems[i]);
    const changedPaths = [];
    let r = 0;
    for (let i = 0; i < keys.length; i++) {
      let segments;
      if (!isPure(cls, keys[i])) {
        segments = inst.__built__ && !inst.__detached__ ? result.paths[r++] : parsePath(keys[i]);
      } else {
        segments = parsePath(keys[i]);
      }
      if (segments && !ArrayIsArray(segments) && typeof segments.refused === 'string') {
        reportRefusal(segments);
        continue;
      }
      if (!segments) {
        reportRefusal({ refused: 'setData: "' + keys[i] + '" is not a valid data path', error: true });
        continue;
      }
      if (!setPath(inst.data, segments, values[i])) {
        reportRefusal({
          refused: 'setData: "' + keys[i] + '" was refused: a data path cannot name an object\'s prototype',
          error: false,
        });
        continue;
      }
      changedPaths[changedPaths.length] = segments;
    }
    runObservers(inst, cls, changedPaths, old);
    runWork(inst.__page__, result.work, false);
    if (typeof callback === 'function') queueTick(callback, inst, []);
  }

  // Data observers, then property observers, for the paths one setData
  // changed (`old`: the property values before it). Shared by components
  // and pages declared with Component().
  function runObservers(inst, cls, changedPaths, old) {
    // Data observers: each at most once per setData (https://developers.weixin.qq.com/miniprogram/dev/framework/custom-component/observer.html).
    const observers = cls.observers;
    for (let o = 0; o < observers.length; o++) {
      const observer = observers[o];
      const hit = arraySome(changedPaths, function (path) {
        return arraySome(observer.fields, function (field) { return observerMatches(field, path); });
      });
      if (!hit) continue;
      const args = arrayMap(observer.fields, function (field) { return getPath(inst.data, field.segments); });
      ReflectApply(observer.fn, inst, args);
    }
    // Property observers (never for pure properties, https://developers.weixin.qq.com/miniprogram/dev/framework/custom-component/pure-data.html).
    const fired = [];
    for (let p = 0; p < changedPaths.length; p++) {
      const path = changedPaths[p];
      const name = path[0];
      const prop = cls.properties[name];
      if (!prop || !prop.observer || ArrayPrototypeIndexOf(fired, name) >= 0 || isPure(cls, name)) continue;
      fired[fired.length] = name;
      const fn = typeof prop.observer === 'function' ? prop.observer : inst[prop.observer];
      if (typeof fn === 'function') ReflectApply(fn, inst, [inst.data[name], old[name], path]);
    }
  }

  const componentProto = {
    setData: function (updates, callback) {
      if (updates === null || typeof updates !== 'object') {
        throw new TypeErrorCtor('setData expects an object');
      }
      const self = this;
      // One JSON text per key: a value that cannot be sent drops only its key.
      const encoded = encodeUpdates(updates);
      const values = arrayMap(encoded.texts, function (text) { return JSONParse(text); });
      batch(this.__page__, function () { applyUpdates(self, encoded.keys, values, callback, encoded.texts); });
    },
    groupSetData: function (fn) {
      const self = this;
      batch(this.__page__, function () { ReflectApply(fn, self, []); });
    },
    triggerEvent: function (name, detail, options) {
      const opts = options || {};
      const self = this;
      batch(this.__page__, function () {
        dispatch(self.__page__, self.__host__, StringCtor(name), detail === undefined ? {} : detail, {
          bubbles: !!opts.bubbles,
          composed: !!opts.composed,
          capturePhase: !!opts.capturePhase,
        });
      });
    },
    selectComponent: function (selector) {
      return selectFrom(this.__page__, this.__id__, selector, false);
    },
    selectAllComponents: function (selector) {
      return selectFrom(this.__page__, this.__id__, selector, true);
    },
    selectOwnerComponent: function () {
      if (this.__owner__ === 0) return pagesById.get(this.__page__) || null;
      return comps.get(this.__owner__) || null;
    },
    getRelationNodes: function (key) {
      const list = this.__relations__[resolvePath(this.is, key)] || this.__relations__[key] || [];
      return arraySlice(list, 0);
    },
    hasBehavior: function (b) {
      return this.__class__.behaviorSet.has(b);
    },
    getPageId: function () {
      return 'pageId:' + this.__page__;
    },
  };

  // wx.js adds createSelectorQuery / createIntersectionObserver here.
  I.componentProto = componentProto;
  // A live component instance by id (wx_worklet.js resolves the methods a
  // `worklet:*` attribute names on the instance owning the node).
  I.componentById = function (id) {
    return comps.get(id) || null;
  };

  function exported(inst) {
    const fn = inst.__class__.exportFn;
    return typeof fn === 'function' ? ReflectApply(fn, inst, []) : inst;
  }

  function selectFrom(pageId, owner, selector, all) {
    const ids = native.select(pageId, owner, StringCtor(selector));
    const found = [];
    for (let i = 0; i < ids.length; i++) {
      const inst = comps.get(ids[i]);
      if (inst) found[found.length] = exported(inst);
    }
    return all ? found : (found.length ? found[0] : null);
  }

  // Pages can select their components too.
  I.pageProto.selectComponent = function (selector) {
    return selectFrom(this.__pageId__, 0, selector, false);
  };
  I.pageProto.selectAllComponents = function (selector) {
    return selectFrom(this.__pageId__, 0, selector, true);
  };

  function loadClass(path) {
    if (definitions[path]) return definitions[path];
    registeringComponent = path;
    try {
      I.loadModule(I.scriptOf(path));
    } catch (e) {
      reportError(e);
    } finally {
      registeringComponent = null;
    }
    if (!definitions[path]) {
      reportError(new ErrorCtor(path + '.js did not call Component()'));
      definitions[path] = mergeClass(path, emptyOwn());
    }
    // The json's string forms of options (pureDataPattern: "^_" since
    // 2.10.1, styleIsolation) apply where the JS did not set them.
    const cls = definitions[path];
    if (cls.jsonApplied) return cls;
    cls.jsonApplied = true;
    const json = JSONParse(native.componentJson(path)) || {};
    const options = ObjectAssign({}, cls.options);
    if (!options.pureDataPattern && typeof json.pureDataPattern === 'string') {
      try {
        options.pureDataPattern = new RegExpCtor(json.pureDataPattern);
      } catch (e) {
        reportError(e);
      }
    }
    if (!options.styleIsolation && typeof json.styleIsolation === 'string') {
      options.styleIsolation = json.styleIsolation;
    }
    if (options.addGlobalClass === undefined && typeof json.addGlobalClass === 'boolean') {
      options.addGlobalClass = json.addGlobalClass;
    }
    cls.options = options;
    return cls;
  }

  function defineHidden(inst, key, value) {
    ObjectDefineProperty(inst, key, { __proto__: null, value: value, writable: true, enumerable: false });
  }

  function instantiate(pageId, item) {
    const cls = loadClass(item.path);
    const inst = ObjectCreate(componentProto);
    defineHidden(inst, '__page__', pageId);
    defineHidden(inst, '__id__', item.id);
    defineHidden(inst, '__owner__', item.owner);
    defineHidden(inst, '__host__', item.host);
    defineHidden(inst, '__class__', cls);
    defineHidden(inst, '__attached__', false);
    defineHidden(inst, '__built__', false);
    defineHidden(inst, '__detached__', false);
    defineHidden(inst, '__relations__', {});
    inst.is = item.path;
    inst.id = typeof item.hostId === 'string' ? item.hostId : StringCtor(item.hostId);
    inst.dataset = item.dataset || {};
    const methodNames = ObjectKeys(cls.methods);
    for (let i = 0; i < methodNames.length; i++) inst[methodNames[i]] = cls.methods[methodNames[i]];
    const data = instanceData(cls, inst);
    const props = item.props || {};
    const propNames = ObjectKeys(props);
    for (let i = 0; i < propNames.length; i++) {
      const prop = cls.properties[propNames[i]];
      if (prop) data[propNames[i]] = coerce(prop, props[propNames[i]]);
    }
    inst.data = data;
    ObjectDefineProperty(inst, 'properties', {
      __proto__: null, get: function () { return this.data; }, enumerable: false,
    });
    for (let i = 0; i < cls.inits.length; i++) runInit(inst, cls.inits[i]);
    comps.set(item.id, inst);
    callLifetime(inst, 'created');
    return inst;
  }

  // glass-easel's `.init(ctx => methods)`.
  function runInit(inst, init) {
    const ctx = {
      self: inst,
      data: inst.data,
      setData: function (u, cb) { inst.setData(u, cb); },
      method: function (fn) { return fn; },
      lifetime: function (name, fn) { pushInstanceLifetime(inst, name, fn); },
      pageLifetime: function (name, fn) { pushInstancePageLifetime(inst, name, fn); },
      observer: function (fields, fn) {
        const observers = ensureOwnClass(inst).observers;
        observers[observers.length] = { fields: parseObserverFields(fields), fn: fn };
      },
      relation: function () { return { list: function () { return []; } }; },
      triggerEvent: function (n, d, o) { inst.triggerEvent(n, d, o); },
    };
    const methods = ReflectApply(init, inst, [ctx]);
    if (methods && typeof methods === 'object') {
      const names = ObjectKeys(methods);
      for (let i = 0; i < names.length; i++) inst[names[i]] = methods[names[i]];
    }
  }

  // A copy of a lifetime table (name -> list of functions), lists copied.
  function copyLifetimes(table) {
    const copy = ObjectCreate(null);
    const names = ObjectKeys(table);
    for (let i = 0; i < names.length; i++) copy[names[i]] = arraySlice(table[names[i]], 0);
    return copy;
  }

  // Per-instance additions from init() go to a private copy of the class.
  function ensureOwnClass(inst) {
    if (!hasOwn(inst, '__ownClass__')) {
      const cls = inst.__class__;
      const copy = ObjectAssign({}, cls);
      copy.lifetimes = copyLifetimes(cls.lifetimes);
      copy.pageLifetimes = copyLifetimes(cls.pageLifetimes);
      copy.observers = arraySlice(cls.observers, 0);
      ObjectDefineProperty(inst, '__ownClass__', { __proto__: null, value: true, enumerable: false });
      inst.__class__ = copy;
    }
    return inst.__class__;
  }
  function pushInstanceLifetime(inst, name, fn) { pushLifetime(ensureOwnClass(inst).lifetimes, name, fn); }
  function pushInstancePageLifetime(inst, name, fn) { pushLifetime(ensureOwnClass(inst).pageLifetimes, name, fn); }

  function attachOptions(cls) {
    const o = cls.options || {};
    return JSONStringify({
      multipleSlots: !!o.multipleSlots,
      virtualHost: !!o.virtualHost,
      // null: the component's json decides (then "isolated").
      styleIsolation: o.styleIsolation || (o.addGlobalClass ? 'apply-shared' : null),
      addGlobalClass: !!o.addGlobalClass,
      externalClasses: cls.externalClasses,
    });
  }

  // Runs work items; new components are created and built depth-first,
  // then attached parent first, then (unless deferred to the page's onReady)
  // made ready children first.
  function runWork(pageId, work, deferReady) {
    if (!work || !work.length) return;
    const created = [];
    applyWork(pageId, work, created);
    for (let i = 0; i < created.length; i++) {
      const inst = created[i];
      if (inst.__detached__) continue;
      inst.__attached__ = true;
      callLifetime(inst, 'attached');
      linkRelations(inst);
    }
    const ready = [];
    for (let i = created.length - 1; i >= 0; i--) ready[ready.length] = created[i];
    if (deferReady) {
      const waiting = pageReady.get(pageId) || [];
      pageReady.set(pageId, arrayAppend(arraySlice(waiting, 0), ready));
    } else {
      for (let i = 0; i < ready.length; i++) if (!ready[i].__detached__) callLifetime(ready[i], 'ready');
    }
  }

  function applyWork(pageId, work, created) {
    const props = new SafeMap();
    for (let w = 0; w < work.length; w++) {
      const item = work[w];
      if (item.t === 'create') {
        const inst = instantiate(pageId, item);
        created[created.length] = inst;
        const more = JSONParse(native.attach(pageId, item.id, JSONStringify(renderData(inst)), attachOptions(inst.__class__)));
        // Its template exists: setData renders from now on.
        inst.__built__ = true;
        applyWork(pageId, more, created);
      } else if (item.t === 'props') {
        if (!props.has(item.id)) props.set(item.id, ObjectCreate(null));
        props.get(item.id)[item.name] = item.value;
      } else if (item.t === 'move') {
        const inst = comps.get(item.id);
        if (inst) {
          callLifetime(inst, 'moved');
          relationsMoved(inst);
        }
      } else if (item.t === 'remove') {
        const inst = comps.get(item.id);
        if (inst) detach(inst);
      }
    }
    props.forEach(function (changes, id) {
      const inst = comps.get(id);
      if (!inst) return;
      const cls = inst.__class__;
      const keys = [];
      const values = [];
      const names = ObjectKeys(changes);
      for (let i = 0; i < names.length; i++) {
        const prop = cls.properties[names[i]];
        if (!prop) continue;
        keys[keys.length] = names[i];
        values[values.length] = coerce(prop, changes[names[i]]);
      }
      if (keys.length) applyUpdates(inst, keys, values, null);
    });
  }

  function detach(inst) {
    unlinkRelations(inst);
    inst.__detached__ = true;
    comps.delete(inst.__id__);
    if (inst.__attached__) callLifetime(inst, 'detached');
  }

  // ---- relations ---------------------------------------------------------
  const RELATION_REVERSE = { __proto__: null, parent: 'child', child: 'parent', ancestor: 'descendant', descendant: 'ancestor' };

  function hostToComponent(pageId) {
    const map = new SafeMap();
    comps.forEach(function (inst) { if (inst.__page__ === pageId) map.set(inst.__host__, inst); });
    return map;
  }

  // Component ancestors of `inst` in the composed tree, nearest first.
  function componentAncestors(inst) {
    const path = JSONParse(native.eventPath(inst.__page__, inst.__host__, true));
    const byHost = hostToComponent(inst.__page__);
    const out = [];
    for (let i = 1; i < path.length; i++) {
      const c = byHost.get(path[i].node);
      if (c) out[out.length] = c;
    }
    return out;
  }

  function relationTo(inst, other, type) {
    const rels = inst.__class__.relations;
    const keys = ObjectKeys(rels);
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i];
      const rel = rels[key];
      if (rel.type !== type) continue;
      const target = rel.target;
      // The class's own set: a component method may be named hasBehavior.
      if (target ? other.__class__.behaviorSet.has(target) : resolvePath(inst.is, key) === other.is) {
        return { key: target ? key : resolvePath(inst.is, key), def: rel };
      }
    }
    return null;
  }

  function link(a, aRel, b) {
    const list = a.__relations__[aRel.key] || (a.__relations__[aRel.key] = []);
    list[list.length] = b;
  }

  // Calls a relation's `linked` / `linkChanged` / `unlinked` on `self`.
  function relationHook(def, name, self, other) {
    const fn = def[name];
    if (typeof fn === 'function') ReflectApply(fn, self, [other]);
  }

  const FIRST_ANCESTOR_TYPES = ['parent', 'ancestor'];
  const FAR_ANCESTOR_TYPES = ['ancestor'];

  function linkRelations(inst) {
    const ancestors = componentAncestors(inst);
    for (let i = 0; i < ancestors.length; i++) {
      const other = ancestors[i];
      const types = i === 0 ? FIRST_ANCESTOR_TYPES : FAR_ANCESTOR_TYPES;
      for (let t = 0; t < types.length; t++) {
        const type = types[t];
        const mine = relationTo(inst, other, type);
        const theirs = relationTo(other, inst, RELATION_REVERSE[type]);
        if (!mine || !theirs) continue;
        link(inst, mine, other);
        link(other, theirs, inst);
        const links = arraySlice(inst.__links__ || [], 0);
        links[links.length] = { other: other, mine: mine, theirs: theirs };
        inst.__links__ = links;
        relationHook(theirs.def, 'linked', other, inst);
        relationHook(mine.def, 'linked', inst, other);
        break;
      }
    }
  }

  // `inst` moved within its parent: both ends of each of its links hear
  // `linkChanged` (https://developers.weixin.qq.com/miniprogram/dev/framework/custom-component/pure-data.html relations).
  function relationsMoved(inst) {
    const links = inst.__links__ || [];
    for (let i = 0; i < links.length; i++) {
      const l = links[i];
      relationHook(l.theirs.def, 'linkChanged', l.other, inst);
      relationHook(l.mine.def, 'linkChanged', inst, l.other);
    }
  }

  function unlinkRelations(inst) {
    const links = inst.__links__ || [];
    for (let i = 0; i < links.length; i++) {
      const l = links[i];
      arrayRemove(l.other.__relations__[l.theirs.key] || [], inst);
      arrayRemove(inst.__relations__[l.mine.key] || [], l.other);
      relationHook(l.theirs.def, 'unlinked', l.other, inst);
      relationHook(l.mine.def, 'unlinked', inst, l.other);
    }
    inst.__links__ = [];
  }

  // ---- pages -------------------------------------------------------------
  function pageComponents(pageId) {
    const list = [];
    comps.forEach(function (inst) { if (inst.__page__ === pageId && inst.__attached__) list[list.length] = inst; });
    return list;
  }

  function pageLifetime(pageId, name, arg) {
    const insts = pageComponents(pageId);
    for (let i = 0; i < insts.length; i++) {
      const inst = insts[i];
      const fns = inst.__class__.pageLifetimes[name];
      if (fns) for (let j = 0; j < fns.length; j++) ReflectApply(fns[j], inst, [arg]);
    }
  }

  // Page hook: a page setData may have created, changed or removed hosts.
  I.hooks.afterPageSetData = function (page) {
    const pageId = page.__pageId__;
    batch(pageId, function () {
      runWork(pageId, JSONParse(native.pageWork(pageId)), false);
    });
  };

  const PAGE_LIFETIME_OF_HOOK = { __proto__: null, onShow: 'show', onHide: 'hide', onResize: 'resize', onRouteDone: 'routeDone' };
  const originalCallPage = cirrus.callPage;
  cirrus.callPage = function (pageId, name, arg) {
    if (name === 'onLoad') {
      pageOpenedAt.set(pageId, DateNow());
      // Components of the first render are created and attached before
      // the page's onLoad; they become ready before its onReady.
      batch(pageId, function () {
        runWork(pageId, JSONParse(native.pageWork(pageId)), true);
      });
    }
    if (name === 'onReady') {
      const waiting = pageReady.get(pageId) || [];
      pageReady.delete(pageId);
      batch(pageId, function () {
        for (let i = 0; i < waiting.length; i++) if (!waiting[i].__detached__) callLifetime(waiting[i], 'ready');
      });
    }
    if (name === 'onUnload') {
      batch(pageId, function () {
        const insts = pageComponents(pageId);
        for (let i = 0; i < insts.length; i++) detach(insts[i]);
      });
    }
    const result = batch(pageId, function () { return originalCallPage(pageId, name, arg); });
    const lifetime = PAGE_LIFETIME_OF_HOOK[name];
    if (lifetime) batch(pageId, function () { pageLifetime(pageId, lifetime, arg); });
    if (name === 'onUnload') native.forgetPage(pageId);
    return result;
  };

  // Runs every function of `fns` (a lifetime list, or none) on `self`.
  function runAll(fns, self, args) {
    if (!fns) return;
    for (let i = 0; i < fns.length; i++) ReflectApply(fns[i], self, args);
  }

  // A page written with Component(): methods become page methods; lifetimes
  // run around onLoad / onReady; properties take the query (https://developers.weixin.qq.com/miniprogram/dev/reference/api/Component.html).
  function pageFromComponent(cls) {
    const page = {};
    const data = instanceData(cls, page);
    page.data = data;
    const methodNames = ObjectKeys(cls.methods);
    for (let i = 0; i < methodNames.length; i++) page[methodNames[i]] = cls.methods[methodNames[i]];
    const userLoad = cls.methods.onLoad;
    const userReady = cls.methods.onReady;
    page.onLoad = function (query) {
      const self = this;
      ObjectDefineProperty(self, '__class__', { __proto__: null, value: cls, enumerable: false });
      ObjectDefineProperty(self, 'properties', {
        __proto__: null, get: function () { return this.data; }, enumerable: false,
      });
      const fns = cls.lifetimes;
      runAll(fns.created, self, []);
      const updates = {};
      const q = query || {};
      const names = ObjectKeys(q);
      let any = false;
      for (let i = 0; i < names.length; i++) {
        const prop = cls.properties[names[i]];
        if (prop) {
          updates[names[i]] = coerce(prop, q[names[i]]);
          any = true;
        }
      }
      if (any) self.setData(updates);
      runAll(fns.attached, self, []);
      if (typeof userLoad === 'function') ReflectApply(userLoad, self, [query]);
    };
    page.onReady = function () {
      runAll(cls.lifetimes.ready, this, []);
      if (typeof userReady === 'function') ReflectApply(userReady, this, []);
    };
    // The page's own pageLifetimes run after its onShow / onHide / onResize.
    const PAGE_HOOKS = ['onShow', 'show', 'onHide', 'hide', 'onResize', 'resize'];
    for (let i = 0; i < PAGE_HOOKS.length; i += 2) {
      const hook = PAGE_HOOKS[i];
      const fns = cls.pageLifetimes[PAGE_HOOKS[i + 1]];
      const user = cls.methods[hook];
      if (!fns && typeof user !== 'function') continue;
      page[hook] = function (arg) {
        if (typeof user === 'function') ReflectApply(user, this, [arg]);
        runAll(fns, this, [arg]);
      };
    }
    // setData fires the page's observers and property observers, each at
    // most once per call, as a component's do (https://developers.weixin.qq.com/miniprogram/dev/framework/custom-component/observer.html).
    page.setData = function (updates, callback) {
      const old = {};
      const propNames = ObjectKeys(cls.properties);
      for (let i = 0; i < propNames.length; i++) old[propNames[i]] = this.data[propNames[i]];
      setPageData(this, updates, callback);
      const changedPaths = [];
      const keys = ObjectKeys(updates);
      for (let i = 0; i < keys.length; i++) {
        if (updates[keys[i]] === undefined) continue;
        const segments = parsePath(keys[i]);
        if (segments) changedPaths[changedPaths.length] = segments;
      }
      runObservers(this, cls, changedPaths, old);
    };
    page.hasBehavior = function (b) {
      return cls.behaviorSet.has(b);
    };
    return page;
  }

  // ToLogic::Resize: the window changed size. The top page hears onResize
  // (its components pageLifetimes.resize, through callPage above) with the
  // size it sees: windowHeight less the navigation and tab bars, as
  // wx.getWindowInfo reports it (router.js).
  cirrus.resize = function () {
    const top = pageStack.length ? pageStack[pageStack.length - 1] : null;
    if (!top) return;
    const info = I.pageWindowInfo();
    cirrus.callPage(top.__pageId__, 'onResize', {
      size: { windowWidth: info.windowWidth, windowHeight: info.windowHeight },
    });
  };

  // ---- events (https://developers.weixin.qq.com/miniprogram/dev/framework/view/wxml/event.html) ------------------------------------------------
  function handlerOwner(pageId, owner) {
    return owner === 0 ? pagesById.get(pageId) : comps.get(owner);
  }

  // `offsets` maps node ids to their page-relative [left, top], as the
  // render thread laid them out when it raised the event.
  function withOffsets(node, offsets) {
    const at = (offsets && offsets[node.node]) || [0, 0];
    return { id: node.id, dataset: node.dataset, offsetLeft: at[0], offsetTop: at[1] };
  }

  const CAPTURE_KINDS = ['capture-bind', 'capture-catch', 'capture-mut-bind'];
  const BUBBLE_KINDS = ['bind', 'catch', 'mut-bind'];

  // Runs the handlers along the path of an event raised on `node`.
  // Returns how many handlers ran.
  function dispatch(pageId, node, name, detail, opts, touches) {
    const path = JSONParse(native.eventPath(pageId, node, !!opts.composed));
    if (!path.length) return 0;
    let fired = 0;
    const mark = {};
    for (let i = path.length - 1; i >= 0; i--) ObjectAssign(mark, path[i].mark);
    const opened = pageOpenedAt.get(pageId) || DateNow();
    let mutFired = false;
    let stopped = false;
    function fire(entry, kinds) {
      const handlers = entry.handlers;
      for (let i = 0; i < handlers.length; i++) {
        const h = handlers[i];
        if (h.event !== name || ArrayPrototypeIndexOf(kinds, h.kind) < 0 || !h.handler) continue;
        if (h.kind === 'mut-bind' || h.kind === 'capture-mut-bind') {
          if (mutFired) continue;
          mutFired = true;
        }
        if (h.kind === 'catch' || h.kind === 'capture-catch') stopped = true;
        fired++;
        const owner = handlerOwner(pageId, entry.owner);
        const fn = owner && owner[h.handler];
        if (typeof fn !== 'function') {
          console.warn('Component "' + (owner && (owner.is || owner.route)) +
            '" does not have a method "' + h.handler + '" to handle event "' + name + '".');
          continue;
        }
        guarded(owner, fn, [{
          type: name,
          timeStamp: DateNow() - opened,
          target: withOffsets(entry.target, touches && touches.offsets),
          currentTarget: withOffsets(entry, touches && touches.offsets),
          detail: detail,
          touches: (touches && touches.touches) || [],
          changedTouches: (touches && touches.changedTouches) || [],
          mark: ObjectAssign({}, mark),
        }]);
      }
    }
    if (opts.capturePhase) {
      for (let i = path.length - 1; i >= 0 && !stopped; i--) fire(path[i], CAPTURE_KINDS);
    }
    for (let i = 0; i < path.length && !stopped; i++) {
      if (!opts.bubbles && !path[i].atTarget) continue;
      fire(path[i], BUBBLE_KINDS);
    }
    return fired;
  }

  // Whether a `longpress` handler ran in the current touch sequence: the
  // tap that ends it is then dropped (WeChat: "if a longpress handler was
  // given and fired, tap does not fire").
  let longpressHandled = false;

  // ToLogic::Event: a UI event from the render thread (or a test harness):
  // `payload` is {detail, touches, changedTouches, offsets, afterLongpress}.
  cirrus.dispatchEvent = function (pageId, node, name, payload) {
    const p = payload === undefined || payload === null ? {} : payload;
    const type = StringCtor(name);
    if (type === 'touchstart') longpressHandled = false;
    if (type === 'tap' && p.afterLongpress && longpressHandled) return;
    const d = p.detail === undefined || p.detail === null ? {} : p.detail;
    const touches = {
      touches: p.touches || [],
      changedTouches: p.changedTouches || [],
      offsets: p.offsets || {},
    };
    batch(pageId, function () {
      const fired = dispatch(pageId, node, type, d, {
        bubbles: BUBBLING_EVENTS.has(type),
        composed: true,
        capturePhase: true,
      }, touches);
      if (type === 'longpress' && fired > 0) longpressHandled = true;
    });
  };

  global.Component = Component;
  global.Behavior = Behavior;
})(globalThis);
