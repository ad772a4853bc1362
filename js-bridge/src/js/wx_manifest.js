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
// - Built-ins only through bootstrap.js's primordials (see its header).
(function (global) {
  'use strict';
  const wx = global.wx;
  const internals = global.__cirrus.internals;
  const native = internals.wxNative;
  const queueTick = internals.queueTick;
  const {
    ReflectApply, ObjectKeys, ObjectCreate, ObjectDefineProperty, ObjectAssign, ArrayPrototypeIndexOf,
    arrayRemove, StringCtor, StringPrototypeIndexOf, StringPrototypeSlice, StringPrototypeTrim,
    stringSplit, startsWith, endsWith, regExpTest, ErrorCtor, ProxyCtor, SymbolCtor, PromiseReject, SafeMap,
  } = internals.primordials;

  // name -> 'works' | 'unsupported'
  const manifest = ObjectCreate(null);
  const lines = stringSplit(StringCtor(native.apiManifest()), '\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line === '' || line[0] === '#') continue;
    const tab = StringPrototypeIndexOf(line, '\t');
    if (tab > 0) manifest[StringPrototypeSlice(line, 0, tab)] = StringPrototypeTrim(StringPrototypeSlice(line, tab + 1));
  }

  internals.wxApiWorks = function (name) {
    return manifest[name] === 'works';
  };
  internals.wxApiManifest = function () {
    return ObjectAssign({}, manifest);
  };

  const UNSUPPORTED = SymbolCtor('cirrus.unsupported');

  function notSupported(name) {
    return { errMsg: name + ':fail not supported' };
  }

  function mark(value) {
    ObjectDefineProperty(value, UNSUPPORTED, { __proto__: null, value: true });
    return value;
  }

  // fail + complete in a later tick, or a rejected Promise without callbacks.
  function failingCall(name) {
    return mark(function (options) {
      const result = notSupported(name);
      const o = options !== null && typeof options === 'object' ? options : null;
      const wantsCallbacks = o && (typeof o.success === 'function' || typeof o.fail === 'function' ||
        typeof o.complete === 'function');
      if (!wantsCallbacks) return PromiseReject(result);
      queueTick(function () {
        try {
          if (typeof o.fail === 'function') ReflectApply(o.fail, o, [result]);
        } finally {
          if (typeof o.complete === 'function') ReflectApply(o.complete, o, [result]);
        }
      });
      return undefined;
    });
  }

  function throwingCall(name) {
    return mark(function () {
      const error = new ErrorCtor(name + ':fail not supported');
      error.errMsg = error.message;
      throw error;
    });
  }

  // Listeners are kept (so off* finds them) but the event never happens.
  const silentListeners = new SafeMap();
  function listenerCall(name) {
    const adding = startsWith(name, 'on');
    const event = StringPrototypeSlice(name, adding ? 2 : 3);
    return mark(function (listener) {
      const list = silentListeners.get(event) || [];
      if (adding) {
        if (typeof listener === 'function') list[list.length] = listener;
      } else if (typeof listener === 'function') {
        arrayRemove(list, listener);
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
    const methods = ObjectCreate(null);
    return mark(new ProxyCtor({}, {
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
    if (endsWith(last, 'Sync')) return throwingCall(name);
    if (regExpTest(/^(on|off)[A-Z]/, last)) return listenerCall(last);
    if (regExpTest(/^create[A-Z]/, last) || regExpTest(/^get\w*(Manager|Context|Adapter)$/, last) ||
        last === 'getPerformance') {
      return factoryCall(name);
    }
    return failingCall(name);
  }

  const names = ObjectKeys(manifest);
  for (let i = 0; i < names.length; i++) {
    const name = names[i];
    if (name in wx) continue;
    wx[name] = ArrayPrototypeIndexOf(OBJECT_NAMES, name) >= 0 ? unsupportedObject(name) : stubFor(name);
  }

  // For tests and tools: whether `value` is one of the stubs above.
  internals.isUnsupportedStub = function (value) {
    return (typeof value === 'function' || (value !== null && typeof value === 'object')) &&
      value[UNSUPPORTED] === true;
  };
})(globalThis);
