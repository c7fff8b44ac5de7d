import {
  // These tests exercise the kernel; CSRF protection (on by default) has its own suite, so it is off here.
  AfterRequest,
  createApp,
  Delete,
  Get,
  Head,
  Module,
  Options,
  Param,
  Patch,
  Post,
  Put,
  Response,
  Route,
  type Converter,
} from '../../src';

function errorOf(fn: () => unknown): { code?: string; message: string } {
  try {
    fn();
  } catch (error) {
    return error as { code?: string; message: string };
  }
  throw new Error('did not throw');
}

describe('method decorators', () => {
  @Route('/items')
  class ItemController {
    @Get('/')
    list(): string {
      return 'get';
    }
    @Post('/')
    create(): string {
      return 'post';
    }
    @Put('/<int:id>')
    replace(@Param('id') id: number): string {
      return `put ${id}`;
    }
    @Patch('/<int:id>')
    update(@Param('id') id: number): string {
      return `patch ${id}`;
    }
    @Delete('/<int:id>')
    remove(@Param('id') id: number): string {
      return `delete ${id}`;
    }
    @Head('/probe')
    probe(): Response {
      return new Response(null, { headers: { 'x-probe': 'yes' } });
    }
    @Options('/probe')
    preflight(): Response {
      return new Response(null, { status: 204, headers: { 'x-options': 'custom' } });
    }
    @Route('/both', { methods: ['GET', 'POST'] })
    both(): string {
      return 'both';
    }
  }
  @Module({ controllers: [ItemController] })
  class ItemModule {}

  const app = createApp({ modules: [ItemModule], config: { TESTING: true, CSRF_ENABLED: false } });
  const client = app.testClient();

  it('routes each method to its handler', async () => {
    expect((await client.get('/items/')).text).toBe('get');
    expect((await client.post('/items/')).text).toBe('post');
    expect((await client.put('/items/3')).text).toBe('put 3');
    expect((await client.patch('/items/3')).text).toBe('patch 3');
    expect((await client.delete('/items/3')).text).toBe('delete 3');
    const head = await client.head('/items/probe');
    expect([head.status, head.headers['x-probe']]).toEqual([200, 'yes']);
    const options = await client.options('/items/probe');
    expect([options.status, options.headers['x-options']]).toEqual([204, 'custom']);
  });

  it('@Route(path, { methods }) answers each listed method and only those', async () => {
    expect((await client.get('/items/both')).text).toBe('both');
    expect((await client.post('/items/both')).text).toBe('both');
    const put = await client.put('/items/both');
    expect(put.status).toBe(405);
    expect(put.headers['allow']).toBe('GET, HEAD, OPTIONS, POST');
  });

  it('lists the route table with method, path, endpoint and module', () => {
    expect(app.routes()).toEqual(
      expect.arrayContaining([
        { method: 'GET', path: '/items/', endpoint: 'item.ItemController.list', module: 'item' },
        { method: 'POST', path: '/items/', endpoint: 'item.ItemController.create', module: 'item' },
        {
          method: 'PUT',
          path: '/items/<int:id>',
          endpoint: 'item.ItemController.replace',
          module: 'item',
        },
        {
          method: 'GET',
          path: '/items/both',
          endpoint: 'item.ItemController.both',
          module: 'item',
        },
        {
          method: 'POST',
          path: '/items/both',
          endpoint: 'item.ItemController.both',
          module: 'item',
        },
      ]),
    );
    // The implicit HEAD of GET routes is not listed.
    expect(app.routes().filter((route) => route.method === 'HEAD')).toEqual([
      {
        method: 'HEAD',
        path: '/items/probe',
        endpoint: 'item.ItemController.probe',
        module: 'item',
      },
    ]);
    expect(app.routes()).toHaveLength(9);
  });
});

