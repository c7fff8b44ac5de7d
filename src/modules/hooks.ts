/**
 * Hook and error-handler decorators for module classes (Flask's blueprint `before_request`,
 * `after_request`, `teardown_request` and `errorhandler`). They apply to the routes of the module
 * they are declared on and of every module it imports.
 */
export type HookKind = 'before' | 'after' | 'teardown';

export interface HookMetadata {
  readonly kind: HookKind;
  readonly propertyKey: string;
}

/** An error class or an HTTP status an error handler answers for. */
export type ErrorMatcher = number | (abstract new (...args: never[]) => Error);

export interface ErrorHandlerMetadata {
  readonly matcher: ErrorMatcher;
  readonly propertyKey: string;
}

const HOOKS = Symbol('flagon:hooks');
const ERROR_HANDLERS = Symbol('flagon:error-handlers');

function appendMetadata<TEntry>(key: symbol, target: object, entry: TEntry): void {
  const list = (Reflect.getOwnMetadata(key, target.constructor) as TEntry[] | undefined) ?? [];
  list.push(entry);
  Reflect.defineMetadata(key, list, target.constructor);
}

function hookDecorator(kind: HookKind) {
  return (): MethodDecorator => (target, propertyKey) =>
    appendMetadata<HookMetadata>(HOOKS, target, { kind, propertyKey: String(propertyKey) });
}

/**
 * Runs before each handler of the module; returning anything but `undefined` short-circuits the
 * request with that value.
 *
 * @example
 * @BeforeRequest() loadUser(req: Request) { if (!req.cookies['sid']) return redirect('/login'); }
 */
export const BeforeRequest = hookDecorator('before');
/**
 * Runs after the handler with the `Response`; may return a replacement.
 *
 * @example
 * @AfterRequest() tag(res: Response) { res.setHeader('x-module', 'blog'); }
 */
export const AfterRequest = hookDecorator('after');
/**
 * Runs when the request is over, even after an error (which it receives); its own errors are logged.
 *
 * @example
 * @Teardown() release(error: unknown) { this.pool.release(); }
 */
export const Teardown = hookDecorator('teardown');

/**
 * Handles errors of a status or class raised by the module's routes; its return value becomes the
 * response (with the error's status unless it returns a `Response`).
 *
 * @example
 * @ErrorHandler(404) notFound(error: HttpError) { return { missing: true }; }
 */
export function ErrorHandler(matcher: ErrorMatcher): MethodDecorator {
  return (target, propertyKey) =>
    appendMetadata<ErrorHandlerMetadata>(ERROR_HANDLERS, target, {
      matcher,
      propertyKey: String(propertyKey),
    });
}

export function getHooks(moduleClass: object): readonly HookMetadata[] {
  return (Reflect.getOwnMetadata(HOOKS, moduleClass) as HookMetadata[] | undefined) ?? [];
}

export function getErrorHandlers(moduleClass: object): readonly ErrorHandlerMetadata[] {
  return (
    (Reflect.getOwnMetadata(ERROR_HANDLERS, moduleClass) as ErrorHandlerMetadata[] | undefined) ??
    []
  );
}
