import { randomBytes } from 'node:crypto';
import type { Config } from '../config/config';
import type { Logger } from '../config/logger';
import type { CookieOptions } from '../http/cookies';
import type { BeforeSendStep, Request } from '../http/request';
import { RequestSlot } from '../http/request-slot';
import type { Response } from '../http/response';
import type { SecretKeys } from '../signing/secrets';
import { Signer } from '../signing/signer';
import { decodeSession, encodeSession } from './cookie-session';
import { MemoryStore } from './memory-store';
import { RedisStore } from './redis-store';
import { HttpSession, type SessionControl } from './session';
import type { SessionStore } from './store';
import { FlagonError } from '../errors/flagon-error';

/** DI token for the app's session manager (its `store` included): `app.resolve(SESSION_MANAGER)`. */
export const SESSION_MANAGER = Symbol('flagon:session-manager');

/** Browsers drop cookies above about 4096 bytes (name, value and attributes together). */
const COOKIE_SIZE_LIMIT = 4093;
const DAY = 24 * 60 * 60;

/** Session settings read once from config. */
export interface SessionSettings {
  readonly cookieName: string;
  readonly cookie: CookieOptions;
  readonly lifetimeSeconds: number;
  readonly refreshEachRequest: boolean;
}

export const SESSION_DEFAULTS = {
  SESSION_COOKIE_HTTPONLY: true,
  SESSION_COOKIE_SAMESITE: 'lax',
  SESSION_COOKIE_PATH: '/',
  PERMANENT_SESSION_LIFETIME: 31 * DAY,
  SESSION_REFRESH_EACH_REQUEST: true,
} as const;

function setting<TValue>(config: Config, key: keyof typeof SESSION_DEFAULTS): TValue {
  return (config.get<TValue>(key) ?? SESSION_DEFAULTS[key]) as TValue;
}

/** Reads and checks the SESSION_* settings. */
export function readSessionSettings(config: Config): SessionSettings {
  const sameSite = String(setting(config, 'SESSION_COOKIE_SAMESITE')).toLowerCase();
  if (sameSite !== 'lax' && sameSite !== 'strict' && sameSite !== 'none') {
    throw new FlagonError(
      'FLAGON_CONFIG_INVALID',
      `SESSION_COOKIE_SAMESITE must be "Lax", "Strict" or "None"; got ${JSON.stringify(sameSite)}`,
    );
  }
  const lifetime = setting<number>(config, 'PERMANENT_SESSION_LIFETIME');
  if (!Number.isSafeInteger(lifetime) || lifetime <= 0) {
    throw new FlagonError(
      'FLAGON_CONFIG_INVALID',
      `PERMANENT_SESSION_LIFETIME must be a positive number of seconds; got ${JSON.stringify(lifetime)}`,
    );
  }
  const isRelaxed = config.get('DEBUG') || config.get('TESTING');
  const domain = config.get<string>('SESSION_COOKIE_DOMAIN');
  const cookie: CookieOptions = {
    path: setting(config, 'SESSION_COOKIE_PATH'),
    httpOnly: setting(config, 'SESSION_COOKIE_HTTPONLY'),
    // Secure by default; plain-http development and tests would otherwise never get the cookie back.
    secure: config.get<boolean>('SESSION_COOKIE_SECURE') ?? !isRelaxed,
    sameSite,
    ...(domain === undefined ? {} : { domain }),
  };
  return {
    cookieName: sessionCookieName(config, cookie),
    cookie,
    lifetimeSeconds: lifetime,
    refreshEachRequest: setting(config, 'SESSION_REFRESH_EACH_REQUEST'),
  };
}

/** A `__Host-` cookie is Secure, has Path=/ and no Domain: browsers drop it otherwise. */
export function fitsHostPrefix(cookie: CookieOptions): boolean {
  return cookie.secure === true && cookie.path === '/' && cookie.domain === undefined;
}

/**
 * SESSION_COOKIE_NAME as configured; by default `__Host-session` in production when the cookie
 * fits the prefix (no sibling subdomain or plain-http page can then set or shadow it), else
 * `session`. A configured `__Host-`/`__Secure-` name the attributes break stops createApp.
 *
 * @example
 * const name = sessionCookieName(app.config, { path: '/', secure: true });
 */
