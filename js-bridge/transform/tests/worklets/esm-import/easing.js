export default {
  standard: (t) => {
    'worklet'
    return t * t * (3 - 2 * t)
  },
}
