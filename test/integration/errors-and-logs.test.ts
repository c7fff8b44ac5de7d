import { Writable } from 'node:stream';
import pino from 'pino';
import { createApp, Get, Module, Route } from '../../src';

@Route('/')
class FailingController {
  @Get('/ok')
  ok(): object {
    return { ok: true };
  }
  @Get('/boom')
  boom(): never {
    throw new Error('secret database password leaked in message');
  }
  @Get('/broken-stream')
  brokenStream(): AsyncIterable<string> {
    return (async function* () {
      yield 'start';
      await Promise.resolve();
      throw new Error('stream broke midway');
    })();
  }
  @Get('/async-boom')
  async asyncBoom(): Promise<never> {
    await Promise.resolve();
    throw new TypeError('async secret');
  }
}

@Module({ controllers: [FailingController] })
class FailingModule {}

function memoryLogger(): {
  logger: pino.Logger;
  lines: () => Record<string, unknown>[];
  written: () => Promise<void>;
} {
  const chunks: string[] = [];
  let onWrite: (() => void) | undefined;
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk.toString('utf8'));
      onWrite?.();
      callback();
    },
  });
  const logger = pino({ level: 'info' }, stream);
  return {
    logger,
    /** Resolves on the next line written. */
    written: () => new Promise<void>((resolve) => (onWrite = resolve)),
    lines: () =>
      chunks
        .join('')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

// The 500 page and the error log are under test here: errors are not propagated to the test client.
describe('uncaught errors', () => {
  it('are a 500 with a generic body, without message or stack, when not DEBUG', async () => {
    const client = createApp({
      modules: [FailingModule],
      config: { TESTING: true, PROPAGATE_EXCEPTIONS: false },
    }).testClient();
    for (const path of ['/boom', '/async-boom']) {
      const res = await client.get(path);
      expect(res.status).toBe(500);
      expect(res.json()).toEqual({
        error: 'internal_server_error',
        message: 'Internal Server Error',
      });
      expect(res.text).not.toContain('secret');
      const html = await client.get(path, { headers: { accept: 'text/html' } });
      expect(html.status).toBe(500);
      expect(html.text).not.toContain('secret');
      expect(html.text).not.toContain('.ts:');
    }
  });

  it('show the stack in DEBUG', async () => {
    const { logger } = memoryLogger();
    const client = createApp({
      modules: [FailingModule],
      config: { TESTING: true, PROPAGATE_EXCEPTIONS: false, DEBUG: true },
      logger,
    }).testClient();
    const html = await client.get('/boom', { headers: { accept: 'text/html' } });
    expect(html.status).toBe(500);
    expect(html.text).toContain('secret database password leaked in message');
    expect(html.text).toContain('errors-and-logs.test.ts');
    const json = await client.get('/boom');
    expect(json.json()).toMatchObject({
      stack: expect.stringContaining('Error: secret database password') as string,
    });
  });
});

describe('logs', () => {
  it('write one line per request with method, path, status, ms and reqId', async () => {
    const { logger, lines } = memoryLogger();
    const client = createApp({
      modules: [FailingModule],
      config: { TESTING: true, PROPAGATE_EXCEPTIONS: false },
      logger,
    }).testClient();
    await client.get('/ok?x=1');
    await client.get('/missing', { headers: { 'x-request-id': 'abc-123' } });
    const requests = lines().filter((line) => line['msg'] === 'request');
    expect(requests).toHaveLength(2);
    expect(requests[0]).toMatchObject({
      method: 'GET',
      path: '/ok',
      status: 200,
      reqId: expect.any(String) as string,
      ms: expect.any(Number) as number,
    });
    expect(requests[1]).toMatchObject({
      method: 'GET',
      path: '/missing',
      status: 404,
      reqId: 'abc-123',
    });
    expect(requests[0]?.['reqId']).not.toBe(requests[1]?.['reqId']);
  });

  it('log errors with their stack and the request id', async () => {
    const { logger, lines } = memoryLogger();
    const client = createApp({
      modules: [FailingModule],
      config: { TESTING: true, PROPAGATE_EXCEPTIONS: false },
      logger,
    }).testClient();
    await client.get('/boom');
    const all = lines();
    const failure = all.find((line) => line['level'] === 50);
    expect(failure).toMatchObject({
      method: 'GET',
      path: '/boom',
      reqId: expect.any(String) as string,
    });
    expect((failure?.['err'] as { stack?: string } | undefined)?.stack).toContain(
      'secret database password leaked in message',
    );
    const request = all.find((line) => line['msg'] === 'request');
    expect(request).toMatchObject({ status: 500, reqId: failure?.['reqId'] });
  });

  it('can be turned off per request with LOG_REQUESTS', async () => {
    const { logger, lines } = memoryLogger();
    const client = createApp({
      modules: [FailingModule],
      config: { TESTING: true, PROPAGATE_EXCEPTIONS: false, LOG_REQUESTS: false },
      logger,
    }).testClient();
    await client.get('/ok');
    expect(lines().filter((line) => line['msg'] === 'request')).toEqual([]);
  });

  it('log a response stream that fails after the headers were sent, and cut the response', async () => {
    const { logger, lines, written } = memoryLogger();
    const app = createApp({
      modules: [FailingModule],
      config: { TESTING: true, PROPAGATE_EXCEPTIONS: false, LOG_REQUESTS: false },
      logger,
    });
    const { port } = await app.listen({ port: 0 });
    try {
      const logged = written();
      const outcome = await fetch(`http://127.0.0.1:${port}/broken-stream`)
        .then((res) => res.text())
        .then(
          () => 'complete',
          () => 'cut',
        );
      await logged;
      expect(outcome).toBe('cut');
      const failure = lines().find((line) => line['msg'] === 'response stream failed');
      expect(failure).toMatchObject({
        path: '/broken-stream',
        reqId: expect.any(String) as string,
      });
      expect((failure?.['err'] as { stack?: string } | undefined)?.stack).toContain(
        'stream broke midway',
      );
    } finally {
      await app.close();
    }
  });
});
