// components/sheet/settle.js: where a released sheet goes.
const { shared, timing } = wx.worklet

const sheet = {
  position: shared(600),
  velocity: shared(-1200),
  config: { top: 120, bottom: 600 },
}
const store = { sheet: { progress: shared(0.4) } }

const settleSheet = () => {
  'worklet'
  const fling = sheet.velocity.value < -800
  const target = fling || sheet.position.value < sheet.config.top * 2 ? sheet.config.top : sheet.config.bottom
  sheet.position.value = timing(target, { duration: 300 })
  store.sheet.progress.value = target === sheet.config.top ? 1 : 0
  return [target, store.sheet.progress.value]
}

module.exports = { settleSheet }
