export interface Note {
  id: string;
  title: string;
  place: string;
  date: string;
  image: string;
  mood: string;
  likes: number;
}
