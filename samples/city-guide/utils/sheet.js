// The map page's bottom sheet: fixed geometry in CSS px of a 375x667
// viewport, and the snapping rule. The sheet is laid out once at its
// fully open place and moved by `translateY` only (no layout while it
// moves); the three snap points are translateY values.
//
//   y =   0 ..  64  top bar (20 px status bar + 44 px bar), over the map
//   y =  72         sheet top when fully open (translateY 0)
//   y = 333         sheet top when half open (translateY 261), the start
//   y = 539         sheet top when collapsed (translateY 467): only the
//                   72 px header shows, right above the tab row
//   y = 611 .. 667  tab row (56 px), over the sheet
//
// The sheet itself is 539 px tall (72 .. 611 when open): a 72 px header
// (handle, title, snap label) and a 467 px scroll-view of places.

export const SHEET_TOP = 72;
export const SHEET_HEIGHT = 539;
export const SHEET_HEADER_HEIGHT = 72;
export const LIST_HEIGHT = SHEET_HEIGHT - SHEET_HEADER_HEIGHT; // 467

export const SNAP_FULL = 0;
export const SNAP_HALF = 261;
export const SNAP_COLLAPSED = 467;

/** translateY of each snap, by snap index. */
export const SNAP_POINTS = [SNAP_FULL, SNAP_HALF, SNAP_COLLAPSED];
/** What the sheet header says at each snap. */
export const SNAP_LABELS = ['Expanded', 'Half open', 'Collapsed'];
/** The snap the page opens at. */
export const INITIAL_SNAP = 1;

/** How far ahead (seconds) a fling's velocity projects the release point. */
export const FLING_PROJECTION_S = 0.2;

/**
 * The index of the snap point nearest to where the sheet would coast to:
 * the release position `y` (translateY) pushed by `velocityY` px/s for
 * FLING_PROJECTION_S seconds. So a flick moves at least one snap even when
 * released close to where it started, and a slow release snaps to what is
 * nearest.
 */
export function nearestSnap(y, velocityY) {
  'worklet';
  const projected = y + velocityY * FLING_PROJECTION_S;
  let best = 0;
  for (let i = 1; i < SNAP_POINTS.length; i++) {
    if (Math.abs(SNAP_POINTS[i] - projected) < Math.abs(SNAP_POINTS[best] - projected)) {
      best = i;
    }
  }
  return best;
}
