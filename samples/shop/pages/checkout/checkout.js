// Checkout: a summary of the stored cart. "Place order" empties the cart and
// replaces this page by the confirmation (wx.redirectTo), so Back from there
// does not return to a checkout of an empty cart.
//
// The order number is derived from the cart (count and total), never from
// the clock, so it is the same on every run.
const cart = require('../../data/cart.js');

Page({
  data: {
    statusBarHeight: 20,
    lines: [],
    count: 0,
    total: 0,
    shipping: 0,
  },

  onLoad() {
    const stored = cart.readCart();
    const count = cart.countItems(stored);
    const total = cart.totalPrice(stored);
    this.setData({
      lines: stored.items.map((line) => ({
        id: line.id,
        label: line.qty + ' × ' + line.name,
        amount: line.qty * line.price,
      })),
      count,
      total,
      // Free shipping from ¥99.00.
      shipping: total >= 9900 || total === 0 ? 0 : 1000,
    });
  },

  back() {
    wx.navigateBack();
  },

  placeOrder() {
    if (this.data.count === 0) return;
    const order = 'CS-' + (100000 + ((this.data.total * 7 + this.data.count * 131) % 900000));
    wx.removeStorageSync(cart.CART_KEY);
    wx.redirectTo({
      url: '/pages/done/done?order=' + order + '&count=' + this.data.count + '&paid=' + (this.data.total + this.data.shipping),
    });
  },
});
