import type { BoundErrorHandler } from '../errors/error-handler';
import type { Request } from '../http/request';
import type { Response } from '../http/response';
import { getErrorHandlers, getHooks } from '../modules/hooks';
import type { MountedModule } from '../modules/module-graph';
import type { AfterStep, BeforeStep, HookChain, TeardownStep } from './pipeline';

/** One module's hooks and error handlers, bound to its instance. */
export interface ModuleHooks {
  readonly before: readonly BeforeStep[];
  readonly after: readonly AfterStep[];
  readonly teardown: readonly TeardownStep[];
  readonly errorHandlers: readonly BoundErrorHandler[];
}

type AnyMethod = (...args: unknown[]) => unknown;

/** Reads a module's hook decorators once and binds the methods to the module instance. */
export function bindModuleHooks(module: MountedModule, instance: object): ModuleHooks {
  const method = (propertyKey: string): AnyMethod => {
    const fn = (instance as Record<string, unknown>)[propertyKey] as AnyMethod;
    return fn.bind(instance);
  };
  const hooks = getHooks(module.moduleClass);
  const of = (kind: string): AnyMethod[] =>
    hooks.filter((hook) => hook.kind === kind).map((hook) => method(hook.propertyKey));
  return {
    before: of('before'),
    // Like Flask, after-request and teardown hooks run in reverse order of declaration.
    after: of('after').reverse() as ((response: Response, req: Request) => Response | void)[],
    teardown: of('teardown').reverse(),
    errorHandlers: getErrorHandlers(module.moduleClass).map((entry) => ({
      matcher: entry.matcher,
      handle: method(entry.propertyKey),
    })),
  };
}

/**
 * The chain for a route of `ancestry` (its module first): before-hooks from the outermost module
 * in, after/teardown hooks and error handlers from the route's own module out. Feature steps
 * (sessions, CSRF, headers) wrap the module hooks.
 */
export function composeHookChain(
  ancestry: readonly MountedModule[],
  hooksOf: (module: MountedModule) => ModuleHooks,
  features: { readonly before: readonly BeforeStep[]; readonly after: readonly AfterStep[] },
  routeBefore: readonly BeforeStep[] = [],
): HookChain {
  const inner = ancestry.map(hooksOf);
  const outer = [...inner].reverse();
  return {
    before: [...features.before, ...outer.flatMap((hooks) => hooks.before), ...routeBefore],
    after: [...inner.flatMap((hooks) => hooks.after), ...features.after],
    teardown: inner.flatMap((hooks) => hooks.teardown),
    errorScopes: inner.map((hooks) => hooks.errorHandlers).filter((scope) => scope.length > 0),
  };
}
