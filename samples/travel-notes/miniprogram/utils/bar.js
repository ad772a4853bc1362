// Where a custom navigation bar goes: below the status bar, as tall as the
// gap around the capsule, leaving the capsule's width free on the right.
export function barMetrics() {
  const { statusBarHeight, windowWidth } = wx.getWindowInfo();
  const capsule = wx.getMenuButtonBoundingClientRect();
  const gap = capsule.top - statusBarHeight;
  return {
    statusBarHeight,
    barHeight: capsule.height + gap * 2,
    capsuleWidth: windowWidth - capsule.left,
  };
}
