import type { ServerResponse } from 'node:http';
import type { BeforeSendStep, Request } from '../http/request';
import type { Response } from '../http/response';
import { sendResponse, type FlatHeaders } from '../http/result';
import type { AfterStep, TeardownStep } from '../modules/extension';
import { streamFailed } from './error-response';
import { isPromiseLike } from './invoker';
import type { PipelineShared } from './pipeline-shared';

/** The end of a request that has after steps, teardown steps or both. */
export interface Completion {
  readonly after: readonly AfterStep[];
  readonly teardown: readonly TeardownStep[];
}

/**
 * Finishes a request the way Flask's `finalize_request` and `do_teardown_request` do: after steps
 * (a failing one is logged and skipped), the steps the request registered (the session's save),
 * the write, then teardown steps with the error, if any. Routed and unrouted requests share it.
 */
export async function completeRequest(
  completion: Completion,
  response: Response,
  failure: unknown,
  req: Request,
  res: ServerResponse,
  headers: FlatHeaders,
  shared: PipelineShared,
): Promise<void> {
  let final = await runAfterSteps(completion.after, response, req, shared);
  if (req.beforeSendSteps !== undefined) final = await runBeforeSend(final, req, shared);
  if (!res.headersSent) sendResponse(res, final, headers, streamFailed(req, shared));
  shared.onSent(req, res);
  await runTeardown(completion.teardown, failure, req, shared);
}

async function runAfterSteps(
  after: readonly AfterStep[],
  response: Response,
  req: Request,
  shared: PipelineShared,
): Promise<Response> {
  let current = response;
  for (const step of after) {
    try {
      const replaced = step(current, req);
      current = (isPromiseLike(replaced) ? await replaced : replaced) ?? current;
    } catch (error) {
      // Flask would turn this into a 500; a hook failing after the work is done should not lose the response.
      shared.logger.error({ err: error, reqId: req.id }, 'after-request hook failed');
    }
  }
  return current;
}

async function runTeardown(
  teardown: readonly TeardownStep[],
  failure: unknown,
  req: Request,
  shared: PipelineShared,
): Promise<void> {
  for (const step of teardown) {
    try {
      await step(failure, req);
    } catch (error) {
      shared.logger.error({ err: error, reqId: req.id }, 'teardown hook failed');
    }
  }
}

/**
 * Runs the steps a request registered while it was handled (`req.onBeforeSend`: saving a session
 * it touched), on the final response. Failures are logged, like failing after-request hooks.
 * Synchronous while the steps are (a cookie session is signed, not stored): only a step that
 * returns a promise makes the rest wait.
 */
export function runBeforeSend(
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
    if (isPromiseLike(result)) return continueBeforeSend(result, final, req, shared, index + 1);
    final = result ?? final;
  }
  return final;
}

function continueBeforeSend(
  pending: PromiseLike<Response | void>,
  current: Response,
  req: Request,
  shared: PipelineShared,
  next: number,
): Promise<Response> {
  return Promise.resolve(pending).then(
    (replaced) => runBeforeSend(replaced ?? current, req, shared, next),
    (error: unknown) => {
      beforeSendFailed(error, req, shared);
      return runBeforeSend(current, req, shared, next);
    },
  );
}

function beforeSendFailed(error: unknown, req: Request, shared: PipelineShared): void {
  shared.logger.error({ err: error, reqId: req.id }, 'before-send step failed');
}
