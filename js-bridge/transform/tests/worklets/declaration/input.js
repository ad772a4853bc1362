// utils/motion.js: the motion helpers the bottom sheet and the drawer share.
const { timing } = wx.worklet

const SNAP_DURATION = 240

// Exported before the declarations run: they are hoisted, worklets included.
module.exports = { clamp, rubberBand, settle, readyAtLoad: settle.__worklet === true }

function clamp(value, lower, upper) {
  'worklet'
  return Math.min(Math.max(value, lower), upper)
}

// iOS-style resistance past an edge
function rubberBand(offset, limit, coefficient) {
  'worklet'
  const overshoot = Math.abs(offset) - limit
  if (overshoot <= 0) return offset
  const eased = limit + (1 - 1 / ((overshoot * coefficient) / limit + 1)) * limit
  return Math.sign(offset) * eased
}

function settle(target) {
  'worklet'
  return timing(clamp(target, 0, 600), { duration: SNAP_DURATION })
}
