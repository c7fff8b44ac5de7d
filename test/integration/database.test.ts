import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Generated, Kysely } from 'kysely';
import {
  Body,
  createApp,
  createTestDatabase,
  DATABASE,
  DatabaseModule,
  Get,
  Inject,
  Injectable,
  isUniqueViolation,
  Module,
  Post,
  Route,
  runInTransaction,
  type DatabaseOptions,
  type FlagonApp,
  type TestDatabase,
} from '../../src';
import { freePort } from '../support/processes';

// DatabaseModule on both engines, through real HTTP requests: the same Kysely queries, typed by
// the app's own schema. Needs PostgreSQL on 127.0.0.1:5432 (user postgres, trust auth).

interface NoteSchema {
  note: { id: Generated<number>; text: string };
}

@Injectable()
class Notes {
  constructor(@Inject(DATABASE) private readonly db: Kysely<NoteSchema>) {}

  list(): Promise<string[]> {
    return this.db
      .selectFrom('note')
      .select('text')
      .orderBy('id')
      .execute()
      .then((rows) => rows.map((row) => row.text));
  }

  async add(text: string): Promise<void> {
    await this.db.insertInto('note').values({ text }).execute();
  }
}

@Route('/notes')
class NoteController {
  constructor(
    private readonly notes: Notes,
    @Inject(DATABASE) private readonly db: Kysely<NoteSchema>,
  ) {}

  @Get('')
  async list(): Promise<{ notes: string[] }> {
    return { notes: await this.notes.list() };
  }

  // Both inserts or neither: the second text is unique, so a duplicate rolls the first back too.
  @Post('/pair')
  async pair(@Body() body: { first: string; second: string }): Promise<{ ok: boolean }> {
    try {
      await runInTransaction(this.db, async () => {
        await this.notes.add(body.first);
        await this.notes.add(body.second);
      });
      return { ok: true };
    } catch (error) {
      if (isUniqueViolation(error)) return { ok: false };
      throw error;
    }
  }
}

@Module({ controllers: [NoteController], providers: [Notes] })
class NoteModule {}

async function createNoteTable(db: Kysely<NoteSchema>, isPostgres: boolean): Promise<void> {
  await db.schema
    .createTable('note')
    .addColumn('id', isPostgres ? 'serial' : 'integer', (column) => column.primaryKey())
    .addColumn('text', 'varchar(100)', (column) => column.notNull().unique())
    .execute();
}

// CSRF protection is on by default and has its own suite; these requests are API calls.
function noteApp(database: DatabaseOptions, root?: string): FlagonApp {
  return createApp({
    modules: [DatabaseModule.configure(database), NoteModule],
    config: { TESTING: true, CSRF_ENABLED: false },
    env: false,
    ...(root === undefined ? {} : { root }),
  });
}

let server: TestDatabase;

beforeAll(async () => {
  server = await createTestDatabase();
});

afterAll(async () => {
  await server.drop();
});

describe.each([
  ['sqlite', () => 'sqlite::memory:'],
  ['postgres', () => server.url],
])('DatabaseModule on %s', (engine, url) => {
  let app: FlagonApp;

  beforeEach(async () => {
    app = noteApp({ url: url() });
    await app.init();
    const db = app.resolve<Kysely<NoteSchema>>(DATABASE);
    await db.schema.dropTable('note').ifExists().execute();
    await createNoteTable(db, engine === 'postgres');
  });

  afterEach(async () => {
    await app.close();
  });

  it('serves what the injected Kysely instance writes and reads', async () => {
    const client = app.testClient();
    expect(
      (await client.post('/notes/pair', { json: { first: 'a', second: 'b' } })).json(),
    ).toEqual({ ok: true });
    const res = await client.get('/notes');
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({ notes: ['a', 'b'] });
  });

  it('rolls back every query of runInTransaction, services included, when one fails', async () => {
    const client = app.testClient();
    await client.post('/notes/pair', { json: { first: 'a', second: 'b' } });
    const res = await client.post('/notes/pair', { json: { first: 'c', second: 'b' } });
    expect(res.json()).toEqual({ ok: false });
    expect((await client.get('/notes')).json()).toEqual({ notes: ['a', 'b'] });
  });

  it('makes db.transaction() inside runInTransaction a savepoint', async () => {
    const db = app.resolve<Kysely<NoteSchema>>(DATABASE);
    await runInTransaction(db, async () => {
      await db.insertInto('note').values({ text: 'kept' }).execute();
      await expect(
        db.transaction().execute(async (trx) => {
          await trx.insertInto('note').values({ text: 'undone' }).execute();
          throw new Error('inner failure');
        }),
      ).rejects.toThrow('inner failure');
    });
    expect(await db.selectFrom('note').select('text').execute()).toEqual([{ text: 'kept' }]);
  });

  it('reports healthy while the database answers', async () => {
    await expect(app.resolve(DatabaseModule).checkHealth()).resolves.toBeUndefined();
  });

  it('closes with the app: queries fail afterwards', async () => {
    const db = app.resolve<Kysely<NoteSchema>>(DATABASE);
    await app.close();
    await expect(db.selectFrom('note').selectAll().execute()).rejects.toThrow();
  });
});

