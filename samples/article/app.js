// article: a long, text-heavy page (CJK mixed with Latin) that exercises text
// shaping, wrapping, line clamping, decorations, templates, import and include.
App({
  globalData: {
    publication: 'Slow Reading Weekly',
    fontScale: 1,
  },
  onLaunch() {
    console.log('[article] ' + this.globalData.publication + ' ready');
  },
});
