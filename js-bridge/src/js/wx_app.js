// The app-level wx APIs real pages call on load: app events (onAppShow,
// onError, onUnhandledRejection...), launch and account info, the menu
// button's rectangle, authorisation settings, feedback no-ops (vibrate,
// analytics), background settings, getImageInfo and preloadAssets.
// Evaluated after wx.js; Rust through `internals.wxNative` (src/wx/mod.rs).
//
// Invariants:
// - App events are fed by wrapping `__cirrus.callApp` / `appError`, the
//   entry points the logic loop (logic.rs) already calls: a wx listener
//   fires right after the App's own hook of the same event.
// - Async results arrive in a later tick, never inside the call.
// - Built-ins only through bootstrap.js's primordials (see its header).
(function (global) {
  'use strict';
  const wx = global.wx;
  const cirrus = global.__cirrus;
  const internals = cirrus.internals;
  const native = internals.wxNative;
  const queueTick = internals.queueTick;
  const reportError = internals.reportError;
  const wxPending = internals.wxPending;
  const pageStack = internals.pageStack;
  const {
    ReflectApply, ObjectKeys, ObjectAssign, ArrayIsArray, arraySlice, arrayMap, arrayRemove,
    StringCtor, StringPrototypeIndexOf, StringPrototypeSlice, stringSplit, startsWith, endsWith,
    RegExpPrototypeExec, regExpTest, JSONParse, JSONStringify, ErrorCtor, PromiseCtor,
  } = internals.primordials;
  // wx.js's storage, as it was when the engine booted.
  const setStorageSync = wx.setStorageSync;
  const getStorageSync = wx.getStorageSync;

  function isOk(result) {
    return typeof result.errMsg === 'string' && endsWith(result.errMsg, ':ok');
  }

  // success/fail then complete in a later tick, or a Promise without callbacks.
  function settle(options, result) {
    const o = options !== null && typeof options === 'object' ? options : {};
    const callbacks = typeof o.success === 'function' || typeof o.fail === 'function' ||
      typeof o.complete === 'function';
    if (!callbacks) {
      return new PromiseCtor(function (resolve, reject) {
        queueTick(isOk(result) ? resolve : reject, undefined, [result]);
      });
    }
    queueTick(function () {
      try {
        const callback = isOk(result) ? o.success : o.fail;
        if (typeof callback === 'function') ReflectApply(callback, o, [result]);
      } finally {
        if (typeof o.complete === 'function') ReflectApply(o.complete, o, [result]);
      }
    });
    return undefined;
  }

  function copy(value) {
    return value === undefined ? undefined : JSONParse(JSONStringify(value));
  }

  // ---- app events --------------------------------------------------------------
  const listeners = {
    __proto__: null,
    AppShow: [], AppHide: [], Error: [], UnhandledRejection: [], ThemeChange: [], PageNotFound: [],
    MemoryWarning: [],
  };

  function emit(event, arg) {
    const list = arraySlice(listeners[event], 0);
    for (let i = 0; i < list.length; i++) {
      const listener = list[i];
      try {
        listener(arg);
      } catch (e) {
        reportError(e);
      }
    }
  }

  function addAppEvent(event) {
    const list = listeners[event];
    wx['on' + event] = function (listener) {
      if (typeof listener === 'function') list[list.length] = listener;
    };
    // Without a listener, removes them all (as WeChat does).
    wx['off' + event] = function (listener) {
      if (typeof listener !== 'function') {
        list.length = 0;
        return;
      }
      arrayRemove(list, listener);
    };
  }
  const appEvents = ObjectKeys(listeners);
  for (let i = 0; i < appEvents.length; i++) addAppEvent(appEvents[i]);

  let launchOptions = null;
  let enterOptions = null;
  const APP_EVENTS = { __proto__: null, onShow: 'AppShow', onHide: 'AppHide', onPageNotFound: 'PageNotFound', onThemeChange: 'ThemeChange' };
  const callApp = cirrus.callApp;
  cirrus.callApp = function (hook, arg) {
    if (hook === 'onLaunch') launchOptions = copy(arg);
    if (hook === 'onShow') enterOptions = copy(arg);
    callApp(hook, arg);
    if (APP_EVENTS[hook]) emit(APP_EVENTS[hook], copy(arg));
  };

  // The host is short of memory (logic.rs, after collecting garbage).
  cirrus.memoryWarning = function (arg) {
    emit('MemoryWarning', copy(arg));
  };

  // logic.rs reports unhandled rejections with this prefix (drain_jobs_and_ticks).
  const REJECTION_PREFIX = 'Unhandled promise rejection: ';
  const appError = cirrus.appError;
  cirrus.appError = function (message) {
    appError(message);
    const text = StringCtor(message);
    if (startsWith(text, REJECTION_PREFIX)) {
      // The reason reaches JS as text: the promise itself is gone by now.
      const reason = stringSplit(StringPrototypeSlice(text, REJECTION_PREFIX.length), '\n')[0];
      emit('UnhandledRejection', { reason: reason, promise: undefined });
    } else {
      emit('Error', text);
    }
  };

  // ---- launch and account ------------------------------------------------------
  function config() {
    return typeof global.__wxConfig === 'object' && global.__wxConfig !== null ? global.__wxConfig : {};
  }

  function fallbackLaunch() {
    const info = config().appLaunchInfo || {};
    return { path: info.path || '', query: info.query || {}, scene: 1001, referrerInfo: {} };
  }

  // In WeChat's key order, whatever order Rust's JSON gave.
  function launchShape(options) {
    return {
      path: options.path,
      query: options.query || {},
      scene: options.scene === undefined ? 1001 : options.scene,
      referrerInfo: options.referrerInfo || {},
    };
  }
  wx.getLaunchOptionsSync = function () {
    return launchShape(copy(launchOptions) || fallbackLaunch());
  };
  wx.getEnterOptionsSync = function () {
    return launchShape(copy(enterOptions || launchOptions) || fallbackLaunch());
  };
  wx.getAccountInfoSync = function () {
    const appId = config().appId || (config().accountInfo && config().accountInfo.appId);
    return {
      miniProgram: { appId: appId || 'touristappid', envVersion: 'develop', version: '' },
      plugin: {},
    };
  };

  // ---- system ------------------------------------------------------------------
  // The capsule's rectangle comes from Rust, next to the navigation bar's
  // own geometry (src/wx/mod.rs `menu_button_rect`).
  wx.getMenuButtonBoundingClientRect = function () {
    const r = JSONParse(native.menuButton());
    return { width: r.width, height: r.height, top: r.top, right: r.right, bottom: r.bottom, left: r.left };
  };

  wx.getAppAuthorizeSetting = function () {
    return {
      albumAuthorized: 'not determined',
      bluetoothAuthorized: 'not determined',
      cameraAuthorized: 'not determined',
      locationAuthorized: 'not determined',
      locationReducedAccuracy: false,
      microphoneAuthorized: 'not determined',
      notificationAuthorized: 'not determined',
      notificationAlertAuthorized: 'not determined',
      notificationBadgeAuthorized: 'not determined',
      notificationSoundAuthorized: 'not determined',
      phoneCalendarAuthorized: 'not determined',
    };
  };

  // ---- feedback without an effect on a desktop ---------------------------------
  function noOp(name) {
    return function (options) {
      return settle(options, { errMsg: name + ':ok' });
    };
  }
  wx.vibrateShort = noOp('vibrateShort');
  wx.vibrateLong = noOp('vibrateLong');
  wx.preloadAssets = noOp('preloadAssets');
  // Analytics go nowhere: accepted, nothing reported back.
  wx.reportAnalytics = function () {};
  wx.reportEvent = function () {};
  wx.reportMonitor = function () {};

  // Screen and chrome requests with nothing to do here: there is no screen
  // lock, no home button and no pull-down refresh running in the engine.
  wx.setKeepScreenOn = noOp('setKeepScreenOn');
  wx.hideHomeButton = noOp('hideHomeButton');
  wx.stopPullDownRefresh = noOp('stopPullDownRefresh');
  wx.getNetworkType = function (options) {
    return settle(options, { errMsg: 'getNetworkType:ok', networkType: 'wifi', signalStrength: 0, hasSystemProxy: false });
  };

  // ---- batch storage, on top of wx.js's storage ------------------------------
  function failed(name, error) {
    const message = error && error.message ? StringCtor(error.message) : StringCtor(error);
    if (StringPrototypeIndexOf(message, ':fail') < 0) return { errMsg: name + ':fail ' + message };
    // "otherName:fail ..." -> "name:fail ...".
    const api = RegExpPrototypeExec(/^\w+:/, message);
    return { errMsg: api ? name + ':' + StringPrototypeSlice(message, api[0].length) : message };
  }
  wx.batchSetStorageSync = function (kvList) {
    if (!ArrayIsArray(kvList)) throw new ErrorCtor('batchSetStorageSync:fail parameter error: kvList should be Array');
    for (let i = 0; i < kvList.length; i++) {
      const item = kvList[i];
      setStorageSync(item && item.key, item && item.value);
    }
  };
  wx.batchGetStorageSync = function (keyList) {
    if (!ArrayIsArray(keyList)) throw new ErrorCtor('batchGetStorageSync:fail parameter error: keyList should be Array');
    return arrayMap(keyList, function (key) { return getStorageSync(key); });
  };
  const batchSetStorageSync = wx.batchSetStorageSync;
  const batchGetStorageSync = wx.batchGetStorageSync;
  wx.batchSetStorage = function (options) {
    const o = options !== null && typeof options === 'object' ? options : {};
    try {
      batchSetStorageSync(o.kvList);
    } catch (e) {
      return settle(options, failed('batchSetStorage', e));
    }
    return settle(options, { errMsg: 'batchSetStorage:ok' });
  };
  wx.batchGetStorage = function (options) {
    const o = options !== null && typeof options === 'object' ? options : {};
    let dataList;
    try {
      dataList = batchGetStorageSync(o.keyList);
    } catch (e) {
      return settle(options, failed('batchGetStorage', e));
    }
    return settle(options, { errMsg: 'batchGetStorage:ok', dataList: dataList });
  };

  // ---- background ----------------------------------------------------------------
  // Kept (Skyline draws no background outside the page yet).
  const background = { backgroundColor: '', backgroundColorTop: '', backgroundColorBottom: '', textStyle: 'dark' };
  internals.backgroundSettings = function () {
    return ObjectAssign({}, background);
  };
  const BACKGROUND_COLORS = ['backgroundColor', 'backgroundColorTop', 'backgroundColorBottom'];
  wx.setBackgroundColor = function (options) {
    const o = options !== null && typeof options === 'object' ? options : {};
    for (let i = 0; i < BACKGROUND_COLORS.length; i++) {
      const key = BACKGROUND_COLORS[i];
      if (typeof o[key] === 'string') background[key] = o[key];
    }
    return settle(options, { errMsg: 'setBackgroundColor:ok' });
  };
  wx.setBackgroundTextStyle = function (options) {
    const o = options !== null && typeof options === 'object' ? options : {};
    if (o.textStyle !== 'dark' && o.textStyle !== 'light') {
      return settle(options, { errMsg: 'setBackgroundTextStyle:fail invalid textStyle "' + o.textStyle + '"' });
    }
    background.textStyle = o.textStyle;
    return settle(options, { errMsg: 'setBackgroundTextStyle:ok' });
  };

  // A call answered later, as a completion of the id `start` is given:
  // success or fail then complete, or the returned Promise settles when
  // no callback was passed.
  function pendingCall(o, start) {
    const callbacks = typeof o.success === 'function' || typeof o.fail === 'function' ||
      typeof o.complete === 'function';
    let resolve;
    let reject;
    const promise = callbacks ? undefined : new PromiseCtor(function (yes, no) {
      resolve = yes;
      reject = no;
    });
    wxPending(function (result) {
      if (!callbacks) return isOk(result) ? resolve(result) : reject(result);
      try {
        const callback = isOk(result) ? o.success : o.fail;
        if (typeof callback === 'function') ReflectApply(callback, o, [result]);
      } finally {
        if (typeof o.complete === 'function') ReflectApply(o.complete, o, [result]);
      }
      return undefined;
    }, start);
    return promise;
  }

  // ---- images ------------------------------------------------------------------------
  // A package file is decoded now (its header only); an http(s) URL goes
  // to the HTTP workers like downloadFile, and the answer comes back as a
  // completion.
  wx.getImageInfo = function (options) {
    const o = options !== null && typeof options === 'object' ? options : {};
    const src = typeof o.src === 'string' ? o.src : '';
    if (regExpTest(/^https?:\/\//i, src)) {
      return pendingCall(o, function (id) {
        native.imageInfoRemote(id, src);
      });
    }
    return settle(options, JSONParse(native.imageInfo(src, currentRoute())));
  };

  const wxDeliver = cirrus.wxDeliver;
  // ---- fonts -------------------------------------------------------------------------
  // A package font is checked and sent to the render thread now; an
  // http(s) one is downloaded by the HTTP workers first. Either way the
  // callbacks run in a later tick, with `status` as WeChat reports it.
  wx.loadFontFace = function (options) {
    const o = options !== null && typeof options === 'object' ? options : {};
    const family = typeof o.family === 'string' ? o.family : '';
    const source = typeof o.source === 'string' ? o.source : '';
    return pendingCall(o, function (id) {
      const now = native.loadFontFace(id, family, source, currentRoute());
      if (now !== null && now !== undefined) {
        const result = JSONParse(now);
        queueTick(function () { wxDeliver(id, result); });
      }
    });
  };

  // The route of the page on top: relative image paths resolve against it.
  function currentRoute() {
    const top = pageStack[pageStack.length - 1];
    return top && typeof top.route === 'string' ? top.route : '';
  }
})(globalThis);
