import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBlogApp, DEFAULT_DATABASE } from '../app';
import { Database } from '../db/database';

let folder: string;

beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'flaskr-factory-'));
});

afterEach(() => {
  rmSync(folder, { recursive: true, force: true });
});

it('keeps its default database beside the app, whatever the working directory', () => {
  expect(DEFAULT_DATABASE).toBe(join(__dirname, '..', 'instance', 'blog.sqlite'));
});

it('creates the database file, its folder and the schema on first start', async () => {
  const file = join(folder, 'nested', 'blog.sqlite');
  const app = createBlogApp({ database: file, config: { TESTING: true }, env: false });
  expect(existsSync(file)).toBe(false);
  await app.init();
  expect(existsSync(file)).toBe(true);
  const tables = app
    .resolve(Database)
    .connection.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
    .all();
  expect(tables).toEqual(expect.arrayContaining([{ name: 'post' }, { name: 'user' }]));
  await app.close();
});

it('closes the connection on shutdown and reopens an existing file with its data', async () => {
  const file = join(folder, 'blog.sqlite');
  const first = createBlogApp({ database: file, config: { TESTING: true }, env: false });
  await first.init();
  const database = first.resolve(Database);
  database.connection.prepare("INSERT INTO user (username, password) VALUES ('kept', 'x')").run();
  await first.close();
  expect(() => database.connection).toThrow(/not open/);

  const second = createBlogApp({ database: file, config: { TESTING: true }, env: false });
  await second.init();
  expect(second.resolve(Database).connection.prepare('SELECT username FROM user').all()).toEqual([
    { username: 'kept' },
  ]);
  await second.close();
});

it('refuses to start in production mode without a SECRET_KEY', () => {
  let thrown: unknown;
  try {
    createBlogApp({ database: join(folder, 'blog.sqlite'), env: { NODE_ENV: 'production' } });
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toMatchObject({ code: 'FLAGON_CONFIG_SECRET_KEY_MISSING' });
});

it('contributes `flagon db init`, which clears the data and recreates the tables', async () => {
  const app = createBlogApp({
    database: join(folder, 'blog.sqlite'),
    config: { TESTING: true },
    env: false,
  });
  await app.init();
  const db = app.resolve(Database).connection;
  db.prepare("INSERT INTO user (username, password) VALUES ('a', 'x')").run();
  const command = app.commands().find((candidate) => candidate.name === 'db init');
  const printed: string[] = [];
  await command?.run({ app, args: [], print: (line) => printed.push(line) });
  expect(printed).toEqual(['Initialized the database.']);
  expect(app.resolve(Database).connection.prepare('SELECT count(*) AS n FROM user').get()).toEqual({
    n: 0,
  });
  await app.close();
});
