import { currentRequest } from '../context/request-context';
import type { Request } from '../http/request';
import { RequestSlot } from '../http/request-slot';
import { session } from './session-context';

const FLASHES_KEY = '_flashes';
/** The messages a request took out of its session (later calls in the request see them again). */
const TAKEN = new RequestSlot<readonly (readonly [string, string])[]>('flashes');

/**
 * Stores a message for the next request that shows messages (Flask's `flash`), in the session.
 *
 * @example
 * flash('Post created.', 'success'); return redirect('/');
 */
export function flash(
  message: string,
  category = 'message',
  req: Request = currentRequest(),
): void {
  const current = session(req);
  const list = current.get<[string, string][]>(FLASHES_KEY);
  current.set(FLASHES_KEY, [...(Array.isArray(list) ? list : []), [category, message]]);
}

export interface FlashOptions {
  /** Return `[category, message]` pairs instead of messages. */
  readonly withCategories?: boolean;
  /** Only messages of these categories (all are consumed anyway, as in Flask). */
  readonly categoryFilter?: readonly string[];
}

/**
 * The flashed messages, removed from the session on the first call of a request; later calls in
 * the same request return them again (Flask's `get_flashed_messages`).
 *
 * @example
 * for (const [category, message] of getFlashedMessages({ withCategories: true })) show(category, message);
 */
export function getFlashedMessages(
  options: FlashOptions & { withCategories: true },
  req?: Request,
): [string, string][];
export function getFlashedMessages(
  options?: FlashOptions & { withCategories?: false },
  req?: Request,
): string[];
export function getFlashedMessages(
  options: FlashOptions = {},
  req: Request = currentRequest(),
): string[] | [string, string][] {
  let messages = TAKEN.get(req);
  if (!messages) {
    const current = session(req);
    const stored = current.has(FLASHES_KEY) ? current.pop(FLASHES_KEY) : undefined;
    messages = Array.isArray(stored)
      ? stored.filter(
          (item): item is [string, string] =>
            Array.isArray(item) && typeof item[0] === 'string' && typeof item[1] === 'string',
        )
      : [];
    TAKEN.set(req, messages);
  }
  const filter = options.categoryFilter;
  const selected = filter ? messages.filter(([category]) => filter.includes(category)) : messages;
  return options.withCategories
    ? selected.map(([category, message]): [string, string] => [category, message])
    : selected.map(([, message]) => message);
}
