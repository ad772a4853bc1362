// components/pull-refresh/pull-refresh.js
const { shared } = wx.worklet

Component({
  properties: {
    maxOffset: { type: Number, value: 96 },
  },

  lifetimes: {
    attached() {
      this.offset = shared(0)
      this.applyAnimatedStyle('.refresh-indicator', () => {
        'worklet'
        const progress = Math.min(this.offset.value / this.data.maxOffset, 1)
        return { opacity: progress, transform: `rotate(${progress * 360}deg)` }
      })
      this.applyAnimatedStyle('.knob', this.knobStyle.bind(this))
    },
  },

  methods: {
    onGesture(e) {
      'worklet'
      this.offset.value = Math.max(0, e.translationY * 0.5)
      return this.offset.value >= this.data.maxOffset
    },

    knobStyle() {
      'worklet'
      return { transform: `translateY(${this.offset.value}px)` }
    },
  },
})