export function sessionCookieName(config: Config, cookie: CookieOptions): string {
  const configured = config.get<string>('SESSION_COOKIE_NAME');
  if (configured === undefined)
    return config.isProduction && fitsHostPrefix(cookie) ? '__Host-session' : 'session';
  const lower = configured.toLowerCase();
  if (
    (lower.startsWith('__host-') && !fitsHostPrefix(cookie)) ||
    (lower.startsWith('__secure-') && cookie.secure !== true)
  ) {
    throw new FlagonError(
      'FLAGON_CONFIG_INVALID',
      `SESSION_COOKIE_NAME ${JSON.stringify(configured)} needs SESSION_COOKIE_SECURE${lower.startsWith('__host-') ? ', SESSION_COOKIE_PATH "/" and no SESSION_COOKIE_DOMAIN' : ''}; browsers drop it otherwise`,
    );
  }
  return configured;
}

/** Picks the store from SESSION_STORE (`'cookie'`, `'memory'`, `'redis'` or a SessionStore) and SESSION_REDIS_URL. */
export function resolveSessionStore(config: Config): SessionStore | undefined {
  const configured = config.get('SESSION_STORE');
  const redisUrl = config.get<string>('SESSION_REDIS_URL');
  if (typeof configured === 'object' && configured !== null) return configured as SessionStore;
  if (configured === 'memory') return new MemoryStore();
  if (configured === 'redis' || (configured === undefined && redisUrl !== undefined))
    return new RedisStore(redisUrl === undefined ? {} : { url: redisUrl });
  if (configured === undefined || configured === 'cookie') return undefined;
  throw new FlagonError(
    'FLAGON_CONFIG_INVALID',
    `SESSION_STORE must be "cookie", "memory", "redis" or a SessionStore; got ${JSON.stringify(configured)}`,
  );
}

type LoadedSession = HttpSession | Promise<HttpSession>;

/** The session a request loaded or is loading. */
const LOADED = new RequestSlot<LoadedSession>('session');

function loadedOf(req: Request): LoadedSession | undefined {
  return LOADED.get(req);
}

/** Cleared or destroyed by the request: nothing is left to keep. */
function isEmptied(session: HttpSession): boolean {
  return session.isEmpty && (session.modified || session.isDestroyed);
}

/**
 * Loads a request's session on first use and writes it back on the response: a signed cookie
 * holding the data (no store) or a signed random id whose data lives in a SessionStore.
 */
export class SessionManager {
  private readonly signer: Signer;
  private readonly control: SessionControl;
  /** @internal Saves a loaded session on the final response; registered on each request that loads one. */
  beforeSend: BeforeSendStep | undefined;

  constructor(
    keys: SecretKeys,
    readonly settings: SessionSettings,
    readonly store: SessionStore | undefined,
    private readonly logger: Logger,
  ) {
    this.signer = new Signer(keys, store ? 'session-id' : 'session');
    // Both give the session a new id at save time and delete the old store entry then.
    const dropId = (session: HttpSession): Promise<void> => {
      if (session.id !== undefined) session.staleId ??= session.id;
      session.id = undefined;
      return Promise.resolve();
    };
    this.control = { regenerate: dropId, destroy: dropId };
  }

  /** The session already loaded for this request, if any. */
  peek(req: Request): HttpSession | undefined {
    const value = loadedOf(req);
    return value instanceof HttpSession ? value : undefined;
  }

  /** The request's session, loaded once (synchronously for cookie sessions). */
  load(req: Request): HttpSession | Promise<HttpSession> {
    const existing = loadedOf(req);
    if (existing) return existing;
    if (this.beforeSend !== undefined) req.onBeforeSend(this.beforeSend);
    const cookie = req.cookies[this.settings.cookieName];
    if (!this.store || cookie === undefined) {
      // Without a cookie there is nothing to look up, even with a store: the new session is ready now.
      const decoded =
        cookie === undefined || this.store
          ? undefined
          : decodeSession(this.signer, cookie, this.settings.lifetimeSeconds);
      const session = new HttpSession(
        decoded?.data,
        { permanent: decoded?.permanent ?? false },
        this.control,
      );
      LOADED.set(req, session);
      return session;
    }
    const promise = this.loadFromStore(this.store, cookie).then((session) => {
      LOADED.set(req, session);
      return session;
    });
    // A failed load (store down) is not cached as a rejection: a later call may succeed.
    promise.catch(() => LOADED.delete(req));
    LOADED.set(req, promise);
    return promise;
  }

