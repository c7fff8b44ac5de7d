import { FlagonError } from '../errors/flagon-error';

const TIMEOUT = Symbol('flagon:timeout');

/**
 * How long the route's handler (before-hooks, argument resolvers and the method) may take before
 * the request is answered 503 `FLAGON_HANDLER_TIMEOUT`; overrides the app's REQUEST_TIMEOUT, and
 * `@Timeout(0)` turns it off for the route.
 *
 * @example
 * @Get('/report') @Timeout(2000) report() { return this.reports.build(); }
 */
export function Timeout(ms: number): MethodDecorator {
  if (!Number.isSafeInteger(ms) || ms < 0) {
    throw new FlagonError(
      'FLAGON_ROUTE_INVALID_HANDLER',
      `@Timeout(${String(ms)}) needs a whole number of milliseconds (0 disables)`,
    );
  }
  return (target, propertyKey) => Reflect.defineMetadata(TIMEOUT, ms, target, propertyKey);
}

export function getDeclaredTimeout(prototype: object, methodName: string): number | undefined {
  return Reflect.getMetadata(TIMEOUT, prototype, methodName) as number | undefined;
}

/**
 * Settles like `work`, or rejects with FLAGON_HANDLER_TIMEOUT after `ms`. The handler keeps running
 * (JavaScript cannot cancel it); its late result or error is dropped.
 */
export function settleWithin<TValue>(
  work: Promise<TValue>,
  ms: number,
  endpoint: string | undefined,
): Promise<TValue> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new FlagonError(
            'FLAGON_HANDLER_TIMEOUT',
            `${endpoint ?? 'The handler'} did not finish within ${ms} ms`,
          ),
        ),
      ms,
    );
  });
  return Promise.race([work, expired]).finally(() => clearTimeout(timer));
}
