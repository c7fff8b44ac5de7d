import type { Config } from '../config/config';
import type { Constructor } from '../di/tokens';
import { getBodyPlan, readsBody } from '../http/body/body-plan';
import type { FormFields } from '../http/body/form';
import { parseBody } from '../http/body/parse-body';
import type { Request } from '../http/request';
import type { HttpMethod } from '../routing/decorators';
import type { RouteDefinition } from '../routing/route-table';
import { readAllRouteMetadata, readRouteMetadata, type MetadataKey } from './route-metadata';

/**
 * One route as `app.routes()` lists it (method, path, endpoint, module, like `flask routes`), and
 * what an extension's `onRoute` needs to decide, once at startup, what the route gets.
 *
 * @example
 * onRoute(route: RouteInfo) {
 *   return route.metadata<number>(CACHE_SECONDS) === undefined ? undefined : { after: cacheFor(route) };
 * }
 */
export interface RouteInfo {
  readonly method: HttpMethod;
  /** The rule with its converters, as declared (`/posts/<int:id>`). */
  readonly path: string;
  readonly endpoint: string;
  /** The owning module's name (the endpoint's prefix). */
  readonly module: string;
  /** The same rule text as `path`. */
  readonly rule: string;
  /** Every method the handler answers on this rule. */
  readonly methods: readonly HttpMethod[];
  readonly controller: Constructor;
  /** The handler's method name on the controller. */
  readonly methodName: string;
  readonly moduleClass: Constructor;
  /** The handler reads the request body (`@Body()`, uploads). */
  readonly readsBody: boolean;
  /** The value `RouteMetadata(key, …)` set: the method's over the controller's. */
  metadata<TValue>(key: MetadataKey): TValue | undefined;
  /** Every value `RouteMetadata(key, …)` set: the controller's (base classes first), then the method's. */
  allMetadata<TValue>(key: MetadataKey): TValue[];
  /**
   * The request's url-encoded form fields (multipart too when the handler reads its body), parsed
   * once with the route's limits and shared with the handler's `@Body()`; `{}` for other bodies.
   */
  form(req: Request): Promise<Readonly<FormFields>>;
}

const NO_FIELDS: Readonly<FormFields> = Object.freeze({});

/**
 * The RouteInfo of a route definition. The row's fields are own properties (what `app.routes()`
 * compares and prints); the extension view lives in private fields behind getters.
 */
class DescribedRoute implements RouteInfo {
  readonly method: HttpMethod;
  readonly path: string;
  readonly endpoint: string;
  readonly module: string;
  readonly #definition: RouteDefinition;
  readonly #methods: readonly HttpMethod[];
  readonly #config: Config;

  constructor(definition: RouteDefinition, methods: readonly HttpMethod[], config: Config) {
    this.method = definition.method;
    this.path = definition.rule.rule;
    this.endpoint = definition.endpoint;
    this.module = definition.module.name;
    this.#definition = definition;
    this.#methods = methods;
    this.#config = config;
  }

  get rule(): string {
    return this.path;
  }

  get methods(): readonly HttpMethod[] {
    return this.#methods;
  }

  get controller(): Constructor {
    return this.#definition.controller;
  }

  get methodName(): string {
    return this.#definition.methodName;
  }

  get moduleClass(): Constructor {
    return this.#definition.module.moduleClass;
  }

  get readsBody(): boolean {
    return readsBody(this.controller, this.methodName);
  }

  metadata<TValue>(key: MetadataKey): TValue | undefined {
    return readRouteMetadata<TValue>(key, this.controller, this.methodName);
  }

  allMetadata<TValue>(key: MetadataKey): TValue[] {
    return readAllRouteMetadata<TValue>(key, this.controller, this.methodName);
  }

  async form(req: Request): Promise<Readonly<FormFields>> {
    const type = (req.header('content-type') ?? '').toLowerCase();
    const isForm =
      type.startsWith('application/x-www-form-urlencoded') ||
      (type.startsWith('multipart/form-data') && this.readsBody);
    if (!isForm) return NO_FIELDS;
    const body = await parseBody(req, getBodyPlan(this.#config, this.controller, this.methodName));
    return body.kind === 'form' ? body.fields : NO_FIELDS;
  }
}

/**
 * Describes every declared route of a table (the implicit HEAD of a GET is not one), once.
 *
 * @example
 * const infos = describeRoutes(routeTable, config);
 */
export function describeRoutes(
  table: readonly RouteDefinition[],
  config: Config,
): Map<RouteDefinition, RouteInfo> {
  const declared = table.filter((route) => !route.isImplicitHead);
  const methodsOf = new Map<string, HttpMethod[]>();
  for (const route of declared) {
    const key = `${route.endpoint} ${route.rule.rule}`;
    methodsOf.set(key, [...(methodsOf.get(key) ?? []), route.method]);
  }
  return new Map(
    declared.map((route) => [
      route,
      new DescribedRoute(
        route,
        methodsOf.get(`${route.endpoint} ${route.rule.rule}`) ?? [route.method],
        config,
      ),
    ]),
  );
}