describe('converters end to end', () => {
  const calls: string[] = [];
  const hex: Converter<number> = {
    pattern: '[0-9a-f]+',
    parse: (text) => {
      const value = parseInt(text, 16);
      // Reject values above 0xfff to prove a parse rejection is a 404.
      return value > 0xfff ? undefined : value;
    },
    format: (value) => value.toString(16),
  };

  @Route('/')
  class ConvertController {
    @Get('/int/<int:id>')
    int(@Param('id') id: number): object {
      calls.push(`int ${id}`);
      return { id, type: typeof id };
    }
    @Get('/float/<float:x>')
    float(@Param('x') x: number): object {
      return { x, type: typeof x };
    }
    @Get('/uuid/<uuid:key>')
    uuid(@Param('key') key: string): object {
      return { key };
    }
    @Get('/files/<path:rest>')
    file(@Param('rest') rest: string): object {
      return { rest };
    }
    @Get('/hex/<hex:n>')
    hex(@Param('n') n: number): object {
      calls.push(`hex ${n}`);
      return { n };
    }
    @Get('/pick/<int:id>')
    pickInt(@Param('id') id: number): object {
      return { by: 'int', id };
    }
    @Get('/pick/<name>')
    pickString(@Param('name') name: string): object {
      return { by: 'string', name };
    }
    @Get('/all/<int:a>/<b>')
    all(@Param() params: Record<string, unknown>): object {
      return params;
    }
  }
  @Module({ controllers: [ConvertController] })
  class ConvertModule {}

  const app = createApp({
    modules: [ConvertModule],
    config: { TESTING: true, CSRF_ENABLED: false },
    converters: { hex },
  });
  const client = app.testClient();

  beforeEach(() => calls.splice(0));

  it('<int:id> gives the handler a number', async () => {
    const res = await client.get('/int/42');
    expect([res.status, res.json()]).toEqual([200, { id: 42, type: 'number' }]);
  });

  it('a non-integer is a 404 and the handler never runs', async () => {
    for (const path of ['/int/abc', '/int/1.5', '/int/-1', '/int/99999999999999999999']) {
      expect([path, (await client.get(path)).status]).toEqual([path, 404]);
    }
    expect(calls).toEqual([]);
  });

  it('<float:x> gives a number and refuses integers', async () => {
    expect((await client.get('/float/2.5')).json()).toEqual({ x: 2.5, type: 'number' });
    expect((await client.get('/float/2')).status).toBe(404);
  });

  it('<uuid:key> gives a lower-case UUID and refuses other text', async () => {
    expect((await client.get('/uuid/A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11')).json()).toEqual({
      key: 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',
    });
    expect((await client.get('/uuid/nope')).status).toBe(404);
  });

  it('<path:rest> takes slashes', async () => {
    expect((await client.get('/files/a/b/c.txt')).json()).toEqual({ rest: 'a/b/c.txt' });
  });

  it('a custom converter parses, formats, and its rejection is a 404', async () => {
    expect((await client.get('/hex/ff')).json()).toEqual({ n: 255 });
    expect((await client.get('/hex/zz')).status).toBe(404);
    expect((await client.get('/hex/10000')).status).toBe(404);
    expect(calls).toEqual(['hex 255']);
    expect(app.urlFor('convert.ConvertController.hex', { n: 255 })).toBe('/hex/ff');
  });

  it('an int rule wins over a string rule for digits; other text goes to the string rule', async () => {
    expect((await client.get('/pick/12')).json()).toEqual({ by: 'int', id: 12 });
    expect((await client.get('/pick/twelve')).json()).toEqual({ by: 'string', name: 'twelve' });
  });

  it('@Param() without a name gives every converted param', async () => {
    expect((await client.get('/all/1/x')).json()).toEqual({ a: 1, b: 'x' });
  });

  it('a string value is percent-decoded', async () => {
    expect((await client.get('/pick/a%20b')).json()).toEqual({ by: 'string', name: 'a b' });
  });
});

describe('trailing slash, 405, HEAD and OPTIONS', () => {
  @Route('/')
  class DocsController {
    @Get('/docs/')
    docs(): string {
      return 'docs';
    }
    @Get('/about')
    about(): object {
      return { about: true };
    }
    @Post('/about')
    postAbout(): string {
      return 'posted';
    }
  }
  @Module({ controllers: [DocsController] })
  class DocsModule {}
  const client = createApp({
    modules: [DocsModule],
    config: { TESTING: true, CSRF_ENABLED: false },
  }).testClient();

  it('a route declared /docs/ answers /docs with a 308 keeping the query', async () => {
    const res = await client.get('/docs?page=2&q=a%20b');
    expect(res.status).toBe(308);
    expect(res.headers['location']).toBe('/docs/?page=2&q=a%20b');
    expect((await client.get('/docs/')).text).toBe('docs');
  });

  it('a route declared /about gives 404 for /about/', async () => {
    expect((await client.get('/about/')).status).toBe(404);
  });

  it('a matched path with another method is a 405 with Allow', async () => {
    const res = await client.delete('/about');
    expect(res.status).toBe(405);
    expect(res.headers['allow']).toBe('GET, HEAD, OPTIONS, POST');
    expect(res.json()).toMatchObject({ error: 'method_not_allowed' });
  });

  it('HEAD answers a GET route with its headers and no body', async () => {
    const get = await client.get('/about');
    const head = await client.head('/about');
    expect(head.status).toBe(200);
    expect(head.text).toBe('');
    expect(head.headers['content-type']).toBe(get.headers['content-type']);
    expect(head.headers['content-length']).toBe(get.headers['content-length']);
  });

  it('OPTIONS answers with Allow', async () => {
    const res = await client.options('/about');
    expect(res.status).toBe(204);
    expect(res.headers['allow']).toBe('GET, HEAD, OPTIONS, POST');
  });

  it('an unknown path is a 404 JSON error', async () => {
    const res = await client.get('/nowhere');
    expect(res.status).toBe(404);
    expect(res.json()).toMatchObject({ error: 'not_found' });
  });
});

