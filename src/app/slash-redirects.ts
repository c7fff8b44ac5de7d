import type { RouteDefinition } from '../routing/route-table';
import type { Router } from '../routing/router';
import { slashTwin } from '../routing/slash-twin';
import type { RouteRecord } from './kernel';
import type { RequestRunner } from './route-runner';

/**
 * Registers, beside each rule ending in a static segment and a slash (`/docs/`), its slashless
 * path (`/docs`) as a route answered by `redirect` (a 308 to the slashed URL), unless a route
 * already claims that path for the method. Decided once at startup, so `GET /docs` beside
 * `/<name>` is redirected as Werkzeug does, and the request path pays nothing for it.
 *
 * @example
 * addSlashRedirects(router, routeTable, (route) => records.get(route), kernel.redirectToSlashed, false);
 */
export function addSlashRedirects(
  router: Router<RouteRecord>,
  routes: readonly RouteDefinition[],
  recordOf: (route: RouteDefinition) => RouteRecord | undefined,
  redirect: RequestRunner,
  withHeadEntries: boolean,
): void {
  for (const route of routes) {
    const twin = slashTwin(route.rule);
    const record = recordOf(route);
    if (twin === undefined || record === undefined) continue;
    const redirecting: RouteRecord = {
      endpoint: record.endpoint,
      parseParams: record.parseParams,
      run: redirect,
    };
    const methods =
      withHeadEntries && route.method === 'GET' ? (['GET', 'HEAD'] as const) : [route.method];
    for (const method of methods) {
      if (!router.has(method, twin))
        router.add(method, twin, redirecting, `the trailing-slash redirect to ${route.rule.rule}`);
    }
  }
}
