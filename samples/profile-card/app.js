// profile-card: a single styled card. Everything shown is fixed data, so a
// screenshot of the first frame is the same on every run.
App({
  globalData: {
    appName: 'Profile Card',
    version: '1.2.0',
    launchCount: 0,
  },
  onLaunch() {
    this.globalData.launchCount += 1;
    console.log('[profile-card] launched, version ' + this.globalData.version);
  },
});
