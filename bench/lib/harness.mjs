// What run.mjs (req/s) and instructions.mjs (instructions per request) both do before and after
// their measurements: pick the jobs, build what they run, print numbers.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const benchDir = join(dirname(fileURLToPath(import.meta.url)), '..');
export const repo = join(benchDir, '..');

/** The entries of `list` whose names a comma-separated filter (BENCH_TARGETS, BENCH_SCENARIOS) names; all when unset. */
export const filterByName = (list, value) =>
  value ? list.filter((item) => value.split(',').includes(item.name)) : list;

/** Builds dist/ and the decorator-based servers (dist/bench), unless BENCH_SKIP_BUILD=1 and they exist. */
export function build(env) {
  if (env.BENCH_SKIP_BUILD === '1' && existsSync(join(repo, 'dist/bench'))) return;
  console.log('building dist/ and the decorator-based servers …');
  execFileSync('npm', ['run', '--silent', 'build'], { cwd: repo, stdio: 'inherit' });
  execFileSync(
    process.execPath,
    [join(repo, 'node_modules/typescript/bin/tsc'), '-p', join(benchDir, 'tsconfig.build.json')],
    { cwd: repo, stdio: 'inherit' },
  );
}

/** A number for the report: thousands separated when whole, `–` when there is none. */
export const fmt = (value, digits = 0) =>
  Number.isFinite(value)
    ? value.toFixed(digits).replace(/\B(?=(\d{3})+(?!\d))/g, digits ? '' : ',')
    : '–';
