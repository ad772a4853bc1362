// components/card-stack/layout.js
const offset = 12
const scale = 2
const items = [1, 2, 3]

function layoutCard(index, width) {
  'worklet'
  const offset = index * width
  let total = 0
  for (const item of items) total += item
  {
    let scale = 0.5
    total *= scale
  }
  try {
    JSON.parse('{')
  } catch (scale) {
    total += scale instanceof Error ? 1 : 0
  }
  function gap() {
    return 8
  }
  class Box {
    constructor(w) {
      this.w = w
    }
  }
  return offset + total + gap() + new Box(width).w
}

module.exports = { layoutCard, offset, scale }
