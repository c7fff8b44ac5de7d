import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase } from 'flagon';
import { POSTGRES_SERVER } from './support';

// `npm run sample` runs this same command; spawning ts-node directly lets the test signal the app itself.
const ROOT = join(__dirname, '..', '..');
const TS_NODE = require.resolve('ts-node/dist/bin.js');

jest.setTimeout(120_000);

let folder: string;
let child: ChildProcess | undefined;

beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'flaskr-main-'));
});

afterEach(() => {
  child?.kill('SIGKILL');
  child = undefined;
  rmSync(folder, { recursive: true, force: true });
});

// `close`, not `exit`: the output the process wrote may still be in the pipe when it exits.
function start(env: Record<string, string>): {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
} {
  const started = spawn(
    process.execPath,
    [TS_NODE, '--transpile-only=false', 'sample-app/main.ts'],
    {
      cwd: ROOT,
      env: { PATH: process.env['PATH'] ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  child = started;
  let output = '';
  started.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  started.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) =>
    started.once('close', (code) => resolve(code)),
  );
  return { child: started, output: () => output, exited };
}

function waitForPort(output: () => string, exited: Promise<number | null>): Promise<number> {
  return new Promise((resolve, reject) => {
    const timer = setInterval(() => {
      const match = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(output());
      if (match) {
        clearInterval(timer);
        resolve(Number(match[1]));
      }
    }, 100);
    void exited.then((code) => {
      clearInterval(timer);
      reject(new Error(`the app exited with ${String(code)} before listening:\n${output()}`));
    });
  });
}

function fetchText(port: number, path: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    get({ host: '127.0.0.1', port, path }, (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    }).on('error', reject);
  });
}

it('starts in production mode from the environment, creates its database and stops on SIGTERM', async () => {
  const database = join(folder, 'instance', 'blog.sqlite');
  const app = start({
    NODE_ENV: 'production',
    SECRET_KEY: randomBytes(32).toString('hex'),
    PORT: '0',
    DATABASE: database,
  });
  const port = await waitForPort(app.output, app.exited);
  expect(await fetchText(port, '/hello')).toEqual({ status: 200, text: 'Hello, World!' });
  expect(existsSync(database)).toBe(true);
  expect(app.output()).toContain('production mode');
  app.child.kill('SIGTERM');
  expect(await app.exited).toBe(0);
});

it('runs on PostgreSQL when DATABASE_URL is set, migrating a new database on start', async () => {
  const database = await createTestDatabase(POSTGRES_SERVER);
  try {
    const app = start({ PORT: '0', DATABASE_URL: database.url, DATABASE: join(folder, 'unused') });
    const port = await waitForPort(app.output, app.exited);
    expect(await fetchText(port, '/hello')).toEqual({ status: 200, text: 'Hello, World!' });
    const index = await fetchText(port, '/');
    expect(index.status).toBe(200);
    expect(index.text).toContain('No posts yet.');
    expect(existsSync(join(folder, 'unused'))).toBe(false);
    app.child.kill('SIGTERM');
    expect(await app.exited).toBe(0);
  } finally {
    await database.drop();
  }
});

it('exits 1 with the error code when production mode has no SECRET_KEY', async () => {
  const app = start({ NODE_ENV: 'production', PORT: '0', DATABASE: join(folder, 'blog.sqlite') });
  expect(await app.exited).toBe(1);
  expect(app.output()).toContain('FLAGON_CONFIG_SECRET_KEY_MISSING');
});
