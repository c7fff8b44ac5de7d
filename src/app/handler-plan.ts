import type { AppContainer } from '../di/container';
import type { Constructor } from '../di/tokens';
import { FlagonError } from '../errors/flagon-error';
import {
  getParameterMetadata,
  type ArgumentResolver,
  type ParameterInfo,
  type ParameterMetadata,
} from '../http/params';
import { Request } from '../http/request';
import { getDeclaredHeaders, getDeclaredStatus } from '../http/response-decorators';
import { NO_HEADERS } from './route-headers';
import type { RouteDefinition } from '../routing/route-table';
import type { Config } from '../config/config';
import { buildInvoker } from './invoker';
import type { HandlerPlan } from './route-runner';
import { getDeclaredTimeout } from './request-timeout';
import { shapeResponses } from './response-shaping';

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
  const declared = getParameterMetadata(controller, methodName);
  const declaredHeaders = getDeclaredHeaders(prototype, methodName);
  const status = getDeclaredStatus(prototype, methodName) ?? 200;
  return {
    invoke: buildInvoker(
      shapeResponses(method, prototype, methodName, status),
      buildResolvers(route, method, declared, config),
      instanceGetter(controller, container),
      declared.some((param) => param.isAsync),
    ),
    status,
    headers: declaredHeaders.length === 0 ? NO_HEADERS : declaredHeaders.flat(),
    timeoutMs: getDeclaredTimeout(prototype, methodName),
  };
}

/** One resolver per parameter, from its decorator (or `Request` by type); a bare one fails startup. */
function buildResolvers(
  route: RouteDefinition,
  method: (...args: unknown[]) => unknown,
  declared: readonly ParameterMetadata[],
  config: Config,
): ArgumentResolver[] {
  const { controller, methodName } = route;
  const types =
    (Reflect.getMetadata('design:paramtypes', controller.prototype as object, methodName) as
      unknown[] | undefined) ?? [];
  const count = Math.max(method.length, types.length, ...declared.map((param) => param.index + 1));
  const resolvers: ArgumentResolver[] = [];
  for (let index = 0; index < count; index++) {
    const param = declared.find((candidate) => candidate.index === index);
    if (param) {
      const info = { controller, methodName, index, type: types[index], config };
      resolvers.push(buildResolver(param, { ...info, pathParams: route.rule.paramNames }));
    } else if (types[index] === Request) {
      resolvers.push((req) => req);
    } else {
      throw new FlagonError(
        'FLAGON_ROUTE_INVALID_HANDLER',
        `Parameter #${index} of ${controller.name}.${methodName} has no decorator; use @Param, @Query, @Body, @Headers, @Req or another parameter decorator`,
      );
    }
  }
  return resolvers;
}

function buildResolver(param: ParameterMetadata, info: ParameterInfo): ArgumentResolver {
  try {
    return param.build(info);
  } catch (error) {
    if (error instanceof FlagonError) throw error;
    throw new FlagonError('FLAGON_ROUTE_INVALID_HANDLER', (error as Error).message, {
      cause: error,
    });
  }
}

/** The controller instance: the singleton, or a fresh one per request when it is request-scoped. */
function instanceGetter(
  controller: Constructor,
  container: AppContainer,
): (req: Request) => unknown {
  if (container.isRequestScoped(controller))
    return (req) =>
      container.resolve(controller, container.createRequestScope(new Map([[Request, req]])));
  const instance = container.resolve(controller);
  return () => instance;
}
