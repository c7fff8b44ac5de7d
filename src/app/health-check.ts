import type { ServerResponse } from 'node:http';
import type { Logger } from '../config/logger';
import type { Router } from '../routing/router';
import type { RouteRecord } from './kernel';

/** What the health check reads from the app's lifecycle. */
export interface HealthState {
  readonly isReady: boolean;
  readonly isClosing: boolean;
  afterResponse(): void;
}

/** One module's readiness check (OnHealthCheck), named by its module. */
export interface HealthCheck {
  readonly name: string;
  readonly check: () => void | Promise<void>;
}

/** How long the health check waits for a module's check before counting it unavailable. */
const CHECK_TIMEOUT_MS = 2000;

function reply(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, [
    'content-type',
    'application/json; charset=utf-8',
    'content-length',
    String(Buffer.byteLength(body)),
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
 * 200 `{ status: 'ok' }` once init has finished and every module's health check passes, 503
 * before that, while a check fails (`checks` names which) and while shutting down (so a load
 * balancer stops sending traffic). Apps without HEALTH_PATH get no route and no cost.
 */
export function installHealthCheck(
  router: Router<RouteRecord>,
  path: string | undefined,
  state: HealthState,
  checks: readonly HealthCheck[],
  logger: Logger,
): void {
  if (path === undefined) return;
  const record: RouteRecord = {
    endpoint: 'flagon.health',
    parseParams: () => ({}),
    run: (_req, res) => {
      if (state.isClosing) {
        reply(res, 503, SHUTTING_DOWN);
        state.afterResponse();
      } else if (!state.isReady) reply(res, 503, STARTING);
      else if (checks.length === 0) reply(res, 200, OK);
      else
        void runChecks(checks, logger).then(({ isHealthy, body }) =>
          reply(res, isHealthy ? 200 : 503, body),
        );
    },
  };
  router.add('GET', path, record, 'the health check (HEALTH_PATH)');
  router.add('HEAD', path, record, 'the health check (HEALTH_PATH)');
}

async function runChecks(
  checks: readonly HealthCheck[],
  logger: Logger,
): Promise<{ isHealthy: boolean; body: string }> {
  const results = await Promise.all(checks.map((entry) => runCheck(entry, logger)));
  const report = Object.fromEntries(
    checks.map((entry, index) => [entry.name, results[index] === true ? 'ok' : 'unavailable']),
  );
  const isHealthy = results.every((result) => result);
  return {
    isHealthy,
    body: JSON.stringify({ status: isHealthy ? 'ok' : 'unavailable', checks: report }),
  };
}

/** One check within its time; a failure is logged (the reason stays out of the public answer). */
async function runCheck(entry: HealthCheck, logger: Logger): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)),
      CHECK_TIMEOUT_MS,
    );
  });
  try {
    await Promise.race([Promise.resolve().then(entry.check), expired]);
    return true;
  } catch (error) {
    logger.warn({ err: error, check: entry.name }, 'health check failed');
    return false;
  } finally {
    clearTimeout(timer);
  }
}
