import type { RequestListener, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AppContainer } from '../di/container';
import type { InjectionToken, ProviderDefinition } from '../di/tokens';
import { defaultErrorResponse } from '../errors/error-page';
import type { FlagonError } from '../errors/flagon-error';
import { mountStaticFolders } from '../files/static';
import type { ViewContributions } from '../views/engine';
import { installViews } from '../views/install';
import { Request, type RequestSettings } from '../http/request';
import type { FlatHeaders } from '../http/result';
import type { Response } from '../http/response';
import type { ModuleRef } from '../modules/module';
import { mountModules, type MountedModule } from '../modules/module-graph';
import { BUILTIN_CONVERTERS, type Converter } from '../routing/converters';
import { buildRouteTable, type RouteDefinition, type RouteInfo } from '../routing/route-table';
import { Router } from '../routing/router';
import type { ParsedRule } from '../routing/rule';
import { UrlBuilder, type UrlForOptions, type UrlParams } from '../routing/url-for';
import { TestClient } from '../testing/test-client';
import { installSecurity } from '../security/install-security';
import { guardNames } from '../security/guards';
import type { CliCommand } from '../cli/cli-command';
import { Config } from '../config/config';
import { buildHandlerPlan } from './handler-plan';
import { installHealthCheck } from './health-check';
import { bindModuleHooks, composeHookChain, type ModuleHooks } from './hook-chain';
import { Kernel, type ErrorRunner, type RouteRecord } from './kernel';
import { Lifecycle, type LifecycleParticipant, type ListenOptions } from './lifecycle';
import { createLogger, LOGGER, type Logger } from '../config/logger';
import {
  buildErrorRunner,
  buildRouteRunner,
  mergeHeaders,
  type AfterStep,
  type BeforeStep,
  type PipelineShared,
  type RouteFeature,
} from './pipeline';

export interface CreateAppOptions {
  /** The app's folder, where `templates/` and `static/` live (Flask's root_path); defaults to the working directory. */
  readonly root?: string;
  /** The modules to mount; each one's imports are mounted under it. */
  readonly modules: readonly ModuleRef[];
  /** Config values, over Flagon's and extensions' defaults; FLAGON_* environment variables override them. */
  readonly config?: Readonly<Record<string, unknown>>;
  /** Custom path converters by name, usable as `<name:variable>` in rules. */
  readonly converters?: Readonly<Record<string, Converter>>;
  /** A pino logger to use instead of the one built from config. */
  readonly logger?: Logger;
  /** Where FLAGON_* variables are read from; `false` to ignore the environment. */
  readonly env?: NodeJS.ProcessEnv | false;
  /** Template helpers, globals and context processors for every view. */
  readonly views?: ViewContributions;
}

const NO_HEADERS: FlatHeaders = Object.freeze([]);

function findUnroutedScope(
  scopes: readonly (readonly [string, ErrorRunner])[],
  fallback: ErrorRunner,
  path: string,
): ErrorRunner {
  for (const [prefix, runner] of scopes) {
    if (path === prefix || path.startsWith(prefix.endsWith('/') ? prefix : `${prefix}/`))
      return runner;
  }
  return fallback;
}

/**
 * A Flagon application: every route of every module in one router, one DI container, one config.
 * Made by `createApp`; started by `listen()` (or used in-process through `testClient()`).
 *
 * @example
 * const app = createApp({ modules: [BlogModule] });
 * const { port } = await app.listen({ port: 3000 });
 */
export class FlagonApp {
  readonly config: Config;
  readonly logger: Logger;
  readonly root: string;
  private readonly container = new AppContainer();
  private readonly mounted: readonly MountedModule[];
  private errorPage: (error: FlagonError, req: Request, isDebug: boolean) => Response =
    defaultErrorResponse;
  private readonly routeTable: readonly RouteDefinition[];
  private readonly records = new Map<RouteDefinition, RouteRecord>();
  private readonly urls: UrlBuilder;
  private readonly kernel: Kernel;
  private readonly lifecycle: Lifecycle;
  private readonly features: RouteFeature[] = [];
  private readonly defaultHeaders: string[] = [];
  private unroutedScopes: readonly (readonly [string, ErrorRunner])[] = [];
  private unroutedFallback: ErrorRunner;

