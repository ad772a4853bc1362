// utils/easing.js: curves for the app-bar collapse. The factories are
// worklets too, so a curve can be made on either thread.
function cubicOut(power) {
  'worklet'
  return (t) => {
    'worklet'
    return 1 - Math.pow(1 - t, power)
  }
}

const backOut = (overshoot) => {
  'worklet'
  const s = overshoot === undefined ? 1.70158 : overshoot
  return function (t) {
    'worklet'
    const u = t - 1
    return u * u * ((s + 1) * u + s) + 1
  }
}

const standard = cubicOut(3)

// The app bar's height for a scroll progress, made on the UI thread.
const collapse = (progress) => {
  'worklet'
  return Math.round(88 - 44 * cubicOut(2)(progress))
}

module.exports = { cubicOut, backOut, standard, collapse }
