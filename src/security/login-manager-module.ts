import type { FlagonApp } from '../app/flagon-app';
import { Inject, type Provider } from '../di/tokens';
import type { OnRoute, RouteSetup } from '../modules/extension';
import { Module } from '../modules/module';
import { SESSION_MANAGER, type SessionManager } from '../sessions/session-manager';
import { viewEngineOf } from '../views/install';
import { currentUser, LOGIN_MANAGER, LoginManager } from './login';

/** createApp: the login manager, and `currentUser` in every template. */
function setupLogin(app: FlagonApp): Provider[] {
  const manager = new LoginManager(app.resolve<SessionManager>(SESSION_MANAGER), {
    url: app.config.get<string>('LOGIN_URL'),
    endpoint: app.config.get<string>('LOGIN_ENDPOINT'),
  });
  viewEngineOf(app).addContextProcessor(() => ({ currentUser: currentUser() }));
  return [{ provide: LOGIN_MANAGER, useValue: manager }];
}

/**
 * Login, a built-in extension (Flask-Login's LoginManager): `loginUser`, `logoutUser`,
 * `currentUser`, `@CurrentUser()` and the login guards work through it once the app registers a
 * UserLoader with `LoginModule.configure({ loader })`. With a loader, a request carrying a session
 * cookie loads its user before the handler (routed or not: error pages see the user too), so
 * `currentUser()` and templates can stay synchronous.
 */
@Module({ setup: setupLogin })
export class LoginManagerModule implements OnRoute {
  private setup: RouteSetup | undefined | null = null;

  constructor(
    @Inject(LOGIN_MANAGER) private readonly login: LoginManager,
    @Inject(SESSION_MANAGER) private readonly sessions: SessionManager,
  ) {}

  onRoute(): RouteSetup | undefined {
    return this.preloadStep();
  }

  onUnrouted(): RouteSetup | undefined {
    return this.preloadStep();
  }

  /** Decided at the first route: by then LoginModule (a later module) has handed over the loader. */
  private preloadStep(): RouteSetup | undefined {
    if (this.setup === null) {
      const { login } = this;
      const cookieName = this.sessions.settings.cookieName;
      this.setup = login.hasLoader
        ? {
            before: (req) =>
              req.cookies[cookieName] === undefined
                ? undefined
                : login.load(req).then(() => undefined),
          }
        : undefined;
    }
    return this.setup;
  }
}
