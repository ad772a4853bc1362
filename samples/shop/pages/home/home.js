// The Shop tab: the catalogue from the shop server (`wx.request` to
// `globalData.apiBase + '/products'`), or the bundled one with a friendly
// message when the server cannot be reached or answers badly.
//
// `?port=NNNN` points the request at 127.0.0.1:NNNN (tests start a server
// there); without it the app's default apiBase is used.
const catalog = require('../../data/catalog.js');
const cart = require('../../data/cart.js');

Page({
  data: {
    statusBarHeight: 20,
    status: 'loading',
    statusText: 'Loading the catalogue…',
    source: 'the shop server',
    products: [],
    cartCount: 0,
    lastAdded: '',
  },

  onLoad(query) {
    const app = getApp();
    if (query && query.port) app.useApiPort(query.port);
    this.fetchCatalog(app.globalData.apiBase);
  },

  onShow() {
    this.refreshCart();
  },

  fetchCatalog(apiBase) {
    wx.request({
      url: apiBase + '/products',
      method: 'GET',
      dataType: 'json',
      timeout: 3000,
      success: (res) => {
        const body = res.data;
        if (res.statusCode === 200 && body && Array.isArray(body.products)) {
          this.showCatalog(body.products, 'online', body.greeting || 'Fresh from the shop server');
        } else {
          this.showCatalog(catalog.products, 'offline', 'The shop server answered ' + res.statusCode + '. Showing the saved catalogue.');
        }
      },
      fail: () => {
        this.showCatalog(catalog.products, 'offline', 'Cannot reach the shop server. Showing the saved catalogue.');
      },
    });
  },

  showCatalog(products, status, statusText) {
    this.catalog = products;
    this.setData({
      status,
      statusText,
      source: status === 'online' ? 'the shop server' : 'the saved catalogue',
      products: this.withCartCounts(products, cart.readCart()),
    });
  },

  /** Products with `inCart` (how many of each the cart holds). */
  withCartCounts(products, stored) {
    return products.map((product) => {
      const line = stored.items.find((item) => item.id === product.id);
      return Object.assign({}, product, { inCart: line ? line.qty : 0 });
    });
  },

  refreshCart() {
    const stored = cart.readCart();
    const update = { cartCount: cart.countItems(stored) };
    if (this.catalog) update.products = this.withCartCounts(this.catalog, stored);
    this.setData(update);
  },

  findProduct(id) {
    return (this.catalog || []).find((product) => product.id === id) || catalog.findProduct(id);
  },

  /** The card's `open` event: the product page, which sends `added` back. */
  openDetail(event) {
    const product = this.findProduct(event.detail.id);
    if (!product) return;
    wx.navigateTo({
      url: '/pages/detail/detail?id=' + product.id + '&from=home',
      events: {
        added: (data) => {
          this.setData({ lastAdded: data.qty + ' × ' + data.name });
        },
      },
      success: (res) => {
        // The server's copy of the product, which may differ from the
        // bundled one the product page would otherwise show.
        res.eventChannel.emit('product', product);
      },
    });
  },

  /** The card's `add` event: one more in the cart, without leaving. */
  quickAdd(event) {
    const product = this.findProduct(event.detail.id);
    if (!product) return;
    cart.writeCart(cart.addToCart(cart.readCart(), product, 1));
    this.setData({ lastAdded: '1 × ' + product.name });
    this.refreshCart();
  },

  goCart() {
    wx.switchTab({ url: '/pages/cart/cart' });
  },
});
