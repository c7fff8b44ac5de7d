import { safeJoin } from '../../src/files/safe-path';

describe('safeJoin', () => {
  it('joins plain relative names', () => {
    expect(safeJoin('/srv/static', 'css/app.css')).toBe('/srv/static/css/app.css');
    expect(safeJoin('/srv/static/', 'a.txt')).toBe('/srv/static/a.txt');
  });

  it.each([
    '',
    '..',
    '../x',
    'a/../../x',
    'a/./b',
    './a',
    '/etc/passwd',
    'a\\b',
    '..\\x',
    'a\0b',
    'C:/x',
    'c:x',
    '.env',
    'a/.git/config',
    'a//b',
    'a/',
  ])('refuses %j', (name) => {
    expect(safeJoin('/srv/static', name)).toBeUndefined();
  });
});
