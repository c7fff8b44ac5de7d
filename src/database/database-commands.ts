import type { FlagonApp } from '../app/flagon-app';
import type { CliCommand } from '../cli/cli-command';
import { DatabaseMigrations } from './database-migrations';
import { ManagedDatabase } from './managed-database';

/** Where the commands say they work: the folder and the database, password masked. */
function place(app: FlagonApp): string {
  const migrations = app.resolve(DatabaseMigrations);
  return `${migrations.displayFolder()} → ${app.resolve(ManagedDatabase).target.display}`;
}

const migrate: CliCommand = {
  name: 'db migrate',
  description: 'Apply the pending database migrations',
  help: 'Runs every migration not yet applied, in name order, in one transaction: if one fails, none of them is applied.',
  run: async ({ app, print }) => {
    const applied = await app.resolve(DatabaseMigrations).latest();
    if (applied.length === 0) print(`Nothing to apply (${place(app)}).`);
    for (const name of applied) print(`Applied ${name}`);
  },
};

const rollback: CliCommand = {
  name: 'db rollback',
  description: 'Undo the last applied database migration',
  help: "Runs the last applied migration's down() and forgets it.",
  run: async ({ app, print }) => {
    const undone = await app.resolve(DatabaseMigrations).rollback();
    if (undone.length === 0) print(`Nothing to roll back (${place(app)}).`);
    for (const name of undone) print(`Rolled back ${name}`);
  },
};

const status: CliCommand = {
  name: 'db status',
  description: 'List the database migrations, applied and pending',
  run: async ({ app, print }) => {
    const states = await app.resolve(DatabaseMigrations).status();
    print(`Migrations (${place(app)}):`);
    if (states.length === 0) print('  none yet: flagon db new NAME creates one');
    for (const { name, appliedAt } of states)
      print(
        appliedAt === undefined
          ? `  pending  ${name}`
          : `  applied  ${name}  ${appliedAt.toISOString()}`,
      );
  },
};

const create: CliCommand = {
  name: 'db new',
  description: 'Create a migration file from the template: flagon db new NAME',
  help: 'Writes migrations/<UTC timestamp>_NAME.ts (.js in a JavaScript app) with empty up() and down() to fill in.',
  run: ({ app, args, print }) => {
    const file = app.resolve(DatabaseMigrations).create(args[0] ?? '');
    print(`Created ${file}`);
  },
};

/** The `flagon db …` commands DatabaseModule contributes (Flask-Migrate's `flask db …`). */
export const DATABASE_COMMANDS: readonly CliCommand[] = [migrate, rollback, status, create];
