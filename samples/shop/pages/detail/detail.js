// The product page. It is the one page that keeps the engine-drawn
// navigation bar (no "navigationStyle": "custom"), titled "Product" by its
// json and then renamed to the product with wx.setNavigationBarTitle.
//
// Opened from the Shop tab with `?id=N&from=home` and an EventChannel: the
// opener sends `product` (its own copy), and this page sends `added` back
// before returning. Opened directly (`?id=N`), it shows the bundled product.
const catalog = require('../../data/catalog.js');
const cart = require('../../data/cart.js');

Page({
  data: {
    product: null,
    missing: false,
    from: 'direct',
    qty: 1,
    maxQty: 9,
  },

  onLoad(query) {
    const id = Number(query && query.id);
    const product = catalog.findProduct(id);
    this.setData({
      product,
      missing: !product,
      from: (query && query.from) || 'direct',
    });
    this.channel = this.getOpenerEventChannel();
    this.channel.on('product', (sent) => {
      if (sent && sent.id === id) this.setData({ product: sent, missing: false });
      this.updateTitle();
    });
  },

  onReady() {
    this.updateTitle();
  },

  updateTitle() {
    if (this.data.product) wx.setNavigationBarTitle({ title: this.data.product.name });
  },

  onQty(event) {
    this.setData({ qty: event.detail.value });
  },

  addToCart() {
    const product = this.data.product;
    if (!product) return;
    cart.writeCart(cart.addToCart(cart.readCart(), product, this.data.qty));
    this.channel.emit('added', { id: product.id, name: product.name, qty: this.data.qty });
    wx.navigateBack({ delta: 1 });
  },

  /** Buy now: into the cart (asynchronously) and straight to the Cart tab. */
  buyNow() {
    const product = this.data.product;
    if (!product) return;
    const next = cart.addToCart(cart.readCart(), product, this.data.qty);
    wx.setStorage({
      key: cart.CART_KEY,
      data: next,
      success: () => wx.switchTab({ url: '/pages/cart/cart' }),
    });
  },
});
