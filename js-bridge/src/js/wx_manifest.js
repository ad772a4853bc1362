// The capability manifest (wx_api.txt, from the seed API index by
// tools/wx-api/extract.py): every wx API name, each marked `works` or
// `unsupported`. Evaluated after every other script that fills `wx`.
//
// Invariants:
// - After this file every manifest name exists on `wx`.
// - An unsupported name fails the WeChat way, by its kind:
//   `*Sync` throws an Error whose message is "<name>:fail not supported";
//   `on*`/`off*` accept listeners that never fire; `create*`/`get*Manager`
//   style factories return an object whose methods fail the same way; any
//   other function calls `fail` then `complete` in a later tick with
//   `{errMsg: "<name>:fail not supported"}`, or rejects its Promise.
// - `wx.canIUse` answers true only for a name marked `works` (wx.js asks
//   `internals.wxApiWorks`); the test wx_manifest.rs checks every claim.
(function (global) {
  'use strict';
  const wx = global.wx;
  const internals = global.__cirrus.internals;
  const native = internals.wxNative;
  const queueTick = internals.queueTick;

  // name -> 'works' | 'unsupported'
  const manifest = Object.create(null);
  for (const line of String(native.apiManifest()).split('\n')) {
    if (line === '' || line.charAt(0) === '#') continue;
    const tab = line.indexOf('\t');
    if (tab > 0) manifest[line.slice(0, tab)] = line.slice(tab + 1).trim();
  }

  internals.wxApiWorks = function (name) {
    return manifest[name] === 'works';
  };
  internals.wxApiManifest = function () {
    return Object.assign({}, manifest);
  };

  const UNSUPPORTED = typeof Symbol === 'function' ? Symbol('cirrus.unsupported') : '__unsupported';

  function notSupported(name) {
    return { errMsg: name + ':fail not supported' };
  }

  function mark(value) {
    Object.defineProperty(value, UNSUPPORTED, { value: true });
    return value;
  }

  // fail + complete in a later tick, or a rejected Promise without callbacks.
  function failingCall(name) {
    return mark(function (options) {
      const result = notSupported(name);
      const o = options !== null && typeof options === 'object' ? options : null;
      const wantsCallbacks = o && (typeof o.success === 'function' || typeof o.fail === 'function' ||
        typeof o.complete === 'function');
      if (!wantsCallbacks) return Promise.reject(result);
      queueTick(function () {
        try {
          if (typeof o.fail === 'function') o.fail.call(o, result);
        } finally {
          if (typeof o.complete === 'function') o.complete.call(o, result);
        }
      });
      return undefined;
    });
  }

  function throwingCall(name) {
    return mark(function () {
      const error = new Error(name + ':fail not supported');
      error.errMsg = error.message;
      throw error;
    });
  }

  // Listeners are kept (so off* finds them) but the event never happens.
  const silentListeners = new Map();
  function listenerCall(name) {
    const event = name.replace(/^(on|off)/, '');
    const adding = name.slice(0, 2) === 'on';
    return mark(function (listener) {
      const list = silentListeners.get(event) || [];
      if (adding) {
        if (typeof listener === 'function') list.push(listener);
      } else if (typeof listener === 'function') {
        const at = list.indexOf(listener);
        if (at >= 0) list.splice(at, 1);
      } else {
        list.length = 0;
      }
      silentListeners.set(event, list);
    });
  }

  // An object whose every method fails like an unsupported API named
  // "<factory>.<method>" (on*/off* accept listeners silently). It is not
  // a thenable and serialises to {}.
  function unsupportedObject(name) {
    const methods = Object.create(null);
    return mark(new Proxy({}, {
      get: function (target, key) {
        if (key === UNSUPPORTED) return true;
        if (typeof key !== 'string' || key === 'then' || key === 'toJSON' || key === 'constructor') {
          return undefined;
        }
        if (!methods[key]) methods[key] = stubFor(name + '.' + key, key);
        return methods[key];
      },
    }));
  }

  function factoryCall(name) {
    return mark(function () {
      return unsupportedObject(name);
    });
  }

  // Names that stand for objects rather than functions (wx.router, wx.worklet).
  const OBJECT_NAMES = ['router', 'worklet'];

  function stubFor(name, key) {
    const last = key || name;
    if (/Sync$/.test(last)) return throwingCall(name);
    if (/^(on|off)[A-Z]/.test(last)) return listenerCall(last);
    if (/^create[A-Z]/.test(last) || /^get\w*(Manager|Context|Adapter)$/.test(last) ||
        last === 'getPerformance') {
      return factoryCall(name);
    }
    return failingCall(name);
  }

  for (const name of Object.keys(manifest)) {
    if (name in wx) continue;
    wx[name] = OBJECT_NAMES.indexOf(name) >= 0 ? unsupportedObject(name) : stubFor(name);
  }

  // For tests and tools: whether `value` is one of the stubs above.
  internals.isUnsupportedStub = function (value) {
    return (typeof value === 'function' || (value !== null && typeof value === 'object')) &&
      value[UNSUPPORTED] === true;
  };
})(globalThis);
