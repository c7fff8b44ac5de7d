import { request as httpRequest } from 'node:http';
import { Readable } from 'node:stream';
import {
  // These tests exercise the kernel; CSRF protection (on by default) has its own suite, so it is off here.
  abort,
  BadRequest,
  Body,
  Conflict,
  createApp,
  Delete,
  Get,
  Header,
  Headers,
  HttpError,
  Module,
  NotFound,
  Param,
  PayloadTooLarge,
  Post,
  Query,
  redirect,
  Req,
  Request,
  Response,
  Route,
  Status,
  ERROR_CODES,
} from '../../src';

@Route('/')
class EchoController {
  @Get('/query')
  query(
    @Req() req: Request,
    @Query('tag') tags: string[],
    @Query('q') q: string | undefined,
    @Query() all: object,
  ): object {
    return {
      query: { ...req.query },
      tags,
      q,
      all: { ...all },
      all2: req.queryAll('tag'),
      none: req.queryAll('none'),
    };
  }
  @Get('/headers')
  headers(
    @Headers('x-custom') custom: string | undefined,
    @Headers() all: Record<string, unknown>,
    req: Request,
  ): object {
    return {
      custom,
      hasAll: typeof all['host'] === 'string',
      fromReq: req.header('X-Custom'),
      cookies: { ...req.cookies },
    };
  }
  @Get('/client')
  client(@Req() req: Request): object {
    return {
      ip: req.ip,
      protocol: req.protocol,
      host: req.host,
      path: req.path,
      url: req.url,
      method: req.method,
    };
  }
  @Get('/object')
  object(): object {
    return { a: 1 };
  }
  @Get('/array')
  array(): unknown[] {
    return [1, 'two'];
  }
  @Get('/html')
  html(): string {
    return '<p>hi</p>';
  }
  @Get('/nothing')
  nothing(): void {}
  @Get('/full')
  full(): Response {
    return new Response('custom', {
      status: 202,
      headers: { 'content-type': 'text/plain', 'x-one': '1' },
    })
      .appendHeader('vary', 'Accept')
      .appendHeader('vary', 'Cookie')
      .setCookie('sid', 'abc', {
        httpOnly: true,
        secure: true,
        sameSite: 'strict',
        maxAge: 60,
        path: '/app',
        domain: 'example.com',
        expires: new Date(Date.UTC(2030, 0, 1)),
        partitioned: true,
        priority: 'high',
      })
      .deleteCookie('old');
  }
  @Get('/buffer')
  buffer(): Buffer {
    return Buffer.from([0, 1, 2, 255]);
  }
  @Get('/stream')
  stream(): Response {
    return new Response(Readable.from(['a', 'b', 'c']), {
      headers: { 'content-type': 'text/plain' },
    });
  }
  @Get('/iterable')
  iterable(): AsyncIterable<string> {
    return (async function* () {
      yield 'x';
      await Promise.resolve();
      yield 'y';
    })();
  }
  @Get('/redirect')
  redirectDefault(): Response {
    return redirect('/elsewhere?x=1');
  }
  @Get('/redirect-301')
  redirectPermanent(): Response {
    return redirect('/moved', 301);
  }
  @Get('/redirect-crlf')
  redirectCrlf(@Query('to') to: string): Response {
    return redirect(to);
  }
  @Get('/abort')
  abortIt(): never {
    abort(404, 'No post 7');
  }
  @Get('/abort-teapot')
  abortTeapot(): never {
    abort(418);
  }
  @Get('/conflict')
  conflict(): never {
    throw new Conflict('already exists');
  }
  @Post('/created')
  @Status(201)
  @Header('x-made-by', 'flagon')
  created(): object {
    return { id: 1 };
  }
  @Get('/csv')
  @Header('content-type', 'text/csv; charset=utf-8')
  csv(): string {
    return 'a,b\n1,2\n';
  }
  @Get('/typed-response')
  @Header('content-type', 'text/csv; charset=utf-8')
  typedResponse(): Response {
    return Response.text('its own type');
  }
  @Delete('/created')
  @Status(202)
  accepted(): void {}
  @Get('/params/<int:id>')
  params(@Param('id') id: number, @Param() all: object, @Query('x') x?: string): object {
    return { id, all, x };
  }
  @Post('/json')
  json(@Body() body: unknown): object {
    return { body };
  }
  @Get('/async')
  async asyncHandler(): Promise<object> {
    await new Promise<void>((resolve) => setImmediate(resolve));
    return { isAsync: true };
  }
  @Get('/async-throw')
  async asyncThrow(): Promise<never> {
    await Promise.resolve();
    throw new BadRequest('bad input');
  }
}

