import { Config } from '../config/config';
import { LOGGER, type Logger } from '../config/logger';
import { Inject, type Constructor } from '../di/tokens';
import { Module, type ConfiguredModule } from '../modules/module';
import { SESSION_MANAGER, type SessionManager } from '../sessions/session-manager';
import { LOGIN_MANAGER, LoginManager, UserLoader } from './login';

export { LOGIN_MANAGER };

export interface LoginModuleOptions {
  /** Finds users by the id stored at login; a class (built by the app's container, so it can inject services) or an instance. */
  readonly loader: Constructor<UserLoader> | UserLoader;
  /** Where `@LoginRequired()` sends browsers (LOGIN_URL); without it or `loginEndpoint`, 401. */
  readonly loginUrl?: string;
  /** An endpoint to send browsers to instead (LOGIN_ENDPOINT), e.g. `auth.AuthController.login`. */
  readonly loginEndpoint?: string;
}

/**
 * Turns on login (Flask-Login's `LoginManager.init_app`): mount `LoginModule.configure(...)`
 * among the app's modules and `loginUser`, `@LoginRequired()`, `@Roles()` and `currentUser` work.
 *
 * @example
 * createApp({ modules: [AppModule, LoginModule.configure({ loader: AccountLoader, loginEndpoint: 'auth.AuthController.login' })] });
 */
@Module()
export class LoginModule {
  constructor(
    @Inject(UserLoader) loader: UserLoader,
    @Inject(LOGIN_MANAGER) manager: LoginManager,
    @Inject(SESSION_MANAGER) sessions: SessionManager,
    config: Config,
    @Inject(LOGGER) logger: Logger,
  ) {
    manager.setLoader(loader);
    if (config.isProduction && sessions.store === undefined && !hasSessionVersion(loader))
      logger.warn(
        `${loader.constructor.name} does not implement sessionVersion: with cookie sessions a copy of a session cookie taken before logout stays logged in until it expires (PERMANENT_SESSION_LIFETIME). Return a per-user version from sessionVersion(user) and change it in onLogout(user) (and on password change), or use a server-side session store (SESSION_STORE, SESSION_REDIS_URL).`,
      );
  }

  static configure(options: LoginModuleOptions): ConfiguredModule {
    const { loader } = options;
    return {
      module: LoginModule,
      providers: [
        typeof loader === 'function'
          ? { provide: UserLoader, useClass: loader }
          : { provide: UserLoader, useValue: loader },
      ],
      config: {
        ...(options.loginUrl === undefined ? {} : { LOGIN_URL: options.loginUrl }),
        ...(options.loginEndpoint === undefined ? {} : { LOGIN_ENDPOINT: options.loginEndpoint }),
      },
    };
  }
}

/** Whether the loader overrides UserLoader's `sessionVersion`, which checks nothing. */
function hasSessionVersion(loader: UserLoader): boolean {
  return loader.sessionVersion !== UserLoader.prototype.sessionVersion;
}
