// A custom navigation bar for pages with `"navigationStyle": "custom"`.
// Named slots `left` and `right` hold the side controls; the default slot
// holds an optional row under the title (a status line, a subtitle).
Component({
  options: {
    multipleSlots: true,
  },
  externalClasses: ['title-class'],
  properties: {
    title: { type: String, value: '' },
    // Fixed rather than read from wx.getWindowInfo(), so the first frame
    // does not depend on the host.
    statusBarHeight: { type: Number, value: 20 },
    theme: { type: String, value: 'brand' },
  },
});
