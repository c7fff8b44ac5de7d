import { randomBytes } from 'node:crypto';
import { FlagonError } from '../errors/flagon-error';
import { maskPassword } from './database-url';
import { loadPg } from './packages';
import { withDefaultUser } from './postgres-pool';

/** A PostgreSQL database made for one test run. */
export interface TestDatabase {
  /** Its name, `flagon_test_<pid>_<random>`. */
  readonly name: string;
  /** Its URL, for `DATABASE_URL` or `DatabaseModule.configure({ url })`. */
  readonly url: string;
  /** Drops it, closing any connection still open to it. */
  drop(): Promise<void>;
}

/**
 * Creates a uniquely named database on a PostgreSQL server (the URL's database is only used to
 * connect), so test files and parallel runs never share data. Drop it in `afterAll`.
 *
 * @example
 * let database: TestDatabase;
 * beforeAll(async () => { database = await createTestDatabase('postgres://postgres@127.0.0.1:5432/postgres'); });
 * afterAll(() => database.drop());
 */
export async function createTestDatabase(
  serverUrl = 'postgres://postgres@127.0.0.1:5432/postgres',
): Promise<TestDatabase> {
  if (!/^postgres(ql)?:\/\//i.test(serverUrl))
    throw new FlagonError(
      'FLAGON_DATABASE_URL_INVALID',
      `createTestDatabase needs a postgres:// URL, not ${maskPassword(serverUrl)}: on SQLite use sqlite::memory:`,
    );
  const name = `flagon_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  // The name is ours (letters, digits, _): safe to put in the statement, which takes no parameters.
  await runOnServer(serverUrl, `create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    drop: () => runOnServer(serverUrl, `drop database if exists ${name} with (force)`),
  };
}

async function runOnServer(serverUrl: string, statement: string): Promise<void> {
  const { Client } = loadPg();
  const client = new Client({
    connectionString: withDefaultUser(serverUrl),
    connectionTimeoutMillis: 5000,
  });
  // Without a listener a dropped connection would end the process.
  client.on('error', () => undefined);
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}
