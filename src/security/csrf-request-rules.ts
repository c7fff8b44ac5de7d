import type { Request } from '../http/request';

/**
 * The body types a cross-site page can send without a CORS preflight (an HTML form, or a "simple"
 * fetch): only these can carry a forged request, so only these need a token when no cookie is sent.
 */
const SIMPLE_BODY_TYPES = new Set([
  'application/x-www-form-urlencoded',
  'multipart/form-data',
  'text/plain',
]);

/** The media type of the request body without parameters, lower-cased; `''` when not given. */
function mediaType(req: Request): string {
  const header = req.header('content-type') ?? '';
  const semicolon = header.indexOf(';');
  return (semicolon === -1 ? header : header.slice(0, semicolon)).trim().toLowerCase();
}

function hasBody(req: Request): boolean {
  const length = req.header('content-length');
  return req.header('transfer-encoding') !== undefined || (length !== undefined && length !== '0');
}

/**
 * A request that carries no ambient credential (no `Cookie` header) and a body a cross-site page
 * cannot send without a preflight (JSON, say): a bearer-token API client, not a forged browser
 * request, so it needs no CSRF token. A missing Content-Type does not count: a fetch of a Blob
 * sends none, preflight-free.
 */
export function isCookielessApiRequest(req: Request): boolean {
  if (req.header('cookie') !== undefined || !hasBody(req)) return false;
  const type = mediaType(req);
  return type !== '' && !SIMPLE_BODY_TYPES.has(type);
}

/**
 * What Fetch Metadata says about where an unsafe request came from (Go's CrossOriginProtection):
 * `cross-site` and `same-site` (a sibling subdomain) are refused unless the Origin is trusted;
 * `same-origin`, `none` (typed or bookmarked) and older browsers that send nothing pass on to the
 * other checks.
 */
export function isRefusedByFetchSite(
  req: Request,
  isTrustedOrigin: (origin: string) => boolean,
): boolean {
  const site = req.header('sec-fetch-site')?.toLowerCase();
  if (site !== 'cross-site' && site !== 'same-site') return false;
  const origin = req.header('origin');
  return origin === undefined || !isTrustedOrigin(origin.toLowerCase());
}
