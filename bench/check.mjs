// `npm run bench:check`: type-checks and lints the benchmarks with their own configs
// (bench/tsconfig.json, bench/eslint.config.mjs) against the peers in bench/node_modules, which
// it installs when they are missing. The root `npm test` leaves bench/ out: it cannot see them.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { benchDir, installDependencies, repo } from './lib/harness.mjs';

installDependencies();
const run = (script, args) =>
  execFileSync(process.execPath, [join(repo, 'node_modules', script), ...args], {
    cwd: benchDir,
    stdio: 'inherit',
  });
run('typescript/bin/tsc', ['-p', 'tsconfig.json']);
run('eslint/bin/eslint.js', ['.']);
console.log('bench: type-check and lint passed');
