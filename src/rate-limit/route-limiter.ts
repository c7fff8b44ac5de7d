import type { RateLimiterAbstract, RateLimiterRes } from 'rate-limiter-flexible';
import type { Logger } from '../config/logger';
import { ServiceUnavailable, TooManyRequests } from '../errors/http-errors';
import type { Request } from '../http/request';
import type { Response } from '../http/response';
import type { RouteInfo } from '../modules/route-info';
import { loadCurrentUser, loginOf } from '../security/login';
import type { RateLimitRule } from './rate-limit-decorator';

/** How a limiter behaves when its store cannot answer. */
export interface StoreFailurePolicy {
  readonly failClosed: boolean;
  readonly logger: Logger;
}

/** What a request learnt from one limiter, for its `RateLimit` header. */
export interface LimitState {
  readonly policy: string;
  readonly remaining: number;
  readonly resetSeconds: number;
}

function isLimiterResult(value: unknown): value is RateLimiterRes {
  return typeof value === 'object' && value !== null && 'msBeforeNext' in value;
}

/** `RateLimit: "login";r=0;t=42` (draft-ietf-httpapi-ratelimit-headers). */
export function rateLimitHeader(states: readonly LimitState[]): string {
  return states
    .map((state) => `"${state.policy}";r=${state.remaining};t=${state.resetSeconds}`)
    .join(', ');
}

/**
 * One `@RateLimit` rule on one route, its counter prepared at startup: `check` before the
 * handler (429 past the limit), `settle` on the response when only some responses count.
 */
export class RouteLimiter {
  constructor(
    readonly rule: RateLimitRule,
    readonly policy: string,
    private readonly limiter: RateLimiterAbstract,
    private readonly failure: StoreFailurePolicy,
    private readonly route: RouteInfo,
  ) {}

  /** `"login";q=10;w=900`, for the route's `RateLimit-Policy` header. */
  get policyHeader(): string {
    return `"${this.policy}";q=${this.rule.limit};w=${this.rule.windowSeconds}`;
  }

  /** Counts the request (or, with `deductWhen`, looks at the count); the state, or `undefined` when uncounted. */
  async check(req: Request): Promise<{ key: string; state: LimitState } | undefined> {
    const key = await this.keyOf(req);
    if (key === undefined) return undefined;
    try {
      if (this.rule.deductWhen === undefined)
        return { key, state: this.stateOf(await this.limiter.consume(key)) };
      const current = await this.limiter.get(key);
      const state = this.stateOf(current);
      if (current !== null && current.consumedPoints >= this.rule.limit) this.refuse(state);
      return { key, state };
    } catch (error) {
      if (isLimiterResult(error)) this.refuse(this.stateOf(error));
      if (error instanceof TooManyRequests) throw error;
      this.storeFailed(error, req);
      return undefined;
    }
  }

  /** With `deductWhen`/`resetWhen`: counts or forgets the response's key. */
  async settle(key: string, response: Response, req: Request): Promise<void> {
    try {
      if (this.rule.resetWhen?.(response, req) === true) await this.limiter.delete(key);
      else if (this.rule.deductWhen?.(response, req) === true) await this.limiter.penalty(key, 1);
    } catch (error) {
      if (!isLimiterResult(error)) this.storeFailed(error, req);
    }
  }

  private stateOf(result: RateLimiterRes | null): LimitState {
    return {
      policy: this.policy,
      remaining: result === null ? this.rule.limit : Math.max(0, result.remainingPoints),
      resetSeconds:
        result === null ? this.rule.windowSeconds : Math.ceil(result.msBeforeNext / 1000),
    };
  }

  private refuse(state: LimitState): never {
    const retryAfter = Math.max(1, state.resetSeconds);
    throw new TooManyRequests(
      `Too many requests: the limit is ${this.rule.text}${this.rule.scope === undefined ? '' : ` (${this.rule.scope})`}; try again in ${retryAfter} seconds`,
      {
        headers: {
          'retry-after': String(retryAfter),
          ratelimit: rateLimitHeader([{ ...state, remaining: 0 }]),
        },
      },
    );
  }

  /** Logged; the request passes (fail open) unless the module was configured `failClosed`. */
  private storeFailed(error: unknown, req: Request): void {
    this.failure.logger.error(
      { err: error, reqId: req.id, policy: this.policy },
      `rate limit store unavailable; ${this.failure.failClosed ? 'refusing' : 'letting'} the request ${this.failure.failClosed ? '(failClosed)' : 'through (fail open)'}`,
    );
    if (this.failure.failClosed)
      throw new ServiceUnavailable('Rate limits cannot be checked right now; try again shortly', {
        headers: { 'retry-after': '5' },
      });
  }

  private async keyOf(req: Request): Promise<string | undefined> {
    const { key = 'ip' } = this.rule;
    if (key === 'ip') return `ip:${req.ip}`;
    if (key === 'user') {
      const user = await loadCurrentUser(req);
      return user === undefined || user === null
        ? `ip:${req.ip}`
        : `user:${loginOf(req).userIdOf(user)}`;
    }
    const custom = await key(req, () => this.route.form(req));
    return custom === undefined ? undefined : `key:${custom}`;
  }
}
