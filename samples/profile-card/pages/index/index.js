// The profile page. `following` flips on tap; everything else is fixed data.
Page({
  data: {
    statusBarHeight: 20,
    title: 'Profile',
    following: false,
    appVersion: '',
    user: {
      name: 'Mei Yamada',
      handle: 'mei.codes',
      city: 'Hangzhou',
      bio: 'Builds fast mobile UIs. Loves flexbox, good typography and green tea.',
      verified: true,
      avatar: '/images/avatar.png',
    },
    badges: [
      { id: 'pro', label: 'PRO', tone: 'gold' },
      { id: 'mentor', label: 'Mentor', tone: 'blue' },
      { id: 'early', label: 'Early adopter', tone: 'green' },
      { id: 'speaker', label: 'Speaker', tone: 'pink' },
    ],
    stats: [
      { label: 'Posts', value: '128' },
      { label: 'Followers', value: '4.2k' },
      { label: 'Following', value: '316' },
      { label: 'Likes', value: '9.8k' },
    ],
    skills: [
      { name: 'Layout', level: 92, color: '#5b6cff' },
      { name: 'Animation', level: 74, color: '#ff7a59' },
      { name: 'Typography', level: 81, color: '#12b886' },
      { name: 'Accessibility', level: 58, color: '#f59f00' },
    ],
    activity: [
      { id: 1, title: 'Shipped the new onboarding flow', time: '2h ago', done: true },
      { id: 2, title: 'Reviewed 6 pull requests', time: 'Yesterday', done: true },
      { id: 3, title: 'Draft: talk on list virtualisation', time: 'Mon', done: false },
      { id: 4, title: 'Paired on the settings page', time: 'Last week', done: true },
      { id: 5, title: 'Wrote notes on rpx rounding', time: 'Last month', done: false },
    ],
  },

  onLoad() {
    const app = getApp();
    this.setData({ appVersion: app.globalData.version });
  },

  toggleFollow() {
    this.setData({ following: !this.data.following });
  },

  openAbout() {
    wx.navigateTo({ url: '/pages/about/about?from=profile' });
  },
});
