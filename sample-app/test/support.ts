import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hashPassword, type FlagonApp, type TestClient, type TestResponse } from '../../src';
import { createBlogApp } from '../app';
import { Clock } from '../clock';
import { Database } from '../db/database';

/** Every post the tests create is dated this instant (flaskr's data.sql uses 2018-01-01). */
export const NOW = new Date('2018-01-01T00:00:00Z');

/** A browser asks for HTML; login redirects and error pages depend on it. */
export const HTML = { accept: 'text/html' };

export interface Blog {
  readonly app: FlagonApp;
  readonly database: string;
  readonly folder: string;
  close(): Promise<void>;
}

/**
 * flaskr's `app` fixture: a fresh database in a temporary folder, with flaskr's test data (users
 * `test` and `other`, both with password equal to their name, and one post by `test`). The clock
 * is overridden through DI so dates are deterministic.
 */
export async function createTestBlog(config: Record<string, unknown> = {}): Promise<Blog> {
  const folder = mkdtempSync(join(tmpdir(), 'flaskr-test-'));
  const database = join(folder, 'blog.sqlite');
  const app = createBlogApp({ database, config: { TESTING: true, ...config }, env: false });
  app.override(Clock, { useValue: { now: () => NOW } });
  await app.init();
  const db = app.resolve(Database).connection;
  // Low argon2id costs keep the fixture fast; verifyPassword reads them from the hash.
  const insertUser = db.prepare('INSERT INTO user (username, password) VALUES (?, ?)');
  for (const name of ['test', 'other'])
    insertUser.run(name, await hashPassword(name, { memoryCost: 64, timeCost: 1 }));
  db.prepare('INSERT INTO post (title, body, author_id, created) VALUES (?, ?, ?, ?)').run(
    'test title',
    'test\nbody',
    1,
    NOW.toISOString(),
  );
  return {
    app,
    database,
    folder,
    async close() {
      await app.close();
      rmSync(folder, { recursive: true, force: true });
    },
  };
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
