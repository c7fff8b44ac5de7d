import type { FlagonError } from 'flagon';

/**
 * The error `fn` throws, for tests that assert several of its fields; fails the test when `fn`
 * returns instead.
 *
 * @example
 * expect(errorOf(() => app.urlFor('nope')).code).toBe('FLAGON_URL_UNKNOWN_ENDPOINT');
 */
export function errorOf(fn: () => unknown): FlagonError {
  try {
    fn();
  } catch (error) {
    return error as FlagonError;
  }
  throw new Error('did not throw');
}
