// A titled list whose items are <tile-item>s, linked through `relations`:
// the list counts its items and tells each one its position, so the last
// item can drop its separator. Items may be added and removed at any time
// (wx:for); every link and unlink renumbers them.
Component({
  relations: {
    './tile-item': {
      type: 'child',
      linked() {
        this.renumber();
      },
      unlinked() {
        this.renumber();
      },
    },
  },
  properties: {
    title: { type: String, value: '' },
  },
  data: {
    count: 0,
  },
  methods: {
    renumber() {
      const items = this.getRelationNodes('./tile-item');
      items.forEach((item, index) => {
        item.setPosition(index, index === items.length - 1);
      });
      this.setData({ count: items.length });
    },
  },
});
