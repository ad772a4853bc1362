// city-guide: a small Skyline city guide for the imaginary harbour town of
// Lumen Bay. Four pages exercise worklet animations and gesture handlers:
//   pages/map/map     a drawn map under a draggable bottom sheet whose list
//                     hands the drag over to the sheet at its top (home)
//   pages/inbox/inbox swipe-to-dismiss cards (components/swipe-card)
//   pages/photo/photo pinch-to-zoom and double-tap on a photo
//   pages/tabs/tabs   a tab row with an animated indicator
//
// Everything shown is fixed data (utils/data.js): no randomness, no dates,
// no network, so every frame is the same on every run.

App({
  globalData: {
    city: 'Lumen Bay',
    statusBarHeight: 20,
  },
});
