// pages/detail/detail.js: a bottom sheet over the detail page.
const { shared, runOnJS } = wx.worklet

Page({
  data: {
    sheetHeight: 520,
    expanded: false,
  },

  onLoad() {
    this.translateY = shared(520)
  },

  handlePan(e) {
    'worklet'
    const next = this.translateY.value + e.deltaY
    this.translateY.value = Math.max(0, Math.min(this.data.sheetHeight, next))
    if (e.state === 3) {
      runOnJS(this.setExpanded.bind(this))(this.translateY.value < this.data.sheetHeight / 2)
    }
    return this.translateY.value
  },

  setExpanded(expanded) {
    this.setData({ expanded })
  },
})
