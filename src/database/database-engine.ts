import type { Kysely } from 'kysely';
import type { DatabaseEngine } from './database-url';
import { FlagonError } from '../errors/flagon-error';
import { loadKysely } from './packages';

/**
 * Which engine a Kysely instance (or a migration's `db`) speaks to, for the few statements that
 * differ: an auto-incrementing key, an engine-specific index.
 *
 * @example
 * const id = databaseEngine(db) === 'postgres' ? 'serial' : 'integer';
 */
export function databaseEngine<TDatabase>(db: Kysely<TDatabase>): DatabaseEngine {
  const { PostgresAdapter, SqliteAdapter } = loadKysely();
  const adapter = db.getExecutor().adapter;
  if (adapter instanceof PostgresAdapter) return 'postgres';
  if (adapter instanceof SqliteAdapter) return 'sqlite';
  throw new FlagonError(
    'FLAGON_DATABASE_NOT_MANAGED',
    `This Kysely instance uses ${adapter.constructor.name}: DatabaseModule speaks to SQLite and PostgreSQL`,
  );
}
