// A Behavior shared by components that show a price: a `price` property in
// cents and a derived `priceText` ("¥49.00"). `priceText` is computed once
// when the component attaches and again whenever `price` is set.
module.exports = Behavior({
  properties: {
    price: { type: Number, value: 0 },
  },
  data: {
    priceText: '',
  },
  observers: {
    price(cents) {
      this.setData({ priceText: this.formatPrice(cents) });
    },
  },
  lifetimes: {
    attached() {
      this.setData({ priceText: this.formatPrice(this.data.price) });
    },
  },
  methods: {
    formatPrice(cents) {
      const value = Number(cents) || 0;
      return '\u00a5' + (value / 100).toFixed(2);
    },
  },
});
