// components/sheet/sheet.ts
interface PanEvent {
  state: number
  translationY: number
  velocityY: number
}

interface SharedValue<T> {
  value: T
}

enum Snap {
  Open = 0,
  Half = 300,
  Closed = 600,
}

const sheet: { offset: SharedValue<number>; height: number } = {
  offset: wx.worklet.shared(Snap.Closed as number),
  height: 600,
}

export function onSheetPan(e: PanEvent): number {
  'worklet'
  const next: number = sheet.offset.value + e.translationY
  sheet.offset.value = Math.min(Math.max(next, Snap.Open), sheet.height)
  return sheet.offset.value
}

export const snapFor = (velocityY: number): Snap => {
  'worklet'
  return velocityY > 0 ? Snap.Closed : Snap.Half
}
