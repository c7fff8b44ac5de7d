import { assertJsonDepth, parseJson } from '../../../src/http/body/json';

describe('assertJsonDepth', () => {
  it('counts objects and arrays, not brackets inside strings or escaped quotes', () => {
    expect(() => assertJsonDepth('{"a":[1,{"b":"[[[[\\"{{{{"}]}', 3)).not.toThrow();
    expect(() => assertJsonDepth('[[[[]]]]', 3)).toThrow(
      expect.objectContaining({ code: 'FLAGON_BODY_TOO_DEEP', status: 400 }) as Error,
    );
  });

  it('scans a 1M-deep document without recursion', () => {
    expect(() => assertJsonDepth('['.repeat(1_000_000), 32)).toThrow(
      expect.objectContaining({ code: 'FLAGON_BODY_TOO_DEEP' }) as Error,
    );
  });
});

describe('parseJson', () => {
  it('refuses __proto__ keys', () => {
    expect(() => parseJson('{"__proto__":{"x":1}}')).toThrow(
      expect.objectContaining({ code: 'FLAGON_BODY_FORBIDDEN_KEY' }) as Error,
    );
  });

  it('reports broken JSON as FLAGON_BODY_INVALID_JSON', () => {
    expect(() => parseJson('{')).toThrow(
      expect.objectContaining({ code: 'FLAGON_BODY_INVALID_JSON', status: 400 }) as Error,
    );
  });
});
