import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { flagonDependency } from '../../src/cli/flagon-dependency';
import { packFlagon, REPO as repo, run } from '../packaging/packed-flagon';
import { runCli } from './run-cli';

function dependencyOf(project: string): string | undefined {
  const manifest = JSON.parse(readFileSync(join(project, 'package.json'), 'utf8')) as {
    dependencies: Record<string, string>;
  };
  return manifest.dependencies['flagon'];
}

/** A project in `work` that installed Flagon 1.4.2 with `spec`; returns the installed package's folder. */
function installFake(work: string, dependencies: Record<string, string>): string {
  const installed = join(work, 'node_modules', 'flagon');
  mkdirSync(installed, { recursive: true });
  writeFileSync(join(installed, 'package.json'), '{ "name": "flagon", "version": "1.4.2" }');
  writeFileSync(join(work, 'package.json'), JSON.stringify({ dependencies }));
  return installed;
}

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
    expect(Object.keys(manifest.scripts)).toEqual(
      expect.arrayContaining(['dev', 'start', 'typecheck', 'test']),
    );
    expect(manifest.dependencies['flagon']).toBe(`file:${repo}`);
    expect(result.stdout).toContain(`Flagon comes from file:${repo}`);
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

  it('depends on --flagon: a tarball or folder as an absolute file: path, else the npm spec', async () => {
    const tarball = join(work, 'flagon-0.1.0.tgz');
    writeFileSync(tarball, '');
    const fromTarball = await runCli(['new', 'a', '--flagon', './flagon-0.1.0.tgz'], { cwd: work });
    expect(fromTarball.code).toBe(0);
    expect(dependencyOf(join(work, 'a'))).toBe(`file:${tarball}`);
    const fromSpec = await runCli(['new', 'b', '--flagon', '^0.2.0'], { cwd: work });
    expect(dependencyOf(join(work, 'b'))).toBe('^0.2.0');
    expect(fromSpec.stdout).toContain('Flagon comes from ^0.2.0');
    const missing = await runCli(['new', 'c', '--flagon', './nowhere.tgz'], { cwd: work });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('does not exist');
  }, 60_000);

  it('passes on the folder or tarball an installed Flagon came from', () => {
    const installed = installFake(work, { flagon: 'file:../packs/flagon-0.1.0.tgz' });
    expect(flagonDependency(installed, { cwd: work })).toEqual({
      spec: `file:${join(work, '..', 'packs', 'flagon-0.1.0.tgz')}`,
    });
  });

  it('depends on the registry version of an installed Flagon, and says so', () => {
    const installed = installFake(work, { flagon: '^1.4.2' });
    const dependency = flagonDependency(installed, { cwd: work });
    expect(dependency.spec).toBe('^1.4.2');
    expect(dependency.note).toContain('--flagon');
    expect(flagonDependency(repo, { cwd: work })).toEqual({ spec: `file:${repo}` });
  });

  it('exits 2 with the usage when the directory is missing', async () => {
    const result = await runCli(['new'], { cwd: work });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Usage: flagon new <dir>');
  }, 60_000);
});

// End to end: a scaffolded project installs, type-checks and passes its own npm test, with Flagon
// from a checkout (`file:` link) and from the packed tarball (`--flagon`). The checkout stand-in is
// the packed package unpacked under test-artifacts/ inside the repo, so its dependencies resolve
// from the repo's node_modules, as a checkout's do; the projects install their own dependencies
// from npm's cache or the registry.
describe('a scaffolded project', () => {
  let tarball: string;
  let checkout: string;
  let work: string;

  beforeAll(() => {
    tarball = packFlagon().tarball;
    mkdirSync(join(repo, 'test-artifacts'), { recursive: true });
    const stage = mkdtempSync(join(repo, 'test-artifacts', 'cli-new-'));
    checkout = join(stage, 'flagon');
    mkdirSync(checkout);
    run('tar', ['xzf', tarball, '-C', checkout, '--strip-components=1'], stage);
    work = mkdtempSync(join(tmpdir(), 'flagon-e2e-'));
  }, 300_000);

  afterAll(() => {
    if (process.env['KEEP_TEST_ARTIFACTS']) return;
    rmSync(join(checkout, '..'), { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
  });

  async function createAndTest(
    name: string,
    args: readonly string[],
    bin: string,
  ): Promise<string> {
    const created = await runCli(['new', name, ...args], { cwd: work, bin });
    expect(created.code).toBe(0);
    const project = join(work, name);
    const npm = (npmArgs: string[]): string =>
      run('npm', npmArgs, project, { ...process.env, NODE_ENV: 'test' });
    npm(['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error']);
    npm(['run', 'typecheck']);
    npm(['test']);
    const routes = await runCli(['routes'], {
      cwd: project,
      bin: join(project, 'node_modules', 'flagon', 'bin', 'flagon.js'),
    });
    expect({ code: routes.code, stderr: routes.stderr }).toEqual({ code: 0, stderr: '' });
    expect(routes.stdout).toContain('notes.NotesController.create');
    return project;
  }

  it('installs Flagon from a checkout and passes typecheck and its own npm test', async () => {
    const project = await createAndTest('blog', [], join(checkout, 'bin', 'flagon.js'));
    expect(dependencyOf(project)).toBe(`file:${checkout}`);
  }, 330_000);

  it('installs Flagon from a tarball (--flagon) and passes typecheck and its own npm test', async () => {
    const project = await createAndTest(
      'shop',
      ['--flagon', tarball],
      join(repo, 'bin', 'flagon.js'),
    );
    expect(dependencyOf(project)).toBe(`file:${tarball}`);
  }, 330_000);
});
