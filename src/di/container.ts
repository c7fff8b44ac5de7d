import {
  container as globalContainer,
  instanceCachingFactory,
  instancePerContainerCachingFactory,
  Lifecycle,
  type DependencyContainer,
} from 'tsyringe';
import { FlagonError } from '../errors/flagon-error';
import {
  getConstructorTokens,
  getDeclaredScope,
  tokenName,
  type Constructor,
  type InjectionToken,
  type Provider,
  type ProviderDefinition,
  type Scope,
} from './tokens';

type Registration =
  | { readonly kind: 'value'; readonly value: unknown }
  | { readonly kind: 'class'; readonly useClass: Constructor; readonly scope: Scope }
  | {
      readonly kind: 'factory';
      readonly factory: (...deps: never[]) => unknown;
      readonly inject: readonly InjectionToken[];
      readonly scope: Scope;
    }
  /** Supplied per request by the kernel (the Request itself). */
  | { readonly kind: 'request-value' };

function toRegistration(definition: Provider | ProviderDefinition): Registration {
  if (typeof definition === 'function') {
    return {
      kind: 'class',
      useClass: definition,
      scope: getDeclaredScope(definition) ?? 'singleton',
    };
  }
  if ('useValue' in definition) return { kind: 'value', value: definition.useValue };
  if ('useClass' in definition) {
    return {
      kind: 'class',
      useClass: definition.useClass,
      scope: definition.scope ?? getDeclaredScope(definition.useClass) ?? 'singleton',
    };
  }
  return {
    kind: 'factory',
    factory: definition.useFactory,
    inject: definition.inject ?? [],
    scope: definition.scope ?? 'singleton',
  };
}

function promoteToRequestScope(registration: Registration): Registration {
  if (
    (registration.kind === 'class' || registration.kind === 'factory') &&
    registration.scope === 'singleton'
  ) {
    return { ...registration, scope: 'request' };
  }
  return registration;
}

const LIFECYCLE: Record<Scope, Lifecycle> = {
  singleton: Lifecycle.Singleton,
  transient: Lifecycle.Transient,
  request: Lifecycle.ContainerScoped,
};

/**
 * The app's container: a tsyringe child container (never the global one, so two apps in one
 * process share nothing), plus a startup check of the whole dependency graph so a missing or
 * circular provider is reported with its chain before the first request.
 */
export class AppContainer {
  private readonly native: DependencyContainer = globalContainer.createChildContainer();
  private readonly registrations = new Map<InjectionToken, Registration>();
  private readonly overrides = new Map<InjectionToken, Registration>();
  private readonly requestScoped = new Set<InjectionToken>();
  private isSealed = false;

  provide(provider: Provider): void {
    const token = typeof provider === 'function' ? provider : provider.provide;
    this.registrations.set(token, toRegistration(provider));
  }

  provideValue(token: InjectionToken, value: unknown): void {
    this.registrations.set(token, { kind: 'value', value });
  }

  /** Declares a token the kernel supplies to each request's scope. */
  providePerRequest(token: InjectionToken): void {
    this.registrations.set(token, { kind: 'request-value' });
  }

  override(token: InjectionToken, definition: ProviderDefinition): void {
    if (this.isSealed) {
      throw new FlagonError(
        'FLAGON_DI_OVERRIDE_TOO_LATE',
        `app.override(${tokenName(token)}) was called after the app started; call it before listen(), init() or the first test request`,
      );
    }
    this.overrides.set(token, toRegistration(definition));
  }

