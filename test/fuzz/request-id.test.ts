import fc from 'fast-check';
import { createApp, Get, Module, Req, Route, type Request } from '../../src';

@Route('/')
class IdController {
  @Get('/id')
  id(@Req() req: Request): { id: string } {
    return { id: req.id };
  }
}

@Module({ controllers: [IdController] })
class IdModule {}

const client = createApp({
  modules: [IdModule],
  config: { TESTING: true },
  env: false,
}).testClient();
const SAFE_ID = /^[\w.:@/+=-]{1,128}$/;

/** Header-legal text (visible ASCII and spaces), biased towards the characters a safe id may hold. */
const incomingId = fc.oneof(
  fc.stringMatching(/^[\w.:@/+=-]{1,140}$/),
  fc.string({
    unit: fc.constantFrom(...'abcXYZ019_.:@/+=-'.split('')),
    minLength: 1,
    maxLength: 140,
  }),
  fc.string({
    unit: fc.integer({ min: 0x20, max: 0x7e }).map((code) => String.fromCharCode(code)),
    minLength: 1,
    maxLength: 200,
  }),
);

describe('request id fuzzing', () => {
  it('honours and echoes a safe incoming X-Request-Id, and replaces any other', async () => {
    await fc.assert(
      fc.asyncProperty(incomingId, async (incoming) => {
        const res = await client.get('/id', { headers: { 'x-request-id': incoming } });
        expect(res.status).toBe(200);
        const { id } = res.json<{ id: string }>();
        if (SAFE_ID.test(incoming)) {
          expect(id).toBe(incoming);
          expect(res.headers['x-request-id']).toBe(incoming);
        } else {
          expect(id).not.toBe(incoming);
          expect(id).toMatch(SAFE_ID);
          expect(res.headers['x-request-id']).toBeUndefined();
        }
      }),
      { numRuns: 300 },
    );
  });

  it('gives every request without an id a distinct generated one', async () => {
    const ids = new Set<string>();
    for (let index = 0; index < 50; index++)
      ids.add((await client.get('/id')).json<{ id: string }>().id);
    expect(ids.size).toBe(50);
  });
});
