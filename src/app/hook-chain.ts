import type { BoundErrorHandler } from '../errors/error-handler';
import type { AfterStep, BeforeStep, RouteSetup, TeardownStep } from '../modules/extension';
import { getErrorHandlers, getHooks, type HookKind, type HookScope } from '../modules/hooks';
import type { MountedModule } from '../modules/module-graph';
import type { HookChain } from './route-runner';

/** One scope's hooks and error handlers, bound to the module instance. */
export interface ScopeHooks {
  readonly before: readonly BeforeStep[];
  readonly after: readonly AfterStep[];
  readonly teardown: readonly TeardownStep[];
  readonly errorHandlers: readonly BoundErrorHandler[];
}

/** A module's hooks: those for its own routes and those for the whole app. */
export interface ModuleHooks {
  readonly module: ScopeHooks;
  readonly app: ScopeHooks;
}

type AnyMethod = (...args: never[]) => unknown;

/** Reads a module's hook decorators once and binds the methods to the module instance. */
export function bindModuleHooks(module: MountedModule, instance: object): ModuleHooks {
  const bound = (propertyKey: string): AnyMethod => {
    const fn = (instance as Record<string, unknown>)[propertyKey] as AnyMethod;
    return fn.bind(instance);
  };
  const hooks = getHooks(module.moduleClass);
  const handlers = getErrorHandlers(module.moduleClass);
  const scopeHooks = (scope: HookScope): ScopeHooks => {
    const of = (kind: HookKind): AnyMethod[] =>
      hooks
        .filter((hook) => hook.kind === kind && hook.scope === scope)
        .map((hook) => bound(hook.propertyKey));
    return {
      before: of('before') as BeforeStep[],
      // Like Flask, after-request and teardown hooks run in reverse order of declaration.
      after: of('after').reverse() as AfterStep[],
      teardown: of('teardown').reverse() as TeardownStep[],
      errorHandlers: handlers
        .filter((entry) => entry.scope === scope)
        .map((entry) => ({
          matcher: entry.matcher,
          handle: bound(entry.propertyKey) as BoundErrorHandler['handle'],
        })),
    };
  };
  return { module: scopeHooks('module'), app: scopeHooks('app') };
}

/** A module's app-wide part for one route: its app hooks and what its onRoute returned. */
export interface AppWideEntry {
  readonly hooks: ScopeHooks;
  readonly setup: RouteSetup | undefined;
}

/**
 * The app-wide steps of a route, from every module in registration order (Flagon's built-ins
 * first): each module's @BeforeAppRequest hooks, then its route setup's `before`; after and
 * teardown steps mirror that (the last registered module's first).
 */
export function composeAppWide(entries: readonly AppWideEntry[]): ScopeHooks {
  const before: BeforeStep[] = [];
  const after: AfterStep[] = [];
  const teardown: TeardownStep[] = [];
  const errorHandlers: BoundErrorHandler[] = [];
  for (const { hooks, setup } of entries) {
    before.push(...hooks.before);
    if (setup?.before) before.push(setup.before);
    errorHandlers.push(...hooks.errorHandlers);
  }
  for (const { hooks, setup } of [...entries].reverse()) {
    if (setup?.after) after.push(setup.after);
    after.push(...hooks.after);
    teardown.push(...hooks.teardown);
  }
  return { before, after, teardown, errorHandlers };
}

/**
 * The chain for a route of `ancestry` (its module first): the app-wide before steps, then the
 * module hooks from the outermost module in; after/teardown steps and error handlers from the
 * route's own module out, then the app-wide ones.
 */
export function composeHookChain(
  ancestry: readonly MountedModule[],
  hooksOf: (module: MountedModule) => ModuleHooks,
  appWide: ScopeHooks,
): HookChain {
  const inner = ancestry.map((module) => hooksOf(module).module);
  const outer = [...inner].reverse();
  return {
    before: [...appWide.before, ...outer.flatMap((hooks) => hooks.before)],
    after: [...inner.flatMap((hooks) => hooks.after), ...appWide.after],
    teardown: [...inner.flatMap((hooks) => hooks.teardown), ...appWide.teardown],
    errorScopes: [...inner.map((hooks) => hooks.errorHandlers), appWide.errorHandlers].filter(
      (scope) => scope.length > 0,
    ),
  };
}
