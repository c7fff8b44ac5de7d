import { JSON_TYPE } from '../http/result';
import { Response } from '../http/response';
import { getDeclaredReturns } from '../http/response-decorators';
import { compileResponseSerializer } from '../http/response-serializer';
import { isPromiseLike } from './invoker';

type Handler = (...args: unknown[]) => unknown;

/**
 * The handler as the route calls it: unchanged without a `@Returns` for its success status, else
 * wrapped so its result is written by the serializer compiled here, once, from the declared DTO
 * (only declared properties leave the server). A returned Response, `undefined` or `null` is the
 * handler's own answer and passes as it is.
 *
 * @example
 * const method = shapeResponses(PostController.prototype.show, PostController.prototype, 'show', 200);
 */
export function shapeResponses(
  handler: Handler,
  prototype: object,
  methodName: string,
  successStatus: number,
): Handler {
  const declared = getDeclaredReturns(prototype, methodName).find(
    (entry) => entry.status === undefined || entry.status === successStatus,
  );
  if (declared === undefined) return handler;
  const serialize = compileResponseSerializer(declared.shape);
  const shape = (value: unknown): unknown =>
    typeof value !== 'object' || value === null || value instanceof Response
      ? value
      : new Response(serialize(value), {
          status: successStatus,
          headers: { 'content-type': JSON_TYPE },
        });
  return function shaped(this: unknown, ...args: unknown[]): unknown {
    const result = handler.apply(this, args);
    return isPromiseLike(result) ? result.then(shape) : shape(result);
  };
}
