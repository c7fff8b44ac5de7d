import type { AppContainer } from '../di/container';
import { hasHealthCheck, hasOnRoute, type RouteSetup } from '../modules/extension';
import type { MountedModule } from '../modules/module-graph';
import type { RouteInfo } from '../modules/route-info';
import type { HealthCheck } from './health-check';
import { bindModuleHooks, composeAppWide, type ModuleHooks, type ScopeHooks } from './hook-chain';
import type { LifecycleParticipant } from './lifecycle';

interface ActiveModule {
  readonly module: MountedModule;
  readonly instance: object;
  readonly hooks: ModuleHooks;
}

type LifecycleMethods = Partial<Record<'onInit' | 'onShutdown', () => void | Promise<void>>>;

/** The app-wide steps a route gets, and the route setups they came from (for their headers). */
export interface AppWideSteps {
  readonly steps: ScopeHooks;
  readonly setups: readonly (RouteSetup | undefined)[];
}

/**
 * The app's modules once constructed (at init): their instances, hooks bound to them, and the
 * extension interfaces they implement (OnRoute, OnHealthCheck, OnInit/OnShutdown).
 */
export class ActiveModules {
  private readonly byModule: Map<MountedModule, ActiveModule>;

  private constructor(private readonly active: readonly ActiveModule[]) {
    this.byModule = new Map(active.map((entry) => [entry.module, entry]));
  }

  /** Builds every module instance through the container, in registration order. */
  static activate(mounted: readonly MountedModule[], container: AppContainer): ActiveModules {
    return new ActiveModules(
      mounted.map((module) => {
        const instance = container.resolve(module.moduleClass) as object;
        return { module, instance, hooks: bindModuleHooks(module, instance) };
      }),
    );
  }

  readonly hooksOf = (module: MountedModule): ModuleHooks =>
    (this.byModule.get(module) as ActiveModule).hooks;

  /** onInit/onShutdown of every module, in registration order. */
  participants(): LifecycleParticipant[] {
    return this.active.map(({ module, instance }) => {
      const methods = instance as LifecycleMethods;
      return {
        name: module.moduleClass.name,
        onInit: methods.onInit?.bind(instance),
        onShutdown: methods.onShutdown?.bind(instance),
      };
    });
  }

  /** Asks every OnRoute module about a route, once, and composes the app-wide steps. */
  appWideFor(route: RouteInfo): AppWideSteps {
    return this.compose((instance) => (hasOnRoute(instance) ? instance.onRoute(route) : undefined));
  }

  /** The same for requests no route answers. */
  appWideUnrouted(): AppWideSteps {
    return this.compose((instance) => (hasOnRoute(instance) ? instance.onUnrouted?.() : undefined));
  }

  /** The health checks modules implement (OnHealthCheck), named by module. */
  healthChecks(): HealthCheck[] {
    return this.active.flatMap(({ module, instance }) =>
      hasHealthCheck(instance) ? [{ name: module.name, check: () => instance.checkHealth() }] : [],
    );
  }

  private compose(setupOf: (instance: object) => RouteSetup | undefined): AppWideSteps {
    const entries = this.active.map(({ instance, hooks }) => ({
      hooks: hooks.app,
      setup: setupOf(instance),
    }));
    return { steps: composeAppWide(entries), setups: entries.map((entry) => entry.setup) };
  }
}