describe('startup errors', () => {
  it('a duplicate method and path fails naming both handlers', () => {
    @Route('/')
    class First {
      @Get('/same')
      a(): void {}
    }
    @Route('/')
    class Second {
      @Get('/same')
      b(): void {}
    }
    @Module({ controllers: [First, Second] })
    class DupModule {}
    const error = errorOf(() =>
      createApp({ modules: [DupModule], config: { TESTING: true, CSRF_ENABLED: false } }),
    );
    expect(error.code).toBe('FLAGON_ROUTE_CONFLICT');
    expect(error.message).toContain('First.a');
    expect(error.message).toContain('Second.b');
  });

  it('two rules differing only in variable names conflict', () => {
    @Route('/')
    class Vars {
      @Get('/x/<a>')
      a(): void {}
      @Get('/x/<b>')
      b(): void {}
    }
    @Module({ controllers: [Vars] })
    class VarsModule {}
    expect(
      errorOf(() =>
        createApp({ modules: [VarsModule], config: { TESTING: true, CSRF_ENABLED: false } }),
      ).code,
    ).toBe('FLAGON_ROUTE_CONFLICT');
  });

  it('an unknown converter and a misplaced <path> fail at createApp', () => {
    @Route('/')
    class Unknown {
      @Get('/<hex:n>')
      a(): void {}
    }
    @Module({ controllers: [Unknown] })
    class UnknownModule {}
    expect(
      errorOf(() =>
        createApp({ modules: [UnknownModule], config: { TESTING: true, CSRF_ENABLED: false } }),
      ).code,
    ).toBe('FLAGON_ROUTE_UNKNOWN_CONVERTER');
    @Route('/')
    class Misplaced {
      @Get('/<path:p>/edit')
      a(): void {}
    }
    @Module({ controllers: [Misplaced] })
    class MisplacedModule {}
    expect(
      errorOf(() =>
        createApp({ modules: [MisplacedModule], config: { TESTING: true, CSRF_ENABLED: false } }),
      ).code,
    ).toBe('FLAGON_ROUTE_INVALID_RULE');
  });

  it('a controller class without @Route is refused', () => {
    class Plain {}
    @Module({ controllers: [Plain] })
    class PlainModule {}
    expect(
      errorOf(() =>
        createApp({ modules: [PlainModule], config: { TESTING: true, CSRF_ENABLED: false } }),
      ).code,
    ).toBe('FLAGON_ROUTE_NOT_CONTROLLER');
  });
});

describe('handler declaration errors', () => {
  it('the same { name } on two handlers of a module fails at createApp', () => {
    @Route('/')
    class Named {
      @Get('/a', { name: 'home' })
      a(): void {}
      @Get('/b', { name: 'home' })
      b(): void {}
    }
    @Module({ controllers: [Named] })
    class NamedModule {}
    const error = errorOf(() =>
      createApp({ modules: [NamedModule], config: { TESTING: true, CSRF_ENABLED: false } }),
    );
    expect(error.code).toBe('FLAGON_ROUTE_CONFLICT');
    expect(error.message).toContain('Named.a');
    expect(error.message).toContain('Named.b');
  });

  it('@Param naming a variable the rule lacks fails at init', async () => {
    @Route('/')
    class WrongParam {
      @Get('/<int:id>')
      show(@Param('ident') ident: number): number {
        return ident;
      }
    }
    @Module({ controllers: [WrongParam] })
    class WrongParamModule {}
    await expect(
      createApp({
        modules: [WrongParamModule],
        config: { TESTING: true, CSRF_ENABLED: false },
      }).init(),
    ).rejects.toMatchObject({
      code: 'FLAGON_ROUTE_INVALID_HANDLER',
      message: expect.stringContaining('<ident>') as string,
    });
  });

  it('a handler parameter without a decorator fails at init', async () => {
    @Route('/')
    class Undecorated {
      @Get('/')
      show(value: string): string {
        return value;
      }
    }
    @Module({ controllers: [Undecorated] })
    class UndecoratedModule {}
    await expect(
      createApp({
        modules: [UndecoratedModule],
        config: { TESTING: true, CSRF_ENABLED: false },
      }).init(),
    ).rejects.toMatchObject({
      code: 'FLAGON_ROUTE_INVALID_HANDLER',
      message: expect.stringContaining('Undecorated.show') as string,
    });
  });
});

