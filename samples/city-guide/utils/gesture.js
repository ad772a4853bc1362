// Gesture helpers shared by the pages and components.
//
// Skyline reports a gesture's state as a number in `event.state`; it has no
// global for them, so (like the official examples) the app names them here.
// https://developers.weixin.qq.com/miniprogram/dev/framework/runtime/skyline/gesture.html
export const GestureState = {
  POSSIBLE: 0, // the pointer is down, the gesture is not recognised yet
  BEGIN: 1, // recognised: the handler won its arena
  ACTIVE: 2, // each update while it runs
  END: 3, // released
  CANCELLED: 4, // lost the arena, or the system took the touch
};

/** `value` kept within [min, max]. A worklet: callable on either thread. */
export function clamp(value, min, max) {
  'worklet';
  return Math.min(Math.max(value, min), max);
}

/** Whether a gesture is over (released or cancelled). */
export function isFinished(state) {
  'worklet';
  return state === GestureState.END || state === GestureState.CANCELLED;
}
