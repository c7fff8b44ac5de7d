import { FlagonError, isFlagonError } from '../errors/flagon-error';

// SQLSTATE classes and codes meaning "the server is not there for us right now", as opposed to
// "this statement is wrong": 08 connection exceptions, 53300 too many connections, 57014 a
// statement cancelled by statement_timeout, 57P01-57P03 the server shutting down, crashed or starting.
const POSTGRES_OUTAGE = /^(08...|53300|57014|57P0[1-3])$/;
// better-sqlite3's codes: another process holds the lock past the busy timeout, or the disk fails.
const SQLITE_OUTAGE = /^SQLITE_(BUSY|LOCKED|IOERR|FULL|CANTOPEN)/;
const NETWORK_OUTAGE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);
// node-postgres reports a dropped socket, its own query timeout and a closed pool by message only.
const PG_CLIENT_OUTAGE =
  /Connection terminated|not queryable|Query read timeout|timeout exceeded when trying to connect|Cannot use a pool after calling end/;

/**
 * True when an error says the database is unreachable, restarting, overloaded or too slow, rather
 * than that the statement was wrong: those become 503 and the next request tries again.
 */
export function isOutage(error: unknown): boolean {
  // Read by shape, not `instanceof Error`: a native addon's errors may come from another realm
  // (better-sqlite3 keeps the error class of the first context that loaded it, as Jest's do).
  if (typeof error !== 'object' || error === null) return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (typeof code === 'string') {
    if (POSTGRES_OUTAGE.test(code) || SQLITE_OUTAGE.test(code) || NETWORK_OUTAGE.has(code))
      return true;
  }
  if (typeof message === 'string' && PG_CLIENT_OUTAGE.test(message)) return true;
  return error instanceof AggregateError && error.errors.some(isOutage);
}

/** An error's message for people: the innermost cause's, or its code when it has no message. */
export function describeError(error: unknown): string {
  let current = error;
  while (isFlagonError(current) && current.cause !== undefined) current = current.cause;
  if (!(current instanceof Error)) return String(current);
  const code = (current as { code?: unknown }).code;
  return current.message !== '' ? current.message : typeof code === 'string' ? code : current.name;
}

/** What turns a driver's errors into Flagon's: the database's masked URL and the pool's state. */
export interface FaultContext {
  /** The URL with its password masked. */
  readonly display: string;
  readonly acquireTimeoutMs: number;
  /** True when every connection the pool may open is open and in use (PostgreSQL). */
  readonly isPoolFull: () => boolean;
}

/**
 * Getting a connection failed: the pool stayed full past its wait (503 POOL_EXHAUSTED), or the
 * server could not be reached (503 UNAVAILABLE). Either way the request gets a bounded answer.
 */
export function acquireFault(error: unknown, context: FaultContext): unknown {
  if (isFlagonError(error)) return error;
  const reason = describeError(error);
  if (/timeout exceeded when trying to connect/.test(reason) && context.isPoolFull())
    return new FlagonError(
      'FLAGON_DATABASE_POOL_EXHAUSTED',
      `No connection to ${context.display} became free within ${context.acquireTimeoutMs} ms: raise pool.max or shorten the work done in a transaction`,
      { cause: error },
    );
  return new FlagonError(
    'FLAGON_DATABASE_UNAVAILABLE',
    `The database ${context.display} is unavailable: ${reason}`,
    { cause: error },
  );
}

/** A statement failed: outages become 503 UNAVAILABLE; anything else (a constraint, a typo) stays the driver's error. */
export function queryFault(error: unknown, context: FaultContext): unknown {
  if (isFlagonError(error) || !isOutage(error)) return error;
  return new FlagonError(
    'FLAGON_DATABASE_UNAVAILABLE',
    `The database ${context.display} is unavailable: ${describeError(error)}`,
    { cause: error },
  );
}
