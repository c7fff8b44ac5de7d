import { createApp, Get, Module, Param, Query, Route, urlFor, type UrlParams } from '../../src';

@Route('/posts')
class PostController {
  @Get('/<int:id>/<slug>')
  show(@Param() params: UrlParams): object {
    return { endpoint: 'show', params };
  }
  @Get('/link/<int:id>')
  link(@Param('id') id: number, @Query('anchor') anchor?: string): object {
    return {
      relative: urlFor('blog.PostController.show', { id, slug: 'hello world', page: 2 }),
      external: urlFor('blog.PostController.show', { id, slug: 'x' }, { external: true, anchor }),
    };
  }
  @Get('/files/<path:rest>', { name: 'file' })
  file(@Param('rest') rest: string): object {
    return { rest };
  }
  @Get('/broken')
  broken(): string {
    return urlFor('blog.PostController.show', { id: 1 });
  }
}

@Module({ prefix: '/blog', controllers: [PostController] })
class BlogModule {}

describe('urlFor in an app', () => {
  const app = createApp({
    modules: [BlogModule],
    config: { TESTING: true, SERVER_NAME: 'example.org', PREFERRED_URL_SCHEME: 'https' },
  });
  const client = app.testClient();

  it('builds URLs inside a handler, external ones from the request host', async () => {
    const res = await client.get('/blog/posts/link/5?anchor=top', {
      headers: { host: 'blog.test:8080' },
    });
    expect(res.json()).toEqual({
      relative: '/blog/posts/5/hello%20world?page=2',
      external: 'http://blog.test:8080/blog/posts/5/x#top',
    });
  });

  it('builds external URLs outside a request from SERVER_NAME', () => {
    expect(app.urlFor('blog.PostController.show', { id: 1, slug: 'a' }, { external: true })).toBe(
      'https://example.org/blog/posts/1/a',
    );
  });

  it('round-trips: the URL built from parsed params hits the same route with the same params', async () => {
    for (const params of [
      { id: 3, slug: 'a b' },
      { id: 0, slug: 'ü ß?#%&' },
    ]) {
      const res = await client.get(app.urlFor('blog.PostController.show', params));
      expect(res.json()).toEqual({ endpoint: 'show', params });
    }
    const rest = 'dir one/sub/file name.txt';
    expect((await client.get(app.urlFor('blog.file', { rest }))).json()).toEqual({ rest });
  });

  it('a missing param inside a handler is a 500 and the error names the endpoint', async () => {
    expect((await client.get('/blog/posts/broken')).status).toBe(500);
    expect(() => app.urlFor('blog.PostController.show', { id: 1 })).toThrow(
      expect.objectContaining({
        code: 'FLAGON_URL_MISSING_PARAM',
        message: expect.stringContaining('slug') as string,
      }) as Error,
    );
    expect(() => app.urlFor('nope')).toThrow(
      expect.objectContaining({
        code: 'FLAGON_URL_UNKNOWN_ENDPOINT',
        message: expect.stringContaining("'nope'") as string,
      }) as Error,
    );
  });

  it('urlFor outside a request throws FLAGON_CONTEXT_OUTSIDE_REQUEST', () => {
    expect(() => urlFor('blog.file', { rest: 'x' })).toThrow(
      expect.objectContaining({ code: 'FLAGON_CONTEXT_OUTSIDE_REQUEST' }) as Error,
    );
  });
});

describe('an endpoint with several rules', () => {
  @Route('/list')
  class ListController {
    // Decorators apply bottom-up, so '/' is registered first; the build must still prefer the paged rule.
    @Get('/page/<int:page>')
    @Get('/')
    index(@Param() params: UrlParams): object {
      return params;
    }
  }
  @Module({ controllers: [ListController] })
  class ListModule {}
  const app = createApp({ modules: [ListModule], config: { TESTING: true } });

  it('builds with the rule that uses the most given params, as Werkzeug does', async () => {
    expect(app.urlFor('list.ListController.index')).toBe('/list/');
    expect(app.urlFor('list.ListController.index', { page: 2 })).toBe('/list/page/2');
    expect(app.urlFor('list.ListController.index', { page: 2, sort: 'new' })).toBe(
      '/list/page/2?sort=new',
    );
    expect(
      (await app.testClient().get(app.urlFor('list.ListController.index', { page: 3 }))).json(),
    ).toEqual({ page: 3 });
  });
});
