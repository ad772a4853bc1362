Page({
  data: {
    buyText: 'Buy now',
  },
  onBuy() {
    this.setData({ buyText: 'Bought' });
  },
});
