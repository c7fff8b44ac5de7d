import type { Kysely } from 'kysely';

// A per-user counter stored in each session at login and compared on every request
// (UserLoader.sessionVersion): bumping it at logout or a password change ends every copy of the
// user's session cookies, which cookie sessions cannot otherwise revoke.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('users')
    .addColumn('session_version', 'integer', (column) => column.notNull().defaultTo(0))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('users').dropColumn('session_version').execute();
}
