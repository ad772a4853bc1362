// The wx.* APIs of https://developers.weixin.qq.com/miniprogram/dev/api/ other than routing: system information, canIUse,
// base64, storage, request/downloadFile, selector queries, intersection
// observers and the feedback dialogs. Evaluated after bootstrap.js; Rust is
// reached through `__wxNative` (see src/wx/mod.rs).
//
// Invariants:
// - Async APIs never call back synchronously: results arrive in a later
//   tick (local work) or a later turn (network, render thread).
// - `errMsg` decides the outcome: "name:ok" is success, "name:fail …" fail.
// - Without success/fail/complete, the APIs https://developers.weixin.qq.com/miniprogram/dev/api/ marks as promisified
//   return a Promise; request and downloadFile always return their task.
// - Every id handed to Rust comes from `nextId`; a completion whose id is no
//   longer pending (aborted) is ignored.
// - Built-ins only through bootstrap.js's primordials (see its header).
(function (global) {
  'use strict';
  const native = global.__wxNative;
  delete global.__wxNative;
  const wx = global.wx;
  const cirrus = global.__cirrus;
  const internals = cirrus.internals;
  // The wx_*.js files evaluated after this one reach Rust through it too.
  internals.wxNative = native;
  const queueTick = internals.queueTick;
  const hasOwn = internals.hasOwn;
  const pageStack = internals.pageStack;
  const {
    ReflectApply, ObjectKeys, ObjectAssign, ArrayIsArray, ArrayPrototypeIndexOf, ArrayPrototypeJoin,
    arraySlice, arrayMap, arrayFilter, arrayRemove, StringCtor, NumberCtor, StringPrototypeIndexOf,
    StringPrototypeToLowerCase, StringPrototypeToUpperCase, stringSplit, endsWith,
    RegExpPrototypeExec, regExpTest, JSONParse, JSONStringify, MathMax, DateCtor, DatePrototypeGetTime,
    EncodeURIComponent, ArrayBufferCtor, ArrayBufferIsView, ArrayBufferPrototypeSlice, ErrorCtor,
    TypeErrorCtor, PromiseCtor, SafeMap,
  } = internals.primordials;

  let lastId = 0;
  function nextId() {
    lastId += 1;
    return lastId;
  }
  // id -> function (result, bytes), called once.
  const pending = new SafeMap();
  // id -> function (entry), called on every notification.
  const observers = new SafeMap();

  // ---- call conventions ----------------------------------------------------
  function isOk(result) {
    return typeof result.errMsg === 'string' && endsWith(result.errMsg, ':ok');
  }

  function hasCallbacks(options) {
    return typeof options.success === 'function' || typeof options.fail === 'function' ||
      typeof options.complete === 'function';
  }

  // Runs `start(done)`; `done(result)` calls success or fail, then complete,
  // or settles the promise returned when no callback was given.
  function asyncCall(options, start) {
    const opts = options !== null && typeof options === 'object' ? options : {};
    if (hasCallbacks(opts)) {
      start(function (result) {
        try {
          const callback = isOk(result) ? opts.success : opts.fail;
          if (typeof callback === 'function') ReflectApply(callback, opts, [result]);
        } finally {
          if (typeof opts.complete === 'function') ReflectApply(opts.complete, opts, [result]);
        }
      }, opts);
      return undefined;
    }
    return new PromiseCtor(function (resolve, reject) {
      start(function (result) {
        if (isOk(result)) resolve(result);
        else reject(result);
      }, opts);
    });
  }

  // An API whose work is done now: the result is delivered in the next tick.
  function localCall(options, work) {
    return asyncCall(options, function (done, opts) {
      const result = work(opts);
      queueTick(done, undefined, [result]);
    });
  }

  function failure(name, reason) {
    return { errMsg: name + ':fail ' + reason };
  }

  // ---- system ----------------------------------------------------------------
  const windowInfo = wx.getWindowInfo;
  const SDK_VERSION = '3.8.0';

  function deviceInfo() {
    return {
      abi: '',
      deviceAbi: '',
      benchmarkLevel: 1,
      brand: 'cirrus',
      model: 'cirrus',
      system: 'cirrus',
      platform: 'devtools',
      cpuType: 'unknown',
      memorySize: 0,
    };
  }

  function appBaseInfo() {
    return {
      SDKVersion: SDK_VERSION,
      enableDebug: false,
      host: { env: 'WeChat' },
      language: 'zh_CN',
      version: '8.0.50',
      theme: cirrus.theme === 'dark' ? 'dark' : 'light',
      fontSizeSetting: 16,
    };
  }

  function systemSetting() {
    const w = windowInfo();
    return {
      bluetoothEnabled: false,
      locationEnabled: false,
      wifiEnabled: true,
      deviceOrientation: w.windowWidth > w.windowHeight ? 'landscape' : 'portrait',
    };
  }

  function systemInfo() {
    const info = ObjectAssign({}, deviceInfo(), appBaseInfo(), windowInfo(), systemSetting());
    const flags = ['albumAuthorized', 'cameraAuthorized', 'locationAuthorized', 'microphoneAuthorized',
      'notificationAuthorized', 'notificationAlertAuthorized', 'notificationBadgeAuthorized',
      'notificationSoundAuthorized', 'phoneCalendarAuthorized', 'bluetoothAuthorized'];
    for (let i = 0; i < flags.length; i++) info[flags[i]] = false;
    info.locationReducedAccuracy = false;
    return info;
  }

  function skylineInfo() {
    return { isSupported: true, version: '0.9.7' };
  }

  // ---- canIUse: the capability manifest, in one place ------------------------
  // APIs: name -> the parameters its `object` accepts (null: not checked).
  // Components: name -> the attributes Cirrus honours.
  const CAPABILITIES = {
    apis: {
      getWindowInfo: null, getSystemInfoSync: null, getSystemInfo: null, getSystemInfoAsync: null,
      getDeviceInfo: null, getAppBaseInfo: null, getSystemSetting: null,
      getSkylineInfoSync: null, getSkylineInfo: null, canIUse: null, nextTick: null,
      base64ToArrayBuffer: null, arrayBufferToBase64: null, env: null,
      setStorage: ['key', 'data'], setStorageSync: null, getStorage: ['key'], getStorageSync: null,
      removeStorage: ['key'], removeStorageSync: null, clearStorage: [], clearStorageSync: null,
      getStorageInfo: [], getStorageInfoSync: null,
      request: {
        url: null, data: null, header: null, timeout: null, dataType: null, responseType: null,
        method: ['OPTIONS', 'GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'TRACE', 'CONNECT', 'PATCH'],
      },
      downloadFile: ['url', 'header', 'timeout', 'filePath'],
      createSelectorQuery: null, createIntersectionObserver: null,
      showToast: ['title', 'icon', 'duration', 'mask'], hideToast: [],
      showLoading: ['title', 'mask'], hideLoading: [],
      showModal: ['title', 'content', 'showCancel', 'cancelText', 'cancelColor', 'confirmText', 'confirmColor'],
      showActionSheet: ['alertText', 'itemList', 'itemColor'],
      // Routing and the navigation bar count only when they are installed.
      navigateTo: null, redirectTo: null, navigateBack: null, switchTab: null, reLaunch: null,
      setNavigationBarTitle: null, setNavigationBarColor: null,
    },
    components: {
      view: ['hover-class', 'hover-stop-propagation', 'hover-start-time', 'hover-stay-time', 'animation'],
      text: ['user-select', 'selectable', 'space', 'decode'],
      image: ['src', 'mode', 'webp', 'lazy-load', 'animation'],
      'scroll-view': ['scroll-x', 'scroll-y', 'scroll-top', 'scroll-left', 'scroll-into-view',
        'upper-threshold', 'lower-threshold', 'bindscroll', 'bindscrolltoupper', 'bindscrolltolower',
        'clip', 'cache-extent'],
      block: [],
    },
    // Sync APIs whose `return` (and async twins whose `success`) fields can
    // be checked against a real answer.
    answers: {
      getWindowInfo: windowInfo, getSystemInfoSync: systemInfo, getSystemInfo: systemInfo,
      getSystemInfoAsync: systemInfo, getDeviceInfo: deviceInfo, getAppBaseInfo: appBaseInfo,
      getSystemSetting: systemSetting, getSkylineInfoSync: skylineInfo, getSkylineInfo: skylineInfo,
      getStorageInfoSync: function () { return { keys: [], currentSize: 0, limitSize: 0 }; },
      getStorageInfo: function () { return { keys: [], currentSize: 0, limitSize: 0 }; },
    },
  };

  function hasPath(value, parts) {
    let cursor = value;
    for (let i = 0; i < parts.length; i++) {
      if (cursor === null || typeof cursor !== 'object' || !(parts[i] in cursor)) return false;
      cursor = cursor[parts[i]];
    }
    return true;
  }

  function canIUse(schema) {
    if (typeof schema !== 'string' || schema === '') return false;
    const parts = stringSplit(schema, '.');
    const name = parts[0];
    if (hasOwn(CAPABILITIES.components, name)) {
      if (parts.length === 1) return true;
      return ArrayPrototypeIndexOf(CAPABILITIES.components[name], parts[1]) >= 0 && parts.length <= 3;
    }
    if (!hasOwn(CAPABILITIES.apis, name)) {
      // Not described parameter by parameter: the manifest's claim decides
      // (wx_manifest.js), for the API and anything under it.
      const works = internals.wxApiWorks;
      return typeof works === 'function' && works(name) && name in wx;
    }
    if (!(name in wx)) return false;
    if (parts.length === 1) return true;
    const method = parts[1];
    const rest = arraySlice(parts, 2);
    if (method === 'return' || method === 'success') {
      const answer = hasOwn(CAPABILITIES.answers, name) ? CAPABILITIES.answers[name] : undefined;
      return answer ? hasPath(answer(), rest) : true;
    }
    if (method === 'object') {
      const params = CAPABILITIES.apis[name];
      if (params === null || rest.length === 0) return true;
      if (ArrayIsArray(params)) return rest.length === 1 && ArrayPrototypeIndexOf(params, rest[0]) >= 0;
      if (!hasOwn(params, rest[0])) return false;
      const options = params[rest[0]];
      return rest.length === 1 || (options !== null && ArrayPrototypeIndexOf(options, rest[1]) >= 0);
    }
    return method === 'callback';
  }

  // ---- storage ----------------------------------------------------------------
  // Values are kept as JSON text; two values JSON cannot spell are tagged
  // (no JSON text starts with "u" or "D"): undefined and a top-level Date.
  function encodeStorage(data) {
    if (data === undefined) return 'undefined';
    if (data instanceof DateCtor) return 'Date(' + DatePrototypeGetTime(data) + ')';
    const json = JSONStringify(data);
    if (json === undefined) throw new TypeErrorCtor('data is not JSON-serialisable');
    return json;
  }

  function decodeStorage(text) {
    if (text === 'undefined') return undefined;
    const date = RegExpPrototypeExec(/^Date\((-?\d+)\)$/, text);
    if (date) return new DateCtor(NumberCtor(date[1]));
    return JSONParse(text);
  }

  function checkKey(name, key) {
    if (typeof key !== 'string' || key === '') {
      return failure(name, 'parameter error: parameter.key should be String instead of ' +
        (key === undefined ? 'Undefined' : typeof key === 'string' ? 'empty String' : typeof key));
    }
    return null;
  }

  function storageSet(name, key, data) {
    const bad = checkKey(name, key);
    if (bad) return bad;
    let text;
    try {
      text = encodeStorage(data);
    } catch (e) {
      return failure(name, 'parameter error: ' + e.message);
    }
    const problem = native.storageSet(key, text);
    return problem ? failure(name, problem) : { errMsg: name + ':ok' };
  }

  function storageGet(name, key) {
    const bad = checkKey(name, key);
    if (bad) return bad;
    const text = native.storageGet(key);
    if (text === null || text === undefined) return failure(name, 'data not found');
    return { errMsg: name + ':ok', data: decodeStorage(text) };
  }

  function storageRemove(name, key) {
    const bad = checkKey(name, key);
    if (bad) return bad;
    const problem = native.storageRemove(key);
    return problem ? failure(name, problem) : { errMsg: name + ':ok' };
  }

  function storageClear(name) {
    const problem = native.storageClear();
    return problem ? failure(name, problem) : { errMsg: name + ':ok' };
  }

  function storageInfo(name) {
    const info = JSONParse(native.storageInfo());
    info.errMsg = name + ':ok';
    return info;
  }

  function throwIfFailed(result) {
    if (!isOk(result)) throw new ErrorCtor(result.errMsg);
    return result;
  }

  // ---- network ----------------------------------------------------------------
  function headerValue(header, name) {
    const keys = ObjectKeys(header);
    for (let i = 0; i < keys.length; i++) {
      if (StringPrototypeToLowerCase(keys[i]) === name) return StringCtor(header[keys[i]]);
    }
    return undefined;
  }

  function encodeQuery(data) {
    const keys = arrayFilter(ObjectKeys(data), function (key) {
      return data[key] !== undefined;
    });
    return ArrayPrototypeJoin(arrayMap(keys, function (key) {
      const value = data[key];
      const text = value !== null && typeof value === 'object' ? JSONStringify(value) : StringCtor(value);
      return EncodeURIComponent(key) + '=' + EncodeURIComponent(text);
    }), '&');
  }

  function bufferOf(data) {
    if (data instanceof ArrayBufferCtor) return data;
    if (ArrayBufferIsView(data)) {
      return ArrayBufferPrototypeSlice(data.buffer, data.byteOffset, data.byteOffset + data.byteLength);
    }
    return null;
  }

  function makeTask(id, name) {
    const headerListeners = [];
    return {
      abort: function () {
        const callback = pending.get(id);
        if (!callback) return;
        pending.delete(id);
        native.abort(id);
        queueTick(callback, undefined, [failure(name, 'abort')]);
      },
      onHeadersReceived: function (listener) {
        if (typeof listener === 'function') headerListeners[headerListeners.length] = listener;
      },
      offHeadersReceived: function (listener) {
        arrayRemove(headerListeners, listener);
      },
      // Bodies arrive whole; chunk and progress events are accepted, and a
      // download reports its 100 % at the end.
      onChunkReceived: function () {},
      offChunkReceived: function () {},
      onProgressUpdate: function (listener) {
        if (typeof listener === 'function') this.__progress = listener;
      },
      offProgressUpdate: function () {
        this.__progress = undefined;
      },
      __headerListeners: headerListeners,
    };
  }

  function request(options) {
    const opts = options !== null && typeof options === 'object' ? options : {};
    const id = nextId();
    const task = makeTask(id, 'request');
    let settle;
    asyncCall(hasCallbacks(opts) ? opts : ObjectAssign({}, opts, { complete: function () {} }),
      function (done) { settle = done; });
    const url = StringCtor(opts.url === undefined ? '' : opts.url);
    if (!regExpTest(/^https?:\/\//i, url)) {
      queueTick(settle, undefined, [failure('request', 'invalid url "' + url + '"')]);
      return task;
    }
    const method = StringPrototypeToUpperCase(StringCtor(opts.method || 'GET'));
    const header = ObjectAssign({}, opts.header || {});
    if (headerValue(header, 'content-type') === undefined) header['content-type'] = 'application/json';
    const dataType = opts.dataType === undefined ? 'json' : opts.dataType;
    const binary = opts.responseType === 'arraybuffer';
    let target = url;
    let body;
    const data = opts.data;
    if (data !== undefined && data !== null) {
      const buffer = bufferOf(data);
      if (method === 'GET') {
        const query = typeof data === 'object' && !buffer ? encodeQuery(data) : StringCtor(data);
        if (query) target += (StringPrototypeIndexOf(target, '?') >= 0 ? '&' : '?') + query;
      } else if (buffer) {
        body = buffer;
      } else if (typeof data === 'object') {
        const form = regExpTest(/application\/x-www-form-urlencoded/i, headerValue(header, 'content-type'));
        body = form ? encodeQuery(data) : JSONStringify(data);
      } else {
        body = StringCtor(data);
      }
    }
    pending.set(id, function (result, bytes) {
      if (isOk(result)) {
        if (binary) {
          result.data = bytes;
        } else if (dataType === 'json' && typeof result.data === 'string') {
          try {
            result.data = JSONParse(result.data);
          } catch (e) {
            // Not JSON: WeChat hands over the text.
          }
        }
        result.cookies = [];
        const listeners = task.__headerListeners;
        for (let i = 0; i < listeners.length; i++) {
          const listener = listeners[i];
          listener({ header: result.header, statusCode: result.statusCode });
        }
      }
      settle(result);
    });
    native.request(id, method, target, JSONStringify(header), body, NumberCtor(opts.timeout) || 0, binary);
    return task;
  }

  function downloadFile(options) {
    const opts = options !== null && typeof options === 'object' ? options : {};
    const id = nextId();
    const task = makeTask(id, 'downloadFile');
    let settle;
    asyncCall(hasCallbacks(opts) ? opts : ObjectAssign({}, opts, { complete: function () {} }),
      function (done) { settle = done; });
    const url = StringCtor(opts.url === undefined ? '' : opts.url);
    if (!regExpTest(/^https?:\/\//i, url)) {
      queueTick(settle, undefined, [failure('downloadFile', 'invalid url "' + url + '"')]);
      return task;
    }
    const filePath = typeof opts.filePath === 'string' ? opts.filePath : '';
    pending.set(id, function (result) {
      if (isOk(result)) {
        if (filePath) delete result.tempFilePath;
        else delete result.filePath;
        if (task.__progress) {
          ReflectApply(task.__progress, task, [{ progress: 100, totalBytesWritten: 0, totalBytesExpectedToWrite: 0 }]);
        }
      }
      settle(result);
    });
    const problem = native.download(id, url, JSONStringify(opts.header || {}),
      NumberCtor(opts.timeout) || 0, filePath);
    if (problem) {
      pending.delete(id);
      queueTick(settle, undefined, [failure('downloadFile', problem)]);
    }
    return task;
  }

  // ---- selector queries and intersection observers ---------------------------
  // The page a component or page instance belongs to (the top page if none).
  function pageIdOf(owner) {
    if (owner && owner.__pageId__ !== undefined) return owner.__pageId__;
    // A component instance carries its page's id (component.js).
    if (owner && typeof owner.__page__ === 'number') return owner.__page__;
    const top = pageStack[pageStack.length - 1];
    return top && top.__pageId__ !== undefined ? top.__pageId__ : 0;
  }

  // A component instance scopes selectors to its shadow tree: the render
  // side matches below its host only (engine query::select_scoped). Pages
  // and `undefined` query the whole page.
  function scopeOf(owner) {
    return owner && typeof owner.__host__ === 'number' ? owner.__host__ : null;
  }

  function SelectorQuery(owner) {
    this._owner = owner;
    this._requests = [];
    this._callbacks = [];
  }

  SelectorQuery.prototype.in = function (component) {
    this._owner = component;
    return this;
  };
  SelectorQuery.prototype.select = function (selector) {
    return new NodesRef(this, 'first', StringCtor(selector));
  };
  SelectorQuery.prototype.selectAll = function (selector) {
    return new NodesRef(this, 'all', StringCtor(selector));
  };
  SelectorQuery.prototype.selectViewport = function () {
    return new NodesRef(this, 'viewport', '');
  };
  SelectorQuery.prototype._push = function (ref, fields, callback) {
    const requests = this._requests;
    requests[requests.length] = {
      target: ref._target, selector: ref._selector, fields: fields, scope: scopeOf(this._owner),
    };
    const callbacks = this._callbacks;
    callbacks[callbacks.length] = typeof callback === 'function' ? callback : null;
    return this;
  };
  SelectorQuery.prototype.exec = function (callback) {
    const id = nextId();
    const callbacks = this._callbacks;
    const query = this;
    pending.set(id, function (results) {
      const list = ArrayIsArray(results) ? results : [];
      for (let i = 0; i < callbacks.length; i++) {
        if (callbacks[i]) ReflectApply(callbacks[i], query, [list[i] === undefined ? null : list[i]]);
      }
      if (typeof callback === 'function') ReflectApply(callback, query, [list]);
    });
    native.query(id, pageIdOf(this._owner), JSONStringify(this._requests));
    return query;
  };

  function NodesRef(query, target, selector) {
    this._query = query;
    this._target = target;
    this._selector = selector;
  }

  NodesRef.prototype.boundingClientRect = function (callback) {
    return this._query._push(this, { id: true, dataset: true, rect: true, size: true }, callback);
  };
  NodesRef.prototype.scrollOffset = function (callback) {
    return this._query._push(this, { id: true, dataset: true, scrollOffset: true }, callback);
  };
  NodesRef.prototype.fields = function (fields, callback) {
    const f = fields || {};
    return this._query._push(this, {
      id: !!f.id,
      dataset: !!f.dataset,
      rect: !!f.rect,
      size: !!f.size,
      scrollOffset: !!f.scrollOffset,
      properties: ArrayIsArray(f.properties) ? arrayMap(f.properties, StringCtor) : [],
      computedStyle: ArrayIsArray(f.computedStyle) ? arrayMap(f.computedStyle, StringCtor) : [],
    }, callback);
  };

  function IntersectionObserver(owner, options) {
    const o = options || {};
    this._page = pageIdOf(owner);
    this._scope = scopeOf(owner);
    this._thresholds = ArrayIsArray(o.thresholds) ? arrayMap(o.thresholds, NumberCtor) : [0];
    this._initialRatio = NumberCtor(o.initialRatio) || 0;
    this._observeAll = !!o.observeAll;
    this._relativeTo = [];
    this._ids = [];
  }

  IntersectionObserver.prototype.relativeTo = function (selector, margins) {
    const relativeTo = this._relativeTo;
    relativeTo[relativeTo.length] = { selector: StringCtor(selector), margins: margins || {} };
    return this;
  };
  IntersectionObserver.prototype.relativeToViewport = function (margins) {
    const relativeTo = this._relativeTo;
    relativeTo[relativeTo.length] = { margins: margins || {} };
    return this;
  };
  IntersectionObserver.prototype.observe = function (selector, callback) {
    const id = nextId();
    const observer = this;
    observers.set(id, function (entry) {
      if (typeof callback === 'function') ReflectApply(callback, observer, [entry]);
    });
    const ids = this._ids;
    ids[ids.length] = id;
    native.observe(JSONStringify({
      id: id,
      page: this._page,
      target: StringCtor(selector),
      observeAll: this._observeAll,
      relativeTo: this._relativeTo,
      thresholds: this._thresholds,
      initialRatio: this._initialRatio,
      scope: this._scope,
    }));
  };
  IntersectionObserver.prototype.disconnect = function () {
    const ids = this._ids;
    for (let i = 0; i < ids.length; i++) {
      observers.delete(ids[i]);
      native.disconnect(ids[i]);
    }
    this._ids = [];
  };

  // ---- dialogs ----------------------------------------------------------------
  const TOAST_ICONS = ['success', 'error', 'loading', 'none'];
  const MODAL_FIELDS = ['title', 'content', 'cancelText', 'cancelColor', 'confirmText', 'confirmColor'];

  function showToast(options) {
    return localCall(options, function (o) {
      native.showDialog(JSONStringify({
        kind: 'toast',
        title: StringCtor(o.title === undefined ? '' : o.title),
        icon: ArrayPrototypeIndexOf(TOAST_ICONS, o.icon) >= 0 ? o.icon : 'success',
        duration: o.duration === undefined ? 1500 : MathMax(0, NumberCtor(o.duration) || 0),
        mask: !!o.mask,
      }));
      return { errMsg: 'showToast:ok' };
    });
  }

  function showLoading(options) {
    return localCall(options, function (o) {
      native.showDialog(JSONStringify({
        kind: 'toast',
        title: StringCtor(o.title === undefined ? '' : o.title),
        icon: 'loading',
        duration: -1,
        mask: !!o.mask,
      }));
      return { errMsg: 'showLoading:ok' };
    });
  }

  function hider(name) {
    return function (options) {
      return localCall(options, function () {
        native.showDialog(JSONStringify({ kind: 'hideToast' }));
        return { errMsg: name + ':ok' };
      });
    };
  }

  function showModal(options) {
    return asyncCall(options, function (done, o) {
      const id = nextId();
      pending.set(id, done);
      const spec = { kind: 'modal', id: id };
      for (let i = 0; i < MODAL_FIELDS.length; i++) {
        const key = MODAL_FIELDS[i];
        if (o[key] !== undefined) spec[key] = StringCtor(o[key]);
      }
      spec.showCancel = o.showCancel === undefined ? true : !!o.showCancel;
      native.showDialog(JSONStringify(spec));
    });
  }

  function showActionSheet(options) {
    return asyncCall(options, function (done, o) {
      const items = o.itemList;
      if (!ArrayIsArray(items) || items.length === 0) {
        queueTick(done, undefined, [failure('showActionSheet', 'parameter error: parameter.itemList should be Array')]);
        return;
      }
      if (items.length > 6) {
        queueTick(done, undefined, [failure('showActionSheet', 'parameter error: itemList should not be large than 6')]);
        return;
      }
      const id = nextId();
      pending.set(id, done);
      native.showDialog(JSONStringify({
        kind: 'actionSheet',
        id: id,
        alertText: o.alertText === undefined ? '' : StringCtor(o.alertText),
        itemList: arrayMap(items, StringCtor),
        itemColor: o.itemColor === undefined ? '#000000' : StringCtor(o.itemColor),
      }));
    });
  }

  // ---- install ----------------------------------------------------------------
  const api = {
    getSystemInfoSync: systemInfo,
    getSystemInfo: function (options) {
      return localCall(options, function () {
        return ObjectAssign(systemInfo(), { errMsg: 'getSystemInfo:ok' });
      });
    },
    getSystemInfoAsync: function (options) {
      return localCall(options, function () {
        return ObjectAssign(systemInfo(), { errMsg: 'getSystemInfoAsync:ok' });
      });
    },
    getDeviceInfo: deviceInfo,
    getAppBaseInfo: appBaseInfo,
    getSystemSetting: systemSetting,
    getSkylineInfoSync: skylineInfo,
    getSkylineInfo: function (options) {
      return localCall(options, function () {
        return ObjectAssign(skylineInfo(), { errMsg: 'getSkylineInfo:ok' });
      });
    },
    canIUse: canIUse,
    env: { USER_DATA_PATH: 'wxfile://usr' },
    base64ToArrayBuffer: function (text) {
      return native.base64ToArrayBuffer(StringCtor(text));
    },
    arrayBufferToBase64: function (buffer) {
      return native.arrayBufferToBase64(bufferOf(buffer) || buffer);
    },

    setStorageSync: function (key, data) {
      throwIfFailed(storageSet('setStorageSync', key, data));
    },
    getStorageSync: function (key) {
      const bad = checkKey('getStorageSync', key);
      if (bad) throw new ErrorCtor(bad.errMsg);
      const result = storageGet('getStorageSync', key);
      // A missing key reads as an empty string, as in WeChat.
      return isOk(result) ? result.data : '';
    },
    removeStorageSync: function (key) {
      throwIfFailed(storageRemove('removeStorageSync', key));
    },
    clearStorageSync: function () {
      throwIfFailed(storageClear('clearStorageSync'));
    },
    getStorageInfoSync: function () {
      const info = storageInfo('getStorageInfoSync');
      delete info.errMsg;
      return info;
    },
    setStorage: function (options) {
      return localCall(options, function (o) {
        return storageSet('setStorage', o.key, o.data);
      });
    },
    getStorage: function (options) {
      return localCall(options, function (o) {
        return storageGet('getStorage', o.key);
      });
    },
    removeStorage: function (options) {
      return localCall(options, function (o) {
        return storageRemove('removeStorage', o.key);
      });
    },
    clearStorage: function (options) {
      return localCall(options, function () {
        return storageClear('clearStorage');
      });
    },
    getStorageInfo: function (options) {
      return localCall(options, function () {
        return storageInfo('getStorageInfo');
      });
    },

    request: request,
    downloadFile: downloadFile,

    createSelectorQuery: function () {
      return new SelectorQuery(undefined);
    },
    createIntersectionObserver: function (component, options) {
      return new IntersectionObserver(component, options);
    },

    showToast: showToast,
    hideToast: hider('hideToast'),
    showLoading: showLoading,
    hideLoading: hider('hideLoading'),
    showModal: showModal,
    showActionSheet: showActionSheet,
  };
  const apiNames = ObjectKeys(api);
  for (let i = 0; i < apiNames.length; i++) wx[apiNames[i]] = api[apiNames[i]];

  // Pages (and components, where their prototype is exposed) query their own tree.
  const ownerMethods = {
    createSelectorQuery: function () {
      return new SelectorQuery(this);
    },
    createIntersectionObserver: function (options) {
      return new IntersectionObserver(this, options);
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

  // For the wx_*.js files: registers `callback` for a fresh id, then
  // `start(id)` hands the work to Rust, whose completion calls it back.
  internals.wxPending = function (callback, start) {
    const id = nextId();
    pending.set(id, callback);
    start(id);
  };

  // The logic loop hands finished work here (src/wx/mod.rs `deliver`).
  cirrus.wxDeliver = function (id, result, bytes, isObserver) {
    if (isObserver) {
      const observer = observers.get(id);
      if (observer) observer(result);
      return;
    }
    const callback = pending.get(id);
    if (!callback) return; // aborted
    pending.delete(id);
    callback(result, bytes);
  };
})(globalThis);
