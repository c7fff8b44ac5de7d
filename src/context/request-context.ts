import { AsyncLocalStorage } from 'node:async_hooks';
import { FlagonError } from '../errors/flagon-error';
import type { Request } from '../http/request';

/** Holds the request being handled, for code that has no `Request` parameter (Flask's context locals). */
export const requestContext = new AsyncLocalStorage<Request>();

/**
 * The request being handled, from anywhere it is handled (services, helpers, templates).
 *
 * @example
 * const req = currentRequest(); logger.info({ path: req.path });
 */
export function currentRequest(): Request {
  const req = requestContext.getStore();
  if (!req) {
    throw new FlagonError(
      'FLAGON_CONTEXT_OUTSIDE_REQUEST',
      'currentRequest() was called outside a request; pass the Request explicitly or call it from code a handler runs',
    );
  }
  return req;
}

/**
 * Per-request storage shared by everything that runs for the request (Flask's `g`).
 *
 * @example
 * g()['user'] = await users.find(id);
 */
export function g(): Record<string, unknown> {
  return currentRequest().g;
}
