import { isUtf8, parseContentType } from '../../../src/http/body/content-type';

describe('parseContentType', () => {
  it('lower-cases the media type and charset and unquotes parameters', () => {
    expect(parseContentType('Multipart/Form-Data; boundary="a b"; charset=UTF-8')).toEqual({
      mediaType: 'multipart/form-data',
      boundary: 'a b',
      charset: 'utf-8',
    });
  });

  it('returns undefined for a missing or empty header', () => {
    expect(parseContentType(undefined)).toBeUndefined();
    expect(parseContentType(' ; charset=utf-8')).toBeUndefined();
  });

  it('answers each header for itself when headers alternate, with results no caller can change', () => {
    const json = 'application/json; charset=utf-8';
    const form = 'multipart/form-data; boundary=x';
    for (let round = 0; round < 2; round++) {
      expect(parseContentType(json)).toEqual({
        mediaType: 'application/json',
        charset: 'utf-8',
        boundary: undefined,
      });
      expect(parseContentType(json)).toEqual({
        mediaType: 'application/json',
        charset: 'utf-8',
        boundary: undefined,
      });
      expect(parseContentType(form)).toEqual({
        mediaType: 'multipart/form-data',
        charset: undefined,
        boundary: 'x',
      });
      expect(parseContentType('')).toBeUndefined();
    }
    expect(Object.isFrozen(parseContentType(json))).toBe(true);
  });

  it('accepts UTF-8 under its names only', () => {
    expect([isUtf8(undefined), isUtf8('utf-8'), isUtf8('utf8'), isUtf8('latin1')]).toEqual([
      true,
      true,
      true,
      false,
    ]);
  });
});
