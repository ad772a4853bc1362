// Routing on the JS side (https://developers.weixin.qq.com/miniprogram/dev/reference/api/Page.html): wx.navigateTo / redirectTo /
// navigateBack / switchTab / reLaunch, EventChannel, getOpenerEventChannel,
// and wx.setNavigationBarTitle / setNavigationBarColor.
//
// Invariants:
// - Rust (router.rs) owns the page stack and runs every route, after the
//   JS call that asked for it has returned; this file only queues requests
//   (`native.route`) and settles them when Rust calls `__cirrus.router.*`.
// - `pageStack` (bootstrap.js's array, what getCurrentPages() copies) always
//   lists the pages of Rust's stack, bottom first: Rust calls `forget`,
//   `hide` and `show` as it unloads, hides and re-shows pages.
// - A request with none of success/fail/complete returns a Promise that
//   resolves with the success result or rejects with `{ errMsg }`.
// - Built-ins only through bootstrap.js's primordials (see its header).
(function (global) {
  'use strict';
  const native = global.__cirrusRouterNative;
  delete global.__cirrusRouterNative;
  const internals = global.__cirrus.internals;
  const pagesById = internals.pagesById;
  const pageStack = internals.pageStack;
  const {
    ReflectApply, ObjectKeys, ObjectCreate, ObjectDefineProperty, ObjectPrototypeToString,
    ArrayPrototypeIndexOf, arrayFilter, arrayRemoveAt, StringCtor, NumberCtor, StringPrototypeSlice,
    StringPrototypeToLowerCase, MathFloor, PromiseCtor, queueMicrotask, SafeMap,
  } = internals.primordials;

  // ---- EventChannel ------------------------------------------------------
  // One channel joins an opener and the page it opened: either side's emit
  // calls the listeners registered (by either side) for that event name.
  function EventChannel(events) {
    ObjectDefineProperty(this, '__listeners', { __proto__: null, value: ObjectCreate(null) });
    if (events && typeof events === 'object') {
      const names = ObjectKeys(events);
      for (let i = 0; i < names.length; i++) {
        if (typeof events[names[i]] === 'function') addListener(this, StringCtor(names[i]), events[names[i]], false);
      }
    }
  }

  function addListener(channel, name, fn, once) {
    if (typeof fn !== 'function') return;
    const list = channel.__listeners[name] || (channel.__listeners[name] = []);
    list[list.length] = { fn: fn, once: once };
  }

  EventChannel.prototype.on = function (name, fn) {
    addListener(this, StringCtor(name), fn, false);
  };
  EventChannel.prototype.once = function (name, fn) {
    addListener(this, StringCtor(name), fn, true);
  };
  // Without `fn`, removes every listener of `name`.
  EventChannel.prototype.off = function (name, fn) {
    const key = StringCtor(name);
    const list = this.__listeners[key];
    if (!list) return;
    if (typeof fn !== 'function') {
      delete this.__listeners[key];
      return;
    }
    this.__listeners[key] = arrayFilter(list, function (listener) {
      return listener.fn !== fn;
    });
  };
  EventChannel.prototype.emit = function (name, ...args) {
    const key = StringCtor(name);
    const list = this.__listeners[key];
    if (!list || list.length === 0) return;
    // Once-listeners go before running, so one that emits again is not re-run.
    this.__listeners[key] = arrayFilter(list, function (listener) {
      return !listener.once;
    });
    for (let i = 0; i < list.length; i++) ReflectApply(list[i].fn, undefined, args);
  };

  // ---- callbacks and promises ---------------------------------------------
  function wantsPromise(options) {
    return !(
      typeof options.success === 'function' ||
      typeof options.fail === 'function' ||
      typeof options.complete === 'function'
    );
  }

  // Calls success/fail then complete, or settles the promise.
  function finish(request, failMessage, result) {
    const options = request.options;
    if (failMessage === null || failMessage === undefined) {
      if (request.resolve) return request.resolve(result);
      try {
        if (typeof options.success === 'function') ReflectApply(options.success, options, [result]);
      } finally {
        if (typeof options.complete === 'function') ReflectApply(options.complete, options, [result]);
      }
      return undefined;
    }
    const error = { errMsg: failMessage };
    if (request.reject) return request.reject(error);
    try {
      if (typeof options.fail === 'function') ReflectApply(options.fail, options, [error]);
    } finally {
      if (typeof options.complete === 'function') ReflectApply(options.complete, options, [error]);
    }
    return undefined;
  }

  // A request whose outcome is known in JS: settled after the current call,
  // as WeChat's callbacks never run inside the call that asked.
  function settleSoon(api, options, failMessage, result) {
    const request = { api: api, options: options };
    let promise;
    if (wantsPromise(options)) {
      promise = new PromiseCtor(function (resolve, reject) {
        request.resolve = resolve;
        request.reject = reject;
      });
    }
    queueMicrotask(function () {
      finish(request, failMessage, result);
    });
    return promise;
  }

  function typeName(value) {
    if (value === null) return 'Null';
    if (value === undefined) return 'Undefined';
    return StringPrototypeSlice(ObjectPrototypeToString(value), 8, -1);
  }

  // ---- routes -------------------------------------------------------------
  const requests = new SafeMap();
  let lastRequestId = 0;

  function route(api, options, needsUrl) {
    options = options && typeof options === 'object' ? options : {};
    if (needsUrl && typeof options.url !== 'string') {
      return settleSoon(
        api,
        options,
        api + ':fail parameter error: parameter.url should be String instead of ' +
          typeName(options.url) + ';'
      );
    }
    const id = ++lastRequestId;
    const request = { api: api, options: options, channel: null };
    let promise;
    if (wantsPromise(options)) {
      promise = new PromiseCtor(function (resolve, reject) {
        request.resolve = resolve;
        request.reject = reject;
      });
    }
    if (api === 'navigateTo') request.channel = new EventChannel(options.events);
    requests.set(id, request);
    let delta = 1;
    if (api === 'navigateBack' && options.delta !== undefined) {
      delta = MathFloor(NumberCtor(options.delta));
      if (!(delta >= 1)) delta = 1;
    }
    native.route(id, api, needsUrl ? options.url : '', delta);
    return promise;
  }

  const wx = global.wx;
  wx.navigateTo = function (options) {
    return route('navigateTo', options, true);
  };
  wx.redirectTo = function (options) {
    return route('redirectTo', options, true);
  };
  wx.navigateBack = function (options) {
    return route('navigateBack', options, false);
  };
  wx.switchTab = function (options) {
    return route('switchTab', options, true);
  };
  wx.reLaunch = function (options) {
    return route('reLaunch', options, true);
  };

  // ---- navigation bar -----------------------------------------------------
  function topPage() {
    return pageStack.length > 0 ? pageStack[pageStack.length - 1] : null;
  }

  // windowHeight is what the page on top sees: the engine's navigation bar
  // and tab bar take their share of the window (engine/src/chrome.rs).
  const screenWindowInfo = wx.getWindowInfo;
  wx.getWindowInfo = function () {
    const info = ReflectApply(screenWindowInfo, this, arguments);
    const page = topPage();
    if (page && info && typeof info === 'object') {
      info.windowHeight = native.windowHeight(page.route);
    }
    return info;
  };
  // What the page on top sees, whatever the app does to wx.getWindowInfo
  // (component.js's onResize).
  internals.pageWindowInfo = wx.getWindowInfo;

  wx.setNavigationBarTitle = function (options) {
    options = options && typeof options === 'object' ? options : {};
    const api = 'setNavigationBarTitle';
    if (typeof options.title !== 'string') {
      return settleSoon(api, options,
        api + ':fail parameter error: parameter.title should be String instead of ' +
          typeName(options.title) + ';');
    }
    const page = topPage();
    if (!page) return settleSoon(api, options, api + ':fail no page is shown');
    native.setNavigationBar(page.__pageId__, options.title, undefined, undefined);
    return settleSoon(api, options, null, { errMsg: api + ':ok' });
  };

  const FRONT_COLORS = ['#ffffff', '#000000'];
  wx.setNavigationBarColor = function (options) {
    options = options && typeof options === 'object' ? options : {};
    const api = 'setNavigationBarColor';
    const front = typeof options.frontColor === 'string' ? StringPrototypeToLowerCase(options.frontColor) : null;
    if (ArrayPrototypeIndexOf(FRONT_COLORS, front) < 0) {
      return settleSoon(api, options, api + ':fail invalid frontColor "' + options.frontColor +
        '": only #ffffff and #000000 are supported');
    }
    if (typeof options.backgroundColor !== 'string') {
      return settleSoon(api, options,
        api + ':fail parameter error: parameter.backgroundColor should be String instead of ' +
          typeName(options.backgroundColor) + ';');
    }
    const page = topPage();
    if (!page) return settleSoon(api, options, api + ':fail no page is shown');
    native.setNavigationBar(page.__pageId__, undefined, front, options.backgroundColor);
    return settleSoon(api, options, null, { errMsg: api + ':ok' });
  };

  // ---- entry points for router.rs -----------------------------------------
  function removeFromStack(page) {
    const index = ArrayPrototypeIndexOf(pageStack, page);
    if (index >= 0) arrayRemoveAt(pageStack, index);
  }

  global.__cirrus.router = {
    // The page `pageId` was created (and pushed) by request `requestId`
    // (0 for launch, a tab tap, ...): give it its opener's channel.
    opened: function (requestId, pageId) {
      const page = pagesById.get(pageId);
      if (!page) return;
      const request = requests.get(requestId);
      const channel = (request && request.channel) || new EventChannel();
      ObjectDefineProperty(page, 'getOpenerEventChannel', {
        __proto__: null,
        value: function () {
          return channel;
        },
        configurable: true,
        enumerable: false,
      });
    },
    // Runs the callbacks of request `id`: `failMessage` null means success.
    settle: function (id, failMessage) {
      const request = requests.get(id);
      if (!request) return;
      requests.delete(id);
      const result = { errMsg: request.api + ':ok' };
      if (request.channel) result.eventChannel = request.channel;
      finish(request, failMessage, result);
    },
    // The page was unloaded: off the stack, its instance unreachable.
    forget: function (pageId) {
      const page = pagesById.get(pageId);
      if (!page) return;
      removeFromStack(page);
      pagesById.delete(pageId);
    },
    // A tab page left the stack (switchTab) but lives on.
    hide: function (pageId) {
      const page = pagesById.get(pageId);
      if (page) removeFromStack(page);
    },
    // A hidden tab page is the top of the stack again.
    show: function (pageId) {
      const page = pagesById.get(pageId);
      if (page && ArrayPrototypeIndexOf(pageStack, page) < 0) pageStack[pageStack.length] = page;
    },
  };
})(globalThis);
