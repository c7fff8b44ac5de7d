import type { RouteDefinition } from '../routing/route-table';

/** A decorator usable on a controller class (all its routes) or on one handler method. */
export type ClassOrMethodDecorator = ClassDecorator & MethodDecorator;

/** Records `value` under `key` on a class or a method; read once per route at startup. */
export function routeOptionDecorator(
  key: symbol,
  value: unknown,
  merge?: (outer: unknown, inner: unknown) => unknown,
): ClassOrMethodDecorator {
  return (target: object, propertyKey?: string | symbol) => {
    const holder =
      propertyKey === undefined ? target : (target as { constructor: object }).constructor;
    const name = propertyKey === undefined ? '' : String(propertyKey);
    const all =
      (Reflect.getOwnMetadata(key, holder) as Map<string, unknown> | undefined) ??
      new Map<string, unknown>();
    all.set(name, merge && all.has(name) ? merge(all.get(name), value) : value);
    Reflect.defineMetadata(key, all, holder);
  };
}

/** The values recorded under `key` for a route: the controller's (from base classes down), then the method's. */
export function readRouteOptions(key: symbol, route: RouteDefinition): unknown[] {
  const values: unknown[] = [];
  const chain: object[] = [];
  for (
    let current: unknown = route.controller;
    typeof current === 'function' && current !== Function.prototype;
    current = Object.getPrototypeOf(current)
  )
    chain.unshift(current);
  for (const holder of chain) {
    const all = Reflect.getOwnMetadata(key, holder) as Map<string, unknown> | undefined;
    if (all?.has('')) values.push(all.get(''));
  }
  for (const holder of chain) {
    const all = Reflect.getOwnMetadata(key, holder) as Map<string, unknown> | undefined;
    if (all?.has(route.methodName)) values.push(all.get(route.methodName));
  }
  return values;
}
