export enum Mood {
  Calm = 'calm',
  Lively = 'lively',
  Wild = 'wild',
}

const labels: Record<Mood, string> = {
  [Mood.Calm]: 'Calm',
  [Mood.Lively]: 'Lively',
  [Mood.Wild]: 'Wild',
};

export function moodLabel(mood: string): string {
  return labels[mood as Mood] ?? 'Unknown';
}
