import { currentRequest } from '../context/request-context';
import type { Config } from '../config/config';
import { FlagonError } from '../errors/flagon-error';
import { HttpError } from '../errors/http-errors';
import type { BeforeSendStep, Request } from '../http/request';
import { RequestSlot } from '../http/request-slot';
import type { RouteInfo } from '../modules/route-info';
import { RouteMetadata, type ClassOrMethodDecorator } from '../modules/route-metadata';
import type { SessionManager } from '../sessions/session-manager';
import type { SecretKeys } from '../signing/secrets';
import { Signer } from '../signing/signer';
import { isSameSecret, maskSecret, unmaskSecret } from './csrf-mask';
import { isCookielessApiRequest, isRefusedByFetchSite } from './csrf-request-rules';
import { CsrfSecretCookie } from './csrf-secret-cookie';

const CSRF_EXEMPT = Symbol('flagon:csrf-exempt');

/** Whether an origin other than the app's own may send unsafe requests to a route. */
export type OriginTrust = (origin: string, route: RouteInfo) => boolean;
const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** The token issued to a request (one per request, whatever asks for it). */
const TOKEN = new RequestSlot<string>('csrf-token');
/** The secret behind the request's tokens, once read from its cookie or issued. */
const SECRET = new RequestSlot<RequestSecret>('csrf-secret');

/**
 * Turns off CSRF checks for a route or a whole controller: for webhooks that post forms. (API
 * clients that send no cookies and a JSON body need no token and no exemption.)
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

/** The secret a request uses, and whether its cookie must be (re)written on the response. */
interface RequestSecret {
  readonly secret: Buffer;
  readonly cookieValue?: string;
}

/**
 * CSRF protection (Flask-WTF's CSRFProtect, on by default). Unsafe requests pass, in order:
 * Fetch Metadata (cross-site and untrusted same-site requests are refused), the Origin/Referer
 * check, then the token, which a request with no cookies and a body no cross-site form can send
 * (JSON) does not need. The secret lives in a signed cookie of its own; tokens are that secret
 * masked with a fresh pad per response (BREACH) and signed with a timestamp, so they expire
 * (CSRF_TIME_LIMIT).
 */
export class CsrfProtection {
  readonly isEnabled: boolean;
  readonly fieldName: string;
  readonly headerName: string;
  private readonly signer: Signer;
  private readonly timeLimit: number;
  private readonly trustedOrigins = new Set<string>();
  private readonly originTrusts: OriginTrust[] = [];
  private readonly secretCookie: CsrfSecretCookie;
  /** Writes a secret issued during the request on its final response. */
  private readonly writeCookie: BeforeSendStep;

  constructor(keys: SecretKeys, config: Config, sessions: SessionManager) {
    this.isEnabled = config.get<boolean>('CSRF_ENABLED') ?? true;
    this.fieldName = config.get<string>('CSRF_FIELD_NAME') ?? 'csrf_token';
    this.headerName = (config.get<string>('CSRF_HEADER_NAME') ?? 'X-CSRF-Token').toLowerCase();
    this.timeLimit = config.get<number>('CSRF_TIME_LIMIT') ?? 3600;
    this.addTrustedOrigins(config.get<string[]>('CSRF_TRUSTED_ORIGINS') ?? []);
    this.signer = new Signer(keys, 'csrf');
    this.secretCookie = new CsrfSecretCookie(keys, sessions.settings);
    if (typeof this.isEnabled !== 'boolean')
      throw new FlagonError('FLAGON_CONFIG_INVALID', 'CSRF_ENABLED must be true or false');
    if (!Number.isSafeInteger(this.timeLimit) || this.timeLimit <= 0)
      throw new FlagonError(
        'FLAGON_CONFIG_INVALID',
        `CSRF_TIME_LIMIT must be a positive number of seconds; got ${JSON.stringify(this.timeLimit)}`,
      );
    const { name, options } = this.secretCookie;
    this.writeCookie = (response, req) => {
      const cookieValue = SECRET.get(req)?.cookieValue;
      if (cookieValue !== undefined) response.setCookie(name, cookieValue, options);
      return response;
    };
  }

  /** The name of the cookie holding the CSRF secret. */
  get cookieName(): string {
    return this.secretCookie.name;
  }

  /**
   * Origins (`scheme://host[:port]`) allowed to send unsafe requests besides the app's own, on top
   * of CSRF_TRUSTED_ORIGINS: for a front end served from another origin (CORS).
   */
  addTrustedOrigins(origins: Iterable<string>): void {
    for (const origin of origins) this.trustedOrigins.add(origin.toLowerCase());
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

  /** A token for the request (issuing the secret cookie on first use); one per request. */
  tokenFor(req: Request): string {
    const existing = TOKEN.get(req);
    if (existing) return existing;
    const token = this.signer.sign(maskSecret(this.secretOf(req)));
    TOKEN.set(req, token);
    return token;
  }

  /**
   * A token for a client holding `cookies`, and the secret cookie to give it when it has none:
   * how the test client sends a valid token without loading a page first.
   */
  tokenForCookies(cookies: Readonly<Record<string, string>>): {
    readonly token: string;
    readonly cookie?: { readonly name: string; readonly value: string };
  } {
    const held = this.secretCookie.read(cookies);
    if (held !== undefined) return { token: this.signer.sign(maskSecret(held)) };
    const issued = this.secretCookie.issue();
    return {
      token: this.signer.sign(maskSecret(issued.secret)),
      cookie: { name: this.secretCookie.name, value: issued.value },
    };
  }

  /** A new secret for the client (login, logout): tokens issued before stop working. */
  rotate(req: Request): void {
    TOKEN.delete(req);
    this.issueSecret(req);
  }

  private secretOf(req: Request): Buffer {
    const known = SECRET.get(req);
    if (known !== undefined) return known.secret;
    const held = this.secretCookie.read(req.cookies);
    if (held !== undefined) {
      SECRET.set(req, { secret: held });
      return held;
    }
    return this.issueSecret(req);
  }

  private issueSecret(req: Request): Buffer {
    const { secret, value } = this.secretCookie.issue();
    SECRET.set(req, { secret, cookieValue: value });
    req.onBeforeSend(this.writeCookie);
    return secret;
  }

  /** Whether `origin` (lower-cased) may send unsafe requests to `route` besides the app's own. */
  private isTrustedOrigin(origin: string, route: RouteInfo): boolean {
    return (
      this.trustedOrigins.has(origin) || this.originTrusts.some((trust) => trust(origin, route))
    );
  }

  private async verify(req: Request, route: RouteInfo): Promise<undefined> {
    if (isRefusedByFetchSite(req, (origin) => this.isTrustedOrigin(origin, route)))
      throw csrfError(
        'FLAGON_CSRF_ORIGIN_MISMATCH',
        `The request came from another site (Sec-Fetch-Site: ${req.header('sec-fetch-site') ?? ''}); add its origin to CSRF_TRUSTED_ORIGINS if it should be allowed`,
      );
    this.checkOrigin(req, route);
    if (isCookielessApiRequest(req)) return undefined;
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
    const given = unmaskSecret(result.value);
    const held = this.secretCookie.read(req.cookies);
    if (given === undefined || held === undefined || !isSameSecret(given, held)) {
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
    const candidate = url.origin.toLowerCase();
    if (candidate === ownOrigin(req) || this.isTrustedOrigin(candidate, route)) return;
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
 * csrfOf(req).rotate(req); // at login: tokens issued before stop working
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
