import type { Request } from '../http/request';
import type { Response } from '../http/response';
import type { RouteInfo } from './route-info';

/** Runs before the handler; a value other than `undefined` becomes the response instead. */
export type BeforeStep = (req: Request) => unknown;
/** Runs on the response; may return a replacement. */
export type AfterStep = (
  response: Response,
  req: Request,
) => Response | void | Promise<Response | void>;
/** Runs when the request is over, with the error if there was one. */
export type TeardownStep = (error: unknown, req: Request) => unknown;

/** Response headers as a flat `[name, value, …]` list or as an object. */
export type RouteHeaders = readonly string[] | Readonly<Record<string, string>>;

/**
 * What an extension adds to one route, decided once at startup. Leave out what the route does not
 * need: a route an extension returns `undefined` for costs it nothing per request.
 *
 * @example
 * const setup: RouteSetup = { headers: { 'x-frame-options': 'DENY' } };
 */
export interface RouteSetup {
  /** Runs before the module hooks and the handler; a value other than `undefined` short-circuits. */
  readonly before?: BeforeStep;
  /** Runs on the response after the module hooks' after steps; may return a replacement. */
  readonly after?: AfterStep;
  /**
   * Headers for every response of the route (errors included) unless the response sets them.
   * They are written with the route's own headers, so they cost no step per request.
   */
  readonly headers?: RouteHeaders;
  /** Like `headers`, only on requests that arrived over HTTPS (`req.isSecure`), e.g. HSTS. */
  readonly secureHeaders?: RouteHeaders;
}

/**
 * Implemented by a module class (usually an extension's) to take part in routes it does not own:
 * `onRoute` is asked once per entry of `app.routes()` while the app starts, `onUnrouted` once for
 * the requests no route answers (404, 405 and the automatic OPTIONS answer).
 *
 * @example
 * @Module() class NoFrameModule implements OnRoute {
 *   onRoute(route: RouteInfo) {
 *     return route.metadata(NO_FRAME) ? { headers: { 'x-frame-options': 'DENY' } } : undefined;
 *   }
 * }
 */
export interface OnRoute {
  onRoute(route: RouteInfo): RouteSetup | undefined;
  onUnrouted?(): RouteSetup | undefined;
}

/**
 * Implemented by a module class whose resource decides whether the app can serve (a database, a
 * session store): the health check (HEALTH_PATH) answers 503 while `checkHealth` throws or rejects.
 *
 * @example
 * @Module() class CacheModule implements OnHealthCheck {
 *   async checkHealth() { await this.redis.ping(); }
 * }
 */
export interface OnHealthCheck {
  checkHealth(): void | Promise<void>;
}

export function hasOnRoute(instance: object): instance is OnRoute {
  return typeof (instance as Partial<OnRoute>).onRoute === 'function';
}

export function hasHealthCheck(instance: object): instance is OnHealthCheck {
  return typeof (instance as Partial<OnHealthCheck>).checkHealth === 'function';
}
