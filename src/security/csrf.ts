import { randomBytes, timingSafeEqual } from 'node:crypto';
import { currentRequest } from '../context/request-context';
import type { Config } from '../config/config';
import { FlagonError } from '../errors/flagon-error';
import { HttpError } from '../errors/http-errors';
import type { Request } from '../http/request';
import { RequestSlot } from '../http/request-slot';
import type { RouteInfo } from '../modules/route-info';
import { RouteMetadata, type ClassOrMethodDecorator } from '../modules/route-metadata';
import type { SessionManager } from '../sessions/session-manager';
import type { SecretKeys } from '../signing/secrets';
import { Signer } from '../signing/signer';

const CSRF_EXEMPT = Symbol('flagon:csrf-exempt');

/** Whether an origin other than the app's own may send unsafe requests to a route. */
export type OriginTrust = (origin: string, route: RouteInfo) => boolean;
const SESSION_KEY = '_csrf';
const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** The token issued to a request (one per request, whatever asks for it). */
const TOKEN = new RequestSlot<string>('csrf-token');

/**
 * Turns off CSRF checks for a route or a whole controller: for webhooks and APIs authenticated
 * by a token in a header rather than by a cookie.
 *
 * @example
 * @CsrfExempt() @Post('/hooks/stripe') stripe(@Body() event: unknown) {}
 */
export function CsrfExempt(): ClassOrMethodDecorator {
  return RouteMetadata(CSRF_EXEMPT, true);
}

function csrfError(
  code:
    | 'FLAGON_CSRF_TOKEN_MISSING'
    | 'FLAGON_CSRF_TOKEN_INVALID'
    | 'FLAGON_CSRF_TOKEN_EXPIRED'
    | 'FLAGON_CSRF_ORIGIN_MISMATCH',
  message: string,
): HttpError {
  return new HttpError(code, message);
}

/**
 * CSRF protection (Flask-WTF's CSRFProtect, on by default): a random secret per session, and
 * tokens that are that secret signed with a timestamp, so they expire (CSRF_TIME_LIMIT) and only
 * work with the session they were issued for. Unsafe methods also get an Origin/Referer check.
 */
export class CsrfProtection {
  readonly isEnabled: boolean;
  readonly fieldName: string;
  readonly headerName: string;
  private readonly signer: Signer;
  private readonly timeLimit: number;
  private readonly trustedOrigins: readonly string[];
  private readonly originTrusts: OriginTrust[] = [];

  constructor(
    keys: SecretKeys,
    config: Config,
    private readonly sessions: SessionManager,
  ) {
    this.isEnabled = config.get<boolean>('CSRF_ENABLED') ?? true;
    this.fieldName = config.get<string>('CSRF_FIELD_NAME') ?? 'csrf_token';
    this.headerName = (config.get<string>('CSRF_HEADER_NAME') ?? 'X-CSRF-Token').toLowerCase();
    this.timeLimit = config.get<number>('CSRF_TIME_LIMIT') ?? 3600;
    this.trustedOrigins = (config.get<string[]>('CSRF_TRUSTED_ORIGINS') ?? []).map((origin) =>
      origin.toLowerCase(),
    );
    this.signer = new Signer(keys, 'csrf');
    if (typeof this.isEnabled !== 'boolean')
      throw new FlagonError('FLAGON_CONFIG_INVALID', 'CSRF_ENABLED must be true or false');
    if (!Number.isSafeInteger(this.timeLimit) || this.timeLimit <= 0)
      throw new FlagonError(
        'FLAGON_CONFIG_INVALID',
        `CSRF_TIME_LIMIT must be a positive number of seconds; got ${JSON.stringify(this.timeLimit)}`,
      );
  }

  /**
   * Trusts more origins in the Origin check, route by route: how CorsModule lets the origins it
   * allows send unsafe requests (their token is still checked). Call it at startup.
   */
  trustOrigins(trust: OriginTrust): void {
    this.originTrusts.push(trust);
  }

  /** True when the route checks CSRF tokens: CSRF is on, the method unsafe, the route not exempt. */
  protects(route: RouteInfo): boolean {
    return (
      this.isEnabled &&
      UNSAFE_METHODS.has(route.method) &&
      route.allMetadata(CSRF_EXEMPT).length === 0
    );
  }

  /** The check for a route, or `undefined` when it is exempt or CSRF is off. */
  prepare(route: RouteInfo): ((req: Request) => Promise<undefined>) | undefined {
    return this.protects(route) ? (req) => this.verify(req, route) : undefined;
  }

  /** A token for the request's session (creating the session secret on first use). */
  tokenFor(req: Request): string {
    const existing = TOKEN.get(req);
    if (existing) return existing;
    const session = this.sessions.peek(req) ?? this.sessions.load(req);
    if (session instanceof Promise)
      throw new HttpError(
        'FLAGON_SESSION_NOT_LOADED',
        'csrfToken() needs the session loaded; with a server-side store use `await loadSession()` first',
      );
    let secret = session.get<string>(SESSION_KEY);
    if (typeof secret !== 'string') {
      secret = randomBytes(24).toString('base64url');
      session.set(SESSION_KEY, secret);
    }
    const token = this.signer.sign(secret);
    TOKEN.set(req, token);
    return token;
  }

