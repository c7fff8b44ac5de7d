import { FlagonError } from '../errors/flagon-error';
import type { CliCommand } from '../cli/cli-command';
import type { Constructor, Provider } from '../di/tokens';
import {
  getModuleOptions,
  isConfiguredModule,
  type ConfiguredModule,
  type ModuleRef,
  type ModuleSetup,
} from './module';
import { joinPaths } from '../routing/rule';

/** A module as mounted in the app: its composed prefix and the chain of modules above it. */
export interface MountedModule {
  readonly moduleClass: Constructor;
  readonly name: string;
  readonly prefix: string;
  readonly controllers: readonly Constructor[];
  readonly providers: readonly Provider[];
  readonly config: Readonly<Record<string, unknown>>;
  readonly templates: string | undefined;
  readonly static: string | undefined;
  readonly commands: readonly CliCommand[];
  /** The module's setup, then those of its configure() results, in mounting order. */
  readonly setups: readonly ModuleSetup[];
  /** This module first, then each importer up to a module passed to `createApp`. */
  readonly ancestry: readonly MountedModule[];
}

/** Default module name: `BlogModule` → `blog`, `AdminApiModule` → `adminApi`. */
export function defaultModuleName(moduleClass: Constructor): string {
  const base = moduleClass.name.replace(/Module$/, '') || moduleClass.name;
  return base.charAt(0).toLowerCase() + base.slice(1);
}

/**
 * Flattens the module tree depth-first, in registration order. A module without controllers may
 * be imported from several places (it only contributes providers); one with routes is mounted once.
 */
export function mountModules(roots: readonly ModuleRef[]): MountedModule[] {
  const mounted: MountedModule[] = [];
  const seen = new Map<Constructor, MountedModule>();

  const visit = (ref: ModuleRef, parent: MountedModule | undefined): void => {
    const moduleClass = isConfiguredModule(ref) ? ref.module : ref;
    const declared = typeof moduleClass === 'function' ? getModuleOptions(moduleClass) : undefined;
    if (!declared) {
      const name = typeof moduleClass === 'function' ? moduleClass.name : String(moduleClass);
      throw new FlagonError(
        'FLAGON_MODULE_INVALID',
        `${name} is listed as a module but has no @Module() decorator`,
      );
    }
    const extra = isConfiguredModule(ref) ? ref : undefined;
    const controllers = [...(declared.controllers ?? []), ...(extra?.controllers ?? [])];
    const previous = seen.get(moduleClass);
    if (previous) {
      if (controllers.length > 0) {
        throw new FlagonError(
          'FLAGON_MODULE_MOUNTED_TWICE',
          `${moduleClass.name} has controllers and is mounted twice (under "${previous.prefix}" and "${parent?.prefix ?? '/'}"); import it once`,
        );
      }
      // Configured again (an extension Flagon installs that the app configures too): the options add up.
      if (extra) mergeInto(previous, extra);
      return;
    }
    const ancestry: MountedModule[] = [];
    const node: MountedModule = {
      moduleClass,
      name: declared.name ?? defaultModuleName(moduleClass),
      prefix: joinPaths(parent?.prefix, extra?.prefix ?? declared.prefix),
      controllers,
      providers: [...(declared.providers ?? []), ...(extra?.providers ?? [])],
      config: extra?.config ?? {},
      templates: extra?.templates ?? declared.templates,
      static: extra?.static ?? declared.static,
      commands: [...(declared.commands ?? []), ...(extra?.commands ?? [])],
      setups: [declared.setup, extra?.setup].filter((setup) => setup !== undefined),
      ancestry,
    };
    ancestry.push(node, ...(parent?.ancestry ?? []));
    seen.set(moduleClass, node);
    mounted.push(node);
    for (const child of [...(declared.imports ?? []), ...(extra?.imports ?? [])])
      visit(child, node);
  };

  for (const root of roots) visit(root, undefined);
  return mounted;
}

/** Adds a later configure() result of a controller-less module to its first mounting. */
function mergeInto(mounted: MountedModule, extra: ConfiguredModule): void {
  const writable = mounted as {
    -readonly [TKey in keyof MountedModule]: MountedModule[TKey];
  };
  writable.providers = [...mounted.providers, ...(extra.providers ?? [])];
  writable.config = { ...mounted.config, ...extra.config };
  writable.commands = [...mounted.commands, ...(extra.commands ?? [])];
  if (extra.setup) writable.setups = [...mounted.setups, extra.setup];
}
