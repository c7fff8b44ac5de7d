import { FlagonError } from '../errors/flagon-error';
import type { QueryValue, Request } from '../http/request';
import type { Response } from '../http/response';
import { RouteMetadata, type ClassOrMethodDecorator } from '../modules/route-metadata';

/** The request's form fields, parsed once and shared with the handler. */
export type FormReader = () => Promise<Readonly<Record<string, QueryValue>>>;

/**
 * Whose requests a limit counts: the client's IP (`req.ip`, which honours TRUST_PROXY), the
 * logged-in user (anonymous clients by IP), or a function (given the request and its form);
 * a function returning `undefined` leaves the request uncounted.
 */
export type RateLimitKey =
  | 'ip'
  | 'user'
  | ((req: Request, form: FormReader) => string | undefined | Promise<string | undefined>);

export interface RateLimitOptions {
  /** Default `'ip'`. */
  readonly key?: RateLimitKey;
  /** Routes with the same scope share their counts; by default each route counts alone. */
  readonly scope?: string;
  /**
   * Count only the responses this accepts (Flask-Limiter's `deduct_when`), e.g. failed logins;
   * a request is refused once that many were counted. Without it every request counts.
   */
  readonly deductWhen?: (response: Response, req: Request) => boolean;
  /** Forget the key's count after a response this accepts (a successful login). */
  readonly resetWhen?: (response: Response, req: Request) => boolean;
}

/** A limit as declared on a route, its window in seconds. */
export interface RateLimitRule extends RateLimitOptions {
  readonly limit: number;
  readonly windowSeconds: number;
  /** As written, for messages. */
  readonly text: string;
}

export const RATE_LIMIT = Symbol('flagon:rate-limit');

const UNIT_SECONDS: Readonly<Record<string, number>> = {
  second: 1,
  minute: 60,
  hour: 3600,
  day: 86400,
};

/**
 * `'5/minute'`, `'30 per hour'`, `'10/15 minutes'` as a count and a window in seconds.
 *
 * @example
 * parseRateLimit('5/minute'); // { limit: 5, windowSeconds: 60 }
 */
export function parseRateLimit(text: string): { limit: number; windowSeconds: number } {
  const match = /^\s*(\d+)\s*(?:\/|per)\s*(\d+)?\s*(second|minute|hour|day)s?\s*$/i.exec(text);
  const limit = Number(match?.[1]);
  const units = Number(match?.[2] ?? 1);
  const unit = UNIT_SECONDS[(match?.[3] ?? '').toLowerCase()];
  if (match === null || unit === undefined || limit < 1 || units < 1)
    throw new FlagonError(
      'FLAGON_CONFIG_INVALID',
      `Rate limit ${JSON.stringify(text)} is not a limit: write it like '5/minute', '30 per hour' or '10/15 minutes'`,
    );
  return { limit, windowSeconds: units * unit };
}

/**
 * Limits how often a client may call the route (or every route of the controller): past the
 * limit it gets 429 with Retry-After. Several decorators stack. Needs `RateLimitModule` among
 * the app's modules.
 *
 * @example
 * @RateLimit('30/hour') @Post('/register') register() {}
 * @RateLimit('5/minute', { key: 'user', scope: 'uploads' }) @Post('/avatar') avatar() {}
 */
export function RateLimit(limit: string, options: RateLimitOptions = {}): ClassOrMethodDecorator {
  const rule: RateLimitRule = { ...options, ...parseRateLimit(limit), text: limit };
  return RouteMetadata(RATE_LIMIT, rule);
}
