import { spawn, type ChildProcess } from 'node:child_process';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { createServer, connect } from 'node:net';
import { join } from 'node:path';

/** The repository root: child processes run from here so ts-node finds tsconfig.json. */
export const REPO_ROOT = join(__dirname, '..', '..');

/** A port nobody listens on right now (the system picks it: listen on 0, read it back, close). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Resolves once something accepts connections on the port, polling until `timeoutMs`. */
export async function waitForPort(
  port: number,
  timeoutMs: number,
  isAlive: () => boolean = () => true,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const isOpen = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (isOpen) return;
    if (!isAlive()) throw new Error(`the process meant to listen on ${port} exited`);
    if (Date.now() > deadline) throw new Error(`nothing listens on ${port} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Every Child still running, so none outlives its test file (see the afterAll below). */
const running = new Set<Child>();

/**
 * A child process whose output is kept (for failure messages) and that is stopped by its own PID.
 * Children a test file failed to stop (one instance started while another failed, say) are
 * killed when the file ends: a live child holds Jest open, and a hung CI run fails nothing.
 */
export class Child {
  readonly process: ChildProcess;
  output = '';
  exitCode: number | null | undefined;
  readonly exited: Promise<number | null>;

  constructor(command: string, args: readonly string[], env: NodeJS.ProcessEnv) {
    this.process = spawn(command, args, { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const keep = (chunk: Buffer): void => {
      // Bounded: the start and the end of what the child says are what explains a failure.
      this.output = (this.output + chunk.toString('utf8')).slice(-20_000);
    };
    this.process.stdout?.on('data', keep);
    this.process.stderr?.on('data', keep);
    running.add(this);
    this.exited = new Promise((resolve) => {
      this.process.once('exit', (code, signal) => {
        this.exitCode = code ?? (signal ? -1 : null);
        running.delete(this);
        resolve(code);
      });
    });
  }

  get isAlive(): boolean {
    return this.exitCode === undefined;
  }

  /** Sends `signal` to this child only, and waits (at most `timeoutMs`, then SIGKILL) for it to exit. */
  async stop(signal: NodeJS.Signals = 'SIGTERM', timeoutMs = 10_000): Promise<number | null> {
    if (!this.isAlive || this.process.pid === undefined) return this.exitCode ?? null;
    const pid = this.process.pid;
    process.kill(pid, signal);
    const guard = setTimeout(() => {
      if (this.isAlive) process.kill(pid, 'SIGKILL');
    }, timeoutMs);
    const code = await this.exited;
    clearTimeout(guard);
    return code;
  }
}

afterAll(async () => {
  await Promise.all([...running].map((child) => child.stop('SIGKILL')));
});

/** Starts the sample app (`npm run sample`'s entry point) with the given environment and waits until it answers. */
export async function startSampleApp(
  env: Record<string, string>,
  timeoutMs = 90_000,
): Promise<Child> {
  // ts-node without type-checking: the type-check is `npm run typecheck`'s job, and it would double the start-up time.
  const child = new Child(
    process.execPath,
    ['-r', 'ts-node/register/transpile-only', join('sample-app', 'main.ts')],
    { ...process.env, ...env },
  );
  try {
    await waitForPort(Number(env['PORT']), timeoutMs, () => child.isAlive);
  } catch (error) {
    await child.stop('SIGKILL');
    throw new Error(`${(error as Error).message}; sample app output: ${child.output}`, {
      cause: error,
    });
  }
  return child;
}

export interface HttpResult {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly text: string;
}

export interface HttpOptions {
  readonly method?: string;
  readonly path: string;
  readonly headers?: Record<string, string>;
  readonly body?: string;
  /** The client's own address (any 127.x.y.z on Linux), so a proxy's X-Forwarded-For can be told from its own address. */
  readonly localAddress?: string;
  readonly tls?: boolean;
  readonly timeoutMs?: number;
}

/** One request on a new connection (no agent), over HTTP or HTTPS with any certificate. */
export function send(port: number, options: HttpOptions): Promise<HttpResult> {
  return new Promise((resolve, reject) => {
    const make = options.tls ? httpsRequest : httpRequest;
    const req = make(
      {
        host: '127.0.0.1',
        port,
        path: options.path,
        method: options.method ?? 'GET',
        headers: options.headers,
        agent: false,
        ...(options.localAddress === undefined ? {} : { localAddress: options.localAddress }),
        ...(options.tls ? { rejectUnauthorized: false } : {}),
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
        res.on('error', reject);
      },
    );
    req.setTimeout(options.timeoutMs ?? 15_000, () =>
      req.destroy(new Error(`${options.method ?? 'GET'} ${options.path} timed out`)),
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

/** Just enough of a browser's cookie jar: one site, no paths or expiry beyond deletion. */
export class CookieJar {
  private readonly cookies = new Map<string, string>();

  store(headers: IncomingHttpHeaders): void {
    for (const line of headers['set-cookie'] ?? []) {
      const [pair = '', ...attributes] = line.split(';');
      const separator = pair.indexOf('=');
      const name = pair.slice(0, separator).trim();
      const value = pair.slice(separator + 1).trim();
      const isDeleted =
        value === '' || attributes.some((attribute) => /^\s*max-age=0\s*$/i.test(attribute));
      if (isDeleted) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  get header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }
}