describe('where the database is', () => {
  let root: string;

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'flagon-db-'));
  });

  afterEach(() => {
    rmSync(root, { recursive: true, force: true });
  });

  it('defaults to an SQLite file in the instance folder under the app root', async () => {
    const app = noteApp({}, root);
    await app.init();
    expect(existsSync(join(root, 'instance', 'app.sqlite'))).toBe(true);
    await app.close();
  });

  it('takes config DATABASE_URL, with SQLite paths relative to the app root', async () => {
    const app = createApp({
      modules: [DatabaseModule],
      config: { TESTING: true, DATABASE_URL: 'sqlite:data/notes.sqlite' },
      env: false,
      root,
    });
    await app.init();
    expect(existsSync(join(root, 'data', 'notes.sqlite'))).toBe(true);
    await app.close();
  });

  it('turns foreign keys on and uses WAL on SQLite', async () => {
    const app = noteApp({ url: join(root, 'pragmas.sqlite') });
    await app.init();
    const db = app.resolve<Kysely<NoteSchema>>(DATABASE);
    const { sql } = await import('kysely');
    const [foreignKeys] = (await sql<{ foreign_keys: number }>`pragma foreign_keys`.execute(db))
      .rows;
    const [journal] = (await sql<{ journal_mode: string }>`pragma journal_mode`.execute(db)).rows;
    expect({ foreignKeys, journal }).toEqual({
      foreignKeys: { foreign_keys: 1 },
      journal: { journal_mode: 'wal' },
    });
    await app.close();
  });

  it('fails startup naming the URL, password masked, when PostgreSQL cannot be reached', async () => {
    const port = await freePort();
    const app = noteApp({ url: `postgres://postgres:hunter2@127.0.0.1:${port}/blog` });
    const failure = await app.init().then(
      () => undefined,
      (error: unknown) => error as Error & { cause?: { code?: string } },
    );
    await app.close();
    expect(failure?.cause?.code).toBe('FLAGON_DATABASE_UNREACHABLE');
    expect(failure?.message).toContain(`postgres://postgres:***@127.0.0.1:${port}/blog`);
    expect(failure?.message).not.toContain('hunter2');
  });

  it('fails startup naming the URL, password masked, when PostgreSQL refuses the login', async () => {
    const app = noteApp({ url: 'postgres://flagon_no_such_role:hunter2@127.0.0.1:5432/postgres' });
    const failure = await app.init().then(
      () => undefined,
      (error: unknown) => error as Error & { cause?: { code?: string } },
    );
    await app.close();
    expect(failure?.cause?.code).toBe('FLAGON_DATABASE_UNREACHABLE');
    expect(failure?.message).toContain(
      'postgres://flagon_no_such_role:***@127.0.0.1:5432/postgres',
    );
    expect(failure?.message).toContain('flagon_no_such_role');
    expect(failure?.message).not.toContain('hunter2');
  });

  it('fails startup naming the file when an SQLite folder cannot be made', async () => {
    // A regular file where the folder should be: no directory can be created under it.
    const blocker = join(root, 'not-a-folder');
    writeFileSync(blocker, '');
    const app = noteApp({ url: `sqlite:${join(blocker, 'notes.sqlite')}` });
    const failure = await app.init().then(
      () => undefined,
      (error: unknown) => error as Error & { cause?: { code?: string } },
    );
    await app.close();
    expect(failure?.cause?.code).toBe('FLAGON_DATABASE_UNREACHABLE');
    expect(failure?.message).toContain(`sqlite:${join(blocker, 'notes.sqlite')}`);
  });

  it('refuses a URL for an engine it does not speak, naming the option', () => {
    let thrown: unknown;
    try {
      DatabaseModule.configure({ url: 'mysql://root:pw@127.0.0.1/blog' });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toMatchObject({ code: 'FLAGON_DATABASE_URL_INVALID' });
    expect((thrown as Error).message).toContain('DatabaseModule.configure({ url })');
    expect((thrown as Error).message).toContain('mysql://root:***@127.0.0.1/blog');
  });

  it.each([
    ['DatabaseModule', () => DatabaseModule],
    ['DatabaseModule.configure()', () => DatabaseModule.configure()],
  ])('refuses such a URL from config DATABASE_URL in createApp (%s)', (_name, module) => {
    let thrown: unknown;
    try {
      createApp({
        modules: [module()],
        config: { TESTING: true, DATABASE_URL: 'mysql://root:pw@127.0.0.1/blog' },
        env: false,
        root,
      });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toMatchObject({ code: 'FLAGON_DATABASE_URL_INVALID' });
    expect((thrown as Error).message).toContain('DATABASE_URL');
    expect((thrown as Error).message).toContain('mysql://root:***@127.0.0.1/blog');
  });

  it('lets a URL given to configure() win over an unsupported config DATABASE_URL', async () => {
    const app = createApp({
      modules: [DatabaseModule.configure({ url: 'sqlite::memory:' })],
      config: { TESTING: true, DATABASE_URL: 'mysql://root@127.0.0.1/blog' },
      env: false,
      root,
    });
    await app.init();
    const { sql } = await import('kysely');
    const { rows } = await sql<{ one: number }>`select 1 as one`.execute(
      app.resolve<Kysely<NoteSchema>>(DATABASE),
    );
    await app.close();
    expect(rows).toEqual([{ one: 1 }]);
  });
});
