import { safeNext } from '../../src/security/safe-redirect';

describe('safeNext', () => {
  it.each(['/', '/dashboard', '/posts/3?tab=2#top', '/a%20b', '/search?q=%2F%2Fx'])(
    'accepts the same-site path %s',
    (url) => {
      expect(safeNext(url)).toBe(url);
    },
  );

  it.each([
    '//evil.example',
    '///evil.example',
    '/\\evil.example',
    '\\\\evil.example',
    '/\\/evil.example',
    'https://evil.example',
    'http:evil.example',
    'javascript:alert(1)',
    'evil.example',
    '%2F%2Fevil.example',
    '/%2F%2Fevil.example',
    '/%2fevil.example',
    '/%5Cevil.example',
    '/%255C%255Cevil.example',
    '%252F%252Fevil.example',
    '/\tevil',
    '/\r\nLocation: https://evil.example',
    '/%0d%0aSet-Cookie:x=1',
    '/%00',
    ' /path',
    '',
    '/%E0%A4%A',
  ])('rejects %j', (url) => {
    expect(safeNext(url, '/home')).toBe('/home');
  });

  it('falls back for values that are not strings', () => {
    expect(safeNext(undefined)).toBe('/');
    expect(safeNext(['/a', '/b'])).toBe('/');
  });
});
