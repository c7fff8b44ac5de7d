/** A decorator usable on a controller class (all its routes) or on one handler method. */
export type ClassOrMethodDecorator = ClassDecorator & MethodDecorator;

/** The key extension metadata is recorded under: a string or, better, a symbol of your own. */
export type MetadataKey = string | symbol;

const STORE = Symbol('flagon:route-metadata');

/** Per class: method name ('' for the class itself) → metadata key → values in the order applied. */
type MetadataTable = Map<string, Map<MetadataKey, unknown[]>>;

function tableOf(holder: object): MetadataTable {
  let table = Reflect.getOwnMetadata(STORE, holder) as MetadataTable | undefined;
  if (table === undefined) {
    table = new Map();
    Reflect.defineMetadata(STORE, table, holder);
  }
  return table;
}

/**
 * Records `value` under `key` on a controller class (every route of it) or on one handler method,
 * for extensions to read once per route at startup through `RouteInfo.metadata(key)`. This is how
 * an extension offers its own route decorators without touching reflect-metadata.
 *
 * @example
 * const NO_FRAME = Symbol('no-frame');
 * export const NoFrame = () => RouteMetadata(NO_FRAME, true);
 */
export function RouteMetadata(key: MetadataKey, value: unknown): ClassOrMethodDecorator {
  return (target: object, propertyKey?: string | symbol) => {
    const isClass = propertyKey === undefined;
    const holder = isClass ? target : (target as { constructor: object }).constructor;
    const byKey = tableOf(holder);
    const name = isClass ? '' : String(propertyKey);
    let values = byKey.get(name);
    if (values === undefined) byKey.set(name, (values = new Map<MetadataKey, unknown[]>()));
    values.set(key, [...(values.get(key) ?? []), value]);
  };
}

/** The controller's classes from the base class down to the controller itself. */
function classChain(controller: object): object[] {
  const chain: object[] = [];
  for (
    let current: unknown = controller;
    typeof current === 'function' && current !== Function.prototype;
    current = Object.getPrototypeOf(current)
  )
    chain.unshift(current);
  return chain;
}

/**
 * Every value recorded under `key` for a handler: the controller's (base classes first), then the
 * method's, each in the order the decorators were applied (bottom-up).
 */
export function readAllRouteMetadata<TValue>(
  key: MetadataKey,
  controller: object,
  methodName: string,
): TValue[] {
  const chain = classChain(controller);
  const read = (name: string): unknown[] =>
    chain.flatMap(
      (holder) =>
        (Reflect.getOwnMetadata(STORE, holder) as MetadataTable | undefined)?.get(name)?.get(key) ??
        [],
    );
  return [...read(''), ...read(methodName)] as TValue[];
}

/** The value recorded under `key` for a handler: the method's over the class's, the last applied. */
export function readRouteMetadata<TValue>(
  key: MetadataKey,
  controller: object,
  methodName: string,
): TValue | undefined {
  const all = readAllRouteMetadata<TValue>(key, controller, methodName);
  return all[all.length - 1];
}
