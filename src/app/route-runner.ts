import type { ServerResponse } from 'node:http';
import type { Request } from '../http/request';
import { Response } from '../http/response';
import { sendResponse, toResponse, trySendPlain } from '../http/result';
import type { AfterStep, BeforeStep, TeardownStep } from '../modules/extension';
import { respondToError, sendLastResort, streamFailed, type ErrorScopes } from './error-response';
import { isPromiseLike, type Continuation, type Invoker } from './invoker';
import type { PipelineShared } from './pipeline-shared';
import { completeRequest, runBeforeSend } from './request-completion';
import { settleWithin } from './request-timeout';
import { errorHeadersFor, headersFor, type ResponseHeaders } from './route-headers';

/** The hooks and error handlers that apply to a route, outermost before steps first. */
export interface HookChain {
  readonly before: readonly BeforeStep[];
  readonly after: readonly AfterStep[];
  readonly teardown: readonly TeardownStep[];
  readonly errorScopes: ErrorScopes;
}

/** The prepared handler call: argument resolvers and controller, default status and headers. */
export interface HandlerPlan {
  readonly invoke: Invoker;
  readonly status: number;
  readonly headers: readonly string[];
  /** The route's `@Timeout(ms)`, when declared. */
  readonly timeoutMs?: number | undefined;
}

export type RequestRunner = (req: Request, res: ServerResponse) => void;

/** Everything a route's requests need, prepared once at startup; the steps below only read it. */
interface RouteContext extends HookChain {
  readonly invoke: Invoker;
  readonly status: number;
  readonly headers: ResponseHeaders;
  /** The type `@Header('content-type', …)` gives plain results. */
  readonly declaredType: string | undefined;
  /** No declared content type: plain results may skip the Response object. */
  readonly canSendPlain: boolean;
  readonly timeoutMs: number;
  readonly shared: PipelineShared;
  /** The continuations handed to the invoker, bound to this context once. */
  readonly sendResult: Continuation;
  readonly sendError: Continuation;
}

/**
 * Builds the runner of one route, Flask's `full_dispatch_request` as named steps: before steps →
 * invoke handler → (after steps → before-send) → send → (teardown). Without after or teardown
 * steps or a timeout, the runner takes the fast path: the result goes straight to the socket,
 * awaiting only what returns a promise, with no Response unless the request needs one.
 */
export function buildRouteRunner(
  plan: HandlerPlan,
  chain: HookChain,
  headers: ResponseHeaders,
  shared: PipelineShared,
): RequestRunner {
  const declaredType = contentTypeOf(plan.headers);
  const context: RouteContext = {
    ...chain,
    invoke: plan.invoke,
    status: plan.status,
    headers,
    declaredType,
    canSendPlain: declaredType === undefined,
    timeoutMs: plan.timeoutMs ?? shared.requestTimeout,
    shared,
    sendResult: (req, res, value) => sendResult(context, req, res, value),
    sendError: (req, res, error) => sendError(context, req, res, error),
  };
  const isFast = chain.after.length === 0 && chain.teardown.length === 0 && context.timeoutMs === 0;
  if (isFast)
    return (req, res) =>
      runBeforeSteps(context, req, res, 0, context.sendResult, context.sendError);
  return (req, res) => void runFullPipeline(context, req, res);
}

function contentTypeOf(headers: readonly string[]): string | undefined {
  for (let index = 0; index < headers.length; index += 2)
    if (headers[index] === 'content-type') return headers[index + 1];
  return undefined;
}

/**
 * The before steps from `index` on, then the handler; the result (a step's early response or the
 * handler's) goes to `done`, an error to `failed`. Synchronous as long as every step is: only a
 * step or argument that returns a promise makes the rest wait.
 */
function runBeforeSteps(
  context: RouteContext,
  req: Request,
  res: ServerResponse,
  index: number,
  done: Continuation,
  failed: Continuation,
): void {
  const { before } = context;
  for (let at = index; at < before.length; at++) {
    let early: unknown;
    try {
      early = (before[at] as BeforeStep)(req);
    } catch (error) {
      failed(req, res, error);
      return;
    }
    if (isPromiseLike(early)) {
      early.then(
        (value) =>
          value === undefined
            ? runBeforeSteps(context, req, res, at + 1, done, failed)
            : done(req, res, value),
        (error: unknown) => failed(req, res, error),
      );
      return;
    }
    if (early !== undefined) {
      done(req, res, early);
      return;
    }
  }
  context.invoke(req, res, done, failed);
}

