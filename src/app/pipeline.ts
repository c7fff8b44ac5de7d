import type { ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { AppContainer } from '../di/container';
import { findErrorHandler, toFlagonError, type BoundErrorHandler } from '../errors/error-handler';
import type { FlagonError } from '../errors/flagon-error';
import type { BeforeSendStep, Request } from '../http/request';
import { Response } from '../http/response';
import { sendResponse, toResponse, trySendPlain, type FlatHeaders } from '../http/result';
import type { RouteDefinition } from '../routing/route-table';
import { isPromiseLike, type Continuation, type Invoker } from './invoker';
import { settleWithin } from './request-timeout';

/** Runs before the handler; a value other than `undefined` becomes the response instead. */
export type BeforeStep = (req: Request) => unknown;
/** Runs on the response; may return a replacement. */
export type AfterStep = (
  response: Response,
  req: Request,
) => Response | void | Promise<Response | void>;
/** Runs when the request is over, with the error if there was one. */
export type TeardownStep = (error: unknown, req: Request) => unknown;

/** The hooks and error handlers that apply to a route, outermost before-hooks first. */
export interface HookChain {
  readonly before: readonly BeforeStep[];
  readonly after: readonly AfterStep[];
  readonly teardown: readonly TeardownStep[];
  /** Error handlers by scope, the route's own module first. */
  readonly errorScopes: readonly (readonly BoundErrorHandler[])[];
}

/**
 * App-wide behaviour that takes part in every route's pipeline (sessions, CSRF, security headers):
 * asked once per route at startup, so a route that opts out costs nothing per request.
 */
export interface RouteFeature {
  readonly name: string;
  prepare(route: RouteDefinition | undefined): PreparedFeature | undefined;
}

/** What a feature adds to one route, decided once at init. */
export interface PreparedFeature {
  readonly before?: BeforeStep;
  readonly after?: AfterStep;
  /**
   * Headers for every response of the route (errors included) unless the response sets them:
   * written with the route's own headers, so they cost no step and keep the sync fast path.
   */
  readonly headers?: FlatHeaders;
  /** Like `headers`, only on requests that arrived over HTTPS (`req.isSecure`), e.g. HSTS. */
  readonly secureHeaders?: FlatHeaders;
}

/** The headers features add to a route (see PreparedFeature). */
export interface FeatureHeaders {
  readonly always: FlatHeaders;
  readonly secure: FlatHeaders;
}

const NO_FEATURE_HEADERS: FeatureHeaders = { always: [], secure: [] };

// Most routes merge the same few lists (app defaults, security headers): merge each pair once.
const merges = new WeakMap<FlatHeaders, WeakMap<FlatHeaders, FlatHeaders>>();

/** `base` plus the pairs of `extra` whose names `base` does not have yet (a shared, read-only list). */
export function mergeHeaders(base: FlatHeaders, extra: FlatHeaders): FlatHeaders {
  if (extra.length === 0) return base;
  if (base.length === 0) return extra;
  let byExtra = merges.get(base);
  if (byExtra === undefined) merges.set(base, (byExtra = new WeakMap()));
  let merged = byExtra.get(extra);
  if (merged === undefined) byExtra.set(extra, (merged = mergeLists(base, extra)));
  return merged;
}

function mergeLists(base: FlatHeaders, extra: FlatHeaders): FlatHeaders {
  const merged = [...base];
  for (let index = 0; index < extra.length; index += 2) {
    const name = extra[index] as string;
    let isPresent = false;
    for (let other = 0; other < merged.length; other += 2)
      if (merged[other] === name) isPresent = true;
    if (!isPresent) merged.push(name, extra[index + 1] as string);
  }
  return merged;
}

/**
 * Runs the steps a request registered while it was handled (`req.onBeforeSend`: saving a session
 * it touched), on the final response. Failures are logged, like failing after-request hooks.
 * Synchronous while the steps are (a cookie session is signed, not stored): only a step that
 * returns a promise makes the rest wait.
 */
function runBeforeSend(
  response: Response,
  req: Request,
  shared: PipelineShared,
  from = 0,
): Response | Promise<Response> {
  const steps = req.beforeSendSteps ?? [];
  let final = response;
  for (let index = from; index < steps.length; index++) {
    let result: ReturnType<BeforeSendStep>;
    try {
      result = (steps[index] as BeforeSendStep)(final, req);
    } catch (error) {
      beforeSendFailed(error, req, shared);
      continue;
    }
    if (isPromiseLike(result)) {
      const current = final;
      return Promise.resolve(result).then(
        (replaced) => runBeforeSend(replaced ?? current, req, shared, index + 1),
        (error: unknown) => {
          beforeSendFailed(error, req, shared);
          return runBeforeSend(current, req, shared, index + 1);
        },
      );
    }
    final = result ?? final;
  }
  return final;
}

function beforeSendFailed(error: unknown, req: Request, shared: PipelineShared): void {
  shared.logger.error({ err: error, reqId: req.id }, 'before-send step failed');
}

/** What every pipeline shares, built once by createApp. */
export interface PipelineShared {
  readonly logger: Logger;
  readonly isDebug: boolean;
  readonly container: AppContainer;
  /** Headers every response carries unless it sets them itself. */
  readonly defaultHeaders: FlatHeaders;
  readonly renderError: (error: FlagonError, req: Request) => Response | Promise<Response>;
  readonly onSent: (req: Request, res: ServerResponse) => void;
  /** The app's REQUEST_TIMEOUT in ms (0: none), for routes without `@Timeout`. */
  readonly requestTimeout: number;
}

/** The prepared handler call: controller instance, argument resolvers, default status and headers. */
export interface HandlerPlan {
  readonly invoke: Invoker;
  readonly status: number;
  readonly headers: FlatHeaders;
  /** The route's `@Timeout(ms)`, when declared. */
  readonly timeoutMs?: number | undefined;
}

export type RequestRunner = (req: Request, res: ServerResponse) => void;

/**
 * Turns an error into a response: the nearest error handler, else the default error page. Returns
 * the response itself when nothing on the way is asynchronous (a 400 from validation, a 404), so
 * the common error paths cost no promise.
 */
export function respondToError(
  thrown: unknown,
  req: Request,
  scopes: HookChain['errorScopes'],
  shared: PipelineShared,
): Response | Promise<Response> {
  const error = toFlagonError(thrown);
  if (error.status >= 500)
    shared.logger.error(
      { err: thrown, reqId: req.id, method: req.method, path: req.path },
      'request failed',
    );
  const found = findErrorHandler(scopes, thrown);
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

function sendLastResort(res: ServerResponse): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
  res.end('Internal Server Error');
}

/** Logs a response body stream that failed after the headers were sent (the client sees a cut response). */
function streamFailed(req: Request, shared: PipelineShared): (error: Error) => void {
  return (error) =>
    shared.logger.error(
      { err: error, reqId: req.id, method: req.method, path: req.path },
      'response stream failed',
    );
}

/**
 * Builds the runner for one route. Without after/teardown hooks or a timeout, the runner calls the
 * before-hooks and the handler and writes the result, awaiting only what returns a promise.
 */
export function buildRouteRunner(
  plan: HandlerPlan,
  chain: HookChain,
  shared: PipelineShared,
  features: FeatureHeaders = NO_FEATURE_HEADERS,
): RequestRunner {
  const { invoke, status } = plan;
  const { onSent } = shared;
  // Feature headers (security headers) join the route's flat list once, here; errors get them too.
  const plainHeaders = mergeHeaders(plan.headers, features.always);
  const plainErrorHeaders = mergeHeaders(features.always, shared.defaultHeaders);
  const hasSecure = features.secure.length > 0;
  const secureHeaders = mergeHeaders(plainHeaders, features.secure);
  const secureErrorHeaders = mergeHeaders(plainErrorHeaders, features.secure);
  // Only routes with HTTPS-only headers look at the connection, once per response.
  const headersFor = hasSecure
    ? (req: Request): FlatHeaders => (req.isSecure ? secureHeaders : plainHeaders)
    : (): FlatHeaders => plainHeaders;
  const errorHeadersFor = hasSecure
    ? (req: Request): FlatHeaders => (req.isSecure ? secureErrorHeaders : plainErrorHeaders)
    : (): FlatHeaders => plainErrorHeaders;
  const headers = plan.headers;
  // A handler that declares its own Content-Type goes through the Response path, which respects it.
  const canSendPlain = !headers.includes('content-type');
  const typeIndex = headers.findIndex((name, index) => index % 2 === 0 && name === 'content-type');
  const declaredType = typeIndex >= 0 ? headers[typeIndex + 1] : undefined;
  const convert = (value: unknown): Response => {
    const response = toResponse(value, status);
    // @Header('content-type', …) names the type of plain results; a returned Response keeps its own.
    if (declaredType !== undefined && !(value instanceof Response))
      response.setHeader('content-type', declaredType);
    return response;
  };

  const finish = (req: Request, res: ServerResponse, value: unknown): void => {
    if (req.beforeSendSteps !== undefined) {
      finishWithSteps(req, res, value);
      return;
    }
    try {
      const routeHeaders = headersFor(req);
      if (!canSendPlain || !trySendPlain(res, value, status, routeHeaders))
        sendResponse(res, convert(value), routeHeaders, streamFailed(req, shared));
      onSent(req, res);
    } catch (error) {
      fail(req, res, error);
    }
  };
  // The request registered work for its response (it touched the session): a Response is needed.
  const finishWithSteps = (req: Request, res: ServerResponse, value: unknown): void => {
    let response: Response;
    try {
      response = convert(value);
    } catch (error) {
      fail(req, res, error);
      return;
    }
    const send = (final: Response): void => {
      if (!res.headersSent) sendResponse(res, final, headersFor(req), streamFailed(req, shared));
      onSent(req, res);
    };
    let final: Response | Promise<Response>;
    try {
      final = runBeforeSend(response, req, shared);
      if (!isPromiseLike(final)) {
        send(final);
        return;
      }
    } catch (error) {
      fail(req, res, error);
      return;
    }
    final.then(send, (error: unknown) => fail(req, res, error));
  };
  const fail = (req: Request, res: ServerResponse, thrown: unknown): void => {
    let response: Response | Promise<Response>;
    try {
      response = respondToError(thrown, req, chain.errorScopes, shared);
    } catch (error) {
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- passes on what an error handler threw, unchanged (any value can be thrown)
      response = Promise.reject(error);
    }
    if (!isPromiseLike(response) && req.beforeSendSteps === undefined) {
      // The common case (a 400 or 404 rendered by the default error page) is written right away.
      try {
        if (!res.headersSent) sendResponse(res, response, errorHeadersFor(req));
        onSent(req, res);
      } catch (error) {
        errorResponseFailed(req, res, error);
      }
      return;
    }
    Promise.resolve(response)
      .then((final) => runBeforeSend(final, req, shared))
      .then(
        (final) => {
          if (!res.headersSent) sendResponse(res, final, errorHeadersFor(req));
          onSent(req, res);
        },
        (error: unknown) => errorResponseFailed(req, res, error),
      );
  };
  const errorResponseFailed = (req: Request, res: ServerResponse, error: unknown): void => {
    shared.logger.error({ err: error, reqId: req.id }, 'error response failed');
    sendLastResort(res);
  };

  const timeoutMs = plan.timeoutMs ?? shared.requestTimeout;
  const { before } = chain;
  /**
   * The before-hooks from `index` on, then the handler; the result (a hook's early response or
   * the handler's) goes to `done`, an error to `failed`. Synchronous as long as every step is:
   * only a step or argument that returns a promise makes the rest wait (each promise costs a
   * microtask, and the request context's async hooks).
   */
  const runFrom = (
    req: Request,
    res: ServerResponse,
    index: number,
    done: Continuation,
    failed: Continuation,
  ): void => {
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
            value === undefined ? runFrom(req, res, at + 1, done, failed) : done(req, res, value),
          (error: unknown) => failed(req, res, error),
        );
        return;
      }
      if (early !== undefined) {
        done(req, res, early);
        return;
      }
    }
    invoke(req, res, done, failed);
  };
  // The fast path: no after/teardown hooks and no timeout, so the result goes straight to the
  // response, with no promise of its own and no Response unless the request needs one.
  if (chain.after.length === 0 && chain.teardown.length === 0 && timeoutMs === 0) {
    return (req, res) => runFrom(req, res, 0, finish, fail);
  }

  const runHandler = (req: Request, res: ServerResponse): Promise<unknown> =>
    new Promise((resolve, reject) =>
      runFrom(
        req,
        res,
        0,
        (_req, _res, value) => resolve(value),
        // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- passes on what a hook or handler threw, unchanged (any value can be thrown)
        (_req, _res, error) => reject(error),
      ),
    );
  // Only routes with a timeout pay for its timer and promise race.
  const runInTime =
    timeoutMs > 0
      ? (req: Request, res: ServerResponse): Promise<unknown> =>
          settleWithin(runHandler(req, res), timeoutMs, req.endpoint)
      : runHandler;

  const run = async (req: Request, res: ServerResponse): Promise<void> => {
    let response: Response;
    let failure: unknown;
    try {
      response = convert(await runInTime(req, res));
    } catch (error) {
      failure = error;
      response = await respondToError(error, req, chain.errorScopes, shared);
    }
    for (const after of chain.after) {
      try {
        const replaced = after(response, req);
        response = (isPromiseLike(replaced) ? await replaced : replaced) ?? response;
      } catch (error) {
        // Flask would turn this into a 500; a hook failing after the work is done should not lose the response.
        shared.logger.error({ err: error, reqId: req.id }, 'after-request hook failed');
      }
    }
    if (req.beforeSendSteps !== undefined) response = await runBeforeSend(response, req, shared);
    if (!res.headersSent)
      sendResponse(
        res,
        response,
        failure === undefined ? headersFor(req) : errorHeadersFor(req),
        streamFailed(req, shared),
      );
    onSent(req, res);
    for (const teardown of chain.teardown) {
      try {
        await teardown(failure, req);
      } catch (error) {
        shared.logger.error({ err: error, reqId: req.id }, 'teardown hook failed');
      }
    }
  };
  return (req, res) => {
    run(req, res).catch((error: unknown) => {
      shared.logger.error({ err: error, reqId: req.id }, 'request pipeline failed');
      sendLastResort(res);
    });
  };
}

/** Builds the runner for requests no route answers: the error goes through the scope's handlers and after hooks. */
export function buildErrorRunner(
  chain: HookChain,
  shared: PipelineShared,
): (req: Request, res: ServerResponse, error: unknown) => void {
  return (req, res, thrown) => {
    const run = async (): Promise<void> => {
      let response = await respondToError(thrown, req, chain.errorScopes, shared);
      for (const after of chain.after) {
        try {
          response = (await after(response, req)) ?? response;
        } catch (error) {
          shared.logger.error({ err: error, reqId: req.id }, 'after-request hook failed');
        }
      }
      if (!res.headersSent) sendResponse(res, response, shared.defaultHeaders);
      shared.onSent(req, res);
      for (const teardown of chain.teardown) {
        try {
          await teardown(thrown, req);
        } catch (error) {
          shared.logger.error({ err: error, reqId: req.id }, 'teardown hook failed');
        }
      }
    };
    run().catch((error: unknown) => {
      shared.logger.error({ err: error, reqId: req.id }, 'error pipeline failed');
      sendLastResort(res);
    });
  };
}
