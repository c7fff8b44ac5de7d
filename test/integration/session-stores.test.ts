import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { Redis } from 'ioredis';
import {
  createApp,
  Get,
  Module,
  Post,
  Route,
  session,
  loadSession,
  MemoryStore,
  RedisStore,
  type FlagonApp,
  type SessionStore,
} from '../../src';
import { Child, freePort, waitForPort } from '../support/processes';

@Route('/')
class StoreController {
  @Get('/count')
  async count(): Promise<{ visits: number; id: string | undefined }> {
    const current = await loadSession();
    const visits = (current.get<number>('visits') ?? 0) + 1;
    current.set('visits', visits);
    return { visits, id: current.id };
  }

  @Get('/id')
  id(): { id: string | undefined; visits: number | null } {
    return { id: session().id, visits: session().get<number>('visits') ?? null };
  }

  @Post('/regenerate')
  async regenerate(): Promise<string> {
    await session().regenerate();
    return 'ok';
  }

  @Post('/destroy')
  async destroy(): Promise<string> {
    await session().destroy();
    return 'ok';
  }
}

@Module({ controllers: [StoreController] })
class AppModule {}

function makeApp(store: SessionStore): FlagonApp {
  return createApp({
    modules: [AppModule],
    config: { TESTING: true, CSRF_ENABLED: false, SESSION_STORE: store },
    env: false,
  });
}

function sessionIdIn(cookie: string | undefined): string | undefined {
  return cookie?.match(/session=([\w-]+)\./)?.[1];
}

function runStoreContract(
  name: string,
  makeStore: () => { store: SessionStore; peek: (id: string) => Promise<unknown> },
): void {
  describe(name, () => {
    let store: SessionStore;
    let peek: (id: string) => Promise<unknown>;
    beforeEach(() => ({ store, peek } = makeStore()));
    afterEach(async () => store.close?.());

    it('keeps the data in the store and only a signed random id in the cookie', async () => {
      const client = makeApp(store).testClient();
      const first = await client.get('/count');
      // A new session gets its id when it is first saved.
      expect(first.json()).toEqual({ visits: 1 });
      expect(String(first.headers['set-cookie'])).toMatch(
        /^session=[\w-]{43}\.[0-9a-z]+\.[\w-]{43};/,
      );
      const id = sessionIdIn(String(first.headers['set-cookie'])) as string;
      expect((await client.get('/count')).json()).toEqual({ visits: 2, id });
      expect(await peek(id)).toEqual({ data: { visits: 2 }, permanent: false });
    });

    it('issues a new id on regenerate() and deletes the old entry', async () => {
      const client = makeApp(store).testClient();
      const id = sessionIdIn(String((await client.get('/count')).headers['set-cookie'])) as string;
      const res = await client.post('/regenerate');
      const newId = sessionIdIn(String(res.headers['set-cookie']));
      expect(newId).toBeDefined();
      expect(newId).not.toBe(id);
      expect(await peek(id)).toBeUndefined();
      expect((await client.get('/id')).json()).toEqual({ id: newId, visits: 1 });
    });

    it('deletes the entry and the cookie on destroy(), and a replayed cookie finds nothing', async () => {
      const client = makeApp(store).testClient();
      const id = sessionIdIn(String((await client.get('/count')).headers['set-cookie'])) as string;
      const cookie = await client.cookies.getCookieString('http://localhost/');
      const res = await client.post('/destroy');
      expect(String(res.headers['set-cookie'])).toMatch(/^session=; Max-Age=0/);
      expect(await peek(id)).toBeUndefined();
      const replay = await makeApp(store).testClient().get('/id', { headers: { cookie } });
      expect(replay.json()).toEqual({ visits: null });
    });

    it('ignores a forged id', async () => {
      const client = makeApp(store).testClient();
      await client.get('/count');
      const res = await makeApp(store)
        .testClient()
        .get('/id', {
          headers: { cookie: `session=${randomBytes(32).toString('base64url')}.abc.def` },
        });
      expect(res.json()).toEqual({ visits: null });
    });
  });
}

runStoreContract('MemoryStore', () => {
  const store = new MemoryStore();
  return { store, peek: (id) => store.get(id) };
});

describe('A store that fails to save', () => {
  it('answers with an error page instead of a response whose session was lost, and logs why', async () => {
    class FullStore extends MemoryStore {
      override set(): Promise<void> {
        return Promise.reject(new Error('disk full'));
      }
    }
    const logged: string[] = [];
    const app = makeApp(new FullStore());
    const error = jest.spyOn(app.logger, 'error').mockImplementation((...args: unknown[]) => {
      logged.push(String(args[1]));
    });
    const res = await app.testClient().get('/count');
    expect(res.status).toBe(500);
    expect(res.headers['set-cookie']).toBeUndefined();
    expect(logged).toContain('saving the session failed');
    error.mockRestore();
  });
});

