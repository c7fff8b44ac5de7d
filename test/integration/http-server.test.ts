import { request as httpRequest } from 'node:http';
import {
  createApp,
  Get,
  Module,
  Post,
  Query,
  Request,
  Response,
  Route,
  type OnShutdown,
} from '../../src';

// These tests exercise the kernel; CSRF protection (on by default) has its own suite, so it is off here.

const events: string[] = [];
let release: (() => void) | undefined;
let started: (() => void) | undefined;

@Route('/')
class ServerController {
  @Get('/hello')
  hello(): object {
    return { hello: 'world' };
  }
  @Get('/slow')
  async slow(): Promise<object> {
    events.push('slow started');
    started?.();
    await new Promise<void>((resolve) => (release = resolve));
    events.push('slow finished');
    return { slow: true };
  }
  @Post('/login')
  login(@Query('user') user: string): Response {
    return new Response(null, { status: 204 })
      .setCookie('user', user, { httpOnly: true })
      .setCookie('scoped', 'x', { path: '/other' });
  }
  @Get('/whoami')
  whoami(req: Request): object {
    return { cookies: { ...req.cookies } };
  }
  @Get('/logout')
  logout(): Response {
    return new Response(null, { status: 204 }).deleteCookie('user');
  }
}

@Module({ controllers: [ServerController] })
class ServerModule implements OnShutdown {
  onShutdown(): void {
    events.push('shutdown');
  }
}

function get(port: number, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ port, host: '127.0.0.1', path, method: 'GET' }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('real HTTP', () => {
  beforeEach(() => events.splice(0));

  it('listens on port 0 and exposes the bound address', async () => {
    const app = createApp({
      modules: [ServerModule],
      config: { TESTING: true, CSRF_ENABLED: false },
    });
    const address = await app.listen({ port: 0 });
    try {
      expect(address.port).toBeGreaterThan(0);
      expect(app.address).toEqual(address);
      expect(app.server?.listening).toBe(true);
      const res = await fetch(`http://127.0.0.1:${address.port}/hello`);
      expect([res.status, res.headers.get('content-type'), await res.json()]).toEqual([
        200,
        'application/json; charset=utf-8',
        { hello: 'world' },
      ]);
      const head = await fetch(`http://127.0.0.1:${address.port}/hello`, { method: 'HEAD' });
      expect([head.status, head.headers.get('content-length'), await head.text()]).toEqual([
        200,
        '17',
        '',
      ]);
    } finally {
      await app.close();
    }
    expect(app.server?.listening).toBe(false);
  });

  it('close() lets an in-flight request finish, then runs shutdown hooks', async () => {
    const app = createApp({
      modules: [ServerModule],
      config: { TESTING: true, CSRF_ENABLED: false },
    });
    const { port } = await app.listen({ port: 0 });
    const isStarted = new Promise<void>((resolve) => (started = resolve));
    const inFlight = get(port, '/slow');
    await isStarted;
    const closed = app.close().then(() => events.push('closed'));
    // Let close() begin before the handler is released.
    await new Promise<void>((resolve) => setImmediate(resolve));
    expect(events).toEqual(['slow started']);
    release?.();
    const res = await inFlight;
    await closed;
    expect([res.status, JSON.parse(res.body)]).toEqual([200, { slow: true }]);
    expect(events).toEqual(['slow started', 'slow finished', 'shutdown', 'closed']);
  });

  it('refuses new connections after close()', async () => {
    const app = createApp({
      modules: [ServerModule],
      config: { TESTING: true, CSRF_ENABLED: false },
    });
    const { port } = await app.listen({ port: 0 });
    await app.close();
    await expect(get(port, '/hello')).rejects.toThrow();
    await expect(app.init()).rejects.toMatchObject({ code: 'FLAGON_APP_CLOSED' });
  });

  it('refuses a second listen()', async () => {
    const app = createApp({
      modules: [ServerModule],
      config: { TESTING: true, CSRF_ENABLED: false },
    });
    await app.listen({ port: 0 });
    try {
      await expect(app.listen({ port: 0 })).rejects.toMatchObject({
        code: 'FLAGON_APP_ALREADY_STARTED',
      });
    } finally {
      await app.close();
    }
  });
});

describe('test client', () => {
  it('keeps cookies across requests, honouring path and deletion', async () => {
    const client = createApp({
      modules: [ServerModule],
      config: { TESTING: true, CSRF_ENABLED: false },
    }).testClient();
    expect((await client.get('/whoami')).json()).toEqual({ cookies: {} });
    await client.post('/login?user=ada');
    expect((await client.get('/whoami')).json()).toEqual({ cookies: { user: 'ada' } });
    await client.get('/logout');
    expect((await client.get('/whoami')).json()).toEqual({ cookies: {} });
  });

  it('sends query objects and a custom Cookie header over the jar', async () => {
    const client = createApp({
      modules: [ServerModule],
      config: { TESTING: true, CSRF_ENABLED: false },
    }).testClient();
    const res = await client.get('/whoami', { headers: { cookie: 'a=1' }, query: { x: [1, 2] } });
    expect(res.json()).toEqual({ cookies: { a: '1' } });
  });
});
