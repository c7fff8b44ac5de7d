import { request as httpRequest } from 'node:http';
import { Readable } from 'node:stream';
import {
  createApp,
  currentRequest,
  g,
  Get,
  Module,
  Route,
  sse,
  type FlagonApp,
  type ServerSentEvent,
} from '../../src';

/** Settles when the generator's `finally` has run. */
let finished: Promise<string>;
let maxBuffered = 0;
let markFinished: (how: string) => void = () => undefined;
function resetFinished(): void {
  finished = new Promise((resolve) => (markFinished = resolve));
}

@Route('/')
class StreamController {
  @Get('/endless')
  endless(): AsyncIterable<string> {
    return (async function* () {
      let count = 0;
      try {
        for (;;) {
          await new Promise((resolve) => setImmediate(resolve));
          yield `chunk ${count++} `.padEnd(1024, '.');
        }
      } finally {
        markFinished(`stopped after ${count}`);
      }
    })();
  }

  @Get('/context')
  context(): AsyncIterable<string> {
    g()['who'] = 'stored in g';
    return (async function* () {
      for (let index = 0; index < 3; index++) {
        await new Promise((resolve) => setImmediate(resolve));
        yield `${currentRequest().path} ${String(g()['who'])}\n`;
      }
      // Chunks larger than the socket buffer: later ones are pulled from 'drain' callbacks.
      for (let index = 0; index < 8; index++) yield currentRequest().path.padEnd(256 * 1024, '.');
    })();
  }

  @Get('/big')
  big(): AsyncIterable<Buffer> {
    const socket = currentRequest().raw.socket;
    const chunk = Buffer.alloc(64 * 1024, 120);
    // eslint-disable-next-line @typescript-eslint/require-await -- an AsyncIterable whose producer never waits, on purpose (see below)
    return (async function* () {
      try {
        // Synchronous producer: without backpressure it would queue all 16 MiB in the socket at once.
        for (let index = 0; index < 256; index++) {
          maxBuffered = Math.max(maxBuffered, socket.writableLength);
          yield chunk;
        }
      } finally {
        markFinished('big done');
      }
    })();
  }

  @Get('/readable')
  readable(): Readable {
    return Readable.from(['a', 'b', 'c']);
  }

  @Get('/events')
  events(): unknown {
    return sse(
      // eslint-disable-next-line @typescript-eslint/require-await -- sse() takes an AsyncIterable; nothing to await
      (async function* (): AsyncGenerator<ServerSentEvent | string> {
        yield 'hello';
        yield { event: 'update', id: '7', data: { path: currentRequest().path } };
        yield { data: 'two\nlines', retry: 1000 };
      })(),
    );
  }

  @Get('/endless-events')
  endlessEvents(): unknown {
    return sse(
      (async function* () {
        let count = 0;
        try {
          for (;;) {
            await new Promise((resolve) => setImmediate(resolve));
            yield { data: count++ };
          }
        } finally {
          markFinished(`events stopped after ${count}`);
        }
      })(),
    );
  }
}

@Module({ controllers: [StreamController] })
class StreamModule {}

let app: FlagonApp;
beforeAll(async () => {
  app = createApp({ modules: [StreamModule], config: { TESTING: true }, env: false });
  await app.listen({ port: 0 });
});
afterAll(() => app.close());

/** Reads the first chunk of a response over real HTTP, then drops the connection. */
function readFirstChunkThenDisconnect(
  path: string,
): Promise<{ status: number; type: string | undefined; first: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port: app.address?.port, path }, (res) => {
      res.once('data', (chunk: Buffer) => {
        resolve({
          status: res.statusCode ?? 0,
          type: res.headers['content-type'],
          first: chunk.toString('utf8'),
        });
        req.destroy();
      });
    });
    req.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'ECONNRESET') reject(error);
    });
    req.end();
  });
}

describe('streaming', () => {
  it('stops an endless generator and runs its finally when the client disconnects', async () => {
    resetFinished();
    const response = await readFirstChunkThenDisconnect('/endless');
    expect(response.status).toBe(200);
    expect(response.first).toContain('chunk 0');
    await expect(finished).resolves.toMatch(/^stopped after \d+$/);
  });

  it('keeps currentRequest() and g() available inside the generator', async () => {
    const res = await app.testClient().get('/context');
    const expected =
      '/context stored in g\n'.repeat(3) + '/context'.padEnd(256 * 1024, '.').repeat(8);
    expect(res.text).toBe(expected);
    const body = await new Promise<string>((resolve, reject) => {
      httpRequest({ host: '127.0.0.1', port: app.address?.port, path: '/context' }, (raw) => {
        let text = '';
        raw.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
        raw.on('end', () => resolve(text));
      })
        .on('error', reject)
        .end();
    });
    expect(body).toBe(expected);
  });

  it('pulls from the generator only as fast as the client reads (backpressure)', async () => {
    resetFinished();
    const received = await new Promise<number>((resolve, reject) => {
      httpRequest({ host: '127.0.0.1', port: app.address?.port, path: '/big' }, (res) => {
        let total = 0;
        res.on('data', (chunk: Buffer) => {
          total += chunk.length;
          res.pause();
          setImmediate(() => res.resume());
        });
        res.on('end', () => resolve(total));
      })
        .on('error', reject)
        .end();
    });
    await finished;
    expect(received).toBe(256 * 64 * 1024);
    expect(maxBuffered).toBeLessThan(2 * 1024 * 1024);
  });

  it('streams a Node Readable', async () => {
    const res = await app.testClient().get('/readable');
    expect([res.status, res.text]).toEqual([200, 'abc']);
  });
});

describe('sse', () => {
  it('frames events as text/event-stream', async () => {
    const res = await app.testClient().get('/events');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.text).toBe(
      'data: hello\n\nevent: update\nid: 7\ndata: {"path":"/events"}\n\nretry: 1000\ndata: two\ndata: lines\n\n',
    );
  });

  it('stops the event source when the client disconnects', async () => {
    resetFinished();
    const response = await readFirstChunkThenDisconnect('/endless-events');
    expect(response.type).toBe('text/event-stream; charset=utf-8');
    expect(response.first).toMatch(/^data: 0\n\n/);
    await expect(finished).resolves.toMatch(/^events stopped after \d+$/);
  });
});
