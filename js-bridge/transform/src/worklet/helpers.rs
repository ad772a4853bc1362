//! The JavaScript the worklet transform adds to a file, and the names it
//! never captures.

/// Function declarations put once before a file's first statement (so
/// hoisted everywhere in it), on one line.
///
/// - `_cirrus$worklet(f, closure, source, hash, location, name)` gives `f`
///   its worklet properties, non-enumerable, and returns it. It leaves
///   alone anything that is not a function (an attach after a sloppy-mode
///   block function that did not run) or is already a worklet.
/// - `bind` on a worklet returns a bound function that is still a worklet,
///   its `__closure` reading `this` from the bound receiver: pages pass
///   `this.onPan.bind(this)` around, as WeChat's documentation asks.
///   With bound arguments it is a plain bound function (the UI thread
///   could not prepend them).
/// - `_cirrus$narrow(o, k)` builds a narrowed copy of `o` with `k`, unless
///   `o` is null or undefined.
/// - `_cirrus$member(v, o)` is a captured property `v` of `o`: a worklet
///   read through an object is bound to it, so a method reached as
///   `this.other` or `obj.m` runs with the receiver it was read from.
pub(super) const HELPERS: &str = concat!(
    "function _cirrus$worklet(f,c,s,h,l,n){",
    "if(typeof f!==\"function\"||Object.prototype.hasOwnProperty.call(f,\"__worklet\"))return f;",
    "var d=Object.defineProperty;",
    "d(f,\"__worklet\",{value:true});",
    "d(f,\"__closure\",{value:c});",
    "d(f,\"__workletSource\",{value:s});",
    "d(f,\"__workletHash\",{value:h});",
    "d(f,\"__location\",{value:l});",
    "if(n&&!f.name)d(f,\"name\",{value:n,configurable:true});",
    "d(f,\"bind\",{value:_cirrus$bind,writable:true,configurable:true});",
    "return f}",
    "function _cirrus$bind(r){",
    "var f=this,g=Function.prototype.bind.apply(f,arguments);",
    "return arguments.length>1?g:_cirrus$worklet(g,function(){return f.__closure(r)},",
    "f.__workletSource,f.__workletHash,f.__location)}",
    "function _cirrus$narrow(o,k){return o==null?o:k(o)}",
    "function _cirrus$member(v,o){return typeof v===\"function\"&&v.__worklet===true?v.bind(o):v}",
);

/// Names that are never captured when they are not declared in the file:
/// they exist on the UI thread's side too.
///
/// First, the list of WeChat's `babel-plugin-worklet` (`lib/index.js`,
/// itself Reanimated's list plus `setTimeout`, `globalThis` and
/// `workletUIModule` "for skyline"), in its order. Then the rest of the
/// ECMAScript standard globals, which every QuickJS context has, so that
/// copying one would only break it (`isFinite`, `Promise`, `Reflect`...),
/// and the cancel functions paired with the plugin's `setTimeout` and
/// `requestAnimationFrame`. `wx`, `getApp` and `getCurrentPages` are not
/// here, as in WeChat: a worklet that reads them captures them
/// (narrowed: `wx.worklet.timing` captures that one function).
pub(super) const GLOBALS: &[&str] = &[
    // babel-plugin-worklet
    "console",
    "_setGlobalConsole",
    "Date",
    "Array",
    "ArrayBuffer",
    "Int8Array",
    "Int16Array",
    "Int32Array",
    "Uint8Array",
    "Uint8ClampedArray",
    "Uint16Array",
    "Uint32Array",
    "Float32Array",
    "Float64Array",
    "HermesInternal",
    "JSON",
    "Math",
    "Number",
    "Object",
    "String",
    "Symbol",
    "undefined",
    "null",
    "UIManager",
    "requestAnimationFrame",
    "_WORKLET",
    "arguments",
    "Boolean",
    "parseInt",
    "parseFloat",
    "Map",
    "Set",
    "_log",
    "_updateProps",
    "RegExp",
    "Error",
    "global",
    "_measure",
    "_scrollTo",
    "_setGestureState",
    "_getCurrentTime",
    "_eventTimestamp",
    "_frameTimestamp",
    "isNaN",
    "LayoutAnimationRepository",
    "_stopObservingProgress",
    "_startObservingProgress",
    "setTimeout",
    "globalThis",
    "workletUIModule",
    // ECMAScript globals the plugin's list lacks
    "NaN",
    "Infinity",
    "isFinite",
    "eval",
    "Function",
    "BigInt",
    "BigInt64Array",
    "BigUint64Array",
    "DataView",
    "WeakMap",
    "WeakSet",
    "WeakRef",
    "FinalizationRegistry",
    "Promise",
    "Proxy",
    "Reflect",
    "Atomics",
    "SharedArrayBuffer",
    "AggregateError",
    "EvalError",
    "RangeError",
    "ReferenceError",
    "SyntaxError",
    "TypeError",
    "URIError",
    "encodeURI",
    "encodeURIComponent",
    "decodeURI",
    "decodeURIComponent",
    "escape",
    "unescape",
    // the pairs of the plugin's timer and frame functions
    "clearTimeout",
    "cancelAnimationFrame",
];

/// Member names where a captured path stops, from the plugin: reading
/// `.value` of a shared value must happen on the UI thread, and these are
/// methods of the value before them (`list.map(...)` captures `list`).
pub(super) const PATH_STOPS: &[&str] = &[
    "value",
    "stopCapturing",
    "toString",
    "map",
    "filter",
    "forEach",
    "valueOf",
    "toPrecision",
    "toExponential",
    "constructor",
    "toFixed",
    "toLocaleString",
    "toSource",
    "charAt",
    "charCodeAt",
    "concat",
    "indexOf",
    "lastIndexOf",
    "localeCompare",
    "length",
    "match",
    "replace",
    "search",
    "slice",
    "split",
    "substr",
    "substring",
    "toLocaleLowerCase",
    "toLocaleUpperCase",
    "toLowerCase",
    "toUpperCase",
    "every",
    "join",
    "pop",
    "push",
    "reduce",
    "reduceRight",
    "reverse",
    "shift",
    "some",
    "sort",
    "splice",
    "unshift",
    "hasOwnProperty",
    "isPrototypeOf",
    "propertyIsEnumerable",
    "bind",
    "apply",
    "call",
    "__callAsync",
    "includes",
];
