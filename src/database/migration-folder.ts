import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Migration, MigrationProvider } from 'kysely';
import { FlagonError } from '../errors/flagon-error';

const SOURCE = /\.[cm]?ts$/;
const BUILT = /\.[cm]?js$/;
const DECLARATION = /\.d\.[cm]?ts$/;

/**
 * The migrations in a folder, one file each, named by the file without its extension (Kysely
 * applies them in name order: `db new` prefixes a timestamp). A folder may hold a migration as
 * `.ts` and as its compiled `.js`: the `.ts` is used when TypeScript can be loaded (ts-node, Jest),
 * the `.js` otherwise (a build).
 *
 * Kysely's FileMigrationProvider loads with `import()`, which neither picks between the two nor
 * goes through ts-node in a CommonJS app; this loads with `require`.
 */
export class MigrationFolder implements MigrationProvider {
  constructor(readonly path: string) {}

  /** Migration name → file, in name order. */
  files(): Map<string, string> {
    if (!existsSync(this.path)) return new Map();
    const preferSource = canLoadTypeScript();
    const files = new Map<string, string>();
    for (const entry of readdirSync(this.path).sort()) {
      if (DECLARATION.test(entry) || !(SOURCE.test(entry) || BUILT.test(entry))) continue;
      const name = entry.replace(/\.[cm]?[jt]s$/, '');
      if (!files.has(name) || SOURCE.test(entry) === preferSource)
        files.set(name, join(this.path, entry));
    }
    return files;
  }

  getMigrations(): Promise<Record<string, Migration>> {
    const migrations: Record<string, Migration> = {};
    for (const [name, file] of this.files()) migrations[name] = load(name, file);
    return Promise.resolve(migrations);
  }
}

function load(name: string, file: string): Migration {
  let exported: Partial<Migration>;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- migration files are only known at run time
    exported = require(file) as Partial<Migration>;
  } catch (error) {
    throw new FlagonError(
      'FLAGON_DATABASE_MIGRATION_INVALID',
      `The migration ${name} (${file}) cannot be loaded: ${(error as Error).message}${SOURCE.test(file) ? ' (a .ts migration needs ts-node, or build the app)' : ''}`,
      { cause: error },
    );
  }
  const { up, down } = exported;
  if (typeof up !== 'function')
    throw new FlagonError(
      'FLAGON_DATABASE_MIGRATION_INVALID',
      `The migration ${name} (${file}) exports no up(db) function`,
    );
  return typeof down === 'function' ? { up, down } : { up };
}

/** True when `require` can load TypeScript here. */
export function canLoadTypeScript(): boolean {
  // ts-node registers a .ts loader; Flagon running from its own .ts sources means a loader (Jest's
  // transform, ts-node) handles TypeScript here.
  // eslint-disable-next-line @typescript-eslint/no-deprecated -- the one way to ask Node which loaders are registered
  return require.extensions['.ts'] !== undefined || __filename.endsWith('.ts');
}
