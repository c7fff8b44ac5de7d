import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';

// Workers and instances behind a proxy start together on one SQLite file: each must open it,
// and the first run must create and migrate it exactly once (WAL switch retried, migrations in
// one BEGIN IMMEDIATE transaction each, so the others wait and then find nothing to apply).
const ROOT = join(__dirname, '..', '..');
const TS_NODE_REGISTER = require.resolve('ts-node/register/transpile-only');
const INSTANCES = 4;
const ROUNDS = 8;
const ROUND_MS = 250;

jest.setTimeout(120_000);

let folder: string;

beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'flaskr-db-'));
});

afterEach(() => {
  rmSync(folder, { recursive: true, force: true });
});

interface Instance {
  readonly ready: Promise<void>;
  go(startAt: number): void;
  readonly done: Promise<{ code: number | null; output: string }>;
}

/**
 * A new process that loads the blog, says READY, then for each round, at the round's shared
 * instant, starts the blog on that round's new file, adds a user and stops.
 */
function startInstance(name: string): Instance {
  const script = `
    const { join } = require('node:path');
    const { createBlogApp } = require('./sample-app/app');
    const { DATABASE } = require('./src');
    process.stdin.once('data', async (line) => {
      const startAt = Number(String(line).trim());
      try {
        for (let round = 0; round < ${ROUNDS}; round++) {
          while (Date.now() < startAt + round * ${ROUND_MS}) await new Promise((r) => setImmediate(r));
          const app = createBlogApp({
            database: join(${JSON.stringify(folder)}, 'round' + round, 'blog.sqlite'),
            config: { TESTING: true },
            env: false,
          });
          await app.init();
          await app.resolve(DATABASE).insertInto('users').values({ username: ${JSON.stringify(name)}, password: 'x' }).execute();
          await app.close();
        }
        process.exit(0);
      } catch (error) {
        console.error(error);
        process.exit(1);
      }
    });
    console.log('READY');
  `;
  const child = spawn(process.execPath, ['-r', TS_NODE_REGISTER, '-e', script], {
    cwd: ROOT,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
    if (output.includes('READY')) markReady();
  });
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const done = new Promise<{ code: number | null; output: string }>((resolve) =>
    child.once('close', (code) => {
      markReady();
      resolve({ code, output });
    }),
  );
  return { ready, done, go: (startAt) => child.stdin.end(`${startAt}\n`) };
}

it('lets several processes create, migrate and open a new database file at the same moment', async () => {
  const instances = Array.from({ length: INSTANCES }, (_, index) => startInstance(`user${index}`));
  await Promise.all(instances.map((instance) => instance.ready));
  const startAt = Date.now() + 500;
  for (const instance of instances) instance.go(startAt);
  const results = await Promise.all(instances.map((instance) => instance.done));

  expect(results.map(({ code, output }) => (code === 0 ? 'ok' : output))).toEqual(
    Array(INSTANCES).fill('ok'),
  );
  for (let round = 0; round < ROUNDS; round++) {
    const db = new BetterSqlite3(join(folder, `round${round}`, 'blog.sqlite'), { readonly: true });
    try {
      const names = (
        db.prepare('SELECT username FROM users ORDER BY username').all() as { username: string }[]
      ).map((row) => row.username);
      expect(names).toEqual(Array.from({ length: INSTANCES }, (_, index) => `user${index}`));
      const migrations = readdirSync(join(__dirname, '..', 'migrations')).length;
      expect(db.prepare('SELECT count(*) AS n FROM kysely_migration').get()).toEqual({
        n: migrations,
      });
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    } finally {
      db.close();
    }
  }
});
