import { parseForm } from '../../../src/http/body/form';

describe('parseForm', () => {
  it('keeps repeated keys as arrays in a null-prototype object', () => {
    const fields = parseForm(Buffer.from('a=1&a=2&b=&c&__proto__=x'), 10);
    expect(Object.getPrototypeOf(fields)).toBeNull();
    expect({ ...fields }).toEqual({ a: ['1', '2'], b: '', c: '', ['__proto__']: 'x' });
    expect(({} as Record<string, unknown>)['x']).toBeUndefined();
  });

  it('counts fields before decoding them', () => {
    expect(() => parseForm(Buffer.from('a&b&c'), 2)).toThrow(
      expect.objectContaining({ code: 'FLAGON_BODY_TOO_LARGE', status: 413 }) as Error,
    );
  });

  it('answers 400 for invalid UTF-8 after percent-decoding', () => {
    expect(() => parseForm(Buffer.from('a=%C3%28'), 10)).toThrow(
      expect.objectContaining({ code: 'FLAGON_BODY_MALFORMED' }) as Error,
    );
  });
});
