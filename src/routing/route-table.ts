import { FlagonError } from '../errors/flagon-error';
import type { Constructor } from '../di/tokens';
import type { MountedModule } from '../modules/module-graph';
import type { Converter } from './converters';
import { getControllerPrefix, getHandlerRoutes, type HttpMethod } from './decorators';
import { joinPaths, parseRule, type ParsedRule } from './rule';

/** One method + rule → handler, as `createApp` builds it from decorator metadata. */
export interface RouteDefinition {
  readonly method: HttpMethod;
  readonly rule: ParsedRule;
  readonly endpoint: string;
  readonly module: MountedModule;
  readonly controller: Constructor;
  readonly methodName: string;
  /** A HEAD route Flagon added for a GET route. */
  readonly isImplicitHead: boolean;
}

/** Reads every controller of every mounted module into route definitions, once, at startup. */
export function buildRouteTable(
  modules: readonly MountedModule[],
  converters: Readonly<Record<string, Converter>>,
): RouteDefinition[] {
  const routes: RouteDefinition[] = [];
  const endpointOwners = new Map<string, string>();
  for (const module of modules) {
    for (const controller of module.controllers) {
      const prefix = getControllerPrefix(controller);
      if (prefix === undefined) {
        throw new FlagonError(
          'FLAGON_ROUTE_NOT_CONTROLLER',
          `${controller.name} is listed in ${module.moduleClass.name}.controllers but has no @Route() class decorator`,
        );
      }
      for (const declared of getHandlerRoutes(controller)) {
        const owner = `${controller.name}.${declared.propertyKey}`;
        if (
          typeof (controller.prototype as Record<string, unknown>)[declared.propertyKey] !==
          'function'
        ) {
          throw new FlagonError(
            'FLAGON_ROUTE_INVALID_HANDLER',
            `${owner} is decorated as a route but is not a method`,
          );
        }
        // A nameless module (the app's own static folder) gives bare endpoints such as `static`.
        const endpoint =
          module.name === ''
            ? (declared.name ?? owner)
            : `${module.name}.${declared.name ?? owner}`;
        const endpointOwner = endpointOwners.get(endpoint);
        if (endpointOwner !== undefined && endpointOwner !== owner) {
          throw new FlagonError(
            'FLAGON_ROUTE_CONFLICT',
            `Endpoint "${endpoint}" is used by ${endpointOwner} and ${owner}; give one a different { name }`,
          );
        }
        endpointOwners.set(endpoint, owner);
        const rule = parseRule(joinPaths(module.prefix, prefix, declared.rule), converters);
        for (const method of new Set(declared.methods)) {
          routes.push({
            method,
            rule,
            endpoint,
            module,
            controller,
            methodName: declared.propertyKey,
            isImplicitHead: false,
          });
        }
      }
    }
  }
  // GET routes answer HEAD too (Werkzeug does the same), unless HEAD is declared for the rule.
  const explicitHeads = new Set(
    routes.filter((r) => r.method === 'HEAD').map((r) => r.rule.routerPath),
  );
  for (const route of routes.filter(
    (r) => r.method === 'GET' && !explicitHeads.has(r.rule.routerPath),
  )) {
    routes.push({ ...route, method: 'HEAD', isImplicitHead: true });
  }
  return routes;
}
