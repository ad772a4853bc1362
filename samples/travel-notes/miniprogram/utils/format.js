import dayjs from 'dayjs';

export function formatDate(iso) {
  return dayjs(iso).format('MMM D, YYYY');
}

export function formatLikes(count) {
  return count >= 1000 ? `${(count / 1000).toFixed(1)}k` : String(count);
}

export * from './mood';
