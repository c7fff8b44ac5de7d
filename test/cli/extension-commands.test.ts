import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BLOG_APP, writeApp } from './fixtures';
import { runCli } from './run-cli';

describe('commands contributed by extension modules', () => {
  let work: string;
  let entry: string;

  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'flagon-ext-'));
    entry = writeApp(join(work, 'src', 'app.ts'), BLOG_APP);
  });

  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('runs `flagon db init` with its arguments and the initialised app', async () => {
    const result = await runCli(['db', 'init', '--seed', 'demo'], { cwd: work });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('db ready (--seed demo) root=3\n');
  }, 60_000);

  it('finds the app through --app and lists its commands in --help', async () => {
    const result = await runCli(['--app', entry, '--help'], { cwd: tmpdir() });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/db init\s+Create the database schema/);
  }, 60_000);

  it("prints a command's help", async () => {
    const result = await runCli(['db', 'init', '--help'], { cwd: work });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Usage: flagon db init');
    expect(result.stdout).toContain('safe to run twice');
  }, 60_000);

  it('exits 2 on an unknown subcommand, listing the known ones', async () => {
    const result = await runCli(['db', 'drop'], { cwd: work });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Unknown command "db drop"');
    expect(result.stderr).toContain('db init');
  }, 60_000);

  it('exits 1 with the message when a command throws', async () => {
    const result = await runCli(['db', 'fail'], { cwd: work });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('disk full');
  }, 60_000);
});
