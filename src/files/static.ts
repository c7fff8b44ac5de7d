import { statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import type { Config } from '../config/config';
import { Module } from '../modules/module';
import type { MountedModule } from '../modules/module-graph';
import { Param } from '../http/params';
import { Get, Route } from '../routing/decorators';
import { joinPaths } from '../routing/rule';
import { sendFromDirectory } from './send-file';

function isDirectory(folder: string): boolean {
  try {
    return statSync(folder).isDirectory();
  } catch {
    return false;
  }
}

const STATIC_FOLDERS = new WeakMap<MountedModule, string>();

/** The folder a generated static module serves, or `undefined` for any other module. */
export function staticFolderOf(module: MountedModule): string | undefined {
  return STATIC_FOLDERS.get(module);
}

/** `static` for the app's folder, `<module>.static` for a module's. */
export function staticEndpoint(module: MountedModule): string {
  return module.name === '' ? 'static' : `${module.name}.static`;
}

/**
 * One generated module per static folder, each with a one-route controller, so static files go
 * through the same route table, router, features and hooks as every other route. A module's static
 * route runs under that module's hooks; the app's runs under none.
 */
function staticModule(
  name: string,
  prefix: string,
  urlPath: string,
  folder: string,
  parent: MountedModule | undefined,
): MountedModule {
  @Route('/')
  class StaticFilesController {
    @Get(`${urlPath}/<path:filename>`, { name: 'static' })
    serve(@Param('filename') filename: string): unknown {
      return sendFromDirectory(folder, filename);
    }
  }
  @Module({ name: name === '' ? 'static' : name })
  class StaticFilesModule {}

  const ancestry: MountedModule[] = [];
  const node: MountedModule = {
    moduleClass: StaticFilesModule,
    name,
    prefix,
    controllers: [StaticFilesController],
    providers: [],
    config: {},
    templates: undefined,
    static: undefined,
    ancestry,
    commands: [],
    setups: [],
  };
  ancestry.push(node, ...(parent?.ancestry ?? []));
  STATIC_FOLDERS.set(node, folder);
  return node;
}

/**
 * The static-file modules of an app: `<root>/<STATIC_FOLDER>` at `STATIC_URL_PATH` (endpoint
 * `static`), and each module's `static` folder at `<module prefix>/static` (endpoint
 * `<module>.static`; a module mounted at `/` uses `STATIC_URL_PATH/<module name>` instead, so it
 * cannot shadow the app's). The app's route exists only when its folder does; a module's whenever
 * it declares one. Relative module folders are resolved against the app root.
 *
 * @example
 * const extra = mountStaticFolders(mounted, '/srv/app', config);
 */
export function mountStaticFolders(
  mounted: readonly MountedModule[],
  root: string,
  config: Config,
): MountedModule[] {
  const urlPath = config.get('STATIC_URL_PATH').replace(/\/+$/, '');
  const modules: MountedModule[] = [];
  const appFolder =
    config.get('STATIC_FOLDER') === '' ? undefined : resolve(root, config.get('STATIC_FOLDER'));
  // Only an existing folder gets the route, so API-only apps keep `/static/*` and their route list to themselves.
  if (appFolder !== undefined && isDirectory(appFolder))
    modules.push(staticModule('', '/', urlPath, appFolder, undefined));
  for (const module of mounted) {
    if (module.static === undefined) continue;
    const folder = isAbsolute(module.static) ? module.static : resolve(root, module.static);
    const isAtRoot = module.prefix === '/' || module.prefix === '';
    const path = isAtRoot ? joinPaths(urlPath, module.name) : '/static';
    modules.push(staticModule(module.name, module.prefix, path, folder, module));
  }
  return modules;
}
