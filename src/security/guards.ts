import type { Constructor } from '../di/tokens';
import { prefersHtml } from '../http/error-page';
import { HttpError } from '../errors/http-errors';
import { redirect } from '../http/redirect';
import type { Request } from '../http/request';
import type { Response } from '../http/response';
import type { RouteInfo } from '../modules/route-info';
import { RouteMetadata, type ClassOrMethodDecorator } from '../modules/route-metadata';
import { loginOf } from './login';
import { safeNext } from './safe-redirect';

/**
 * Decides whether a request may reach a handler: `true` lets it through, `false` answers 403,
 * a Response is sent as is; throwing an HttpError works too.
 *
 * @example
 * class ApiKeyGuard implements Guard {
 *   canActivate(req: Request) { return req.header('x-api-key') === process.env.API_KEY; }
 * }
 */
export interface Guard {
  canActivate(req: Request): boolean | Response | Promise<boolean | Response>;
}

export type GuardRef = Guard | Constructor<Guard>;

const GUARDS = Symbol('flagon:guards');
/** Names the route table (`flagon routes`) shows for guard objects that have no class name. */
const GUARD_LABELS = new WeakMap<Guard, string>();

/**
 * Runs guards before a handler (a controller's guards run before a method's), in order.
 * A guard class is taken from the app's container when it is a provider, else constructed.
 *
 * @example
 * @UseGuards(ApiKeyGuard) @Route('/api') class ApiController {}
 */
export function UseGuards(...guards: GuardRef[]): ClassOrMethodDecorator {
  return RouteMetadata(GUARDS, guards);
}

/** Anonymous users: HTML requests are redirected to the login page with `next`, others get 401. */
function askToLogIn(req: Request): Response {
  const loginUrl = loginOf(req).loginUrl(req);
  if (loginUrl === undefined || !prefersHtml(req))
    throw new HttpError('FLAGON_AUTH_LOGIN_REQUIRED', 'You need to log in to access this page');
  const next = safeNext(req.url, '');
  return redirect(
    next === ''
      ? loginUrl
      : `${loginUrl}${loginUrl.includes('?') ? '&' : '?'}next=${encodeURIComponent(next)}`,
  );
}

const loginRequiredGuard: Guard = {
  async canActivate(req) {
    const user = await loginOf(req).load(req);
    return user === undefined ? askToLogIn(req) : true;
  },
};
GUARD_LABELS.set(loginRequiredGuard, 'LoginRequired');

/**
 * Only logged-in users: browsers are sent to LOGIN_URL (or LOGIN_ENDPOINT) with a safe `next`,
 * JSON clients get 401.
 *
 * @example
 * @LoginRequired() @Get('/create') form() {}
 */
export function LoginRequired(): ClassOrMethodDecorator {
  return UseGuards(loginRequiredGuard);
}

/**
 * Only logged-in users with one of these roles (UserLoader.rolesOf); others get 403.
 *
 * @example
 * @Roles('admin') @Route('/admin') class AdminController {}
 */
export function Roles(...roles: string[]): ClassOrMethodDecorator {
  const guard: Guard = {
    async canActivate(req) {
      const login = loginOf(req);
      const user = await login.load(req);
      if (user === undefined) return askToLogIn(req);
      if (login.rolesOf(user).some((role) => roles.includes(role))) return true;
      throw new HttpError(
        'FLAGON_AUTH_FORBIDDEN',
        `This needs the role ${roles.map((role) => `"${role}"`).join(' or ')}`,
      );
    },
  };
  GUARD_LABELS.set(guard, `Roles(${roles.join(', ')})`);
  return UseGuards(guard);
}

/** The guards of a route by name, in the order they run (for the route table). */
export function guardNames(route: RouteInfo): string[] {
  const refs = route.allMetadata<GuardRef[]>(GUARDS).flat();
  return refs.map((ref) =>
    typeof ref === 'function'
      ? ref.name
      : (GUARD_LABELS.get(ref) ??
        (ref.constructor.name === 'Object' ? 'guard' : ref.constructor.name)),
  );
}

/** The before step running a route's guards, or `undefined` when it has none (read once at init). */
export function prepareGuards(
  route: RouteInfo,
  instantiate: (guard: Constructor<Guard>) => Guard,
): ((req: Request) => Promise<Response | undefined>) | undefined {
  const refs = route.allMetadata<GuardRef[]>(GUARDS).flat();
  if (refs.length === 0) return undefined;
  const guards = refs.map((ref) => (typeof ref === 'function' ? instantiate(ref) : ref));
  return async (req) => {
    for (const guard of guards) {
      const verdict = await guard.canActivate(req);
      if (verdict === false)
        throw new HttpError('FLAGON_AUTH_FORBIDDEN', 'A guard refused this request');
      if (verdict !== true) return verdict;
    }
    return undefined;
  };
}
