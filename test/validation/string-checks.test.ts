import 'reflect-metadata';
import { isEmail, length, maxLength, minLength } from 'class-validator';
import fc from 'fast-check';
import { emailCheck, lengthCheck, type Check } from '../../src/validation/string-checks';

// The fallback is class-validator's own function, as compileValidator passes it; a counter shows
// which inputs the fast path decided.
function counted(check: (value: unknown) => boolean): { check: Check; calls: () => number } {
  let calls = 0;
  return {
    check: (value) => {
      calls++;
      return check(value);
    },
    calls: () => calls,
  };
}

const OBJECT = {};

// Strings near the edges of validator.js's rules: local-part punctuation, dots in every place,
// hyphens at label edges, digits-only and one-letter TLDs, underscores, quotes, spaces, Unicode,
// IP literals and long labels.
const emailPiece = fc.constantFrom(
  'a',
  'Z',
  '0',
  '9',
  '.',
  '..',
  '@',
  '-',
  '_',
  '+',
  "'",
  '!',
  '#',
  '$',
  '%',
  '&',
  '*',
  '/',
  '=',
  '?',
  '^',
  '`',
  '{',
  '|',
  '}',
  '~',
  '"',
  ' ',
  '\\',
  '(',
  ')',
  ',',
  ':',
  ';',
  '<',
  '>',
  '[',
  ']',
  'é',
  'ü',
  '中',
  '😀',
  '\uFF21',
  'xn--',
  'com',
  'io',
  'c',
  '123',
  'x'.repeat(63),
  'y'.repeat(64),
  '[127.0.0.1]',
  '127.0.0.1',
  'example.com',
  '.example.com',
  'a-.b',
  '-a.b',
);
const emailLike = fc.array(emailPiece, { maxLength: 12 }).map((pieces) => pieces.join(''));
// Hostnames whose labels may break one rule each: underscores, hyphens at the edges, digits-only
// or one-letter TLDs, over-long labels, Unicode and full-width letters.
const label = fc.oneof(
  fc.stringMatching(/^[a-z0-9_-]{0,6}$/),
  fc.stringMatching(/^-?[a-z0-9]{1,3}-?$/),
  fc.constantFrom('x'.repeat(63), 'x'.repeat(64), 'xn--p1ai', 'é', '\uFF21', '1', '12'),
);
const topLevel = fc.oneof(fc.stringMatching(/^[a-z]{1,4}$/), label);
const hostname = fc
  .tuple(fc.array(label, { maxLength: 3 }), topLevel)
  .map(([labels, tld]) => [...labels, tld].join('.'));
const localPart = fc.oneof(fc.stringMatching(/^[a-z0-9.+_-]{0,8}$/), emailLike);
const emails = fc.oneof(
  fc.emailAddress(),
  fc.tuple(localPart, hostname).map(([local, host]) => `${local}@${host}`),
  emailLike,
  fc.tuple(emailLike, emailLike).map(([local, domain]) => `${local}@${domain}`),
  fc
    .tuple(fc.emailAddress(), fc.nat({ max: 300 }))
    .map(([address, pad]) => `${'l'.repeat(pad)}${address}`),
  fc.string({ maxLength: 80 }),
);

