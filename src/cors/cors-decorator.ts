import { RouteMetadata, type ClassOrMethodDecorator } from '../modules/route-metadata';
import type { RouteInfo } from '../modules/route-info';
import type { CorsOptions } from './cors-policy';

const CORS_ROUTE = Symbol('flagon:cors');

/**
 * CORS settings of their own for a controller (every route of it) or one route, in place of
 * `CorsModule.configure`'s (Flask-CORS's `@cross_origin`). Needs CorsModule among the app's
 * modules; the options are checked when the app is created.
 *
 * @example
 * @Cors({ origins: '*' }) @Route('/public') class PublicApi {}
 */
export function Cors(options: CorsOptions): ClassOrMethodDecorator {
  return RouteMetadata(CORS_ROUTE, options);
}

/** The `@Cors` options of a route: the method's over the controller's. */
export function routeCorsOptions(route: RouteInfo): CorsOptions | undefined {
  return route.metadata<CorsOptions>(CORS_ROUTE);
}
