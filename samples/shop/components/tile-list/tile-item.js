// One entry of a <tile-list> (see tile-list.js). It must sit inside one;
// the list sets its position through `setPosition`.
Component({
  relations: {
    './tile-list': {
      type: 'parent',
    },
  },
  data: {
    index: 0,
    last: false,
  },
  methods: {
    setPosition(index, last) {
      this.setData({ index, last });
    },
  },
});
