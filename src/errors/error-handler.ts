import type { Request } from '../http/request';
import type { ErrorMatcher } from '../modules/hooks';
import { FlagonError } from './flagon-error';
import { InternalServerError } from './http-errors';

/** An `@ErrorHandler` method bound to its module instance. */
export interface BoundErrorHandler {
  readonly matcher: ErrorMatcher;
  readonly handle: (error: unknown, req: Request) => unknown;
}

/**
 * The one place that turns any thrown value into a FlagonError with a status: Flagon errors keep
 * theirs, anything else is a 500 whose `cause` is the original.
 */
export function toFlagonError(thrown: unknown): FlagonError {
  if (thrown instanceof FlagonError) return thrown;
  const message = thrown instanceof Error ? thrown.message : String(thrown);
  return new InternalServerError(`Unhandled error: ${message}`, { cause: thrown });
}

function classDistance(
  error: unknown,
  errorClass: abstract new (...args: never[]) => Error,
): number {
  let distance = 0;
  for (
    let proto: unknown = Object.getPrototypeOf(error);
    proto !== null;
    proto = Object.getPrototypeOf(proto)
  ) {
    if (proto === errorClass.prototype) return distance;
    distance++;
  }
  return -1;
}

function findInScope(
  scope: readonly BoundErrorHandler[],
  error: unknown,
  status: number | undefined,
): BoundErrorHandler | undefined {
  if (status !== undefined) {
    const byStatus = scope.find((handler) => handler.matcher === status);
    if (byStatus) return byStatus;
  }
  let best: BoundErrorHandler | undefined;
  let bestDistance = Infinity;
  for (const handler of scope) {
    if (typeof handler.matcher === 'number') continue;
    const distance = classDistance(error, handler.matcher);
    if (distance >= 0 && distance < bestDistance) {
      best = handler;
      bestDistance = distance;
    }
  }
  return best;
}

/**
 * Picks the error handler the way Flask does: scopes from the route's module outwards; in each,
 * a handler for the status, then the handler for the nearest class in the error's prototype chain.
 * Errors that are not Flagon errors may also be taken by a handler for 500.
 */
export function findErrorHandler(
  scopes: readonly (readonly BoundErrorHandler[])[],
  thrown: unknown,
): { handler: BoundErrorHandler; error: unknown } | undefined {
  const status = thrown instanceof FlagonError ? thrown.status : undefined;
  for (const scope of scopes) {
    const handler = findInScope(scope, thrown, status);
    if (handler) return { handler, error: thrown };
  }
  if (status === undefined) {
    const wrapped = toFlagonError(thrown);
    for (const scope of scopes) {
      const handler = scope.find((candidate) => candidate.matcher === 500);
      if (handler) return { handler, error: wrapped };
    }
  }
  return undefined;
}