  /** @internal Use createApp(). */
  constructor(options: CreateAppOptions) {
    this.root = options.root ?? process.cwd();
    this.mounted = mountModules(options.modules);
    this.config = new Config(
      ...this.mounted.map((module) => module.config),
      options.config ?? {},
      options.env === false ? {} : Config.fromEnv(options.env),
    );
    this.mounted = [...this.mounted, ...mountStaticFolders(this.mounted, this.root, this.config)];
    this.logger = options.logger ?? createLogger(this.config);
    this.lifecycle = new Lifecycle(this.logger, this.config.get('SHUTDOWN_TIMEOUT'));
    this.routeTable = buildRouteTable(this.mounted, {
      ...BUILTIN_CONVERTERS,
      ...options.converters,
    });
    this.urls = new UrlBuilder(this.routeTable);

    const router = new Router<RouteRecord>();
    // A GET route answers HEAD with its own record (no second pipeline). Without any declared HEAD
    // route the router falls back to GET by itself; with one, implicit HEADs need their own tree
    // entries so that a declared `HEAD /x/<id>` cannot capture `HEAD /x/static`.
    const needsHeadEntries = this.routeTable.some(
      (route) => route.method === 'HEAD' && !route.isImplicitHead,
    );
    const getRecords = new Map<ParsedRule, RouteRecord>();
    for (const route of this.routeTable) {
      const owner = `${route.controller.name}.${route.methodName}`;
      if (route.isImplicitHead) {
        const getRecord = getRecords.get(route.rule);
        if (needsHeadEntries && getRecord)
          router.add('HEAD', route.rule.routerPath, getRecord, owner);
        continue;
      }
      const record: RouteRecord = {
        endpoint: route.endpoint,
        parseParams: buildParamParser(route),
        run: this.runAfterInit(route),
      };
      this.records.set(route, record);
      if (route.method === 'GET') getRecords.set(route.rule, record);
      router.add(route.method, route.rule.routerPath, record, owner);
    }
    const settings: RequestSettings = {
      trustProxy: this.config.get('TRUST_PROXY'),
      maxContentLength: this.config.get('MAX_CONTENT_LENGTH'),
      buildUrl: (endpoint, params, urlOptions, origin) =>
        this.urls.build(endpoint, params, urlOptions, origin),
      app: this,
    };
    // Before init no scope is built yet: start the app, then look the path's scope up again.
    this.unroutedFallback = (req, res, error) =>
      void this.init().then(
        () =>
          findUnroutedScope(this.unroutedScopes, this.unroutedFallback, req.path)(req, res, error),
        (initError: unknown) => this.failInit(res, initError),
      );
    this.kernel = new Kernel(
      router,
      settings,
      (path) => findUnroutedScope(this.unroutedScopes, this.unroutedFallback, path),
      this.defaultHeaders,
      this.buildOnSent(),
    );

    this.container.provideValue(Config, this.config);
    this.container.provideValue(LOGGER, this.logger);
    this.container.provideValue(FlagonApp, this);
    this.container.providePerRequest(Request);
    for (const module of this.mounted) {
      for (const provider of module.providers) this.container.provide(provider);
    }

    // Built-in features: each area (input, views, sessions, security, …) installs itself here with
    // one call that uses addFeature / addDefaultHeader / provideValue; keep it one line per area.
    installViews(this, this.mounted, options.views);
    installSecurity(this);
    installHealthCheck(router, this.config.get('HEALTH_PATH'), this.lifecycle);
  }

  /** @internal Registers a value in the app's container (for built-in features). */
  provideValue(token: InjectionToken, value: unknown): void {
    this.container.provideValue(token, value);
  }

  /** The node:http request listener, for `http.createServer(app.handler)`. */
  get handler(): RequestListener {
    return this.kernel.handle;
  }

  /** The bound address once listening. */
  get address(): AddressInfo | undefined {
    return this.lifecycle.address;
  }

  /** The node:http server once listening. */
  get server(): Server | undefined {
    return this.lifecycle.httpServer;
  }

  /** The route table: method, path, endpoint and module of every route (like `flask routes`); guards on request. */
  routes(options: { readonly withGuards?: boolean } = {}): RouteInfo[] {
    return this.routeTable
      .filter((route) => !route.isImplicitHead)
      .map((route) => ({
        method: route.method,
        path: route.rule.rule,
        endpoint: route.endpoint,
        module: route.module.name,
        ...(options.withGuards === true ? { guards: guardNames(route) } : {}),
      }));
  }

  /** The CLI commands the app's modules contribute (`flagon db init`), in mounting order. */
  commands(): CliCommand[] {
    return this.mounted.flatMap((module) => module.commands);
  }

  /** Builds a URL outside a request (external URLs use SERVER_NAME and PREFERRED_URL_SCHEME). */
  urlFor(endpoint: string, params?: UrlParams, options?: UrlForOptions): string {
    return this.urls.build(endpoint, params, options, {
      scheme: this.config.get('PREFERRED_URL_SCHEME'),
      host: this.config.get('SERVER_NAME'),
    });
  }

