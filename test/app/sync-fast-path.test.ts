import 'reflect-metadata';
import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { BeforeRequest, Get, Module, NotFound, Req, Route, session, type Request } from '../../src';
import { makeTestApp } from '../support/test-app';

@Route('/')
class FastController {
  @Get('/hello')
  hello(): { hello: string } {
    return { hello: 'world' };
  }

  @Get('/failing-step')
  failingStep(@Req() req: Request): { visits: number } {
    req.onBeforeSend(() => {
      throw new Error('step broke');
    });
    return this.visit();
  }

  @Get('/visit')
  visit(): { visits: number } {
    const visits = (session().get<number>('visits') ?? 0) + 1;
    session().set('visits', visits);
    return { visits };
  }
}

@Module({ controllers: [FastController] })
class FastModule {}

class Greeting {
  constructor(readonly hello: string) {}
}

@Route('/')
class HookedController {
  @Get('/missing')
  missing(): never {
    throw new NotFound('No such page');
  }

  @Get('/greeting')
  greeting(): Greeting {
    return new Greeting('world');
  }
}

@Module({ prefix: '/hooked', controllers: [HookedController] })
class HookedModule {
  @BeforeRequest()
  stopTeapots(req: Request): { teapot: true } | undefined {
    return req.query['teapot'] === undefined ? undefined : { teapot: true };
  }
}

function fakeExchange(path: string): {
  req: IncomingMessage;
  res: ServerResponse;
  ended: () => boolean;
} {
  const req = new IncomingMessage(new Socket());
  req.method = 'GET';
  req.url = path;
  req.headers = { host: 'localhost' };
  req.push(null);
  const res = new ServerResponse(req);
  let isEnded = false;
  const end = res.end.bind(res);
  res.end = ((...args: Parameters<ServerResponse['end']>) => {
    isEnded = true;
    return end(...args);
  }) as ServerResponse['end'];
  return { req, res, ended: () => isEnded };
}

describe('the synchronous fast path with security and sessions installed', () => {
  it('answers a hook-free route within the call, security headers included', async () => {
    const app = makeTestApp([FastModule]);
    await app.init();
    const { req, res, ended } = fakeExchange('/hello');
    app.handler(req, res);
    expect(ended()).toBe(true);
    expect(res.statusCode).toBe(200);
    // Flat header lists go straight into the head node:http writes (not into getHeader()).
    const head = (res as unknown as { _header: string })._header.toLowerCase();
    expect(head).toContain('x-content-type-options: nosniff');
    expect(head).toContain("content-security-policy: default-src 'self'");
    // Plain http: no HSTS.
    expect(head).not.toContain('strict-transport-security');
  });

  it('saves the session of a request that touched it, with the security headers', async () => {
    const app = makeTestApp([FastModule]);
    const client = app.testClient();
    const first = await client.get('/visit');
    expect(first.json()).toEqual({ visits: 1 });
    expect(first.headers['set-cookie']).toBeDefined();
    expect(first.headers['vary']).toEqual(expect.stringContaining('Cookie'));
    expect(first.headers['x-frame-options']).toBe('SAMEORIGIN');
    const second = await client.get('/visit');
    expect(second.json()).toEqual({ visits: 2 });
  });

  it('signs and sets a cookie session within the call: saving it needs no promise', async () => {
    const app = makeTestApp([FastModule]);
    await app.init();
    const { req, res, ended } = fakeExchange('/visit');
    app.handler(req, res);
    expect(ended()).toBe(true);
    const head = (res as unknown as { _header: string })._header.toLowerCase();
    expect(head).toMatch(/set-cookie: session=[\w.-]+; path=\/; httponly; samesite=lax/);
    expect(head).toContain('vary: cookie');
  });

  it('logs a before-send step that throws and still sends the response, session saved', async () => {
    const app = makeTestApp([FastModule]);
    const logged: string[] = [];
    const error = jest.spyOn(app.logger, 'error').mockImplementation((...args: unknown[]) => {
      logged.push(String(args[1]));
    });
    const res = await app.testClient().get('/failing-step');
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({ visits: 1 });
    expect(res.headers['set-cookie']).toBeDefined();
    expect(logged).toEqual(['before-send step failed']);
    error.mockRestore();
  });

  it('runs synchronous before-hooks, the handler and a thrown 404 within the call', async () => {
    const app = makeTestApp([HookedModule]);
    await app.init();
    const missing = fakeExchange('/hooked/missing');
    app.handler(missing.req, missing.res);
    expect(missing.ended()).toBe(true);
    expect(missing.res.statusCode).toBe(404);
    const head = (missing.res as unknown as { _header: string })._header.toLowerCase();
    expect(head).toContain('x-content-type-options: nosniff');

    const stopped = fakeExchange('/hooked/greeting?teapot=1');
    app.handler(stopped.req, stopped.res);
    expect(stopped.ended()).toBe(true);
    expect(stopped.res.statusCode).toBe(200);
  });

  it('sends a returned class instance as JSON, like a plain object', async () => {
    const app = makeTestApp([HookedModule]);
    const res = await app.testClient().get('/hooked/greeting');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.json()).toEqual({ hello: 'world' });
  });
});
