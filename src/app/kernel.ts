import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import { MethodNotAllowed, NotFound } from '../errors/http-errors';
import { Request, type RequestSettings } from '../http/request';
import { redirect } from '../http/redirect';
import { Response } from '../http/response';
import type { Router } from '../routing/router';
import { requestContext } from '../context/request-context';
import type { RequestRunner } from './route-runner';
import type { UnroutedScopes } from './unrouted';

/** What the router stores per route: built at createApp, the runner filled in at init. */
export interface RouteRecord {
  readonly endpoint: string;
  readonly parseParams: (
    raw: Readonly<Record<string, string | undefined>>,
  ) => Readonly<Record<string, unknown>> | undefined;
  run: RequestRunner;
}

const acceptsParams = (match: {
  readonly store: RouteRecord;
  readonly params: Readonly<Record<string, string | undefined>>;
}): boolean => match.store.parseParams(match.params) !== undefined;

const INCOMING_ID = /^[\w.:@/+=-]{1,128}$/;

/**
 * Turns node:http requests into Flagon requests and hands them to the route's prepared runner.
 * Everything it calls was built at startup; per request it allocates the Request and nothing else.
 */
export class Kernel {
  private readonly idPrefix = randomBytes(4).toString('hex');
  private sequence = 0;

  constructor(
    private readonly router: Router<RouteRecord>,
    private readonly settings: RequestSettings,
    private readonly unroutedScopes: UnroutedScopes,
  ) {}

  /** The node:http request listener. */
  readonly handle = (raw: IncomingMessage, res: ServerResponse): void => {
    const incoming = raw.headers['x-request-id'];
    let id: string;
    if (typeof incoming === 'string' && INCOMING_ID.test(incoming)) {
      id = incoming;
      // Echo the caller's id so a proxy or client can match its logs with ours; only requests that sent one pay.
      res.setHeader('x-request-id', id);
    } else {
      // Base 36, not 10: V8 caches decimal number-to-string results in an old-generation table,
      // which kept every id's digits alive past two collections (promoted on every request).
      id = `${this.idPrefix}-${(++this.sequence).toString(36)}`;
    }
    const req = new Request(raw, id, this.settings);
    const match = this.router.find(req.method, req.path);
    if (match !== null) {
      const params = match.store.parseParams(match.params);
      if (params !== undefined) {
        req.params = params;
        req.endpoint = match.store.endpoint;
        requestContext.run(req, match.store.run, req, res);
        return;
      }
    }
    requestContext.run(req, this.handleUnrouted, req, res);
  };

  /** 405 with Allow, OPTIONS, Flask's trailing-slash redirect, or 404. Only misses pay for this. */
  private readonly handleUnrouted = (req: Request, res: ServerResponse): void => {
    const allowed = this.router.allowedMethods(req.path, acceptsParams);
    if (allowed.length > 0) {
      const allow = [...new Set([...allowed, 'OPTIONS'])].sort().join(', ');
      if (req.method === 'OPTIONS') {
        this.unroutedScopes(req.path)(
          req,
          res,
          new Response(null, { status: 204, headers: { allow } }),
        );
        return;
      }
      this.unroutedScopes(req.path)(
        req,
        res,
        new MethodNotAllowed(`${req.method} is not allowed for ${req.path}; allowed: ${allow}`, {
          headers: { allow },
        }),
      );
      return;
    }
    // Only when the slashed path would really be served (its values convert).
    const slashed = req.path.endsWith('/') ? null : this.router.find(req.method, `${req.path}/`);
    if (slashed !== null && acceptsParams(slashed)) {
      this.redirectToSlashed(req, res);
      return;
    }
    this.notFound(req, res);
  };

  /**
   * Werkzeug's strict-slashes redirect: a 308 (which keeps the method and body) to the path with
   * a trailing slash. Never for "//host", which a browser would read as a protocol-relative URL
   * (an open redirect).
   */
  readonly redirectToSlashed = (req: Request, res: ServerResponse): void => {
    if (req.path.startsWith('//')) {
      this.notFound(req, res);
      return;
    }
    const query = req.queryString;
    this.unroutedScopes(req.path)(
      req,
      res,
      redirect(`${req.path}/${query ? `?${query}` : ''}`, 308),
    );
  };

  private notFound(req: Request, res: ServerResponse): void {
    this.unroutedScopes(req.path)(req, res, new NotFound(`No route for ${req.method} ${req.path}`));
  }
}
