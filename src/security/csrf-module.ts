import type { FlagonApp } from '../app/flagon-app';
import type { Provider } from '../di/tokens';
import type { OnRoute, RouteSetup } from '../modules/extension';
import { Module } from '../modules/module';
import type { RouteInfo } from '../modules/route-info';
import { SESSION_MANAGER, type SessionManager } from '../sessions/session-manager';
import { SECRET_KEYS, type SecretKeys } from '../signing/secrets';
import { safeString } from '../views/handlebars';
import { TEST_CSRF, type TestCsrf } from '../testing/test-csrf';
import { viewEngineOf } from '../views/install';
import { csrfField, csrfToken, CsrfProtection } from './csrf';

/** createApp: the CSRF settings are checked here, and templates get `csrfToken` and `csrfField`. */
function setupCsrf(app: FlagonApp): Provider[] {
  const csrf = new CsrfProtection(
    app.resolve<SecretKeys>(SECRET_KEYS),
    app.config,
    app.resolve<SessionManager>(SESSION_MANAGER),
  );
  const views = viewEngineOf(app);
  views.registerHelper('csrfToken', () => csrfToken());
  views.registerHelper('csrfField', () => safeString(csrfField()));
  return [
    { provide: CsrfProtection, useValue: csrf },
    { provide: TEST_CSRF, useValue: csrf satisfies TestCsrf },
  ];
}

/**
 * CSRF protection, a built-in extension (Flask-WTF's CSRFProtect), on by default: every unsafe
 * route that is not `@CsrfExempt()` checks the request's token before the handler; safe routes
 * get no step.
 */
@Module({ setup: setupCsrf })
export class CsrfModule implements OnRoute {
  constructor(private readonly csrf: CsrfProtection) {}

  onRoute(route: RouteInfo): RouteSetup | undefined {
    const check = this.csrf.prepare(route);
    return check === undefined ? undefined : { before: check };
  }
}