@Module({ controllers: [EchoController] })
class EchoModule {}

const app = createApp({ modules: [EchoModule], config: { TESTING: true, CSRF_ENABLED: false } });
const client = app.testClient();

describe('Request', () => {
  it('parses a multi-valued query', async () => {
    const res = await client.get('/query?tag=a&tag=b&q=x%20y');
    expect(res.json()).toEqual({
      query: { tag: ['a', 'b'], q: 'x y' },
      tags: ['a', 'b'],
      q: 'x y',
      all: { tag: ['a', 'b'], q: 'x y' },
      all2: ['a', 'b'],
      none: [],
    });
    const single = (await client.get('/query', { query: { tag: 'only' } })).json<
      Record<string, unknown>
    >();
    expect([single['tags'], 'q' in single]).toEqual([['only'], false]);
  });

  it('gives a single query value as a one-element array to an array parameter', async () => {
    expect((await client.get('/query?tag=solo')).json()).toMatchObject({ tags: ['solo'] });
  });

  it('reads headers (case-insensitively) and cookies', async () => {
    const res = await client.get('/headers', {
      headers: { 'X-Custom': 'v', cookie: 'a=1; b=two%20words' },
    });
    expect(res.json()).toEqual({
      custom: 'v',
      hasAll: true,
      fromReq: 'v',
      cookies: { a: '1', b: 'two words' },
    });
  });

  it('ignores X-Forwarded-* without TRUST_PROXY and honours them with it', async () => {
    const headers = {
      'x-forwarded-for': '203.0.113.7, 10.0.0.1',
      'x-forwarded-proto': 'https',
      'x-forwarded-host': 'public.example',
      host: 'internal:3000',
    };
    const direct = (await client.get('/client?a=1', { headers })).json();
    expect(direct).toMatchObject({
      ip: '127.0.0.1',
      protocol: 'http',
      host: 'internal:3000',
      path: '/client',
      url: '/client?a=1',
      method: 'GET',
    });
    const proxied = createApp({
      modules: [EchoModule],
      config: { TESTING: true, CSRF_ENABLED: false, TRUST_PROXY: true },
    }).testClient();
    expect((await proxied.get('/client', { headers })).json()).toMatchObject({
      ip: '203.0.113.7',
      protocol: 'https',
      host: 'public.example',
    });
    const oneHop = createApp({
      modules: [EchoModule],
      config: { TESTING: true, CSRF_ENABLED: false, TRUST_PROXY: 1 },
    }).testClient();
    expect((await oneHop.get('/client', { headers })).json()).toMatchObject({ ip: '10.0.0.1' });
  });

  it('gives route params converted, alone or all together', async () => {
    expect((await client.get('/params/5?x=y')).json()).toEqual({ id: 5, all: { id: 5 }, x: 'y' });
  });
});

