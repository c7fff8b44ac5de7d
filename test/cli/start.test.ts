import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { MODE_APP, writeApp } from './fixtures';
import { RunningCli } from './run-cli';

const LISTENING = /Listening on http:\/\/127\.0\.0\.1:(\d+) \(pid (\d+)\)/;

describe('flagon start', () => {
  let work: string;
  let entry: string;
  let running: RunningCli | undefined;

  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'flagon-start-'));
    entry = writeApp(join(work, 'app.ts'), MODE_APP.replace('{{GREETING}}', 'hi'));
  });

  afterEach(async () => {
    await running?.stop();
    running = undefined;
  });

  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('serves the app in production mode and exits 0 on SIGTERM', async () => {
    running = new RunningCli(['start', entry, '--port', '0'], {
      cwd: work,
      env: { NODE_ENV: 'development' },
    });
    const [, port] = await running.waitFor(LISTENING);
    expect(running.output).toContain('Starting app.ts in production mode');
    const response = await fetch(`http://127.0.0.1:${port ?? ''}/mode`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      greeting: 'hi',
      debug: false,
      nodeEnv: 'production',
    });
    await expect(running.stop()).resolves.toBe(0);
  }, 60_000);

  it('runs N workers with --workers, sharing the port', async () => {
    running = new RunningCli(['start', entry, '--port', '0', '--workers', '2'], { cwd: work });
    await running.waitFor(/Started 2 workers/, 0, 90_000);
    // The primary hears that a worker listens before the worker's own line reaches the shared
    // stdout: wait for both workers' lines.
    await running.waitFor(new RegExp(`${LISTENING.source}[\\s\\S]*${LISTENING.source}`), 0, 30_000);
    const listening = [...running.output.matchAll(new RegExp(LISTENING, 'g'))];
    expect(listening).toHaveLength(2);
    expect(new Set(listening.map((match) => match[2])).size).toBe(2);
    const ports = listening.map((match) => match[1]);
    expect(new Set(ports).size).toBe(1);
    const response = await fetch(`http://127.0.0.1:${ports[0] ?? ''}/mode`);
    expect(await response.json()).toMatchObject({ nodeEnv: 'production' });
  }, 120_000);

  it('runs one worker per core with --workers auto', async () => {
    running = new RunningCli(['start', entry, '--port', '0', '--workers', 'auto'], { cwd: work });
    const cores = availableParallelism();
    await running.waitFor(new RegExp(`Started ${cores} workers`), 0, 90_000);
    const response = await fetch(
      `http://127.0.0.1:${(await running.waitFor(LISTENING))[1] ?? ''}/mode`,
    );
    expect(await response.json()).toMatchObject({ nodeEnv: 'production' });
  }, 120_000);
});
