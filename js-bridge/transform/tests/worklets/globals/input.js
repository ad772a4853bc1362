// components/sheet/parse.js: reads back a translateY the style wrote.
function parseTranslate(transform) {
  'worklet'
  const match = /translateY\((-?[\d.]+)px\)/.exec(transform)
  const value = match ? parseFloat(match[1]) : NaN
  if (isNaN(value) || !isFinite(value)) {
    return wx.worklet.timing(0, { duration: 200 })
  }
  const seen = new Set([value])
  const cache = new Map([[String(value), Number(value.toFixed(1))]])
  return {
    value: Math.round(value),
    json: JSON.stringify({ v: value }),
    keys: Object.keys({ a: 1 }).length,
    array: Array.isArray([]),
    undef: typeof undefined,
    bounded: value < Infinity,
    size: seen.size + cache.size,
    truthy: Boolean(value),
    error: new Error('x') instanceof Error,
    global: typeof globalThis,
    timer: typeof setTimeout,
    // not on the list: captured, and undefined where it does not exist
    app: typeof getApp === 'function' ? 'app' : 'none',
  }
}

module.exports = { parseTranslate }
