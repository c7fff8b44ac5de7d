import {
  abort,
  BeforeRequest,
  Body,
  Query,
  createApp,
  ErrorHandler,
  Get,
  Module,
  Post,
  redirect,
  Req,
  Request,
  Response,
  Route,
} from '../../src';

// These tests exercise the kernel; CSRF protection (on by default) has its own suite, so it is off here.

@Route('/')
class EdgeController {
  @Post('/text')
  async text(@Req() req: Request): Promise<object> {
    return { text: await req.text(), type: req.header('content-type') };
  }
  @Post('/twice')
  async twice(@Body() body: unknown, @Req() req: Request): Promise<object> {
    return { body, again: await req.json(), raw: (await req.buffer()).length };
  }
  @Get('/non-ascii')
  nonAscii(): Response {
    return redirect('/ünï côde?q=a b&already=%20');
  }
  @Get('/throws-string')
  throwsString(): never {
    // eslint-disable-next-line @typescript-eslint/only-throw-error -- the route exists to throw a non-Error value
    throw 'plain string';
  }
  @Get('/bad-header')
  badHeader(): Response {
    return new Response('x').setHeader('x-injected', 'a\r\nset-cookie: evil=1');
  }
  @Get('/bad-cookie')
  badCookie(): Response {
    return new Response('x').setCookie('bad name', 'v');
  }
  @Get('/reject')
  reject(@Query('v') value: string): never {
    abort(400, `bad value ${value}`);
  }
  @Get('/handler-fails')
  handlerFails(): never {
    throw new RangeError('first');
  }
}

@Module({ controllers: [EdgeController] })
class EdgeModule {
  @BeforeRequest()
  async peek(req: Request): Promise<void> {
    // Reading the body in a hook must not starve the handler's @Body.
    if (req.path === '/twice') await req.json();
  }
  @ErrorHandler(RangeError)
  failing(): never {
    throw new Error('the error handler itself failed');
  }
}

// The 500 answers to failing handlers are what these tests check: errors are not propagated.
const client = createApp({
  modules: [EdgeModule],
  config: { TESTING: true, PROPAGATE_EXCEPTIONS: false, CSRF_ENABLED: false },
}).testClient();

describe('request body edges', () => {
  it('gives the raw text of a form post', async () => {
    expect((await client.post('/text', { form: { a: '1', b: ['x', 'y z'] } })).json()).toEqual({
      text: 'a=1&b=x&b=y+z',
      type: 'application/x-www-form-urlencoded',
    });
  });

  it('reads the body once: hooks, @Body and req.json() share it', async () => {
    expect((await client.post('/twice', { json: { a: 1 } })).json()).toEqual({
      body: { a: 1 },
      again: { a: 1 },
      raw: 7,
    });
  });

  it('refuses a body that is not UTF-8 with a 400', async () => {
    const res = await client.post('/twice', {
      body: Buffer.from([0x7b, 0xff, 0xfe, 0x7d]),
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status).toBe(400);
  });

  it('an empty JSON body is a 400, not a crash', async () => {
    const res = await client.post('/twice', { headers: { 'content-type': 'application/json' } });
    expect([res.status, res.json<{ error: string }>().error]).toEqual([400, 'body_invalid_json']);
  });

  it('a 413 asks the client to close the connection', async () => {
    const small = createApp({
      modules: [EdgeModule],
      config: { TESTING: true, CSRF_ENABLED: false, MAX_CONTENT_LENGTH: 4 },
    }).testClient();
    const res = await small.post('/twice', { json: { large: true } });
    expect([res.status, res.headers['connection']]).toEqual([413, 'close']);
  });
});

describe('response edges', () => {
  it('percent-encodes a non-ASCII redirect target without double-encoding', async () => {
    const res = await client.get('/non-ascii');
    expect(res.headers['location']).toBe('/%C3%BCn%C3%AF%20c%C3%B4de?q=a%20b&already=%20');
  });

  it('turns a thrown non-Error into a generic 500', async () => {
    const res = await client.get('/throws-string');
    expect([res.status, res.json()]).toEqual([
      500,
      { error: 'internal_server_error', message: 'Internal Server Error' },
    ]);
  });

  it('refuses header injection and invalid cookie names with a 500, sending neither', async () => {
    const header = await client.get('/bad-header');
    expect([header.status, header.headers['x-injected'], header.headers['set-cookie']]).toEqual([
      500,
      undefined,
      undefined,
    ]);
    const cookie = await client.get('/bad-cookie');
    expect([cookie.status, cookie.headers['set-cookie']]).toEqual([500, undefined]);
  });

  it('falls back to the default page when an error handler fails', async () => {
    const res = await client.get('/handler-fails');
    expect([res.status, res.json()]).toEqual([
      500,
      { error: 'internal_server_error', message: 'Internal Server Error' },
    ]);
  });
});

describe('error pages', () => {
  it('escape what the request put in the message', async () => {
    const res = await client.get('/reject', {
      query: { v: '<script>alert(1)</script>' },
      headers: { accept: 'text/html' },
    });
    expect(res.status).toBe(400);
    expect(res.text).not.toContain('<script>');
    // Escaped by the error template (Handlebars writes &lt;) or the fallback page (&#60;): either way, inert text.
    expect(res.text).toMatch(/&(lt|#60);script&(gt|#62);/);
  });
});
