import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type BetterSqlite3 from 'better-sqlite3';
import { loadBetterSqlite3 } from './packages';

/**
 * Opens an SQLite file for an app (its folder is created when missing): WAL, so readers do not
 * block the writer; a busy timeout, so several processes on one file wait for each other's locks
 * instead of failing; foreign keys enforced, as PostgreSQL does.
 */
export async function openSqlite(
  file: string,
  busyTimeoutMs: number,
): Promise<BetterSqlite3.Database> {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const deadline = Date.now() + busyTimeoutMs;
  for (;;) {
    try {
      return prepare(file, busyTimeoutMs);
    } catch (error) {
      // Processes starting together on a new file can meet inside the switch to WAL, where SQLite
      // answers "database is locked" at once instead of waiting for the busy timeout: that is
      // worth another try, any other error is not.
      if (!isBusy(error) || Date.now() >= deadline) throw error;
      await sleep(25 + Math.floor(Math.random() * 50));
    }
  }
}

function prepare(file: string, busyTimeoutMs: number): BetterSqlite3.Database {
  const Database = loadBetterSqlite3();
  const connection = new Database(file, { timeout: busyTimeoutMs });
  try {
    if (file !== ':memory:' && connection.pragma('journal_mode', { simple: true }) !== 'wal')
      connection.pragma('journal_mode = WAL');
    connection.pragma('foreign_keys = ON');
    return connection;
  } catch (error) {
    connection.close();
    throw error;
  }
}

function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && code.startsWith('SQLITE_BUSY');
}
