import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

// kysely, pg and better-sqlite3 are optional peers: an app that uses no database loads none of
// them, and one on SQLite does not load pg.
const ROOT = join(__dirname, '..', '..');

function loadedPackages(script: string): string[] {
  const probe = `
    (async () => {
      ${script}
      const loaded = Object.keys(require.cache)
        .map((file) => /node_modules\\/(kysely|pg|better-sqlite3)\\//.exec(file)?.[1])
        .filter(Boolean);
      console.log(JSON.stringify([...new Set(loaded)].sort()));
    })().catch((error) => { console.error(error); process.exit(1); });
  `;
  const result = spawnSync(
    process.execPath,
    ['-r', 'ts-node/register/transpile-only', '-e', probe],
    { cwd: ROOT, encoding: 'utf8', timeout: 60_000 },
  );
  if (result.status !== 0) throw new Error(result.stderr);
  return JSON.parse(result.stdout.trim().split('\n').at(-1) ?? '[]') as string[];
}

it('loads no database package for an app without DatabaseModule', () => {
  expect(
    loadedPackages(`
      const { createApp } = require('./src');
      const app = createApp({ modules: [], config: { TESTING: true }, env: false });
      await app.init();
      await app.close();
    `),
  ).toEqual([]);
}, 60_000);

it('loads Kysely and better-sqlite3, not pg, for an app on SQLite', () => {
  expect(
    loadedPackages(`
      const { createApp, DatabaseModule } = require('./src');
      const app = createApp({
        modules: [DatabaseModule.configure({ url: 'sqlite::memory:' })],
        config: { TESTING: true },
        env: false,
      });
      await app.init();
      await app.close();
    `),
  ).toEqual(['better-sqlite3', 'kysely']);
}, 60_000);
