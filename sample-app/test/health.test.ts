import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { createTestDatabase, type FlagonApp, type TestDatabase } from 'flagon';
import { createBlogApp } from '../app';
import { blogFixture, ENGINES, POSTGRES_SERVER, type Blog } from './support';

// GET /healthz, the readiness a load balancer polls: 200 while the blog's database answers,
// 503 while it does not, and 200 again once it is back, without a restart.

describe.each(ENGINES)('GET /healthz on %s', (engine) => {
  const makeBlog = blogFixture(engine);
  let blog: Blog;

  beforeEach(async () => {
    blog = await makeBlog();
  });

  afterEach(async () => {
    await blog.close();
  });

  it('answers 200 with the database reported ok', async () => {
    const res = await blog.app.testClient().get('/healthz');
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({ status: 'ok', checks: { database: 'ok' } });
  });
});

describe('GET /healthz while PostgreSQL loses the database', () => {
  let database: TestDatabase;
  let admin: Client;
  let app: FlagonApp;
  let folder: string;

  beforeAll(async () => {
    database = await createTestDatabase(POSTGRES_SERVER);
    admin = new Client({ connectionString: POSTGRES_SERVER });
    await admin.connect();
    folder = mkdtempSync(join(tmpdir(), 'flaskr-health-'));
    app = createBlogApp({
      database: join(folder, 'blog.sqlite'),
      databaseUrl: database.url,
      config: { TESTING: true },
      env: false,
    });
    await app.init();
  });

  afterAll(async () => {
    await app.close();
    await admin.end();
    await database.drop();
    rmSync(folder, { recursive: true, force: true });
  });

  it('answers 503 while the database is gone and 200 once it exists again', async () => {
    const client = app.testClient();
    expect((await client.get('/healthz')).status).toBe(200);

    // WITH (FORCE) ends the app's connections too.
    await admin.query(`drop database ${database.name} with (force)`);
    const down = await client.get('/healthz');
    expect(down.status).toBe(503);
    expect(down.json()).toEqual({ status: 'unavailable', checks: { database: 'unavailable' } });

    await admin.query(`create database ${database.name}`);
    // A check may still meet a connection whose end the pool has not heard of yet: it fails, and
    // the pool replaces that connection for the next.
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 3; attempt++)
      statuses.push((await client.get('/healthz')).status);
    expect(statuses.every((status) => status === 200 || status === 503)).toBe(true);
    expect(statuses.at(-1)).toBe(200);
  });
});
