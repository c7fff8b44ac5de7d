import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Kysely, MigrationResult, MigrationResultSet, Migrator } from 'kysely';
import { Injectable } from '../di/tokens';
import { FlagonError, isFlagonError } from '../errors/flagon-error';
import { describeError } from './database-faults';
import { ManagedDatabase } from './managed-database';
import { createManagedKysely } from './managed-kysely';
import { canLoadTypeScript, MigrationFolder } from './migration-folder';
import { migrationFileName, migrationTemplate } from './migration-template';
import { loadKysely } from './packages';

/** One migration file and whether the database has it. */
export interface MigrationState {
  readonly name: string;
  /** When it was applied; `undefined` while pending. */
  readonly appliedAt: Date | undefined;
}

/**
 * The app's migrations (Flask-Migrate's `flask db …`), run by Kysely's Migrator from the
 * migrations folder. Every engine DatabaseModule speaks has transactional DDL, so one run's
 * migrations commit together or not at all: a failing migration leaves the database as it was.
 *
 * @example
 * const applied = await app.resolve(DatabaseMigrations).latest();
 */
@Injectable()
export class DatabaseMigrations {
  constructor(private readonly database: ManagedDatabase) {}

  /** The migrations folder, absolute. */
  get folder(): string {
    return this.database.migrationFolder;
  }

  /** Applies every pending migration; resolves with their names. */
  latest(): Promise<string[]> {
    return this.migrate((migrator) => migrator.migrateToLatest());
  }

  /** Undoes the last applied migration; resolves with its name (none when nothing is applied). */
  rollback(): Promise<string[]> {
    return this.migrate((migrator) => migrator.migrateDown());
  }

  /** Every migration file, in order, with when it was applied. */
  status(): Promise<MigrationState[]> {
    return this.withMigrator(async (migrator) =>
      (await migrator.getMigrations()).map(({ name, executedAt }) => ({
        name,
        appliedAt: executedAt,
      })),
    );
  }

  /** Writes a new migration from the template (`.ts` where TypeScript runs, else `.js`); returns its path. */
  create(name: string, now: Date = new Date()): string {
    if (!/^[A-Za-z0-9][A-Za-z0-9_-]*$/.test(name))
      throw new FlagonError(
        'FLAGON_DATABASE_MIGRATION_INVALID',
        `"${name}" is not a migration name: use letters, digits, _ and - (flagon db new add_posts_table)`,
      );
    const existing = [...new MigrationFolder(this.folder).files().values()];
    const extension =
      existing.length > 0
        ? existing.some((file) => /\.[cm]?ts$/.test(file))
          ? 'ts'
          : 'js'
        : canLoadTypeScript()
          ? 'ts'
          : 'js';
    mkdirSync(this.folder, { recursive: true });
    const file = join(this.folder, migrationFileName(name, now, extension));
    writeFileSync(file, migrationTemplate(extension), { flag: 'wx' });
    return file;
  }

  /** The folder as the CLI prints it. */
  displayFolder(cwd: string = process.cwd()): string {
    return relative(cwd, this.folder) || '.';
  }

  private async migrate(
    step: (migrator: Migrator) => Promise<MigrationResultSet>,
  ): Promise<string[]> {
    const { error, results = [] } = await this.withMigrator(step);
    if (error !== undefined) throw failure(error, results);
    return results
      .filter((result) => result.status === 'Success')
      .map((result) => result.migrationName);
  }

  private async withMigrator<TResult>(
    work: (migrator: Migrator) => Promise<TResult>,
  ): Promise<TResult> {
    const db = this.migrationDatabase();
    try {
      const { Migrator: KyselyMigrator } = loadKysely();
      return await work(new KyselyMigrator({ db, provider: new MigrationFolder(this.folder) }));
    } finally {
      if (db !== this.database.db) await db.destroy();
    }
  }

  /**
   * PostgreSQL migrations get a connection of their own without the statement timeout (building
   * an index on a large table may take minutes); SQLite's one connection is the app's.
   */
  private migrationDatabase(): Kysely<unknown> {
    const { target, pool, logger } = this.database;
    if (target.engine === 'sqlite') return this.database.db;
    return createManagedKysely(target, { ...pool, max: 1, queryTimeoutMs: 0 }, logger);
  }
}

function failure(error: unknown, results: readonly MigrationResult[]): FlagonError {
  if (isFlagonError(error)) return error;
  const failed = results.find((result) => result.status === 'Error');
  const what =
    failed === undefined
      ? 'The migrations could not run'
      : `The migration ${failed.migrationName} failed${failed.direction === 'Down' ? ' to roll back' : ''}`;
  return new FlagonError(
    'FLAGON_DATABASE_MIGRATION_FAILED',
    `${what}: ${describeError(error)}. The database was left as it was (a run's migrations commit together).`,
    { cause: error },
  );
}
