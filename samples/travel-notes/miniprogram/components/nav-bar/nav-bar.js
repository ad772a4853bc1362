// A custom navigation bar that lines its title up with the capsule (menu
// button), as WeChat's own Skyline samples do.
import { barMetrics } from '../../utils/bar';

Component({
  options: { multipleSlots: true },
  properties: {
    title: { type: String, value: '' },
    back: { type: Boolean, value: false },
  },
  data: {
    statusBarHeight: 0,
    barHeight: 44,
    capsuleWidth: 0,
  },
  lifetimes: {
    attached() {
      this.setData(barMetrics());
    },
  },
  methods: {
    onBack() {
      wx.navigateBack({ delta: 1 });
    },
  },
});
