// The test runner's stand-in for the runtime, evaluated in both QuickJS
// contexts: the JS thread's (modules, Page/Component, dispatch) and a fresh
// one for the UI thread (rebuilding worklets from what was dispatched).
// It consumes the transform's output contract (see src/worklet/mod.rs) the
// way the engine's runtime is meant to.

var console = typeof console === 'object' ? console : { log: function () {}, warn: function () {} };

// wx.worklet's functions, the same code on both threads: a captured one
// travels as its name (the runtime maps its own functions the same way).
function __hostFunctions() {
  return {
    shared: function (value) {
      var cell = { value: value };
      Object.defineProperty(cell, '__shared', { value: true });
      return cell;
    },
    timing: function (to, options) {
      return { type: 'timing', to: to, duration: options && options.duration !== undefined ? options.duration : 300 };
    },
    spring: function (to, options) {
      return { type: 'spring', to: to, stiffness: options && options.stiffness !== undefined ? options.stiffness : 100 };
    },
    runOnJS: function (fn) {
      return function () {
        __log.push([fn.name, Array.prototype.slice.call(arguments)]);
      };
    },
  };
}

var __log = [];
var __hosts = __hostFunctions();
Object.keys(__hosts).forEach(function (name) {
  Object.defineProperty(__hosts[name], '__host', { value: name });
});
var wx = { worklet: __hosts, vibrateShort: function () {} };

// --- JS thread: modules, pages and components -----------------------------

var __definitions = {};
var __modules = {};
var __loaded = {};

function __define(specifier, body) {
  __modules[specifier] = body;
}

function __require(specifier) {
  if (__loaded[specifier]) return __loaded[specifier].exports;
  var body = __modules[specifier];
  if (!body) throw new Error('no module ' + specifier);
  var module = { exports: {} };
  __loaded[specifier] = module;
  body.call(module.exports, __require, module, module.exports);
  return module.exports;
}

function Page(definition) {
  __definitions.page = definition;
}

function Component(definition) {
  __definitions.component = definition;
}

// An instance the way the framework makes one: methods shared by every
// instance of the definition, data copied.
function __instance(kind) {
  var definition = __definitions[kind];
  if (!definition) return undefined;
  var instance = {};
  var data = JSON.parse(JSON.stringify(definition.data || {}));
  var copy = function (from) {
    Object.keys(from || {}).forEach(function (key) {
      if (typeof from[key] === 'function') instance[key] = from[key];
    });
  };
  if (kind === 'component') {
    var properties = definition.properties || {};
    Object.keys(properties).forEach(function (key) {
      data[key] = properties[key] && typeof properties[key] === 'object' ? properties[key].value : undefined;
    });
    copy(definition.methods);
    copy(definition.lifetimes);
  } else {
    copy(definition);
  }
  instance.data = data;
  instance.setData = function (patch) {
    for (var key in patch) this.data[key] = patch[key];
  };
  instance.__styles = {};
  instance.applyAnimatedStyle = function (selector, updater) {
    this.__styles[selector] = updater;
  };
  return instance;
}

// --- dispatch: what crosses from the JS thread to the UI thread -----------

function __pack(value, depth) {
  if (depth > 32) throw new Error('capture too deep');
  if (value === undefined) return { t: 'u' };
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return { t: 'v', v: value };
  if (typeof value === 'number') return isFinite(value) ? { t: 'v', v: value } : { t: 'n', v: String(value) };
  if (typeof value === 'function') {
    if (value.__worklet === true) {
      // Worklets inside a capture are already bound where they need it.
      return { t: 'w', source: value.__workletSource, closure: __pack(value.__closure(), depth + 1) };
    }
    if (value.__host) return { t: 'h', name: value.__host };
    return { t: 'f', name: value.name };
  }
  if (value.__shared === true) return { t: 's', value: __pack(value.value, depth + 1) };
  if (Array.isArray(value)) {
    return { t: 'a', items: value.map(function (item) { return __pack(item, depth + 1); }) };
  }
  var properties = {};
  Object.keys(value).forEach(function (key) {
    properties[key] = __pack(value[key], depth + 1);
  });
  return { t: 'o', properties: properties };
}

function __dispatch(worklet, receiver) {
  if (typeof worklet !== 'function' || worklet.__worklet !== true) throw new Error('not a worklet');
  return JSON.stringify({
    t: 'w',
    source: worklet.__workletSource,
    closure: __pack(worklet.__closure(receiver), 0),
  });
}

// --- UI thread: rebuilding ------------------------------------------------

function __unpack(packed) {
  switch (packed.t) {
    case 'u':
      return undefined;
    case 'v':
      return packed.v;
    case 'n':
      return Number(packed.v);
    case 'w':
      return (0, eval)(packed.source)(__unpack(packed.closure));
    case 'h':
      return __hosts[packed.name];
    case 'f': {
      var stub = function () {
        throw new Error('a JS-thread function was called on the UI thread');
      };
      Object.defineProperty(stub, 'name', { value: packed.name });
      return stub;
    }
    case 's':
      return { value: __unpack(packed.value) };
    case 'a':
      return Object.freeze(packed.items.map(__unpack));
    case 'o': {
      var object = {};
      Object.keys(packed.properties).forEach(function (key) {
        object[key] = __unpack(packed.properties[key]);
      });
      return Object.freeze(object);
    }
  }
  throw new Error('unknown packed value ' + packed.t);
}

function __show(value) {
  if (typeof value === 'function') return '"[function]"';
  if (value === undefined) return 'undefined';
  return JSON.stringify(value);
}
