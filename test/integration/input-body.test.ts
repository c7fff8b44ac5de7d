import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IsEmail, IsInt, IsString, Length, Max, Min } from 'class-validator';
import fc from 'fast-check';
import {
  BeforeRequest,
  Body,
  BodyLimits,
  createApp,
  ErrorHandler,
  Module,
  Post,
  Request,
  Route,
} from '../../src';
import { multipart } from '../support/multipart';

class UserDto {
  @IsString() @Length(1, 50) name!: string;
  @IsEmail() email!: string;
  @IsInt() @Min(0) @Max(150) age!: number;
}

@Route('/')
class BodyController {
  @Post('raw')
  raw(@Body() body: unknown): object {
    return { body: body as object };
  }

  @Post('users')
  user(@Body() user: UserDto): object {
    return user;
  }

  @Post('small')
  @BodyLimits({ maxContentLength: 10 })
  small(@Body() body: unknown): object {
    return { body: body as object };
  }
}

@Route('/limited')
@BodyLimits({ maxFormParts: 2, maxContentLength: 1000 })
class LimitedController {
  @Post('/')
  form(@Body() body: unknown): object {
    return { body: body as object };
  }

  @Post('/wide')
  @BodyLimits({ maxFormParts: 5 })
  wide(@Body() body: unknown): object {
    return { body: body as object };
  }
}

@Module({ controllers: [BodyController, LimitedController] })
class BodyModule {}

const uploadDir = mkdtempSync(join(tmpdir(), 'flagon-test-body-'));
afterAll(() => rmSync(uploadDir, { recursive: true, force: true }));

// These tests exercise body parsing; CSRF protection (on by default) has its own suite.
function makeApp(config: Record<string, unknown> = {}) {
  return createApp({
    modules: [BodyModule],
    config: { TESTING: true, CSRF_ENABLED: false, UPLOAD_TEMP_DIR: uploadDir, ...config },
    env: false,
  });
}

const client = (config?: Record<string, unknown>) => makeApp(config).testClient();

const MULTIPART = { 'content-type': 'multipart/form-data; boundary=XyZ' };

describe('content-type dispatch', () => {
  it('parses JSON, url-encoded forms (repeated keys as arrays), multipart fields and text', async () => {
    const c = client();
    expect((await c.post('/raw', { json: { a: [1] } })).json()).toEqual({ body: { a: [1] } });
    expect(
      (
        await c.post('/raw', {
          body: 'tag=a&tag=b&q=x+y%21',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
        })
      ).json(),
    ).toEqual({ body: { tag: ['a', 'b'], q: 'x y!' } });
    expect(
      (
        await c.post('/raw', {
          body: multipart([
            { name: 'a', value: '1' },
            { name: 'a', value: '2' },
          ]),
          headers: MULTIPART,
        })
      ).json(),
    ).toEqual({ body: { a: ['1', '2'] } });
    expect(
      (
        await c.post('/raw', {
          body: 'héllo',
          headers: { 'content-type': 'text/plain; charset=utf-8' },
        })
      ).json(),
    ).toEqual({ body: 'héllo' });
  });

  it('validates multipart fields against a DTO, converting declared numbers', async () => {
    const res = await client().post('/users', {
      body: multipart([
        { name: 'name', value: 'Ann' },
        { name: 'email', value: 'a@b.co' },
        { name: 'age', value: '7' },
      ]),
      headers: MULTIPART,
    });
    expect(res.json()).toEqual({ name: 'Ann', email: 'a@b.co', age: 7 });
  });

  it.each([
    ['no content type', {}],
    ['an unknown content type', { 'content-type': 'application/xml' }],
  ])('answers 415 for %s', async (_name, headers) => {
    const res = await client().post('/raw', { body: '<a/>', headers });
    expect(res.status).toBe(415);
    expect(res.json()).toMatchObject({ error: 'body_unsupported_type' });
  });

  it('answers 415 for text/plain where a DTO is expected', async () => {
    expect(
      (await client().post('/users', { body: 'hi', headers: { 'content-type': 'text/plain' } }))
        .status,
    ).toBe(415);
  });
});