  /**
   * Writes the session back (cookie, store entry) and adds `Vary: Cookie` when it was read. A
   * cookie session is written synchronously; only a store makes it a promise.
   */
  save(req: Request, response: Response): void | Promise<void> {
    const session = this.peek(req);
    if (!session) return undefined;
    if (session.accessed) response.appendHeader('vary', 'Cookie');
    if (this.store) return this.saveToStore(this.store, session, req, response);
    if (isEmptied(session)) {
      this.deleteCookie(req, response);
      return undefined;
    }
    if (!this.needsWrite(session)) return undefined;
    this.setCookie(
      req,
      response,
      session,
      encodeSession(this.signer, { data: session.toJSON(), permanent: session.permanent }),
    );
    return undefined;
  }

  private async saveToStore(
    store: SessionStore,
    session: HttpSession,
    req: Request,
    response: Response,
  ): Promise<void> {
    if (session.staleId !== undefined) await store.delete(session.staleId);
    if (isEmptied(session)) {
      if (session.id !== undefined) await store.delete(session.id);
      this.deleteCookie(req, response);
      return;
    }
    if (!this.needsWrite(session)) return;
    session.id ??= randomBytes(32).toString('base64url');
    await store.set(
      session.id,
      { data: session.toJSON(), permanent: session.permanent },
      this.settings.lifetimeSeconds,
    );
    this.setCookie(req, response, session, this.signer.sign(session.id));
  }

  /** The client's session cookie, if it sent one, is removed. */
  private deleteCookie(req: Request, response: Response): void {
    if (req.cookies[this.settings.cookieName] !== undefined)
      response.deleteCookie(this.settings.cookieName, this.settings.cookie);
  }

  /** Modified, or permanent with SESSION_REFRESH_EACH_REQUEST (the expiry moves with each visit). */
  private needsWrite(session: HttpSession): boolean {
    return (
      session.modified ||
      (session.permanent && this.settings.refreshEachRequest && !session.isEmpty)
    );
  }

  private setCookie(req: Request, response: Response, session: HttpSession, value: string): void {
    const { cookieName, cookie, lifetimeSeconds } = this.settings;
    const options: CookieOptions = session.permanent
      ? {
          ...cookie,
          maxAge: lifetimeSeconds,
          expires: new Date(Date.now() + lifetimeSeconds * 1000),
        }
      : cookie;
    const size = cookieName.length + value.length + 1;
    if (size > COOKIE_SIZE_LIMIT) {
      this.logger.warn(
        { path: req.path, size, limit: COOKIE_SIZE_LIMIT },
        `The session cookie is ${size} bytes; browsers may ignore cookies over ${COOKIE_SIZE_LIMIT} bytes. Store less in the session or use a server-side store.`,
      );
    }
    response.setCookie(cookieName, value, options);
  }

  private async loadFromStore(
    store: SessionStore,
    cookie: string | undefined,
  ): Promise<HttpSession> {
    const unsigned =
      cookie === undefined ? undefined : this.signer.unsign(cookie, this.settings.lifetimeSeconds);
    if (!unsigned?.ok) return new HttpSession({}, {}, this.control);
    const stored = await store.get(unsigned.value);
    if (!stored) return new HttpSession({}, {}, this.control);
    return new HttpSession(
      stored.data,
      { id: unsigned.value, permanent: stored.permanent },
      this.control,
    );
  }
}

/**
 * The session manager of the app handling `req`.
 *
 * @example
 * const session = await sessionsOf(req).load(req);
 */
export function sessionsOf(req: Request): SessionManager {
  const app = req.app;
  if (app === undefined)
    throw new FlagonError(
      'FLAGON_SESSION_UNAVAILABLE',
      'Sessions are not available for this request (it is not handled by a Flagon app)',
    );
  return app.resolve<SessionManager>(SESSION_MANAGER);
}
