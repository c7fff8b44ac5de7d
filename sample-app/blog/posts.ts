import { Injectable } from '../../src';
import { Clock } from '../clock';
import { Database } from '../db/database';

export interface Post {
  readonly id: number;
  readonly title: string;
  readonly body: string;
  /** ISO 8601, UTC. */
  readonly created: string;
  readonly author_id: number;
  readonly username: string;
}

const SELECT =
  'SELECT p.id, title, body, created, author_id, username FROM post p JOIN user u ON p.author_id = u.id';

/** The `post` table, joined with its author's name. */
@Injectable()
export class Posts {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
  ) {}

  /** Newest first; the id breaks ties between posts created in the same millisecond. */
  all(): Post[] {
    return this.db.connection.prepare(`${SELECT} ORDER BY created DESC, p.id DESC`).all() as Post[];
  }

  find(id: number): Post | undefined {
    return this.db.connection.prepare(`${SELECT} WHERE p.id = ?`).get(id) as Post | undefined;
  }

  create(authorId: number, title: string, body: string): Post {
    const result = this.db.connection
      .prepare('INSERT INTO post (title, body, author_id, created) VALUES (?, ?, ?, ?)')
      .run(title, body, authorId, this.clock.now().toISOString());
    return this.find(Number(result.lastInsertRowid)) as Post;
  }

  update(id: number, title: string, body: string): void {
    this.db.connection
      .prepare('UPDATE post SET title = ?, body = ? WHERE id = ?')
      .run(title, body, id);
  }

  delete(id: number): void {
    this.db.connection.prepare('DELETE FROM post WHERE id = ?').run(id);
  }
}
