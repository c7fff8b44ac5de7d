import type { FlagonApp } from '../app/flagon-app';
import { Inject } from '../di/tokens';
import { FlagonError, isFlagonError } from '../errors/flagon-error';
import type { OnRoute, RouteSetup } from '../modules/extension';
import { Module, type ConfiguredModule } from '../modules/module';
import type { RouteInfo } from '../modules/route-info';
import { CsrfProtection } from '../security/csrf';
import { routeCorsOptions } from './cors-decorator';
import { compileCorsPolicy, type CorsOptions, type CorsPolicy } from './cors-policy';
import { corsRouteSetup, rulePattern, unroutedCorsSetup, type PreflightTarget } from './cors-steps';

/** The policies of an app, checked and compiled inside `createApp`. */
interface CorsPolicies {
  /** `CorsModule.configure`'s policy, for every route without `@Cors`. */
  readonly app: CorsPolicy | undefined;
  /** Each route's policy (its `@Cors`, else the app's). */
  readonly routes: ReadonlyMap<RouteInfo, CorsPolicy>;
  readonly preflightTargets: readonly PreflightTarget[];
}

const CORS_POLICIES = Symbol('flagon:cors-policies');

/** Compiles `@Cors` options, naming the route in the error of a bad option. */
function compileFor(route: RouteInfo, options: CorsOptions): CorsPolicy {
  try {
    return compileCorsPolicy(options);
  } catch (error) {
    if (!isFlagonError(error)) throw error;
    throw new FlagonError(error.code, `@Cors on ${route.endpoint}: ${error.message}`, {
      cause: error,
    });
  }
}

/** createApp: every policy is compiled here, so a bad option stops the app before it serves. */
function compilePolicies(app: FlagonApp, options: CorsOptions | undefined): CorsPolicies {
  const appPolicy = options === undefined ? undefined : compileCorsPolicy(options);
  const compiled = new Map<CorsOptions, CorsPolicy>();
  const routes = new Map<RouteInfo, CorsPolicy>();
  const preflightTargets: PreflightTarget[] = [];
  for (const route of app.routes()) {
    const own = routeCorsOptions(route);
    if (own === undefined) {
      if (appPolicy) routes.set(route, appPolicy);
      continue;
    }
    let policy = compiled.get(own);
    if (policy === undefined) compiled.set(own, (policy = compileFor(route, own)));
    routes.set(route, policy);
    preflightTargets.push({ pattern: rulePattern(route.rule), methods: route.methods, policy });
  }
  return { app: appPolicy, routes, preflightTargets };
}

/** The CSRF Origin check trusts what a route's policy allows by name or pattern (never `'*'`). */
function trustAllowedOrigins(app: FlagonApp, policies: CorsPolicies): void {
  if (!app.has(CsrfProtection)) return;
  app.resolve(CsrfProtection).trustOrigins((origin, route) => {
    const policy = policies.routes.get(route);
    return policy !== undefined && !policy.isAnyOrigin && policy.allows(origin);
  });
}

/**
 * Cross-origin resource sharing, as Flask-CORS and @fastify/cors do it: preflights from allowed
 * origins answered 204 with the `Access-Control-Allow-*` headers, actual responses given the
 * allowed origin and `Vary: Origin`, other origins given nothing. `@Cors(options)` gives a
 * controller or route settings of its own. Allowed origins (not `'*'`) pass the CSRF Origin
 * check; the CSRF token is still required.
 *
 * @example
 * createApp({ modules: [ApiModule, CorsModule.configure({ origins: ['https://app.example.com'], credentials: true })] });
 */
@Module({ name: 'cors' })
export class CorsModule implements OnRoute {
  private readonly setups = new Map<CorsPolicy, RouteSetup>();

  constructor(@Inject(CORS_POLICIES) private readonly policies: CorsPolicies) {}

  /** Without options only `@Cors` routes take part. */
  static configure(options?: CorsOptions): ConfiguredModule {
    return {
      module: CorsModule,
      setup: (app) => {
        const policies = compilePolicies(app, options);
        trustAllowedOrigins(app, policies);
        return [{ provide: CORS_POLICIES, useValue: policies }];
      },
    };
  }

  onRoute(route: RouteInfo): RouteSetup | undefined {
    const policy = this.policies.routes.get(route);
    return policy && this.setupFor(policy);
  }

  onUnrouted(): RouteSetup | undefined {
    const { app, preflightTargets } = this.policies;
    if (app === undefined && preflightTargets.length === 0) return undefined;
    return unroutedCorsSetup(preflightTargets, app);
  }

  /** One setup per policy, shared by its routes. */
  private setupFor(policy: CorsPolicy): RouteSetup {
    let setup = this.setups.get(policy);
    if (setup === undefined) this.setups.set(policy, (setup = corsRouteSetup(policy)));
    return setup;
  }
}