describe('HEAD next to a declared HEAD route', () => {
  @Route('/files')
  class FileController {
    @Head('/<name>')
    probe(@Param('name') name: string): Response {
      return new Response(null, { headers: { 'x-probed': name } });
    }
    @Get('/latest')
    latest(): object {
      return { latest: true };
    }
  }
  @Module({ controllers: [FileController] })
  class FileModule {}
  const client = createApp({ modules: [FileModule], config: { TESTING: true } }).testClient();

  it('answers HEAD /files/latest with the GET route, not the declared HEAD /files/<name>', async () => {
    const head = await client.head('/files/latest');
    expect(head.status).toBe(200);
    expect(head.headers['x-probed']).toBeUndefined();
    expect(head.headers['content-type']).toBe('application/json; charset=utf-8');
    expect((await client.head('/files/report.pdf')).headers['x-probed']).toBe('report.pdf');
  });
});

describe('HEAD on streamed responses', () => {
  it('sends the headers and no body', async () => {
    let pulled = 0;
    @Route('/')
    class StreamController {
      @Get('/stream')
      stream(): AsyncIterable<string> {
        // eslint-disable-next-line @typescript-eslint/require-await -- an async generator for an AsyncIterable body; nothing to await
        return (async function* () {
          pulled++;
          yield 'data';
        })();
      }
    }
    @Module({ controllers: [StreamController] })
    class StreamModule {}
    const client = createApp({
      modules: [StreamModule],
      config: { TESTING: true, CSRF_ENABLED: false },
    }).testClient();
    const head = await client.head('/stream');
    expect([head.status, head.headers['content-type'], head.text]).toEqual([
      200,
      'application/octet-stream',
      '',
    ]);
    expect(pulled).toBe(0);
    expect((await client.get('/stream')).text).toBe('data');
  });
});

describe('trailing-slash redirects are safe', () => {
  @Route('/')
  class SlashController {
    @Get('/<a>/<b>/')
    pair(): string {
      return 'pair';
    }
  }
  @Module({ controllers: [SlashController] })
  class SlashModule {}
  const client = createApp({
    modules: [SlashModule],
    config: { TESTING: true, CSRF_ENABLED: false },
  }).testClient();

  @Route('/')
  class NumberController {
    @Get('/n/<int:id>/')
    number(): string {
      return 'number';
    }
  }
  @Module({ controllers: [NumberController] })
  class NumberModule {}
  const numbers = createApp({
    modules: [NumberModule],
    config: { TESTING: true, CSRF_ENABLED: false },
  }).testClient();

  it('redirects only to a URL that is served', async () => {
    expect((await numbers.get('/n/1')).headers['location']).toBe('/n/1/');
    expect((await numbers.get('/n/abc')).status).toBe(404);
    expect((await client.get('/x/y')).headers['location']).toBe('/x/y/');
  });

  it('never redirects to a protocol-relative URL', async () => {
    const res = await client.get('//evil.example');
    expect(res.status).toBe(404);
    expect(res.headers['location']).toBeUndefined();
  });
});

