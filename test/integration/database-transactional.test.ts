import { sql, type Generated, type Kysely } from 'kysely';
import { Client } from 'pg';
import {
  beginTestTransaction,
  Body,
  createApp,
  createTestDatabase,
  DATABASE,
  DatabaseModule,
  Get,
  Inject,
  Injectable,
  Module,
  Post,
  Response,
  Route,
  runInTransaction,
  Timeout,
  Transactional,
  ValidationFailed,
  type FlagonApp,
  type TestDatabase,
} from '../../src';

// @Transactional() on both engines, through the test client: one transaction per request that
// every query made through the injected DATABASE joins (services included), committed before a
// success is sent, rolled back on a thrown error or a 4xx/5xx answer. Needs PostgreSQL on
// 127.0.0.1:5432 (user postgres, trust auth).

interface NoteSchema {
  note: { id: Generated<number>; text: string };
}

/** Holds a request inside its transaction until the test lets it go on. */
class Gate {
  entered: Promise<void>;
  private enter!: () => void;
  private open!: () => void;
  private readonly opened: Promise<void>;

  constructor() {
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

let gate = new Gate();
let reportLateWrite: (outcome: string) => void = () => undefined;

/** A service that knows nothing of transactions: it only injects DATABASE. */
@Injectable()
class Notes {
  constructor(@Inject(DATABASE) private readonly db: Kysely<NoteSchema>) {}

  async add(text: string): Promise<number> {
    const row = await this.db
      .insertInto('note')
      .values({ text })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  }

  async texts(): Promise<string[]> {
    const rows = await this.db.selectFrom('note').select('text').orderBy('id').execute();
    return rows.map((row) => row.text);
  }
}

interface NoteInput {
  readonly text: string;
}

@Route('/notes')
class NoteController {
  constructor(
    private readonly notes: Notes,
    @Inject(DATABASE) private readonly db: Kysely<NoteSchema>,
  ) {}

  @Get('')
  async list(): Promise<{ notes: string[] }> {
    return { notes: await this.notes.texts() };
  }

  @Transactional()
  @Post('')
  async create(@Body() input: NoteInput): Promise<Response> {
    const id = await this.notes.add(input.text);
    return Response.json({ id }, { status: 201 });
  }

  @Transactional()
  @Post('/then-throw')
  async thenThrow(@Body() input: NoteInput): Promise<never> {
    await this.notes.add(input.text);
    throw new Error('failed after the write');
  }

  @Transactional()
  @Post('/then-conflict')
  async thenConflict(@Body() input: NoteInput): Promise<Response> {
    await this.notes.add(input.text);
    return Response.json({ error: 'conflict' }, { status: 409 });
  }

  @Transactional()
  @Post('/then-invalid')
  async thenInvalid(@Body() input: NoteInput): Promise<never> {
    await this.notes.add(input.text);
    throw new ValidationFailed({ text: ['text must not end with a question mark'] });
  }

  // The outer write stays; the nested transaction's failure undoes only its own write.
  @Transactional()
  @Post('/nested')
  async nested(@Body() input: { outer: string; inner: string }): Promise<{ ok: boolean }> {
    await this.notes.add(input.outer);
    await this.db
      .transaction()
      .execute(async (trx) => {
        await trx.insertInto('note').values({ text: input.inner }).execute();
        throw new Error('inner failure');
      })
      .catch(() => undefined);
    await runInTransaction(this.db, () => this.notes.add(`${input.outer} again`));
    return { ok: true };
  }

  @Transactional()
  @Post('/held')
  async held(@Body() input: NoteInput): Promise<{ ok: boolean }> {
    await this.notes.add(input.text);
    await gate.pass();
    return { ok: true };
  }

  @Transactional()
  @Timeout(300)
  @Post('/slow')
  async slow(@Body() input: NoteInput): Promise<{ ok: boolean }> {
    await this.notes.add(input.text);
    await sql`select pg_sleep(30)`.execute(this.db);
    return { ok: true };
  }

  // Past its timeout the handler goes on (JavaScript cannot stop it): its next write must fail.
  @Transactional()
  @Timeout(200)
  @Post('/late')
  async late(@Body() input: NoteInput): Promise<{ ok: boolean }> {
    await this.notes.add(input.text);
    await gate.pass();
    await this.notes.add(`${input.text} late`).then(
      () => reportLateWrite('written'),
      (error: unknown) => reportLateWrite((error as { code?: string }).code ?? 'failed'),
    );
    return { ok: true };
  }

  // Not transactional: each statement commits on its own, whatever the answer.
  @Post('/plain-then-conflict')
  async plainThenConflict(@Body() input: NoteInput): Promise<Response> {
    await this.notes.add(input.text);
    return Response.json({ error: 'conflict' }, { status: 409 });
  }

  // The foreign key is checked at commit (deferred), so the commit itself fails.
  @Transactional()
  @Post('/orphan')
  async orphan(): Promise<Response> {
    await sql`insert into tag (note_id) values (2147483647)`.execute(this.db);
    return Response.json({ tagged: true }, { status: 201 });
  }
}

// On the class: every handler of the controller is transactional.
@Transactional()
@Route('/all-transactional')
class AllTransactionalController {
  constructor(private readonly notes: Notes) {}

  @Post('')
  async create(@Body() input: NoteInput): Promise<Response> {
    await this.notes.add(input.text);
    return Response.json({ error: 'conflict' }, { status: 409 });
  }
}

@Module({ controllers: [NoteController, AllTransactionalController], providers: [Notes] })
class NoteModule {}

let server: TestDatabase;

beforeAll(async () => {
  server = await createTestDatabase();
});

afterAll(async () => {
  await server.drop();
});

// CSRF protection is on by default and has its own suite; these requests are API calls. A
// handler's error is answered with a 500 page rather than thrown into the test.
function noteApp(url: string): FlagonApp {
  return createApp({
    modules: [DatabaseModule.configure({ url }), NoteModule],
    config: { TESTING: true, CSRF_ENABLED: false, PROPAGATE_EXCEPTIONS: false },
    env: false,
  });
}

describe.each([
  ['sqlite', () => 'sqlite::memory:'],
  ['postgres', () => server.url],
])('@Transactional() on %s', (engine, url) => {
  let app: FlagonApp;

  beforeEach(async () => {
    gate = new Gate();
    app = noteApp(url());
    await app.init();
    const db = app.resolve<Kysely<NoteSchema>>(DATABASE);
    await db.schema.dropTable('note').ifExists().execute();
    await db.schema
      .createTable('note')
      .addColumn('id', engine === 'postgres' ? 'serial' : 'integer', (column) =>
        column.primaryKey(),
      )
      .addColumn('text', 'varchar(100)', (column) => column.notNull().unique())
      .execute();
  });

  afterEach(async () => {
    gate.release();
    await app.close();
  });

  async function texts(): Promise<string[]> {
    return (await app.testClient().get('/notes')).json<{ notes: string[] }>().notes;
  }

  it('commits the write when the handler answers 201', async () => {
    const res = await app.testClient().post('/notes', { json: { text: 'kept' } });
    expect(res.status).toBe(201);
    expect(await texts()).toEqual(['kept']);
  });

  it('rolls the write back when the handler throws', async () => {
    const res = await app.testClient().post('/notes/then-throw', { json: { text: 'undone' } });
    expect(res.status).toBe(500);
    expect(await texts()).toEqual([]);
  });

  it('rolls the write back when the handler returns a 4xx response', async () => {
    const res = await app.testClient().post('/notes/then-conflict', { json: { text: 'undone' } });
    expect(res.status).toBe(409);
    expect(await texts()).toEqual([]);
  });

  it('rolls the write back on a validation error raised after it', async () => {
    const res = await app.testClient().post('/notes/then-invalid', { json: { text: 'undone?' } });
    expect(res.status).toBe(400);
    expect(res.json()).toMatchObject({ error: 'validation_failed' });
    expect(await texts()).toEqual([]);
  });

  it('makes db.transaction() and runInTransaction inside it savepoints', async () => {
    const res = await app
      .testClient()
      .post('/notes/nested', { json: { outer: 'outer', inner: 'inner' } });
    expect(res.status).toBe(200);
    expect(await texts()).toEqual(['outer', 'outer again']);
  });

  it('applies to every handler of a controller it decorates', async () => {
    const res = await app.testClient().post('/all-transactional', { json: { text: 'undone' } });
    expect(res.status).toBe(409);
    expect(await texts()).toEqual([]);
  });

  it('leaves routes without it on their own statements', async () => {
    const res = await app
      .testClient()
      .post('/notes/plain-then-conflict', { json: { text: 'autocommitted' } });
    expect(res.status).toBe(409);
    expect(await texts()).toEqual(['autocommitted']);
  });

  it('refuses the writes a handler makes after its timeout was answered', async () => {
    const lateWrite = new Promise<string>((resolve) => (reportLateWrite = resolve));
    const res = await app.testClient().post('/notes/late', { json: { text: 'timed out' } });
    expect(res.status).toBe(503);
    gate.release();
    expect(await lateWrite).toBe('FLAGON_DATABASE_TRANSACTION_ENDED');
    expect(await texts()).toEqual([]);
  });

  it('keeps db.transaction() working as Kysely documents outside a transactional request', async () => {
    const db = app.resolve<Kysely<NoteSchema>>(DATABASE);
    await db.transaction().execute(async (trx) => {
      await trx.insertInto('note').values({ text: 'by hand' }).execute();
    });
    await expect(
      db.transaction().execute(async (trx) => {
        await trx.insertInto('note').values({ text: 'undone' }).execute();
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect(await texts()).toEqual(['by hand']);
  });
});

describe('@Transactional() on PostgreSQL only', () => {
  let app: FlagonApp;

  beforeEach(async () => {
    gate = new Gate();
    app = noteApp(server.url);
    await app.init();
    const db = app.resolve<Kysely<NoteSchema>>(DATABASE);
    await sql`drop table if exists tag`.execute(db);
    await db.schema.dropTable('note').ifExists().execute();
    await db.schema
      .createTable('note')
      .addColumn('id', 'serial', (column) => column.primaryKey())
      .addColumn('text', 'varchar(100)', (column) => column.notNull().unique())
      .execute();
    await sql`create table tag (note_id integer references note (id) deferrable initially deferred)`.execute(
      db,
    );
  });

  afterEach(async () => {
    gate.release();
    await app.close();
  });

  it('answers 500, not the success, when the commit fails', async () => {
    const res = await app.testClient().post('/notes/orphan');
    expect(res.status).toBe(500);
    const db = app.resolve<Kysely<NoteSchema>>(DATABASE);
    expect((await sql<{ n: string }>`select count(*) as n from tag`.execute(db)).rows).toEqual([
      { n: '0' },
    ]);
  });

  it("becomes a savepoint of a test transaction: a 4xx undoes its write, the test's rollback the rest", async () => {
    const db = app.resolve<Kysely<NoteSchema>>(DATABASE);
    const transaction = await beginTestTransaction(db);
    const client = app.testClient();
    expect((await client.post('/notes', { json: { text: 'kept' } })).status).toBe(201);
    expect((await client.post('/notes/then-conflict', { json: { text: 'undone' } })).status).toBe(
      409,
    );
    expect((await client.get('/notes')).json()).toEqual({ notes: ['kept'] });
    await transaction.rollback();
    expect((await client.get('/notes')).json()).toEqual({ notes: [] });
  });

  it('answers at the request timeout without waiting for the statement still running', async () => {
    const res = await app.testClient().post('/notes/slow', { json: { text: 'slow' } });
    expect(res.status).toBe(503);

    const admin = new Client({ connectionString: server.url });
    await admin.connect();
    try {
      const { rows } = await admin.query<{ pid: number }>(
        "select pid from pg_stat_activity where datname = $1 and application_name = 'flagon' and state = 'active' and query like '%pg_sleep%'",
        [server.name],
      );
      expect(rows).toHaveLength(1);
      await admin.query('select pg_cancel_backend($1)', [rows[0]?.pid]);
    } finally {
      await admin.end();
    }
    expect((await app.testClient().get('/notes')).json()).toEqual({ notes: [] });
  });

  it("does not show one request's uncommitted rows to another", async () => {
    const client = app.testClient();
    const held = client.post('/notes/held', { json: { text: 'pending' } });
    await gate.entered;

    const other = await client.post('/notes', { json: { text: 'other' } });
    expect(other.status).toBe(201);
    expect((await client.get('/notes')).json()).toEqual({ notes: ['other'] });

    gate.release();
    expect((await held).status).toBe(200);
    expect((await client.get('/notes')).json<{ notes: string[] }>().notes.sort()).toEqual([
      'other',
      'pending',
    ]);
  });
});
