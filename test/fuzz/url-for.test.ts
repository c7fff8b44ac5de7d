import fc from 'fast-check';
import { createApp, Get, Module, Req, Route, type Request } from '../../src';

@Route('/r')
class RoundTripController {
  @Get('/int/<int:id>')
  int(@Req() req: Request): unknown {
    return { endpoint: req.endpoint, params: req.params };
  }

  @Get('/float/<float:x>')
  float(@Req() req: Request): unknown {
    return { endpoint: req.endpoint, params: req.params };
  }

  @Get('/uuid/<uuid:id>')
  uuid(@Req() req: Request): unknown {
    return { endpoint: req.endpoint, params: req.params };
  }

  @Get('/string/<name>/end')
  string(@Req() req: Request): unknown {
    return { endpoint: req.endpoint, params: req.params };
  }

  @Get('/path/<path:rest>')
  path(@Req() req: Request): unknown {
    return { endpoint: req.endpoint, params: req.params };
  }

  @Get('/mix/<int:a>/<name>/<float:b>')
  mix(@Req() req: Request): unknown {
    return { endpoint: req.endpoint, params: req.params, query: req.query };
  }
}

@Module({ prefix: '/blog', controllers: [RoundTripController] })
class RoundTripModule {}

const app = createApp({ modules: [RoundTripModule], config: { TESTING: true }, env: false });
const client = app.testClient();
const endpointOf = (method: string): string =>
  app.routes().find((route) => route.endpoint.endsWith(`.${method}`))?.endpoint ?? method;

/** Werkzeug's string converter takes any non-empty segment text; `.` and `..` are path syntax, not values. */
const segmentText = fc
  .string({ unit: 'grapheme', minLength: 1, maxLength: 16 })
  .filter((text) => !text.includes('/') && text !== '.' && text !== '..');
const floatValue = fc.oneof(
  fc.double({ min: 0, max: Number.MAX_VALUE, noNaN: true }),
  fc.integer({ min: 0, max: 1_000_000 }).map((n) => n / 1000),
);

const cases = fc.oneof(
  fc.nat().map((id) => ({ method: 'int', params: { id } })),
  floatValue.map((x) => ({ method: 'float', params: { x } })),
  fc.uuid().map((id) => ({ method: 'uuid', params: { id } })),
  segmentText.map((name) => ({ method: 'string', params: { name } })),
  fc
    .array(segmentText, { minLength: 1, maxLength: 4 })
    .map((parts) => ({ method: 'path', params: { rest: parts.join('/') } })),
  fc
    .tuple(fc.nat(), segmentText, floatValue)
    .map(([a, name, b]) => ({ method: 'mix', params: { a, name, b } })),
);

describe('urlFor round-trips', () => {
  it('routes the URL urlFor builds back to the same endpoint with equal params', async () => {
    await fc.assert(
      fc.asyncProperty(cases, async ({ method, params }) => {
        const endpoint = endpointOf(method);
        const url = app.urlFor(endpoint, params);
        const res = await client.get(url);
        expect(res.status).toBe(200);
        expect(res.json()).toMatchObject({ endpoint, params });
      }),
      { numRuns: 300 },
    );
  });

  it('carries extra params through the query string', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.nat(),
        segmentText,
        fc.string({ unit: 'grapheme', maxLength: 20 }),
        async (a, name, extra) => {
          const endpoint = endpointOf('mix');
          const res = await client.get(app.urlFor(endpoint, { a, name, b: 1.5, extra }));
          expect(res.json()).toMatchObject({
            endpoint,
            params: { a, name, b: 1.5 },
            query: { extra },
          });
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe('float converter formatting (found by the round-trip property)', () => {
  it.each([
    [5e-7, '0.0000005'],
    [5e-324, `0.${'0'.repeat(323)}5`],
    [1e21, '1000000000000000000000.0'],
    [1.5e22, '15000000000000000000000.0'],
    [3, '3.0'],
  ])('writes %p without exponent notation', (value, text) => {
    expect(app.urlFor(endpointOf('float'), { x: value })).toBe(`/blog/r/float/${text}`);
  });
});