describe('RedisStore against the real server', () => {
  const prefix = `flagon-test:${process.pid}:${randomBytes(4).toString('hex')}:`;
  const admin = new Redis('redis://127.0.0.1:6379', { lazyConnect: true });
  afterAll(async () => {
    const keys = await admin.keys(`${prefix}*`);
    if (keys.length > 0) await admin.del(...keys);
    await admin.quit();
  });

  runStoreContract('RedisStore', () => {
    const store = new RedisStore({ url: 'redis://127.0.0.1:6379', prefix });
    return {
      store,
      peek: async (id) => {
        const text = await admin.get(prefix + id);
        return text === null ? undefined : (JSON.parse(text) as unknown);
      },
    };
  });

  it('stores entries with a TTL of PERMANENT_SESSION_LIFETIME', async () => {
    const store = new RedisStore({ url: 'redis://127.0.0.1:6379', prefix });
    const app = createApp({
      modules: [AppModule],
      config: { TESTING: true, SESSION_STORE: store, PERMANENT_SESSION_LIFETIME: 120 },
      env: false,
    });
    const id = sessionIdIn(
      String((await app.testClient().get('/count')).headers['set-cookie']),
    ) as string;
    const ttl = await admin.ttl(prefix + id);
    expect(ttl).toBeGreaterThan(100);
    expect(ttl).toBeLessThanOrEqual(120);
    await store.close();
  });

  it('is selected by SESSION_REDIS_URL, and app.close() closes the connection it opened', async () => {
    const app = createApp({
      modules: [AppModule],
      config: { TESTING: true, SESSION_REDIS_URL: 'redis://127.0.0.1:6379' },
      env: false,
    });
    const client = app.testClient();
    const id = sessionIdIn(String((await client.get('/count')).headers['set-cookie'])) as string;
    const stored = await admin.get(`flagon:session:${id}`);
    await admin.del(`flagon:session:${id}`);
    expect(JSON.parse(stored ?? 'null')).toEqual({ data: { visits: 1 }, permanent: false });
    await app.close();
  });
});

describe('RedisStore when Redis is unreachable', () => {
  let proxy: Server | undefined;
  const sockets = new Set<Socket>();
  afterEach(async () => {
    for (const socket of sockets) socket.destroy();
    if (proxy?.listening) await new Promise((resolve) => proxy?.close(resolve));
  });

  it('answers 503 quickly, then recovers when Redis comes back', async () => {
    const port = await freePort();
    const store = new RedisStore({
      url: `redis://127.0.0.1:${port}`,
      prefix: `flagon-test:${randomBytes(4).toString('hex')}:`,
      timeoutMs: 300,
    });
    const app = makeApp(store);
    const client = app.testClient();
    // With a cookie the session must be read from the store; without one it is only written at the end.
    const cookie = `session=${'a'.repeat(43)}.zz.${'b'.repeat(43)}`;
    const down = await client.get('/count', { headers: { cookie } });
    expect(down.status).toBe(503);
    // Generic in production, but says which 5xx: a client may retry a 503.
    expect(down.json()).toEqual({ error: 'service_unavailable', message: 'Service Unavailable' });

    // "Redis comes back": a TCP relay to the real server appears on the port the store uses.
    proxy = createServer((socket) => {
      sockets.add(socket);
      const upstream = connect(6379, '127.0.0.1');
      sockets.add(upstream);
      socket.pipe(upstream).pipe(socket);
      socket.on('error', () => upstream.destroy());
      upstream.on('error', () => socket.destroy());
    });
    proxy.listen(port, '127.0.0.1');
    await once(proxy, 'listening');
    if (store.client.status !== 'ready') await once(store.client, 'ready');
    const up = await client.get('/count', { headers: { cookie } });
    expect(up.status).toBe(200);
    expect(up.json()).toMatchObject({ visits: 1 });
    await store.close();
  });
});

describe('RedisStore when its Redis server stops and starts again', () => {
  // A Redis server of the test's own on a free port: stopping the shared one at 6379 would
  // disturb every other test. Its append-only file lets the data outlive the restart.
  let folder: string;
  let server: Child | undefined;

  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'flagon-redis-'));
  });

  afterEach(async () => {
    await stopRedis();
    rmSync(folder, { recursive: true, force: true });
  });

  async function startRedis(port: number): Promise<void> {
    const args = [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'yes',
      '--appendfsync',
      'always',
      '--dir',
      folder,
    ];
    const started = new Child('redis-server', args, process.env);
    server = started;
    try {
      await waitForPort(port, 10_000, () => started.isAlive);
    } catch (error) {
      throw new Error(`${(error as Error).message}; redis-server said: ${started.output}`, {
        cause: error,
      });
    }
  }

  async function stopRedis(): Promise<void> {
    await server?.stop('SIGTERM');
    server = undefined;
  }

  it('degrades to 503 while Redis is down and recovers, sessions intact, without a restart of the app', async () => {
    const port = await freePort();
    await startRedis(port);
    const store = new RedisStore({
      url: `redis://127.0.0.1:${port}`,
      prefix: 'flagon-test:',
      timeoutMs: 300,
    });
    const client = makeApp(store).testClient();
    try {
      expect((await client.get('/count')).json()).toMatchObject({ visits: 1 });
      expect((await client.get('/count')).json()).toMatchObject({ visits: 2 });

      await stopRedis();
      const down = await client.get('/count');
      expect(down.status).toBe(503);
      expect(down.json()).toEqual({ error: 'service_unavailable', message: 'Service Unavailable' });

      await startRedis(port);
      // It may have reconnected already, before anything listened for the event.
      if (store.client.status !== 'ready') await once(store.client, 'ready');
      const up = await client.get('/count');
      expect(up.status).toBe(200);
      // The session written before the outage is read back: nothing stored was lost.
      expect(up.json()).toMatchObject({ visits: 3 });
    } finally {
      await store.close();
    }
  }, 30_000);
});
