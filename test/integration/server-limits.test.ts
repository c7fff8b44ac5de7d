import { connect, type Socket } from 'node:net';
import pino from 'pino';
import { createApp, Get, Module, Param, Route, redirect, type FlagonApp } from '../../src';
import { fetchText, openSocket, sendRaw } from '../support/raw-http';

/** Bounds a wait: the promise's value, or `false` after `ms`. */
function within<TValue>(promise: Promise<TValue>, ms: number): Promise<TValue | false> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms))),
  ]).finally(() => clearTimeout(timer));
}

/** Resolves with the server side of the next connection the app accepts. */
function nextServerSocket(app: FlagonApp): Promise<Socket> {
  return new Promise((resolve) => app.server?.once('connection', resolve));
}

@Route('/')
class LimitsController {
  @Get('/ping')
  ping(): { ok: boolean } {
    return { ok: true };
  }

  @Get('/echo/<name>')
  echo(@Param('name') name: string): { name: string } {
    return { name };
  }

  @Get('/large')
  large(): Buffer {
    return Buffer.alloc(8 * 1024 * 1024, 0x61);
  }

  /** Twelve chunks of 64 KiB, one every 100 ms: slow, but never idle. */
  @Get('/trickle')
  async *trickle(): AsyncGenerator<Buffer> {
    for (let index = 0; index < 12; index++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      yield Buffer.alloc(64 * 1024, 0x62);
    }
  }

  @Get('/go/emoji')
  emoji(): unknown {
    return redirect('/echo/smile-😀?q=✓');
  }

  @Get('/go/accented')
  accented(): unknown {
    return redirect('/echo/café');
  }

  @Get('/go/escaped')
  escaped(): unknown {
    return redirect('/echo/a%20b');
  }
}

@Module({ controllers: [LimitsController] })
class LimitsModule {}

function makeApp(config: Record<string, unknown> = {}): FlagonApp {
  return createApp({ modules: [LimitsModule], config: { TESTING: true, ...config }, env: false });
}

