import type { Kysely } from 'kysely';
import { managedDriverOf } from './managed-kysely';

/**
 * Runs `work` inside one transaction on the app's database: every query made through the
 * injected `DATABASE` while it runs (in services too, with no `trx` passed around) is part of it.
 * Commits when `work` resolves, rolls back when it throws. Inside another transaction it becomes
 * a savepoint, and so does a `db.transaction()` inside it.
 *
 * @example
 * await runInTransaction(db, async () => {
 *   const post = await posts.create(author, title, body);
 *   await audit.record('post.created', post.id);
 * });
 */
export function runInTransaction<TDatabase, TResult>(
  db: Kysely<TDatabase>,
  work: () => Promise<TResult>,
): Promise<TResult> {
  return managedDriverOf(db).run(work);
}
