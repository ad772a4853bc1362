import type { Note } from '../../utils/types';
import { formatDate, moodLabel } from '../../utils/format';
import * as bar from '../../utils/bar';

function logged(target: object, key: string, descriptor: PropertyDescriptor) {
  const original = descriptor.value;
  descriptor.value = function (this: unknown, ...args: unknown[]) {
    console.log(`note: ${key}`);
    return original.apply(this, args);
  };
  return descriptor;
}

class NoteView {
  constructor(public readonly note: Note) {}

  @logged
  summary(): string {
    return `${this.note.place} · ${formatDate(this.note.date)} · ${moodLabel(this.note.mood)}`;
  }
}

const app = getApp<{ globalData: { store: import('../../utils/store').Store } }>();

Page({
  data: {
    note: null as Note | null,
    summary: '',
    topInset: 0,
  },

  onLoad(query: Record<string, string>) {
    const note = app.globalData.store.find(query.id || 'kyoto');
    if (!note) return;
    const metrics = bar.barMetrics();
    this.setData({
      note,
      summary: new NoteView(note).summary(),
      topInset: metrics.statusBarHeight + metrics.barHeight,
    });
  },

  onLike() {
    if (!this.data.note) return;
    app.globalData.store.like(this.data.note.id);
    this.setData({ 'note.likes': this.data.note.likes + 1 });
  },
});
