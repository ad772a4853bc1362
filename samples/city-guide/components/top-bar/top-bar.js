// The app's own top bar for pages with `"navigationStyle": "custom"`
// (required on Skyline): a 20 px status bar (fixed, so the first frame does
// not depend on the host) and a 44 px bar with an optional Back button, a
// title, an optional subtitle and a slot on the right.
Component({
  options: {
    multipleSlots: true,
  },
  properties: {
    title: { type: String, value: '' },
    subtitle: { type: String, value: '' },
    back: { type: Boolean, value: false },
    // 'light' (white bar, dark text), 'glass' (translucent white, over the
    // map) or 'dark' (black bar, white text, over the photo).
    theme: { type: String, value: 'light' },
    statusBarHeight: { type: Number, value: 20 },
  },
  methods: {
    goBack() {
      wx.navigateBack({ delta: 1 });
    },
  },
});
