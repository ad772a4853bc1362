// A photo with pinch-to-zoom (scale-gesture-handler) and double-tap
// (double-tap-gesture-handler), both worklets on the UI thread.
//   - `e.scale` is cumulative since the pinch began, so the zoom is the
//     zoom at BEGIN times e.scale, kept within [0.5, 4] while pinching;
//     released below 1 it springs back to 1 (so at rest it is in [1, 4]);
//   - moving the pinch's centre (focalDeltaX/Y) pans the zoomed photo,
//     never so far that a gap opens between its edge and the viewer's;
//   - a double tap animates 1x -> 2x, or anything else -> 1x (timing).
// The zoom it settles at is reported to the page (runOnJS) for the badge.
//
// Geometry (CSS px): photo 375x250 at y = 139..389, centre (187.5, 264).
import { GestureState, clamp, isFinished } from '../../utils/gesture.js';
import { findMessage, places } from '../../utils/data.js';

const { shared, timing, spring, runOnJS, cancelAnimation, Easing } = wx.worklet;

const PHOTO_WIDTH = 375;
const PHOTO_HEIGHT = 250;
const VIEWER_WIDTH = 375;
const VIEWER_HEIGHT = 400;
const MIN_PINCH = 0.5;
const MIN_SCALE = 1;
const MAX_SCALE = 4;
const DOUBLE_TAP_SCALE = 2;

Page({
  data: {
    statusBarHeight: 20,
    title: '',
    subtitle: '',
    placeName: '',
    placeMeta: '',
    message: '',
    zoomText: '100%',
  },

  onLoad(query) {
    const message = findMessage(query && query.id !== undefined ? query.id : 0);
    const place = places[message.placeId];
    this.setData({
      title: place.name,
      subtitle: 'Photo from ' + message.from,
      placeName: place.name,
      placeMeta: place.category + ' · ' + place.area + ' · ' + place.distanceText + ' away',
      message: message.body,
    });
    this.scale = shared(MIN_SCALE);
    this.baseScale = shared(MIN_SCALE);
    this.panX = shared(0);
    this.panY = shared(0);
  },

  onReady() {
    this.applyAnimatedStyle('.photo', () => {
      'worklet';
      return {
        transform: `translateX(${this.panX.value}px) translateY(${this.panY.value}px) scale(${this.scale.value})`,
      };
    });
  },

  handleScale(e) {
    'worklet';
    if (e.state === GestureState.BEGIN) {
      cancelAnimation(this.scale);
      cancelAnimation(this.panX);
      cancelAnimation(this.panY);
      this.baseScale.value = this.scale.value;
    } else if (e.state === GestureState.ACTIVE) {
      const scale = clamp(this.baseScale.value * e.scale, MIN_PINCH, MAX_SCALE);
      this.scale.value = scale;
      if (scale > MIN_SCALE) {
        this.panX.value = this.clampPan(this.panX.value + e.focalDeltaX, PHOTO_WIDTH * scale, VIEWER_WIDTH);
        this.panY.value = this.clampPan(this.panY.value + e.focalDeltaY, PHOTO_HEIGHT * scale, VIEWER_HEIGHT);
      } else {
        this.panX.value = 0;
        this.panY.value = 0;
      }
    } else if (isFinished(e.state)) {
      const zoomed = runOnJS(this.onZoomChanged.bind(this));
      if (this.scale.value < MIN_SCALE) {
        const settle = { damping: 18, stiffness: 200 };
        this.scale.value = spring(MIN_SCALE, settle);
        this.panX.value = spring(0, settle);
        this.panY.value = spring(0, settle);
        zoomed(MIN_SCALE);
      } else {
        zoomed(this.scale.value);
      }
    }
  },

  handleDoubleTap(e) {
    'worklet';
    if (e.state !== GestureState.END) return;
    const to = this.scale.value > MIN_SCALE + 0.01 ? MIN_SCALE : DOUBLE_TAP_SCALE;
    const ease = { duration: 250, easing: Easing.out(Easing.cubic) };
    const zoomed = runOnJS(this.onZoomChanged.bind(this));
    this.scale.value = timing(to, ease, (finished) => {
      'worklet';
      if (finished) zoomed(to);
    });
    this.panX.value = timing(0, ease);
    this.panY.value = timing(0, ease);
  },

  /**
   * `offset` kept so that a photo `size` long (zoomed) never shows a gap
   * in a viewer `viewport` long; 0 while it is shorter than the viewer.
   */
  clampPan(offset, size, viewport) {
    'worklet';
    const limit = Math.max(0, (size - viewport) / 2);
    return clamp(offset, -limit, limit);
  },

  onZoomChanged(scale) {
    this.setData({ zoomText: Math.round(scale * 100) + '%' });
  },
});
