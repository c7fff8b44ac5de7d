import type { DialectAdapter, Kysely } from 'kysely';
import type { Logger } from '../config/logger';
import { FlagonError } from '../errors/flagon-error';
import type { PoolSettings } from './database-options';
import type { DatabaseTarget } from './database-url';
import type { FaultContext } from './database-faults';
import { ManagedDriver, type SavepointDriver } from './managed-driver';
import { openSqlite } from './open-sqlite';
import { loadKysely } from './packages';
import { createPostgresPool, isPoolFull } from './postgres-pool';

const drivers = new WeakMap<object, ManagedDriver>();

/**
 * A Kysely instance on the engine the target names, over a ManagedDriver (503s on outages,
 * queries routed to the current transaction scope). Nothing connects until the first query.
 */
export function createManagedKysely(
  target: DatabaseTarget,
  settings: PoolSettings,
  logger: Logger,
): Kysely<unknown> {
  const kysely = loadKysely();
  let inner:
    InstanceType<typeof kysely.PostgresDialect> | InstanceType<typeof kysely.SqliteDialect>;
  let faults: FaultContext;
  if (target.engine === 'postgres') {
    const pool = createPostgresPool(target.url, settings, logger);
    inner = new kysely.PostgresDialect({ pool });
    faults = { ...faultBase(target, settings), isPoolFull: () => isPoolFull(pool, settings.max) };
  } else {
    inner = new kysely.SqliteDialect({
      database: () => openSqlite(target.file, settings.acquireTimeoutMs),
    });
    // One connection is the whole pool: waiting past the timeout means it stayed in use.
    faults = { ...faultBase(target, settings), isPoolFull: () => true };
  }
  // Kysely's PostgreSQL and SQLite drivers both implement savepoints.
  const engineDriver = inner.createDriver() as SavepointDriver;
  const driver = new ManagedDriver(engineDriver, target.engine, faults);
  const db = new kysely.Kysely<unknown>({
    dialect: {
      createDriver: () => driver,
      createQueryCompiler: () => inner.createQueryCompiler(),
      createAdapter: () =>
        target.engine === 'sqlite' ? transactionalSqliteAdapter() : inner.createAdapter(),
      createIntrospector: (instance) => inner.createIntrospector(instance),
    },
  });
  drivers.set(db, driver);
  return db;
}

/** The driver under a Kysely instance made by `createManagedKysely`. */
export function managedDriverOf(db: object): ManagedDriver {
  const driver = drivers.get(db);
  if (!driver)
    throw new FlagonError(
      'FLAGON_DATABASE_NOT_MANAGED',
      'This Kysely instance was not made by DatabaseModule: pass the one injected as DATABASE',
    );
  return driver;
}

function faultBase(
  target: DatabaseTarget,
  settings: PoolSettings,
): Omit<FaultContext, 'isPoolFull'> {
  return { display: target.display, acquireTimeoutMs: settings.acquireTimeoutMs };
}

/**
 * Kysely's SQLite adapter, saying what SQLite does: DDL is transactional (CREATE, ALTER and DROP
 * roll back), so the migrator runs a batch of migrations in one transaction on SQLite too.
 */
function transactionalSqliteAdapter(): DialectAdapter {
  const { SqliteAdapter } = loadKysely();
  return new (class extends SqliteAdapter {
    override get supportsTransactionalDdl(): boolean {
      return true;
    }
  })();
}
