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
(function (global) {
  'use strict';
  const native = global.__cirrusComponentNative;
  delete global.__cirrusComponentNative;
  const cirrus = global.__cirrus;
  const I = cirrus.internals;
  const console = I.console;

  const LIFETIMES = ['created', 'attached', 'ready', 'moved', 'detached', 'error'];
  const PAGE_LIFETIMES = ['show', 'hide', 'resize', 'routeDone'];
  const BUBBLING_EVENTS = new Set(['touchstart', 'touchmove', 'touchcancel', 'touchend', 'tap',
    'longpress', 'longtap', 'transitionend', 'animationstart', 'animationiteration',
    'animationend', 'touchforcechange']);

  // ---- paths -------------------------------------------------------------
  // A relation key or similar, written in component `from`: resolved by
  // the package's own path rules (cirrus_package::package::resolve_relative).
  function resolvePath(from, target) {
    return native.resolvePath(String(from), String(target));
  }

  // 'a.b[1].c' -> ['a', 'b', 1, 'c'] (for pure keys, which Rust never sees).
  function parsePath(key) {
    const out = [];
    const re = /([^.[\]]+)|\[(\d+)\]/g;
    let m;
    while ((m = re.exec(key)) !== null) {
      out.push(m[2] !== undefined ? Number(m[2]) : m[1]);
    }
    return out.length ? out : null;
  }

  function getPath(root, segments) {
    let value = root;
    for (const seg of segments) {
      if (value === null || value === undefined) return undefined;
      value = value[seg];
    }
    return value;
  }

  // ---- batches -----------------------------------------------------------
  let depth = 0;
  let batchTurn = -1;
  const dirtyPages = new Set();

  function batch(pageId, fn) {
    // An interrupted script (watchdog) skips `finally`: a depth left from an
    // earlier turn is stale (Rust flushed that turn's ops at its end).
    const turn = native.turn();
    if (turn !== batchTurn) {
      batchTurn = turn;
      depth = 0;
      dirtyPages.clear();
    }
    depth++;
    dirtyPages.add(pageId);
    try {
      return fn();
    } finally {
      depth--;
      if (depth === 0) {
        const pages = Array.from(dirtyPages);
        dirtyPages.clear();
        for (const page of pages) native.flush(page);
      }
    }
  }

  // ---- definitions -------------------------------------------------------
  function defaultFor(type) {
    if (type === String) return '';
    if (type === Number) return 0;
    if (type === Boolean) return false;
    if (type === Array) return [];
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
        optionalTypes: Array.isArray(spec.optionalTypes) ? spec.optionalTypes : [],
        value: 'value' in spec ? spec.value : defaultFor(type),
        observer: spec.observer || null,
      };
    }
    return { type: null, optionalTypes: [], value: null, observer: null };
  }

  function matchesType(type, value) {
    if (type === null || type === undefined) return true;
    if (type === String) return typeof value === 'string';
    if (type === Number) return typeof value === 'number';
    if (type === Boolean) return typeof value === 'boolean';
    if (type === Array) return Array.isArray(value);
    if (type === Object) return value !== null && typeof value === 'object';
    return true;
  }

  // A value from the owner, converted to the property's type as WeChat does.
  function coerce(prop, value) {
    if (matchesType(prop.type, value)) return value;
    for (const t of prop.optionalTypes) if (matchesType(t, value)) return value;
    if (value === null || value === undefined) return I.copyJson(prop.value);
    const type = prop.type;
    if (type === String) return typeof value === 'object' ? JSON.stringify(value) : String(value);
    if (type === Number) {
      const n = Number(value);
      return isNaN(n) ? 0 : n;
    }
    if (type === Boolean) return !!value;
    if (type === Array) return [];
    if (type === Object) return null;
    return value;
  }

  // The fields of one declaration (a Component or Behavior), before merging.
  function emptyOwn() {
    return {
      properties: {},
      data: [], // objects (copied per instance) or factories
      methods: {},
      lifetimes: {},
      pageLifetimes: {},
      observers: [], // {fields: [segments...], raw: [string], fn}
      relations: {},
      externalClasses: [],
      options: null,
      behaviors: [],
      inits: [],
      exportFn: null,
    };
  }

  function pushLifetime(table, name, fn) {
    if (typeof fn !== 'function') return;
    (table[name] || (table[name] = [])).push(fn);
  }

  function parseObserverFields(spec) {
    const list = Array.isArray(spec) ? spec : String(spec).split(',');
    return list.map(function (field) {
      const text = String(field).trim();
      if (text === '**') return { segments: [], deep: true, text: text };
      const deep = /\.\*\*$/.test(text);
      const body = deep ? text.slice(0, -3) : text;
      return { segments: parsePath(body) || [], deep: deep, text: text };
    });
  }

  // A classic definition object -> own fields.
  function ownFromDefinition(def) {
    const own = emptyOwn();
    const props = def.properties || {};
    for (const name of Object.keys(props)) own.properties[name] = normalizeProperty(props[name]);
    if (def.data !== undefined) own.data.push(def.data);
    const methods = def.methods || {};
    for (const name of Object.keys(methods)) own.methods[name] = methods[name];
    const lifetimes = def.lifetimes || {};
    for (const name of LIFETIMES) {
      // `lifetimes` wins over the legacy top-level form.
      pushLifetime(own.lifetimes, name, lifetimes[name] || def[name]);
    }
    const pageLifetimes = def.pageLifetimes || {};
    for (const name of PAGE_LIFETIMES) pushLifetime(own.pageLifetimes, name, pageLifetimes[name]);
    const observers = def.observers || {};
    for (const key of Object.keys(observers)) {
      if (typeof observers[key] === 'function') {
        own.observers.push({ fields: parseObserverFields(key), fn: observers[key] });
      }
    }
    const relations = def.relations || {};
    for (const key of Object.keys(relations)) own.relations[key] = relations[key];
    if (Array.isArray(def.externalClasses)) own.externalClasses = def.externalClasses.slice();
    if (def.options) own.options = def.options;
    if (Array.isArray(def.behaviors)) own.behaviors = def.behaviors.slice();
    if (typeof def.export === 'function') own.exportFn = def.export;
    return own;
  }

  function isPlainObject(v) {
    return v !== null && typeof v === 'object' && !Array.isArray(v);
  }

  // Same-named object fields merge; anything else is overwritten.
  function mergeData(target, source) {
    for (const key of Object.keys(source)) {
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
    for (const b of behaviors) {
      if (!b || b.__isBehavior__ !== true || seen.has(b)) continue;
      linearize(b.own.behaviors, out, seen);
      seen.add(b);
      out.push(b);
    }
    return out;
  }

  // Runs the definitionFilters of the behaviors `def` uses (https://developers.weixin.qq.com/miniprogram/dev/framework/custom-component/behaviors.html).
  function runDefinitionFilters(def) {
    const behaviors = Array.isArray(def.behaviors) ? def.behaviors : [];
    for (const b of behaviors) {
      if (!b || b.__isBehavior__ !== true || typeof b.definitionFilter !== 'function') continue;
      const inner = b.own.behaviors
        .filter(function (x) { return x && x.__isBehavior__ && typeof x.definitionFilter === 'function'; })
        .map(function (x) { return x.definitionFilter; });
      b.definitionFilter(def, inner);
    }
  }

  // Behaviors + own fields -> the class an instance is made from.
  function mergeClass(path, own) {
    const chain = linearize(own.behaviors, [], new Set()).map(function (b) { return b.own; });
    chain.push(own);
    const cls = emptyOwn();
    cls.path = path;
    cls.behaviorSet = new Set(linearize(own.behaviors, [], new Set()));
    for (const src of chain) {
      Object.assign(cls.properties, src.properties);
      cls.data = cls.data.concat(src.data);
      Object.assign(cls.methods, src.methods);
      for (const name of Object.keys(src.lifetimes)) {
        for (const fn of src.lifetimes[name]) pushLifetime(cls.lifetimes, name, fn);
      }
      for (const name of Object.keys(src.pageLifetimes)) {
        for (const fn of src.pageLifetimes[name]) pushLifetime(cls.pageLifetimes, name, fn);
      }
      cls.observers = cls.observers.concat(src.observers);
      Object.assign(cls.relations, src.relations);
      for (const c of src.externalClasses) {
        if (cls.externalClasses.indexOf(c) < 0) cls.externalClasses.push(c);
      }
      cls.inits = cls.inits.concat(src.inits);
      if (src.exportFn) cls.exportFn = src.exportFn;
    }
    cls.options = own.options || {};
    return cls;
  }

  // A fresh, deep-copied data object for one instance (https://developers.weixin.qq.com/miniprogram/dev/reference/api/Component.html: behaviors'
  // data is never shared between instances).
  function instanceData(cls, inst) {
    const data = {};
    for (const source of cls.data) {
      const value = typeof source === 'function' ? source.call(inst) : source;
      if (isPlainObject(value)) mergeData(data, I.copyJson(value));
    }
    for (const name of Object.keys(cls.properties)) {
      if (!(name in data)) data[name] = I.copyJson(cls.properties[name].value);
    }
    return data;
  }

  const definitions = Object.create(null); // component path -> class
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
        throw new Error('Component() was called twice for ' + registeringComponent);
      }
      definitions[registeringComponent] = mergeClass(registeringComponent, own);
      return;
    }
    const route = I.currentRoute();
    if (route !== null) {
      I.definePage(route, pageFromComponent(mergeClass(route, own), classicDef));
      return;
    }
    throw new Error('Component() must be called while a component\'s or page\'s own .js file is loading');
  }

  // ---- Chaining API (glass-easel, https://developers.weixin.qq.com/miniprogram/dev/framework/custom-component/glass-easel/chaining-api.html) ------------------------------
  function chain(kind) {
    const own = emptyOwn();
    let options = null;
    const builder = {
      property: function (name, spec) { own.properties[name] = normalizeProperty(spec); return builder; },
      data: function (factory) { own.data.push(factory); return builder; },
      externalClasses: function (list) {
        for (const c of list || []) if (own.externalClasses.indexOf(c) < 0) own.externalClasses.push(c);
        return builder;
      },
      options: function (opts) { options = opts; return builder; }, // only the last counts
      methods: function (methods) { Object.assign(own.methods, methods || {}); return builder; },
      lifetime: function (name, fn) { pushLifetime(own.lifetimes, name, fn); return builder; },
      pageLifetime: function (name, fn) { pushLifetime(own.pageLifetimes, name, fn); return builder; },
      observer: function (fields, fn) {
        own.observers.push({ fields: parseObserverFields(fields), fn: fn });
        return builder;
      },
      relation: function (name, def) { own.relations[name] = def; return builder; },
      behavior: function (b) { own.behaviors.push(b); return builder; },
      init: function (fn) { if (typeof fn === 'function') own.inits.push(fn); return builder; },
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
  const comps = new Map(); // id -> instance
  const pageReady = new Map(); // pageId -> components waiting for `ready`
  const pageOpenedAt = new Map();

  function callLifetime(inst, name, args) {
    const fns = inst.__class__.lifetimes[name];
    if (!fns) return;
    for (const fn of fns) guarded(inst, fn, args || []);
  }

  // Runs a component's code; an exception goes to its `error` lifetimes
  // first, then on to the usual report (stack, App.onError).
  function guarded(inst, fn, args) {
    try {
      return fn.apply(inst, args);
    } catch (e) {
      const handlers = inst && inst.__class__ && inst.__class__.lifetimes.error;
      if (handlers) for (const h of handlers) h.call(inst, e);
      throw e;
    }
  }

  function isPure(cls, key) {
    const pattern = cls.options.pureDataPattern;
    if (!pattern) return false;
    const root = String(key).split(/[.[]/)[0];
    const re = pattern instanceof RegExp ? pattern : new RegExp(String(pattern));
    return re.test(root);
  }

  function renderData(inst) {
    const out = {};
    for (const key of Object.keys(inst.data)) {
      if (!isPure(inst.__class__, key)) out[key] = inst.data[key];
    }
    return out;
  }

  // Does setting `changed` fire an observer field?
  function observerMatches(field, changed) {
    const n = Math.min(field.segments.length, changed.length);
    for (let i = 0; i < n; i++) {
      if (String(field.segments[i]) !== String(changed[i])) return false;
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
    for (const name of Object.keys(cls.properties)) old[name] = inst.data[name];
    const renderKeys = [];
    const renderTexts = [];
    for (let i = 0; i < keys.length; i++) {
      if (!isPure(cls, keys[i])) {
        renderKeys.push(keys[i]);
        const text = texts ? texts[i] : JSON.stringify(values[i]);
        renderTexts.push(text === undefined ? 'null' : text);
      }
    }
    let result = { paths: [], problems: [], work: [] };
    if (inst.__built__ && !inst.__detached__ && renderKeys.length) {
      // Keys travel as JSON so that any JS string arrives (view.rs).
      result = JSON.parse(native.setData(inst.__page__, inst.__id__, JSON.stringify(renderKeys), renderTexts));
    }
    const problems = result.problems || [];
    for (let i = 0; i < problems.length; i++) I.reportRefusal(problems[i]);
    const changedPaths = [];
    let r = 0;
    for (let i = 0; i < keys.length; i++) {
      let segments;
      if (!isPure(cls, keys[i])) {
        segments = inst.__built__ && !inst.__detached__ ? result.paths[r++] : parsePath(keys[i]);
      } else {
        segments = parsePath(keys[i]);
      }
      if (segments && !Array.isArray(segments) && typeof segments.refused === 'string') {
        I.reportRefusal(segments);
        continue;
      }
      if (!segments) {
        I.reportRefusal({ refused: 'setData: "' + keys[i] + '" is not a valid data path', error: true });
        continue;
      }
      if (!I.setPath(inst.data, segments, values[i])) {
        I.reportRefusal({
          refused: 'setData: "' + keys[i] + '" was refused: a data path cannot name an object\'s prototype',
          error: false,
        });
        continue;
      }
      changedPaths.push(segments);
    }
    runObservers(inst, cls, changedPaths, old);
    runWork(inst.__page__, result.work, false);
    if (typeof callback === 'function') I.queueTick(callback, inst, []);
  }

  // Data observers, then property observers, for the paths one setData
  // changed (`old`: the property values before it). Shared by components
  // and pages declared with Component().
  function runObservers(inst, cls, changedPaths, old) {
    // Data observers: each at most once per setData (https://developers.weixin.qq.com/miniprogram/dev/framework/custom-component/observer.html).
    for (const observer of cls.observers) {
      const hit = changedPaths.some(function (path) {
        return observer.fields.some(function (field) { return observerMatches(field, path); });
      });
      if (!hit) continue;
      const args = observer.fields.map(function (field) { return getPath(inst.data, field.segments); });
      observer.fn.apply(inst, args);
    }
    // Property observers (never for pure properties, https://developers.weixin.qq.com/miniprogram/dev/framework/custom-component/pure-data.html).
    const fired = new Set();
    for (const path of changedPaths) {
      const name = path[0];
      const prop = cls.properties[name];
      if (!prop || !prop.observer || fired.has(name) || isPure(cls, name)) continue;
      fired.add(name);
      const fn = typeof prop.observer === 'function' ? prop.observer : inst[prop.observer];
      if (typeof fn === 'function') fn.call(inst, inst.data[name], old[name], path);
    }
  }

  const componentProto = {
    setData: function (updates, callback) {
      if (updates === null || typeof updates !== 'object') {
        throw new TypeError('setData expects an object');
      }
      const self = this;
      // One JSON text per key: a value that cannot be sent drops only its key.
      const encoded = I.encodeUpdates(updates);
      const values = encoded.texts.map(function (text) { return JSON.parse(text); });
      batch(this.__page__, function () { applyUpdates(self, encoded.keys, values, callback, encoded.texts); });
    },
    groupSetData: function (fn) {
      const self = this;
      batch(this.__page__, function () { fn.call(self); });
    },
    triggerEvent: function (name, detail, options) {
      const opts = options || {};
      const self = this;
      batch(this.__page__, function () {
        dispatch(self.__page__, self.__host__, String(name), detail === undefined ? {} : detail, {
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
      if (this.__owner__ === 0) return I.pagesById.get(this.__page__) || null;
      return comps.get(this.__owner__) || null;
    },
    getRelationNodes: function (key) {
      const list = this.__relations__[resolvePath(this.is, key)] || this.__relations__[key] || [];
      return list.slice();
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

  function exported(inst) {
    const fn = inst.__class__.exportFn;
    return typeof fn === 'function' ? fn.call(inst) : inst;
  }

  function selectFrom(pageId, owner, selector, all) {
    const ids = native.select(pageId, owner, String(selector));
    const found = [];
    for (const id of ids) {
      const inst = comps.get(id);
      if (inst) found.push(exported(inst));
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
      I.reportError(e);
    } finally {
      registeringComponent = null;
    }
    if (!definitions[path]) {
      I.reportError(new Error(path + '.js did not call Component()'));
      definitions[path] = mergeClass(path, emptyOwn());
    }
    // The json's string forms of options (pureDataPattern: "^_" since
    // 2.10.1, styleIsolation) apply where the JS did not set them.
    const cls = definitions[path];
    if (cls.jsonApplied) return cls;
    cls.jsonApplied = true;
    const json = JSON.parse(native.componentJson(path)) || {};
    const options = Object.assign({}, cls.options);
    if (!options.pureDataPattern && typeof json.pureDataPattern === 'string') {
      try {
        options.pureDataPattern = new RegExp(json.pureDataPattern);
      } catch (e) {
        I.reportError(e);
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

  function instantiate(pageId, item) {
    const cls = loadClass(item.path);
    const inst = Object.create(componentProto);
    const hidden = {
      __page__: pageId, __id__: item.id, __owner__: item.owner, __host__: item.host,
      __class__: cls, __attached__: false, __built__: false, __detached__: false, __relations__: {},
    };
    for (const key of Object.keys(hidden)) {
      Object.defineProperty(inst, key, { value: hidden[key], writable: true, enumerable: false });
    }
    inst.is = item.path;
    inst.id = typeof item.hostId === 'string' ? item.hostId : String(item.hostId);
    inst.dataset = item.dataset || {};
    for (const name of Object.keys(cls.methods)) inst[name] = cls.methods[name];
    const data = instanceData(cls, inst);
    for (const name of Object.keys(item.props || {})) {
      const prop = cls.properties[name];
      if (prop) data[name] = coerce(prop, item.props[name]);
    }
    inst.data = data;
    Object.defineProperty(inst, 'properties', {
      get: function () { return this.data; }, enumerable: false,
    });
    for (const init of cls.inits) runInit(inst, init);
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
        ensureOwnClass(inst).observers.push({ fields: parseObserverFields(fields), fn: fn });
      },
      relation: function () { return { list: function () { return []; } }; },
      triggerEvent: function (n, d, o) { inst.triggerEvent(n, d, o); },
    };
    const methods = init.call(inst, ctx);
    if (methods && typeof methods === 'object') {
      for (const name of Object.keys(methods)) inst[name] = methods[name];
    }
  }

  // Per-instance additions from init() go to a private copy of the class.
  function ensureOwnClass(inst) {
    if (!Object.prototype.hasOwnProperty.call(inst, '__ownClass__')) {
      const cls = inst.__class__;
      const copy = Object.assign({}, cls, {
        lifetimes: Object.assign({}, cls.lifetimes),
        pageLifetimes: Object.assign({}, cls.pageLifetimes),
        observers: cls.observers.slice(),
      });
      for (const k of Object.keys(copy.lifetimes)) copy.lifetimes[k] = copy.lifetimes[k].slice();
      for (const k of Object.keys(copy.pageLifetimes)) copy.pageLifetimes[k] = copy.pageLifetimes[k].slice();
      Object.defineProperty(inst, '__ownClass__', { value: true, enumerable: false });
      inst.__class__ = copy;
    }
    return inst.__class__;
  }
  function pushInstanceLifetime(inst, name, fn) { pushLifetime(ensureOwnClass(inst).lifetimes, name, fn); }
  function pushInstancePageLifetime(inst, name, fn) { pushLifetime(ensureOwnClass(inst).pageLifetimes, name, fn); }

  function attachOptions(cls) {
    const o = cls.options || {};
    return JSON.stringify({
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
    for (const inst of created) {
      if (inst.__detached__) continue;
      inst.__attached__ = true;
      callLifetime(inst, 'attached');
      linkRelations(inst);
    }
    const ready = created.slice().reverse();
    if (deferReady) {
      const waiting = pageReady.get(pageId) || [];
      pageReady.set(pageId, waiting.concat(ready));
    } else {
      for (const inst of ready) if (!inst.__detached__) callLifetime(inst, 'ready');
    }
  }

  function applyWork(pageId, work, created) {
    const props = new Map();
    for (const item of work) {
      if (item.t === 'create') {
        const inst = instantiate(pageId, item);
        created.push(inst);
        const more = JSON.parse(native.attach(pageId, item.id, JSON.stringify(renderData(inst)), attachOptions(inst.__class__)));
        // Its template exists: setData renders from now on.
        inst.__built__ = true;
        applyWork(pageId, more, created);
      } else if (item.t === 'props') {
        if (!props.has(item.id)) props.set(item.id, {});
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
      for (const name of Object.keys(changes)) {
        const prop = cls.properties[name];
        if (!prop) continue;
        keys.push(name);
        values.push(coerce(prop, changes[name]));
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
  const RELATION_REVERSE = { parent: 'child', child: 'parent', ancestor: 'descendant', descendant: 'ancestor' };

  function hostToComponent(pageId) {
    const map = new Map();
    comps.forEach(function (inst) { if (inst.__page__ === pageId) map.set(inst.__host__, inst); });
    return map;
  }

  // Component ancestors of `inst` in the composed tree, nearest first.
  function componentAncestors(inst) {
    const path = JSON.parse(native.eventPath(inst.__page__, inst.__host__, true));
    const byHost = hostToComponent(inst.__page__);
    const out = [];
    for (let i = 1; i < path.length; i++) {
      const c = byHost.get(path[i].node);
      if (c) out.push(c);
    }
    return out;
  }

  function relationTo(inst, other, type) {
    const rels = inst.__class__.relations;
    for (const key of Object.keys(rels)) {
      const rel = rels[key];
      if (rel.type !== type) continue;
      const target = rel.target;
      if (target ? other.hasBehavior(target) : resolvePath(inst.is, key) === other.is) {
        return { key: target ? key : resolvePath(inst.is, key), def: rel };
      }
    }
    return null;
  }

  function link(a, aRel, b) {
    (a.__relations__[aRel.key] || (a.__relations__[aRel.key] = [])).push(b);
  }

  function linkRelations(inst) {
    const ancestors = componentAncestors(inst);
    for (let i = 0; i < ancestors.length; i++) {
      const other = ancestors[i];
      for (const type of i === 0 ? ['parent', 'ancestor'] : ['ancestor']) {
        const mine = relationTo(inst, other, type);
        const theirs = relationTo(other, inst, RELATION_REVERSE[type]);
        if (!mine || !theirs) continue;
        link(inst, mine, other);
        link(other, theirs, inst);
        inst.__links__ = (inst.__links__ || []).concat([{ other: other, mine: mine, theirs: theirs }]);
        if (typeof theirs.def.linked === 'function') theirs.def.linked.call(other, inst);
        if (typeof mine.def.linked === 'function') mine.def.linked.call(inst, other);
        break;
      }
    }
  }

  // `inst` moved within its parent: both ends of each of its links hear
  // `linkChanged` (https://developers.weixin.qq.com/miniprogram/dev/framework/custom-component/pure-data.html relations).
  function relationsMoved(inst) {
    for (const l of inst.__links__ || []) {
      if (typeof l.theirs.def.linkChanged === 'function') l.theirs.def.linkChanged.call(l.other, inst);
      if (typeof l.mine.def.linkChanged === 'function') l.mine.def.linkChanged.call(inst, l.other);
    }
  }

  function unlinkRelations(inst) {
    for (const l of inst.__links__ || []) {
      const list = l.other.__relations__[l.theirs.key] || [];
      const at = list.indexOf(inst);
      if (at >= 0) list.splice(at, 1);
      const mineList = inst.__relations__[l.mine.key] || [];
      const mineAt = mineList.indexOf(l.other);
      if (mineAt >= 0) mineList.splice(mineAt, 1);
      if (typeof l.theirs.def.unlinked === 'function') l.theirs.def.unlinked.call(l.other, inst);
      if (typeof l.mine.def.unlinked === 'function') l.mine.def.unlinked.call(inst, l.other);
    }
    inst.__links__ = [];
  }

  // ---- pages -------------------------------------------------------------
  function pageComponents(pageId) {
    const list = [];
    comps.forEach(function (inst) { if (inst.__page__ === pageId && inst.__attached__) list.push(inst); });
    return list;
  }

  function pageLifetime(pageId, name, arg) {
    for (const inst of pageComponents(pageId)) {
      const fns = inst.__class__.pageLifetimes[name];
      if (fns) for (const fn of fns) fn.call(inst, arg);
    }
  }

  // Page hook: a page setData may have created, changed or removed hosts.
  I.hooks.afterPageSetData = function (page) {
    const pageId = page.__pageId__;
    batch(pageId, function () {
      runWork(pageId, JSON.parse(native.pageWork(pageId)), false);
    });
  };

  const originalCallPage = cirrus.callPage;
  cirrus.callPage = function (pageId, name, arg) {
    if (name === 'onLoad') {
      pageOpenedAt.set(pageId, Date.now());
      // Components of the first render are created and attached before
      // the page's onLoad; they become ready before its onReady.
      batch(pageId, function () {
        runWork(pageId, JSON.parse(native.pageWork(pageId)), true);
      });
    }
    if (name === 'onReady') {
      const waiting = pageReady.get(pageId) || [];
      pageReady.delete(pageId);
      batch(pageId, function () {
        for (const inst of waiting) if (!inst.__detached__) callLifetime(inst, 'ready');
      });
    }
    if (name === 'onUnload') {
      batch(pageId, function () {
        for (const inst of pageComponents(pageId)) detach(inst);
      });
    }
    const result = batch(pageId, function () { return originalCallPage(pageId, name, arg); });
    const lifetime = { onShow: 'show', onHide: 'hide', onResize: 'resize', onRouteDone: 'routeDone' }[name];
    if (lifetime) batch(pageId, function () { pageLifetime(pageId, lifetime, arg); });
    if (name === 'onUnload') native.forgetPage(pageId);
    return result;
  };

  // A page written with Component(): methods become page methods; lifetimes
  // run around onLoad / onReady; properties take the query (https://developers.weixin.qq.com/miniprogram/dev/reference/api/Component.html).
  function pageFromComponent(cls) {
    const page = {};
    const data = instanceData(cls, page);
    page.data = data;
    for (const name of Object.keys(cls.methods)) page[name] = cls.methods[name];
    const userLoad = cls.methods.onLoad;
    const userReady = cls.methods.onReady;
    page.onLoad = function (query) {
      const self = this;
      Object.defineProperty(self, '__class__', { value: cls, enumerable: false });
      Object.defineProperty(self, 'properties', { get: function () { return this.data; }, enumerable: false });
      const fns = cls.lifetimes;
      (fns.created || []).forEach(function (fn) { fn.call(self); });
      const updates = {};
      for (const name of Object.keys(query || {})) {
        const prop = cls.properties[name];
        if (prop) updates[name] = coerce(prop, query[name]);
      }
      if (Object.keys(updates).length) self.setData(updates);
      (fns.attached || []).forEach(function (fn) { fn.call(self); });
      if (typeof userLoad === 'function') userLoad.call(self, query);
    };
    page.onReady = function () {
      const self = this;
      (cls.lifetimes.ready || []).forEach(function (fn) { fn.call(self); });
      if (typeof userReady === 'function') userReady.call(self);
    };
    // The page's own pageLifetimes run after its onShow / onHide / onResize.
    const PAGE_HOOKS = { onShow: 'show', onHide: 'hide', onResize: 'resize' };
    for (const hook of Object.keys(PAGE_HOOKS)) {
      const fns = cls.pageLifetimes[PAGE_HOOKS[hook]];
      const user = cls.methods[hook];
      if (!fns && typeof user !== 'function') continue;
      page[hook] = function (arg) {
        if (typeof user === 'function') user.call(this, arg);
        for (const fn of fns || []) fn.call(this, arg);
      };
    }
    // setData fires the page's observers and property observers, each at
    // most once per call, as a component's do (https://developers.weixin.qq.com/miniprogram/dev/framework/custom-component/observer.html).
    page.setData = function (updates, callback) {
      const old = {};
      for (const name of Object.keys(cls.properties)) old[name] = this.data[name];
      I.pageProto.setData.call(this, updates, callback);
      const changedPaths = [];
      for (const key of Object.keys(updates)) {
        if (updates[key] === undefined) continue;
        const segments = parsePath(key);
        if (segments) changedPaths.push(segments);
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
    const stack = I.pageStack;
    const top = stack.length ? stack[stack.length - 1] : null;
    if (!top) return;
    const info = global.wx.getWindowInfo();
    cirrus.callPage(top.__pageId__, 'onResize', {
      size: { windowWidth: info.windowWidth, windowHeight: info.windowHeight },
    });
  };

  // ---- events (https://developers.weixin.qq.com/miniprogram/dev/framework/view/wxml/event.html) ------------------------------------------------
  function handlerOwner(pageId, owner) {
    return owner === 0 ? I.pagesById.get(pageId) : comps.get(owner);
  }

  // `offsets` maps node ids to their page-relative [left, top], as the
  // render thread laid them out when it raised the event.
  function withOffsets(node, offsets) {
    const at = (offsets && offsets[node.node]) || [0, 0];
    return { id: node.id, dataset: node.dataset, offsetLeft: at[0], offsetTop: at[1] };
  }

  // Runs the handlers along the path of an event raised on `node`.
  // Returns how many handlers ran.
  function dispatch(pageId, node, name, detail, opts, touches) {
    const path = JSON.parse(native.eventPath(pageId, node, !!opts.composed));
    if (!path.length) return 0;
    let fired = 0;
    const mark = {};
    for (let i = path.length - 1; i >= 0; i--) Object.assign(mark, path[i].mark);
    const opened = pageOpenedAt.get(pageId) || Date.now();
    let mutFired = false;
    let stopped = false;
    function fire(entry, kinds) {
      for (const h of entry.handlers) {
        if (h.event !== name || kinds.indexOf(h.kind) < 0 || !h.handler) continue;
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
          timeStamp: Date.now() - opened,
          target: withOffsets(entry.target, touches && touches.offsets),
          currentTarget: withOffsets(entry, touches && touches.offsets),
          detail: detail,
          touches: (touches && touches.touches) || [],
          changedTouches: (touches && touches.changedTouches) || [],
          mark: Object.assign({}, mark),
        }]);
      }
    }
    if (opts.capturePhase) {
      for (let i = path.length - 1; i >= 0 && !stopped; i--) {
        fire(path[i], ['capture-bind', 'capture-catch', 'capture-mut-bind']);
      }
    }
    for (let i = 0; i < path.length && !stopped; i++) {
      if (!opts.bubbles && !path[i].atTarget) continue;
      fire(path[i], ['bind', 'catch', 'mut-bind']);
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
    const type = String(name);
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
