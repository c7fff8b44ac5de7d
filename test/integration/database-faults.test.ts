import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import BetterSqlite3 from 'better-sqlite3';
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import { Client } from 'pg';
import {
  createApp,
  createTestDatabase,
  DATABASE,
  DatabaseModule,
  Get,
  Inject,
  Module,
  Route,
  runInTransaction,
  Transactional,
  type DatabasePoolOptions,
  type FlagonApp,
  type TestDatabase,
  type TestResponse,
} from '../../src';
import { freePort } from '../support/processes';
import { TcpRelay } from '../support/tcp-relay';

// What a DatabaseModule app does when PostgreSQL goes away under it, for real: backends killed
// with pg_terminate_backend from a second connection, the server's port gone (a relay stopped),
// a pool of one held by a request (SQLite's one connection too), a statement past its timeout.
// Every request is answered, the outage ones with 503 in a bounded time, and the app serves again
// once the database is back. Needs PostgreSQL on 127.0.0.1:5432; the machine's server itself is
// never stopped.

/** Lets a test hold a request inside a transaction (so inside a pool connection) until it says so. */
class Gate {
  entered!: Promise<void>;
  private enter!: () => void;
  private open!: () => void;
  private opened!: Promise<void>;

  constructor() {
    this.reset();
  }

  reset(): void {
    this.entered = new Promise((resolve) => (this.enter = resolve));
    this.opened = new Promise((resolve) => (this.open = resolve));
  }

  async pass(): Promise<void> {
    this.enter();
    await this.opened;
  }

  release(): void {
    this.open();
  }
}

const gate = new Gate();

@Route('/')
class ProbeController {
  constructor(@Inject(DATABASE) private readonly db: Kysely<unknown>) {}

  @Get('/one')
  async one(): Promise<{ one: number }> {
    const { rows } = await sql<{ one: number }>`select 1 as one`.execute(this.db);
    return { one: rows[0]?.one ?? 0 };
  }

  @Get('/slow')
  async slow(): Promise<{ slept: boolean }> {
    await sql`select pg_sleep(30)`.execute(this.db);
    return { slept: true };
  }

  @Get('/hold')
  async hold(): Promise<{ held: boolean }> {
    await runInTransaction(this.db, async () => {
      await sql`select 1`.execute(this.db);
      await gate.pass();
    });
    return { held: true };
  }

  @Get('/write')
  async write(): Promise<{ written: boolean }> {
    await sql`create table if not exists probe (n integer)`.execute(this.db);
    await sql`insert into probe (n) values (1)`.execute(this.db);
    return { written: true };
  }

  @Transactional()
  @Get('/hold-transactional')
  async holdTransactional(): Promise<{ held: boolean }> {
    await sql`select 1`.execute(this.db);
    await gate.pass();
    return { held: true };
  }
}

@Module({ controllers: [ProbeController] })
class ProbeModule {}

let database: TestDatabase;
let admin: Client;

beforeAll(async () => {
  database = await createTestDatabase();
  admin = new Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/postgres' });
  await admin.connect();
});

afterAll(async () => {
  await admin.end();
  await database.drop();
});

// DEBUG shows the error's slug in 5xx bodies, so the tests can tell an outage from a full pool.
function probeApp(url: string, pool: DatabasePoolOptions): FlagonApp {
  return createApp({
    modules: [DatabaseModule.configure({ url, pool }), ProbeModule],
    config: { TESTING: true, DEBUG: true, HEALTH_PATH: '/healthz' },
    env: false,
  });
}

function slug(res: TestResponse): unknown {
  return res.json<{ error?: unknown }>().error;
}

/** The app's server processes for the test database (the admin connection is not among them). */
async function appBackends(where = ''): Promise<number[]> {
  const { rows } = await admin.query<{ pid: number }>(
    `select pid from pg_stat_activity where datname = $1 and application_name = 'flagon' ${where}`,
    [database.name],
  );
  return rows.map((row) => row.pid);
}

async function waitFor(condition: () => Promise<boolean>, what: string): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt++) {
    if (await condition()) return;
    await sleep(25);
  }
  throw new Error(`gave up waiting for ${what}`);
}

