import type { SessionData } from './session';

/** What a server-side store keeps per session id. */
export interface StoredSession {
  readonly data: SessionData;
  readonly permanent: boolean;
}

/**
 * Server-side session storage: the cookie carries only a signed random id, the data lives here.
 * Implement it for any database; `MemoryStore` and `RedisStore` ship with Flagon.
 *
 * @example
 * class SqlStore implements SessionStore { async get(id) { ... } async set(id, s, ttl) { ... } async delete(id) { ... } }
 */
export interface SessionStore {
  /** The session, or `undefined` when unknown or expired. */
  get(id: string): Promise<StoredSession | undefined>;
  /** Saves the session for `ttlSeconds`. */
  set(id: string, session: StoredSession, ttlSeconds: number): Promise<void>;
  delete(id: string): Promise<void>;
  /** Releases connections (called by the owner of the store). */
  close?(): Promise<void>;
}
