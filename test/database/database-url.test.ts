import { parseDatabaseUrl, maskPassword } from '../../src/database/database-url';

describe('parseDatabaseUrl', () => {
  it.each([
    [
      'postgres://app:pw@db:5432/blog',
      { engine: 'postgres', display: 'postgres://app:***@db:5432/blog' },
    ],
    ['postgresql://db/blog', { engine: 'postgres', display: 'postgresql://db/blog' }],
    ['sqlite::memory:', { engine: 'sqlite', file: ':memory:' }],
    [':memory:', { engine: 'sqlite', file: ':memory:' }],
    ['sqlite:data/blog.sqlite', { engine: 'sqlite', file: '/app/data/blog.sqlite' }],
    ['sqlite:///var/blog.sqlite', { engine: 'sqlite', file: '/var/blog.sqlite' }],
    ['instance/blog.sqlite', { engine: 'sqlite', file: '/app/instance/blog.sqlite' }],
    ['/srv/blog.sqlite', { engine: 'sqlite', file: '/srv/blog.sqlite' }],
  ])('reads %s', (url, expected) => {
    expect(parseDatabaseUrl(url, '/app')).toMatchObject(expected);
  });

  it.each(['mysql://root@db/blog', 'redis://127.0.0.1:6379', 'sqlite:mysql://x'])(
    'refuses %s',
    (url) => {
      expect(() => parseDatabaseUrl(url, '/app')).toThrow(
        expect.objectContaining({ code: 'FLAGON_DATABASE_URL_INVALID' }) as Error,
      );
    },
  );
});

describe('maskPassword', () => {
  it.each([
    ['postgres://app:s3cret@db:5432/blog', 'postgres://app:***@db:5432/blog'],
    ['postgres://app:p%40ss@db/blog?sslmode=require', 'postgres://app:***@db/blog?sslmode=require'],
    ['postgres://db/blog?user=app&password=s3cret', 'postgres://db/blog?user=app&password=***'],
    ['postgres://app:p@ss@db/blog', 'postgres://app:***@db/blog'],
    ['postgres://app@db/blog', 'postgres://app@db/blog'],
  ])('masks %s', (url, masked) => {
    expect(maskPassword(url)).toBe(masked);
  });
});
