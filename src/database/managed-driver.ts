import { AsyncLocalStorage } from 'node:async_hooks';
import type { DatabaseConnection, Driver, QueryCompiler, TransactionSettings } from 'kysely';
import { requestContext } from '../context/request-context';
import { FlagonError } from '../errors/flagon-error';
import { acquireFault, queryFault, type FaultContext } from './database-faults';
import type { DatabaseEngine } from './database-url';
import { GuardedConnection } from './guarded-connection';
import { REQUEST_TRANSACTION, type OpenedTransaction } from './request-transaction';
import { rawQuery, SharedTransaction, TransactionLease } from './shared-transaction';

type CompileQuery = QueryCompiler['compileQuery'];

/** A driver with savepoints, as Kysely's PostgreSQL and SQLite drivers are. */
export type SavepointDriver = Driver &
  Required<Pick<Driver, 'savepoint' | 'rollbackToSavepoint' | 'releaseSavepoint'>>;

/**
 * The driver under DatabaseModule's Kysely instance, wrapping the engine's own: it turns outages
 * into 503s and routes every query of a transaction scope to that scope's connection. So the one
 * injected `DATABASE` serves both plain queries (a pool connection each) and queries inside
 * `runInTransaction` or a test transaction (the shared one), without the app passing `trx` around.
 */
export class ManagedDriver implements Driver {
  private readonly scope = new AsyncLocalStorage<SharedTransaction>();
  private pinned: SharedTransaction | undefined;
  /** Set once a route is `@Transactional()`: until then no query looks at the request. */
  private hasRequestTransactions = false;
  private readonly guarded = new WeakMap<DatabaseConnection, GuardedConnection>();

  constructor(
    private readonly inner: SavepointDriver,
    private readonly engine: DatabaseEngine,
    private readonly faults: FaultContext,
  ) {}

  async init(): Promise<void> {
    try {
      await this.inner.init();
    } catch (error) {
      throw acquireFault(error, this.faults);
    }
  }

  acquireConnection(): Promise<DatabaseConnection> {
    const shared = this.transactionOfQuery();
    if (shared === undefined) return this.acquireOwn();
    return shared instanceof Promise
      ? shared.then((opened) => opened.lease())
      : Promise.resolve(shared.lease());
  }

  /** Makes queries look for the current request's transaction (a `@Transactional()` route exists). */
  enableRequestTransactions(): void {
    this.hasRequestTransactions = true;
  }

  /**
   * The transaction a query joins: the innermost `runInTransaction` scope, else the current
   * `@Transactional()` request's (begun now if this is its first query), else a pinned test
   * transaction. A promise only when the request's transaction is being begun: plain queries
   * take no extra turn of the event loop.
   */
  private transactionOfQuery(): SharedTransaction | Promise<SharedTransaction> | undefined {
    return this.scope.getStore() ?? this.requestTransaction() ?? this.pinned;
  }

  private requestTransaction(): Promise<SharedTransaction> | undefined {
    if (!this.hasRequestTransactions) return undefined;
    const req = requestContext.getStore();
    const transaction = req === undefined ? undefined : REQUEST_TRANSACTION.get(req);
    // Another app's database in the same process does not join this request.
    return transaction?.driver === this ? transaction.open() : undefined;
  }

  async beginTransaction(
    connection: DatabaseConnection,
    settings: TransactionSettings,
  ): Promise<void> {
    if (connection instanceof TransactionLease) return connection.begin();
    // IMMEDIATE takes SQLite's write lock first, so two processes' transactions queue on the busy
    // timeout instead of both reading and then failing to upgrade their locks.
    if (this.engine === 'sqlite') {
      await connection.executeQuery(rawQuery('begin immediate'));
      return;
    }
    await this.inner.beginTransaction(connection, settings);
  }

  commitTransaction(connection: DatabaseConnection): Promise<void> {
    if (connection instanceof TransactionLease) return connection.commit();
    return this.inner.commitTransaction(connection);
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    if (connection instanceof TransactionLease) return connection.rollback();
    try {
      // The driver's own connection: node-postgres marks it for discard when the rollback fails.
      await this.inner.rollbackTransaction(own(connection).inner);
    } catch (error) {
      throw queryFault(error, this.faults);
    }
  }

  savepoint(connection: DatabaseConnection, name: string, compile: CompileQuery): Promise<void> {
    return this.inner.savepoint(control(connection), name, compile);
  }

  rollbackToSavepoint(
    connection: DatabaseConnection,
    name: string,
    compile: CompileQuery,
  ): Promise<void> {
    return this.inner.rollbackToSavepoint(control(connection), name, compile);
  }

  releaseSavepoint(
    connection: DatabaseConnection,
    name: string,
    compile: CompileQuery,
  ): Promise<void> {
    return this.inner.releaseSavepoint(control(connection), name, compile);
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    if (connection instanceof TransactionLease) return;
    const guarded = own(connection);
    if (guarded.hadOutage && this.engine === 'postgres') {
      guarded.hadOutage = false;
      // A statement failed for an outage, and the pool may not have heard yet that the server
      // closed this connection. Kysely's PostgreSQL driver discards a connection whose ROLLBACK
      // fails (outside a transaction it is a no-op), so a dead one never serves the next request.
      await this.inner.rollbackTransaction(guarded.inner).catch(() => undefined);
    }
    await this.inner.releaseConnection(guarded.inner);
  }

