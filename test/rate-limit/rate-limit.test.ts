import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import pino from 'pino';
import {
  createApp,
  Get,
  LoginModule,
  loginUser,
  Module,
  Param,
  Post,
  Query,
  RateLimit,
  RateLimitModule,
  Route,
  Unauthorized,
  UserLoader,
  type FlagonApp,
  type TestClient,
  type RateLimitModuleOptions,
} from '../../src';

const REDIS_URL = 'redis://127.0.0.1:6379';

@Route('/')
class LimitedController {
  @RateLimit('3/minute')
  @Get('/search')
  search(): string {
    return 'results';
  }

  @RateLimit('2/hour', { scope: 'reports' })
  @Get('/daily')
  daily(): string {
    return 'daily';
  }

  @RateLimit('2/hour', { scope: 'reports' })
  @Get('/weekly')
  weekly(): string {
    return 'weekly';
  }

  @RateLimit('2/minute', { key: (req) => req.header('x-api-key') })
  @Get('/by-key')
  byKey(): string {
    return 'ok';
  }

  @Get('/free')
  free(): string {
    return 'free';
  }
}

@Module({ controllers: [LimitedController] })
class LimitedModule {}

function makeApp(options: RateLimitModuleOptions = {}, logger?: pino.Logger): FlagonApp {
  const app = createApp({
    modules: [LimitedModule, RateLimitModule.configure(options)],
    config: { TESTING: true, CSRF_ENABLED: false },
    env: false,
    ...(logger === undefined ? {} : { logger }),
  });
  return app;
}

/** Answers 401 to a wrong password: only those count, and a success forgets them. */
@Route('/')
class StatusLoginController {
  @RateLimit('3/15 minutes', {
    key: (req) => String(req.query['user']),
    deductWhen: (response) => response.status === 401,
    resetWhen: (response) => response.status === 200,
  })
  @Post('/attempt')
  attempt(@Query('password') password: string | undefined): { ok: boolean } {
    if (password !== 'right') throw new Unauthorized('Wrong password');
    return { ok: true };
  }
}

describe('@RateLimit in memory', () => {
  it('answers 429 with Retry-After and the IETF headers past the limit', async () => {
    const client = makeApp().testClient();
    for (let remaining = 2; remaining >= 0; remaining--) {
      const res = await client.get('/search');
      expect(res.status).toBe(200);
      expect(res.headers['ratelimit-policy']).toBe('"limited.LimitedController.search";q=3;w=60');
      expect(res.headers['ratelimit']).toMatch(
        new RegExp(`^"limited.LimitedController.search";r=${remaining};t=(60|59)$`),
      );
    }
    const refused = await client.get('/search', { headers: { accept: 'application/json' } });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(refused.headers['ratelimit']).toMatch(/;r=0;t=\d+$/);
    expect(refused.headers['ratelimit-policy']).toBe('"limited.LimitedController.search";q=3;w=60');
    expect(refused.json<{ message: string }>().message).toContain('3/minute');
  });

  it('renders the 429 as HTML for browsers', async () => {
    const client = makeApp().testClient();
    for (let request = 0; request < 3; request++) await client.get('/search');
    const refused = await client.get('/search', { headers: { accept: 'text/html' } });
    expect(refused.status).toBe(429);
    expect(refused.headers['content-type']).toContain('text/html');
  });

  it('counts each client IP apart (TRUST_PROXY honoured)', async () => {
    const app = createApp({
      modules: [LimitedModule, RateLimitModule.configure()],
      config: { TESTING: true, TRUST_PROXY: 1 },
      env: false,
    });
    const client = app.testClient();
    const from = (ip: string) => ({ headers: { 'x-forwarded-for': ip } });
    for (let request = 0; request < 3; request++) await client.get('/search', from('10.0.0.1'));
    expect((await client.get('/search', from('10.0.0.1'))).status).toBe(429);
    expect((await client.get('/search', from('10.0.0.2'))).status).toBe(200);
  });

  it('shares counts between routes of one scope, and leaves other routes alone', async () => {
    const client = makeApp().testClient();
    expect((await client.get('/daily')).status).toBe(200);
    expect((await client.get('/weekly')).status).toBe(200);
    expect((await client.get('/daily')).status).toBe(429);
    expect((await client.get('/weekly')).status).toBe(429);
    const free = await client.get('/free');
    expect(free.status).toBe(200);
    expect(free.headers['ratelimit']).toBeUndefined();
  });

  it('keys by a function; a request it gives no key for is not counted', async () => {
    const client = makeApp().testClient();
    const withKey = (key: string) => ({ headers: { 'x-api-key': key } });
    await client.get('/by-key', withKey('a'));
    await client.get('/by-key', withKey('a'));
    expect((await client.get('/by-key', withKey('a'))).status).toBe(429);
    expect((await client.get('/by-key', withKey('b'))).status).toBe(200);
    for (let request = 0; request < 4; request++)
      expect((await client.get('/by-key')).status).toBe(200);
  });

  it('counts only what deductWhen accepts and forgets on resetWhen', async () => {
    @Module({ controllers: [StatusLoginController] })
    class AttemptModule {}
    const app = createApp({
      modules: [AttemptModule, RateLimitModule.configure()],
      config: { TESTING: true, CSRF_ENABLED: false },
      env: false,
    });
    const client = app.testClient();
    const attempt = (user: string, password: string) =>
      client.post('/attempt', { query: { user, password } });
    expect((await attempt('ann', 'wrong')).status).toBe(401);
    expect((await attempt('ann', 'wrong')).status).toBe(401);
    expect((await attempt('ann', 'right')).status).toBe(200);
    // The success reset the count: three more failures before the lock.
    for (let failure = 0; failure < 3; failure++)
      expect((await attempt('ann', 'wrong')).status).toBe(401);
    expect((await attempt('ann', 'right')).status).toBe(429);
    expect((await attempt('bob', 'wrong')).status).toBe(401);
  });

  it.each(['5', '5/fortnight', '0/minute', 'five per minute'])(
    'refuses the limit %j when the decorator is applied',
    (limit) => {
      expect(() => RateLimit(limit)).toThrow(
        expect.objectContaining({ code: 'FLAGON_CONFIG_INVALID' }) as Error,
      );
    },
  );
});

