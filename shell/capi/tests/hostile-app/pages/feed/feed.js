// A feed page that misbehaves in every way a script can: it recurses
// without end, spins inside a promise job, and hoards memory until the
// app's limit. The host embedding it must keep running.
function deeper(n) {
  return deeper(n + 1) + 1
}

Page({
  data: { status: 'loading' },
  onLoad() {
    try {
      deeper(0)
    } catch (e) {
      this.setData({ status: 'recursion stopped' })
    }
    Promise.resolve().then(() => {
      for (;;) {}
    })
    setTimeout(() => {
      const hoard = []
      for (;;) hoard.push(new Array(100000).fill(1))
    }, 100)
  },
})
