// utils/fling.js: where a released sheet comes to rest.
const { spring } = wx.worklet

const springConfig = { damping: 18, stiffness: 180, mass: 1 }

const projectRelease = function (position, velocity) {
  'worklet'
  // 0.2 s of deceleration, as a scroll view projects a fling
  return position + velocity * 0.2
}

const snapToNearest = function snap(position, velocity, points) {
  'worklet'
  const projected = projectRelease(position, velocity)
  let best = points[0]
  for (let i = 1; i < points.length; i++) {
    if (Math.abs(points[i] - projected) < Math.abs(best - projected)) best = points[i]
  }
  return spring(best, springConfig)
}

module.exports = { projectRelease, snapToNearest }