describe('@RateLimit with Redis', () => {
  const keyPrefix = `flagon-test:rl:${process.pid}:${randomBytes(4).toString('hex')}`;
  const admin = new Redis(REDIS_URL, { lazyConnect: true });

  afterAll(async () => {
    const keys = await admin.keys(`${keyPrefix}*`);
    if (keys.length > 0) await admin.del(...keys);
    admin.disconnect();
  });

  it('shares counts between two apps on the same Redis', async () => {
    const first = makeApp({ store: REDIS_URL, keyPrefix });
    const second = makeApp({ store: REDIS_URL, keyPrefix });
    try {
      expect((await first.testClient().get('/search')).status).toBe(200);
      expect((await second.testClient().get('/search')).status).toBe(200);
      expect((await first.testClient().get('/search')).status).toBe(200);
      expect((await second.testClient().get('/search')).status).toBe(429);
      expect((await first.testClient().get('/search')).status).toBe(429);
    } finally {
      await first.close();
      await second.close();
    }
  });

  it('lets requests through and logs when Redis is down, or answers 503 with failClosed', async () => {
    const lines: string[] = [];
    const logger = pino({ level: 'error' }, { write: (line: string) => lines.push(line) });
    // A client of the test's own that never connects: every command finds Redis unavailable.
    const down = new Redis(REDIS_URL, { lazyConnect: true, enableOfflineQueue: false });
    const open = makeApp({ store: down, keyPrefix }, logger);
    const closed = makeApp({ store: down, keyPrefix, failClosed: true }, logger);
    try {
      for (let request = 0; request < 5; request++)
        expect((await open.testClient().get('/search')).status).toBe(200);
      expect(lines.length).toBeGreaterThanOrEqual(5);
      expect(lines[0]).toContain('rate limit store unavailable');
      const refused = await closed.testClient().get('/search');
      expect(refused.status).toBe(503);
      expect(refused.headers['retry-after']).toBe('5');
    } finally {
      await open.close();
      await closed.close();
    }
  });
});

describe("@RateLimit keyed by 'user'", () => {
  interface Member {
    readonly id: string;
  }
  class MemberLoader extends UserLoader<Member> {
    loadUser(id: string): Member {
      return { id };
    }
  }

  @Route('/')
  class MemberController {
    @Post('/login/<name>')
    async login(@Param('name') name: string): Promise<string> {
      await loginUser({ id: name });
      return 'in';
    }

    @RateLimit('2/minute', { key: 'user' })
    @Get('/export')
    export(): string {
      return 'exported';
    }
  }

  @Module({ controllers: [MemberController] })
  class MemberModule {}

  it('counts each logged-in user apart, and anonymous clients by IP', async () => {
    const app = createApp({
      modules: [
        MemberModule,
        LoginModule.configure({ loader: MemberLoader }),
        RateLimitModule.configure(),
      ],
      config: { TESTING: true },
      env: false,
    });
    const ann = app.testClient();
    const bob = app.testClient();
    await ann.post('/login/ann');
    await bob.post('/login/bob');
    const statuses = async (client: TestClient) => [
      (await client.get('/export')).status,
      (await client.get('/export')).status,
      (await client.get('/export')).status,
    ];
    expect(await statuses(ann)).toEqual([200, 200, 429]);
    expect(await statuses(bob)).toEqual([200, 200, 429]);
    expect(await statuses(app.testClient())).toEqual([200, 200, 429]);
  });
});
