import type { ResponseShape } from './response-serializer';

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

const RETURNS = Symbol('flagon:returns');

/** What `@Returns` says besides the DTO. */
export interface ReturnsOptions {
  /** The status this body comes with; default: the route's success status. */
  readonly status?: number;
  /** The response's description in the OpenAPI document. */
  readonly description?: string;
}

/** One `@Returns` of a handler. */
export interface DeclaredReturn extends ReturnsOptions {
  readonly shape: ResponseShape;
}

/**
 * Declares the body a handler returns: a DTO class, or `[Dto]` for an array. The OpenAPI document
 * describes it, and the success response is written by a serializer compiled at startup that
 * keeps only the DTO's declared properties (`@Exclude`/`@Expose` respected), so fields such as a
 * row's `password_hash` cannot leak. Repeat it for other statuses.
 *
 * @example
 * @Get('/<int:id>') @Returns(UserView) show(@Param('id') id: number) { return this.users.find(id); }
 * @Get('/') @Returns([UserView], { description: 'Every user' }) list() {}
 */
export function Returns(shape: ResponseShape, options: ReturnsOptions = {}): MethodDecorator {
  return (target, propertyKey) => {
    const declared =
      (Reflect.getOwnMetadata(RETURNS, target, propertyKey) as DeclaredReturn[] | undefined) ?? [];
    // Decorators apply bottom-up: unshift keeps the order they are written in.
    declared.unshift({ shape, ...options });
    Reflect.defineMetadata(RETURNS, declared, target, propertyKey);
  };
}

/** The `@Returns` of a handler, in the order written. */
export function getDeclaredReturns(
  prototype: object,
  methodName: string,
): readonly DeclaredReturn[] {
  return (
    (Reflect.getMetadata(RETURNS, prototype, methodName) as DeclaredReturn[] | undefined) ?? []
  );
}
