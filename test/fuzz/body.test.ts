import fc from 'fast-check';
import { Body, createApp, Module, Post, Req, Route, type Request } from '../../src';

@Route('/')
class BodyController {
  @Post('/json')
  json(@Body() body: unknown): { type: string } {
    return { type: body === null ? 'null' : typeof body };
  }

  @Post('/text')
  async text(@Req() req: Request): Promise<{ length: number }> {
    return { length: (await req.text()).length };
  }
}

@Module({ controllers: [BodyController] })
class BodyModule {}

const client = createApp({
  modules: [BodyModule],
  config: { TESTING: true, MAX_CONTENT_LENGTH: 256 },
  env: false,
}).testClient();

/** Valid JSON, JSON with a byte flipped or cut short, prototype-pollution keys, and random bytes. */
const bodies = fc.oneof(
  fc.json().map((text) => Buffer.from(text)),
  fc.tuple(fc.json(), fc.nat(), fc.integer({ min: 0, max: 255 })).map(([text, at, byte]) => {
    const bytes = Buffer.from(text);
    if (bytes.length > 0) bytes[at % bytes.length] = byte;
    return bytes;
  }),
  fc
    .tuple(fc.json(), fc.nat())
    .map(([text, cut]) => Buffer.from(text).subarray(0, cut % (text.length + 1))),
  fc
    .constantFrom(
      '{"__proto__":{"x":1}}',
      '{"constructor":{"prototype":{"x":1}}}',
      '[',
      '"\\ud800"',
      '1e999',
      '\ufeff{}',
    )
    .map((text) => Buffer.from(text)),
  fc.uint8Array({ maxLength: 400 }).map((bytes) => Buffer.from(bytes)),
);

describe('body parser fuzzing', () => {
  it('answers JSON bodies with 200, 400 or 413, never 500', async () => {
    await fc.assert(
      fc.asyncProperty(
        bodies,
        fc.constantFrom('application/json', 'application/json; charset=utf-8', 'text/plain'),
        async (body, type) => {
          const res = await client.post('/json', { body, headers: { 'content-type': type } });
          expect([200, 400, 413, 415]).toContain(res.status);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('answers text bodies with 200, 400 or 413, never 500', async () => {
    await fc.assert(
      fc.asyncProperty(bodies, async (body) => {
        const res = await client.post('/text', { body, headers: { 'content-type': 'text/plain' } });
        expect([200, 400, 413]).toContain(res.status);
      }),
      { numRuns: 200 },
    );
  });
});
