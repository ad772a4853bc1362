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
// - The built-ins the engine's data handling relies on are captured below,
//   before any app code runs, so an app that replaces `Object.keys`,
//   `JSON.stringify` or `Array.isArray` (or pollutes a prototype) cannot
//   change what setData applies or where. Data paths never walk through
//   `__proto__`, `constructor` or `prototype`, nor through inherited
//   properties (`setPath`).
(function (global) {
  'use strict';
  const native = global.__native;
  delete global.__native;

  // ---- built-ins, captured before app code runs --------------------------
  const objectKeys = Object.keys;
  const objectCreate = Object.create;
  const defineProperty = Object.defineProperty;
  const isArray = Array.isArray;
  const jsonStringify = JSON.stringify;
  const jsonParse = JSON.parse;
  const reflectApply = Reflect.apply;
  const ErrorCtor = Error;
  const RangeErrorCtor = RangeError;
  const hasOwnProperty = Object.prototype.hasOwnProperty;
  function hasOwn(object, key) {
    return reflectApply(hasOwnProperty, object, [key]);
  }
  // Keys that would reach an object's prototype (Rust's data path parser
  // refuses them too; this is the JS side's own guard).
  function isPrototypeKey(key) {
    return key === '__proto__' || key === 'constructor' || key === 'prototype';
  }

  // ---- modules (CommonJS) ------------------------------------------------
  const modules = objectCreate(null);

  function dirname(path) {
    const slash = path.lastIndexOf('/');
    return slash < 0 ? '' : path.slice(0, slash);
  }

  // Files are transformed on the Rust side before they are wrapped (ES
  // modules and TypeScript become CommonJS bodies; see modules.rs), so
  // this loader only ever runs CommonJS.
  function makeRequire(fromPath) {
    function require(target) {
      const path = native.resolveModule(fromPath, String(target));
      if (path === null || path === undefined) {
        throw new Error('module "' + target + '" is not defined (required from ' + fromPath + ')');
      }
      return loadModule(path);
    }
    // require.async(path): a Promise of the module's exports, loaded in a
    // later microtask (and what `import()` is lowered to).
    require.async = function (target) {
      return Promise.resolve().then(function () {
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
      body.call(module.exports, makeRequire(path), module, module.exports, path, dirname(path));
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
    if (arg instanceof Error) return String(arg) + (arg.stack ? '\n' + arg.stack : '');
    if (typeof arg === 'function') return '[Function ' + (arg.name || 'anonymous') + ']';
    if (arg === undefined) return 'undefined';
    if (typeof arg === 'object' && arg !== null) {
      try {
        return jsonStringify(arg);
      } catch (e) {
        return String(arg);
      }
    }
    return String(arg);
  }

  function makeConsole() {
    const console = {};
    for (const level of ['log', 'info', 'warn', 'error', 'debug']) {
      console[level] = function () {
        native.log(level, Array.prototype.map.call(arguments, formatArg).join(' '));
      };
    }
    return console;
  }
  const console = makeConsole();

  // ---- ticks (wx.nextTick, setData callbacks) ----------------------------
  let ticks = [];

  function queueTick(fn, thisArg, args) {
    ticks.push({ fn: fn, thisArg: thisArg, args: args || [] });
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
        tick.fn.apply(tick.thisArg, tick.args);
      } catch (e) {
        ticks = batch.slice(i + 1).concat(ticks);
        throw e;
      }
    }
    return ticks.length > 0;
  }

  // ---- timers ------------------------------------------------------------
  const timers = new Map();
  let lastTimerId = 0;

  function addTimer(fn, delay, args, repeat) {
    if (typeof fn !== 'function') {
      throw new TypeError((repeat ? 'setInterval' : 'setTimeout') + ' expects a function');
    }
    const id = ++lastTimerId;
    timers.set(id, { fn: fn, args: args, repeat: repeat });
    native.setTimer(id, Number(delay) || 0, repeat);
    return id;
  }

  function clearTimer(id) {
    if (timers.delete(id)) native.clearTimer(id);
  }

  function fireTimer(id) {
    const timer = timers.get(id);
    if (!timer) return;
    if (!timer.repeat) timers.delete(id);
    timer.fn.apply(undefined, timer.args);
  }

  // ---- App ---------------------------------------------------------------
  let app;
  let appRegistered = false;

  function App(definition) {
    if (appRegistered) {
      throw new Error('App() may be called only once');
    }
    appRegistered = true;
    const instance = {};
    const def = definition || {};
    // Unlike Page() fields, App() fields are not copied: globalData often
    // holds live objects (stores, class instances) shared by every page.
    for (const key of objectKeys(def)) instance[key] = def[key];
    app = instance;
  }

  function getApp() {
    return app;
  }

  function callApp(name, arg) {
    if (!app) app = {}; // an app.js without App(): lifecycles are no-ops
    if (typeof app[name] === 'function') app[name](arg);
  }

  // ---- Page --------------------------------------------------------------
  const pageDefinitions = objectCreate(null);
  let registeringRoute = null;
  const pageStack = [];
  const pagesById = new Map();

  function Page(definition) {
    if (registeringRoute === null) {
      throw new Error('Page() must be called while a page\'s own .js file is loading');
    }
    if (pageDefinitions[registeringRoute]) {
      throw new Error('Page() was called twice for ' + registeringRoute);
    }
    pageDefinitions[registeringRoute] = definition || {};
  }

  function getCurrentPages() {
    return pageStack.slice();
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
      defineProperty(target, key, { value: value, writable: true, enumerable: true, configurable: true });
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
            ' (' + String(e) + '); it was not applied',
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

  const pageProto = {
    setData: function (updates, callback) {
      if (updates === null || typeof updates !== 'object') {
        throw new TypeError('setData expects an object');
      }
      const encoded = encodeUpdates(updates);
      if (encoded.bytes > SET_DATA_WARN_BYTES) {
        console.warn('setData on ' + this.route + ' sent ' + encoded.bytes +
          ' bytes, over the 1024 kB limit: it is applied, but send only the changed paths');
      }
      // Rust parses the keys (one parser for both sides) and returns their
      // segments; the keys travel as JSON so that any JS string arrives.
      const reply = jsonParse(native.setData(this.__pageId__, jsonStringify(encoded.keys), encoded.texts));
      applyReply(this.data, reply, encoded.texts, encoded.keys);
      if (hooks.afterPageSetData) hooks.afterPageSetData(this);
      if (typeof callback === 'function') queueTick(callback, this, []);
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
    for (const key of objectKeys(def)) {
      if (key === 'data') continue;
      const value = def[key];
      page[key] = typeof value === 'function' ? value : copyField(value);
    }
    page.data = copyJson(def.data) || {};
    if (page.data === null || typeof page.data !== 'object') page.data = {};
    page.route = route;
    page.options = query;
    defineProperty(page, '__pageId__', { value: pageId, enumerable: false });
    pageStack.push(page);
    pagesById.set(pageId, page);
    return jsonStringify(page.data);
  }

  function callPage(pageId, name, arg) {
    const page = pagesById.get(pageId);
    if (page && typeof page[name] === 'function') page[name](arg);
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
    console: console,
    setTimeout: function (fn, delay) {
      return addTimer(fn, delay, Array.prototype.slice.call(arguments, 2), false);
    },
    setInterval: function (fn, delay) {
      return addTimer(fn, delay, Array.prototype.slice.call(arguments, 2), true);
    },
    clearTimeout: clearTimer,
    clearInterval: clearTimer,
    // The WeChat runtime's `global`: app code writes `global.x = ...`
    // before App() to share state between modules.
    global: global,
    // Plugins are not shipped in a package; WeChat throws the same way
    // when a plugin is not declared in app.json `plugins`.
    requirePlugin: function (name) {
      throw new Error('requirePlugin: plugin "' + name + '" is not available (plugins are not supported by Cirrus)');
    },
  };
  for (const name of objectKeys(globals)) global[name] = globals[name];

  global.__cirrus = {
    // For the framework scripts evaluated after this one (component.js).
    internals: {
      hooks: hooks,
      loadModule: loadModule,
      scriptOf: scriptOf,
      queueTick: queueTick,
      pagesById: pagesById,
      pageStack: pageStack, // router.js keeps it equal to the page stack
      pageProto: pageProto,
      setPath: setPath,
      encodeUpdates: encodeUpdates,
      applyReply: applyReply,
      reportRefusal: reportRefusal,
      isPrototypeKey: isPrototypeKey,
      hasOwn: hasOwn,
      copyJson: copyJson,
      console: console,
      currentRoute: function () { return registeringRoute; },
      definePage: function (route, def) { pageDefinitions[route] = def; },
      // Reports an error without stopping the caller (the turn goes on).
      reportError: function (e) {
        native.reportError(String(e), (e && e.stack) || new Error().stack || '');
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
      if (app && typeof app.onError === 'function') app.onError(message);
    },
  };
})(globalThis);
