import Module from 'node:module';
import { join } from 'node:path';

// Lets the sample app import 'flagon' by name, as an app of one's own does, while it runs from
// this checkout, where no 'flagon' package is installed: main.ts imports this file first, and the
// name then resolves to the sources beside the app (src/ under ts-node, the compiled src/ in
// dist/sample-app). The compiler and Jest map the name through tsconfig `paths` and
// `moduleNameMapper`; Node reads neither, and tsconfig-paths would map it to src/*.ts in the
// compiled build too, where Node cannot load them.
const PACKAGE_FILES: Readonly<Record<string, string>> = {
  flagon: join(__dirname, '..', 'src', 'index'),
  'flagon/testing': join(__dirname, '..', 'src', 'testing', 'index'),
};

/** Node's CommonJS resolver: the one hook every require, ts-node's included, goes through. */
interface ModuleResolver {
  _resolveFilename(request: string, ...rest: unknown[]): string;
}

const resolver = Module as unknown as ModuleResolver;
const resolveFilename = resolver._resolveFilename.bind(resolver);
resolver._resolveFilename = (request, ...rest) =>
  resolveFilename(PACKAGE_FILES[request] ?? request, ...rest);
