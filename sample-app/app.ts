// First: lets 'flagon' resolve when Node runs the app from this checkout (the CLI loads this file).
import './register-flagon';
import { dirname, join, resolve } from 'node:path';
import {
  createApp,
  DatabaseModule,
  LoginModule,
  OpenApiModule,
  RateLimitModule,
  type FlagonApp,
  type Logger,
} from 'flagon';
import { ApiModule } from './api/api-module';
import { AuthModule } from './auth/auth-module';
import { BlogUserLoader } from './auth/user-loader';
import { BlogModule } from './blog/blog-module';
import { ProfileModule } from './profile/profile-module';

/** Where the blog keeps its data when DATABASE is not set: beside this file, whatever the working directory. */
export const DEFAULT_DATABASE = join(__dirname, 'instance', 'blog.sqlite');

export interface BlogAppOptions {
  /** The SQLite file, created and migrated when missing; avatars go to `avatars/` beside it. */
  readonly database?: string;
  /** A database URL (`postgres://…`, `sqlite::memory:`) used instead of the `database` file. */
  readonly databaseUrl?: string;
  /** Config over the blog's defaults (DEBUG, TESTING, SECRET_KEY, SESSION_REDIS_URL, …). */
  readonly config?: Readonly<Record<string, unknown>>;
  /** Where FLAGON_* variables are read from; `false` ignores the environment (tests). */
  readonly env?: NodeJS.ProcessEnv | false;
  readonly logger?: Logger;
}

/**
 * The blog's options from the environment, as `npm run sample` reads them: DATABASE_URL (which
 * wins) or DATABASE, SECRET_KEY, SESSION_REDIS_URL, and Flagon's own NODE_ENV and FLAGON_*
 * variables (NODE_ENV=development for debug mode; production, which needs SECRET_KEY, for any
 * value but development and test).
 *
 * @example
 * const app = createBlogApp(optionsFromEnv(process.env));
 */
export function optionsFromEnv(env: NodeJS.ProcessEnv): BlogAppOptions {
  const config: Record<string, unknown> = {};
  // Outside production Flagon generates an ephemeral key (sessions end with the process).
  if (env['SECRET_KEY'] !== undefined && env['SECRET_KEY'] !== '')
    config['SECRET_KEY'] = env['SECRET_KEY'];
  if (env['SESSION_REDIS_URL'] !== undefined && env['SESSION_REDIS_URL'] !== '')
    config['SESSION_REDIS_URL'] = env['SESSION_REDIS_URL'];
  const databaseUrl = env['DATABASE_URL'];
  return {
    database: env['DATABASE'] || DEFAULT_DATABASE,
    ...(databaseUrl === undefined || databaseUrl === '' ? {} : { databaseUrl }),
    config,
    env,
  };
}

/**
 * The `flagon` CLI's entry convention (`flagon routes sample-app/app.ts`,
 * `flagon --app sample-app/app.ts db migrate`): the app, configured from the environment, not listening.
 *
 * @example
 * const app = buildApp();
 */
export function buildApp(): FlagonApp {
  return createBlogApp(optionsFromEnv(process.env));
}

/**
 * Flask's tutorial blog ("flaskr") as a Flagon app: flaskr's `create_app(test_config)`.
 *
 * @example
 * const app = createBlogApp({ database: '/tmp/blog.sqlite', config: { TESTING: true } });
 * const client = app.testClient();
 */
export function createBlogApp(options: BlogAppOptions = {}): FlagonApp {
  const database = resolve(options.database ?? DEFAULT_DATABASE);
  const redisUrl = options.config?.['SESSION_REDIS_URL'];
  return createApp({
    root: __dirname,
    modules: [
      // Created and migrated on first run, so `npm run sample` needs no setup.
      DatabaseModule.configure({
        url: options.databaseUrl ?? database,
        migrations: { migrateOnStart: true },
      }),
      LoginModule.configure({
        loader: BlogUserLoader,
        loginEndpoint: 'auth.AuthController.loginPage',
      }),
      // Counts shared by every instance when sessions are in Redis, per process otherwise.
      RateLimitModule.configure({
        keyPrefix: 'flaskr:rate-limit',
        ...(typeof redisUrl === 'string' ? { store: redisUrl } : {}),
      }),
      AuthModule,
      BlogModule,
      ApiModule,
      ProfileModule,
      // The API's document at /openapi.json and its docs page at /docs.
      OpenApiModule.configure({
        title: 'Flaskr API',
        version: '1.0.0',
        description: "The blog's posts as JSON",
      }),
    ],
    config: {
      AVATAR_FOLDER: join(dirname(database), 'avatars'),
      // Readiness for a load balancer: 503 while the database (or the Redis session store) is down.
      HEALTH_PATH: '/healthz',
      ...options.config,
    },
    ...(options.env === undefined ? {} : { env: options.env }),
    ...(options.logger === undefined ? {} : { logger: options.logger }),
    views: {
      globals: { siteName: 'Flaskr' },
      // Error pages show the debug stack only for server errors: for a 404 it is noise.
      helpers: { isServerError: (status: unknown) => Number(status) >= 500 },
    },
  });
}
