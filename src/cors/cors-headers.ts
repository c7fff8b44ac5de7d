import type { CorsPolicy } from './cors-policy';

/** Response headers, lower-case names. */
export type CorsHeaderValues = Record<string, string>;

/** What the headers of a request say about CORS. */
export interface CorsRequest {
  readonly method: string;
  /** The `Origin` header. */
  readonly origin: string | undefined;
  /** `Access-Control-Request-Method`. */
  readonly requestMethod?: string | undefined;
  /** `Access-Control-Request-Headers`. */
  readonly requestHeaders?: string | undefined;
}

/** A preflight: an OPTIONS request from a browser asking whether it may send the real one. */
export function isPreflight(request: CorsRequest): boolean {
  return (
    request.method === 'OPTIONS' &&
    request.origin !== undefined &&
    request.requestMethod !== undefined &&
    request.requestMethod !== ''
  );
}

/** `Vary: Origin` whenever the answer depends on the origin, allowed or not, so caches keep them apart. */
function vary(policy: CorsPolicy, headers: CorsHeaderValues): CorsHeaderValues {
  if (!policy.isAnyOrigin) headers['vary'] = 'Origin';
  return headers;
}

function allowOrigin(policy: CorsPolicy, origin: string, headers: CorsHeaderValues): void {
  headers['access-control-allow-origin'] = policy.isAnyOrigin ? '*' : origin;
  if (policy.credentials) headers['access-control-allow-credentials'] = 'true';
}

/**
 * The CORS headers of an actual (non-preflight) response: the allowed origin (`*` for any),
 * credentials and exposed headers for an allowed origin; only `Vary: Origin` for another origin
 * or a request without one (the browser then keeps the answer from the calling page).
 *
 * @example
 * corsResponseHeaders(policy, 'https://app.example.com'); // { 'access-control-allow-origin': 'https://app.example.com', vary: 'Origin' }
 */
export function corsResponseHeaders(
  policy: CorsPolicy,
  origin: string | undefined,
): CorsHeaderValues {
  const headers: CorsHeaderValues = {};
  if (origin !== undefined && policy.allows(origin)) {
    allowOrigin(policy, origin, headers);
    if (policy.exposedHeaders !== undefined)
      headers['access-control-expose-headers'] = policy.exposedHeaders;
  } else if (origin === undefined && policy.isAnyOrigin) {
    headers['access-control-allow-origin'] = '*';
  }
  return vary(policy, headers);
}

/** The requested headers the policy allows (all of them without an `allowedHeaders` list). */
function allowedRequestHeaders(policy: CorsPolicy, requested: string | undefined): string[] {
  const names = (requested ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
  if (policy.allowedHeaders === undefined) return names;
  const allowed = policy.allowedHeaders;
  return names.filter((name) => allowed.has(name.toLowerCase()));
}

/**
 * The answer to a preflight, or `undefined` when the origin is not allowed (the request then gets
 * Flagon's usual OPTIONS answer, without CORS headers, and the browser stops). An allowed origin
 * gets 204 with the allowed origin, methods, request headers (those asked for that the policy
 * allows), credentials and max age.
 *
 * @example
 * const answer = corsPreflight(policy, { method: 'OPTIONS', origin, requestMethod: 'PUT', requestHeaders: 'content-type' });
 * if (answer) return new Response(null, { status: answer.status, headers: answer.headers });
 */
export function corsPreflight(
  policy: CorsPolicy,
  request: CorsRequest,
): { status: 204; headers: CorsHeaderValues } | undefined {
  const origin = request.origin;
  if (origin === undefined || !policy.allows(origin)) return undefined;
  const headers: CorsHeaderValues = {};
  allowOrigin(policy, origin, headers);
  headers['access-control-allow-methods'] = policy.methods;
  const allowed = allowedRequestHeaders(policy, request.requestHeaders);
  if (allowed.length > 0) headers['access-control-allow-headers'] = allowed.join(', ');
  if (policy.maxAge !== undefined) headers['access-control-max-age'] = policy.maxAge;
  vary(policy, headers);
  // Reflected request headers make the answer depend on them too.
  if (policy.allowedHeaders === undefined)
    headers['vary'] =
      headers['vary'] === undefined
        ? 'Access-Control-Request-Headers'
        : `${headers['vary']}, Access-Control-Request-Headers`;
  return { status: 204, headers };
}
