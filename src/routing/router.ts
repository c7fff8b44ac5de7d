import FindMyWay from 'find-my-way';
import { FlagonError } from '../errors/flagon-error';
import type { HttpMethod } from './decorators';

/** Param names don't make routes different: /x/:a and /x/:b are the same route to the tree. */
function routeKey(method: HttpMethod, routerPath: string): string {
  return `${method} ${routerPath.replace(/:[A-Za-z_][A-Za-z0-9_]*/g, ':')}`;
}

export interface RouteMatch<TStore> {
  readonly store: TStore;
  readonly params: Readonly<Record<string, string | undefined>>;
}

/**
 * Flagon's one radix-tree router: every route of every module, in one find-my-way instance.
 * This is the only file that imports find-my-way, so the router can be swapped behind it.
 */
export class Router<TStore> {
  private readonly tree = FindMyWay({
    ignoreTrailingSlash: false,
    ignoreDuplicateSlashes: false,
    caseSensitive: true,
    maxParamLength: 2048,
  });
  private readonly owners = new Map<string, string>();
  private readonly methods = new Set<HttpMethod>();
  /** Once a HEAD route is in the tree, HEAD is looked up there only (see `find`). */
  private hasHeadRoutes = false;

  /** Whether a route for this method and router path (param names aside) was added. */
  has(method: HttpMethod, routerPath: string): boolean {
    return this.owners.has(routeKey(method, routerPath));
  }

  /** Adds a route; `owner` names the handler in the conflict error. */
  add(method: HttpMethod, routerPath: string, store: TStore, owner: string): void {
    const key = routeKey(method, routerPath);
    const existing = this.owners.get(key);
    if (existing !== undefined) {
      throw new FlagonError(
        'FLAGON_ROUTE_CONFLICT',
        `${method} ${routerPath} is declared twice: by ${existing} and by ${owner}`,
      );
    }
    try {
      this.tree.on(method, routerPath, () => undefined, store as Record<string, unknown>);
    } catch (error) {
      throw new FlagonError(
        'FLAGON_ROUTE_INVALID_RULE',
        `${owner}: find-my-way refused ${method} ${routerPath}: ${(error as Error).message}`,
        { cause: error },
      );
    }
    this.owners.set(key, owner);
    this.methods.add(method);
    if (method === 'GET') this.methods.add('HEAD');
    if (method === 'HEAD') this.hasHeadRoutes = true;
  }

  /**
   * The route for a request. HEAD is answered by the path's GET route (as in Werkzeug): looked up
   * as GET while the tree holds no HEAD routes, which saves a tree entry per GET route.
   */
  find(method: string, path: string): RouteMatch<TStore> | null {
    if (method === 'HEAD' && !this.hasHeadRoutes) return this.tree.find('GET', path);
    return this.tree.find(method as HttpMethod, path);
  }

  /**
   * The methods that have a route matching `path` (for 405 and OPTIONS); `accepts` can refuse a
   * match, so a path whose values a converter rejects counts as unmatched (404, not 405).
   */
  allowedMethods(
    path: string,
    accepts: (match: RouteMatch<TStore>) => boolean = () => true,
  ): HttpMethod[] {
    const allowed: HttpMethod[] = [];
    for (const method of this.methods) {
      const match = this.find(method, path);
      if (match !== null && accepts(match)) allowed.push(method);
    }
    return allowed;
  }
}
