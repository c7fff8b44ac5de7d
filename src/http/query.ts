import { parse as parseWithNode } from 'node:querystring';
import { createDictionary } from '../util/dictionary';
import { addField } from './body/form';
import type { QueryValue } from './request';

/** Query strings of only unreserved characters and `&`/`=`: nothing to decode (no `%`, no `+`). */
const PLAIN_QUERY = /^[\w.~=&-]*$/;

/** node:querystring stops after this many pairs (its default maxKeys); longer strings are its to parse. */
const MAX_PAIRS = 1000;

/**
 * Parses a query string exactly as node:querystring's `parse` does (repeated keys become arrays,
 * `+` is a space, malformed percent-encoding is kept rather than refused, at most 1000 pairs).
 * Most query strings need no decoding at all: those are split here into a fast-mode object, the
 * rest go to node:querystring, whose `{ __proto__: null }` result is slow to fill and to read.
 *
 * @example
 * parseQuery('tag=a&tag=b&q=x'); // { tag: ['a', 'b'], q: 'x' }
 */
export function parseQuery(text: string): Record<string, QueryValue> {
  if (text.length > MAX_PAIRS || !PLAIN_QUERY.test(text))
    return parseWithNode(text) as Record<string, QueryValue>;
  const query = createDictionary<QueryValue>();
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf('&', start);
    if (end === -1) end = text.length;
    if (end > start) {
      const eq = text.indexOf('=', start);
      const hasValue = eq !== -1 && eq < end;
      addField(
        query,
        text.slice(start, hasValue ? eq : end),
        hasValue ? text.slice(eq + 1, end) : '',
      );
    }
    start = end + 1;
  }
  return query;
}
