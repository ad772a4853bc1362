module.exports = {
  config: { threshold: 0.92 },
  edge() {
    wx.vibrateShort({ type: 'light' })
  },
}
