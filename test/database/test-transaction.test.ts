import type { Kysely } from 'kysely';
import {
  beginTestTransaction,
  createApp,
  createTestDatabase,
  DATABASE,
  DatabaseModule,
  isUniqueViolation,
  type FlagonApp,
  type TestDatabase,
} from '../../src';

// The fixture a test suite leans on: everything the app writes during a test is undone at its
// end, and what the app does inside (concurrent queries, handled errors, its own transactions)
// behaves as it would outside.

interface Schema {
  tag: { name: string };
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
])('beginTestTransaction on %s', (_engine, url) => {
  let app: FlagonApp;
  let db: Kysely<Schema>;

  beforeEach(async () => {
    app = createApp({
      modules: [DatabaseModule.configure({ url: url() })],
      config: { TESTING: true },
      env: false,
    });
    await app.init();
    db = app.resolve<Kysely<Schema>>(DATABASE);
    await db.schema.dropTable('tag').ifExists().execute();
    await db.schema
      .createTable('tag')
      .addColumn('name', 'varchar(20)', (column) => column.primaryKey())
      .execute();
  });

  afterEach(async () => {
    await app.close();
  });

  async function names(): Promise<string[]> {
    const rows = await db.selectFrom('tag').select('name').orderBy('name').execute();
    return rows.map((row) => row.name);
  }

  it('undoes everything written during the test', async () => {
    const transaction = await beginTestTransaction(db);
    await db.insertInto('tag').values({ name: 'temporary' }).execute();
    expect(await names()).toEqual(['temporary']);
    await transaction.rollback();
    expect(await names()).toEqual([]);
  });

  it('keeps going after errors the app handles, with concurrent queries', async () => {
    const transaction = await beginTestTransaction(db);
    const outcomes = await Promise.allSettled(
      ['a', 'b', 'a', 'c', 'b'].map((name) => db.insertInto('tag').values({ name }).execute()),
    );
    const failures = outcomes.filter((outcome) => outcome.status === 'rejected');
    expect(failures).toHaveLength(2);
    expect(failures.every((failure) => isUniqueViolation(failure.reason))).toBe(true);
    expect(await names()).toEqual(['a', 'b', 'c']);
    await transaction.rollback();
    expect(await names()).toEqual([]);
  });

  it("rolls back the app's own failed transaction alone", async () => {
    const transaction = await beginTestTransaction(db);
    await db.insertInto('tag').values({ name: 'kept' }).execute();
    await expect(
      db.transaction().execute(async (trx) => {
        await trx.insertInto('tag').values({ name: 'undone' }).execute();
        throw new Error('the app changed its mind');
      }),
    ).rejects.toThrow('the app changed its mind');
    expect(await names()).toEqual(['kept']);
    await transaction.rollback();
  });

  it('is safe to roll back after the app closed', async () => {
    const transaction = await beginTestTransaction(db);
    await db.insertInto('tag').values({ name: 'temporary' }).execute();
    await app.close();
    await expect(transaction.rollback()).resolves.toBeUndefined();
  });
});