  async destroy(): Promise<void> {
    // A test that closes its app before rolling back must not leave the pool waiting for the
    // pinned connection.
    const pinned = this.pinned;
    this.pinned = undefined;
    await pinned?.rollback().catch(() => undefined);
    await this.inner.destroy();
  }

  /**
   * Opens a transaction on a connection of its own, which no query joins until it is entered
   * (`runInTransaction`), pinned, or given to a request.
   */
  async begin(options: { readonly isolateStatements: boolean }): Promise<SharedTransaction> {
    const connection = await this.acquireOwn();
    try {
      await this.beginTransaction(connection, {});
    } catch (error) {
      await this.inner.releaseConnection(connection.inner);
      throw error;
    }
    const settle = async (outcome: 'commit' | 'rollback'): Promise<void> => {
      try {
        if (outcome === 'commit') await this.commitTransaction(connection);
        else await this.rollbackTransaction(connection);
      } catch (error) {
        if (outcome === 'commit') await this.rollbackTransaction(connection).catch(() => undefined);
        throw error;
      } finally {
        await this.inner.releaseConnection(connection.inner);
      }
    };
    return new SharedTransaction(connection, settle, options.isolateStatements);
  }

  /** Runs `work` with every query on this database inside one transaction (a savepoint when one is already open). */
  async run<TResult>(work: () => Promise<TResult>): Promise<TResult> {
    const outer = await this.transactionOfQuery();
    if (outer) return runInSavepoint(outer.lease(), work);
    const transaction = await this.begin({ isolateStatements: false });
    let result: TResult;
    try {
      result = await this.scope.run(transaction, work);
    } catch (error) {
      await transaction.rollback().catch(() => undefined);
      throw error;
    }
    await transaction.commit();
    return result;
  }

  /**
   * A request's transaction: a savepoint of the pinned test transaction when there is one (so the
   * test still undoes it), else a transaction on a connection of its own.
   */
  async beginNested(): Promise<OpenedTransaction> {
    const pinned = this.pinned;
    if (pinned) {
      const lease = pinned.lease();
      await lease.begin();
      return {
        shared: pinned,
        end: (outcome) => (outcome === 'commit' ? lease.commit() : lease.rollback()),
      };
    }
    const shared = await this.begin({ isolateStatements: false });
    return {
      shared,
      end: (outcome) => (outcome === 'commit' ? shared.commit() : shared.rollback()),
    };
  }

  /** Routes every query that is in no other scope to `transaction` (a test's), until `unpin`. */
  pin(transaction: SharedTransaction): void {
    this.pinned = transaction;
  }

  unpin(transaction: SharedTransaction): void {
    if (this.pinned === transaction) this.pinned = undefined;
  }

  /**
   * SQLite has one connection, which a transaction holds until it ends, and Kysely's driver queues
   * the other queries without a limit: bound the wait as node-postgres bounds its pool's (same
   * message), and hand the connection back when it comes too late.
   */
  private async acquireWithin(timeoutMs: number): Promise<DatabaseConnection> {
    const pending = this.inner.acquireConnection();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error('timeout exceeded when trying to connect')),
        timeoutMs,
      );
    });
    try {
      return await Promise.race([pending, timeout]);
    } catch (error) {
      void pending.then(
        (late) => this.inner.releaseConnection(late),
        () => undefined,
      );
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  private async acquireOwn(): Promise<GuardedConnection> {
    let connection: DatabaseConnection;
    try {
      connection = await (this.engine === 'sqlite'
        ? this.acquireWithin(this.faults.acquireTimeoutMs)
        : this.inner.acquireConnection());
    } catch (error) {
      throw acquireFault(error, this.faults);
    }
    let guarded = this.guarded.get(connection);
    if (!guarded) {
      guarded = new GuardedConnection(connection, this.faults);
      this.guarded.set(connection, guarded);
    }
    return guarded;
  }
}

async function runInSavepoint<TResult>(
  lease: TransactionLease,
  work: () => Promise<TResult>,
): Promise<TResult> {
  await lease.begin();
  let result: TResult;
  try {
    result = await work();
  } catch (error) {
    await lease.rollback().catch(() => undefined);
    throw error;
  }
  await lease.commit();
  return result;
}

function own(connection: DatabaseConnection): GuardedConnection {
  if (connection instanceof GuardedConnection) return connection;
  throw new FlagonError(
    'FLAGON_DATABASE_NOT_MANAGED',
    'A connection this driver did not hand out was given back to it',
  );
}

/** Savepoint commands on a shared transaction bypass its per-statement savepoints. */
function control(connection: DatabaseConnection): DatabaseConnection {
  return connection instanceof TransactionLease ? connection.control : connection;
}
