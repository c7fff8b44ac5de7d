import type { Readable } from 'node:stream';
import { FlagonError } from '../errors/flagon-error';
import { serializeCookie, type CookieOptions } from './cookies';
import { createDictionary } from '../util/dictionary';

export type ResponseBody =
  string | Buffer | Uint8Array | Readable | AsyncIterable<string | Uint8Array> | null;

export interface ResponseInit {
  readonly status?: number;
  readonly headers?: Readonly<Record<string, string | readonly string[]>>;
}

export type HeaderValue = string | string[];

const HEADER_VALUE_FORBIDDEN = /[\r\n\0]/;

/**
 * A response with full control over status, headers, cookies and body (text, bytes or a stream).
 * Handlers may also return plain values: objects become JSON, strings HTML, `undefined` a 204.
 *
 * @example
 * return new Response('created', { status: 201 }).setHeader('x-id', '7').setCookie('seen', '1');
 */
export class Response {
  status: number;
  body: ResponseBody;
  readonly headers: Record<string, HeaderValue> = createDictionary<HeaderValue>();

  constructor(body: ResponseBody = null, init: ResponseInit = {}) {
    this.body = body;
    this.status = init.status ?? 200;
    for (const [name, value] of Object.entries(init.headers ?? {})) {
      this.setHeader(name, typeof value === 'string' ? value : [...value]);
    }
  }

  /** A JSON response; `data` is serialised now. */
  static json(data: unknown, init: ResponseInit = {}): Response {
    const response = new Response(JSON.stringify(data), init);
    response.headers['content-type'] ??= 'application/json; charset=utf-8';
    return response;
  }

  /** An HTML response. */
  static html(html: string, init: ResponseInit = {}): Response {
    const response = new Response(html, init);
    response.headers['content-type'] ??= 'text/html; charset=utf-8';
    return response;
  }

  /** A plain-text response. */
  static text(text: string, init: ResponseInit = {}): Response {
    const response = new Response(text, init);
    response.headers['content-type'] ??= 'text/plain; charset=utf-8';
    return response;
  }

  /** Sets a header, replacing any previous value; CR, LF and NUL are refused (header injection). */
  setHeader(name: string, value: string | number | readonly string[]): this {
    const values = typeof value === 'object' ? [...value] : [String(value)];
    for (const item of values) {
      if (HEADER_VALUE_FORBIDDEN.test(item)) {
        throw new FlagonError(
          'FLAGON_RESPONSE_INVALID_HEADER',
          `Header "${name}" contains CR, LF or NUL`,
        );
      }
    }
    this.headers[name.toLowerCase()] = typeof value === 'object' ? values : (values[0] ?? '');
    return this;
  }

  /** Adds a value to a header that may repeat (Set-Cookie, Vary, Link). */
  appendHeader(name: string, value: string): this {
    const key = name.toLowerCase();
    const current = this.headers[key];
    if (current === undefined) return this.setHeader(key, value);
    return this.setHeader(key, [...(typeof current === 'string' ? [current] : current), value]);
  }

  getHeader(name: string): HeaderValue | undefined {
    return this.headers[name.toLowerCase()];
  }

  setCookie(name: string, value: string, options?: CookieOptions): this {
    return this.appendHeader('set-cookie', serializeCookie(name, value, options));
  }

  /** Expires a cookie on the client; pass the same path and domain it was set with. */
  deleteCookie(
    name: string,
    options: Pick<CookieOptions, 'path' | 'domain' | 'secure' | 'sameSite' | 'httpOnly'> = {},
  ): this {
    return this.appendHeader(
      'set-cookie',
      serializeCookie(name, '', { ...options, maxAge: 0, expires: new Date(0) }),
    );
  }
}
