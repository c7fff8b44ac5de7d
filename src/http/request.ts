import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { FlagonApp } from '../app/flagon-app';
import { FlagonError } from '../errors/flagon-error';
import { parseJson } from './body/json';
import { readBody } from './body/read-body';
import type { UrlForOptions, UrlOrigin, UrlParams } from '../routing/url-for';
import { parseCookies } from './cookies';
import { parseQuery } from './query';
import type { Response } from './response';
import { createDictionary } from '../util/dictionary';

/** Work a request registers for its final response (see `Request.onBeforeSend`). */
export type BeforeSendStep = (
  response: Response,
  req: Request,
) => Response | void | Promise<Response | void>;

/** Settings a request reads from the app's config, resolved once at startup. */
export interface RequestSettings {
  /** Builds URLs for `urlFor` (set by the app). */
  readonly buildUrl: (
    endpoint: string,
    params: UrlParams | undefined,
    options: UrlForOptions | undefined,
    origin: UrlOrigin,
  ) => string;
  /** `false`: use the socket; `true`: trust every X-Forwarded-* hop; n: trust n proxies. */
  readonly trustProxy: boolean | number;
  readonly maxContentLength: number;
  /** The app handling the request (Flask's `current_app`), for features reached through `currentRequest()`. */
  readonly app?: FlagonApp;
}

export type QueryValue = string | string[];

const EMPTY_PARAMS: Readonly<Record<string, unknown>> = Object.freeze({});

/**
 * The incoming request: method, path, query, headers, cookies, route params, client address and
 * body access. Everything but the method and path is computed on first use.
 *
 * @example
 * @Get('/search') search(@Req() req: Request) { return { q: req.query['q'], ip: req.ip }; }
 */
export class Request {
  readonly method: string;
  /** The request target as received: path plus query string. */
  readonly url: string;
  /** The path, without the query string, not percent-decoded. */
  readonly path: string;
  /** Route params after conversion (`<int:id>` gives a number). */
  params: Readonly<Record<string, unknown>> = EMPTY_PARAMS;
  /** The matched endpoint (`blog.PostController.show`), once routed. */
  endpoint: string | undefined;

  /** When the kernel received the request (performance.now()), for the request log. */
  readonly startedAt = performance.now();

  private queryCache: Readonly<Record<string, QueryValue>> | undefined;
  private cookieCache: Readonly<Record<string, string>> | undefined;
  private bodyCache: Promise<Buffer> | undefined;
  private jsonCache: Promise<unknown> | undefined;
  private gStore: Record<string, unknown> | undefined;
  /**
   * @internal The body parser's state for this request (a field rather than a WeakMap entry: weak
   * maps cost the garbage collector on every request that has a body).
   */
  bodyState: unknown;
  /** @internal The values of RequestSlots (one array per request that writes any). */
  slots: unknown[] | undefined;
  /** @internal Steps registered with onBeforeSend; `undefined` (the common case) costs the pipeline one check. */
  beforeSendSteps: BeforeSendStep[] | undefined;

  constructor(
    readonly raw: IncomingMessage,
    readonly id: string,
    private readonly settings: RequestSettings,
  ) {
    this.method = raw.method ?? 'GET';
    this.url = raw.url ?? '/';
    const queryStart = this.url.indexOf('?');
    this.path = queryStart === -1 ? this.url : this.url.slice(0, queryStart);
  }

  /** The app handling this request (Flask's `current_app`). */
  get app(): FlagonApp | undefined {
    return this.settings.app;
  }

  get headers(): IncomingHttpHeaders {
    return this.raw.headers;
  }

  /** One header, first value if repeated. */
  header(name: string): string | undefined {
    const value = this.raw.headers[name.toLowerCase()];
    return Array.isArray(value) ? value[0] : value;
  }

  /** The raw query string, without `?`. */
  get queryString(): string {
    const queryStart = this.url.indexOf('?');
    return queryStart === -1 ? '' : this.url.slice(queryStart + 1);
  }

