// components/bottom-sheet/progress.js
const SNAP_POINTS = [0, 0.45, 0.92]

const sheetProgress = (translateY, sheetHeight) => {
  'worklet'
  const progress = 1 - translateY / sheetHeight
  return Math.round(progress * 100) / 100
}

const nearestSnap = (progress) => {
  'worklet'
  return SNAP_POINTS.reduce((best, point) =>
    Math.abs(point - progress) < Math.abs(best - progress) ? point : best)
}

module.exports = { sheetProgress, nearestSnap }
