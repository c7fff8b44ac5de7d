import { Injectable } from 'flagon';

export interface Note {
  readonly id: number;
  readonly text: string;
}

/** Keeps notes in memory; swap it for a database-backed service (tests swap it for a fake). */
@Injectable()
export class NotesService {
  private readonly notes: Note[] = [{ id: 1, text: 'Welcome to Flagon!' }];

  all(): readonly Note[] {
    return this.notes;
  }

  add(text: string): Note {
    const note = { id: this.notes.length + 1, text };
    this.notes.push(note);
    return note;
  }
}
