import { Injectable } from '../../src';
import { Database } from '../db/database';

export interface User {
  readonly id: number;
  readonly username: string;
  /** The hash from `hashPassword`, never the password. */
  readonly password: string;
  readonly avatar: string | null;
}

/** The `user` table. */
@Injectable()
export class Users {
  constructor(private readonly db: Database) {}

  find(id: number): User | undefined {
    return this.db.connection.prepare('SELECT * FROM user WHERE id = ?').get(id) as
      User | undefined;
  }

  findByName(username: string): User | undefined {
    return this.db.connection.prepare('SELECT * FROM user WHERE username = ?').get(username) as
      User | undefined;
  }

  /** Inserts a user; returns `undefined` when the name is taken (the UNIQUE constraint decides, so two racing registrations cannot both win). */
  create(username: string, passwordHash: string): User | undefined {
    try {
      const result = this.db.connection
        .prepare('INSERT INTO user (username, password) VALUES (?, ?)')
        .run(username, passwordHash);
      return this.find(Number(result.lastInsertRowid));
    } catch (error) {
      if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') return undefined;
      throw error;
    }
  }

  /** Replaces a password hash (a rehash at login with the current parameters). */
  setPassword(id: number, passwordHash: string): void {
    this.db.connection.prepare('UPDATE user SET password = ? WHERE id = ?').run(passwordHash, id);
  }

  setAvatar(id: number, filename: string): void {
    this.db.connection.prepare('UPDATE user SET avatar = ? WHERE id = ?').run(filename, id);
  }
}
