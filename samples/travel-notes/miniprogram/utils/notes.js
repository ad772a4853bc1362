// The notes a fresh install shows. Dates are fixed so screenshots are stable.
export const notes = [
  {
    id: 'kyoto',
    title: 'Autumn in Kyoto',
    place: 'Kyoto, Japan',
    date: '2025-11-08',
    image: 'kyoto.png',
    mood: 'calm',
    likes: 128,
  },
  {
    id: 'lisbon',
    title: 'Trams of Lisbon',
    place: 'Lisbon, Portugal',
    date: '2025-06-21',
    image: 'lisbon.jpg',
    mood: 'lively',
    likes: 96,
  },
  {
    id: 'atlas',
    title: 'Crossing the Atlas',
    place: 'Imlil, Morocco',
    date: '2024-10-02',
    image: 'atlas.svg',
    mood: 'wild',
    likes: 41,
  },
];

export default notes;
