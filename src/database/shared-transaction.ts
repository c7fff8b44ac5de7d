import type { CompiledQuery, DatabaseConnection, QueryResult } from 'kysely';
import { FlagonError } from '../errors/flagon-error';
import { loadKysely } from './packages';

/** How a shared transaction ends: its owner commits or rolls back, then releases the connection. */
export type SettleTransaction = (outcome: 'commit' | 'rollback') => Promise<void>;

/**
 * One open transaction that every query of a scope runs in (a `runInTransaction` callback, later
 * a transactional request, or a whole test): Kysely asks the driver for a connection per query,
 * and inside the scope the driver hands out leases on this one instead of pool connections.
 *
 * Statements are queued, so concurrent queries of one scope never interleave on the connection.
 * A transaction begun inside the scope (`db.transaction()`) becomes a savepoint. With
 * `isolateStatements`, each statement runs in a savepoint of its own, so a failed one (a unique
 * violation the app handles) does not abort the whole transaction as PostgreSQL otherwise would.
 */
export class SharedTransaction {
  private queue: Promise<unknown> = Promise.resolve();
  private savepoints = 0;
  private isEnded = false;

  constructor(
    private readonly connection: DatabaseConnection,
    private readonly settle: SettleTransaction,
    private readonly isolateStatements: boolean,
  ) {}

  /** A connection for one of Kysely's acquisitions: its queries run here, its transaction is a savepoint. */
  lease(): TransactionLease {
    return new TransactionLease(this);
  }

  /** Runs a query of the scope, after the statements queued before it. */
  execute<TRow>(query: CompiledQuery): Promise<QueryResult<TRow>> {
    this.assertOpen();
    return this.enqueue(() =>
      this.isolateStatements
        ? this.isolated<TRow>(query)
        : this.connection.executeQuery<TRow>(query),
    );
  }

  /** Runs a transaction-control statement (a savepoint) in the queue, never inside a statement savepoint. */
  control(sqlText: string): Promise<QueryResult<unknown>> {
    this.assertOpen();
    return this.enqueue(() => this.connection.executeQuery(rawQuery(sqlText)));
  }

  stream<TRow>(query: CompiledQuery, chunkSize?: number): AsyncIterableIterator<QueryResult<TRow>> {
    this.assertOpen();
    return this.connection.streamQuery<TRow>(query, chunkSize);
  }

  /** False once it has committed or rolled back. */
  get isOpen(): boolean {
    return !this.isEnded;
  }

  /** A savepoint name unique within this transaction. */
  nextSavepoint(): string {
    this.savepoints += 1;
    return `flagon_savepoint_${this.savepoints}`;
  }

  async commit(): Promise<void> {
    await this.end();
    await this.settle('commit');
  }

  async rollback(): Promise<void> {
    await this.end();
    await this.settle('rollback');
  }

  /** Refuses new statements and waits for the queued ones, so the commit comes after all of them. */
  private async end(): Promise<void> {
    this.assertOpen();
    this.isEnded = true;
    await this.queue;
  }

  private enqueue<TResult>(run: () => Promise<TResult>): Promise<TResult> {
    const result = this.queue.then(run, run);
    this.queue = result.catch(() => undefined);
    return result;
  }

  private async isolated<TRow>(query: CompiledQuery): Promise<QueryResult<TRow>> {
    await this.connection.executeQuery(rawQuery('savepoint flagon_statement'));
    try {
      const result = await this.connection.executeQuery<TRow>(query);
      await this.connection.executeQuery(rawQuery('release savepoint flagon_statement'));
      return result;
    } catch (error) {
      // The statement's own error is the one to report; a connection too broken to roll back
      // fails the next statement anyway.
      await this.connection
        .executeQuery(rawQuery('rollback to savepoint flagon_statement'))
        .then(() => this.connection.executeQuery(rawQuery('release savepoint flagon_statement')))
        .catch(() => undefined);
      throw error;
    }
  }

  private assertOpen(): void {
    if (this.isEnded)
      throw new FlagonError(
        'FLAGON_DATABASE_TRANSACTION_ENDED',
        'A query ran after its transaction had committed or rolled back: await every query inside the transaction',
      );
  }
}

/** What Kysely holds while it uses the shared transaction; beginning a transaction on it opens a savepoint. */
export class TransactionLease implements DatabaseConnection {
  private savepoint: string | undefined;

  constructor(readonly shared: SharedTransaction) {}

  executeQuery<TRow>(query: CompiledQuery): Promise<QueryResult<TRow>> {
    return this.shared.execute<TRow>(query);
  }

  streamQuery<TRow>(
    query: CompiledQuery,
    chunkSize?: number,
  ): AsyncIterableIterator<QueryResult<TRow>> {
    return this.shared.stream<TRow>(query, chunkSize);
  }

  async begin(): Promise<void> {
    const name = this.shared.nextSavepoint();
    await this.shared.control(`savepoint ${name}`);
    this.savepoint = name;
  }

  async commit(): Promise<void> {
    await this.shared.control(`release savepoint ${this.requireSavepoint()}`);
  }

  async rollback(): Promise<void> {
    const name = this.requireSavepoint();
    await this.shared.control(`rollback to savepoint ${name}`);
    await this.shared.control(`release savepoint ${name}`);
  }

  /** A connection whose statements skip the per-statement savepoint (Kysely's own savepoint commands). */
  get control(): DatabaseConnection {
    return {
      executeQuery: <TRow>(query: CompiledQuery) =>
        this.shared.control(query.sql) as Promise<QueryResult<TRow>>,
      streamQuery: <TRow>(query: CompiledQuery, chunkSize?: number) =>
        this.shared.stream<TRow>(query, chunkSize),
    };
  }

  private requireSavepoint(): string {
    if (this.savepoint === undefined)
      throw new FlagonError(
        'FLAGON_DATABASE_TRANSACTION_ENDED',
        'A nested transaction ended before it began',
      );
    return this.savepoint;
  }
}

/** A statement without parameters (transaction control). */
export function rawQuery(sqlText: string): CompiledQuery {
  return loadKysely().CompiledQuery.raw(sqlText);
}
