import type { Request } from '../http/request';
import type { FlatHeaders } from '../http/result';
import type { RouteHeaders, RouteSetup } from '../modules/extension';

// Header lists are never written to, but not frozen either: V8 copies a frozen array (`slice`)
// through its slow generic path, and every plain response copies its route's list.
export const NO_HEADERS: FlatHeaders = [];

// Most routes merge the same few lists (app defaults, security headers): merge each pair once.
const merges = new WeakMap<FlatHeaders, WeakMap<FlatHeaders, FlatHeaders>>();

/** `base` plus the pairs of `extra` whose names `base` does not have yet (a shared, read-only list). */
export function mergeHeaders(base: FlatHeaders, extra: FlatHeaders): FlatHeaders {
  if (extra.length === 0) return base;
  if (base.length === 0) return extra;
  let byExtra = merges.get(base);
  if (byExtra === undefined) merges.set(base, (byExtra = new WeakMap()));
  let merged = byExtra.get(extra);
  if (merged === undefined) byExtra.set(extra, (merged = mergeLists(base, extra)));
  return merged;
}

function mergeLists(base: FlatHeaders, extra: FlatHeaders): FlatHeaders {
  const merged = [...base];
  for (let index = 0; index < extra.length; index += 2) {
    const name = extra[index] as string;
    let isPresent = false;
    for (let other = 0; other < merged.length; other += 2)
      if (merged[other] === name) isPresent = true;
    if (!isPresent) merged.push(name, extra[index + 1] as string);
  }
  return merged;
}

// An extension usually returns the same list or object for every route: flatten each once.
const flattened = new WeakMap<object, FlatHeaders>();

/** A setup's headers as a flat, lower-cased list. */
export function flattenHeaders(headers: RouteHeaders | undefined): FlatHeaders {
  if (headers === undefined) return NO_HEADERS;
  let flat = flattened.get(headers);
  if (flat === undefined) {
    const pairs: readonly string[] = Array.isArray(headers)
      ? (headers as readonly string[])
      : Object.entries(headers).flat();
    flat = pairs.map((part, index) => (index % 2 === 0 ? part.toLowerCase() : part));
    flattened.set(headers, flat);
  }
  return flat;
}

/** The headers a route's responses carry: plain and HTTPS-only, for results and for errors. */
export interface ResponseHeaders {
  readonly hasSecure: boolean;
  readonly plain: FlatHeaders;
  readonly secure: FlatHeaders;
  readonly errorPlain: FlatHeaders;
  readonly errorSecure: FlatHeaders;
}

/**
 * Joins, once per route, the route's own headers (`@Header`) with what extensions add (security
 * headers): the route's own win, then the later extension's. Error responses get the extensions'
 * headers and the app defaults.
 */
export function buildResponseHeaders(
  routeHeaders: FlatHeaders,
  defaultHeaders: FlatHeaders,
  setups: readonly (RouteSetup | undefined)[],
): ResponseHeaders {
  let always = NO_HEADERS;
  let secure = NO_HEADERS;
  // A later extension's header wins over an earlier one's (the app's over the built-in defaults).
  for (const setup of [...setups].reverse()) {
    always = mergeHeaders(always, flattenHeaders(setup?.headers));
    secure = mergeHeaders(secure, flattenHeaders(setup?.secureHeaders));
  }
  const plain = mergeHeaders(routeHeaders, always);
  const errorPlain = mergeHeaders(always, defaultHeaders);
  return {
    hasSecure: secure.length > 0,
    plain,
    secure: mergeHeaders(plain, secure),
    errorPlain,
    errorSecure: mergeHeaders(errorPlain, secure),
  };
}

/** The headers for a successful response to `req`. */
export function headersFor(headers: ResponseHeaders, req: Request): FlatHeaders {
  return headers.hasSecure && req.isSecure ? headers.secure : headers.plain;
}

/** The headers for an error response to `req`. */
export function errorHeadersFor(headers: ResponseHeaders, req: Request): FlatHeaders {
  return headers.hasSecure && req.isSecure ? headers.errorSecure : headers.errorPlain;
}
