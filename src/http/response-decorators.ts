const STATUS = Symbol('flagon:status');
const HEADERS = Symbol('flagon:headers');

/**
 * The status for plain values the handler returns (a returned `Response` keeps its own).
 *
 * @example
 * @Post('/') @Status(201) create() { return { id: 1 }; }
 */
export function Status(status: number): MethodDecorator {
  return (target, propertyKey) => Reflect.defineMetadata(STATUS, status, target, propertyKey);
}

/**
 * A header added to every response of the handler.
 *
 * @example
 * @Get('/feed') @Header('cache-control', 'max-age=60') feed() {}
 */
export function Header(name: string, value: string): MethodDecorator {
  return (target, propertyKey) => {
    const headers =
      (Reflect.getOwnMetadata(HEADERS, target, propertyKey) as [string, string][] | undefined) ??
      [];
    headers.push([name.toLowerCase(), value]);
    Reflect.defineMetadata(HEADERS, headers, target, propertyKey);
  };
}

export function getDeclaredStatus(prototype: object, methodName: string): number | undefined {
  return Reflect.getMetadata(STATUS, prototype, methodName) as number | undefined;
}

export function getDeclaredHeaders(
  prototype: object,
  methodName: string,
): readonly [string, string][] {
  return (
    (Reflect.getMetadata(HEADERS, prototype, methodName) as [string, string][] | undefined) ?? []
  );
}
