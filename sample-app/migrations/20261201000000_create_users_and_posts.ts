import { sql, type ColumnDefinitionBuilder, type Kysely } from 'kysely';
import { databaseEngine } from 'flagon';

// flaskr's schema.sql on both engines. The tables are `users` and `posts` rather than flaskr's
// `user` and `post`: `user` is a reserved word in PostgreSQL.

export async function up(db: Kysely<unknown>): Promise<void> {
  const key = (column: ColumnDefinitionBuilder): ColumnDefinitionBuilder =>
    databaseEngine(db) === 'postgres'
      ? column.primaryKey().generatedByDefaultAsIdentity()
      : column.primaryKey().autoIncrement();

  await db.schema
    .createTable('users')
    .addColumn('id', 'integer', key)
    .addColumn('username', 'varchar(80)', (column) => column.notNull())
    .addColumn('password', 'text', (column) => column.notNull())
    .addColumn('avatar', 'text')
    .execute();
  // "Ann" and "ann" are one user, whatever inserts them. (SQLite's lower() folds ASCII letters
  // only; the app compares through the same lower(), so it agrees with the index on each engine.)
  await db.schema
    .createIndex('users_username_unique')
    .on('users')
    .unique()
    .expression(sql`lower(username)`)
    .execute();

  await db.schema
    .createTable('posts')
    .addColumn('id', 'integer', key)
    .addColumn('author_id', 'integer', (column) => column.notNull().references('users.id'))
    .addColumn('created', 'varchar(32)', (column) => column.notNull())
    .addColumn('title', 'varchar(200)', (column) => column.notNull())
    .addColumn('body', 'text', (column) => column.notNull())
    .execute();
  // The index page reads the newest posts first, a page at a time.
  await db.schema.createIndex('posts_newest').on('posts').columns(['created', 'id']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('posts').execute();
  await db.schema.dropTable('users').execute();
}
