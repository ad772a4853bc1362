// pages/player/seek.js: the progress bar of a player, dragged.
import { clamp, SPRING } from './motion'
import * as haptics from './haptics'
import Easing from './easing'

const { shared, spring } = wx.worklet

export const progress = shared(0)

export function onDrag(e) {
  'worklet'
  const next = clamp(progress.value + e.deltaX / 400, 0, 1)
  progress.value = next
  const edge = next >= haptics.config.threshold
  return [spring(Easing.standard(next), SPRING), edge]
}

export default function (value) {
  'worklet'
  return clamp(value, 0, 1)
}
