import type { Redis } from 'ioredis';
import type * as IoRedis from 'ioredis';
import type * as Flexible from 'rate-limiter-flexible';
import { LOGGER, type Logger } from '../config/logger';
import { FlagonError } from '../errors/flagon-error';
import { Inject } from '../di/tokens';
import type { Request } from '../http/request';
import { RequestSlot } from '../http/request-slot';
import type { Response } from '../http/response';
import type { OnRoute, RouteSetup } from '../modules/extension';
import { Module, type ConfiguredModule, type OnInit, type OnShutdown } from '../modules/module';
import type { RouteInfo } from '../modules/route-info';
import { lazyRequire } from '../util/lazy-require';
import { RATE_LIMIT, type RateLimitRule } from './rate-limit-decorator';
import { rateLimitHeader, RouteLimiter, type LimitState } from './route-limiter';

const loadFlexible = lazyRequire<typeof Flexible>('rate-limiter-flexible', 'RateLimitModule');
const loadIoRedis = lazyRequire<typeof IoRedis>('ioredis', 'RateLimitModule with Redis');

export interface RateLimitModuleOptions {
  /**
   * Where counts live: in memory by default (one process), or Redis so every instance shares
   * them: an ioredis client you own, or a `redis://` URL (the module's own connection, closed
   * with the app).
   */
  readonly store?: Redis | string;
  /** Prefix of every counter's key, so several apps can share a Redis. Default `flagon:rl`. */
  readonly keyPrefix?: string;
  /** When the store cannot answer: `false` (default) lets requests through and logs it; `true` answers 503. */
  readonly failClosed?: boolean;
}

const RATE_LIMIT_OPTIONS = Symbol('flagon:rate-limit-options');

/** The states the request's limiters reported, for its `RateLimit` header. */
const STATES = new RequestSlot<LimitState[]>('rate-limit-states');

function addRateLimitHeader(response: Response, req: Request): Response {
  const states = STATES.get(req);
  if (states !== undefined && response.headers['ratelimit'] === undefined)
    response.setHeader('ratelimit', rateLimitHeader(states));
  return response;
}

/**
 * Rate limits (Flask-Limiter) on rate-limiter-flexible: `@RateLimit('5/minute')` on routes, 429
 * with `Retry-After` past the limit, and the IETF `RateLimit` / `RateLimit-Policy` headers on
 * every response of a limited route. Counts live in memory, or in Redis to share them between
 * instances; when the store is down requests pass and the failure is logged, unless `failClosed`.
 *
 * @example
 * createApp({ modules: [AppModule, RateLimitModule.configure({ store: process.env.REDIS_URL })] });
 */
@Module()
export class RateLimitModule implements OnRoute, OnInit, OnShutdown {
  private readonly client: Redis | undefined;
  private readonly ownsClient: boolean;
  /** One counter per scope and limit, so routes of a scope share it even in memory. */
  private readonly counters = new Map<string, Flexible.RateLimiterAbstract>();

  constructor(
    @Inject(RATE_LIMIT_OPTIONS) private readonly options: RateLimitModuleOptions,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    const { store } = options;
    this.ownsClient = typeof store === 'string';
    this.client =
      typeof store === 'string'
        ? new (loadIoRedis().Redis)(store, {
            // A limit that waits for Redis is a hung request: fail fast, reconnect in the background.
            enableOfflineQueue: false,
            maxRetriesPerRequest: 1,
            commandTimeout: 1000,
          })
        : store;
    if (this.ownsClient) this.client?.on('error', () => undefined);
  }

  static configure(options: RateLimitModuleOptions = {}): ConfiguredModule {
    return {
      module: RateLimitModule,
      providers: [{ provide: RATE_LIMIT_OPTIONS, useValue: options }],
    };
  }

  onRoute(route: RouteInfo): RouteSetup | undefined {
    const rules = route.allMetadata<RateLimitRule>(RATE_LIMIT);
    if (rules.length === 0) return undefined;
    const limiters = rules.map((rule, index) => this.limiterFor(route, rule, index));
    return {
      before: (req) => checkAll(limiters, req),
      headers: {
        'ratelimit-policy': limiters.map((limiter) => limiter.policyHeader).join(', '),
      },
    };
  }

  /** The module's own connection is given a moment to open, so the first requests are counted. */
  async onInit(): Promise<void> {
    const client = this.client;
    if (!this.ownsClient || client === undefined || client.status === 'ready') return;
    await new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        client.off('ready', done).off('error', done);
        resolve();
      };
      const timer = setTimeout(done, 1000);
      client.once('ready', done).once('error', done);
    });
  }

  onShutdown(): void {
    if (this.ownsClient) this.client?.disconnect();
  }

  private limiterFor(route: RouteInfo, rule: RateLimitRule, index: number): RouteLimiter {
    const policy = rule.scope ?? `${route.endpoint}${index === 0 ? '' : `#${index}`}`;
    if (/["\\]/.test(policy))
      throw new FlagonError(
        'FLAGON_CONFIG_INVALID',
        `@RateLimit scope ${JSON.stringify(policy)} on ${route.endpoint} cannot contain quotes or backslashes`,
      );
    const settings = {
      points: rule.limit,
      duration: rule.windowSeconds,
      keyPrefix: `${this.options.keyPrefix ?? 'flagon:rl'}:${policy}`,
    };
    const counterKey = `${settings.keyPrefix}|${settings.points}|${settings.duration}`;
    let limiter = this.counters.get(counterKey);
    if (limiter === undefined) {
      const { RateLimiterMemory, RateLimiterRedis } = loadFlexible();
      limiter =
        this.client === undefined
          ? new RateLimiterMemory(settings)
          : new RateLimiterRedis({
              ...settings,
              storeClient: this.client,
              rejectIfRedisNotReady: true,
            });
      this.counters.set(counterKey, limiter);
    }
    return new RouteLimiter(
      rule,
      policy,
      limiter,
      {
        failClosed: this.options.failClosed ?? false,
        logger: this.logger,
      },
      route,
    );
  }
}

/** Every limiter of the route counts the request; settling steps go on its final response. */
async function checkAll(limiters: readonly RouteLimiter[], req: Request): Promise<undefined> {
  const states: LimitState[] = [];
  for (const limiter of limiters) {
    const checked = await limiter.check(req);
    if (checked === undefined) continue;
    states.push(checked.state);
    if (limiter.rule.deductWhen !== undefined || limiter.rule.resetWhen !== undefined)
      req.onBeforeSend((response) =>
        limiter.settle(checked.key, response, req).then(() => response),
      );
  }
  if (states.length > 0) {
    STATES.set(req, states);
    req.onBeforeSend(addRateLimitHeader);
  }
  return undefined;
}
