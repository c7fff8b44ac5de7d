import { Writable } from 'node:stream';
import { inject } from 'light-my-request';
import pino from 'pino';
import { createApp, Get, Module, Req, Route, type FlagonApp, type Request } from '../../src';
import { fetchText } from '../support/raw-http';

let release: () => void = () => undefined;
let started: () => void = () => undefined;

@Route('/')
class IdController {
  @Get('/id')
  id(@Req() req: Request): { id: string } {
    return { id: req.id };
  }

  @Get('/slow')
  async slow(): Promise<{ done: boolean }> {
    started();
    await new Promise<void>((resolve) => (release = resolve));
    return { done: true };
  }
}

@Module({ controllers: [IdController] })
class IdModule {}

function makeApp(config: Record<string, unknown> = {}, logger?: pino.Logger): FlagonApp {
  return createApp({
    modules: [IdModule],
    config: { TESTING: true, ...config },
    env: false,
    ...(logger ? { logger } : {}),
  });
}

describe('request ids', () => {
  it('honours a safe incoming X-Request-Id and echoes it', async () => {
    const res = await makeApp()
      .testClient()
      .get('/id', { headers: { 'x-request-id': 'edge-42.abc' } });
    expect(res.json()).toEqual({ id: 'edge-42.abc' });
    expect(res.headers['x-request-id']).toBe('edge-42.abc');
  });

  it.each(['has space', 'x'.repeat(129), 'semi;colon', '<script>'])(
    'replaces an unsafe incoming id %j and does not echo it',
    async (unsafe) => {
      const res = await makeApp()
        .testClient()
        .get('/id', { headers: { 'x-request-id': unsafe } });
      expect(res.json<{ id: string }>().id).not.toBe(unsafe);
      expect(res.headers['x-request-id']).toBeUndefined();
    },
  );

  it('puts the request id in the request log line', async () => {
    const lines: Record<string, unknown>[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
        callback();
      },
    });
    const app = makeApp({ LOG_REQUESTS: true }, pino({ level: 'info' }, sink));
    await app.testClient().get('/id', { headers: { 'x-request-id': 'trace-7' } });
    await new Promise((resolve) => setImmediate(resolve));
    expect(lines).toContainEqual(
      expect.objectContaining({ msg: 'request', reqId: 'trace-7', status: 200 }),
    );
  });
});

describe('HEALTH_PATH', () => {
  it('adds no route when unset', async () => {
    const app = makeApp();
    expect((await app.testClient().get('/healthz')).status).toBe(404);
  });

  it('answers 200 { status: "ok" } once started, to GET and HEAD', async () => {
    const app = makeApp({ HEALTH_PATH: '/healthz' });
    const { port } = await app.listen({ port: 0 });
    try {
      const res = await fetchText(port, '/healthz');
      expect([res.status, JSON.parse(res.text), res.headers['cache-control']]).toEqual([
        200,
        { status: 'ok' },
        'no-store',
      ]);
      expect((await fetchText(port, '/healthz', { method: 'HEAD' })).status).toBe(200);
    } finally {
      await app.close();
    }
  });

  it('answers 503 before init has finished', async () => {
    const app = makeApp({ HEALTH_PATH: '/healthz' });
    const res = await inject(app.handler, { url: '/healthz' });
    expect([res.statusCode, res.json()]).toEqual([503, { status: 'starting' }]);
  });

  it('answers 503 while shutting down', async () => {
    const app = makeApp({ HEALTH_PATH: '/healthz' });
    const { port } = await app.listen({ port: 0 });
    const handlerStarted = new Promise<void>((resolve) => (started = resolve));
    const slow = fetchText(port, '/slow');
    await handlerStarted;
    const closed = app.close();
    const res = await inject(app.handler, { url: '/healthz' });
    expect([res.statusCode, res.json()]).toEqual([503, { status: 'shutting_down' }]);
    release();
    expect((await slow).status).toBe(200);
    await closed;
  });

  it('refuses a HEALTH_PATH that an app route already uses', () => {
    expect(() => makeApp({ HEALTH_PATH: '/id' })).toThrow(
      expect.objectContaining({ code: 'FLAGON_ROUTE_CONFLICT' }) as Error,
    );
  });
});
