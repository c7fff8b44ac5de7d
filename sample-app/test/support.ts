import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import {
  beginTestTransaction,
  createTestDatabase,
  DATABASE,
  hashPassword,
  type FlagonApp,
  type TestClient,
  type TestDatabase,
  type TestResponse,
} from 'flagon';
import { createBlogApp } from '../app';
import { Clock } from '../clock';
import type { BlogSchema } from '../schema';

/** Every post the tests create is dated this instant (flaskr's data.sql uses 2018-01-01). */
export const NOW = new Date('2018-01-01T00:00:00Z');

/** A browser asks for HTML; login redirects and error pages depend on it. */
export const HTML = { accept: 'text/html' };

export type Engine = 'sqlite' | 'postgres';

/** The blog's tests run on both engines: `describe.each(ENGINES)`. */
export const ENGINES: readonly Engine[] = ['sqlite', 'postgres'];

/** The PostgreSQL server the tests make their databases on (trust auth on the loopback). */
export const POSTGRES_SERVER =
  process.env['TEST_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface Blog {
  readonly app: FlagonApp;
  /** The app's own Kysely instance (inside the test's transaction on PostgreSQL). */
  readonly db: Kysely<BlogSchema>;
  readonly folder: string;
  /**
   * The seeded rows. Tests use these rather than literal ids: PostgreSQL does not roll its
   * sequences back with the test's transaction.
   */
  readonly ids: { readonly test: number; readonly other: number; readonly post: number };
  close(): Promise<void>;
}

/**
 * flaskr's `app` fixture on an engine, with flaskr's test data (users `test` and `other`, both
 * with password equal to their name, and one post by `test`); the clock is fixed through DI.
 * SQLite: a fresh in-memory database per test, migrated on start. PostgreSQL: a database per test
 * file (created before its first test, dropped after its last), and per test one transaction
 * that every query joins, rolled back at the test's end. Call it inside the engine's `describe`.
 */
export function blogFixture(engine: Engine): (config?: Record<string, unknown>) => Promise<Blog> {
  let database: TestDatabase | undefined;
  if (engine === 'postgres') {
    beforeAll(async () => {
      database = await createTestDatabase(POSTGRES_SERVER);
    });
    afterAll(async () => {
      await database?.drop();
    });
  }
  return async (config = {}) => {
    if (engine === 'postgres' && database === undefined)
      throw new Error('blogFixture: the test database is made in beforeAll; call it in a describe');
    const folder = mkdtempSync(join(tmpdir(), 'flaskr-test-'));
    const app = createBlogApp({
      database: join(folder, 'blog.sqlite'),
      databaseUrl: database?.url ?? 'sqlite::memory:',
      config: { TESTING: true, ...config },
      env: false,
    });
    app.override(Clock, { useValue: { now: () => NOW } });
    await app.init();
    const db = app.resolve<Kysely<BlogSchema>>(DATABASE);
    const transaction = engine === 'postgres' ? await beginTestTransaction(db) : undefined;
    const ids = await seed(db);
    return {
      app,
      db,
      folder,
      ids,
      async close() {
        await transaction?.rollback();
        await app.close();
        rmSync(folder, { recursive: true, force: true });
      },
    };
  };
}

async function seed(db: Kysely<BlogSchema>): Promise<Blog['ids']> {
  // Low argon2id costs keep the fixture fast; verifyPassword reads them from the hash.
  const addUser = async (name: string): Promise<number> => {
    const password = await hashPassword(name, { memoryCost: 64, timeCost: 1 });
    const row = await db
      .insertInto('users')
      .values({ username: name, password })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  };
  const test = await addUser('test');
  const other = await addUser('other');
  const { id: post } = await db
    .insertInto('posts')
    .values({
      title: 'test title',
      body: 'test\nbody',
      author_id: test,
      created: NOW.toISOString(),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { test, other, post };
}

/** The posts table's row count. */
export async function countPosts(db: Kysely<BlogSchema>): Promise<number> {
  const { count } = await db
    .selectFrom('posts')
    .select((eb) => eb.fn.countAll().as('count'))
    .executeTakeFirstOrThrow();
  return Number(count);
}

/** flaskr's `AuthActions.login`: fetches the form (for its CSRF token), then posts it. */
export async function logIn(
  client: TestClient,
  username = 'test',
  password = 'test',
  next?: string,
): Promise<TestResponse> {
  const path = next === undefined ? '/auth/login' : `/auth/login?next=${encodeURIComponent(next)}`;
  await client.get(path, { headers: HTML });
  const res = await client.post(path, {
    form: { username, password, csrf_token: client.csrfToken ?? '' },
    headers: HTML,
  });
  // Logging in renews the CSRF secret: fetch a page, as the browser following the redirect would, for a fresh token.
  if (res.status === 302) await client.get('/', { headers: HTML });
  return res;
}

/** Posts a form with the client's current CSRF token (fetch a page first). */
export function postForm(
  client: TestClient,
  path: string,
  form: Record<string, string> = {},
): Promise<TestResponse> {
  return client.post(path, {
    form: { ...form, csrf_token: client.csrfToken ?? '' },
    headers: HTML,
  });
}

/** A multipart/form-data body with the given parts. */
export function multipart(
  parts: readonly { name: string; value: string | Buffer; filename?: string; type?: string }[],
  boundary = 'flaskr-boundary',
): { body: Buffer; headers: Record<string, string> } {
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const filename = part.filename === undefined ? '' : `; filename="${part.filename}"`;
    const type = part.type === undefined ? '' : `Content-Type: ${part.type}\r\n`;
    chunks.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"${filename}\r\n${type}\r\n`,
      ),
      Buffer.from(part.value),
      Buffer.from('\r\n'),
    );
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return {
    body: Buffer.concat(chunks),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}
