Page({
  data: {
    unread: 3,
    loading: false,
  },
});
