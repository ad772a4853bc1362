// The home page: a drawn map with a draggable bottom sheet of nearby places.
//
// The sheet follows Skyline's "half screen" pattern (a pan handler around
// the sheet, a vertical-drag handler proxying the list's scroll-view, each
// naming the other in simultaneous-handlers, and should-response-on-move
// worklets deciding per move who takes it):
//   - while the sheet is not fully open, the sheet moves and the list
//     stays put;
//   - once it is fully open, the list scrolls; pulling down while the
//     list is at its top (scrollTop <= 0) moves the sheet again;
//   - on release the sheet springs to the nearest of three snap points,
//     its velocity projected ahead (utils/sheet.js), and tells the page
//     where it came to rest (runOnJS), which shows it in the header.
// A drag that starts on the header (outside the list) always moves the
// sheet: the list's handler is not part of that touch, so `startPan` keeps
// the `true` every gesture ends with.
//
// Geometry, CSS px of a 375x667 viewport: top bar 0..64, sheet top at
// y = 72 (open) / 333 (half, the start) / 539 (collapsed), sheet header
// 72 px, list 467 px tall, tab row 611..667. See utils/sheet.js.
import { GestureState, clamp, isFinished } from '../../utils/gesture.js';
import { places, pins, messages, mapBlocks } from '../../utils/data.js';
import {
  SNAP_POINTS,
  SNAP_LABELS,
  SNAP_FULL,
  SNAP_HALF,
  SNAP_COLLAPSED,
  INITIAL_SNAP,
  nearestSnap,
} from '../../utils/sheet.js';

const { shared, derived, spring, runOnJS, cancelAnimation } = wx.worklet;

/** Within this many px of translateY 0 the sheet counts as fully open. */
const OPEN_EPSILON = 0.5;

Page({
  data: {
    statusBarHeight: 20,
    blocks: mapBlocks,
    places,
    pins,
    unread: messages.length,
    snapIndex: INITIAL_SNAP,
    snapLabel: SNAP_LABELS[INITIAL_SNAP],
    selectedId: -1,
    selectedName: '',
  },

  onLoad() {
    // The sheet's translateY (0 = fully open, see utils/sheet.js).
    this.sheetY = shared(SNAP_POINTS[INITIAL_SNAP]);
    // The list's scroll offset, written by handleScroll on the UI thread.
    this.scrollTop = shared(0);
    // Whether the sheet's pan may take the current move; the list's
    // should-response-on-move sets it, every gesture's end resets it.
    this.startPan = shared(true);
    // Whether the sheet's pan has begun (so only a real drag snaps).
    this.sheetDragging = shared(false);
    // 0 at half open or lower, 1 fully open: the scrim's opacity.
    this.openness = derived(() => {
      'worklet';
      return clamp(1 - this.sheetY.value / SNAP_HALF, 0, 1);
    });
  },

  onReady() {
    this.applyAnimatedStyle('.sheet', () => {
      'worklet';
      return { transform: `translateY(${this.sheetY.value}px)` };
    });
    this.applyAnimatedStyle('.scrim', () => {
      'worklet';
      return { opacity: this.openness.value * 0.35 };
    });
  },

  // ---- gesture negotiation (UI thread) -----------------------------------

  /** The list's handler, asked first on every move (it is the inner one). */
  listShouldRespond(e) {
    'worklet';
    if (this.sheetY.value > SNAP_FULL + OPEN_EPSILON) {
      // Not fully open: the sheet moves, the list does not scroll.
      this.startPan.value = true;
      return false;
    }
    // Fully open: the sheet takes only a pull down at the list's top.
    const sheetTakes = this.scrollTop.value <= 0 && e.deltaY > 0;
    this.startPan.value = sheetTakes;
    return !sheetTakes;
  },

  /** The sheet's handler, asked after the list's on the same move. */
  sheetShouldRespond() {
    'worklet';
    return this.startPan.value;
  },

  // ---- gesture handlers (UI thread) --------------------------------------

  handleSheetPan(e) {
    'worklet';
    if (e.state === GestureState.BEGIN) {
      cancelAnimation(this.sheetY);
      this.sheetDragging.value = true;
    } else if (e.state === GestureState.ACTIVE) {
      this.sheetY.value = clamp(this.sheetY.value + e.deltaY, SNAP_FULL, SNAP_COLLAPSED);
    } else if (isFinished(e.state)) {
      this.startPan.value = true;
      if (this.sheetDragging.value) {
        this.sheetDragging.value = false;
        this.snapSheet(e.velocityY || 0);
      }
    }
  },

  handleListDrag(e) {
    'worklet';
    if (isFinished(e.state)) this.startPan.value = true;
  },

  handleScroll(e) {
    'worklet';
    this.scrollTop.value = e.detail.scrollTop;
  },

  /** A fling that ends at the top must not bounce the list (it cannot). */
  adjustDecelerationVelocity(velocity) {
    'worklet';
    return this.scrollTop.value <= 0 ? 0 : velocity;
  },

  /** Springs the sheet to the nearest snap point (a worklet: UI thread). */
  snapSheet(velocityY) {
    'worklet';
    const index = nearestSnap(this.sheetY.value, velocityY);
    const snapped = runOnJS(this.onSheetSnapped.bind(this));
    this.sheetY.value = spring(
      SNAP_POINTS[index],
      { damping: 28, stiffness: 260, overshootClamping: true, velocity: velocityY },
      (finished) => {
        'worklet';
        if (finished) snapped(index);
      },
    );
  },

  // ---- JS thread -----------------------------------------------------------

  /** Where the sheet came to rest (from the UI thread, through runOnJS). */
  onSheetSnapped(index) {
    if (index === this.data.snapIndex) return;
    this.setData({ snapIndex: index, snapLabel: SNAP_LABELS[index] });
  },

  selectPlace(event) {
    const id = Number(event.currentTarget.dataset.id);
    const place = places[id];
    if (!place) return;
    this.setData({ selectedId: id, selectedName: place.name });
  },

  openInbox() {
    wx.navigateTo({ url: '/pages/inbox/inbox' });
  },

  openGuides() {
    wx.navigateTo({ url: '/pages/tabs/tabs' });
  },
});
