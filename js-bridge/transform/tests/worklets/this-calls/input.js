// components/refresher/refresher.js: a pull-to-refresh header.
const { shared, runOnJS } = wx.worklet

Component({
  data: {
    threshold: 80,
    refreshing: false,
  },

  lifetimes: {
    attached() {
      this.pull = shared(0)
    },
  },

  methods: {
    damp(distance) {
      'worklet'
      const { threshold } = this.data.threshold === undefined ? { threshold: 80 } : { threshold: this.data.threshold }
      return distance < threshold ? distance : threshold + (distance - threshold) * 0.3
    },

    onPull(e) {
      'worklet'
      this.pull.value = this.damp(e.translationY)
      if (e.state === 3 && this.pull.value >= this.data.threshold) {
        runOnJS(this.refresh.bind(this))()
      }
      return this.pull.value
    },

    refresh() {
      this.setData({ refreshing: true })
    },
  },
})
