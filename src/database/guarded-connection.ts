import type { CompiledQuery, DatabaseConnection, QueryResult } from 'kysely';
import { queryFault, type FaultContext } from './database-faults';

/** A driver's connection whose outage errors (a dropped socket, a restarting server) become 503s. */
export class GuardedConnection implements DatabaseConnection {
  /** Set when a statement failed for an outage: the connection may be dead. */
  hadOutage = false;

  constructor(
    /** The driver's own connection, which its release and rollback expect back. */
    readonly inner: DatabaseConnection,
    private readonly faults: FaultContext,
  ) {}

  async executeQuery<TRow>(query: CompiledQuery): Promise<QueryResult<TRow>> {
    try {
      return await this.inner.executeQuery<TRow>(query);
    } catch (error) {
      throw this.fault(error);
    }
  }

  async *streamQuery<TRow>(
    query: CompiledQuery,
    chunkSize?: number,
  ): AsyncIterableIterator<QueryResult<TRow>> {
    try {
      yield* this.inner.streamQuery<TRow>(query, chunkSize);
    } catch (error) {
      throw this.fault(error);
    }
  }

  private fault(error: unknown): unknown {
    const fault = queryFault(error, this.faults);
    if (fault !== error) this.hadOutage = true;
    return fault;
  }
}
