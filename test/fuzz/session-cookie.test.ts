import fc from 'fast-check';
import { createApp, Get, HttpSession, Module, Route, Session } from '../../src';
import { Signer } from '../../src/signing/signer';
import { encodeSession } from '../../src/sessions/cookie-session';

const SECRET = 'k'.repeat(40);

@Route('/')
class VisitsController {
  @Get('/visits')
  visits(@Session() current: HttpSession): { visits: number } {
    const visits = (current.get<number>('visits') ?? 0) + 1;
    current.set('visits', visits);
    return { visits };
  }
}

@Module({ controllers: [VisitsController] })
class VisitsModule {}

const client = createApp({
  modules: [VisitsModule],
  config: { TESTING: true, SECRET_KEY: SECRET },
  env: false,
}).testClient();
const signer = new Signer({ current: SECRET, all: [SECRET] }, 'session');
const valid = encodeSession(signer, { data: { visits: 41 }, permanent: false });

/**
 * Visible ASCII except `;`, which ends a cookie in the Cookie header: `session=<valid>;` is the
 * valid cookie followed by an empty pair, not an edit of its value.
 */
const cookieChar = fc
  .integer({ min: 0x21, max: 0x7e })
  .filter((code) => code !== 0x3b)
  .map((code) => String.fromCharCode(code));

/** One edit of the valid cookie: a character replaced by a different one, inserted or removed. */
const tampered = fc.oneof(
  fc
    .tuple(fc.nat(valid.length - 1), cookieChar)
    .filter(([at, char]) => valid[at] !== char)
    .map(([at, char]) => valid.slice(0, at) + char + valid.slice(at + 1)),
  fc
    .tuple(fc.nat(valid.length), cookieChar)
    .map(([at, char]) => valid.slice(0, at) + char + valid.slice(at)),
  fc.nat(valid.length - 1).map((at) => valid.slice(0, at) + valid.slice(at + 1)),
);

async function visitsWith(cookieValue: string): Promise<{ status: number; body: unknown }> {
  const res = await client.get('/visits', { headers: { cookie: `session=${cookieValue}` } });
  return { status: res.status, body: res.status === 200 ? res.json() : res.body };
}

describe('session cookie fuzzing', () => {
  it('reads the untouched cookie (the baseline the edits start from)', async () => {
    expect(await visitsWith(valid)).toEqual({ status: 200, body: { visits: 42 } });
  });

  it('reads any single edit of a signed cookie as an empty session, never a 500', async () => {
    await fc.assert(
      fc.asyncProperty(tampered, async (cookie) => {
        expect(await visitsWith(cookie)).toEqual({ status: 200, body: { visits: 1 } });
      }),
      { numRuns: 300 },
    );
  });

  it('reads arbitrary cookie text as an empty session, never a 500', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: cookieChar, maxLength: 600 }), async (cookie) => {
        expect(await visitsWith(cookie)).toEqual({ status: 200, body: { visits: 1 } });
      }),
      { numRuns: 300 },
    );
  });
});
