import { FlagonError } from '../errors/flagon-error';
import type { FlagonApp } from '../app/create-app';
import type { Constructor } from '../di/tokens';
import { defaultErrorResponse } from '../errors/error-page';
import { toFlagonError } from '../errors/error-handler';
import type { Request } from '../http/request';
import type { Response } from '../http/response';
import {
  readSessionSettings,
  resolveSessionStore,
  SessionManager,
} from '../sessions/session-manager';
import { CsrfProtection } from './csrf';
import { prepareGuards, type Guard } from './guards';
import { buildSecurityHeaders } from './headers';
import { LoginManager } from './login';
import { LOGIN_MANAGER } from './login-module';
import { attachServices, type RequestServices } from './request-services';
import { resolveSecretKeys } from './secrets';
import { buildHostCheck } from './trusted-hosts';
import { registerSecurityHelpers } from './template-helpers';
import { viewEngineOf } from '../views/install';

/** DI token for the app's session manager (its `store` included): `app.resolve(SESSION_MANAGER)`. */
export const SESSION_MANAGER = Symbol('flagon:session-manager');

/**
 * Installs sessions, CSRF, guards, login and security headers as one app feature. Per route,
 * at init, it keeps only the steps that route needs: CSRF only on unsafe non-exempt routes,
 * guards only where declared. Per request the rest is lazy: no cookie is parsed and nothing is
 * verified until something asks for the session.
 */
export function installSecurity(app: FlagonApp): void {
  const { config, logger } = app;
  const keys = resolveSecretKeys(config, logger);
  const settings = readSessionSettings(config);
  const store = resolveSessionStore(config);
  const sessions = new SessionManager(keys, settings, store, logger);
  if (store && store !== config.get('SESSION_STORE')) {
    // A store made from config (SESSION_REDIS_URL) belongs to the app: close its connection with the app.
    app.addRelease('the session store', () => store.close?.());
  }
  const csrf = new CsrfProtection(keys, config, sessions);
  const login = new LoginManager(sessions, {
    url: config.get<string>('LOGIN_URL'),
    endpoint: config.get<string>('LOGIN_ENDPOINT'),
  });
  const services: RequestServices = { sessions, csrf, login };
  attachServices(app, services);
  app.provideValue(SESSION_MANAGER, sessions);
  registerSecurityHelpers(viewEngineOf(app));
  app.provideValue(LOGIN_MANAGER, login);

  const trusted = config.get('TRUSTED_HOSTS');
  if (
    trusted !== undefined &&
    !(Array.isArray(trusted) && trusted.every((host): host is string => typeof host === 'string'))
  ) {
    throw new FlagonError('FLAGON_CONFIG_INVALID', 'TRUSTED_HOSTS must be a list of host names');
  }
  const hostCheck = trusted === undefined ? undefined : buildHostCheck(trusted);
  const headersFor = buildSecurityHeaders(config);
  const isDebug = config.get('DEBUG');
  let isPrepared = false;
  let needsPreload = false;

  // With a store or a user loader, a request that carries a session cookie loads both up front,
  // so session(), csrfToken() and currentUser() can stay synchronous for handlers and templates.
  const preload = async (req: Request): Promise<undefined> => {
    await sessions.load(req);
    if (login.hasLoader) await login.load(req);
    return undefined;
  };
  // Only apps with TRUSTED_HOSTS, a store or a user loader need a step on every route.
  let enter: ((req: Request) => Promise<undefined> | undefined) | undefined;
  const instantiate = (guard: Constructor<Guard>): Guard => {
    try {
      return app.resolve(guard);
    } catch {
      return new guard();
    }
  };

  // Registered by the session manager on each request that loads its session, run on its final response.
  sessions.beforeSend = (response: Response, req: Request): Response | Promise<Response> => {
    // The work is done but the session could not be stored: say so rather than pretend.
    const failed = (error: unknown): Response => {
      logger.error({ err: error, reqId: req.id }, 'saving the session failed');
      return defaultErrorResponse(toFlagonError(error), req, isDebug);
    };
    try {
      const saved = sessions.save(req, response);
      return saved === undefined ? response : saved.then(() => response, failed);
    } catch (error) {
      return failed(error);
    }
  };

  app.addFeature({
    name: 'security',
    prepare(route) {
      if (!isPrepared) {
        // LoginModule (a root, so already constructed) has handed over the UserLoader by now.
        isPrepared = true;
        needsPreload = sessions.store !== undefined || login.hasLoader;
        if (hostCheck !== undefined || needsPreload) {
          enter = (req) => {
            hostCheck?.(req);
            return needsPreload && req.cookies[settings.cookieName] !== undefined
              ? preload(req)
              : undefined;
          };
        }
      }
      const securityHeaders = headersFor(route);
      if (!route) return { after: securityHeaders.apply };
      const steps = [csrf.prepare(route), prepareGuards(route, instantiate)].filter(
        (step) => step !== undefined,
      );
      const entry = enter;
      const before =
        steps.length === 0
          ? entry
          : async (req: Request): Promise<unknown> => {
              await entry?.(req);
              for (const step of steps) {
                const result = await step(req);
                if (result !== undefined) return result;
              }
              return undefined;
            };
      // No after step: the headers are static per route, and the session registers its own save
      // on the requests that load it, so most routes keep the kernel's synchronous path.
      return {
        before,
        headers: securityHeaders.headers,
        secureHeaders: securityHeaders.secureHeaders,
      };
    },
  });
}
