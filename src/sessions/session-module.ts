import type { FlagonApp } from '../app/flagon-app';
import { Config } from '../config/config';
import type { Logger } from '../config/logger';
import { Inject, type Provider } from '../di/tokens';
import { defaultErrorResponse } from '../http/error-page';
import { toFlagonError } from '../errors/error-handler';
import type { BeforeSendStep, Request } from '../http/request';
import type { Response } from '../http/response';
import type { OnRoute, RouteSetup } from '../modules/extension';
import { Module, type OnShutdown } from '../modules/module';
import { resolveSecretKeys, SECRET_KEYS } from '../signing/secrets';
import { viewEngineOf } from '../views/install';
import { registerFlashesHelper } from './flash-helper';
import {
  readSessionSettings,
  resolveSessionStore,
  SESSION_MANAGER,
  SessionManager,
} from './session-manager';

/** The step that saves a request's session on its final response; registered by the requests that load one. */
function saveStep(sessions: SessionManager, logger: Logger, isDebug: boolean): BeforeSendStep {
  return (response: Response, req: Request): Response | Promise<Response> => {
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
}

/** createApp: the secret keys (SECRET_KEY is checked here) and the session manager from config. */
function setupSessions(app: FlagonApp): Provider[] {
  const keys = resolveSecretKeys(app.config, app.logger);
  const store = resolveSessionStore(app.config);
  const sessions = new SessionManager(keys, readSessionSettings(app.config), store, app.logger);
  sessions.beforeSend = saveStep(sessions, app.logger, app.config.get('DEBUG'));
  registerFlashesHelper(viewEngineOf(app));
  return [
    { provide: SECRET_KEYS, useValue: keys },
    { provide: SESSION_MANAGER, useValue: sessions },
  ];
}

/**
 * Sessions, a built-in extension (Flask's session interface): signed-cookie sessions by default,
 * a server-side store (SESSION_STORE, SESSION_REDIS_URL) when configured. With a store, a request
 * carrying a session cookie loads its session before the handler, so `session()` stays
 * synchronous; cookie sessions load on first use and cost routes that never touch them nothing.
 */
@Module({ setup: setupSessions })
export class SessionModule implements OnRoute, OnShutdown {
  private readonly setup: RouteSetup | undefined;
  /** Reported by the health check while a store is configured (OnHealthCheck). */
  readonly checkHealth?: () => Promise<void>;

  constructor(
    @Inject(SESSION_MANAGER) private readonly sessions: SessionManager,
    private readonly config: Config,
  ) {
    const store = sessions.store;
    if (store !== undefined) {
      const cookieName = sessions.settings.cookieName;
      this.setup = {
        before: (req) =>
          req.cookies[cookieName] === undefined
            ? undefined
            : Promise.resolve(sessions.load(req)).then(() => undefined),
      };
      this.checkHealth = () => store.get('flagon-health-check').then(() => undefined);
    }
  }

  onRoute(): RouteSetup | undefined {
    return this.setup;
  }

  onUnrouted(): RouteSetup | undefined {
    return this.setup;
  }

  /** A store made from config (SESSION_REDIS_URL) belongs to the app: its connection closes with it. */
  async onShutdown(): Promise<void> {
    const store = this.sessions.store;
    if (store !== undefined && store !== this.config.get('SESSION_STORE')) await store.close?.();
  }
}
