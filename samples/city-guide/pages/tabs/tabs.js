// Guides in three tabs. Tapping a tab (bindtap, JS thread) animates the
// indicator's shared translateX with timing on the UI thread, and swaps the
// content below with setData.
//
// Geometry (CSS px): tabs 125 px wide at y = 64..108; the 45 px indicator's
// translateX is 40 + 125 x index (40, 165, 290), i.e. centred under its tab.
import { guideTabs } from '../../utils/data.js';

const { shared, timing, Easing } = wx.worklet;

const TAB_WIDTH = 125;
const INDICATOR_WIDTH = 45;

function indicatorX(index) {
  return index * TAB_WIDTH + (TAB_WIDTH - INDICATOR_WIDTH) / 2;
}

function contentFor(index) {
  const tab = guideTabs[index];
  return {
    active: index,
    guides: tab.guides,
    sectionTitle: tab.label.toUpperCase() + ' · ' + tab.guides.length + ' GUIDES',
  };
}

Page({
  data: Object.assign(
    {
      statusBarHeight: 20,
      tabs: guideTabs.map((tab) => ({ key: tab.key, label: tab.label })),
    },
    contentFor(0),
  ),

  onLoad(query) {
    const start = Number(query && query.tab) || 0;
    this.indicatorX = shared(indicatorX(0));
    if (start > 0 && start < guideTabs.length) this.show(start, false);
  },

  onReady() {
    this.applyAnimatedStyle('.indicator', () => {
      'worklet';
      return { transform: `translateX(${this.indicatorX.value}px)` };
    });
  },

  selectTab(event) {
    this.show(Number(event.currentTarget.dataset.index), true);
  },

  show(index, animated) {
    if (index === this.data.active) return;
    const x = indicatorX(index);
    this.indicatorX.value = animated
      ? timing(x, { duration: 250, easing: Easing.out(Easing.cubic) })
      : x;
    this.setData(contentFor(index));
  },
});
