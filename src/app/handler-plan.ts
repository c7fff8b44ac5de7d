import type { AppContainer } from '../di/container';
import { FlagonError } from '../errors/flagon-error';
import { getParameterMetadata, type ArgumentResolver } from '../http/params';
import { Request } from '../http/request';
import { getDeclaredHeaders, getDeclaredStatus } from '../http/response-decorators';
import type { FlatHeaders } from '../http/result';
import { NO_HEADERS } from './route-headers';
import type { RouteDefinition } from '../routing/route-table';
import type { Config } from '../config/config';
import { buildInvoker } from './invoker';
import type { HandlerPlan } from './route-runner';
import { getDeclaredTimeout } from './request-timeout';

/**
 * Prepares the handler call for a route: the controller instance (or its per-request factory),
 * one resolver per parameter, the declared status and headers. Reads metadata here, never later.
 */
export function buildHandlerPlan(
  route: RouteDefinition,
  container: AppContainer,
  config: Config,
): HandlerPlan {
  const { controller, methodName } = route;
  const prototype = controller.prototype as Record<string, unknown>;
  const method = prototype[methodName] as (...args: unknown[]) => unknown;
  const owner = `${controller.name}.${methodName}`;
  const types =
    (Reflect.getMetadata('design:paramtypes', prototype, methodName) as unknown[] | undefined) ??
    [];
  const declared = getParameterMetadata(controller, methodName);
  const count = Math.max(method.length, types.length, ...declared.map((param) => param.index + 1));

  const resolvers: ArgumentResolver[] = [];
  for (let index = 0; index < count; index++) {
    const param = declared.find((candidate) => candidate.index === index);
    if (param) {
      try {
        resolvers.push(
          param.build({
            controller,
            methodName,
            index,
            type: types[index],
            pathParams: route.rule.paramNames,
            config,
          }),
        );
      } catch (error) {
        if (error instanceof FlagonError) throw error;
        throw new FlagonError('FLAGON_ROUTE_INVALID_HANDLER', (error as Error).message, {
          cause: error,
        });
      }
    } else if (types[index] === Request) {
      resolvers.push((req) => req);
    } else {
      throw new FlagonError(
        'FLAGON_ROUTE_INVALID_HANDLER',
        `Parameter #${index} of ${owner} has no decorator; use @Param, @Query, @Body, @Headers, @Req or another parameter decorator`,
      );
    }
  }

  const getInstance = container.isRequestScoped(controller)
    ? (req: Request) =>
        container.resolve(controller, container.createRequestScope(new Map([[Request, req]])))
    : (
        (instance: unknown) => () =>
          instance
      )(container.resolve(controller));

  const declaredHeaders = getDeclaredHeaders(prototype, methodName);
  const headers: FlatHeaders = declaredHeaders.length === 0 ? NO_HEADERS : declaredHeaders.flat();
  const hasAsyncResolvers = declared.some((param) => param.isAsync);
  return {
    invoke: buildInvoker(method, resolvers, getInstance, hasAsyncResolvers),
    status: getDeclaredStatus(prototype, methodName) ?? 200,
    headers,
    timeoutMs: getDeclaredTimeout(prototype, methodName),
  };
}
