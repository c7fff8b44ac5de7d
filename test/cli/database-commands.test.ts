import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeApp } from './fixtures';
import { runCli } from './run-cli';

// `flagon db …` as a project runs it: a TypeScript app on an SQLite file, loaded through ts-node,
// its migrations written by `db new` from the template and applied as they stand.
const APP = `
export const app = flagon.createApp({
  root: __dirname,
  modules: [flagon.DatabaseModule.configure({ url: 'sqlite:instance/app.sqlite' })],
  config: { TESTING: true },
});
`;

const BROKEN = `
export async function up(): Promise<void> {
  throw new Error('column "title" does not exist');
}
`;

describe('flagon db', () => {
  let work: string;

  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'flagon-db-cli-'));
    writeApp(join(work, 'app.ts'), APP);
  });

  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('creates a migration from the template, applies it, reports it and rolls it back', async () => {
    const created = await runCli(['db', 'new', 'create_example'], { cwd: work });
    expect(created.stderr).toBe('');
    expect(created.stdout).toMatch(/^Created .*migrations\/\d{14}_create_example\.ts\n$/);
    const [file] = readdirSync(join(work, 'migrations'));
    const name = String(file).replace(/\.ts$/, '');

    const migrated = await runCli(['db', 'migrate'], { cwd: work });
    expect(migrated.stderr).toBe('');
    expect(migrated.stdout).toBe(`Applied ${name}\n`);
    expect(existsSync(join(work, 'instance', 'app.sqlite'))).toBe(true);

    const status = await runCli(['db', 'status'], { cwd: work });
    expect(status.stdout).toMatch(new RegExp(`applied  ${name}  \\d{4}-`));

    const rolledBack = await runCli(['db', 'rollback'], { cwd: work });
    expect(rolledBack.stdout).toBe(`Rolled back ${name}\n`);
  }, 120_000);

  it('exits 1 naming the failed migration and its code, without a stack trace', async () => {
    writeFileSync(join(work, 'migrations', '99999999999999_broken.ts'), BROKEN);
    const result = await runCli(['db', 'migrate'], { cwd: work });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('99999999999999_broken failed: column "title" does not exist');
    expect(result.stderr).toContain('FLAGON_DATABASE_MIGRATION_FAILED');
    expect(result.stderr).not.toMatch(/^\s+at /m);
  }, 60_000);
});
