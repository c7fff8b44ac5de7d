import type { IncomingHttpHeaders, RequestListener } from 'node:http';
import type { inject as Inject } from 'light-my-request';
import type { CookieJar } from 'tough-cookie';
import type * as ToughCookie from 'tough-cookie';
import type { InjectionToken } from '../di/tokens';
import { propagatedError } from '../http/propagated-error';
import { TEST_CSRF, type TestCsrf } from './test-csrf';
import { lazyRequire } from '../util/lazy-require';

// Test-only packages, loaded by the first test client rather than by every app's startup.
const loadInjector = lazyRequire<{ inject: typeof Inject }>('light-my-request', 'The test client');
const loadToughCookie = lazyRequire<typeof ToughCookie>('tough-cookie', 'The test client');

/** The app surface the test client needs (FlagonApp satisfies it). */
export interface TestableApp {
  readonly handler: RequestListener;
  init(): Promise<void>;
  /** How the client finds the app's CSRF protection, to send tokens by itself. */
  resolve?<TValue>(token: InjectionToken<TValue>): TValue;
}

export interface TestRequestOptions {
  /** Sent as JSON with `content-type: application/json`. */
  readonly json?: unknown;
  /** Sent URL-encoded, as a browser form post. */
  readonly form?: Readonly<Record<string, string | readonly string[]>>;
  /** A raw body (set the content type yourself). */
  readonly body?: string | Buffer;
  readonly headers?: Readonly<Record<string, string>>;
  readonly query?: Readonly<Record<string, string | number | readonly (string | number)[]>>;
  /**
   * Unsafe requests carry a valid CSRF token for the client's cookies by default (as a page the
   * user loaded would); `false` sends none, to test refusals.
   */
  readonly csrf?: boolean;
}

/** A response as the test client received it. */
export interface TestResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly text: string;
  readonly body: Buffer;
  json<TBody = unknown>(): TBody;
}

const ORIGIN = 'http://localhost';
const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function withQuery(path: string, query: TestRequestOptions['query']): string {
  if (!query) return path;
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    for (const item of Array.isArray(value) ? value : [value]) search.append(name, String(item));
  }
  return `${path}${path.includes('?') ? '&' : '?'}${search.toString()}`;
}

/**
 * Sends requests to the app in-process (no socket), keeping cookies across requests like a
 * browser. Flask's `app.test_client()`.
 *
 * @example
 * const client = app.testClient();
 * const res = await client.post('/api/posts', { json: { title: 'Hi', body: '' } });
 * expect(res.status).toBe(201);
 */
export class TestClient {
  /** The cookies the client holds; inspect or preset them. */
  readonly cookies: CookieJar = new (loadToughCookie().CookieJar)();

  /**
   * The CSRF token of the last HTML page that carried one (`<meta name="csrf-token">` or a
   * `csrf_token` hidden input), to send back as `form.csrf_token` or the `X-CSRF-Token` header.
   */
  csrfToken: string | undefined;

  constructor(private readonly app: TestableApp) {}

  get(path: string, options?: TestRequestOptions): Promise<TestResponse> {
    return this.request('GET', path, options);
  }

  post(path: string, options?: TestRequestOptions): Promise<TestResponse> {
    return this.request('POST', path, options);
  }

  put(path: string, options?: TestRequestOptions): Promise<TestResponse> {
    return this.request('PUT', path, options);
  }

  patch(path: string, options?: TestRequestOptions): Promise<TestResponse> {
    return this.request('PATCH', path, options);
  }

  delete(path: string, options?: TestRequestOptions): Promise<TestResponse> {
    return this.request('DELETE', path, options);
  }

  head(path: string, options?: TestRequestOptions): Promise<TestResponse> {
    return this.request('HEAD', path, options);
  }

  options(path: string, options?: TestRequestOptions): Promise<TestResponse> {
    return this.request('OPTIONS', path, options);
  }

  async request(
    method: string,
    path: string,
    options: TestRequestOptions = {},
  ): Promise<TestResponse> {
    await this.app.init();
    const url = `${ORIGIN}${withQuery(path, options.query)}`;
    const headers: Record<string, string> = { ...options.headers };
    let payload: string | Buffer | undefined = options.body;
    if (options.json !== undefined) {
      payload = JSON.stringify(options.json);
      headers['content-type'] ??= 'application/json';
    } else if (options.form !== undefined) {
      const form = new URLSearchParams();
      for (const [name, value] of Object.entries(options.form)) {
        for (const item of typeof value === 'string' ? [value] : value) form.append(name, item);
      }
      payload = form.toString();
      headers['content-type'] ??= 'application/x-www-form-urlencoded';
    }
    if (options.csrf !== false && UNSAFE_METHODS.has(method.toUpperCase()))
      await this.addCsrfToken(url, headers, options);
    const cookie = await this.cookies.getCookieString(url);
    if (cookie && headers['cookie'] === undefined) headers['cookie'] = cookie;
    const response = await loadInjector().inject(this.app.handler, {
      method: method as 'GET',
      url,
      headers,
      ...(payload === undefined ? {} : { payload }),
    });
    // Testing mode: the handler's own error, not the 500 page it became (PROPAGATE_EXCEPTIONS).
    const propagated = propagatedError(response.raw.req);
    if (propagated !== undefined) throw propagated.error;
    const setCookie = response.headers['set-cookie'];
    for (const line of setCookie === undefined
      ? []
      : Array.isArray(setCookie)
        ? setCookie
        : [setCookie]) {
      await this.cookies.setCookie(line, url, { ignoreError: true });
    }
    const text = response.payload;
    const token =
      /<meta name="csrf-token" content="([^"]+)"|name="csrf_token" value="([^"]+)"/.exec(text);
    if (token) this.csrfToken = token[1] ?? token[2];
    return {
      status: response.statusCode,
      headers: response.headers as IncomingHttpHeaders,
      text,
      body: response.rawPayload,
      json: <TBody>() => JSON.parse(text) as TBody,
    };
  }

  /**
   * Adds the CSRF header for the cookies the request will carry, unless the test sends a token or
   * its own Cookie header; a client without the secret cookie gets one first, as a browser that
   * loaded a form would hold.
   */
  private async addCsrfToken(
    url: string,
    headers: Record<string, string>,
    options: TestRequestOptions,
  ): Promise<void> {
    const csrf = this.csrfProtection();
    if (csrf === undefined || !csrf.isEnabled || headers['cookie'] !== undefined) return;
    const headerNames = Object.keys(headers).map((name) => name.toLowerCase());
    if (headerNames.includes(csrf.headerName) || options.form?.[csrf.fieldName] !== undefined)
      return;
    const held: Record<string, string> = {};
    for (const cookie of await this.cookies.getCookies(url)) held[cookie.key] = cookie.value;
    const { token, cookie } = csrf.tokenForCookies(held);
    if (cookie !== undefined)
      await this.cookies.setCookie(`${cookie.name}=${cookie.value}; Path=/`, url);
    headers[csrf.headerName] = token;
  }

  private csrfProtection(): TestCsrf | undefined {
    try {
      return this.app.resolve?.<TestCsrf>(TEST_CSRF);
    } catch {
      return undefined;
    }
  }
}
