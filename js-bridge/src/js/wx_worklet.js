// wx.worklet on the JS thread, and `applyAnimatedStyle` /
// `clearAnimatedStyle` of pages and components (SPEC §4.5). Evaluated
// after wx.js; Rust through `internals.wxNative` (src/wx/mod.rs).
//
// What runs where: worklets run on the UI thread, in the render thread's
// own context (cirrus_engine::worklet::runtime). This file sends them
// there as JSON with markers, the contract of that runtime:
// - a worklet (a function the load-time transform marked: `__worklet`,
//   `__closure(receiver)`, `__workletSource`, `__workletHash`,
//   `__location`) becomes `{__cirrusWorklet: {hash, source, location,
//   closure}}`, its captures read now, at dispatch, and copied;
// - a shared value becomes `{__cirrusShared: id}`;
// - a wx.worklet built-in (`timing`, `Easing.linear`...) becomes
//   `{__cirrusBuiltin: name}`; an animation or easing made here
//   (`timing(100)`, `Easing.bezier(...)`) becomes `{__cirrusAnimation:
//   {name, args}}`, built there;
// - any other function becomes `{__cirrusRemote: {id, name}}`: the UI thread
//   can only call it through `runOnJS`, which comes back here.
// A value that cannot be copied (a Map, a Date, a class instance, a cycle)
// is an error naming the capture and the worklet's location.
//
// Invariants:
// - A shared value's `.value` read here is the mirror: what this thread
//   set, or what the UI thread reported at its last frame
//   (`worklet.sharedFromUi`, called by logic.rs).
// - Built-ins only through bootstrap.js's primordials (see its header).
(function (global) {
  'use strict';
  const wx = global.wx;
  const cirrus = global.__cirrus;
  const internals = cirrus.internals;
  const native = internals.wxNative;
  const queueTick = internals.queueTick;
  const reportError = internals.reportError;
  const animations = global.__cirrusAnimations;
  const {
    ReflectApply, ObjectKeys, ObjectDefineProperty, ObjectFreeze, ArrayIsArray, hasOwn,
    StringCtor, StringPrototypeSlice, JSONStringify, TypeErrorCtor, SafeMap,
  } = internals.primordials;
  const ObjectGetPrototypeOf = Object.getPrototypeOf;
  const ObjectPrototype = Object.prototype;
  const ArrayPrototype = Array.prototype;

  // How deep a copied value may nest.
  const MAX_DEPTH = 64;

  // ---- shared values -----------------------------------------------------
  let nextShared = 1;
  // id -> the value this thread last saw.
  const mirror = new SafeMap();
  const sharedObjects = new SafeMap();

  class SharedValue {
    constructor(id) {
      ObjectDefineProperty(this, '_id', { value: id });
    }
    get value() {
      return mirror.get(this._id);
    }
    set value(v) {
      setShared(this._id, v);
    }
  }
  ObjectFreeze(SharedValue.prototype);

  function sharedOf(id) {
    let value = sharedObjects.get(id);
    if (!value) {
      value = new SharedValue(id);
      sharedObjects.set(id, value);
    }
    return value;
  }

  function setShared(id, v) {
    const json = toWire(v, 'value', null);
    // An animation moves on the UI thread, which reports the values.
    if (!isAnimationRequest(v)) mirror.set(id, fromWire(json));
    native.workletShared(id, JSONStringify(json));
  }

  // ---- built-ins and requests made on this thread ------------------------
  const BUILTIN = '__cirrusBuiltin';
  const REQUEST = '__cirrusRequest';

  function tagBuiltin(fn, name) {
    ObjectDefineProperty(fn, BUILTIN, { value: name });
    return fn;
  }

  // `timing(...)` here is a request the UI thread fulfils: a callable
  // (easings are called) that also travels as `{name, args}`.
  function request(name, args, run) {
    const made = function () {
      return ReflectApply(run, undefined, arguments);
    };
    ObjectDefineProperty(made, REQUEST, { value: { name: name, args: args } });
    return made;
  }

  function isAnimationRequest(v) {
    return typeof v === 'function' && v[REQUEST] !== undefined &&
      (v[REQUEST].name === 'timing' || v[REQUEST].name === 'spring' ||
        v[REQUEST].name === 'decay' || v[REQUEST].name === 'sequence' ||
        v[REQUEST].name === 'repeat' || v[REQUEST].name === 'delay');
  }

  function copyArgs(args) {
    const out = [];
    for (let i = 0; i < args.length; i++) out[i] = args[i];
    return out;
  }

  function animationMaker(name) {
    return tagBuiltin(function () {
      const args = copyArgs(arguments);
      return request(name, args, function () {
        throw new TypeErrorCtor('wx.worklet.' + name + '() makes an animation: assign it to a shared value');
      });
    }, name);
  }

  // Easing: the real functions (the UI thread's library, evaluated here
  // too), tagged so that a captured easing travels by name.
  const Easing = {};
  const easingNames = ObjectKeys(animations.Easing);
  for (let i = 0; i < easingNames.length; i++) {
    const name = easingNames[i];
    const original = animations.Easing[name];
    if (typeof original !== 'function') continue;
    if (name === 'linear' || name === 'ease' || name === 'quad' || name === 'cubic' ||
        name === 'sin' || name === 'circle' || name === 'exp' || name === 'bounce') {
      Easing[name] = tagBuiltin(function (t) {
        return original(t);
      }, 'Easing.' + name);
    } else {
      // A factory (`poly(n)`, `bezier(...)`, `in(easing)`): what it makes is
      // rebuilt there from the same arguments.
      Easing[name] = tagBuiltin(function () {
        const args = copyArgs(arguments);
        const made = ReflectApply(original, undefined, unwrapEasings(args));
        const easing = request('Easing.' + name, args, function (t) {
          return typeof made === 'function' ? made(t) : made.factory()(t);
        });
        ObjectDefineProperty(easing, 'factory', {
          value: function () {
            return easing;
          },
        });
        return easing;
      }, 'Easing.' + name);
    }
  }
  tagBuiltin(Easing, 'Easing');
  ObjectFreeze(Easing);

  // Easings handed to the library's factories here must be its own.
  function unwrapEasings(args) {
    const out = [];
    for (let i = 0; i < args.length; i++) {
      const a = args[i];
      out[i] = typeof a === 'function' && a[BUILTIN] !== undefined
        ? animations.Easing[StringPrototypeSlice(StringCtor(a[BUILTIN]), 7)] || a
        : a;
    }
    return out;
  }

  // ---- functions the UI thread may call back (runOnJS) --------------------
  let nextRemote = 1;
  const remoteIds = new SafeMap();
  const remotes = new SafeMap();

  function remoteOf(fn, name) {
    let id = remoteIds.get(fn);
    if (id === undefined) {
      id = nextRemote++;
      remoteIds.set(fn, id);
      remotes.set(id, fn);
    }
    return { __cirrusRemote: { id: id, name: name } };
  }

  // ---- copying values to the UI thread -----------------------------------
  // `where` names the value for errors (`offset`, `config.spring`...);
  // `worklet` is the location of the worklet that captured it.
  function toWire(value, where, worklet, depth, seen) {
    const level = depth || 0;
    if (level > MAX_DEPTH) fail(where, worklet, 'nests more than ' + MAX_DEPTH + ' levels');
    if (value === null || value === undefined) return null;
    const type = typeof value;
    if (type === 'number' || type === 'string' || type === 'boolean') return value;
    if (type === 'bigint' || type === 'symbol') fail(where, worklet, 'is a ' + type);
    if (value instanceof SharedValue) return { __cirrusShared: value._id };
    if (value[BUILTIN] !== undefined) return { __cirrusBuiltin: value[BUILTIN] };
    if (type === 'function') return functionToWire(value, where, worklet, level, seen);
    const visiting = seen || [];
    for (let i = 0; i < visiting.length; i++) {
      if (visiting[i] === value) fail(where, worklet, 'refers to itself');
    }
    visiting[visiting.length] = value;
    let out;
    if (ArrayIsArray(value)) {
      out = [];
      for (let i = 0; i < value.length; i++) {
        out[i] = toWire(value[i], where + '[' + i + ']', worklet, level + 1, visiting);
      }
    } else {
      const proto = ObjectGetPrototypeOf(value);
      if (proto !== ObjectPrototype && proto !== null && proto !== ArrayPrototype) {
        fail(where, worklet, 'is not a plain object or array');
      }
      out = {};
      const keys = ObjectKeys(value);
      for (let i = 0; i < keys.length; i++) {
        out[keys[i]] = toWire(value[keys[i]], where + '.' + keys[i], worklet, level + 1, visiting);
      }
    }
    visiting.length = visiting.length - 1;
    return out;
  }

  function functionToWire(fn, where, worklet, level, seen) {
    if (fn[BUILTIN] !== undefined) return { __cirrusBuiltin: fn[BUILTIN] };
    if (fn[REQUEST] !== undefined) {
      const made = fn[REQUEST];
      return {
        __cirrusAnimation: {
          name: made.name,
          args: toWire(made.args, where, worklet, level + 1, seen),
        },
      };
    }
    if (fn.__worklet === true) return workletToWire(fn, undefined, level, seen);
    return remoteOf(fn, where);
  }

  function workletToWire(fn, receiver, level, seen) {
    const location = StringCtor(fn.__location);
    let closure;
    try {
      closure = ReflectApply(fn.__closure, fn, [receiver]);
    } catch (e) {
      throw new TypeErrorCtor('the worklet at ' + location + ' cannot read what it captures: ' +
        StringCtor(e && e.message !== undefined ? e.message : e));
    }
    const visiting = seen || [];
    // A worklet that reaches itself is sent once (a recursive worklet
    // calls itself by name inside its own source).
    for (let i = 0; i < visiting.length; i++) {
      if (visiting[i] === fn) return null;
    }
    visiting[visiting.length] = fn;
    const wire = {};
    const names = ObjectKeys(closure || {});
    for (let i = 0; i < names.length; i++) {
      wire[names[i]] = toWire(closure[names[i]], names[i], location, (level || 0) + 1, visiting);
    }
    visiting.length = visiting.length - 1;
    return {
      __cirrusWorklet: {
        hash: fn.__workletHash,
        source: fn.__workletSource,
        location: location,
        closure: wire,
      },
    };
  }

  function fail(where, worklet, why) {
    const by = worklet ? ' (captured by the worklet at ' + worklet + ')' : '';
    throw new TypeErrorCtor('"' + where + '"' + by + ' cannot be copied to the UI thread: it ' + why +
      '. Use a shared value, plain data, or call JS-thread functions through runOnJS');
  }

  function requireWorklet(fn, api) {
    if (typeof fn !== 'function' || fn.__worklet !== true) {
      throw new TypeErrorCtor(api + ' takes a worklet: a function whose body starts with \'worklet\'');
    }
  }

  // What came back from the UI thread: shared values as objects here.
  function fromWire(value) {
    if (value === null || typeof value !== 'object') return value;
    if (ArrayIsArray(value)) {
      const out = [];
      for (let i = 0; i < value.length; i++) out[i] = fromWire(value[i]);
      return out;
    }
    if (typeof value.__cirrusShared === 'number') return sharedOf(value.__cirrusShared);
    const out = {};
    const keys = ObjectKeys(value);
    for (let i = 0; i < keys.length; i++) out[keys[i]] = fromWire(value[keys[i]]);
    return out;
  }

  // ---- wx.worklet --------------------------------------------------------
  const worklet = {
    shared: tagBuiltin(function (initial) {
      const id = nextShared++;
      setShared(id, initial);
      return sharedOf(id);
    }, 'shared'),
    derived: tagBuiltin(function (updater) {
      requireWorklet(updater, 'wx.worklet.derived');
      const id = nextShared++;
      native.workletDerived(id, JSONStringify(workletToWire(updater, undefined)));
      return sharedOf(id);
    }, 'derived'),
    runOnUI: tagBuiltin(function (fn) {
      requireWorklet(fn, 'wx.worklet.runOnUI');
      return function () {
        const args = toWire(copyArgs(arguments), 'arguments', StringCtor(fn.__location));
        native.workletRunOnUi(JSONStringify(workletToWire(fn, undefined)), JSONStringify(args));
      };
    }, 'runOnUI'),
    // On the JS thread already: the call is made in a later tick, as from
    // the UI thread.
    runOnJS: tagBuiltin(function (fn) {
      return function () {
        const args = copyArgs(arguments);
        const self = this;
        queueTick(function () {
          ReflectApply(fn, self, args);
        });
      };
    }, 'runOnJS'),
    timing: animationMaker('timing'),
    spring: animationMaker('spring'),
    decay: animationMaker('decay'),
    sequence: animationMaker('sequence'),
    repeat: animationMaker('repeat'),
    delay: animationMaker('delay'),
    cancelAnimation: tagBuiltin(function (sv) {
      // The UI thread cancels; a plain assignment of the mirrored value
      // does the same there (Reanimated's `sv.value = sv.value`).
      if (sv instanceof SharedValue) setShared(sv._id, mirror.get(sv._id));
    }, 'cancelAnimation'),
    Easing: Easing,
  };
  ObjectFreeze(worklet);
  wx.worklet = worklet;

  // ---- applyAnimatedStyle / clearAnimatedStyle ----------------------------
  let nextStyle = 1;
  // "page:scope:selector" -> style ids bound by it.
  const bound = new SafeMap();

  const pageOf = internals.ownerPage;
  const scopeOf = internals.ownerScope;

  const ownerMethods = {
    // applyAnimatedStyle(selector, updater, config?, callback?): the nodes
    // `selector` matches in this page or component take the style object
    // the updater returns, on the UI thread, whenever a shared value it
    // read changes. `callback({styleId})` once bound.
    applyAnimatedStyle: function (selector, updater, config, callback) {
      requireWorklet(updater, 'applyAnimatedStyle');
      const options = config !== null && typeof config === 'object' ? config : {};
      const id = nextStyle++;
      const page = pageOf(this);
      const scope = scopeOf(this);
      const key = page + ':' + scope + ':' + StringCtor(selector);
      const ids = bound.get(key) || [];
      ids[ids.length] = id;
      bound.set(key, ids);
      native.workletApplyStyle(page, scope, StringCtor(selector), id,
        JSONStringify(workletToWire(updater, this)), options.immediate !== false);
      if (typeof callback === 'function') {
        const owner = this;
        queueTick(function () {
          ReflectApply(callback, owner, [{ styleId: id }]);
        });
      }
    },
    // clearAnimatedStyle(selector, styleIds?, callback?): ends the bindings
    // (all of `selector`'s without ids) and the nodes lose their styles.
    clearAnimatedStyle: function (selector, styleIds, callback) {
      const page = pageOf(this);
      const key = page + ':' + scopeOf(this) + ':' + StringCtor(selector);
      const ids = bound.get(key) || [];
      const only = ArrayIsArray(styleIds) ? styleIds : null;
      const kept = [];
      for (let i = 0; i < ids.length; i++) {
        let clear = only === null;
        for (let j = 0; only !== null && j < only.length; j++) {
          if (only[j] === ids[i]) clear = true;
        }
        if (clear) native.workletClearStyle(page, ids[i]);
        else kept[kept.length] = ids[i];
      }
      bound.set(key, kept);
      const done = typeof styleIds === 'function' ? styleIds : callback;
      if (typeof done === 'function') {
        const owner = this;
        queueTick(function () {
          ReflectApply(done, owner, []);
        });
      }
    },
  };
  const protos = [internals.pageProto, internals.componentProto];
  const ownerNames = ObjectKeys(ownerMethods);
  for (let p = 0; p < protos.length; p++) {
    if (!protos[p]) continue;
    for (let i = 0; i < ownerNames.length; i++) {
      if (!hasOwn(protos[p], ownerNames[i])) protos[p][ownerNames[i]] = ownerMethods[ownerNames[i]];
    }
  }

  // ---- what logic.rs calls -----------------------------------------------
  cirrus.worklet = ObjectFreeze({
    // [[id, value], ...] written on the UI thread at its last frame.
    sharedFromUi: function (pairs) {
      for (let i = 0; i < pairs.length; i++) mirror.set(pairs[i][0], fromWire(pairs[i][1]));
    },
    // [[page, node, event, method, owner], ...]: `worklet:EVENT="method"`
    // attributes set this turn; owner 0 is the page, else a component id.
    bindHandlers: function (list) {
      for (let i = 0; i < list.length; i++) {
        const entry = list[i];
        const owner = entry[4] === 0 ? internals.pageById(entry[0]) : internals.componentById(entry[4]);
        if (!owner) continue;
        const fn = owner[entry[3]];
        try {
          if (typeof fn !== 'function' || fn.__worklet !== true) {
            throw new TypeErrorCtor('worklet:' + entry[2] + '="' + entry[3] + '": "' + entry[3] +
              '" is not a worklet method of ' + StringCtor(owner.is || owner.route || 'this page') +
              ' (its body must start with \'worklet\')');
          }
          native.workletHandler(entry[0], entry[1], entry[2], JSONStringify(workletToWire(fn, owner)));
        } catch (e) {
          reportError(e);
        }
      }
    },
    // [id, args]: a worklet's runOnJS(f)(...args).
    runOnJs: function (call) {
      const fn = remotes.get(call[0]);
      if (typeof fn !== 'function') return;
      try {
        ReflectApply(fn, undefined, fromWire(call[1]));
      } catch (e) {
        reportError(e);
      }
    },
  });
})(globalThis);
