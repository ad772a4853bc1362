// The confirmation, reached by wx.redirectTo from checkout with
// `?order=CS-NNNNNN&count=N&paid=CENTS`. "Continue shopping" switches to the
// Shop tab, which closes this page (switchTab pops every non-tab page).
Page({
  data: {
    statusBarHeight: 20,
    order: '',
    count: 0,
    paid: 0,
  },

  onLoad(query) {
    this.setData({
      order: (query && query.order) || 'unknown',
      count: Number(query && query.count) || 0,
      paid: Number(query && query.paid) || 0,
    });
  },

  continueShopping() {
    wx.switchTab({ url: '/pages/home/home' });
  },
});
