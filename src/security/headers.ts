import type { Config } from '../config/config';
import { FlagonError } from '../errors/flagon-error';
import type { FlatHeaders } from '../http/result';
import { RouteMetadata, type ClassOrMethodDecorator } from '../modules/route-metadata';

/** Header name → value; `false` leaves the header out. */
export type SecurityHeaderValues = Readonly<Record<string, string | false>>;

/** What Flagon sends on every response (Flask-Talisman's defaults, tightened). */
export const DEFAULT_SECURITY_HEADERS: SecurityHeaderValues = Object.freeze({
  'content-security-policy':
    "default-src 'self'; frame-ancestors 'self'; object-src 'none'; base-uri 'self'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'SAMEORIGIN',
  'referrer-policy': 'strict-origin-when-cross-origin',
  'cross-origin-opener-policy': 'same-origin',
});

const DEFAULT_HSTS = 'max-age=31536000; includeSubDomains';
/** The RouteMetadata key of `@SecurityHeaders`. */
export const SECURITY_HEADERS = Symbol('flagon:security-headers');

function lowerKeys(values: SecurityHeaderValues): Record<string, string | false> {
  return Object.fromEntries(
    Object.entries(values).map(([name, value]) => [name.toLowerCase(), value]),
  );
}

/**
 * Changes security headers for a controller or one route: a string replaces the value, `false`
 * drops the header (for example a page that must be framed).
 *
 * @example
 * @SecurityHeaders({ 'Content-Security-Policy': "default-src 'self'; img-src *" }) @Get('/gallery') gallery() {}
 */
export function SecurityHeaders(values: SecurityHeaderValues): ClassOrMethodDecorator {
  return RouteMetadata(SECURITY_HEADERS, lowerKeys(values));
}

/** A route's security headers, resolved at init as flat lists. */
export interface RouteSecurityHeaders {
  /** For every response of the route. */
  readonly headers: FlatHeaders;
  /** Only for responses to HTTPS requests (HSTS). */
  readonly secureHeaders: FlatHeaders;
}

/**
 * Resolves, per route, the security headers from SECURITY_HEADERS (merged over the defaults),
 * HSTS (`false` to disable; sent only over HTTPS, as the spec requires) and the values of the
 * route's @SecurityHeaders. Headers a handler set itself are kept.
 */
export function buildSecurityHeaders(
  config: Config,
): (declared: readonly SecurityHeaderValues[]) => RouteSecurityHeaders {
  const configured = config.get('SECURITY_HEADERS') ?? {};
  if (typeof configured !== 'object')
    throw new FlagonError(
      'FLAGON_CONFIG_INVALID',
      'SECURITY_HEADERS must be an object of header name → value (or false)',
    );
  const appWide = { ...DEFAULT_SECURITY_HEADERS, ...lowerKeys(configured as SecurityHeaderValues) };
  const hstsSetting = config.get<string | false>('HSTS') ?? DEFAULT_HSTS;
  const resolve = (declared: readonly SecurityHeaderValues[]): RouteSecurityHeaders => {
    // SECURITY_HEADERS is only checked to be an object, so a value (HSTS's too) may be undefined at run time.
    const merged: Record<string, string | false | undefined> = { ...appWide };
    for (const values of declared) Object.assign(merged, values);
    const hsts =
      'strict-transport-security' in merged ? merged['strict-transport-security'] : hstsSetting;
    delete merged['strict-transport-security'];
    const pairs = Object.entries(merged).filter(
      (entry): entry is [string, string] => entry[1] !== false && entry[1] !== undefined,
    );
    return {
      headers: pairs.flat(),
      secureHeaders:
        hsts !== false && hsts !== undefined ? ['strict-transport-security', hsts] : [],
    };
  };
  // Routes without @SecurityHeaders (nearly all) share one set of lists.
  const common = resolve([]);
  return (declared) => (declared.length === 0 ? common : resolve(declared));
}
