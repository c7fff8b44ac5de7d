import type { ServerResponse } from 'node:http';
import { findErrorHandler, toFlagonError, type BoundErrorHandler } from '../errors/error-handler';
import { FlagonError } from '../errors/flagon-error';
import { propagateError } from '../http/propagated-error';
import type { Request } from '../http/request';
import type { Response } from '../http/response';
import { toResponse } from '../http/result';
import { isPromiseLike } from './invoker';
import type { PipelineShared } from './pipeline-shared';

/** Error handlers by scope, the route's own module first, the app-wide ones last. */
export type ErrorScopes = readonly (readonly BoundErrorHandler[])[];

/**
 * Turns an error into a response: the nearest error handler, else the default error page. Returns
 * the response itself when nothing on the way is asynchronous (a 400 from validation, a 404), so
 * the common error paths cost no promise.
 */
export function respondToError(
  thrown: unknown,
  req: Request,
  scopes: ErrorScopes,
  shared: PipelineShared,
): Response | Promise<Response> {
  const error = toFlagonError(thrown);
  const found = findErrorHandler(scopes, thrown);
  if (error.status >= 500) {
    shared.logger.error(
      { err: thrown, reqId: req.id, method: req.method, path: req.path },
      'request failed',
    );
    // As in Flask, only a handler for the error's own class counts as handling it.
    const isHandled = found !== undefined && found.error === thrown;
    if (shared.propagateErrors && !isHandled && !(thrown instanceof FlagonError))
      propagateError(req.raw, thrown);
  }
  if (found) return handleWith(found, error, req, shared);
  const page = shared.renderError(error, req);
  return isPromiseLike(page)
    ? Promise.resolve(page).then((response) => closeIfUnread(response, error))
    : closeIfUnread(page, error);
}

async function handleWith(
  found: NonNullable<ReturnType<typeof findErrorHandler>>,
  error: FlagonError,
  req: Request,
  shared: PipelineShared,
): Promise<Response> {
  let response: Response;
  try {
    response = toResponse(await found.handler.handle(found.error, req), error.status);
  } catch (handlerError) {
    shared.logger.error({ err: handlerError, reqId: req.id }, 'error handler failed');
    response = await shared.renderError(toFlagonError(handlerError), req);
  }
  return closeIfUnread(response, error);
}

/** The body was not read to the end: make sure the connection is not reused. */
function closeIfUnread(response: Response, error: FlagonError): Response {
  if (error.code === 'FLAGON_BODY_TOO_LARGE') response.setHeader('connection', 'close');
  return response;
}

/** The answer when even the error response failed. */
export function sendLastResort(res: ServerResponse): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
  res.end('Internal Server Error');
}

/** Logs a response body stream that failed after the headers were sent (the client sees a cut response). */
export function streamFailed(req: Request, shared: PipelineShared): (error: Error) => void {
  return (error) =>
    shared.logger.error(
      { err: error, reqId: req.id, method: req.method, path: req.path },
      'response stream failed',
    );
}