describe('PostgreSQL faults', () => {
  let app: FlagonApp | undefined;

  afterEach(async () => {
    gate.release();
    gate.reset();
    await app?.close();
    app = undefined;
  });

  it('answers 503 when the backend is terminated mid-query, then serves again', async () => {
    app = probeApp(database.url, { max: 2, acquireTimeoutMs: 2000 });
    await app.init();
    const client = app.testClient();
    const pending = client.get('/slow');
    await waitFor(
      async () => (await appBackends("and query like '%pg_sleep%'")).length === 1,
      'the slow query to start',
    );
    await admin.query('select pg_terminate_backend(pid) from unnest($1::int[]) as pid', [
      await appBackends("and query like '%pg_sleep%'"),
    ]);

    const killed = await pending;
    expect(killed.status).toBe(503);
    expect(slug(killed)).toBe('database_unavailable');
    const after = await client.get('/one');
    expect(after.status).toBe(200);
    expect(after.json()).toEqual({ one: 1 });
  });

  it('survives idle connections terminated between requests', async () => {
    app = probeApp(database.url, { max: 4, acquireTimeoutMs: 2000 });
    await app.init();
    const client = app.testClient();
    await Promise.all([client.get('/one'), client.get('/one'), client.get('/one')]);
    const killed = await appBackends();
    expect(killed.length).toBeGreaterThan(0);
    await admin.query('select pg_terminate_backend(pid) from unnest($1::int[]) as pid', [killed]);
    await waitFor(async () => (await appBackends()).length === 0, 'the backends to end');

    // A request may still meet a connection whose end the pool has not heard of yet: that one is
    // a 503, never a crash or a 500, and the pool replaces the connection for the next.
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 4; attempt++) statuses.push((await client.get('/one')).status);
    expect(statuses.every((status) => status === 200 || status === 503)).toBe(true);
    expect(statuses.at(-1)).toBe(200);
  });

  it('answers 503 while the server is unreachable and recovers when it is back, without a restart', async () => {
    const relay = new TcpRelay(await freePort(), 5432);
    await relay.start();
    const url = new URL(database.url);
    url.port = String(relay.port);
    app = probeApp(url.toString(), { max: 2, acquireTimeoutMs: 1000 });
    try {
      await app.init();
      const client = app.testClient();
      expect((await client.get('/one')).status).toBe(200);

      await relay.stop();
      const down = await client.get('/one');
      expect(down.status).toBe(503);
      expect(slug(down)).toBe('database_unavailable');
      await expect(app.resolve(DatabaseModule).checkHealth()).rejects.toMatchObject({
        status: 503,
      });

      await relay.start();
      const up = await client.get('/one');
      expect(up.status).toBe(200);
      await expect(app.resolve(DatabaseModule).checkHealth()).resolves.toBeUndefined();
    } finally {
      await relay.stop();
    }
  });

  it('answers 503, not the success, when the connection of a @Transactional() request is terminated before its commit', async () => {
    app = probeApp(database.url, { max: 2, acquireTimeoutMs: 2000 });
    await app.init();
    const client = app.testClient();
    const held = client.get('/hold-transactional');
    await gate.entered;
    await admin.query('select pg_terminate_backend(pid) from unnest($1::int[]) as pid', [
      await appBackends("and state = 'idle in transaction'"),
    ]);
    await waitFor(
      async () => (await appBackends("and state = 'idle in transaction'")).length === 0,
      'the backend to end',
    );
    gate.release();

    const res = await held;
    expect(res.status).toBe(503);
    expect(slug(res)).toBe('database_unavailable');
    expect((await client.get('/one')).status).toBe(200);
  });

  it('answers 503 within the timeouts while the server stops answering, then serves again', async () => {
    const relay = new TcpRelay(await freePort(), 5432);
    await relay.start();
    const url = new URL(database.url);
    url.port = String(relay.port);
    app = probeApp(url.toString(), { max: 2, acquireTimeoutMs: 500, queryTimeoutMs: 500 });
    try {
      await app.init();
      const client = app.testClient();
      expect((await client.get('/one')).status).toBe(200);

      relay.freeze();
      // Both the open connection (its statement unanswered) and a new one (its login unanswered).
      const [first, second] = await Promise.all([client.get('/one'), client.get('/one')]);
      expect([first.status, second.status]).toEqual([503, 503]);
      expect((await client.get('/healthz')).status).toBe(503);

      relay.thaw();
      const statuses: number[] = [];
      for (let attempt = 0; attempt < 4; attempt++)
        statuses.push((await client.get('/one')).status);
      expect(statuses.every((status) => status === 200 || status === 503)).toBe(true);
      expect(statuses.at(-1)).toBe(200);
    } finally {
      relay.thaw();
      await relay.stop();
    }
  });

  it('reports the database on HEALTH_PATH: 503 while it is unreachable, 200 again when it is back', async () => {
    const relay = new TcpRelay(await freePort(), 5432);
    await relay.start();
    const url = new URL(database.url);
    url.port = String(relay.port);
    app = probeApp(url.toString(), { max: 2, acquireTimeoutMs: 1000 });
    try {
      await app.init();
      const client = app.testClient();
      const up = await client.get('/healthz');
      expect(up.status).toBe(200);
      expect(up.json()).toEqual({ status: 'ok', checks: { database: 'ok' } });

      await relay.stop();
      const down = await client.get('/healthz');
      expect(down.status).toBe(503);
      expect(down.json()).toEqual({
        status: 'unavailable',
        checks: { database: 'unavailable' },
      });

      await relay.start();
      expect((await client.get('/healthz')).status).toBe(200);
    } finally {
      await relay.stop();
    }
  });

  it("reports the database on HEALTH_PATH while its server ends the app's connections", async () => {
    app = probeApp(database.url, { max: 2, acquireTimeoutMs: 1000 });
    await app.init();
    const client = app.testClient();
    expect((await client.get('/healthz')).status).toBe(200);
    await admin.query('select pg_terminate_backend(pid) from unnest($1::int[]) as pid', [
      await appBackends(),
    ]);
    await waitFor(async () => (await appBackends()).length === 0, 'the backends to end');

    // The pool may hand out a connection whose end it has not heard of yet: that check fails
    // (503, never a crash) and the pool replaces the connection for the next.
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 3; attempt++)
      statuses.push((await client.get('/healthz')).status);
    expect(statuses.every((status) => status === 200 || status === 503)).toBe(true);
    expect(statuses.at(-1)).toBe(200);
    expect((await client.get('/one')).status).toBe(200);
  });

  it.each([
    ['PostgreSQL', () => database.url],
    ['SQLite', () => 'sqlite::memory:'],
  ])(
    'queues for a connection within the acquire timeout, then answers 503, when the pool is exhausted (%s)',
    async (_engine, url) => {
      // SQLite has one connection, which a transaction holds: its pool is always of one.
      app = probeApp(url(), { max: 1, acquireTimeoutMs: 500 });
      await app.init();
      const client = app.testClient();
      const holder = client.get('/hold');
      await gate.entered;

      const waiting = await client.get('/one');
      expect(waiting.status).toBe(503);
      expect(slug(waiting)).toBe('database_pool_exhausted');

      gate.release();
      expect((await holder).status).toBe(200);
      expect((await client.get('/one')).status).toBe(200);
    },
  );

  it('cancels a statement past the query timeout with 503 and keeps serving', async () => {
    app = probeApp(database.url, { max: 2, queryTimeoutMs: 300 });
    await app.init();
    const client = app.testClient();
    const slow = await client.get('/slow');
    expect(slow.status).toBe(503);
    expect(slug(slow)).toBe('database_unavailable');
    expect((await client.get('/one')).status).toBe(200);
  });
});

describe('SQLite faults', () => {
  let folder: string;
  let app: FlagonApp | undefined;

  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'flagon-sqlite-faults-'));
  });

  afterEach(async () => {
    await app?.close();
    app = undefined;
    rmSync(folder, { recursive: true, force: true });
  });

  it('answers 503 while another process holds the write lock past the busy timeout, then serves again', async () => {
    const file = join(folder, 'app.sqlite');
    app = probeApp(file, { acquireTimeoutMs: 300 });
    await app.init();
    const client = app.testClient();
    expect((await client.get('/write')).status).toBe(200);

    // A second connection on the same file, as another worker of `flagon start` would hold.
    const other = new BetterSqlite3(file);
    try {
      other.exec('begin immediate');
      const locked = await client.get('/write');
      expect(locked.status).toBe(503);
      expect(slug(locked)).toBe('database_unavailable');
      other.exec('rollback');
    } finally {
      other.close();
    }
    expect((await client.get('/write')).status).toBe(200);
  });
});
