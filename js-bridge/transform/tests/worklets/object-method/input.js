// components/drawer/gestures.js: a side drawer dragged from the left edge.
const { shared } = wx.worklet

const drawer = {
  width: 280,
  offset: shared(-280),
  label: 'menu',
}

const drawerGestures = {
  onPan(e) {
    'worklet'
    const next = drawer.offset.value + e.deltaX
    drawer.offset.value = Math.min(0, Math.max(-drawer.width, next))
    return drawer.offset.value
  },

  ['onRelease'](e) {
    'worklet'
    const open = e.velocityX > 500 || drawer.offset.value > -drawer.width / 2
    return open ? 0 : -drawer.width
  },

  async *frames(count) {
    'worklet'
    for (let i = 0; i < count; i++) yield i
  },

  describe() {
    return drawer.label
  },
}

module.exports = { drawer, drawerGestures }
