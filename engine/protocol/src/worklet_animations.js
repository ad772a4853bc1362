// Cirrus: the worklet animation library (`wx.worklet.timing`, `spring`,
// `decay`, `sequence`, `repeat`, `delay`, `cancelAnimation`, `Easing`) and
// the per-frame driver the UI runtime calls. Evaluated once in the render
// thread's worklet context by `animations.rs`; see `mod.rs` for the contract.
//
// Skyline's worklet animations follow react-native-reanimated 2/3 (MIT,
// github.com/software-mansion/react-native-reanimated); the formulas and the
// animation-object protocol (`onStart(animation, value, now, previous)`,
// `onFrame(animation, now) -> finished`, `current`, `toValue`, `callback`)
// are Reanimated's. Each section names the file it follows and says where
// it deliberately differs.
//
// Everything here is plain ES2020 calls, because easings and callbacks may be
// user worklets (plain functions in this context). Time is milliseconds of
// the frame clock; values are numbers (colour strings and numbers with a
// unit, e.g. '45deg', are decorated onto numbers as Reanimated does).
(function () {
  'use strict';

  const GLOBAL = '__cirrusAnimations';
  // Installing twice must not throw: the global is non-configurable.
  if (Object.prototype.hasOwnProperty.call(globalThis, GLOBAL)) {
    return;
  }

  function isFiniteNumber(x) {
    return typeof x === 'number' && Number.isFinite(x);
  }

  function requireTime(now, what) {
    if (!isFiniteNumber(now)) {
      throw new TypeError(what + ': the frame time must be a finite number of ms, got ' + now);
    }
  }

  // Copies the defined keys of a user config over the defaults, as
  // Reanimated's timing/decay do (`Object.keys(userConfig).forEach`) and as
  // springUtils' `safeMergeConfigs` does (undefined values keep defaults).
  function mergeConfig(defaults, userConfig) {
    if (userConfig !== null && typeof userConfig === 'object') {
      for (const key of Object.keys(userConfig)) {
        if (userConfig[key] !== undefined) {
          defaults[key] = userConfig[key];
        }
      }
    }
    return defaults;
  }

  function isAnimation(value) {
    return (
      value !== null &&
      typeof value === 'object' &&
      typeof value.onFrame === 'function' &&
      typeof value.onStart === 'function'
    );
  }

  function callCallback(animation, finished, current) {
    if (typeof animation.callback === 'function') {
      animation.callback(finished, current);
    }
  }

  // ---------------------------------------------------------------------
  // Cubic Bezier: src/Bezier.ts (itself gre/bezier-easing, MIT). Newton's
  // method from an 11-sample table guess, bisection where the slope is flat.
  // ---------------------------------------------------------------------
  const NEWTON_ITERATIONS = 4;
  const NEWTON_MIN_SLOPE = 0.001;
  const SUBDIVISION_PRECISION = 0.0000001;
  const SUBDIVISION_MAX_ITERATIONS = 10;
  const SPLINE_TABLE_SIZE = 11;
  const SAMPLE_STEP = 1.0 / (SPLINE_TABLE_SIZE - 1.0);

  function coefA(a1, a2) {
    return 1.0 - 3.0 * a2 + 3.0 * a1;
  }
  function coefB(a1, a2) {
    return 3.0 * a2 - 6.0 * a1;
  }
  function coefC(a1) {
    return 3.0 * a1;
  }
  function calcBezier(t, a1, a2) {
    return ((coefA(a1, a2) * t + coefB(a1, a2)) * t + coefC(a1)) * t;
  }
  function bezierSlope(t, a1, a2) {
    return 3.0 * coefA(a1, a2) * t * t + 2.0 * coefB(a1, a2) * t + coefC(a1);
  }

  function makeBezier(x1, y1, x2, y2) {
    for (const c of [x1, y1, x2, y2]) {
      if (!isFiniteNumber(c)) {
        throw new TypeError('Easing.bezier: control points must be finite numbers');
      }
    }
    if (!(x1 >= 0 && x1 <= 1 && x2 >= 0 && x2 <= 1)) {
      throw new RangeError('Easing.bezier: x values must be in [0, 1]');
    }
    if (x1 === y1 && x2 === y2) {
      return function linearBezier(x) {
        return x;
      };
    }
    const samples = new Array(SPLINE_TABLE_SIZE);
    for (let i = 0; i < SPLINE_TABLE_SIZE; ++i) {
      samples[i] = calcBezier(i * SAMPLE_STEP, x1, x2);
    }

    function binarySubdivide(x, a, b) {
      let currentX;
      let currentT;
      let i = 0;
      do {
        currentT = a + (b - a) / 2.0;
        currentX = calcBezier(currentT, x1, x2) - x;
        if (currentX > 0.0) {
          b = currentT;
        } else {
          a = currentT;
        }
      } while (Math.abs(currentX) > SUBDIVISION_PRECISION && ++i < SUBDIVISION_MAX_ITERATIONS);
      return currentT;
    }

    function newtonRaphson(x, guess) {
      for (let i = 0; i < NEWTON_ITERATIONS; ++i) {
        const slope = bezierSlope(guess, x1, x2);
        if (slope === 0.0) {
          return guess;
        }
        guess -= (calcBezier(guess, x1, x2) - x) / slope;
      }
      return guess;
    }

    function tForX(x) {
      let intervalStart = 0.0;
      let sample = 1;
      const last = SPLINE_TABLE_SIZE - 1;
      for (; sample !== last && samples[sample] <= x; ++sample) {
        intervalStart += SAMPLE_STEP;
      }
      --sample;
      const dist = (x - samples[sample]) / (samples[sample + 1] - samples[sample]);
      const guess = intervalStart + dist * SAMPLE_STEP;
      const slope = bezierSlope(guess, x1, x2);
      if (slope >= NEWTON_MIN_SLOPE) {
        return newtonRaphson(x, guess);
      } else if (slope === 0.0) {
        return guess;
      }
      return binarySubdivide(x, intervalStart, intervalStart + SAMPLE_STEP);
    }

    return function bezierEasing(x) {
      // Exact ends: floating point must not leave a timing short of its target.
      if (x === 0) {
        return 0;
      }
      if (x === 1) {
        return 1;
      }
      return calcBezier(tForX(x), y1, y2);
    };
  }

  // ---------------------------------------------------------------------
  // Easing: src/Easing.ts. `ease` is Reanimated's (and React Native's)
  // cubic-bezier(0.42, 0, 1, 1), not CSS `ease`.
  // ---------------------------------------------------------------------
  const easeCurve = makeBezier(0.42, 0, 1, 1);

  // `Easing.bezier` returns Reanimated's `{ factory() }`; here the object is
  // also the easing function itself, so `Easing.bezier(...)(t)`,
  // `Easing.inOut(Easing.bezier(...))` and `timing(.., { easing:
  // Easing.bezier(...) })` all work whichever form a mini program uses.
  function bezier(x1, y1, x2, y2) {
    const fn = makeBezier(x1, y1, x2, y2);
    fn.factory = function () {
      return fn;
    };
    return fn;
  }

  function requireEasing(easing, what) {
    if (typeof easing !== 'function') {
      throw new TypeError(what + ': expected an easing function');
    }
    return easing;
  }

  const Easing = {
    linear(t) {
      return t;
    },
    ease(t) {
      return easeCurve(t);
    },
    quad(t) {
      return t * t;
    },
    cubic(t) {
      return t * t * t;
    },
    poly(n) {
      return function (t) {
        return Math.pow(t, n);
      };
    },
    sin(t) {
      return 1 - Math.cos((t * Math.PI) / 2);
    },
    circle(t) {
      return 1 - Math.sqrt(1 - t * t);
    },
    exp(t) {
      return Math.pow(2, 10 * (t - 1));
    },
    elastic(bounciness) {
      const p = (bounciness === undefined ? 1 : bounciness) * Math.PI;
      return function (t) {
        return 1 - Math.pow(Math.cos((t * Math.PI) / 2), 3) * Math.cos(t * p);
      };
    },
    back(s) {
      const overshoot = s === undefined ? 1.70158 : s;
      return function (t) {
        return t * t * ((overshoot + 1) * t - overshoot);
      };
    },
    bounce(t) {
      if (t < 1 / 2.75) {
        return 7.5625 * t * t;
      }
      if (t < 2 / 2.75) {
        const t2 = t - 1.5 / 2.75;
        return 7.5625 * t2 * t2 + 0.75;
      }
      if (t < 2.5 / 2.75) {
        const t2 = t - 2.25 / 2.75;
        return 7.5625 * t2 * t2 + 0.9375;
      }
      const t2 = t - 2.625 / 2.75;
      return 7.5625 * t2 * t2 + 0.984375;
    },
    bezier,
    bezierFn(x1, y1, x2, y2) {
      return makeBezier(x1, y1, x2, y2);
    },
    steps(n, roundToNextStep) {
      const count = n === undefined ? 10 : n;
      const up = roundToNextStep === undefined ? true : roundToNextStep;
      return function (t) {
        const value = Math.min(Math.max(t, 0), 1) * count;
        return (up ? Math.ceil(value) : Math.floor(value)) / count;
      };
    },
    in(easing) {
      return requireEasing(easing, 'Easing.in');
    },
    out(easing) {
      requireEasing(easing, 'Easing.out');
      return function (t) {
        return 1 - easing(1 - t);
      };
    },
    inOut(easing) {
      requireEasing(easing, 'Easing.inOut');
      return function (t) {
        if (t < 0.5) {
          return easing(t * 2) / 2;
        }
        return 1 - easing((1 - t) * 2) / 2;
      };
    },
  };
  Object.freeze(Easing);

  // Reanimated's `timing` resolves `{ factory }` easings (Easing.bezier) by
  // calling the factory; a function is used as is.
  function resolveEasing(easing) {
    if (typeof easing === 'function') {
      return easing;
    }
    if (easing !== null && typeof easing === 'object' && typeof easing.factory === 'function') {
      return requireEasing(easing.factory(), 'timing');
    }
    throw new TypeError('timing: config.easing must be an easing function or Easing.bezier(...)');
  }

  // ---------------------------------------------------------------------
  // Colours: src/Colors.ts. Channels are animated in linear space (gamma
  // 2.2) and written back as `rgba(r, g, b, a)`, as Reanimated's
  // `colorOnStart`/`colorOnFrame` in src/animation/util.ts do.
  // ---------------------------------------------------------------------
  const NAMED_COLORS = (function () {
    // CSS named colours (the table engine/style-lang uses, CSS's mediumpurple).
    const table =
    'aliceblue f0f8ff antiquewhite faebd7 aqua 00ffff aquamarine 7fffd4 ' +
    'azure f0ffff beige f5f5dc bisque ffe4c4 black 000000 blanchedalmond ' +
    'ffebcd blue 0000ff blueviolet 8a2be2 brown a52a2a burlywood deb887 ' +
    'cadetblue 5f9ea0 chartreuse 7fff00 chocolate d2691e coral ff7f50 ' +
    'cornflowerblue 6495ed cornsilk fff8dc crimson dc143c cyan 00ffff ' +
    'darkblue 00008b darkcyan 008b8b darkgoldenrod b8860b darkgray a9a9a9 ' +
    'darkgreen 006400 darkgrey a9a9a9 darkkhaki bdb76b darkmagenta 8b008b ' +
    'darkolivegreen 556b2f darkorange ff8c00 darkorchid 9932cc darkred ' +
    '8b0000 darksalmon e9967a darkseagreen 8fbc8f darkslateblue 483d8b ' +
    'darkslategray 2f4f4f darkslategrey 2f4f4f darkturquoise 00ced1 ' +
    'darkviolet 9400d3 deeppink ff1493 deepskyblue 00bfff dimgray 696969 ' +
    'dimgrey 696969 dodgerblue 1e90ff firebrick b22222 floralwhite fffaf0 ' +
    'forestgreen 228b22 fuchsia ff00ff gainsboro dcdcdc ghostwhite f8f8ff ' +
    'gold ffd700 goldenrod daa520 gray 808080 green 008000 greenyellow ' +
    'adff2f grey 808080 honeydew f0fff0 hotpink ff69b4 indianred cd5c5c ' +
    'indigo 4b0082 ivory fffff0 khaki f0e68c lavender e6e6fa lavenderblush ' +
    'fff0f5 lawngreen 7cfc00 lemonchiffon fffacd lightblue add8e6 ' +
    'lightcoral f08080 lightcyan e0ffff lightgoldenrodyellow fafad2 ' +
    'lightgray d3d3d3 lightgreen 90ee90 lightgrey d3d3d3 lightpink ffb6c1 ' +
    'lightsalmon ffa07a lightseagreen 20b2aa lightskyblue 87cefa ' +
    'lightslategray 778899 lightslategrey 778899 lightsteelblue b0c4de ' +
    'lightyellow ffffe0 lime 00ff00 limegreen 32cd32 linen faf0e6 magenta ' +
    'ff00ff maroon 800000 mediumaquamarine 66cdaa mediumblue 0000cd ' +
    'mediumorchid ba55d3 mediumpurple 9370db mediumseagreen 3cb371 ' +
    'mediumslateblue 7b68ee mediumspringgreen 00fa9a mediumturquoise ' +
    '48d1cc mediumvioletred c71585 midnightblue 191970 mintcream f5fffa ' +
    'mistyrose ffe4e1 moccasin ffe4b5 navajowhite ffdead navy 000080 ' +
    'oldlace fdf5e6 olive 808000 olivedrab 6b8e23 orange ffa500 orangered ' +
    'ff4500 orchid da70d6 palegoldenrod eee8aa palegreen 98fb98 ' +
    'paleturquoise afeeee palevioletred d87093 papayawhip ffefd5 peachpuff ' +
    'ffdab9 peru cd853f pink ffc0cb plum dda0dd powderblue b0e0e6 purple ' +
    '800080 rebeccapurple 663399 red ff0000 rosybrown bc8f8f royalblue ' +
    '4169e1 saddlebrown 8b4513 salmon fa8072 sandybrown f4a460 seagreen ' +
    '2e8b57 seashell fff5ee sienna a0522d silver c0c0c0 skyblue 87ceeb ' +
    'slateblue 6a5acd slategray 708090 slategrey 708090 snow fffafa ' +
    'springgreen 00ff7f steelblue 4682b4 tan d2b48c teal 008080 thistle ' +
    'd8bfd8 tomato ff6347 turquoise 40e0d0 violet ee82ee wheat f5deb3 ' +
    'white ffffff whitesmoke f5f5f5 yellow ffff00 yellowgreen 9acd32';
    const map = new Map();
    const words = table.split(' ');
    for (let i = 0; i + 1 < words.length; i += 2) {
      map.set(words[i], words[i + 1]);
    }
    return map;
  })();

  function parseHex(hex) {
    if (!/^[0-9a-f]+$/.test(hex)) {
      return null;
    }
    let digits = hex;
    if (hex.length === 3 || hex.length === 4) {
      digits = hex
        .split('')
        .map(function (d) {
          return d + d;
        })
        .join('');
    } else if (hex.length !== 6 && hex.length !== 8) {
      return null;
    }
    const rgba = [];
    for (let i = 0; i < digits.length; i += 2) {
      rgba.push(parseInt(digits.slice(i, i + 2), 16) / 255);
    }
    if (rgba.length === 3) {
      rgba.push(1);
    }
    return rgba;
  }

  function parseChannel(text, scale) {
    const m = /^(-?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?)(%?)$/.exec(text);
    if (!m) {
      return null;
    }
    const n = parseFloat(m[1]);
    const unit = m[2] === '%' ? n / 100 : n / scale;
    return Math.min(Math.max(unit, 0), 1);
  }

  // [r, g, b, a] in 0..1, or null when `value` is not a colour.
  function parseColor(value) {
    if (typeof value !== 'string') {
      return null;
    }
    const text = value.trim().toLowerCase();
    if (text === 'transparent') {
      return [0, 0, 0, 0];
    }
    if (text.charAt(0) === '#') {
      return parseHex(text.slice(1));
    }
    const named = NAMED_COLORS.get(text);
    if (named !== undefined) {
      return parseHex(named);
    }
    const fn = /^rgba?\(([^()]*)\)$/.exec(text);
    if (!fn) {
      return null;
    }
    // Both `rgba(r, g, b, a)` and `rgb(r g b / a)`.
    const parts = fn[1].split(/\s*[,/]\s*|\s+/).filter(function (p) {
      return p !== '';
    });
    if (parts.length !== 3 && parts.length !== 4) {
      return null;
    }
    const rgba = [];
    for (let i = 0; i < parts.length; ++i) {
      const c = parseChannel(parts[i], i < 3 ? 255 : 1);
      if (c === null) {
        return null;
      }
      rgba.push(c);
    }
    if (rgba.length === 3) {
      rgba.push(1);
    }
    return rgba;
  }

  const GAMMA = 2.2;
  function toLinearSpace(rgba) {
    return [Math.pow(rgba[0], GAMMA), Math.pow(rgba[1], GAMMA), Math.pow(rgba[2], GAMMA), rgba[3]];
  }

  function formatColor(linear) {
    const c = linear.map(function (x) {
      return Math.min(Math.max(x, 0), 1);
    });
    const to255 = function (x) {
      return Math.round(Math.pow(x, 1 / GAMMA) * 255);
    };
    const alpha = c[3] < 0.001 ? 0 : c[3];
    return 'rgba(' + to255(c[0]) + ', ' + to255(c[1]) + ', ' + to255(c[2]) + ', ' + alpha + ')';
  }

  // '45deg' -> { prefix: '', number: 45, suffix: 'deg' }: Reanimated's
  // `recognizePrefixSuffix` (src/animation/util.ts).
  function splitUnit(value) {
    if (typeof value !== 'string') {
      return { prefix: '', number: value, suffix: '' };
    }
    const m = /([A-Za-z]*)(-?\d*\.?\d*)([eE][-+]?[0-9]+)?([A-Za-z%]*)/.exec(value);
    if (!m || m[2] === '' || m[2] === '-' || m[2] === '.') {
      throw new TypeError('cannot animate the value ' + JSON.stringify(value));
    }
    return { prefix: m[1], number: parseFloat(m[2] + (m[3] || '')), suffix: m[4] };
  }

  // Reanimated's `decorateAnimation` (src/animation/util.ts), for the value
  // kinds a style uses: numbers go to the base animation; a colour start and
  // target animate four channel copies; a number with a unit animates the
  // number. The choice is made at every start, so a repeat or sequence may
  // start it again with another kind.
  function decorate(animation) {
    const baseOnStart = animation.onStart;
    const baseOnFrame = animation.onFrame;
    // Channel copies share the base functions (whose config lives in their
    // closure) but not the callback, which belongs to the whole animation.
    const template = Object.assign({}, animation);
    delete template.callback;

    function colorOnFrame(anim, now) {
      let finished = true;
      const linear = [];
      for (const channel of anim.channels) {
        // Every channel must advance: no short-circuit on `finished`.
        const done = channel.onFrame(channel, now);
        finished = finished && done;
        linear.push(channel.current);
      }
      anim.current = formatColor(linear);
      return finished;
    }

    function unitOnFrame(anim, now) {
      anim.current = anim.strippedCurrent;
      const finished = baseOnFrame(anim, now);
      anim.strippedCurrent = anim.current;
      anim.current = anim.unitPrefix + anim.current + anim.unitSuffix;
      return finished;
    }

    animation.onStart = function (anim, value, now, previous) {
      const from = parseColor(value);
      const to = parseColor(anim.toValue);
      if (from !== null && to !== null) {
        const fromLinear = toLinearSpace(from);
        const toLinear = toLinearSpace(to);
        const previousChannels = previous && Array.isArray(previous.channels) ? previous.channels : null;
        anim.channels = [];
        for (let i = 0; i < 4; ++i) {
          const channel = Object.assign({}, template);
          channel.current = toLinear[i];
          channel.toValue = toLinear[i];
          baseOnStart(channel, fromLinear[i], now, previousChannels ? previousChannels[i] : null);
          anim.channels.push(channel);
        }
        anim.current = formatColor(
          anim.channels.map(function (c) {
            return c.current;
          })
        );
        anim.onFrame = colorOnFrame;
        return;
      }
      if (typeof value === 'string' || typeof anim.toValue === 'string') {
        // The unit comes from the start value, or from the target when the
        // value is still a bare number (0 -> '90deg').
        const start = splitUnit(value);
        const units = typeof value === 'string' ? start : splitUnit(anim.toValue);
        anim.unitPrefix = units.prefix;
        anim.unitSuffix = units.suffix;
        if (anim.toValue !== undefined) {
          anim.toValue = splitUnit(anim.toValue).number;
        }
        baseOnStart(anim, start.number, now, previous);
        anim.strippedCurrent = anim.current;
        anim.current = anim.unitPrefix + anim.current + anim.unitSuffix;
        anim.onFrame = unitOnFrame;
        return;
      }
      anim.onFrame = baseOnFrame;
      baseOnStart(anim, value, now, previous);
    };
    return animation;
  }

  // ---------------------------------------------------------------------
  // timing: src/animation/timing.ts.
  // Default config { duration: 300, easing: Easing.inOut(Easing.quad) }, as
  // Reanimated and WeChat's wx.worklet.timing document.
  // ---------------------------------------------------------------------
  const DEFAULT_TIMING_EASING = Easing.inOut(Easing.quad);

  function timing(toValue, userConfig, callback) {
    const config = mergeConfig({ duration: 300, easing: DEFAULT_TIMING_EASING }, userConfig);
    if (typeof config.duration !== 'number' || Number.isNaN(config.duration)) {
      throw new TypeError('timing: config.duration must be a number of ms');
    }
    // A negative duration means "now", like 0.
    const duration = Math.max(config.duration, 0);
    const easing = resolveEasing(config.easing);

    function onFrame(animation, now) {
      let runtime = now - animation.startTime;
      if (runtime >= duration) {
        animation.running = false;
        animation.current = animation.toValue;
        return true;
      }
      if (runtime < 0) {
        // A frame stamped before the start (a start between frames):
        // re-baseline instead of feeding the easing a negative time.
        animation.startTime = now;
        runtime = 0;
      }
      const progress = animation.easing(Math.min(Math.max(runtime / duration, 0), 1));
      animation.current = animation.startValue + (animation.toValue - animation.startValue) * progress;
      return false;
    }

    function onStart(animation, value, now, previous) {
      // Retargeting a running timing to the same target continues its
      // timeline (Reanimated checks `previousAnimation.startTime`, which its
      // clock never makes 0; a `running` flag works with any clock origin).
      if (
        previous &&
        previous.type === 'timing' &&
        previous.running === true &&
        previous.toValue === animation.toValue
      ) {
        animation.startTime = previous.startTime;
        animation.startValue = previous.startValue;
      } else {
        animation.startTime = now;
        animation.startValue = value;
      }
      animation.running = true;
      animation.current = value;
      animation.easing = easing;
    }

    return decorate({
      type: 'timing',
      onFrame,
      onStart,
      progress: 0,
      toValue,
      startValue: 0,
      startTime: 0,
      running: false,
      easing,
      duration,
      // Before it starts, `current` holds the target: the driver finishes an
      // animation at once when the value already equals it (valueSetter.ts).
      current: toValue,
      callback,
    });
  }

  // ---------------------------------------------------------------------
  // spring: src/animation/spring.ts and springUtils.ts (the Reanimated 2/3
  // physics config with rest thresholds; WeChat documents the same keys and
  // defaults). Each frame advances the exact solution of
  //   m x'' + c x' + k x = 0   (x = value - toValue, c = damping)
  // from the current state over the frame's dt, so sampling at any frame
  // rate lands on the same curve. Under-damped (zeta < 1) and critically
  // damped (zeta = 1) are springUtils' formulas; for zeta > 1 Reanimated
  // reuses the critical one, here it is the exact two-exponential solution.
  // ---------------------------------------------------------------------
  const MAX_STEP_MS = 64; // Reanimated clamps a stalled frame's dt to 64 ms.
  const CRITICAL_EPSILON = 1e-8;

  function springStep(zeta, omega0, x0, v0, t) {
    if (zeta < 1 - CRITICAL_EPSILON) {
      const omega1 = omega0 * Math.sqrt(1 - zeta * zeta);
      const envelope = Math.exp(-zeta * omega0 * t);
      const sin1 = Math.sin(omega1 * t);
      const cos1 = Math.cos(omega1 * t);
      const a = v0 + zeta * omega0 * x0;
      const x = envelope * (x0 * cos1 + (a / omega1) * sin1);
      const v = -zeta * omega0 * x + envelope * (a * cos1 - omega1 * x0 * sin1);
      return [x, v];
    }
    if (zeta <= 1 + CRITICAL_EPSILON) {
      const envelope = Math.exp(-omega0 * t);
      const a = v0 + omega0 * x0;
      const x = envelope * (x0 + a * t);
      const v = envelope * a - omega0 * x;
      return [x, v];
    }
    const s = omega0 * Math.sqrt(zeta * zeta - 1);
    const r1 = -zeta * omega0 + s;
    const r2 = -zeta * omega0 - s;
    const c1 = (v0 - r2 * x0) / (r1 - r2);
    const c2 = x0 - c1;
    const e1 = Math.exp(r1 * t);
    const e2 = Math.exp(r2 * t);
    return [c1 * e1 + c2 * e2, c1 * r1 * e1 + c2 * r2 * e2];
  }

  function spring(toValue, userConfig, callback) {
    const config = mergeConfig(
      {
        damping: 10,
        mass: 1,
        stiffness: 100,
        overshootClamping: false,
        restDisplacementThreshold: 0.01,
        restSpeedThreshold: 2,
        velocity: 0,
      },
      userConfig
    );
    // springUtils' checkIfConfigIsValid: these must be > 0, or the spring
    // jumps to its target (Reanimated's `skipAnimation`). `!(x > 0)` also
    // rejects NaN and non-numbers.
    let skip = false;
    for (const key of ['damping', 'mass', 'stiffness', 'restDisplacementThreshold', 'restSpeedThreshold']) {
      if (!(typeof config[key] === 'number' && config[key] > 0 && config[key] < Infinity)) {
        skip = true;
      }
    }
    const configVelocity = isFiniteNumber(config.velocity) ? config.velocity : 0;
    const zeta = skip ? 0 : config.damping / (2 * Math.sqrt(config.stiffness * config.mass));
    const omega0 = skip ? 0 : Math.sqrt(config.stiffness / config.mass);

    function onFrame(animation, now) {
      if (skip) {
        animation.current = animation.toValue;
        animation.velocity = 0;
        return true;
      }
      const target = animation.toValue;
      const dt = Math.min(Math.max(now - animation.lastTimestamp, 0), MAX_STEP_MS);
      animation.lastTimestamp = now;
      const step = springStep(zeta, omega0, animation.current - target, animation.velocity, dt / 1000);
      animation.current = target + step[0];
      animation.velocity = step[1];

      // springUtils' isAnimationTerminatingCalculation.
      const current = animation.current;
      const start = animation.startValue;
      const overshooting =
        Boolean(config.overshootClamping) &&
        ((current > target && start < target) || (current < target && start > target));
      const resting =
        Math.abs(animation.velocity) < config.restSpeedThreshold &&
        Math.abs(target - current) < config.restDisplacementThreshold;
      if (overshooting || resting) {
        animation.velocity = 0;
        animation.current = target;
        return true;
      }
      return false;
    }

    function onStart(animation, value, now, previous) {
      animation.current = value;
      animation.startValue = value;
      animation.lastTimestamp = now;
      animation.startTimestamp = now;
      // A spring that interrupts another animation keeps its velocity
      // (spring.ts: `previousAnimation.velocity + config.velocity`); an
      // animation without one (timing) counts as 0 here, where Reanimated's
      // NaN || 0 would also drop the configured velocity.
      const inherited = previous && isFiniteNumber(previous.velocity) ? previous.velocity : 0;
      animation.velocity = inherited + configVelocity;
    }

    return decorate({
      type: 'spring',
      onFrame,
      onStart,
      toValue,
      velocity: configVelocity,
      current: toValue,
      startValue: 0,
      callback,
      lastTimestamp: 0,
      startTimestamp: 0,
      zeta,
      omega0,
    });
  }

  // ---------------------------------------------------------------------
  // decay: defaults { velocity: 0, deceleration: 0.998, velocityFactor: 1 }
  // and the rigid clamp (stop at the bound the motion heads for) are
  // src/animation/decay/decay.ts and rigidDecay.ts, without rubberBandEffect.
  // The per-frame law is Reanimated 1's src/animations/decay.js (the
  // UIScrollView deceleration model): velocity (units/s) is multiplied by
  // `deceleration ** dt` (dt in ms), and the position integrates that
  // geometric series exactly:
  //   v(t) = v0 d^t,  x(t) = x0 + (v0 / 1000) d (1 - d^t) / (1 - d).
  // Reanimated 2/3's rigidDecay rescales the *current* velocity by
  // exp(-(1 - d) (now - start) / 10) every frame, which compounds per frame
  // and so decelerates faster at 120 Hz than at 60 Hz; this form does not.
  // It stops when |v| < 1 unit/s (rigidDecay's native VELOCITY_EPS).
  // ---------------------------------------------------------------------
  const DECAY_VELOCITY_EPS = 1;

  function decay(userConfig, callback) {
    const config = mergeConfig({ deceleration: 0.998, velocityFactor: 1, velocity: 0 }, userConfig);
    if (!isFiniteNumber(config.velocity)) {
      throw new TypeError('decay: config.velocity must be a finite number');
    }
    if (!(config.deceleration > 0 && config.deceleration < 1)) {
      throw new RangeError('decay: config.deceleration must be in (0, 1)');
    }
    if (!(config.velocityFactor > 0 && config.velocityFactor < Infinity)) {
      throw new RangeError('decay: config.velocityFactor must be greater than 0');
    }
    let clamp = null;
    if (config.clamp !== undefined && config.clamp !== null) {
      if (
        !Array.isArray(config.clamp) ||
        config.clamp.length !== 2 ||
        typeof config.clamp[0] !== 'number' ||
        typeof config.clamp[1] !== 'number'
      ) {
        throw new TypeError('decay: config.clamp must be [min, max]');
      }
      clamp = [Math.min(config.clamp[0], config.clamp[1]), Math.max(config.clamp[0], config.clamp[1])];
    }
    const d = config.deceleration;

    function onFrame(animation, now) {
      const dt = Math.min(Math.max(now - animation.lastTimestamp, 0), MAX_STEP_MS);
      animation.lastTimestamp = now;
      const kv = Math.pow(d, dt);
      const kx = (d * (1 - kv)) / (1 - d);
      animation.current += config.velocityFactor * (animation.velocity / 1000) * kx;
      animation.velocity *= kv;
      if (clamp !== null) {
        if (animation.initialVelocity < 0 && animation.current <= clamp[0]) {
          animation.current = clamp[0];
          return true;
        }
        if (animation.initialVelocity > 0 && animation.current >= clamp[1]) {
          animation.current = clamp[1];
          return true;
        }
      }
      return Math.abs(animation.velocity) < DECAY_VELOCITY_EPS;
    }

    function onStart(animation, value, now) {
      animation.current = value;
      animation.lastTimestamp = now;
      animation.startTimestamp = now;
      animation.initialVelocity = config.velocity;
      // Reset on every start (Reanimated keeps the decayed one, so a
      // repeated decay would stop at once).
      animation.velocity = config.velocity;
    }

    // No `toValue`: a decay has no target, so the driver never skips it.
    return decorate({
      type: 'decay',
      onFrame,
      onStart,
      callback,
      velocity: config.velocity,
      initialVelocity: 0,
      current: 0,
      lastTimestamp: 0,
      startTimestamp: 0,
      clamp,
    });
  }

  // ---------------------------------------------------------------------
  // sequence: src/animation/sequence.ts. Each child's callback gets
  // (true, value) as it completes; cancelling the sequence gives every child
  // not yet finished (false, value). A child starts in the frame its
  // predecessor finishes, from that value, with it as `previous`.
  // ---------------------------------------------------------------------
  function sequence() {
    const animations = [];
    for (let i = 0; i < arguments.length; ++i) {
      const a = arguments[i];
      // Reanimated accepts a leading ReduceMotion string; it is ignored.
      if (i === 0 && typeof a === 'string') {
        continue;
      }
      if (!isAnimation(a)) {
        throw new TypeError('sequence: argument ' + i + ' is not an animation');
      }
      animations.push(a);
    }

    function onFrame(animation, now) {
      if (animations.length === 0) {
        return true;
      }
      const current = animations[animation.animationIndex];
      const finished = current.onFrame(current, now);
      animation.current = current.current;
      if (!finished) {
        return false;
      }
      current.finished = true;
      callCallback(current, true, current.current);
      animation.animationIndex += 1;
      if (animation.animationIndex < animations.length) {
        const next = animations[animation.animationIndex];
        next.onStart(next, current.current, now, current);
        return false;
      }
      return true;
    }

    function onStart(animation, value, now, previous) {
      for (const a of animations) {
        a.finished = false;
      }
      animation.animationIndex = 0;
      animation.current = value;
      if (animations.length > 0) {
        const first = animations[0];
        first.onStart(first, value, now, previous);
        animation.current = first.current;
      }
    }

    function callback(finished, current) {
      // Completion is reported child by child; only a cancel fans out.
      if (finished) {
        return;
      }
      for (const a of animations) {
        if (!a.finished) {
          a.finished = true;
          callCallback(a, false, current);
        }
      }
    }

    return {
      type: 'sequence',
      isHigherOrder: true,
      onFrame,
      onStart,
      animationIndex: 0,
      current: animations.length > 0 ? animations[0].current : undefined,
      callback,
    };
  }

  // ---------------------------------------------------------------------
  // repeat: src/animation/repeat.ts. numberOfReps <= 0 repeats forever
  // (Reanimated's `numberOfReps > 0 && reps >= numberOfReps` test; WeChat's
  // docs say n < 0). `reverse` swaps the inner animation's target and start
  // each rep, so it is meaningful for timing and spring. The inner callback
  // gets (true, value) after every rep; the repeat's own callback gets
  // (true, value) at the end, and a cancel reaches both with false.
  // ---------------------------------------------------------------------
  function repeat(animation, numberOfReps, reverse, callback) {
    if (!isAnimation(animation)) {
      throw new TypeError('repeat: the first argument is not an animation');
    }
    const inner = animation;
    const reps = numberOfReps === undefined ? 2 : numberOfReps;
    if (typeof reps !== 'number' || Number.isNaN(reps)) {
      throw new TypeError('repeat: numberOfReps must be a number');
    }
    const backAndForth = Boolean(reverse);

    function onFrame(self, now) {
      const finished = inner.onFrame(inner, now);
      self.current = inner.current;
      if (!finished) {
        return false;
      }
      self.reps += 1;
      callCallback(inner, true, self.current);
      if (reps > 0 && self.reps >= reps) {
        return true;
      }
      const startValue = backAndForth ? inner.current : self.startValue;
      if (backAndForth) {
        inner.toValue = self.startValue;
        self.startValue = startValue;
      }
      inner.onStart(inner, startValue, now, null);
      return false;
    }

    function onStart(self, value, now, previous) {
      self.startValue = value;
      self.reps = 0;
      inner.onStart(inner, value, now, previous);
      self.current = inner.current;
    }

    function repeatCallback(finished, current) {
      if (typeof callback === 'function') {
        callback(finished, current);
      }
      if (!finished) {
        callCallback(inner, false, current);
      }
    }

    return {
      type: 'repeat',
      isHigherOrder: true,
      onFrame,
      onStart,
      reps: 0,
      current: inner.current,
      callback: repeatCallback,
      startValue: 0,
    };
  }

  // ---------------------------------------------------------------------
  // delay: src/animation/delay.ts. The value holds where it was until the
  // first frame more than `ms` after the start, where the inner animation
  // starts (with the animation this one replaced as `previous`, so a
  // delayed spring keeps its velocity). Reanimated's delay can keep the
  // replaced animation running meanwhile, but its valueSetter marks that one
  // `finished` after its first frame, so in effect it holds too.
  // ---------------------------------------------------------------------
  function delay(ms, animation) {
    if (typeof ms !== 'number' || Number.isNaN(ms)) {
      throw new TypeError('delay: the delay must be a number of ms');
    }
    if (!isAnimation(animation)) {
      throw new TypeError('delay: the second argument is not an animation');
    }
    const inner = animation;

    function onFrame(self, now) {
      if (now - self.startTime > ms) {
        if (!self.started) {
          inner.onStart(inner, self.current, now, self.previousAnimation);
          self.previousAnimation = null;
          self.started = true;
        }
        const finished = inner.onFrame(inner, now);
        self.current = inner.current;
        return finished;
      }
      return false;
    }

    function onStart(self, value, now, previous) {
      self.startTime = now;
      self.started = false;
      self.current = value;
      self.previousAnimation = previous === self ? self.previousAnimation : previous;
    }

    function delayCallback(finished, current) {
      callCallback(inner, finished, current);
    }

    return {
      type: 'delay',
      isHigherOrder: true,
      onFrame,
      onStart,
      current: inner.current,
      callback: delayCallback,
      previousAnimation: null,
      startTime: 0,
      started: false,
    };
  }

  // ---------------------------------------------------------------------
  // The driver (src/valueSetter.ts and the frame loop around it). A holder
  // is any object whose `value` the runtime owns; the driver reads it once
  // when an animation starts and writes it on every frame. One animation
  // per holder; the last assignment wins.
  // ---------------------------------------------------------------------
  const running = new Map(); // holder -> animation

  function requireHolder(holder, what) {
    if (holder === null || (typeof holder !== 'object' && typeof holder !== 'function')) {
      throw new TypeError(what + ': the holder must be an object with a `value`');
    }
  }

  // Stops the holder's animation, if any, without a callback; returns it.
  function detach(holder) {
    const previous = running.get(holder);
    if (previous === undefined) {
      return null;
    }
    running.delete(holder);
    previous.cancelled = true;
    return previous;
  }

  // Assigns `valueOrAnimation` to `holder` at frame time `now` (ms). A plain
  // value is written at once. An animation starts from `holder.value`
  // (`onStart(animation, holder.value, now, previous)`) and takes its first
  // step at `now`, as valueSetter does. An animation it replaces gets
  // callback(false, value) after the new one has started. Returns whether
  // the holder is animating afterwards.
  function animateTo(holder, valueOrAnimation, now) {
    requireHolder(holder, 'animateTo');
    const animation = isAnimation(valueOrAnimation) ? valueOrAnimation : null;
    if (animation !== null) {
      requireTime(now, 'animateTo');
    }
    const previous = detach(holder);
    let error = null;
    try {
      if (animation === null) {
        holder.value = valueOrAnimation;
      } else if (!animation.isHigherOrder && 'toValue' in animation && holder.value === animation.current) {
        // Already at the target: done without a frame (valueSetter.ts).
        callCallback(animation, true, holder.value);
      } else {
        animation.cancelled = false;
        animation.onStart(animation, holder.value, now, previous);
        running.set(holder, animation);
        const finished = animation.onFrame(animation, now);
        holder.value = animation.current;
        if (finished) {
          running.delete(holder);
          callCallback(animation, true, animation.current);
        }
      }
    } catch (e) {
      if (running.get(holder) === animation) {
        running.delete(holder);
      }
      error = e;
    }
    if (previous !== null) {
      try {
        callCallback(previous, false, holder.value);
      } catch (e) {
        if (error === null) {
          error = e;
        }
      }
    }
    if (error !== null) {
      throw error;
    }
    return running.has(holder);
  }

  // Advances every running animation to `now` (ms), writes each holder's
  // value, and calls the callbacks of those that finished with
  // (true, value). Animations started by those callbacks wait for the next
  // frame. One animation throwing (a user easing or callback) drops only
  // that animation; the first error is rethrown once all have run. Returns
  // whether any animation is still running.
  function frame(now) {
    requireTime(now, 'frame');
    let error = null;
    for (const entry of Array.from(running.entries())) {
      const holder = entry[0];
      const animation = entry[1];
      if (running.get(holder) !== animation) {
        continue; // replaced or cancelled by a callback earlier this frame
      }
      let finished;
      try {
        finished = animation.onFrame(animation, now);
        holder.value = animation.current;
      } catch (e) {
        if (running.get(holder) === animation) {
          running.delete(holder);
        }
        if (error === null) {
          error = e;
        }
        continue;
      }
      if (finished) {
        running.delete(holder);
        try {
          callCallback(animation, true, animation.current);
        } catch (e) {
          if (error === null) {
            error = e;
          }
        }
      }
    }
    if (error !== null) {
      throw error;
    }
    return running.size > 0;
  }

  // Stops the holder's animation where it is and calls its callback with
  // (false, value). Returns whether one was running.
  function cancel(holder) {
    const previous = detach(holder);
    if (previous === null) {
      return false;
    }
    callCallback(previous, false, holder.value);
    return true;
  }

  // wx.worklet.cancelAnimation(sharedValue): Reanimated's cancelAnimation
  // (src/animation/util.ts) assigns the value to itself. A holder this
  // driver animates is cancelled directly; anything else (a SharedValue
  // whose setter calls animateTo) gets the self-assignment.
  function cancelAnimation(sharedValue) {
    if (sharedValue === null || sharedValue === undefined) {
      return;
    }
    if (running.has(sharedValue)) {
      cancel(sharedValue);
      return;
    }
    sharedValue.value = sharedValue.value; // eslint-disable-line no-self-assign
  }

  // With a holder: whether it is animating. Without: whether any is.
  function isAnimating(holder) {
    if (holder === undefined) {
      return running.size > 0;
    }
    return running.has(holder);
  }

  const api = Object.freeze({
    Easing,
    timing,
    spring,
    decay,
    sequence,
    repeat,
    delay,
    cancelAnimation,
    animateTo,
    frame,
    cancel,
    isAnimating,
    isAnimation,
  });
  Object.defineProperty(globalThis, GLOBAL, {
    value: api,
    writable: false,
    enumerable: false,
    configurable: false,
  });
})();