  /**
   * Walks the graph from the given roots, fails with the dependency chain on a missing, untyped or
   * circular provider, then registers everything reachable with tsyringe.
   */
  prepare(roots: readonly InjectionToken[]): void {
    const needsRequest = new Map<InjectionToken, boolean>();
    const stack: InjectionToken[] = [];
    const effective = new Map<InjectionToken, Registration>();

    const visit = (token: InjectionToken): boolean => {
      const known = needsRequest.get(token);
      if (known !== undefined) return known;
      const cycleStart = stack.indexOf(token);
      if (cycleStart >= 0) {
        const cycle = [...stack.slice(cycleStart), token].map(tokenName).join(' -> ');
        throw new FlagonError(
          'FLAGON_DI_CIRCULAR',
          `Circular dependency: ${cycle}. Break the cycle, or inject a factory instead of the class`,
        );
      }
      const registration = this.lookup(token);
      if (!registration) {
        const chain = [...stack, token].map(tokenName).join(' -> ');
        throw new FlagonError(
          'FLAGON_DI_MISSING_PROVIDER',
          `${chain}: no provider for ${tokenName(token)}. Add it to a module's providers, mark the class @Injectable(), or app.override() it`,
        );
      }
      stack.push(token);
      let dependsOnRequest = false;
      for (const dependency of this.dependenciesOf(registration, stack)) {
        if (visit(dependency)) dependsOnRequest = true;
      }
      stack.pop();
      const scope =
        registration.kind === 'class' || registration.kind === 'factory'
          ? registration.scope
          : undefined;
      const isRequestScoped =
        registration.kind === 'request-value' ||
        scope === 'request' ||
        (dependsOnRequest && scope !== 'transient');
      // A singleton that needs a request-scoped dependency becomes request-scoped itself, as in NestJS.
      effective.set(token, isRequestScoped ? promoteToRequestScope(registration) : registration);
      const result = isRequestScoped || (dependsOnRequest && scope === 'transient');
      needsRequest.set(token, result);
      if (isRequestScoped) this.requestScoped.add(token);
      return result;
    };

    for (const root of roots) visit(root);
    for (const [token, registration] of effective) this.register(token, registration);
    this.isSealed = true;
  }

  /** True when the token must be resolved from a request's scope. */
  isRequestScoped(token: InjectionToken): boolean {
    return this.requestScoped.has(token);
  }

  /** True when the token has a provider (registered, overridden, or an @Injectable class). */
  has(token: InjectionToken): boolean {
    return this.lookup(token) !== undefined;
  }

  resolve<TValue>(token: InjectionToken<TValue>, scope: DependencyContainer = this.native): TValue {
    // Values need no construction: they resolve before init too, and without tsyringe's lookup.
    const registration = this.overrides.get(token) ?? this.registrations.get(token);
    if (registration?.kind === 'value') return registration.value as TValue;
    try {
      return scope.resolve<TValue>(token as never);
    } catch (error) {
      if (error instanceof FlagonError) throw error;
      throw new FlagonError(
        'FLAGON_DI_CONSTRUCTION_FAILED',
        `Constructing ${tokenName(token)} failed: ${(error as Error).message}`,
        { cause: error },
      );
    }
  }

  /** A child container for one request; request-scoped providers get fresh instances in it. */
  createRequestScope(values: ReadonlyMap<InjectionToken, unknown>): DependencyContainer {
    const scope = this.native.createChildContainer();
    for (const [token, value] of values) scope.register(token as never, { useValue: value });
    return scope;
  }

  private lookup(token: InjectionToken): Registration | undefined {
    const registration = this.overrides.get(token) ?? this.registrations.get(token);
    if (registration) return registration;
    // @Injectable() classes (and controllers, modules) need no listing in `providers`.
    if (typeof token === 'function' && getDeclaredScope(token) !== undefined) {
      return toRegistration(token as Constructor);
    }
    return undefined;
  }

  private dependenciesOf(
    registration: Registration,
    stack: readonly InjectionToken[],
  ): readonly InjectionToken[] {
    if (registration.kind === 'factory') return registration.inject;
    if (registration.kind !== 'class') return [];
    const tokens = getConstructorTokens(registration.useClass);
    return tokens.map((token, index) => {
      if (token !== undefined) return token;
      const chain = stack.map(tokenName).join(' -> ');
      throw new FlagonError(
        'FLAGON_DI_UNTYPED_PARAMETER',
        `${chain}: constructor parameter #${index} of ${registration.useClass.name} has no injectable type (an interface, a primitive, or an \`import type\`). Use @Inject(token)`,
      );
    });
  }

  private register(token: InjectionToken, registration: Registration): void {
    const nativeToken = token as never;
    switch (registration.kind) {
      case 'value':
        this.native.register(nativeToken, { useValue: registration.value });
        return;
      case 'request-value':
        return;
      case 'class':
        this.native.register(
          nativeToken,
          { useClass: registration.useClass },
          { lifecycle: LIFECYCLE[registration.scope] as never },
        );
        return;
      case 'factory': {
        const { factory, inject } = registration;
        const build = (scope: DependencyContainer): unknown =>
          factory(...inject.map((dep) => scope.resolve<never>(dep as never)));
        const useFactory =
          registration.scope === 'singleton'
            ? instanceCachingFactory(build)
            : registration.scope === 'request'
              ? instancePerContainerCachingFactory(build)
              : build;
        this.native.register(nativeToken, { useFactory });
        return;
      }
    }
  }
}
