import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { Kysely } from 'kysely';
import {
  createApp,
  createTestDatabase,
  DATABASE,
  DatabaseMigrations,
  DatabaseModule,
  type FlagonApp,
  type TestDatabase,
} from '../../src';

// Migrations on both engines, PostgreSQL for real (a database of its own per test). The files are
// CommonJS, as a built app's are; `.ts` migrations are the sample app's (sample-app/migrations).

const CREATE_TABLE = (table: string) => `
exports.up = async (db) => { await db.schema.createTable('${table}').addColumn('id', 'integer').execute(); };
exports.down = async (db) => { await db.schema.dropTable('${table}').execute(); };
`;

const FAILING_AFTER_DDL = `
exports.up = async (db) => {
  await db.schema.createTable('half_done').addColumn('id', 'integer').execute();
  throw new Error('the data did not fit');
};
`;

const ENGINE_AWARE = `
const { databaseEngine } = require(${JSON.stringify(join(__dirname, '..', '..', 'src'))});
exports.up = async (db) => {
  await db.schema.createTable('engine').addColumn('name', 'varchar(20)').execute();
  await db.insertInto('engine').values({ name: databaseEngine(db) }).execute();
};
`;

let folder: string;
let app: FlagonApp | undefined;
let postgres: TestDatabase | undefined;

beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'flagon-migrations-'));
});

afterEach(async () => {
  await app?.close();
  app = undefined;
  await postgres?.drop();
  postgres = undefined;
  rmSync(folder, { recursive: true, force: true });
});

function write(files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) writeFileSync(join(folder, name), text);
}

async function tableNames(db: Kysely<unknown>): Promise<string[]> {
  const tables = await db.introspection.getTables({ withInternalKyselyTables: true });
  return tables.map((table) => table.name).sort();
}

describe.each(['sqlite', 'postgres'])('migrations on %s', (engine) => {
  async function start(config: Record<string, unknown> = {}, migrateOnStart = false) {
    let url = 'sqlite::memory:';
    if (engine === 'postgres') {
      postgres = await createTestDatabase();
      url = postgres.url;
    }
    app = createApp({
      modules: [DatabaseModule.configure({ url, migrations: { folder, migrateOnStart } })],
      config: { TESTING: true, ...config },
      env: false,
    });
    await app.init();
    return {
      migrations: app.resolve(DatabaseMigrations),
      db: app.resolve<Kysely<unknown>>(DATABASE),
    };
  }

  it('applies pending migrations in name order, lists them, and rolls the last one back', async () => {
    write({ '002_second.js': CREATE_TABLE('second'), '001_first.js': CREATE_TABLE('first') });
    const { migrations, db } = await start();
    expect((await migrations.status()).map(({ name, appliedAt }) => [name, appliedAt])).toEqual([
      ['001_first', undefined],
      ['002_second', undefined],
    ]);

    expect(await migrations.latest()).toEqual(['001_first', '002_second']);
    expect(await migrations.latest()).toEqual([]);
    expect((await migrations.status()).every(({ appliedAt }) => appliedAt instanceof Date)).toBe(
      true,
    );
    expect(await tableNames(db)).toEqual(expect.arrayContaining(['first', 'second']));

    expect(await migrations.rollback()).toEqual(['002_second']);
    expect(await tableNames(db)).not.toContain('second');
    expect((await migrations.status()).map(({ appliedAt }) => appliedAt !== undefined)).toEqual([
      true,
      false,
    ]);
  });

  it('leaves the database as it was when a migration of the run fails', async () => {
    write({ '001_first.js': CREATE_TABLE('first'), '002_broken.js': FAILING_AFTER_DDL });
    const { migrations, db } = await start();
    await expect(migrations.latest()).rejects.toMatchObject({
      code: 'FLAGON_DATABASE_MIGRATION_FAILED',
      message: expect.stringContaining('002_broken') as unknown,
    });
    const tables = await tableNames(db);
    expect(tables).not.toContain('first');
    expect(tables).not.toContain('half_done');
    expect((await migrations.status()).map(({ appliedAt }) => appliedAt)).toEqual([
      undefined,
      undefined,
    ]);
  });

  it('tells a migration which engine it runs on', async () => {
    write({ '001_engine.js': ENGINE_AWARE });
    const { migrations, db } = await start();
    await migrations.latest();
    const rows = await (db as Kysely<{ engine: { name: string } }>)
      .selectFrom('engine')
      .select('name')
      .execute();
    expect(rows).toEqual([{ name: engine }]);
  });

  it('migrates during init when asked, unless config DATABASE_MIGRATE_ON_START says no', async () => {
    write({ '001_first.js': CREATE_TABLE('first') });
    const { db } = await start({}, true);
    expect(await tableNames(db)).toContain('first');
    await app?.close();
    await postgres?.drop();
    postgres = undefined;

    const off = await start({ DATABASE_MIGRATE_ON_START: false }, true);
    expect(await tableNames(off.db)).not.toContain('first');
  });
});

describe('flagon db new', () => {
  async function migrations(): Promise<DatabaseMigrations> {
    app = createApp({
      modules: [DatabaseModule.configure({ url: 'sqlite::memory:', migrations: { folder } })],
      config: { TESTING: true },
      env: false,
    });
    await app.init();
    return app.resolve(DatabaseMigrations);
  }

  it('writes a timestamped file that applies and rolls back as it stands', async () => {
    write({ '001_first.js': CREATE_TABLE('first') });
    const created = (await migrations()).create('add_example', new Date('2026-03-04T05:06:07Z'));
    expect(basename(created)).toBe('20260304050607_add_example.js');
    expect(readFileSync(created, 'utf8')).toContain('exports.down');

    const runner = app?.resolve(DatabaseMigrations);
    expect(await runner?.latest()).toEqual(['001_first', '20260304050607_add_example']);
    expect(await runner?.rollback()).toEqual(['20260304050607_add_example']);
  });

  it.each(['', '../escape', 'two words'])('refuses the name %j', async (name) => {
    const runner = await migrations();
    expect(() => runner.create(name)).toThrow(
      expect.objectContaining({ code: 'FLAGON_DATABASE_MIGRATION_INVALID' }) as Error,
    );
  });
});
