/**
 * The injection token of the app's Kysely instance, typed by the app's own schema interface.
 * Inside `runInTransaction` (and, per request, a transactional handler) it runs on that
 * transaction.
 *
 * @example
 * constructor(@Inject(DATABASE) private readonly db: Kysely<BlogSchema>) {}
 */
export const DATABASE = Symbol('flagon:database');

/** @internal The options given to `DatabaseModule.configure`. */
export const DATABASE_OPTIONS = Symbol('flagon:database-options');

/** What `DatabaseModule.configure()` takes; every field is optional. */
export interface DatabaseOptions {
  /**
   * `postgres://user:password@host:5432/name`, `sqlite:path/to/file.sqlite`, a file path, or
   * `sqlite::memory:`. Defaults to config `DATABASE_URL`, then to `instance/app.sqlite` under
   * the app root. Relative SQLite paths are taken from the app root.
   */
  readonly url?: string;
  readonly migrations?: DatabaseMigrationOptions;
  readonly pool?: DatabasePoolOptions;
}

/** Where migrations live and when they run. */
export interface DatabaseMigrationOptions {
  /** The folder of migration files, relative to the app root. Default `migrations`. */
  readonly folder?: string;
  /**
   * Apply pending migrations during `app.init()`, before the app serves. Handy for development
   * and single-instance apps; config `DATABASE_MIGRATE_ON_START` overrides it. Default `false`:
   * run `flagon db migrate` as a release step.
   */
  readonly migrateOnStart?: boolean;
}

/** Connection limits; they bound every wait, so an outage answers 503 instead of hanging. */
export interface DatabasePoolOptions {
  /** Most connections open at once (PostgreSQL; SQLite has one). Default 10. */
  readonly max?: number;
  /**
   * How long a query waits for a connection (a free one, a new one, or SQLite's write lock)
   * before the request gets 503. Default 5000 ms.
   */
  readonly acquireTimeoutMs?: number;
  /** How long one statement may run before it is cancelled and the request gets 503 (PostgreSQL). Default 30000 ms. */
  readonly queryTimeoutMs?: number;
  /** How long an unused connection stays open (PostgreSQL). Default 10000 ms. */
  readonly idleTimeoutMs?: number;
}

/** The pool options with every default filled in. */
export type PoolSettings = Required<DatabasePoolOptions>;

export const DEFAULT_POOL: PoolSettings = Object.freeze({
  max: 10,
  acquireTimeoutMs: 5000,
  queryTimeoutMs: 30_000,
  idleTimeoutMs: 10_000,
});
