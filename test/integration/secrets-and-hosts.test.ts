import pino from 'pino';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createApp,
  Get,
  Module,
  Query,
  redirect,
  Response,
  Route,
  flash,
  getFlashedMessages,
  loadEnv,
  MemoryStore,
  RedisStore,
  type FlagonApp,
  type SessionStore,
} from '../../src';

@Route('/')
class HomeController {
  @Get('/')
  index(): string {
    return 'home';
  }

  @Get('/go')
  go(@Query('to') to: string): Response {
    return redirect(to);
  }

  @Get('/flash')
  addFlash(@Query('category') category: string | undefined): string {
    flash('Saved.', category);
    flash('Second.', 'warning');
    return 'flashed';
  }

  @Get('/messages')
  messages(@Query('filter') filter: string | undefined): object {
    return {
      plain: getFlashedMessages(filter ? { categoryFilter: [filter] } : {}),
      withCategories: getFlashedMessages({ withCategories: true }),
    };
  }
}

@Module({ controllers: [HomeController] })
class AppModule {}

function makeApp(config: Record<string, unknown>): FlagonApp {
  return createApp({
    modules: [AppModule],
    config: { LOG_LEVEL: 'silent', ...config },
    env: false,
  });
}

function makeAppIn(nodeEnv: string, config: Record<string, unknown> = {}): FlagonApp {
  return createApp({
    modules: [AppModule],
    config: { LOG_LEVEL: 'silent', ...config },
    env: { NODE_ENV: nodeEnv },
  });
}

describe('SECRET_KEY', () => {
  it.each(['production', 'staging', 'prod'])(
    'stops createApp when missing with NODE_ENV=%s, saying how to generate one',
    (nodeEnv) => {
      expect(() => makeAppIn(nodeEnv)).toThrow(
        expect.objectContaining({
          code: 'FLAGON_CONFIG_SECRET_KEY_MISSING',
          message: expect.stringContaining("require('crypto').randomBytes(32)") as string,
        }) as Error,
      );
    },
  );

  it('is required in production even in debug mode', () => {
    expect(() => makeAppIn('production', { DEBUG: true })).toThrow(
      expect.objectContaining({ code: 'FLAGON_CONFIG_SECRET_KEY_MISSING' }) as Error,
    );
  });

  it('stops createApp in production when shorter than 32 bytes', () => {
    expect(() => makeAppIn('production', { SECRET_KEY: 'short' })).toThrow(
      expect.objectContaining({ code: 'FLAGON_CONFIG_SECRET_KEY_TOO_SHORT' }) as Error,
    );
  });

  it.each([
    ['NODE_ENV unset', false as const],
    ['NODE_ENV=development', { NODE_ENV: 'development' }],
    ['NODE_ENV=test', { NODE_ENV: 'test' }],
    ['NODE_ENV empty', { NODE_ENV: '' }],
  ])('is generated with a warning and the app serves (%s)', async (_name, env) => {
    const lines: string[] = [];
    const logger = pino({ level: 'warn' }, { write: (line: string) => lines.push(line) });
    const app = createApp({ modules: [AppModule], env, logger });
    expect(lines.join('')).toContain('ephemeral key');
    expect((await app.testClient().get('/')).status).toBe(200);
  });

  it('reads FLAGON_SECRET_KEY from the environment', async () => {
    const app = createApp({
      modules: [AppModule],
      config: { LOG_LEVEL: 'silent' },
      env: { FLAGON_SECRET_KEY: 'e'.repeat(64) },
    });
    expect((await app.testClient().get('/')).status).toBe(200);
  });

  it.each([{ TESTING: true }, { DEBUG: true, LOG_LEVEL: 'silent' }])(
    'is generated with a warning in %j',
    (config) => {
      const lines: string[] = [];
      const logger = pino({ level: 'warn' }, { write: (line: string) => lines.push(line) });
      createApp({ modules: [AppModule], config, env: false, logger });
      expect(lines.join('')).toContain('ephemeral key');
    },
  );

  it('refuses SECRET_KEY_FALLBACKS that are not a list of strings', () => {
    expect(() => makeApp({ TESTING: true, SECRET_KEY_FALLBACKS: 'old' })).toThrow(
      expect.objectContaining({ code: 'FLAGON_CONFIG_INVALID' }) as Error,
    );
  });
});