  /**
   * Replaces a provider before the app starts, so tests can inject fakes.
   *
   * @example
   * app.override(PostService, { useValue: fakePosts });
   */
  override<TValue>(
    token: InjectionToken<TValue>,
    provider: ProviderDefinition<NoInfer<TValue>>,
  ): this {
    this.container.override(token, provider);
    return this;
  }

  /** The instance the app's container gives for a token (after init). */
  resolve<TValue>(token: InjectionToken<TValue>): TValue {
    return this.container.resolve(token);
  }

  /** @internal Adds app-wide per-route behaviour (sessions, CSRF, headers); before init only. */
  addFeature(feature: RouteFeature): void {
    this.features.push(feature);
  }

  /** @internal Replaces how error responses no handler took are built (views render HTML pages with it). */
  setErrorPage(render: (error: FlagonError, req: Request, isDebug: boolean) => Response): void {
    this.errorPage = render;
  }

  /** @internal Releases a resource a built-in feature owns when the app closes, after the modules' onShutdown. */
  addRelease(name: string, release: () => void | Promise<void>): void {
    this.lifecycle.addRelease(name, release);
  }

  /** @internal Adds a header every response carries unless it sets its own. */
  addDefaultHeader(name: string, value: string): void {
    this.defaultHeaders.push(name.toLowerCase(), value);
  }

  /**
   * Validates the dependency graph, builds every route's pipeline and runs extension init hooks.
   * `listen()` and the test client call it; a missing provider rejects here, naming the chain.
   */
  init(): Promise<void> {
    return this.lifecycle.init(() => this.prepare());
  }

  /** Starts an HTTP server; resolves once listening (port 0 picks a free port). */
  async listen(options: ListenOptions = {}): Promise<AddressInfo> {
    await this.init();
    const config = this.config;
    return this.lifecycle.listen(this.kernel.handle, options, {
      headersTimeout: config.get('SERVER_HEADERS_TIMEOUT'),
      requestTimeout: config.get('SERVER_REQUEST_TIMEOUT'),
      keepAliveTimeout: config.get('SERVER_KEEP_ALIVE_TIMEOUT'),
      maxHeaderSize: config.get('SERVER_MAX_HEADER_SIZE'),
      connectionsCheckingInterval: config.get('SERVER_CONNECTIONS_CHECKING_INTERVAL'),
    });
  }

  /**
   * Stops accepting, closes idle keep-alive sockets, lets in-flight requests finish (force-closing
   * them after SHUTDOWN_TIMEOUT), then runs shutdown hooks. Resolves once all of that is done.
   */
  close(): Promise<void> {
    return this.lifecycle.close();
  }

  /** An in-process client with a cookie jar; no socket is opened. */
  testClient(): TestClient {
    return new TestClient(this);
  }

  private prepare(): LifecycleParticipant[] {
    const moduleClasses = this.mounted.map((module) => module.moduleClass);
    this.container.prepare([...moduleClasses, ...this.routeTable.map((route) => route.controller)]);
    const hooks = new Map<MountedModule, ModuleHooks>();
    const participants: LifecycleParticipant[] = [];
    for (const module of this.mounted) {
      const instance = this.container.resolve(module.moduleClass) as Partial<
        Record<'onInit' | 'onShutdown', () => void | Promise<void>>
      > &
        object;
      hooks.set(module, bindModuleHooks(module, instance));
      participants.push({
        name: module.moduleClass.name,
        onInit: instance.onInit?.bind(instance),
        onShutdown: instance.onShutdown?.bind(instance),
      });
    }
    const hooksOf = (module: MountedModule): ModuleHooks => hooks.get(module) as ModuleHooks;
    const shared = this.buildShared();

    for (const route of this.routeTable) {
      if (route.isImplicitHead) continue;
      const prepared = this.features.map((feature) => feature.prepare(route));
      const featureSteps = {
        before: prepared.flatMap((steps): BeforeStep[] => (steps?.before ? [steps.before] : [])),
        after: prepared.flatMap((steps): AfterStep[] => (steps?.after ? [steps.after] : [])),
      };
      const featureHeaders = {
        always: prepared.reduce<FlatHeaders>(
          (all, steps) => mergeHeaders(all, steps?.headers ?? NO_HEADERS),
          NO_HEADERS,
        ),
        secure: prepared.reduce<FlatHeaders>(
          (all, steps) => mergeHeaders(all, steps?.secureHeaders ?? NO_HEADERS),
          NO_HEADERS,
        ),
      };
      const plan = buildHandlerPlan(route, this.container, this.defaultHeaders, this.config);
      const record = this.records.get(route) as RouteRecord;
      record.run = buildRouteRunner(
        plan,
        composeHookChain(route.module.ancestry, hooksOf, featureSteps),
        shared,
        featureHeaders,
      );
    }

    const unroutedFeatures = this.features.map((feature) => feature.prepare(undefined));
    const unroutedSteps = {
      before: [],
      after: unroutedFeatures.flatMap((steps) => (steps?.after ? [steps.after] : [])),
    };
    const roots = this.mounted.filter((module) => module.ancestry.length === 1);
    const covers = (module: MountedModule, prefix: string): boolean =>
      module.prefix === '/' ||
      prefix === module.prefix ||
      prefix.startsWith(`${module.prefix.replace(/\/$/, '')}/`);
    // Imported modules own their prefix too, so a nested blueprint's 404 handler sees its unrouted paths.
    const prefixes = [...new Set(this.mounted.map((module) => module.prefix))].sort(
      (a, b) => b.length - a.length,
    );
    const scopeFor = (prefix: string): ErrorRunner => {
      const owner = this.mounted
        .filter((module) => module.prefix === prefix)
        .sort((a, b) => a.ancestry.length - b.ancestry.length)[0];
      const ancestry = owner?.ancestry ?? [];
      const others = roots
        .filter((module) => !ancestry.includes(module) && covers(module, prefix))
        .sort((a, b) => b.prefix.length - a.prefix.length);
      return buildErrorRunner(
        composeHookChain([...ancestry, ...others], hooksOf, unroutedSteps),
        shared,
      );
    };
    this.unroutedScopes = prefixes
      .filter((prefix) => prefix !== '/')
      .map((prefix) => [prefix, scopeFor(prefix)] as const);
    this.unroutedFallback = scopeFor('/');
    return participants;
  }

