import { isAbsolute, join, resolve } from 'node:path';
import type { Config } from '../config/config';
import { FlagonError } from '../errors/flagon-error';

/** The engines DatabaseModule speaks to. */
export type DatabaseEngine = 'sqlite' | 'postgres';

/** A database URL, parsed: which engine, and where. */
export type DatabaseTarget =
  | {
      readonly engine: 'sqlite';
      /** An absolute path, or `:memory:`. */
      readonly file: string;
      /** The URL as errors and logs show it. */
      readonly display: string;
    }
  | {
      readonly engine: 'postgres';
      readonly url: string;
      /** The URL with its password masked. */
      readonly display: string;
    };

/** Where an app keeps its SQLite file when nothing else is configured: Flask's instance folder. */
export function defaultDatabaseFile(root: string): string {
  return join(root, 'instance', 'app.sqlite');
}

/** How errors name config `DATABASE_URL`, which the environment sets as `FLAGON_DATABASE_URL`. */
export const CONFIGURED_URL_SOURCE = 'config DATABASE_URL (FLAGON_DATABASE_URL)';

/** Config `DATABASE_URL`, when set and not empty. */
export function configuredDatabaseUrl(config: Pick<Config, 'get'>): string | undefined {
  const url = config.get<string>('DATABASE_URL');
  return url === undefined || url === '' ? undefined : url;
}

/**
 * Reads a database URL: `postgres://` and `postgresql://` go to PostgreSQL; `sqlite:PATH`,
 * `sqlite:///PATH`, `sqlite::memory:` and plain file paths go to SQLite. Relative SQLite paths are
 * taken from the app root, so the working directory does not matter. `source` names where the URL
 * came from, for the error an unsupported one raises.
 */
export function parseDatabaseUrl(
  url: string,
  root: string,
  source = 'The database URL',
): DatabaseTarget {
  if (/^postgres(ql)?:\/\//i.test(url))
    return { engine: 'postgres', url, display: maskPassword(url) };
  const path = /^sqlite:/i.test(url) ? url.replace(/^sqlite:(\/\/)?/i, '') : url;
  if (path === ':memory:' || path === '')
    return { engine: 'sqlite', file: ':memory:', display: 'sqlite::memory:' };
  // Any other scheme is a mistake (mysql://, a typo), except a Windows drive letter.
  if (/^[a-z][a-z0-9+.-]+:/i.test(path) && !/^[a-z]:[\\/]/i.test(path))
    throw new FlagonError(
      'FLAGON_DATABASE_URL_INVALID',
      `${source} ${maskPassword(url)} is not supported: use postgres://…, sqlite:PATH or a file path`,
    );
  const file = isAbsolute(path) ? path : resolve(root, path);
  return { engine: 'sqlite', file, display: `sqlite:${file}` };
}

/**
 * The URL with its password replaced by `***` (in the user part and in a `password=` parameter),
 * for error messages and logs.
 *
 * @example
 * maskPassword('postgres://app:s3cret@db:5432/blog'); // 'postgres://app:***@db:5432/blog'
 */
export function maskPassword(url: string): string {
  return url
    .replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/?#@]*:)[^/?#]*@/i, '$1***@')
    .replace(/([?&]password=)[^&#]*/i, '$1***');
}
