// A message card that follows the finger sideways (horizontal-drag-gesture-
// handler). Released past 40% of its width, or flung faster than
// 800 px/s away from the middle, it flies out (timing), its slot folds to
// nothing (timing), and then, back on the JS thread (runOnJS), it fires
// `dismiss` with `{id}`; the page drops it from its data. Otherwise it
// springs back to the middle. A tap fires `open` with `{id}`.
//
// Geometry (CSS px): the card is 343x88 at x = 16 in a 100 px slot; the
// dismiss threshold is 0.4 x 343 = 137.2 px of travel.
import { GestureState, clamp, isFinished } from '../../utils/gesture.js';

const { shared, timing, spring, runOnJS, cancelAnimation, Easing } = wx.worklet;

const CARD_WIDTH = 343;
const SLOT_HEIGHT = 100;
const DISMISS_FRACTION = 0.4;
const FLING_VELOCITY = 800; // px/s
const FLY_OUT_X = 420; // far enough to leave a 375 px screen on either side

Component({
  properties: {
    // One message of utils/data.js: id, from, initials, tone, subject,
    // body, time.
    message: { type: Object, value: {} },
  },

  lifetimes: {
    attached() {
      // The card's horizontal offset, the slot's height, and whether the
      // card is on its way out (it then ignores further drags).
      this.offsetX = shared(0);
      this.slotHeight = shared(SLOT_HEIGHT);
      this.leaving = shared(false);
    },

    ready() {
      this.applyAnimatedStyle('.card', () => {
        'worklet';
        return { transform: `translateX(${this.offsetX.value}px)` };
      });
      this.applyAnimatedStyle('.under', () => {
        'worklet';
        return { opacity: clamp(Math.abs(this.offsetX.value) / 24, 0, 1) };
      });
      this.applyAnimatedStyle('.under-left', () => {
        'worklet';
        return { opacity: this.offsetX.value > 0 ? 1 : 0 };
      });
      this.applyAnimatedStyle('.under-right', () => {
        'worklet';
        return { opacity: this.offsetX.value < 0 ? 1 : 0 };
      });
      this.applyAnimatedStyle('.slot', () => {
        'worklet';
        return { height: `${this.slotHeight.value}px` };
      });
    },
  },

  methods: {
    handleDrag(e) {
      'worklet';
      if (this.leaving.value) return;
      if (e.state === GestureState.BEGIN) {
        cancelAnimation(this.offsetX);
      } else if (e.state === GestureState.ACTIVE) {
        this.offsetX.value += e.deltaX;
      } else if (isFinished(e.state)) {
        const x = this.offsetX.value;
        const v = e.velocityX || 0;
        const farEnough = Math.abs(x) > CARD_WIDTH * DISMISS_FRACTION;
        const flung = Math.abs(v) > FLING_VELOCITY && (x === 0 || (v > 0) === (x > 0));
        if (e.state === GestureState.END && (farEnough || flung)) {
          this.flyOut((x !== 0 ? x : v) > 0 ? 1 : -1);
        } else {
          this.offsetX.value = spring(0, { damping: 20, stiffness: 240, velocity: v });
        }
      }
    },

    /** Off the screen towards `direction` (1 right, -1 left), then fold. */
    flyOut(direction) {
      'worklet';
      this.leaving.value = true;
      const slotHeight = this.slotHeight;
      const dismissed = runOnJS(this.notifyDismiss.bind(this));
      this.offsetX.value = timing(
        direction * FLY_OUT_X,
        { duration: 220, easing: Easing.in(Easing.quad) },
        (finished) => {
          'worklet';
          if (!finished) return;
          slotHeight.value = timing(0, { duration: 180 }, (folded) => {
            'worklet';
            if (folded) dismissed();
          });
        },
      );
    },

    notifyDismiss() {
      this.triggerEvent('dismiss', { id: this.data.message.id });
    },

    onTap() {
      this.triggerEvent('open', { id: this.data.message.id });
    },
  },
});