  /** Query parameters; a repeated key gives an array (`?tag=a&tag=b`). */
  get query(): Readonly<Record<string, QueryValue>> {
    this.queryCache ??= parseQuery(this.queryString);
    return this.queryCache;
  }

  /** Every value of a query parameter, in order. */
  queryAll(name: string): readonly string[] {
    const value = this.query[name];
    return value === undefined ? [] : typeof value === 'string' ? [value] : value;
  }

  get cookies(): Readonly<Record<string, string>> {
    this.cookieCache ??= parseCookies(this.header('cookie'));
    return this.cookieCache;
  }

  /** Per-request storage (Flask's `g`); also reachable as `g()` anywhere during the request. */
  get g(): Record<string, unknown> {
    this.gStore ??= createDictionary<unknown>();
    return this.gStore;
  }

  /** The client address; X-Forwarded-For counts only when TRUST_PROXY says so. */
  get ip(): string {
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- typed non-null, but null once the socket is detached
    const direct = this.raw.socket?.remoteAddress ?? '';
    const forwarded = this.trustedForwarded('x-forwarded-for');
    return forwarded ?? direct;
  }

  /** `https` or `http`; X-Forwarded-Proto counts only when TRUST_PROXY says so. */
  get protocol(): 'http' | 'https' {
    const forwarded = this.trustedForwarded('x-forwarded-proto');
    if (forwarded !== undefined) return forwarded.toLowerCase() === 'https' ? 'https' : 'http';
    return (this.raw.socket as TLSSocket | undefined)?.encrypted ? 'https' : 'http';
  }

  get isSecure(): boolean {
    return this.protocol === 'https';
  }

  /** The Host the client asked for (X-Forwarded-Host when trusted). */
  get host(): string {
    return this.trustedForwarded('x-forwarded-host') ?? this.header('host') ?? 'localhost';
  }

  /** The raw body, read once (MAX_CONTENT_LENGTH applies: 413 above it). */
  buffer(): Promise<Buffer> {
    this.bodyCache ??= readBody(this.raw, this.settings.maxContentLength);
    return this.bodyCache;
  }

  /** The body as UTF-8 text; invalid UTF-8 is a 400. */
  async text(): Promise<string> {
    const bytes = await this.buffer();
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch (error) {
      throw new FlagonError('FLAGON_HTTP_BAD_REQUEST', 'Request body is not valid UTF-8', {
        cause: error,
      });
    }
  }

  /** The body parsed as JSON (400 when malformed, 413 when too large). */
  json(): Promise<unknown> {
    this.jsonCache ??= this.text().then((text) => parseJson(text));
    return this.jsonCache;
  }

  /**
   * Registers work on this request's final response, after the after-request hooks and just before
   * it is written: how a session that was touched gets saved, so requests that never touch it pay
   * nothing. A step may return a replacement Response.
   *
   * @example
   * req.onBeforeSend((response) => response.setHeader('x-seen', '1'));
   */
  onBeforeSend(step: BeforeSendStep): void {
    if (this.beforeSendSteps === undefined) this.beforeSendSteps = [step];
    else if (!this.beforeSendSteps.includes(step)) this.beforeSendSteps.push(step);
  }

  /** Builds a URL for an endpoint; external URLs use this request's scheme and host. */
  urlFor(endpoint: string, params?: UrlParams, options?: UrlForOptions): string {
    return this.settings.buildUrl(endpoint, params, options, {
      scheme: this.protocol,
      host: this.host,
    });
  }

  /** The client-most value of an X-Forwarded-* header within the trusted hops. */
  private trustedForwarded(name: string): string | undefined {
    const trust = this.settings.trustProxy;
    if (trust === false || trust === 0) return undefined;
    const header = this.header(name);
    if (!header) return undefined;
    const hops = header
      .split(',')
      .map((part) => part.trim())
      .filter(Boolean);
    if (hops.length === 0) return undefined;
    if (trust === true) return hops[0];
    return hops[Math.max(0, hops.length - trust)];
  }
}
