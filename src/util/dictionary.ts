/**
 * An object for keys that come from outside (headers, form fields, session data, error fields):
 * nothing is inherited, so `constructor`, `toString` or `__proto__` are ordinary keys, as with
 * `Object.create(null)`. Unlike `Object.create(null)`, which V8 starts in dictionary mode, it is an
 * ordinary fast-mode object: property access and `JSON.stringify` take their fast paths.
 */
const Dictionary = function Dictionary() {} as unknown as new () => object;
Dictionary.prototype = Object.create(null) as object;

/**
 * An empty dictionary (see above), typed for its values.
 *
 * @example
 * const fields = createDictionary<string[]>(); fields['constructor'] = ['is a normal key here'];
 */
export function createDictionary<TValue>(): Record<string, TValue> {
  return new Dictionary() as Record<string, TValue>;
}
