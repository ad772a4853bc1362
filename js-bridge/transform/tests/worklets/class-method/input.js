// components/sheet/controller.js
const { shared } = wx.worklet
const FRICTION = 0.35

class SheetController {
  constructor(height) {
    this.height = height
    this.top = 88
    this.translateY = shared(height)
  }

  resist(offset) {
    'worklet'
    return offset < this.top ? this.top - (this.top - offset) * FRICTION : offset
  }

  onPan(e) {
    'worklet'
    this.translateY.value = this.resist(this.translateY.value + e.deltaY)
    return this.translateY.value
  }

  static visibleFraction(translateY, height) {
    'worklet'
    return 1 - translateY / height
  }
}

module.exports = { SheetController }
