import type { Kysely } from 'kysely';
import { databaseEngine } from './database-engine';
import { managedDriverOf } from './managed-kysely';

/** A transaction every query of a test runs in, undone at the test's end. */
export interface TestTransaction {
  /** Undoes everything the test wrote; safe to call twice, and after `app.close()`. */
  rollback(): Promise<void>;
}

/**
 * Opens one transaction and routes every query made through the app's `DATABASE` into it (the
 * requests a test client sends included) until `rollback()`: Django's TestCase, Rails'
 * transactional fixtures. Transactions the app opens inside become savepoints. On PostgreSQL each
 * statement also runs in a savepoint, so an error the app handles (a unique violation) does not
 * abort the test's transaction.
 *
 * @example
 * let tx: TestTransaction;
 * beforeEach(async () => { tx = await beginTestTransaction(app.resolve(DATABASE)); });
 * afterEach(() => tx.rollback());
 */
export async function beginTestTransaction<TDatabase>(
  db: Kysely<TDatabase>,
): Promise<TestTransaction> {
  const driver = managedDriverOf(db);
  const transaction = await driver.begin({ isolateStatements: databaseEngine(db) === 'postgres' });
  driver.pin(transaction);
  return {
    async rollback() {
      driver.unpin(transaction);
      if (transaction.isOpen) await transaction.rollback();
    },
  };
}
