import { currentRequest } from '../context/request-context';
import { FlagonError } from '../errors/flagon-error';
import { createParamDecorator } from '../http/params';
import type { Request } from '../http/request';
import { RequestSlot } from '../http/request-slot';
import type { SessionManager } from '../sessions/session-manager';
import { csrfOf } from './csrf';

const USER_ID_KEY = '_user_id';
const USER_VERSION_KEY = '_user_v';

/**
 * How Flagon finds the logged-in user (Flask-Login's user_loader). Register a subclass with
 * `LoginModule.configure({ loader: AccountLoader })`.
 *
 * With cookie sessions a copy of an old cookie stays valid until it expires; implement
 * `sessionVersion` (and change the value in `onLogout`) to make logout end every copy.
 *
 * @example
 * @Injectable() class AccountLoader extends UserLoader<Account> {
 *   constructor(private readonly accounts: Accounts) { super(); }
 *   loadUser(id: string) { return this.accounts.find(Number(id)); }
 * }
 */
export abstract class UserLoader<TUser = unknown> {
  /** The user for an id stored at login, or `undefined` when it no longer exists. */
  abstract loadUser(id: string): TUser | undefined | Promise<TUser | undefined>;

  /** The id to store in the session; defaults to `user.id`. */
  getUserId(user: TUser): string {
    return String((user as { id?: unknown }).id);
  }

  /** The user's roles for `@Roles()`; defaults to `user.roles` (a list) or `user.role`. */
  rolesOf(user: TUser): readonly string[] {
    const { roles, role } = user as { roles?: unknown; role?: unknown };
    if (Array.isArray(roles))
      return roles.filter((item): item is string => typeof item === 'string');
    return typeof role === 'string' ? [role] : [];
  }

  /**
   * A value stored at login and compared on every request: when it changes, sessions made before
   * stop being logged in. Return `undefined` to skip the check.
   */
  sessionVersion(_user: TUser): string | number | undefined {
    return undefined;
  }

  /** Called by `logoutUser()`; change the user's session version here to revoke old cookies. */
  onLogout(_user: TUser): void | Promise<void> {
    return undefined;
  }
}

/** DI token for the app's LoginManager (LoginModule hands it the app's UserLoader). */
export const LOGIN_MANAGER = Symbol('flagon:login-manager');

/** The user a request is loading (loaded once per request, whoever asks first). */
const PENDING_USER = new RequestSlot<Promise<unknown>>('user');
/** The user once loaded, for templates and `currentUser()`, which cannot wait. */
const LOADED_USER = new RequestSlot<{ readonly user: unknown }>('loaded-user');

/** Logs users in and out and loads the current user once per request. */
export class LoginManager {
  private loader: UserLoader | undefined;

  constructor(
    private readonly sessions: SessionManager,
    private readonly loginTarget: { readonly url?: string; readonly endpoint?: string },
  ) {}

  /** Where anonymous browsers are sent: LOGIN_URL, or the URL of LOGIN_ENDPOINT; `undefined` → 401. */
  loginUrl(req: Request): string | undefined {
    if (this.loginTarget.url !== undefined) return this.loginTarget.url;
    return this.loginTarget.endpoint === undefined
      ? undefined
      : req.urlFor(this.loginTarget.endpoint);
  }

  /** Whether a UserLoader is registered. */
  get hasLoader(): boolean {
    return this.loader !== undefined;
  }

  /** @internal Set at init, once providers can be resolved. */
  setLoader(loader: UserLoader | undefined): void {
    this.loader = loader;
  }

  private requireLoader(): UserLoader {
    if (!this.loader)
      throw new FlagonError(
        'FLAGON_AUTH_NO_USER_LOADER',
        "Login needs a UserLoader: add LoginModule.configure({ loader: YourLoader }) to the app's modules",
      );
    return this.loader;
  }

  /** The logged-in user, or `undefined`; loaded at most once per request. */
  load(req: Request): Promise<unknown> {
    let pending = PENDING_USER.get(req);
    if (!pending) {
      pending = this.loadUncached(req).then((user) => {
        LOADED_USER.set(req, { user });
        return user;
      });
      PENDING_USER.set(req, pending);
    }
    return pending;
  }

  /** The user if this request already loaded it (for templates, which cannot wait). */
  peek(req: Request): unknown {
    return LOADED_USER.get(req)?.user;
  }

