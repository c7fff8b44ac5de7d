import { FlagonError } from '../errors/flagon-error';
import type { Request } from '../http/request';
import type { SessionManager } from '../sessions/session-manager';
import type { CsrfProtection } from './csrf';
import type { LoginManager } from './login';

/** The app's session, CSRF and login services, reachable from a request. */
export interface RequestServices {
  readonly sessions: SessionManager;
  readonly csrf: CsrfProtection;
  readonly login: LoginManager;
}

// Keyed by app, not by request: the services are the app's, so every request (routed or not) finds
// them through `req.app` without a per-request write.
const attached = new WeakMap<object, RequestServices>();

/** @internal Links an app to its services, once, at startup. */
export function attachServices(app: object, services: RequestServices): void {
  attached.set(app, services);
}

/** @internal The services of the app handling `req`. */
export function servicesFor(req: Request): RequestServices {
  const app = req.app;
  const services = app === undefined ? undefined : attached.get(app);
  if (!services)
    throw new FlagonError(
      'FLAGON_SESSION_UNAVAILABLE',
      'Sessions are not available for this request (it matched no route, or ran outside the app)',
    );
  return services;
}
