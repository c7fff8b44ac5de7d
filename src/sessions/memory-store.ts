import type { SessionStore, StoredSession } from './store';

/**
 * Sessions in the process's memory: for development and tests. Data is lost on restart and not
 * shared between workers; use `RedisStore` behind a load balancer.
 *
 * @example
 * createApp({ modules, config: { SESSION_STORE: new MemoryStore() } });
 */
export class MemoryStore implements SessionStore {
  private readonly entries = new Map<string, { json: string; expiresAt: number }>();

  get(id: string): Promise<StoredSession | undefined> {
    const entry = this.entries.get(id);
    if (!entry) return Promise.resolve(undefined);
    if (entry.expiresAt <= Date.now()) {
      this.entries.delete(id);
      return Promise.resolve(undefined);
    }
    // Stored as JSON so callers never share objects with the store (as with a real backend).
    return Promise.resolve(JSON.parse(entry.json) as StoredSession);
  }

  set(id: string, session: StoredSession, ttlSeconds: number): Promise<void> {
    this.entries.set(id, {
      json: JSON.stringify(session),
      expiresAt: Date.now() + ttlSeconds * 1000,
    });
    return Promise.resolve();
  }

  delete(id: string): Promise<void> {
    this.entries.delete(id);
    return Promise.resolve();
  }

  /** How many sessions are held (expired ones included until read). */
  get size(): number {
    return this.entries.size;
  }
}
