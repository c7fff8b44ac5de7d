import type BetterSqlite3 from 'better-sqlite3';
import type * as KyselyModule from 'kysely';
import type * as Pg from 'pg';
import { lazyRequire } from '../util/lazy-require';

// The database packages are optional peers: an app without DatabaseModule installs none of them,
// and one on SQLite needs no `pg`. Each loads on first use and names itself when missing.

/** Kysely, the query builder every DatabaseModule app uses. */
export const loadKysely = lazyRequire<typeof KyselyModule>('kysely', 'DatabaseModule');

/** node-postgres, for `postgres://` URLs. */
export const loadPg = lazyRequire<typeof Pg>('pg', 'DatabaseModule on PostgreSQL');

/** better-sqlite3, for `sqlite:` URLs and file paths. */
export const loadBetterSqlite3: () => typeof BetterSqlite3 = lazyRequire<typeof BetterSqlite3>(
  'better-sqlite3',
  'DatabaseModule on SQLite',
);
