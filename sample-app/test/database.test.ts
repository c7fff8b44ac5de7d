import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { openDatabase } from '../db/database';

// Workers and instances behind a proxy start together on one SQLite file: each must open it,
// and the first run must create the tables exactly once.
const ROOT = join(__dirname, '..', '..');
const TS_NODE_REGISTER = require.resolve('ts-node/register/transpile-only');
const INSTANCES = 4;

jest.setTimeout(60_000);

let folder: string;

beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'flaskr-db-'));
});

afterEach(() => {
  rmSync(folder, { recursive: true, force: true });
});

const ROUNDS = 25;
const ROUND_MS = 40;

/**
 * In a new process: for each round, at the round's shared instant (so the processes' opens
 * overlap), opens that round's new file and adds a user. Many rounds, because the window in which
 * two first opens can collide is a fraction of a millisecond.
 */
function openInChild(
  folderPath: string,
  name: string,
  startAt: number,
): Promise<{ code: number | null; output: string }> {
  const script = `
    const { join } = require('node:path');
    const { openDatabase } = require('./sample-app/db/database');
    for (let round = 0; round < ${ROUNDS}; round++) {
      while (Date.now() < ${startAt} + round * ${ROUND_MS}) {}
      const db = openDatabase(join(${JSON.stringify(folderPath)}, 'round' + round, 'blog.sqlite'));
      db.prepare('INSERT INTO user (username, password) VALUES (?, ?)').run(${JSON.stringify(name)}, 'x');
      db.close();
    }
  `;
  const child = spawn(process.execPath, ['-r', TS_NODE_REGISTER, '-e', script], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, output })));
}

it('lets several processes create and open a new database file at the same moment', async () => {
  // Long enough for every child to load TypeScript before the first shared instant.
  const startAt = Date.now() + 4000;
  const results = await Promise.all(
    Array.from({ length: INSTANCES }, (_, index) => openInChild(folder, `user${index}`, startAt)),
  );

  expect(results.map(({ code, output }) => (code === 0 ? 'ok' : output))).toEqual(
    Array(INSTANCES).fill('ok'),
  );
  for (let round = 0; round < ROUNDS; round++) {
    const db = new BetterSqlite3(join(folder, `round${round}`, 'blog.sqlite'), { readonly: true });
    try {
      const names = (
        db.prepare('SELECT username FROM user ORDER BY username').all() as { username: string }[]
      ).map((row) => row.username);
      expect(names).toEqual(Array.from({ length: INSTANCES }, (_, index) => `user${index}`));
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    } finally {
      db.close();
    }
  }
});

it('keeps what an existing file holds when it is opened again', () => {
  const file = join(folder, 'blog.sqlite');
  const first = openDatabase(file);
  first.prepare('INSERT INTO user (username, password) VALUES (?, ?)').run('kept', 'x');
  first.close();

  const again = openDatabase(file);
  try {
    expect(again.prepare('SELECT username FROM user').all()).toEqual([{ username: 'kept' }]);
  } finally {
    again.close();
  }
});

it('does not retry an error that waiting cannot fix', () => {
  // A folder where the file should be: SQLite cannot open it, and no amount of retrying helps.
  const started = Date.now();
  expect(() => openDatabase(folder)).toThrow();
  expect(Date.now() - started).toBeLessThan(2000);
});
