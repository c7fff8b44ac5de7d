import type { Logger } from '../config/logger';
import { errorSlug } from '../errors/codes';
import { FlagonError, isFlagonError } from '../errors/flagon-error';
import { RequestSlot } from '../http/request-slot';
import { Response } from '../http/response';
import type { RouteSetup } from '../modules/extension';
import type { ManagedDriver } from './managed-driver';
import type { SharedTransaction } from './shared-transaction';

/** A transaction that is open on a connection, and how to end it. */
export interface OpenedTransaction {
  readonly shared: SharedTransaction;
  end(outcome: 'commit' | 'rollback'): Promise<void>;
}

/**
 * The transaction of one `@Transactional()` request, begun by its first query (so a request
 * refused before it reaches the database takes no connection) and ended by the route's after step.
 */
export class RequestTransaction {
  private opening: Promise<OpenedTransaction> | undefined;
  private isSettled = false;

  constructor(readonly driver: ManagedDriver) {}

  /**
   * The shared transaction the request's queries run in, begun on first use. Once the request
   * has been answered it refuses, so a handler still running past its timeout cannot write
   * outside the transaction that was rolled back.
   */
  async open(): Promise<SharedTransaction> {
    if (this.isSettled)
      throw new FlagonError(
        'FLAGON_DATABASE_TRANSACTION_ENDED',
        "A query ran after its @Transactional() request had been answered (a handler past its timeout?): the request's transaction has ended",
      );
    this.opening ??= this.driver.beginNested();
    return (await this.opening).shared;
  }

  /** Commits or rolls back what the request did; nothing when it made no query. */
  async settle(outcome: 'commit' | 'rollback'): Promise<void> {
    this.isSettled = true;
    const opening = this.opening;
    if (opening === undefined) return;
    // A transaction that never began (the database was down) has nothing to end.
    const opened = await opening.catch(() => undefined);
    await opened?.end(outcome);
  }
}

/** Where a transactional request keeps its transaction, for the driver to find per query. */
export const REQUEST_TRANSACTION = new RequestSlot<RequestTransaction>('database.transaction');

/**
 * The route setup of a `@Transactional()` route: a before step that gives the request its
 * (not yet begun) transaction, and an after step that commits it before a success is sent and
 * rolls it back otherwise (without holding the error response back). A commit that fails
 * replaces the success with the error's status, so a client never sees a success whose writes
 * were lost.
 */
export function transactionalRouteSetup(driver: ManagedDriver, logger: Logger): RouteSetup {
  return {
    before: (req) => {
      REQUEST_TRANSACTION.set(req, new RequestTransaction(driver));
      return undefined;
    },
    after: async (response, req) => {
      const transaction = REQUEST_TRANSACTION.get(req);
      if (transaction === undefined) return undefined;
      if (response.status >= 400) {
        // Not awaited: the rollback waits for the request's statements still running (a handler
        // past its timeout), and nobody else sees the uncommitted rows meanwhile.
        transaction.settle('rollback').catch((error: unknown) => {
          logger.error({ err: error, reqId: req.id }, 'transaction rollback failed');
        });
        return undefined;
      }
      try {
        await transaction.settle('commit');
        return undefined;
      } catch (error) {
        logger.error({ err: error, reqId: req.id }, 'transaction commit failed');
        return commitFailed(error);
      }
    },
  };
}

function commitFailed(error: unknown): Response {
  const isOutage = isFlagonError(error) && error.status === 503;
  return isOutage
    ? Response.json(
        { error: errorSlug(error.code), message: 'Service Unavailable' },
        { status: 503 },
      )
    : Response.json(
        { error: 'internal_server_error', message: 'Internal Server Error' },
        { status: 500 },
      );
}
