import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { createTestDatabase, DATABASE, type FlagonApp } from 'flagon';
import { createBlogApp, DEFAULT_DATABASE, optionsFromEnv } from '../app';
import type { BlogSchema } from '../schema';
import { POSTGRES_SERVER } from './support';

let folder: string;

beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'flaskr-factory-'));
});

afterEach(() => {
  rmSync(folder, { recursive: true, force: true });
});

function databaseOf(app: FlagonApp): Kysely<BlogSchema> {
  return app.resolve<Kysely<BlogSchema>>(DATABASE);
}

async function tableNames(app: FlagonApp): Promise<string[]> {
  const tables = await databaseOf(app).introspection.getTables();
  return tables.map((table) => table.name).sort();
}

it('keeps its default database beside the app, whatever the working directory', () => {
  expect(DEFAULT_DATABASE).toBe(join(__dirname, '..', 'instance', 'blog.sqlite'));
});

it('creates the database file, its folder and the schema on first start', async () => {
  const file = join(folder, 'nested', 'blog.sqlite');
  const app = createBlogApp({ database: file, config: { TESTING: true }, env: false });
  expect(existsSync(file)).toBe(false);
  await app.init();
  expect(existsSync(file)).toBe(true);
  expect(await tableNames(app)).toEqual(['posts', 'users']);
  await app.close();
});

it('closes the database on shutdown and reopens an existing file with its data', async () => {
  const file = join(folder, 'blog.sqlite');
  const first = createBlogApp({ database: file, config: { TESTING: true }, env: false });
  await first.init();
  const db = databaseOf(first);
  await db.insertInto('users').values({ username: 'kept', password: 'x' }).execute();
  await first.close();
  await expect(db.selectFrom('users').selectAll().execute()).rejects.toThrow();

  const second = createBlogApp({ database: file, config: { TESTING: true }, env: false });
  await second.init();
  expect(await databaseOf(second).selectFrom('users').select('username').execute()).toEqual([
    { username: 'kept' },
  ]);
  await second.close();
});

it('runs on PostgreSQL when DATABASE_URL is set, which wins over DATABASE', async () => {
  const database = await createTestDatabase(POSTGRES_SERVER);
  const file = join(folder, 'unused.sqlite');
  const options = optionsFromEnv({ DATABASE_URL: database.url, DATABASE: file });
  const app = createBlogApp({
    ...options,
    config: { ...options.config, TESTING: true },
    env: false,
  });
  try {
    await app.init();
    expect(await tableNames(app)).toEqual(['posts', 'users']);
    expect(existsSync(file)).toBe(false);
  } finally {
    await app.close();
    await database.drop();
  }
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

it('contributes the `flagon db` commands, which see the applied migration', async () => {
  const app = createBlogApp({
    database: join(folder, 'blog.sqlite'),
    config: { TESTING: true },
    env: false,
  });
  await app.init();
  expect(app.commands().map((command) => command.name)).toEqual(
    expect.arrayContaining(['db migrate', 'db rollback', 'db status', 'db new']),
  );
  const printed: string[] = [];
  const status = app.commands().find((command) => command.name === 'db status');
  await status?.run({ app, args: [], print: (line) => printed.push(line) });
  expect(printed[1]).toMatch(/^ {2}applied {2}20261201000000_create_users_and_posts {2}\d{4}-/);
  await app.close();
});