  /** Drops the request's memoised token (after login/logout changed the session secret). */
  forget(req: Request): void {
    TOKEN.delete(req);
  }

  private async verify(req: Request, route: RouteInfo): Promise<undefined> {
    this.checkOrigin(req, route);
    const token = req.header(this.headerName) ?? (await this.readFormField(req, route));
    if (token === undefined || token === '')
      throw csrfError(
        'FLAGON_CSRF_TOKEN_MISSING',
        `The CSRF token is missing: send it in the "${this.fieldName}" form field or the ${this.headerName} header`,
      );
    const result = this.signer.unsign(token, this.timeLimit);
    if (!result.ok) {
      if (result.reason === 'expired')
        throw csrfError(
          'FLAGON_CSRF_TOKEN_EXPIRED',
          'The CSRF token has expired; reload the page and try again',
        );
      throw csrfError('FLAGON_CSRF_TOKEN_INVALID', 'The CSRF token is invalid');
    }
    const session = await this.sessions.load(req);
    const secret = session.get<string>(SESSION_KEY);
    if (typeof secret !== 'string' || !sameText(secret, result.value)) {
      throw csrfError(
        'FLAGON_CSRF_TOKEN_INVALID',
        'The CSRF token does not belong to this session (it may have ended); reload the page and try again',
      );
    }
    return undefined;
  }

  /** Browsers send Origin (or at least Referer) on unsafe requests; another site's is refused. */
  private checkOrigin(req: Request, route: RouteInfo): void {
    const origin = req.header('origin');
    const referer = origin === undefined ? req.header('referer') : undefined;
    const source = origin ?? referer;
    if (source === undefined) return;
    let url: URL;
    try {
      url = new URL(source);
    } catch {
      throw csrfError(
        'FLAGON_CSRF_ORIGIN_MISMATCH',
        `The request's ${origin === undefined ? 'Referer' : 'Origin'} (${source}) is not this site`,
      );
    }
    if (
      url.origin.toLowerCase() === ownOrigin(req) ||
      this.trustedOrigins.includes(url.origin.toLowerCase()) ||
      this.originTrusts.some((trust) => trust(url.origin, route))
    )
      return;
    throw csrfError(
      'FLAGON_CSRF_ORIGIN_MISMATCH',
      `The request's ${origin === undefined ? 'Referer' : 'Origin'} (${url.origin}) is not this site (${req.protocol}://${req.host}); add it to CSRF_TRUSTED_ORIGINS if it should be allowed`,
    );
  }

  /**
   * The token from a URL-encoded body, or from the multipart form of a route that reads its body
   * (parsed once, with the route's limits, and shared with the handler).
   */
  private async readFormField(req: Request, route: RouteInfo): Promise<string | undefined> {
    const value = (await route.form(req))[this.fieldName];
    const first: unknown = Array.isArray(value) ? value[0] : value;
    return typeof first === 'string' ? first : undefined;
  }
}

/** `scheme://host[:port]` of the app as this request reached it, default ports left out (as in Origin). */
function ownOrigin(req: Request): string {
  const host = req.host.toLowerCase();
  const defaultPort = req.protocol === 'https' ? ':443' : ':80';
  return `${req.protocol}://${host.endsWith(defaultPort) ? host.slice(0, -defaultPort.length) : host}`;
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/**
 * A CSRF token for the current request's session, for forms and `X-CSRF-Token` headers
 * (templates: `{{csrfToken}}`).
 *
 * @example
 * return `<meta name="csrf-token" content="${csrfToken()}">`;
 */
export function csrfToken(req: Request = currentRequest()): string {
  return csrfOf(req).tokenFor(req);
}

/**
 * The hidden form input carrying the CSRF token (templates: `{{csrfField}}`).
 *
 * @example
 * `<form method="post">${csrfField()}<button>Delete</button></form>`
 */
export function csrfField(req: Request = currentRequest()): string {
  const csrf = csrfOf(req);
  const token = csrf.tokenFor(req).replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
  return `<input type="hidden" name="${csrf.fieldName}" value="${token}">`;
}

/**
 * The CSRF protection of the app handling `req`.
 *
 * @example
 * csrfOf(req).forget(req); // after the session's secret changed
 */
export function csrfOf(req: Request): CsrfProtection {
  const app = req.app;
  if (app === undefined)
    throw new FlagonError(
      'FLAGON_SESSION_UNAVAILABLE',
      'CSRF tokens are not available for this request (it is not handled by a Flagon app)',
    );
  return app.resolve(CsrfProtection);
}
