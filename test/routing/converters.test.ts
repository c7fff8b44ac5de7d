import { BUILTIN_CONVERTERS, findConverter, type Converter } from '../../src/routing/converters';
import { FlagonError } from '../../src/errors/flagon-error';

function converter(name: string): Converter {
  const found = BUILTIN_CONVERTERS[name];
  if (!found) throw new Error(`no ${name}`);
  return found;
}

describe('built-in converters', () => {
  it('int parses unsigned integers to numbers and rejects unsafe ones', () => {
    const int = converter('int');
    expect(int.parse('42')).toBe(42);
    expect(int.parse('007')).toBe(7);
    expect(int.parse('99999999999999999999')).toBeUndefined();
    expect(new RegExp(`^${int.pattern}$`).test('12')).toBe(true);
    expect(new RegExp(`^${int.pattern}$`).test('-1')).toBe(false);
    expect(new RegExp(`^${int.pattern}$`).test('1.5')).toBe(false);
  });

  it('int formats non-negative integers and refuses anything else', () => {
    const int = converter('int');
    expect(int.format(5)).toBe('5');
    expect(int.format('12')).toBe('12');
    expect(() => int.format(-1)).toThrow(TypeError);
    expect(() => int.format(1.5)).toThrow(TypeError);
    expect(() => int.format('abc')).toThrow(TypeError);
  });

  it('float parses and formats with a decimal point', () => {
    const float = converter('float');
    expect(float.parse('1.5')).toBe(1.5);
    expect(float.format(2)).toBe('2.0');
    expect(float.format(0.25)).toBe('0.25');
    expect(new RegExp(`^${float.pattern}$`).test('3')).toBe(false);
    expect(() => float.format(-1.5)).toThrow(TypeError);
  });

  it('uuid accepts any case, gives lower case, refuses non-UUIDs', () => {
    const uuid = converter('uuid');
    expect(uuid.parse('A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11')).toBe(
      'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',
    );
    expect(uuid.parse('not-a-uuid')).toBeUndefined();
    expect(uuid.format('A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11')).toBe(
      'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',
    );
    expect(() => uuid.format('nope')).toThrow(TypeError);
  });

  it('string refuses empty text and slashes; path keeps slashes', () => {
    const string = converter('string');
    expect(string.parse('hello')).toBe('hello');
    expect(string.parse('')).toBeUndefined();
    expect(string.parse('a/b')).toBeUndefined();
    expect(() => string.format('')).toThrow(TypeError);
    expect(() => string.format('a/b')).toThrow(TypeError);
    const path = converter('path');
    expect(path.isPath).toBe(true);
    expect(path.parse('a/b/c')).toBe('a/b/c');
    expect(path.format('a/b')).toBe('a/b');
  });
});

describe('findConverter', () => {
  it('fails with FLAGON_ROUTE_UNKNOWN_CONVERTER naming the rule and the known names', () => {
    expect.assertions(4);
    try {
      findConverter(BUILTIN_CONVERTERS, 'hex', '/x/<hex:id>');
    } catch (error) {
      expect(error).toBeInstanceOf(FlagonError);
      expect((error as FlagonError).code).toBe('FLAGON_ROUTE_UNKNOWN_CONVERTER');
      expect((error as FlagonError).message).toContain('/x/<hex:id>');
      expect((error as FlagonError).message).toContain('int');
    }
  });
});
