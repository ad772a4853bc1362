// components/tile/transform.js
const DEFAULT_DURATION = 300

function toStyle({ x, y }, [scaleX, scaleY = scaleX], { rotate = 0, ...rest } = {}, duration = DEFAULT_DURATION, ...extra) {
  'worklet'
  return {
    transform: `translate(${x}px, ${y}px) scale(${scaleX}, ${scaleY}) rotate(${rotate}deg)`,
    duration,
    extras: Object.keys(rest).length + extra.length,
  }
}

module.exports = { toStyle }
