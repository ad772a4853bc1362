// The inbox: swipe-to-dismiss cards (components/swipe-card). A card that
// is swiped away fires `dismiss` once its animation is over and the page
// drops it from its data; a tapped card opens its photo.
import { messages } from '../../utils/data.js';

function subtitleFor(count) {
  if (count === 0) return 'No messages';
  return count === 1 ? '1 message' : count + ' messages';
}

Page({
  data: {
    statusBarHeight: 20,
    messages,
    subtitle: subtitleFor(messages.length),
    archived: 0,
  },

  onDismiss(event) {
    const id = event.detail.id;
    const left = this.data.messages.filter((message) => message.id !== id);
    if (left.length === this.data.messages.length) return;
    this.setData({
      messages: left,
      subtitle: subtitleFor(left.length),
      archived: this.data.archived + 1,
    });
  },

  onOpen(event) {
    wx.navigateTo({ url: '/pages/photo/photo?id=' + event.detail.id });
  },

  restore() {
    this.setData({ messages, subtitle: subtitleFor(messages.length), archived: 0 });
  },
});