describe('JSON bodies', () => {
  it('answers 415 for a charset other than UTF-8', async () => {
    const res = await client().post('/raw', {
      body: '{}',
      headers: { 'content-type': 'application/json; charset=latin1' },
    });
    expect(res.status).toBe(415);
  });

  it('accepts an explicit UTF-8 charset in any case', async () => {
    expect(
      (
        await client().post('/raw', {
          body: '{"a":1}',
          headers: { 'content-type': 'application/json; charset=UTF-8' },
        })
      ).status,
    ).toBe(200);
  });

  it('answers 400 for invalid UTF-8', async () => {
    const res = await client().post('/raw', {
      body: Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0x22, 0x7d]),
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status).toBe(400);
    expect(res.json()).toMatchObject({ error: 'body_invalid_utf8' });
  });

  it.each(['{"a":', '{a:1}', '', '{"a":1}}'])('answers 400 for broken JSON %p', async (body) => {
    const res = await client().post('/raw', {
      body,
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status).toBe(400);
  });

  it('answers 400 past JSON_MAX_DEPTH, counting only structure outside strings', async () => {
    const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);
    expect(
      (
        await client().post('/raw', {
          body: nested(32),
          headers: { 'content-type': 'application/json' },
        })
      ).status,
    ).toBe(200);
    const res = await client().post('/raw', {
      body: nested(33),
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status).toBe(400);
    expect(res.json()).toMatchObject({ error: 'body_too_deep', limit: 'JSON_MAX_DEPTH' });
    expect(
      (await client().post('/raw', { json: { s: '[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["\\"[[[' } }))
        .status,
    ).toBe(200);
    expect(
      (await client({ JSON_MAX_DEPTH: 2 }).post('/raw', { json: { a: { b: { c: 1 } } } })).status,
    ).toBe(400);
  });

  it('refuses a 100k-deep document without exhausting the stack', async () => {
    const body = '{"a":'.repeat(100_000) + '1' + '}'.repeat(100_000);
    const res = await client({ MAX_CONTENT_LENGTH: 10_000_000 }).post('/raw', {
      body,
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status).toBe(400);
    expect(res.json()).toMatchObject({ error: 'body_too_deep' });
  });
});

describe('limits', () => {
  it('answers 413 over MAX_CONTENT_LENGTH, naming it', async () => {
    const res = await client({ MAX_CONTENT_LENGTH: 100 }).post('/raw', {
      json: { a: 'x'.repeat(200) },
    });
    expect(res.status).toBe(413);
    expect(res.json()).toMatchObject({ error: 'body_too_large', limit: 'MAX_CONTENT_LENGTH' });
  });

  it('applies per-route @BodyLimits', async () => {
    const res = await client().post('/small', { json: { a: 'x'.repeat(20) } });
    expect(res.status).toBe(413);
    expect(res.json()).toMatchObject({ limit: '@BodyLimits maxContentLength' });
  });

  it("applies controller-level @BodyLimits, with the handler's own winning", async () => {
    const c = client();
    const res = await c.post('/limited/', {
      body: 'a=1&b=2&c=3',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(res.status).toBe(413);
    expect(res.json()).toMatchObject({ limit: '@BodyLimits maxFormParts' });
    expect(
      (
        await c.post('/limited/wide', {
          body: 'a=1&b=2&c=3',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
        })
      ).status,
    ).toBe(200);
    expect((await c.post('/limited/wide', { json: { a: 'x'.repeat(2000) } })).status).toBe(413);
  });

  it('answers 413 over MAX_FORM_PARTS url-encoded fields', async () => {
    const body = Array.from({ length: 6 }, (_, i) => `f${i}=1`).join('&');
    const res = await client({ MAX_FORM_PARTS: 5 }).post('/raw', {
      body,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(res.status).toBe(413);
    expect(res.json()).toMatchObject({ limit: 'MAX_FORM_PARTS' });
  });

  it('answers 413 over MAX_FORM_MEMORY_SIZE for a url-encoded body', async () => {
    const res = await client({ MAX_FORM_MEMORY_SIZE: 50 }).post('/raw', {
      form: { a: 'x'.repeat(100) },
    });
    expect(res.status).toBe(413);
    expect(res.json()).toMatchObject({ limit: 'MAX_FORM_MEMORY_SIZE' });
  });

  it('answers 400 for malformed percent-encoding in a form', async () => {
    const res = await client().post('/raw', {
      body: 'a=%E0%A4%A',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(res.status).toBe(400);
  });

  it('answers 413 for a multipart field over MAX_FORM_MEMORY_SIZE', async () => {
    const res = await client({ MAX_FORM_MEMORY_SIZE: 10 }).post('/raw', {
      body: multipart([{ name: 'a', value: 'x'.repeat(50) }]),
      headers: MULTIPART,
    });
    expect(res.status).toBe(413);
    expect(res.json()).toMatchObject({ limit: 'MAX_FORM_MEMORY_SIZE' });
  });

  it('answers 413 over MAX_FORM_PARTS multipart parts', async () => {
    const parts = Array.from({ length: 4 }, (_, i) => ({ name: `f${i}`, value: '1' }));
    const res = await client({ MAX_FORM_PARTS: 3 }).post('/raw', {
      body: multipart(parts),
      headers: MULTIPART,
    });
    expect(res.status).toBe(413);
    expect(res.json()).toMatchObject({ limit: 'MAX_FORM_PARTS' });
  });

  it('answers 413 over MAX_CONTENT_LENGTH for a multipart body', async () => {
    const app = makeApp({ MAX_CONTENT_LENGTH: 100 });
    const res = await app.testClient().post('/raw', {
      body: multipart([{ name: 'a', value: 'x'.repeat(500) }]),
      headers: { ...MULTIPART },
    });
    expect(res.status).toBe(413);
  });
});

describe('malformed multipart', () => {
  it('answers 400 for a truncated body', async () => {
    const body = multipart([{ name: 'a', value: 'hello' }]).subarray(0, 40);
    const res = await client().post('/raw', { body, headers: MULTIPART });
    expect(res.status).toBe(400);
    expect(res.json()).toMatchObject({ error: 'body_malformed' });
  });

  it('answers 400 for a body with another boundary', async () => {
    const res = await client().post('/raw', {
      body: multipart([{ name: 'a', value: 'hello' }], 'Other'),
      headers: MULTIPART,
    });
    expect(res.status).toBe(400);
  });

  it('answers 400 without a boundary parameter', async () => {
    const res = await client().post('/raw', {
      body: multipart([{ name: 'a', value: 'hello' }]),
      headers: { 'content-type': 'multipart/form-data' },
    });
    expect(res.status).toBe(400);
  });
});

describe('random bytes (property)', () => {
  const app = makeApp({ MAX_FORM_PARTS: 50 });
  const c = app.testClient();
  it.each([
    'application/json',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=XyZ',
    'text/plain',
    'application/octet-stream',
  ])('never crashes and always answers 4xx for %s', async (contentType) => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 512 }), async (bytes) => {
        const res = await c.post('/users', {
          body: Buffer.from(bytes),
          headers: { 'content-type': contentType },
        });
        expect(res.status).toBeGreaterThanOrEqual(400);
        expect(res.status).toBeLessThan(500);
      }),
      { numRuns: 60 },
    );
  });

  it('answers 4xx for a file part cut off after random bytes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 300 }), async (bytes) => {
        const head = Buffer.from(
          '--XyZ\r\nContent-Disposition: form-data; name="f"; filename="a.bin"\r\n\r\n',
        );
        const res = await c.post('/users', {
          body: Buffer.concat([head, Buffer.from(bytes)]),
          headers: MULTIPART,
        });
        expect(res.status).toBeGreaterThanOrEqual(400);
        expect(res.status).toBeLessThan(500);
      }),
      { numRuns: 40 },
    );
  });

  it('answers 4xx for random multipart built around the right boundary', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ maxLength: 200 }),
        fc.uint8Array({ maxLength: 200 }),
        async (text, bytes) => {
          const body = Buffer.concat([Buffer.from(`--XyZ\r\n${text}`), Buffer.from(bytes)]);
          const res = await c.post('/users', { body, headers: MULTIPART });
          expect(res.status).toBeGreaterThanOrEqual(400);
          expect(res.status).toBeLessThan(500);
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('413 over real HTTP', () => {
  it.each([
    ['application/json', false],
    ['application/json', true],
    ['multipart/form-data; boundary=XyZ', false],
    ['multipart/form-data; boundary=XyZ', true],
  ])(
    'reaches a client that is still sending a large %s body (declared length: %p)',
    async (contentType, isDeclared) => {
      const app = makeApp({ MAX_CONTENT_LENGTH: 1024 });
      const { port } = await app.listen({ port: 0 });
      try {
        const status = await new Promise<number>((resolve, reject) => {
          const req = httpRequest(
            {
              port,
              method: 'POST',
              path: '/raw',
              headers: {
                'content-type': contentType,
                ...(isDeclared
                  ? { 'content-length': String(8 * 1024 * 1024) }
                  : { 'transfer-encoding': 'chunked' }),
              },
            },
            (res) => {
              res.resume();
              resolve(res.statusCode ?? 0);
            },
          );
          req.on('error', reject);
          const total = 8 * 1024 * 1024;
          const chunk = Buffer.alloc(64 * 1024, 0x20);
          let sent = 0;
          if (contentType.startsWith('multipart')) {
            const head = Buffer.from(
              '--XyZ\r\nContent-Disposition: form-data; name="f"; filename="a.bin"\r\n\r\n',
            );
            req.write(head);
            sent = head.length;
          }
          // Keep sending the whole 8 MiB unless the response arrives or the server closes first.
          const pump = (): void => {
            while (sent < total) {
              const piece = chunk.subarray(0, Math.min(chunk.length, total - sent));
              sent += piece.length;
              if (!req.write(piece)) {
                req.once('drain', pump);
                return;
              }
            }
            req.end();
          };
          pump();
        });
        expect(status).toBe(413);
      } finally {
        await app.close();
      }
    },
  );
});

describe('a body already read by a hook', () => {
  @Route('/')
  class PeekController {
    @Post('peek')
    peek(@Body() body: unknown): object {
      return { body: body as object };
    }
  }

  @Module({ controllers: [PeekController] })
  class PeekModule {
    @BeforeRequest()
    async peek(req: Request): Promise<void> {
      await req.buffer();
    }
  }

  const peekClient = () =>
    createApp({
      modules: [PeekModule],
      config: { TESTING: true, CSRF_ENABLED: false, UPLOAD_TEMP_DIR: uploadDir },
      env: false,
    }).testClient();

  it('is parsed from the shared buffer for JSON, forms and multipart', async () => {
    expect((await peekClient().post('/peek', { json: { a: 1 } })).json()).toEqual({
      body: { a: 1 },
    });
    expect((await peekClient().post('/peek', { form: { a: '1' } })).json()).toEqual({
      body: { a: '1' },
    });
    expect(
      (
        await peekClient().post('/peek', {
          body: multipart([{ name: 'a', value: '1' }]),
          headers: MULTIPART,
        })
      ).json(),
    ).toEqual({ body: { a: '1' } });
  });
});

describe('a slow 413 error handler', () => {
  @Route('/')
  class SlowController {
    @Post('upload')
    upload(@Body() body: unknown): object {
      return { body: body as object };
    }
  }

  @Module({ controllers: [SlowController] })
  class SlowModule {
    @ErrorHandler(413)
    async tooLarge(): Promise<object> {
      // Let well over DISCARD_LIMIT arrive before the response exists.
      for (let i = 0; i < 200; i++) await new Promise((resolve) => setImmediate(resolve));
      return { error: 'too big, slowly' };
    }
  }

  it('still gets its response to a client that keeps sending', async () => {
    const app = createApp({
      modules: [SlowModule],
      config: { TESTING: true, CSRF_ENABLED: false, MAX_CONTENT_LENGTH: 1024 },
      env: false,
    });
    const { port } = await app.listen({ port: 0 });
    try {
      const result = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = httpRequest(
          {
            port,
            method: 'POST',
            path: '/upload',
            headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
          },
          (res) => {
            let body = '';
            res.setEncoding('utf8');
            res.on('data', (chunk: string) => (body += chunk));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
            res.on('error', reject);
          },
        );
        req.on('error', reject);
        const chunk = Buffer.alloc(64 * 1024, 0x20);
        let sent = 0;
        const pump = (): void => {
          while (sent < 16 * 1024 * 1024) {
            sent += chunk.length;
            if (!req.write(chunk)) {
              req.once('drain', pump);
              return;
            }
          }
          req.end();
        };
        pump();
      });
      expect(result).toEqual({ status: 413, body: JSON.stringify({ error: 'too big, slowly' }) });
    } finally {
      await app.close();
    }
  });
});

it('leaves no temp files behind after all of the above', () => {
  expect(readdirSync(uploadDir)).toEqual([]);
});
