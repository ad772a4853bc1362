// The catalogue page.
// - onLoad derives display fields (price text, discount, frame class) with one
//   setData, so the first frame already shows them.
// - 400 ms later a timer flips the banner to "live" and marks the last product
//   sold out through a path key ('products[9].soldOut'), a minimal update.

// `mode` is the <image> mode; `frame` picks the box the image sits in
// (fixed height for aspectFill/aspectFit, no height for widthFix).
const CATALOGUE = [
  { id: 'p01', name: 'Cloud Runner Sneakers', price: 399, was: 529, image: '/images/p01-sneakers.png', mode: 'aspectFill', tag: 'New', soldOut: false },
  { id: 'p02', name: 'Ceramic Pour-over Set', price: 168, was: 0, image: '/images/p02-pour-over.jpg', mode: 'aspectFit', tag: '', soldOut: false },
  { id: 'p03', name: 'Linen Tote Bag', price: 59, was: 79, image: '/images/p03-tote.gif', mode: 'widthFix', tag: 'Eco', soldOut: false },
  { id: 'p04', name: 'Folding Desk Lamp', price: 249, was: 0, image: '/images/p04-lamp.webp', mode: 'aspectFill', tag: '', soldOut: false },
  { id: 'p05', name: 'Matcha Tin 100 g', price: 88, was: 98, image: '/images/p05-matcha.png', mode: 'aspectFit', tag: 'Hot', soldOut: false },
  { id: 'p06', name: 'Merino Wool Beanie', price: 129, was: 0, image: '/images/p06-beanie.jpg', mode: 'widthFix', tag: '', soldOut: false },
  { id: 'p07', name: 'Dot-grid Notebook A5', price: 35, was: 0, image: '/images/p07-notebook.gif', mode: 'aspectFill', tag: '', soldOut: true },
  { id: 'p08', name: 'Bamboo Toothbrush ×4', price: 29, was: 39, image: '/images/p08-toothbrush.webp', mode: 'aspectFit', tag: '', soldOut: false },
  { id: 'p09', name: 'Insulated Travel Mug', price: 139, was: 0, image: '/images/p09-mug.png', mode: 'widthFix', tag: 'New', soldOut: false },
  { id: 'p10', name: 'Wireless Earbuds Lite', price: 299, was: 359, image: '/images/p10-earbuds.jpg', mode: 'aspectFill', tag: 'Deal', soldOut: false },
];

function toDisplay(product) {
  const off = product.was > 0 ? Math.round((1 - product.price / product.was) * 100) : 0;
  return {
    id: product.id,
    name: product.name,
    image: product.image,
    mode: product.mode,
    frame: product.mode === 'widthFix' ? 'frame-free' : 'frame-fixed',
    tag: product.tag,
    soldOut: product.soldOut,
    priceText: product.price.toFixed(2),
    wasText: product.was > 0 ? product.was.toFixed(2) : '',
    offText: off > 0 ? '-' + off + '%' : '',
  };
}

Page({
  data: {
    statusBarHeight: 20,
    currency: '¥',
    cartCount: 0,
    bannerLive: false,
    bannerText: 'Flash sale starts soon',
    products: [],
    summary: '',
  },

  onLoad() {
    const products = CATALOGUE.map(toDisplay);
    const available = products.filter((p) => !p.soldOut).length;
    this.setData({
      currency: getApp().globalData.currency,
      products,
      cartCount: 3,
      summary: products.length + ' products · ' + available + ' in stock',
    });
    this.bannerTimer = setTimeout(() => this.goLive(), 400);
  },

  onUnload() {
    clearTimeout(this.bannerTimer);
  },

  goLive() {
    const lastIndex = this.data.products.length - 1;
    const available = this.data.products.filter((p, i) => !p.soldOut && i !== lastIndex).length;
    this.setData({
      bannerLive: true,
      bannerText: 'Flash sale is live: up to 25% off',
      ['products[' + lastIndex + '].soldOut']: true,
      summary: this.data.products.length + ' products · ' + available + ' in stock',
    });
  },

  addToCart(event) {
    const id = event.currentTarget.dataset.id;
    const product = this.data.products.find((p) => p.id === id);
    if (product && !product.soldOut) {
      this.setData({ cartCount: this.data.cartCount + 1 });
    }
  },
});
