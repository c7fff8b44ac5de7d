import type { IncomingMessage } from 'node:http';

const PROPAGATED = Symbol('flagon:propagated-error');

type Holder = IncomingMessage & { [PROPAGATED]?: unknown };

/**
 * Testing mode (PROPAGATE_EXCEPTIONS): an error no handler took is kept on the raw request, for
 * the in-process test client to throw at the test instead of a generic 500 (Flask's TESTING).
 */
export function propagateError(raw: IncomingMessage, error: unknown): void {
  (raw as Holder)[PROPAGATED] = error;
}

/** The error an in-process request propagated, if any. */
export function propagatedError(raw: IncomingMessage): { readonly error: unknown } | undefined {
  const holder = raw as Holder;
  return PROPAGATED in holder ? { error: holder[PROPAGATED] } : undefined;
}