describe('server limits', () => {
  let app: FlagonApp;
  let port: number;

  afterEach(async () => {
    await app.close();
  });

  it('applies the SERVER_* settings to the node:http server by default', async () => {
    app = makeApp();
    ({ port } = await app.listen({ port: 0 }));
    const server = app.server;
    expect(server?.headersTimeout).toBe(10_000);
    expect(server?.requestTimeout).toBe(30_000);
    expect(server?.keepAliveTimeout).toBe(5_000);
    expect((server as unknown as { maxHeaderSize: number }).maxHeaderSize).toBe(16 * 1024);
    expect(server?.maxConnections).toBe(1000);
  });

  it('keeps a connection whose response is slow but keeps flowing (SERVER_IDLE_TIMEOUT)', async () => {
    app = makeApp({ SERVER_IDLE_TIMEOUT: 500 });
    ({ port } = await app.listen({ port: 0 }));
    const res = await fetch(`http://127.0.0.1:${port}/trickle`);
    const body = Buffer.from(await res.arrayBuffer());
    expect(res.status).toBe(200);
    expect(body.length).toBe(12 * 64 * 1024);
  });

  it('closes a connection whose client reads a large response too slowly (SERVER_IDLE_TIMEOUT)', async () => {
    app = makeApp({ SERVER_IDLE_TIMEOUT: 500 });
    ({ port } = await app.listen({ port: 0 }));
    const accepted = nextServerSocket(app);
    const client = await openSocket(port);
    const serverSide = await accepted;
    const closed = new Promise<true>((resolve) => serverSide.once('close', () => resolve(true)));
    client.on('error', () => undefined);
    client.pause();
    client.write('GET /large HTTP/1.1\r\nHost: x\r\n\r\n');
    // A hundred bytes every 50 ms: the response would take hours at this pace.
    let read = 0;
    const trickle = setInterval(() => {
      const chunk = client.read(100) as Buffer | null;
      read += chunk?.length ?? 0;
    }, 50);
    try {
      expect(await within(closed, 10_000)).toBe(true);
      expect(read).toBeLessThan(8 * 1024 * 1024);
      expect((await fetchText(port, '/ping')).status).toBe(200);
    } finally {
      clearInterval(trickle);
      client.destroy();
    }
  });

  it('refuses connections above SERVER_MAX_CONNECTIONS, logs it, and accepts again below', async () => {
    const lines: string[] = [];
    app = createApp({
      modules: [LimitsModule],
      config: { TESTING: true, SERVER_MAX_CONNECTIONS: 3 },
      env: false,
      logger: pino({ level: 'warn' }, { write: (line: string) => lines.push(line) }),
    });
    ({ port } = await app.listen({ port: 0 }));
    const held: Socket[] = [];
    const heldServerSides: Socket[] = [];
    for (let index = 0; index < 3; index++) {
      const accepted = nextServerSocket(app);
      held.push(await openSocket(port));
      heldServerSides.push(await accepted);
    }
    try {
      // The fourth connection is closed before it can be answered.
      expect(await sendRaw(port, 'GET /ping HTTP/1.1\r\nHost: x\r\n\r\n')).toBe('');
      expect(lines.join('')).toContain('SERVER_MAX_CONNECTIONS reached');
      const freed = new Promise((resolve) => heldServerSides[0]?.once('close', resolve));
      held[0]?.destroy();
      await freed;
      expect((await fetchText(port, '/ping')).status).toBe(200);
    } finally {
      for (const socket of held) socket.destroy();
    }
  });

  it('closes 100 slowloris sockets at the headers timeout while serving normal requests', async () => {
    app = makeApp({
      SERVER_HEADERS_TIMEOUT: 1000,
      SERVER_REQUEST_TIMEOUT: 2000,
      SERVER_CONNECTIONS_CHECKING_INTERVAL: 100,
    });
    ({ port } = await app.listen({ port: 0 }));
    const header = 'GET /ping HTTP/1.1\r\nHost: x\r\nX-Slow: ' + 'a'.repeat(200);
    const slow: Socket[] = [];
    const closed: Promise<void>[] = [];
    for (let index = 0; index < 100; index++) {
      const socket = connect(port, '127.0.0.1');
      socket.on('error', () => undefined);
      closed.push(new Promise((resolve) => socket.once('close', () => resolve())));
      slow.push(socket);
    }
    // Each slow socket sends one more header byte every 50 ms and never finishes its headers.
    let offset = 0;
    const trickle = setInterval(() => {
      const byte = header[offset++ % header.length] as string;
      for (const socket of slow) if (!socket.destroyed) socket.write(byte);
    }, 50);
    try {
      const normal = [];
      for (let index = 0; index < 10; index++) normal.push(await fetchText(port, '/ping'));
      expect(normal.map((res) => res.status)).toEqual(new Array(10).fill(200));
      let guard: NodeJS.Timeout | undefined;
      const allClosed = await Promise.race([
        Promise.all(closed).then(() => true),
        new Promise<boolean>((resolve) => (guard = setTimeout(() => resolve(false), 8000))),
      ]);
      clearTimeout(guard);
      expect(allClosed).toBe(true);
      expect((await fetchText(port, '/ping')).status).toBe(200);
    } finally {
      clearInterval(trickle);
      for (const socket of slow) socket.destroy();
    }
  });

  it('answers 431 above SERVER_MAX_HEADER_SIZE', async () => {
    app = makeApp({ SERVER_MAX_HEADER_SIZE: 1024 });
    ({ port } = await app.listen({ port: 0 }));
    const reply = await sendRaw(
      port,
      `GET /ping HTTP/1.1\r\nHost: x\r\nX-Big: ${'b'.repeat(2048)}\r\n\r\n`,
    );
    expect(reply.startsWith('HTTP/1.1 431')).toBe(true);
    expect(
      (await fetchText(port, '/ping', { headers: { 'x-small': 'b'.repeat(100) } })).status,
    ).toBe(200);
  });

  it('rejects a request with both Content-Length and Transfer-Encoding with 400', async () => {
    app = makeApp();
    ({ port } = await app.listen({ port: 0 }));
    const reply = await sendRaw(
      port,
      'POST /ping HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n',
    );
    expect(reply.startsWith('HTTP/1.1 400')).toBe(true);
  });

  it.each(['abc', '-1', '1, 2', '5 5'])(
    'rejects an invalid Content-Length %j with 400',
    async (length) => {
      app = makeApp();
      ({ port } = await app.listen({ port: 0 }));
      const reply = await sendRaw(
        port,
        `POST /ping HTTP/1.1\r\nHost: x\r\nContent-Length: ${length}\r\n\r\nhello`,
      );
      expect(reply.startsWith('HTTP/1.1 400')).toBe(true);
    },
  );

  it('percent-encodes redirect targets above U+00FF (emoji) instead of crashing', async () => {
    app = makeApp();
    ({ port } = await app.listen({ port: 0 }));
    const res = await fetchText(port, '/go/emoji');
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe('/echo/smile-%F0%9F%98%80?q=%E2%9C%93');
  });

  it('redirects to a non-ASCII path that routes back to the same value', async () => {
    app = makeApp();
    ({ port } = await app.listen({ port: 0 }));
    const res = await fetchText(port, '/go/accented');
    expect([res.status, res.headers.location]).toEqual([302, '/echo/caf%C3%A9']);
    const followed = await fetchText(port, res.headers.location as string);
    expect(JSON.parse(followed.text)).toEqual({ name: 'café' });
    const emoji = await fetchText(
      port,
      (await fetchText(port, '/go/emoji')).headers.location as string,
    );
    expect(JSON.parse(emoji.text)).toEqual({ name: 'smile-😀' });
  });

  it('keeps existing percent escapes in a redirect target', async () => {
    app = makeApp();
    ({ port } = await app.listen({ port: 0 }));
    expect((await fetchText(port, '/go/escaped')).headers.location).toBe('/echo/a%20b');
  });
});

describe('server limit settings', () => {
  it.each([
    [{ SERVER_HEADERS_TIMEOUT: -1 }],
    [{ SERVER_KEEP_ALIVE_TIMEOUT: 1.5 }],
    [{ SERVER_MAX_HEADER_SIZE: 0 }],
    [{ SERVER_CONNECTIONS_CHECKING_INTERVAL: 0 }],
    [{ SERVER_HEADERS_TIMEOUT: 5000, SERVER_REQUEST_TIMEOUT: 1000 }],
    [{ SHUTDOWN_TIMEOUT: 'soon' }],
    [{ REQUEST_TIMEOUT: -5 }],
    [{ HEALTH_PATH: 'healthz' }],
    [{ SERVER_IDLE_TIMEOUT: -1 }],
    [{ SERVER_MAX_CONNECTIONS: 0 }],
    [{ SERVER_MAX_CONNECTIONS: 'many' }],
  ])('refuses %j at createApp', (config) => {
    expect(() => makeApp(config)).toThrow(
      expect.objectContaining({ code: 'FLAGON_CONFIG_INVALID' }) as Error,
    );
  });

  it('accepts SERVER_REQUEST_TIMEOUT 0 (disabled) with any headers timeout', () => {
    expect(() =>
      makeApp({ SERVER_REQUEST_TIMEOUT: 0, SERVER_HEADERS_TIMEOUT: 60_000 }),
    ).not.toThrow();
  });
});
