import { parse } from 'node:querystring';
import fc from 'fast-check';
import { parseQuery } from '../../src/http/query';

// Strings of the characters query parsing treats specially, plus ordinary ones and edge pieces.
const piece = fc.constantFrom(
  'a',
  'b',
  'Z',
  '0',
  '_',
  '-',
  '.',
  '~',
  '&',
  '=',
  '&&',
  '==',
  '+',
  '%',
  '%41',
  '%zz',
  '%E0%A4%A',
  '%2B',
  '%26',
  ' ',
  'é',
  '__proto__',
  'constructor',
  'toString',
  '1',
  '',
);
const queryText = fc.oneof(
  fc.array(piece, { maxLength: 16 }).map((pieces) => pieces.join('')),
  fc.string({ maxLength: 40 }),
);

describe('parseQuery', () => {
  it('gives what node:querystring gives, for any query string', () => {
    fc.assert(
      fc.property(queryText, (text) => {
        expect({ ...parseQuery(text) }).toEqual({ ...parse(text) });
        expect(Object.keys(parseQuery(text))).toEqual(Object.keys(parse(text)));
      }),
      { numRuns: 3000 },
    );
    for (const text of [
      '',
      '&',
      '=',
      'a',
      'a=',
      '=1',
      'a=1&a=2&a=3',
      'a=1&&b=2',
      'a=b=c',
      'a&b',
      '&a=1&',
      '__proto__=x&constructor=y',
      'toString=1',
      '2=b&1=a',
    ]) {
      expect([text, { ...parseQuery(text) }]).toEqual([text, { ...parse(text) }]);
    }
  });

  it('stops at 1000 pairs, as node:querystring does', () => {
    const text = Array.from({ length: 1200 }, (_, index) => `k${index}=v`).join('&');
    expect(Object.keys(parseQuery(text))).toHaveLength(1000);
  });

  it('inherits nothing: prototype names are plain keys or absent', () => {
    const query = parseQuery('a=1');
    expect(query['constructor']).toBeUndefined();
    expect(query['toString']).toBeUndefined();
    expect(parseQuery('__proto__=x')['__proto__']).toBe('x');
  });
});