describe('string checks agree with class-validator', () => {
  it('isEmail: the same verdict on generated addresses, and plain ones never reach validator.js', () => {
    const fallback = counted((value) => isEmail(value));
    const check = emailCheck(fallback.check);
    fc.assert(
      fc.property(emails, (value) => {
        expect(check(value, OBJECT)).toBe(isEmail(value));
      }),
      { numRuns: 3000 },
    );
    // One rule broken at a time, every run (the generators find these, but not on every seed).
    const edges = [
      'a@b.c',
      'a@b_c.de',
      'a@-b.de',
      'a@b-.de',
      'a@b.d-e',
      'a@1.23',
      'a@b.12',
      'a..b@c.de',
      '.a@c.de',
      'a.@c.de',
      'a@c..de',
      'a@.c.de',
      'a@c.de.',
      'a@cde',
      '@c.de',
      'a@',
      'a@@c.de',
      'a b@c.de',
      `a@${'x'.repeat(64)}.de`,
      `a@b.${'x'.repeat(64)}`,
      'a@xn--p1ai.xn--p1ai',
      'a@b.\uFF21\uFF21',
    ];
    for (const edge of edges) expect([edge, check(edge, OBJECT)]).toEqual([edge, isEmail(edge)]);
    const before = fallback.calls();
    for (const address of [
      'ada@example.com',
      'first.last+tag@mail.example.co.uk',
      "o'brien@x-y.org",
    ])
      expect(check(address, OBJECT)).toBe(true);
    // Nor do values that cannot be an address at all.
    for (const value of ['not-an-email', '', 42, null]) expect(check(value, OBJECT)).toBe(false);
    expect(fallback.calls()).toBe(before);
    // Limits: 64 bytes of local part, 254 of address; quoted and Unicode local parts are validator.js's.
    expect(check(`${'a'.repeat(64)}@example.com`, OBJECT)).toBe(true);
    expect(check(`${'a'.repeat(65)}@example.com`, OBJECT)).toBe(false);
    expect(
      check(
        `a@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(63)}.${'e'.repeat(57)}.com`,
        OBJECT,
      ),
    ).toBe(
      isEmail(`a@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(63)}.${'e'.repeat(57)}.com`),
    );
    expect(check('"quoted local"@example.com', OBJECT)).toBe(isEmail('"quoted local"@example.com'));
    expect(check('josé@example.com', OBJECT)).toBe(true);
    expect(check(42, OBJECT)).toBe(false);
  });

  it('Length, MinLength and MaxLength: the same verdict, surrogate pairs and variation selectors counted as validator.js does', () => {
    const text = fc.oneof(
      fc.string({ maxLength: 12 }),
      fc.string({ unit: 'binary', maxLength: 12 }),
      fc
        .array(fc.constantFrom('a', '😀', '\uFE0F', '\uFE0E', '\uD800', '\uDC00', '❤'), {
          maxLength: 8,
        })
        .map((parts) => parts.join('')),
    );
    // Every edge, every run: a selector after a character, a lone selector, pairs, lone surrogates.
    for (const edge of [
      'a\uFE0F',
      'a\uFE0E',
      '\uFE0F',
      'a\uFE0F\uFE0F',
      '😀',
      '😀\uFE0F',
      '\uD800',
      'ab',
    ]) {
      for (let bound = 0; bound <= 3; bound++) {
        expect([
          edge,
          bound,
          lengthCheck(bound, undefined, (input) => minLength(input, bound))(edge, OBJECT),
        ]).toEqual([edge, bound, minLength(edge, bound)]);
        expect([
          edge,
          bound,
          lengthCheck(0, bound, (input) => maxLength(input, bound))(edge, OBJECT),
        ]).toEqual([edge, bound, maxLength(edge, bound)]);
      }
    }
    const bound = fc.integer({ min: -1, max: 10 });
    fc.assert(
      fc.property(
        fc.oneof(text, fc.constantFrom<unknown>(null, 5, undefined)),
        bound,
        fc.option(bound, { nil: undefined }),
        (value, min, max) => {
          expect(lengthCheck(min, max, (input) => length(input, min, max))(value, OBJECT)).toBe(
            length(value, min, max),
          );
          expect(lengthCheck(min, undefined, (input) => minLength(input, min))(value, OBJECT)).toBe(
            minLength(value, min),
          );
          if (max !== undefined)
            expect(lengthCheck(0, max, (input) => maxLength(input, max))(value, OBJECT)).toBe(
              maxLength(value, max),
            );
        },
      ),
      { numRuns: 3000 },
    );
  });
});