/** A handler's (or a before step's) value as a Response with the route's status and declared type. */
function toRouteResponse(context: RouteContext, value: unknown): Response {
  const response = toResponse(value, context.status);
  // @Header('content-type', …) names the type of plain results; a returned Response keeps its own.
  if (context.declaredType !== undefined && !(value instanceof Response))
    response.setHeader('content-type', context.declaredType);
  return response;
}

/** Fast path: writes the result, without a Response object when the value allows it. */
function sendResult(
  context: RouteContext,
  req: Request,
  res: ServerResponse,
  value: unknown,
): void {
  if (req.beforeSendSteps !== undefined) {
    sendResultAfterSteps(context, req, res, value);
    return;
  }
  try {
    const headers = headersFor(context.headers, req);
    if (!context.canSendPlain || !trySendPlain(res, value, context.status, headers))
      sendResponse(
        res,
        toRouteResponse(context, value),
        headers,
        streamFailed(req, context.shared),
      );
    context.shared.onSent(req, res);
  } catch (error) {
    sendError(context, req, res, error);
  }
}

/** Fast path for a request that registered before-send work (it touched the session). */
function sendResultAfterSteps(
  context: RouteContext,
  req: Request,
  res: ServerResponse,
  value: unknown,
): void {
  let final: Response | Promise<Response>;
  try {
    final = runBeforeSend(toRouteResponse(context, value), req, context.shared);
  } catch (error) {
    sendError(context, req, res, error);
    return;
  }
  if (!isPromiseLike(final)) writeFinal(context, req, res, final);
  else
    final.then(
      (response) => writeFinal(context, req, res, response),
      (error: unknown) => sendError(context, req, res, error),
    );
}

function writeFinal(
  context: RouteContext,
  req: Request,
  res: ServerResponse,
  response: Response,
): void {
  if (!res.headersSent)
    sendResponse(
      res,
      response,
      headersFor(context.headers, req),
      streamFailed(req, context.shared),
    );
  context.shared.onSent(req, res);
}

/** Fast path for errors: the error handlers or the error page; written at once when synchronous. */
function sendError(
  context: RouteContext,
  req: Request,
  res: ServerResponse,
  thrown: unknown,
): void {
  let response: Response | Promise<Response>;
  try {
    response = respondToError(thrown, req, context.errorScopes, context.shared);
  } catch (error) {
    // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- passes on what an error handler threw, unchanged (any value can be thrown)
    response = Promise.reject(error);
  }
  if (!isPromiseLike(response) && req.beforeSendSteps === undefined) {
    writeError(context, req, res, response);
    return;
  }
  Promise.resolve(response)
    .then((final) => runBeforeSend(final, req, context.shared))
    .then(
      (final) => writeError(context, req, res, final),
      (error: unknown) => errorResponseFailed(context, req, res, error),
    );
}

function writeError(
  context: RouteContext,
  req: Request,
  res: ServerResponse,
  response: Response,
): void {
  try {
    if (!res.headersSent) sendResponse(res, response, errorHeadersFor(context.headers, req));
    context.shared.onSent(req, res);
  } catch (error) {
    errorResponseFailed(context, req, res, error);
  }
}

function errorResponseFailed(
  context: RouteContext,
  req: Request,
  res: ServerResponse,
  error: unknown,
): void {
  context.shared.logger.error({ err: error, reqId: req.id }, 'error response failed');
  sendLastResort(res);
}

/** The full path: the handler (within its timeout), then after steps, send and teardown. */
async function runFullPipeline(
  context: RouteContext,
  req: Request,
  res: ServerResponse,
): Promise<void> {
  try {
    let response: Response;
    let failure: unknown;
    try {
      response = toRouteResponse(context, await runHandlerInTime(context, req, res));
    } catch (error) {
      failure = error;
      response = await respondToError(error, req, context.errorScopes, context.shared);
    }
    const headers =
      failure === undefined
        ? headersFor(context.headers, req)
        : errorHeadersFor(context.headers, req);
    await completeRequest(context, response, failure, req, res, headers, context.shared);
  } catch (error) {
    context.shared.logger.error({ err: error, reqId: req.id }, 'request pipeline failed');
    sendLastResort(res);
  }
}

/** The before steps and the handler as one promise, raced against the route's timeout if any. */
function runHandlerInTime(
  context: RouteContext,
  req: Request,
  res: ServerResponse,
): Promise<unknown> {
  const work = new Promise((resolve, reject) =>
    runBeforeSteps(
      context,
      req,
      res,
      0,
      (_req, _res, value) => resolve(value),
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- passes on what a hook or handler threw, unchanged (any value can be thrown)
      (_req, _res, error) => reject(error),
    ),
  );
  // Only routes with a timeout pay for its timer and promise race.
  return context.timeoutMs > 0 ? settleWithin(work, context.timeoutMs, req.endpoint) : work;
}
