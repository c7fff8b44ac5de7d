import { currentRequest } from '../context/request-context';
import { FlagonError } from '../errors/flagon-error';
import { createParamDecorator } from '../http/params';
import type { Request } from '../http/request';
import type { HttpSession } from './session';
import { sessionsOf } from './session-manager';

/**
 * The request's session, loading it if needed (a store lookup with server-side sessions).
 *
 * @example
 * const session = await loadSession();
 * session.set('theme', 'dark');
 */
export function loadSession(req: Request = currentRequest()): Promise<HttpSession> {
  try {
    return Promise.resolve(sessionsOf(req).load(req));
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
}

/**
 * The request's session, synchronously (Flask's `session`). Always works with cookie sessions;
 * with a server-side store the session must already be loaded (by `@Session()`, CSRF, a guard or
 * `await loadSession()`), otherwise this throws FLAGON_SESSION_NOT_LOADED.
 *
 * @example
 * session().set('cart', [3, 7]);
 */
export function session(req: Request = currentRequest()): HttpSession {
  const manager = sessionsOf(req);
  const found = manager.peek(req);
  if (found) return found;
  // Cookie sessions, and store sessions without a cookie yet, load without I/O.
  const loaded = manager.load(req);
  if (!(loaded instanceof Promise)) return loaded;
  throw new FlagonError(
    'FLAGON_SESSION_NOT_LOADED',
    'session() needs the session loaded first with a server-side store: use @Session() or `await loadSession()`',
  );
}

/**
 * Injects the request's session; changes are saved when the response is sent.
 *
 * @example
 * @Post('/theme') setTheme(@Session() session: HttpSession) { session.set('theme', 'dark'); }
 */
export function Session(): ParameterDecorator {
  return createParamDecorator(() => (req) => sessionsOf(req).load(req), { isAsync: true });
}