  async login(req: Request, user: unknown, options: { remember?: boolean }): Promise<void> {
    const loader = this.requireLoader();
    const session = await this.sessions.load(req);
    // A new session id and a new CSRF secret: nothing an attacker planted before login survives it.
    await session.regenerate();
    csrfOf(req).rotate(req);
    session.set(USER_ID_KEY, loader.getUserId(user));
    const version = loader.sessionVersion(user);
    if (version === undefined) session.delete(USER_VERSION_KEY);
    else session.set(USER_VERSION_KEY, String(version));
    if (options.remember !== undefined) session.permanent = options.remember;
    this.remember(req, user);
  }

  async logout(req: Request): Promise<void> {
    const user = await this.load(req);
    const session = await this.sessions.load(req);
    await session.destroy();
    csrfOf(req).rotate(req);
    if (user !== undefined && this.loader) await this.loader.onLogout(user);
    this.remember(req, undefined);
  }

  private remember(req: Request, user: unknown): void {
    PENDING_USER.set(req, Promise.resolve(user));
    LOADED_USER.set(req, { user });
  }

  private async loadUncached(req: Request): Promise<unknown> {
    const session = await this.sessions.load(req);
    const id = session.get(USER_ID_KEY);
    if (typeof id !== 'string' || !this.loader) return undefined;
    const user = await this.loader.loadUser(id);
    if (user === undefined || user === null) return undefined;
    const expected = this.loader.sessionVersion(user);
    if (expected !== undefined && session.get(USER_VERSION_KEY) !== String(expected))
      return undefined;
    return user;
  }

  /** The id a user is stored under, through the loader. */
  userIdOf(user: unknown): string {
    return this.requireLoader().getUserId(user);
  }

  /** The roles of a user, through the loader. */
  rolesOf(user: unknown): readonly string[] {
    return this.requireLoader().rolesOf(user);
  }
}

/**
 * Logs a user in: a new session (fixation defence), their id stored in it. `remember: true` makes
 * the session permanent (PERMANENT_SESSION_LIFETIME).
 *
 * @example
 * await loginUser(account, { remember: form.remember === 'on' });
 * return redirect(safeNext(req.query['next'], '/'));
 */
export function loginUser(
  user: unknown,
  options: { remember?: boolean; req?: Request } = {},
): Promise<void> {
  const req = options.req ?? currentRequest();
  return loginOf(req).login(req, user, options);
}

/**
 * Logs the current user out: the session is destroyed (its store entry deleted) and
 * `UserLoader.onLogout` runs.
 *
 * @example
 * await logoutUser(); return redirect('/');
 */
export function logoutUser(req: Request = currentRequest()): Promise<void> {
  return loginOf(req).logout(req);
}

/**
 * The logged-in user, loading it if needed.
 *
 * @example
 * const user = await loadCurrentUser<Account>();
 */
export function loadCurrentUser<TUser = unknown>(
  req: Request = currentRequest(),
): Promise<TUser | undefined> {
  return loginOf(req).load(req) as Promise<TUser | undefined>;
}

/**
 * The logged-in user if it is already loaded for this request (by `@CurrentUser()`, a guard, or
 * the automatic load when a UserLoader is registered and the request has a session cookie).
 *
 * @example
 * const user = currentUser<Account>(); // in a template helper
 */
export function currentUser<TUser = unknown>(req: Request = currentRequest()): TUser | undefined {
  return loginOf(req).peek(req) as TUser | undefined;
}

/**
 * Injects the logged-in user (`undefined` when anonymous).
 *
 * @example
 * @Get('/me') me(@CurrentUser() user: Account | undefined) { return user ?? {}; }
 */
export function CurrentUser(): ParameterDecorator {
  return createParamDecorator(() => (req) => loginOf(req).load(req), { isAsync: true });
}

/**
 * The login manager of the app handling `req`.
 *
 * @example
 * const user = await loginOf(req).load(req);
 */
export function loginOf(req: Request): LoginManager {
  const app = req.app;
  if (app === undefined)
    throw new FlagonError(
      'FLAGON_SESSION_UNAVAILABLE',
      'Login is not available for this request (it is not handled by a Flagon app)',
    );
  return app.resolve<LoginManager>(LOGIN_MANAGER);
}
