Page({
  data: {
    primaryText: 'Book a trip',
    account: 'traveller',
    taps: 0,
  },
  onPrimary() {
    this.setData({ taps: this.data.taps + 1, primaryText: 'Booked' });
  },
});
