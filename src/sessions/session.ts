import { createDictionary } from '../util/dictionary';

/** What a session holds: JSON-serialisable values by key. */
export type SessionData = Record<string, unknown>;

/** The storage operations a session needs from its backend (cookie or store). */
export interface SessionControl {
  regenerate(session: HttpSession): Promise<void>;
  destroy(session: HttpSession): Promise<void>;
}

/**
 * The per-client session (Flask's `session`): get/set JSON values; changes are saved when the
 * response is sent. Reading it makes the response carry `Vary: Cookie`.
 *
 * @example
 * @Get('/count') count(@Session() session: HttpSession) {
 *   session.set('visits', (session.get<number>('visits') ?? 0) + 1);
 * }
 */
export class HttpSession {
  /** Set when the data changed; set it yourself after mutating a nested value in place. */
  modified = false;
  /** Set when anything read or wrote the session (the response then varies by Cookie). */
  accessed = false;
  /** The store id (server-side sessions only); `undefined` for a new or cookie session. */
  id: string | undefined;
  /** Set by regenerate()/destroy(): the old store entry to delete when saving. */
  staleId: string | undefined;
  /** destroy() was called: the cookie is removed on the response. */
  isDestroyed = false;
  private data: SessionData;
  private isPermanent: boolean;

  constructor(
    data: SessionData = {},
    options: { id?: string; permanent?: boolean } = {},
    private readonly control?: SessionControl,
  ) {
    this.data = Object.assign(createDictionary<unknown>(), data);
    this.id = options.id;
    this.isPermanent = options.permanent ?? false;
  }

  /** Whether the cookie outlives the browser (PERMANENT_SESSION_LIFETIME). */
  get permanent(): boolean {
    return this.isPermanent;
  }

  set permanent(value: boolean) {
    if (value !== this.isPermanent) this.modified = true;
    this.accessed = true;
    this.isPermanent = value;
  }

  get isNew(): boolean {
    return this.id === undefined;
  }

  get<TValue = unknown>(key: string): TValue | undefined {
    this.accessed = true;
    return this.data[key] as TValue | undefined;
  }

  set(key: string, value: unknown): this {
    this.accessed = true;
    this.modified = true;
    this.data[key] = value;
    return this;
  }

  has(key: string): boolean {
    this.accessed = true;
    return key in this.data;
  }

  delete(key: string): boolean {
    this.accessed = true;
    if (!(key in this.data)) return false;
    this.modified = true;
    Reflect.deleteProperty(this.data, key);
    return true;
  }

  /** Removes one value and returns it (Flask's `session.pop`). */
  pop<TValue = unknown>(key: string): TValue | undefined {
    const value = this.get<TValue>(key);
    this.delete(key);
    return value;
  }

  clear(): void {
    this.accessed = true;
    if (Object.keys(this.data).length > 0) this.modified = true;
    this.data = createDictionary<unknown>();
  }

  keys(): string[] {
    this.accessed = true;
    return Object.keys(this.data);
  }

  get isEmpty(): boolean {
    return Object.keys(this.data).length === 0;
  }

  /** The data as a plain object (what gets serialised). */
  toJSON(): SessionData {
    return { ...this.data };
  }

  /**
   * A new session id with the same data, the old one deleted from the store: call it when the
   * privilege level changes (login) to defeat session fixation. Cookie sessions get a fresh cookie.
   */
  regenerate(): Promise<void> {
    this.accessed = true;
    this.modified = true;
    return this.control?.regenerate(this) ?? Promise.resolve();
  }

  /** Ends the session: data cleared, store entry deleted, cookie removed. */
  destroy(): Promise<void> {
    this.accessed = true;
    this.data = createDictionary<unknown>();
    this.isPermanent = false;
    this.isDestroyed = true;
    this.modified = true;
    return this.control?.destroy(this) ?? Promise.resolve();
  }
}