describe("Werkzeug's slash rule: a static segment matching with its slash wins over a converter", () => {
  @Route('/')
  class PagesController {
    @Get('/<name>')
    page(@Param('name') name: string): string {
      return `page ${name}`;
    }
    @Get('/docs/')
    docs(): string {
      return 'docs';
    }
    @Post('/<name>')
    postPage(@Param('name') name: string): string {
      return `posted ${name}`;
    }
    @Get('/<user>/<item>')
    item(@Param() params: object): object {
      return params;
    }
    @Get('/<user>/posts/')
    posts(@Param('user') user: string): string {
      return `posts of ${user}`;
    }
    @Get('/n/<int:id>/<name>')
    numbered(@Param() params: object): object {
      return params;
    }
    @Get('/n/<int:id>/edit/')
    edit(@Param('id') id: number): string {
      return `edit ${id}`;
    }
    @Get('/about')
    about(): string {
      return 'about';
    }
    @Get('/about/')
    aboutSlashed(): string {
      return 'about slashed';
    }
  }
  @Module({ controllers: [PagesController] })
  class PagesModule {}
  const client = createApp({
    modules: [PagesModule],
    config: { TESTING: true, CSRF_ENABLED: false },
  }).testClient();

  it('answers GET /docs with a 308 to /docs/ although /<name> matches it', async () => {
    const res = await client.get('/docs?q=a%20b');
    expect([res.status, res.headers['location']]).toEqual([308, '/docs/?q=a%20b']);
    expect((await client.get('/docs/')).text).toBe('docs');
    expect((await client.get('/readme')).text).toBe('page readme');
  });

  it('redirects HEAD too, but not a method the slashed rule does not take', async () => {
    expect((await client.head('/docs')).status).toBe(308);
    expect((await client.post('/docs')).text).toBe('posted docs');
  });

  it('applies below converters: /<user>/posts beats /<user>/<item>', async () => {
    const res = await client.get('/ann/posts');
    expect([res.status, res.headers['location']]).toEqual([308, '/ann/posts/']);
    expect((await client.get('/ann/posts/')).text).toBe('posts of ann');
    expect((await client.get('/ann/drafts')).json()).toEqual({ user: 'ann', item: 'drafts' });
  });

  it('redirects only where the slashed rule converts the values', async () => {
    expect((await client.get('/n/7/edit')).headers['location']).toBe('/n/7/edit/');
    expect((await client.get('/n/7/edit/')).text).toBe('edit 7');
    expect((await client.get('/n/7/view')).json()).toEqual({ id: 7, name: 'view' });
    expect((await client.get('/n/x/edit')).status).toBe(404);
    expect((await client.get('/n/x')).json()).toEqual({ user: 'n', item: 'x' });
  });

  it('leaves a path that has its own route alone', async () => {
    expect((await client.get('/about')).text).toBe('about');
    expect((await client.get('/about/')).text).toBe('about slashed');
  });
});

describe('several variables in one segment', () => {
  @Route('/')
  class SegmentController {
    @Get('/range/<int:a>-<int:b>')
    range(@Param() params: object): object {
      return params;
    }
    @Get('/file/<name>.<ext>')
    file(@Param() params: object): object {
      return params;
    }
    @Get('/v<int:n>/x')
    version(@Param() params: object): object {
      return params;
    }
  }
  @Module({ controllers: [SegmentController] })
  class SegmentModule {}
  const app = createApp({
    modules: [SegmentModule],
    config: { TESTING: true, CSRF_ENABLED: false },
  });
  const client = app.testClient();

  it('matches and converts each variable, and builds them back', async () => {
    expect((await client.get('/range/1-20')).json()).toEqual({ a: 1, b: 20 });
    expect((await client.get('/range/a-2')).status).toBe(404);
    expect((await client.get('/file/a.b.pdf')).json()).toEqual({ name: 'a.b', ext: 'pdf' });
    expect((await client.get('/v2/x')).json()).toEqual({ n: 2 });
    expect((await client.get('/vx/x')).status).toBe(404);
    expect(app.urlFor('segment.SegmentController.range', { a: 3, b: 4 })).toBe('/range/3-4');
    expect(app.urlFor('segment.SegmentController.file', { name: 'r', ext: 'txt' })).toBe(
      '/file/r.txt',
    );
  });
});

describe('trailing slash and HEAD with hooks', () => {
  @Route('/')
  class FormController {
    @Post('/submit/')
    submit(): string {
      return 'submitted';
    }
    @Get('/page')
    page(): string {
      return '<p>page</p>';
    }
  }
  @Module({ controllers: [FormController] })
  class FormModule {
    @AfterRequest()
    tag(response: Response): void {
      response.setHeader('x-hooked', '1');
    }
  }
  const client = createApp({
    modules: [FormModule],
    config: { TESTING: true, CSRF_ENABLED: false },
  }).testClient();

  it('a POST to the unslashed path gets a 308, which keeps the method', async () => {
    const res = await client.post('/submit', { json: { a: 1 } });
    expect([res.status, res.headers['location']]).toEqual([308, '/submit/']);
  });

  it('HEAD through module hooks keeps the headers and sends no body', async () => {
    const get = await client.get('/page');
    const head = await client.head('/page');
    expect([
      head.status,
      head.text,
      head.headers['x-hooked'],
      head.headers['content-length'],
    ]).toEqual([200, '', '1', get.headers['content-length']]);
  });
});
