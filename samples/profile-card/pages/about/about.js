// A plain second page, reached from the profile's "About" button. It shows
// the query it was opened with, so navigation with a query is visible.
Page({
  data: {
    statusBarHeight: 20,
    from: 'direct',
    appName: '',
    version: '',
  },

  onLoad(query) {
    const app = getApp();
    this.setData({
      from: query && query.from ? query.from : 'direct',
      appName: app.globalData.appName,
      version: app.globalData.version,
    });
  },

  goBack() {
    wx.navigateBack({ delta: 1 });
  },
});
