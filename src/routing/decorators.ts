import { Injectable } from '../di/tokens';

export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

export interface RouteOptions {
  /** Methods the rule answers (Flask's `methods=[...]`); defaults to GET. */
  readonly methods?: readonly HttpMethod[];
  /** Endpoint name for `urlFor`, replacing `Controller.method` (the module name still prefixes it). */
  readonly name?: string;
}

/** What a method decorator records; `createApp` reads it once. */
export interface HandlerRouteMetadata {
  readonly rule: string;
  readonly methods: readonly HttpMethod[];
  readonly name: string | undefined;
  readonly propertyKey: string;
}

const CONTROLLER_PREFIX = Symbol('flagon:controller-prefix');
const HANDLER_ROUTES = Symbol('flagon:handler-routes');

type ClassOrMethodDecorator = <TFunction extends abstract new (...args: never[]) => unknown>(
  target: TFunction | object,
  propertyKey?: string | symbol,
  descriptor?: PropertyDescriptor,
) => void;

function recordHandlerRoute(
  target: object,
  propertyKey: string | symbol,
  rule: string,
  options: RouteOptions,
): void {
  const controller = target.constructor;
  const routes =
    (Reflect.getOwnMetadata(HANDLER_ROUTES, controller) as HandlerRouteMetadata[] | undefined) ??
    [];
  routes.push({
    rule,
    methods: options.methods ?? ['GET'],
    name: options.name,
    propertyKey: String(propertyKey),
  });
  Reflect.defineMetadata(HANDLER_ROUTES, routes, controller);
}

/**
 * On a class: makes it a controller and sets the URL prefix of its routes.
 * On a method: routes a rule to it, for the given methods (Flask's `@app.route`).
 *
 * @example
 * @Route('/posts')
 * class PostController {
 *   @Route('/<int:id>', { methods: ['GET', 'POST'] })
 *   show(@Param('id') id: number) { return { id }; }
 * }
 */
export function Route(rule = '/', options: RouteOptions = {}): ClassOrMethodDecorator {
  return (target, propertyKey) => {
    if (propertyKey === undefined) {
      Reflect.defineMetadata(CONTROLLER_PREFIX, rule, target);
      Injectable()(target as new (...args: never[]) => unknown);
      return;
    }
    recordHandlerRoute(target, propertyKey, rule, options);
  };
}

function methodDecorator(method: HttpMethod) {
  return (rule = '/', options: Omit<RouteOptions, 'methods'> = {}): MethodDecorator =>
    (target, propertyKey) =>
      recordHandlerRoute(target, propertyKey, rule, { ...options, methods: [method] });
}

/** Routes GET requests for `rule` to the method. @example @Get('/<int:id>') show(@Param('id') id: number) {} */
export const Get = methodDecorator('GET');
/** Routes POST requests for `rule` to the method. @example @Post('/') create(@Body() body: unknown) {} */
export const Post = methodDecorator('POST');
/** Routes PUT requests for `rule` to the method. @example @Put('/<int:id>') replace() {} */
export const Put = methodDecorator('PUT');
/** Routes PATCH requests for `rule` to the method. @example @Patch('/<int:id>') update() {} */
export const Patch = methodDecorator('PATCH');
/** Routes DELETE requests for `rule` to the method. @example @Delete('/<int:id>') remove() {} */
export const Delete = methodDecorator('DELETE');
/** Routes HEAD requests explicitly (GET routes answer HEAD already). @example @Head('/') probe() {} */
export const Head = methodDecorator('HEAD');
/** Routes OPTIONS requests explicitly (every path answers OPTIONS already). @example @Options('/') preflight() {} */
export const Options = methodDecorator('OPTIONS');

/** The prefix of a controller, or `undefined` when the class is not one. */
export function getControllerPrefix(controller: object): string | undefined {
  return Reflect.getOwnMetadata(CONTROLLER_PREFIX, controller) as string | undefined;
}

/** The routes declared on a controller's methods, including inherited ones. */
export function getHandlerRoutes(controller: object): readonly HandlerRouteMetadata[] {
  const routes: HandlerRouteMetadata[] = [];
  for (
    let current: unknown = controller;
    typeof current === 'function' && current !== Function.prototype;
    current = Object.getPrototypeOf(current)
  ) {
    const own = Reflect.getOwnMetadata(HANDLER_ROUTES, current) as
      HandlerRouteMetadata[] | undefined;
    if (own)
      routes.unshift(
        ...own.filter((r) => !routes.some((seen) => seen.propertyKey === r.propertyKey)),
      );
  }
  return routes;
}
