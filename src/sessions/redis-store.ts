import type { Redis, RedisOptions } from 'ioredis';
import type * as IoRedis from 'ioredis';
import { FlagonError } from '../errors/flagon-error';
import { lazyRequire } from '../util/lazy-require';
import type { SessionStore, StoredSession } from './store';

const loadIoRedis = lazyRequire<typeof IoRedis>('ioredis', 'The Redis session store');

export interface RedisStoreOptions {
  /** `redis://host:port/db`; ignored when `client` is given. */
  readonly url?: string;
  /** An ioredis client you own (then `close()` leaves it open). */
  readonly client?: Redis;
  /** Key prefix, so several apps can share a Redis. Default `flagon:session:`. */
  readonly prefix?: string;
  /** How long a request waits for Redis before answering 503 (ms). Default 1000. */
  readonly timeoutMs?: number;
}

/**
 * Sessions in Redis (ioredis), shared by every instance behind a load balancer. Each entry
 * expires with the session (SET … EX). When Redis is down, requests that need the session get a
 * 503 within `timeoutMs` instead of hanging, and the store reconnects by itself.
 *
 * @example
 * const store = new RedisStore({ url: 'redis://127.0.0.1:6379' });
 * createApp({ modules, config: { SESSION_STORE: store } });
 */
export class RedisStore implements SessionStore {
  readonly client: Redis;
  private readonly prefix: string;
  private readonly timeoutMs: number;
  private readonly isOwned: boolean;

  constructor(options: RedisStoreOptions = {}) {
    this.prefix = options.prefix ?? 'flagon:session:';
    this.timeoutMs = options.timeoutMs ?? 1000;
    this.isOwned = options.client === undefined;
    const clientOptions: RedisOptions = {
      // Fail fast instead of queueing commands while disconnected: a queued command is a hung request.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      connectTimeout: this.timeoutMs,
      commandTimeout: this.timeoutMs,
      // Keep reconnecting in the background so the app recovers when Redis returns.
      retryStrategy: (attempt) => Math.min(attempt * 100, 2000),
    };
    // ioredis is loaded by the apps that use it, not at every app's startup.
    const { Redis: RedisClient } = loadIoRedis();
    this.client =
      options.client ??
      (options.url === undefined
        ? new RedisClient(clientOptions)
        : new RedisClient(options.url, clientOptions));
    // Connection errors surface per request as 503; without a listener ioredis would log each retry.
    if (this.isOwned) this.client.on('error', () => undefined);
  }

  async get(id: string): Promise<StoredSession | undefined> {
    const text = await this.run(() => this.client.get(this.prefix + id));
    if (text === null) return undefined;
    try {
      return JSON.parse(text) as StoredSession;
    } catch {
      return undefined;
    }
  }

  async set(id: string, session: StoredSession, ttlSeconds: number): Promise<void> {
    await this.run(() =>
      this.client.set(
        this.prefix + id,
        JSON.stringify(session),
        'EX',
        Math.max(1, Math.ceil(ttlSeconds)),
      ),
    );
  }

  async delete(id: string): Promise<void> {
    await this.run(() => this.client.del(this.prefix + id));
  }

  /** Closes the connection if the store opened it. */
  async close(): Promise<void> {
    if (!this.isOwned) return;
    if (this.client.status === 'end') return;
    try {
      await this.client.quit();
    } catch {
      this.client.disconnect();
    }
  }

  private async run<TResult>(command: () => Promise<TResult>): Promise<TResult> {
    try {
      await this.whenReady();
      return await command();
    } catch (error) {
      throw new FlagonError(
        'FLAGON_SESSION_STORE_UNAVAILABLE',
        `The Redis session store is unavailable: ${(error as Error).message}`,
        { cause: error },
      );
    }
  }

  /** Waits for a connection that is being (re)established, at most `timeoutMs`. */
  private whenReady(): Promise<void> {
    if (this.client.status === 'ready') return Promise.resolve();
    if (this.client.status === 'end') return Promise.reject(new Error('the connection was closed'));
    return new Promise((resolve, reject) => {
      const onReady = (): void => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        this.client.off('ready', onReady);
        reject(new Error(`not connected after ${this.timeoutMs} ms`));
      }, this.timeoutMs);
      this.client.once('ready', onReady);
    });
  }
}
