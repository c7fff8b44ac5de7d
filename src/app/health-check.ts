import type { ServerResponse } from 'node:http';
import type { Router } from '../routing/router';
import type { RouteRecord } from './kernel';

/** What the health check reads from the app's lifecycle. */
export interface HealthState {
  readonly isReady: boolean;
  readonly isClosing: boolean;
  afterResponse(): void;
}

function reply(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, [
    'content-type',
    'application/json; charset=utf-8',
    'content-length',
    String(body.length),
    'cache-control',
    'no-store',
  ]);
  res.end(body);
}

const OK = JSON.stringify({ status: 'ok' });
const STARTING = JSON.stringify({ status: 'starting' });
const SHUTTING_DOWN = JSON.stringify({ status: 'shutting_down' });

/**
 * Adds the readiness route at HEALTH_PATH straight to the router, outside every module's hooks:
 * 200 `{ status: 'ok' }` once init has finished, 503 before that and while shutting down (so a
 * load balancer stops sending traffic). Apps without HEALTH_PATH get no route and no cost.
 */
export function installHealthCheck(
  router: Router<RouteRecord>,
  path: string | undefined,
  state: HealthState,
): void {
  if (path === undefined) return;
  const record: RouteRecord = {
    endpoint: 'flagon.health',
    parseParams: () => ({}),
    run: (_req, res) => {
      if (state.isClosing) {
        reply(res, 503, SHUTTING_DOWN);
        state.afterResponse();
      } else {
        reply(res, state.isReady ? 200 : 503, state.isReady ? OK : STARTING);
      }
    },
  };
  router.add('GET', path, record, 'the health check (HEALTH_PATH)');
  router.add('HEAD', path, record, 'the health check (HEALTH_PATH)');
}
