import type { Kysely } from 'kysely';
import type { FlagonApp } from '../app/flagon-app';
import { Inject } from '../di/tokens';
import type { OnHealthCheck, OnRoute, RouteSetup } from '../modules/extension';
import { Module, type ConfiguredModule, type OnInit, type OnShutdown } from '../modules/module';
import type { RouteInfo } from '../modules/route-info';
import { DATABASE_COMMANDS } from './database-commands';
import { DatabaseMigrations } from './database-migrations';
import { DATABASE, DATABASE_OPTIONS, type DatabaseOptions } from './database-options';
import { CONFIGURED_URL_SOURCE, configuredDatabaseUrl, parseDatabaseUrl } from './database-url';
import { ManagedDatabase } from './managed-database';
import { managedDriverOf } from './managed-kysely';
import { transactionalRouteSetup } from './request-transaction';
import { TRANSACTIONAL } from './transactional';

/**
 * The app's database (Flask-SQLAlchemy + Flask-Migrate on Kysely): embedded SQLite by default,
 * PostgreSQL by URL. Injects a Kysely instance as `DATABASE`, connects before the app serves
 * (startup fails with the URL, password masked, when it cannot), closes with `app.close()`, and
 * contributes `flagon db migrate | rollback | status | new`.
 *
 * @example
 * createApp({ modules: [DatabaseModule.configure({ url: 'postgres://app@db/blog' }), BlogModule] });
 */
@Module({
  providers: [
    ManagedDatabase,
    DatabaseMigrations,
    { provide: DATABASE_OPTIONS, useValue: {} },
    {
      provide: DATABASE,
      useFactory: (database: ManagedDatabase) => database.db,
      inject: [ManagedDatabase],
    },
  ],
  commands: DATABASE_COMMANDS,
  setup: checkConfiguredUrl,
})
export class DatabaseModule implements OnInit, OnShutdown, OnRoute, OnHealthCheck {
  private transactional: RouteSetup | undefined;

  constructor(
    private readonly database: ManagedDatabase,
    private readonly migrations: DatabaseMigrations,
    // Asked for here so `app.resolve(DATABASE)` works even when no provider of the app injects it
    // (a test, a CLI command).
    @Inject(DATABASE) readonly db: Kysely<unknown>,
  ) {}

  /**
   * DatabaseModule with options: the URL (else config `DATABASE_URL`, else
   * `instance/app.sqlite`), the migrations folder and whether to migrate on start, pool limits.
   *
   * @example
   * DatabaseModule.configure({ migrations: { migrateOnStart: true }, pool: { max: 20 } })
   */
  static configure(options: DatabaseOptions = {}): ConfiguredModule {
    // An explicit URL is checked here, before createApp; one from config when the app starts.
    if (options.url !== undefined)
      parseDatabaseUrl(options.url, process.cwd(), 'DatabaseModule.configure({ url })');
    return {
      module: DatabaseModule,
      providers: [{ provide: DATABASE_OPTIONS, useValue: options }],
    };
  }

  /** `@Transactional()` routes get a transaction per request; every other route gets nothing. */
  onRoute(route: RouteInfo): RouteSetup | undefined {
    if (route.metadata<boolean>(TRANSACTIONAL) !== true) return undefined;
    if (this.transactional === undefined) {
      const driver = managedDriverOf(this.db);
      driver.enableRequestTransactions();
      this.transactional = transactionalRouteSetup(driver, this.database.logger);
    }
    return this.transactional;
  }

  async onInit(): Promise<void> {
    await this.database.open();
    if (this.database.migrateOnStart) await this.migrations.latest();
  }

  onShutdown(): Promise<void> {
    return this.database.close();
  }

  /** Readiness: a `select 1` answered within the pool's acquire timeout; throws a 503 FlagonError otherwise. */
  checkHealth(): Promise<void> {
    return this.database.checkHealth();
  }
}

/**
 * Refuses an unsupported config DATABASE_URL while `createApp` runs, not at the first request or
 * deep in `app.init()`; a URL given to `configure()` wins over it and was checked there.
 */
function checkConfiguredUrl(app: FlagonApp): void {
  if (app.resolve<DatabaseOptions>(DATABASE_OPTIONS).url !== undefined) return;
  const url = configuredDatabaseUrl(app.config);
  if (url !== undefined) parseDatabaseUrl(url, app.root, CONFIGURED_URL_SOURCE);
}
