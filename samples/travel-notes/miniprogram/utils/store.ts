import type { Note } from './types';

type Listener = (notes: Note[]) => void;

/** A tiny observable store of the user's notes and likes. */
export class Store {
  private listeners: Listener[] = [];

  constructor(private notes: Note[], public readonly owner: string = 'me') {}

  all(): Note[] {
    return this.notes;
  }

  find(id: string): Note | undefined {
    return this.notes.find((note) => note.id === id);
  }

  like(id: string): void {
    const note = this.find(id);
    if (!note) return;
    note.likes += 1;
    this.listeners.forEach((listener) => listener(this.notes));
  }

  subscribe(listener: Listener): () => void {
    this.listeners.push(listener);
    return () => {
      this.listeners = this.listeners.filter((l) => l !== listener);
    };
  }
}

export function createStore(notes: Note[]): Store {
  return new Store(notes.map((note) => ({ ...note })));
}
