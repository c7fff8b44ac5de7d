import { parse, serialize, type SerializeOptions } from 'cookie';
import { FlagonError } from '../errors/flagon-error';
import { createDictionary } from '../util/dictionary';

/** Every attribute a Set-Cookie header can carry. */
export interface CookieOptions {
  readonly maxAge?: number;
  readonly expires?: Date;
  readonly domain?: string;
  readonly path?: string;
  readonly secure?: boolean;
  readonly httpOnly?: boolean;
  readonly sameSite?: 'lax' | 'strict' | 'none';
  readonly partitioned?: boolean;
  readonly priority?: 'low' | 'medium' | 'high';
}

// Names and values `cookie` would write unchanged (encodeURIComponent leaves these characters alone).
const SIMPLE_NAME = /^[\w-]+$/;
const SIMPLE_VALUE = /^[\w.~-]*$/;
const attributesByOptions = new WeakMap<CookieOptions, string>();

/**
 * Serialises a Set-Cookie header value. Defaults to `Path=/` (as Flask does); `cookie` validates
 * names, values and attributes, and its errors become a FlagonError naming the cookie.
 */
export function serializeCookie(name: string, value: string, options: CookieOptions = {}): string {
  // The hot case (a session cookie, same options object every time): attributes serialised once.
  if (options.expires === undefined && SIMPLE_NAME.test(name) && SIMPLE_VALUE.test(value)) {
    let attributes = attributesByOptions.get(options);
    if (attributes === undefined) {
      attributes = serializeChecked('x', '', options).slice('x='.length);
      attributesByOptions.set(options, attributes);
    }
    return `${name}=${value}${attributes}`;
  }
  return serializeChecked(name, value, options);
}

function serializeChecked(name: string, value: string, options: CookieOptions): string {
  try {
    return serialize(name, value, { path: '/', ...options } satisfies SerializeOptions);
  } catch (error) {
    throw new FlagonError(
      'FLAGON_RESPONSE_INVALID_HEADER',
      `Cookie "${name}" cannot be set: ${(error as Error).message}`,
      { cause: error },
    );
  }
}

/** Parses a Cookie request header; malformed pairs are skipped, never thrown. */
export function parseCookies(header: string | undefined): Readonly<Record<string, string>> {
  const cookies = createDictionary<string>();
  if (!header) return cookies;
  for (const [name, value] of Object.entries(parse(header))) {
    if (value !== undefined) cookies[name] = value;
  }
  return cookies;
}
