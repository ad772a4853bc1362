// product-grid: a two-column catalogue. The page changes itself once, 400 ms
// after load (a flash-sale banner goes live and one product sells out), so
// tests can compare a frame before and after that timer.
App({
  globalData: {
    currency: '¥',
    storeName: 'Cirrus Market',
    opened: false,
  },
  onLaunch() {
    this.globalData.opened = true;
    console.log('[product-grid] store open: ' + this.globalData.storeName);
  },
});
