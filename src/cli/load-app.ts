import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import type { FlagonApp } from '../app/flagon-app';
import { AppLoadError, CliError } from './cli-error';

/** Where `flagon routes`, `flagon dev` and extension commands look for the app, in order. */
export const SOURCE_ENTRIES = ['src/app.ts', 'app.ts'];
/** Where `flagon start` looks for the built app, in order. */
export const BUILT_ENTRIES = ['dist/app.js', 'build/app.js', 'app.js'];

/** The entry file to load: the one given, else `FLAGON_APP`, else the first default that exists. */
export function findEntry(
  given: string | undefined,
  defaults: readonly string[],
  cwd: string = process.cwd(),
): string {
  const named = given ?? process.env['FLAGON_APP'];
  if (named !== undefined && named !== '') {
    const path = isAbsolute(named) ? named : resolve(cwd, named);
    if (!existsSync(path)) throw new CliError(`The app entry ${named} does not exist`);
    return path;
  }
  for (const candidate of defaults) {
    const path = resolve(cwd, candidate);
    if (existsSync(path)) return path;
  }
  throw new CliError(
    `No app entry found: looked for ${defaults.join(', ')}; pass the entry file or set FLAGON_APP`,
  );
}

const TS_NODE_INSTANCE = Symbol.for('ts-node.register.instance');

/**
 * Lets Node require TypeScript: ts-node from the project (or Flagon's own), transpiling each file
 * with the project's tsconfig. transpileOnly keeps startup fast and still emits decorator metadata
 * (ts-node runs tsc's transpiler, unlike bundlers that drop emitDecoratorMetadata).
 */
export function registerTypeScript(cwd: string = process.cwd()): void {
  if ((process as unknown as Record<symbol, unknown>)[TS_NODE_INSTANCE] !== undefined) return;
  let tsNode: string;
  try {
    tsNode = require.resolve('ts-node', { paths: [cwd, __dirname] });
  } catch {
    throw new CliError(
      'Running a .ts entry needs ts-node: npm install --save-dev ts-node typescript (or build the app and run the .js file)',
    );
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on demand from the project
  const tsNodeApi = require(tsNode) as { register: (options: object) => unknown };
  tsNodeApi.register({ transpileOnly: true, cwd, compilerOptions: { module: 'commonjs' } });
}

/** True for the `app` export: anything shaped like a FlagonApp (the project may load its own copy of Flagon). */
function isApp(value: unknown): value is FlagonApp {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { listen?: unknown }).listen === 'function' &&
    typeof (value as { routes?: unknown }).routes === 'function'
  );
}

/**
 * Loads the entry module and returns its app. The convention: the module exports `app` (a
 * FlagonApp) or `buildApp()` (a function returning one, or a promise of one); it does not listen
 * itself, the CLI does.
 */
export async function loadApp(entry: string): Promise<FlagonApp> {
  if (/\.[cm]?tsx?$/.test(entry)) registerTypeScript();
  let candidate: unknown;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the entry is only known at run time
    const exported = require(entry) as Record<string, unknown>;
    candidate =
      exported['app'] ??
      (typeof exported['buildApp'] === 'function'
        ? await (exported['buildApp'] as () => unknown)()
        : undefined);
  } catch (error) {
    throw new AppLoadError(entry, error);
  }
  if (isApp(candidate)) return candidate;
  throw new CliError(
    `${entry} must export \`app\` (a FlagonApp from createApp) or \`buildApp()\` returning one`,
  );
}
