import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { flagonDependency } from '../../src/cli/commands/new';
import { runCli } from './run-cli';

const repo = join(__dirname, '..', '..');

describe('flagon new', () => {
  let work: string;

  beforeEach(() => {
    work = mkdtempSync(join(tmpdir(), 'flagon-new-'));
  });

  afterEach(() => rmSync(work, { recursive: true, force: true }));

  it('scaffolds a project that depends on this checkout', async () => {
    const result = await runCli(['new', 'my-app'], { cwd: work });
    expect(result.code).toBe(0);
    const project = join(work, 'my-app');
    for (const file of [
      'package.json',
      'tsconfig.json',
      'jest.config.ts',
      '.gitignore',
      '.env.example',
      'src/app.ts',
      'src/notes/notes.module.ts',
      'src/notes/notes.controller.ts',
      'src/notes/notes.service.ts',
      'src/notes/create-note.dto.ts',
      'templates/layouts/base.hbs',
      'templates/notes/index.hbs',
      'static/style.css',
      'test/notes.test.ts',
    ]) {
      expect(result.stdout).toContain(join('my-app', file));
    }
    const manifest = JSON.parse(readFileSync(join(project, 'package.json'), 'utf8')) as {
      name: string;
      scripts: Record<string, string>;
      dependencies: Record<string, string>;
    };
    expect(manifest.name).toBe('my-app');
    expect(Object.keys(manifest.scripts)).toEqual(expect.arrayContaining(['dev', 'start', 'test']));
    expect(manifest.dependencies['flagon']).toBe(`file:${repo}`);
    const tsconfig = readFileSync(join(project, 'tsconfig.json'), 'utf8');
    for (const option of [
      '"strict": true',
      '"noUncheckedIndexedAccess": true',
      '"experimentalDecorators": true',
      '"emitDecoratorMetadata": true',
    ])
      expect(tsconfig).toContain(option);
    expect(readFileSync(join(project, '.env.example'), 'utf8')).toContain('randomBytes(32)');
    expect(readFileSync(join(project, '.env'), 'utf8')).toMatch(
      /^FLAGON_SECRET_KEY=[0-9a-f]{64}$/m,
    );
    expect(readFileSync(join(project, 'test/notes.test.ts'), 'utf8')).toContain(
      'app.override(NotesService',
    );
  }, 60_000);

  it('refuses a directory that is not empty, unless --force', async () => {
    const project = join(work, 'taken');
    mkdirSync(project);
    writeFileSync(join(project, 'keep.txt'), 'mine');
    const refused = await runCli(['new', 'taken'], { cwd: work });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('is not empty');
    const forced = await runCli(['new', 'taken', '--force'], { cwd: work });
    expect(forced.code).toBe(0);
    expect(readFileSync(join(project, 'keep.txt'), 'utf8')).toBe('mine');
    expect(readFileSync(join(project, 'src/app.ts'), 'utf8')).toContain('buildApp');
  }, 60_000);

  it('depends on the published version when Flagon is installed under node_modules', () => {
    const installed = join(work, 'node_modules', 'flagon');
    mkdirSync(installed, { recursive: true });
    writeFileSync(
      join(installed, 'package.json'),
      JSON.stringify({ name: 'flagon', version: '1.4.2' }),
    );
    expect(flagonDependency(installed)).toBe('^1.4.2');
    expect(flagonDependency(repo)).toBe(`file:${repo}`);
  });

  it('exits 2 with the usage when the directory is missing', async () => {
    const result = await runCli(['new'], { cwd: work });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Usage: flagon new <dir>');
  }, 60_000);
});

// End to end: a scaffolded project installs (Flagon linked from a build of this checkout) and its
// own `npm test` passes. The build is staged under test-artifacts/ inside the repo, so the linked
// Flagon's dependencies resolve from the repo's node_modules (what a checkout gives a user); the
// project itself installs its dependencies from the registry or npm's cache.
describe('a scaffolded project', () => {
  const stageRoot = join(repo, 'test-artifacts');
  let stage: string;
  let work: string;

  beforeAll(() => {
    mkdirSync(stageRoot, { recursive: true });
    stage = mkdtempSync(join(stageRoot, 'cli-new-'));
    work = mkdtempSync(join(tmpdir(), 'flagon-e2e-'));
    const flagon = join(stage, 'flagon');
    execFileSync(
      process.execPath,
      [
        require.resolve('typescript/bin/tsc'),
        '-p',
        join(repo, 'tsconfig.build.json'),
        '--outDir',
        join(flagon, 'dist', 'cjs'),
      ],
      { cwd: repo, stdio: 'pipe', timeout: 120_000 },
    );
    for (const part of ['package.json', 'bin', 'templates'])
      cpSync(join(repo, part), join(flagon, part), { recursive: true });
  }, 150_000);

  afterAll(() => {
    if (process.env['KEEP_TEST_ARTIFACTS']) return;
    rmSync(stage, { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
  });

  it('installs and passes its own npm test', async () => {
    const bin = join(stage, 'flagon', 'bin', 'flagon.js');
    const created = await runCli(['new', 'blog'], { cwd: work, bin });
    expect(created.code).toBe(0);
    const project = join(work, 'blog');
    const manifest = JSON.parse(readFileSync(join(project, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    expect(manifest.dependencies['flagon']).toBe(`file:${join(stage, 'flagon')}`);
    const npm = (args: string[]): string =>
      execFileSync('npm', args, {
        cwd: project,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
        timeout: 240_000,
        env: { ...process.env, NODE_ENV: 'test' },
      });
    npm(['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error']);
    let output: string;
    try {
      output = npm(['test']);
    } catch (error) {
      const failed = error as { stdout?: string; stderr?: string };
      throw new Error(
        `npm test failed in the scaffolded project:\n${failed.stdout ?? ''}\n${failed.stderr ?? ''}`,
        { cause: error },
      );
    }
    expect(output).toBeDefined();
    const routes = await runCli(['routes'], {
      cwd: project,
      bin: join(project, 'node_modules', 'flagon', 'bin', 'flagon.js'),
    });
    expect({ code: routes.code, stderr: routes.stderr }).toEqual({ code: 0, stderr: '' });
    expect(routes.stdout).toContain('notes.NotesController.create');
  }, 330_000);
});
