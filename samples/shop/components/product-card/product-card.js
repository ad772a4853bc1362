// One product in the catalogue. The price comes from the shared price
// Behavior; taps are reported to the page as events:
//   `open` (the card) and `add` (the Add button, which catches its tap so
//   the card does not open too), both with `detail.id`.
const priceBehavior = require('../../behaviors/price.js');

Component({
  behaviors: [priceBehavior],
  properties: {
    product: { type: Object, value: {} },
    inCart: { type: Number, value: 0 },
  },
  methods: {
    onOpen() {
      this.triggerEvent('open', { id: this.data.product.id });
    },
    onAdd() {
      this.triggerEvent('add', { id: this.data.product.id });
    },
  },
});
