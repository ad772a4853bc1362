// wx.createAnimation: the `Animation` object of WeChat's base library.
// Calls queue "animates" ({type, args}); `step()` closes a group into an
// action; `export()` hands the actions over (and clears them) for the
// `animation="{{...}}"` attribute, which the render thread plays step by
// step on its CSS transitions (engine/src/motion/steps.rs).
//
// The export shape is WeChat's: {actions: [{animates: [{type, args}],
// option: {transition: {duration, timingFunction, delay},
// transformOrigin}}]}. Style animates are {type: 'style', args: [cssName,
// value]}. As in WeChat, each action lists every transform and style set
// so far (later calls of a type replace earlier ones), so a step holds the
// element's whole animated state.
//
// Built-ins only through bootstrap.js's primordials (see its header).
(function (global) {
  'use strict';
  const wx = global.wx;
  const internals = global.__cirrus.internals;
  const {
    ReflectApply, ObjectKeys, ArrayIsArray, ArrayPrototypeIndexOf, arraySlice, arrayMap, arrayFilter,
    StringCtor, NumberCtor, MathMin, MathMax, globalIsFinite, JSONStringify, SafeMap,
  } = internals.primordials;

  const TIMING_FUNCTIONS = ['linear', 'ease', 'ease-in', 'ease-in-out', 'ease-out', 'step-start', 'step-end'];

  function stepOption(defaults, options) {
    const o = options !== null && typeof options === 'object' ? options : {};
    const duration = o.duration === undefined ? defaults.duration : NumberCtor(o.duration);
    const delay = o.delay === undefined ? defaults.delay : NumberCtor(o.delay);
    const timing = ArrayPrototypeIndexOf(TIMING_FUNCTIONS, o.timingFunction) >= 0 ? o.timingFunction : defaults.timingFunction;
    return {
      transition: {
        duration: globalIsFinite(duration) && duration >= 0 ? duration : 400,
        timingFunction: timing,
        delay: globalIsFinite(delay) ? delay : 0,
      },
      transformOrigin: typeof o.transformOrigin === 'string' ? o.transformOrigin : defaults.transformOrigin,
    };
  }

  // Numbers are px, as WeChat's Animation turns them into lengths.
  function length(value) {
    return typeof value === 'number' ? value + 'px' : StringCtor(value);
  }

  function Animation(options) {
    const o = options !== null && typeof options === 'object' ? options : {};
    const base = stepOption({
      duration: 400, timingFunction: 'linear', delay: 0, transformOrigin: '50% 50% 0',
    }, o);
    this._defaults = {
      duration: base.transition.duration,
      timingFunction: base.transition.timingFunction,
      delay: base.transition.delay,
      transformOrigin: base.transformOrigin,
    };
    this._actions = [];
    this._pending = [];
    // key (type, or 'style.<name>') -> animate, in first-set order.
    this._state = new SafeMap();
  }

  Animation.prototype._push = function (type, args) {
    const pending = this._pending;
    pending[pending.length] = { type: type, args: args };
    return this;
  };

  Animation.prototype.step = function (options) {
    const pending = this._pending;
    for (let i = 0; i < pending.length; i++) {
      const animate = pending[i];
      const key = animate.type === 'style' ? 'style.' + animate.args[0] : animate.type;
      this._state.delete(key); // a re-set moves to the end: the latest order applies
      this._state.set(key, animate);
    }
    this._pending = [];
    const animates = [];
    this._state.forEach(function (a) {
      animates[animates.length] = { type: a.type, args: arraySlice(a.args, 0) };
    });
    const actions = this._actions;
    actions[actions.length] = { animates: animates, option: stepOption(this._defaults, options) };
    return this;
  };

  Animation.prototype.export = function () {
    const actions = this._actions;
    this._actions = [];
    return { actions: actions };
  };

  // ---- transforms -------------------------------------------------------------
  const proto = Animation.prototype;
  proto.matrix = function (a, b, c, d, tx, ty) {
    return this._push('matrix', [a, b, c, d, tx, ty]);
  };
  proto.matrix3d = function (...values) {
    return this._push('matrix3d', arraySlice(values, 0, MathMin(values.length, 16)));
  };
  proto.rotate = function (angle) {
    return this._push('rotate', [angle]);
  };
  proto.rotate3d = function (x, y, z, angle) {
    // rotate3d(angle) alone is a rotation about z, as in WeChat.
    if (y === undefined) return this._push('rotate3d', [0, 0, 1, x]);
    return this._push('rotate3d', [x, y, z, angle]);
  };
  function defineAxis(axis) {
    proto['rotate' + axis] = function (angle) {
      return this._push('rotate' + axis, [angle]);
    };
    proto['scale' + axis] = function (s) {
      return this._push('scale' + axis, [s]);
    };
    proto['translate' + axis] = function (t) {
      return this._push('translate' + axis, [t === undefined ? 0 : t]);
    };
  }
  defineAxis('X');
  defineAxis('Y');
  defineAxis('Z');
  proto.scale = function (sx, sy) {
    return this._push('scale', [sx, sy === undefined ? sx : sy]);
  };
  proto.scale3d = function (sx, sy, sz) {
    return this._push('scale3d', [sx, sy, sz]);
  };
  proto.skew = function (ax, ay) {
    return this._push('skew', [ax || 0, ay || 0]);
  };
  proto.skewX = function (angle) {
    return this._push('skewX', [angle]);
  };
  proto.skewY = function (angle) {
    return this._push('skewY', [angle]);
  };
  proto.translate = function (tx, ty) {
    return this._push('translate', [tx || 0, ty || 0]);
  };
  proto.translate3d = function (tx, ty, tz) {
    return this._push('translate3d', [tx || 0, ty || 0, tz || 0]);
  };

  // ---- styles ------------------------------------------------------------------
  proto.opacity = function (value) {
    return this._push('style', ['opacity', value]);
  };
  proto.backgroundColor = function (value) {
    return this._push('style', ['background-color', value]);
  };
  function defineLength(name) {
    proto[name] = function (value) {
      return this._push('style', [name, length(value)]);
    };
  }
  const LENGTHS = ['width', 'height', 'top', 'left', 'right', 'bottom'];
  for (let i = 0; i < LENGTHS.length; i++) defineLength(LENGTHS[i]);

  wx.createAnimation = function (options) {
    return new Animation(options);
  };

  // ---- this.animate / this.clearAnimation ------------------------------------
  // Keyframes become the steps of an exported Animation: keyframe k is a
  // step lasting (offset_k - offset_{k-1}) * duration, eased by the `ease`
  // of the keyframe it leaves (linear by default); the first is reached at
  // once. The render thread sets them on every node `selector` matches
  // (ToRender::Animate) and plays them like a bound `animation`.
  const native = internals.wxNative;
  const setTimeout = internals.setTimeout;
  const queueTick = internals.queueTick;
  const TRANSFORM_KEYS = ['matrix', 'matrix3d', 'rotate', 'rotate3d', 'rotateX', 'rotateY', 'rotateZ',
    'scale', 'scale3d', 'scaleX', 'scaleY', 'scaleZ', 'skew', 'skewX', 'skewY',
    'translate', 'translate3d', 'translateX', 'translateY', 'translateZ'];
  const STYLE_KEYS = { opacity: 'opacity', backgroundColor: 'background-color', width: 'width',
    height: 'height', top: 'top', left: 'left', right: 'right', bottom: 'bottom' };
  const STYLE_NAMES = ObjectKeys(STYLE_KEYS);

  function keyframeActions(keyframes, duration) {
    const frames = arrayFilter(ArrayIsArray(keyframes) ? keyframes : [], function (k) {
      return k !== null && typeof k === 'object';
    });
    const total = MathMax(0, NumberCtor(duration) || 0);
    const last = frames.length - 1;
    const offsets = arrayMap(frames, function (k, i) {
      const offset = NumberCtor(k.offset);
      if (k.offset !== undefined && globalIsFinite(offset)) return MathMin(1, MathMax(0, offset));
      return last <= 0 ? 1 : i / last;
    });
    const animation = new Animation({ duration: 0, timingFunction: 'linear' });
    let transform = [];
    for (let i = 0; i < frames.length; i++) {
      const frame = frames[i];
      const own = [];
      for (let k = 0; k < TRANSFORM_KEYS.length; k++) {
        const key = TRANSFORM_KEYS[k];
        if (frame[key] === undefined) continue;
        const args = ArrayIsArray(frame[key]) ? arraySlice(frame[key], 0) : [frame[key]];
        if (key === 'scale' && args.length === 1) args[1] = args[0];
        if ((key === 'translate' || key === 'skew') && args.length === 1) args[1] = 0;
        own[own.length] = { type: key, args: args };
      }
      // A keyframe without transforms keeps the previous one's.
      if (own.length > 0) {
        for (let t = 0; t < transform.length; t++) animation._state.delete(transform[t].type);
        transform = own;
      }
      for (let t = 0; t < transform.length; t++) animation._push(transform[t].type, transform[t].args);
      for (let k = 0; k < STYLE_NAMES.length; k++) {
        const key = STYLE_NAMES[k];
        if (frame[key] === undefined) continue;
        const value = key === 'opacity' || key === 'backgroundColor' ? frame[key] : length(frame[key]);
        animation._push('style', [STYLE_KEYS[key], value]);
      }
      const previous = i > 0 ? frames[i - 1] : null;
      animation.step({
        duration: i === 0 ? 0 : MathMax(0, offsets[i] - offsets[i - 1]) * total,
        timingFunction: previous && typeof previous.ease === 'string' ? previous.ease : 'linear',
        transformOrigin: typeof frame.transformOrigin === 'string' ? frame.transformOrigin : undefined,
      });
    }
    return animation.export();
  }

  function pageOf(owner) {
    if (owner && owner.__pageId__ !== undefined) return owner.__pageId__;
    if (owner && typeof owner.__page__ === 'number') return owner.__page__;
    return 0;
  }

  function scopeOf(owner) {
    return owner && typeof owner.__host__ === 'number' ? owner.__host__ : null;
  }

  const ownerMethods = {
    // animate(selector, keyframes, duration, callback); the ScrollTimeline
    // form (a fifth argument) plays on time instead of on scrolling.
    animate: function (selector, keyframes, duration, callback) {
      const exported = keyframeActions(keyframes, duration);
      native.animate(pageOf(this), scopeOf(this), StringCtor(selector), JSONStringify(exported));
      if (typeof callback === 'function') {
        const owner = this;
        setTimeout(function () { ReflectApply(callback, owner, []); }, MathMax(0, NumberCtor(duration) || 0));
      }
    },
    // Clears every property the animations of `selector` set (the
    // `options` naming some of them is accepted and treated as all).
    clearAnimation: function (selector, options, callback) {
      const done = typeof options === 'function' ? options : callback;
      native.animate(pageOf(this), scopeOf(this), StringCtor(selector), JSONStringify({ actions: [] }));
      if (typeof done === 'function') {
        const owner = this;
        queueTick(function () { ReflectApply(done, owner, []); });
      }
    },
  };
  const protos = [internals.pageProto, internals.componentProto];
  const ownerNames = ObjectKeys(ownerMethods);
  for (let p = 0; p < protos.length; p++) {
    if (!protos[p]) continue;
    for (let i = 0; i < ownerNames.length; i++) {
      if (!(ownerNames[i] in protos[p])) protos[p][ownerNames[i]] = ownerMethods[ownerNames[i]];
    }
  }
  internals.keyframeActions = keyframeActions;
  // The page id and the component host of `this` (wx_worklet.js too).
  internals.ownerPage = pageOf;
  internals.ownerScope = scopeOf;
})(globalThis);
