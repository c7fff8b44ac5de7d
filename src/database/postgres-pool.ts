import { userInfo } from 'node:os';
import type { Pool } from 'pg';
import type { Logger } from '../config/logger';
import type { PoolSettings } from './database-options';
import { loadPg } from './packages';

/**
 * A node-postgres pool whose every wait is bounded: getting a connection (a free one or a new
 * one) by `acquireTimeoutMs`, a statement by `queryTimeoutMs` (cancelled by the server, and given
 * up by the client when the server does not answer at all). `queryTimeoutMs: 0` lifts the
 * statement limit (migrations may run long).
 */
export function createPostgresPool(url: string, settings: PoolSettings, logger: Logger): Pool {
  const { Pool: PgPool } = loadPg();
  const pool = new PgPool({
    connectionString: withDefaultUser(url),
    max: settings.max,
    connectionTimeoutMillis: settings.acquireTimeoutMs,
    idleTimeoutMillis: settings.idleTimeoutMs,
    statement_timeout: settings.queryTimeoutMs,
    query_timeout: settings.queryTimeoutMs,
    keepAlive: true,
    application_name: 'flagon',
  });
  // A connection the server drops (a restart, pg_terminate_backend) emits 'error': the pool's
  // handler covers idle ones, this one the ones in use. Unhandled, either would end the process;
  // the query in flight fails on its own and the pool opens a new connection for the next one.
  pool.on('error', (error) =>
    logger.warn({ err: error }, 'an idle database connection failed; the pool replaces it'),
  );
  pool.on('connect', (client) =>
    client.on('error', (error) =>
      logger.warn({ err: error }, 'a database connection in use failed'),
    ),
  );
  return pool;
}

/**
 * libpq (psql) connects as the operating system's user when the URL names none; node-postgres
 * reads only USER, which services and containers often lack. Follow libpq.
 */
export function withDefaultUser(url: string): string {
  const parsed = new URL(url);
  if (parsed.username !== '' || process.env['PGUSER'] || process.env['USER']) return url;
  parsed.username = userInfo().username;
  return parsed.toString();
}

/** True when every connection the pool may open is open and none is idle. */
export function isPoolFull(pool: Pool, max: number): boolean {
  return pool.totalCount >= max && pool.idleCount === 0;
}
