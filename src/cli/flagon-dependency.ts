import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve, sep } from 'node:path';
import { CliError } from './cli-error';

/** How a new project depends on Flagon, and what the user should know about it. */
export interface FlagonDependency {
  /** The `dependencies.flagon` value written to the project's package.json. */
  readonly spec: string;
  /** Said after the project is created, when the spec may not install as it is. */
  readonly note?: string;
}

interface Manifest {
  readonly version?: string;
  readonly dependencies?: Readonly<Record<string, string>>;
  readonly devDependencies?: Readonly<Record<string, string>>;
}

function readManifest(dir: string): Manifest | undefined {
  const path = join(dir, 'package.json');
  if (!existsSync(path)) return undefined;
  return JSON.parse(readFileSync(path, 'utf8')) as Manifest;
}

/** `--flagon`: a path (checkout folder or tarball from `npm pack`) becomes an absolute `file:`; anything else is an npm spec. */
function specFromOption(option: string, cwd: string): string {
  const path = option.startsWith('file:') ? option.slice('file:'.length) : option;
  const isPath =
    option.startsWith('file:') ||
    /^(\.{1,2}[\\/]|[\\/]|~[\\/]|[A-Za-z]:\\)/.test(option) ||
    /\.(tgz|tar\.gz)$/.test(option) ||
    existsSync(resolve(cwd, path));
  if (!isPath) return option;
  const absolute = resolve(cwd, path.replace(/^~(?=[\\/])/, process.env['HOME'] ?? '~'));
  if (!existsSync(absolute)) throw new CliError(`--flagon ${option}: ${absolute} does not exist`);
  return `file:${absolute}`;
}

/**
 * The spec the project that installed Flagon used for it, when that was a local folder or tarball
 * (`npm install ../flagon-0.1.0.tgz`, `npx --package ./flagon-0.1.0.tgz flagon new`): the new
 * project gets the same, as an absolute path.
 */
function installedFrom(root: string): string | undefined {
  const project = dirname(dirname(root));
  const manifest = readManifest(project);
  const spec = manifest?.dependencies?.['flagon'] ?? manifest?.devDependencies?.['flagon'];
  if (spec?.startsWith('file:') !== true) return undefined;
  const path = spec.slice('file:'.length);
  return `file:${isAbsolute(path) ? path : resolve(project, path)}`;
}

/**
 * What `flagon new` writes as the project's Flagon dependency: `--flagon` when given; a checkout
 * (not under node_modules) links itself; a Flagon installed from a folder or tarball passes that
 * on; otherwise the installed version from the npm registry, with a note saying so, since a
 * version that was never published cannot install.
 *
 * @example
 * flagonDependency('/src/flagon', { cwd: '/work' }); // { spec: 'file:/src/flagon' }
 */
export function flagonDependency(
  root: string,
  options: { readonly option?: string; readonly cwd: string },
): FlagonDependency {
  if (options.option !== undefined) return { spec: specFromOption(options.option, options.cwd) };
  if (!root.split(sep).includes('node_modules')) return { spec: `file:${root}` };
  const local = installedFrom(root);
  if (local !== undefined) return { spec: local };
  const spec = `^${readManifest(root)?.version ?? '0.0.0'}`;
  return {
    spec,
    note: `The project depends on flagon@${spec} from the npm registry. If that version is not published, use a Flagon checkout or a tarball made there with npm pack: flagon new <dir> --flagon <path>, or edit "flagon" in package.json.`,
  };
}