describe('return values', () => {
  it('turns objects and arrays into JSON', async () => {
    const object = await client.get('/object');
    expect([object.status, object.headers['content-type'], object.json()]).toEqual([
      200,
      'application/json; charset=utf-8',
      { a: 1 },
    ]);
    expect((await client.get('/array')).json()).toEqual([1, 'two']);
  });

  it('turns a string into HTML', async () => {
    const res = await client.get('/html');
    expect([res.headers['content-type'], res.text]).toEqual([
      'text/html; charset=utf-8',
      '<p>hi</p>',
    ]);
  });

  it('turns undefined into a 204', async () => {
    const res = await client.get('/nothing');
    expect([res.status, res.text]).toEqual([204, '']);
  });

  it('sends a Response with its status, headers and cookies with every attribute', async () => {
    const res = await client.get('/full');
    expect([res.status, res.text, res.headers['content-type'], res.headers['x-one']]).toEqual([
      202,
      'custom',
      'text/plain',
      '1',
    ]);
    expect([res.headers['vary']].flat().join(', ')).toBe('Accept, Cookie');
    const cookies = res.headers['set-cookie'] as string[];
    expect(cookies[0]).toBe(
      'sid=abc; Max-Age=60; Domain=example.com; Path=/app; Expires=Tue, 01 Jan 2030 00:00:00 GMT; HttpOnly; Secure; Partitioned; Priority=High; SameSite=Strict',
    );
    expect(cookies[1]).toMatch(/^old=; Max-Age=0; Path=\/; Expires=Thu, 01 Jan 1970 00:00:00 GMT$/);
  });

  it('sends a Buffer as bytes', async () => {
    const res = await client.get('/buffer');
    expect(res.headers['content-type']).toBe('application/octet-stream');
    expect([...res.body]).toEqual([0, 1, 2, 255]);
  });

  it('streams a Readable and an async iterable', async () => {
    const stream = await client.get('/stream');
    expect([stream.headers['content-type'], stream.text]).toEqual(['text/plain', 'abc']);
    expect((await client.get('/iterable')).text).toBe('xy');
  });

  it('supports async handlers, resolving and throwing', async () => {
    expect((await client.get('/async')).json()).toEqual({ isAsync: true });
    const res = await client.get('/async-throw');
    expect([res.status, res.json()]).toEqual([400, { error: 'bad_request', message: 'bad input' }]);
  });

  it('applies @Status and @Header', async () => {
    const res = await client.post('/created');
    expect([res.status, res.headers['x-made-by'], res.json()]).toEqual([201, 'flagon', { id: 1 }]);
    expect((await client.delete('/created')).status).toBe(202);
  });

  it('@Header content-type sets the type of a plain result, not of a returned Response', async () => {
    const csv = await client.get('/csv');
    expect([csv.headers['content-type'], csv.text]).toEqual([
      'text/csv; charset=utf-8',
      'a,b\n1,2\n',
    ]);
    expect((await client.get('/typed-response')).headers['content-type']).toBe(
      'text/plain; charset=utf-8',
    );
  });
});

describe('redirects and HTTP errors', () => {
  it('redirects with 302 by default or the given status', async () => {
    const found = await client.get('/redirect');
    expect([found.status, found.headers['location']]).toEqual([302, '/elsewhere?x=1']);
    const moved = await client.get('/redirect-301');
    expect([moved.status, moved.headers['location']]).toEqual([301, '/moved']);
  });

  it('refuses CR/LF in a redirect target', async () => {
    expect(() => redirect('/a\r\nSet-Cookie: x=1')).toThrow(
      expect.objectContaining({ code: 'FLAGON_RESPONSE_INVALID_REDIRECT' }) as Error,
    );
    expect(() => redirect('/a', 200)).toThrow(
      expect.objectContaining({ code: 'FLAGON_RESPONSE_INVALID_REDIRECT' }) as Error,
    );
    const res = await client.get('/redirect-crlf?to=%2Fa%0D%0ASet-Cookie%3A%20x%3D1');
    expect(res.status).toBe(500);
    expect(res.headers['set-cookie']).toBeUndefined();
  });

  it('abort(404, message) is a 404 with the message', async () => {
    const res = await client.get('/abort');
    expect([res.status, res.json()]).toEqual([404, { error: 'not_found', message: 'No post 7' }]);
    expect((await client.get('/abort-teapot')).status).toBe(418);
  });

  it('HttpError subclasses carry stable codes and statuses', async () => {
    const res = await client.get('/conflict');
    expect([res.status, res.json()]).toEqual([
      409,
      { error: 'conflict', message: 'already exists' },
    ]);
    const notFound = new NotFound();
    expect([
      notFound.code,
      notFound.status,
      notFound instanceof HttpError,
      notFound.message,
    ]).toEqual(['FLAGON_HTTP_NOT_FOUND', 404, true, 'Not Found']);
    expect([new PayloadTooLarge().code, new PayloadTooLarge().status]).toEqual([
      'FLAGON_HTTP_PAYLOAD_TOO_LARGE',
      413,
    ]);
    expect(ERROR_CODES.FLAGON_HTTP_BAD_REQUEST.status).toBe(400);
  });

  it('answers HTML errors to browsers', async () => {
    const res = await client.get('/abort', { headers: { accept: 'text/html' } });
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.text).toContain('No post 7');
  });
});

