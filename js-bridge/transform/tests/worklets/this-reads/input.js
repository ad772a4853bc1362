// pages/settings/settings.js: a large title that shrinks as the page scrolls.
Page({
  data: {
    headerHeight: 180,
    title: 'Settings',
  },

  onLoad() {
    this.minHeight = 64
    this.scrollTop = wx.worklet.shared(0)
  },

  headerHeight(extra) {
    'worklet'
    const atLeastMin = (h) => Math.max(h, this.minHeight)
    return atLeastMin(this.data.headerHeight - this.scrollTop.value + extra)
  },

  titleOpacity() {
    'worklet'
    const { headerHeight } = this.data
    return Math.min(1, this.scrollTop.value / headerHeight)
  },
})
