export function clamp(value, lower, upper) {
  'worklet'
  return Math.min(Math.max(value, lower), upper)
}

export const SPRING = { damping: 20, stiffness: 200 }
