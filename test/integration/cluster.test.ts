import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { fetchText } from '../support/raw-http';

/** Reads a child's stdout as lines and waits for lines matching a pattern. */
class LineReader {
  readonly lines: string[] = [];
  private buffered = '';
  private waiters: (() => void)[] = [];

  constructor(stream: Readable) {
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      this.buffered += chunk;
      const parts = this.buffered.split('\n');
      this.buffered = parts.pop() ?? '';
      this.lines.push(...parts);
      for (const wake of this.waiters.splice(0)) wake();
    });
  }

  /** Resolves once `count` lines match, or rejects after `timeoutMs`. */
  async waitFor(pattern: RegExp, count = 1, timeoutMs = 30_000): Promise<string[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.lines.filter((line) => pattern.test(line));
      if (found.length >= count) return found;
      if (Date.now() > deadline)
        throw new Error(
          `timed out waiting for ${String(pattern)} x${count}; lines: ${this.lines.join(' | ')}`,
        );
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.max(0, deadline - Date.now()) + 1);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }
}

function pidsOf(lines: readonly string[]): number[] {
  return lines.map((line) => Number(line.split(' ')[1]));
}

async function getPid(port: number, timeoutMs?: number): Promise<number> {
  const res = await fetchText(port, '/pid', { timeoutMs });
  if (res.status !== 200) throw new Error(`status ${res.status}`);
  return (JSON.parse(res.text) as { pid: number }).pid;
}

describe('runCluster', () => {
  let primary: ChildProcessByStdio<null, Readable, null>;
  let reader: LineReader;
  let port: number;

  beforeAll(async () => {
    primary = spawn(
      process.execPath,
      [
        '-r',
        'ts-node/register/transpile-only',
        join(__dirname, '..', 'fixtures', 'cluster-app.ts'),
      ],
      {
        cwd: join(__dirname, '..', '..'),
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    reader = new LineReader(primary.stdout);
    const listening = await reader.waitFor(/^listening /, 2, 60_000);
    port = Number(listening[0]?.split(' ')[2]);
  }, 70_000);

  afterAll(async () => {
    const exited = new Promise<number | null>((resolve) =>
      primary.once('exit', (code) => resolve(code)),
    );
    primary.kill('SIGTERM');
    const guard = setTimeout(() => primary.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(guard);
  }, 20_000);

  it('serves from several worker processes on one port', async () => {
    const workers = pidsOf(await reader.waitFor(/^listening /, 2));
    expect(new Set(workers).size).toBe(2);
    const seen = new Set<number>();
    for (let index = 0; index < 20; index++) seen.add(await getPid(port));
    for (const pid of seen) expect(workers).toContain(pid);
  });

  it('replaces a worker that dies, and keeps serving', async () => {
    const before = pidsOf(await reader.waitFor(/^listening /, 2));
    const victim = before[0] as number;
    process.kill(victim, 'SIGKILL');
    const after = pidsOf(await reader.waitFor(/^listening /, 3, 60_000));
    const replacement = after[2] as number;
    expect(before).not.toContain(replacement);
    const statuses: number[] = [];
    const seen = new Set<number>();
    for (let index = 0; index < 20; index++) {
      const res = await fetchText(port, '/pid');
      statuses.push(res.status);
      seen.add((JSON.parse(res.text) as { pid: number }).pid);
    }
    expect(statuses).toEqual(new Array(20).fill(200));
    expect(seen.has(victim)).toBe(false);
  }, 70_000);

  it('restarts the workers one by one on SIGHUP without failing a request', async () => {
    const listeningBefore = (await reader.waitFor(/^listening /, 3)).length;
    primary.kill('SIGHUP');
    const restarted = reader.waitFor(/^workers restarted$/, 1, 60_000);
    let isDone = false;
    void restarted.then(
      () => (isDone = true),
      () => (isDone = true),
    );
    const failures: string[] = [];
    let sent = 0;
    const client = async (): Promise<void> => {
      // Bounded: stops when the restart is over, or after 2000 requests in all.
      while (!isDone && sent < 2000) {
        sent++;
        const started = Date.now();
        try {
          await getPid(port, 20_000);
        } catch (error) {
          failures.push(
            `${(error as Error).message} after ${Date.now() - started} ms; ${reader.lines.slice(-4).join(' | ')}`,
          );
        }
      }
    };
    await Promise.all([client(), client(), client(), client()]);
    await restarted;
    expect(failures).toEqual([]);
    // Only the worker killed in the previous test died unexpectedly; retired workers are not replaced twice.
    expect(reader.lines.filter((line) => line.startsWith('worker died'))).toHaveLength(1);
    expect(sent).toBeGreaterThan(0);
    const newWorkers = pidsOf(
      reader.lines.filter((line) => line.startsWith('listening ')).slice(listeningBefore),
    );
    expect(newWorkers).toHaveLength(2);
    const seen = new Set<number>();
    for (let index = 0; index < 10; index++) seen.add(await getPid(port));
    for (const pid of seen) expect(newWorkers).toContain(pid);
  }, 70_000);
});

describe('runCluster with a worker script', () => {
  it('runs the script in the workers and stops them on SIGTERM with exit code 0', async () => {
    const primary = spawn(
      process.execPath,
      [
        '-r',
        'ts-node/register/transpile-only',
        join(__dirname, '..', 'fixtures', 'cluster-script-primary.ts'),
      ],
      {
        cwd: join(__dirname, '..', '..'),
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    const exited = new Promise<number | null>((resolve) =>
      primary.once('exit', (code) => resolve(code)),
    );
    try {
      const reader = new LineReader(primary.stdout);
      const [listening] = await reader.waitFor(/^listening /, 1, 60_000);
      await reader.waitFor(/^ready$/);
      const res = await fetchText(Number(listening?.split(' ')[2]), '/pid');
      expect(JSON.parse(res.text)).toEqual({
        pid: Number(listening?.split(' ')[1]),
        mode: 'script',
      });
      primary.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      primary.kill('SIGKILL');
    }
  }, 70_000);
});
