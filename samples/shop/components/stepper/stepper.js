// A quantity stepper. It is controlled: it never changes `value` itself but
// reports `change` with `detail.value`, and the owner sets the new value.
// `canMinus`/`canPlus` follow value, min and max through one observer, which
// runs at most once per setData however many of the three are set.
Component({
  properties: {
    value: { type: Number, value: 1 },
    min: { type: Number, value: 1 },
    max: { type: Number, value: 99 },
  },
  data: {
    canMinus: false,
    canPlus: true,
  },
  observers: {
    'value, min, max': function (value, min, max) {
      this.updateLimits(value, min, max);
    },
  },
  lifetimes: {
    attached() {
      this.updateLimits(this.data.value, this.data.min, this.data.max);
    },
  },
  methods: {
    updateLimits(value, min, max) {
      this.setData({ canMinus: value > min, canPlus: value < max });
    },
    minus() {
      if (this.data.canMinus) this.triggerEvent('change', { value: this.data.value - 1 });
    },
    plus() {
      if (this.data.canPlus) this.triggerEvent('change', { value: this.data.value + 1 });
    },
  },
});
