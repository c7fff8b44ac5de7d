import type { RequestListener, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CliCommand } from '../cli/cli-command';
import { Config } from '../config/config';
import { createLogger, LOGGER, type Logger } from '../config/logger';
import { AppContainer } from '../di/container';
import type { InjectionToken, ProviderDefinition } from '../di/tokens';
import { FlagonError } from '../errors/flagon-error';
import { mountStaticFolders } from '../files/static';
import { hasUnreadBody, lingerIfUnread } from '../http/lingering-close';
import { Request, type RequestSettings } from '../http/request';
import type { Response } from '../http/response';
import type { ModuleRef } from '../modules/module';
import type { OpenApiDocument } from '../openapi/openapi-types';
import { mountModules, type MountedModule } from '../modules/module-graph';
import { describeRoutes, type RouteInfo } from '../modules/route-info';
import { BUILTIN_CONVERTERS, type Converter } from '../routing/converters';
import { buildRouteTable, type RouteDefinition } from '../routing/route-table';
import type { Router } from '../routing/router';
import type { EndpointName, UrlForArgs } from '../routing/endpoints';
import { UrlBuilder, type UrlForOptions, type UrlParams } from '../routing/url-for';
import { TestClient } from '../testing/test-client';
import type { ViewContributions } from '../views/engine';
import { ViewEngine } from '../views/engine';
import { renderErrorPage } from '../views/error-pages';
import { createViewEngine } from '../views/install';
import { ActiveModules } from './active-modules';
import { buildHandlerPlan } from './handler-plan';
import { installHealthCheck, type HealthCheck } from './health-check';
import { composeHookChain } from './hook-chain';
import { Kernel, type RouteRecord } from './kernel';
import { Lifecycle, type LifecycleParticipant, type ListenOptions } from './lifecycle';
import { OPENAPI_SOURCE, type OpenApiSource } from './openapi-source';
import type { PipelineShared } from './pipeline-shared';
import { buildResponseHeaders, NO_HEADERS } from './route-headers';
import { buildRouter } from './route-records';
import { buildRouteRunner } from './route-runner';
import { addSlashRedirects } from './slash-redirects';
import { buildUnroutedScopes, type UnroutedScopes } from './unrouted';

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
  private readonly errorPage: (error: FlagonError, req: Request, isDebug: boolean) => Response;
  private readonly routeTable: readonly RouteDefinition[];
  private readonly routeInfos: ReadonlyMap<RouteDefinition, RouteInfo>;
  private readonly records: ReadonlyMap<RouteDefinition, RouteRecord>;
  private readonly urls: UrlBuilder;
  private readonly kernel: Kernel;
  private readonly lifecycle: Lifecycle;
  private readonly healthChecks: HealthCheck[] = [];
  private unrouted: UnroutedScopes;

  /** @internal Use createApp(). */
  constructor(options: CreateAppOptions) {
    this.root = options.root ?? process.cwd();
    const declared = mountModules(options.modules);
    this.config = new Config(
      ...declared.map((module) => module.config),
      options.config ?? {},
      options.env === false ? {} : Config.fromEnv(options.env),
    );
    this.mounted = [...declared, ...mountStaticFolders(declared, this.root, this.config)];
    this.logger = options.logger ?? createLogger(this.config);
    this.lifecycle = new Lifecycle(this.logger, this.config.get('SHUTDOWN_TIMEOUT'));
    this.routeTable = buildRouteTable(this.mounted, {
      ...BUILTIN_CONVERTERS,
      ...options.converters,
    });
    this.routeInfos = describeRoutes(this.routeTable, this.config);
    this.urls = new UrlBuilder(this.routeTable);
    const { router, records, needsHeadEntries } = buildRouter(this.routeTable, (route) =>
      this.startFirst(route),
    );
    this.records = records;
    // Before init no scope is built yet: start the app, then look the path's scope up again.
    this.unrouted = () => (req, res, answer) =>
      void this.init().then(
        () => this.unrouted(req.path)(req, res, answer),
        (initError: unknown) => this.failInit(res, initError),
      );
    this.kernel = new Kernel(router, this.requestSettings(), (path) => this.unrouted(path));
    addSlashRedirects(
      router,
      this.routeTable,
      (route) => this.records.get(route),
      (req, res) => this.kernel.redirectToSlashed(req, res),
      needsHeadEntries,
    );

    const views = createViewEngine({
      root: this.root,
      config: this.config,
      mounted: this.mounted,
      // Templates name endpoints in data, not code: no compile-time endpoint check there.
      urlFor: (endpoint, params, urlOptions) => this.buildUrl(endpoint, params, urlOptions),
      contributions: options.views,
    });
    this.errorPage = (error, req, isDebug) =>
      renderErrorPage(views, error, req, isDebug, this.logger);
    this.registerProviders(views);
    this.runSetups();
    this.installHealthCheck(router);
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

  /**
   * The route table (like `flask routes`): method, path, endpoint and module of every route, and
   * what extensions read at startup (controller, handler, metadata). The implicit HEAD of a GET
   * is not listed.
   */
  routes(): RouteInfo[] {
    return [...this.routeInfos.values()];
  }

  /**
   * The app's OpenAPI 3.1 document: the very object OpenApiModule serves at its `path`, built
   * from the routes the app prepared at `init()`.
   *
   * @example
   * await app.init();
   * writeFileSync('openapi.json', JSON.stringify(app.openapi()));
   */
  openapi(): OpenApiDocument {
    if (!this.container.has(OPENAPI_SOURCE))
      throw new FlagonError(
        'FLAGON_OPENAPI_UNAVAILABLE',
        'app.openapi() needs OpenApiModule: add OpenApiModule.configure({ title, version }) to the modules of createApp',
      );
    if (!this.lifecycle.isReady)
      throw new FlagonError(
        'FLAGON_OPENAPI_UNAVAILABLE',
        'app.openapi() reads the routes prepared at startup: await app.init() (or listen()) first',
      );
    return this.container.resolve<OpenApiSource>(OPENAPI_SOURCE).document();
  }

  /** The CLI commands the app's modules contribute (`flagon db migrate`), in mounting order. */
  commands(): CliCommand[] {
    return this.mounted.flatMap((module) => module.commands);
  }

  /** Builds a URL outside a request (external URLs use SERVER_NAME and PREFERRED_URL_SCHEME). */
  urlFor<TEndpoint extends EndpointName>(
    endpoint: TEndpoint,
    ...[params, options]: UrlForArgs<TEndpoint>
  ): string {
    return this.buildUrl(endpoint, params, options);
  }

  private buildUrl(endpoint: string, params?: UrlParams, options?: UrlForOptions): string {
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

  /** The instance the app's container gives for a token (values right away, the rest after init). */
  resolve<TValue>(token: InjectionToken<TValue>): TValue {
    return this.container.resolve(token);
  }

  /**
   * True when something provides the token (a module's providers, an override, a setup): for
   * extensions whose dependency is optional.
   *
   * @example
   * const loader = app.has(UserLoader) ? app.resolve(UserLoader) : undefined;
   */
  has(token: InjectionToken): boolean {
    return this.container.has(token);
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
      idleTimeout: config.get('SERVER_IDLE_TIMEOUT'),
      maxConnections: config.get('SERVER_MAX_CONNECTIONS'),
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

  private requestSettings(): RequestSettings {
    return {
      trustProxy: this.config.get('TRUST_PROXY'),
      maxContentLength: this.config.get('MAX_CONTENT_LENGTH'),
      buildUrl: (endpoint, params, urlOptions, origin) =>
        this.urls.build(endpoint, params, urlOptions, origin),
      app: this,
    };
  }

  private registerProviders(views: ViewEngine): void {
    this.container.provideValue(Config, this.config);
    this.container.provideValue(LOGGER, this.logger);
    this.container.provideValue(FlagonApp, this);
    this.container.provideValue(ViewEngine, views);
    this.container.providePerRequest(Request);
    for (const module of this.mounted) {
      for (const provider of module.providers) this.container.provide(provider);
    }
  }

  /** Each module's setup (Flask's init_app), in registration order: config checks fail createApp here. */
  private runSetups(): void {
    for (const module of this.mounted) {
      for (const setup of module.setups) {
        for (const provider of setup(this) ?? []) this.container.provide(provider);
      }
    }
  }

  private installHealthCheck(router: Router<RouteRecord>): void {
    installHealthCheck(
      router,
      this.config.get('HEALTH_PATH'),
      this.lifecycle,
      this.healthChecks,
      this.logger,
    );
  }

  /** Init: builds the modules, asks extensions about every route, and builds each route's runner. */
  private prepare(): LifecycleParticipant[] {
    this.container.prepare([
      ...this.mounted.map((module) => module.moduleClass),
      ...this.routeTable.map((route) => route.controller),
    ]);
    const modules = ActiveModules.activate(this.mounted, this.container);
    const shared = this.buildShared();
    for (const [route, info] of this.routeInfos) {
      const appWide = modules.appWideFor(info);
      const plan = buildHandlerPlan(route, this.container, this.config);
      const chain = composeHookChain(route.module.ancestry, modules.hooksOf, appWide.steps);
      const headers = buildResponseHeaders(plan.headers, NO_HEADERS, appWide.setups);
      (this.records.get(route) as RouteRecord).run = buildRouteRunner(plan, chain, headers, shared);
    }
    const unrouted = modules.appWideUnrouted();
    const headers = buildResponseHeaders(NO_HEADERS, NO_HEADERS, unrouted.setups);
    this.unrouted = buildUnroutedScopes(
      this.mounted,
      modules.hooksOf,
      unrouted.steps,
      headers,
      shared,
    );
    this.healthChecks.push(...modules.healthChecks());
    return modules.participants();
  }

  private buildShared(): PipelineShared {
    const isDebug = this.config.get('DEBUG');
    return {
      logger: this.logger,
      defaultHeaders: NO_HEADERS,
      renderError: (error, req) => this.errorPage(error, req, isDebug),
      onSent: this.buildOnSent(),
      requestTimeout: this.config.get('REQUEST_TIMEOUT'),
      propagateErrors: this.config.get('PROPAGATE_EXCEPTIONS') ?? this.config.get('TESTING'),
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
      if (hasUnreadBody(req.raw)) lingerIfUnread(req.raw, res);
      if (lifecycle.isClosing) lifecycle.afterResponse();
    };
  }

  /** Before init, a route's runner starts the app first (the test client and `app.handler` need no explicit init). */
  private startFirst(route: RouteDefinition): RouteRecord['run'] {
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
