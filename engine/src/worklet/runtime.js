// The UI context's half of the worklet runtime (see runtime.rs): shared
// values, worklets rebuilt from what the logic thread sent, mappers (the
// updaters of animated styles and `derived`), UI timers and `runOnJS`.
//
// Invariants:
// - Values arrive as JSON with markers (runtime.rs lists them) and are
//   materialised here: a marker becomes a shared value, a rebuilt worklet,
//   a built-in of `wx.worklet`, an animation, or a stub of a JS-thread
//   function that only `runOnJS` can call. Captured objects are frozen,
//   as WeChat documents.
// - Every write of a shared value on this thread, by a worklet or by a
//   running animation, is recorded in `written` and leaves with the next
//   `frame` (to the logic thread's mirror, and to the mappers reading it).
// - A holder (the cell the animation driver writes) is separate from the
//   `SharedValue` object worklets see, so the driver's writes never route
//   back into `animateTo`.
// - Nothing here blocks: the Rust side bounds every call by the frame's
//   budget (QuickJS's interrupt handler).
(function (global) {
  'use strict';
  const animations = global.__cirrusAnimations;
  const compile = global.__cirrusCompile;
  delete global.__cirrusCompile;

  let now = 0;
  // id -> holder { id, current }: what the animation driver reads and writes.
  const holders = new Map();
  // id -> the SharedValue object worklets hold.
  const shared = new Map();
  // Ids written on this thread since the last frame, in order (they go to
  // the logic thread and to the mappers that read them).
  let written = new Set();
  // Ids the logic thread set since the last frame (mappers only: the
  // logic thread has them already).
  let setByLogic = new Set();
  // Ids read while a mapper runs (its dependencies), or null.
  let tracking = null;

  function holderOf(id) {
    let holder = holders.get(id);
    if (!holder) {
      holder = {
        id: id,
        current: undefined,
        get value() {
          return this.current;
        },
        set value(v) {
          this.current = v;
          written.add(this.id);
        },
      };
      holders.set(id, holder);
    }
    return holder;
  }

  class SharedValue {
    constructor(id) {
      Object.defineProperty(this, '_id', { value: id });
    }
    get value() {
      if (tracking) tracking.add(this._id);
      return holderOf(this._id).current;
    }
    set value(v) {
      assign(this._id, v);
    }
  }
  Object.freeze(SharedValue.prototype);

  function sharedOf(id) {
    let value = shared.get(id);
    if (!value) {
      value = new SharedValue(id);
      shared.set(id, value);
    }
    return value;
  }

  // A new value (or animation) for shared value `id`, from either thread.
  function assign(id, v) {
    const holder = holderOf(id);
    if (animations.isAnimation(v)) {
      animations.animateTo(holder, v, now);
    } else {
      // A plain assignment ends a running animation (callback(false)).
      if (animations.isAnimating(holder)) animations.cancel(holder);
      holder.value = v;
    }
  }

  // ---- materialising what the logic thread sent -------------------------
  const builtins = {
    timing: animations.timing,
    spring: animations.spring,
    decay: animations.decay,
    sequence: animations.sequence,
    repeat: animations.repeat,
    delay: animations.delay,
    cancelAnimation: animations.cancelAnimation,
    Easing: animations.Easing,
    runOnJS: runOnJS,
    // On the UI thread, a worklet calls another synchronously.
    runOnUI: function (fn) {
      return fn;
    },
  };

  // `timing`, `Easing`, `Easing.linear`: a built-in of wx.worklet by name.
  function builtin(name) {
    const path = name.split('.');
    let found = builtins;
    for (let i = 0; i < path.length; i++) {
      if (found === null || typeof found !== 'object' && typeof found !== 'function' ||
          !Object.prototype.hasOwnProperty.call(found, path[i])) {
        throw new TypeError('wx.worklet.' + name + ' is not available on the UI thread');
      }
      found = found[path[i]];
    }
    return found;
  }

  // hash -> factory(closure) -> function
  const factories = new Map();

  function buildWorklet(payload) {
    let factory = factories.get(payload.hash);
    if (!factory) {
      factory = compile(payload.source, payload.location);
      factories.set(payload.hash, factory);
    }
    const closure = materialise(payload.closure);
    const fn = factory(closure);
    Object.defineProperty(fn, '__worklet', { value: true });
    return fn;
  }

  // A JS-thread function a worklet captured: only runOnJS may call it.
  function remoteStub(remote) {
    const stub = function () {
      throw new TypeError(
        '"' + remote.name + '" is a function of the JS thread: call it through runOnJS(' +
          remote.name + ')(...)'
      );
    };
    Object.defineProperty(stub, '__remote', { value: remote });
    return Object.freeze(stub);
  }

  function materialise(value) {
    if (value === null || typeof value !== 'object') return value;
    if (Array.isArray(value)) {
      const out = [];
      for (let i = 0; i < value.length; i++) out.push(materialise(value[i]));
      return Object.freeze(out);
    }
    if (typeof value.__cirrusShared === 'number') return sharedOf(value.__cirrusShared);
    if (value.__cirrusWorklet) return buildWorklet(value.__cirrusWorklet);
    if (value.__cirrusRemote) return remoteStub(value.__cirrusRemote);
    if (typeof value.__cirrusBuiltin === 'string') return builtin(value.__cirrusBuiltin);
    if (value.__cirrusAnimation) {
      // An animation or an easing the JS thread asked for: made here.
      const name = String(value.__cirrusAnimation.name);
      const make = builtin(name);
      if (typeof make !== 'function' || name === 'runOnJS' || name === 'runOnUI') {
        throw new TypeError('unknown animation "' + name + '"');
      }
      return make.apply(undefined, materialise(value.__cirrusAnimation.args || []));
    }
    const out = {};
    const keys = Object.keys(value);
    for (let i = 0; i < keys.length; i++) out[keys[i]] = materialise(value[keys[i]]);
    return Object.freeze(out);
  }

  // The opposite direction: a UI value as JSON for the logic thread.
  function dematerialise(value, depth) {
    if (depth > 64) throw new RangeError('value nested too deeply to send to the JS thread');
    if (value === null || typeof value !== 'object') {
      return typeof value === 'function' ? undefined : value;
    }
    if (value instanceof SharedValue) return { __cirrusShared: value._id };
    if (Array.isArray(value)) {
      const out = [];
      for (let i = 0; i < value.length; i++) out.push(dematerialise(value[i], depth + 1));
      return out;
    }
    const out = {};
    const keys = Object.keys(value);
    for (let i = 0; i < keys.length; i++) out[keys[i]] = dematerialise(value[keys[i]], depth + 1);
    return out;
  }

  // ---- runOnJS -----------------------------------------------------------
  // Calls queued for the logic thread: [remote id, JSON args].
  let jsCalls = [];
  function runOnJS(fn) {
    const remote = fn && fn.__remote;
    if (!remote) {
      throw new TypeError('runOnJS takes a function of the JS thread');
    }
    return function () {
      const args = [];
      for (let i = 0; i < arguments.length; i++) args.push(dematerialise(arguments[i], 0));
      jsCalls.push([remote.id, args]);
    };
  }

  // ---- UI timers ---------------------------------------------------------
  const timers = new Map();
  let nextTimer = 1;
  global.setTimeout = function (fn, ms) {
    const id = nextTimer++;
    const args = [];
    for (let i = 2; i < arguments.length; i++) args.push(arguments[i]);
    const delay = Number(ms) > 0 ? Number(ms) : 0;
    timers.set(id, { due: now + delay, fn: fn, args: args });
    return id;
  };
  global.clearTimeout = function (id) {
    timers.delete(id);
  };

  function runDueTimers() {
    // Timers set by a timer wait for the next frame.
    const due = [];
    timers.forEach(function (timer, id) {
      if (timer.due <= now) due.push([timer.due, id]);
    });
    due.sort(function (a, b) {
      return a[0] - b[0] || a[1] - b[1];
    });
    let first = null;
    for (let i = 0; i < due.length; i++) {
      const timer = timers.get(due[i][1]);
      if (!timer) continue;
      timers.delete(due[i][1]);
      try {
        if (typeof timer.fn === 'function') timer.fn.apply(undefined, timer.args);
      } catch (e) {
        if (first === null) first = e;
      }
    }
    if (first !== null) throw first;
  }

  // ---- mappers: animated-style updaters and derived values ---------------
  // id -> { fn, deps: Set, target: shared id or null, output }
  const mappers = new Map();

  function runMapper(mapper) {
    const saved = tracking;
    tracking = new Set();
    try {
      const output = mapper.fn();
      mapper.deps = tracking;
      if (mapper.target !== null) {
        assign(mapper.target, output);
      } else {
        mapper.output = output;
        mapper.changed = true;
      }
    } finally {
      tracking = saved;
    }
  }

  // ---- what runtime.rs calls ----------------------------------------------
  const ui = {
    setTime: function (ms) {
      now = ms;
    },
    // A value (JSON, possibly an animation) for shared value `id` from the
    // logic thread. Not echoed back: the logic thread already has it.
    setShared: function (id, json) {
      assign(id, materialise(JSON.parse(json)));
      if (!animations.isAnimating(holderOf(id))) written.delete(id);
      setByLogic.add(id);
    },
    // Runs a worklet with arguments (both JSON with markers).
    run: function (workletJson, argsJson) {
      const fn = materialise(JSON.parse(workletJson));
      const args = materialise(JSON.parse(argsJson));
      return fn.apply(undefined, args);
    },
    // Runs a worklet that answers (a gesture handler's
    // `should-accept-gesture`, a scroll-view's
    // `adjust-deceleration-velocity`): its result as JSON (`undefined` as
    // null).
    ask: function (workletJson, argsJson) {
      const fn = materialise(JSON.parse(workletJson));
      const args = materialise(JSON.parse(argsJson));
      const answer = JSON.stringify(fn.apply(undefined, args));
      return answer === undefined ? 'null' : answer;
    },
    // Registers a mapper: `workletJson` is re-run whenever a shared value
    // it read changes. With `target` (a shared id) its result is assigned
    // there (`derived`); without, it is an output for the engine (a style).
    addMapper: function (id, workletJson, target) {
      const mapper = {
        fn: materialise(JSON.parse(workletJson)),
        deps: new Set(),
        target: target === undefined || target === null ? null : target,
        output: undefined,
        changed: false,
      };
      mappers.set(id, mapper);
      runMapper(mapper);
    },
    removeMapper: function (id) {
      mappers.delete(id);
    },
    // One frame: due timers, animations, then the mappers whose inputs
    // changed (rounds, since a derived value feeds others; bounded).
    frame: function (ms) {
      now = ms;
      let first = null;
      try {
        runDueTimers();
      } catch (e) {
        first = e;
      }
      try {
        animations.frame(now);
      } catch (e) {
        if (first === null) first = e;
      }
      const seen = new Set();
      for (let round = 0; round < 16; round++) {
        const fresh = [];
        const collect = function (id) {
          if (!seen.has(id)) fresh.push(id);
        };
        setByLogic.forEach(collect);
        written.forEach(collect);
        if (fresh.length === 0) break;
        for (let i = 0; i < fresh.length; i++) seen.add(fresh[i]);
        mappers.forEach(function (mapper) {
          for (let i = 0; i < fresh.length; i++) {
            if (mapper.deps.has(fresh[i])) {
              try {
                runMapper(mapper);
              } catch (e) {
                if (first === null) first = e;
              }
              return;
            }
          }
        });
      }
      setByLogic = new Set();
      if (first !== null) throw first;
    },
    // What the frame produced, as one JSON text: shared values written
    // here, mapper outputs that changed, runOnJS calls; then forgets them.
    take: function () {
      const values = [];
      written.forEach(function (id) {
        values.push([id, dematerialise(holderOf(id).current, 0)]);
      });
      written = new Set();
      const outputs = [];
      mappers.forEach(function (mapper, id) {
        if (mapper.changed) {
          mapper.changed = false;
          outputs.push([id, dematerialise(mapper.output, 0)]);
        }
      });
      const calls = jsCalls;
      jsCalls = [];
      return JSON.stringify({ shared: values, outputs: outputs, calls: calls });
    },
    isBusy: function () {
      return animations.isAnimating() || timers.size > 0;
    },
  };
  Object.defineProperty(global, '__cirrusUi', { value: Object.freeze(ui) });
})(globalThis);
