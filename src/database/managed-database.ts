import { resolve } from 'node:path';
import type { Kysely } from 'kysely';
import { FlagonApp } from '../app/flagon-app';
import { Config } from '../config/config';
import { LOGGER, type Logger } from '../config/logger';
import { Inject, Injectable } from '../di/tokens';
import { FlagonError } from '../errors/flagon-error';
import { describeError } from './database-faults';
import {
  DATABASE_OPTIONS,
  DEFAULT_POOL,
  type DatabaseOptions,
  type PoolSettings,
} from './database-options';
import {
  CONFIGURED_URL_SOURCE,
  configuredDatabaseUrl,
  defaultDatabaseFile,
  parseDatabaseUrl,
  type DatabaseTarget,
} from './database-url';
import { createManagedKysely } from './managed-kysely';
import { loadKysely } from './packages';

/**
 * The app's database as DatabaseModule configures it: which engine and where (from the options,
 * config `DATABASE_URL`, or the instance folder), the pool's limits, and the Kysely instance
 * injected as `DATABASE`, created on first use and closed with the app.
 */
@Injectable()
export class ManagedDatabase {
  /** Which engine, and where. */
  readonly target: DatabaseTarget;
  readonly pool: PoolSettings;
  /** The migrations folder, absolute. */
  readonly migrationFolder: string;
  readonly migrateOnStart: boolean;
  private instance: Kysely<unknown> | undefined;

  constructor(
    @Inject(DATABASE_OPTIONS) options: DatabaseOptions,
    config: Config,
    app: FlagonApp,
    @Inject(LOGGER) readonly logger: Logger,
  ) {
    this.target =
      options.url === undefined
        ? parseDatabaseUrl(
            configuredDatabaseUrl(config) ?? defaultDatabaseFile(app.root),
            app.root,
            CONFIGURED_URL_SOURCE,
          )
        : parseDatabaseUrl(options.url, app.root, 'DatabaseModule.configure({ url })');
    this.pool = { ...DEFAULT_POOL, ...options.pool };
    this.migrationFolder = resolve(app.root, options.migrations?.folder ?? 'migrations');
    this.migrateOnStart =
      config.get<boolean>('DATABASE_MIGRATE_ON_START') ??
      options.migrations?.migrateOnStart ??
      false;
  }

  /** The Kysely instance the app injects as `DATABASE`. */
  get db(): Kysely<unknown> {
    this.instance ??= createManagedKysely(this.target, this.pool, this.logger);
    return this.instance;
  }

  /** Connects (opening the SQLite file, or a first pool connection) or fails startup naming the URL. */
  async open(): Promise<void> {
    try {
      await loadKysely().sql`select 1`.execute(this.db);
    } catch (error) {
      throw new FlagonError(
        'FLAGON_DATABASE_UNREACHABLE',
        `Cannot open the database ${this.target.display}: ${describeError(error)}. Check DATABASE_URL and that the database server is running.`,
        { cause: error },
      );
    }
  }

  /** A `select 1` answered within the acquire timeout, or a 503 FlagonError. */
  async checkHealth(): Promise<void> {
    const { sql } = loadKysely();
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new FlagonError(
              'FLAGON_DATABASE_UNAVAILABLE',
              `The database ${this.target.display} did not answer within ${this.pool.acquireTimeoutMs} ms`,
            ),
          ),
        this.pool.acquireTimeoutMs,
      );
    });
    try {
      await Promise.race([sql`select 1`.execute(this.db), deadline]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Closes the pool (or the SQLite file); queries after this fail. */
  async close(): Promise<void> {
    await this.instance?.destroy();
  }
}
