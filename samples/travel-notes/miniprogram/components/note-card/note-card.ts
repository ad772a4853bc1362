import { formatDate, formatLikes, moodLabel } from '../../utils/format';

interface NoteFields {
  date?: string;
  likes?: number;
  mood?: string;
}

Component({
  properties: {
    note: { type: Object, value: {} },
    cdn: { type: String, value: '' },
  },
  data: {
    dateText: '',
    likesText: '',
    moodText: '',
    imageState: 'loading',
  },
  lifetimes: {
    attached() {
      this.refresh(this.data.note);
    },
  },
  observers: {
    note(note: NoteFields) {
      this.refresh(note);
    },
  },
  methods: {
    refresh(note: NoteFields) {
      if (!note || !note.date) return;
      this.setData({
        dateText: formatDate(note.date),
        likesText: formatLikes(note.likes || 0),
        moodText: moodLabel(note.mood || ''),
      });
    },
    onImageLoad(event: WechatMiniprogram.CustomEvent<{ width: number; height: number }>) {
      this.setData({ imageState: `${event.detail.width}x${event.detail.height}` });
    },
    onImageError() {
      this.setData({ imageState: 'failed' });
    },
    onTap() {
      this.triggerEvent('open', { id: this.data.note.id });
    },
  },
});