  private buildShared(): PipelineShared {
    const isDebug = this.config.get('DEBUG');
    return {
      logger: this.logger,
      isDebug,
      container: this.container,
      defaultHeaders: this.defaultHeaders,
      renderError: (error, req) => this.errorPage(error, req, isDebug),
      onSent: this.buildOnSent(),
      requestTimeout: this.config.get('REQUEST_TIMEOUT'),
    };
  }

  private buildOnSent(): (req: Request, res: ServerResponse) => void {
    const logger = this.logger;
    const lifecycle = this.lifecycle;
    const shouldLog = this.config.get('LOG_REQUESTS') && logger.isLevelEnabled('info');
    return (req, res) => {
      if (shouldLog) {
        logger.info(
          {
            reqId: req.id,
            method: req.method,
            path: req.path,
            status: res.statusCode,
            ms: Math.round((performance.now() - req.startedAt) * 100) / 100,
          },
          'request',
        );
      }
      if (lifecycle.isClosing) lifecycle.afterResponse();
    };
  }

  /** Before init, a route's runner starts the app first (the test client and `app.handler` need no explicit init). */
  private runAfterInit(route: RouteDefinition): RouteRecord['run'] {
    return (req, res) => {
      this.init().then(
        () => (this.records.get(route) as RouteRecord).run(req, res),
        (error: unknown) => this.failInit(res, error),
      );
    };
  }

  private failInit(res: ServerResponse, error: unknown): void {
    this.logger.error({ err: error }, 'app failed to start');
    if (!res.headersSent) {
      res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('Internal Server Error');
    }
  }
}

const NO_PARAMS: Readonly<Record<string, unknown>> = Object.freeze({});

/** Parses route params with the rule's converters; `undefined` when a converter rejects (→ 404). */
function buildParamParser(route: RouteDefinition): RouteRecord['parseParams'] {
  const params = route.rule.parts.flatMap((part) =>
    part.kind === 'param'
      ? [
          {
            name: part.name,
            key: part.converter.isPath ? '*' : part.name,
            converter: part.converter,
          },
        ]
      : [],
  );
  // Routes without parameters share one frozen empty object (nothing to allocate per request).
  if (params.length === 0) return () => NO_PARAMS;
  return (raw) => {
    const parsed: Record<string, unknown> = {};
    for (const { name, key, converter } of params) {
      const text = raw[key];
      if (text === undefined) return undefined;
      let value: unknown;
      try {
        value = converter.parse(text);
      } catch {
        return undefined;
      }
      if (value === undefined) return undefined;
      parsed[name] = value;
    }
    return parsed;
  };
}

/**
 * Creates an app from modules: reads every decorator once, builds the route table and router, and
 * fails here on route conflicts, bad rules and unknown converters.
 *
 * @example
 * const app = createApp({ modules: [AppModule], config: { DEBUG: true } });
 */
export function createApp(options: CreateAppOptions): FlagonApp {
  return new FlagonApp(options);
}
