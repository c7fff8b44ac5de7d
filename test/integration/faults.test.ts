import { request as httpRequest } from 'node:http';
import { Readable, Writable } from 'node:stream';
import pino from 'pino';
import {
  AfterRequest,
  BeforeRequest,
  createApp,
  Get,
  Module,
  Route,
  Teardown,
  Timeout,
  type FlagonApp,
  type Request,
  type Response,
} from '../../src';
import { fetchText } from '../support/raw-http';

function never(): Promise<never> {
  return new Promise<never>(() => undefined);
}

@Route('/')
class FaultyController {
  @Get('/ok')
  ok(): { ok: boolean } {
    return { ok: true };
  }

  @Get('/throws')
  throws(): never {
    throw new Error('boom');
  }

  @Get('/rejects')
  async rejects(): Promise<never> {
    await Promise.resolve();
    throw new Error('async boom');
  }

  @Get('/hangs')
  @Timeout(100)
  hangs(): Promise<never> {
    return never();
  }

  @Get('/hangs-app-wide')
  hangsAppWide(): Promise<never> {
    return never();
  }

  @Get('/rejects-late')
  @Timeout(50)
  rejectsLate(): Promise<never> {
    return new Promise<never>((_, reject) => setTimeout(() => reject(new Error('too late')), 150));
  }

  @Get('/slow-but-exempt')
  @Timeout(0)
  async slowButExempt(): Promise<{ done: boolean }> {
    await new Promise((resolve) => setTimeout(resolve, 150));
    return { done: true };
  }

  @Get('/stream-fails')
  streamFails(): Readable {
    let sent = false;
    return new Readable({
      read() {
        if (!sent) {
          sent = true;
          this.push('first chunk\n');
          return;
        }
        setImmediate(() => this.destroy(new Error('disk gone')));
      },
    });
  }
}

@Module({ controllers: [FaultyController] })
class FaultyModule {}

@Route('/hooked')
class HookedController {
  @Get('/ok')
  ok(): { ok: boolean } {
    return { ok: true };
  }
}

@Module({ controllers: [HookedController] })
class HookedModule {
  @BeforeRequest()
  hangOnDemand(req: Request): Promise<never> | undefined {
    return req.query['hang'] === '1' ? never() : undefined;
  }

  @AfterRequest()
  failAfter(response: Response): Response {
    if (response.status === 200) throw new Error('after hook broke');
    return response;
  }

  @Teardown()
  failTeardown(): void {
    throw new Error('teardown broke');
  }
}

function captureLogger(): { logger: pino.Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      callback();
    },
  });
  return { logger: pino({ level: 'info' }, sink), lines };
}

describe('faults', () => {
  let app: FlagonApp;
  let port: number;
  let logs: Record<string, unknown>[];
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown): void => void unhandled.push(reason);

  beforeAll(async () => {
    process.on('unhandledRejection', onUnhandled);
    const { logger, lines } = captureLogger();
    logs = lines;
    app = createApp({
      modules: [FaultyModule, HookedModule],
      config: { TESTING: true, REQUEST_TIMEOUT: 200, LOG_REQUESTS: false },
      env: false,
      logger,
    });
    ({ port } = await app.listen({ port: 0 }));
  });

  afterAll(async () => {
    process.off('unhandledRejection', onUnhandled);
    await app.close();
  });

  it.each(['/throws', '/rejects'])(
    'answers 500 when the handler fails (%s) and keeps serving',
    async (path) => {
      const res = await fetchText(port, path);
      expect(res.status).toBe(500);
      expect(JSON.parse(res.text)).toMatchObject({ error: 'internal_server_error' });
      expect((await fetchText(port, '/ok')).status).toBe(200);
    },
  );

  function loggedCodes(): unknown[] {
    return logs
      .map((line) => (line['err'] as { code?: unknown } | undefined)?.code)
      .filter((code) => code !== undefined);
  }

  it('answers 503 FLAGON_HANDLER_TIMEOUT when a handler never settles within its @Timeout', async () => {
    logs.splice(0);
    const res = await fetchText(port, '/hangs');
    // 5xx bodies stay generic outside DEBUG; the code is in the log line.
    expect(res.status).toBe(503);
    expect(loggedCodes()).toEqual(['FLAGON_HANDLER_TIMEOUT']);
    expect((await fetchText(port, '/ok')).status).toBe(200);
  });

  it('applies the app-wide REQUEST_TIMEOUT to routes without @Timeout', async () => {
    logs.splice(0);
    const res = await fetchText(port, '/hangs-app-wide');
    expect(res.status).toBe(503);
    expect(loggedCodes()).toEqual(['FLAGON_HANDLER_TIMEOUT']);
  });

  it('covers before-request hooks with the timeout', async () => {
    const res = await fetchText(port, '/hooked/ok?hang=1');
    expect(res.status).toBe(503);
  });

  it('lets @Timeout(0) exempt a route from the app-wide timeout', async () => {
    const res = await fetchText(port, '/slow-but-exempt');
    expect([res.status, JSON.parse(res.text)]).toEqual([200, { done: true }]);
  });

  it('drops a rejection that arrives after the timeout without an unhandled rejection', async () => {
    const res = await fetchText(port, '/rejects-late');
    expect(res.status).toBe(503);
    // The late rejection lands 100 ms after the 503; a later request outlives it.
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect((await fetchText(port, '/ok')).status).toBe(200);
    expect(unhandled).toEqual([]);
  });

  it('logs a failing after-request and teardown hook and still sends the response', async () => {
    const res = await fetchText(port, '/hooked/ok');
    expect([res.status, JSON.parse(res.text)]).toEqual([200, { ok: true }]);
    await new Promise((resolve) => setImmediate(resolve));
    const messages = logs.map((line) => line['msg']);
    expect(messages).toContain('after-request hook failed');
    expect(messages).toContain('teardown hook failed');
  });

  it('destroys the socket when a streamed body fails after the headers were sent, and keeps serving', async () => {
    const outcome = await new Promise<string>((resolve) => {
      httpRequest({ host: '127.0.0.1', port, path: '/stream-fails', agent: false }, (res) => {
        expect(res.statusCode).toBe(200);
        res.on('data', () => undefined);
        res.on('end', () => resolve('ended'));
        res.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
        res.on('aborted', () => resolve('aborted'));
      })
        .on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message))
        .end();
    });
    expect(outcome).not.toBe('ended');
    expect((await fetchText(port, '/ok')).status).toBe(200);
  });
});
