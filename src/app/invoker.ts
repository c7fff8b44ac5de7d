import type { ServerResponse } from 'node:http';
import type { ArgumentResolver } from '../http/params';
import type { Request } from '../http/request';

/** Where a route's runner goes on with a request once a value (or an error) is known; built once per route. */
export type Continuation = (req: Request, res: ServerResponse, value: unknown) => void;

/**
 * Calls a route's handler with its resolved arguments and hands the result to `done`, or what was
 * thrown or rejected to `failed`. It waits only on what is really pending, and waits on it
 * directly: a DTO body is one `then` to the handler call, not a promise for the call that the
 * runner then waits on too (each promise costs, more so inside the request context's async hooks).
 */
export type Invoker = (
  req: Request,
  res: ServerResponse,
  done: Continuation,
  failed: Continuation,
) => void;

export function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

/** Passes a result on: at once when it is a value, once it settles when it is pending. */
export function passOn(
  req: Request,
  res: ServerResponse,
  result: unknown,
  done: Continuation,
  failed: Continuation,
): void {
  if (isPromiseLike(result))
    result.then(
      (value) => done(req, res, value),
      (error: unknown) => failed(req, res, error),
    );
  else done(req, res, result);
}

/** Builds the call of a controller method with its resolved arguments, specialised by arity. */
export function buildInvoker(
  method: (...args: unknown[]) => unknown,
  resolvers: readonly ArgumentResolver[],
  getInstance: (req: Request) => unknown,
  hasAsyncResolvers: boolean,
): Invoker {
  const [only] = resolvers;
  // One async argument (a body DTO) is the common case: its promise leads straight to the call.
  if (hasAsyncResolvers && resolvers.length === 1 && only) {
    const callWith = (
      req: Request,
      res: ServerResponse,
      arg: unknown,
      done: Continuation,
      failed: Continuation,
    ): void => {
      let result: unknown;
      try {
        result = method.call(getInstance(req), arg);
      } catch (error) {
        failed(req, res, error);
        return;
      }
      passOn(req, res, result, done, failed);
    };
    return (req, res, done, failed) => {
      let arg: unknown;
      try {
        arg = only(req);
      } catch (error) {
        failed(req, res, error);
        return;
      }
      if (isPromiseLike(arg))
        arg.then(
          (value) => callWith(req, res, value, done, failed),
          (error: unknown) => failed(req, res, error),
        );
      else callWith(req, res, arg, done, failed);
    };
  }
  const call = buildCall(method, resolvers, getInstance, hasAsyncResolvers);
  return (req, res, done, failed) => {
    let result: unknown;
    try {
      result = call(req);
    } catch (error) {
      failed(req, res, error);
      return;
    }
    passOn(req, res, result, done, failed);
  };
}

/** The method call as a function of the request: its result, or a promise when an argument is pending. */
function buildCall(
  method: (...args: unknown[]) => unknown,
  resolvers: readonly ArgumentResolver[],
  getInstance: (req: Request) => unknown,
  hasAsyncResolvers: boolean,
): (req: Request) => unknown {
  if (hasAsyncResolvers) {
    return async (req) => {
      const args = await Promise.all(resolvers.map((resolve) => resolve(req)));
      return method.apply(getInstance(req), args);
    };
  }
  const [first, second] = resolvers;
  if (resolvers.length === 0) return (req) => method.call(getInstance(req));
  if (resolvers.length === 1 && first) return (req) => method.call(getInstance(req), first(req));
  if (resolvers.length === 2 && first && second)
    return (req) => method.call(getInstance(req), first(req), second(req));
  return (req) =>
    method.apply(
      getInstance(req),
      resolvers.map((resolve) => resolve(req)),
    );
}
