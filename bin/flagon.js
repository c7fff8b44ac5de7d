#!/usr/bin/env node
'use strict';
// The `flagon` command. A checkout (it has src/) runs the TypeScript source through ts-node, which
// keeps decorator metadata, so the CLI is never a stale build; the published package (dist/ only)
// runs its build.
const { existsSync } = require('node:fs');
const { join } = require('node:path');

// Decorator metadata must exist before any decorated class (the app's or Flagon's) loads.
require('reflect-metadata');

const source = join(__dirname, '..', 'src', 'cli', 'main.ts');
let cli;
if (existsSync(source)) {
  require('ts-node').register({
    transpileOnly: true,
    project: join(__dirname, '..', 'tsconfig.json'),
    compilerOptions: { module: 'commonjs' },
  });
  cli = require(source);
} else {
  cli = require(join(__dirname, '..', 'dist', 'cjs', 'cli', 'main.js'));
}
cli.main(process.argv.slice(2)).then((code) => {
  if (code !== undefined) process.exit(code);
});