describe('loadEnv', () => {
  it('fills FLAGON_* gaps from .env without overriding real variables', async () => {
    const root = mkdtempSync(join(tmpdir(), 'flagon-env-'));
    writeFileSync(
      join(root, '.env'),
      `FLAGON_SECRET_KEY=${'d'.repeat(40)}\nFLAGON_LOG_LEVEL=silent\nFLAGON_TRUST_PROXY=true\n`,
    );
    const env = loadEnv(root, { env: { FLAGON_TRUST_PROXY: 'false' } });
    expect(env).toMatchObject({ FLAGON_SECRET_KEY: 'd'.repeat(40), FLAGON_TRUST_PROXY: 'false' });
    const app = createApp({ modules: [AppModule], env });
    expect(app.config.get('TRUST_PROXY')).toBe(false);
    expect((await app.testClient().get('/')).status).toBe(200);
  });

  it('returns the environment unchanged when there is no .env', () => {
    expect(loadEnv(mkdtempSync(join(tmpdir(), 'flagon-env-')), { env: { A: '1' } })).toEqual({
      A: '1',
    });
  });
});

describe('TRUSTED_HOSTS', () => {
  const app = makeApp({ TESTING: true, TRUSTED_HOSTS: ['example.com', '.example.org'] });

  it.each(['example.com', 'example.com:8080', 'www.example.org', 'example.org'])(
    'accepts Host %s',
    async (host) => {
      expect((await app.testClient().get('/', { headers: { host } })).status).toBe(200);
    },
  );

  it.each(['evil.com', 'example.com.evil.com', 'notexample.org', 'localhost'])(
    'answers 400 for Host %s',
    async (host) => {
      const res = await app
        .testClient()
        .get('/', { headers: { host, accept: 'application/json' } });
      expect(res.status).toBe(400);
      expect(res.json()).toMatchObject({ error: 'security_untrusted_host' });
    },
  );
});

describe('redirect()', () => {
  it.each(['/a\r\nSet-Cookie: x=1', '/a\nb', '/a\rb', '/a\u0000b'])(
    'refuses the header-injecting target %j',
    async (to) => {
      const res = await makeApp({ TESTING: true }).testClient().get('/go', { query: { to } });
      expect(res.status).toBe(500);
      expect(res.headers['location']).toBeUndefined();
      expect(res.headers['set-cookie']).toBeUndefined();
    },
  );

  it('percent-encodes what cannot go in a header', async () => {
    const res = await makeApp({ TESTING: true })
      .testClient()
      .get('/go', { query: { to: '/ü path' } });
    expect([res.status, res.headers['location']]).toEqual([302, '/%C3%BC%20path']);
  });
});

describe('flash messages', () => {
  it('are consumed once, in order, with categories', async () => {
    const client = makeApp({ TESTING: true }).testClient();
    await client.get('/flash');
    expect((await client.get('/messages')).json()).toEqual({
      plain: ['Saved.', 'Second.'],
      withCategories: [
        ['message', 'Saved.'],
        ['warning', 'Second.'],
      ],
    });
    expect((await client.get('/messages')).json()).toEqual({ plain: [], withCategories: [] });
  });

  // Flashes live in the session, so they work with every session store; a server-side store has
  // a session to load before a synchronous handler can flash into it.
  it.each([
    ['MemoryStore', (): SessionStore => new MemoryStore()],
    [
      'RedisStore',
      (): SessionStore =>
        new RedisStore({
          url: 'redis://127.0.0.1:6379',
          prefix: `flagon-test:flash:${process.pid}:`,
        }),
    ],
  ])('work the same with sessions in a %s', async (_name, makeStore) => {
    const store = makeStore();
    try {
      const client = makeApp({ TESTING: true, SESSION_STORE: store }).testClient();
      await client.get('/');
      expect((await client.get('/flash')).status).toBe(200);
      expect((await client.get('/flash', { query: { category: 'error' } })).status).toBe(200);
      expect((await client.get('/messages')).json()).toEqual({
        plain: ['Saved.', 'Second.', 'Saved.', 'Second.'],
        withCategories: [
          ['message', 'Saved.'],
          ['warning', 'Second.'],
          ['error', 'Saved.'],
          ['warning', 'Second.'],
        ],
      });
      expect((await client.get('/messages')).json()).toEqual({ plain: [], withCategories: [] });
    } finally {
      await store.close?.();
    }
  });

  it('can be filtered by category (all are consumed anyway)', async () => {
    const client = makeApp({ TESTING: true }).testClient();
    await client.get('/flash', { query: { category: 'error' } });
    expect((await client.get('/messages', { query: { filter: 'error' } })).json()).toMatchObject({
      plain: ['Saved.'],
    });
    expect((await client.get('/messages')).json()).toEqual({ plain: [], withCategories: [] });
  });
});
