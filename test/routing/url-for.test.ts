import { BUILTIN_CONVERTERS } from '../../src/routing/converters';
import { buildRouteTable } from '../../src/routing/route-table';
import { UrlBuilder } from '../../src/routing/url-for';
import { mountModules } from '../../src/modules/module-graph';
import { Get, Route } from '../../src/routing/decorators';
import { Module } from '../../src/modules/module';
import { errorOf } from '../support/error-of';

@Route('/posts')
class PostController {
  @Get('/')
  list(): void {}
  @Get('/<int:id>')
  show(): void {}
  @Get('/<int:id>/<slug>', { name: 'pretty' })
  pretty(): void {}
  @Get('/files/<path:rest>')
  file(): void {}
  @Get('/by/<uuid:key>')
  byKey(): void {}
  @Get('/at/<float:x>')
  at(): void {}
}

@Module({ prefix: '/blog', controllers: [PostController] })
class BlogModule {}

@Route('/')
class AdminController {
  @Get('/')
  index(): void {}
}

@Module({ name: 'staff', prefix: '/admin', controllers: [AdminController] })
class AdminModule {}

const urls = new UrlBuilder(
  buildRouteTable(mountModules([BlogModule, AdminModule]), BUILTIN_CONVERTERS),
);

describe('UrlBuilder', () => {
  it('names endpoints module.Controller.method, with a custom module name or { name }', () => {
    expect(urls.build('blog.PostController.list')).toBe('/blog/posts/');
    expect(urls.build('blog.PostController.show', { id: 7 })).toBe('/blog/posts/7');
    expect(urls.build('blog.pretty', { id: 1, slug: 'hi' })).toBe('/blog/posts/1/hi');
    expect(urls.build('staff.AdminController.index')).toBe('/admin/');
  });

  it('puts extra params in the query string, repeating arrays and skipping undefined', () => {
    expect(
      urls.build('blog.PostController.show', {
        id: 3,
        page: 2,
        tag: ['a', 'b c'],
        none: undefined,
      }),
    ).toBe('/blog/posts/3?page=2&tag=a&tag=b+c');
  });

  it('formats with converters and percent-encodes', () => {
    expect(urls.build('blog.pretty', { id: '12', slug: 'a b&c?' })).toBe(
      '/blog/posts/12/a%20b%26c%3F',
    );
    // A string variable never matches a slash, so a value with one is refused rather than built into a 404.
    expect(errorOf(() => urls.build('blog.pretty', { id: 1, slug: 'a/b' })).code).toBe(
      'FLAGON_URL_INVALID_PARAM',
    );
    expect(urls.build('blog.PostController.at', { x: 2 })).toBe('/blog/posts/at/2.0');
    expect(
      urls.build('blog.PostController.byKey', { key: 'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11' }),
    ).toBe('/blog/posts/by/a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11');
  });

  it('keeps slashes for the path converter but encodes the rest', () => {
    expect(urls.build('blog.PostController.file', { rest: 'a/b c/ü.txt' })).toBe(
      '/blog/posts/files/a/b%20c/%C3%BC.txt',
    );
  });

  it('appends an anchor', () => {
    expect(urls.build('blog.PostController.show', { id: 1 }, { anchor: 'comments' })).toBe(
      '/blog/posts/1#comments',
    );
  });

  it('builds external URLs from an origin, and refuses without a host', () => {
    expect(
      urls.build(
        'blog.PostController.show',
        { id: 1 },
        { external: true },
        { scheme: 'https', host: 'example.com' },
      ),
    ).toBe('https://example.com/blog/posts/1');
    expect(
      errorOf(() =>
        urls.build(
          'blog.PostController.show',
          { id: 1 },
          { external: true },
          { scheme: 'https', host: undefined },
        ),
      ).code,
    ).toBe('FLAGON_URL_INVALID_PARAM');
  });

  it('names the endpoint and the expected params when one is missing', () => {
    const error = errorOf(() => urls.build('blog.pretty', { id: 1 }));
    expect(error.code).toBe('FLAGON_URL_MISSING_PARAM');
    expect(error.message).toContain('blog.pretty');
    expect(error.message).toContain('slug');
    expect(error.message).toContain('id');
  });

  it('names an unknown endpoint and suggests close ones', () => {
    const error = errorOf(() => urls.build('PostController.show', { id: 1 }));
    expect(error.code).toBe('FLAGON_URL_UNKNOWN_ENDPOINT');
    expect(error.message).toContain('PostController.show');
    expect(error.message).toContain('blog.PostController.show');
  });

  it('refuses values the converter cannot format', () => {
    const error = errorOf(() => urls.build('blog.PostController.show', { id: 'abc' }));
    expect(error.code).toBe('FLAGON_URL_INVALID_PARAM');
    expect(error.message).toContain('blog.PostController.show');
  });
});
