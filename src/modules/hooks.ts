/**
 * Hook and error-handler decorators for module classes. Module-scoped ones (Flask's blueprint
 * `before_request`, `after_request`, `teardown_request`, `errorhandler`) apply to the routes of the
 * module they are declared on and of every module it imports; app-wide ones (Flask's
 * `before_app_request` family) apply to every request the app handles, routed or not.
 */
export type HookKind = 'before' | 'after' | 'teardown';

/** Where a hook applies: its module's routes, or the whole app. */
export type HookScope = 'module' | 'app';

export interface HookMetadata {
  readonly kind: HookKind;
  readonly scope: HookScope;
  readonly propertyKey: string;
}

/** An error class or an HTTP status an error handler answers for. */
export type ErrorMatcher = number | (abstract new (...args: never[]) => Error);

export interface ErrorHandlerMetadata {
  readonly matcher: ErrorMatcher;
  readonly scope: HookScope;
  readonly propertyKey: string;
}

const HOOKS = Symbol('flagon:hooks');
const ERROR_HANDLERS = Symbol('flagon:error-handlers');

function appendMetadata<TEntry>(key: symbol, target: object, entry: TEntry): void {
  const list = (Reflect.getOwnMetadata(key, target.constructor) as TEntry[] | undefined) ?? [];
  list.push(entry);
  Reflect.defineMetadata(key, list, target.constructor);
}

function hookDecorator(kind: HookKind, scope: HookScope) {
  return (): MethodDecorator => (target, propertyKey) =>
    appendMetadata<HookMetadata>(HOOKS, target, { kind, scope, propertyKey: String(propertyKey) });
}

function errorHandlerDecorator(scope: HookScope) {
  return (matcher: ErrorMatcher): MethodDecorator =>
    (target, propertyKey) =>
      appendMetadata<ErrorHandlerMetadata>(ERROR_HANDLERS, target, {
        matcher,
        scope,
        propertyKey: String(propertyKey),
      });
}

/**
 * Runs before each handler of the module; returning anything but `undefined` short-circuits the
 * request with that value.
 *
 * @example
 * @BeforeRequest() loadUser(req: Request) { if (!req.cookies['sid']) return redirect('/login'); }
 */
export const BeforeRequest = hookDecorator('before', 'module');
/**
 * Runs after the handler with the `Response`; may return a replacement.
 *
 * @example
 * @AfterRequest() tag(res: Response) { res.setHeader('x-module', 'blog'); }
 */
export const AfterRequest = hookDecorator('after', 'module');
/**
 * Runs when the request is over, even after an error (which it receives); its own errors are logged.
 *
 * @example
 * @Teardown() release(error: unknown) { this.pool.release(); }
 */
export const Teardown = hookDecorator('teardown', 'module');

/**
 * Handles errors of a status or class raised by the module's routes; its return value becomes the
 * response (with the error's status unless it returns a `Response`).
 *
 * @example
 * @ErrorHandler(404) notFound(error: HttpError) { return { missing: true }; }
 */
export const ErrorHandler = errorHandlerDecorator('module');

/**
 * Runs before every request of the app (unrouted 404/405 ones too), whichever module declares it:
 * app-wide hooks run before module-scoped ones, in module registration order. Returning anything
 * but `undefined` short-circuits the request with that value.
 *
 * @example
 * @BeforeAppRequest() stamp(req: Request) { req.g['startedBy'] = 'audit'; }
 */
export const BeforeAppRequest = hookDecorator('before', 'app');
/**
 * Runs on every response of the app after the module-scoped after hooks, app-wide ones in reverse
 * registration order; may return a replacement.
 *
 * @example
 * @AfterAppRequest() poweredBy(response: Response) { response.setHeader('x-powered-by', 'Flagon'); }
 */
export const AfterAppRequest = hookDecorator('after', 'app');
/**
 * Runs when any request of the app is over, with the error if there was one; its own errors are logged.
 *
 * @example
 * @AppTeardown() release(error: unknown) { this.pool.release(); }
 */
export const AppTeardown = hookDecorator('teardown', 'app');
/**
 * Handles errors of a status or class from any route of the app (and unrouted 404/405s). A
 * module's own `@ErrorHandler` wins over it; it wins over the default error page.
 *
 * @example
 * @AppErrorHandler(404) notFound(error: HttpError) { return render('errors/missing', { path: currentRequest().path }); }
 */
export const AppErrorHandler = errorHandlerDecorator('app');

export function getHooks(moduleClass: object): readonly HookMetadata[] {
  return (Reflect.getOwnMetadata(HOOKS, moduleClass) as HookMetadata[] | undefined) ?? [];
}

export function getErrorHandlers(moduleClass: object): readonly ErrorHandlerMetadata[] {
  return (
    (Reflect.getOwnMetadata(ERROR_HANDLERS, moduleClass) as ErrorHandlerMetadata[] | undefined) ??
    []
  );
}
