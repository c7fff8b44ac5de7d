// What run.mjs (req/s) and instructions.mjs (instructions per request) both do before and after
// their measurements: pick the jobs, build what they run, print numbers.
import { execFileSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const benchDir = join(dirname(fileURLToPath(import.meta.url)), '..');
export const repo = join(benchDir, '..');

/** The entries of `list` whose names a comma-separated filter (BENCH_TARGETS, BENCH_SCENARIOS) names; all when unset. */
export const filterByName = (list, value) =>
  value ? list.filter((item) => value.split(',').includes(item.name)) : list;

/**
 * Installs the peers (bench/package.json, its own lockfile) into bench/node_modules when they are
 * missing or older than the lockfile: the root `npm ci` installs none of them.
 */
export function installDependencies() {
  const installed = join(benchDir, 'node_modules', '.package-lock.json');
  const lock = join(benchDir, 'package-lock.json');
  if (existsSync(installed) && statSync(installed).mtimeMs >= statSync(lock).mtimeMs) return;
  console.log('installing the benchmark peers into bench/node_modules (npm ci) …');
  execFileSync('npm', ['ci', '--no-audit', '--no-fund', '--prefer-offline'], {
    cwd: benchDir,
    stdio: 'inherit',
  });
}

/**
 * Installs the peers when needed, then builds dist/ and the decorator-based servers (bench/dist),
 * unless BENCH_SKIP_BUILD=1 and they exist.
 */
export function build(env) {
  installDependencies();
  if (env.BENCH_SKIP_BUILD === '1' && existsSync(join(benchDir, 'dist'))) return;
  console.log('building dist/ and the decorator-based servers …');
  execFileSync('npm', ['run', '--silent', 'build'], { cwd: repo, stdio: 'inherit' });
  execFileSync(
    process.execPath,
    [join(repo, 'node_modules/typescript/bin/tsc'), '-p', join(benchDir, 'tsconfig.build.json')],
    { cwd: benchDir, stdio: 'inherit' },
  );
}

/** A number for the report: thousands separated when whole, `–` when there is none. */
export const fmt = (value, digits = 0) =>
  Number.isFinite(value)
    ? value.toFixed(digits).replace(/\B(?=(\d{3})+(?!\d))/g, digits ? '' : ',')
    : '–';
