import type { FlagonApp } from '../app/flagon-app';
import type { CliCommand } from '../cli/cli-command';
import { Injectable, type Constructor, type Provider } from '../di/tokens';

/**
 * Runs inside `createApp`, once the config is final (Flask's `init_app`): check settings (throwing
 * stops `createApp` with the error) and build what needs the config, returned as providers.
 * Setups run in module registration order, so a setup can `app.resolve` what an earlier one provided.
 */
export type ModuleSetup = (app: FlagonApp) => readonly Provider[] | void;

/** A module class, or a module configured with options by an extension's `configure()`. */
export type ModuleRef = Constructor | ConfiguredModule;

export interface ModuleOptions {
  /** Endpoint prefix (`blog` in `blog.PostController.show`); defaults to the class name without "Module", camel-cased. */
  readonly name?: string;
  /** URL prefix of every route in the module and the modules it imports. */
  readonly prefix?: string;
  readonly controllers?: readonly Constructor[];
  readonly providers?: readonly Provider[];
  /** Modules mounted under this one: their prefixes compose and this module's hooks apply to them. */
  readonly imports?: readonly ModuleRef[];
  /** The module's own template folder, searched after the app's. */
  readonly templates?: string;
  /** The module's own static folder, served under its prefix. */
  readonly static?: string;
  /** CLI commands the module contributes (`flagon db init`); see docs/extensions.md. */
  readonly commands?: readonly CliCommand[];
  /** Runs inside `createApp` once the config is final; see ModuleSetup. */
  readonly setup?: ModuleSetup;
}

/**
 * What an extension's `configure(options)` returns: the module plus what the options contribute.
 * Mirrors Flask's `init_app`: providers built from the options, config defaults, lifecycle hooks.
 */
export interface ConfiguredModule extends Omit<ModuleOptions, 'name'> {
  readonly module: Constructor;
  /** Config defaults; the app's own config and the environment override them. */
  readonly config?: Readonly<Record<string, unknown>>;
}

/** Implemented by a module class to run async work before the app serves (connect, migrate). */
export interface OnInit {
  onInit(): void | Promise<void>;
}

/** Implemented by a module class to release resources on `app.close()`. */
export interface OnShutdown {
  onShutdown(): void | Promise<void>;
}

const MODULE_OPTIONS = Symbol('flagon:module');

/**
 * Declares a module, Flagon's blueprint: a URL prefix, controllers, providers, imported modules,
 * and (through hook decorators on its methods) hooks and error handlers scoped to its routes.
 *
 * @example
 * @Module({ prefix: '/blog', controllers: [PostController], providers: [PostService] })
 * export class BlogModule {}
 */
export function Module(options: ModuleOptions = {}): ClassDecorator {
  return (target) => {
    Reflect.defineMetadata(MODULE_OPTIONS, options, target);
    Injectable()(target);
  };
}

export function getModuleOptions(target: object): ModuleOptions | undefined {
  return Reflect.getOwnMetadata(MODULE_OPTIONS, target) as ModuleOptions | undefined;
}

export function isConfiguredModule(ref: ModuleRef): ref is ConfiguredModule {
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- guards JavaScript callers passing null
  return typeof ref === 'object' && ref !== null && 'module' in ref;
}
