import type { Kysely, Selectable } from 'kysely';
import { DATABASE, Inject, Injectable, isUniqueViolation } from 'flagon';
import type { BlogSchema, UserTable } from '../schema';

export type User = Selectable<UserTable>;

/** The `users` table. */
@Injectable()
export class Users {
  constructor(@Inject(DATABASE) private readonly db: Kysely<BlogSchema>) {}

  find(id: number): Promise<User | undefined> {
    return this.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** By name, trimmed and regardless of case: the same lower() the unique index uses. */
  findByName(username: string): Promise<User | undefined> {
    return this.db
      .selectFrom('users')
      .selectAll()
      .where((eb) =>
        eb(eb.fn('lower', ['username']), '=', eb.fn('lower', [eb.val(username.trim())])),
      )
      .executeTakeFirst();
  }

  /** Inserts a user; `undefined` when the name is taken (the unique index decides, so two racing registrations cannot both win). */
  async create(username: string, passwordHash: string): Promise<User | undefined> {
    try {
      return await this.db
        .insertInto('users')
        .values({ username, password: passwordHash })
        .returningAll()
        .executeTakeFirstOrThrow();
    } catch (error) {
      if (isUniqueViolation(error)) return undefined;
      throw error;
    }
  }

  /** Replaces a password hash with one of the same password (a rehash at login): sessions stay. */
  async setPassword(id: number, passwordHash: string): Promise<void> {
    await this.db
      .updateTable('users')
      .set({ password: passwordHash })
      .where('id', '=', id)
      .execute();
  }

  /** A new password: every session of the user made before ends (their session version moves on). */
  async changePassword(id: number, passwordHash: string): Promise<void> {
    await this.db
      .updateTable('users')
      .set((eb) => ({ password: passwordHash, session_version: eb('session_version', '+', 1) }))
      .where('id', '=', id)
      .execute();
  }

  /** Ends every session of the user, wherever its cookie was copied to. */
  async endSessions(id: number): Promise<void> {
    await this.db
      .updateTable('users')
      .set((eb) => ({ session_version: eb('session_version', '+', 1) }))
      .where('id', '=', id)
      .execute();
  }

  async setAvatar(id: number, filename: string): Promise<void> {
    await this.db.updateTable('users').set({ avatar: filename }).where('id', '=', id).execute();
  }
}
