import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Inject, Injectable } from '../../src';
import { SCHEMA } from './schema';

/** DI token for the options given to `DatabaseModule.configure`. */
export const DATABASE_OPTIONS = Symbol('sample:database-options');

export interface DatabaseOptions {
  /** The SQLite file; its folder and tables are created when missing. */
  readonly file: string;
}

/**
 * Creates the SQLite file (and its folder) with the schema when they do not exist yet, and
 * returns the open connection. Also what a `db init` command runs.
 *
 * @example
 * openDatabase('sample-app/instance/blog.sqlite').close();
 */
export function openDatabase(file: string): BetterSqlite3.Database {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const deadline = Date.now() + OPEN_DEADLINE_MS;
  for (;;) {
    try {
      return openAndPrepare(file);
    } catch (error) {
      // Instances starting together on a new file (workers, instances behind nginx) can meet inside
      // the switch to WAL, where SQLite answers "database is locked" at once instead of waiting
      // for the busy timeout: that is worth another try, any other error is not.
      if (!isBusy(error) || Date.now() >= deadline) throw error;
      Atomics.wait(RETRY_SLEEPER, 0, 0, 25 + Math.floor(Math.random() * 50));
    }
  }
}

const OPEN_DEADLINE_MS = 10_000;
// Startup is synchronous (the `db init` command too), so a retry sleeps the thread.
const RETRY_SLEEPER = new Int32Array(new SharedArrayBuffer(4));

function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && code.startsWith('SQLITE_BUSY');
}

function openAndPrepare(file: string): BetterSqlite3.Database {
  // Several instances may share the file: wait for each other's locks rather than fail, and use
  // WAL so readers do not block the writer.
  const connection = new BetterSqlite3(file, { timeout: 5000 });
  try {
    if (file !== ':memory:' && connection.pragma('journal_mode', { simple: true }) !== 'wal') {
      connection.pragma('journal_mode = WAL');
    }
    connection.pragma('foreign_keys = ON');
    // IMMEDIATE takes the write lock first, so two instances creating the tables queue up
    // instead of both reading the schema and then failing to upgrade their locks.
    connection.transaction(() => connection.exec(SCHEMA)).immediate();
    return connection;
  } catch (error) {
    connection.close();
    throw error;
  }
}

/**
 * The app's SQLite connection (Flask's `get_db`), opened by DatabaseModule at startup and closed
 * on shutdown. One connection per app: better-sqlite3 is synchronous, so requests never interleave
 * inside a statement.
 *
 * @example
 * const row = db.connection.prepare('SELECT count(*) AS n FROM post').get();
 */
@Injectable()
export class Database {
  private current: BetterSqlite3.Database | undefined;

  constructor(@Inject(DATABASE_OPTIONS) private readonly options: DatabaseOptions) {}

  get file(): string {
    return this.options.file;
  }

  /** The open connection; throws when used before the app has started or after it closed. */
  get connection(): BetterSqlite3.Database {
    if (!this.current)
      throw new Error(
        `The database ${this.options.file} is not open: start the app (app.init() or listen()) first`,
      );
    return this.current;
  }

  /** Drops every table and creates the schema again: flaskr's `flask init-db`. */
  reset(): void {
    this.connection.exec('DROP TABLE IF EXISTS post; DROP TABLE IF EXISTS user;');
    this.connection.exec(SCHEMA);
  }

  open(): void {
    this.current ??= openDatabase(this.options.file);
  }

  close(): void {
    this.current?.close();
    this.current = undefined;
  }
}
