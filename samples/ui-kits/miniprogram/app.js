App({
  globalData: {
    kits: ['TDesign', 'Vant Weapp', 'WeUI'],
  },
});
