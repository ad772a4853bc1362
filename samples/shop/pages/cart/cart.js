// The Cart tab: the cart from storage, read with the asynchronous
// wx.getStorage every time the tab shows, quantities changed through
// steppers (a quantity of zero removes the line), and checkout.
const cart = require('../../data/cart.js');

Page({
  data: {
    statusBarHeight: 20,
    loaded: false,
    items: [],
    count: 0,
    total: 0,
  },

  onShow() {
    wx.getStorage({
      key: cart.CART_KEY,
      success: (res) => this.show(res.data),
      // Nothing stored yet: an empty cart.
      fail: () => this.show(null),
    });
  },

  show(stored) {
    const current = stored && Array.isArray(stored.items) ? stored : { items: [] };
    this.setData({
      loaded: true,
      items: current.items,
      count: cart.countItems(current),
      total: cart.totalPrice(current),
    });
  },

  /** A stepper's `change`; the line's id comes from the stepper's data-id. */
  onQty(event) {
    const id = Number(event.currentTarget.dataset.id);
    const next = cart.setQuantity(cart.readCart(), id, event.detail.value);
    cart.writeCart(next);
    this.show(next);
  },

  clear() {
    wx.removeStorageSync(cart.CART_KEY);
    this.show(null);
  },

  browse() {
    wx.switchTab({ url: '/pages/home/home' });
  },

  checkout() {
    if (this.data.count === 0) return;
    wx.navigateTo({ url: '/pages/checkout/checkout?count=' + this.data.count });
  },
});
