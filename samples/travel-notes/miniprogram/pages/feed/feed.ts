import type { Note } from '../../utils/types';
import { Mood } from '../../utils/mood';

const app = getApp<{ globalData: { store: import('../../utils/store').Store; cdn: string } }>();

enum Filter {
  All,
  Calm,
}

Page({
  data: {
    notes: [] as Note[],
    cdn: '',
    filter: Filter.All,
    launchedWith: '',
  },
  unsubscribe: null as null | (() => void),

  onLoad(query: Record<string, string>) {
    const cdn = query.cdn ? decodeURIComponent(query.cdn) : app.globalData.cdn;
    this.setData({ cdn, launchedWith: global.launchedWith });
    this.show(app.globalData.store.all());
    this.unsubscribe = app.globalData.store.subscribe((notes) => this.show(notes));
  },

  onUnload() {
    if (this.unsubscribe) this.unsubscribe();
  },

  show(notes: Note[]) {
    const visible =
      this.data.filter === Filter.Calm ? notes.filter((n) => n.mood === Mood.Calm) : notes;
    this.setData({ notes: visible });
  },

  onOpen(event: WechatMiniprogram.CustomEvent<{ id: string }>) {
    wx.navigateTo({ url: `/pages/note/note?id=${event.detail.id}` });
  },
});