describe('@Body JSON', () => {
  it('parses JSON', async () => {
    expect((await client.post('/json', { json: { a: [1, { b: null }] } })).json()).toEqual({
      body: { a: [1, { b: null }] },
    });
  });

  it('is a 400 naming the problem for malformed JSON', async () => {
    const res = await client.post('/json', {
      body: '{"a": 1,',
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status).toBe(400);
    expect(res.json()).toMatchObject({
      error: 'body_invalid_json',
      message: expect.stringContaining('not valid JSON') as string,
    });
  });

  it('refuses __proto__ and constructor.prototype keys', async () => {
    for (const body of [
      '{"__proto__": {"admin": true}}',
      '{"a": {"constructor": {"prototype": {"admin": true}}}}',
    ]) {
      const res = await client.post('/json', {
        body,
        headers: { 'content-type': 'application/json' },
      });
      expect([res.status, res.json<{ error: string }>().error]).toEqual([
        400,
        'body_forbidden_key',
      ]);
    }
    expect(({} as Record<string, unknown>)['admin']).toBeUndefined();
  });

  it('is a 413 over the 1 MiB default', async () => {
    const big = JSON.stringify({ data: 'x'.repeat(1024 * 1024) });
    const res = await client.post('/json', {
      body: big,
      headers: { 'content-type': 'application/json' },
    });
    expect([res.status, res.json<{ error: string }>().error]).toEqual([413, 'body_too_large']);
    const fits = JSON.stringify({ data: 'x'.repeat(1024 * 1024 - 20) });
    expect(
      (await client.post('/json', { body: fits, headers: { 'content-type': 'application/json' } }))
        .status,
    ).toBe(200);
  });

  it('honours a configured MAX_CONTENT_LENGTH', async () => {
    const small = createApp({
      modules: [EchoModule],
      config: { TESTING: true, CSRF_ENABLED: false, MAX_CONTENT_LENGTH: 10 },
    }).testClient();
    expect((await small.post('/json', { json: { a: 1 } })).status).toBe(200);
    expect((await small.post('/json', { json: { abc: 'defghijk' } })).status).toBe(413);
  });

  it('is a 413 for a chunked body without Content-Length, over real HTTP', async () => {
    const small = createApp({
      modules: [EchoModule],
      config: { TESTING: true, CSRF_ENABLED: false, MAX_CONTENT_LENGTH: 1024 },
    });
    const { port } = await small.listen({ port: 0 });
    try {
      const result = await new Promise<{ status: number; body: string; handlerSaw: boolean }>(
        (resolve, reject) => {
          const req = httpRequest(
            {
              port,
              host: '127.0.0.1',
              method: 'POST',
              path: '/json',
              headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
            },
            (res) => {
              let body = '';
              res.setEncoding('utf8');
              res.on('data', (chunk: string) => (body += chunk));
              res.on('end', () =>
                resolve({ status: res.statusCode ?? 0, body, handlerSaw: false }),
              );
            },
          );
          req.on('error', reject);
          req.write('{"data":"');
          // Several chunks, none declaring the total size.
          for (let i = 0; i < 8; i++) req.write('y'.repeat(512));
          req.end('"}');
        },
      );
      expect(result.status).toBe(413);
      expect(JSON.parse(result.body)).toMatchObject({ error: 'body_too_large' });
    } finally {
      await small.close();
    }
  });

  it('is a 413 from Content-Length before the body is read, over real HTTP', async () => {
    const small = createApp({
      modules: [EchoModule],
      config: { TESTING: true, CSRF_ENABLED: false, MAX_CONTENT_LENGTH: 1024 },
    });
    const { port } = await small.listen({ port: 0 });
    try {
      const status = await new Promise<number>((resolve, reject) => {
        const req = httpRequest(
          {
            port,
            host: '127.0.0.1',
            method: 'POST',
            path: '/json',
            headers: {
              'content-type': 'application/json',
              'content-length': String(10 * 1024 * 1024),
            },
          },
          (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          },
        );
        req.on('error', reject);
        // Send only the start: the answer must come without the rest.
        req.write('{"data":"');
      });
      expect(status).toBe(413);
    } finally {
      await small.close();
    }
  });
});
