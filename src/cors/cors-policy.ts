import { FlagonError } from '../errors/flagon-error';
import type { HttpMethod } from '../routing/decorators';

/** Which origins may call: `'*'` (any), a list of origins or patterns, a pattern, or a test. */
export type CorsOrigins =
  '*' | readonly (string | RegExp)[] | RegExp | ((origin: string) => boolean);

/**
 * CORS settings (Flask-CORS's and @fastify/cors's options, by Flagon's names).
 *
 * @example
 * const options: CorsOptions = { origins: ['https://app.example.com'], credentials: true, maxAge: 600 };
 */
export interface CorsOptions {
  /** Origins (`https://app.example.com`, scheme and host, no path) allowed to call. */
  readonly origins: CorsOrigins;
  /** Let browsers send cookies and read the answer (`Access-Control-Allow-Credentials`); never with `'*'`. */
  readonly credentials?: boolean;
  /** Methods a preflight allows; default GET, HEAD, POST, PUT, PATCH, DELETE. */
  readonly methods?: readonly HttpMethod[];
  /** Request headers a preflight allows; default: the ones the browser asks for. */
  readonly allowedHeaders?: readonly string[];
  /** Response headers scripts may read besides the CORS-safelisted ones. */
  readonly exposedHeaders?: readonly string[];
  /** Seconds a browser may cache a preflight answer (`Access-Control-Max-Age`). */
  readonly maxAge?: number;
}

/** CORS settings checked and prepared once, at startup. */
export interface CorsPolicy {
  /** True for `'*'`: the answer is the same for every origin. */
  readonly isAnyOrigin: boolean;
  readonly allows: (origin: string) => boolean;
  readonly credentials: boolean;
  readonly methods: string;
  /** Allowed request headers, lower-cased; `undefined`: whatever the browser asks for. */
  readonly allowedHeaders: ReadonlySet<string> | undefined;
  readonly exposedHeaders: string | undefined;
  readonly maxAge: string | undefined;
}

const DEFAULT_METHODS: readonly HttpMethod[] = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'];
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

function invalid(message: string): FlagonError {
  return new FlagonError('FLAGON_CONFIG_INVALID', `CORS: ${message}`);
}

/** Origins compare as browsers send them: scheme and host lower-case, no trailing slash. */
function normalise(origin: string): string {
  return origin.toLowerCase();
}

function checkOrigin(origin: string): void {
  if (origin === '*') return;
  let parsed: URL | undefined;
  if (URL.canParse(origin)) parsed = new URL(origin);
  if (parsed?.origin !== origin.toLowerCase().replace(/\/$/, '') || origin.endsWith('/'))
    throw invalid(
      `"${origin}" is not an origin; write scheme://host[:port] with no path or trailing slash, e.g. "https://app.example.com"`,
    );
}

function matcher(origins: CorsOrigins): { isAny: boolean; allows: (origin: string) => boolean } {
  if (typeof origins === 'function') return { isAny: false, allows: origins };
  if (origins instanceof RegExp) return { isAny: false, allows: (origin) => origins.test(origin) };
  const list = origins === '*' ? ['*'] : origins;
  if (!Array.isArray(list) || list.length === 0)
    throw invalid('origins must be "*", a non-empty list, a RegExp or a function');
  if (list.includes('*')) {
    if (list.length > 1) throw invalid('"*" allows every origin; list it alone');
    return { isAny: true, allows: () => true };
  }
  const exact = new Set<string>();
  const patterns: RegExp[] = [];
  for (const entry of list as readonly (string | RegExp)[]) {
    if (entry instanceof RegExp) patterns.push(entry);
    else {
      checkOrigin(entry);
      exact.add(normalise(entry));
    }
  }
  return {
    isAny: false,
    allows: (origin) =>
      exact.has(normalise(origin)) || patterns.some((pattern) => pattern.test(origin)),
  };
}

function headerList(name: string, headers: readonly string[] | undefined): string[] | undefined {
  if (headers === undefined) return undefined;
  for (const header of headers)
    if (!TOKEN.test(header)) throw invalid(`${name} has "${header}", which is not a header name`);
  return [...headers];
}

/**
 * Checks CORS options and prepares them (at startup: a mistake stops `createApp`). `'*'` with
 * credentials is refused: browsers ignore such an answer, and reflecting every origin instead
 * would let any site act with the user's cookies.
 *
 * @example
 * const policy = compileCorsPolicy({ origins: [/^https:\/\/[a-z]+\.example\.com$/], maxAge: 600 });
 */
export function compileCorsPolicy(options: CorsOptions): CorsPolicy {
  const { isAny, allows } = matcher(options.origins);
  const credentials = options.credentials ?? false;
  if (isAny && credentials)
    throw invalid(
      'origins "*" cannot be combined with credentials: true (browsers refuse it, and allowing every origin with cookies would let any site act as the user); list the origins that may send credentials',
    );
  const maxAge = options.maxAge;
  if (maxAge !== undefined && (!Number.isSafeInteger(maxAge) || maxAge < 0))
    throw invalid(`maxAge must be a whole number of seconds; got ${String(maxAge)}`);
  const allowed = headerList('allowedHeaders', options.allowedHeaders);
  const exposed = headerList('exposedHeaders', options.exposedHeaders);
  return {
    isAnyOrigin: isAny,
    allows,
    credentials,
    methods: (options.methods ?? DEFAULT_METHODS).join(', '),
    allowedHeaders: allowed && new Set(allowed.map((header) => header.toLowerCase())),
    exposedHeaders: exposed && exposed.length > 0 ? exposed.join(', ') : undefined,
    maxAge: maxAge === undefined ? undefined : String(maxAge),
  };
}
