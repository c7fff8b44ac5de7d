import type { Generated } from 'kysely';

/**
 * The blog's tables as Kysely sees them (`Kysely<BlogSchema>`), kept in step with
 * `migrations/`. The same queries run on SQLite and PostgreSQL.
 */
export interface BlogSchema {
  users: UserTable;
  posts: PostTable;
}

export interface UserTable {
  id: Generated<number>;
  /** Trimmed; unique regardless of case (a unique index on lower(username)). */
  username: string;
  /** The argon2id hash from `hashPassword`, never the password. */
  password: string;
  avatar: string | null;
  /** Bumped at logout and password change: sessions made before stop being logged in. */
  session_version: Generated<number>;
}

export interface PostTable {
  id: Generated<number>;
  author_id: number;
  /** ISO 8601, UTC: text sorts as time and reads the same on both engines. */
  created: string;
  title: string;
  body: string;
}
