import { isUtf8, parseContentType } from '../../../src/http/body/content-type';

describe('parseContentType', () => {
  it('lower-cases the media type and charset and unquotes parameters', () => {
    expect(parseContentType('Multipart/Form-Data; boundary="a b"; charset=UTF-8')).toEqual({ mediaType: 'multipart/form-data', boundary: 'a b', charset: 'utf-8' });
  });

  it('returns undefined for a missing or empty header', () => {
    expect(parseContentType(undefined)).toBeUndefined();
    expect(parseContentType(' ; charset=utf-8')).toBeUndefined();
  });

  it('accepts UTF-8 under its names only', () => {
    expect([isUtf8(undefined), isUtf8('utf-8'), isUtf8('utf8'), isUtf8('latin1')]).toEqual([true, true, true, false]);
  });
});
