// The JavaScript half of the logic thread: the globals a mini program sees
// (App, getApp, Page, getCurrentPages, require, console, timers, wx) and the
// entry points the Rust half calls (`__cirrus.*`).
//
// Invariants:
// - Rust owns time, the page records and the data mirror; this file owns the
//   JS objects (the App instance, page instances, timer callbacks, modules).
// - Every entry point may throw: the Rust side catches, turns the exception
//   into a diagnostic and keeps going, so nothing here swallows user errors.
// - `__native` is the only way out to Rust; it is removed from the global
//   object once this file has captured it.
// - App code runs in this realm and may replace any built-in once it runs
//   (`Array.prototype.push`, `Function.prototype.call`, `Object.keys`,
//   `JSON.stringify`, `Promise.prototype.then`, a global `Map`...). The
//   engine's JS (this file and js/*.js) reaches built-ins only through the
//   primordials captured below, before any app code runs, and shared with
//   the later files as `internals.primordials`. So the engine's JS:
//   - calls no method on a built-in's prototype at run time except through
//     an uncurried primordial (`ArrayPrototypeIndexOf(list, x)`), and calls
//     app functions with `ReflectApply`, never `fn.call` / `fn.apply`;
//   - uses no `for...of`, spread or array destructuring (they run the
//     iterator protocol, `Array.prototype[Symbol.iterator]`), and no array
//     method that builds its result through `constructor[Symbol.species]`
//     (map, filter, slice, splice, concat): indexed loops and the helpers
//     below instead;
//   - keeps its maps and sets in `SafeMap` / `SafeSet`, whose frozen
//     prototypes hold their own copies of the methods;
//   - writes property descriptors and lookup tables with a null prototype,
//     so a key added to `Object.prototype` (`get`, `set`, `onShow`...)
//     is never read as one of theirs.
//   Code that only runs while the engine boots (before app.js) may use
//   built-ins freely.
// - Data paths never walk through `__proto__`, `constructor` or
//   `prototype`, nor through inherited properties (`setPath`).
(function (global) {
  'use strict';
  const native = global.__native;
  delete global.__native;

  // ---- primordials: built-ins, captured before app code runs -------------
  const ReflectApply = Reflect.apply;
  const FunctionPrototypeCall = Function.prototype.call;
  const FunctionPrototypeBind = Function.prototype.bind;
  // `uncurryThis(Array.prototype.push)(list, x)` is the original
  // `list.push(x)`: a `call` bound to the method, so calling it looks
  // nothing up on the method or on Function.prototype, and needs no rest
  // parameter or spread.
  function uncurryThis(fn) {
    return ReflectApply(FunctionPrototypeBind, FunctionPrototypeCall, [fn]);
  }

  const ObjectCtor = Object;
  const objectKeys = Object.keys;
  const objectCreate = Object.create;
  const defineProperty = Object.defineProperty;
  const getOwnPropertyDescriptor = Object.getOwnPropertyDescriptor;
  const ObjectAssign = Object.assign;
  const ObjectFreeze = Object.freeze;
  const ObjectPrototypeToString = uncurryThis(Object.prototype.toString);
  // hasOwn(object, key): the original `object.hasOwnProperty(key)`.
  const hasOwn = uncurryThis(Object.prototype.hasOwnProperty);
  const isArray = Array.isArray;
  const ArrayPrototypeIndexOf = uncurryThis(Array.prototype.indexOf);
  const ArrayPrototypeJoin = uncurryThis(Array.prototype.join);
  const ArrayPrototypePush = uncurryThis(Array.prototype.push);
  const StringCtor = String;
  const NumberCtor = Number;
  const StringPrototypeIndexOf = uncurryThis(String.prototype.indexOf);
  const StringPrototypeLastIndexOf = uncurryThis(String.prototype.lastIndexOf);
  const StringPrototypeSlice = uncurryThis(String.prototype.slice);
  const StringPrototypeCharAt = uncurryThis(String.prototype.charAt);
  const StringPrototypeToLowerCase = uncurryThis(String.prototype.toLowerCase);
  const StringPrototypeToUpperCase = uncurryThis(String.prototype.toUpperCase);
  const StringPrototypeTrim = uncurryThis(String.prototype.trim);
  const RegExpCtor = RegExp;
  const RegExpPrototypeExec = uncurryThis(RegExp.prototype.exec);
  const jsonStringify = JSON.stringify;
  const jsonParse = JSON.parse;
  const MathMin = Math.min;
  const MathMax = Math.max;
  const MathFloor = Math.floor;
  const DateCtor = Date;
  const DateNow = Date.now;
  const DatePrototypeGetTime = uncurryThis(Date.prototype.getTime);
  const globalIsFinite = isFinite;
  const EncodeURIComponent = encodeURIComponent;
  const ArrayBufferCtor = ArrayBuffer;
  const ArrayBufferIsView = ArrayBuffer.isView;
  const ArrayBufferPrototypeSlice = uncurryThis(ArrayBuffer.prototype.slice);
  const ErrorCtor = Error;
  const TypeErrorCtor = TypeError;
  const RangeErrorCtor = RangeError;
  const ProxyCtor = Proxy;
  const SymbolCtor = Symbol;
  const PromiseCtor = Promise;
  const PromisePrototypeThen = uncurryThis(Promise.prototype.then);
  // Promise.resolve / reject bound to the built-in Promise.
  const PromiseResolve = ReflectApply(FunctionPrototypeBind, Promise.resolve, [PromiseCtor]);
  const PromiseReject = ReflectApply(FunctionPrototypeBind, Promise.reject, [PromiseCtor]);

  // Runs `fn` in a later microtask (as `Promise.resolve().then(fn)`) and
  // returns the promise of its result. `then` finds its species through the
  // promise's `constructor`: an own `undefined` one keeps it the built-in
  // Promise, whatever the app does to Promise.prototype.constructor.
  const resolvedPromise = PromiseResolve(undefined);
  defineProperty(resolvedPromise, 'constructor', { __proto__: null, value: undefined });
  function queueMicrotask(fn) {
    return PromisePrototypeThen(resolvedPromise, fn);
  }

  // Map and Set whose methods the app cannot replace: each prototype holds
  // its own copies of the built-in's methods (and the `size` getter) and is
  // frozen. Iterate them with `forEach`, never `for...of`.
  function makeSafe(Base, Safe) {
    const proto = Base.prototype;
    const names = Reflect.ownKeys(proto);
    for (let i = 0; i < names.length; i++) {
      if (names[i] === 'constructor') continue;
      defineProperty(Safe.prototype, names[i], getOwnPropertyDescriptor(proto, names[i]));
    }
    ObjectFreeze(Safe.prototype);
    return ObjectFreeze(Safe);
  }
  const SafeMap = makeSafe(Map, class SafeMap extends Map {
    constructor() {
      super();
    }
  });
  const SafeSet = makeSafe(Set, class SafeSet extends Set {
    constructor() {
      super();
    }
  });

  // ---- loop helpers (no iterator, no species) ----------------------------
  // `list.slice(start, end)` for 0 <= start, end <= length (end optional).
  function arraySlice(list, start, end) {
    const stop = end === undefined ? list.length : end;
    const out = [];
    for (let i = start; i < stop; i++) out[out.length] = list[i];
    return out;
  }
  // Appends `items` to `list` (an in-place `concat`); returns `list`.
  function arrayAppend(list, items) {
    for (let i = 0; i < items.length; i++) list[list.length] = items[i];
    return list;
  }
  function arrayMap(list, fn) {
    const out = [];
    for (let i = 0; i < list.length; i++) out[out.length] = fn(list[i], i);
    return out;
  }
  function arrayFilter(list, fn) {
    const out = [];
    for (let i = 0; i < list.length; i++) if (fn(list[i], i)) out[out.length] = list[i];
    return out;
  }
  function arraySome(list, fn) {
    for (let i = 0; i < list.length; i++) if (fn(list[i], i)) return true;
    return false;
  }
  // Removes the item at `at` (`list.splice(at, 1)`).
  function arrayRemoveAt(list, at) {
    for (let i = at; i < list.length - 1; i++) list[i] = list[i + 1];
    list.length = list.length - 1;
  }
  // Removes the first `item` of `list`, if any.
  function arrayRemove(list, item) {
    const at = ArrayPrototypeIndexOf(list, item);
    if (at >= 0) arrayRemoveAt(list, at);
  }
  // `text.split(separator)` for a non-empty string separator: String's
  // split asks the separator for Symbol.split, which an app can define.
  function stringSplit(text, separator) {
    const out = [];
    let from = 0;
    for (;;) {
      const at = StringPrototypeIndexOf(text, separator, from);
      if (at < 0) break;
      out[out.length] = StringPrototypeSlice(text, from, at);
      from = at + separator.length;
    }
    out[out.length] = StringPrototypeSlice(text, from);
    return out;
  }
  function startsWith(text, prefix) {
    return StringPrototypeSlice(text, 0, prefix.length) === prefix;
  }
  function endsWith(text, suffix) {
    return text.length >= suffix.length && StringPrototypeSlice(text, text.length - suffix.length) === suffix;
  }
  // `re.test(text)` through the original exec (`test`, `split` and
  // `replace` look `exec` up on the regex).
  function regExpTest(re, text) {
    return RegExpPrototypeExec(re, text) !== null;
  }

  const primordials = ObjectFreeze({
    __proto__: null,
    uncurryThis: uncurryThis,
    ReflectApply: ReflectApply,
    ObjectCtor: ObjectCtor,
    ObjectKeys: objectKeys,
    ObjectCreate: objectCreate,
    ObjectDefineProperty: defineProperty,
    ObjectAssign: ObjectAssign,
    ObjectFreeze: ObjectFreeze,
    ObjectPrototypeToString: ObjectPrototypeToString,
    hasOwn: hasOwn,
    ArrayIsArray: isArray,
    ArrayPrototypeIndexOf: ArrayPrototypeIndexOf,
    ArrayPrototypeJoin: ArrayPrototypeJoin,
    ArrayPrototypePush: ArrayPrototypePush,
    arraySlice: arraySlice,
    arrayAppend: arrayAppend,
    arrayMap: arrayMap,
    arrayFilter: arrayFilter,
    arraySome: arraySome,
    arrayRemoveAt: arrayRemoveAt,
    arrayRemove: arrayRemove,
    StringCtor: StringCtor,
    NumberCtor: NumberCtor,
    StringPrototypeIndexOf: StringPrototypeIndexOf,
    StringPrototypeLastIndexOf: StringPrototypeLastIndexOf,
    StringPrototypeSlice: StringPrototypeSlice,
    StringPrototypeCharAt: StringPrototypeCharAt,
    StringPrototypeToLowerCase: StringPrototypeToLowerCase,
    StringPrototypeToUpperCase: StringPrototypeToUpperCase,
    StringPrototypeTrim: StringPrototypeTrim,
    stringSplit: stringSplit,
    startsWith: startsWith,
    endsWith: endsWith,
    RegExpCtor: RegExpCtor,
    RegExpPrototypeExec: RegExpPrototypeExec,
    regExpTest: regExpTest,
    JSONStringify: jsonStringify,
    JSONParse: jsonParse,
    MathMin: MathMin,
    MathMax: MathMax,
    MathFloor: MathFloor,
    DateCtor: DateCtor,
    DateNow: DateNow,
    DatePrototypeGetTime: DatePrototypeGetTime,
    globalIsFinite: globalIsFinite,
    EncodeURIComponent: EncodeURIComponent,
    ArrayBufferCtor: ArrayBufferCtor,
    ArrayBufferIsView: ArrayBufferIsView,
    ArrayBufferPrototypeSlice: ArrayBufferPrototypeSlice,
    ErrorCtor: ErrorCtor,
    TypeErrorCtor: TypeErrorCtor,
    RangeErrorCtor: RangeErrorCtor,
    ProxyCtor: ProxyCtor,
    SymbolCtor: SymbolCtor,
    PromiseCtor: PromiseCtor,
    PromisePrototypeThen: PromisePrototypeThen,
    PromiseResolve: PromiseResolve,
    PromiseReject: PromiseReject,
    queueMicrotask: queueMicrotask,
    SafeMap: SafeMap,
    SafeSet: SafeSet,
  });

  // Keys that would reach an object's prototype (Rust's data path parser
  // refuses them too; this is the JS side's own guard).
  function isPrototypeKey(key) {
    return key === '__proto__' || key === 'constructor' || key === 'prototype';
  }

  // ---- modules (CommonJS) ------------------------------------------------
  const modules = objectCreate(null);

  function dirname(path) {
    const slash = StringPrototypeLastIndexOf(path, '/');
    return slash < 0 ? '' : StringPrototypeSlice(path, 0, slash);
  }

  // Files are transformed on the Rust side before they are wrapped (ES
  // modules and TypeScript become CommonJS bodies; see modules.rs), so
  // this loader only ever runs CommonJS.
  function makeRequire(fromPath) {
    function require(target) {
      const path = native.resolveModule(fromPath, StringCtor(target));
      if (path === null || path === undefined) {
        throw new ErrorCtor('module "' + target + '" is not defined (required from ' + fromPath + ')');
      }
      return loadModule(path);
    }
    // require.async(path): a Promise of the module's exports, loaded in a
    // later microtask (and what `import()` is lowered to).
    require.async = function (target) {
      return queueMicrotask(function () {
        return require(target);
      });
    };
    return require;
  }

  function loadModule(requestedPath) {
    // `x.js` may be written as `x.ts`: one module per file, whatever name reached it.
    const path = native.moduleFile(requestedPath) || requestedPath;
    const cached = modules[path];
    if (cached) return cached.exports;
    const module = { id: path, filename: path, exports: {}, loaded: false };
    modules[path] = module;
    try {
      const body = native.compileModule(path);
      ReflectApply(body, module.exports, [makeRequire(path), module, module.exports, path, dirname(path)]);
    } catch (e) {
      delete modules[path];
      throw e;
    }
    module.loaded = true;
    return module.exports;
  }

  // ---- deep copies -------------------------------------------------------
  // Data crosses to Rust as JSON, so JSON is also what a copy keeps.
  function copyJson(value) {
    if (value === undefined) return undefined;
    return jsonParse(jsonStringify(value));
  }

  function copyField(value) {
    if (value === null || typeof value !== 'object') return value;
    try {
      return copyJson(value);
    } catch (e) {
      return value; // cyclic or otherwise not JSON: share it, as a shallow field
    }
  }

  // ---- console -----------------------------------------------------------
  function formatArg(arg) {
    if (typeof arg === 'string') return arg;
    if (arg instanceof ErrorCtor) return StringCtor(arg) + (arg.stack ? '\n' + arg.stack : '');
    if (typeof arg === 'function') return '[Function ' + (arg.name || 'anonymous') + ']';
    if (arg === undefined) return 'undefined';
    if (typeof arg === 'object' && arg !== null) {
      try {
        return jsonStringify(arg);
      } catch (e) {
        return StringCtor(arg);
      }
    }
    return StringCtor(arg);
  }

  function logger(level) {
    return function (...args) {
      let text = '';
      for (let i = 0; i < args.length; i++) text += (i > 0 ? ' ' : '') + formatArg(args[i]);
      native.log(level, text);
    };
  }

  // The app's `console` is its own object (it may replace its methods); the
  // engine warns through a frozen one.
  function makeConsole() {
    const console = {};
    const levels = ['log', 'info', 'warn', 'error', 'debug'];
    for (let i = 0; i < levels.length; i++) console[levels[i]] = logger(levels[i]);
    return console;
  }
  const engineConsole = ObjectFreeze(makeConsole());

  // ---- ticks (wx.nextTick, setData callbacks) ----------------------------
  let ticks = [];

  function queueTick(fn, thisArg, args) {
    ticks[ticks.length] = { fn: fn, thisArg: thisArg, args: args || [] };
  }

  // Runs the ticks queued so far (not those they queue). Returns whether
  // more are pending. A throwing tick stops the batch and propagates; the
  // rest stay queued for the next drain.
  function runTicks() {
    const batch = ticks;
    ticks = [];
    for (let i = 0; i < batch.length; i++) {
      const tick = batch[i];
      try {
        ReflectApply(tick.fn, tick.thisArg, tick.args);
      } catch (e) {
        ticks = arrayAppend(arraySlice(batch, i + 1), ticks);
        throw e;
      }
    }
    return ticks.length > 0;
  }

  // ---- timers ------------------------------------------------------------
  const timers = new SafeMap();
  let lastTimerId = 0;

  function addTimer(fn, delay, args, repeat) {
    if (typeof fn !== 'function') {
      throw new TypeErrorCtor((repeat ? 'setInterval' : 'setTimeout') + ' expects a function');
    }
    const id = ++lastTimerId;
    timers.set(id, { fn: fn, args: args, repeat: repeat });
    native.setTimer(id, NumberCtor(delay) || 0, repeat);
    return id;
  }

  function clearTimer(id) {
    if (timers.delete(id)) native.clearTimer(id);
  }

  function fireTimer(id) {
    const timer = timers.get(id);
    if (!timer) return;
    if (!timer.repeat) timers.delete(id);
    ReflectApply(timer.fn, undefined, timer.args);
  }

  // ---- App ---------------------------------------------------------------
  let app;
  let appRegistered = false;

  function App(definition) {
    if (appRegistered) {
      throw new ErrorCtor('App() may be called only once');
    }
    appRegistered = true;
    const instance = {};
    const def = definition || {};
    // Unlike Page() fields, App() fields are not copied: globalData often
    // holds live objects (stores, class instances) shared by every page.
    const keys = objectKeys(def);
    for (let i = 0; i < keys.length; i++) instance[keys[i]] = def[keys[i]];
    app = instance;
  }

  function getApp() {
    return app;
  }

  function callApp(name, arg) {
    if (!app) app = {}; // an app.js without App(): lifecycles are no-ops
    const hook = app[name];
    if (typeof hook === 'function') ReflectApply(hook, app, [arg]);
  }

  // ---- Page --------------------------------------------------------------
  const pageDefinitions = objectCreate(null);
  let registeringRoute = null;
  const pageStack = [];
  const pagesById = new SafeMap();

  function Page(definition) {
    if (registeringRoute === null) {
      throw new ErrorCtor('Page() must be called while a page\'s own .js file is loading');
    }
    if (pageDefinitions[registeringRoute]) {
      throw new ErrorCtor('Page() was called twice for ' + registeringRoute);
    }
    pageDefinitions[registeringRoute] = definition || {};
  }

  function getCurrentPages() {
    return arraySlice(pageStack, 0);
  }

  // Sets `value` at `segments` below `root`, creating missing objects (for
  // a key) or arrays (for an index). Only own properties are walked and
  // written (as data properties), so a path can neither reach a prototype
  // nor run an inherited setter. Returns false, changing nothing, for a
  // path with a prototype key.
  function setPath(root, segments, value) {
    for (let i = 0; i < segments.length; i++) {
      if (isPrototypeKey(segments[i])) return false;
    }
    let target = root;
    for (let i = 0; i < segments.length - 1; i++) {
      const key = segments[i];
      let next = hasOwn(target, key) ? target[key] : undefined;
      if (next === null || typeof next !== 'object') {
        next = typeof segments[i + 1] === 'number' ? [] : {};
        setOwn(target, key, next);
      }
      target = next;
    }
    setOwn(target, segments[segments.length - 1], value);
    return true;
  }

  function setOwn(target, key, value) {
    if (hasOwn(target, key) || (isArray(target) && key === 'length')) {
      target[key] = value; // an own data property: no setter runs
    } else {
      // A null-prototype descriptor: `get` or `set` on Object.prototype
      // must not turn it into an accessor.
      defineProperty(target, key, { __proto__: null, value: value, writable: true, enumerable: true, configurable: true });
    }
  }

  // Reports what setData refused (`{refused, error}` from Rust) at the
  // setData call, as a warning or an error; the other keys still apply.
  function reportRefusal(refusal) {
    const stack = new ErrorCtor().stack || '';
    if (refusal.error) native.reportError(refusal.refused, stack);
    else native.reportWarning(refusal.refused, stack);
  }

  // The JSON text of each key's value, one text per key (so a value that
  // cannot be sent drops only its key). Returns { keys, texts, bytes }.
  function encodeUpdates(updates) {
    // A value of undefined is not set (https://developers.weixin.qq.com/miniprogram/dev/reference/api/Page.html).
    const all = objectKeys(updates);
    const keys = [];
    const texts = [];
    let bytes = 0;
    for (let i = 0; i < all.length; i++) {
      const key = all[i];
      const value = updates[key];
      if (value === undefined) continue;
      let text;
      try {
        text = jsonStringify(value);
      } catch (e) {
        // Nested too deeply for the JS stack (RangeError), or cyclic.
        const tooDeep = e instanceof RangeErrorCtor;
        reportRefusal({
          refused: 'setData: "' + key + '" ' + (tooDeep ? 'is nested too deeply to send' : 'cannot be sent as JSON') +
            ' (' + StringCtor(e) + '); it was not applied',
          error: true,
        });
        continue;
      }
      // Functions and symbols read as null, as inside an array.
      if (text === undefined) text = 'null';
      keys[keys.length] = key;
      texts[texts.length] = text;
      bytes += text.length;
    }
    return { keys: keys, texts: texts, bytes: bytes };
  }

  // The keys of a setData (an array of strings the engine made) as JSON.
  // Stringifying an array asks it for `toJSON`, which an app can put on
  // Array.prototype: an own `undefined` one shadows it, and the one
  // stringify call stays.
  const NO_TO_JSON = ObjectFreeze({ __proto__: null, value: undefined });
  function keysJson(keys) {
    defineProperty(keys, 'toJSON', NO_TO_JSON);
    return jsonStringify(keys);
  }

  // Applies Rust's reply (`{paths, problems}`, see view.rs) to `data`:
  // each key's segments, or its refusal reported. Returns the applied
  // segments, in order.
  function applyReply(data, reply, texts, keys) {
    const applied = [];
    for (let i = 0; i < keys.length; i++) {
      const path = reply.paths[i];
      if (isArray(path)) {
        // One copy per key: `this.data` never aliases the caller's objects.
        if (setPath(data, path, jsonParse(texts[i]))) applied[applied.length] = path;
      } else if (path && typeof path.refused === 'string') {
        reportRefusal(path);
      } else {
        reportRefusal({ refused: 'setData: "' + keys[i] + '" is not a valid data path', error: true });
      }
    }
    const problems = reply.problems || [];
    for (let i = 0; i < problems.length; i++) reportRefusal(problems[i]);
    return applied;
  }

  const SET_DATA_WARN_BYTES = 1024 * 1024;
  // Set by later framework scripts (component.js): called after a page's
  // setData has been applied on both sides.
  const hooks = { afterPageSetData: null };

  function setPageData(page, updates, callback) {
    if (updates === null || typeof updates !== 'object') {
      throw new TypeErrorCtor('setData expects an object');
    }
    const encoded = encodeUpdates(updates);
    if (encoded.bytes > SET_DATA_WARN_BYTES) {
      engineConsole.warn('setData on ' + page.route + ' sent ' + encoded.bytes +
        ' bytes, over the 1024 kB limit: it is applied, but send only the changed paths');
    }
    // Rust parses the keys (one parser for both sides) and returns their
    // segments; the keys travel as JSON so that any JS string arrives.
    const reply = jsonParse(native.setData(page.__pageId__, keysJson(encoded.keys), encoded.texts));
    applyReply(page.data, reply, encoded.texts, encoded.keys);
    if (hooks.afterPageSetData) hooks.afterPageSetData(page);
    if (typeof callback === 'function') queueTick(callback, page, []);
  }

  const pageProto = {
    setData: function (updates, callback) {
      setPageData(this, updates, callback);
    },
  };

  // The script of a page, component or the app: `stem.js`, else a
  // TypeScript `stem.ts` with no `.js` beside it.
  function scriptOf(stem) {
    return !native.hasModule(stem + '.js') && native.hasModule(stem + '.ts') ? stem + '.ts' : stem + '.js';
  }

  function loadPage(route) {
    if (pageDefinitions[route]) return true;
    registeringRoute = route;
    try {
      loadModule(scriptOf(route));
    } finally {
      registeringRoute = null;
    }
    return !!pageDefinitions[route];
  }

  // Creates the instance and returns its initial data as JSON.
  function createPage(route, pageId, query) {
    const def = pageDefinitions[route] || {};
    const page = objectCreate(pageProto);
    const keys = objectKeys(def);
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i];
      if (key === 'data') continue;
      const value = def[key];
      page[key] = typeof value === 'function' ? value : copyField(value);
    }
    page.data = copyJson(def.data) || {};
    if (page.data === null || typeof page.data !== 'object') page.data = {};
    page.route = route;
    page.options = query;
    defineProperty(page, '__pageId__', { __proto__: null, value: pageId, enumerable: false });
    pageStack[pageStack.length] = page;
    pagesById.set(pageId, page);
    return jsonStringify(page.data);
  }

  function callPage(pageId, name, arg) {
    const page = pagesById.get(pageId);
    if (!page) return;
    const hook = page[name];
    if (typeof hook === 'function') ReflectApply(hook, page, [arg]);
  }

  // ---- wx ----------------------------------------------------------------
  function windowInfo() {
    const v = native.viewport();
    const width = v[0];
    const height = v[1];
    return {
      pixelRatio: v[2],
      screenWidth: width,
      screenHeight: height,
      windowWidth: width,
      windowHeight: height,
      statusBarHeight: 0,
      screenTop: 0,
      safeArea: { left: 0, right: width, top: 0, bottom: height, width: width, height: height },
    };
  }

  const wx = {
    getWindowInfo: windowInfo,
    getSystemInfoSync: function () {
      const info = windowInfo();
      info.brand = 'cirrus';
      info.model = 'cirrus';
      info.platform = 'cirrus';
      info.system = 'cirrus';
      info.language = 'zh_CN';
      info.version = '8.0.50';
      info.SDKVersion = '3.8.0';
      info.fontSizeSetting = 16;
      info.benchmarkLevel = 1;
      info.deviceOrientation = info.windowWidth > info.windowHeight ? 'landscape' : 'portrait';
      return info;
    },
    nextTick: function (fn) {
      if (typeof fn === 'function') queueTick(fn, undefined, []);
    },
  };

  // ---- globals -----------------------------------------------------------
  const globals = {
    App: App,
    getApp: getApp,
    Page: Page,
    getCurrentPages: getCurrentPages,
    wx: wx,
    console: makeConsole(),
    setTimeout: function (fn, delay, ...args) {
      return addTimer(fn, delay, args, false);
    },
    setInterval: function (fn, delay, ...args) {
      return addTimer(fn, delay, args, true);
    },
    clearTimeout: clearTimer,
    clearInterval: clearTimer,
    // The WeChat runtime's `global`: app code writes `global.x = ...`
    // before App() to share state between modules.
    global: global,
    // Plugins are not shipped in a package; WeChat throws the same way
    // when a plugin is not declared in app.json `plugins`.
    requirePlugin: function (name) {
      throw new ErrorCtor('requirePlugin: plugin "' + name + '" is not available (plugins are not supported by Cirrus)');
    },
  };
  const globalNames = objectKeys(globals);
  for (let i = 0; i < globalNames.length; i++) global[globalNames[i]] = globals[globalNames[i]];

  global.__cirrus = {
    // For the framework scripts evaluated after this one (component.js).
    internals: {
      primordials: primordials,
      hooks: hooks,
      loadModule: loadModule,
      scriptOf: scriptOf,
      queueTick: queueTick,
      pagesById: pagesById,
      pageStack: pageStack, // router.js keeps it equal to the page stack
      // A live page instance by id (tab pages off the stack included).
      pageById: function (id) {
        return pagesById.get(id) || null;
      },
      pageProto: pageProto,
      setPageData: setPageData,
      setPath: setPath,
      encodeUpdates: encodeUpdates,
      keysJson: keysJson,
      applyReply: applyReply,
      reportRefusal: reportRefusal,
      isPrototypeKey: isPrototypeKey,
      hasOwn: hasOwn,
      copyJson: copyJson,
      console: engineConsole,
      setTimeout: globals.setTimeout,
      currentRoute: function () { return registeringRoute; },
      definePage: function (route, def) { pageDefinitions[route] = def; },
      // Reports an error without stopping the caller (the turn goes on).
      reportError: function (e) {
        native.reportError(StringCtor(e), (e && e.stack) || new ErrorCtor().stack || '');
      },
    },
    loadApp: function () {
      const entry = scriptOf('app');
      if (native.hasModule(entry)) loadModule(entry);
      if (!app) app = {};
    },
    callApp: callApp,
    loadPage: loadPage,
    createPage: createPage,
    callPage: callPage,
    fireTimer: fireTimer,
    runTicks: runTicks,
    hasTicks: function () {
      return ticks.length > 0;
    },
    // Forwards an error to App.onError (https://developers.weixin.qq.com/miniprogram/dev/reference/api/App.html).
    appError: function (message) {
      if (app && typeof app.onError === 'function') ReflectApply(app.onError, app, [message]);
    },
  };
})(globalThis);
