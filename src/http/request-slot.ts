import type { Request } from './request';

let nextIndex = 0;

/**
 * A typed place on every request for one extension's per-request data (a loaded session, a
 * transaction, a rate-limit verdict). Create one per kind of data, at module load; reading a slot
 * no request has written costs nothing, and there is no WeakMap for the garbage collector to sweep.
 *
 * @example
 * const TRANSACTION = new RequestSlot<Transaction<Schema>>('database.transaction');
 * TRANSACTION.set(req, trx); // later, anywhere in the request: TRANSACTION.get(currentRequest())
 */
export class RequestSlot<TValue> {
  private readonly index = nextIndex++;

  /** `name` says what the slot holds, for debugging. */
  constructor(readonly name: string) {}

  get(req: Request): TValue | undefined {
    return req.slots?.[this.index] as TValue | undefined;
  }

  set(req: Request, value: TValue): void {
    (req.slots ??= [])[this.index] = value;
  }

  delete(req: Request): void {
    if (req.slots !== undefined) req.slots[this.index] = undefined;
  }
}
