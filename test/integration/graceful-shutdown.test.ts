import { spawn } from 'node:child_process';
import { request as httpRequest, Agent } from 'node:http';
import { join } from 'node:path';
import { createApp, Get, Module, Route, type FlagonApp, type OnShutdown } from '../../src';
import { fetchText, openSocket } from '../support/raw-http';

let release: () => void = () => undefined;
let started: () => void = () => undefined;
const events: string[] = [];

@Route('/')
class ShutdownController {
  @Get('/fast')
  fast(): { ok: boolean } {
    return { ok: true };
  }

  @Get('/slow')
  async slow(): Promise<{ finished: boolean }> {
    started();
    await new Promise<void>((resolve) => (release = resolve));
    return { finished: true };
  }

  @Get('/forever')
  forever(): Promise<never> {
    started();
    return new Promise<never>(() => undefined);
  }
}

@Module({ controllers: [ShutdownController] })
class ShutdownModule implements OnShutdown {
  onShutdown(): void {
    events.push('shutdown-hook');
  }
}

function makeApp(config: Record<string, unknown> = {}): FlagonApp {
  return createApp({ modules: [ShutdownModule], config: { TESTING: true, ...config }, env: false });
}

function whenStarted(): Promise<void> {
  return new Promise((resolve) => (started = resolve));
}

describe('graceful shutdown', () => {
  beforeEach(() => events.splice(0));

  it('lets a slow request in flight finish with 200 after close() was called', async () => {
    const app = makeApp();
    const { port } = await app.listen({ port: 0 });
    const handlerStarted = whenStarted();
    const response = fetchText(port, '/slow');
    await handlerStarted;
    const closed = app.close().then(() => events.push('closed'));
    release();
    const res = await response;
    expect([res.status, JSON.parse(res.text)]).toEqual([200, { finished: true }]);
    await closed;
    expect(events).toEqual(['shutdown-hook', 'closed']);
  });

  it('tells a keep-alive client that the response in flight during close() is the last on its connection', async () => {
    const app = makeApp();
    const { port } = await app.listen({ port: 0 });
    const agent = new Agent({ keepAlive: true });
    const handlerStarted = whenStarted();
    const response = new Promise<string | undefined>((resolve, reject) => {
      httpRequest({ host: '127.0.0.1', port, path: '/slow', agent }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.headers.connection));
      })
        .on('error', reject)
        .end();
    });
    await handlerStarted;
    const closed = app.close();
    release();
    expect(await response).toBe('close');
    await closed;
    agent.destroy();
  });

  it('does not wait for idle keep-alive sockets nor for connections that never sent a request', async () => {
    const app = makeApp({ SHUTDOWN_TIMEOUT: 60_000 });
    const { port } = await app.listen({ port: 0 });
    const agent = new Agent({ keepAlive: true });
    const status = await new Promise<number>((resolve, reject) => {
      httpRequest({ host: '127.0.0.1', port, path: '/fast', agent }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      })
        .on('error', reject)
        .end();
    });
    expect(status).toBe(200);
    const idle = await openSocket(port);
    const idleClosed = new Promise<void>((resolve) => idle.once('close', () => resolve()));
    // With a 60 s deadline, close() can only resolve promptly if the idle sockets were closed.
    await app.close();
    await idleClosed;
    agent.destroy();
    expect(events).toEqual(['shutdown-hook']);
  });

  it('still serves a connection opened just before close() that sends its request right after', async () => {
    const app = makeApp();
    const { port } = await app.listen({ port: 0 });
    const socket = await openSocket(port);
    let received = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => (received += chunk));
    const socketClosed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    const closed = app.close();
    socket.write('GET /fast HTTP/1.1\r\nHost: x\r\n\r\n');
    await closed;
    await socketClosed;
    expect(received.startsWith('HTTP/1.1 200')).toBe(true);
  });

  it('cuts a request that never finishes at SHUTDOWN_TIMEOUT and still runs shutdown hooks', async () => {
    const app = makeApp({ SHUTDOWN_TIMEOUT: 200 });
    const { port } = await app.listen({ port: 0 });
    const handlerStarted = whenStarted();
    const response = fetchText(port, '/forever').then(
      (res) => `status ${res.status}`,
      (error: unknown) => (error as NodeJS.ErrnoException).code ?? 'error',
    );
    await handlerStarted;
    await app.close();
    expect(await response).toBe('ECONNRESET');
    expect(events).toEqual(['shutdown-hook']);
  });

  it('refuses new connections once closing', async () => {
    const app = makeApp();
    const { port } = await app.listen({ port: 0 });
    await app.close();
    await expect(fetchText(port, '/fast')).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });
});

describe('installSignalHandlers', () => {
  it('closes the app on SIGTERM, finishing the in-flight request, and exits 0', async () => {
    const fixture = join(__dirname, '..', 'fixtures', 'graceful-app.ts');
    const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', fixture], {
      cwd: join(__dirname, '..', '..'),
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const lines: string[] = [];
    const waitFor = (prefix: string): Promise<string> =>
      new Promise((resolve) => {
        const check = (): void => {
          const found = lines.find((line) => line.startsWith(prefix));
          if (found !== undefined) {
            child.stdout.off('data', check);
            resolve(found);
          }
        };
        child.stdout.on('data', check);
        check();
      });
    let buffered = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      buffered += chunk;
      const parts = buffered.split('\n');
      buffered = parts.pop() ?? '';
      lines.push(...parts);
    });
    // `close`, not `exit`: the hook's line may still be in the pipe when the process exits.
    const exited = new Promise<number | null>((resolve) =>
      child.once('close', (code) => resolve(code)),
    );
    try {
      const port = Number((await waitFor('listening ')).split(' ')[1]);
      const response = fetchText(port, '/slow', { timeoutMs: 10_000 });
      await waitFor('slow-started');
      child.kill('SIGTERM');
      const res = await response;
      expect([res.status, JSON.parse(res.text)]).toEqual([200, { finished: true }]);
      expect(await exited).toBe(0);
      expect(lines).toContain('shutdown-hook');
    } finally {
      child.kill('SIGKILL');
    }
  }, 30_000);
});
