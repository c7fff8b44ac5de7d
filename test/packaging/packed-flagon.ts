import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

// Packaging tests run Flagon the way users do: from the tarball `npm pack` makes, installed with
// npm into a project outside this repository (so nothing resolves from the repo's node_modules).

export const REPO = join(__dirname, '..', '..');
const ARTIFACTS = join(REPO, 'test-artifacts');
const TSC = require.resolve('typescript/bin/tsc');

/** What the tarball is made from: a change to any of these makes a new one. */
const INPUTS = [
  'src',
  'templates',
  'bin',
  'scripts',
  'package.json',
  'tsconfig.json',
  'tsconfig.build.json',
];
/** Copied next to the build before packing (npm pack keeps those the `files` field allows). */
const PACKED = ['package.json', 'bin', 'templates', 'README.md', 'LICENSE', 'CHANGELOG.md'];

export interface PackedFlagon {
  /** The tarball's absolute path. */
  readonly tarball: string;
  /** Every path inside the tarball, relative to the package root. */
  readonly files: readonly string[];
}

/** Runs a command to completion; its stdout, or an error carrying both streams. */
export function run(
  command: string,
  args: readonly string[],
  cwd: string,
  env: NodeJS.ProcessEnv = process.env,
): string {
  try {
    return execFileSync(command, args, {
      cwd,
      env,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 240_000,
    });
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string };
    throw new Error(
      `${command} ${args.join(' ')} failed in ${cwd}:\n${failed.stdout ?? ''}\n${failed.stderr ?? ''}`,
      { cause: error },
    );
  }
}

function listFiles(path: string): string[] {
  if (!existsSync(path)) return [];
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path)
    .sort()
    .flatMap((name) => listFiles(join(path, name)));
}

function inputsHash(): string {
  const hash = createHash('sha256');
  for (const file of INPUTS.flatMap((input) => listFiles(join(REPO, input)))) {
    hash.update(relative(REPO, file)).update('\0').update(readFileSync(file)).update('\0');
  }
  return hash.digest('hex').slice(0, 16);
}

/**
 * Builds Flagon (CommonJS, declarations, the ESM faces) and packs it, once per content of its
 * sources: test files share the tarball through test-artifacts/. The build is staged inside the
 * repo so scripts/build-esm.mjs can load the CommonJS build with the repo's dependencies.
 */
export function packFlagon(): PackedFlagon {
  const home = join(ARTIFACTS, `packed-${inputsHash()}`);
  const manifest = join(home, 'packed.json');
  if (existsSync(manifest)) return JSON.parse(readFileSync(manifest, 'utf8')) as PackedFlagon;
  mkdirSync(ARTIFACTS, { recursive: true });
  const work = mkdtempSync(join(ARTIFACTS, 'pack-'));
  const stage = join(work, 'flagon');
  run(
    process.execPath,
    [TSC, '-p', join(REPO, 'tsconfig.build.json'), '--outDir', join(stage, 'dist', 'cjs')],
    REPO,
  );
  run(process.execPath, [join(REPO, 'scripts', 'build-esm.mjs'), join(stage, 'dist')], REPO);
  for (const part of PACKED) {
    if (existsSync(join(REPO, part)))
      cpSync(join(REPO, part), join(stage, part), { recursive: true });
  }
  // --ignore-scripts: the stage is already built (prepack would build the repo again).
  const [packed] = JSON.parse(
    run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', work], stage),
  ) as { filename: string; files: { path: string }[] }[];
  if (!packed) throw new Error('npm pack produced no tarball');
  rmSync(stage, { recursive: true, force: true });
  const result: PackedFlagon = {
    tarball: join(home, packed.filename),
    files: packed.files.map((file) => file.path).sort(),
  };
  writeFileSync(join(work, 'packed.json'), JSON.stringify(result));
  try {
    renameSync(work, home);
  } catch {
    // Another test file packed the same sources meanwhile: use its tarball.
    rmSync(work, { recursive: true, force: true });
  }
  // Tarballs of earlier sources are never used again.
  for (const name of readdirSync(ARTIFACTS)) {
    if (name.startsWith('packed-') && join(ARTIFACTS, name) !== home)
      rmSync(join(ARTIFACTS, name), { recursive: true, force: true });
  }
  return JSON.parse(readFileSync(manifest, 'utf8')) as PackedFlagon;
}

/**
 * npm install in `dir` (created if missing, outside the repo by default), from npm's cache when
 * it can (`--offline`), else from the registry.
 */
export function npmInstall(dir: string, specs: readonly string[]): void {
  mkdirSync(dir, { recursive: true });
  if (!existsSync(join(dir, 'package.json')))
    writeFileSync(join(dir, 'package.json'), '{ "private": true }\n');
  const args = ['install', '--no-audit', '--no-fund', '--loglevel=error', ...specs];
  try {
    run('npm', [...args, '--offline'], dir);
  } catch {
    run('npm', [...args, '--prefer-offline'], dir);
  }
}

/** A fresh folder under the system's temp dir, so no parent node_modules is in reach. */
export function tempProject(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Writes files (relative paths) under `dir`. */
export function writeFiles(dir: string, files: Readonly<Record<string, string>>): void {
  for (const [name, text] of Object.entries(files)) {
    const path = join(dir, name);
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, text);
  }
}

/** `tsc -p <dir>` with this repo's TypeScript. */
export function typeCheck(dir: string, project = dir): string {
  return run(process.execPath, [TSC, '-p', project], dir);
}
